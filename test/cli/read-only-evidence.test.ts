/**
 * Read-only commands on evidence: they never add a file beside the database (no -wal, no
 * -shm), and they work on read-only media. Tested as a user that cannot write the folder:
 * the current user when it is not root, else `nobody` through runuser (root ignores modes).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/cloudtrail.js';
import { freshDatabasePath, ingestLocal } from '../support/database.js';
import { SCENARIO_ARCHIVE } from '../support/scenario.js';

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
  const built = freshDatabasePath();
  await ingestLocal(built, [SCENARIO_ARCHIVE]);
  const dir = tempDir('trailsift-evidence-');
  const db = join(dir, 'case.db');
  copyFileSync(built, db);
  return { dir, db };
}

const isRoot = process.getuid?.() === 0;
const runuser = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find((path) => existsSync(path));

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

  it.skipIf(isRoot && !runuser)('when the database is on read-only media (a folder and file the user cannot write) then every read command works and nothing is written', async () => {
    const { dir, db } = await evidenceCopy();
    const asUser = (args: string[]) =>
      isRoot
        ? spawnSync(runuser!, ['-u', 'nobody', '--', process.execPath, CLI, ...args], { encoding: 'utf8', cwd: '/' })
        : spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
    if (isRoot) {
      chownSync(dir, 65534, 65534);
      chownSync(db, 65534, 65534);
    }
    chmodSync(db, 0o400);
    chmodSync(dir, 0o500);
    try {
      for (const args of READ_COMMANDS) {
        const run = asUser([...args, '--db', db]);
        expect({ args, status: run.status, stderr: run.stderr }).toMatchObject({ args, status: 0 });
      }
      expect(readdirSync(dir)).toEqual(['case.db']);
      // An ingest into it is refused with one line, not a stack trace.
      const ingest = asUser(['ingest', SCENARIO_ARCHIVE, '--db', db]);
      expect(ingest.status).not.toBe(0);
      expect(ingest.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      chmodSync(dir, 0o700);
    }
  }, 60_000);
});
