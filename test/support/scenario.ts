/**
 * The bundled attack scenario (fixtures/scenario, see scripts/generate-scenario.mjs),
 * ingested in-process into a fresh temporary database and investigated. Cached per test
 * file: vitest runs each file in its own process, so each file gets its own database.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Incident } from '../../src/correlate/incident.js';
import { investigatedArchive } from './database.js';

export const SCENARIO_ARCHIVE = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../fixtures/scenario/archive');

let cached: Promise<Incident[]> | null = null;

/** The scenario's incidents (5 DeleteInstanceProfile records), investigated with the default window. */
export function scenarioIncidents(): Promise<Incident[]> {
  cached ??= investigatedArchive(SCENARIO_ARCHIVE, 'scenario');
  return cached;
}
