import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DatabaseError, openDatabase } from '../../src/store/database.js';
import { QueryRefused, runReadOnlyQuery } from '../../src/store/queries.js';
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import { eventId, record, tempDir, writeFile } from '../support/cloudtrail.js';
import { count, freshDatabasePath, ingestLocal, withDatabase } from '../support/database.js';

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
