/**
 * The bundled attack scenario (fixtures/scenario, see scripts/generate-scenario.mjs). Its
 * database is built once per run (test/support/global-setup.ts); each test that needs it
 * gets a copy of its own.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import type { Incident } from '../../src/correlate/incident.js';
import { investigate } from '../../src/correlate/investigate.js';
import { SqliteEvidence } from '../../src/store/evidence.js';
import { freshDatabasePath, withDatabase } from './database.js';

const SCENARIO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../fixtures/scenario');
export const SCENARIO_ARCHIVE = resolve(SCENARIO, 'archive');

/** What the generator wrote of the archive: counts to compare with, rather than numbers copied into tests. */
export const SCENARIO_EXPECTED = JSON.parse(readFileSync(resolve(SCENARIO, 'expected.json'), 'utf8')) as {
  counts: { uniqueEvents: number; logFiles: number; digestFiles: number; duplicateFiles: number; duplicateRecords: number };
};

/** A fresh file holding the ingested scenario, for this test alone to read or change. */
export function scenarioDatabase(): string {
  const built = inject('scenarioDatabase');
  if (!built) throw new Error('no scenario database: run vitest with vitest.config.ts, whose globalSetup builds it');
  const dbPath = freshDatabasePath();
  copyFileSync(built, dbPath);
  return dbPath;
}

let cached: Promise<Incident[]> | null = null;

/** The scenario's incidents (5 DeleteInstanceProfile records), investigated with the default window. Cached per test file. */
export function scenarioIncidents(): Promise<Incident[]> {
  cached ??= Promise.resolve().then(() => withDatabase(scenarioDatabase(), (db) => investigate(new SqliteEvidence(db), {})));
  return cached;
}
