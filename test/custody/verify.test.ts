/**
 * `trailsift verify` against real signed archives (test/support/signed-archive.ts), each
 * case altered the way an attacker or an accident would, ingested from a folder and from S3
 * (s3rver, digests carrying their signature as x-amz-meta-signature).
 */
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifyReport } from '../../src/custody/verify.js';
import { ingest } from '../../src/ingest/ingest.js';
import { openDatabase } from '../../src/store/database.js';
import { S3Source } from '../../src/sources/s3.js';
import { cli } from '../support/cli.js';
import { writeFile, tempDir } from '../support/cloudtrail.js';
import { freshDatabasePath, ingestLocal } from '../support/database.js';
import { S3RVER_CREDENTIALS, type S3rverHandle, startS3rver } from '../support/s3rver.js';
import {
  ACCOUNT,
  BUCKET,
  type SignedArchive,
  START,
  logFileKey,
  logRecords,
  signedArchive,
  testKey,
  writeKeyList,
} from '../support/signed-archive.js';

interface Verdict {
  code: number;
  report: VerifyReport;
}

async function verify(dbPath: string, keysDir: string | null): Promise<Verdict> {
  const result = await cli(['verify', '--db', dbPath, '--format', 'json', ...(keysDir ? ['--public-keys', keysDir] : [])]);
  expect(result.stderr).toBe('');
  return { code: result.code, report: JSON.parse(result.stdout) as VerifyReport };
}

async function verifyLocal(archive: SignedArchive, keysDir: string | null = archive.keysDir): Promise<Verdict> {
  const dbPath = freshDatabasePath();
  const { summary } = await ingestLocal(dbPath, [archive.root]);
  expect(summary.errors).toBe(0);
  return verify(dbPath, keysDir);
}

const failing = (verdict: Verdict): string[] => [...new Set(verdict.report.problems.filter((entry) => entry.fails).map((entry) => entry.kind))].sort();
const kinds = (verdict: Verdict): string[] => [...new Set(verdict.report.problems.map((entry) => entry.kind))].sort();

/** Rewrites a gzip file's inflated text. */
function editGzip(path: string, edit: (text: string) => string): void {
  const text = gunzipSync(readFileSync(path)).toString('utf8');
  const edited = edit(text);
  expect(edited).not.toBe(text);
  writeFileSync(path, gzipSync(Buffer.from(edited, 'utf8')));
}

/** Each case alters a fresh archive; the same alteration is then checked from a folder and from S3. */
interface Case {
  name: string;
  options?: Parameters<typeof signedArchive>[0];
  alter?: (archive: SignedArchive) => void;
  keys?: (archive: SignedArchive) => string | null;
  exit: 0 | 3;
  failing: string[];
  check?: (verdict: Verdict, archive: SignedArchive) => void;
}

const CASES: Case[] = [
  {
    name: 'all is valid',
    exit: 0,
    failing: [],
    check: ({ report }) => {
      expect(report.chains).toHaveLength(1);
      expect(report.chains[0]).toMatchObject({ accountId: ACCOUNT, trailName: 'custody-trail', digests: 6, logFiles: 6 });
      expect(report.logFiles.map((file) => file.state).filter((state) => state === 'unlisted' || state === 'modified')).toEqual([]);
      expect(report.passed).toBe(true);
    },
  },
  {
    name: 'one log file is edited by one byte',
    alter: (archive) => editGzip(archive.logFiles[2]!.path, (text) => text.replace('DescribeInstances', 'DescribeInstancez')),
    exit: 3,
    failing: ['modified'],
    check: ({ report }, archive) => {
      const modified = report.problems.filter((entry) => entry.kind === 'modified');
      expect(modified.map((entry) => entry.location)).toEqual([archive.logFiles[2]!.path]);
    },
  },
  {
    name: 'one log file is deleted',
    alter: (archive) => rmSync(archive.logFiles[3]!.path),
    exit: 3,
    failing: ['missing'],
    check: ({ report }, archive) => {
      expect(report.problems.filter((entry) => entry.kind === 'missing').map((entry) => entry.location)).toEqual([archive.logFiles[3]!.key]);
    },
  },
  {
    name: 'a log file is injected',
    alter: (archive) => {
      const key = logFileKey(START + 2 * 3_600_000 + 20 * 60_000, 'injected');
      writeFile(archive.root, key, gzipSync(Buffer.from(JSON.stringify({ Records: logRecords(START + 2 * 3_600_000, ['DeleteTrail']) }))));
    },
    exit: 3,
    failing: ['unlisted'],
    check: ({ report }) => {
      const unlisted = report.problems.filter((entry) => entry.kind === 'unlisted');
      expect(unlisted).toHaveLength(1);
      expect(unlisted[0]!.location).toMatch(/_injected\.json\.gz$/);
    },
  },
  {
    name: 'a digest is deleted from the middle of the chain',
    alter: (archive) => rmSync(archive.digests[2]!.path),
    exit: 3,
    // Its log file is then listed by no digest the case holds.
    failing: ['digest-missing', 'unexplained-gap', 'unlisted'],
    check: ({ report }, archive) => {
      expect(report.problems.find((entry) => entry.kind === 'digest-missing')!.location).toBe(archive.digests[2]!.key);
      expect(report.gaps).toHaveLength(1);
      expect(report.gaps[0]).toMatchObject({ cause: 'missing-digest', from: '2026-04-01T02:00:00Z', to: '2026-04-01T03:00:00Z' });
    },
  },
  {
    name: 'a digest is edited',
    alter: (archive) => editGzip(archive.digests[1]!.path, (text) => text.replace('"oldestEventTime":"2026-04-01T01:05:00Z"', '"oldestEventTime":"2026-04-01T01:04:00Z"')),
    exit: 3,
    failing: ['bad-signature', 'digest-modified'],
    check: ({ report }, archive) => {
      expect(report.problems.find((entry) => entry.kind === 'digest-modified')!.location).toBe(archive.digests[1]!.path);
    },
  },
  {
    name: 'a digest is moved to another path',
    alter: (archive) => {
      const digest = archive.digests[3]!;
      const moved = digest.path.replace('_custody-trail_', '_other-trail_');
      renameSync(digest.path, moved);
      digest.path = moved;
      digest.key = relative(archive.root, moved).split(sep).join('/');
    },
    exit: 3,
    failing: ['moved'],
  },
  {
    name: 'the key file holds another key under the digests fingerprint',
    keys: () => writeKeyList(tempDir('trailsift-keys-'), [{ der: testKey(1).publicDer, fingerprint: testKey(0).fingerprint }]),
    exit: 3,
    failing: ['bad-signature'],
  },
  {
    name: 'the key file lacks the digests key',
    keys: () => writeKeyList(tempDir('trailsift-keys-'), [{ der: testKey(1).publicDer, fingerprint: testKey(1).fingerprint }]),
    exit: 3,
    failing: ['unknown-key'],
  },
  {
    name: 'logging stopped two hours with a StopLogging event',
    options: { hours: 7, stopAfterHour: 2, stoppedHours: 2, stopLoggingEvent: true },
    exit: 0,
    failing: [],
    check: ({ report }) => {
      expect(report.gaps).toHaveLength(1);
      expect(report.gaps[0]).toMatchObject({ cause: 'logging-restarted', from: '2026-04-01T03:00:00Z', to: '2026-04-01T05:00:00Z' });
      expect(report.gaps[0]!.explainedBy).toMatchObject({ eventName: 'StopLogging', eventTime: '2026-04-01T02:59:00Z' });
      expect(report.problems.filter((entry) => entry.kind === 'explained-gap')).toHaveLength(1);
    },
  },
  {
    name: 'logging stopped two hours without a StopLogging event',
    options: { hours: 7, stopAfterHour: 2, stoppedHours: 2 },
    exit: 3,
    failing: ['unexplained-gap'],
    check: ({ report }) => {
      expect(report.gaps[0]).toMatchObject({ cause: 'logging-restarted', explainedBy: null });
    },
  },
  {
    name: 'a log file is delivered late (events older than its digest)',
    options: { lateDeliveryHour: 3 },
    exit: 0,
    failing: [],
    check: ({ report }) => {
      const late = report.logFiles.find((file) => file.uri.includes('_h3.json.gz'))!;
      expect(late.oldestEventTime).toBe('2026-04-01T01:00:00Z');
      expect(['verified', 'hash-matched']).toContain(late.state);
    },
  },
];

function prepare(entry: Case): { archive: SignedArchive; keysDir: string | null } {
  const archive = signedArchive(entry.options);
  entry.alter?.(archive);
  return { archive, keysDir: entry.keys ? entry.keys(archive) : archive.keysDir };
}

describe('verify, local copy', () => {
  for (const entry of CASES) {
    it(`when ${entry.name} then verify exits ${entry.exit} with ${entry.failing.join(', ') || 'no failure'}`, async () => {
      const { archive, keysDir } = prepare(entry);
      const verdict = await verifyLocal(archive, keysDir);
      expect(failing(verdict)).toEqual(entry.failing);
      expect(verdict.code).toBe(entry.exit);
      // A copy on disk has no S3 metadata: the newest digest's signature is never checked.
      expect(verdict.report.problems.some((problem) => problem.kind === 'not-checked' && problem.message.includes('S3 metadata'))).toBe(true);
      entry.check?.(verdict, archive);
    });
  }

  it('when no --public-keys is given then hashes and chain are still verified, every signature is not checked, and it exits 0', async () => {
    const archive = signedArchive();
    const verdict = await verifyLocal(archive, null);
    expect(verdict.code).toBe(0);
    expect(kinds(verdict)).toEqual(['not-checked']);
    expect(verdict.report.chains[0]).toMatchObject({ signaturesValid: 0, signaturesNotChecked: 6 });
    expect(verdict.report.logFiles.every((file) => file.state === 'hash-matched')).toBe(true);
  });

  it('when all is valid then every older digest is verified with its successor signature', async () => {
    const verdict = await verifyLocal(signedArchive());
    expect(verdict.report.chains[0]).toMatchObject({ signaturesValid: 5, signaturesNotChecked: 1, logFilesVerified: 5 });
  });

  it('when the key is given as SPKI DER instead of PKCS#1 then signatures verify the same', async () => {
    const archive = signedArchive();
    const { createPublicKey } = await import('node:crypto');
    const spki = createPublicKey({ key: testKey(0).publicDer, format: 'der', type: 'pkcs1' }).export({ type: 'spki', format: 'der' });
    const keysDir = writeKeyList(tempDir('trailsift-keys-'), [{ der: spki, fingerprint: testKey(0).fingerprint }]);
    const verdict = await verifyLocal(archive, keysDir);
    expect(verdict.code).toBe(0);
    expect(verdict.report.chains[0]!.signaturesValid).toBe(5);
  });

  it('when the database is missing or --public-keys holds no key file then verify exits 1 with one line', async () => {
    const archive = signedArchive({ hours: 1 });
    const dbPath = freshDatabasePath();
    await ingestLocal(dbPath, [archive.root]);
    const noKeys = await cli(['verify', '--db', dbPath, '--public-keys', tempDir('trailsift-empty-')]);
    expect(noKeys.code).toBe(1);
    expect(noKeys.stderr).toMatch(/holds no \.json file/);
    const noDb = await cli(['verify', '--db', join(tempDir(), 'absent.db')]);
    expect(noDb.code).toBe(1);
  });

  it('when a log file path carries terminal escapes then the table shows them escaped', async () => {
    const archive = signedArchive({ hours: 1 });
    const key = logFileKey(START + 20 * 60_000, 'evil\u001b[2J');
    writeFile(archive.root, key, gzipSync(Buffer.from(JSON.stringify({ Records: logRecords(START) }))));
    const dbPath = freshDatabasePath();
    await ingestLocal(dbPath, [archive.root]);
    const result = await cli(['verify', '--db', dbPath]);
    expect(result.code).toBe(3);
    expect(result.stdout).not.toContain('\u001b');
    expect(result.stdout).toContain('evil\\x1b[2J');
  });
});

describe('verify, ingested from S3', () => {
  let server: S3rverHandle;
  beforeAll(async () => {
    server = await startS3rver({ bucket: BUCKET });
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** Uploads the case's tree under its own prefix; digests carry their signature as S3 metadata. */
  async function verifyS3(archive: SignedArchive, keysDir: string | null, prefix: string): Promise<Verdict> {
    const signatures = new Map(archive.digests.map((digest) => [digest.key, digest.signature]));
    for (const path of filesUnder(archive.root)) {
      const key = relative(archive.root, path).split(sep).join('/');
      const signature = signatures.get(key);
      await server.put(`${prefix}/${key}`, readFileSync(path), signature ? { signature, 'signature-algorithm': 'SHA256withRSA' } : undefined);
    }
    const dbPath = freshDatabasePath();
    const db = openDatabase(dbPath);
    try {
      const source = new S3Source(`s3://${BUCKET}/${prefix}/AWSLogs/`, { endpointUrl: server.endpoint, credentials: S3RVER_CREDENTIALS, region: 'us-east-1' });
      const summary = await ingest(db, [source], { filter: {} }, { problem: () => undefined });
      expect(summary.errors).toBe(0);
      source.destroy();
    } finally {
      db.close();
    }
    return verify(dbPath, keysDir);
  }

  CASES.forEach((entry, index) => {
    it(`when ${entry.name} then the S3 ingest gives the verdict of the local copy`, async () => {
      const { archive, keysDir } = prepare(entry);
      const local = await verifyLocal(archive, keysDir);
      const remote = await verifyS3(archive, keysDir, `case${index}`);
      expect(failing(remote)).toEqual(failing(local));
      expect(remote.code).toBe(local.code);
      expect(remote.code).toBe(entry.exit);
      if (entry.failing.length === 0) {
        // From S3 the newest digest's signature comes with it: every signature is checked.
        expect(remote.report.chains.every((chain) => chain.signaturesNotChecked === 0)).toBe(true);
        expect(remote.report.problems.some((problem) => problem.kind === 'not-checked')).toBe(false);
      }
    });
  });
});

function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
