/**
 * The bundled attack scenario (fixtures/scenario, see scripts/generate-scenario.mjs),
 * ingested in-process into a fresh temporary database and investigated. Cached per test
 * file: vitest runs each file in its own process, so each file gets its own database.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Incident } from '../../src/correlate/incident.js';
import { investigate } from '../../src/correlate/investigate.js';
import { openDatabase } from '../../src/store/database.js';
import { SqliteEvidence } from '../../src/store/evidence.js';
import { freshDatabasePath, ingestLocal } from './database.js';

export const SCENARIO_ARCHIVE = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../fixtures/scenario/archive');

let cached: Promise<Incident[]> | null = null;

async function load(): Promise<Incident[]> {
  const dbPath = freshDatabasePath();
  const { summary } = await ingestLocal(dbPath, [SCENARIO_ARCHIVE]);
  if (summary.errors > 0) throw new Error(`the scenario archive ingested with ${summary.errors} error(s)`);
  const db = openDatabase(dbPath, { readonly: true });
  try {
    return investigate(new SqliteEvidence(db), {});
  } finally {
    db.close();
  }
}

/** The scenario's incidents (5 DeleteInstanceProfile records), investigated with the default window. */
export function scenarioIncidents(): Promise<Incident[]> {
  cached ??= load();
  return cached;
}
