/**
 * Read-only commands on evidence: they never add a file beside the database (no -wal, no
 * -shm), and they work on read-only media: a read-only bind mount when the tests run as root
 * (root ignores file modes), else a folder and file the user cannot write.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/cloudtrail.js';
import { SCENARIO_ARCHIVE, scenarioDatabase } from '../support/scenario.js';

const CLI = resolve(__dirname, '../../dist/cli/main.js');
const DELETION = '07c158d3-0452-4808-9bc3-4507c3c31a5a';
const READ_COMMANDS: string[][] = [
  ['stats'],
  ['investigate', '--summary'],
  ['investigate', '--format', 'json'],
  ['events', '--name', 'DeleteInstanceProfile'],
  ['events', '--id', DELETION],
  ['timeline', '--incident', DELETION],
  ['query', "select json_extract(record, '$.eventName') from events limit 3"],
];

async function evidenceCopy(): Promise<{ dir: string; db: string }> {
  const built = scenarioDatabase();
  const dir = tempDir('trailsift-evidence-');
  const db = join(dir, 'case.db');
  copyFileSync(built, db);
  return { dir, db };
}

const isRoot = process.getuid?.() === 0;

describe('read-only commands on evidence', () => {
  it('when every read command runs on a database in a writable folder then the folder holds exactly what it held', async () => {
    const { dir, db } = await evidenceCopy();
    const before = readdirSync(dir).sort();
    for (const args of READ_COMMANDS) {
      const run = spawnSync(process.execPath, [CLI, ...args, '--db', db], { encoding: 'utf8' });
      expect({ args, status: run.status, stderr: run.stderr }).toMatchObject({ args, status: 0 });
      expect(readdirSync(dir).sort()).toEqual(before);
    }
  }, 60_000);

  it('when the database is on read-only media then every read command works and nothing is written', async (context) => {
    const { dir } = await evidenceCopy();
    // Read-only media: as root, a read-only bind mount (root ignores file modes, not a
    // read-only mount); otherwise a folder and file the user cannot write.
    let media = dir;
    let cleanup = (): void => chmodSync(dir, 0o700);
    if (isRoot) {
      media = tempDir('trailsift-media-');
      const bind = spawnSync('mount', ['--bind', dir, media], { encoding: 'utf8' });
      const readOnly = bind.status === 0 ? spawnSync('mount', ['-o', 'remount,bind,ro', media], { encoding: 'utf8' }) : bind;
      if (readOnly.status !== 0) {
        spawnSync('umount', [media]);
        if (process.env.CI) throw new Error(`cannot make a read-only mount to test on: ${readOnly.stderr.trim()}`);
        context.skip(`read-only media needs a bind mount when running as root, and mount failed: ${readOnly.stderr.trim()}`);
      }
      cleanup = () => void spawnSync('umount', [media]);
    } else {
      chmodSync(join(dir, 'case.db'), 0o400);
      chmodSync(dir, 0o500);
    }
    try {
      const db = join(media, 'case.db');
      for (const args of READ_COMMANDS) {
        const run = spawnSync(process.execPath, [CLI, ...args, '--db', db], { encoding: 'utf8' });
        expect({ args, status: run.status, stderr: run.stderr }).toMatchObject({ args, status: 0 });
      }
      expect(readdirSync(media)).toEqual(['case.db']);
      // An ingest into it is refused with one line, not a stack trace.
      const ingest = spawnSync(process.execPath, [CLI, 'ingest', SCENARIO_ARCHIVE, '--db', db], { encoding: 'utf8' });
      expect(ingest.status).not.toBe(0);
      expect(ingest.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      cleanup();
    }
  }, 60_000);

  it('when a user who is not root runs every read command on evidence it may read but not write then they work and nothing is written', async (context) => {
    if (!isRoot) {
      context.skip('the tests already run as a non-root user: the read-only media test above is this test');
    }
    if (!existsSync('/usr/bin/setpriv')) {
      if (process.env.CI) throw new Error('setpriv (util-linux) is needed to run the CLI as another user');
      context.skip('running the CLI as a non-root user needs setpriv: apt-get install util-linux');
    }
    const { dir, db } = await evidenceCopy();
    // Owned by root, readable by all: the user `nobody` can read the evidence and write nothing beside it.
    chmodSync(dir, 0o755);
    chmodSync(db, 0o644);
    const asNobody = (args: string[]) =>
      spawnSync('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, ...args, '--db', db], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent' },
      });
    const whoami = spawnSync('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'id', '-u'], { encoding: 'utf8' });
    expect(whoami.stdout.trim()).toBe('65534');
    for (const args of READ_COMMANDS) {
      const run = asNobody(args);
      expect({ args, status: run.status, stderr: run.stderr }).toMatchObject({ args, status: 0 });
    }
    expect(readdirSync(dir)).toEqual(['case.db']);
    const ingest = asNobody(['ingest', SCENARIO_ARCHIVE]);
    expect(ingest.status).not.toBe(0);
    expect(ingest.stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000);
});
