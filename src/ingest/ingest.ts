/**
 * The ingest pipeline: sources list objects → the plan skips unchanged ones (plan.ts) →
 * each new object is fetched and parsed (workers), a few at a time (run.ts) → rows, raw
 * blocks and the file's status (outcome.ts) are written by one writer, committed at file
 * boundaries.
 */
import type { RecordFilter } from '../parse/log-file.js';
import { type Db, leaveBulkLoadMode, startBulkLoad, withSortingCache } from '../store/database.js';
import { hasStoredEvents } from '../store/queries.js';
import { EventWriter } from '../store/writer.js';
import type { WireBatch } from '../store/wire-batch.js';
import type { ListingFilter, OpenedObject, Source, SourceObject } from '../sources/source.js';
import {
  ConflictingDuplicates,
  custodyOf,
  decideFile,
  describeFailure,
  emptySummary,
  type FileStatus,
  failedStatus,
  type IngestSummary,
  tallyLogFile,
  tallyWritten,
} from './outcome.js';
import { ParsePool } from './parse-pool.js';
import { type ListedObject, planIngest } from './plan.js';
import { CommitPolicy, runInLanes } from './run.js';

export type { IngestSummary } from './outcome.js';

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

export async function ingest(
  db: Db,
  sources: Source[],
  options: IngestOptions,
  reporter: IngestReporter,
): Promise<IngestSummary> {
  const started = Date.now();
  const writer = new EventWriter(db);
  const summary = emptySummary();
  let stopRequested = false;
  const stop = (reason: 'interrupt' | 'strict'): void => {
    stopRequested = true;
    if (reason === 'interrupt') summary.interrupted = true;
    else summary.stoppedOnProblem = true;
  };
  // A Ctrl-C that came before ingest started (while Node was still loading) counts too.
  if (options.signal?.aborted) stop('interrupt');
  else options.signal?.addEventListener('abort', () => stop('interrupt'), { once: true });

  // `records`: a line counting unlisted problems ("N more … not listed") counts as the N it stands for.
  const report = (uri: string, index: number | null, severity: 'error' | 'warning', message: string, records = 1): void => {
    if (severity === 'error') summary.errors += records;
    else summary.warnings += records;
    writer.logProblem({ uri, index, severity, message });
    const where = index === null ? uri : `${uri}: record ${index}`;
    reporter.problem(`${severity}: ${where}: ${message}`);
    if (options.strict) stop('strict');
  };

  // 1. List everything first: progress needs a total, and listing is cheap next to parsing.
  const listing: ListedObject[] = [];
  for (const source of sources) {
    if (stopRequested) break;
    for await (const object of source.list(options.filter, (location, reason) => {
      // Everything under an unlistable folder is missing: the run is incomplete.
      summary.failedListings.push(location);
      report(location, null, 'error', `cannot list: ${reason} (not ingested; a re-run retries it)`);
    })) {
      listing.push({ object, known: writer.knownFile(object.uri) });
    }
  }
  writer.commit();

  const plan = planIngest(listing, hasStoredEvents(db));
  summary.filesListed = listing.length;
  summary.filesSkipped = plan.skipped;
  summary.digestFiles = plan.digestFiles;
  if (plan.bulkLoad) startBulkLoad(db);
  // Days this run creates get their indexes once its rows are in (store/partitions.ts).
  writer.deferIndexesOfNewDays();

  // 2. Fetch and parse with bounded concurrency; write as results arrive.
  const pool = new ParsePool(options.filter, options.workers);
  // More files in flight than the workers hold, so fetching (S3) overlaps parsing and writing.
  const concurrency = options.concurrency ?? pool.capacity + 4;
  const commits = new CommitPolicy(() => writer.commit());
  let filesDone = 0;
  const progress = (): void =>
    reporter.progress?.({
      filesDone,
      filesTotal: plan.toRead.length,
      eventsInserted: summary.eventsInserted,
      bytesRead: summary.bytesRead,
      bytesTotal: plan.bytesTotal,
      elapsedMs: Date.now() - started,
    });
  progress();

  const processObject = async (object: SourceObject): Promise<void> => {
    let fileId: number | null = null;
    const written = { inserted: 0, duplicates: 0 };
    const conflicts = new ConflictingDuplicates();
    const claim = (): number => {
      if (fileId === null) {
        fileId = writer.startFile(object.uri, object.size, object.version, object.kind);
        commits.fileStarted();
      }
      return fileId;
    };
    const write = (batch: WireBatch): void => {
      // Whatever lies in a digest folder is never events, whatever it holds.
      if (object.kind === 'digest') return;
      const counts = writer.writeBatch(claim(), batch);
      written.inserted += counts.inserted;
      written.duplicates += counts.duplicates;
      conflicts.add(counts.conflicts);
      commits.rowsWritten(batch.rowCount);
    };
    const finish = (status: FileStatus): void => {
      const id = claim();
      writer.finishFile(id, { ...status, uri: object.uri, size: object.size, version: object.version, kind: object.kind });
      filesDone += 1;
      summary.bytesRead += object.size;
      commits.fileFinished();
      progress();
    };

    let opened: OpenedObject;
    try {
      opened = await object.open();
    } catch (error) {
      // Not recorded in files: a fetch that failed is retried by the next run.
      report(object.uri, null, 'error', `${describeFailure(error)} (not ingested; a re-run retries it)`);
      summary.failedObjects.push(object.uri);
      filesDone += 1;
      progress();
      return;
    }
    try {
      const { summary: parsed, finalBatch } = await pool.parse(opened.input, write);
      if (finalBatch) write(finalBatch);
      const decision = decideFile(object.kind, parsed, written, custodyOf(object, opened, parsed));
      if (decision.digest) {
        if (object.kind !== 'digest') summary.digestFiles += 1;
        writer.recordDigest(claim(), object.uri, parsed.digest);
      } else {
        tallyLogFile(summary, parsed, written);
      }
      for (const problem of [...decision.problems, ...conflicts.problems()]) report(object.uri, problem.index, problem.severity, problem.message, problem.records);
      finish(decision.status);
    } catch (error) {
      // Its conflicting duplicates are not reported: the file is read again by the next run, which finds them again.
      report(object.uri, null, 'error', describeFailure(error));
      tallyWritten(summary, written);
      summary.failedObjects.push(object.uri);
      finish(failedStatus(describeFailure(error), written));
    } finally {
      await opened.release();
    }
  };

  // A failure of the store itself (disk full, database gone) stops every lane; what was
  // committed stays, the open transaction is rolled back, and the error goes up.
  let fatal: { error: unknown } | null = null;
  try {
    fatal = await runInLanes(plan.toRead, concurrency, processObject, () => stopRequested);
    if (fatal === null) writer.commit();
  } catch (error) {
    fatal ??= { error };
  } finally {
    await pool.close();
  }
  if (fatal !== null) {
    writer.rollback();
    if (plan.bulkLoad) {
      try {
        leaveBulkLoadMode(db);
      } catch {
        // The store is failing already (that is the error thrown); the next open restores WAL.
      }
    }
    throw fatal.error;
  }
  const indexStart = Date.now();
  withSortingCache(db, () => writer.buildDeferredIndexes((done, total) => reporter.phase?.(`building indexes ${done + 1}/${total}`)));
  summary.indexBuildMs = Date.now() - indexStart;
  if (plan.bulkLoad) leaveBulkLoadMode(db);
  summary.elapsedMs = Date.now() - started;
  return summary;
}
