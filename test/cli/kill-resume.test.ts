/**
 * A real process killed mid-ingest with SIGKILL, then run again: the database must be
 * consistent and the final counts exact. Spawns the built CLI (npm test builds first).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { eventId, logKey, record, recordsFile, tempDir, writeFile } from '../support/cloudtrail.js';
import { freshDatabasePath, removeDatabaseFiles } from '../support/database.js';

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

/** Through trailsift's own read-only open, which first undoes a write the kill cut short. */
function committedState(dbPath: string): { files: number; rows: number; rowsClaimed: number } {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    return {
      files: db.prepare("SELECT count(*) FROM files WHERE status = 'done'").pluck().get() as number,
      rows: db.prepare('SELECT count(*) FROM event_rows').pluck().get() as number,
      rowsClaimed: db.prepare('SELECT coalesce(sum(events_inserted), 0) FROM files').pluck().get() as number,
    };
  } finally {
    db.close();
  }
}

const fileSize = (path: string): number => (existsSync(path) ? statSync(path).size : 0);

function ingestJson(root: string, dbPath: string): Record<string, number> {
  // No progress lines: a busy machine makes a re-run slower than their 5 s period, and stderr must hold nothing else.
  const result = spawnSync(process.execPath, [CLI, 'ingest', root, '--db', dbPath, '--format', 'json', '--progress', 'none'], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as Record<string, number>;
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/**
 * Starts a first load and SIGKILLs it after its first commit and before its end, trying
 * again with a later or earlier kill when one lands outside. A first load keeps the
 * database locked, so its progress is read off the file, which grows as files commit.
 * Every attempt checks what a kill at that moment left: whole committed files only.
 */
async function killMidIngest(root: string, dbPath: string, files: number, perFile: number): Promise<number> {
  let settleMs = 50;
  for (let attempt = 0; attempt < 10; attempt += 1) {
    removeDatabaseFiles(dbPath);
    const child = spawn(process.execPath, [CLI, 'ingest', root, '--db', dbPath, '--format', 'json'], { stdio: 'ignore' });
    let exitCode: number | null | undefined;
    const exited = new Promise<void>((done) =>
      child.on('exit', (code, signal) => {
        exitCode = signal === 'SIGKILL' ? -9 : code;
        done();
      }),
    );
    const deadline = Date.now() + 30_000;
    while (exitCode === undefined && fileSize(dbPath) < 4 * 1024 * 1024 && Date.now() < deadline) await sleep(5);
    await sleep(settleMs);
    child.kill('SIGKILL');
    await exited;
    const state = committedState(dbPath);
    expect(state.rows).toBe(state.files * perFile);
    expect(state.rowsClaimed).toBe(state.rows);
    if (exitCode === -9 && state.files > 0 && state.files < files) return state.files;
    settleMs = state.files === 0 ? settleMs * 2 : Math.max(1, Math.floor(settleMs / 3));
  }
  throw new Error('no kill landed between the first commit and the end of the ingest in 10 attempts');
}

describe('an ingest killed mid-way', () => {
  it('when kill -9 lands mid-ingest then a re-run finishes with exact counts and a third run reads nothing', async () => {
    expect(existsSync(CLI), 'run "npm run build" first (npm test does)').toBe(true);
    const files = 300;
    const perFile = 500;
    const root = corpus(files, perFile);
    const dbPath = freshDatabasePath();
    const before = await killMidIngest(root, dbPath, files, perFile);

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
