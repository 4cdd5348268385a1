/**
 * Columns a migration adds are derived for the rows already stored from their raw
 * records, with the same normalizer ingest uses, so an upgraded database answers exactly
 * as a fresh ingest of the same files would.
 */
import { normalizeRecord } from '../parse/normalize.js';
import { decodeBlock, type DecodedBlock } from '../parse/raw-block.js';
import type { Db } from './database.js';

const PAGE_ROWS = 20_000;

/** Fills event_rows.details (schema 3) from each row's original record; returns how many rows got details. */
export function backfillDetails(db: Db): number {
  // Pages by rowid: better-sqlite3 cannot update while a select on the connection is still open.
  const page = db.prepare('SELECT rowid, raw_block, raw_index FROM event_rows WHERE rowid > ? ORDER BY rowid LIMIT ?').raw();
  const readBlock = db.prepare('SELECT codec, bytes FROM raw_blocks WHERE block_id = ?');
  const update = db.prepare('UPDATE event_rows SET details = ? WHERE rowid = ?');
  // Rows arrive in insertion order, which is block order: one decoded block is enough.
  let decoded: DecodedBlock | null = null;
  let decodedId = -1;
  let updated = 0;
  let after = 0;
  for (;;) {
    const rows = page.all(after, PAGE_ROWS) as Array<[number, number, number]>;
    if (rows.length === 0) return updated;
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
      if (normalized.ok && normalized.row.details !== null) {
        update.run(normalized.row.details, rowId);
        updated += 1;
      }
    }
  }
}
