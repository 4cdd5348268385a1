/**
 * Batched writes. Everything one file contributes (its raw blocks, its rows, its
 * files-table entry) lands in the same transaction as its "done" status, so a kill at
 * any moment leaves either all of a file or none of it, and the next run redoes exactly
 * the files that are not marked done.
 */
import { EVENT_ROW_COLUMNS, INSTANCE_IDS_COLUMN } from '../parse/event-row.js';
import { INTERNED_POSITIONS, type WireBatch, wireTuples } from '../ingest/parse-protocol.js';
import { createEventIdIndex, type Db } from './database.js';
import { storageColumn } from './schema.js';
import { SeenEventIds } from './seen-event-ids.js';

const EVENT_ID_COLUMN = EVENT_ROW_COLUMNS.indexOf('event_id');
/**
 * How many event IDs a bulk load remembers in memory (32 bytes of table each) before it
 * builds the unique index and lets SQLite catch duplicates from then on.
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
}

export interface ProblemRow {
  uri: string;
  index: number | null;
  severity: 'error' | 'warning';
  message: string;
}

export class EventWriter {
  private readonly insertRow;
  private readonly insertInstance;
  private readonly insertBlock;
  private readonly deleteBlock;
  private readonly upsertFile;
  private readonly finishFileStatement;
  private readonly selectFile;
  private readonly insertProblem;
  private readonly selectEventId;
  /** Event IDs written so far while the unique index is deferred; null when SQLite enforces it. */
  private seenEventIds: SeenEventIds | null = null;
  private dedupeLimit = IN_MEMORY_DEDUPE_LIMIT;
  private readonly stringIds: StringIds;

  constructor(private readonly db: Db) {
    this.stringIds = new StringIds(db);
    const columns = [...EVENT_ROW_COLUMNS.map(storageColumn), 'file_id', 'raw_block', 'raw_index'];
    this.insertRow = db.prepare(
      `INSERT OR IGNORE INTO event_rows (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
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
         filtered = @filtered, error = @error, ingested_at = @at
       WHERE file_id = @fileId`,
    );
    this.selectFile = db.prepare('SELECT file_id, size, version, status FROM files WHERE uri = ?');
    this.insertProblem = db.prepare(
      'INSERT INTO ingest_errors (logged_at, uri, record_index, severity, message) VALUES (?, ?, ?, ?, ?)',
    );
    this.selectEventId = db.prepare('SELECT event_id FROM event_rows WHERE rowid = ?').pluck();
  }

  /**
   * For a bulk load into an empty database whose event_id index was dropped: keeping
   * a unique index on random UUIDs up to date row by row is about a quarter of the insert cost,
   * so duplicates are caught here and the index is built once, at the end or when the
   * load outgrows IN_MEMORY_DEDUPE_LIMIT.
   */
  deduplicateInMemory(limit = IN_MEMORY_DEDUPE_LIMIT): void {
    this.seenEventIds = new SeenEventIds(limit, (rowId) => this.selectEventId.get(rowId) as string | undefined);
    this.dedupeLimit = limit;
  }

  /** Before the unique index is built at the end of a bulk load: the memory goes to the build. */
  forgetSeenEventIds(): void {
    this.seenEventIds = null;
  }

  knownFile(uri: string): KnownFile | undefined {
    return this.selectFile.get(uri) as KnownFile | undefined;
  }

  // SQLite itself may end a transaction (a full disk rolls it back), so ask it, not a flag.
  begin(): void {
    if (!this.db.inTransaction) this.db.exec('BEGIN IMMEDIATE');
  }

  commit(): void {
    if (this.db.inTransaction) this.db.exec('COMMIT');
  }

  rollback(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.stringIds.forget();
  }

  /** Claims a files-table row for this object; the returned id tags its rows and blocks. */
  startFile(uri: string, size: number, version: string, kind: 'log' | 'digest'): number {
    this.begin();
    const row = this.upsertFile.get(uri, size, version, kind, new Date().toISOString()) as { file_id: number };
    return row.file_id;
  }

  /** Writes one batch; returns how many rows were new and how many were already stored. */
  writeBatch(fileId: number, batch: WireBatch): { inserted: number; duplicates: number } {
    this.begin();
    const blockId = Number(this.insertBlock.run(fileId, batch.block.codec, batch.block.bytes).lastInsertRowid);
    let inserted = 0;
    const width = EVENT_ROW_COLUMNS.length;
    const tuples = wireTuples(batch);
    const stringIds = batch.strings.map((text) => this.stringIds.idOf(text));
    for (let position = 0; position < tuples.length; position += 1) {
      // Tuples are single-use: the three storage columns are appended in place, no copy.
      const tuple = tuples[position]!;
      const seen = this.seenEventIds?.check(tuple[EVENT_ID_COLUMN] as string);
      if (seen === 'seen') continue;
      if (seen === 'overflow') this.stopDeduplicatingInMemory();
      for (const column of INTERNED_POSITIONS) {
        const stringAt = tuple[column];
        if (typeof stringAt === 'number') tuple[column] = stringIds[stringAt];
      }
      tuple[width] = fileId;
      tuple[width + 1] = blockId;
      tuple[width + 2] = batch.rawIndexes[position];
      // Spread, not the array: better-sqlite3 then reads each value straight off the call's
      // arguments instead of fetching array elements one by one (writer CPU -0.9 s, A/B).
      const result = this.insertRow.run(...tuple);
      if (result.changes === 0) continue;
      inserted += 1;
      if (seen === 'new' && this.seenEventIds) {
        this.seenEventIds.remember(Number(result.lastInsertRowid));
        if (this.seenEventIds.size >= this.dedupeLimit) this.stopDeduplicatingInMemory();
      }
      const instanceIds = tuple[INSTANCE_IDS_COLUMN];
      if (typeof instanceIds === 'string') {
        for (const instanceId of instanceIds.split(' ')) this.insertInstance.run(instanceId, result.lastInsertRowid);
      }
    }
    // A block whose every record was a duplicate would be dead weight.
    if (inserted === 0) this.deleteBlock.run(blockId);
    return { inserted, duplicates: tuples.length - inserted };
  }

  /** From here on every row enters the unique index, which rejects duplicates itself. */
  private stopDeduplicatingInMemory(): void {
    createEventIdIndex(this.db);
    this.seenEventIds = null;
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
    });
  }

  logProblem(problem: ProblemRow): void {
    this.begin();
    this.insertProblem.run(new Date().toISOString(), problem.uri, problem.index, problem.severity, problem.message);
  }
}
