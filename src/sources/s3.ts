/**
 * CloudTrail archives in S3 (or an S3-compatible endpoint), walked with the layout's
 * pruning one delimited listing per folder, never one bucket-wide listing: a one-week
 * question lists one week of folders, and every page is a plain ListObjectsV2 page.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, ListObjectsV2Command, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { type ListedObject, objectKindOf, type TreeLister, walkLayout } from './layout.js';
import {
  DEFAULT_FAST_PATH_LIMIT,
  type ListingFilter,
  type ObjectKind,
  type ObjectSignature,
  type OpenedObject,
  type Source,
  SourceError,
  type SourceObject,
  type SourceStats,
} from './source.js';

export interface S3SourceOptions {
  /** Named profile from ~/.aws/config and ~/.aws/credentials. */
  profile?: string | undefined;
  /** Region of the bucket; default $AWS_REGION, $AWS_DEFAULT_REGION, then us-east-1. */
  region?: string | undefined;
  /** S3-compatible endpoint (MinIO, LocalStack, s3rver…); requests become path-style. */
  endpointUrl?: string | undefined;
  /** Simultaneous object downloads (and HTTP sockets). Default 16. */
  concurrency?: number | undefined;
  /** MaxKeys per ListObjectsV2 page (S3 returns at most 1000). Lower only to test pagination. */
  pageSize?: number | undefined;
  /** Attempts per request including the first, with the SDK's standard retry. Default 5. */
  maxAttempts?: number | undefined;
  /** TCP connect timeout in ms. Default 5000. */
  connectTimeoutMs?: number | undefined;
  /** A socket silent for this long (ms) fails the request (and is retried), so a stalled body cannot hang. Default 20000. */
  idleTimeoutMs?: number | undefined;
  /** Explicit credentials instead of the default provider chain (tests, embedding). */
  credentials?: S3ClientConfig['credentials'];
  /** Objects up to this size are fetched into memory, larger ones into a temporary file. Default DEFAULT_FAST_PATH_LIMIT. */
  fastPathLimit?: number | undefined;
}

export interface S3Location {
  bucket: string;
  /** Key prefix as typed after the bucket: '' for the whole bucket; may or may not end in '/'. */
  prefix: string;
}

const DEFAULT_CONCURRENCY = 16;
const DEFAULT_MAX_ATTEMPTS = 5;
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
// S3 answers within seconds; 20 s of silence is a dead connection, and 5 attempts keep a
// black-holed endpoint under two minutes instead of five.
const DEFAULT_IDLE_TIMEOUT_MS = 20_000;
/** Whole-object attempts when the body breaks off after the headers (the SDK retries only up to the headers). */
const BODY_ATTEMPTS = 3;
// Bucket names: 3–63 of lowercase letters, digits, dots and hyphens (plus legacy
// upper case and underscores, which old us-east-1 buckets may still have).
const BUCKET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/;

/** `s3://bucket[/prefix]` → bucket and raw prefix. Throws SourceError for anything else. */
export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]*)(?:\/(.*))?$/s.exec(uri);
  if (!match) throw new SourceError(`not an S3 URI: ${uri} (expected s3://bucket/prefix)`);
  const bucket = match[1] ?? '';
  if (!BUCKET_NAME.test(bucket)) {
    throw new SourceError(`invalid bucket name in ${uri}: expected s3://bucket/prefix with a bucket name of 3-63 letters, digits, dots or hyphens`);
  }
  return { bucket, prefix: match[2] ?? '' };
}

export function defaultRegion(explicit?: string): string {
  return explicit || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
}

/** A request failure, described for a person: `message` names the location and the fix. */
class S3RequestError extends SourceError {
  constructor(
    message: string,
    /** The same without the location, for onUnreadable(location, reason). */
    readonly reason: string,
  ) {
    super(message);
  }
}

export class S3Source implements Source {
  readonly stats: SourceStats = { listRequests: 0, objectsFetched: 0, bytesFetched: 0 };
  readonly bucket: string;
  readonly prefix: string;
  readonly region: string;
  private readonly client: S3Client;
  private readonly endpoint: string;
  private readonly customEndpoint: boolean;
  private readonly pageSize: number | undefined;
  private readonly downloads: Semaphore;
  private readonly profile: string | undefined;
  private readonly maxAttempts: number;
  private readonly fastPathLimit: number;

  constructor(
    readonly label: string,
    options: S3SourceOptions = {},
  ) {
    const { bucket, prefix } = parseS3Uri(label);
    this.bucket = bucket;
    this.prefix = prefix;
    this.region = defaultRegion(options.region);
    this.profile = options.profile || undefined;
    this.maxAttempts = Math.max(1, Math.trunc(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS));
    const concurrency = Math.max(1, Math.trunc(options.concurrency ?? DEFAULT_CONCURRENCY));
    this.downloads = new Semaphore(concurrency);
    if (options.pageSize !== undefined && !(Number.isInteger(options.pageSize) && options.pageSize >= 1)) {
      throw new SourceError(`invalid S3 page size ${options.pageSize}: expected a positive integer`);
    }
    this.pageSize = options.pageSize;
    this.fastPathLimit = options.fastPathLimit ?? DEFAULT_FAST_PATH_LIMIT;
    if (options.endpointUrl !== undefined) {
      try {
        new URL(options.endpointUrl);
      } catch {
        throw new SourceError(`invalid --endpoint-url ${options.endpointUrl}: expected a URL such as http://localhost:9000`);
      }
    }
    this.customEndpoint = options.endpointUrl !== undefined;
    this.endpoint = options.endpointUrl ?? `https://s3.${this.region}.amazonaws.com`;
    const agent = { keepAlive: true, maxSockets: Math.max(concurrency, 4) };
    // The SDK tells every Node 20 user, on stderr, about its own future support policy;
    // that is for developers, not for someone reading a forensic report. Opt back in with 'false'.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    this.client = new S3Client({
      region: this.region,
      // The client's own profile setting is what AWS_PROFILE would do, for this client only:
      // the default chain (env keys, SSO, ini files, process, web identity, ECS/EC2) reads it.
      ...(options.profile ? { profile: options.profile } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      ...(options.endpointUrl ? { endpoint: options.endpointUrl, forcePathStyle: true } : {}),
      // A bucket in another region answers with a redirect; follow it rather than fail.
      followRegionRedirects: true,
      retryMode: 'standard',
      maxAttempts: this.maxAttempts,
      requestHandler: {
        connectionTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
        socketTimeout: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
        httpAgent: agent,
        httpsAgent: agent,
      },
    });
  }

  async *list(filter: ListingFilter, onUnreadable: (location: string, reason: string) => void): AsyncIterable<SourceObject> {
    const unreadable = (prefix: string, error: unknown): void => {
      onUnreadable(this.uri(prefix), error instanceof S3RequestError ? error.reason : this.describe(error, prefix, 'list').reason);
    };
    let root = this.prefix;
    if (root !== '' && !root.endsWith('/')) {
      // `s3://b/AWSLogs` may name a folder, or exactly one object, or (rarely) both.
      const around = await new S3Lister(this).children(root);
      const exact = around.objects.find((object) => object.key === root);
      const folder = around.folders.includes('');
      if (exact) yield this.object(exact, objectKindOf(exact.key));
      if (!folder) {
        if (!exact) throw new SourceError(`nothing at ${this.label}: no object or folder by that name (check the prefix)`);
        return;
      }
      root = `${root}/`;
    }
    const lister = new S3Lister(this);
    let seen = 0;
    for await (const walked of walkLayout(lister, root, filter, unreadable)) {
      seen += 1;
      yield this.object(walked, walked.kind);
    }
    if (seen === 0 && lister.rootWasEmpty) {
      throw new SourceError(
        root === '' ? `bucket s3://${this.bucket} is empty` : `nothing under ${this.uri(root)} (check the prefix)`,
      );
    }
  }

  /** Close idle connections; the source cannot be used afterwards. */
  destroy(): void {
    this.client.destroy();
  }

  /** @internal One ListObjectsV2 page. */
  async listPage(prefix: string, continuationToken: string | undefined) {
    this.stats.listRequests += 1;
    try {
      return await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix === '' ? undefined : prefix,
          Delimiter: '/',
          ContinuationToken: continuationToken,
          ...(this.pageSize !== undefined ? { MaxKeys: this.pageSize } : {}),
        }),
      );
    } catch (error) {
      throw this.describe(error, prefix, 'list');
    }
  }

  uri(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  private object(listed: ListedObject, kind: ObjectKind): SourceObject {
    return {
      uri: this.uri(listed.key),
      size: listed.size,
      version: listed.version,
      kind,
      open: () => this.open(listed.key, listed.size, listed.version),
    };
  }

  private async open(key: string, size: number, version: string): Promise<OpenedObject> {
    await this.downloads.acquire();
    try {
      for (let attempt = 1; ; attempt += 1) {
        try {
          const opened = await this.fetch(key, size, version);
          this.stats.objectsFetched += 1;
          return opened;
        } catch (error) {
          if (!(error instanceof BodyBrokeOff) || attempt >= BODY_ATTEMPTS) {
            if (error instanceof BodyBrokeOff) {
              const why = error.cause ? ` (${oneLine(describeCause(error.cause))})` : '';
              const what = error.received < size ? 'truncated' : 'unreadable';
              throw new SourceError(
                `${what} body from ${this.uri(key)}: received ${error.received} of ${size} bytes on the last of ${attempt} attempts${why}; not parsed`,
              );
            }
            throw error;
          }
        }
      }
    } finally {
      this.downloads.release();
    }
  }

  private async fetch(key: string, size: number, version: string): Promise<OpenedObject> {
    let response;
    try {
      response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      throw this.describe(error, key, 'get');
    }
    const body = response.Body as (Readable & AsyncIterable<Uint8Array>) | undefined;
    if (!body) throw new SourceError(`empty response for ${this.uri(key)}: no body`);
    if (response.ContentLength !== undefined && response.ContentLength !== size) {
      body.destroy();
      throw new SourceError(
        `${this.uri(key)} changed since it was listed (listed ${size} bytes, now ${response.ContentLength}): run ingest again`,
      );
    }
    const etag = response.ETag?.replace(/"/g, '');
    if (etag && version.startsWith('etag:') && `etag:${etag}` !== version) {
      body.destroy();
      throw new SourceError(`${this.uri(key)} changed since it was listed (ETag ${version.slice(5)}, now ${etag}): run ingest again`);
    }
    const signature = signatureOf(response.Metadata);
    let received = 0;
    const count = (chunk: Uint8Array): void => {
      received += chunk.byteLength;
      this.stats.bytesFetched += chunk.byteLength;
      // More than announced is as wrong as less; stop before it fills memory or disk.
      if (received > size) throw new SourceError(`${this.uri(key)} sent more than its listed ${size} bytes: not parsed`);
    };

    if (size <= this.fastPathLimit) {
      const chunks: Uint8Array[] = [];
      try {
        for await (const chunk of body) {
          count(chunk);
          chunks.push(chunk);
        }
      } catch (error) {
        body.destroy();
        if (error instanceof SourceError) throw error;
        throw new BodyBrokeOff(received, error);
      }
      if (received !== size) throw new BodyBrokeOff(received);
      return { input: { bytes: Buffer.concat(chunks, received) }, signature, release: async () => undefined };
    }

    const path = join(tmpdir(), `trailsift-s3-${randomUUID()}.tmp`);
    const removeFile = (): Promise<void> => rm(path, { force: true });
    try {
      await pipeline(
        body,
        async function* (source: AsyncIterable<Uint8Array>) {
          for await (const chunk of source) {
            count(chunk);
            yield chunk;
          }
        },
        createWriteStream(path, { flags: 'wx', mode: 0o600 }),
      );
    } catch (error) {
      body.destroy();
      await removeFile();
      if (error instanceof SourceError) throw error;
      if (isLocalFsError(error)) {
        throw new SourceError(`cannot write a temporary copy of ${this.uri(key)} in ${tmpdir()}: ${(error as Error).message}`);
      }
      throw new BodyBrokeOff(received, error);
    }
    if (received !== size) {
      await removeFile();
      throw new BodyBrokeOff(received);
    }
    return { input: { path }, signature, release: removeFile };
  }

  /** One line naming the bucket/key and what to do about it. */
  describe(error: unknown, key: string, operation: 'list' | 'get'): S3RequestError {
    if (error instanceof S3RequestError) return error;
    const location = key === '' && operation === 'list' ? `s3://${this.bucket}` : this.uri(key);
    const e = (error ?? {}) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const name = e.name ?? '';
    const status = e.$metadata?.httpStatusCode;
    const code = networkCode(error);
    // `reason` goes to onUnreadable next to the location; `message` stands alone.
    const fail = (message: string, reason = message): S3RequestError => new S3RequestError(oneLine(message), oneLine(reason));

    if (name === 'CredentialsProviderError' || /could not (load|resolve) credentials/i.test(e.message ?? '')) {
      return fail(
        this.profile
          ? `no AWS credentials for profile "${this.profile}": check ~/.aws/config and ~/.aws/credentials (for SSO: aws sso login --profile ${this.profile})`
          : 'no AWS credentials found: set AWS_PROFILE, --profile, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY',
      );
    }
    if (name === 'NoSuchBucket') {
      return fail(`no such bucket s3://${this.bucket}: check the bucket name${this.customEndpoint ? ` and the endpoint ${this.endpoint}` : ''}`);
    }
    if (CREDENTIAL_REJECTIONS.has(name)) {
      const fix = 'refresh or correct them (AWS_PROFILE, --profile, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)';
      return fail(`credentials rejected for ${location} (${name}): ${fix}`, `credentials rejected (${name}): ${fix}`);
    }
    if (name === 'AccessDenied' || name === 'AllAccessDisabled' || status === 403) {
      const fix = "check the credentials' s3:ListBucket / s3:GetObject permissions";
      return fail(`access denied to ${location}: ${fix}`, `access denied: ${fix}`);
    }
    if (name === 'NoSuchKey' || (operation === 'get' && status === 404)) {
      return fail(`${location} no longer exists (deleted since it was listed): run ingest again`, 'no longer exists (deleted since it was listed)');
    }
    if (name === 'PermanentRedirect' || name === 'AuthorizationHeaderMalformed' || status === 301) {
      return fail(`bucket s3://${this.bucket} is not in region ${this.region}: pass its region with --s3-region or AWS_REGION`);
    }
    if (code !== null || name === 'TimeoutError' || name === 'RequestTimeout') {
      const what =
        code === 'ECONNREFUSED'
          ? 'connection refused'
          : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
            ? 'host not found'
            : code === 'ETIMEDOUT' || code === null
              ? 'timed out'
              : code;
      const fix = this.customEndpoint ? 'check --endpoint-url and that the service is running' : 'check the network connection';
      const reason = `cannot reach the S3 endpoint ${this.endpoint} (${what}): ${fix}`;
      return fail(`${reason} [${location}]`, reason);
    }
    if (status !== undefined && status >= 500) {
      const reason = `S3 kept failing (HTTP ${status}${name ? ` ${name}` : ''}) after ${this.maxAttempts} attempts: try again later`;
      return fail(`${location}: ${reason}`, reason);
    }
    const detail = [name, e.message].filter(Boolean).join(': ') || String(error);
    const hint = this.customEndpoint ? ` (is ${this.endpoint} an S3-compatible endpoint?)` : '';
    const reason = `S3 ${operation === 'list' ? 'listing' : 'download'} failed: ${detail}${hint}`;
    return fail(`${location}: ${reason}`, reason);
  }
}

/** The SDK hands user metadata over with lower-case keys, without the x-amz-meta- prefix. */
function signatureOf(metadata: Record<string, string> | undefined): ObjectSignature | undefined {
  const signature = metadata?.signature;
  if (typeof signature !== 'string' || signature === '') return undefined;
  const algorithm = metadata?.['signature-algorithm'];
  return { signature, algorithm: typeof algorithm === 'string' ? algorithm : null };
}

const CREDENTIAL_REJECTIONS = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidToken',
  'TokenRefreshRequired',
]);

/** Delimited ListObjectsV2 over one folder at a time, following continuation tokens. */
class S3Lister implements TreeLister {
  /** Set after the first listing: true if it found no folder and no object. */
  rootWasEmpty = false;
  private first = true;

  constructor(private readonly source: S3Source) {}

  async children(prefix: string): Promise<{ folders: string[]; objects: ListedObject[] }> {
    const folders = new Set<string>();
    const objects = new Map<string, ListedObject>();
    let token: string | undefined;
    do {
      const page = await this.source.listPage(prefix, token);
      for (const common of page.CommonPrefixes ?? []) {
        const value = common.Prefix;
        // Not every S3 look-alike is careful at page boundaries: tolerate repeats.
        if (value?.startsWith(prefix) && value.endsWith('/')) folders.add(value.slice(prefix.length, -1));
      }
      for (const item of page.Contents ?? []) {
        const key = item.Key;
        if (key === undefined || !key.startsWith(prefix)) continue;
        // Zero-byte "folder" markers made by consoles and sync tools are not log files.
        if (key.endsWith('/') && (item.Size ?? 0) === 0) continue;
        const etag = item.ETag?.replace(/"/g, '');
        const version = etag ? `etag:${etag}` : `modified:${item.LastModified?.toISOString() ?? 'unknown'}`;
        objects.set(key, { key, size: item.Size ?? 0, version });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      if (page.IsTruncated && !token) {
        const reason = 'the listing was cut short without a continuation token';
        throw new S3RequestError(`${this.source.uri(prefix)}: ${reason}`, reason);
      }
    } while (token);
    if (this.first) {
      this.first = false;
      this.rootWasEmpty = folders.size === 0 && objects.size === 0;
    }
    return { folders: [...folders], objects: [...objects.values()] };
  }
}

/** The body stopped short of the listed size (or its stream failed): worth another GetObject. */
class BodyBrokeOff extends Error {
  constructor(
    readonly received: number,
    override readonly cause?: unknown,
  ) {
    super(`body broke off after ${received} bytes`);
  }
}

class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
  'EPROTO',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

function networkCode(error: unknown): string | null {
  for (let e = error as { code?: unknown; cause?: unknown; errors?: unknown[] } | undefined, depth = 0; e && depth < 5; depth += 1) {
    if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
    // Node's happy-eyeballs connect reports an AggregateError of per-address failures.
    for (const inner of Array.isArray(e.errors) ? e.errors : []) {
      const code = (inner as { code?: unknown }).code;
      if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    }
    e = e.cause as typeof e;
  }
  return null;
}

function isLocalFsError(error: unknown): boolean {
  const e = error as NodeJS.ErrnoException;
  return typeof e?.syscall === 'string' && ['open', 'write', 'close'].includes(e.syscall) && typeof e.path === 'string';
}

function describeCause(cause: unknown): string {
  const code = networkCode(cause);
  const message = (cause as Error)?.message ?? String(cause);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
