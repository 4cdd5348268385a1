/**
 * `npm start` (scripts/demo.mjs): the bundled scenario ingested into ./trailsift-demo.db, which
 * is kept, the summary and one incident in full, then commands to try that work on that database.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/cloudtrail.js';

const ROOT = resolve(__dirname, '../..');

describe('npm start', () => {
  it('when the demo runs then it keeps its private database, prints the summary then one incident, and every suggested command works on it', () => {
    const dir = tempDir('trailsift-demo-');
    const demo = spawnSync(process.execPath, [join(ROOT, 'scripts', 'demo.mjs')], { cwd: dir, encoding: 'utf8' });
    expect(demo.status, demo.stderr).toBe(0);
    const db = join(dir, 'trailsift-demo.db');
    expect(existsSync(db)).toBe(true);
    expect(statSync(db).mode & 0o777).toBe(0o600);
    const summaryAt = demo.stdout.indexOf('DeleteInstanceProfile event(s)');
    const incidentAt = demo.stdout.indexOf('═══ Incident 1/1:');
    expect(summaryAt).toBeGreaterThanOrEqual(0);
    expect(incidentAt).toBeGreaterThan(summaryAt);
    expect(demo.stdout.split('\n').length).toBeLessThan(600);
    const suggested = demo.stderr
      .split('\n')
      .filter((line) => line.startsWith('  npx trailsift '))
      .map((line) => line.trim());
    expect(suggested).toHaveLength(3);
    for (const command of suggested) {
      const args = command.replace(/^npx trailsift /, '').split(' ');
      const run = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli', 'main.js'), ...args], { cwd: dir, encoding: 'utf8' });
      expect({ command, status: run.status }).toEqual({ command, status: 0 });
    }
  }, 60_000);
});
