/**
 * Real old databases, made by the trailsift of the commit that shipped each schema version
 * (fixtures/databases/README.md), opened by today's code: it migrates them, and the
 * investigation finds the incidents the old CLI found in them.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/correlate/incident.js';
import { investigate } from '../../src/correlate/investigate.js';
import { openDatabase } from '../../src/store/database.js';
import { SqliteEvidence } from '../../src/store/evidence.js';
import { listPartitions } from '../../src/store/partitions.js';
import type { Db } from '../../src/store/database.js';
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import { parseTimeBound } from '../../src/parse/timestamp.js';
import { tempDir } from '../support/cloudtrail.js';
import { freshDatabasePath, ingestLocal, withDatabase } from '../support/database.js';

const FIXTURES = resolve(__dirname, '../../fixtures/databases');
const SCENARIO_ARCHIVE = resolve(__dirname, '../../fixtures/scenario/archive');
/** The slice of the scenario the fixtures hold (README.md: `--since 2026-03-05 --until 2026-03-06`). */
const FIXTURE_FILTER = { since: parseTimeBound('2026-03-05', 'since'), until: parseTimeBound('2026-03-06', 'until') };

/** Every table, index and view, as SQLite keeps their definitions. */
const schemaOf = (db: Db): unknown[] => db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name').all();

/**
 * The facts expected.json records, picked from today's incidents by the same script that
 * picked them from the old CLI's `investigate --format json`.
 */
function incidentFacts(incidents: Incident[]): unknown {
  const script = join(FIXTURES, 'expected-from-investigate.mjs');
  return JSON.parse(execFileSync(process.execPath, [script], { input: JSON.stringify({ incidents }), encoding: 'utf8' }));
}

/** The fixture copied to a database of the test's own, so the checked-in file is never migrated. */
function copyOfFixture(name: string): string {
  const path = join(tempDir('trailsift-fixture-'), name);
  copyFileSync(join(FIXTURES, name), path);
  return path;
}

/** What the old database holds, read with SQLite alone before today's code touches it. */
function oldContents(path: string): { version: number; eventIds: string[] } {
  const old = new Database(path, { readonly: true });
  try {
    return {
      version: old.pragma('user_version', { simple: true }) as number,
      eventIds: old.prepare('SELECT event_id FROM event_rows ORDER BY event_id').pluck().all() as string[],
    };
  } finally {
    old.close();
  }
}

describe.each([
  { fixture: 'v1.db', version: 1 },
  { fixture: 'v2.db', version: 2 },
])('a schema $version database made by the trailsift that shipped it', ({ fixture, version }) => {
  it(`when ${fixture} is opened by today's trailsift then it is migrated with every event kept and the old CLI's incidents are found`, async () => {
    const path = copyOfFixture(fixture);
    const before = oldContents(path);
    expect(before.version).toBe(version);
    expect(before.eventIds.length).toBeGreaterThan(0);

    openDatabase(path).close();
    await withDatabase(path, async (db) => {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.prepare('SELECT event_id FROM events ORDER BY event_id').pluck().all()).toEqual(before.eventIds);
      const expected = JSON.parse(readFileSync(join(FIXTURES, fixture.replace('.db', '.expected.json')), 'utf8')) as unknown[];
      expect(expected.length).toBeGreaterThan(0);
      expect(incidentFacts(await investigate(new SqliteEvidence(db), {}))).toEqual(expected);
    });
  }, 60_000);

  it(`when ${fixture} is migrated then its tables, indexes and views are those a fresh ingest of the same files makes`, async () => {
    const path = copyOfFixture(fixture);
    openDatabase(path).close();
    const freshPath = freshDatabasePath();
    await ingestLocal(freshPath, [SCENARIO_ARCHIVE], { filter: FIXTURE_FILTER });
    expect(withDatabase(path, schemaOf)).toEqual(withDatabase(freshPath, schemaOf));
  }, 60_000);

  it(`when ${fixture} is migrated then migration 4 made every day's table exactly as schema 4 shipped it`, () => {
    const path = copyOfFixture(fixture);
    openDatabase(path).close();
    // Dumped from 0368cd7, which shipped schema 4, for its day 2026-03-06. Migration 4 makes its
    // tables from its frozen DDL (migrations/0004-day-tables.ts), so a change to today's
    // partitions.ts leaves this as it is: a later migration that alters day tables finds schema 4's.
    const schema4 = readFileSync(join(FIXTURES, 'schema-4-day-table.sql'), 'utf8');
    withDatabase(path, (db) => {
      const days = listPartitions(db);
      expect(days.length).toBeGreaterThan(0);
      for (const { table } of days) {
        const sql = db.prepare("SELECT sql FROM sqlite_schema WHERE tbl_name = ? ORDER BY type DESC, name").pluck().all(table) as string[];
        expect(sql.map((statement) => `${statement};\n`).join('')).toBe(schema4.replaceAll('event_rows_20260306', table));
      }
    });
  });
});
