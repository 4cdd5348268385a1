import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Incident } from '../../src/correlate/incident.js';
import { investigate } from '../../src/correlate/investigate.js';
import { ingest, type IngestOptions, type IngestSummary } from '../../src/ingest/ingest.js';
import { type Db, openDatabase } from '../../src/store/database.js';
import { LocalSource } from '../../src/sources/local.js';
import { SqliteEvidence } from '../../src/store/evidence.js';
import { tempDir } from './cloudtrail.js';

/** A fresh database file of its own for each test. */
export function freshDatabasePath(): string {
  return join(tempDir('trailsift-db-'), 'trailsift.db');
}

/** A database and everything SQLite and trailsift keep beside it, for a test that starts over. */
export function removeDatabaseFiles(dbPath: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm', '.ingest-lock']) rmSync(`${dbPath}${suffix}`, { force: true });
}

export async function ingestLocal(
  dbPath: string,
  paths: string[],
  options: Partial<IngestOptions> = {},
): Promise<{ summary: IngestSummary; problems: string[] }> {
  const db = openDatabase(dbPath);
  const problems: string[] = [];
  try {
    const summary = await ingest(db, paths.map((path) => new LocalSource(path)), { filter: {}, ...options }, {
      problem: (line) => problems.push(line),
    });
    return { summary, problems };
  } finally {
    db.close();
  }
}

/** `use` may be async (Evidence answers are Promises): the database then stays open until it settles. */
export function withDatabase<T>(dbPath: string, use: (db: Db) => T): T {
  const db = openDatabase(dbPath, { readonly: true });
  let result: T;
  try {
    result = use(db);
  } catch (error) {
    db.close();
    throw error;
  }
  if (result instanceof Promise) return result.finally(() => db.close()) as T;
  db.close();
  return result;
}

export function count(db: Db, sql: string, ...params: unknown[]): number {
  return (db.prepare(sql).pluck().get(...params) as number) ?? 0;
}

/** A bundled archive ingested into a fresh database and investigated with the default window. */
export async function investigatedArchive(archive: string, name: string): Promise<Incident[]> {
  const dbPath = freshDatabasePath();
  const { summary } = await ingestLocal(dbPath, [archive]);
  if (summary.errors > 0) throw new Error(`the ${name} archive ingested with ${summary.errors} error(s)`);
  return withDatabase(dbPath, (db) => investigate(new SqliteEvidence(db), {}));
}
