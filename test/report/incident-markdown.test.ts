import { describe, expect, it } from 'vitest';
import { renderIncidentsMarkdown } from '../../src/report/incident-markdown.js';
import { mdText } from '../../src/report/markdown-safe.js';
import { scenarioIncidents } from '../support/scenario.js';
import { expectGolden } from './golden.js';
import { HOSTILE, hostileIncident, SHELLY } from './hostile-incident.js';
import { brokenTableRows, splitFences } from './markdown-check.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('renderIncidentsMarkdown', () => {
  it('when no incident matched then a single line says no DeleteInstanceProfile event matched', () => {
    expect(renderIncidentsMarkdown([])).toBe('No DeleteInstanceProfile event matched.\n');
  });

  it('when the bundled scenario is rendered then the output matches the golden file byte for byte', async () => {
    expectGolden('scenario.md', renderIncidentsMarkdown(await scenarioIncidents()));
  });

  it('when the scenario is rendered then each incident has its heading, sections, and commands in sh fences', async () => {
    const incidents = await scenarioIncidents();
    const markdown = renderIncidentsMarkdown(incidents);
    expect(markdown).toContain('## Incident: web-app-profile delete attempt failed — suspicious/high\n');
    expect(markdown).toContain('## Incident: web-app-profile deleted — suspicious/critical\n');
    expect(markdown).toContain('## Incident: eks-nodegroup-ng1-profile deleted — service/info\n');
    for (const section of ['**Verdict:**', '**Actor chain**', '**Credential changes**', '**Impact**', '**Signals**', '**Timeline**', '**Recommendations**']) {
      expect(markdown.split(section)).toHaveLength(incidents.length + 1);
    }
    expect(markdown).toContain(
      '1. arn:aws:iam::222222222222:user/deploy-bot (IAMUser, key AKIAHV7MGJ5SLMZ4HGXQ, from 203.0.113.50) — **origin**\n' +
        '2. arn:aws:sts::111111111111:assumed-role/OrgAdminAccess/deploy-bot (AssumedRole, key ASIAROIY7TCBOJ6DT5VX, from 203.0.113.50); key issued by AssumeRole 6df3755e-44c4-477f-8f8d-611c8c6bc8e7\n',
    );
    const parts = splitFences(markdown);
    expect(parts.unclosed).toBe(false);
    // Each recommendation's CLI lines in an sh fence, then its boto3 lines in a python fence.
    const withCommands = incidents.flatMap((incident) => incident.recommendations).filter((recommendation) => recommendation.commands.length > 0);
    expect(parts.fences.map((fence) => fence.info)).toEqual(withCommands.flatMap((recommendation) => (recommendation.python.length > 0 ? ['sh', 'python'] : ['sh'])));
    expect(parts.fences.map((fence) => fence.body.join('\n'))).toEqual(
      withCommands.flatMap((recommendation) => [recommendation.commands.join('\n'), ...(recommendation.python.length > 0 ? [recommendation.python.join('\n')] : [])]),
    );
    expect(brokenTableRows(parts.outside)).toEqual([]);
  });

  it('when the deleting call names its Identity Center user then the actor facts say so', async () => {
    const [first] = await scenarioIncidents();
    const incident = { ...first!, actor: { ...first!.actor, onBehalfOf: { userId: '544894e8-80c1-707f-60e3-3ba6510dfac1', identityStoreArn: 'arn:aws:identitystore::999999999999:identitystore/d-1234567890' } } };
    expect(renderIncidentsMarkdown([incident])).toContain('| On behalf of | user ID 544894e8-80c1-707f-60e3-3ba6510dfac1 in identity store arn:aws:identitystore::999999999999:identitystore/d-1234567890 (named by the deleting call itself) |');
  });

  it('when record values carry HTML then no raw tag reaches the Markdown outside code blocks', () => {
    const parts = splitFences(renderIncidentsMarkdown([hostileIncident()]));
    const text = parts.outside.join('\n');
    expect(text).not.toMatch(/<script/i);
    expect(text).not.toContain('<');
    expect(text).not.toContain('>');
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;');
  });

  it('when record values carry pipes, backslashes and newlines then every table row keeps its column count', () => {
    const markdown = renderIncidentsMarkdown([hostileIncident()]);
    const parts = splitFences(markdown);
    const rows = parts.outside.filter((line) => line.startsWith('|'));
    expect(rows.length).toBeGreaterThan(10);
    expect(brokenTableRows(parts.outside)).toEqual([]);
    // Every table line is a whole row: a record newline could otherwise start a line that is not one.
    for (const line of parts.outside) if (line.includes('PWNED')) expect(/^(\||\*\*|\d+\. |## |- |Why: |Evidence: |Key provenance: |Key creator: )/.test(line)).toBe(true);
  });

  it('when the new fields carry hostile values then impact, signals, sign-in, Identity Center, labels, creator chain and associations appear, escaped', () => {
    const base = hostileIncident();
    const incident = hostileIncident({
      actor: { ...base.actor, origin: { ...base.actor.origin, instanceId: `i-${HOSTILE}` } },
      affectedInstances: base.affectedInstances.map((instance, index) => (index === 1 ? { ...instance, associationId: 'iip-assoc-0e548ca5d9a8b3a55' } : instance)),
    });
    const markdown = renderIncidentsMarkdown([incident]);
    const parts = splitFences(markdown);
    const lines = parts.outside;
    expect(brokenTableRows(lines)).toEqual([]);
    expect(lines.join('\n')).not.toContain('<');
    const shown = mdText(HOSTILE);
    // mdText's escapes, spelled out once: HTML as entities, pipes and backticks behind backslashes, controls visible.
    expect(shown).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;');
    expect(shown).toContain('CR\\|pipe\\|\\`\\`\\`\\`tick');
    expect(shown).toContain('\\\\x0a rm -rf');

    // Impact: in the verdict, the facts, and as a column of the summary table.
    expect(markdown).toContain('**Verdict:** SUSPICIOUS (critical, impact: broken): ');
    expect(lines[2]).toBe('| Time | Outcome | Profile | Classification | Severity | Impact | Acting identity | Origin | Running instances lost | Failed launches | Incident |');
    expect(lines[4]).toMatch(/^\| 2026-03-06T03:14:15Z \| deleted \| .* \| suspicious \| critical \| broken \| /);
    expect(lines).toContain('| Impact | broken |');

    // Signals: a list item each, with severity, id, summary and evidence.
    const signals = markdown.slice(markdown.indexOf('**Signals**\n'), markdown.indexOf('**Timeline**'));
    expect(signals).toBe(
      `**Signals**\n\n- high offensive-tool-user-agent: ${shown} (evidence: ${shown})\n- medium new-source-ip: address ${mdText(SHELLY)} (evidence: ${mdText(SHELLY)})\n\n`,
    );

    // The actor: origin instance, console sign-in, Identity Center, hop labels.
    expect(lines).toContain(`| Origin instance | i-${shown} |`);
    expect(lines).toContain(`| Console sign-in | ConsoleLogin login-${shown} at 2026-03-06T03:14:15Z from ${shown}, MFA used: no |`);
    expect(lines).toContain(
      `| Identity Center | user ${shown} (user ID ${shown}, identity store ${shown}) got credentials for role AWSReservedSSO\\_${shown} in account 222222222222 (GetRoleCredentials sso-${shown} at 2026-03-06T03:14:15Z) |`,
    );
    expect(lines.some((line) => line.startsWith(`1. ${mdText(`arn:aws:iam::222222222222:user/${SHELLY}`)} (${shown}) (IAMUser, `))).toBe(true);

    // The key creator's chain: its own paragraph right after the key provenance.
    const creator = `Key creator: ${mdText(`arn:aws:iam::222222222222:user/${HOSTILE}`)}, whose credentials came from: EC2 instance i-${shown} (AssumeRole delivery-${shown}) → origin ${shown}, instance i-${shown}`;
    const provenance = lines.findIndex((line) => line.startsWith('Key provenance: '));
    expect(lines.slice(provenance + 1, provenance + 3)).toEqual(['', creator]);

    // Affected instances: the association column and the stopped status.
    expect(lines).toContain('| Instance | Region | Status | Got profile via | Association | Launch event |');
    expect(lines).toContain(`| i-${mdText(SHELLY)} | us-east-1 | stopped-at-deletion | RunInstances | iip-assoc-0e548ca5d9a8b3a55 | e-launch |`);
    expect(lines).toContain(`| i-${shown} | ${shown} | running-at-deletion | ${shown} | ${shown} | ${shown} |`);
  });

  it('when the origin has no sign-in, Identity Center link, instance, creator chain or signal then those lines are left out or say (none)', () => {
    const base = hostileIncident();
    const provenance = { ...base.actor.keyProvenance!, creatorChain: [], creatorOrigin: null };
    const markdown = renderIncidentsMarkdown([
      {
        ...base,
        actor: { ...base.actor, consoleLogin: null, identityCenter: null, keyProvenance: provenance },
        assessment: { ...base.assessment, signals: [] },
      },
    ]);
    for (const row of ['| Origin instance |', '| Console sign-in |', '| Identity Center |', 'Key creator: ']) expect(markdown).not.toContain(row);
    expect(markdown).toContain('**Signals**\n\n(none)\n');
  });

  it('when record values carry backtick runs then code fences close only where they should', () => {
    const incident = hostileIncident();
    const parts = splitFences(renderIncidentsMarkdown([incident]));
    expect(parts.unclosed).toBe(false);
    const blocks = incident.recommendations.reduce((count, recommendation) => count + (recommendation.commands.length > 0 ? 1 : 0) + (recommendation.python.length > 0 ? 1 : 0), 0);
    expect(parts.fences).toHaveLength(blocks);
    for (const fence of parts.fences) {
      expect(['sh', 'python']).toContain(fence.info);
      const longest = Math.max(0, ...fence.body.map((line) => Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length))));
      expect(fence.fence.length).toBeGreaterThan(longest);
    }
  });

  it('when record values carry control characters then none reaches the output, in or out of code blocks', () => {
    const markdown = renderIncidentsMarkdown([hostileIncident()]);
    expect(markdown.split('\n').filter((line) => CONTROL.test(line))).toEqual([]);
  });

  it('when a command holds a record newline then its code block shows it escaped behind a comment, never as a runnable line', () => {
    const parts = splitFences(renderIncidentsMarkdown([hostileIncident()]));
    const code = parts.fences.flatMap((fence) => fence.body);
    expect(code.filter((line) => /^\s*(rm|touch)\b/.test(line))).toEqual([]);
    expect(code).toContain("aws iam get-user --profile \"$TRAILSIFT_PROFILE_222222222222\" --user-name 'eve'\\'';touch PWNED;'\\''$(touch PWNED)`touch PWNED`|x'");
    expect(code.some((line) => line.startsWith('# SKIPPED, contains control characters (shown escaped): aws iam get-user'))).toBe(true);
  });
});

describe('resources of other services in Markdown', () => {
  it('when an incident has a dependent resource then a table lists it and its failures after, with no broken rows', () => {
    const markdown = renderIncidentsMarkdown([hostileIncident()]);
    expect(markdown).toContain('Resources of other services that keep the profile:');
    expect(markdown).toContain('| Kind | Resource | Region | Account | Status | Event ID | Via launch template | Failures after |');
    expect(markdown).toContain('| Batch compute environment | arn:aws:batch:');
    expect(markdown).toContain('alive-at-deletion');
    expect(brokenTableRows(markdown.split('\n'))).toEqual([]);
  });
});
