/**
 * What an ingest will do, decided before anything is read: which listed objects to read,
 * which to leave alone because the store already has them as they are, and whether to
 * bulk-load. A pure function of the listing and of what the store holds.
 */
import type { SourceObject } from '../sources/source.js';
import type { KnownFile } from '../store/writer.js';

/** An empty database loading at least this many files is bulk-loaded: indexes built at the end. */
export const BULK_LOAD_MIN_FILES = 50;
/** Files in these states are not read again while unchanged; 'failed' (fetch or crash) is retried. */
const SETTLED_STATUSES = new Set(['done', 'digest', 'warning', 'error']);

/** A listed object beside what the store recorded of it when it was last read (undefined: never). */
export interface ListedObject {
  object: SourceObject;
  known: KnownFile | undefined;
}

export interface IngestPlan {
  /** Objects to fetch and parse, in listing order. */
  toRead: SourceObject[];
  /** Log files not read again: settled and unchanged. Digest files are never counted here. */
  skipped: number;
  /** Objects listed as digest files, read or not. */
  digestFiles: number;
  /** Listed size of everything to read (compressed): what progress counts towards. */
  bytesTotal: number;
  /** Whether rows go into tables whose indexes are built at the end (startBulkLoad). */
  bulkLoad: boolean;
}

/** Whether the store's record of an object still describes it, so reading it again would add nothing. */
export function isUnchanged(object: SourceObject, known: KnownFile | undefined): boolean {
  return (
    known !== undefined &&
    SETTLED_STATUSES.has(known.status) &&
    known.size === object.size &&
    known.version === object.version &&
    // Read before hashes were recorded (schema < 5): read once more, for its custody facts.
    (known.content_sha256 !== null || known.status === 'error')
  );
}

export function planIngest(listing: readonly ListedObject[], storeHasEvents: boolean): IngestPlan {
  const toRead: SourceObject[] = [];
  let skipped = 0;
  let digestFiles = 0;
  for (const { object, known } of listing) {
    if (object.kind === 'digest') digestFiles += 1;
    if (!isUnchanged(object, known)) toRead.push(object);
    else if (object.kind !== 'digest') skipped += 1;
  }
  return {
    toRead,
    skipped,
    digestFiles,
    bytesTotal: toRead.reduce((sum, object) => sum + object.size, 0),
    bulkLoad: toRead.length >= BULK_LOAD_MIN_FILES && !storeHasEvents,
  };
}
