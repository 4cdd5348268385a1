// A reproducible CloudTrail corpus in the S3 layout: mostly Describe/Get/List calls,
// AssumeRole, KMS, some errors; records of 1–2 KB; files of a few hundred records like
// 5-minute deliveries. Same arguments → same bytes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { mulberry32 } from '../lib/cloudtrail-fixture.mjs';

const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'];
const READS = [
  ['ec2.amazonaws.com', 'DescribeInstances'], ['ec2.amazonaws.com', 'DescribeVolumes'], ['ec2.amazonaws.com', 'DescribeSecurityGroups'],
  ['s3.amazonaws.com', 'GetBucketAcl'], ['s3.amazonaws.com', 'ListBuckets'], ['iam.amazonaws.com', 'GetRole'], ['iam.amazonaws.com', 'ListRoles'],
  ['sts.amazonaws.com', 'GetCallerIdentity'], ['cloudwatch.amazonaws.com', 'GetMetricData'], ['ssm.amazonaws.com', 'GetParameters'],
  ['lambda.amazonaws.com', 'ListFunctions20150331'], ['rds.amazonaws.com', 'DescribeDBInstances'],
];
const AGENTS = [
  'aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.debian.12 prompt/off command/ec2.describe-instances',
  'aws-sdk-go-v2/1.25.3 os/linux lang/go#1.21.8 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.150.0',
  'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69',
  'APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.40.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.25.3',
];

function uuid(random) {
  const hex = () => Math.floor(random() * 16).toString(16);
  let s = '';
  for (let i = 0; i < 32; i += 1) s += i === 12 ? '4' : i === 16 ? '8' : hex();
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

function makeRecord(random, time, account, region) {
  const roll = random();
  const role = ['AppServer', 'DataPipeline', 'Monitoring', 'CIDeploy'][Math.floor(random() * 4)];
  const session = `i-0${Math.floor(random() * 1e15).toString(16).padStart(16, '0')}`;
  const identity = {
    type: 'AssumedRole',
    principalId: `AROA${Math.floor(random() * 1e12).toString(36).toUpperCase().padEnd(17, 'X')}:${session}`,
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
    accountId: account,
    accessKeyId: `ASIA${Math.floor(random() * 1e15).toString(36).toUpperCase().padEnd(16, 'Q')}`,
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEROLEID', arn: `arn:aws:iam::${account}:role/${role}`, accountId: account, userName: role },
      webIdFederationData: {},
      attributes: { creationDate: time, mfaAuthenticated: 'false' },
      ec2RoleDelivery: '2.0',
    },
  };
  const base = {
    eventVersion: '1.09',
    userIdentity: identity,
    eventTime: time,
    awsRegion: region,
    sourceIPAddress: `10.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}`,
    userAgent: AGENTS[Math.floor(random() * AGENTS.length)],
    requestID: uuid(random),
    eventID: uuid(random),
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `ec2.${region}.amazonaws.com` },
  };
  if (roll < 0.72) {
    const [eventSource, eventName] = READS[Math.floor(random() * READS.length)];
    return {
      ...base,
      eventSource,
      eventName,
      requestParameters: { filterSet: { items: [{ name: 'tag:Environment', valueSet: { items: [{ value: 'production' }] } }, { name: 'instance-state-name', valueSet: { items: [{ value: 'running' }] } }] }, maxResults: 1000 },
      responseElements: null,
    };
  }
  if (roll < 0.84) {
    return {
      ...base,
      eventSource: 'kms.amazonaws.com',
      eventName: random() < 0.5 ? 'Decrypt' : 'GenerateDataKey',
      requestParameters: { encryptionContext: { 'aws:s3:arn': `arn:aws:s3:::data-${account}/logs/${uuid(random)}` }, encryptionAlgorithm: 'SYMMETRIC_DEFAULT', keySpec: 'AES_256' },
      responseElements: null,
      resources: [{ accountId: account, type: 'AWS::KMS::Key', ARN: `arn:aws:kms:${region}:${account}:key/${uuid(random)}` }],
    };
  }
  if (roll < 0.95) {
    return {
      ...base,
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' },
      sourceIPAddress: 'ec2.amazonaws.com',
      userAgent: 'ec2.amazonaws.com',
      requestParameters: { roleArn: `arn:aws:iam::${account}:role/${role}`, roleSessionName: session, durationSeconds: 3600 },
      responseElements: {
        credentials: { accessKeyId: `ASIA${Math.floor(random() * 1e15).toString(36).toUpperCase().padEnd(16, 'Z')}`, sessionToken: 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD', expiration: 'Mar 6, 2026, 4:14:15 AM' },
        assumedRoleUser: { assumedRoleId: `AROAEXAMPLEROLEID:${session}`, arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}` },
      },
      resources: [{ accountId: account, type: 'AWS::IAM::Role', ARN: `arn:aws:iam::${account}:role/${role}` }],
      readOnly: true,
    };
  }
  const [eventSource, eventName] = READS[Math.floor(random() * READS.length)];
  return {
    ...base,
    eventSource,
    eventName,
    errorCode: random() < 0.5 ? 'AccessDenied' : 'Client.UnauthorizedOperation',
    errorMessage: `User: ${identity.arn} is not authorized to perform: ${eventSource.split('.')[0]}:${eventName} because no identity-based policy allows the ${eventSource.split('.')[0]}:${eventName} action`,
    requestParameters: null,
    responseElements: null,
  };
}

/**
 * An independent random stream per key: sfc32 (128-bit state) seeded from the key's
 * cyrb128 hash. Streams of mulberry32 are one 2^32-step cycle entered at the seed, so two
 * corpora of ~30M draws each from different seeds can replay each other: the days seeded
 * 20260322 and 20260401 shared 55,151 event IDs.
 */
export function keyedRandom(key) {
  let [h1, h2, h3, h4] = [1779033703, 3144134277, 1013904242, 2773480762];
  for (let i = 0; i < key.length; i += 1) {
    const k = key.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  let a = h1 ^ h2 ^ h3 ^ h4;
  let [b, c, d] = [h2 ^ a, h3 ^ a, h4 ^ a];
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (((c << 21) | (c >>> 11)) + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i += 1) next(); // the first outputs still show the seed
  return next;
}

const DELIVERY_MS = 300_000; // a file holds about 5 minutes of one account and region

/**
 * Writes `events` records as .json.gz files under dir; returns {files, events, compressedBytes, jsonBytes}.
 * Without spanMs the clock starts at `start` and advances a minute every 3 files (300k
 * events cover ~4 hours). With spanMs the files are spread evenly over [start, start + spanMs),
 * e.g. one UTC day, so that corpora of consecutive spans never overlap in time.
 */
export function writeCorpus(dir, events, { seed = 20260306, stream, perFile = 400, start = '2026-03-01T00:00:00Z', spanMs } = {}) {
  // stream (a key for keyedRandom) instead of seed: for corpora that must not share event IDs.
  const random = stream === undefined ? mulberry32(seed) : keyedRandom(stream);
  const startMs = Date.parse(start);
  let written = 0;
  let files = 0;
  let compressedBytes = 0;
  let jsonBytes = 0;
  let clock = startMs;
  while (written < events) {
    // The last window starts a delivery before the end, so no record falls past the span.
    if (spanMs !== undefined) clock = startMs + Math.floor(((spanMs - DELIVERY_MS) * written) / events);
    const account = ACCOUNTS[files % ACCOUNTS.length];
    const region = REGIONS[Math.floor(files / ACCOUNTS.length) % REGIONS.length];
    const count = Math.min(events - written, Math.max(50, Math.round(perFile * (0.5 + random()))));
    const records = [];
    for (let i = 0; i < count; i += 1) {
      records.push(makeRecord(random, `${new Date(clock + Math.floor(random() * DELIVERY_MS)).toISOString().slice(0, 19)}Z`, account, region));
    }
    const stamp = new Date(clock + DELIVERY_MS).toISOString();
    const day = stamp.slice(0, 10).replace(/-/g, '/');
    const name = `${account}_CloudTrail_${region}_${stamp.slice(0, 16).replace(/[-:]/g, '')}Z_${files.toString(36).padStart(16, '0')}.json.gz`;
    const path = join(dir, 'AWSLogs', 'o-benchcorpus', account, 'CloudTrail', region, day, name);
    const json = JSON.stringify({ Records: records });
    const gz = gzipSync(json, { level: 6 });
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, gz);
    written += count;
    files += 1;
    compressedBytes += gz.length;
    jsonBytes += json.length;
    if (files % ACCOUNTS.length === 0) clock += 60_000;
  }
  return { files, events: written, compressedBytes, jsonBytes };
}

/** One big file of `events` records (the bounded-memory run), streamed through gzip. */
export async function writeSingleFile(path, events, { seed = 7 } = {}) {
  const { createWriteStream } = await import('node:fs');
  const { createGzip } = await import('node:zlib');
  const random = mulberry32(seed);
  mkdirSync(dirname(path), { recursive: true });
  const gzip = createGzip({ level: 1 });
  const out = createWriteStream(path);
  gzip.pipe(out);
  let jsonBytes = 0;
  const write = async (text) => {
    jsonBytes += text.length;
    if (!gzip.write(text)) await new Promise((resolve) => gzip.once('drain', resolve));
  };
  await write('{"Records":[');
  let clock = Date.parse('2026-03-01T00:00:00Z');
  for (let i = 0; i < events; i += 1) {
    const time = `${new Date((clock += 13)).toISOString().slice(0, 19)}Z`;
    await write(`${i === 0 ? '' : ','}${JSON.stringify(makeRecord(random, time, '111111111111', 'us-east-1'))}`);
  }
  await write(']}');
  gzip.end();
  await new Promise((resolve) => out.on('finish', resolve));
  return { events, jsonBytes };
}
