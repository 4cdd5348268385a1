import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/correlate/incident.js';
import { recommend } from '../../src/correlate/recommend.js';
import { remediationPlan } from '../../src/report/remediation-plan.js';
import { renderRemediationScript, stepLines } from '../../src/report/remediation-script.js';
import { cliProblems } from '../support/aws-cli-check.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/cloudtrail.js';
import { pathsIncidents } from '../support/paths.js';
import { ACCOUNT, actor, incident, input } from '../support/remediation-incident.js';
import {
  type Answers,
  PATHS_ANSWERS,
  SCENARIO_ANSWERS,
  callKeyText,
  codeLines,
  GUARD,
  normaliseCalls,
  PHASE_OF_OPERATION,
  plannedCalls,
  profileEnv,
  profileOf,
  recordedKey,
  type Run,
  runScript,
  withoutGuard,
} from '../support/remediation-run.js';
import { scenarioIncidents } from '../support/scenario.js';
import { shellWords } from '../support/shell-words.js';
import { expectGolden } from './golden.js';
import { HOSTILE, hostileIncident, SHELLY } from './hostile-incident.js';

const PLACEHOLDER = /<[a-z][\w-]*>/i;
/** The script's last word: every step ran, or every step but those it counts as left undone. */
const FINAL_LINE = /^trailsift remediation: every step above ran( except [^:]+: see those above)?; check the verify output of each re-association\.$/;
const REASSOCIATION_CHECK = '[ -z "${REASSOCIATION_FAILED:-}" ] || { echo "trailsift remediation: re-association failed for:${REASSOCIATION_FAILED}" >&2; exit 1; }';

/** The value after `--name` in a recorded call, or null. */
function optionValue(call: string, name: string): string | null {
  const words = shellWords(call);
  const at = words.indexOf(name);
  return at < 0 ? null : (words[at + 1] ?? null);
}

const has = (call: string, ...options: string[]): boolean => options.every((option) => shellWords(call).includes(option));
const callsOf = (run: Run, service: string, operation: string): string[] => run.calls.filter((call) => call.startsWith(`aws ${service} ${operation} `));

function accountsOf(incidents: Incident[]): string[] {
  return remediationPlan(incidents).accounts;
}

/** The checks every complete run must pass: the plan's calls in its order, each with its account's profile, phases in order. */
function expectCompleteRun(run: Run, incidents: Incident[], answers: Answers): void {
  expect(run.stderr.trimEnd().split('\n').at(-1)).toMatch(FINAL_LINE);
  expect(run.status).toBe(0);
  expect(run.calls.filter((call) => !call.startsWith('aws '))).toEqual([]);
  const recorded = run.calls.map(recordedKey);
  // With no policy yet the first read answers NoSuchEntity and the other two are skipped.
  const planned = plannedCalls(incidents, { associations: answers.associations, held: answers.held, policyReads: answers.policy === 'none' ? 1 : 3 });
  expect(recorded.map(callKeyText)).toEqual(planned.map(callKeyText));
  // Independently of the plan: what each call does puts it in a phase, and phases never go back.
  const phases = recorded.map((call) => {
    const phase = PHASE_OF_OPERATION[`${call.service} ${call.operation}`];
    expect(phase, `${call.service} ${call.operation} has no phase in the test's table`).toBeDefined();
    return phase!;
  });
  for (let index = 1; index < phases.length; index++) expect(phases[index]!, `call ${index}: ${run.calls[index]}`).toBeGreaterThanOrEqual(phases[index - 1]!);
  // -1: the check that each profile reaches its own account, before any change.
  expect(new Set(phases)).toEqual(new Set([-1, 0, 1, 2]));
  // Every call names a profile, the one of an account the plan needs; never a variable left unexpanded.
  const profiles = new Set(accountsOf(incidents).map(profileOf));
  for (const call of run.calls) expect(profiles.has(optionValue(call, '--profile') ?? ''), call).toBe(true);
  expect(run.calls.filter((call) => PLACEHOLDER.test(call) || call.includes('$'))).toEqual([]);
  expect(callsOf(run, 'iam', 'delete-access-key')).toEqual([]);
  expect(run.calls.filter((call) => call.includes('--max-password-age'))).toEqual([]);
  // What reached aws, as the shell passed it, is a real command with real options.
  expect(run.calls.flatMap(cliProblems)).toEqual([]);
}

/** Before any instance is pointed at a profile, the profile was created and waited for in the same account. */
function expectWaitBeforeAssociation(run: Run): void {
  const associations = run.calls.flatMap((call, index) => (/^aws ec2 (associate-iam-instance-profile|replace-iam-instance-profile-association) /.test(call) ? [index] : []));
  expect(associations.length).toBeGreaterThan(0);
  for (const index of associations) {
    const call = run.calls[index]!;
    const name = /Name=([\w+=,.@-]+)/.exec(optionValue(call, '--iam-instance-profile') ?? '')?.[1];
    const profile = optionValue(call, '--profile');
    const waited = run.calls.findIndex((other) => other.startsWith('aws iam wait instance-profile-exists ') && optionValue(other, '--instance-profile-name') === name && optionValue(other, '--profile') === profile);
    const created = run.calls.findIndex((other) => other.startsWith('aws iam create-instance-profile ') && optionValue(other, '--instance-profile-name') === name && optionValue(other, '--profile') === profile);
    expect(waited, `no wait for ${name} before ${call}`).toBeGreaterThanOrEqual(0);
    expect(waited).toBeLessThan(index);
    expect(created).toBeLessThan(waited);
  }
}

/**
 * Per instance: described twice first (an association still of the profile's name, then any
 * association), then replaced (it holds ours) or associated (it holds none), or left alone
 * (held by another profile), then described again to verify.
 */
function expectReassociations(run: Run, instances: Array<{ instanceId: string; region: string; profile: string; association: string | null; held?: boolean }>): void {
  for (const instance of instances) {
    const describes = run.calls.flatMap((call, index) =>
      call.startsWith('aws ec2 describe-iam-instance-profile-associations ') && call.includes(`Name=instance-id,Values=${instance.instanceId}`) ? [index] : [],
    );
    expect(describes, instance.instanceId).toHaveLength(3);
    const [ours, held, verify] = describes.map((index) => run.calls[index]!);
    for (const read of [ours!, held!]) {
      expect(has(read, 'Name=state,Values=associated'), 'the first describes read the association still held').toBe(true);
      expect(optionValue(read, '--region')).toBe(instance.region);
      expect(optionValue(read, '--output')).toBe('text');
    }
    expect(optionValue(ours!, '--query')).toBe(`IamInstanceProfileAssociations[?ends_with(IamInstanceProfile.Arn, '/${instance.profile}')].AssociationId | [0]`);
    expect(optionValue(held!, '--query')).toBe('IamInstanceProfileAssociations[0].AssociationId');
    expect(describes[1]).toBe(describes[0]! + 1);
    expect(optionValue(verify!, '--query')).toBeNull();
    expect(has(verify!, 'Name=state,Values=associated')).toBe(false);
    const between = run.calls.slice(describes[1]! + 1, describes[2]!);
    if (instance.held) {
      expect(between, instance.instanceId).toEqual([]);
      expect(run.stderr).toContain(`${instance.instanceId} now holds another profile's association: left as it is, check it\n`);
      continue;
    }
    expect(run.stderr).not.toContain(`${instance.instanceId} now holds another profile's association`);
    expect(between, instance.instanceId).toHaveLength(1);
    const change = between[0]!;
    expect(optionValue(change, '--region')).toBe(instance.region);
    expect(optionValue(change, '--iam-instance-profile')).toBe(`Name=${instance.profile}`);
    if (instance.association) {
      expect(change).toMatch(/^aws ec2 replace-iam-instance-profile-association /);
      expect(optionValue(change, '--association-id')).toBe(instance.association);
    } else {
      expect(change).toMatch(/^aws ec2 associate-iam-instance-profile /);
      expect(optionValue(change, '--instance-id')).toBe(instance.instanceId);
    }
  }
}

describe('renderRemediationScript', () => {
  it('when the bundled scenario is rendered then the script matches the golden file byte for byte', async () => {
    expectGolden('scenario-remediation.sh', renderRemediationScript(await scenarioIncidents()));
  });

  it('when the script is run as generated then it exits 1 without running any command, even with every profile set', async () => {
    const incidents = await scenarioIncidents();
    const run = runScript(renderRemediationScript(incidents), profileEnv(accountsOf(incidents)), SCENARIO_ANSWERS);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('Review this script, then remove the next line to run it.\n');
    expect(run.marker).toBe(false);
    expect(run.calls).toEqual([]);
  });

  it('when the guard is the first code then set -eu and one check per account profile follow it, before any command', async () => {
    const incidents = await scenarioIncidents();
    const script = renderRemediationScript(incidents);
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    const accounts = accountsOf(incidents);
    expect(accounts).toEqual(['111111111111', '222222222222']);
    const checks = accounts.map((account) => `: "\${TRAILSIFT_PROFILE_${account}:?set TRAILSIFT_PROFILE_${account} to the AWS CLI profile for account ${account}}"`);
    expect(codeLines(script).slice(0, 3 + accounts.length)).toEqual([...GUARD, 'set -eu', ...checks]);
    for (const account of accounts) expect(script).toContain(`\n#   TRAILSIFT_PROFILE_${account}   profile for account ${account}\n`);
  });

  it('when the scenario, the paths archive and the hostile incident are rendered then each script is valid sh', async () => {
    for (const incidents of [await scenarioIncidents(), await pathsIncidents(), [hostileIncident()]]) {
      const check = spawnSync('sh', ['-n'], { input: renderRemediationScript(incidents), encoding: 'utf8' });
      expect(check.stderr).toBe('');
      expect(check.status).toBe(0);
    }
  });

  it('when a command holds a placeholder then it is commented out behind # FILL IN: and no code line holds one', async () => {
    for (const incidents of [await scenarioIncidents(), await pathsIncidents()]) {
      const script = renderRemediationScript(incidents);
      const withPlaceholder = [...new Set(incidents.flatMap((incident) => incident.recommendations.flatMap((recommendation) => recommendation.commands)))].filter(
        (command) => !command.trimStart().startsWith('#') && PLACEHOLDER.test(command) && !command.startsWith('npx trailsift'),
      );
      expect(withPlaceholder.length).toBeGreaterThan(0);
      for (const command of withPlaceholder) expect(script).toMatch(new RegExp(`\\n# (FILL IN|already above \\(incident [^)]*\\)): ${command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`));
      expect(codeLines(script).filter((line) => PLACEHOLDER.test(line))).toEqual([]);
      for (const line of script.split('\n').filter((line) => PLACEHOLDER.test(line))) expect(line.startsWith('#'), line).toBe(true);
    }
  });

  it('when a deleted trail is to be created again then the create waits for its bucket and the start for the create: neither runs as code, and the rest goes on', () => {
    const built = input({}, { trailTampering: [{ eventId: 'e-delete-trail', eventName: 'DeleteTrail', trailName: 'org-trail', region: 'eu-west-1', accountId: ACCOUNT }] });
    const script = renderRemediationScript([{ ...(built.incident as Incident), recommendations: recommend(built) }]);
    expect(script).toMatch(/\n# FILL IN: (tolerate \S+ )?aws cloudtrail create-trail .*--s3-bucket-name <s3-bucket-name>/);
    expect(script).toMatch(/\n# FILL IN \(after the step above\): aws cloudtrail start-logging .*--name org-trail\n/);
    expect(codeLines(script).filter((line) => line.includes('cloudtrail'))).toEqual([]);
    // Containment after it is still code: the key is deactivated.
    expect(codeLines(script).some((line) => line.includes('aws iam update-access-key'))).toBe(true);
  });

  it('when the reader fills in the trail’s bucket and removes the prefixes then the create and the start run, the create through tolerate()', () => {
    const built = input({}, { trailTampering: [{ eventId: 'e-delete-trail', eventName: 'DeleteTrail', trailName: 'org-trail', region: 'eu-west-1', accountId: ACCOUNT }] });
    const incidents = [{ ...(built.incident as Incident), recommendations: recommend(built) }];
    const filled = withoutGuard(renderRemediationScript(incidents))
      .split('\n')
      .map((line) => (line.startsWith('# FILL IN: ') && line.includes('create-trail') ? line.slice('# FILL IN: '.length).replace('<s3-bucket-name>', 'audit-bucket') : line))
      .map((line) => (line.startsWith('# FILL IN (after the step above): ') ? line.slice('# FILL IN (after the step above): '.length) : line))
      .join('\n');
    const run = runScript(filled, profileEnv(accountsOf(incidents)));
    expect(run.stderr).not.toContain('tolerate: not found');
    expect(run.status).toBe(0);
    expect(callsOf(run, 'cloudtrail', 'create-trail')).toHaveLength(1);
    expect(callsOf(run, 'cloudtrail', 'start-logging')).toHaveLength(1);
  });

  it('when steps are left to fill in or to do by hand then the script’s last word counts them instead of claiming every step ran', () => {
    // Left to fill in, counted by hand: the trail's create and start, the SCP's create and attach, the alert's target.
    const trail = input({}, { trailTampering: [{ eventId: 'e-delete-trail', eventName: 'DeleteTrail', trailName: 'org-trail', region: 'eu-west-1', accountId: ACCOUNT }] });
    const trailIncidents = [{ ...(trail.incident as Incident), recommendations: recommend(trail) }];
    const trailRun = runScript(withoutGuard(renderRemediationScript(trailIncidents)), profileEnv(accountsOf(trailIncidents)));
    expect(trailRun.stderr.trimEnd().split('\n').at(-1)).toBe(
      'trailsift remediation: every step above ran except 5 left to fill in (# FILL IN): see those above; check the verify output of each re-association.',
    );
    // The root user's key is deactivated by hand: the one manual step, besides the guard's three.
    const rootArn = `arn:aws:iam::${ACCOUNT}:root`;
    const root = input({ actor: { ...(trail.incident as Incident).actor, type: 'Root', arn: rootArn, accessKeyId: 'AKIAROOT000000000001', sessionIssuerArn: null, chain: [], origin: { arn: rootArn, type: 'Root', accessKeyId: 'AKIAROOT000000000001', accountId: ACCOUNT, label: rootArn, instanceId: null, instanceRegion: null } } });
    const rootScript = renderRemediationScript([{ ...(root.incident as Incident), recommendations: recommend(root) }]);
    expect(rootScript).toContain('# root user key AKIAROOT000000000001: sign in as the root user');
    expect(rootScript).toContain('echo "trailsift remediation: every step above ran except 3 left to fill in (# FILL IN), 1 to do by hand: see those above; check the verify output of each re-association." >&2');
  });

  it('when two incidents recommend the same step then it runs once and the repeats are commented "already above"', async () => {
    const script = renderRemediationScript(await scenarioIncidents());
    const deactivate = 'aws iam update-access-key --profile "$TRAILSIFT_PROFILE_222222222222" --user-name deploy-bot --access-key-id AKIAHV7MGJ5SLMZ4HGXQ --status Inactive';
    expect(codeLines(script).filter((line) => line === deactivate)).toHaveLength(1);
    const repeats = script.split('\n').filter((line) => line === `# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): ${deactivate}`);
    expect(repeats).toHaveLength(2);
    expect(codeLines(script).filter((line) => line.startsWith('aws events put-rule '))).toHaveLength(1);
  });

  it('when a key is deactivated then its delete is only a "# later" comment, never code', async () => {
    const script = renderRemediationScript(await scenarioIncidents());
    const later = 'aws iam delete-access-key --profile "$TRAILSIFT_PROFILE_222222222222" --user-name deploy-bot --access-key-id AKIAHV7MGJ5SLMZ4HGXQ';
    expect(script).toContain(`\n# later, once nothing legitimate breaks: ${later}\n`);
    expect(codeLines(script).filter((line) => line.includes('delete-access-key'))).toEqual([]);
  });

  it('when investigation steps are planned then the script holds no trailsift command (they are read-only, for the reports)', async () => {
    for (const incidents of [await scenarioIncidents(), await pathsIncidents()]) {
      const script = renderRemediationScript(incidents);
      expect(incidents.some((incident) => incident.recommendations.some((recommendation) => recommendation.id === 'investigate-principal'))).toBe(true);
      expect(script.split('\n').filter((line) => /npx trailsift|trailsift (timeline|events|query)\b|<case\.db>/.test(line))).toEqual([]);
    }
  });

  it('when there are no incidents then the script says so in a comment and still exits 1', () => {
    const script = renderRemediationScript([]);
    expect(script).toContain('# No DeleteInstanceProfile incident: there is nothing to run.\n');
    expect(codeLines(script)).toEqual([...GUARD, 'set -eu']);
    const run = runScript(script);
    expect(run.status).toBe(1);
    expect(run.marker).toBe(false);
  });

  it('when no incident has recommendations then the script says so in a comment and still exits 1', async () => {
    const benign = (await scenarioIncidents()).filter((incident) => incident.recommendations.length === 0);
    expect(benign.length).toBeGreaterThan(0);
    const script = renderRemediationScript(benign);
    expect(script).toContain('# No incident has recommendations: there is nothing to run.\n');
    expect(script).toContain('# No recommendations (classified service/info).\n');
    expect(codeLines(script)).toEqual([...GUARD, 'set -eu']);
    expect(runScript(script).status).toBe(1);
  });

  it('when record values hold a newline followed by a command then no line of the script runs it', () => {
    const incident = hostileIncident();
    expect(HOSTILE).toContain('\n rm -rf /');
    const script = renderRemediationScript([incident]);
    const profileCheck = /^: "\$\{TRAILSIFT_PROFILE_(\d{12}):\?set TRAILSIFT_PROFILE_\1 to the AWS CLI profile for account \1\}"$/;
    const allowed = new Set([...GUARD, 'set -eu', REASSOCIATION_CHECK, ...incident.recommendations.flatMap((recommendation) => recommendation.commands)]);
    const finalEcho = (line: string): boolean => line.startsWith('echo "') && line.endsWith('" >&2') && FINAL_LINE.test(line.slice('echo "'.length, -'" >&2'.length));
    const accountCheck =
      /^\[ "\$\(aws sts get-caller-identity --profile "\$TRAILSIFT_PROFILE_(\d{12})" --query Account --output text\)" = \1 \] \|\| \{ echo "TRAILSIFT_PROFILE_\1 does not reach account \1: nothing was changed" >&2; exit 1; \}$/;
    for (const line of codeLines(script)) expect(allowed.has(line) || finalEcho(line) || profileCheck.test(line) || accountCheck.test(line), `unexpected code line: ${JSON.stringify(line)}`).toBe(true);
    expect(script.split('\n').filter((line) => /^\s*(rm|touch)\b/.test(line))).toEqual([]);
    // eslint-disable-next-line no-control-regex
    expect(script.split('\n').filter((line) => /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/.test(line))).toEqual([]);
    expect(script).toContain('# not run (control characters in a logged value): aws iam get-user');
  });

  it('when the hostile script is run without its guard then no injected command runs and values reach aws as literals', () => {
    const incidents = [hostileIncident()];
    const script = renderRemediationScript(incidents);
    expect(spawnSync('sh', ['-n'], { input: script }).status).toBe(0);
    const run = runScript(withoutGuard(script), profileEnv(accountsOf(incidents)));
    expect(run.stderr.trimEnd().split('\n').at(-1)).toMatch(FINAL_LINE);
    expect(run.status).toBe(0);
    expect(existsSync(join(run.dir, 'PWNED'))).toBe(false);
    const getUser = callsOf(run, 'iam', 'get-user');
    expect(getUser.map((call) => optionValue(call, '--user-name'))).toEqual([SHELLY]);
    expect(optionValue(getUser[0]!, '--profile')).toBe('prof-222222222222');
    // Someone else set SHELLY's password and it never signed in before: its console access goes, no reset-required alone.
    expect(callsOf(run, 'iam', 'delete-login-profile').map((call) => optionValue(call, '--user-name'))).toEqual([SHELLY]);
    expect(callsOf(run, 'iam', 'update-login-profile')).toEqual([]);
    const revoke = callsOf(run, 'iam', 'put-role-policy');
    expect(revoke.map((call) => optionValue(call, '--role-name'))).toEqual([SHELLY]);
    expect(run.calls.filter((call) => PLACEHOLDER.test(call))).toEqual([]);
  });

  it('when an incident id or title carries a newline then the comment header stays comments', () => {
    const incident: Incident = { ...hostileIncident(), id: 'x\n rm -rf / #' };
    const script = renderRemediationScript([incident]);
    expect(script).toContain('# Incident x\\x0a rm -rf / #\n');
    expect(script.split('\n').some((line) => line.startsWith(' rm'))).toBe(false);
  });

  it('when the reader fills in the virtual MFA step then the seed file the CLI writes is private (0600)', async () => {
    const incidents = await scenarioIncidents();
    const script = renderRemediationScript(incidents);
    const fillIn = script.split('\n').find((line) => line.startsWith('# FILL IN: (umask 077 && aws iam create-virtual-mfa-device '));
    expect(fillIn).toBeDefined();
    const dir = tempDir('trailsift-seed-');
    const seed = join(dir, 'ops-admin.seed');
    const filled = fillIn!.replace(/^# FILL IN: /, '').replace('<seed-file>', seed);
    const run = runScript(`set -eu\numask 022\n${filled}\n`, profileEnv(accountsOf(incidents)));
    expect(run.status).toBe(0);
    expect(run.calls).toHaveLength(1);
    expect(optionValue(run.calls[0]!, '--outfile')).toBe(seed);
    expect(optionValue(run.calls[0]!, '--bootstrap-method')).toBe('Base32StringSeed');
    expect(statSync(seed).mode & 0o777).toBe(0o600);
  });
});

describe('the bundled scenario script, run against a stub aws', () => {
  let incidents: Incident[] = [];
  let run: Run;
  beforeAll(async () => {
    incidents = await scenarioIncidents();
    run = runScript(withoutGuard(renderRemediationScript(incidents)), profileEnv(accountsOf(incidents)), SCENARIO_ANSWERS);
  });

  it('when every profile variable is set then it runs to the end: the plan’s calls, in order, each with its own account’s profile', () => {
    expectCompleteRun(run, incidents, SCENARIO_ANSWERS);
    const profiles = new Set(run.calls.map((call) => optionValue(call, '--profile')));
    expect(profiles).toEqual(new Set(['prof-111111111111', 'prof-222222222222']));
    expect(new Set(run.calls).size).toBe(run.calls.length);
  });

  it('when the calls are recorded then they match the golden file', () => {
    expectGolden('scenario-remediation-calls.txt', normaliseCalls(run.calls));
  });

  it('when the profile is restored then it is created, given its role and waited for before any instance is associated', () => {
    expectWaitBeforeAssociation(run);
    expect(callsOf(run, 'iam', 'create-instance-profile').map((call) => [optionValue(call, '--instance-profile-name'), optionValue(call, '--path')])).toEqual([['web-app-profile', '/app/']]);
    expect(callsOf(run, 'iam', 'add-role-to-instance-profile').map((call) => optionValue(call, '--role-name'))).toEqual(['web-app-role']);
  });

  it('when an instance still holds an association then it is replaced with the described ID; where none remains one is associated', () => {
    expectReassociations(run, [
      { instanceId: 'i-0121cb727899875c6', region: 'us-west-2', profile: 'web-app-profile', association: null },
      { instanceId: 'i-017d6669bada146ca', region: 'us-west-2', profile: 'web-app-profile', association: null },
      { instanceId: 'i-07895937177b09085', region: 'eu-west-1', profile: 'web-app-profile', association: null },
      // The log named iip-assoc-0e548ca5d9a8b3a55; the one described now is what the call must use.
      { instanceId: 'i-0e245e90cc3f2279c', region: 'us-east-1', profile: 'web-app-profile', association: 'iip-assoc-0ca11ed0000000001' },
    ]);
    // The terminated instance is left alone.
    expect(run.calls.filter((call) => call.includes('i-043b4795b13d335ab'))).toEqual([]);
  });

  it('when the password policy is updated then the current one was read first and every setting is passed, the max of current and target', () => {
    const reads = run.calls.flatMap((call, index) => (call.startsWith('aws iam get-account-password-policy ') ? [index] : []));
    const updates = callsOf(run, 'iam', 'update-account-password-policy');
    expect(updates).toHaveLength(1);
    const update = updates[0]!;
    expect(reads.length).toBeGreaterThan(0);
    expect(Math.max(...reads)).toBeLessThan(run.calls.indexOf(update));
    expect(optionValue(update, '--profile')).toBe('prof-222222222222');
    expect(optionValue(update, '--minimum-password-length')).toBe('20');
    expect(optionValue(update, '--password-reuse-prevention')).toBe('24');
    expect(has(update, '--allow-users-to-change-password', '--require-symbols', '--require-numbers', '--require-uppercase-characters', '--require-lowercase-characters', '--hard-expiry')).toBe(true);
    expect(has(update, '--no-hard-expiry')).toBe(false);
    expect(update).not.toContain('--max-password-age');
  });

  it('when containment runs then keys are deactivated (never deleted), sessions of roles and users revoked at run time, and passwords replaced or removed', () => {
    expect(callsOf(run, 'iam', 'update-access-key').map((call) => [optionValue(call, '--user-name'), optionValue(call, '--access-key-id'), optionValue(call, '--status')])).toEqual([
      ['deploy-bot', 'AKIAHV7MGJ5SLMZ4HGXQ', 'Inactive'],
      ['ops-admin', 'AKIA2CUOFHZ524CG2LLW', 'Inactive'],
    ]);
    expect(callsOf(run, 'iam', 'delete-access-key')).toEqual([]);
    const revoke = callsOf(run, 'iam', 'put-role-policy');
    expect(revoke.map((call) => [optionValue(call, '--role-name'), optionValue(call, '--profile')])).toEqual([
      ['InfraAdmin', 'prof-111111111111'],
      ['OrgAdminAccess', 'prof-111111111111'],
    ]);
    // deploy-bot's password was set by another identity, ops-admin's MFA removed: their console and GetSessionToken sessions end too.
    const revokeUsers = callsOf(run, 'iam', 'put-user-policy');
    expect(revokeUsers.map((call) => [optionValue(call, '--user-name'), optionValue(call, '--profile')])).toEqual([
      ['deploy-bot', 'prof-222222222222'],
      ['ops-admin', 'prof-222222222222'],
    ]);
    for (const call of [...revoke, ...revokeUsers]) {
      expect(optionValue(call, '--policy-name')).toBe('AWSRevokeOlderSessions');
      const policy = JSON.parse(optionValue(call, '--policy-document')!) as { Statement: Array<{ Effect: string; Action: string[]; Resource: string[]; Condition: { DateLessThan: { 'aws:TokenIssueTime': string } } }> };
      expect(policy.Statement).toHaveLength(1);
      expect(policy.Statement[0]).toMatchObject({ Effect: 'Deny', Action: ['*'], Resource: ['*'] });
      expect(policy.Statement[0]!.Condition.DateLessThan['aws:TokenIssueTime']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    // Every revocation comes before any recovery call.
    const firstRecovery = run.calls.findIndex((call) => call.startsWith('aws iam create-instance-profile '));
    for (const call of [...revoke, ...revokeUsers]) expect(run.calls.indexOf(call)).toBeLessThan(firstRecovery);
    expect(callsOf(run, 'iam', 'delete-login-profile').map((call) => optionValue(call, '--user-name'))).toEqual(['deploy-bot']);
    // ops-admin lost its MFA: a new random password (tolerating none at all), shown once.
    const updates = callsOf(run, 'iam', 'update-login-profile');
    expect(updates.map((call) => [optionValue(call, '--user-name'), optionValue(call, '--profile')])).toEqual([['ops-admin', 'prof-222222222222']]);
    const password = optionValue(updates[0]!, '--password')!;
    expect(password).toMatch(/^[A-Za-z0-9]{40}-Aa1$/);
    expect(has(updates[0]!, '--password-reset-required')).toBe(true);
    expect(run.stderr).toContain(`New console password for ops-admin (it must be changed at first sign-in): ${password}\n`);
    expect(run.stderr).not.toContain('already so');
  });

  it('when an instance now holds another profile’s association then it is left alone with a warning, and every other step runs', () => {
    const answers: Answers = { ...SCENARIO_ANSWERS, held: { 'i-017d6669bada146ca': 'iip-assoc-0th3r000000000001' } };
    const held = runScript(withoutGuard(renderRemediationScript(incidents)), profileEnv(accountsOf(incidents)), answers);
    expectCompleteRun(held, incidents, answers);
    expectReassociations(held, [
      { instanceId: 'i-0121cb727899875c6', region: 'us-west-2', profile: 'web-app-profile', association: null },
      { instanceId: 'i-017d6669bada146ca', region: 'us-west-2', profile: 'web-app-profile', association: null, held: true },
      { instanceId: 'i-0e245e90cc3f2279c', region: 'us-east-1', profile: 'web-app-profile', association: 'iip-assoc-0ca11ed0000000001' },
    ]);
    expect(held.calls.filter((call) => call.includes('iip-assoc-0th3r000000000001'))).toEqual([]);
    expect(held.calls.filter((call) => /^aws ec2 (associate|replace)-/.test(call) && call.includes('i-017d6669bada146ca'))).toEqual([]);
  });

  it('when one instance’s association fails for another reason than propagation then it is tried once, the others and hardening still run, and the script exits 1 naming it', () => {
    const answers: Answers = { ...SCENARIO_ANSWERS, failures: [{ operation: 'associate-iam-instance-profile', needle: 'i-017d6669bada146ca', code: 'InvalidInstanceID.NotFound' }] };
    const failed = runScript(withoutGuard(renderRemediationScript(incidents)), profileEnv(accountsOf(incidents)), answers);
    expect(failed.status).toBe(1);
    expect(failed.stderr.trimEnd().split('\n').at(-1)).toBe('trailsift remediation: re-association failed for: i-017d6669bada146ca');
    expect(failed.stderr).not.toContain('trailsift remediation: every step above ran');
    expect(failed.stderr).toContain('An error occurred (InvalidInstanceID.NotFound) when calling the associate-iam-instance-profile operation');
    expect(failed.stderr).not.toContain('retrying');
    expect(callsOf(failed, 'ec2', 'associate-iam-instance-profile').filter((call) => call.includes('i-017d6669bada146ca'))).toHaveLength(1);
    // The same calls as a complete run: the failure stops nothing else.
    const planned = plannedCalls(incidents, { associations: answers.associations, failing: ['i-017d6669bada146ca'], policyReads: 3 });
    expect(failed.calls.map(recordedKey).map(callKeyText)).toEqual(planned.map(callKeyText));
    expectReassociations(failed, [
      { instanceId: 'i-07895937177b09085', region: 'eu-west-1', profile: 'web-app-profile', association: null },
      { instanceId: 'i-0e245e90cc3f2279c', region: 'us-east-1', profile: 'web-app-profile', association: 'iip-assoc-0ca11ed0000000001' },
    ]);
    expect(callsOf(failed, 'iam', 'update-account-password-policy')).toHaveLength(1);
    expect(callsOf(failed, 'events', 'put-rule')).toHaveLength(1);
  });

  it('when EC2 does not see the new profile yet (InvalidParameterValue) then the association is retried, and after a minute given up and named', () => {
    const twice: Answers = { ...SCENARIO_ANSWERS, failures: [{ operation: 'associate-iam-instance-profile', needle: 'i-0121cb727899875c6', code: 'InvalidParameterValue', times: 2 }] };
    const retried = runScript(withoutGuard(renderRemediationScript(incidents)), profileEnv(accountsOf(incidents)), twice);
    expect(retried.status).toBe(0);
    expect(retried.stderr.trimEnd().split('\n').at(-1)).toMatch(FINAL_LINE);
    expect(callsOf(retried, 'ec2', 'associate-iam-instance-profile').filter((call) => call.includes('i-0121cb727899875c6'))).toHaveLength(3);
    expect(retried.stderr.split('the new profile is not visible to EC2 yet: retrying in 10 s\n')).toHaveLength(3);
    const always: Answers = { ...SCENARIO_ANSWERS, failures: [{ operation: 'associate-iam-instance-profile', needle: 'i-0121cb727899875c6', code: 'InvalidParameterValue' }] };
    const gaveUp = runScript(withoutGuard(renderRemediationScript(incidents)), profileEnv(accountsOf(incidents)), always);
    expect(gaveUp.status).toBe(1);
    expect(callsOf(gaveUp, 'ec2', 'associate-iam-instance-profile').filter((call) => call.includes('i-0121cb727899875c6'))).toHaveLength(6);
    expect(gaveUp.stderr.trimEnd().split('\n').at(-1)).toBe('trailsift remediation: re-association failed for: i-0121cb727899875c6');
    expect(callsOf(gaveUp, 'ec2', 'associate-iam-instance-profile').filter((call) => call.includes('i-017d6669bada146ca'))).toHaveLength(1);
  });

  it('when a console password is already gone (NoSuchEntity) then tolerate reports it and the script goes on; any other error (AccessDenied) stops it', () => {
    const gone: Answers = { ...SCENARIO_ANSWERS, failures: [{ operation: 'delete-login-profile', needle: 'deploy-bot', code: 'NoSuchEntity' }] };
    const tolerated = runScript(withoutGuard(renderRemediationScript(incidents)), profileEnv(accountsOf(incidents)), gone);
    expectCompleteRun(tolerated, incidents, gone);
    expect(tolerated.stderr).toContain('already so (NoSuchEntity): iam delete-login-profile\n');
    const denied: Answers = { ...SCENARIO_ANSWERS, failures: [{ operation: 'delete-login-profile', needle: 'deploy-bot', code: 'AccessDenied' }] };
    const stopped = runScript(withoutGuard(renderRemediationScript(incidents)), profileEnv(accountsOf(incidents)), denied);
    expect(stopped.status).not.toBe(0);
    expect(stopped.stderr).toContain('An error occurred (AccessDenied) when calling the delete-login-profile operation');
    expect(stopped.stderr).not.toContain('already so');
    expect(stopped.stderr).not.toContain('trailsift remediation: every step above ran');
    expect(stopped.calls.at(-1)).toMatch(/^aws iam delete-login-profile .*--user-name deploy-bot/);
    expect(stopped.calls.filter((call) => call.startsWith('aws iam create-instance-profile ') || call.startsWith('aws ec2 '))).toEqual([]);
  });

  it('when a user whose MFA was removed has no console password (NoSuchEntity) then the replacement is tolerated and the script goes on', () => {
    const none: Answers = { ...SCENARIO_ANSWERS, failures: [{ operation: 'update-login-profile', needle: 'ops-admin', code: 'NoSuchEntity' }] };
    const tolerated = runScript(withoutGuard(renderRemediationScript(incidents)), profileEnv(accountsOf(incidents)), none);
    expectCompleteRun(tolerated, incidents, none);
    expect(tolerated.stderr).toContain('already so (NoSuchEntity): iam update-login-profile\n');
  });

  it('when the guard is applied then the EventBridge rule goes to us-east-1 and the SCP and the target wait for the operator', () => {
    const rules = callsOf(run, 'events', 'put-rule');
    expect(rules.map((call) => [optionValue(call, '--region'), optionValue(call, '--profile')])).toEqual([['us-east-1', 'prof-111111111111']]);
    expect(run.calls.filter((call) => call.startsWith('aws organizations ') || call.startsWith('aws events put-targets '))).toEqual([]);
  });

  it('when there is no password policy yet (NoSuchEntity) then the update uses the targets and no hard expiry', async () => {
    const none = runScript(withoutGuard(renderRemediationScript(incidents)), profileEnv(accountsOf(incidents)), { ...SCENARIO_ANSWERS, policy: 'none' });
    expectCompleteRun(none, incidents, { ...SCENARIO_ANSWERS, policy: 'none' });
    const update = callsOf(none, 'iam', 'update-account-password-policy')[0]!;
    expect(optionValue(update, '--minimum-password-length')).toBe('14');
    expect(optionValue(update, '--password-reuse-prevention')).toBe('24');
    expect(has(update, '--allow-users-to-change-password', '--no-hard-expiry')).toBe(true);
  });

  it.each(['111111111111', '222222222222'])('when TRAILSIFT_PROFILE_%s is missing then the script stops before its first aws call and names it', (account) => {
    const env = profileEnv(accountsOf(incidents));
    delete env[`TRAILSIFT_PROFILE_${account}`];
    const missing = runScript(withoutGuard(renderRemediationScript(incidents)), env, SCENARIO_ANSWERS);
    expect(missing.status).not.toBe(0);
    expect(missing.marker).toBe(false);
    expect(missing.calls).toEqual([]);
    expect(missing.stderr).toContain(`TRAILSIFT_PROFILE_${account}`);
  });

  it('when reading the current password policy fails for another reason (AccessDenied) then the script stops instead of resetting it', () => {
    const denied = runScript(withoutGuard(renderRemediationScript(incidents)), profileEnv(accountsOf(incidents)), { ...SCENARIO_ANSWERS, policy: 'denied' });
    // Today the failure is taken for "no policy": the update runs with --no-hard-expiry and the defaults.
    expect(callsOf(denied, 'iam', 'update-account-password-policy')).toEqual([]);
  });
});

describe('the paths archive script, run against a stub aws', () => {
  let incidents: Incident[] = [];
  let run: Run;
  beforeAll(async () => {
    incidents = await pathsIncidents();
    run = runScript(withoutGuard(renderRemediationScript(incidents)), profileEnv(accountsOf(incidents)), PATHS_ANSWERS);
  }, 60_000);

  it('when every profile variable is set then it runs to the end across accounts, in order, each call with its own account’s profile', () => {
    expectCompleteRun(run, incidents, PATHS_ANSWERS);
    const profiles = new Set(run.calls.map((call) => optionValue(call, '--profile')));
    expect(profiles.size).toBeGreaterThanOrEqual(5);
  });

  it('when a user who signs in had their password set by another identity then a new random 44-character password is set and shown once', () => {
    const updates = callsOf(run, 'iam', 'update-login-profile');
    expect(updates).toHaveLength(1);
    const update = updates[0]!;
    expect(optionValue(update, '--user-name')).toBe('alice');
    expect(optionValue(update, '--profile')).toBe('prof-431752869024');
    expect(has(update, '--password-reset-required')).toBe(true);
    const password = optionValue(update, '--password')!;
    expect(password).toMatch(/^[A-Za-z0-9]{40}-Aa1$/);
    expect(password).toHaveLength(44);
    expect(run.stderr.split(password)).toHaveLength(2);
    expect(run.stderr).toContain(`New console password for alice (it must be changed at first sign-in): ${password}\n`);
    expect(run.stdout).not.toContain(password);
    expect(run.calls.filter((call) => call.includes(password))).toEqual([update]);
    expect(renderRemediationScript(incidents)).not.toContain(password);
    // Random: another run sets another password.
    const again = runScript(withoutGuard(renderRemediationScript(incidents)), profileEnv(accountsOf(incidents)), PATHS_ANSWERS);
    const second = optionValue(callsOf(again, 'iam', 'update-login-profile')[0]!, '--password');
    expect(second).toMatch(/^[A-Za-z0-9]{40}-Aa1$/);
    expect(second).not.toBe(password);
  });

  it('when instances were running or stopped at the deletion then each is re-associated, replacing what it still holds; terminated ones are left alone', () => {
    expectWaitBeforeAssociation(run);
    expectReassociations(run, [
      { instanceId: 'i-0f06f9255c5009123', region: 'us-west-2', profile: 'console-app-profile', association: null },
      { instanceId: 'i-0b2c3d4e5f6071829', region: 'us-east-1', profile: 'backup-profile', association: null },
      { instanceId: 'i-0c3d4e5f607182930', region: 'us-east-1', profile: 'backup-profile', association: null },
      { instanceId: 'i-00a2e695168ae8e68', region: 'us-west-2', profile: 'assoc-profile', association: 'iip-assoc-0ca11ed00000000b1' },
      { instanceId: 'i-04ee3ae74639924fe', region: 'us-west-2', profile: 'assoc-profile', association: null },
      { instanceId: 'i-07740ab58702f9c6a', region: 'us-west-2', profile: 'assoc-profile', association: 'iip-assoc-0ca11ed00000000b2' },
      { instanceId: 'i-0e83c902d253d6637', region: 'us-west-2', profile: 'assoc-profile', association: null },
    ]);
    expect(run.calls.filter((call) => call.includes('i-0cb61b39891e6d67b'))).toEqual([]);
    const stopped = incidents.flatMap((incident) => incident.affectedInstances).filter((instance) => instance.status === 'stopped-at-deletion');
    expect(stopped.map((instance) => instance.instanceId).sort()).toEqual(['i-07740ab58702f9c6a', 'i-0c3d4e5f607182930']);
  });

  it('when a re-created profile holds a foreign role then in containment its sessions are revoked, its incident policies detached and it is taken out; deleting it is only a "# later" comment', () => {
    const account = 'prof-948576031269';
    const foreign = run.calls.filter((call) => call.includes('attacker-role'));
    expect(foreign.map((call) => [recordedKey(call).operation, optionValue(call, '--profile')])).toEqual([
      ['put-role-policy', account],
      ['detach-role-policy', account],
      ['remove-role-from-instance-profile', account],
    ]);
    expect(optionValue(foreign[0]!, '--policy-name')).toBe('AWSRevokeOlderSessions');
    expect(optionValue(foreign[1]!, '--policy-arn')).toBe('arn:aws:iam::aws:policy/AdministratorAccess');
    expect(optionValue(foreign[2]!, '--instance-profile-name')).toBe('swap-profile');
    // Contained before anything is repaired: the missing role goes back only in recovery, after it.
    const putBack = callsOf(run, 'iam', 'add-role-to-instance-profile').filter((call) => optionValue(call, '--instance-profile-name') === 'swap-profile');
    expect(putBack.map((call) => optionValue(call, '--role-name'))).toEqual(['swap-role']);
    expect(run.calls.indexOf(putBack[0]!)).toBeGreaterThan(run.calls.indexOf(foreign[2]!));
    expect(run.calls.indexOf(foreign[2]!)).toBeLessThan(run.calls.findIndex((call) => call.startsWith('aws iam create-instance-profile ')));
    expect(callsOf(run, 'iam', 'delete-role')).toEqual([]);
    const script = renderRemediationScript(incidents);
    expect(script).toContain(`\n# later, once its other policies are gone and nothing uses it: aws iam delete-role --profile "$TRAILSIFT_PROFILE_948576031269" --role-name attacker-role\n`);
    expect(codeLines(script).filter((line) => line.includes('delete-role'))).toEqual([]);
    expect(codeLines(script)).toContain('tolerate NoSuchEntity aws iam remove-role-from-instance-profile --profile "$TRAILSIFT_PROFILE_948576031269" --instance-profile-name swap-profile --role-name attacker-role');
  });

  it('when a user’s password was set by another identity then that user’s sessions are revoked as well', () => {
    expect(callsOf(run, 'iam', 'put-user-policy').map((call) => [optionValue(call, '--user-name'), optionValue(call, '--profile'), optionValue(call, '--policy-name')])).toEqual([['alice', 'prof-431752869024', 'AWSRevokeOlderSessions']]);
    expect(run.calls.indexOf(callsOf(run, 'iam', 'put-user-policy')[0]!)).toBeLessThan(run.calls.indexOf(callsOf(run, 'iam', 'update-login-profile')[0]!));
  });

  it('when a password is replaced then it never happens by --password-reset-required alone', async () => {
    const scenario = runScript(withoutGuard(renderRemediationScript(await scenarioIncidents())), profileEnv(accountsOf(await scenarioIncidents())), SCENARIO_ANSWERS);
    for (const call of [...run.calls, ...scenario.calls].filter((call) => call.startsWith('aws iam update-login-profile '))) expect(optionValue(call, '--password'), call).toMatch(/^[A-Za-z0-9]{40}-Aa1$/);
  });

});

describe('an Identity Center role in another account', () => {
  /** SAML user → AWSReservedSSO role in 333333333333 → InfraAdmin in 111111111111, which deleted the profile; a strong signal. */
  const SSO_ACCOUNT = '333333333333';
  function ssoIncident(): Incident {
    const ssoSession = `arn:aws:sts::${SSO_ACCOUNT}:assumed-role/AWSReservedSSO_AdminAccess_0123456789abcdef/alice@example.com`;
    const built = incident({
      actor: actor({
        chain: [{ arn: ssoSession, type: 'AssumedRole', accessKeyId: 'ASIASSO0000000000001', accountId: SSO_ACCOUNT, via: 'e-assume', viaEventName: 'AssumeRole', sourceIPAddress: '203.0.113.50', label: ssoSession }],
        origin: { arn: 'alice@example.com', type: 'SAMLUser', accessKeyId: null, accountId: SSO_ACCOUNT, label: 'alice@example.com', instanceId: null, instanceRegion: null },
      }),
    });
    built.recommendations = recommend({ incident: built, assessment: built.assessment, createdKeys: [], deletionEventId: built.id, creatorCompromised: false, trailTampering: [] });
    return built;
  }

  it('when its sessions are revoked then that is a console step in the script, never an IAM call on the protected role', () => {
    const incidents = [ssoIncident()];
    const script = renderRemediationScript(incidents);
    // The user is named: Identity Center's session name is who signed in.
    expect(script).toContain("\n# AWSReservedSSO_AdminAccess_0123456789abcdef is an IAM Identity Center role: revoke alice@example.com's sessions in the Identity Center console (IAM refuses policies on it)\n");
    const run = runScript(withoutGuard(script), profileEnv(accountsOf(incidents)));
    expect(run.status).toBe(0);
    expect(run.calls.filter((call) => call.includes('AWSReservedSSO_'))).toEqual([]);
    expect(run.calls.filter((call) => optionValue(call, '--profile') === profileOf(SSO_ACCOUNT))).toEqual([]);
    expect(callsOf(run, 'iam', 'put-role-policy').map((call) => [optionValue(call, '--role-name'), optionValue(call, '--profile')])).toEqual([['InfraAdmin', profileOf('111111111111')]]);
  });

  it('when an account has only console steps then the script does not demand its profile', () => {
    const incidents = [ssoIncident()];
    const env = profileEnv(accountsOf(incidents));
    delete env[`TRAILSIFT_PROFILE_${SSO_ACCOUNT}`];
    expect(runScript(withoutGuard(renderRemediationScript(incidents)), env).status).toBe(0);
  });
});

describe('profiles that reach the wrong account', () => {
  it('when a profile variable names a profile of another account then the script stops before any change, naming it', async () => {
    const incidents = await scenarioIncidents();
    const accounts = accountsOf(incidents);
    const run = runScript(withoutGuard(renderRemediationScript(incidents)), { ...profileEnv(accounts), STUB_WRONG_ACCOUNT: profileOf(accounts[1]!) }, SCENARIO_ANSWERS);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`TRAILSIFT_PROFILE_${accounts[1]} does not reach account ${accounts[1]}: nothing was changed`);
    expect(run.calls.every((call) => call.startsWith('aws sts get-caller-identity'))).toBe(true);
  });
});
