/**
 * Ingest from S3 when S3 misbehaves: a seeded share of requests answered 503 SlowDown or
 * cut mid-body (by a proxy of our own in front of s3rver), and the CLI's one-line errors
 * for access denied, a missing bucket, missing credentials and an endpoint nobody serves.
 *
 * What must hold: a body that broke off is never parsed and stored as if it were the whole
 * file; whatever could not be fetched is named in failedObjects and left unrecorded, so one
 * re-run completes the database to exactly what a local ingest of the same archive gives.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ingest, type IngestSummary } from '../../src/ingest/ingest.js';
import { openDatabase } from '../../src/store/database.js';
import { S3Source, type S3SourceOptions } from '../../src/sources/s3.js';
import { tempDir } from '../support/cloudtrail.js';
import { count, freshDatabasePath, withDatabase } from '../support/database.js';
import { type FaultProxy, type FaultProxyOptions, startFaultProxy } from '../support/fault-proxy.js';
import { S3RVER_CREDENTIALS, type S3rverHandle, startS3rver } from '../support/s3rver.js';
import { SCENARIO_ARCHIVE, SCENARIO_EXPECTED, scenarioDatabase } from '../support/scenario.js';

const CLI = resolve(__dirname, '../../dist/cli/main.js');
const BUCKET = 'org-trail-bucket';
const ROOT = `s3://${BUCKET}/AWSLogs/`;
const { logFiles: LOG_FILES, digestFiles: DIGEST_FILES, uniqueEvents: UNIQUE_EVENTS, duplicateRecords: DUPLICATES } = SCENARIO_EXPECTED.counts;

let server: S3rverHandle;
let referenceDb: string;
/** records_seen of every log file in a local ingest of the same archive, by key from AWSLogs/. */
let referenceRecords: Map<string, number>;
/** Every object of the reference ingest, digests included: since issue 17 digests are fetched and parsed too. */
let referenceObjects: Set<string>;
const isDigestUri = (uri: string): boolean => uri.includes('/CloudTrail-Digest/');
const failedLogs = (failed: readonly string[]): string[] => failed.filter((uri) => !isDigestUri(uri));
const proxies: FaultProxy[] = [];

beforeAll(async () => {
  server = await startS3rver({ seedDir: SCENARIO_ARCHIVE, bucket: BUCKET });
  referenceDb = scenarioDatabase();
  referenceRecords = withDatabase(referenceDb, (db) => {
    const rows = db.prepare("SELECT uri, records_seen FROM files WHERE kind != 'digest'").all() as Array<{ uri: string; records_seen: number }>;
    return new Map(rows.map((row) => [keyOf(row.uri), row.records_seen]));
  });
  expect(referenceRecords.size).toBe(LOG_FILES);
  referenceObjects = withDatabase(referenceDb, (db) => new Set((db.prepare('SELECT uri FROM files').pluck().all() as string[]).map(keyOf)));
  expect(referenceObjects.size).toBe(LOG_FILES + DIGEST_FILES);
});

afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});

afterAll(async () => {
  await server?.stop();
});

async function proxy(options: Omit<FaultProxyOptions, 'target'>): Promise<FaultProxy> {
  const started = await startFaultProxy({ target: server.endpoint, ...options });
  proxies.push(started);
  return started;
}

interface Run {
  summary: IngestSummary;
  problems: string[];
  objectsFetched: number;
}

async function ingestS3(dbPath: string, endpointUrl: string, uri = ROOT, options: S3SourceOptions = {}): Promise<Run> {
  const source = new S3Source(uri, { endpointUrl, credentials: S3RVER_CREDENTIALS, region: 'us-east-1', ...options });
  const db = openDatabase(dbPath);
  const problems: string[] = [];
  try {
    const summary = await ingest(db, [source], { filter: {} }, { problem: (line) => problems.push(line) });
    return { summary, problems, objectsFetched: source.stats.objectsFetched };
  } finally {
    db.close();
    source.destroy();
  }
}

/** The part of a local path or s3:// URI from `AWSLogs/` on. */
function keyOf(uri: string): string {
  const at = uri.indexOf('AWSLogs/');
  if (at < 0) throw new Error(`no AWSLogs/ in ${uri}`);
  return uri.slice(at).split('\\').join('/');
}

/**
 * Nothing in the database came from a partial body: every log file marked done holds
 * exactly the records a local parse of the same file finds, every one of them either
 * inserted or a duplicate; no file is left half-claimed; the events match the files.
 */
function expectNothingTruncatedStored(dbPath: string): void {
  withDatabase(dbPath, (db) => {
    const files = db
      .prepare("SELECT uri, status, records_seen, events_inserted, duplicates, rejected, filtered FROM files WHERE kind != 'digest'")
      .all() as Array<{ uri: string; status: string; records_seen: number; events_inserted: number; duplicates: number; rejected: number; filtered: number }>;
    for (const file of files) {
      const expected = referenceRecords.get(keyOf(file.uri));
      expect(expected, `${file.uri} is not in the archive`).toBeDefined();
      expect(file.status, file.uri).toBe('done');
      expect({ uri: file.uri, records: file.records_seen, stored: file.events_inserted + file.duplicates, rejected: file.rejected, filtered: file.filtered }).toEqual({
        uri: file.uri,
        records: expected,
        stored: expected,
        rejected: 0,
        filtered: 0,
      });
    }
    const inserted = files.reduce((sum, file) => sum + file.events_inserted, 0);
    expect(count(db, 'SELECT count(*) FROM event_rows')).toBe(inserted);
    expect(count(db, 'SELECT count(*) FROM event_rows WHERE file_id NOT IN (SELECT file_id FROM files)')).toBe(0);
    expect(db.prepare('PRAGMA integrity_check').pluck().all()).toEqual(['ok']);
  });
}

function eventIds(dbPath: string): string[] {
  return withDatabase(dbPath, (db) => db.prepare('SELECT event_id FROM events ORDER BY event_id').pluck().all() as string[]);
}

function expectComplete(dbPath: string): void {
  expectNothingTruncatedStored(dbPath);
  withDatabase(dbPath, (db) => {
    expect(count(db, 'SELECT count(*) FROM events')).toBe(UNIQUE_EVENTS);
    expect(count(db, "SELECT count(*) FROM files WHERE kind != 'digest' AND status = 'done'")).toBe(LOG_FILES);
    expect(count(db, "SELECT count(*) FROM files WHERE kind = 'digest'")).toBe(DIGEST_FILES);
  });
  expect(eventIds(dbPath)).toEqual(eventIds(referenceDb));
}

/** A run that failed some objects names each of them, as a problem and in failedObjects, and records none. */
function expectFailuresNamed(dbPath: string, run: Run): void {
  const { failedObjects } = run.summary;
  expect(new Set(failedObjects).size).toBe(failedObjects.length);
  for (const uri of failedObjects) {
    expect(uri.startsWith(ROOT), uri).toBe(true);
    expect(referenceObjects.has(keyOf(uri)), uri).toBe(true);
    expect(run.problems.some((line) => line.startsWith(`error: ${uri}: `) && line.includes('a re-run retries it')), uri).toBe(true);
  }
  withDatabase(dbPath, (db) => {
    for (const uri of failedObjects) expect(count(db, 'SELECT count(*) FROM files WHERE uri = ?', uri), uri).toBe(0);
    expect(count(db, 'SELECT count(*) FROM events')).toBe(run.summary.eventsInserted);
  });
  // Nothing else went wrong: each error is one of the named objects.
  expect(run.summary.errors).toBe(failedObjects.length);
}

describe('ingest from S3 through a faulty network', () => {
  it('when 20% of requests get 503 SlowDown or a cut body then ingest completes or names what failed, and one re-run completes to the exact counts', async () => {
    const faulty = await proxy({ rate: 0.2, seed: 'trailsift-s3-faults' });
    const dbPath = freshDatabasePath();

    const first = await ingestS3(dbPath, faulty.endpoint);
    const afterFirst = { ...faulty.counts };
    // The seed makes the draw reproducible; this one hits both listings and objects with both faults.
    expect(afterFirst.slowDowns).toBeGreaterThan(0);
    expect(afterFirst.cuts).toBeGreaterThan(0);
    for (const kind of ['slowdown', 'cut'] as const) {
      expect(faulty.faults.some((fault) => fault.fault === kind && fault.key === ''), `a listing got ${kind}`).toBe(true);
      expect(faulty.faults.some((fault) => fault.fault === kind && fault.key !== ''), `a GetObject got ${kind}`).toBe(true);
    }
    expect((afterFirst.slowDowns + afterFirst.cuts) / afterFirst.requests).toBeGreaterThan(0.1);
    expect((afterFirst.slowDowns + afterFirst.cuts) / afterFirst.requests).toBeLessThan(0.3);
    expect(first.summary.digestFiles).toBe(DIGEST_FILES);
    if (first.summary.failedObjects.length === 0) {
      expect(first.summary).toMatchObject({ eventsInserted: UNIQUE_EVENTS, duplicates: DUPLICATES, errors: 0, filesIngested: LOG_FILES });
    } else {
      expectFailuresNamed(dbPath, first);
    }
    expectNothingTruncatedStored(dbPath);

    // One re-run finishes the job. It goes through a clean proxy: the faulty listings were
    // covered above, and S3's throttling back-off on a sequential folder walk costs seconds.
    const clean = await proxy({ rate: 0 });
    const second = await ingestS3(dbPath, clean.endpoint);
    expect(clean.counts.getObjects).toBe(first.summary.failedObjects.length);
    expect(second.summary).toMatchObject({ errors: 0, failedObjects: [], filesSkipped: LOG_FILES - failedLogs(first.summary.failedObjects).length });
    expect(second.summary.filesIngested).toBe(failedLogs(first.summary.failedObjects).length);
    expect(first.summary.eventsInserted + second.summary.eventsInserted).toBe(UNIQUE_EVENTS);
    expect(first.summary.duplicates + second.summary.duplicates).toBe(DUPLICATES);
    expectComplete(dbPath);
  });

  it('when the SDK may not retry and 20% of GetObjects get 503 then exactly those objects are named failed, not recorded, and a re-run fetches only them', async () => {
    const faulty = await proxy({ rate: 0.2, seed: 'no-retries', getObjectOnly: true, faults: ['slowdown'] });
    const dbPath = freshDatabasePath();

    const first = await ingestS3(dbPath, faulty.endpoint, ROOT, { maxAttempts: 1 });
    expect(faulty.counts.listings).toBeGreaterThan(0);
    expect(faulty.counts.getObjects).toBe(LOG_FILES + DIGEST_FILES);
    expect(faulty.counts.slowDowns).toBeGreaterThan((LOG_FILES + DIGEST_FILES) * 0.1);
    const refused = faulty.faults.map((fault) => `s3://${fault.bucket}/${fault.key}`).sort();
    expect([...first.summary.failedObjects].sort()).toEqual(refused);
    expectFailuresNamed(dbPath, first);
    for (const uri of refused) {
      expect(first.problems).toContain(
        `error: ${uri}: ${uri}: S3 kept failing (HTTP 503 SlowDown) after 1 attempts: try again later (not ingested; a re-run retries it)`,
      );
    }
    const refusedLogs = failedLogs(refused).length;
    expect(first.summary.filesIngested).toBe(LOG_FILES - refusedLogs);
    expectNothingTruncatedStored(dbPath);

    const second = await ingestS3(dbPath, server.endpoint);
    expect(second.objectsFetched).toBe(refused.length);
    expect(second.summary).toMatchObject({ errors: 0, failedObjects: [], filesIngested: refusedLogs, filesSkipped: LOG_FILES - refusedLogs });
    expect(first.summary.eventsInserted + second.summary.eventsInserted).toBe(UNIQUE_EVENTS);
    expect(first.summary.duplicates + second.summary.duplicates).toBe(DUPLICATES);
    expectComplete(dbPath);
  });

  it('when every GetObject body is cut short then no object is parsed, each is named with its byte counts, and nothing is recorded, digests included', async () => {
    const cutter = await proxy({ rate: 1, seed: 'always-cut', getObjectOnly: true, faults: ['cut'] });
    const dbPath = freshDatabasePath();
    const account = `${ROOT}o-a1b2c3d4e5/111111111111/`;

    const run = await ingestS3(dbPath, cutter.endpoint, account);
    const listed = [...referenceObjects].filter((key) => `s3://${BUCKET}/${key}`.startsWith(account) && /\/CloudTrail(-Digest)?\//.test(key));
    expect(listed.length).toBeGreaterThan(0);
    expect([...run.summary.failedObjects].sort()).toEqual(listed.map((key) => `s3://${BUCKET}/${key}`).sort());
    expect(run.summary).toMatchObject({ eventsInserted: 0, recordsSeen: 0, filesIngested: 0 });
    expect(run.objectsFetched).toBe(0);
    // Each object is asked for again after its body broke off, up to the source's limit.
    expect(cutter.counts.cuts).toBe(cutter.counts.getObjects);
    expect(cutter.counts.getObjects).toBeGreaterThanOrEqual(listed.length * 2);
    expectFailuresNamed(dbPath, run);
    for (const uri of run.summary.failedObjects) {
      const line = run.problems.find((problem) => problem.startsWith(`error: ${uri}: `)) ?? '';
      expect(line).toMatch(/: truncated body from s3:\/\/\S+: received \d+ of \d+ bytes on the last of \d+ attempts/);
      expect(line).toContain('not parsed');
    }
    withDatabase(dbPath, (db) => {
      expect(count(db, 'SELECT count(*) FROM events')).toBe(0);
      expect(count(db, 'SELECT count(*) FROM files')).toBe(0);
      expect(db.prepare('PRAGMA integrity_check').pluck().all()).toEqual(['ok']);
    });
  });
});

// ---- the CLI's one-line errors ----

interface Spawned {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

const CLI_PATIENCE_MS = 15_000;

/** Runs the built CLI without blocking this process (the proxy answers from here). */
function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<Spawned> {
  return new Promise((resolvePromise, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // Past the patience limit the CLI is hanging; kill it so the assertion can say so.
    const timer = setTimeout(() => child.kill('SIGKILL'), CLI_PATIENCE_MS + 5_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolvePromise({ status, signal, stdout, stderr, elapsedMs: Date.now() - started });
    });
  });
}

/** No AWS settings from the machine running the tests: an empty HOME, empty config files, no IMDS. */
function isolatedEnv(credentials: boolean): NodeJS.ProcessEnv {
  const home = tempDir('trailsift-home-');
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('AWS_') && name !== 'NODE_OPTIONS' && name !== 'TRAILSIFT_DB') env[name] = value;
  }
  writeFileSync(join(home, 'credentials'), '');
  writeFileSync(join(home, 'config'), '');
  Object.assign(env, {
    HOME: home,
    USERPROFILE: home,
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_REGION: 'us-east-1',
  });
  if (credentials) Object.assign(env, { AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey });
  return env;
}

/** Exit 1, nothing on stdout, and one `trailsift: ` line on stderr with no stack trace. */
function expectOneLineFailure(result: Spawned): string {
  expect(result.signal, `the CLI was killed after ${result.elapsedMs} ms: it hung`).toBeNull();
  expect(result.elapsedMs, 'the CLI took too long to give up').toBeLessThan(CLI_PATIENCE_MS);
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  expect(lines, result.stderr).toHaveLength(1);
  const line = lines[0]!;
  expect(line.startsWith('trailsift: '), line).toBe(true);
  expect(line).not.toMatch(/internal error|\bat .+:\d+:\d+|Error:/);
  expect(result.stdout).toBe('');
  expect(result.status).toBe(1);
  return line;
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolvePromise) => probe.listen(0, '127.0.0.1', resolvePromise));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolvePromise) => probe.close(() => resolvePromise()));
  return port;
}

describe('CLI ingest from S3 when it cannot start', () => {
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  });

  it('when the listing is denied, the bucket does not exist, there are no credentials or nothing listens at the endpoint then each exits 1 within seconds with one line saying what to check', async () => {
    const denying = await proxy({ rate: 0, deny: (request) => request.listing });
    const port = await closedPort();
    const ingestArgs = (uri: string, endpoint: string): string[] => ['ingest', uri, '--endpoint-url', endpoint, '--db', freshDatabasePath(), '--format', 'json'];

    const [denied, noBucket, noCredentials, nobodyListening] = await Promise.all([
      runCli(ingestArgs(ROOT, denying.endpoint), isolatedEnv(true)),
      runCli(ingestArgs('s3://no-such-trail-bucket/AWSLogs/', server.endpoint), isolatedEnv(true)),
      runCli(ingestArgs(ROOT, server.endpoint), isolatedEnv(false)),
      runCli(ingestArgs(ROOT, `http://127.0.0.1:${port}`), isolatedEnv(true)),
    ]);

    expect(denying.counts.denied).toBeGreaterThan(0);
    expect(expectOneLineFailure(denied)).toBe(
      `trailsift: access denied to ${ROOT}: check the credentials' s3:ListBucket / s3:GetObject permissions`,
    );
    expect(expectOneLineFailure(noBucket)).toBe(
      `trailsift: no such bucket s3://no-such-trail-bucket: check the bucket name and the endpoint ${server.endpoint}`,
    );
    const credentialsLine = expectOneLineFailure(noCredentials);
    expect(credentialsLine).toMatch(/^trailsift: no AWS credentials found\b/);
    expect(credentialsLine).toContain('AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY');
    expect(credentialsLine).toContain('--profile');
    expect(expectOneLineFailure(nobodyListening)).toBe(
      `trailsift: cannot reach the S3 endpoint http://127.0.0.1:${port} (connection refused): check --endpoint-url and that the service is running [${ROOT}]`,
    );
  });
});

describe('CLI ingest from S3 when a sub-folder cannot be listed', () => {
  const lockedFolder = 'AWSLogs/o-a1b2c3d4e5/222222222222/';
  let result: Promise<{ run: Spawned; denied: number }> | undefined;
  /** One CLI ingest of the whole bucket with one account's folder denied, shared by the tests below. */
  const ingestWithLockedFolder = (): Promise<{ run: Spawned; denied: number }> =>
    (result ??= (async () => {
      const denying = await proxy({ rate: 0, deny: (request) => request.listing && request.prefix === lockedFolder });
      const run = await runCli(['ingest', ROOT, '--endpoint-url', denying.endpoint, '--db', freshDatabasePath(), '--format', 'json'], isolatedEnv(true));
      return { run, denied: denying.counts.denied };
    })());

  it('when one account folder is denied then that folder is named on stderr and the rest of the bucket is ingested', async () => {
    const { run, denied } = await ingestWithLockedFolder();
    expect(denied).toBe(1);
    expect(run.stderr).toContain(`error: s3://${BUCKET}/${lockedFolder}: cannot list: access denied`);
    const summary = JSON.parse(run.stdout) as IngestSummary;
    expect(summary.eventsInserted).toBeGreaterThan(0);
    expect(summary.eventsInserted).toBeLessThan(UNIQUE_EVENTS);
    expect(summary.errors).toBe(1);
  });

  // KNOWN BUG (src/ingest/ingest.ts + src/cli/commands/ingest.ts, outside this test's brief):
  // a folder whose listing failed (access denied, or 503/ECONNRESET after every SDK retry)
  // is reported as an error but is not in failedObjects, so the CLI exits 0 and never says
  // "run the same command again", although every object under it is missing. README says an
  // ingest whose objects could not be fetched ends 3. Remove `.fails` once that is fixed.
  it('when one account folder is denied then the CLI exits 3 (incomplete), not 0', async () => {
    const { run } = await ingestWithLockedFolder();
    expect(run.status).toBe(3);
  });
});
