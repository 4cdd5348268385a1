/** Messages between the ingest pipeline and its parse workers. */
import type { FileParseSummary, RecordFilter } from '../parse/log-file.js';
import type { FileInput } from '../sources/source.js';
// The batch format is the writer's input, so it lives in store/.
import type { WireBatch } from '../store/wire-batch.js';

/** Sets do not survive structured clone as nicely as arrays; the filter travels as plain data. */
export interface SerializedFilter {
  since?: string | undefined;
  until?: string | undefined;
  accounts?: string[] | undefined;
  regions?: string[] | undefined;
}

export interface ParseRequest {
  type: 'parse';
  jobId: number;
  input: FileInput;
  filter: SerializedFilter;
}

export type WorkerMessage =
  | { type: 'batch'; jobId: number; batch: WireBatch }
  | { type: 'done'; jobId: number; summary: FileParseSummary; finalBatch: WireBatch | null }
  | { type: 'failed'; jobId: number; message: string };

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
