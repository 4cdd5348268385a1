import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/correlate/incident.js';
import { renderIncidentsSummary, renderIncidentsTable } from '../../src/report/incident-table.js';
import { commandLine } from '../../src/report/incident-view.js';
import { displayWidth, wrapText } from '../../src/report/table.js';
import { terminalSafe } from '../../src/report/terminal-safe.js';
import { scenarioIncidents } from '../support/scenario.js';
import { expectGolden } from './golden.js';
import { HOSTILE, hostileIncident, SHELLY } from './hostile-incident.js';

/** Anything a terminal would act on: C0 controls but newline, DEL, C1, bidirectional overrides. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** HOSTILE as every terminal output must show it: each control character a visible escape. */
const SHOWN = terminalSafe(HOSTILE);

/** Lines wider than `width` terminal columns, but for the recommendations' commands (never wrapped: they are pasted whole). */
function linesWiderThan(output: string, width: number, incidents: readonly Incident[]): string[] {
  const commandLines = new Set(
    incidents.flatMap((incident) => incident.recommendations.flatMap((recommendation) => recommendation.commands.flatMap((command) => `       ${commandLine(command)}`.split('\n')))),
  );
  return output.split('\n').filter((line) => displayWidth(line) > width && !commandLines.has(line));
}

/** Text without its whitespace: wrapping at fixed widths moves words to new lines and cuts long ones. */
function squash(text: string): string {
  return text.replace(/\s+/g, '');
}

/** The value cell of a key/value table row, its wrapped continuation lines joined. */
function keyValueCell(output: string, key: string): string {
  const lines = output.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`│ ${key} `));
  expect(start, key).toBeGreaterThanOrEqual(0);
  const cells: string[] = [];
  for (let index = start; index < lines.length; index += 1) {
    const match = /^│ (.*?) +│ (.*?) *│$/.exec(lines[index]!);
    if (!match || (index > start && match[1] !== '')) break;
    cells.push(match[2]!);
  }
  return cells.join(' ');
}

/** The lines from one that starts with `first` to the next empty line. */
function block(output: string, first: string): string {
  const start = output.indexOf(`\n${first}`);
  expect(start, first).toBeGreaterThanOrEqual(0);
  const end = output.indexOf('\n\n', start + 1);
  return output.slice(start + 1, end < 0 ? undefined : end);
}

describe('renderIncidentsTable', () => {
  it('when no incident matched then a single line says no DeleteInstanceProfile event matched', () => {
    expect(renderIncidentsTable([])).toBe('No DeleteInstanceProfile event matched.\n');
  });

  it('when the bundled scenario is rendered then the output matches the golden file byte for byte', async () => {
    expectGolden('scenario-table.txt', renderIncidentsTable(await scenarioIncidents()));
  });

  it('when no width is given then the output is laid out for 120 columns whatever the terminal, commands aside', async () => {
    const incidents = await scenarioIncidents();
    const original = Object.getOwnPropertyDescriptor(process.stdout, 'columns');
    try {
      Object.defineProperty(process.stdout, 'columns', { value: 40, configurable: true });
      const output = renderIncidentsTable(incidents);
      expect(output).toBe(renderIncidentsTable(incidents, 120));
      expect(linesWiderThan(output, 120, incidents)).toEqual([]);
    } finally {
      if (original) Object.defineProperty(process.stdout, 'columns', original);
      else delete (process.stdout as { columns?: number }).columns;
    }
  });

  it.each([80, 100, 160])('when the width is %i then no line but a command is wider, and every incident and event id is there whole', async (width) => {
    const incidents = await scenarioIncidents();
    const output = renderIncidentsTable(incidents, width);
    expect(linesWiderThan(output, width, incidents)).toEqual([]);
    for (const incident of incidents) {
      expect(output).toContain(incident.id);
      for (const change of incident.credentialChanges) expect(output).toContain(change.eventId);
      for (const instance of incident.affectedInstances) expect(output).toContain(instance.instanceId);
    }
  });

  it('when the terminal is 80 columns then the summary is stacked one block per incident; at 120 it is a table', async () => {
    const incidents = await scenarioIncidents();
    const narrow = renderIncidentsSummary(incidents, 80);
    expect(narrow.split('\n')[1]).toBe(`── 1/5 ${'─'.repeat(52)}`);
    expect(narrow).toMatch(/^verdict \/ impact {12}suspicious\/critical$/m);
    const wide = renderIncidentsSummary(incidents, 120);
    expect(wide.split('\n')[2]).toMatch(/^│ time +│ profile +│ verdict +│ acting identity +│$/);
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
    expect(output).toContain('  acting  arn:aws:sts::111111111111:assumed-role/InfraAdmin/maint  [AssumedRole, key ASIAJLU2TEFEHGFV4XBM, from\n          203.0.113.50]');
    for (const instance of deleted.affectedInstances) expect(output).toContain(instance.instanceId);
    expect(output).toContain('       aws iam create-instance-profile --profile "$TRAILSIFT_PROFILE_111111111111" --instance-profile-name web-app-profile --path /app/');
    expect(output).toContain('Verdict: SUSPICIOUS (critical, impact: broken): ');
    expect(output.split('\n')[3]).toMatch(/^│ incident id +│ outcome +│ impact +│ ← origin +│$/);
    expect(output.split('\nSignals\n')).toHaveLength(incidents.length + 1);
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

  it('when the new fields carry hostile values then impact, signals, sign-in, Identity Center, labels, creator chain and associations appear, escaped', () => {
    const base = hostileIncident();
    const incident = hostileIncident({
      actor: { ...base.actor, origin: { ...base.actor.origin, instanceId: `i-${HOSTILE}` } },
      affectedInstances: base.affectedInstances.map((instance, index) => (index === 1 ? { ...instance, associationId: 'iip-assoc-0e548ca5d9a8b3a55' } : instance)),
    });
    const output = renderIncidentsTable([incident]);
    expect(output.split('\n').filter((line) => CONTROL.test(line))).toEqual([]);

    // Impact: in the verdict and as a column of the summary table.
    expect(output).toContain('Verdict: SUSPICIOUS (critical, impact: broken): ');
    expect(squash(output)).toContain(squash('1 stopped instance(s) will start without their role'));
    const summary = output.slice(0, output.indexOf('═══'));
    expect(summary).toContain('suspicious/critical');
    expect(summary).toContain('impact broken');

    // Signals: one entry each, severity, id, summary and evidence.
    const signals = block(output, 'Signals\n');
    expect(signals.split('\n  - ')).toHaveLength(3);
    expect(signals).toContain('  - high offensive-tool-user-agent:');
    expect(squash(signals)).toContain(squash(`- high offensive-tool-user-agent: ${SHOWN} (evidence: ${SHOWN})`));
    expect(squash(signals)).toContain(squash(`- medium new-source-ip: address ${SHELLY} (evidence: ${SHELLY})`));

    // The actor: origin instance, console sign-in, Identity Center, hop labels.
    expect(squash(keyValueCell(output, 'origin instance'))).toBe(squash(`i-${SHOWN}`));
    expect(squash(keyValueCell(output, 'console sign-in'))).toBe(squash(`ConsoleLogin login-${SHOWN} at 2026-03-06T03:14:15Z from ${SHOWN}, MFA used: no`));
    expect(squash(keyValueCell(output, 'Identity Center'))).toBe(
      squash(`user ${SHOWN} (user ID ${SHOWN}, identity store ${SHOWN}) got credentials for role AWSReservedSSO_${SHOWN} in account 222222222222 (GetRoleCredentials sso-${SHOWN} at 2026-03-06T03:14:15Z)`),
    );
    expect(squash(output)).toContain(squash(`  origin  arn:aws:iam::222222222222:user/${SHELLY} (${SHOWN})  [IAMUser, key AKIAHOSTILE000000001, from ${SHOWN}]`));

    // The key creator's chain, after the key provenance: its hop's label, then its origin and instance.
    const creator = block(output, 'Key creator: ');
    expect(output).toMatch(/\nKey provenance: [^\n]*\n(?: {2}[^\n]*\n)*Key creator: /);
    expect(squash(creator)).toBe(
      squash(`Key creator: arn:aws:iam::222222222222:user/${SHOWN}, whose credentials came from: EC2 instance i-${SHOWN} (AssumeRole delivery-${SHOWN}) → origin ${SHOWN}, instance i-${SHOWN}`),
    );
    for (const line of creator.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(120);

    // Affected instances: the association under the instance, and the stopped status.
    const instances = block(output, 'Affected instances:\n');
    // A hostile instance ID is too long for any column: the rows are stacked, nothing is cut.
    expect(instances).toMatch(/^status \/ got profile via {19}stopped-at-deletion\n {43}RunInstances$/m);
    expect(instances).toMatch(/^ {43}iip-assoc-0e548ca5d9a8b3a55$/m);
    expect(instances).toContain('evil\\x1b[2J\\x1b]8;;http://');
  });

  it('when the origin has no sign-in, Identity Center link, instance or creator chain then those lines are left out', () => {
    const base = hostileIncident();
    const provenance = { ...base.actor.keyProvenance!, creatorChain: [], creatorOrigin: null };
    const output = renderIncidentsTable([{ ...base, actor: { ...base.actor, consoleLogin: null, identityCenter: null, keyProvenance: provenance } }]);
    for (const key of ['origin instance', 'console sign-in', 'Identity Center']) expect(output).not.toContain(`│ ${key} `);
    expect(output).not.toContain('Key creator:');
    // A creator acting on a temporary key whose issuing event is missing says so.
    const temporary = { ...provenance, createdByAccessKeyId: 'ASIAHOSTILE000000009' };
    const withTemporary = renderIncidentsTable([{ ...base, actor: { ...base.actor, keyProvenance: temporary } }]);
    expect(squash(block(withTemporary, 'Key creator: '))).toBe(
      squash(`Key creator: arn:aws:iam::222222222222:user/${SHOWN} used temporary key ASIAHOSTILE000000009; the event that issued it is not in the archive`),
    );
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
      assessment: { classification: 'suspicious', severity: 'high', reasons: [], impact: 'none', signals: [] },
    };
    const output = renderIncidentsTable([empty]);
    for (const heading of ['Credential changes', 'Affected instances:', 'Launch templates:', 'Launch configurations:', 'Failed launches after the deletion:']) {
      expect(output).toMatch(new RegExp(`${heading}\\n\\(none\\)`));
    }
    for (const heading of ['Assessment', 'Signals', 'Timeline', 'Recommendations']) expect(output).toContain(`${heading}\n  (none)`);
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

describe('resources of other services in the table', () => {
  it('when an incident has a dependent resource then its service, resource, status and failures are shown, made safe', () => {
    const output = renderIncidentsTable([hostileIncident()], 200);
    expect(output).toContain('Resources of other services that keep the profile:');
    expect(output).toContain('alive-at-deletion');
    expect(output).not.toContain('\u001b[2J');
  });

  it('when an incident has no dependent resource then the section is left out', () => {
    const output = renderIncidentsTable([hostileIncident({ dependentResources: [] })], 200);
    expect(output).not.toContain('Resources of other services');
  });
});
