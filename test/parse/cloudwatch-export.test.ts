import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readContainer } from '../../src/parse/containers.js';
import { consoleLogin, deleteInstanceProfile, eventBridgeEvent, rotateKey } from '../support/real-records.js';
import { parseContent } from '../support/parse.js';

/** What create-export-task writes to S3 (`<prefix>/<task-id>/<log-stream>/000000.gz`): one event per line. */
function exportLines(lines: string[]): Buffer {
  return gzipSync(Buffer.from(`${lines.join('\n')}\n`));
}
const line = (timestamp: string, value: unknown): string => `${timestamp} ${JSON.stringify(value)}`;

describe('CloudWatch Logs exports of CloudTrail', () => {
  for (const path of ['fast', 'streaming'] as const) {
    it(`when an export has 3 lines and the middle one is broken on the ${path} path then 2 records are kept and the broken line is named`, async () => {
      const content = exportLines([
        line('2020-02-26T00:56:35.120Z', deleteInstanceProfile),
        '2022-11-10T16:24:35.001Z {"eventVersion":"1.05","userIdentity":{"type":"IAM',
        line('2022-11-10T16:24:35.002Z', consoleLogin),
      ]);
      const { summary, rows, originals } = await parseContent(content, path);
      expect(summary).toMatchObject({ container: 'cloudwatch-export', recordsSeen: 3, accepted: 2, rejected: 1, fileError: null });
      expect(summary.problems).toHaveLength(1);
      expect(summary.problems[0]!.index).toBe(1);
      expect(summary.problems[0]!.message).toMatch(/^line 2: timestamp 2022-11-10T16:24:35\.001Z followed by invalid JSON: /);
      expect(rows.map((row) => row.event_name)).toEqual(['DeleteInstanceProfile', 'ConsoleLogin']);
      // What is kept as the original is the JSON record, not the export's timestamp prefix.
      expect(originals).toEqual([deleteInstanceProfile, consoleLogin]);
    });
  }

  it('when the timestamps have other shapes then each line is still read', () => {
    const shapes = ['2020-02-26T00:56:35Z', '2020-02-26T00:56:35.123456+00:00', '2020-02-26 00:56:35.123', '2020-02-26T00:56:35,5Z'];
    const text = shapes.map((stamp) => line(stamp, deleteInstanceProfile)).join('\n');
    const content = readContainer(text);
    expect(content.kind).toBe('cloudwatch-export');
    expect(content.entries).toEqual(shapes.map(() => ({ value: deleteInstanceProfile })));
  });

  it('when the log group holds EventBridge events then the CloudTrail record inside each is what is read', async () => {
    const content = exportLines([line('2019-06-02T00:06:09.000Z', eventBridgeEvent(rotateKey, 'AWS Service Event via CloudTrail'))]);
    for (const path of ['fast', 'streaming'] as const) {
      const { rows, originals } = await parseContent(content, path);
      expect(rows.map((row) => row.event_name)).toEqual(['RotateKey']);
      expect(originals).toEqual([rotateKey]);
    }
  });

  it('when a text log starts with timestamps but holds words then it is a file to skip, not broken records', async () => {
    const { summary } = await parseContent('2024-01-01T00:00:00.000Z service started\n2024-01-01T00:00:01.000Z ready\n', 'fast');
    expect(summary).toMatchObject({ rejected: 0, accepted: 0 });
    expect(summary.problems).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/^not a JSON file/) })]);
  });

  it('when a gzipped export is cut off mid-line then the complete lines before it are kept', async () => {
    const whole = exportLines([line('2020-02-26T00:56:35.120Z', deleteInstanceProfile), line('2022-11-10T16:24:35.002Z', consoleLogin)]);
    const { summary, rows } = await parseContent(whole.subarray(0, whole.length - 12), 'fast');
    expect(summary.path).toBe('streaming');
    expect(summary.fileError).toMatch(/truncated gzip stream/);
    expect(rows.map((row) => row.event_name)).toEqual(['DeleteInstanceProfile']);
  });
});
