/**
 * The ingest pipeline: sources list objects → unchanged ones are skipped → each new
 * object is fetched and parsed (workers) → rows, raw blocks and the file's status are
 * written by one writer, committed at file boundaries.
 */
import type { RecordFilter } from '../parse/log-file.js';
import { type Db, leaveBulkLoadMode, startBulkLoad, withSortingCache } from '../store/database.js';
import { EventWriter, type FileCustody, type FileOutcome } from '../store/writer.js';
import type { ListingFilter, OpenedObject, Source, SourceObject } from '../sources/source.js';
import { ParsePool } from './parse-pool.js';

export interface IngestOptions {
  filter: ListingFilter & RecordFilter;
  /** Stop at the first problem instead of recording it and going on. */
  strict?: boolean;
  /** Parse workers; 0 parses in-process. Default: one per core. */
  workers?: number;
  /** Objects fetched and parsed at once. */
  concurrency?: number;
  /** Aborting stops scheduling new files; files in flight finish and are committed. */
  signal?: AbortSignal;
}

export interface IngestProgress {
  filesDone: number;
  filesTotal: number;
  eventsInserted: number;
  bytesRead: number;
  /** Size of every file to read, as listed (compressed): what bytesRead counts towards. */
  bytesTotal: number;
  elapsedMs: number;
}

export interface IngestReporter {
  /** One line per problem, already naming the file and record. */
  problem(line: string): void;
  progress?(progress: IngestProgress): void;
  /** A long step that is not per file, such as building each index after a bulk load. */
  phase?(description: string): void;
}

export interface IngestSummary {
  filesListed: number;
  filesIngested: number;
  filesSkipped: number;
  digestFiles: number;
  recordsSeen: number;
  eventsInserted: number;
  duplicates: number;
  rejected: number;
  /** Records in files classed as not CloudTrail (a misplaced JSON file), apart from rejected ones. */
  notCloudTrailRecords: number;
  filteredOut: number;
  errors: number;
  warnings: number;
  bytesRead: number;
  elapsedMs: number;
  /** Of elapsedMs, the time spent building indexes after a bulk load (0 when rows went into built indexes). */
  indexBuildMs: number;
  interrupted: boolean;
  stoppedOnProblem: boolean;
  /** Objects that could not be fetched or parsed at all; a re-run retries exactly these. */
  failedObjects: string[];
  /** Folders or prefixes that could not be listed; a re-run retries them. */
  failedListings: string[];
}

const COMMIT_EVERY_ROWS = 100_000;
/** An empty database loading at least this many files is bulk-loaded: indexes built at the end. */
const BULK_LOAD_MIN_FILES = 50;
/** Files in these states are not read again while unchanged; 'failed' (fetch or crash) is retried. */
const SETTLED_STATUSES = new Set(['done', 'digest', 'warning', 'error']);
const COMMIT_EVERY_MS = 3_000;

export async function ingest(
  db: Db,
  sources: Source[],
  options: IngestOptions,
  reporter: IngestReporter,
): Promise<IngestSummary> {
  const started = Date.now();
  const writer = new EventWriter(db);
  const summary: IngestSummary = {
    filesListed: 0,
    filesIngested: 0,
    filesSkipped: 0,
    digestFiles: 0,
    recordsSeen: 0,
    eventsInserted: 0,
    duplicates: 0,
    rejected: 0,
    notCloudTrailRecords: 0,
    filteredOut: 0,
    errors: 0,
    warnings: 0,
    bytesRead: 0,
    elapsedMs: 0,
    indexBuildMs: 0,
    interrupted: false,
    stoppedOnProblem: false,
    failedObjects: [],
    failedListings: [],
  };
  let stopRequested = false;
  const stop = (reason: 'interrupt' | 'strict'): void => {
    stopRequested = true;
    if (reason === 'interrupt') summary.interrupted = true;
    else summary.stoppedOnProblem = true;
  };
  // A Ctrl-C that came before ingest started (while Node was still loading) counts too.
  if (options.signal?.aborted) stop('interrupt');
  else options.signal?.addEventListener('abort', () => stop('interrupt'), { once: true });

  const report = (uri: string, index: number | null, severity: 'error' | 'warning', message: string): void => {
    if (severity === 'error') summary.errors += 1;
    else summary.warnings += 1;
    writer.logProblem({ uri, index, severity, message });
    const where = index === null ? uri : `${uri}: record ${index}`;
    reporter.problem(`${severity}: ${where}: ${message}`);
    if (options.strict) stop('strict');
  };

  // 1. List everything first: progress needs a total, and listing is cheap next to parsing.
  const pending: SourceObject[] = [];
  for (const source of sources) {
    if (stopRequested) break;
    for await (const object of source.list(options.filter, (location, reason) => {
      // Everything under an unlistable folder is missing: the run is incomplete.
      summary.failedListings.push(location);
      report(location, null, 'error', `cannot list: ${reason} (not ingested; a re-run retries it)`);
    })) {
      summary.filesListed += 1;
      const known = writer.knownFile(object.uri);
      const unchanged =
        known !== undefined &&
        SETTLED_STATUSES.has(known.status) &&
        known.size === object.size &&
        known.version === object.version &&
        // Read before hashes were recorded (schema < 5): read once more, for its custody facts.
        (known.content_sha256 !== null || known.status === 'error');
      if (object.kind === 'digest') summary.digestFiles += 1;
      if (unchanged) {
        if (object.kind === 'digest') continue;
        summary.filesSkipped += 1;
        continue;
      }
      pending.push(object);
    }
  }
  writer.commit();

  const bulkLoad = pending.length >= BULK_LOAD_MIN_FILES && db.prepare('SELECT 1 FROM event_rows LIMIT 1').get() === undefined;
  if (bulkLoad) startBulkLoad(db);
  // Days this run creates get their indexes once its rows are in (store/partitions.ts).
  writer.deferIndexesOfNewDays();

  // 2. Fetch and parse with bounded concurrency; write as results arrive.
  const pool = new ParsePool(options.filter, options.workers);
  // More files in flight than the workers hold, so fetching (S3) overlaps parsing and writing.
  const concurrency = Math.max(1, options.concurrency ?? pool.capacity + 4);
  let openFiles = 0;
  let rowsSinceCommit = 0;
  let lastCommit = Date.now();
  let filesDone = 0;
  const maybeCommit = (): void => {
    if (openFiles === 0 && (rowsSinceCommit >= COMMIT_EVERY_ROWS || Date.now() - lastCommit >= COMMIT_EVERY_MS)) {
      writer.commit();
      rowsSinceCommit = 0;
      lastCommit = Date.now();
    }
  };
  const bytesTotal = pending.reduce((sum, object) => sum + object.size, 0);
  const progress = (): void =>
    reporter.progress?.({
      filesDone,
      filesTotal: pending.length,
      eventsInserted: summary.eventsInserted,
      bytesRead: summary.bytesRead,
      bytesTotal,
      elapsedMs: Date.now() - started,
    });
  progress();

  const processObject = async (object: SourceObject): Promise<void> => {
    let fileId: number | null = null;
    let inserted = 0;
    let duplicates = 0;
    const claim = (): number => {
      if (fileId === null) {
        fileId = writer.startFile(object.uri, object.size, object.version, object.kind);
        openFiles += 1;
      }
      return fileId;
    };
    const write = (batch: Parameters<EventWriter['writeBatch']>[1]): void => {
      // Whatever lies in a digest folder is never events, whatever it holds.
      if (object.kind === 'digest') return;
      const counts = writer.writeBatch(claim(), batch);
      inserted += counts.inserted;
      duplicates += counts.duplicates;
      rowsSinceCommit += batch.rowCount;
    };
    const finish = (outcome: Omit<FileOutcome, 'uri' | 'size' | 'version' | 'kind'>): void => {
      const id = claim();
      writer.finishFile(id, { ...outcome, uri: object.uri, size: object.size, version: object.version, kind: object.kind });
      openFiles -= 1;
      filesDone += 1;
      summary.bytesRead += object.size;
      maybeCommit();
      progress();
    };

    let opened: OpenedObject;
    try {
      opened = await object.open();
    } catch (error) {
      // Not recorded in files: a fetch that failed is retried by the next run.
      report(object.uri, null, 'error', `${describe(error)} (not ingested; a re-run retries it)`);
      summary.failedObjects.push(object.uri);
      filesDone += 1;
      progress();
      return;
    }
    try {
      const { summary: parsed, finalBatch } = await pool.parse(opened.input, write);
      if (finalBatch) write(finalBatch);
      const custody: FileCustody = {
        storedSha256: parsed.storedSha256,
        contentSha256: parsed.contentSha256,
        etag: object.version.startsWith('etag:') ? object.version.slice('etag:'.length) : null,
        signature: opened.signature?.signature ?? null,
        signatureAlgorithm: opened.signature?.algorithm ?? null,
        oldestEventTime: parsed.oldestEventTime,
        newestEventTime: parsed.newestEventTime,
      };
      if (object.kind === 'digest' || parsed.container === 'digest') {
        if (object.kind !== 'digest') summary.digestFiles += 1;
        const id = claim();
        writer.recordDigest(id, object.uri, parsed.digest);
        const problem =
          parsed.container !== 'digest'
            ? 'not a digest file (in a CloudTrail-Digest folder or named as one): not ingested'
            : parsed.problems.find((entry) => entry.severity === 'error')?.message ?? null;
        if (problem) report(object.uri, null, 'error', problem);
        finish({ ...emptyOutcome(problem ? 'error' : 'digest', problem), container: parsed.container, custody });
        return;
      }
      summary.recordsSeen += parsed.recordsSeen;
      summary.rejected += parsed.rejected;
      summary.notCloudTrailRecords += parsed.notCloudTrail;
      summary.filteredOut += parsed.filtered;
      summary.eventsInserted += inserted;
      summary.duplicates += duplicates;
      for (const problem of parsed.problems) report(object.uri, problem.index, problem.severity, problem.message);
      if (parsed.fileError) report(object.uri, null, 'error', parsed.fileError);
      const hasWarningOnly = parsed.problems.some((problem) => problem.severity === 'warning') && parsed.accepted === 0;
      if (parsed.container === 'empty' && !parsed.fileError && parsed.problems.length === 0) report(object.uri, null, 'warning', 'empty file: no records');
      summary.filesIngested += 1;
      finish({
        status: parsed.fileError ? 'error' : hasWarningOnly || parsed.container === 'empty' ? 'warning' : 'done',
        container: parsed.container,
        recordsSeen: parsed.recordsSeen,
        inserted,
        duplicates,
        rejected: parsed.rejected,
        filtered: parsed.filtered,
        error: parsed.fileError,
        custody,
      });
    } catch (error) {
      report(object.uri, null, 'error', describe(error));
      summary.eventsInserted += inserted;
      summary.duplicates += duplicates;
      summary.failedObjects.push(object.uri);
      finish({ ...emptyOutcome('failed', describe(error)), inserted, duplicates });
    } finally {
      await opened.release();
    }
  };

  // A failure of the store itself (disk full, database gone) stops every lane; what was
  // committed stays, the open transaction is rolled back, and the error goes up.
  let fatal: unknown = null;
  try {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (!stopRequested && fatal === null && next < pending.length) {
        const object = pending[next]!;
        next += 1;
        try {
          await processObject(object);
        } catch (error) {
          fatal ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    if (fatal === null) writer.commit();
  } catch (error) {
    fatal ??= error;
  } finally {
    await pool.close();
  }
  if (fatal !== null) {
    writer.rollback();
    if (bulkLoad) {
      try {
        leaveBulkLoadMode(db);
      } catch {
        // The store is failing already (that is the error thrown); the next open restores WAL.
      }
    }
    throw fatal;
  }
  const indexStart = Date.now();
  withSortingCache(db, () => writer.buildDeferredIndexes((done, total) => reporter.phase?.(`building indexes ${done + 1}/${total}`)));
  summary.indexBuildMs = Date.now() - indexStart;
  if (bulkLoad) leaveBulkLoadMode(db);
  summary.elapsedMs = Date.now() - started;
  return summary;
}

function emptyOutcome(
  status: FileOutcome['status'],
  error: string | null,
): Omit<FileOutcome, 'uri' | 'size' | 'version' | 'kind'> {
  return { status, container: null, recordsSeen: 0, inserted: 0, duplicates: 0, rejected: 0, filtered: 0, error };
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'file disappeared before it could be read';
  return message.replace(/\s+/g, ' ');
}
