/**
 * Container formats a CloudTrail record arrives in, read from text that is already
 * in memory (the fast path; see record-slicer.ts for the bounded-memory path):
 *   {"Records":[…]}            S3 delivery format
 *   […]                        exports, test fixtures
 *   {…}                        a single record
 *   {…}\n{…}\n                 JSON Lines
 *   {"CloudTrailEvent":"…"}    LookupEvents output, per line or under {"Events":[…]}
 *   {"detail-type":"AWS API Call via CloudTrail","detail":{…}}
 *                              EventBridge events (single, array, JSON Lines), unwrapped per entry
 *   2024-01-01T00:00:00.000Z {…}
 *                              CloudWatch Logs export lines: the event's timestamp, a space, its message
 *   {"logFiles":[…], …}        a digest file: no events at all
 * readContainerBytes reads the first exactly as CloudTrail writes it in pieces, everything
 * else as one text.
 */
import { asObject, own } from './json-access.js';

export type ContainerKind = 'records' | 'array' | 'object' | 'jsonl' | 'events' | 'cloudwatch-export' | 'digest' | 'empty';

/**
 * One element of a container: a candidate record, or why it could not be read. `notCloudTrail`
 * marks an element that is readable but something else (an EventBridge event of another kind).
 */
export type ContainerEntry = { value: unknown } | { error: string; notCloudTrail?: boolean };

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

/**
 * LookupEvents puts the real record in a JSON string, EventBridge in `detail`; everything
 * else is the record itself.
 */
export function unwrapEntry(value: unknown): ContainerEntry {
  const object = asObject(value);
  if (!object) return { value };
  const embedded = own(object, 'CloudTrailEvent');
  if (typeof embedded === 'string') {
    try {
      return { value: JSON.parse(embedded) };
    } catch (error) {
      return { error: `CloudTrailEvent is not valid JSON: ${(error as Error).message}` };
    }
  }
  const detailType = own(object, 'detail-type');
  if (typeof detailType === 'string' && own(object, 'detail') !== undefined) return unwrapEventBridge(object, detailType);
  return { value };
}

/**
 * CloudTrail's detail-types on EventBridge all end so: "AWS API Call via CloudTrail",
 * "AWS Console Signin via CloudTrail", "AWS Console Action via CloudTrail", "AWS Service
 * Event via CloudTrail", "AWS Insight via CloudTrail" (EventBridge User Guide, "AWS service
 * events delivered via AWS CloudTrail"). "Sign In" is accepted too, as people write it.
 */
const CLOUDTRAIL_DETAIL_TYPE = / via CloudTrail$/i;

/**
 * Envelope fields that state the same fact as a CloudTrail field, copied into a detail that
 * lacks it (the detail is normally the whole record; hand-made or trimmed events are not):
 * `time` is the record's eventTime, `region` the region it was recorded in, `account` the
 * account whose trail recorded it. The envelope's `id` is EventBridge's own, not the eventID,
 * and its `resources` are bare ARNs, not CloudTrail's resource objects: neither is copied.
 */
const ENVELOPE_EQUIVALENTS = [
  ['time', 'eventTime'],
  ['region', 'awsRegion'],
  ['account', 'recipientAccountId'],
] as const;

function unwrapEventBridge(envelope: Record<string, unknown>, detailType: string): ContainerEntry {
  if (!CLOUDTRAIL_DETAIL_TYPE.test(detailType)) {
    const source = own(envelope, 'source');
    const from = typeof source === 'string' ? ` from ${JSON.stringify(source)}` : '';
    return { error: `an EventBridge event of detail-type ${JSON.stringify(detailType)}${from}, not a CloudTrail event`, notCloudTrail: true };
  }
  const detail = asObject(own(envelope, 'detail'));
  if (!detail) return { error: `EventBridge ${JSON.stringify(detailType)} event whose detail is not an object` };
  let record: Record<string, unknown> = detail;
  for (const [from, to] of ENVELOPE_EQUIVALENTS) {
    const stated = own(envelope, from);
    if (own(detail, to) === undefined && typeof stated === 'string') {
      if (record === detail) record = { ...detail };
      record[to] = stated;
    }
  }
  return { value: record };
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
    const exported = readExportLines(body);
    if (exported) return { kind: 'cloudwatch-export', entries: exported };
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
  const entries: ContainerEntry[] = [];
  let sawFirst = false;
  let lineNumber = 0;
  for (const rawLine of body.split('\n')) {
    lineNumber += 1;
    const line = rawLine.trim();
    if (line === '') continue;
    try {
      entries.push(...lineEntries(JSON.parse(line)));
      sawFirst = true;
    } catch (error) {
      if (!sawFirst) return null;
      entries.push({ error: `line ${lineNumber}: invalid JSON: ${(error as Error).message}` });
    }
  }
  return entries.length > 1 || sawFirst ? entries : null;
}

/** The records of one line's JSON value: a {"Records":[…]} line holds several. */
export function lineEntries(value: unknown): ContainerEntry[] {
  const object = asObject(value);
  const wrapped = object ? wrapperArray(object) : null;
  return wrapped ? wrapped.map(unwrapEntry) : [unwrapEntry(value)];
}

/**
 * A CloudWatch Logs export line's prefix: the event's timestamp (`2024-01-01T00:00:00.000Z`;
 * seconds-only, a space for the T and numeric offsets accepted too), then blanks.
 */
const EXPORT_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}(?::?\d{2})?)?)[ \t]+/;

/** What one line of an export holds after its timestamp: JSON text, or why it is not. */
export type ExportLine = { json: string; value: unknown } | { error: string };

/**
 * An export is recognised by its first non-empty line: a timestamp and then something that
 * opens JSON. A plain text log (timestamp, then words) is not taken for one.
 */
export function startsExport(firstLine: string): boolean {
  const match = EXPORT_TIMESTAMP.exec(firstLine.trimStart());
  if (!match) return false;
  const rest = firstLine.trimStart().charAt(match[0].length);
  return rest === '{' || rest === '[';
}

/** One line of an export (1-based lineNumber for messages); a bare JSON line is read as such. */
export function readExportLine(rawLine: string, lineNumber: number): ExportLine {
  const line = rawLine.trim();
  const match = EXPORT_TIMESTAMP.exec(line);
  const json = match ? line.slice(match[0].length) : line;
  try {
    return { json, value: JSON.parse(json) };
  } catch (error) {
    const what = match ? `timestamp ${match[1]} followed by invalid JSON` : 'neither a timestamped record nor JSON';
    return { error: `line ${lineNumber}: ${what}: ${(error as Error).message}` };
  }
}

function readExportLines(body: string): ContainerEntry[] | null {
  const lines = body.split('\n');
  const firstLine = lines.find((line) => line.trim() !== '');
  if (firstLine === undefined || !startsExport(firstLine)) return null;
  const entries: ContainerEntry[] = [];
  lines.forEach((line, at) => {
    if (line.trim() === '') return;
    const read = readExportLine(line, at + 1);
    if ('error' in read) entries.push(read);
    else entries.push(...lineEntries(read.value));
  });
  return entries;
}

/** How a file's decoded bytes are read: as CloudTrail delivered it if it is that, else whole. */
export function readContainerBytes(bytes: Buffer): ContainerContent {
  return readDeliveredRecords(bytes) ?? readContainer(bytes.toString('utf8'));
}

const DELIVERY_START = Buffer.from('{"Records":[{"eventVersion"');
const RECORDS_OPEN = '{"Records":['.length;
const RECORD_BOUNDARY = Buffer.from('},{"eventVersion"');
/** Under V8's large-object size (128 KiB): each piece's text is an ordinary young string. */
export const DELIVERY_PIECE_BYTES = 64 * 1024;

/**
 * The S3 delivery format byte for byte as CloudTrail writes it (`{"Records":[{"eventVersion"…},
 * {"eventVersion"…}]}`, no whitespace inside), parsed a piece of about pieceBytes at a time,
 * cut where one record ends and the next begins. Parsed as one string, each file's text was
 * a fresh large object whose every page the kernel faulted in: about half of an ingest's page
 * faults (300k → 160k on the bench corpus) and 4% of its CPU (README "Performance").
 * Each piece is parsed as `[piece]`; when every piece is a valid array and the file starts
 * with `{"Records":[` and ends with `]}`, the pieces joined by commas are exactly the file's
 * Records array, wherever the cuts fell. In valid JSON the bytes `},{"eventVersion"` only occur
 * between values (inside a string, the quote would end it and `e` cannot follow); a cut
 * between values nested in a record leaves that piece unbalanced, so it fails to parse.
 * Then, and for anything else, this returns null and the file is read whole as before.
 */
export function readDeliveredRecords(bytes: Buffer, pieceBytes = DELIVERY_PIECE_BYTES): ContainerContent | null {
  if (bytes.length < DELIVERY_START.length || bytes.compare(DELIVERY_START, 0, DELIVERY_START.length, 0, DELIVERY_START.length) !== 0) {
    return null;
  }
  let end = bytes.length;
  while (end > 0 && isJsonWhitespace(bytes[end - 1]!)) end -= 1;
  // `]}` closes the Records array and the file's object; `end` becomes the position of `]`.
  if (end < RECORDS_OPEN + 2 || bytes[end - 1] !== 0x7d || bytes[end - 2] !== 0x5d) return null;
  end -= 2;
  const entries: ContainerEntry[] = [];
  let start = RECORDS_OPEN;
  while (start < end) {
    const boundary = start + pieceBytes < end ? bytes.indexOf(RECORD_BOUNDARY, start + pieceBytes) : -1;
    // A piece ends with the `}` of its last record; the comma after it is skipped.
    const pieceEnd = boundary < 0 || boundary >= end ? end : boundary + 1;
    let records: unknown;
    try {
      records = JSON.parse(pieceText(bytes, start, pieceEnd));
    } catch {
      return null;
    }
    for (const record of records as unknown[]) entries.push(unwrapEntry(record));
    start = pieceEnd + 1;
  }
  return { kind: 'records', entries };
}

/**
 * `[` + the records from start to end + `]` as text. The bytes on either side (the comma
 * or bracket around the piece) are set to the brackets while it is decoded, then put back:
 * concatenating brackets onto the text instead would make JSON.parse copy it all again.
 */
function pieceText(bytes: Buffer, start: number, end: number): string {
  const before = bytes[start - 1]!;
  const after = bytes[end]!;
  bytes[start - 1] = 0x5b;
  bytes[end] = 0x5d;
  try {
    return bytes.toString('utf8', start - 1, end + 1);
  } finally {
    bytes[start - 1] = before;
    bytes[end] = after;
  }
}

function isJsonWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}
