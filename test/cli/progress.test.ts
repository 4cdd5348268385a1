/** Ingest progress: a bar on a terminal, plain lines in a log, nothing when asked; stderr only. */
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/program.js';
import { freshDatabasePath } from '../support/database.js';
import { SCENARIO_ARCHIVE } from '../support/scenario.js';

async function ingestWith(stderrIsTty: boolean, extra: string[] = []) {
  let stdout = '';
  let stderr = '';
  const code = await run(['ingest', SCENARIO_ARCHIVE, '--db', freshDatabasePath(), ...extra], {
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: (text: string) => (stderr += text), isTTY: stderrIsTty, columns: 160 },
    env: {},
  });
  return { code, stdout, stderr };
}

describe('ingest progress', () => {
  it('when stderr is a terminal then a bar shows percent, files and MB of the total, events, events/s and ETA, then each index build', async () => {
    const { code, stdout, stderr } = await ingestWith(true);
    expect(code).toBe(0);
    const draws = stderr.split('\r\u001b[K').filter(Boolean);
    expect(draws[0]).toMatch(/^\[-{20}\] {4}0% {2}files 0\/335 {2}0\.0\/[\d.]+ MB {2}events 0 {2}\d+ events\/s {2}ETA --:--$/);
    expect(draws).toContainEqual(expect.stringMatching(/^\[#{20}\] {2}100% {2}files 335\/335 {2}([\d.]+)\/\1 MB {2}events [\d,]+ {2}[\d,]+ events\/s {2}ETA 0:00$/));
    // The scenario is a bulk load into an empty database: the index build is its own phase, step by step.
    const builds = draws.filter((draw) => draw.startsWith('building indexes'));
    const total = Number(/\/(\d+)…$/.exec(builds[0]!)![1]);
    expect(total).toBeGreaterThan(1);
    expect(builds).toEqual(Array.from({ length: total }, (_unused, index) => `building indexes ${index + 1}/${total}…`));
    expect(draws.at(-1)).toBe(`building indexes ${total}/${total}…`);
    expect(stderr.endsWith('\r\u001b[K')).toBe(true);
    for (const draw of draws) expect(draw.length).toBeLessThan(160);
    expect(stdout).not.toMatch(/files \d+\/335/);

  });

  it('when stderr is not a terminal then progress is plain lines at most every 5 s: none for a short run', async () => {
    const { code, stderr } = await ingestWith(false);
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  it('when --progress none is given on a terminal then nothing is drawn', async () => {
    const { stderr } = await ingestWith(true, ['--progress', 'none']);
    expect(stderr).toBe('');
  });

  it('when --progress is not a known mode then it is a usage error naming the choices', async () => {
    const { code, stderr } = await ingestWith(false, ['--progress', 'bar']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--progress.*auto, tty, plain, none/);
  });
});
