/**
 * Where bytes come from. A source lists log objects (already pruned by the CloudTrail
 * layout and the user's filters) and opens each one for the parser.
 */
export type ObjectKind = 'log' | 'digest';

/** What an opened object hands the parser: a file to read, or its bytes already in memory. */
export type FileInput = { path: string } | { bytes: Uint8Array };

/**
 * Objects up to this size are handed over as bytes, larger ones as a (temporary) file.
 * The parser takes the same size whole (parse/log-file.ts): held in
 * memory is exactly what it would read whole anyway.
 */
export const DEFAULT_FAST_PATH_LIMIT = 16 * 1024 * 1024;

export interface SourceObject {
  /** Stable identity in the files table: an absolute path or s3://bucket/key. */
  uri: string;
  size: number;
  /** Changes when the content may have changed: ETag for S3, mtime for files. */
  version: string;
  kind: ObjectKind;
  open(): Promise<OpenedObject>;
}

export interface OpenedObject {
  input: FileInput;
  /**
   * A digest's signature as S3 keeps it (x-amz-meta-signature, -algorithm); only a GetObject
   * returns it, so copies on disk have none.
   */
  signature?: ObjectSignature | undefined;
  /** Called once the parser is done with the input (e.g. to remove a temp file). */
  release(): Promise<void>;
}

export interface ObjectSignature {
  /** Hex, as S3 metadata holds it. */
  signature: string;
  algorithm: string | null;
}

/** Filters that prune listing; records are filtered again by eventTime after parsing. */
export interface ListingFilter {
  since?: string | undefined;
  until?: string | undefined;
  accounts?: ReadonlySet<string> | undefined;
  regions?: ReadonlySet<string> | undefined;
}

export interface SourceStats {
  listRequests: number;
  objectsFetched: number;
  bytesFetched: number;
}

export interface Source {
  /** What the user typed, for messages. */
  readonly label: string;
  /** `onUnreadable` hears of parts of the tree that could not be listed; the walk goes on. */
  list(filter: ListingFilter, onUnreadable: (location: string, reason: string) => void): AsyncIterable<SourceObject>;
  readonly stats: SourceStats;
  /** Fails with a SourceError when the source cannot be read at all, before anything is written. */
  check?(): Promise<void>;
}

export class SourceError extends Error {}
