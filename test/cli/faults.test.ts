/**
 * Faults around the process and the disk: Ctrl-C, two ingests at once, damaged or
 * foreign database files, read-only and full disks. Each ends in one clear line, no
 * stack trace, and nothing already stored is lost or overwritten.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { eventId, logKey, record, recordsFile, tempDir, writeFile } from '../support/cloudtrail.js';
import { freshDatabasePath, removeDatabaseFiles } from '../support/database.js';
import { scenarioDatabase } from '../support/scenario.js';

const CLI = resolve(__dirname, '../../dist/cli/main.js');
const SCENARIO = resolve(__dirname, '../../fixtures/scenario/archive');

function corpus(files: number, perFile: number): string {
  const root = tempDir();
  let n = 0;
  for (let f = 0; f < files; f += 1) {
    const records = Array.from({ length: perFile }, () => record({ eventID: eventId((n += 1)) }));
    writeFile(root, logKey({ account: '111111111111', region: 'us-east-1', day: '2026-03-05', suffix: `F${f}` }), recordsFile(records));
  }
  return root;
}

function trailsift(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
}

function eventCount(dbPath: string): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM event_rows').pluck().get() as number;
  } finally {
    db.close();
  }
}

function expectOneCleanLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.split('\n').filter((line) => line !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^trailsift: /);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /);
}

const mounts: string[] = [];
/**
 * A small tmpfs of the test's own. Mounting needs root (CAP_SYS_ADMIN); without it the
 * test is reported skipped, with mount's own words, rather than passing untested.
 */
function tmpfs(options: string, skip: (note: string) => never): string {
  const where = tempDir('trailsift-mnt-');
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', where], { encoding: 'utf8' });
  const refusal = result.error?.message ?? result.stderr.trim();
  if (result.status !== 0) skip(`cannot mount a tmpfs (needs root): ${refusal || `mount exited ${String(result.status)}`}`);
  mounts.push(where);
  return where;
}
afterEach(() => {
  while (mounts.length > 0) spawnSync('umount', [mounts.pop()!]);
});

interface InterruptedRun {
  summary: { interrupted: boolean; eventsInserted: number; filesIngested: number };
  stderr: string;
}

/**
 * Sends SIGINT once the ingest holds its lock and has had time to work, sooner on each
 * attempt that finished every file before the signal came (a fast machine).
 */
async function interruptMidIngest(root: string, dbPath: string, files: number): Promise<InterruptedRun> {
  let delayMs = 400;
  for (let attempt = 0; attempt < 8; attempt += 1) {
    removeDatabaseFiles(dbPath);
    const child = spawn(process.execPath, [CLI, 'ingest', root, '--db', dbPath, '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const deadline = Date.now() + 20_000;
    while (!existsSync(`${dbPath}.ingest-lock`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, delayMs));
    child.kill('SIGINT');
    const code = await exited;
    if (code === 130) {
      const summary = JSON.parse(stdout) as InterruptedRun['summary'];
      if (summary.filesIngested < files) return { summary, stderr };
    } else {
      expect(code).toBe(0);
    }
    delayMs = Math.floor(delayMs / 3);
  }
  throw new Error('every ingest finished before Ctrl-C reached it, in 8 attempts');
}

describe('faults', () => {
  it('when Ctrl-C arrives mid-ingest then files in flight finish, a summary is printed, and a re-run completes exactly', async () => {
    const files = 200;
    const root = corpus(files, 400);
    const dbPath = freshDatabasePath();
    const { summary, stderr } = await interruptMidIngest(root, dbPath, files);
    expect(summary.interrupted).toBe(true);
    expect(summary.filesIngested).toBeLessThan(files);
    expect(stderr).toMatch(/interrupted: .*run the same command again/);
    expect(eventCount(dbPath)).toBe(summary.eventsInserted);
    const rerun = trailsift(['ingest', root, '--db', dbPath, '--format', 'json']);
    expect(rerun.status).toBe(0);
    expect(eventCount(dbPath)).toBe(files * 400);
  });

  it('when two ingests run on one database at once then one refuses clearly and a final run gives exact counts', async () => {
    const root = corpus(120, 400);
    const dbPath = freshDatabasePath();
    const first = spawn(process.execPath, [CLI, 'ingest', root, '--db', dbPath, '--format', 'json'], { stdio: 'ignore' });
    const firstDone = new Promise<number | null>((done) => first.on('exit', (code) => done(code)));
    // Start the second only once the first holds the ingest lock.
    const deadline = Date.now() + 20_000;
    while (!existsSync(`${dbPath}.ingest-lock`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const second = trailsift(['ingest', root, '--db', dbPath]);
    expect(await firstDone).toBe(0);
    expect(second.status).toBe(1);
    expectOneCleanLine(second.stderr, /another trailsift ingest \(pid \d+\) is writing to .*; wait for it to finish/);
    const final = JSON.parse(trailsift(['ingest', root, '--db', dbPath, '--format', 'json']).stdout) as { filesIngested: number };
    expect(final.filesIngested).toBe(0);
    expect(eventCount(dbPath)).toBe(120 * 400);
  });

  it('when the database file is not SQLite then every command refuses and the file is untouched', () => {
    const dbPath = join(tempDir(), 'notes.db');
    writeFileSync(dbPath, 'case notes, definitely not a database\n');
    for (const args of [['ingest', SCENARIO], ['stats'], ['query', 'select 1']]) {
      const result = trailsift([...args, '--db', dbPath]);
      expect(result.status).toBe(1);
      expectOneCleanLine(result.stderr, /not a trailsift database/);
    }
    expect(readFileSync(dbPath, 'utf8')).toBe('case notes, definitely not a database\n');
  });

  it('when the database is corrupted then commands end with one line naming the corruption', () => {
    const dbPath = scenarioDatabase();
    const checkpoint = new Database(dbPath);
    checkpoint.pragma('wal_checkpoint(TRUNCATE)');
    checkpoint.close();
    const bytes = readFileSync(dbPath);
    // Keep the header, wreck the pages after it.
    for (let at = 4096; at < bytes.length; at += 7) bytes[at] = 0xa5;
    writeFileSync(dbPath, bytes);
    const result = trailsift(['query', 'select count(*) from events', '--db', dbPath]);
    expect(result.status).toBe(1);
    expectOneCleanLine(result.stderr, /corrupt|malformed|not a database/i);
  });

  it('when the database comes from a newer trailsift then it is refused without a stack trace', () => {
    const dbPath = scenarioDatabase();
    const db = new Database(dbPath);
    db.pragma('user_version = 99');
    db.close();
    const result = trailsift(['ingest', SCENARIO, '--db', dbPath]);
    expectOneCleanLine(result.stderr, /schema version 99, newer than this trailsift understands/);
  });

  it('when the disk fills up mid-ingest then one line says so and what was committed stays readable', ({ skip }) => {
    // Room for the schema (about 0.4 MB of 16 KiB pages in the WAL), not for the events.
    const where = tmpfs('size=1m', skip);
    const dbPath = join(where, 'x.db');
    const result = trailsift(['ingest', SCENARIO, '--db', dbPath]);
    expect(result.status).toBe(1);
    expectOneCleanLine(result.stderr, /the disk is full/);
    const stats = trailsift(['stats', '--db', dbPath, '--format', 'json']);
    expect(stats.status).toBe(0);
  });

  it('when the file system is read-only then ingest says so in one line and nothing is created', ({ skip }) => {
    const where = tmpfs('size=1m,ro', skip);
    mkdirSync(join(where), { recursive: true });
    const result = trailsift(['ingest', SCENARIO, '--db', join(where, 'x.db')]);
    expect(result.status).toBe(1);
    expectOneCleanLine(result.stderr, /read-only/);
  });
});
