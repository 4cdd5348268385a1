/**
 * A CloudTrail digest file (log file integrity validation) read into plain fields. Every
 * value is attacker-controlled text: nothing here is trusted, it is only kept so that
 * verification (custody/verify.ts) can compare it with what was ingested.
 */
import { asObject, type JsonObject, own } from './json-access.js';

export interface DigestLogFile {
  s3Bucket: string | null;
  s3Object: string | null;
  hashValue: string | null;
  hashAlgorithm: string | null;
  oldestEventTime: string | null;
  newestEventTime: string | null;
}

export interface DigestFile {
  awsAccountId: string | null;
  digestStartTime: string | null;
  digestEndTime: string | null;
  digestS3Bucket: string | null;
  digestS3Object: string | null;
  digestPublicKeyFingerprint: string | null;
  digestSignatureAlgorithm: string | null;
  newestEventTime: string | null;
  oldestEventTime: string | null;
  previousDigestS3Bucket: string | null;
  previousDigestS3Object: string | null;
  previousDigestHashValue: string | null;
  previousDigestHashAlgorithm: string | null;
  previousDigestSignature: string | null;
  logFiles: DigestLogFile[];
}

const DIGEST_FIELDS = [
  'awsAccountId',
  'digestStartTime',
  'digestEndTime',
  'digestS3Bucket',
  'digestS3Object',
  'digestPublicKeyFingerprint',
  'digestSignatureAlgorithm',
  'newestEventTime',
  'oldestEventTime',
  'previousDigestS3Bucket',
  'previousDigestS3Object',
  'previousDigestHashValue',
  'previousDigestHashAlgorithm',
  'previousDigestSignature',
] as const satisfies ReadonlyArray<keyof DigestFile>;

const LOG_FILE_FIELDS = ['s3Bucket', 's3Object', 'hashValue', 'hashAlgorithm', 'oldestEventTime', 'newestEventTime'] as const satisfies ReadonlyArray<
  keyof DigestLogFile
>;

/** Only strings count: a number or object where text belongs is as good as absent (and will fail verification). */
const textField = (object: JsonObject, key: string): string | null => {
  const value = own(object, key);
  return typeof value === 'string' ? value : null;
};

/** The digest's fields, or why the value is not a digest. */
export function readDigest(value: unknown): DigestFile | { error: string } {
  const object = asObject(value);
  if (!object) return { error: 'a digest file must be one JSON object' };
  const listed = own(object, 'logFiles');
  if (!Array.isArray(listed)) return { error: 'digest file without a logFiles array' };
  const digest = { logFiles: [] } as unknown as DigestFile;
  for (const field of DIGEST_FIELDS) digest[field] = textField(object, field);
  for (const entry of listed) {
    const item = asObject(entry) ?? {};
    const logFile = {} as DigestLogFile;
    for (const field of LOG_FILE_FIELDS) logFile[field] = textField(item, field);
    digest.logFiles.push(logFile);
  }
  return digest;
}

export interface DigestChainKey {
  accountId: string;
  region: string;
  trailName: string;
}

/**
 * The chain a digest belongs to, from its file name:
 * `<account>_CloudTrail-Digest_<region>_<trail>_<home-region>_<YYYYMMDDTHHMMSSZ>[_backfill].json.gz`.
 * Trail names may hold underscores, regions never do, so the trail is whatever lies between.
 */
export function digestChainOf(path: string): DigestChainKey | null {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const match = /^(\d{12})_CloudTrail-Digest_([a-z0-9-]+)_(.+)_([a-z0-9-]+)_(\d{8}T\d{6}Z)(?:_backfill)?\.json(?:\.gz)?$/.exec(name);
  if (!match) return null;
  return { accountId: match[1]!, region: match[2]!, trailName: match[3]! };
}

/**
 * The part of a location from `AWSLogs/` on: how a local copy, an archive member and an S3
 * object are matched with the objects a digest names. The last `AWSLogs/` counts, so a
 * case folder that is itself called AWSLogs does not shift it.
 */
export function awsLogsKey(location: string): string | null {
  const at = location.lastIndexOf('AWSLogs/');
  if (at < 0 || (at > 0 && location[at - 1] !== '/')) return null;
  return location.slice(at);
}
