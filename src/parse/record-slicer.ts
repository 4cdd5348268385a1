/**
 * The streaming path's tokenizer-free reader: it scans decoded text once, character by
 * character, tracking only depth, strings and escapes, and cuts out the text of each
 * record, which JSON.parse then reads natively. Measured side by side it reads about
 * 3.4 times as many records per second as assembling them from stream-json 1.9's
 * tokens did (37k against 11k on this machine), with memory still one record at a time.
 *
 * Records are: elements of a top-level array; elements of a `Records` or `Events` array
 * inside a top-level object; otherwise each top-level object itself (a single record,
 * JSON Lines, concatenated values). Only the structure is scanned here; each record's
 * text is validated by JSON.parse. A CloudWatch Logs export (a timestamp before each line's
 * JSON) is told apart by its first byte, a digit, and read line by line instead.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { type ContainerEntry, type ContainerKind, isDigest, lineEntries, readExportLine, startsExport, unwrapEntry } from './containers.js';
import { MAX_RECORD_DEPTH } from './normalize.js';

const WRAPPER_KEYS = new Set(['Records', 'Events']);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09 || code === 0xfeff;
}

export interface SlicedRecord {
  entry: ContainerEntry;
  /** The record's JSON text on one line (for the raw block), when it parsed. */
  text: string | null;
}

export interface SlicedContainer {
  kind(): ContainerKind;
  records: AsyncGenerator<SlicedRecord>;
}

export class SliceError extends Error {}

export function sliceRecords(bytes: Readable): SlicedContainer {
  let kind: ContainerKind = 'empty';

  async function* records(): AsyncGenerator<SlicedRecord> {
    const { lead, chunks } = await peekLeadByte(bytes);
    if (lead !== null && lead >= DIGIT_0 && lead <= DIGIT_9) {
      kind = 'cloudwatch-export';
      yield* exportLineRecords(chunks);
      return;
    }
    const decoder = new StringDecoder('utf8');
    let depth = 0;
    let inString = false;
    let escaped = false;
    let topLevelValues = 0;
    // Depth whose direct elements are records; 0 means each top-level value is one.
    let level = 0;
    // Inside a top-level object after its Records/Events array closed: skip to its end.
    let skippingWrapperRest = false;
    // The record being cut out.
    let recording = false;
    let pieces: string[] = [];
    let recordStart = 0;
    let recordDeepest = 0;
    // Key tracking directly inside a top-level object, to spot "Records": [.
    let stringStart = 0;
    // A key split across two chunks: its first part.
    let stringCarry = '';
    let lastString: string | null = null;
    let key: string | null = null;
    let awaitingValue = false;

    const finishRecord = (text: string): SlicedRecord => {
      if (recordDeepest > MAX_RECORD_DEPTH) return { entry: { error: `record nested deeper than ${MAX_RECORD_DEPTH} levels` }, text: null };
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        return { entry: { error: `invalid JSON record: ${(error as Error).message}` }, text: null };
      }
      const entry = unwrapEntry(value);
      if (!('value' in entry)) return { entry, text: null };
      // Raw newlines can only be whitespace in valid JSON: one line per record for the block.
      return { entry, text: entry.value === value ? text.replace(/[\r\n]+/g, ' ') : JSON.stringify(entry.value) };
    };

    for await (const chunk of chunks) {
      const text = decoder.write(chunk);
      recordStart = 0;
      const emitted: SlicedRecord[] = [];
      for (let i = 0; i < text.length; i += 1) {
        const code = text.charCodeAt(i);
        if (inString) {
          if (escaped) escaped = false;
          else if (code === BACKSLASH) escaped = true;
          else if (code === QUOTE) {
            inString = false;
            if (level === 0 && depth === 1) {
              lastString = stringCarry + text.slice(stringStart, i);
              stringCarry = '';
            }
          }
          continue;
        }
        if (isSpace(code)) continue;

        // Directly inside a top-level object: is this the Records/Events array?
        if (level === 0 && depth === 1 && !skippingWrapperRest) {
          if (code === COLON) {
            key = lastString;
            awaitingValue = true;
          } else if (awaitingValue) {
            awaitingValue = false;
            if (code === OPEN_ARRAY && key !== null && WRAPPER_KEYS.has(key)) {
              recording = false;
              pieces = [];
              level = 2;
              depth = 2;
              if (topLevelValues === 1) kind = 'records';
              continue;
            }
          }
        }

        // Something starting where records live starts a record.
        if (!recording && !skippingWrapperRest && depth === level && code !== COMMA && code !== CLOSE_ARRAY && code !== CLOSE_OBJECT) {
          if (level === 0) {
            topLevelValues += 1;
            if (topLevelValues === 2) kind = 'jsonl';
            if (code === OPEN_ARRAY) {
              if (topLevelValues === 1) kind = 'array';
              level = 1;
              depth = 1;
              continue;
            }
            if (code !== OPEN_OBJECT) throw new SliceError(`top-level value is not an object or array (starts with ${JSON.stringify(text[i])})`);
            if (topLevelValues === 1) kind = 'object';
          }
          recording = true;
          recordStart = i;
          pieces = [];
          recordDeepest = 0;
        }

        if (code === QUOTE) {
          inString = true;
          stringStart = i + 1;
          continue;
        }
        if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
          depth += 1;
          if (recording && depth - level > recordDeepest) recordDeepest = depth - level;
          continue;
        }
        if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
          depth -= 1;
          if (depth < 0) throw new SliceError('unbalanced brackets: more closing than opening');
          if (recording && depth === level) {
            // A record container closed.
            pieces.push(text.slice(recordStart, i + 1));
            const record = finishRecord(pieces.join(''));
            recording = false;
            if (level === 0 && 'value' in record.entry && isDigest(record.entry.value)) {
              if (topLevelValues === 1) kind = 'digest';
              continue;
            }
            emitted.push(record);
          } else if (depth < level) {
            // The records array itself closed (ending a scalar element still open).
            if (recording) {
              pieces.push(text.slice(recordStart, i));
              emitted.push(finishRecord(pieces.join('')));
              recording = false;
            }
            skippingWrapperRest = level === 2;
            level = 0;
          }
          if (skippingWrapperRest && depth === 0) skippingWrapperRest = false;
          continue;
        }
        if (code === COMMA && recording && depth === level && level > 0) {
          // End of a scalar element.
          pieces.push(text.slice(recordStart, i));
          emitted.push(finishRecord(pieces.join('')));
          recording = false;
        }
      }
      if (recording) pieces.push(text.slice(recordStart));
      if (inString && level === 0 && depth === 1) {
        stringCarry += text.slice(stringStart);
        stringStart = 0;
      } else {
        stringStart = 0;
      }
      yield* emitted;
    }
    const rest = decoder.end();
    if (rest.trim() !== '' || inString || depth !== 0 || recording) {
      throw new SliceError('unexpected end of input: the file is truncated');
    }
  }

  return { kind: () => kind, records: records() };
}

/** The first byte that is not whitespace or a UTF-8 byte order mark, and the stream as it was. */
async function peekLeadByte(bytes: Readable): Promise<{ lead: number | null; chunks: AsyncIterable<Buffer> }> {
  const iterator = bytes[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let lead: number | null = null;
  while (lead === null) {
    const next = await iterator.next();
    if (next.done) break;
    head.push(next.value);
    lead = next.value.find((byte) => !isSpace(byte) && byte !== 0xef && byte !== 0xbb && byte !== 0xbf) ?? null;
  }
  async function* replay(): AsyncGenerator<Buffer> {
    yield* head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { lead, chunks: replay() };
}

/** CloudWatch Logs export lines, one record (or one problem) per line, one line in memory at a time. */
async function* exportLineRecords(chunks: AsyncIterable<Buffer>): AsyncGenerator<SlicedRecord> {
  const decoder = new StringDecoder('utf8');
  // The current line's text so far, in pieces: a long line across many chunks is joined once.
  let pieces: string[] = [];
  let lineNumber = 0;
  let started = false;
  function* lineRecords(line: string): Generator<SlicedRecord> {
    lineNumber += 1;
    if (line.trim() === '') return;
    if (!started) {
      if (!startsExport(line)) throw new SliceError(`line ${lineNumber} is neither JSON nor a timestamped JSON record`);
      started = true;
    }
    const read = readExportLine(line, lineNumber);
    if ('error' in read) {
      yield { entry: read, text: null };
      return;
    }
    for (const entry of lineEntries(read.value)) {
      const parsed = 'value' in entry;
      yield { entry, text: !parsed ? null : entry.value === read.value ? read.json : JSON.stringify(entry.value) };
    }
  }
  for await (const chunk of chunks) {
    const text = decoder.write(chunk);
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      pieces.push(text.slice(start, end));
      const line = pieces.join('');
      pieces = [];
      start = end + 1;
      yield* lineRecords(line);
    }
    if (start < text.length) pieces.push(text.slice(start));
  }
  pieces.push(decoder.end());
  yield* lineRecords(pieces.join(''));
}
