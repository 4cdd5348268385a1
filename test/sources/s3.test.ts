import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FAST_PATH_LIMIT } from '../../src/sources/source.js';
import { parseS3Uri, S3Source, type S3SourceOptions } from '../../src/sources/s3.js';
import { type ListingFilter, SourceError, type SourceObject } from '../../src/sources/source.js';
import { record, recordsFile, tempDir, writeFile } from '../support/cloudtrail.js';
import { S3RVER_CREDENTIALS, type S3rverHandle, startS3rver } from '../support/s3rver.js';

const ORG = 'o-abcdefghij';
const ACCOUNTS = ['111111111111', '222222222222'] as const;
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
const DAYS = [
  '2025-12-30',
  '2025-12-31',
  '2026-02-27',
  '2026-02-28',
  ...Array.from({ length: 20 }, (_, i) => `2026-03-${String(i + 1).padStart(2, '0')}`),
];
/** One folder with more objects than a listing page holds (pageSize below). */
const BIG_FOLDER = { account: '111111111111', region: 'us-east-1', day: '2026-03-03', extra: 25 };
const PAGE_SIZE = 10;

interface Tree {
  root: string;
  /** Keys the layout walker should list (CloudTrail and CloudTrail-Digest), relative with '/'. */
  keys: string[];
  /** Keys outside the CloudTrail folders, which the walker must skip. */
  otherKeys: string[];
}

/** An organization trail's archive, written to a temp dir. */
function buildTree(): Tree {
  const root = tempDir('trailsift-s3-tree-');
  const keys: string[] = [];
  let serial = 0;
  const stamp = (day: string, minutes: number): { y: string; m: string; d: string; compact: string } => {
    const [y, m, d] = day.split('-') as [string, string, string];
    const hhmm = `${String(Math.floor(minutes / 60)).padStart(2, '0')}${String(minutes % 60).padStart(2, '0')}`;
    return { y, m, d, compact: `${y}${m}${d}T${hhmm}` };
  };
  const addLog = (account: string, region: string, day: string, minutes: number): void => {
    const { y, m, d, compact } = stamp(day, minutes);
    serial += 1;
    const random = serial.toString(16).padStart(16, '0');
    const key = `AWSLogs/${ORG}/${account}/CloudTrail/${region}/${y}/${m}/${d}/${account}_CloudTrail_${region}_${compact}Z_${random}.json.gz`;
    const eventTime = `${day}T${compact.slice(9, 11)}:${compact.slice(11, 13)}:00Z`;
    writeFile(root, key, recordsFile([record({ eventTime, awsRegion: region, recipientAccountId: account })]));
    keys.push(key);
  };
  const addDigest = (account: string, day: string): void => {
    const { y, m, d, compact } = stamp(day, 0);
    const key = `AWSLogs/${ORG}/${account}/CloudTrail-Digest/us-east-1/${y}/${m}/${d}/${account}_CloudTrail-Digest_us-east-1_org-trail_us-east-1_${compact}00Z.json.gz`;
    const digest = { awsAccountId: account, digestStartTime: `${day}T00:00:00Z`, digestEndTime: `${day}T01:00:00Z`, logFiles: [] };
    writeFile(root, key, gzipSync(JSON.stringify(digest)));
    keys.push(key);
  };

  for (const account of ACCOUNTS) {
    for (const region of REGIONS) for (const day of DAYS) addLog(account, region, day, 605);
    for (const day of ['2026-02-27', '2026-03-02', '2026-03-03', '2026-03-04']) addDigest(account, day);
  }
  for (let i = 0; i < BIG_FOLDER.extra; i += 1) addLog(BIG_FOLDER.account, BIG_FOLDER.region, BIG_FOLDER.day, i * 5);

  // AWS Config writes beside CloudTrail under the account; the layout walker skips it.
  const otherKeys = [`AWSLogs/${ORG}/111111111111/Config/us-east-1/2026/03/03/ConfigHistory/111111111111_Config_us-east-1.json.gz`];
  for (const key of otherKeys) writeFile(root, key, gzipSync('{}'));
  return { root, keys: keys.sort(), otherKeys };
}

function dayOf(key: string): string {
  const match = /\/(\d{4})\/(\d{2})\/(\d{2})\//.exec(key);
  if (!match) throw new Error(`no day in ${key}`);
  return `${match[1]}-${match[2]}-${match[3]}`;
}

const sources: S3Source[] = [];
const cleanups: Array<() => Promise<void> | void> = [];

function source(uri: string, options: S3SourceOptions): S3Source {
  const created = new S3Source(uri, { credentials: S3RVER_CREDENTIALS, ...options });
  sources.push(created);
  return created;
}

async function collect(
  from: S3Source,
  filter: ListingFilter = {},
): Promise<{ objects: SourceObject[]; unreadable: Array<[string, string]> }> {
  const objects: SourceObject[] = [];
  const unreadable: Array<[string, string]> = [];
  for await (const object of from.list(filter, (location, reason) => unreadable.push([location, reason]))) objects.push(object);
  return { objects, unreadable };
}

/** No AWS keys, profiles or instance metadata for the rest of this test; restored afterwards. */
function isolateAwsEnvironment(credentialsFile?: string): void {
  const dir = tempDir();
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const names = [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_PROFILE',
    'AWS_SHARED_CREDENTIALS_FILE',
    'AWS_CONFIG_FILE',
    'AWS_EC2_METADATA_DISABLED',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  ];
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  cleanups.push(() => {
    for (const name of names) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });
  for (const name of names) delete process.env[name];
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
  process.env.AWS_CONFIG_FILE = join(dir, 'config');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  if (credentialsFile !== undefined) writeFile(dir, 'credentials', credentialsFile);
}

async function listingError(from: S3Source): Promise<SourceError> {
  try {
    await collect(from);
  } catch (error) {
    expect(error).toBeInstanceOf(SourceError);
    return error as SourceError;
  }
  throw new Error('expected the listing to fail');
}

afterEach(async () => {
  for (const created of sources.splice(0)) created.destroy();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('parseS3Uri', () => {
  it('when given a bucket with and without a prefix then splits bucket and raw prefix', () => {
    expect(parseS3Uri('s3://my-trail-bucket')).toEqual({ bucket: 'my-trail-bucket', prefix: '' });
    expect(parseS3Uri('s3://my-trail-bucket/')).toEqual({ bucket: 'my-trail-bucket', prefix: '' });
    expect(parseS3Uri('s3://my-trail-bucket/logs/AWSLogs')).toEqual({ bucket: 'my-trail-bucket', prefix: 'logs/AWSLogs' });
  });

  it('when the URI is not s3://bucket then throws a SourceError', () => {
    expect(() => parseS3Uri('https://example.com/x')).toThrow(SourceError);
    expect(() => parseS3Uri('s3:///prefix')).toThrow(/bucket/);
  });
});

describe('S3Source against s3rver', () => {
  const BUCKET = 'trail-archive';
  let tree: Tree;
  let server: S3rverHandle;
  let fullWalkRequests = 0;
  const fullWalkRequestsDefaultPage = { value: 0 };

  beforeAll(async () => {
    tree = buildTree();
    server = await startS3rver({ seedDir: tree.root, bucket: BUCKET });
  });

  afterAll(async () => {
    await server?.stop();
    if (tree) rmSync(tree.root, { recursive: true, force: true });
  });

  const options = (): S3SourceOptions => ({ endpointUrl: server.endpoint, region: 'us-east-1', pageSize: PAGE_SIZE });

  it('when the whole bucket is listed then every CloudTrail object comes back exactly once with its kind and s3:// uri', async () => {
    const s3 = source(`s3://${BUCKET}`, options());
    const { objects, unreadable } = await collect(s3);

    expect(unreadable).toEqual([]);
    const uris = objects.map((object) => object.uri);
    expect(new Set(uris).size).toBe(uris.length);
    expect([...uris].sort()).toEqual(tree.keys.map((key) => `s3://${BUCKET}/${key}`));
    for (const object of objects) {
      const key = object.uri.slice(`s3://${BUCKET}/`.length);
      expect(object.kind).toBe(key.includes('/CloudTrail-Digest/') ? 'digest' : 'log');
      expect(object.size).toBe(statSync(join(tree.root, key)).size);
      const md5 = createHash('md5').update(readFileSync(join(tree.root, key))).digest('hex');
      expect(object.version).toBe(`etag:${md5}`);
    }
    expect(objects.filter((object) => object.kind === 'digest')).toHaveLength(8);
    expect(server.seededKeys).toEqual(expect.arrayContaining(tree.otherKeys));
    fullWalkRequests = s3.stats.listRequests;

    // The big folder (26 objects) takes three pages of 10 instead of one page of 1000.
    const onePage = source(`s3://${BUCKET}`, { ...options(), pageSize: undefined });
    expect((await collect(onePage)).objects).toHaveLength(objects.length);
    fullWalkRequestsDefaultPage.value = onePage.stats.listRequests;
    expect(fullWalkRequests - fullWalkRequestsDefaultPage.value).toBe(2);
    expect(s3.stats.objectsFetched).toBe(0);
  });

  it('when since/until are given then only the padded day folders are listed', async () => {
    const s3 = source(`s3://${BUCKET}/`, options());
    const { objects } = await collect(s3, { since: '2026-03-03T00:00:00Z', until: '2026-03-03T23:59:59Z' });

    const wanted = new Set(['2026-03-02', '2026-03-03', '2026-03-04']);
    const expected = tree.keys.filter((key) => wanted.has(dayOf(key))).map((key) => `s3://${BUCKET}/${key}`);
    expect(objects.map((object) => object.uri).sort()).toEqual(expected);
    expect(expected.length).toBe(2 * 3 * 3 + BIG_FOLDER.extra + 2 * 3);
    const full = fullWalkRequests || 1_000;
    expect(s3.stats.listRequests * 3).toBeLessThan(full);
  });

  it('when the regions filter names eu-west-1 then us-east-1 is listed too and other regions are not', async () => {
    const s3 = source(`s3://${BUCKET}`, options());
    const { objects } = await collect(s3, { regions: new Set(['eu-west-1']) });

    const regionOf = (uri: string): string => uri.split('/')[7]!;
    expect(new Set(objects.map((object) => regionOf(object.uri)))).toEqual(new Set(['eu-west-1', 'us-east-1']));
    const expected = tree.keys.filter((key) => ['eu-west-1', 'us-east-1'].includes(key.split('/')[4]!));
    expect(objects).toHaveLength(expected.length);
  });

  it('when the accounts filter names one account then only its folders are listed', async () => {
    const s3 = source(`s3://${BUCKET}`, options());
    const { objects } = await collect(s3, { accounts: new Set(['222222222222']) });

    const expected = tree.keys.filter((key) => key.split('/')[2] === '222222222222').map((key) => `s3://${BUCKET}/${key}`);
    expect(objects.map((object) => object.uri).sort()).toEqual(expected);
  });

  it('when the URI names a folder without a trailing slash then that folder is walked', async () => {
    const s3 = source(`s3://${BUCKET}/AWSLogs/${ORG}/222222222222/CloudTrail/eu-west-1`, options());
    const { objects } = await collect(s3, { since: '2026-03-10T00:00:00Z' });

    // Pruning still applies below a prefix that stops mid-layout.
    const expected = tree.keys
      .filter((key) => key.startsWith(`AWSLogs/${ORG}/222222222222/CloudTrail/eu-west-1/`) && dayOf(key) >= '2026-03-09')
      .map((key) => `s3://${BUCKET}/${key}`);
    expect(objects.map((object) => object.uri).sort()).toEqual(expected);
    expect(objects.every((object) => object.kind === 'log')).toBe(true);
  });

  it('when the URI is exactly one object key then only that object is listed', async () => {
    const key = tree.keys.find((candidate) => candidate.includes('/CloudTrail-Digest/'))!;
    const s3 = source(`s3://${BUCKET}/${key}`, options());
    const { objects } = await collect(s3);

    expect(objects.map((object) => [object.uri, object.kind])).toEqual([[`s3://${BUCKET}/${key}`, 'digest']]);
  });

  it('when the URI prefix matches nothing then a SourceError names it', async () => {
    const error = await listingError(source(`s3://${BUCKET}/AWSLogs/o-typo`, options()));
    expect(error.message).toContain(`s3://${BUCKET}/AWSLogs/o-typo`);
  });

  it('when an object is opened then its bytes equal the uploaded file and objectsFetched counts it', async () => {
    const key = tree.keys.find((candidate) => candidate.includes('/eu-west-1/2026/03/05/'))!;
    const s3 = source(`s3://${BUCKET}/${key}`, options());
    const [object] = (await collect(s3)).objects;
    const opened = await object!.open();
    try {
      expect('bytes' in opened.input).toBe(true);
      const bytes = (opened.input as { bytes: Uint8Array }).bytes;
      expect(Buffer.from(bytes).equals(readFileSync(join(tree.root, key)))).toBe(true);
      expect(s3.stats.objectsFetched).toBe(1);
      expect(s3.stats.bytesFetched).toBe(bytes.byteLength);
    } finally {
      await opened.release();
    }
  });

  it('when a profile is given then the default chain uses its credentials, and a missing profile is named', async () => {
    isolateAwsEnvironment(`[forensics]\naws_access_key_id = ${S3RVER_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${S3RVER_CREDENTIALS.secretAccessKey}\n`);
    const viaProfile = new S3Source(`s3://${BUCKET}/AWSLogs/${ORG}/111111111111/CloudTrail/us-east-1/2026/03/01/`, {
      ...options(),
      profile: 'forensics',
    });
    sources.push(viaProfile);
    expect((await collect(viaProfile)).objects).toHaveLength(1);

    const missing = new S3Source(`s3://${BUCKET}/`, { ...options(), profile: 'nope', maxAttempts: 1 });
    sources.push(missing);
    const error = await listingError(missing);
    expect(error.message).toMatch(/^no AWS credentials for profile "nope": check ~\/\.aws\/config/);
  });

  it('when the bucket does not exist then a SourceError names the bucket', async () => {
    const error = await listingError(source('s3://no-such-trail-bucket/AWSLogs/', options()));
    expect(error.message).toContain('no-such-trail-bucket');
    expect(error.message).toMatch(/no such bucket/i);
    expect(error.message).not.toContain('\n');
  });
});

describe('S3Source with a large object', () => {
  it('when an object is larger than the fast-path limit then it is streamed to a private temp file removed on release', async () => {
    const server = await startS3rver({ bucket: 'big-objects' });
    cleanups.push(() => server.stop());
    const body = Buffer.alloc(DEFAULT_FAST_PATH_LIMIT + 1, 0x61);
    body.write('{"Records":[]}');
    await server.put('exports/large.json', body);

    const s3 = source('s3://big-objects/exports/large.json', { endpointUrl: server.endpoint });
    const [object] = (await collect(s3)).objects;
    expect(object?.size).toBe(body.length);
    const opened = await object!.open();
    const path = (opened.input as { path: string }).path;
    try {
      expect(typeof path).toBe('string');
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(readFileSync(path).equals(body)).toBe(true);
      expect(s3.stats).toMatchObject({ objectsFetched: 1, bytesFetched: body.length });
    } finally {
      await opened.release();
    }
    expect(existsSync(path)).toBe(false);
  });
});

describe('S3Source errors', () => {
  it('when the endpoint refuses connections then a SourceError names the endpoint quickly', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const started = Date.now();
    const s3 = source('s3://trail-archive/AWSLogs/', {
      endpointUrl: `http://127.0.0.1:${port}`,
      maxAttempts: 2,
      connectTimeoutMs: 1_000,
    });
    const error = await listingError(s3);
    expect(error.message).toContain(`http://127.0.0.1:${port}`);
    expect(error.message).toMatch(/connection refused/);
    expect(error.message).toContain('--endpoint-url');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('when no credentials can be found then the SourceError says how to provide them', async () => {
    isolateAwsEnvironment();
    const fake = await fakeS3(() => ({ status: 500, body: '' }));
    const s3 = new S3Source('s3://trail-archive/', { endpointUrl: fake.endpoint, maxAttempts: 1 });
    sources.push(s3);
    const error = await listingError(s3);
    expect(error.message).toBe('no AWS credentials found: set AWS_PROFILE, --profile, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY');
    expect(fake.requests).toEqual([]);
  });

  it('when the root listing is denied then it throws, and when a sub-folder is denied then it is reported and the walk goes on', async () => {
    const denied = { status: 403, body: errorXml('AccessDenied', 'Access Denied') };
    const fake = await fakeS3((request) => {
      if (request.bucket !== 'trail-archive') return denied;
      if (request.prefix === 'locked/') return denied;
      if (request.prefix === '') return { status: 200, body: listXml('', [], ['locked/', 'open/']) };
      if (request.prefix === 'open/') return { status: 200, body: listXml('open/', [{ key: 'open/a.json', size: 2 }], []) };
      return { status: 404, body: errorXml('NoSuchKey', 'nope') };
    });

    const rootDenied = await listingError(source('s3://other-bucket/', { endpointUrl: fake.endpoint, maxAttempts: 1 }));
    expect(rootDenied.message).toBe(
      "access denied to s3://other-bucket: check the credentials' s3:ListBucket / s3:GetObject permissions",
    );

    const { objects, unreadable } = await collect(source('s3://trail-archive', { endpointUrl: fake.endpoint, maxAttempts: 1 }));
    expect(objects.map((object) => object.uri)).toEqual(['s3://trail-archive/open/a.json']);
    expect(unreadable).toEqual([
      ['s3://trail-archive/locked/', "access denied: check the credentials' s3:ListBucket / s3:GetObject permissions"],
    ]);
  });

  it('when the body stops short of the listed size then open() fails saying it was truncated', async () => {
    let gets = 0;
    const fake = await fakeS3((request) => {
      if (request.method === 'GET' && request.key === '') {
        return { status: 200, body: listXml('', [{ key: 'short.json.gz', size: 100 }], []) };
      }
      gets += 1;
      return { status: 200, body: Buffer.alloc(40, 1), contentLength: 100 };
    });
    const s3 = source('s3://trail-archive/', { endpointUrl: fake.endpoint, maxAttempts: 1 });
    const [object] = (await collect(s3)).objects;
    await expect(object!.open()).rejects.toThrow(/truncated body from s3:\/\/trail-archive\/short\.json\.gz: received 40 of 100 bytes/);
    await expect(object!.open()).rejects.toBeInstanceOf(SourceError);
    expect(gets).toBeGreaterThanOrEqual(2);
    expect(s3.stats.objectsFetched).toBe(0);
  });

  it('when the object changed since it was listed then open() fails saying so instead of parsing it', async () => {
    const fake = await fakeS3((request) => {
      if (request.method === 'GET' && request.key === '') {
        return { status: 200, body: listXml('', [{ key: 'resized.json.gz', size: 100 }, { key: 'rewritten.json.gz', size: 60 }], []) };
      }
      return { status: 200, body: Buffer.alloc(60, 1), etag: 'ffffffffffffffffffffffffffffffff' };
    });
    const s3 = source('s3://trail-archive/', { endpointUrl: fake.endpoint, maxAttempts: 1 });
    const [resized, rewritten] = (await collect(s3)).objects;
    await expect(resized!.open()).rejects.toThrow(/resized\.json\.gz changed since it was listed \(listed 100 bytes, now 60\)/);
    await expect(rewritten!.open()).rejects.toThrow(
      /rewritten\.json\.gz changed since it was listed \(ETag 0123456789abcdef0123456789abcdef, now ffffffffffffffffffffffffffffffff\)/,
    );
    expect(s3.stats.objectsFetched).toBe(0);
  });
});

// ---- a scriptable S3 look-alike for failures s3rver cannot produce ----

interface FakeRequest {
  method: string;
  bucket: string;
  key: string;
  prefix: string | null;
}

interface FakeReply {
  status: number;
  body: string | Buffer;
  /** Announce this many bytes, send `body`, then cut the connection. */
  contentLength?: number;
  etag?: string;
}

async function fakeS3(handler: (request: FakeRequest) => FakeReply): Promise<{ endpoint: string; requests: FakeRequest[] }> {
  const requests: FakeRequest[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [bucket = '', ...rest] = url.pathname.slice(1).split('/');
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      bucket: decodeURIComponent(bucket),
      key: decodeURIComponent(rest.join('/')),
      prefix: url.searchParams.has('list-type') ? (url.searchParams.get('prefix') ?? '') : null,
    };
    requests.push(request);
    req.resume();
    const reply = handler(request);
    const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
    res.writeHead(reply.status, {
      'content-type': typeof reply.body === 'string' ? 'application/xml' : 'application/octet-stream',
      'content-length': String(reply.contentLength ?? body.length),
      ...(reply.etag ? { etag: `"${reply.etag}"` } : {}),
    });
    if (reply.contentLength !== undefined && reply.contentLength > body.length) {
      res.write(body, () => setTimeout(() => res.destroy(), 20));
    } else {
      res.end(body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

function listXml(prefix: string, objects: Array<{ key: string; size: number }>, folders: string[]): string {
  const contents = objects
    .map(
      (object) =>
        `<Contents><Key>${object.key}</Key><LastModified>2026-03-05T00:00:00.000Z</LastModified>` +
        `<ETag>&quot;0123456789abcdef0123456789abcdef&quot;</ETag><Size>${object.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    )
    .join('');
  const common = folders.map((folder) => `<CommonPrefixes><Prefix>${folder}</Prefix></CommonPrefixes>`).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `<Name>trail-archive</Name><Prefix>${prefix}</Prefix><KeyCount>${objects.length + folders.length}</KeyCount>` +
    `<MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>false</IsTruncated>${contents}${common}</ListBucketResult>`
  );
}

function errorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>TEST</RequestId></Error>`;
}
