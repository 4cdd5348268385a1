/**
 * Columns a migration adds, and columns whose derivation it changed, are derived again for
 * the rows already stored from their raw records, with the same normalizer ingest uses, so
 * an upgraded database answers exactly as a fresh ingest of the same files would.
 */
import type { EventRow, EventRowColumn } from '../parse/event-row.js';
import { normalizeRecord } from '../parse/normalize.js';
import { decodeBlock, type DecodedBlock } from '../parse/raw-block.js';
import type { Db } from './database.js';
import { SCHEMA_2_INTERNED_COLUMNS, SCHEMA_3_ROW_COLUMNS } from './migrations/frozen-columns.js';

const PAGE_ROWS = 20_000;
const INTERNED = new Set<string>(SCHEMA_2_INTERNED_COLUMNS);
/**
 * Every column of schema 3 read from the record's own fields (the interned ones are copied as
 * they are and never changed derivation). Frozen: the backfill runs on schema 3's table.
 */
const DERIVED_COLUMNS: readonly EventRowColumn[] = SCHEMA_3_ROW_COLUMNS.filter((column) => column !== 'event_id' && !INTERNED.has(column));

/** Re-derives every stored row's columns and instance links (schema 3); returns how many rows changed. */
export function rederiveRows(db: Db): number {
  // Pages by rowid: better-sqlite3 cannot update while a select on the connection is still open.
  const page = db.prepare('SELECT rowid, raw_block, raw_index FROM event_rows WHERE rowid > ? ORDER BY rowid LIMIT ?').raw();
  const readBlock = db.prepare('SELECT codec, bytes FROM raw_blocks WHERE block_id = ?');
  const current = db.prepare(`SELECT ${DERIVED_COLUMNS.join(', ')} FROM event_rows WHERE rowid = ?`);
  const update = db.prepare(`UPDATE event_rows SET ${DERIVED_COLUMNS.map((column) => `${column} = ?`).join(', ')} WHERE rowid = ?`);
  const link = db.prepare('INSERT OR IGNORE INTO event_instances (instance_id, event_rowid) VALUES (?, ?)');
  // Rows arrive in insertion order, which is block order: one decoded block is enough.
  let decoded: DecodedBlock | null = null;
  let decodedId = -1;
  let changed = 0;
  let after = 0;
  for (;;) {
    const rows = page.all(after, PAGE_ROWS) as Array<[number, number, number]>;
    if (rows.length === 0) return changed;
    for (const [rowId, blockId, position] of rows) {
      after = rowId;
      if (blockId !== decodedId) {
        const stored = readBlock.get(blockId) as { codec: string; bytes: Buffer } | undefined;
        decoded = stored ? decodeBlock(stored.codec, stored.bytes) : null;
        decodedId = blockId;
      }
      const text = decoded?.recordText(position);
      if (!text) continue;
      const normalized = normalizeRecord(JSON.parse(text));
      if (!normalized.ok) continue;
      const row: EventRow = normalized.row;
      const before = current.get(rowId) as Record<string, unknown>;
      if (DERIVED_COLUMNS.every((column) => before[column] === row[column])) continue;
      update.run(...DERIVED_COLUMNS.map((column) => row[column]), rowId);
      for (const instanceId of row.instance_ids?.split(' ') ?? []) link.run(instanceId, rowId);
      changed += 1;
    }
  }
}
