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
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import { tempDir } from '../support/cloudtrail.js';
import { withDatabase } from '../support/database.js';

const FIXTURES = resolve(__dirname, '../../fixtures/databases');

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
  it(`when ${fixture} is opened by today's trailsift then it is migrated with every event kept and the old CLI's incidents are found`, () => {
    const path = copyOfFixture(fixture);
    const before = oldContents(path);
    expect(before.version).toBe(version);
    expect(before.eventIds.length).toBeGreaterThan(0);

    openDatabase(path).close();
    withDatabase(path, (db) => {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.prepare('SELECT event_id FROM events ORDER BY event_id').pluck().all()).toEqual(before.eventIds);
      const expected = JSON.parse(readFileSync(join(FIXTURES, fixture.replace('.db', '.expected.json')), 'utf8')) as unknown[];
      expect(expected.length).toBeGreaterThan(0);
      expect(incidentFacts(investigate(new SqliteEvidence(db), {}))).toEqual(expected);
    });
  }, 60_000);
});
