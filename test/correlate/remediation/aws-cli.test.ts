import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/correlate/incident.js';
import { cliLines, hasPlaceholder, kebabCase, shellQuote, snakeCase } from '../../../src/correlate/remediation/aws-cli.js';
import type { Step, Value } from '../../../src/correlate/remediation/plan.js';
import { renderRemediationScript } from '../../../src/report/remediation-script.js';
import { HOSTILE, hostileIncident, SHELLY } from '../../report/hostile-incident.js';
import { cliProblems } from '../../support/aws-cli-check.js';
import { KNOWN_EXCEPTIONS, SDK_PACKAGES, serviceModel, xformName } from '../../support/aws-model.js';
import { tempDir } from '../../support/cloudtrail.js';
import { pathsIncidents } from '../../support/paths.js';
import { scenarioIncidents } from '../../support/scenario.js';
import { awsCommandOf, parseCommand, shellWords } from '../../support/shell-words.js';

/** The arguments sh passes for `words` (a command line without its program), NUL-separated by printf. */
function shellArguments(words: string, env: Record<string, string> = {}): { args: string[]; dir: string } {
  const dir = tempDir('trailsift-quote-');
  const result = spawnSync('sh', ['-c', `printf '%s\\0' ${words}`], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/home/nobody-here', ...env } });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return { args: result.stdout.split('\0').slice(0, -1), dir };
}

/** The words after `aws` in a rendered line, as sh passes them. */
const runLine = (line: string, env: Record<string, string> = {}): { args: string[]; dir: string } => {
  expect(line.startsWith('aws ')).toBe(true);
  return shellArguments(line.slice(4), { TRAILSIFT_PROFILE_111111111111: 'prof-1', ...env });
};

const call = (service: 'iam' | 'ec2', operation: string, params: Record<string, Value>): Step => ({ kind: 'call', service, operation, params });

describe('every aws command line trailsift can emit', () => {
  const lines = new Map<string, string>();
  beforeAll(async () => {
    for (const [source, incidents] of [
      ['scenario', await scenarioIncidents()],
      ['paths', await pathsIncidents()],
      ['hostile', [hostileIncident()]],
    ] as Array<[string, Incident[]]>) {
      for (const incident of incidents)
        for (const recommendation of incident.recommendations)
          for (const command of recommendation.commands) {
            const aws = awsCommandOf(command);
            if (aws) lines.set(aws, `${source}: recommendation ${recommendation.id}`);
          }
      for (const line of renderRemediationScript(incidents).split('\n')) {
        const aws = awsCommandOf(line);
        if (aws) lines.set(aws, `${source}: script`);
      }
    }
  }, 60_000);

  it('when they are collected then they cover every operation the templates use', () => {
    const operations = new Set([...lines.keys()].map((line) => shellWords(line).slice(1, 3).join(' ')));
    for (const expected of [
      'iam update-access-key',
      'iam delete-access-key',
      'iam put-role-policy',
      'iam put-user-policy',
      'iam detach-role-policy',
      'iam remove-role-from-instance-profile',
      'iam delete-role',
      'iam update-login-profile',
      'iam delete-login-profile',
      'iam create-instance-profile',
      'iam add-role-to-instance-profile',
      'iam wait',
      'ec2 describe-iam-instance-profile-associations',
      'ec2 replace-iam-instance-profile-association',
      'ec2 associate-iam-instance-profile',
      'iam get-account-password-policy',
      'iam update-account-password-policy',
      'iam create-virtual-mfa-device',
      'iam enable-mfa-device',
      'organizations create-policy',
      'organizations attach-policy',
      'events put-rule',
      'events put-targets',
      'ec2 describe-launch-template-versions',
      'autoscaling describe-launch-configurations',
      'iam list-access-keys',
    ])
      expect(operations, expected).toContain(expected);
  });

  it('when each is checked against the AWS SDK model then its service, operation and every option exist, with values where the API wants them', () => {
    expect(lines.size).toBeGreaterThan(40);
    const problems = [...lines].flatMap(([line, source]) => cliProblems(line).map((problem) => `${source}: ${problem}`));
    expect(problems).toEqual([]);
  });

  it('when any of them gets a made-up option or a misspelt operation then the check fails (the check can fail)', () => {
    for (const line of lines.keys()) {
      const words = shellWords(line);
      const command = words.slice(0, words[2] === 'wait' ? 4 : 3).join(' ');
      expect(line.startsWith(`${command} `)).toBe(true);
      const withOption = `${command} --made-up-option x ${line.slice(command.length + 1)}`;
      expect(cliProblems(withOption), withOption).toContain(`${command}: unknown option --made-up-option`);
      const misspelt = `${command}x ${line.slice(command.length + 1)}`;
      expect(cliProblems(misspelt), misspelt).not.toEqual([]);
    }
  });

  it('when a synthetic line is wrong in one way then the check names it', () => {
    const valid = 'aws iam update-access-key --profile p --user-name u --access-key-id AKIA1 --status Inactive';
    expect(cliProblems(valid)).toEqual([]);
    expect(cliProblems(`${valid} --force`)).toEqual(['aws iam update-access-key: unknown option --force']);
    expect(cliProblems(valid.replace('update-access-key', 'disable-access-key'))).toEqual(['unknown operation: aws iam disable-access-key']);
    expect(cliProblems(valid.replace('aws iam', 'aws iamx'))).toEqual(['unknown service: aws iamx']);
    expect(cliProblems('aws iam update-access-key --user-name u --access-key-id AKIA1')).toEqual(['aws iam update-access-key: required --status missing']);
    expect(cliProblems('aws iam update-login-profile --user-name u --password-reset-required true')).toEqual([
      'aws iam update-login-profile: --password-reset-required is a boolean switch and takes no value (true)',
    ]);
    expect(cliProblems('aws iam update-login-profile --user-name u --no-password-reset-required')).toEqual([]);
    expect(cliProblems('aws iam update-login-profile --user-name u --no-password x')).toEqual(['aws iam update-login-profile: unknown option --no-password']);
    expect(cliProblems('aws iam update-login-profile --user-name')).toEqual(['aws iam update-login-profile: --user-name needs a value']);
    expect(cliProblems('aws iam enable-mfa-device --user-name u --serial-number s --authentication-code-1 1 --authentication-code-2 2')).toContain(
      'aws iam enable-mfa-device: unknown option --authentication-code-1',
    );
    expect(cliProblems('aws iam enable-mfa-device --user-name u --serial-number s --authentication-code1 1 --authentication-code2 2')).toEqual([]);
    expect(cliProblems('aws ec2 associate-iam-instance-profile --instance-id i-1 --iam-instance-profile name=p')).toEqual([
      'aws ec2 associate-iam-instance-profile: --iam-instance-profile: name is not a member (Arn, Name)',
    ]);
    expect(cliProblems(`aws events put-targets --rule r --targets '[{"Id":"a","Arn":"x","Topic":"t"}]'`)).toContain('aws events put-targets: --targets: Topic is not a member (' + serviceModel('events').operations.get('PutTargets')!.members.find((member) => member.name === 'Targets')!.structKeys!.join(', ') + ')');
    expect(cliProblems('aws iam wait instance-profile-exist --instance-profile-name p')).toEqual(['unknown waiter: aws iam wait instance-profile-exist']);
    expect(cliProblems('aws iam wait instance-profile-exists --instance-profile-name p --role-name r')).toEqual(['aws iam wait instance-profile-exists: unknown option --role-name']);
    expect(cliProblems('aws iam get-user --profile a --profile b')).toEqual(['aws iam get-user: --profile given twice']);
    expect(cliProblems('aws iam create-virtual-mfa-device --virtual-mfa-device-name d --outfile f --bootstrap-method Base32StringSeed')).toEqual([]);
    expect(cliProblems('aws iam create-access-key --user-name u --outfile f')).toEqual(['aws iam create-access-key: unknown option --outfile']);
    expect(cliProblems('aws autoscaling describe-launch-configurations --launch-configuration-names lc')).toEqual([]);
    expect(cliProblems('aws autoscaling describe-launch-configuration --launch-configuration-names lc')).toEqual(['unknown operation: aws autoscaling describe-launch-configuration']);
    // The hard-expiry switch is a variable: both values it can take are checked.
    expect(cliProblems('aws iam update-account-password-policy --minimum-password-length "$L" "$POLICY_EXPIRY"')).toEqual([]);
  });
});

describe('kebabCase and snakeCase', () => {
  it('when API names are spelled then they are what the AWS CLI and boto3 call them', () => {
    expect(kebabCase('EnableMFADevice')).toBe('enable-mfa-device');
    expect(snakeCase('EnableMFADevice')).toBe('enable_mfa_device');
    expect(kebabCase('CreateVirtualMFADevice')).toBe('create-virtual-mfa-device');
    expect(snakeCase('CreateVirtualMFADevice')).toBe('create_virtual_mfa_device');
    expect(kebabCase('VirtualMFADeviceName')).toBe('virtual-mfa-device-name');
    expect(kebabCase('AuthenticationCode1')).toBe('authentication-code1');
    expect(kebabCase('IamInstanceProfile')).toBe('iam-instance-profile');
    expect(kebabCase('DescribeIamInstanceProfileAssociations')).toBe('describe-iam-instance-profile-associations');
    expect(snakeCase('ReplaceIamInstanceProfileAssociation')).toBe('replace_iam_instance_profile_association');
    expect(kebabCase('InstanceProfileExists')).toBe('instance-profile-exists');
    expect(snakeCase('InstanceProfileExists')).toBe('instance_profile_exists');
    expect(kebabCase('ListOpenIDConnectProviders')).toBe('list-open-id-connect-providers');
    expect(kebabCase('GetSAMLProvider')).toBe('get-saml-provider');
    expect(kebabCase('AssociateVpcCidrBlock')).toBe('associate-vpc-cidr-block');
    expect(kebabCase('Ipv6CidrBlock')).toBe('ipv6-cidr-block');
    expect(kebabCase('DryRun')).toBe('dry-run');
  });

  it('when every operation and input member of the four SDK models is spelled then src agrees with botocore’s rule', () => {
    let count = 0;
    const disagreements: string[] = [];
    for (const service of Object.keys(SDK_PACKAGES)) {
      for (const operation of serviceModel(service).operations.values()) {
        for (const name of [operation.name, ...operation.members.map((member) => member.name)]) {
          count++;
          if (kebabCase(name) !== xformName(name, '-')) disagreements.push(`${name}: ${kebabCase(name)} ≠ ${xformName(name, '-')}`);
          if (snakeCase(name) !== xformName(name, '_')) disagreements.push(`${name}: ${snakeCase(name)} ≠ ${xformName(name, '_')}`);
        }
      }
    }
    expect(count).toBeGreaterThan(2000);
    expect(disagreements).toEqual([]);
  });
});

describe('shellQuote', () => {
  const hostile = [HOSTILE, SHELLY, "it's", '$(touch PWNED)', '`touch PWNED`', '$HOME', '${HOME}', 'a b\tc', '', '-n', '\\', '!', '*', '~', 'a\nb', '"', "'", "''", '#x', 'x;y', 'x|y', 'x&y', '>out'];

  it('when hostile strings are quoted then sh passes each back byte for byte and runs nothing', () => {
    const { args, dir } = shellArguments(hostile.map(shellQuote).join(' '));
    expect(args).toEqual(hostile);
    expect(existsSync(join(dir, 'PWNED'))).toBe(false);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('when a value is plainly safe then it stays unquoted, and anything else is single-quoted', () => {
    for (const safe of ['web-app-profile', 'arn:aws:iam::111111111111:role/app/web', 'AKIAHV7MGJ5SLMZ4HGXQ', 'a+b=c,d@e.f%g_h', '/app/']) expect(shellQuote(safe)).toBe(safe);
    expect(shellQuote('')).toBe("''");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    for (const value of hostile.filter((value) => value !== '' && value !== '-n')) expect(shellQuote(value).startsWith("'"), value).toBe(true);
    expect(shellQuote('-n')).toBe('-n');
  });
});

describe('cliLines', () => {
  const document = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: SHELLY,
        Effect: 'Deny',
        Action: ['*'],
        Resource: [`arn:aws:iam::111111111111:role/$HOME/\`id\`/$(touch PWNED)/"q"/\\/${HOSTILE}`],
        Condition: { DateLessThan: { 'aws:TokenIssueTime': '${REVOKE_BEFORE}' } },
      },
    ],
  };

  it('when a JSON policy holds ${REVOKE_BEFORE} then it is one double-quoted argument in which nothing but that variable expands', () => {
    const [line, ...more] = cliLines(call('iam', 'PutRolePolicy', { RoleName: SHELLY, PolicyName: 'AWSRevokeOlderSessions', PolicyDocument: { json: document } }), '111111111111');
    expect(more).toEqual([]);
    const { words } = parseCommand(line!);
    const policy = words[words.findIndex((word) => word.value === '--policy-document') + 1]!;
    expect(policy.expands).toEqual(['REVOKE_BEFORE']);
    expect(line).toContain(' --policy-document "{');
    const { args, dir } = runLine(line!, { REVOKE_BEFORE: '2026-03-08T10:00:00Z' });
    expect(existsSync(join(dir, 'PWNED'))).toBe(false);
    expect(args[args.indexOf('--role-name') + 1]).toBe(SHELLY);
    expect(args[args.indexOf('--profile') + 1]).toBe('prof-1');
    const sent = JSON.parse(args[args.indexOf('--policy-document') + 1]!) as typeof document;
    expect(sent).toEqual({ ...document, Statement: [{ ...document.Statement[0]!, Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-03-08T10:00:00Z' } } }] });
  });

  it('when a JSON document holds no variable then it is single-quoted and reaches aws unchanged', () => {
    const plain = { ...document, Statement: [{ ...document.Statement[0]!, Condition: {} }] };
    const [line] = cliLines(call('iam', 'PutRolePolicy', { RoleName: 'r', PolicyName: 'p', PolicyDocument: { json: plain } }), '111111111111');
    expect(line).toContain(" --policy-document '{");
    const { args } = runLine(line!);
    expect(JSON.parse(args[args.indexOf('--policy-document') + 1]!)).toEqual(plain);
  });

  it('when a logged value inside a JSON document holds ${NAME} then it stays literal instead of expanding', () => {
    const withLogged = { Statement: [{ Sid: '${HOME}', Condition: { DateLessThan: { 'aws:TokenIssueTime': '${REVOKE_BEFORE}' } } }] };
    const [line] = cliLines(call('iam', 'PutRolePolicy', { RoleName: 'r', PolicyName: 'p', PolicyDocument: { json: withLogged } }), '111111111111');
    const { args } = runLine(line!, { REVOKE_BEFORE: 'T' });
    expect((JSON.parse(args[args.indexOf('--policy-document') + 1]!) as typeof withLogged).Statement[0]!.Sid).toBe('${HOME}');
  });

  it('when a structure’s values are safe then it is CLI shorthand; when one is not (comma, equals, space, quote) it falls back to JSON', () => {
    const profile = (name: string): string => cliLines(call('ec2', 'AssociateIamInstanceProfile', { InstanceId: 'i-1', IamInstanceProfile: { struct: { Name: name } } }), '111111111111')[0]!;
    expect(profile('web-app-profile')).toContain(' --iam-instance-profile Name=web-app-profile');
    for (const unsafe of ['a,b', 'a=b', 'a b', SHELLY, 'x]y']) {
      const line = profile(unsafe);
      const { args } = runLine(line);
      expect(JSON.parse(args[args.indexOf('--iam-instance-profile') + 1]!), line).toEqual({ Name: unsafe });
      expect(cliProblems(line)).toEqual([]);
    }
  });

  it('when a list of structures is safe then each is one shorthand word; otherwise the list is one JSON argument', () => {
    const filters = (values: string[]): string =>
      cliLines(call('ec2', 'DescribeIamInstanceProfileAssociations', { Filters: { structs: [{ Name: 'instance-id', Values: values }, { Name: 'state', Values: ['associated'] }] } }), '111111111111')[0]!;
    const safe = filters(['i-1', 'i-2']);
    expect(shellWords(safe).slice(-3)).toEqual(['--filters', 'Name=instance-id,Values=i-1,i-2', 'Name=state,Values=associated']);
    const unsafe = filters([SHELLY]);
    const { args } = runLine(unsafe);
    expect(JSON.parse(args[args.indexOf('--filters') + 1]!)).toEqual([
      { Name: 'instance-id', Values: [SHELLY] },
      { Name: 'state', Values: ['associated'] },
    ]);
    expect(cliProblems(safe)).toEqual([]);
    expect(cliProblems(unsafe)).toEqual([]);
  });

  it('when values are booleans, numbers, lists, placeholders and variables then each takes the CLI’s form', () => {
    const [line] = cliLines(
      {
        kind: 'call',
        service: 'iam',
        operation: 'UpdateAccountPasswordPolicy',
        params: { MinimumPasswordLength: 14, RequireSymbols: true, HardExpiry: false, PasswordReusePrevention: { variable: 'POLICY_REUSE' }, MaxPasswordAge: { placeholder: 'days' } },
      },
      '111111111111',
    );
    expect(line).toBe(
      'aws iam update-account-password-policy --profile "$TRAILSIFT_PROFILE_111111111111" --minimum-password-length 14 --require-symbols --no-hard-expiry --password-reuse-prevention "$POLICY_REUSE" --max-password-age <days>',
    );
    expect(hasPlaceholder(line!)).toBe(true);
    expect(cliProblems(line!)).toEqual([]);
    const [list] = cliLines({ kind: 'call', service: 'ec2', operation: 'DescribeLaunchTemplateVersions', region: 'us-west-2', params: { LaunchTemplateId: 'lt-1', Versions: ['$Latest', '$Default'] } }, '111111111111');
    expect(list).toBe(`aws ec2 describe-launch-template-versions --profile "$TRAILSIFT_PROFILE_111111111111" --region us-west-2 --launch-template-id lt-1 --versions '$Latest' '$Default'`);
    expect(runLine(list!).args.slice(-2)).toEqual(['$Latest', '$Default']);
  });

  it('when an account is unknown then the profile is the management-account placeholder, so the line is never run unedited', () => {
    const [line] = cliLines(call('iam', 'GetUser', { UserName: 'u' }), null);
    expect(line).toBe('aws iam get-user --profile <management-account-profile> --user-name u');
    expect(hasPlaceholder(line!)).toBe(true);
  });

  it('when a capture variable name is not a plain shell name then rendering refuses', () => {
    expect(() => cliLines({ kind: 'call', service: 'iam', operation: 'GetUser', params: { UserName: 'u' }, capture: { variable: 'X;touch PWNED', query: 'User.Arn' } }, '111111111111')).toThrow();
  });

  it('when a new password is set then the generated line is valid sh, makes a 44-character password and prints it to stderr only', () => {
    const lines = cliLines({ kind: 'new-password', userName: SHELLY }, '111111111111');
    const dir = tempDir('trailsift-password-');
    const script = lines.map((line) => line.replace(/^aws /, `printf '%s\\n' `)).join('\n');
    const result = spawnSync('sh', ['-euc', `${script}\nprintf 'after:%s\\n' "\${NEW_PASSWORD-unset}"`], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TRAILSIFT_PROFILE_111111111111: 'p' } });
    expect(result.status).toBe(0);
    const args = result.stdout.split('\n');
    const password = args[args.indexOf('--password') + 1]!;
    expect(password).toMatch(/^[A-Za-z0-9]{40}-Aa1$/);
    expect(args).toContain('--password-reset-required');
    expect(args[args.indexOf('--user-name') + 1]).toBe(SHELLY);
    expect(result.stderr).toBe(`New console password for ${SHELLY} (it must be changed at first sign-in): ${password}\n`);
    expect(result.stdout).toContain('after:unset');
    expect(existsSync(join(dir, 'PWNED'))).toBe(false);
  });

  /** Runs rendered lines with sh -eu, `aws` a function that prints its arguments and fails with the error `fail` maps its operation to. */
  function runWithFakeAws(lines: string[], fail: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string; calls: string[] } {
    const dir = tempDir('trailsift-fake-aws-');
    const cases = Object.entries(fail)
      .map(([operation, code]) => `    ${operation}) echo "An error occurred (${code}) when calling the $2 operation: fake" >&2; return 254 ;;`)
      .join('\n');
    const fake = [`aws() {`, `  echo "aws $*" >> calls.log`, `  case $2 in`, cases, `  esac`, `  printf '%s\\n' "$*"`, `}`, 'sleep() { :; }'].filter(Boolean).join('\n');
    const result = spawnSync('sh', ['-euc', `${fake}\n${lines.join('\n')}\necho end`], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TRAILSIFT_PROFILE_111111111111: 'p' } });
    const log = join(dir, 'calls.log');
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls: existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [] };
  }

  it('when a call tolerates NoSuchEntity then that error is reported as already so and the script goes on; any other error stops it', () => {
    const lines = cliLines({ kind: 'call', service: 'iam', operation: 'DeleteLoginProfile', params: { UserName: SHELLY }, tolerate: ['NoSuchEntity'] }, '111111111111');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^tolerate\(\) \{ /);
    expect(lines[1]).toBe(`tolerate NoSuchEntity aws iam delete-login-profile --profile "$TRAILSIFT_PROFILE_111111111111" --user-name ${shellQuote(SHELLY)}`);
    expect(cliProblems(awsCommandOf(lines[1]!)!)).toEqual([]);
    const ok = runWithFakeAws(lines);
    expect([ok.status, ok.stderr]).toEqual([0, '']);
    expect(ok.stdout).toContain('iam delete-login-profile --profile p --user-name');
    expect(ok.stdout.trimEnd().split('\n').at(-1)).toBe('end');
    const gone = runWithFakeAws(lines, { 'delete-login-profile': 'NoSuchEntity' });
    expect(gone.status).toBe(0);
    expect(gone.stderr).toBe('already so (NoSuchEntity): iam delete-login-profile\n');
    expect(gone.stdout).toBe('end\n');
    const denied = runWithFakeAws(lines, { 'delete-login-profile': 'AccessDenied' });
    expect(denied.status).not.toBe(0);
    expect(denied.stderr).toBe('An error occurred (AccessDenied) when calling the delete-login-profile operation: fake\n');
    expect(denied.stdout).not.toContain('end');
  });

  it('when a user may have no password then the new password tolerates NoSuchEntity; otherwise that error stops the script', () => {
    const tolerant = cliLines({ kind: 'new-password', userName: 'carol', mayHaveNone: true }, '111111111111');
    expect(tolerant.filter((line) => line.includes('update-login-profile'))).toEqual([
      'tolerate NoSuchEntity aws iam update-login-profile --profile "$TRAILSIFT_PROFILE_111111111111" --user-name carol --password "$NEW_PASSWORD" --password-reset-required',
    ]);
    const gone = runWithFakeAws(tolerant, { 'update-login-profile': 'NoSuchEntity' });
    expect(gone.status).toBe(0);
    expect(gone.stderr).toContain('already so (NoSuchEntity): iam update-login-profile\n');
    const strict = cliLines({ kind: 'new-password', userName: 'carol' }, '111111111111');
    expect(strict.some((line) => line.startsWith('tolerate'))).toBe(false);
    expect(runWithFakeAws(strict, { 'update-login-profile': 'NoSuchEntity' }).status).not.toBe(0);
  });

  it('when an instance is re-associated then two describes come first, only InvalidParameterValue is retried, and a failure is collected, not fatal', () => {
    const lines = cliLines({ kind: 'reassociate', region: 'us-west-2', instanceId: 'i-1', profileName: 'app-profile', loggedAssociationId: 'iip-assoc-logged' }, '111111111111');
    expect(lines[0]).toContain('(the log named iip-assoc-logged; the one described now is used); an instance since pointed at another profile is left as it is');
    expect(lines[2]).toBe(
      `ASSOCIATION_ID=$(aws ec2 describe-iam-instance-profile-associations --profile "$TRAILSIFT_PROFILE_111111111111" --region us-west-2 --filters Name=instance-id,Values=i-1 Name=state,Values=associated --query 'IamInstanceProfileAssociations[?ends_with(IamInstanceProfile.Arn, '\\''/app-profile'\\'')].AssociationId | [0]' --output text)`,
    );
    expect(lines[3]).toBe(
      `HELD_ID=$(aws ec2 describe-iam-instance-profile-associations --profile "$TRAILSIFT_PROFILE_111111111111" --region us-west-2 --filters Name=instance-id,Values=i-1 Name=state,Values=associated --query 'IamInstanceProfileAssociations[0].AssociationId' --output text)`,
    );
    for (const line of lines.map(awsCommandOf).filter((line): line is string => line !== null)) expect(cliProblems(line), line).toEqual([]);
    // The fake aws prints its arguments back, so the describes' answers are set here instead: none held, then ours, then another profile's.
    const branch = (associationId: string, heldId: string, extra: string[] = []): string[] => [lines[1]!, `ASSOCIATION_ID=${associationId}`, `HELD_ID=${heldId}`, ...lines.slice(4), ...extra];
    const run = (code: string | null): ReturnType<typeof runWithFakeAws> => runWithFakeAws(branch('None', 'None'), code ? { 'associate-iam-instance-profile': code } : {});
    const ok = run(null);
    expect(ok.status).toBe(0);
    expect(ok.calls.map((call) => call.split(' ').slice(1, 3).join(' '))).toEqual(['ec2 associate-iam-instance-profile', 'ec2 describe-iam-instance-profile-associations']);
    const throttled = run('InvalidParameterValue');
    expect(throttled.calls.filter((call) => call.includes('associate-iam-instance-profile'))).toHaveLength(6);
    expect(throttled.stderr.split('the new profile is not visible to EC2 yet: retrying in 10 s\n')).toHaveLength(6);
    const notFound = run('InvalidInstanceID.NotFound');
    expect(notFound.calls.filter((call) => call.includes('associate-iam-instance-profile'))).toHaveLength(1);
    for (const failed of [throttled, notFound]) {
      expect(failed.status).toBe(0);
      expect(failed.stdout.trimEnd().split('\n').at(-1)).toBe('end');
      expect(failed.calls.at(-1)).toMatch(/^aws ec2 describe-iam-instance-profile-associations /);
    }
    expect(notFound.stderr).toBe('An error occurred (InvalidInstanceID.NotFound) when calling the associate-iam-instance-profile operation: fake\n');
    const collected = runWithFakeAws(branch('', '', ['echo "failed:${REASSOCIATION_FAILED:-}"']), { 'associate-iam-instance-profile': 'InvalidInstanceID.NotFound' });
    expect(collected.stdout).toContain('failed: i-1\n');
    // Held by another profile: neither replaced nor associated.
    const held = runWithFakeAws(branch('None', 'iip-assoc-other'));
    expect(held.calls.map((call) => call.split(' ')[2])).toEqual(['describe-iam-instance-profile-associations']);
    expect(held.stderr).toBe("i-1 now holds another profile's association: left as it is, check it\n");
    // Ours: replaced with the described ID.
    const ours = runWithFakeAws(branch('iip-assoc-now', 'iip-assoc-now'));
    expect(ours.calls[0]).toMatch(/^aws ec2 replace-iam-instance-profile-association .*--association-id iip-assoc-now /);
  });

  it('when the attack gave the instance its own profile after the deletion then that association is replaced with the restored one; another profile is still left alone', () => {
    const lines = cliLines({ kind: 'reassociate', region: 'us-west-2', instanceId: 'i-1', profileName: 'app-profile', loggedAssociationId: null, attackProfileName: 'attacker-admin-profile' }, '111111111111');
    expect(lines[0]).toContain('an association to attacker-admin-profile, which the attack gave it, is replaced too');
    expect(lines[4]).toBe(
      `ATTACK_ID=$(aws ec2 describe-iam-instance-profile-associations --profile "$TRAILSIFT_PROFILE_111111111111" --region us-west-2 --filters Name=instance-id,Values=i-1 Name=state,Values=associated --query 'IamInstanceProfileAssociations[?ends_with(IamInstanceProfile.Arn, '\\''/attacker-admin-profile'\\'')].AssociationId | [0]' --output text)`,
    );
    for (const line of lines.map(awsCommandOf).filter((line): line is string => line !== null)) expect(cliProblems(line), line).toEqual([]);
    const branch = (associationId: string, heldId: string, attackId: string): string[] => [lines[1]!, `ASSOCIATION_ID=${associationId}`, `HELD_ID=${heldId}`, `ATTACK_ID=${attackId}`, ...lines.slice(5)];
    const taken = runWithFakeAws(branch('None', 'iip-assoc-attack', 'iip-assoc-attack'));
    expect(taken.status).toBe(0);
    expect(taken.calls[0]).toMatch(/^aws ec2 replace-iam-instance-profile-association .*--association-id iip-assoc-attack --iam-instance-profile Name=app-profile/);
    const other = runWithFakeAws(branch('None', 'iip-assoc-other', 'None'));
    expect(other.calls.map((call) => call.split(' ')[2])).toEqual(['describe-iam-instance-profile-associations']);
    expect(other.stderr).toBe("i-1 now holds another profile's association: left as it is, check it\n");
  });

  it('when the golden scenario script is read then every aws line in it is among the checked ones', () => {
    const golden = readFileSync(join(__dirname, '../../report/golden/scenario-remediation.sh'), 'utf8');
    const problems = golden
      .split('\n')
      .map(awsCommandOf)
      .filter((line): line is string => line !== null)
      .flatMap(cliProblems);
    expect(problems).toEqual([]);
  });
});

describe('tolerated error codes', () => {
  it('when a call tolerates two codes then they reach the tolerate function as one word, and the call itself runs', () => {
    const step: Step = { kind: 'call', service: 'iam', operation: 'DeleteRole', params: { RoleName: 'r' }, tolerate: ['NoSuchEntity', 'DeleteConflict'] };
    const lines = cliLines(step, '111111111111');
    expect(lines.at(-1)).toMatch(/^tolerate 'NoSuchEntity\|DeleteConflict' aws iam delete-role /);
    const dir = tempDir('trailsift-tolerate-');
    const script = [
      `aws() { echo "An error occurred (DeleteConflict) when calling the DeleteRole operation" >&2; return 254; }`,
      'TRAILSIFT_PROFILE_111111111111=p',
      'set -eu',
      ...lines,
      'echo "after: $TOLERATED"',
    ].join('\n');
    const run = spawnSync('sh', ['-c', script], { cwd: dir, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('after: 1\n');
    expect(run.stderr).toContain('already so (DeleteConflict): iam delete-role');
  });
});

/** Where botocore keeps the AWS API models, when Python and botocore are on this machine. */
function botocoreData(): string | null {
  const found = spawnSync('python3', ['-c', 'import botocore, os; print(os.path.join(os.path.dirname(botocore.__file__), "data"))'], { encoding: 'utf8' });
  const dir = found.status === 0 ? found.stdout.trim() : '';
  return dir && existsSync(dir) ? dir : null;
}

const BOTOCORE = botocoreData();

/**
 * Services AWS retired, whose models newer botocore no longer ships (OpsWorks Stacks, end of
 * life 2024-05-26, dropped from botocore 1.43): checked against the API reference by hand, and
 * against botocore when an older one is installed.
 */
const RETIRED_FROM_BOTOCORE: ReadonlySet<string> = new Set(['opsworks']);

describe.skipIf(!BOTOCORE)('services checked by hand (KNOWN_EXCEPTIONS)', () => {
  it('when botocore’s model of each service is read then every hand-written operation has exactly its input members, required ones marked', () => {
    for (const [service, operations] of Object.entries(KNOWN_EXCEPTIONS)) {
      if (!existsSync(join(BOTOCORE!, service))) {
        expect(RETIRED_FROM_BOTOCORE.has(service), `${service}: no botocore model and not a retired service`).toBe(true);
        continue;
      }
      const version = join(BOTOCORE!, service, readdirSync(join(BOTOCORE!, service)).sort().at(-1)!);
      // Newer botocore ships its models gzipped.
      const plain = join(version, 'service-2.json');
      const text = existsSync(plain) ? readFileSync(plain, 'utf8') : gunzipSync(readFileSync(`${plain}.gz`)).toString('utf8');
      const model = JSON.parse(text) as {
        operations: Record<string, { input?: { shape: string } }>;
        shapes: Record<string, { members?: Record<string, unknown>; required?: string[] }>;
      };
      for (const operation of operations) {
        const input = model.shapes[model.operations[operation.name]!.input!.shape]!;
        expect(operation.members.map((member) => member.name).sort(), `${service} ${operation.name}`).toEqual(Object.keys(input.members ?? {}).sort());
        expect(operation.members.filter((member) => member.required).map((member) => member.name).sort(), `${service} ${operation.name} required`).toEqual([...(input.required ?? [])].sort());
      }
    }
  });
});

describe('values that start with a dash', () => {
  /** How Python's argparse, which the AWS CLI's parser is built on, reads `--name` options of the argv. */
  function argparsed(argv: string[], options: string[]): Record<string, unknown> {
    const program = [
      'import argparse, json, sys',
      'parser = argparse.ArgumentParser()',
      ...options.map((option) => `parser.add_argument(${JSON.stringify(option)}, nargs='+' if ${JSON.stringify(option)} == '--versions' else None)`),
      'known, _ = parser.parse_known_args(json.loads(sys.argv[1]))',
      'print(json.dumps(vars(known)))',
    ].join('\n');
    const run = spawnSync('python3', ['-c', program, JSON.stringify(argv)], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    return JSON.parse(run.stdout) as Record<string, unknown>;
  }

  it('when an attacker-chosen user name starts with a dash then it is joined to its option and still read as the value', () => {
    const [line] = cliLines(call('iam', 'UpdateAccessKey', { UserName: '--debug', AccessKeyId: 'AKIAEXAMPLE000000001', Status: 'Inactive' }), '111111111111');
    expect(line).toBe('aws iam update-access-key --profile "$TRAILSIFT_PROFILE_111111111111" --user-name=--debug --access-key-id AKIAEXAMPLE000000001 --status Inactive');
    expect(cliProblems(line!)).toEqual([]);
    const { args } = runLine(line!);
    expect(argparsed(args, ['--profile', '--user-name', '--access-key-id', '--status'])).toMatchObject({ user_name: '--debug', access_key_id: 'AKIAEXAMPLE000000001' });
    // Quoted values keep working joined.
    const [spaced] = cliLines(call('iam', 'DeleteLoginProfile', { UserName: "-x'; touch PWNED" }), '111111111111');
    expect(argparsed(runLine(spaced!).args, ['--profile', '--user-name'])).toMatchObject({ user_name: "-x'; touch PWNED" });
  });

  it('when a list or a region starts with a dash then the list goes as JSON and the region joined', () => {
    const [line] = cliLines({ kind: 'call', service: 'ec2', operation: 'DescribeLaunchTemplateVersions', region: '-r', params: { LaunchTemplateId: 'lt-1', Versions: ['-1', '$Latest'] } }, '111111111111');
    expect(line).toBe(`aws ec2 describe-launch-template-versions --profile "$TRAILSIFT_PROFILE_111111111111" --region=-r --launch-template-id lt-1 --versions '["-1","$Latest"]'`);
    expect(cliProblems(line!)).toEqual([]);
    expect(argparsed(runLine(line!).args, ['--profile', '--region', '--launch-template-id', '--versions'])).toMatchObject({ region: '-r', versions: ['["-1","$Latest"]'] });
  });
});
