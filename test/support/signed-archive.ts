/**
 * A real signed CloudTrail archive, made in code with node:crypto: hourly log files, hourly
 * digests chained by previousDigestHashValue/previousDigestSignature and signed
 * (SHA256withRSA over CloudTrail's signed string) with a test RSA key, and the matching
 * `aws cloudtrail list-public-keys --output json` file. Fingerprint: hex MD5 of the key's DER
 * (the format AWS shows; it only has to equal what the digests name).
 */
import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { eventId, record, type RecordShape, tempDir, writeFile } from './cloudtrail.js';

export const ACCOUNT = '111111111111';
export const REGION = 'us-east-1';
export const TRAIL = 'custody-trail';
export const BUCKET = 'custody-bucket';
const HOUR_MS = 3_600_000;

interface KeyPair {
  privateKey: KeyObject;
  publicDer: Buffer;
  fingerprint: string;
}

let cachedKeys: KeyPair[] = [];
/** RSA keys are slow to make: a few per test file, reused. */
export function testKey(index = 0): KeyPair {
  while (cachedKeys.length <= index) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicDer = publicKey.export({ type: 'pkcs1', format: 'der' });
    cachedKeys = [...cachedKeys, { privateKey, publicDer, fingerprint: createHash('md5').update(publicDer).digest('hex') }];
  }
  return cachedKeys[index]!;
}

export interface ArchiveOptions {
  /** Hours of logging from START. */
  hours?: number;
  /** Logging stopped after this hour (0-based, its digest is the final one) for `stoppedHours` hours, then a new chain. */
  stopAfterHour?: number;
  stoppedHours?: number;
  /** A StopLogging record in the last log file before the stop. */
  stopLoggingEvent?: boolean;
  /** One log file delivered in this hour holds events two hours older than the digest that lists it. */
  lateDeliveryHour?: number;
  /** More records for the log file of an hour (a deletion to investigate, say). */
  extraRecords?: (hour: number, eventsAtMs: number) => RecordShape[];
}

export interface ArchivedDigest {
  key: string;
  path: string;
  /** Hex SHA256withRSA signature, as S3 metadata x-amz-meta-signature holds it. */
  signature: string;
}

export interface SignedArchive {
  /** The folder holding AWSLogs/. */
  root: string;
  keysDir: string;
  logFiles: Array<{ key: string; path: string }>;
  digests: ArchivedDigest[];
}

export const START = Date.parse('2026-04-01T00:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const compact = (ms: number, seconds: boolean): string => iso(ms).replace(/[-:]/g, '').slice(0, seconds ? 15 : 13) + 'Z';
const datePath = (ms: number): string => iso(ms).slice(0, 10).replace(/-/g, '/');

export function logFileKey(deliveredMs: number, suffix: string): string {
  return `AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/${datePath(deliveredMs)}/${ACCOUNT}_CloudTrail_${REGION}_${compact(deliveredMs, false)}_${suffix}.json.gz`;
}

export function digestFileKey(endMs: number): string {
  return `AWSLogs/${ACCOUNT}/CloudTrail-Digest/${REGION}/${datePath(endMs)}/${ACCOUNT}_CloudTrail-Digest_${REGION}_${TRAIL}_${REGION}_${compact(endMs, true)}.json.gz`;
}

export function logRecords(atMs: number, names: string[] = ['DescribeInstances', 'ListRoles']): RecordShape[] {
  return names.map((name, index) => record({ eventTime: iso(atMs + index * 1000), eventName: name, eventID: eventId() }));
}

export function writeKeyList(directory: string, entries: Array<{ der: Buffer; fingerprint: string }>): string {
  const list = {
    PublicKeyList: entries.map((entry) => ({
      Value: entry.der.toString('base64'),
      ValidityStartTime: START / 1000 - 86_400,
      ValidityEndTime: START / 1000 + 30 * 86_400,
      Fingerprint: entry.fingerprint,
    })),
  };
  writeFile(directory, `${REGION}.json`, JSON.stringify(list, null, 2));
  return directory;
}

export function signedArchive(options: ArchiveOptions = {}): SignedArchive {
  const hours = options.hours ?? 6;
  const key = testKey();
  const root = tempDir('trailsift-signed-');
  const keysDir = writeKeyList(tempDir('trailsift-keys-'), [{ der: key.publicDer, fingerprint: key.fingerprint }]);
  const logFiles: SignedArchive['logFiles'] = [];
  const digests: ArchivedDigest[] = [];
  type Link = { key: string; body: Buffer; signature: string };
  let previous = null as Link | null;
  const stopped = (hour: number): boolean =>
    options.stopAfterHour !== undefined && hour > options.stopAfterHour && hour <= options.stopAfterHour + (options.stoppedHours ?? 2);

  for (let hour = 0; hour < hours; hour += 1) {
    if (stopped(hour)) {
      // Logging is off: no log file and no digest; the next digest starts a new chain.
      previous = null;
      continue;
    }
    const start = START + hour * HOUR_MS;
    const end = start + HOUR_MS;
    const delivered = start + 10 * 60_000;
    const eventsAt = options.lateDeliveryHour === hour ? start - 2 * HOUR_MS : start + 5 * 60_000;
    const records = [...logRecords(eventsAt), ...(options.extraRecords?.(hour, eventsAt) ?? [])];
    if (options.stopLoggingEvent && hour === options.stopAfterHour) {
      records.push(
        record({
          eventTime: iso(end - 60_000),
          eventSource: 'cloudtrail.amazonaws.com',
          eventName: 'StopLogging',
          requestParameters: { name: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/${TRAIL}` },
          readOnly: false,
          eventID: eventId(),
        }),
      );
    }
    const content = Buffer.from(JSON.stringify({ Records: records }));
    const logKey = logFileKey(delivered, `h${hour}`);
    logFiles.push({ key: logKey, path: writeFile(root, logKey, gzipSync(content)) });
    const times = records.map((entry) => entry.eventTime as string).sort();

    const digestKey = digestFileKey(end);
    const link: Link | null = previous;
    const digest: Record<string, unknown> = {
      awsAccountId: ACCOUNT,
      digestStartTime: iso(start),
      digestEndTime: iso(end),
      digestS3Bucket: BUCKET,
      digestS3Object: digestKey,
      digestPublicKeyFingerprint: key.fingerprint,
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: times.at(-1),
      oldestEventTime: times[0],
      previousDigestS3Bucket: link ? BUCKET : null,
      previousDigestS3Object: link?.key ?? null,
      previousDigestHashValue: link ? sha256(link.body) : null,
      previousDigestHashAlgorithm: link ? 'SHA-256' : null,
      previousDigestSignature: link?.signature ?? null,
      logFiles: [
        {
          s3Bucket: BUCKET,
          s3Object: logKey,
          hashValue: sha256(content),
          hashAlgorithm: 'SHA-256',
          newestEventTime: times.at(-1),
          oldestEventTime: times[0],
        },
      ],
    };
    const body: Buffer = Buffer.from(JSON.stringify(digest));
    const signed = `${iso(end)}\n${BUCKET}/${digestKey}\n${sha256(body)}\n${link?.signature ?? 'null'}`;
    const signature: string = sign('sha256', Buffer.from(signed, 'utf8'), key.privateKey).toString('hex');
    digests.push({ key: digestKey, path: writeFile(root, digestKey, gzipSync(body)), signature });
    previous = { key: digestKey, body, signature };
  }
  return { root, keysDir, logFiles, digests };
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function archivePath(archive: SignedArchive, key: string): string {
  return join(archive.root, key);
}
