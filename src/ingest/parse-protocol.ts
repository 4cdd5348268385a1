/** Messages between the ingest pipeline and its parse workers. */
import type { FileInput, FileParseSummary, ParsedBatch, RecordFilter } from '../parse/log-file.js';

/** Sets do not survive structured clone as nicely as arrays; the filter travels as plain data. */
export interface SerializedFilter {
  since?: string | undefined;
  until?: string | undefined;
  accounts?: string[] | undefined;
  regions?: string[] | undefined;
}

export interface ParseRequest {
  type: 'parse';
  input: FileInput;
  filter: SerializedFilter;
}

export type WorkerMessage =
  | { type: 'batch'; batch: ParsedBatch }
  | { type: 'done'; summary: FileParseSummary; finalBatch: ParsedBatch | null }
  | { type: 'failed'; message: string };

export function serializeFilter(filter: RecordFilter): SerializedFilter {
  return {
    since: filter.since,
    until: filter.until,
    accounts: filter.accounts ? [...filter.accounts] : undefined,
    regions: filter.regions ? [...filter.regions] : undefined,
  };
}

export function toRecordFilter(filter: SerializedFilter): RecordFilter {
  return {
    since: filter.since,
    until: filter.until,
    accounts: filter.accounts ? new Set(filter.accounts) : undefined,
    regions: filter.regions ? new Set(filter.regions) : undefined,
  };
}
