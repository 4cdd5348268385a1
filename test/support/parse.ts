/** Parses content on the fast or the streaming path and reads each kept record back from its raw block. */
import { decodeBlock } from '../../src/parse/raw-block.js';
import { type FileParseSummary, type ParsedBatch, parseLogFile, type RecordFilter } from '../../src/parse/log-file.js';
import type { EventRow } from '../../src/parse/event-row.js';

export type ParsePath = 'fast' | 'streaming';

export async function parseContent(
  content: string | Buffer,
  path: ParsePath,
  filter: RecordFilter = {},
): Promise<{ summary: FileParseSummary; rows: EventRow[]; originals: unknown[] }> {
  const batches: ParsedBatch[] = [];
  const summary = await parseLogFile(
    { bytes: Buffer.isBuffer(content) ? content : Buffer.from(content) },
    filter,
    (batch) => {
      batches.push(batch);
    },
    { fastPathLimit: path === 'fast' ? 16 * 1024 * 1024 : 0 },
  );
  const rows = batches.flatMap((batch) => batch.rows);
  const originals = batches.flatMap((batch) => {
    const decoded = decodeBlock(batch.block.codec, batch.block.bytes);
    return batch.rawIndexes.map((index) => JSON.parse(decoded.recordText(index)!) as unknown);
  });
  return { summary, rows, originals };
}
