/**
 * The attack-paths archive (fixtures/paths, see scripts/generate-paths.mjs), ingested into a
 * fresh temporary database and investigated, as test/correlate/paths.test.ts does. Cached
 * per test file.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Incident } from '../../src/correlate/incident.js';
import { investigatedArchive } from './database.js';

export const PATHS_ARCHIVE = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../fixtures/paths/archive');

let cached: Promise<Incident[]> | null = null;

export function pathsIncidents(): Promise<Incident[]> {
  cached ??= investigatedArchive(PATHS_ARCHIVE, 'paths');
  return cached;
}
