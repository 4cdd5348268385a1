/** Small CloudTrail records and archive trees, built in code for tests. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

let sequence = 0;

export function eventId(n?: number): string {
  const value = n ?? (sequence += 1);
  return `00000000-0000-4000-8000-${value.toString(16).padStart(12, '0')}`;
}

export type RecordShape = Record<string, unknown>;

/** A plausible IAMUser API call; override any field. */
export function record(overrides: RecordShape = {}): RecordShape {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE000000001',
      arn: 'arn:aws:iam::111111111111:user/alice',
      accountId: '111111111111',
      accessKeyId: 'AKIAEXAMPLE000000001',
      userName: 'alice',
    },
    eventTime: '2026-03-05T10:00:00Z',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.10',
    userAgent: 'aws-cli/2.15.0 Python/3.11.6',
    requestParameters: null,
    responseElements: null,
    requestID: `req-${eventId()}`,
    eventID: eventId(),
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111111111111',
    ...overrides,
  };
}

export function tempDir(prefix = 'trailsift-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeFile(root: string, relative: string, content: string | Buffer): string {
  const path = join(root, relative);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

export function recordsFile(records: RecordShape[]): Buffer {
  return gzipSync(Buffer.from(JSON.stringify({ Records: records })));
}

/** S3 delivery key for a log file: AWSLogs/[org/]account/CloudTrail/region/YYYY/MM/DD/name. */
export function logKey(options: { account: string; region: string; day: string; suffix: string; org?: string }): string {
  const [year, month, date] = options.day.split('-');
  const stamp = `${year}${month}${date}T0000Z`;
  const orgPart = options.org ? `${options.org}/` : '';
  return `AWSLogs/${orgPart}${options.account}/CloudTrail/${options.region}/${year}/${month}/${date}/${options.account}_CloudTrail_${options.region}_${stamp}_${options.suffix}.json.gz`;
}

export function digestKey(options: { account: string; region: string; day: string; org?: string }): string {
  const [year, month, date] = options.day.split('-');
  const orgPart = options.org ? `${options.org}/` : '';
  return `AWSLogs/${orgPart}${options.account}/CloudTrail-Digest/${options.region}/${year}/${month}/${date}/${options.account}_CloudTrail-Digest_${options.region}_trail_us-east-1_${year}${month}${date}T010000Z.json.gz`;
}

export function digestFile(): Buffer {
  return gzipSync(
    Buffer.from(
      JSON.stringify({
        awsAccountId: '111111111111',
        digestStartTime: '2026-03-05T00:00:00Z',
        digestEndTime: '2026-03-05T01:00:00Z',
        digestS3Bucket: 'trail-bucket',
        digestS3Object: 'x',
        previousDigestS3Bucket: null,
        previousDigestS3Object: null,
        previousDigestHashValue: null,
        previousDigestHashAlgorithm: null,
        previousDigestSignature: null,
        logFiles: [],
      }),
    ),
  );
}
