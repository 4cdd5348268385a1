/**
 * Attacker-controlled record content through every command: no control character
 * reaches the terminal, no CSV cell is a formula, files written are private.
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { eventId, record, tempDir, writeFile } from '../support/cloudtrail.js';
import { freshDatabasePath } from '../support/database.js';

const ESCAPES = '\u001b[2J\u001b]8;;http://evil.example/\u0007click\u001b]8;;\u0007\u0007\b\r\u009b31m';
// Anything below 0x20 but newline, DEL, and C1 controls.
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

let db = '';
let evidence = '';

beforeAll(async () => {
  evidence = tempDir();
  const hostileIdentity = {
    type: 'AssumedRole',
    principalId: `AROAX:${ESCAPES}`,
    arn: `arn:aws:sts::111111111111:assumed-role/Admin/${ESCAPES}`,
    accountId: '111111111111',
    accessKeyId: 'ASIAHOSTILE',
    sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111111111111:role/Admin', accountId: '111111111111' }, attributes: { mfaAuthenticated: 'false' } },
  };
  writeFile(
    evidence,
    'hostile.json',
    JSON.stringify([
      record({ eventID: eventId(1), eventName: `Describe${ESCAPES}`, userAgent: `=HYPERLINK("http://evil")${ESCAPES}`, userIdentity: hostileIdentity, errorMessage: `-2+3${ESCAPES}`, errorCode: '@SUM(A1)' }),
      record({
        eventID: eventId(2),
        eventTime: '2026-03-06T00:00:00Z',
        eventSource: 'iam.amazonaws.com',
        eventName: 'DeleteInstanceProfile',
        requestParameters: { instanceProfileName: 'web' },
        userAgent: `+cmd${ESCAPES}`,
        sourceIPAddress: '203.0.113.9',
        userIdentity: hostileIdentity,
      }),
    ]),
  );
  // A file name is attacker-controlled too (an S3 key can hold anything).
  writeFileSync(join(evidence, `bad${'\u001b[2J'}name.json`), '{"Records": [');
  db = freshDatabasePath();
  const ingested = await cli(['ingest', evidence, '--db', db]);
  expect(CONTROL.test(ingested.stderr)).toBe(false);
  expect(ingested.stderr).toContain('bad\\x1b[2Jname.json');
});

describe('hostile record content', () => {
  const tableCommands: string[][] = [
    ['stats'],
    ['events'],
    ['query', 'select event_name, user_agent, identity_arn, error_message from events'],
    ['timeline', '--ip', '203.0.113.9'],
    ['timeline', '--actor', 'arn:aws:iam::111111111111:role/Admin'],
    ['investigate'],
    ['investigate', '--format', 'md'],
  ];
  for (const args of tableCommands) {
    it(`when "${args.join(' ')}" shows hostile fields then no control character reaches the terminal`, async () => {
      const result = await cli([...args, '--db', db]);
      expect(result.code).toBe(0);
      expect(result.stdout.length).toBeGreaterThan(0);
      expect(CONTROL.test(result.stdout.replace(/\r\n/g, '\n'))).toBe(false);
      expect(CONTROL.test(result.stderr)).toBe(false);
    });
  }

  const csvCommands: Array<[string[], string]> = [
    [['events', '--format', 'csv'], `'=HYPERLINK`],
    [['query', 'select event_name, user_agent, error_code, error_message from events', '--format', 'csv'], `'@SUM(A1)`],
    [['timeline', '--actor', 'arn:aws:iam::111111111111:role/Admin', '--format', 'csv'], `'@SUM(A1)`],
  ];
  for (const [args, neutralized] of csvCommands) {
    it(`when "${args.join(' ')}" writes CSV then no cell starts a formula`, async () => {
      const result = await cli([...args, '--db', db]);
      const cells = result.stdout
        .split('\r\n')
        .slice(1)
        .filter((line) => line !== '')
        .flatMap((line) => line.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? [])
        .map((cell) => cell.replace(/,$/, '').replace(/^"(.*)"$/s, '$1'));
      expect(cells.length).toBeGreaterThan(2);
      for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      expect(result.stdout).toContain(neutralized);
    });
  }

  it('when --emit-script writes a file then it is private (0600), even over an existing public file', async () => {
    const script = join(tempDir(), 'remediate.sh');
    writeFileSync(script, 'old', { mode: 0o644 });
    const result = await cli(['investigate', '--db', db, '--emit-script', script]);
    expect(result.code).toBe(0);
    expect(statSync(script).mode & 0o777).toBe(0o600);
  });
});
