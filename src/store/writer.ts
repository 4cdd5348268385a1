/**
 * Batched writes. Everything one file contributes (its raw blocks, its rows, its
 * files-table entry) lands in the same transaction as its "done" status, so a kill at
 * any moment leaves either all of a file or none of it, and the next run redoes exactly
 * the files that are not marked done.
 */
import { EVENT_ROW_COLUMNS, INSTANCE_IDS_COLUMN } from '../parse/event-row.js';
import type { Statement } from 'better-sqlite3';
import { type DigestFile, digestChainOf } from '../parse/digest-file.js';
import { type Db, useWriterCache } from './database.js';
import { buildPartitionIndexes, createPartition, dayOf, hasUniqueIndex, nextRowId, type Partition, unindexedPartitions } from './partitions.js';
import { storageColumn } from './schema.js';
import { SeenEventIds } from './seen-event-ids.js';
import { INTERNED_POSITIONS, type WireBatch, wireTuples } from './wire-batch.js';

const EVENT_ID_COLUMN = EVENT_ROW_COLUMNS.indexOf('event_id');
const EVENT_TIME_COLUMN = EVENT_ROW_COLUMNS.indexOf('event_time');
/**
 * How many event IDs an ingest remembers in memory (32 bytes of table each) for the days
 * whose unique index it defers, before it builds those indexes and lets SQLite catch
 * duplicates from then on.
 */
export const IN_MEMORY_DEDUPE_LIMIT = 500_000;
/** Interned strings whose ids are kept in memory; past this the cache starts over. */
const STRING_CACHE_LIMIT = 100_000;

/** Ids of the strings stored once in the `strings` table, through a bounded cache. */
class StringIds {
  private readonly cache = new Map<string, number>();
  private readonly select;
  private readonly insert;

  constructor(db: Db) {
    this.select = db.prepare('SELECT string_id FROM strings WHERE text = ?').pluck();
    this.insert = db.prepare('INSERT INTO strings (text) VALUES (?)');
  }

  idOf(text: string): number {
    let id = this.cache.get(text);
    if (id === undefined) {
      id = (this.select.get(text) as number | undefined) ?? Number(this.insert.run(text).lastInsertRowid);
      if (this.cache.size >= STRING_CACHE_LIMIT) this.cache.clear();
      this.cache.set(text, id);
    }
    return id;
  }

  /** After a rollback, ids handed out in that transaction no longer exist. */
  forget(): void {
    this.cache.clear();
  }
}

export interface KnownFile {
  file_id: number;
  size: number | null;
  version: string | null;
  status: string;
  content_sha256: string | null;
}

export interface FileOutcome {
  uri: string;
  size: number;
  version: string;
  kind: 'log' | 'digest';
  status: 'done' | 'digest' | 'error' | 'warning' | 'failed';
  container: string | null;
  recordsSeen: number;
  inserted: number;
  duplicates: number;
  rejected: number;
  filtered: number;
  error: string | null;
  /** What the object was when read; absent for an object that was never read whole. */
  custody?: FileCustody;
}

/** Chain-of-custody facts of one source object (issue 17). */
export interface FileCustody {
  storedSha256: string | null;
  contentSha256: string | null;
  etag: string | null;
  signature: string | null;
  signatureAlgorithm: string | null;
  oldestEventTime: string | null;
  newestEventTime: string | null;
}

/**
 * A record whose eventID its day already holds with other content: not stored (the day's
 * eventID stays unique), and reported, since a re-delivery is an identical copy and this is
 * a sample artefact or tampering.
 */
export interface DuplicateConflict {
  eventId: string;
  eventTime: string;
  /** 0-based position of the record in its file. */
  recordIndex: number;
  /** The file the stored copy came from. */
  keptUri: string | null;
  /** Row columns whose values differ. */
  columns: string[];
}

export interface WrittenBatch {
  inserted: number;
  duplicates: number;
  /** Of the duplicates, those that differ from the stored row. */
  conflicts: DuplicateConflict[];
}

export interface ProblemRow {
  uri: string;
  index: number | null;
  severity: 'error' | 'warning';
  message: string;
}

/** A day's table as the writer uses it in this run. */
interface DayTable {
  partition: Partition;
  insert: Statement;
  selectEventId: Statement;
  /** Its place in `dayList`: the in-memory duplicate check remembers it with each row id. */
  ordinal: number;
  /** False for a day this run created with its indexes deferred: its duplicates are caught in memory until then. */
  uniqueIndexBuilt: boolean;
  /** A duplicate's stored copy, found by row id (the in-memory check names it) or by event_id (the unique index kept it); prepared on the day's first duplicate of each. */
  storedCopy: Partial<Record<StoredCopyKey, StoredCopy>>;
}

type StoredCopyKey = 'rowid' | 'event_id';

/** How a duplicate is compared with its stored copy: quickly as a whole, then column by column if that differs. */
interface StoredCopy {
  /** 1 when the row columns, as one JSON array, equal the duplicate's. */
  same: Statement;
  /** The stored row's file and, per row column, whether the duplicate's value equals it. */
  differences: Statement;
}

/**
 * Re-deliveries are the common duplicate, so `same` is cheap: one bound text instead of a
 * value per column, whose binding was most of the cost (writer alone, per duplicate: 13 µs
 * more than before the comparison column by column, 6.5 µs as one text). Equal texts are
 * equal values. Unequal ones may still be equal values (a lone surrogate reads back as another
 * text), so `differences` decides: SQLite compares (`IS`), converting each bound value as the
 * insert converted it.
 */
function storedCopyStatements(db: Db, table: string, key: StoredCopyKey): StoredCopy {
  const columns = EVENT_ROW_COLUMNS.map((column) => `stored.${storageColumn(column)}`);
  return {
    same: db.prepare(`SELECT 1 FROM ${table} AS stored WHERE stored.${key} = ? AND json_array(${columns.join(', ')}) = ?`).pluck(),
    differences: db
      .prepare(`SELECT (SELECT uri FROM files WHERE files.file_id = stored.file_id), ${columns.map((column) => `${column} IS ?`).join(', ')} FROM ${table} AS stored WHERE stored.${key} = ?`)
      .raw(),
  };
}

/** The store failed under the writer (its transaction was lost): the ingest must stop, not go on file by file. */
export class StoreFailure extends Error {}

export class EventWriter {
  private readonly insertColumns: string;
  private readonly insertInstance;
  private readonly insertBlock;
  private readonly deleteBlock;
  private readonly upsertFile;
  private readonly finishFileStatement;
  private readonly selectFile;
  private readonly insertProblem;
  private readonly deleteDigest;
  private readonly deleteDigestLogFiles;
  private readonly insertDigest;
  private readonly insertDigestLogFile;
  private readonly selectPartition;
  private readonly days = new Map<string, DayTable>();
  private readonly dayList: DayTable[] = [];
  private lastDay: DayTable | null = null;
  /** Whether this writer began a transaction it has not ended (begin() compares it with SQLite's own state). */
  private transactionOpen = false;
  /** The next id of the one row-id sequence of every day; null: read it from the database first. */
  private nextRowId: number | null = null;
  /** Whether days this run creates get their indexes at the end (deferIndexesOfNewDays). */
  private deferNewDays = false;
  /** Event IDs written so far to days whose unique index is deferred; null when SQLite enforces it. */
  private seenEventIds: SeenEventIds | null = null;
  private dedupeLimit = IN_MEMORY_DEDUPE_LIMIT;
  private readonly stringIds: StringIds;

  constructor(private readonly db: Db) {
    this.stringIds = new StringIds(db);
    this.insertColumns = ['rowid', ...EVENT_ROW_COLUMNS.map(storageColumn), 'file_id', 'raw_block', 'raw_index'].join(', ');
    this.selectPartition = db.prepare('SELECT day, table_name AS "table" FROM event_partitions WHERE day = ?');
    this.insertInstance = db.prepare('INSERT OR IGNORE INTO event_instances (instance_id, event_rowid) VALUES (?, ?)');
    this.insertBlock = db.prepare('INSERT INTO raw_blocks (file_id, codec, bytes) VALUES (?, ?, ?)');
    this.deleteBlock = db.prepare('DELETE FROM raw_blocks WHERE block_id = ?');
    this.upsertFile = db.prepare(
      `INSERT INTO files (uri, size, version, kind, status, ingested_at) VALUES (?, ?, ?, ?, 'ingesting', ?)
       ON CONFLICT(uri) DO UPDATE SET size = excluded.size, version = excluded.version, kind = excluded.kind,
         status = 'ingesting', ingested_at = excluded.ingested_at
       RETURNING file_id`,
    );
    this.finishFileStatement = db.prepare(
      `UPDATE files SET status = @status, container = @container, records_seen = @recordsSeen,
         events_inserted = events_inserted + @inserted, duplicates = @duplicates, rejected = @rejected,
         filtered = @filtered, error = @error, ingested_at = @at,
         stored_sha256 = @storedSha256, content_sha256 = @contentSha256, etag = @etag, signature = @signature,
         signature_algorithm = @signatureAlgorithm, oldest_event_time = @oldestEventTime, newest_event_time = @newestEventTime
       WHERE file_id = @fileId`,
    );
    this.deleteDigest = db.prepare('DELETE FROM digests WHERE file_id = ?');
    this.deleteDigestLogFiles = db.prepare('DELETE FROM digest_log_files WHERE digest_file_id = ?');
    this.insertDigest = db.prepare(
      `INSERT INTO digests (file_id, account_id, region, trail_name, aws_account_id, digest_start_time, digest_end_time,
         digest_s3_bucket, digest_s3_object, public_key_fingerprint, signature_algorithm, oldest_event_time, newest_event_time,
         previous_s3_bucket, previous_s3_object, previous_hash_value, previous_hash_algorithm, previous_signature)
       VALUES (@fileId, @accountId, @region, @trailName, @awsAccountId, @digestStartTime, @digestEndTime,
         @digestS3Bucket, @digestS3Object, @digestPublicKeyFingerprint, @digestSignatureAlgorithm, @oldestEventTime, @newestEventTime,
         @previousDigestS3Bucket, @previousDigestS3Object, @previousDigestHashValue, @previousDigestHashAlgorithm, @previousDigestSignature)`,
    );
    this.insertDigestLogFile = db.prepare(
      `INSERT INTO digest_log_files (digest_file_id, position, s3_bucket, s3_object, hash_value, hash_algorithm, oldest_event_time, newest_event_time)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.selectFile = db.prepare('SELECT file_id, size, version, status, content_sha256 FROM files WHERE uri = ?');
    this.insertProblem = db.prepare(
      'INSERT INTO ingest_errors (logged_at, uri, record_index, severity, message) VALUES (?, ?, ?, ?, ?)',
    );
  }

  /**
   * Days this run creates get their indexes once, at the end (buildDeferredIndexes), not row
   * by row: keeping indexes on random keys up to date costs more than building them after,
   * and a unique index on random UUIDs about a quarter of the insert cost. Their duplicates
   * are caught in memory meanwhile, up to `limit` IDs; past that their unique indexes are
   * built and SQLite catches duplicates from then on. Days already stored keep live indexes.
   */
  deferIndexesOfNewDays(limit = IN_MEMORY_DEDUPE_LIMIT): void {
    this.deferNewDays = true;
    this.dedupeLimit = limit;
    // A remembered ID counts only in the row's own day (check's place): one eventID in two days is two records (partitions.ts).
    this.seenEventIds = new SeenEventIds(limit, (rowId, place) => this.dayList[place]?.selectEventId.get(rowId) as string | undefined);
  }

  /**
   * Builds what the days created with deferred indexes lack (and those of any earlier run
   * that was killed before it could), committed. `building` hears of each table first.
   */
  buildDeferredIndexes(building?: (index: number, total: number) => void): void {
    this.seenEventIds = null;
    this.deferNewDays = false;
    this.commit();
    const pending = unindexedPartitions(this.db);
    pending.forEach((partition, index) => {
      building?.(index, pending.length);
      this.db.transaction(() => buildPartitionIndexes(this.db, partition)).immediate();
    });
    for (const day of this.days.values()) day.uniqueIndexBuilt = true;
  }

  /**
   * The day table of a row's event_time. Consecutive rows nearly always share a day: checking
   * the last day's prefix first took dayOf's pattern match (0.1 s per 300k rows, cpu-prof) off
   * the writer thread, which is what bounds an append.
   */
  private dayTableOf(eventTime: string): DayTable {
    const last = this.lastDay;
    if (last && eventTime.startsWith(last.partition.day)) return last;
    this.lastDay = this.dayTable(dayOf(eventTime));
    return this.lastDay;
  }

  /** The table of the row's day: known to this run, stored by an earlier one, or new (created in the open transaction). */
  private dayTable(day: string): DayTable {
    let table = this.days.get(day);
    if (table) return table;
    const stored = this.selectPartition.get(day) as Partition | undefined;
    const deferred = stored === undefined && this.deferNewDays;
    const partition = stored ?? createPartition(this.db, day, deferred);
    // A stored day may lack its unique index: created deferred earlier in this run (and the
    // memory of it is what dedupes it), or its index lost with a rolled-back transaction.
    const uniqueIndexBuilt = stored === undefined ? !deferred : hasUniqueIndex(this.db, partition);
    table = {
      partition,
      insert: this.db.prepare(`INSERT OR IGNORE INTO ${partition.table} (${this.insertColumns}) VALUES (${this.insertColumns.split(', ').map(() => '?').join(', ')})`),
      selectEventId: this.db.prepare(`SELECT event_id FROM ${partition.table} WHERE rowid = ?`).pluck(),
      ordinal: this.dayList.length,
      uniqueIndexBuilt,
      storedCopy: {},
    };
    // Without in-memory deduplication (it overflowed, or was never asked for), a day gets its unique index at once.
    if (!uniqueIndexBuilt && this.seenEventIds === null) {
      buildPartitionIndexes(this.db, partition, true);
      table.uniqueIndexBuilt = true;
    }
    this.days.set(day, table);
    this.dayList.push(table);
    return table;
  }

  knownFile(uri: string): KnownFile | undefined {
    return this.selectFile.get(uri) as KnownFile | undefined;
  }

  /**
   * SQLite itself may end a transaction: a full disk rolls it back, and with it every row,
   * day table and index this writer put in it since the last commit. Carrying on would mark
   * files done whose rows are gone and lose the in-memory duplicate check's footing, so the
   * next write after that fails the whole ingest instead (what is committed stays).
   */
  begin(): void {
    if (this.db.inTransaction) return;
    if (this.transactionOpen) {
      this.transactionOpen = false;
      throw new StoreFailure('the database rolled back the open transaction by itself (is the disk full?); what was committed is kept: free space and run the same ingest again');
    }
    this.db.exec('BEGIN IMMEDIATE');
    this.transactionOpen = true;
  }

  commit(): void {
    if (this.db.inTransaction) this.db.exec('COMMIT');
    this.transactionOpen = false;
  }

  rollback(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.transactionOpen = false;
    this.stringIds.forget();
    // Days created in the transaction are gone with it; the rest are looked up again.
    this.days.clear();
    this.dayList.length = 0;
    this.lastDay = null;
    this.nextRowId = null;
  }

  /** Claims a files-table row for this object; the returned id tags its rows and blocks. */
  startFile(uri: string, size: number, version: string, kind: 'log' | 'digest'): number {
    this.begin();
    const row = this.upsertFile.get(uri, size, version, kind, new Date().toISOString()) as { file_id: number };
    return row.file_id;
  }

  /** Writes one batch; returns how many rows were new, how many were already stored, and which of those differ from the stored row. */
  writeBatch(fileId: number, batch: WireBatch): WrittenBatch {
    this.begin();
    const blockId = Number(this.insertBlock.run(fileId, batch.block.codec, batch.block.bytes).lastInsertRowid);
    let inserted = 0;
    const conflicts: DuplicateConflict[] = [];
    const width = EVENT_ROW_COLUMNS.length;
    const tuples = wireTuples(batch);
    const stringIds = batch.strings.map((text) => this.stringIds.idOf(text));
    for (let position = 0; position < tuples.length; position += 1) {
      // Tuples are single-use: interned ids and the three storage columns go in place, no copy.
      const tuple = tuples[position]!;
      // Before the duplicate check: a duplicate is compared with the stored row by string id.
      for (const column of INTERNED_POSITIONS) {
        const stringAt = tuple[column];
        if (typeof stringAt === 'number') tuple[column] = stringIds[stringAt];
      }
      const day = this.dayTableOf(tuple[EVENT_TIME_COLUMN] as string);
      // Duplicates share their eventTime, so their day: only days without a unique index yet need the memory.
      const seenEventIds = day.uniqueIndexBuilt ? null : this.seenEventIds;
      const seen = seenEventIds?.check(tuple[EVENT_ID_COLUMN] as string, day.ordinal);
      if (seen === 'seen') {
        this.compareWithStored(day, 'rowid', seenEventIds!.seenRowId, tuple, batch, position, conflicts);
        continue;
      }
      if (seen === 'overflow') this.stopDeduplicatingInMemory();
      tuple[width] = fileId;
      tuple[width + 1] = blockId;
      tuple[width + 2] = batch.rawIndexes[position];
      // Spread, not the array: better-sqlite3 then reads each value straight off the call's
      // arguments instead of fetching array elements one by one (writer CPU -0.9 s, A/B).
      this.nextRowId ??= nextRowId(this.db);
      const rowId = this.nextRowId;
      const result = day.insert.run(rowId, ...tuple);
      if (result.changes === 0) {
        // The day's unique index kept the stored copy.
        this.compareWithStored(day, 'event_id', tuple[EVENT_ID_COLUMN], tuple, batch, position, conflicts);
        continue;
      }
      this.nextRowId += 1;
      inserted += 1;
      if (seen === 'new' && this.seenEventIds) {
        this.seenEventIds.remember(rowId, day.ordinal);
        if (this.seenEventIds.size >= this.dedupeLimit) this.stopDeduplicatingInMemory();
      }
      const instanceIds = tuple[INSTANCE_IDS_COLUMN];
      if (typeof instanceIds === 'string') {
        for (const instanceId of instanceIds.split(' ')) this.insertInstance.run(instanceId, result.lastInsertRowid);
      }
    }
    // A block whose every record was a duplicate would be dead weight.
    if (inserted === 0) this.deleteBlock.run(blockId);
    return { inserted, duplicates: tuples.length - inserted, conflicts };
  }

  /** A duplicate's row columns against its stored copy's (found by `key`): a difference is a conflict. */
  private compareWithStored(
    day: DayTable,
    key: StoredCopyKey,
    keyValue: unknown,
    tuple: unknown[],
    batch: WireBatch,
    position: number,
    conflicts: DuplicateConflict[],
  ): void {
    const statements = (day.storedCopy[key] ??= storedCopyStatements(this.db, day.partition.table, key));
    const values = tuple.slice(0, EVENT_ROW_COLUMNS.length);
    if (statements.same.get(keyValue, JSON.stringify(values)) === 1) return;
    const stored = statements.differences.get(...values, keyValue) as unknown[] | undefined;
    if (stored === undefined) return;
    const columns = EVENT_ROW_COLUMNS.filter((_, column) => stored[column + 1] !== 1);
    if (columns.length === 0) return;
    conflicts.push({
      eventId: tuple[EVENT_ID_COLUMN] as string,
      eventTime: tuple[EVENT_TIME_COLUMN] as string,
      recordIndex: batch.recordIndexes?.[position] ?? batch.rawIndexes[position]!,
      keptUri: stored[0] as string | null,
      columns,
    });
  }

  /** From here on every row enters its day's unique index, which rejects duplicates itself. */
  private stopDeduplicatingInMemory(): void {
    for (const day of this.days.values()) {
      if (day.uniqueIndexBuilt) continue;
      buildPartitionIndexes(this.db, day.partition, true);
      day.uniqueIndexBuilt = true;
    }
    this.seenEventIds = null;
    useWriterCache(this.db);
  }

  finishFile(fileId: number, outcome: FileOutcome): void {
    this.begin();
    this.finishFileStatement.run({
      fileId,
      status: outcome.status,
      container: outcome.container,
      recordsSeen: outcome.recordsSeen,
      inserted: outcome.inserted,
      duplicates: outcome.duplicates,
      rejected: outcome.rejected,
      filtered: outcome.filtered,
      error: outcome.error,
      at: new Date().toISOString(),
      storedSha256: outcome.custody?.storedSha256 ?? null,
      contentSha256: outcome.custody?.contentSha256 ?? null,
      etag: outcome.custody?.etag ?? null,
      signature: outcome.custody?.signature ?? null,
      signatureAlgorithm: outcome.custody?.signatureAlgorithm ?? null,
      oldestEventTime: outcome.custody?.oldestEventTime ?? null,
      newestEventTime: outcome.custody?.newestEventTime ?? null,
    });
  }

  /**
   * A digest's fields and listed log files, replacing what an earlier version of the same
   * object left. The chain comes from the name the digest gives itself, else from where it lies.
   */
  recordDigest(fileId: number, uri: string, digest: DigestFile | null): void {
    this.begin();
    this.deleteDigestLogFiles.run(fileId);
    this.deleteDigest.run(fileId);
    if (!digest) return;
    const chain = (digest.digestS3Object !== null ? digestChainOf(digest.digestS3Object) : null) ?? digestChainOf(uri);
    const { logFiles, ...fields } = digest;
    this.insertDigest.run({
      fileId,
      accountId: chain?.accountId ?? digest.awsAccountId,
      region: chain?.region ?? null,
      trailName: chain?.trailName ?? null,
      ...fields,
    });
    logFiles.forEach((logFile, position) =>
      this.insertDigestLogFile.run(
        fileId,
        position,
        logFile.s3Bucket,
        logFile.s3Object,
        logFile.hashValue,
        logFile.hashAlgorithm,
        logFile.oldestEventTime,
        logFile.newestEventTime,
      ),
    );
  }

  logProblem(problem: ProblemRow): void {
    this.begin();
    this.insertProblem.run(new Date().toISOString(), problem.uri, problem.index, problem.severity, problem.message);
  }
}
