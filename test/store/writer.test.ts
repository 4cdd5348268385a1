import { describe, expect, it } from 'vitest';
import { toWire } from '../../src/store/wire-batch.js';
import { normalizeRecord } from '../../src/parse/normalize.js';
import { linesBlock } from '../../src/parse/raw-block.js';
import { leaveBulkLoadMode, openDatabase, startBulkLoad } from '../../src/store/database.js';
import { EventWriter } from '../../src/store/writer.js';
import { eventId, record } from '../support/cloudtrail.js';
import { count, freshDatabasePath } from '../support/database.js';

function batchOf(ids: number[]): Parameters<EventWriter['writeBatch']>[1] {
  const records = ids.map((n) => record({ eventID: eventId(n) }));
  const rows = records.map((value) => {
    const normalized = normalizeRecord(value);
    if (!normalized.ok) throw new Error(normalized.reason);
    return normalized.row;
  });
  return toWire({ rows, rawIndexes: rows.map((_, i) => i), block: linesBlock(records.map((value) => JSON.stringify(value))) });
}

describe('event writer', () => {
  it('when a bulk load outgrows its in-memory duplicate check then the day\'s unique index takes over and no duplicate gets in', () => {
    const db = openDatabase(freshDatabasePath());
    try {
      startBulkLoad(db);
      expect(db.pragma('cache_size', { simple: true })).toBe(-16384);
      const writer = new EventWriter(db);
      writer.deferIndexesOfNewDays(4);
      const fileId = writer.startFile('file:///a.json.gz', 1, 'v1', 'log');
      // 1 and 2 repeat before the limit (caught in memory), 3 and 5 after it (caught by SQLite).
      const first = writer.writeBatch(fileId, batchOf([1, 2, 1, 3, 2, 4, 5, 3, 6, 5]));
      const second = writer.writeBatch(fileId, batchOf([6, 7, 1]));
      writer.commit();
      expect(first).toEqual({ inserted: 6, duplicates: 4 });
      expect(second).toEqual({ inserted: 1, duplicates: 2 });
      const table = db.prepare('SELECT table_name FROM event_partitions').pluck().get() as string;
      expect(count(db, `SELECT count(*) FROM sqlite_schema WHERE name = '${table}_event_id'`)).toBe(1);
      expect(count(db, `SELECT count(*) FROM sqlite_schema WHERE name = '${table}_identity_time'`)).toBe(0);
      // Random inserts into the live unique index get the writer's full cache back.
      expect(db.pragma('cache_size', { simple: true })).toBe(-65536);
      writer.buildDeferredIndexes();
      leaveBulkLoadMode(db);
      expect(count(db, `SELECT count(*) FROM sqlite_schema WHERE name = '${table}_identity_time'`)).toBe(1);
      expect(count(db, 'SELECT count(*) FROM event_partitions WHERE indexed = 0')).toBe(0);
      expect(count(db, 'SELECT count(*) FROM event_rows')).toBe(7);
      expect(count(db, 'SELECT count(DISTINCT event_id) FROM event_rows')).toBe(7);
    } finally {
      db.close();
    }
  });
});
