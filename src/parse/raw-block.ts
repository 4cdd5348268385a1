/**
 * How the original records are kept. A log file's own bytes are stored once (gzip as
 * delivered, or gzipped by us), and a row points at (block, index). Re-reading a
 * record means decompressing the block and taking the index-th container entry, with
 * the same container reader that ingested it, so what comes back is what was read.
 * Files too big for memory are cut into blocks of re-serialized records, one per line.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { readContainerBytes } from './containers.js';

export type RawBlockCodec = 'gzip-container' | 'gzip-lines';

export interface RawBlock {
  codec: RawBlockCodec;
  bytes: Uint8Array;
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function containerBlock(original: Uint8Array): RawBlock {
  return { codec: 'gzip-container', bytes: isGzip(original) ? original : gzipSync(original, { level: 6 }) };
}

export function linesBlock(recordTexts: string[]): RawBlock {
  // Level 1: these blocks come from files too big for the fast path, where speed matters most.
  return { codec: 'gzip-lines', bytes: gzipSync(Buffer.from(recordTexts.join('\n'), 'utf8'), { level: 1 }) };
}

export interface DecodedBlock {
  count: number;
  recordText(index: number): string | null;
}

/** Decode a block; index positions match what ingest stored. Records are re-serialized lazily. */
export function decodeBlock(codec: string, bytes: Uint8Array): DecodedBlock {
  const inflated = gunzipSync(bytes);
  if (codec === 'gzip-lines') {
    const lines = inflated.toString('utf8').split('\n');
    return { count: lines.length, recordText: (index) => lines[index] ?? null };
  }
  if (codec !== 'gzip-container') throw new Error(`unknown raw block codec ${JSON.stringify(codec)}`);
  const entries = readContainerBytes(inflated).entries;
  return {
    count: entries.length,
    recordText(index) {
      const entry = entries[index];
      return entry && 'value' in entry ? JSON.stringify(entry.value) : null;
    },
  };
}
