import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type FileParseSummary, type ParsedBatch, parseLogFile } from '../../src/parse/log-file.js';
import { eventId, record, tempDir, writeFile } from '../support/cloudtrail.js';
import { parseContent } from '../support/parse.js';

const parse = parseContent;

const a = record({ eventID: eventId(101), eventName: 'CreateUser' });
const b = record({ eventID: eventId(102), eventName: 'DeleteUser' });

const containers: Array<[string, string | Buffer, string]> = [
  ['the S3 delivery format', JSON.stringify({ Records: [a, b] }), 'records'],
  ['gzip of the S3 delivery format', gzipSync(JSON.stringify({ Records: [a, b] })), 'records'],
  ['a top-level array', JSON.stringify([a, b]), 'array'],
  ['JSON Lines', `${JSON.stringify(a)}\n${JSON.stringify(b)}\n`, 'jsonl'],
  [
    'LookupEvents output (record as a JSON string)',
    `${JSON.stringify({ EventId: a.eventID, EventName: 'CreateUser', CloudTrailEvent: JSON.stringify(a) })}\n${JSON.stringify({ EventId: b.eventID, CloudTrailEvent: JSON.stringify(b) })}\n`,
    'jsonl',
  ],
  [
    'aws cloudtrail lookup-events JSON ({"Events": [...]})',
    JSON.stringify({ Events: [{ CloudTrailEvent: JSON.stringify(a) }, { CloudTrailEvent: JSON.stringify(b) }] }),
    'events',
  ],
];

describe('parseLogFile', () => {
  for (const path of ['fast', 'streaming'] as const) {
    for (const [label, content, kind] of containers) {
      it(`when given ${label} on the ${path} path then both records come back whole`, async () => {
        const { summary, rows, originals } = await parse(content, path);
        expect(summary.recordsSeen).toBe(2);
        expect(summary.accepted).toBe(2);
        expect(summary.problems).toEqual([]);
        if (path === 'fast' || kind !== 'events') expect(summary.container).toBe(kind === 'events' && path === 'streaming' ? 'records' : kind);
        expect(rows.map((row) => row.event_id)).toEqual([a.eventID, b.eventID]);
        expect(originals).toEqual([a, b]);
      });
    }

    it(`when given a single record object on the ${path} path then it is one event`, async () => {
      const { summary, rows } = await parse(JSON.stringify(a), path);
      expect(summary.container).toBe('object');
      expect(rows).toHaveLength(1);
    });

    it(`when given a digest file on the ${path} path then it holds no events`, async () => {
      const digest = { digestStartTime: '2026-03-05T00:00:00Z', digestEndTime: '2026-03-05T01:00:00Z', logFiles: [] };
      const { summary, rows } = await parse(gzipSync(JSON.stringify(digest)), path);
      expect(summary.container).toBe('digest');
      expect(rows).toHaveLength(0);
    });

    it(`when a record lacks eventID or eventTime on the ${path} path then it alone is rejected with its index`, async () => {
      const noId = record({ eventID: undefined });
      const noTime = record({ eventTime: undefined });
      const { summary, rows } = await parse(JSON.stringify({ Records: [a, noId, noTime, b] }), path);
      expect(rows.map((row) => row.event_id)).toEqual([a.eventID, b.eventID]);
      expect(summary.rejected).toBe(2);
      expect(summary.problems.map((problem) => [problem.index, problem.message])).toEqual([
        [1, 'record has no eventID'],
        [2, expect.stringMatching(/has no eventTime/)],
      ]);
    });

    it(`when the JSON holds no CloudTrail on the ${path} path then one warning names the file's problem and its records are counted apart from rejected ones`, async () => {
      const { summary, rows } = await parse(`${JSON.stringify({ name: 'x' })}\n${JSON.stringify({ name: 'y' })}\n`, path);
      expect(rows).toHaveLength(0);
      expect([summary.recordsSeen, summary.rejected, summary.notCloudTrail]).toEqual([2, 0, 2]);
      expect(summary.problems).toEqual([
        { index: null, severity: 'warning', message: 'not a CloudTrail file: none of its 2 JSON values is a CloudTrail record' },
      ]);
    });

    it(`when a file has more rejected records than are listed on the ${path} path then one last line counts the rest as the records it stands for`, async () => {
      const broken = Array.from({ length: 57 }, () => record({ eventID: undefined }));
      const { summary } = await parse(JSON.stringify({ Records: [a, ...broken] }), path);
      expect(summary.rejected).toBe(57);
      expect(summary.problems).toHaveLength(51);
      expect(summary.problems[49]).toMatchObject({ index: 50, message: 'record has no eventID' });
      expect(summary.problems[50]).toEqual({ index: null, severity: 'error', message: '7 more rejected records not listed', records: 7 });
    });

    it(`when the time filter excludes a record on the ${path} path then it is counted as filtered`, async () => {
      const early = record({ eventTime: '2026-03-01T00:00:00Z' });
      const { summary, rows } = await parse(JSON.stringify([early, a]), path, { since: '2026-03-04T00:00:00Z' });
      expect(rows.map((row) => row.event_id)).toEqual([a.eventID]);
      expect(summary.filtered).toBe(1);
    });
  }

  it.each([
    ['fast', 16 * 1024 * 1024],
    ['streaming', 0],
  ])('when records are rejected or filtered before a kept one (%s path) then each row is known by its record\'s position in the file', async (_path, fastPathLimit) => {
    const early = record({ eventTime: '2026-03-01T00:00:00Z' });
    const content = JSON.stringify({ Records: [a, record({ eventID: undefined }), early, b] });
    const batches: ParsedBatch[] = [];
    await parseLogFile({ bytes: Buffer.from(content) }, { since: '2026-03-04T00:00:00Z' }, (batch) => void batches.push(batch), { fastPathLimit });
    // The fast path's block is the whole file, so a raw index is the position; the streaming path says it apart.
    expect(batches.flatMap((batch) => batch.recordIndexes ?? batch.rawIndexes)).toEqual([0, 3]);
  });

  it('when a gzip file has several members then the fast path reads them all, whatever the last trailer says', async () => {
    // The gzip trailer states only the last member's size; the fast path sizes its output
    // buffer from it, so a trailer far smaller than the whole must still give every byte.
    const body = JSON.stringify({ Records: [a, b] });
    const split = body.length - 3;
    const gzip = Buffer.concat([gzipSync(body.slice(0, split)), gzipSync(body.slice(split))]);
    const { summary, rows } = await parse(gzip, 'fast');
    expect(summary.path).toBe('fast');
    expect(summary.decompressedBytes).toBe(Buffer.byteLength(body));
    expect(rows.map((row) => row.event_id)).toEqual([a.eventID, b.eventID]);
  });

  it('when gzip is truncated then complete records before the break are kept and the error names the damage', async () => {
    const many = Array.from({ length: 200 }, (_, i) => record({ eventID: eventId(5000 + i) }));
    const whole = gzipSync(JSON.stringify({ Records: many }));
    const { summary, rows } = await parse(whole.subarray(0, Math.floor(whole.length * 0.6)), 'fast');
    expect(summary.fileError).toMatch(/truncated gzip stream/);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(200);
    expect(rows.map((row) => row.event_id)).toEqual(many.slice(0, rows.length).map((r) => r.eventID));
  });

  it('when JSON is cut off mid-record then earlier records are kept and the file error says invalid JSON', async () => {
    const text = JSON.stringify({ Records: [a, b] });
    const { summary, rows } = await parse(text.slice(0, text.length - 40), 'fast');
    expect(rows.map((row) => row.event_id)).toEqual([a.eventID]);
    expect(summary.fileError).toMatch(/invalid JSON/);
  });

  it('when the file is empty then there are no records and no error', async () => {
    const { summary } = await parse('', 'fast');
    expect(summary.container).toBe('empty');
    expect(summary.fileError).toBeNull();
  });

  it('when the file is not JSON at all then it is a warning, not damage', async () => {
    const { summary } = await parse('# a README\n', 'fast');
    expect(summary.problems[0]).toMatchObject({ severity: 'warning', message: expect.stringMatching(/not a JSON file/) });
  });

  it('when a streamed record carries __proto__ then it stays data and pollutes nothing', async () => {
    const hostile = `{"Records":[{"eventID":"${eventId(9)}","eventTime":"2026-03-05T00:00:00Z","eventName":"X","eventSource":"s","userIdentity":{"__proto__":{"arn":"arn:aws:iam::1:user/evil"},"type":"IAMUser"}}]}`;
    const { rows, originals } = await parse(hostile, 'streaming');
    expect(rows[0]!.identity_arn).toBeNull();
    expect(({} as Record<string, unknown>).arn).toBeUndefined();
    expect(Object.keys((originals[0] as { userIdentity: object }).userIdentity)).toContain('__proto__');
  });

  it.each([
    ['fast', 16 * 1024 * 1024],
    ['streaming', 0],
  ])('when a worker reads a file from disk with blocking calls (%s path) then it parses exactly as with asynchronous reads', async (_path, fastPathLimit) => {
    const root = tempDir();
    const file = writeFile(root, 'one.json.gz', gzipSync(JSON.stringify({ Records: [a, b] })));
    const read = async (blockingRead: boolean) => {
      const batches: ParsedBatch[] = [];
      const summary = await parseLogFile({ path: file }, {}, (batch) => void batches.push(batch), { fastPathLimit, blockingRead });
      return { summary, rows: batches.flatMap((batch) => batch.rows) };
    };
    const blocking = await read(true);
    expect(blocking).toEqual(await read(false));
    expect(blocking.rows.map((row) => row.event_id)).toEqual([a.eventID, b.eventID]);
    await expect(parseLogFile({ path: join(root, 'gone.json.gz') }, {}, () => undefined, { blockingRead: true })).rejects.toThrow(/ENOENT/);
  });
});
