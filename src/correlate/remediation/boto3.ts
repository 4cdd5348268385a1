/**
 * Plan steps as boto3 lines. A call is `session(ACCOUNT).client(SERVICE).<snake_case
 * operation>(<API parameter names>=…)`; the composite steps call helpers that the emitted
 * Python program defines (report/remediation-python.ts). Strings are written as JSON
 * string literals, which are valid Python literals with every control character escaped.
 */
import { snakeCase } from './aws-cli.js';
import { PLAN_VARIABLES, type Step, type Value } from './plan.js';

/** A Python literal for a string: JSON's escaping is a subset of Python's. */
export const pyString = (value: string): string => JSON.stringify(value);

function pyLiteral(value: unknown): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) return `[${value.map(pyLiteral).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([key, item]) => `${pyString(key)}: ${pyLiteral(item)}`)
    .join(', ')}}`;
}

/** A JSON document as a Python expression: `json.dumps(...)`, with `${NAME}` spliced from the variable NAME. */
function pyJson(document: unknown): string {
  const text = JSON.stringify(document);
  const variables = PLAN_VARIABLES.filter((name) => text.includes(`\${${name}}`));
  return variables.reduce((expression, name) => `${expression}.replace(${pyString(`\${${name}}`)}, ${name})`, `json.dumps(${pyLiteral(document)})`);
}

function pyValue(value: Value): string {
  if (typeof value !== 'object' || Array.isArray(value)) return pyLiteral(value);
  if ('placeholder' in value) return pyString(`<${value.placeholder}>`);
  if ('variable' in value) return value.variable;
  if ('json' in value) return pyJson(value.json);
  if ('struct' in value) return pyLiteral(value.struct);
  return pyLiteral(value.structs);
}

const kwargs = (params: Record<string, Value>): string =>
  Object.entries(params)
    .map(([name, value]) => `${name}=${pyValue(value)}`)
    .join(', ');

const sessionOf = (accountId: string | null): string => (accountId ? `session(${pyString(accountId)})` : 'session(MANAGEMENT_ACCOUNT)');

const client = (accountId: string | null, service: string, region: string | undefined): string =>
  `${sessionOf(accountId)}.client(${pyString(service)}${region ? `, region_name=${pyString(region)}` : ''})`;

/** The Python lines of one step. Lines holding a `<placeholder>` are for the operator to fill in. */
export function pythonLines(step: Step, accountId: string | null): string[] {
  switch (step.kind) {
    case 'call': {
      if (step.tolerate) {
        const codes = `(${step.tolerate.map(pyString).join(', ')},)`;
        return [`tolerating(${codes}, ${client(accountId, step.service, step.region)}.${snakeCase(step.operation)}${step.params && Object.keys(step.params).length > 0 ? `, ${kwargs(step.params)}` : ''})`];
      }
      const call = `${client(accountId, step.service, step.region)}.${snakeCase(step.operation)}(${kwargs(step.params)})`;
      return [step.capture ? `${step.capture.variable} = capture(${pyString(step.capture.query)}, ${call})` : call];
    }
    case 'wait':
      return [`${client(accountId, step.service, step.region)}.get_waiter(${pyString(snakeCase(step.waiter))}).wait(${kwargs(step.params)})`];
    case 'reassociate':
      return [
        `reassociate(${sessionOf(accountId)}, ${pyString(step.region)}, ${pyString(step.instanceId)}, ${pyString(step.profileName)}, logged_association_id=${step.loggedAssociationId ? pyString(step.loggedAssociationId) : 'None'}${step.attackProfileName ? `, attack_profile_name=${pyString(step.attackProfileName)}` : ''})`,
      ];
    case 'new-password':
      return [`new_password(${sessionOf(accountId)}, ${pyString(step.userName)}${step.mayHaveNone ? ', may_have_none=True' : ''})`];
    case 'password-policy':
      return [`password_policy(${sessionOf(accountId)}, minimum_length=${step.minimumLength}, reuse_prevention=${step.reusePrevention})`];
    case 'virtual-mfa':
      return [`virtual_mfa(${sessionOf(accountId)}, ${pyString(step.userName)}, ${pyString(step.deviceName)}, seed_file=${pyString('<seed-file>')})`];
    case 'now':
      return [`${step.variable} = now_utc()`];
    case 'manual':
      return [`# ${step.text}`];
    case 'read':
      return [`# read-only, not run here: ${step.command}`];
  }
}
