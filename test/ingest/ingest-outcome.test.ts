import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  ConflictingDuplicates,
  custodyOf,
  decideFile,
  describeFailure,
  emptySummary,
  failedStatus,
  tallyLogFile,
  type WrittenRows,
} from '../../src/ingest/outcome.js';
import type { SourceObject } from '../../src/sources/source.js';
import type { FileCustody } from '../../src/store/writer.js';
import { digestFile, eventId, record, recordsFile } from '../support/cloudtrail.js';
import { parseContent } from '../support/parse.js';

const NO_ROWS: WrittenRows = { inserted: 0, duplicates: 0 };
const CUSTODY: FileCustody = {
  storedSha256: null,
  contentSha256: null,
  etag: null,
  signature: null,
  signatureAlgorithm: null,
  oldestEventTime: null,
  newestEventTime: null,
};

const parsed = async (content: string | Buffer) => (await parseContent(content, 'fast')).summary;

describe('file outcome', () => {
  it('when a log file parses cleanly then it is done with what the writer took and nothing to report', async () => {
    const summary = await parsed(recordsFile([record({ eventID: eventId(1) }), record({ eventID: eventId(2) })]));
    const decision = decideFile('log', summary, { inserted: 1, duplicates: 1 }, CUSTODY);
    expect(decision).toEqual({
      digest: false,
      status: { status: 'done', container: summary.container, recordsSeen: 2, inserted: 1, duplicates: 1, rejected: 0, filtered: 0, error: null, custody: CUSTODY },
      problems: [],
    });
  });

  it('when a log file holds no records then it is a warning, reported as an empty file', async () => {
    const decision = decideFile('log', await parsed(gzipSync('')), NO_ROWS, CUSTODY);
    expect(decision.status.status).toBe('warning');
    expect(decision.problems).toEqual([{ index: null, severity: 'warning', message: 'empty file: no records' }]);
  });

  it('when a log file breaks off then it is an error and the break is reported after its records\u2019 problems', async () => {
    const whole = recordsFile([record({ eventID: eventId(3) })]);
    const summary = await parsed(whole.subarray(0, whole.length - 6));
    const decision = decideFile('log', summary, NO_ROWS, CUSTODY);
    expect(summary.fileError).not.toBeNull();
    expect(decision.status).toMatchObject({ status: 'error', error: summary.fileError });
    expect(decision.problems.at(-1)).toEqual({ index: null, severity: 'error', message: summary.fileError });
  });

  it('when a file in a log folder turns out to be a digest then it is recorded as a digest', async () => {
    const decision = decideFile('log', await parsed(digestFile()), NO_ROWS, CUSTODY);
    expect(decision).toMatchObject({ digest: true, status: { status: 'digest', container: 'digest', inserted: 0 }, problems: [] });
  });

  it('when a file in a digest folder is not a digest then it is an error and adds no events', async () => {
    const decision = decideFile('digest', await parsed(recordsFile([record({ eventID: eventId(4) })])), { inserted: 0, duplicates: 0 }, CUSTODY);
    expect(decision.digest).toBe(true);
    expect(decision.status).toMatchObject({ status: 'error', recordsSeen: 0, inserted: 0 });
    expect(decision.problems).toEqual([
      { index: null, severity: 'error', message: 'not a digest file (in a CloudTrail-Digest folder or named as one): not ingested' },
    ]);
  });

  it('when parsing failed part way then the file is failed and keeps the rows already written', () => {
    expect(failedStatus('worker crashed', { inserted: 7, duplicates: 2 })).toMatchObject({ status: 'failed', error: 'worker crashed', inserted: 7, duplicates: 2 });
  });

  it('when an S3 object was read then its custody names its ETag and signature', async () => {
    const object: SourceObject = { uri: 's3://b/k', size: 1, version: 'etag:abc123', kind: 'digest', open: () => Promise.reject(new Error('unused')) };
    const summary = await parsed(digestFile());
    const custody = custodyOf(object, { input: { bytes: Buffer.alloc(0) }, signature: { signature: 'ff', algorithm: 'SHA256withRSA' }, release: async () => undefined }, summary);
    expect(custody).toMatchObject({ etag: 'abc123', signature: 'ff', signatureAlgorithm: 'SHA256withRSA', storedSha256: summary.storedSha256 });
  });

  it('when a local file was read then its custody has no ETag nor signature', async () => {
    const object: SourceObject = { uri: '/l.json', size: 1, version: 'mtime:1', kind: 'log', open: () => Promise.reject(new Error('unused')) };
    const custody = custodyOf(object, { input: { path: '/l.json' }, release: async () => undefined }, await parsed(recordsFile([])));
    expect(custody).toMatchObject({ etag: null, signature: null, signatureAlgorithm: null });
  });
});

describe('run summary', () => {
  it('when log files are tallied then their records and the rows written add up', async () => {
    const summary = emptySummary();
    const file = await parsed(recordsFile([record({ eventID: eventId(5) }), record({ eventID: eventId(6) })]));
    tallyLogFile(summary, file, { inserted: 2, duplicates: 0 });
    tallyLogFile(summary, file, { inserted: 0, duplicates: 2 });
    expect(summary).toMatchObject({ filesIngested: 2, recordsSeen: 4, eventsInserted: 2, duplicates: 2, rejected: 0 });
  });

  it('when a file cannot be read for lack of permission then the problem says so in those words', () => {
    const denied = Object.assign(new Error('EACCES: permission denied, open /x'), { code: 'EACCES' });
    expect(describeFailure(denied)).toBe('permission denied');
  });

  it('when an error message spans lines then it is reported on one', () => {
    expect(describeFailure(new Error('bad\n  thing'))).toBe('bad thing');
  });
});

describe('duplicates with other content', () => {
  const conflict = (n: number, eventId = `id-${n}`) => ({ eventId, eventTime: '2026-03-05T10:00:00Z', recordIndex: n, keptUri: '/evidence/first.json', columns: ['user_agent', 'source_ip'] });

  it('when a file has more than are listed then the first 50 are warnings of their own and one line counts the rest', () => {
    const conflicts = new ConflictingDuplicates();
    conflicts.add(Array.from({ length: 30 }, (_, n) => conflict(n)));
    conflicts.add(Array.from({ length: 25 }, (_, n) => conflict(30 + n)));
    const problems = conflicts.problems();
    expect(problems).toHaveLength(51);
    expect(problems[49]).toEqual({
      index: 49,
      severity: 'warning',
      message: 'eventID id-49 (2026-03-05T10:00:00Z) is already stored from /evidence/first.json with different content (user_agent, source_ip): this record was not stored; compare them with "trailsift events --id id-49" and the file',
    });
    expect(problems[50]).toEqual({ index: null, severity: 'warning', message: '5 more records whose eventID is already stored with different content not listed', records: 5 });
  });

  it('when the eventID holds shell characters then the command it suggests quotes it as one word', () => {
    const conflicts = new ConflictingDuplicates();
    conflicts.add([conflict(0, "x'; rm -rf ~ #")]);
    expect(conflicts.problems()[0]!.message).toContain(`"trailsift events --id 'x'\\''; rm -rf ~ #'"`);
  });
});
