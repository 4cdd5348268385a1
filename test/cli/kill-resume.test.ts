/**
 * A real process killed mid-ingest with SIGKILL, then run again: the database must be
 * consistent and the final counts exact. Spawns the built CLI (npm test builds first).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { eventId, logKey, record, recordsFile, tempDir, writeFile } from '../support/cloudtrail.js';
import { freshDatabasePath } from '../support/database.js';

const CLI = resolve(__dirname, '../../dist/cli/main.js');

function corpus(files: number, perFile: number): string {
  const root = tempDir();
  let n = 0;
  for (let f = 0; f < files; f += 1) {
    const day = `2026-03-0${1 + (f % 7)}`;
    const records = Array.from({ length: perFile }, () => record({ eventID: eventId((n += 1)), eventTime: `${day}T12:00:00Z`, userAgent: `agent-${n % 97}` }));
    writeFile(root, logKey({ account: '111111111111', region: 'us-east-1', day, suffix: `F${f}` }), recordsFile(records));
  }
  return root;
}

function committedFiles(dbPath: string): number {
  if (!existsSync(dbPath)) return 0;
  try {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      return db.prepare("SELECT count(*) FROM files WHERE status = 'done'").pluck().get() as number;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

function ingestJson(root: string, dbPath: string): Record<string, number> {
  const result = spawnSync(process.execPath, [CLI, 'ingest', root, '--db', dbPath, '--format', 'json'], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as Record<string, number>;
}

describe('an ingest killed mid-way', () => {
  it('when kill -9 lands mid-ingest then a re-run finishes with exact counts and a third run reads nothing', async () => {
    expect(existsSync(CLI), 'run "npm run build" first (npm test does)').toBe(true);
    const files = 300;
    const perFile = 500;
    const root = corpus(files, perFile);
    const dbPath = freshDatabasePath();
    const child = spawn(process.execPath, [CLI, 'ingest', root, '--db', dbPath, '--format', 'json'], { stdio: 'ignore' });
    const exited = new Promise<number | null>((done) => child.on('exit', (_code, signal) => done(signal === 'SIGKILL' ? -9 : _code)));
    const deadline = Date.now() + 30_000;
    while (committedFiles(dbPath) < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    expect(await exited).toBe(-9);
    const before = committedFiles(dbPath);
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(files);

    const second = ingestJson(root, dbPath);
    expect(second.filesSkipped).toBe(before);
    expect(second.filesIngested).toBe(files - before);
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM event_rows').pluck().get()).toBe(files * perFile);
      expect(db.prepare("SELECT count(*) FROM files WHERE status = 'done'").pluck().get()).toBe(files);
      expect(db.prepare('SELECT sum(events_inserted) FROM files').pluck().get()).toBe(files * perFile);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
    const third = ingestJson(root, dbPath);
    expect(third).toMatchObject({ filesIngested: 0, eventsInserted: 0, filesSkipped: files });
  });
});
