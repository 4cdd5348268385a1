/**
 * Migration 4 makes its day tables, their indexes and the views above them from its own frozen
 * DDL (src/store/migrations/0004-day-tables.ts), while today's partitions.ts makes the days an
 * ingest adds. These tests hold the frozen DDL to what schema 4 shipped, to what migrating a
 * real schema-3 database leaves, and, for now, to today's partitions.ts.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/store/database.js';
import { schema4DayIndexesSql, schema4DayTable, schema4DayTableSql, schema4ViewsSql } from '../../src/store/migrations/0004-day-tables.js';
import { createPartition, UNDATED } from '../../src/store/partitions.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/schema.js';
import { freshDatabasePath } from '../support/database.js';

const SCHEMA_4_DAY_TABLE = resolve(__dirname, '../../fixtures/databases/schema-4-day-table.sql');

/** Days in two months, two years, two centuries, and the day of rows with no calendar time. */
const DAYS = [UNDATED, '1999-12-31', '2026-03-05', '2026-03-06', '2026-04-01'];

/** The day tables, their indexes and the views above them, as SQLite keeps their definitions. */
const dayObjectsOf = (db: Db): unknown[] =>
  db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name GLOB 'event_rows*' ORDER BY type, name").all();

/** Migration 4's frozen DDL for `days`, run alone on an empty in-memory database. */
function frozenDayObjects(days: readonly string[]): unknown[] {
  const db = new Database(':memory:');
  try {
    for (const day of days) {
      const table = schema4DayTable(day);
      db.exec(schema4DayTableSql(table));
      for (const index of schema4DayIndexesSql(table)) db.exec(index);
    }
    for (const view of schema4ViewsSql(days)) db.exec(view);
    return dayObjectsOf(db);
  } finally {
    db.close();
  }
}

describe("migration 4's frozen day tables", () => {
  it('when the frozen DDL makes 2026-03-06 then its table and indexes are the ones 0368cd7 shipped (schema-4-day-table.sql)', () => {
    const db = new Database(':memory:');
    try {
      const table = schema4DayTable('2026-03-06');
      db.exec(schema4DayTableSql(table));
      for (const index of schema4DayIndexesSql(table)) db.exec(index);
      const sql = db.prepare('SELECT sql FROM sqlite_schema WHERE tbl_name = ? ORDER BY type DESC, name').pluck().all(table) as string[];
      expect(sql.map((statement) => `${statement};\n`).join('')).toBe(readFileSync(SCHEMA_4_DAY_TABLE, 'utf8'));
    } finally {
      db.close();
    }
  });

  it("when today's partitions.ts makes the same days then its tables, indexes and views are migration 4's frozen ones", () => {
    // Equal now, and only now: when a change to partitions.ts (its columns, indexes or views)
    // makes this fail, migration 4 stays as it is and a new migration (6) carries the change
    // to old databases; this test then compares partitions.ts with that migration's layout.
    const db = openDatabase(freshDatabasePath());
    try {
      db.transaction(() => {
        for (const day of DAYS) createPartition(db, day, false);
      })();
      expect(dayObjectsOf(db)).toEqual(frozenDayObjects(DAYS));
    } finally {
      db.close();
    }
  });

  it('when a schema-3 database with rows is migrated then its days are the frozen tables, indexes and views, holding its rows under their ids', () => {
    const path = freshDatabasePath();
    const old = new Database(path);
    // Schema 3 as the frozen files make it, with rows as schema 3's writer stored them.
    for (const sql of MIGRATIONS.slice(0, 3)) old.exec(sql);
    old.exec(`
      INSERT INTO files (file_id, uri, kind, status, ingested_at) VALUES (1, 'file:///a.json', 'log', 'done', '2026-03-07T00:00:00Z');
      INSERT INTO strings (string_id, text) VALUES (1, 'sts.amazonaws.com');
      INSERT INTO event_rows (rowid, event_id, event_time, event_name, event_source_ref, issued_access_key_id, details, file_id, raw_block, raw_index) VALUES
        (3, 'e-3', '2026-03-05T23:59:59Z', 'AssumeRole', 1, 'ASIA1', '{"a":1}', 1, 1, 0),
        (7, 'e-7', '2026-03-06T00:00:00Z', 'GetCallerIdentity', 1, NULL, NULL, 1, 1, 1),
        (9, 'e-9', '1999-12-31T12:00:00Z', 'ListUsers', NULL, NULL, NULL, 1, 1, 2),
        (11, 'e-11', 'yesterday', 'ListRoles', NULL, NULL, NULL, 1, 1, 3),
        (12, 'e-12', '2026-04-01T08:00:00Z', 'RunInstances', NULL, NULL, NULL, 1, 1, 4);
      INSERT INTO event_instances (instance_id, event_rowid) VALUES ('i-1', 12);
    `);
    old.pragma('user_version = 3');
    const rowsBefore = old.prepare('SELECT rowid, * FROM event_rows ORDER BY rowid').all();
    old.close();

    openDatabase(path).close();

    const migrated = new Database(path, { readonly: true });
    try {
      expect(migrated.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(dayObjectsOf(migrated)).toEqual(frozenDayObjects(DAYS));
      expect(migrated.prepare('SELECT day, indexed FROM event_partitions ORDER BY day').raw().all()).toEqual(DAYS.map((day) => [day, 1]));
      expect(migrated.prepare('SELECT rowid, * FROM event_rows ORDER BY rowid').all()).toEqual(rowsBefore);
      expect(migrated.prepare('SELECT rowid FROM event_rows_20260401').pluck().all()).toEqual([12]);
      expect(migrated.prepare('SELECT instance_id, event_rowid FROM event_instances').raw().all()).toEqual([['i-1', 12]]);
    } finally {
      migrated.close();
    }
  });
});
