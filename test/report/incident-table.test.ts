import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/correlate/incident.js';
import { renderIncidentsTable, wrapText } from '../../src/report/incident-table.js';
import { scenarioIncidents } from '../support/scenario.js';
import { expectGolden } from './golden.js';
import { HOSTILE, hostileIncident } from './hostile-incident.js';

/** Anything a terminal would act on: C0 controls but newline, DEL, C1, bidirectional overrides. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('renderIncidentsTable', () => {
  it('when no incident matched then a single line says no DeleteInstanceProfile event matched', () => {
    expect(renderIncidentsTable([])).toBe('No DeleteInstanceProfile event matched.\n');
  });

  it('when the bundled scenario is rendered then the output matches the golden file byte for byte', async () => {
    expectGolden('scenario-table.txt', renderIncidentsTable(await scenarioIncidents()));
  });

  it('when the terminal is narrow or wide then the output does not change', async () => {
    const incidents = await scenarioIncidents();
    const original = Object.getOwnPropertyDescriptor(process.stdout, 'columns');
    try {
      Object.defineProperty(process.stdout, 'columns', { value: 40, configurable: true });
      const narrow = renderIncidentsTable(incidents);
      Object.defineProperty(process.stdout, 'columns', { value: 300, configurable: true });
      expect(renderIncidentsTable(incidents)).toBe(narrow);
    } finally {
      if (original) Object.defineProperty(process.stdout, 'columns', original);
      else delete (process.stdout as { columns?: number }).columns;
    }
  });

  it('when the scenario is rendered then the summary lists incidents in the given order with their key facts', async () => {
    const incidents = await scenarioIncidents();
    const output = renderIncidentsTable(incidents);
    const positions = incidents.map((incident) => output.indexOf(incident.id));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const deleted = incidents.find((incident) => incident.outcome === 'deleted' && incident.assessment.severity === 'critical')!;
    expect(output).toContain(`═══ Incident 2/5: web-app-profile DELETED — suspicious/critical ═══`);
    expect(output).toContain('  origin  arn:aws:iam::222222222222:user/deploy-bot  [IAMUser, key AKIAHV7MGJ5SLMZ4HGXQ, from 203.0.113.50]');
    expect(output).toContain('     → AssumeRole 6df3755e-44c4-477f-8f8d-611c8c6bc8e7');
    expect(output).toContain('  acting  arn:aws:sts::111111111111:assumed-role/InfraAdmin/maint  [AssumedRole, key ASIAJLU2TEFEHGFV4XBM, from 203.0.113.50]');
    for (const instance of deleted.affectedInstances) expect(output).toContain(instance.instanceId);
    expect(output).toContain('       aws iam create-instance-profile --instance-profile-name web-app-profile --path /app/');
  });

  it('when record values carry terminal escapes, CR and bidi overrides then no control character reaches the output', () => {
    const output = renderIncidentsTable([hostileIncident()]);
    const lines = output.split('\n');
    expect(lines.filter((line) => CONTROL.test(line))).toEqual([]);
    expect(output).not.toContain('\u001b');
    expect(output).not.toContain('\r');
    // The escapes are shown, not dropped: a reader sees that something was there.
    expect(output).toContain('evil\\x1b[2J\\x1b]8;;http://evil\\x07link');
    expect(output).toContain('\\x0d');
    expect(output).toContain('\\u202e');
    expect(output).toContain('\\x9b');
  });

  it('when a record value holds a newline then it cannot start a line of its own', () => {
    const output = renderIncidentsTable([hostileIncident()]);
    for (const line of output.split('\n')) {
      expect(line.startsWith(' rm -rf')).toBe(false);
      expect(line.startsWith('touch PWNED')).toBe(false);
    }
    expect(HOSTILE).toContain('\n rm -rf /');
  });

  it('when an incident has empty lists then each section says (none)', () => {
    const empty: Incident = {
      ...hostileIncident({ recommendations: [] }),
      outcome: 'failed',
      errorCode: 'AccessDenied',
      errorMessage: 'not authorized',
      credentialChanges: [],
      affectedInstances: [],
      launchTemplates: [],
      launchConfigurations: [],
      failedLaunchesAfter: [],
      timeline: [],
      assessment: { classification: 'suspicious', severity: 'high', reasons: [] },
    };
    const output = renderIncidentsTable([empty]);
    for (const heading of ['Credential changes', 'Affected instances:', 'Launch templates:', 'Launch configurations:', 'Failed launches after the deletion:']) {
      expect(output).toMatch(new RegExp(`${heading}\\n\\(none\\)`));
    }
    for (const heading of ['Assessment', 'Timeline', 'Recommendations']) expect(output).toContain(`${heading}\n  (none)`);
    expect(output).toContain('DELETE ATTEMPT FAILED');
    expect(output).toContain('Error: AccessDenied: not authorized');
  });
});

describe('wrapText', () => {
  it('when text is longer than the width then it wraps on spaces and cuts long ARNs after a separator', () => {
    expect(wrapText('aaa bbb ccc', 7)).toBe('aaa bbb\nccc');
    expect(wrapText('arn:aws:sts::111111111111:assumed-role/TerraformDeploy/tf-1', 40)).toBe('arn:aws:sts::111111111111:assumed-role/\nTerraformDeploy/tf-1');
    expect(wrapText('x'.repeat(10), 4)).toBe('xxxx\nxxxx\nxx');
  });

  it('when the text already has newlines then each line is wrapped on its own', () => {
    expect(wrapText('short\nanother line', 8)).toBe('short\nanother\nline');
  });
});
