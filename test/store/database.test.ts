import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DatabaseError, leaveBulkLoadMode, openDatabase, startBulkLoad } from '../../src/store/database.js';
import { QueryRefused, runReadOnlyQuery, withoutLeadingComments } from '../../src/store/queries.js';
import { EVENT_ROW_COLUMNS, toTuple } from '../../src/parse/event-row.js';
import { normalizeRecord } from '../../src/parse/normalize.js';
import { linesBlock } from '../../src/parse/raw-block.js';
import { SqliteEvidence } from '../../src/store/evidence.js';
import { dayOf, partitionTable } from '../../src/store/partitions.js';
import { CURRENT_SCHEMA_COLUMNS, MIGRATIONS, SCHEMA_VERSION } from '../../src/store/schema.js';
import { eventId, record, tempDir, writeFile } from '../support/cloudtrail.js';
import { count, freshDatabasePath, ingestLocal, withDatabase } from '../support/database.js';

/** Any first write: the bulk-load tests only need the database to have been written. */
const ONE_FILE_ROW = "INSERT INTO files (uri, kind, status, ingested_at) VALUES ('file:///a', 'log', 'done', 'now')";

async function smallDatabase(): Promise<{ dbPath: string; records: Array<Record<string, unknown>> }> {
  const root = tempDir();
  const records = [
    record({ eventID: eventId(1), userAgent: 'Boto3/1.34 \u001b[2J', requestParameters: { instanceProfileName: 'web-app-profile' } }),
    record({ eventID: eventId(2), eventName: 'AssumeRole' }),
  ];
  writeFile(root, 'a.json', JSON.stringify({ Records: records }));
  writeFile(root, 'b.jsonl', `${JSON.stringify(record({ eventID: eventId(3) }))}\n`);
  const dbPath = freshDatabasePath();
  await ingestLocal(dbPath, [root]);
  return { dbPath, records };
}

describe('database', () => {
  it('when an event is stored then its original record is retrievable and json_extract works on it', async () => {
    const { dbPath, records } = await smallDatabase();
    withDatabase(dbPath, (db) => {
      const stored = db.prepare('SELECT record FROM events WHERE event_id = ?').pluck().get(eventId(1)) as string;
      expect(JSON.parse(stored)).toEqual(records[0]);
      expect(db.prepare("SELECT json_extract(record, '$.requestParameters.instanceProfileName') FROM events WHERE event_id = ?").pluck().get(eventId(1))).toBe('web-app-profile');
      expect(count(db, 'SELECT count(*) FROM events WHERE record IS NOT NULL')).toBe(3);
    });
  });

  it('when a first load writes then it goes through a rollback journal and ends in WAL with every index', () => {
    const dbPath = freshDatabasePath();
    const db = openDatabase(dbPath);
    try {
      startBulkLoad(db);
      expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
      db.exec(ONE_FILE_ROW);
      leaveBulkLoadMode(db);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('locking_mode', { simple: true })).toBe('normal');
      expect(db.pragma('cache_size', { simple: true })).toBe(-65536);
      expect(existsSync(`${dbPath}-journal`)).toBe(false);
    } finally {
      db.close();
    }
    // Another process reads it as any database, without waiting.
    withDatabase(dbPath, (reader) => expect(count(reader, 'SELECT count(*) FROM files')).toBe(1));
  });

  it('when a first load holds the database then a read-only open says so instead of waiting on it', () => {
    const dbPath = freshDatabasePath();
    const loader = openDatabase(dbPath);
    try {
      startBulkLoad(loader);
      // The first write takes the lock, and the load keeps it until it ends.
      loader.exec(ONE_FILE_ROW);
      expect(() => openDatabase(dbPath, { readonly: true })).toThrow(/locked by an ingest loading it for the first time/);
      leaveBulkLoadMode(loader);
      const reader = openDatabase(dbPath, { readonly: true });
      expect(count(reader, 'SELECT count(*) FROM files')).toBe(1);
      reader.close();
    } finally {
      loader.close();
    }
  });

  it('when another connection has the database open then a first load keeps to WAL and does not lock it', () => {
    const dbPath = freshDatabasePath();
    openDatabase(dbPath).close();
    // The loader is open first: a reader that finds a live write-ahead log opens in SQLite's
    // shared read-only mode (an idle database is read immutably, see openDatabase).
    const loader = openDatabase(dbPath);
    const reader = openDatabase(dbPath, { readonly: true });
    try {
      expect(count(reader, 'SELECT count(*) FROM files')).toBe(0);
      startBulkLoad(loader);
      expect(loader.pragma('journal_mode', { simple: true })).toBe('wal');
      loader.exec(ONE_FILE_ROW);
      expect(count(reader, 'SELECT count(*) FROM files')).toBe(1);
      leaveBulkLoadMode(loader);
      expect(loader.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      loader.close();
      reader.close();
    }
  });

  it('when a database is opened then the schema version is current', async () => {
    const { dbPath } = await smallDatabase();
    withDatabase(dbPath, (db) => expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION));
  });

  it('when the database is from a newer trailsift then it is refused and left untouched', async () => {
    const { dbPath } = await smallDatabase();
    const raw = new Database(dbPath);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openDatabase(dbPath)).toThrow(DatabaseError);
    expect(() => openDatabase(dbPath)).toThrow(/newer than this trailsift understands/);
    const check = new Database(dbPath, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    check.close();
  });

  it('when a schema 1 database is opened then its rows move to the string table, get their details from the raw record, and read back the same', async () => {
    const dbPath = freshDatabasePath();
    const original = record({
      eventID: eventId(7),
      userAgent: 'aws-cli/2.15.0',
      errorCode: 'AccessDenied',
      eventName: 'RunInstances',
      sessionCredentialFromConsole: 'true',
    });
    const normalized = normalizeRecord(original);
    if (!normalized.ok) throw new Error(normalized.reason);
    // What trailsift 0.1 with schema 1 wrote: every column as text in event_rows.
    const old = new Database(dbPath);
    old.exec(MIGRATIONS[0]!);
    old.pragma('user_version = 1');
    old.prepare("INSERT INTO files (file_id, uri, kind, status, ingested_at) VALUES (1, 'file:///a.json', 'log', 'done', 'now')").run();
    const block = linesBlock([JSON.stringify(original)]);
    old.prepare('INSERT INTO raw_blocks (block_id, file_id, codec, bytes) VALUES (1, 1, ?, ?)').run(block.codec, block.bytes);
    // Schema 1 had every column of today's row but `details` (schema 3), which is the last.
    const schema1Columns = EVENT_ROW_COLUMNS.filter((column) => column !== 'details');
    const columns = [...schema1Columns, 'file_id', 'raw_block', 'raw_index'];
    const values = toTuple(normalized.row).slice(0, schema1Columns.length);
    old.prepare(`INSERT INTO event_rows (rowid, ${columns.join(', ')}) VALUES (42, ${columns.map(() => '?').join(', ')})`).run(...values, 1, 1, 0);
    old.prepare("INSERT INTO event_instances (instance_id, event_rowid) VALUES ('i-0abc', 42)").run();
    old.close();

    openDatabase(dbPath).close();
    await withDatabase(dbPath, async (db) => {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const stored = db.prepare('SELECT * FROM events WHERE event_id = ?').get(eventId(7)) as Record<string, unknown>;
      for (const column of EVENT_ROW_COLUMNS) expect({ column, value: stored[column] }).toEqual({ column, value: normalized.row[column] });
      expect(JSON.parse(stored.details as string)).toEqual({ consoleSession: true });
      // Schema 4 moved it into its day's table, with its row id.
      expect(stored.rowid).toBe(42);
      expect(count(db, `SELECT count(*) FROM ${partitionTable(dayOf(normalized.row.event_time))}`)).toBe(1);
      expect(JSON.parse(stored.record as string)).toEqual(original);
      expect(db.prepare('SELECT typeof(user_agent_ref) FROM event_rows').pluck().get()).toBe('integer');
      // The instance link kept pointing at the same row.
      expect((await new SqliteEvidence(db).byInstances(['i-0abc'])).get('i-0abc')?.map((event) => event.event_id)).toEqual([eventId(7)]);
    });
  });

  it('when EventRow gains a column then the newest migration must add it: the current schema lists exactly the row columns', () => {
    expect([...CURRENT_SCHEMA_COLUMNS]).toEqual([...EVENT_ROW_COLUMNS]);
  });

  it('when the file is not SQLite then it is refused and not overwritten', () => {
    const path = `${tempDir()}/notes.db`;
    writeFileSync(path, 'my case notes, not a database');
    expect(() => openDatabase(path)).toThrow(/not a trailsift database/);
    expect(readFileSync(path, 'utf8')).toBe('my case notes, not a database');
  });
});

describe('read-only query', () => {
  it.each([
    'DELETE FROM event_rows',
    "UPDATE event_rows SET event_name = 'x'",
    "INSERT INTO files (uri, kind, status, ingested_at) VALUES ('x','log','done','now')",
    'DROP TABLE event_rows',
    "ATTACH DATABASE '/tmp/evil.db' AS evil",
    'PRAGMA writable_schema = 1',
    'PRAGMA journal_mode = DELETE',
    'CREATE TABLE t (x)',
    'WITH x AS (SELECT 1) DELETE FROM event_rows',
    'VACUUM',
    "SELECT 1; DELETE FROM event_rows",
  ])('when the SQL is %j then it is refused and the data is unchanged', async (sql) => {
    const { dbPath } = await smallDatabase();
    withDatabase(dbPath, (db) => {
      expect(() => runReadOnlyQuery(db, sql)).toThrow(QueryRefused);
      expect(count(db, 'SELECT count(*) FROM event_rows')).toBe(3);
    });
  });

  it.each([
    '-- which names?\nselect event_name from events order by 1 limit 1',
    '/* note */ select event_name from events order by 1 limit 1',
    '  -- a\n  /* b\n c */\n-- d\nselect event_name from events order by 1 limit 1',
  ])('when a SELECT starts with comments (%j) then it runs', async (sql) => {
    const { dbPath } = await smallDatabase();
    withDatabase(dbPath, (db) => {
      expect(runReadOnlyQuery(db, sql).rows).toEqual([{ event_name: 'AssumeRole' }]);
    });
  });

  it.each(['-- harmless\ndelete from event_rows', '/* select */ delete from event_rows', '/* unterminated select'])(
    'when comments hide a non-read statement (%j) then it is still refused',
    async (sql) => {
      const { dbPath } = await smallDatabase();
      withDatabase(dbPath, (db) => {
        expect(() => runReadOnlyQuery(db, sql)).toThrow(QueryRefused);
        expect(count(db, 'SELECT count(*) FROM event_rows')).toBe(3);
      });
    },
  );

  it('when the SQL has a typo then the error is SQLite\'s syntax error, not a write refusal', async () => {
    const { dbPath } = await smallDatabase();
    withDatabase(dbPath, (db) => {
      expect(() => runReadOnlyQuery(db, 'selct event_name from events')).toThrow(/^SQL error: near "selct": syntax error$/);
    });
  });

  it('when only comments are given then it says no statement was given', async () => {
    const { dbPath } = await smallDatabase();
    withDatabase(dbPath, (db) => {
      expect(() => runReadOnlyQuery(db, '-- nothing here')).toThrow(/^no SQL statement given$/);
    });
  });

  it('when leading comments are removed then the statement text starts at its first keyword', () => {
    expect(withoutLeadingComments('\n-- a -- b\n/* c */select 1 -- tail')).toBe('select 1 -- tail');
  });

  it('when the SQL is a SELECT over events then rows and columns come back', async () => {
    const { dbPath } = await smallDatabase();
    withDatabase(dbPath, (db) => {
      const result = runReadOnlyQuery(db, 'select event_name, count(*) n from events group by 1 order by 2 desc');
      expect(result.columns).toEqual(['event_name', 'n']);
      expect(result.rows).toEqual([
        { event_name: 'DescribeInstances', n: 2 },
        { event_name: 'AssumeRole', n: 1 },
      ]);
    });
  });
});
