/**
 * The bounded-memory path: the same container formats as containers.ts, read from a
 * byte stream with stream-json's tokenizer, so a 600 MB file never sits in memory.
 * Only one record at a time is assembled.
 */
import type { Readable } from 'node:stream';
import Parser from 'stream-json/Parser.js';
import { type ContainerEntry, type ContainerKind, isDigest, unwrapEntry } from './containers.js';
import { MAX_RECORD_DEPTH } from './normalize.js';

interface Token {
  name: string;
  value?: string;
}

const WRAPPER_KEYS = new Set(['Records', 'Events']);

/**
 * Builds one JSON value from tokens. Keys are defined as own properties, so `__proto__`
 * in a record stays data and never becomes the object's prototype.
 */
class ValueAssembler {
  private readonly stack: Array<{ container: unknown[] | Record<string, unknown>; key: string | null }> = [];
  private key: string | null = null;
  private current: unknown[] | Record<string, unknown> | null = null;
  value: unknown = undefined;
  done = false;
  tooDeep = false;

  get depth(): number {
    return this.stack.length + (this.current ? 1 : 0);
  }

  consume(token: Token): void {
    switch (token.name) {
      case 'startObject':
      case 'startArray': {
        const container = token.name === 'startObject' ? {} : [];
        if (this.current) this.stack.push({ container: this.current, key: this.key });
        this.current = container;
        this.key = null;
        if (this.depth > MAX_RECORD_DEPTH) this.tooDeep = true;
        return;
      }
      case 'endObject':
      case 'endArray': {
        const finished = this.current;
        const parent = this.stack.pop();
        if (!parent) {
          this.current = null;
          this.finish(finished);
          return;
        }
        this.current = parent.container;
        this.key = parent.key;
        this.save(finished);
        return;
      }
      case 'keyValue':
        this.key = token.value ?? '';
        return;
      case 'stringValue':
        this.save(token.value ?? '');
        return;
      case 'numberValue':
        this.save(Number(token.value));
        return;
      case 'nullValue':
        this.save(null);
        return;
      case 'trueValue':
        this.save(true);
        return;
      case 'falseValue':
        this.save(false);
        return;
      default:
        return;
    }
  }

  private save(value: unknown): void {
    if (this.tooDeep) return;
    const target = this.current;
    if (!target) {
      this.finish(value);
    } else if (Array.isArray(target)) {
      target.push(value);
    } else {
      const key = this.key ?? '';
      // Plain assignment would call the __proto__ setter; that one key is defined instead.
      if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
      else target[key] = value;
      this.key = null;
    }
  }

  private finish(value: unknown): void {
    this.value = value;
    this.done = true;
  }
}

export interface StreamedContainer {
  /** Final once `entries` is exhausted. */
  kind(): ContainerKind;
  entries: AsyncGenerator<ContainerEntry>;
}

/**
 * Yields one entry per record. Top-level arrays, `Records`/`Events` wrappers, single
 * objects and any number of concatenated or line-separated values are all accepted.
 */
export function streamContainer(bytes: Readable): StreamedContainer {
  let kind: ContainerKind = 'empty';

  async function* entries(): AsyncGenerator<ContainerEntry> {
    const tokens = bytes.pipe(new Parser({ jsonStreaming: true, packValues: true, streamValues: false }));
    bytes.on('error', (error) => tokens.destroy(error));
    let depth = 0;
    let topLevelValues = 0;
    // 'top-object': assembling a top-level object that may still turn out to be a wrapper;
    // 'elements': each value at elementsDepth is a record; 'rest': the remainder of a wrapper object.
    let mode: 'none' | 'top-object' | 'elements' | 'rest' = 'none';
    let elementsDepth = 0;
    let assembler: ValueAssembler | null = null;
    let wrapperKeySeen = false;

    for await (const token of tokens as AsyncIterable<Token>) {
      const opens = token.name === 'startObject' || token.name === 'startArray';
      const closes = token.name === 'endObject' || token.name === 'endArray';

      if (mode === 'top-object' && assembler) {
        if (depth === 1 && token.name === 'keyValue') {
          wrapperKeySeen = WRAPPER_KEYS.has(token.value ?? '');
        } else if (wrapperKeySeen && depth === 1 && token.name === 'startArray') {
          // {"Records": [ ... ]}: stop assembling the wrapper, stream its elements.
          assembler = null;
          wrapperKeySeen = false;
          mode = 'elements';
          elementsDepth = 2;
          depth = 2;
          if (topLevelValues === 1) kind = 'records';
          continue;
        } else {
          wrapperKeySeen = false;
        }
        assembler.consume(token);
        if (opens) depth += 1;
        if (closes) depth -= 1;
        if (assembler.done) {
          const built = assembler;
          assembler = null;
          mode = 'none';
          if (isDigest(built.value)) {
            if (topLevelValues === 1) kind = 'digest';
            continue;
          }
          yield entryOf(built);
        }
        continue;
      }

      if (mode === 'elements' && assembler) {
        assembler.consume(token);
        if (opens) depth += 1;
        if (closes) depth -= 1;
        if (assembler.done) {
          const built = assembler;
          assembler = null;
          yield entryOf(built);
        }
        continue;
      }

      if (opens) depth += 1;
      if (closes) depth -= 1;

      if (mode === 'none') {
        // depth was 0 before this token: a new top-level value.
        if (!opens) {
          yield { error: `top-level value is not an object or array (${token.name})` };
          continue;
        }
        topLevelValues += 1;
        if (topLevelValues === 2) kind = 'jsonl';
        if (token.name === 'startArray') {
          if (topLevelValues === 1) kind = 'array';
          mode = 'elements';
          elementsDepth = 1;
        } else {
          if (topLevelValues === 1) kind = 'object';
          mode = 'top-object';
          assembler = new ValueAssembler();
          assembler.consume(token);
        }
        continue;
      }

      if (mode === 'elements') {
        if (closes && depth < elementsDepth) {
          mode = depth === 0 ? 'none' : 'rest';
          continue;
        }
        if (opens && depth === elementsDepth + 1) {
          assembler = new ValueAssembler();
          assembler.consume(token);
          continue;
        }
        if (depth === elementsDepth && !closes) yield { error: `array element is not an object (${token.name})` };
        continue;
      }

      if (mode === 'rest' && depth === 0) mode = 'none';
    }
  }

  return { kind: () => kind, entries: entries() };
}

function entryOf(built: ValueAssembler): ContainerEntry {
  if (built.tooDeep) return { error: `record nested deeper than ${MAX_RECORD_DEPTH} levels` };
  return unwrapEntry(built.value);
}
