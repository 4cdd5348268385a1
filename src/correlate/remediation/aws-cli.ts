/**
 * Plan steps as AWS CLI lines for a POSIX shell. Operation and parameter names become the
 * CLI's kebab-case (`UpdateAccessKey` → `update-access-key`, `AuthenticationCode1` →
 * `--authentication-code1`), exactly as the CLI derives them from the API model. Every value
 * from a record is shell-quoted; each account's calls name its profile through
 * `--profile "$TRAILSIFT_PROFILE_<account>"`, so one set of credentials never crosses accounts.
 */
import { MANAGEMENT_PROFILE, PLAN_VARIABLES, profileVariable, type Scalar, type Step, type Value } from './plan.js';

/** Quote for POSIX sh unless the value is plainly safe. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The CLI's and boto3's spelling of an API name, botocore's xform_name: a trailing plural
 * acronym (`ARNs`, `ACLs`) is split off whole, then words split at case changes, acronyms
 * kept whole (`CreateVirtualMFADevice` → create-virtual-mfa-device, `AuthenticationCode1` →
 * authentication-code1, `TargetGroupARNs` → target-group-arns).
 */
function xformName(name: string, separator: string): string {
  const plural = /[A-Z]{2,}s$/.exec(name);
  const base = plural ? `${name.slice(0, -plural[0].length)}${separator}${plural[0].toLowerCase()}` : name;
  return base
    .replace(/(.)([A-Z][a-z]+)/g, `$1${separator}$2`)
    .replace(/([a-z0-9])([A-Z])/g, `$1${separator}$2`)
    .toLowerCase();
}

export const kebabCase = (name: string): string => xformName(name, '-');
export const snakeCase = (name: string): string => xformName(name, '_');

const PLACEHOLDER_TEXT = (name: string): string => `<${name}>`;
const VARIABLE = /^[A-Z][A-Z0-9_]*$/;

/**
 * A JSON document as one argument. `${NAME}` is left for the shell to expand only for the
 * plan's own variables (PLAN_VARIABLES); anything else that looks like one, from a record,
 * stays literal. Without a plan variable the document is single-quoted.
 */
function jsonArgument(document: unknown): string {
  const text = JSON.stringify(document);
  if (!PLAN_VARIABLES.some((name) => text.includes(`\${${name}}`))) return shellQuote(text);
  let escaped = text.replace(/[\\"$`]/g, (character) => `\\${character}`);
  for (const name of PLAN_VARIABLES) escaped = escaped.split(`\\\${${name}}`).join(`\${${name}}`);
  return `"${escaped}"`;
}

function shorthandSafe(value: Scalar | string[]): boolean {
  const values = Array.isArray(value) ? value : [value];
  return values.every((item) => /^[A-Za-z0-9_@%+:./-]*$/.test(String(item)));
}

function shorthand(structure: Record<string, Scalar | string[]>): string {
  return Object.entries(structure)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(',') : String(value)}`)
    .join(',');
}

/**
 * `--option value`; a value that starts with `-` (an IAM user may be named `--debug`) is
 * joined as `--option=value`, else the CLI would read it as an option of its own and refuse
 * the containment step with "expected one argument".
 */
function optionValue(option: string, raw: string, token: string): string[] {
  return raw.startsWith('-') ? [`${option}=${token}`] : [option, token];
}

/** The tokens after `--option`, or the option itself for booleans. */
function valueTokens(option: string, value: Value): string[] {
  if (typeof value === 'boolean') return [value ? option : option.replace(/^--/, '--no-')];
  if (typeof value === 'number') return [option, String(value)];
  if (typeof value === 'string') return optionValue(option, value, shellQuote(value));
  // A list cannot be joined with `=`: as JSON it is one value that starts with `[`.
  if (Array.isArray(value)) return value.some((item) => item.startsWith('-')) ? [option, shellQuote(JSON.stringify(value))] : [option, ...value.map(shellQuote)];
  if ('placeholder' in value) return [option, PLACEHOLDER_TEXT(value.placeholder)];
  if ('variable' in value) return [option, `"$${value.variable}"`];
  if ('json' in value) return [option, jsonArgument(value.json)];
  if ('struct' in value) {
    const entries = Object.values(value.struct);
    return [option, entries.every(shorthandSafe) ? shellQuote(shorthand(value.struct)) : shellQuote(JSON.stringify(value.struct))];
  }
  const structures = value.structs;
  if (structures.every((structure) => Object.values(structure).every(shorthandSafe))) return [option, ...structures.map((structure) => shellQuote(shorthand(structure)))];
  return [option, shellQuote(JSON.stringify(structures))];
}

function profileTokens(accountId: string | null): string[] {
  return ['--profile', accountId ? `"$${profileVariable(accountId)}"` : PLACEHOLDER_TEXT(MANAGEMENT_PROFILE)];
}

export function cliCall(service: string, command: string, accountId: string | null, region: string | undefined, params: Record<string, Value>, extra: string[] = []): string {
  const tokens = ['aws', service, command, ...profileTokens(accountId), ...(region ? optionValue('--region', region, shellQuote(region)) : [])];
  for (const [name, value] of Object.entries(params)) tokens.push(...valueTokens(`--${kebabCase(name)}`, value));
  return [...tokens, ...extra].join(' ');
}

/** The shell lines of one step. Lines holding a `<placeholder>` are for the operator to fill in. */
export function cliLines(step: Step, accountId: string | null): string[] {
  switch (step.kind) {
    case 'call': {
      const line = cliCall(step.service, kebabCase(step.operation), accountId, step.region, step.params);
      if (step.tolerate) return [TOLERATE_FUNCTION, `tolerate ${shellQuote(step.tolerate.join('|'))} ${line}`];
      if (!step.capture) return [line];
      if (!VARIABLE.test(step.capture.variable)) throw new Error(`bad variable name ${step.capture.variable}`);
      return [`${step.capture.variable}=$(${line} --query ${shellQuote(step.capture.query)} --output text)`];
    }
    case 'wait':
      return [cliCall(step.service, `wait ${kebabCase(step.waiter)}`, accountId, step.region, step.params)];
    case 'reassociate': {
      const profile = { struct: { Name: step.profileName } };
      const describe = (extraFilters: boolean): string =>
        cliCall('ec2', 'describe-iam-instance-profile-associations', accountId, step.region, {
          Filters: { structs: [{ Name: 'instance-id', Values: [step.instanceId] }, ...(extraFilters ? [{ Name: 'state', Values: ['associated'] }] : [])] },
        });
      const heldTo = (profileName: string): string => `IamInstanceProfileAssociations[?ends_with(IamInstanceProfile.Arn, '/${profileName.replace(/'/g, '')}')].AssociationId | [0]`;
      const ours = heldTo(step.profileName);
      const replace = (variable: string): string =>
        `  retry ${cliCall('ec2', 'replace-iam-instance-profile-association', accountId, step.region, { AssociationId: { variable }, IamInstanceProfile: profile })} || REASSOCIATION_FAILED="\${REASSOCIATION_FAILED:-} ${step.instanceId}"`;
      const attack = step.attackProfileName;
      return [
        `# ${step.instanceId} in ${step.region}: replace the association it still holds to the deleted profile, or associate one where none remains${step.loggedAssociationId ? ` (the log named ${step.loggedAssociationId}; the one described now is used)` : ''}; ${attack ? `an association to ${attack}, which the attack gave it, is replaced too; ` : ''}an instance since pointed at another profile is left as it is`,
        // EC2 can refuse a profile for a few seconds after IAM made it: that error alone is retried, for a minute.
        `retry() { attempt=1; while :; do if output=$("$@" 2>&1); then printf '%s\\n' "$output"; return 0; fi; case "$output" in *InvalidParameterValue*) ;; *) printf '%s\\n' "$output" >&2; return 1 ;; esac; [ "$attempt" -lt 6 ] || { printf '%s\\n' "$output" >&2; return 1; }; attempt=$((attempt + 1)); echo 'the new profile is not visible to EC2 yet: retrying in 10 s' >&2; sleep 10; done; }`,
        `ASSOCIATION_ID=$(${describe(true)} --query ${shellQuote(ours)} --output text)`,
        `HELD_ID=$(${describe(true)} --query 'IamInstanceProfileAssociations[0].AssociationId' --output text)`,
        ...(attack ? [`ATTACK_ID=$(${describe(true)} --query ${shellQuote(heldTo(attack))} --output text)`] : []),
        'if [ -n "$ASSOCIATION_ID" ] && [ "$ASSOCIATION_ID" != None ]; then',
        replace('ASSOCIATION_ID'),
        ...(attack ? ['elif [ -n "$ATTACK_ID" ] && [ "$ATTACK_ID" != None ]; then', replace('ATTACK_ID')] : []),
        'elif [ -z "$HELD_ID" ] || [ "$HELD_ID" = None ]; then',
        `  retry ${cliCall('ec2', 'associate-iam-instance-profile', accountId, step.region, { InstanceId: step.instanceId, IamInstanceProfile: profile })} || REASSOCIATION_FAILED="\${REASSOCIATION_FAILED:-} ${step.instanceId}"`,
        'else',
        `  echo ${shellQuote(`${step.instanceId} now holds another profile's association: left as it is, check it`)} >&2`,
        'fi',
        describe(false),
      ];
    }
    case 'new-password': {
      const update = cliCall('iam', 'update-login-profile', accountId, undefined, { UserName: step.userName, Password: { variable: 'NEW_PASSWORD' }, PasswordResetRequired: true });
      return [
        `# a new random password for ${step.userName}, shown once on stderr and stored nowhere: hand it over out of band`,
        '# (the AWS CLI takes it as an argument, visible to other users of this machine while it runs)',
        `NEW_PASSWORD="$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 40)-Aa1"`,
        ...(step.mayHaveNone ? [TOLERATE_FUNCTION, `tolerate NoSuchEntity ${update}`] : [update]),
        // A user without a console password had nothing to replace: nothing to hand over either.
        `${step.mayHaveNone ? '[ "$TOLERATED" = 1 ] || ' : ''}printf 'New console password for %s (it must be changed at first sign-in): %s\\n' ${shellQuote(step.userName)} "$NEW_PASSWORD" >&2`,
        'unset NEW_PASSWORD',
      ];
    }
    case 'password-policy': {
      const read = (field: string, errors: string): string =>
        `$(${cliCall('iam', 'get-account-password-policy', accountId, undefined, {})} --query ${shellQuote(`PasswordPolicy.${field}`)} --output text${errors})`;
      return [
        '# UpdateAccountPasswordPolicy resets every setting it is not given: read the current policy, then pass them all.',
        '# No policy yet (NoSuchEntity) means the defaults below; any other failure stops here, leaving the policy as it is.',
        `if POLICY_LENGTH=${read('MinimumPasswordLength', ' 2>&1')}; then`,
        `  POLICY_REUSE=${read('PasswordReusePrevention', '')}`,
        `  POLICY_HARD_EXPIRY=${read('HardExpiry', '')}`,
        'else',
        '  case "$POLICY_LENGTH" in',
        '    *NoSuchEntity*) POLICY_LENGTH=None; POLICY_REUSE=None; POLICY_HARD_EXPIRY=None ;;',
        `    *) printf 'cannot read the password policy, so it is left as it is: %s\\n' "$POLICY_LENGTH" >&2; exit 1 ;;`,
        '  esac',
        'fi',
        `case "$POLICY_LENGTH" in ''|None|*[!0-9]*) POLICY_LENGTH=${step.minimumLength} ;; esac`,
        `[ "$POLICY_LENGTH" -ge ${step.minimumLength} ] || POLICY_LENGTH=${step.minimumLength}`,
        `case "$POLICY_REUSE" in ''|None|*[!0-9]*) POLICY_REUSE=${step.reusePrevention} ;; esac`,
        `[ "$POLICY_REUSE" -ge ${step.reusePrevention} ] || POLICY_REUSE=${step.reusePrevention}`,
        'if [ "$POLICY_HARD_EXPIRY" = True ]; then POLICY_EXPIRY=--hard-expiry; else POLICY_EXPIRY=--no-hard-expiry; fi',
        '# No --max-password-age: NIST SP 800-63B advises against forced periodic expiry (an expiry set before is removed).',
        `${cliCall('iam', 'update-account-password-policy', accountId, undefined, {
          MinimumPasswordLength: { variable: 'POLICY_LENGTH' },
          RequireSymbols: true,
          RequireNumbers: true,
          RequireUppercaseCharacters: true,
          RequireLowercaseCharacters: true,
          AllowUsersToChangePassword: true,
          PasswordReusePrevention: { variable: 'POLICY_REUSE' },
        })} "$POLICY_EXPIRY"`,
      ];
    }
    case 'virtual-mfa':
      return [
        `# a new virtual MFA device for ${step.userName}: its seed goes to a file only you can read; scan it, then enable it with two consecutive codes`,
        `(umask 077 && ${cliCall('iam', 'create-virtual-mfa-device', accountId, undefined, { VirtualMFADeviceName: step.deviceName }, ['--outfile', PLACEHOLDER_TEXT('seed-file'), '--bootstrap-method', 'Base32StringSeed'])})`,
      ];
    case 'now':
      return [`${step.variable}=$(date -u +%Y-%m-%dT%H:%M:%SZ)`];
    case 'manual':
      return [`# ${step.text}`];
    case 'read':
      return [step.command];
  }
}

/**
 * Runs a call; an error whose text names one of the codes (`A|B`) means it is already so
 * (a re-run, or nothing to remove): reported on stderr, not fatal. Any other error stops the script.
 */
export const TOLERATE_FUNCTION =
  'tolerate() { codes=$1; shift; TOLERATED=0; if output=$("$@" 2>&1); then [ -z "$output" ] || printf \'%s\\n\' "$output"; return 0; fi; ' +
  'for code in $(printf \'%s\' "$codes" | tr \'|\' \' \'); do case "$output" in *"$code"*) TOLERATED=1; echo "already so ($code): $2 $3" >&2; return 0 ;; esac; done; ' +
  'printf \'%s\\n\' "$output" >&2; return 1; }';

const PLACEHOLDER_SOURCE = '<[A-Za-z][A-Za-z0-9_-]*>';
export const hasPlaceholder = (line: string): boolean => new RegExp(PLACEHOLDER_SOURCE).test(line);
/** Every `<placeholder>` of a line, as the scripts recognise them (a fresh global RegExp per call). */
export const placeholders = (): RegExp => new RegExp(PLACEHOLDER_SOURCE, 'g');
