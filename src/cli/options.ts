/** Flags shared by several commands, declared once, and the parsing of their values. */
import { DEFAULT_WINDOW, type InvestigationWindow } from '../correlate/incident.js';
import { parseTimeBound } from '../parse/timestamp.js';
import { option } from './declare.js';
import { UserError, EXIT } from './io.js';

export function timeBound(value: string | undefined, bound: 'since' | 'until'): string | undefined {
  if (value === undefined) return undefined;
  try {
    return parseTimeBound(value, bound);
  } catch (error) {
    throw new UserError((error as Error).message, EXIT.usage);
  }
}

/** `a,b` and repeated flags both give lists. */
export function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.flatMap((item) => item.split(',')).map((item) => item.trim()).filter((item) => item !== '');
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function positiveInteger(flag: string): (value: string) => number {
  return (value: string) => {
    if (!/^\d+$/.test(value) || Number(value) < 1) throw new UserError(`${flag} must be a positive whole number, got ${JSON.stringify(value)}`, EXIT.usage);
    return Number(value);
  };
}

/** A count where 0 means "no limit". */
export function limitCount(flag: string): (value: string) => number {
  return (value: string) => {
    if (!/^\d+$/.test(value)) throw new UserError(`${flag} must be a whole number (0 for no limit), got ${JSON.stringify(value)}`, EXIT.usage);
    return Number(value);
  };
}

export function oneOf<T extends string>(flag: string, allowed: readonly T[]): (value: string) => T {
  return (value: string) => {
    if (!(allowed as readonly string[]).includes(value)) {
      throw new UserError(`${flag} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`, EXIT.usage);
    }
    return value as T;
  };
}

/** `7d`, `36h`, `90m` → milliseconds. */
export function duration(flag: string): (value: string) => number {
  return (value: string) => {
    const match = /^(\d+)\s*(d|h|m)$/.exec(value.trim());
    if (!match) throw new UserError(`${flag} must look like 7d, 36h or 90m, got ${JSON.stringify(value)}`, EXIT.usage);
    const unit = match[2] === 'd' ? 86_400_000 : match[2] === 'h' ? 3_600_000 : 60_000;
    return Number(match[1]) * unit;
  };
}

/** The instance profile a command is asked about: --instance-profile, or the deprecated --profile with a warning. */
export function instanceProfileFlag(flags: { profile?: string; instanceProfile?: string }, stderr: { write(text: string): unknown }): string | undefined {
  if (flags.profile !== undefined && flags.instanceProfile === undefined) {
    stderr.write('warning: --profile here means the instance profile and is deprecated: use --instance-profile (in ingest, --profile is the AWS profile)\n');
    return flags.profile;
  }
  return flags.instanceProfile;
}

/** A duration as people write it: whole days, else hours, else minutes. */
export function durationText(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  return `${Math.round(ms / 60_000)}m`;
}

export function investigationWindow(flags: { lookback: number; after: number }): InvestigationWindow {
  return { lookbackMs: flags.lookback, afterMs: flags.after };
}

/** An http(s) URL, checked while parsing flags so a typo is a usage error (exit 2). */
export function httpUrl(flag: string): (value: string) => string {
  return (value: string) => {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new UserError(`${flag} must be an http or https URL such as http://localhost:9000, got ${JSON.stringify(value)}`, EXIT.usage);
    }
    return value;
  };
}

export const DB = option('--db <file>', 'database file');
/** Kept as text: each command reads it with timeBound when it runs, after its own checks. */
export const SINCE = option('--since <time>', 'at or after (UTC)');
export const UNTIL = option('--until <time>', 'at or before (UTC)');

/** `--format`, `table` by default; the help line lists what is offered. */
export function formatOption<const Format extends string>(offered: readonly ['table', ...Format[]]) {
  const spelled = `${offered.slice(0, -1).join(', ')} or ${offered.at(-1)}`;
  return option('--format <format>', spelled, { parse: oneOf('--format', offered), default: 'table' });
}

/** --lookback and --after, shared by every command that investigates; --help shows their defaults as durations. */
export const INVESTIGATION_WINDOW = [
  option('--lookback <duration>', 'how far back to collect credential changes (e.g. 7d, 36h)', {
    parse: duration('--lookback'),
    default: DEFAULT_WINDOW.lookbackMs,
    shown: durationText(DEFAULT_WINDOW.lookbackMs),
  }),
  option('--after <duration>', 'how long after a deletion to collect failed launches', {
    parse: duration('--after'),
    default: DEFAULT_WINDOW.afterMs,
    shown: durationText(DEFAULT_WINDOW.afterMs),
  }),
] as const;

/** `--instance-profile`, and `--profile`, its old spelling, accepted but not shown: in ingest --profile is the AWS profile. */
export function instanceProfileOptions(description: string) {
  return [option('--instance-profile <name>', description), option('--profile <name>', 'deprecated: --instance-profile', { hidden: true })] as const;
}
