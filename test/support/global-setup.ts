/**
 * Once per vitest run: the bundled scenario ingested into one database, which tests copy
 * (test/support/scenario.ts, scenarioDatabase) instead of each ingesting the 335 files again.
 * The run fails here, once and clearly, if the ingest does not give expected.json's counts.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/store/database.js';
import { tempDir } from './cloudtrail.js';
import { ingestLocal } from './database.js';
import { SCENARIO_ARCHIVE, SCENARIO_EXPECTED } from './scenario.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The scenario's database, built by this setup: copy it, never open it for writing. */
    scenarioDatabase: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = tempDir('trailsift-scenario-');
  const dbPath = join(dir, 'scenario.db');
  const { summary, problems } = await ingestLocal(dbPath, [SCENARIO_ARCHIVE]);
  const { counts } = SCENARIO_EXPECTED;
  const got = { events: summary.eventsInserted, digests: summary.digestFiles, duplicates: summary.duplicates, errors: summary.errors };
  const want = { events: counts.uniqueEvents, digests: counts.digestFiles, duplicates: counts.duplicateRecords, errors: 0 };
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    throw new Error(`the scenario ingested as ${JSON.stringify(got)}, expected.json says ${JSON.stringify(want)}\n${problems.join('\n')}`);
  }
  // Everything in the main file, no -wal beside it: a plain copy is then the whole database.
  const db = openDatabase(dbPath);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  project.provide('scenarioDatabase', dbPath);
  return () => rmSync(dir, { recursive: true, force: true });
}
