/** `investigate --emit-script FILE`: a shell script, or a boto3 program for FILE.py, written private and equal to the renderers' output. */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/correlate/incident.js';
import { renderRemediationPython } from '../../src/report/remediation-python.js';
import { renderRemediationScript } from '../../src/report/remediation-script.js';
import { tempDir } from '../support/cloudtrail.js';
import { cli } from '../support/cli.js';
import { scenarioDatabase, scenarioIncidents } from '../support/scenario.js';

describe('investigate --emit-script', () => {
  it.each([
    ['remediate.sh', 'remediation script written to', renderRemediationScript],
    ['remediate.py', 'remediation program written to', renderRemediationPython],
  ] as Array<[string, string, (incidents: Incident[]) => string]>)(
    'when the file is %s then it is written private (0600) over an existing file and equals the rendering of the same incidents',
    async (name, message, render) => {
      const db = scenarioDatabase();
      const file = join(tempDir(), name);
      writeFileSync(file, 'old', { mode: 0o644 });
      const result = await cli(['investigate', '--db', db, '--emit-script', file]);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(`${message} ${file}`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8')).toBe(render(await scenarioIncidents()));
    },
  );
});
