/**
 * The attack-paths archive (fixtures/paths, see scripts/generate-paths.mjs), ingested into a
 * fresh temporary database and investigated, as test/correlate/paths.test.ts does. Cached
 * per test file.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Incident } from '../../src/correlate/incident.js';
import { investigate } from '../../src/correlate/investigate.js';
import { openDatabase } from '../../src/store/database.js';
import { SqliteEvidence } from '../../src/store/evidence.js';
import { freshDatabasePath, ingestLocal } from './database.js';

export const PATHS_ARCHIVE = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../fixtures/paths/archive');

let cached: Promise<Incident[]> | null = null;

async function load(): Promise<Incident[]> {
  const dbPath = freshDatabasePath();
  const { summary } = await ingestLocal(dbPath, [PATHS_ARCHIVE]);
  if (summary.errors > 0) throw new Error(`the paths archive ingested with ${summary.errors} error(s)`);
  const db = openDatabase(dbPath, { readonly: true });
  try {
    return investigate(new SqliteEvidence(db), {});
  } finally {
    db.close();
  }
}

export function pathsIncidents(): Promise<Incident[]> {
  cached ??= load();
  return cached;
}
