/** Progress goes to stderr only when stderr is a terminal, and never to stdout. */
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/program.js';
import { freshDatabasePath } from '../support/database.js';
import { SCENARIO_ARCHIVE } from '../support/scenario.js';

async function ingestWith(stderrIsTty: boolean) {
  let stdout = '';
  let stderr = '';
  const code = await run(['ingest', SCENARIO_ARCHIVE, '--db', freshDatabasePath()], {
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: (text: string) => (stderr += text), isTTY: stderrIsTty },
    env: {},
  });
  return { code, stdout, stderr };
}

describe('ingest progress', () => {
  it('when stderr is a terminal then it shows files done/total, events, MB and events/s there', async () => {
    const { code, stdout, stderr } = await ingestWith(true);
    expect(code).toBe(0);
    expect(stderr).toMatch(/files \d+\/146 {2}events [\d,]+ {2}[\d.]+ MB {2}[\d,]+ events\/s/);
    expect(stderr).toContain('files 146/146');
    expect(stdout).not.toMatch(/files \d+\/146/);
  });

  it('when stderr is not a terminal then no progress is written', async () => {
    const { stderr } = await ingestWith(false);
    expect(stderr).toBe('');
  });
});
