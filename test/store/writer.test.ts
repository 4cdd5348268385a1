import { describe, expect, it } from 'vitest';
import { toWire } from '../../src/store/wire-batch.js';
import { normalizeRecord } from '../../src/parse/normalize.js';
import { linesBlock } from '../../src/parse/raw-block.js';
import { type Db, leaveBulkLoadMode, openDatabase, startBulkLoad } from '../../src/store/database.js';
import { EventWriter, type WrittenBatch } from '../../src/store/writer.js';
import { eventId, record, type RecordShape } from '../support/cloudtrail.js';
import { count, freshDatabasePath } from '../support/database.js';

type Batch = Parameters<EventWriter['writeBatch']>[1];

function batchOfRecords(records: RecordShape[], recordIndexes?: number[]): Batch {
  const rows = records.map((value) => {
    const normalized = normalizeRecord(value);
    if (!normalized.ok) throw new Error(normalized.reason);
    return normalized.row;
  });
  return toWire({ rows, rawIndexes: rows.map((_, i) => i), recordIndexes, block: linesBlock(records.map((value) => JSON.stringify(value))) });
}

/** Records by number; the requestID follows the number, so a repeated number is an identical copy. */
function batchOf(ids: number[]): Batch {
  return batchOfRecords(ids.map((n) => record({ eventID: eventId(n), requestID: `req-${n}` })));
}

const FIRST = 'file:///org-trail/first.json.gz';
const SECOND = 'file:///account-trail/second.json.gz';

/**
 * Writes `first` as one file, then `second` as another, and returns what the second write
 * reported. 'in memory': one run over an empty database, so the day's unique index is
 * deferred and duplicates are caught by SeenEventIds. 'indexed': the first file's day is
 * stored and indexed by an earlier run, and the second run appends to it through its live
 * unique index.
 */
function writeTwoFiles(db: Db, path: 'in memory' | 'indexed', first: Batch, second: Batch): WrittenBatch {
  const writer = new EventWriter(db);
  writer.deferIndexesOfNewDays();
  writer.writeBatch(writer.startFile(FIRST, 1, 'v1', 'log'), first);
  let appender = writer;
  if (path === 'indexed') {
    writer.buildDeferredIndexes();
    appender = new EventWriter(db);
    appender.deferIndexesOfNewDays();
  }
  const written = appender.writeBatch(appender.startFile(SECOND, 1, 'v1', 'log'), second);
  appender.buildDeferredIndexes();
  return written;
}

const CONSOLE_LOGIN = record({
  eventID: eventId(500),
  eventName: 'ConsoleLogin',
  eventSource: 'signin.amazonaws.com',
  additionalEventData: { MFAUsed: 'Yes' },
  // A lone surrogate: SQLite stores it as U+FFFD, so only a comparison made by SQLite sees the copy as identical.
  errorMessage: 'broken \ud800 text',
});

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
      expect(first).toEqual({ inserted: 6, duplicates: 4, conflicts: [] });
      expect(second).toEqual({ inserted: 1, duplicates: 2, conflicts: [] });
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

  describe.each(['in memory', 'indexed'] as const)('a duplicate on the %s path', (path) => {
    it('when a record repeats its stored copy exactly then it is a silent duplicate', () => {
      const db = openDatabase(freshDatabasePath());
      try {
        const written = writeTwoFiles(db, path, batchOfRecords([CONSOLE_LOGIN]), batchOfRecords([CONSOLE_LOGIN]));
        expect(written).toEqual({ inserted: 0, duplicates: 1, conflicts: [] });
        expect(count(db, 'SELECT count(*) FROM event_rows')).toBe(1);
        // What makes it a test of SQLite's comparison: the stored text is not the record's.
        expect(db.prepare('SELECT error_message FROM event_columns').pluck().get()).not.toBe(CONSOLE_LOGIN.errorMessage);
      } finally {
        db.close();
      }
    });

    it('when a record reuses its day\'s stored eventID with other content then it is not stored and the conflict names the kept file and what differs', () => {
      const db = openDatabase(freshDatabasePath());
      try {
        const other = record({ eventID: eventId(501), eventTime: '2026-03-05T11:00:00Z' });
        const noMfa = { ...CONSOLE_LOGIN, additionalEventData: { MFAUsed: 'No' } };
        const otherAgent = { ...other, userAgent: 'Boto3/1.34.0' };
        // In the second file the two records sit at positions 3 and 8 (rejected or filtered ones between).
        const written = writeTwoFiles(db, path, batchOfRecords([CONSOLE_LOGIN, other]), batchOfRecords([noMfa, otherAgent], [3, 8]));
        expect(written.inserted).toBe(0);
        expect(written.duplicates).toBe(2);
        expect(written.conflicts).toEqual([
          { eventId: eventId(500), eventTime: '2026-03-05T10:00:00Z', recordIndex: 3, keptUri: FIRST, columns: ['mfa_authenticated'] },
          { eventId: eventId(501), eventTime: '2026-03-05T11:00:00Z', recordIndex: 8, keptUri: FIRST, columns: ['user_agent'] },
        ]);
        const kept = db.prepare('SELECT event_id, mfa_authenticated, user_agent FROM event_columns ORDER BY event_id').all();
        expect(kept).toEqual([
          { event_id: eventId(500), mfa_authenticated: 1, user_agent: CONSOLE_LOGIN.userAgent },
          { event_id: eventId(501), mfa_authenticated: null, user_agent: other.userAgent },
        ]);
      } finally {
        db.close();
      }
    });
  });
});
