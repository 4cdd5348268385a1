/**
 * How far decompression may go before it is refused as a decompression bomb. One set of
 * limits for every place we inflate attacker-supplied bytes: a gzip log file, a zip member,
 * the gzip layer of a .tar.gz.
 */
import type { Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** A CloudTrail file that inflates past this is refused as a decompression bomb. */
export const MAX_DECOMPRESSED_BYTES = 4 * 1024 * 1024 * 1024;
/**
 * CloudTrail JSON gzips about 10–20 to 1. Past BOMB_CHECK_AFTER decompressed bytes, a file
 * inflating more than MAX_COMPRESSION_RATIO to 1 is refused: it is built to exhaust us.
 */
export const MAX_COMPRESSION_RATIO = 200;
export const BOMB_CHECK_AFTER = 64 * 1024 * 1024;

export interface InflateLimits {
  maxBytes: number;
  maxRatio: number;
  /** The ratio is only judged past this many inflated bytes: small files may compress very well. */
  ratioCheckAfter: number;
}

export const DEFAULT_INFLATE_LIMITS: InflateLimits = {
  maxBytes: MAX_DECOMPRESSED_BYTES,
  maxRatio: MAX_COMPRESSION_RATIO,
  ratioCheckAfter: BOMB_CHECK_AFTER,
};

const mebibytes = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MiB`;

/** Why `inflated` bytes out of `compressed` are refused, or null when they are within the limits. */
export function inflateProblem(inflated: number, compressed: number, limits: InflateLimits = DEFAULT_INFLATE_LIMITS): string | null {
  if (inflated > limits.maxBytes) return `decompressed size exceeds ${mebibytes(limits.maxBytes)}: refusing a likely decompression bomb`;
  if (inflated > limits.ratioCheckAfter && inflated / Math.max(compressed, 1) > limits.maxRatio) {
    return `decompression bomb: ${Math.round(compressed / 1024)} KiB inflated past ${mebibytes(inflated)} (more than ${limits.maxRatio}:1; CloudTrail is about 15:1); refused`;
  }
  return null;
}

/** Counts the bytes flowing through, and hashes them when given a hash (chain of custody). */
export class ByteCounter extends Transform {
  seen = 0;
  constructor(private readonly digest?: Hash) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    this.digest?.update(chunk);
    callback(null, chunk);
  }
}

/** Passes inflated bytes on while they stay within the limits, measured against the compressed bytes read so far. */
export class InflateGuard extends Transform {
  seen = 0;
  constructor(
    private readonly compressedSeen: () => number,
    private readonly limits: InflateLimits = DEFAULT_INFLATE_LIMITS,
    private readonly contentHash?: Hash,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    this.contentHash?.update(chunk);
    const problem = inflateProblem(this.seen, this.compressedSeen(), this.limits);
    callback(problem ? new Error(problem) : null, problem ? undefined : chunk);
  }
}

/** What a zlib error message means for a reader, or null when it is not one of zlib's. */
export function gzipFailure(message: string): string | null {
  if (/unexpected end of file/i.test(message)) return 'truncated gzip stream';
  if (/incorrect header check|invalid (block type|distance|stored block|code)/i.test(message)) return `corrupt gzip data (${message})`;
  return null;
}
