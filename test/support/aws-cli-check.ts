/**
 * Checks an `aws …` command line against the AWS API model (aws-model.ts), the way the AWS
 * CLI derives its commands: `aws <service> <kebab operation>` or `aws <service> wait <kebab
 * waiter>`, each `--option` the kebab-case of an input member (a boolean takes no value and
 * may be `--no-…`), structure values' shorthand keys and JSON keys the structure's members,
 * every required member given, plus the CLI's global options.
 */
import { KNOWN_EXCEPTIONS, type MemberModel, type OperationModel, operationBySpelling, SDK_PACKAGES, serviceModel, waiterBySpelling, xformName } from './aws-model.js';
import { parseCommand, type ShellWord } from './shell-words.js';

export const GLOBAL_OPTIONS = new Set(['--profile', '--region', '--query', '--output']);

/** Options the AWS CLI adds to an operation (customizations), beyond the API's members. */
export const CLI_EXTRAS: Record<string, string[]> = {
  'iam create-virtual-mfa-device': ['--outfile', '--bootstrap-method'],
};

/** Variables that stand for an option of their own (the password-policy step's hard-expiry switch). */
export const OPTION_VARIABLES: Record<string, string[]> = {
  POLICY_EXPIRY: ['--hard-expiry', '--no-hard-expiry'],
};

/** The argument variants a line stands for: one per value of each option variable. */
function variants(words: ShellWord[]): string[][] {
  let out: string[][] = [[]];
  for (const word of words) {
    const only = /^\$\{?([A-Z_][A-Z0-9_]*)\}?$/.exec(word.value)?.[1];
    const options = only && word.expands.length === 1 ? OPTION_VARIABLES[only] : undefined;
    out = options ? out.flatMap((prefix) => options.map((option) => [...prefix, option])) : out.map((prefix) => [...prefix, word.value]);
  }
  return out;
}

function keyProblems(command: string, option: string, member: MemberModel, values: string[]): string[] {
  if (!member.structKeys) return [];
  const allowed = new Set(member.structKeys);
  const problems: string[] = [];
  for (const value of values) {
    if (value.startsWith('$')) continue;
    let keys: string[];
    if (value.startsWith('{') || value.startsWith('[')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        problems.push(`${option}: value is neither shorthand nor valid JSON: ${value}`);
        continue;
      }
      keys = (Array.isArray(parsed) ? parsed : [parsed]).flatMap((item) => (item && typeof item === 'object' ? Object.keys(item as object) : ['(not an object)']));
    } else {
      // Shorthand K=V,K=V (a list value continues after commas until the next K=).
      keys = value
        .split(',')
        .filter((part) => part.includes('='))
        .map((part) => part.slice(0, part.indexOf('=')));
      if (keys.length === 0) problems.push(`${option}: shorthand without a key: ${value}`);
    }
    for (const key of keys) if (!allowed.has(key)) problems.push(`${option}: ${key} is not a member (${member.structKeys.join(', ')})`);
  }
  return problems;
}

function argumentProblems(command: string, operation: OperationModel, args: string[], extras: string[]): string[] {
  const problems: string[] = [];
  const byOption = new Map<string, { member: MemberModel; negated: boolean }>();
  for (const member of operation.members) {
    const option = `--${xformName(member.name, '-')}`;
    byOption.set(option, { member, negated: false });
    if (member.boolean) byOption.set(option.replace(/^--/, '--no-'), { member, negated: true });
  }
  const seen = new Set<string>();
  const given = new Set<string>();
  let at = 0;
  if (args[0] !== undefined && !args[0].startsWith('--')) problems.push(`${command}: positional argument ${args[0]}`);
  while (at < args.length) {
    const word = args[at]!;
    if (!word.startsWith('--')) {
      at++;
      continue;
    }
    // `--option=value` is one option with one value, as the CLI's argparse reads it.
    const joined = word.indexOf('=');
    const option = joined < 0 ? word : word.slice(0, joined);
    let end = at + 1;
    while (joined < 0 && end < args.length && !args[end]!.startsWith('--')) end++;
    const values = joined < 0 ? args.slice(at + 1, end) : [word.slice(joined + 1)];
    at = end;
    if (seen.has(option)) problems.push(`${command}: ${option} given twice`);
    seen.add(option);
    if (GLOBAL_OPTIONS.has(option) || extras.includes(option)) {
      if (values.length !== 1) problems.push(`${command}: ${option} takes one value, got ${values.length}`);
      continue;
    }
    const known = byOption.get(option);
    if (!known) {
      problems.push(`${command}: unknown option ${option}`);
      continue;
    }
    given.add(known.member.name);
    if (known.member.boolean && values.length > 0) problems.push(`${command}: ${option} is a boolean switch and takes no value (${values.join(' ')})`);
    if (!known.member.boolean && values.length === 0) problems.push(`${command}: ${option} needs a value`);
    problems.push(...keyProblems(command, option, known.member, values).map((problem) => `${command}: ${problem}`));
  }
  for (const member of operation.members) if (member.required && !given.has(member.name)) problems.push(`${command}: required --${xformName(member.name, '-')} missing`);
  return problems;
}

const known = (service: string): boolean => service in SDK_PACKAGES || service in KNOWN_EXCEPTIONS;

/** Every way `line` (an `aws …` simple command) disagrees with the model; empty when it is valid. */
export function cliProblems(line: string): string[] {
  const { words } = parseCommand(line);
  if (words[0]?.value !== 'aws') return [`not an aws command: ${line}`];
  const service = words[1]?.value ?? '';
  const problems: string[] = [];
  for (const args of variants(words)) {
    const verb = args[2] ?? '';
    if (verb === 'wait') {
      const waiterName = args[3] ?? '';
      const waiter = known(service) ? waiterBySpelling(service, waiterName, '-') : undefined;
      if (!waiter) {
        problems.push(`unknown waiter: aws ${service} wait ${waiterName}`);
        continue;
      }
      const operation = serviceModel(service).operations.get(waiter.operation)!;
      problems.push(...argumentProblems(`aws ${service} wait ${waiterName}`, operation, args.slice(4), []));
      continue;
    }
    const command = `${service} ${verb}`;
    const operation = known(service) ? operationBySpelling(service, verb, '-') : undefined;
    if (!operation) {
      problems.push(known(service) ? `unknown operation: aws ${command}` : `unknown service: aws ${service}`);
      continue;
    }
    problems.push(...argumentProblems(`aws ${command}`, operation, args.slice(3), CLI_EXTRAS[command] ?? []));
  }
  return [...new Set(problems)];
}
