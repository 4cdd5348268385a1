#!/usr/bin/env node
// Fast path (gunzip + JSON.parse of the whole file) against the streaming path
// (gunzip stream + the record slicer), on the same gzip files, alternating, medians.
// Also the heap each path needs per file size, which is what sets FAST_PATH_LIMIT.
//
//   npm run build && node --expose-gc scripts/bench-parse.mjs [--runs 5]
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { parseLogFile } = await import(join(root, 'dist/parse/log-file.js'));
const runsAt = process.argv.indexOf('--runs');
const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 5;

function corpusFile(records) {
  const list = [];
  for (let i = 0; i < records; i += 1) {
    list.push({
      eventVersion: '1.09',
      userIdentity: { type: 'AssumedRole', principalId: `AROAEXAMPLE:${i % 50}`, arn: `arn:aws:sts::111111111111:assumed-role/App/${i % 50}`, accountId: '111111111111', accessKeyId: `ASIA${String(i % 900).padStart(16, '0')}`, sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111111111111:role/App', accountId: '111111111111', userName: 'App' }, attributes: { creationDate: '2026-03-05T00:00:00Z', mfaAuthenticated: 'false' } } },
      eventTime: `2026-03-05T${String(i % 24).padStart(2, '0')}:00:00Z`,
      eventSource: 'ec2.amazonaws.com',
      eventName: ['DescribeInstances', 'DescribeVolumes', 'GetCallerIdentity', 'Decrypt'][i % 4],
      awsRegion: 'us-east-1',
      sourceIPAddress: `198.51.100.${i % 250}`,
      userAgent: 'aws-sdk-go-v2/1.25.3 os/linux lang/go#1.21.8 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.150.0',
      requestParameters: { instancesSet: {}, filterSet: { items: [{ name: 'tag:env', valueSet: { items: [{ value: 'prod' }] } }] }, maxResults: 1000 },
      responseElements: null,
      requestID: `req-${i}`,
      eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      readOnly: true,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: '111111111111',
      eventCategory: 'Management',
      tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'ec2.us-east-1.amazonaws.com' },
    });
  }
  const text = JSON.stringify({ Records: list });
  return { gz: gzipSync(text), textBytes: Buffer.byteLength(text), records };
}

async function measure(file, path) {
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let peakHeap = heapBefore;
  const sample = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 5);
  const started = performance.now();
  let rows = 0;
  await parseLogFile({ bytes: file.gz }, {}, (batch) => {
    rows += batch.rows.length;
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, { fastPathLimit: path === "fast" ? 2 ** 30 : 0 });
  const elapsed = performance.now() - started;
  clearInterval(sample);
  if (rows !== file.records) throw new Error(`${path}: ${rows} rows of ${file.records}`);
  return { elapsed, heapMb: (peakHeap - heapBefore) / 1024 / 1024 };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log('records  MB(json)  fast rec/s  stream rec/s  ratio  fast heap MB  stream heap MB');
for (const records of [1_000, 10_000, 50_000]) {
  const file = corpusFile(records);
  const times = { fast: [], streaming: [] };
  const heaps = { fast: [], streaming: [] };
  for (let run = 0; run < runs; run += 1) {
    for (const path of run % 2 === 0 ? ['fast', 'streaming'] : ['streaming', 'fast']) {
      const { elapsed, heapMb } = await measure(file, path);
      times[path].push(elapsed);
      heaps[path].push(heapMb);
    }
  }
  const fastRate = records / (median(times.fast) / 1000);
  const streamRate = records / (median(times.streaming) / 1000);
  console.log(
    `${String(records).padStart(7)}  ${(file.textBytes / 1048576).toFixed(1).padStart(8)}  ${Math.round(fastRate).toString().padStart(10)}  ${Math.round(streamRate).toString().padStart(12)}  ${(fastRate / streamRate).toFixed(1).padStart(5)}  ${median(heaps.fast).toFixed(0).padStart(12)}  ${median(heaps.streaming).toFixed(0).padStart(14)}`,
  );
}
