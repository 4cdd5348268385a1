import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/correlate/incident.js';
import { remediationPlan } from '../../src/report/remediation-plan.js';
import { renderRemediationPython } from '../../src/report/remediation-python.js';
import { renderRemediationScript, stepLines } from '../../src/report/remediation-script.js';
import { pythonLines } from '../../src/correlate/remediation/boto3.js';
import { operationBySpelling, serviceModel, waiterBySpelling } from '../support/aws-model.js';
import { type Boto3Answers, type PythonCall, type PythonRun, runPython } from '../support/boto3-stub.js';
import { tempDir } from '../support/cloudtrail.js';
import { pathsIncidents } from '../support/paths.js';
import {
  type Answers,
  PATHS_ANSWERS,
  SCENARIO_ANSWERS,
  callKeyText,
  type CallKey,
  isHeldDescribe,
  plannedCalls,
  profileEnv,
  reassociationProfiles,
  recordedKey,
  runScript,
  withoutGuard,
} from '../support/remediation-run.js';
import { scenarioIncidents } from '../support/scenario.js';
import { hostileIncident } from './hostile-incident.js';

const accountsOf = (incidents: Incident[]): string[] => remediationPlan(incidents).accounts;
/** The program's last word under --apply: every call made, or every call but those left to fill in. */
const MADE = /^trailsift remediation: every call above was made( except [^:]+: see those above)?$/;

/** The shell stub's answers for the stub boto3, which also needs the profile each association points at. */
const boto3Answers = (incidents: Incident[], answers: Answers): Boto3Answers => ({ ...answers, profiles: reassociationProfiles(incidents) });

/** A driver that loads the program as a module (main() not run), then runs `body`. */
const driverOf = (...body: string[]): string =>
  [
    'import importlib.util, os, sys',
    'spec = importlib.util.spec_from_file_location("remediate", "remediate.py")',
    'program = importlib.util.module_from_spec(spec)',
    'spec.loader.exec_module(program)',
    ...body,
  ].join('\n');

/** A Python call as the same key the shell runs are compared by (snake_case → the CLI's kebab-case). */
function pythonKey(call: PythonCall): CallKey {
  const operation = call.method.startsWith('wait:') ? `wait ${call.method.slice(5).replace(/_/g, '-')}` : call.method.replace(/_/g, '-');
  return { service: call.service, operation, profile: call.profile, region: call.region };
}

/** The shell reads the current password policy once per field; the Python program once. */
function collapsePolicyReads(keys: CallKey[]): CallKey[] {
  return keys.filter((key, index) => !(key.operation === 'get-account-password-policy' && keys[index - 1]?.operation === 'get-account-password-policy'));
}

/** The Python string literals' contents are JSON strings: enough to scan arguments without evaluating them. */
function splitArguments(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (let at = 0; at < text.length; at++) {
    const character = text[at]!;
    if (character === '"') {
      let end = at + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      current += text.slice(at, end + 1);
      at = end;
      continue;
    }
    if ('([{'.includes(character)) depth++;
    if (')]}'.includes(character)) depth--;
    if (depth < 0) break;
    if (character === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
      continue;
    }
    current += character;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

/** Every `client("svc").op(…)`, `get_waiter("w").wait(…)` and `tolerating(…, client("svc").op, …)` in a Python line, checked against the model. */
function pythonLineProblems(line: string): string[] {
  const problems: string[] = [];
  // A direct call `….op(…)`, a waiter, or a tolerated call `tolerating((codes,), ….op, …)` whose keyword arguments follow the method.
  for (const match of line.matchAll(/\.client\("(\w+)"(?:, region_name=(?:"[^"]*"|\w+))?\)\.(?:get_waiter\("(\w+)"\)\.wait|(\w+))(?:\(|, |\)$)/g)) {
    const [, service, waiterName, method] = match;
    if (!serviceModel(service!)) continue;
    const operation = waiterName
      ? (() => {
          const waiter = waiterBySpelling(service!, waiterName, '_');
          return waiter ? serviceModel(service!).operations.get(waiter.operation) : undefined;
        })()
      : operationBySpelling(service!, method!, '_');
    if (!operation) {
      problems.push(`${service}: no ${waiterName ? `waiter ${waiterName}` : `operation ${method}`}: ${line}`);
      continue;
    }
    const names = splitArguments(line.slice(match.index! + match[0].length)).map((part) => /^(\w+)=/.exec(part)?.[1] ?? `(positional ${part})`);
    const members = new Set(operation.members.map((member) => member.name));
    for (const name of names) if (!members.has(name)) problems.push(`${service}.${method ?? waiterName}: ${name} is not an input member`);
    for (const member of operation.members) if (member.required && !names.includes(member.name)) problems.push(`${service}.${method ?? waiterName}: required ${member.name} missing`);
  }
  return problems;
}

describe('renderRemediationPython', () => {
  it('when the scenario, the paths archive and the hostile incident are rendered then python3 -m py_compile accepts each program', async () => {
    for (const incidents of [await scenarioIncidents(), await pathsIncidents(), [hostileIncident()], []]) {
      const dir = tempDir('trailsift-pyc-');
      const file = join(dir, 'remediate.py');
      writeFileSync(file, renderRemediationPython(incidents));
      const compiled = spawnSync('python3', ['-m', 'py_compile', file], { encoding: 'utf8', env: { ...process.env, PYTHONPYCACHEPREFIX: join(dir, 'pycache') } });
      expect(compiled.stderr).toBe('');
      expect(compiled.status).toBe(0);
    }
  });

  it('when every boto3 line any recommendation or program holds is read then each names a real operation or waiter and real input members', async () => {
    const lines = [
      ...[await scenarioIncidents(), await pathsIncidents(), [hostileIncident()]].flatMap((incidents) => [
        ...incidents.flatMap((incident) => incident.recommendations.flatMap((recommendation) => recommendation.python)),
        ...renderRemediationPython(incidents).split('\n'),
      ]),
    ];
    const calls = lines.filter((line) => /\.client\("/.test(line));
    expect(calls.length).toBeGreaterThan(20);
    // The FILL IN lines are checked too: they run once the operator fills them in.
    expect(calls.some((line) => line.includes('.enable_mfa_device(') && line.includes('# FILL IN: '))).toBe(true);
    expect(calls.some((line) => line.includes('.attach_policy('))).toBe(true);
    expect(calls.some((line) => line.startsWith('    tolerating(("NoSuchEntity",), ') && line.includes('.remove_role_from_instance_profile, '))).toBe(true);
    expect(calls.flatMap(pythonLineProblems)).toEqual([]);
  });

  it('when a line names a made-up operation or parameter then the check reports it', () => {
    expect(pythonLineProblems('session("1").client("iam").enable_mfa(UserName="u")')).not.toEqual([]);
    expect(pythonLineProblems('session("1").client("iam").update_access_key(UserName="u", AccessKeyId="K", Status="Inactive", Force=True)')).toEqual([
      'iam.update_access_key: Force is not an input member',
    ]);
    expect(pythonLineProblems('session("1").client("iam").update_access_key(UserName="u", AccessKeyId="K")')).toEqual(['iam.update_access_key: required Status missing']);
    expect(pythonLineProblems('session("1").client("iam").get_waiter("profile_exists").wait(InstanceProfileName="p")')).not.toEqual([]);
    expect(pythonLineProblems('session("1").client("iam").update_access_key(UserName="a, Force=1", AccessKeyId="K", Status="Inactive")')).toEqual([]);
    expect(pythonLineProblems('tolerating(("NoSuchEntity",), session("1").client("iam").delete_login_profile, UserName="u")')).toEqual([]);
    expect(pythonLineProblems('tolerating(("NoSuchEntity",), session("1").client("iam").delete_login_profile, UserName="u", Force=True)')).toEqual(['iam.delete_login_profile: Force is not an input member']);
    expect(pythonLineProblems('tolerating(("NoSuchEntity",), session("1").client("iam").delete_login_profil, UserName="u")')).not.toEqual([]);
  });

  it('when boto3 names are spelled then MFA and numbers follow botocore (enable_mfa_device, create_virtual_mfa_device)', () => {
    expect(operationBySpelling('iam', 'enable_mfa_device', '_')?.name).toBe('EnableMFADevice');
    expect(operationBySpelling('iam', 'create_virtual_mfa_device', '_')?.name).toBe('CreateVirtualMFADevice');
    expect(operationBySpelling('iam', 'enable_mfa', '_')).toBeUndefined();
    expect(waiterBySpelling('iam', 'instance_profile_exists', '_')?.operation).toBe('GetInstanceProfile');
  });
});

describe.each([
  ['the bundled scenario', scenarioIncidents, SCENARIO_ANSWERS],
  ['the paths archive', pathsIncidents, PATHS_ANSWERS],
] as const)('the Python program for %s', (_name, load, answers) => {
  let incidents: Incident[] = [];
  let program = '';
  let applied: PythonRun;
  let shellKeys: CallKey[] = [];
  beforeAll(async () => {
    incidents = await load();
    program = renderRemediationPython(incidents);
    applied = runPython(program, ['--apply'], profileEnv(accountsOf(incidents)), { stub: true, answers: boto3Answers(incidents, answers) });
    const shell = runScript(withoutGuard(renderRemediationScript(incidents)), profileEnv(accountsOf(incidents)), answers);
    expect(shell.status).toBe(0);
    // The shell describes twice before acting (ours, then any association); the program once.
    shellKeys = collapsePolicyReads(shell.calls.filter((call) => !isHeldDescribe(call)).map(recordedKey));
  }, 60_000);

  it('when run without --apply or any variable then it prints one "would …" line per call and exits 0 without importing boto3', () => {
    const dry = runPython(program, [], {}, { stub: false });
    expect(dry.stderr.trimEnd().split('\n').at(-1)).toBe('trailsift remediation: dry run; pass --apply to make these calls');
    expect(dry.status).toBe(0);
    expect(dry.importedBoto3).toBe(false);
    const would = dry.stdout.split('\n').filter((line) => line.startsWith('would '));
    // A dry run's reads answer nothing: every instance takes the associate branch.
    // A dry run makes no call at all, so it checks no profile either.
    const planned = plannedCalls(incidents, { associations: {}, policyReads: 1, runner: 'python' }).filter((call) => call.phase !== 'check');
    const printed = would.map((line): string => {
      const call = /^would call (\w+)\.(\w+) in account (\d{12})(?: in ([\w-]+))?: \{/.exec(line);
      if (call) return `${call[1]} ${call[2]!.replace(/_/g, '-')} profile=prof-${call[3]} region=${call[4] ?? '-'}`;
      const wait = /^would wait for (\w+) (\w+): /.exec(line);
      expect(wait, line).not.toBeNull();
      return `${wait![1]} wait ${wait![2]!.replace(/_/g, '-')} profile=? region=-`;
    });
    // Each call names the account whose session would make it (a waiter names none).
    expect(printed).toEqual(planned.map((call) => `${call.service} ${call.operation} profile=${call.operation.startsWith('wait ') ? '?' : call.profile} region=${call.region ?? '-'}`));
    expect(would.filter((line) => line.startsWith('would call ') && line.includes(' in account None'))).toEqual([]);
    expect(dry.stdout).not.toMatch(/[A-Za-z0-9]{40}-Aa1/);
  });

  it('when run with --apply against the stub boto3 then every call is a real operation with real parameters and it runs to the end', () => {
    expect(applied.stderr.trimEnd().split('\n').at(-1)).toMatch(MADE);
    expect(applied.status).toBe(0);
    expect(applied.calls.length).toBeGreaterThan(10);
    expect(applied.calls.filter((call) => JSON.stringify(call.params).match(/<[a-z][\w-]*>/i))).toEqual([]);
    expect(applied.calls.filter((call) => call.method === 'delete_access_key')).toEqual([]);
  });

  it('when run with --apply then each account gets one session from its own TRAILSIFT_PROFILE_ variable', () => {
    const used = [...new Set(applied.calls.map((call) => call.profile))].sort();
    expect([...applied.sessions].sort()).toEqual(used);
    expect(used.every((profile) => accountsOf(incidents).map((account) => `prof-${account}`).includes(profile))).toBe(true);
  });

  it('when run with --apply then it makes the plan’s calls in the shell script’s order, with the same profiles and regions', () => {
    const keys = applied.calls.map(pythonKey);
    expect(keys.map(callKeyText)).toEqual(plannedCalls(incidents, { associations: answers.associations, policyReads: 1, runner: 'python' }).map(callKeyText));
    expect(keys.map(callKeyText)).toEqual(shellKeys.map(callKeyText));
  });

  it('when an instance still holds an association then the program replaces it with the described ID, else associates', () => {
    for (const call of applied.calls.filter((call) => call.method === 'replace_iam_instance_profile_association' || call.method === 'associate_iam_instance_profile')) {
      const instance = call.method === 'associate_iam_instance_profile' ? (call.params.InstanceId as string) : Object.entries(answers.associations ?? {}).find(([, id]) => id === call.params.AssociationId)?.[0];
      expect(instance, JSON.stringify(call)).toBeDefined();
      expect(call.method).toBe(answers.associations?.[instance!] ? 'replace_iam_instance_profile_association' : 'associate_iam_instance_profile');
      expect(call.params.IamInstanceProfile).toMatchObject({ Name: expect.any(String) });
    }
    const replaced = applied.calls.filter((call) => call.method === 'replace_iam_instance_profile_association').map((call) => call.params.AssociationId);
    expect(replaced.length).toBeGreaterThan(0);
    const waited = applied.calls.findIndex((call) => call.method === 'wait:instance_profile_exists');
    const firstAssociation = applied.calls.findIndex((call) => /^(replace_iam_instance_profile_association|associate_iam_instance_profile)$/.test(call.method));
    expect(waited).toBeGreaterThanOrEqual(0);
    expect(waited).toBeLessThan(firstAssociation);
  });

  it('when the password policy is updated then every setting is passed: max of current and target, users may change passwords, expiry kept, no max age', () => {
    const updates = applied.calls.filter((call) => call.method === 'update_account_password_policy');
    expect(updates).toHaveLength(1);
    const current = answers.policy === 'none' ? {} : (answers.policy as Record<string, number | boolean>);
    expect(updates[0]!.params).toEqual({
      MinimumPasswordLength: Math.max(Number(current.MinimumPasswordLength ?? 0), 14),
      RequireSymbols: true,
      RequireNumbers: true,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: true,
      AllowUsersToChangePassword: true,
      PasswordReusePrevention: Math.max(Number(current.PasswordReusePrevention ?? 0), 24),
      HardExpiry: current.HardExpiry === true,
    });
    const read = applied.calls.findIndex((call) => call.method === 'get_account_password_policy');
    expect(read).toBeGreaterThanOrEqual(0);
    expect(read).toBeLessThan(applied.calls.indexOf(updates[0]!));
  });

  it('when a profile variable names a profile of another account then --apply stops after the identity checks, before any change', () => {
    const [first] = accountsOf(incidents);
    const run = runPython(program, ['--apply'], { ...profileEnv(accountsOf(incidents)), [`TRAILSIFT_PROFILE_${first}`]: 'prof-999999999999' }, { stub: true, answers: boto3Answers(incidents, answers) });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`TRAILSIFT_PROFILE_${first} reaches account 999999999999, not ${first}: nothing was changed`);
    expect(run.calls.every((call) => call.service === 'sts' && call.method === 'get_caller_identity')).toBe(true);
  });

  it('when --apply is given without the profile variables then it refuses, naming them, before any call', () => {
    const refused = runPython(program, ['--apply'], {}, { stub: true, answers: boto3Answers(incidents, answers) });
    expect(refused.status).not.toBe(0);
    expect(refused.calls).toEqual([]);
    expect(refused.sessions).toEqual([]);
    for (const account of accountsOf(incidents)) expect(refused.stderr).toContain(`TRAILSIFT_PROFILE_${account}`);
    const env = profileEnv(accountsOf(incidents));
    const [first, ...others] = accountsOf(incidents);
    delete env[`TRAILSIFT_PROFILE_${first}`];
    const one = runPython(program, ['--apply'], env, { stub: true, answers: boto3Answers(incidents, answers) });
    expect(one.status).not.toBe(0);
    expect(one.calls).toEqual([]);
    expect(one.stderr).toContain(`TRAILSIFT_PROFILE_${first}`);
    for (const account of others) expect(one.stderr).not.toContain(`TRAILSIFT_PROFILE_${account}`);
  });
});

describe('the Python program’s new password and helpers', () => {
  it('when a user who signs in gets a new password then it is random, 44 characters, reset required, shown once on stderr and nowhere else', async () => {
    const incidents = await pathsIncidents();
    const program = renderRemediationPython(incidents);
    const run = runPython(program, ['--apply'], profileEnv(accountsOf(incidents)), { stub: true, answers: boto3Answers(incidents, PATHS_ANSWERS) });
    expect(run.status).toBe(0);
    const updates = run.calls.filter((call) => call.method === 'update_login_profile');
    expect(updates).toHaveLength(1);
    const { UserName, Password, PasswordResetRequired } = updates[0]!.params as { UserName: string; Password: string; PasswordResetRequired: boolean };
    expect(UserName).toBe('alice');
    expect(PasswordResetRequired).toBe(true);
    expect(Password).toMatch(/^[A-Za-z0-9]{40}-Aa1$/);
    expect(run.stderr.split(Password)).toHaveLength(2);
    expect(run.stdout).not.toContain(Password);
    expect(run.calls.filter((call) => JSON.stringify(call).includes(Password))).toEqual(updates);
    expect(program).not.toContain(Password);
    const again = runPython(program, ['--apply'], profileEnv(accountsOf(incidents)), { stub: true, answers: boto3Answers(incidents, PATHS_ANSWERS) });
    expect(again.calls.find((call) => call.method === 'update_login_profile')!.params.Password).not.toBe(Password);
  });

  it('when the virtual MFA helper runs then the seed goes to a new file only the owner can read, made before the device, and an existing file is never overwritten', async () => {
    const program = renderRemediationPython(await scenarioIncidents());
    const driver = driverOf(
      'program.APPLY = True',
      'os.umask(0o022)',
      'program.virtual_mfa(program.session("222222222222"), "ops-admin", "ops-admin-mfa", seed_file="seed.txt")',
      'print(oct(os.stat("seed.txt").st_mode & 0o777), open("seed.txt").read())',
      'try:',
      '    program.virtual_mfa(program.session("222222222222"), "ops-admin", "ops-admin-mfa", seed_file="seed.txt")',
      '    print("overwrote")',
      'except FileExistsError:',
      '    print("refused")',
    );
    const run = runPython(program, [], { TRAILSIFT_PROFILE_111111111111: 'prof-111111111111', TRAILSIFT_PROFILE_222222222222: 'prof-222222222222' }, { stub: true, driver });
    expect(run.stderr).toContain('seed of arn:aws:iam::000000000000:mfa/ops-admin-mfa written to seed.txt: scan it, then enable it with two consecutive codes\n');
    expect(run.stdout.split('\n')).toEqual(['0o600 JBSWY3DPEHPK3PXP', 'refused', '']);
    // The file comes first: when it cannot be made, no device is created (its seed would be lost).
    expect(run.calls.map((call) => [call.method, call.params])).toEqual([['create_virtual_mfa_device', { VirtualMFADeviceName: 'ops-admin-mfa' }]]);
  });

  it('when the virtual MFA helper runs in a dry run then it prints the call and makes no file', async () => {
    const program = renderRemediationPython(await scenarioIncidents());
    const driver = driverOf(
      'program.virtual_mfa(program.session("222222222222"), "ops-admin", "ops-admin-mfa", seed_file="seed.txt")',
      'print("exists" if os.path.exists("seed.txt") else "no file")',
    );
    const run = runPython(program, [], {}, { stub: false, driver });
    expect(run.stderr).toBe('');
    expect(run.importedBoto3).toBe(false);
    expect(run.stdout.split('\n')).toEqual(["would call iam.create_virtual_mfa_device in account 222222222222: {'VirtualMFADeviceName': 'ops-admin-mfa'}", 'no file', '']);
    expect(existsSync(join(run.dir, 'seed.txt'))).toBe(false);
  });

  it('when a call is tolerated then an error naming one of its codes is reported as already so, and any other error is raised', async () => {
    const program = renderRemediationPython(await scenarioIncidents());
    const driver = driverOf(
      'program.APPLY = True',
      'iam = program.session("222222222222").client("iam")',
      'print(program.tolerating(("NoSuchEntity",), iam.delete_login_profile, UserName="gone"))',
      'print(program.tolerating(("NoSuchEntity",), iam.delete_login_profile, UserName="deploy-bot") is not None)',
      'try:',
      '    program.tolerating(("NoSuchEntity",), iam.delete_login_profile, UserName="denied")',
      '    print("tolerated")',
      'except Exception as error:',
      '    print("raised:", type(error).__name__)',
    );
    const answers: Boto3Answers = {
      failures: [
        { operation: 'delete-login-profile', needle: 'gone', code: 'NoSuchEntity' },
        { operation: 'delete-login-profile', needle: 'denied', code: 'AccessDenied' },
      ],
    };
    const run = runPython(program, [], { TRAILSIFT_PROFILE_222222222222: 'prof-222222222222' }, { stub: true, answers, driver });
    expect(run.stdout.split('\n')).toEqual(['None', 'True', 'raised: ClientError', '']);
    expect(run.stderr).toBe('already so (NoSuchEntity): An error occurred (NoSuchEntity) when calling the delete_login_profile operation: stub failure\n');
    expect(run.calls.map((call) => call.params.UserName)).toEqual(['gone', 'deploy-bot', 'denied']);
  });

  it('when a user whose MFA was removed may have no password then new_password tolerates NoSuchEntity and shows no password', async () => {
    const incidents = await scenarioIncidents();
    const program = renderRemediationPython(incidents);
    expect(program).toContain('    new_password(session("222222222222"), "ops-admin", may_have_none=True)\n');
    expect(program).toContain('    tolerating(("NoSuchEntity",), session("222222222222").client("iam").delete_login_profile, UserName="deploy-bot")\n');
    const answers = { ...boto3Answers(incidents, SCENARIO_ANSWERS), failures: [{ operation: 'update-login-profile', needle: 'ops-admin', code: 'NoSuchEntity' }] };
    const run = runPython(program, ['--apply'], profileEnv(accountsOf(incidents)), { stub: true, answers });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('already so (NoSuchEntity): ');
    expect(run.stderr).not.toContain('New console password');
    expect(run.calls.filter((call) => call.method === 'update_login_profile').map((call) => call.params.UserName)).toEqual(['ops-admin']);
    expect(run.stderr.trimEnd().split('\n').at(-1)).toMatch(MADE);
    const set = runPython(program, ['--apply'], profileEnv(accountsOf(incidents)), { stub: true, answers: boto3Answers(incidents, SCENARIO_ANSWERS) });
    const password = set.calls.find((call) => call.method === 'update_login_profile')!.params.Password as string;
    expect(password).toMatch(/^[A-Za-z0-9]{40}-Aa1$/);
    expect(set.stderr).toContain(`New console password for 'ops-admin' (it must be changed at first sign-in): ${password}\n`);
  });

  it('when an instance now holds another profile’s association then the program leaves it alone with a warning', async () => {
    const incidents = await scenarioIncidents();
    const program = renderRemediationPython(incidents);
    const answers: Boto3Answers = { ...boto3Answers(incidents, SCENARIO_ANSWERS), held: { 'i-017d6669bada146ca': 'iip-assoc-0th3r000000000001' } };
    const run = runPython(program, ['--apply'], profileEnv(accountsOf(incidents)), { stub: true, answers });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("i-017d6669bada146ca now holds another profile's association: left as it is, check it\n");
    expect(run.calls.filter((call) => /^(associate|replace)_/.test(call.method) && JSON.stringify(call.params).match(/i-017d6669bada146ca|iip-assoc-0th3r/))).toEqual([]);
    expect(run.calls.map(pythonKey).map(callKeyText)).toEqual(plannedCalls(incidents, { associations: answers.associations, held: answers.held, policyReads: 1, runner: 'python' }).map(callKeyText));
  });

  it('when the attack gave an instance its own profile after the deletion then reassociate replaces that association; without the name it is left alone', async () => {
    const program = renderRemediationPython(await scenarioIncidents());
    // The stub answers an association to "another-profile" for a held instance.
    const driver = driverOf(
      'program.APPLY = True',
      'sess = program.session("111111111111")',
      'program.reassociate(sess, "us-west-2", "i-1", "app-profile", attack_profile_name="another-profile")',
      'program.reassociate(sess, "us-west-2", "i-2", "app-profile")',
    );
    const run = runPython(program, [], { TRAILSIFT_PROFILE_111111111111: 'prof-111111111111' }, { stub: true, answers: { held: { 'i-1': 'iip-assoc-attack', 'i-2': 'iip-assoc-other' } }, driver });
    expect(run.status, run.stderr).toBe(0);
    const changes = run.calls.filter((call) => /^(associate|replace)_/.test(call.method));
    expect(changes.map((call) => [call.method, call.params.AssociationId, call.params.IamInstanceProfile])).toEqual([['replace_iam_instance_profile_association', 'iip-assoc-attack', { Name: 'app-profile' }]]);
    expect(run.stderr).toContain("i-2 now holds another profile's association: left as it is, check it\n");
  });

  it('when one instance’s association fails for another reason than propagation then the others and hardening run, and the program exits naming it', async () => {
    const incidents = await scenarioIncidents();
    const program = renderRemediationPython(incidents);
    const answers: Boto3Answers = { ...boto3Answers(incidents, SCENARIO_ANSWERS), failures: [{ operation: 'associate-iam-instance-profile', needle: 'i-017d6669bada146ca', code: 'InvalidInstanceID.NotFound' }] };
    const run = runPython(program, ['--apply'], profileEnv(accountsOf(incidents)), { stub: true, answers });
    expect(run.status).toBe(1);
    expect(run.stderr.trimEnd().split('\n').at(-1)).toBe('trailsift remediation: re-association failed for: i-017d6669bada146ca');
    expect(run.stderr).toContain('i-017d6669bada146ca: An error occurred (InvalidInstanceID.NotFound)');
    expect(run.stderr).not.toContain('every call above was made');
    expect(run.calls.filter((call) => call.method === 'associate_iam_instance_profile' && call.params.InstanceId === 'i-017d6669bada146ca')).toHaveLength(1);
    expect(run.calls.map(pythonKey).map(callKeyText)).toEqual(
      plannedCalls(incidents, { associations: answers.associations, failing: ['i-017d6669bada146ca'], policyReads: 1, runner: 'python' }).map(callKeyText),
    );
    expect(run.calls.filter((call) => call.method === 'update_account_password_policy')).toHaveLength(1);
  });

  it('when reading the current password policy fails for another reason than NoSuchEntity then the Python helper stops before updating', async () => {
    const program = renderRemediationPython(await scenarioIncidents());
    const driver = driverOf(
      'program.APPLY = True',
      'try:',
      '    program.password_policy(program.session("222222222222"), minimum_length=14, reuse_prevention=24)',
      '    print("updated")',
      'except Exception as error:',
      '    print("stopped:", type(error).__name__)',
    );
    const run = runPython(program, [], { TRAILSIFT_PROFILE_222222222222: 'prof-222222222222' }, { stub: true, answers: { policy: 'denied' }, driver });
    expect(run.stdout.trim()).toBe('stopped: AccessDeniedException');
    expect(run.calls.map((call) => call.method)).toEqual(['get_account_password_policy']);
  });
});

describe('the stub boto3', () => {
  it('when a call names a made-up method, parameter or waiter, or misses a required parameter, then it raises, as boto3 would', () => {
    const driver = [
      'import boto3',
      'iam = boto3.Session(profile_name="p").client("iam")',
      'for attempt in (lambda: iam.enable_mfa(UserName="u"), lambda: iam.update_access_key(UserName="u", AccessKeyId="K", Status="Inactive", Force=True),',
      '                lambda: iam.update_access_key(UserName="u", AccessKeyId="K"), lambda: iam.get_waiter("profile_exists"),',
      '                lambda: iam.get_waiter("instance_profile_exists").wait(RoleName="r"), lambda: boto3.Session(profile_name="p").client("iamx")):',
      '    try:',
      '        attempt()',
      '        print("accepted")',
      '    except Exception as error:',
      '        print(type(error).__name__)',
      'iam.update_access_key(UserName="u", AccessKeyId="K", Status="Inactive")',
      'iam.get_waiter("instance_profile_exists").wait(InstanceProfileName="p", WaiterConfig={"Delay": 1})',
    ].join('\n');
    const run = runPython('', [], {}, { stub: true, driver });
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n')).toEqual(['AttributeError', 'TypeError', 'TypeError', 'ValueError', 'TypeError', 'ValueError', '']);
    expect(run.calls.map((call) => call.method)).toEqual(['update_access_key', 'wait:instance_profile_exists']);
  });
});
