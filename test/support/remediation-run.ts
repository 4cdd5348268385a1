/**
 * Running emitted remediation scripts against stubs: a fake `aws` (and `trailsift`) on PATH
 * that records each call's arguments, shell-quoted, one line per call, and answers the
 * reads the scripts make with canned text; and the calls a plan should make, worked out
 * from the plan itself, to compare with what a run recorded.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Incident } from '../../src/correlate/incident.js';
import type { Step } from '../../src/correlate/remediation/plan.js';
import { remediationPlan } from '../../src/report/remediation-plan.js';
import { xformName } from './aws-model.js';
import { tempDir } from './cloudtrail.js';
import { shellWords } from './shell-words.js';

export const GUARD = ['echo "Review this script, then remove the next line to run it." >&2', 'exit 1'];

/**
 * The fake `aws`. Canned answers, from the environment:
 *  - STUB_ASSOCIATIONS="i-1=iip-assoc-1 …": `describe-iam-instance-profile-associations … --query …`
 *    prints the instance's association ID (one still pointing at a profile of the name the
 *    script restores) for either query, else `None` (what the CLI prints for null);
 *  - STUB_HELD="i-2=iip-assoc-2 …": an instance since given another profile: the query for
 *    an association of the script's profile (`ends_with(…)`) prints `None`, the one for any
 *    association (`[0]`) prints the ID;
 *  - STUB_FAILURES="operation:needle:Code:times …": a call of that operation whose recorded
 *    line contains the needle fails as the CLI does (`An error occurred (Code) …`, exit 254),
 *    the first `times` such calls (0: every one);
 *  - STUB_POLICY="MinimumPasswordLength=8 PasswordReusePrevention=5 HardExpiry=True" answers
 *    `get-account-password-policy --query PasswordPolicy.<Field>` (None for a field not set);
 *    STUB_POLICY=none fails as the CLI does when there is no policy (NoSuchEntity, exit 254);
 *    STUB_POLICY=denied fails with AccessDenied (exit 254);
 *  - `create-virtual-mfa-device --outfile F` writes a fake seed to F.
 */
const AWS_STUB = String.raw`#!/bin/sh
touch "$STUB_MARKER"
line=aws
for arg in "$@"; do
  case $arg in
    '' | *[!A-Za-z0-9_@%+=:,./-]*) arg="'$(printf '%s' "$arg" | sed "s/'/'\\\\''/g")'" ;;
  esac
  line="$line $arg"
done
printf '%s\n' "$line" >> "$STUB_CALLS"
query=
outfile=
profile=
instance=
previous=
for arg in "$@"; do
  case $previous in
    --query) query=$arg ;;
    --outfile) outfile=$arg ;;
    --profile) profile=$arg ;;
  esac
  case $arg in
    Name=instance-id,Values=*) instance=$\{arg#Name=instance-id,Values=} ;;
  esac
  previous=$arg
done
index=0
for failure in $STUB_FAILURES; do
  index=$((index + 1))
  operation=$\{failure%%:*}; rest=$\{failure#*:}
  needle=$\{rest%%:*}; rest=$\{rest#*:}
  code=$\{rest%%:*}; times=$\{rest#*:}
  [ "$operation" = "$2" ] || continue
  case $line in *"$needle"*) ;; *) continue ;; esac
  count_file="$STUB_CALLS.failure-$index"
  count=$(cat "$count_file" 2>/dev/null || echo 0)
  if [ "$times" -eq 0 ] || [ "$count" -lt "$times" ]; then
    echo $((count + 1)) > "$count_file"
    echo "An error occurred ($code) when calling the $2 operation: stub failure" >&2
    exit 254
  fi
done
case "$1 $2" in
  'sts get-caller-identity')
    # Each test profile is named after its account ("prof-<account>"); STUB_WRONG_ACCOUNT reaches another.
    if [ -n "$\{STUB_WRONG_ACCOUNT:-}" ] && [ "$profile" = "$STUB_WRONG_ACCOUNT" ]; then echo 999999999999; else printf '%s\n' "$\{profile#prof-}"; fi ;;
  'ec2 describe-iam-instance-profile-associations')
    if [ -n "$query" ]; then
      answer=None
      for pair in $STUB_ASSOCIATIONS; do
        if [ "$\{pair%%=*}" = "$instance" ]; then answer=$\{pair#*=}; fi
      done
      case $query in
        *ends_with*) ;;
        *)
          for pair in $STUB_HELD; do
            if [ "$\{pair%%=*}" = "$instance" ]; then answer=$\{pair#*=}; fi
          done ;;
      esac
      printf '%s\n' "$answer"
    else
      printf '{"IamInstanceProfileAssociations": []}\n'
    fi ;;
  'iam get-account-password-policy')
    case $STUB_POLICY in
      none)
        echo 'An error occurred (NoSuchEntity) when calling the GetAccountPasswordPolicy operation: The Password Policy with domain name 000000000000 cannot be found.' >&2
        exit 254 ;;
      denied)
        echo 'An error occurred (AccessDenied) when calling the GetAccountPasswordPolicy operation: User is not authorized to perform: iam:GetAccountPasswordPolicy' >&2
        exit 254 ;;
    esac
    field=$\{query#PasswordPolicy.}
    answer=None
    for pair in $STUB_POLICY; do
      if [ "$\{pair%%=*}" = "$field" ]; then answer=$\{pair#*=}; fi
    done
    printf '%s\n' "$answer" ;;
  'iam create-virtual-mfa-device')
    if [ -n "$outfile" ]; then printf 'JBSWY3DPEHPK3PXP' > "$outfile"; fi ;;
esac
exit 0
`.replaceAll('$\\{', '${'); // `$\{` keeps the template literal from interpolating

/** `sleep` returns at once: the retry of an association waits 10 s between attempts. */
const SLEEP_STUB = '#!/bin/sh\nexit 0\n';

const TRAILSIFT_STUB = String.raw`#!/bin/sh
touch "$STUB_MARKER"
printf '%s\n' "trailsift $*" >> "$STUB_CALLS"
`;

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  dir: string;
  /** One line per `aws` or `trailsift` call: the program, then its arguments, shell-quoted. */
  calls: string[];
  /** Whether any stub ran at all. */
  marker: boolean;
}

/** A call that fails: `operation` in the CLI's spelling, `needle` a text its arguments hold (an instance ID, a user name). */
export interface Failure {
  operation: string;
  needle: string;
  code: string;
  /** How many of those calls fail before one succeeds; every one when absent. */
  times?: number;
}

export interface Answers {
  /** Instance ID → the association it still holds, to the profile the plan restores (of that name). */
  associations?: Record<string, string>;
  /** Instance ID → an association it holds to another profile, given since. */
  held?: Record<string, string>;
  failures?: Failure[];
  /** The current password policy's fields, `none` (no policy) or `denied`. */
  policy?: Record<string, string | number | boolean> | 'none' | 'denied';
}

/** The scenario's instance that still holds an association (the log named another one), and what the stub answers for it. */
export const SCENARIO_ANSWERS: Answers = {
  associations: { 'i-0e245e90cc3f2279c': 'iip-assoc-0ca11ed0000000001' },
  // Longer than the target (14) but remembering fewer (5 < 24): the result must be the max of each.
  policy: { MinimumPasswordLength: 20, PasswordReusePrevention: 5, HardExpiry: true, MaxPasswordAge: 90 },
};

/** fixtures/paths: one running instance and one stopped one still hold an association; the others hold none. */
export const PATHS_ANSWERS: Answers = {
  associations: { 'i-00a2e695168ae8e68': 'iip-assoc-0ca11ed00000000b1', 'i-07740ab58702f9c6a': 'iip-assoc-0ca11ed00000000b2' },
  policy: 'none',
};

export const profileOf = (accountId: string): string => `prof-${accountId}`;

/** TRAILSIFT_PROFILE_<account>=prof-<account> for each account. */
export const profileEnv = (accounts: readonly string[]): Record<string, string> =>
  Object.fromEntries(accounts.map((account) => [`TRAILSIFT_PROFILE_${account}`, profileOf(account)]));

/** The environment without any TRAILSIFT_PROFILE_* the test process may have. */
function baseEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !entry[0].startsWith('TRAILSIFT_PROFILE_')));
}

export function stubBin(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'aws'), AWS_STUB);
  writeFileSync(join(bin, 'trailsift'), TRAILSIFT_STUB);
  writeFileSync(join(bin, 'sleep'), SLEEP_STUB);
  for (const program of ['aws', 'trailsift', 'sleep']) chmodSync(join(bin, program), 0o755);
  return bin;
}

const pairs = (map: Record<string, string> | undefined): string =>
  Object.entries(map ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');

/** Runs a script with sh in a fresh directory, the stubs first on PATH. */
export function runScript(script: string, env: Record<string, string> = {}, answers: Answers = {}): Run {
  const dir = tempDir('trailsift-script-');
  const bin = stubBin(dir);
  const log = join(dir, 'calls.log');
  const marker = join(dir, 'ran-something');
  writeFileSync(join(dir, 'remediate.sh'), script);
  const policy = answers.policy ?? 'none';
  const result = spawnSync('sh', ['remediate.sh'], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...baseEnv(),
      ...env,
      PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      STUB_MARKER: marker,
      STUB_CALLS: log,
      STUB_ASSOCIATIONS: pairs(answers.associations),
      STUB_HELD: pairs(answers.held),
      STUB_FAILURES: (answers.failures ?? []).map((failure) => [failure.operation, failure.needle, failure.code, failure.times ?? 0].join(':')).join(' '),
      STUB_POLICY: typeof policy === 'string' ? policy : Object.entries(policy).map(([field, value]) => `${field}=${value === true ? 'True' : value === false ? 'False' : value}`).join(' '),
    },
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    dir,
    calls: existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [],
    marker: existsSync(marker),
  };
}

/** What a reader does once satisfied: delete the line after the notice. */
export function withoutGuard(script: string): string {
  const lines = script.split('\n');
  const at = lines.indexOf(GUARD[0]!);
  expect(at).toBeGreaterThan(0);
  expect(lines[at + 1]).toBe('exit 1');
  lines.splice(at + 1, 1);
  return lines.join('\n');
}

/** Lines a shell would execute: neither blank nor comments. */
export function codeLines(script: string): string[] {
  return script.split('\n').filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
}

/** A recorded or planned call: what it does, where, with whose credentials. */
export interface CallKey {
  service: string;
  /** The CLI's operation (`update-access-key`), or `wait <waiter>`. */
  operation: string;
  /** The profile it ran with (recorded), or the one its account's variable names (planned). */
  profile: string | null;
  region: string | null;
}

export const callKeyText = (call: CallKey): string => `${call.service} ${call.operation} profile=${call.profile ?? '-'} region=${call.region ?? '-'}`;

/** A recorded `aws …` line as its key. */
export function recordedKey(line: string): CallKey {
  const words = shellWords(line);
  const option = (name: string): string | null => {
    const at = words.indexOf(name);
    return at < 0 ? null : (words[at + 1] ?? null);
  };
  const operation = words[2] === 'wait' ? `wait ${words[3]}` : words[2]!;
  return { service: words[1]!, operation, profile: option('--profile'), region: option('--region') };
}

// eslint-disable-next-line no-control-regex
const UNRUNNABLE = /<[A-Za-z][A-Za-z0-9_-]*>|[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export interface ExpectOptions {
  /** Instance ID → association it holds (the replace branch), as the stub answers. */
  associations?: Record<string, string>;
  /** Instance ID → association to another profile: left as it is. */
  held?: Record<string, string>;
  /** Instances whose replace or associate fails (not for propagation): tried once. */
  failing?: readonly string[];
  /**
   * sh (the default) describes twice before acting (an association of the profile's name,
   * then any) and verifies every instance; Python describes once and verifies only the
   * instances it changed.
   */
  runner?: 'sh' | 'python';
  /** How many reads of the current password policy one password-policy step makes (sh: one per field). */
  policyReads: number;
}

/**
 * The calls a plan makes when run, in order, worked out from the plan (not from the
 * script): a step planned by an earlier incident, a delete for later, a step holding a
 * placeholder or a control character, and the management account's steps do not run.
 */
export function plannedCalls(incidents: Incident[], options: ExpectOptions): Array<CallKey & { phase: string }> {
  const calls: Array<CallKey & { phase: string }> = [];
  const plan = remediationPlan(incidents);
  // Before any change, each profile is checked to reach its own account.
  if (plan.entries.length > 0) {
    for (const account of plan.accounts) calls.push({ phase: 'check', service: 'sts', operation: 'get-caller-identity', profile: profileOf(account), region: null });
  }
  for (const entry of plan.entries) {
    const profile = entry.accountId ? profileOf(entry.accountId) : null;
    for (const { step, alreadyFor } of entry.steps) {
      if (alreadyFor !== null || entry.accountId === null || UNRUNNABLE.test(JSON.stringify(step)) || JSON.stringify(step).includes('"placeholder"')) continue;
      const push = (service: string, operation: string, region: string | null = null): void => {
        calls.push({ phase: entry.phase, service, operation, profile, region });
      };
      expand(step, push, options);
    }
  }
  return calls;
}

function expand(step: Step, push: (service: string, operation: string, region?: string | null) => void, options: ExpectOptions): void {
  switch (step.kind) {
    case 'call':
      if (!step.later) push(step.service, xformName(step.operation, '-'), step.region ?? null);
      return;
    case 'wait':
      push(step.service, `wait ${xformName(step.waiter, '-')}`, step.region ?? null);
      return;
    case 'reassociate': {
      const python = options.runner === 'python';
      push('ec2', 'describe-iam-instance-profile-associations', step.region);
      if (!python) push('ec2', 'describe-iam-instance-profile-associations', step.region);
      const ours = options.associations?.[step.instanceId];
      if (!ours && options.held?.[step.instanceId]) {
        if (!python) push('ec2', 'describe-iam-instance-profile-associations', step.region);
        return;
      }
      push('ec2', ours ? 'replace-iam-instance-profile-association' : 'associate-iam-instance-profile', step.region);
      if (!python || !options.failing?.includes(step.instanceId)) push('ec2', 'describe-iam-instance-profile-associations', step.region);
      return;
    }
    case 'new-password':
      push('iam', 'update-login-profile');
      return;
    case 'password-policy':
      for (let read = 0; read < options.policyReads; read++) push('iam', 'get-account-password-policy');
      push('iam', 'update-account-password-policy');
      return;
    case 'virtual-mfa':
      // Its seed file is a placeholder: never runs unedited.
      return;
    case 'now':
    case 'manual':
    case 'read':
      return;
  }
}

/** Instance ID → the profile name its reassociate step restores (what the stub boto3 puts in an association's ARN). */
export function reassociationProfiles(incidents: Incident[]): Record<string, string> {
  const profiles: Record<string, string> = {};
  for (const entry of remediationPlan(incidents).entries) for (const { step } of entry.steps) if (step.kind === 'reassociate') profiles[step.instanceId] = step.profileName;
  return profiles;
}

/** Whether a recorded call is the shell's second describe (any association held, `[0]`), which the Python program does not make. */
export const isHeldDescribe = (call: string): boolean =>
  call.startsWith('aws ec2 describe-iam-instance-profile-associations ') && shellWords(call).includes('IamInstanceProfileAssociations[0].AssociationId');

/** Which phase an operation belongs to, by what it does (independent of the plan). */
export const PHASE_OF_OPERATION: Record<string, number> = {
  'sts get-caller-identity': -1,
  'cloudtrail start-logging': 0,
  'iam update-access-key': 0,
  'iam put-role-policy': 0,
  'iam put-user-policy': 0,
  'iam update-login-profile': 0,
  'iam delete-login-profile': 0,
  // A foreign role in a re-created profile is contained before anything is repaired.
  'iam detach-role-policy': 0,
  'iam remove-role-from-instance-profile': 0,
  // What the attack left in IAM is undone in containment (undo-attack-changes).
  'iam detach-user-policy': 0,
  'iam detach-group-policy': 0,
  'iam get-user-policy': 0,
  'iam get-role-policy': 0,
  'iam get-group-policy': 0,
  'iam delete-user-policy': 0,
  'iam delete-role-policy': 0,
  'iam delete-group-policy': 0,
  'iam remove-user-from-group': 0,
  'iam get-role': 0,
  'iam list-policy-versions': 0,
  // An instance whose credentials were stolen is contained.
  'ec2 modify-instance-metadata-options': 0,
  'iam create-instance-profile': 1,
  'iam add-role-to-instance-profile': 1,
  'iam wait instance-profile-exists': 1,
  'ec2 describe-iam-instance-profile-associations': 1,
  'ec2 replace-iam-instance-profile-association': 1,
  'ec2 associate-iam-instance-profile': 1,
  'iam get-account-password-policy': 2,
  'iam update-account-password-policy': 2,
  'iam create-virtual-mfa-device': 2,
  'iam enable-mfa-device': 2,
  'organizations create-policy': 2,
  'organizations attach-policy': 2,
  'events put-rule': 2,
  'events put-targets': 2,
};

/** Volatile parts of recorded calls made stable for a golden file. */
export function normaliseCalls(calls: string[]): string {
  return `${calls
    .map((call) =>
      call
        .replace(/("aws:TokenIssueTime":")\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ(")/g, '$1<REVOKE_BEFORE>$2')
        .replace(/(--password )[A-Za-z0-9]{40}-Aa1\b/g, '$1<NEW_PASSWORD>'),
    )
    .join('\n')}\n`;
}
