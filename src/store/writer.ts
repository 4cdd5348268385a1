/**
 * Batched writes. Everything one file contributes (its raw blocks, its rows, its
 * files-table entry) lands in the same transaction as its "done" status, so a kill at
 * any moment leaves either all of a file or none of it, and the next run redoes exactly
 * the files that are not marked done.
 */
import { EVENT_ROW_COLUMNS } from '../parse/event-row.js';
import type { ParsedBatch } from '../parse/log-file.js';
import type { Db } from './database.js';

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
  private inTransaction = false;

  constructor(private readonly db: Db) {
    const columns = [...EVENT_ROW_COLUMNS, 'file_id', 'raw_block', 'raw_index'];
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
  }

  knownFile(uri: string): KnownFile | undefined {
    return this.selectFile.get(uri) as KnownFile | undefined;
  }

  begin(): void {
    if (this.inTransaction) return;
    this.db.exec('BEGIN IMMEDIATE');
    this.inTransaction = true;
  }

  commit(): void {
    if (!this.inTransaction) return;
    this.db.exec('COMMIT');
    this.inTransaction = false;
  }

  rollback(): void {
    if (!this.inTransaction) return;
    this.db.exec('ROLLBACK');
    this.inTransaction = false;
  }

  /** Claims a files-table row for this object; the returned id tags its rows and blocks. */
  startFile(uri: string, size: number, version: string, kind: 'log' | 'digest'): number {
    this.begin();
    const row = this.upsertFile.get(uri, size, version, kind, new Date().toISOString()) as { file_id: number };
    return row.file_id;
  }

  /** Writes one batch; returns how many rows were new and how many were already stored. */
  writeBatch(fileId: number, batch: ParsedBatch): { inserted: number; duplicates: number } {
    this.begin();
    const blockId = Number(this.insertBlock.run(fileId, batch.block.codec, batch.block.bytes).lastInsertRowid);
    let inserted = 0;
    const values: unknown[] = new Array(EVENT_ROW_COLUMNS.length + 3);
    batch.rows.forEach((row, position) => {
      EVENT_ROW_COLUMNS.forEach((column, i) => {
        values[i] = row[column];
      });
      values[EVENT_ROW_COLUMNS.length] = fileId;
      values[EVENT_ROW_COLUMNS.length + 1] = blockId;
      values[EVENT_ROW_COLUMNS.length + 2] = batch.rawIndexes[position];
      const result = this.insertRow.run(values);
      if (result.changes === 0) return;
      inserted += 1;
      if (row.instance_ids) {
        for (const instanceId of row.instance_ids.split(' ')) this.insertInstance.run(instanceId, result.lastInsertRowid);
      }
    });
    // A block whose every record was a duplicate would be dead weight.
    if (inserted === 0) this.deleteBlock.run(blockId);
    return { inserted, duplicates: batch.rows.length - inserted };
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
