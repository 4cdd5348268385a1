/** One table per day behind the event_rows view: routing, row ids, deferred indexes, duplicates, recovery, plans. */
import { describe, expect, it } from 'vitest';
import { toWire } from '../../src/store/wire-batch.js';
import { normalizeRecord } from '../../src/parse/normalize.js';
import { linesBlock } from '../../src/parse/raw-block.js';
import { type Db, openDatabase } from '../../src/store/database.js';
import { PARTITION_INDEXES, dayOf, partitionTable, UNDATED } from '../../src/store/partitions.js';
import { SqliteEvidence } from '../../src/store/evidence.js';
import { EventWriter, StoreFailure, type WrittenBatch } from '../../src/store/writer.js';
import { eventId, record } from '../support/cloudtrail.js';
import { count, freshDatabasePath } from '../support/database.js';

type Shape = { n: number; time: string; arn?: string };

function batchOf(shapes: Shape[]): Parameters<EventWriter['writeBatch']>[1] {
  const records = shapes.map(({ n, time, arn }) =>
    // The requestID follows the event, so a repeated shape is an identical copy: a re-delivery.
    record({ eventID: eventId(n), requestID: `req-${n}`, eventTime: time, ...(arn ? { userIdentity: { type: 'IAMUser', arn, accountId: '111111111111', principalId: 'AIDA1' } } : {}) }),
  );
  const rows = records.map((value) => {
    const normalized = normalizeRecord(value);
    if (!normalized.ok) throw new Error(normalized.reason);
    return normalized.row;
  });
  return toWire({ rows, rawIndexes: rows.map((_, i) => i), block: linesBlock(records.map((value) => JSON.stringify(value))) });
}

/** One ingest-like run: rows written, then the new days' indexes built unless `killed` before that. */
function run(db: Db, uri: string, shapes: Shape[], killed = false): WrittenBatch {
  const writer = new EventWriter(db);
  writer.deferIndexesOfNewDays();
  const fileId = writer.startFile(uri, 1, 'v1', 'log');
  const counts = writer.writeBatch(fileId, batchOf(shapes));
  writer.commit();
  if (!killed) writer.buildDeferredIndexes();
  return counts;
}

const indexesOf = (db: Db, table: string): string[] =>
  (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ?").pluck().all(table) as string[]).sort();
const allIndexes = (table: string): string[] => PARTITION_INDEXES.map((index) => `${table}_${index.suffix}`).sort();

describe('day tables', () => {
  it('when rows of three days are written then each day has its own fully indexed table, all under event_rows, with one row-id sequence', () => {
    const db = openDatabase(freshDatabasePath());
    try {
      run(db, 'file:///a', [
        { n: 1, time: '2026-03-05T23:59:59Z' },
        { n: 2, time: '2026-03-06T00:00:00Z' },
        { n: 3, time: '2026-03-06T12:00:00Z' },
        { n: 4, time: '2026-04-01T08:00:00Z' },
      ]);
      const days = db.prepare('SELECT day, table_name, indexed FROM event_partitions ORDER BY day').raw().all();
      expect(days).toEqual([
        ['2026-03-05', 'event_rows_20260305', 1],
        ['2026-03-06', 'event_rows_20260306', 1],
        ['2026-04-01', 'event_rows_20260401', 1],
      ]);
      for (const [, table] of days as string[][]) expect(indexesOf(db, table!)).toEqual(allIndexes(table!));
      expect(count(db, 'SELECT count(*) FROM event_rows_20260306')).toBe(2);
      // In write order across days, and small: a row id is in every index entry.
      expect(db.prepare('SELECT rowid FROM events ORDER BY event_time').pluck().all()).toEqual([1, 2, 3, 4]);
    } finally {
      db.close();
    }
  });

  it('when a stored day gets more rows then they enter its live indexes, duplicates of stored rows are dropped, and numbering goes on', () => {
    const db = openDatabase(freshDatabasePath());
    try {
      run(db, 'file:///a', [{ n: 1, time: '2026-03-06T01:00:00Z' }, { n: 2, time: '2026-03-06T02:00:00Z' }]);
      const writer = new EventWriter(db);
      writer.deferIndexesOfNewDays();
      const fileId = writer.startFile('file:///b', 1, 'v1', 'log');
      // The same delivery again (org trail and account trail), one new event of that day, one of a new day.
      const counts = writer.writeBatch(fileId, batchOf([{ n: 1, time: '2026-03-06T01:00:00Z' }, { n: 3, time: '2026-03-06T03:00:00Z' }, { n: 4, time: '2026-03-07T00:00:00Z' }]));
      // Before the build: the stored day kept every index, the new day has only the live partial ones.
      expect(indexesOf(db, 'event_rows_20260306')).toEqual(allIndexes('event_rows_20260306'));
      expect(indexesOf(db, 'event_rows_20260307')).toEqual(
        PARTITION_INDEXES.filter((index) => !index.deferrable).map((index) => `event_rows_20260307_${index.suffix}`).sort(),
      );
      writer.commit();
      writer.buildDeferredIndexes();
      expect(counts).toEqual({ inserted: 2, duplicates: 1, conflicts: [] });
      expect(db.prepare('SELECT rowid FROM events WHERE event_id = ?').pluck().get(eventId(3))).toBe(3);
      expect(db.prepare('SELECT rowid FROM events WHERE event_id = ?').pluck().get(eventId(4))).toBe(4);
      expect(indexesOf(db, 'event_rows_20260307')).toEqual(allIndexes('event_rows_20260307'));
    } finally {
      db.close();
    }
  });

  it('when one run repeats an event in a new day then the copy is caught in memory before the unique index exists', () => {
    const db = openDatabase(freshDatabasePath());
    try {
      const counts = run(db, 'file:///a', [{ n: 1, time: '2026-03-06T01:00:00Z' }, { n: 1, time: '2026-03-06T01:00:00Z' }, { n: 2, time: '2026-03-06T01:00:00Z' }]);
      expect(counts).toEqual({ inserted: 2, duplicates: 1, conflicts: [] });
      expect(count(db, 'SELECT count(*) FROM event_rows')).toBe(2);
    } finally {
      db.close();
    }
  });

  it('when an eventID comes back with another day then both records are kept: not the same delivery', () => {
    const db = openDatabase(freshDatabasePath());
    try {
      run(db, 'file:///a', [{ n: 1, time: '2026-03-06T01:00:00Z' }]);
      const counts = run(db, 'file:///b', [{ n: 1, time: '2026-03-09T01:00:00Z' }]);
      expect(counts).toEqual({ inserted: 1, duplicates: 0, conflicts: [] });
      expect(db.prepare('SELECT event_time FROM events WHERE event_id = ? ORDER BY event_time').pluck().all(eventId(1))).toEqual([
        '2026-03-06T01:00:00Z',
        '2026-03-09T01:00:00Z',
      ]);
    } finally {
      db.close();
    }
  });

  it('when two records share an eventID on two days then each one\'s raw record is read with its time, and without one the earliest', async () => {
    const db = openDatabase(freshDatabasePath());
    try {
      run(db, 'file:///a', [{ n: 1, time: '2026-03-09T01:00:00Z' }]);
      run(db, 'file:///b', [{ n: 1, time: '2026-03-06T01:00:00Z' }]);
      const evidence = new SqliteEvidence(db);
      expect((await evidence.record(eventId(1), '2026-03-09T01:00:00Z'))?.eventTime).toBe('2026-03-09T01:00:00Z');
      expect((await evidence.record(eventId(1), '2026-03-06T01:00:00Z'))?.eventTime).toBe('2026-03-06T01:00:00Z');
      expect((await evidence.record(eventId(1)))?.eventTime).toBe('2026-03-06T01:00:00Z');
    } finally {
      db.close();
    }
  });

  it('when an ingest dies before building a new day\'s indexes then the next writable open builds them', () => {
    const path = freshDatabasePath();
    const db = openDatabase(path);
    run(db, 'file:///a', [{ n: 1, time: '2026-03-06T01:00:00Z' }, { n: 2, time: '2026-03-06T02:00:00Z' }], true);
    expect(count(db, 'SELECT count(*) FROM event_partitions WHERE indexed = 0')).toBe(1);
    db.close();
    const reopened = openDatabase(path);
    try {
      expect(count(reopened, 'SELECT count(*) FROM event_partitions WHERE indexed = 0')).toBe(0);
      expect(indexesOf(reopened, 'event_rows_20260306')).toEqual(allIndexes('event_rows_20260306'));
    } finally {
      reopened.close();
    }
  });

  it('when a case spans more days than one SQL compound may hold (500) then every query still reads every day', () => {
    const db = openDatabase(freshDatabasePath());
    try {
      const start = Date.parse('2025-01-01T12:00:00Z');
      const shapes = Array.from({ length: 520 }, (_unused, day) => ({ n: day + 1, time: new Date(start + day * 86_400_000).toISOString().replace('.000', '') }));
      run(db, 'file:///a', shapes);
      expect(count(db, 'SELECT count(*) FROM event_partitions')).toBe(520);
      expect(count(db, 'SELECT count(*) FROM events')).toBe(520);
      expect(db.prepare('SELECT max(event_time) FROM event_columns').pluck().get()).toBe(shapes.at(-1)!.time);
    } finally {
      db.close();
    }
  }, 60_000);

  it('when a lookup reads event_rows then SQLite searches each day with that day\'s index, never a scan', () => {
    const db = openDatabase(freshDatabasePath());
    try {
      run(db, 'file:///a', [
        { n: 1, time: '2026-03-06T01:00:00Z', arn: 'arn:aws:iam::111111111111:user/alice' },
        { n: 2, time: '2026-03-07T01:00:00Z', arn: 'arn:aws:iam::111111111111:user/bob' },
      ]);
      const plan = (sql: string): string[] => db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all().map((row) => (row as { detail: string }).detail);
      const byIdentity = plan("SELECT event_id FROM event_columns WHERE identity_arn = 'x' AND event_time < '2026-04' ORDER BY event_time, event_id");
      expect(byIdentity.filter((step) => /^SEARCH event_rows_2026030[67] USING INDEX event_rows_2026030[67]_identity_time/.test(step))).toHaveLength(2);
      // A month view's own results are scanned (SCAN event_rows_m…); a day's table never is.
      expect(byIdentity.filter((step) => /^SCAN event_rows_\d{8}\b/.test(step))).toEqual([]);
      const byId = plan("SELECT record FROM events WHERE event_id = 'x'");
      expect(byId.filter((step) => /USING INDEX event_rows_2026030[67]_event_id/.test(step))).toHaveLength(2);
    } finally {
      db.close();
    }
  });

  it('when a row has no calendar day then it is kept in the undated table', () => {
    expect(dayOf('not a time')).toBe(UNDATED);
    expect(dayOf('2026-03-06T03:14:15Z')).toBe('2026-03-06');
    expect(partitionTable(UNDATED)).toBe('event_rows_00000000');
  });

  it('when a reader is open while an ingest adds a day then its prepared query sees the new day after the commit, and a snapshot stays whole', () => {
    const path = freshDatabasePath();
    const writerDb = openDatabase(path);
    try {
      run(writerDb, 'file:///a', [{ n: 1, time: '2026-03-06T01:00:00Z' }]);
      const reader = openDatabase(path, { readonly: true });
      try {
        const events = reader.prepare('SELECT count(*) FROM events').pluck();
        expect(events.get()).toBe(1);
        // A read transaction keeps its snapshot while the writer creates a day and rebuilds the views.
        reader.exec('BEGIN');
        expect(events.get()).toBe(1);
        run(writerDb, 'file:///b', [{ n: 2, time: '2026-04-02T01:00:00Z' }, { n: 3, time: '2026-04-02T02:00:00Z' }]);
        expect(events.get()).toBe(1);
        reader.exec('COMMIT');
        // The statement was compiled against the old views: SQLite recompiles it on the schema change.
        expect(events.get()).toBe(3);
        expect(reader.prepare("SELECT count(*) FROM events WHERE event_time >= '2026-04'").pluck().get()).toBe(2);
      } finally {
        reader.close();
      }
    } finally {
      writerDb.close();
    }
  });

  it('when the disk fills and SQLite rolls the open transaction back then the next write stops the ingest, and no duplicate ever gets in', () => {
    const path = freshDatabasePath();
    const db = openDatabase(path);
    const writer = new EventWriter(db);
    writer.deferIndexesOfNewDays(3);
    const done = (fileId: number, uri: string, status: 'done' | 'failed' = 'done') =>
      writer.finishFile(fileId, { status, container: null, recordsSeen: 0, inserted: 0, duplicates: 0, rejected: 0, filtered: 0, error: null, uri, size: 1, version: 'v', kind: 'log' });
    let fileId = writer.startFile('file:///a', 1, 'v', 'log');
    writer.writeBatch(fileId, batchOf([{ n: 1, time: '2026-03-06T01:00:00Z' }, { n: 2, time: '2026-03-06T02:00:00Z' }]));
    done(fileId, 'file:///a');
    writer.commit();
    fileId = writer.startFile('file:///b', 1, 'v', 'log');
    // The third ID reaches the limit: the day's unique index is built inside this transaction.
    writer.writeBatch(fileId, batchOf([{ n: 3, time: '2026-03-06T03:00:00Z' }]));
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    const big = Array.from({ length: 3000 }, (_unused, i) => ({ n: 100 + i, time: '2026-03-06T04:00:00Z' }));
    expect(() => writer.writeBatch(fileId, batchOf(big))).toThrow(/full/);
    expect(db.inTransaction).toBe(false);
    db.pragma('max_page_count = 1073741823');
    // What ingest does next for the failed file: record the problem. That is where it stops.
    expect(() => writer.logProblem({ uri: 'file:///b', index: null, severity: 'error', message: 'disk full' })).toThrow(StoreFailure);
    db.close();
    // The committed day builds its indexes on the next open, and holds each event once.
    const reopened = openDatabase(path);
    try {
      expect(count(reopened, 'SELECT count(*) FROM event_partitions WHERE indexed = 0')).toBe(0);
      expect(count(reopened, 'SELECT count(*) FROM event_rows')).toBe(2);
      run(reopened, 'file:///c', [{ n: 1, time: '2026-03-06T01:00:00Z' }, { n: 2, time: '2026-03-06T02:00:00Z' }]);
      expect(count(reopened, 'SELECT count(*) FROM event_rows')).toBe(2);
    } finally {
      reopened.close();
    }
  });

  it('when a day holds one event twice (its in-memory check lost mid-run) then building its unique index drops the later copy', () => {
    const path = freshDatabasePath();
    const db = openDatabase(path);
    run(db, 'file:///a', [{ n: 1, time: '2026-03-06T01:00:00Z' }], true);
    const table = partitionTable('2026-03-06');
    // A copy slipped in with nothing to catch it (no unique index yet, no memory of the first).
    db.exec(`INSERT INTO ${table} (rowid, ${'event_id, event_time, file_id, raw_block, raw_index'}) SELECT rowid + 100, event_id, event_time, file_id, raw_block, raw_index FROM ${table}`);
    db.close();
    const reopened = openDatabase(path);
    try {
      expect(count(reopened, `SELECT count(*) FROM ${table}`)).toBe(1);
      expect(indexesOf(reopened, table)).toEqual(allIndexes(table));
    } finally {
      reopened.close();
    }
  });

  it('when one run writes an eventID in two new days then both records are kept, as across runs', () => {
    const db = openDatabase(freshDatabasePath());
    try {
      const counts = run(db, 'file:///a', [{ n: 1, time: '2026-03-06T01:00:00Z' }, { n: 1, time: '2026-03-09T01:00:00Z' }, { n: 1, time: '2026-03-09T01:00:00Z' }]);
      expect(counts).toEqual({ inserted: 2, duplicates: 1, conflicts: [] });
    } finally {
      db.close();
    }
  });

  it('when eventTimes span more than 500 months then every day is still under event_rows', () => {
    const db = openDatabase(freshDatabasePath());
    try {
      // Hostile times: any year 0000–9999 is a valid eventTime. One day in each of 510 months over four centuries.
      const shapes = Array.from({ length: 510 }, (_unused, i) => {
        const year = 1800 + Math.floor(i / 12) * 1;
        return { n: i + 1, time: `${String(year).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}-01T00:00:00Z` };
      });
      run(db, 'file:///a', shapes);
      expect(count(db, 'SELECT count(DISTINCT substr(day, 1, 7)) FROM event_partitions')).toBe(510);
      expect(count(db, 'SELECT count(*) FROM events')).toBe(510);
      // A later day of an existing month, year and century changes only the levels it must.
      run(db, 'file:///b', [{ n: 9999, time: '1850-01-15T00:00:00Z' }]);
      expect(count(db, 'SELECT count(*) FROM events')).toBe(511);
    } finally {
      db.close();
    }
  }, 60_000);
});
