/**
 * One log file's bytes → normalized rows, in batches, plus what went wrong.
 *
 * Two paths, chosen per file:
 * - fast: the whole file (≤ DEFAULT_FAST_PATH_LIMIT once decompressed; README "Parsing" has
 *   the measurement) is gunzipped at once and parsed (CloudTrail's own delivery format in
 *   pieces, containers.ts), and its original bytes become the raw block;
 * - streaming: anything larger, or anything the fast path could not read, goes through
 *   a gunzip stream and the record slicer (record-slicer.ts), one record in memory at a
 *   time, in batches of STREAM_BATCH_RECORDS with their own raw block. A truncated file
 *   keeps every complete record before the break.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { ByteCounter, gzipFailure, InflateGuard } from '../sources/inflate-limit.js';
import { DEFAULT_FAST_PATH_LIMIT, type FileInput } from '../sources/source.js';
import { type ContainerEntry, type ContainerKind, ContainerError, readContainerBytes } from './containers.js';
import { type DigestFile, readDigest } from './digest-file.js';
import type { EventRow } from './event-row.js';
import { normalizeRecord } from './normalize.js';
import { containerBlock, isGzip, linesBlock, type RawBlock } from './raw-block.js';
import { SliceError, sliceRecords } from './record-slicer.js';

export const STREAM_BATCH_RECORDS = 2_000;
/** Per-file cap on problems listed one a line; the rest are counted in one line (unlistedProblems). */
export const MAX_PROBLEMS_PER_FILE = 50;

export interface RecordFilter {
  since?: string | undefined;
  until?: string | undefined;
  accounts?: ReadonlySet<string> | undefined;
  regions?: ReadonlySet<string> | undefined;
}


export interface ParsedBatch {
  rows: EventRow[];
  /** Index of each row's record inside `block`. */
  rawIndexes: number[];
  /** 0-based position of each row's record in its file, where it is not its raw index (the streaming path's blocks hold part of a file). */
  recordIndexes?: number[];
  block: RawBlock;
}

export interface RecordProblem {
  /** 0-based position of the record in the file; null for file-level problems. */
  index: number | null;
  message: string;
  severity: 'error' | 'warning';
  /** How many records the line stands for when not one: the N of "N more … not listed". */
  records?: number;
}

/** The one line that counts a file's problems past MAX_PROBLEMS_PER_FILE, so totals still count each record. */
export function unlistedProblems(count: number, what: string, severity: RecordProblem['severity']): RecordProblem {
  return { index: null, message: `${count} more ${what} not listed`, severity, records: count };
}

export interface FileParseSummary {
  container: ContainerKind;
  recordsSeen: number;
  accepted: number;
  filtered: number;
  rejected: number;
  /** Records of a file classed as not CloudTrail at all: a misplaced file, counted apart from rejected records. */
  notCloudTrail: number;
  problems: RecordProblem[];
  /** Set when the file as a whole could not be read to its end. */
  fileError: string | null;
  decompressedBytes: number;
  path: 'fast' | 'streaming';
  /** Hex SHA-256 of the bytes as stored (gzip as delivered) and of the content inflated; null when the file could not be read whole. */
  storedSha256: string | null;
  contentSha256: string | null;
  /** eventTime range of the file's CloudTrail records, filtered ones included: what a digest's log-file entry states. */
  oldestEventTime: string | null;
  newestEventTime: string | null;
  /** The digest's fields when the file is a digest (container 'digest'). */
  digest: DigestFile | null;
}

export type BatchSink = (batch: ParsedBatch) => Promise<void> | void;

export function inFilter(row: EventRow, filter: RecordFilter): boolean {
  if (filter.since && row.event_time < filter.since) return false;
  if (filter.until && row.event_time > filter.until) return false;
  if (filter.accounts && filter.accounts.size > 0) {
    const account = row.recipient_account_id ?? row.account_id;
    if (!account || !filter.accounts.has(account)) return false;
  }
  if (filter.regions && filter.regions.size > 0) {
    if (!row.aws_region || !filter.regions.has(row.aws_region)) return false;
  }
  return true;
}

/** Collects rows and problems for one file; shared by both paths so they count alike. */
class RecordCollector {
  rows: EventRow[] = [];
  rawIndexes: number[] = [];
  readonly summary: FileParseSummary;
  private notCloudTrail = 0;
  private problemCount = 0;

  constructor(
    private readonly filter: RecordFilter,
    path: 'fast' | 'streaming',
  ) {
    this.summary = {
      container: 'empty',
      recordsSeen: 0,
      accepted: 0,
      filtered: 0,
      rejected: 0,
      notCloudTrail: 0,
      problems: [],
      fileError: null,
      decompressedBytes: 0,
      path,
      storedSha256: null,
      contentSha256: null,
      oldestEventTime: null,
      newestEventTime: null,
      digest: null,
    };
  }

  take(entry: ContainerEntry, index: number, rawIndex: number): void {
    this.summary.recordsSeen += 1;
    if ('error' in entry) {
      if (entry.notCloudTrail) this.notCloudTrail += 1;
      this.reject(index, entry.error);
      return;
    }
    const result = normalizeRecord(entry.value);
    if (!result.ok) {
      if (result.notCloudTrail) this.notCloudTrail += 1;
      this.reject(index, result.reason);
      return;
    }
    const time = result.row.event_time;
    if (this.summary.oldestEventTime === null || time < this.summary.oldestEventTime) this.summary.oldestEventTime = time;
    if (this.summary.newestEventTime === null || time > this.summary.newestEventTime) this.summary.newestEventTime = time;
    if (!inFilter(result.row, this.filter)) {
      this.summary.filtered += 1;
      return;
    }
    this.summary.accepted += 1;
    this.rows.push(result.row);
    this.rawIndexes.push(rawIndex);
  }

  private reject(index: number, message: string): void {
    this.summary.rejected += 1;
    this.problemCount += 1;
    if (this.problemCount <= MAX_PROBLEMS_PER_FILE) {
      this.summary.problems.push({ index, message, severity: 'error' });
    }
  }

  finish(): FileParseSummary {
    const { summary } = this;
    if (this.problemCount > MAX_PROBLEMS_PER_FILE) {
      summary.problems.push(unlistedProblems(this.problemCount - MAX_PROBLEMS_PER_FILE, 'rejected records', 'error'));
    }
    // A JSON file with no CloudTrail in it is a misplaced file, not N broken records.
    if (summary.accepted === 0 && summary.filtered === 0 && this.notCloudTrail > 0 && this.notCloudTrail === summary.rejected) {
      summary.notCloudTrail = summary.rejected;
      summary.rejected = 0;
      summary.problems = [
        {
          index: null,
          message: `not a CloudTrail file: none of its ${summary.recordsSeen} JSON values is a CloudTrail record`,
          severity: 'warning',
        },
      ];
    }
    return summary;
  }
}

export interface ParseOptions {
  /** Override DEFAULT_FAST_PATH_LIMIT (tests use 0 to force the streaming path). */
  fastPathLimit?: number;
  /**
   * Read a small file with blocking calls. For worker threads, which have nothing else to
   * do meanwhile: with every core busy, each asynchronous read waited milliseconds for a
   * thread-pool slot, about 0.9 s per worker in a 300k-event ingest (README "Performance").
   */
  blockingRead?: boolean;
}

export async function parseLogFile(
  input: FileInput,
  filter: RecordFilter,
  sink: BatchSink,
  options: ParseOptions = {},
): Promise<FileParseSummary> {
  const limit = options.fastPathLimit ?? DEFAULT_FAST_PATH_LIMIT;
  const bytes =
    'bytes' in input ? (input.bytes.length <= limit ? input.bytes : null) : await readSmallFile(input.path, limit, options.blockingRead === true);
  if (bytes) {
    const whole = decompressWhole(bytes, limit);
    if (whole !== null) {
      try {
        const summary = await parseWhole(bytes, whole, filter, sink);
        // Hashed here, from the bytes the parser already holds: custody costs no second read.
        summary.storedSha256 = sha256(bytes);
        summary.contentSha256 = isGzip(bytes) ? sha256(whole) : summary.storedSha256;
        return summary;
      } catch (error) {
        if (!(error instanceof ContainerError)) throw error;
        if (error.notJson) return { ...notJsonSummary(error.message, whole.length), storedSha256: sha256(bytes), contentSha256: sha256(whole) };
        // Otherwise fall through: the streaming reader salvages what precedes the damage.
      }
    }
  }
  const source = 'bytes' in input ? Readable.from([Buffer.from(input.bytes)]) : createReadStream(input.path);
  return parseStreaming(source, filter, sink);
}

function notJsonSummary(message: string, decompressedBytes: number): FileParseSummary {
  return {
    container: 'empty',
    recordsSeen: 0,
    accepted: 0,
    filtered: 0,
    rejected: 0,
    notCloudTrail: 0,
    problems: [{ index: null, message, severity: 'warning' }],
    fileError: null,
    decompressedBytes,
    path: 'fast',
    storedSha256: null,
    contentSha256: null,
    oldestEventTime: null,
    newestEventTime: null,
    digest: null,
  };
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function readSmallFile(path: string, limit: number, blocking: boolean): Promise<Uint8Array | null> {
  if (blocking) return statSync(path).size <= limit ? readFileSync(path) : null;
  const info = await stat(path);
  return info.size <= limit ? readFile(path) : null;
}

/** The file's JSON bytes; null when it is too large for the fast path or its gzip stream is damaged. */
function decompressWhole(bytes: Uint8Array, limit: number): Buffer | null {
  if (!isGzip(bytes)) return bytes.length <= limit ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : null;
  try {
    return gunzipSync(bytes, { maxOutputLength: Math.max(limit, 1), chunkSize: outputChunkSize(bytes, limit) });
  } catch {
    return null;
  }
}

/**
 * gunzipSync inflates into chunks and copies them into one buffer at the end; a chunk as
 * large as the output skips that copy. The gzip trailer states the size (mod 2^32, last
 * member only, and the file may lie): it is only a hint, kept between 64 KiB and the limit
 * (64 KiB when the limit is lower).
 */
function outputChunkSize(gzip: Uint8Array, limit: number): number {
  const at = gzip.length - 4;
  const stated = at >= 10 ? (gzip[at]! | (gzip[at + 1]! << 8) | (gzip[at + 2]! << 16) | (gzip[at + 3]! << 24)) >>> 0 : 0;
  return Math.min(Math.max(stated, 64 * 1024), Math.max(limit, 64 * 1024));
}

async function parseWhole(original: Uint8Array, whole: Buffer, filter: RecordFilter, sink: BatchSink): Promise<FileParseSummary> {
  const content = readContainerBytes(whole);
  const collector = new RecordCollector(filter, 'fast');
  collector.summary.container = content.kind;
  collector.summary.decompressedBytes = whole.length;
  if (content.kind === 'digest') readDigestInto(collector.summary, whole);
  content.entries.forEach((entry, index) => collector.take(entry, index, index));
  if (collector.rows.length > 0) {
    await sink({ rows: collector.rows, rawIndexes: collector.rawIndexes, block: containerBlock(original) });
  }
  return collector.finish();
}

/** A digest is small: its text is parsed once more, whole, for its fields. */
function readDigestInto(summary: FileParseSummary, whole: Buffer): void {
  const digest = readDigest(JSON.parse(whole.toString('utf8')));
  if ('error' in digest) summary.problems.push({ index: null, message: digest.error, severity: 'error' });
  else summary.digest = digest;
}

async function parseStreaming(source: Readable, filter: RecordFilter, sink: BatchSink): Promise<FileParseSummary> {
  const collector = new RecordCollector(filter, 'streaming');
  const storedHash = createHash('sha256');
  const compressed = new ByteCounter(storedHash);
  const contentHash = createHash('sha256');
  const limiter = new InflateGuard(() => compressed.seen, undefined, contentHash);
  const { stream: decoded, gzip } = await gunzipIfNeeded(source.pipe(compressed));
  source.on('error', (error) => compressed.destroy(error));
  const counted = decoded.pipe(limiter);
  decoded.on('error', (error) => counted.destroy(error));
  const container = sliceRecords(counted);
  let blockTexts: string[] = [];
  let recordIndexes: number[] = [];
  let index = 0;

  const flush = async (): Promise<void> => {
    if (collector.rows.length > 0) {
      await sink({ rows: collector.rows, rawIndexes: collector.rawIndexes, recordIndexes, block: linesBlock(blockTexts) });
    }
    collector.rows = [];
    collector.rawIndexes = [];
    recordIndexes = [];
    blockTexts = [];
  };

  try {
    for await (const { entry, text } of container.records) {
      const before = collector.rows.length;
      collector.take(entry, index, blockTexts.length);
      if (collector.rows.length > before) {
        if (text !== null) blockTexts.push(text);
        recordIndexes.push(index);
      }
      index += 1;
      if (collector.rows.length >= STREAM_BATCH_RECORDS) await flush();
    }
    await flush();
  } catch (error) {
    await flush();
    collector.summary.fileError = describeReadError(error, index);
  } finally {
    source.destroy();
  }
  collector.summary.container = container.kind();
  collector.summary.decompressedBytes = limiter.seen;
  if (collector.summary.fileError === null) {
    // Read to its end: both hashes cover the whole file (a non-gzip file's content is its bytes).
    collector.summary.storedSha256 = storedHash.digest('hex');
    collector.summary.contentSha256 = gzip ? contentHash.digest('hex') : collector.summary.storedSha256;
  }
  if (collector.summary.container === 'digest') {
    collector.summary.problems.push({ index: null, message: 'digest file too large to read its fields: not verified', severity: 'error' });
  }
  return collector.finish();
}

async function gunzipIfNeeded(source: Readable): Promise<{ stream: Readable; gzip: boolean }> {
  // Peek at the first two bytes: gzip is recognised by its magic number, never by name.
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head: Buffer = first.done ? Buffer.alloc(0) : Buffer.from(first.value as Buffer);
  async function* replay(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value as Buffer;
    }
  }
  const replayed = Readable.from(replay(), { objectMode: false });
  if (!isGzip(head)) return { stream: replayed, gzip: false };
  const gunzip = createGunzip();
  replayed.on('error', (error) => gunzip.destroy(error));
  return { stream: replayed.pipe(gunzip), gzip: true };
}

function describeReadError(error: unknown, recordsRead: number): string {
  const message = error instanceof Error ? error.message : String(error);
  const reason =
    gzipFailure(message) ?? (error instanceof SliceError ? `invalid JSON (${message}), truncated or damaged` : message.replace(/\s+/g, ' '));
  return `${reason}; kept ${recordsRead} record(s) read before the error`;
}
