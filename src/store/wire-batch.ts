/**
 * The writer's input: a parsed batch as it crosses from a parse worker to the writer.
 * It lives in the store because the writer is what defines it (which columns are
 * interned, how tuples are laid out); the ingest pipeline only carries it.
 */
import { EVENT_ROW_COLUMNS, type EventTuple, toTuple } from '../parse/event-row.js';
import type { ParsedBatch } from '../parse/log-file.js';
import type { RawBlock } from '../parse/raw-block.js';
import { INTERNED_COLUMNS } from './schema.js';

/** Tuple positions of the columns stored once in the strings table. */
export const INTERNED_POSITIONS: readonly number[] = INTERNED_COLUMNS.map((column) => EVENT_ROW_COLUMNS.indexOf(column));

/**
 * Rows travel as one JSON text of tuples: JSON.parse on the writer's thread costs less
 * than structured clone spends rebuilding hundreds of thousands of small arrays there,
 * and the writer's thread is the one ingest waits on (A/B measured; see the commit that
 * made it so and README "Performance").
 */
export interface WireBatch {
  rowCount: number;
  /** Tuples; an interned column holds a position in `strings` (or null). */
  rowsJson: string;
  /** Each distinct interned value of the batch once: a few dozen for hundreds of rows. */
  strings: string[];
  rawIndexes: number[];
  /** As ParsedBatch's: absent where each record's raw index is its position in the file. */
  recordIndexes?: number[];
  block: RawBlock;
}

export function toWire(batch: ParsedBatch): WireBatch {
  const strings: string[] = [];
  const positionOf = new Map<string, number>();
  const tuples = batch.rows.map((row) => {
    const tuple = toTuple(row);
    for (const column of INTERNED_POSITIONS) {
      const value = tuple[column];
      if (typeof value !== 'string') continue;
      let position = positionOf.get(value);
      if (position === undefined) {
        position = strings.push(value) - 1;
        positionOf.set(value, position);
      }
      tuple[column] = position;
    }
    return tuple;
  });
  const wire: WireBatch = { rowCount: tuples.length, rowsJson: JSON.stringify(tuples), strings, rawIndexes: batch.rawIndexes, block: batch.block };
  if (batch.recordIndexes) wire.recordIndexes = batch.recordIndexes;
  return wire;
}

export function wireTuples(batch: WireBatch): EventTuple[] {
  return JSON.parse(batch.rowsJson) as EventTuple[];
}
