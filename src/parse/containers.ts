/**
 * Container formats a CloudTrail record arrives in, read from text that is already
 * in memory (the fast path; see record-slicer.ts for the bounded-memory path):
 *   {"Records":[…]}            S3 delivery format
 *   […]                        exports, test fixtures
 *   {…}                        a single record
 *   {…}\n{…}\n                 JSON Lines
 *   {"CloudTrailEvent":"…"}    LookupEvents output, per line or under {"Events":[…]}
 *   {"logFiles":[…], …}        a digest file: no events at all
 */
import { asObject, own } from './json-access.js';

export type ContainerKind = 'records' | 'array' | 'object' | 'jsonl' | 'events' | 'digest' | 'empty';

/** One element of a container: a candidate record, or why it could not be read. */
export type ContainerEntry = { value: unknown } | { error: string };

export interface ContainerContent {
  kind: ContainerKind;
  entries: ContainerEntry[];
}

export class ContainerError extends Error {
  /** The file is not JSON at all (a README, a CSV): a warning, not damage to salvage. */
  constructor(
    message: string,
    readonly notJson = false,
  ) {
    super(message);
  }
}

export function isDigest(value: unknown): boolean {
  const object = asObject(value);
  return (
    object !== null &&
    own(object, 'digestStartTime') !== undefined &&
    own(object, 'logFiles') !== undefined &&
    own(object, 'eventID') === undefined
  );
}

/** LookupEvents puts the real record in a JSON string; everything else is the record itself. */
export function unwrapEntry(value: unknown): ContainerEntry {
  const object = asObject(value);
  const embedded = object ? own(object, 'CloudTrailEvent') : undefined;
  if (typeof embedded !== 'string') return { value };
  try {
    return { value: JSON.parse(embedded) };
  } catch (error) {
    return { error: `CloudTrailEvent is not valid JSON: ${(error as Error).message}` };
  }
}

function wrapperArray(object: Record<string, unknown>): unknown[] | null {
  const records = own(object, 'Records');
  if (Array.isArray(records)) return records;
  const events = own(object, 'Events');
  if (Array.isArray(events)) return events;
  return null;
}

export function readContainer(text: string): ContainerContent {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const trimmed = body.trimStart();
  if (trimmed === '') return { kind: 'empty', entries: [] };
  const first = trimmed[0];
  if (first !== '{' && first !== '[') {
    throw new ContainerError(`not a JSON file (starts with ${JSON.stringify(trimmed.slice(0, 12))}); skipped`, true);
  }
  let whole: unknown;
  try {
    whole = JSON.parse(body);
  } catch (error) {
    // Several JSON values, one per line: JSON Lines.
    const lines = splitJsonLines(body);
    if (lines) return { kind: 'jsonl', entries: lines };
    throw new ContainerError(`invalid JSON: ${(error as Error).message}`);
  }
  if (Array.isArray(whole)) return { kind: 'array', entries: whole.map(unwrapEntry) };
  const object = asObject(whole);
  if (!object) throw new ContainerError('JSON is neither an object nor an array');
  if (isDigest(object)) return { kind: 'digest', entries: [] };
  const wrapped = wrapperArray(object);
  if (wrapped) return { kind: own(object, 'Records') !== undefined ? 'records' : 'events', entries: wrapped.map(unwrapEntry) };
  return { kind: 'object', entries: [unwrapEntry(object)] };
}

/**
 * JSON Lines only when the first non-empty line is a complete JSON value by itself:
 * otherwise a truncated pretty-printed file would turn into one error per line.
 */
function splitJsonLines(body: string): ContainerEntry[] | null {
  const lines = body.split('\n');
  const entries: ContainerEntry[] = [];
  let sawFirst = false;
  let lineNumber = 0;
  for (const rawLine of lines) {
    lineNumber += 1;
    const line = rawLine.trim();
    if (line === '') continue;
    try {
      const value: unknown = JSON.parse(line);
      const object = asObject(value);
      const wrapped = object ? wrapperArray(object) : null;
      if (wrapped) for (const element of wrapped) entries.push(unwrapEntry(element));
      else entries.push(unwrapEntry(value));
      sawFirst = true;
    } catch (error) {
      if (!sawFirst) return null;
      entries.push({ error: `line ${lineNumber}: invalid JSON: ${(error as Error).message}` });
    }
  }
  return entries.length > 1 || sawFirst ? entries : null;
}
