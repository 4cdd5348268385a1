/** investigate's evidence line over a signed archive: the incident's window, its account and region. */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/correlate/incident.js';
import { cli } from '../support/cli.js';
import { record } from '../support/cloudtrail.js';
import { freshDatabasePath, ingestLocal } from '../support/database.js';
import { type SignedArchive, signedArchive } from '../support/signed-archive.js';

const withDeletion = (): SignedArchive =>
  signedArchive({
    extraRecords: (hour, at) =>
      hour === 2
        ? [
            record({
              eventTime: new Date(at + 30_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
              eventSource: 'iam.amazonaws.com',
              eventName: 'DeleteInstanceProfile',
              requestParameters: { instanceProfileName: 'web-profile' },
              readOnly: false,
            }),
          ]
        : [],
  });

async function investigateJson(archive: SignedArchive, keys: boolean): Promise<{ incidents: Incident[]; table: string }> {
  const dbPath = freshDatabasePath();
  await ingestLocal(dbPath, [archive.root]);
  const keyFlags = keys ? ['--public-keys', archive.keysDir] : [];
  const json = await cli(['investigate', '--db', dbPath, '--format', 'json', ...keyFlags]);
  expect(json.code).toBe(0);
  const table = await cli(['investigate', '--db', dbPath, ...keyFlags]);
  return { incidents: (JSON.parse(json.stdout) as { incidents: Incident[] }).incidents, table: table.stdout };
}

describe('evidence line of an incident', () => {
  it('when every log file of the window matches a signed digest then the incident says so, counting the newest (unsigned locally) apart', async () => {
    const { incidents, table } = await investigateJson(withDeletion(), true);
    expect(incidents).toHaveLength(1);
    const evidence = incidents[0]!.evidence;
    expect(evidence.coverage).toEqual([
      expect.objectContaining({ account: '111111111111', region: 'us-east-1', logFiles: 6, verified: 5, hashMatched: 1, problems: [] }),
    ]);
    expect(evidence.verdict).toBe('hashes-matched');
    // The table wraps the line: compare it with its line breaks undone.
    expect(table.replace(/\n\s+/g, ' ')).toMatch(/Evidence: all 6 log files of 111111111111\/us-east-1 from \S+ to \S+ match their digests/);
  });

  it('when a log file of the window is deleted then the incident evidence is incomplete and names it', async () => {
    const archive = withDeletion();
    rmSync(archive.logFiles[4]!.path);
    const { incidents, table } = await investigateJson(archive, false);
    const evidence = incidents[0]!.evidence;
    expect(evidence.verdict).toBe('incomplete');
    expect(evidence.coverage[0]!.problems).toEqual([`missing: ${archive.logFiles[4]!.key}`]);
    expect(table.replace(/\n\s+/g, ' ')).toMatch(/Evidence: INCOMPLETE evidence .*111111111111\/us-east-1: 1 problem \(missing 1\)/);
  });
});
