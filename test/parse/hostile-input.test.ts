/** Input built to hurt: bombs, absurd nesting, huge records, broken UTF-8, prototype keys. */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type FileParseSummary, type ParsedBatch, parseLogFile } from '../../src/parse/log-file.js';
import { eventId, record } from '../support/cloudtrail.js';

async function parse(bytes: Buffer, path: 'fast' | 'streaming' = 'fast') {
  const batches: ParsedBatch[] = [];
  const summary: FileParseSummary = await parseLogFile({ bytes }, {}, (batch) => {
    batches.push(batch);
  }, path === 'streaming' ? { fastPathLimit: 0 } : {});
  return { summary, rows: batches.flatMap((batch) => batch.rows) };
}

function deeplyNested(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

describe('hostile input', () => {
  it('when a 2 MB gzip inflates toward gigabytes then it ends with a clear error, quickly and in bounded memory', async () => {
    // 32 gzip members of 64 MiB of spaces each: about 2 MB on disk, 2 GiB inflated.
    const member = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 });
    const bomb = Buffer.concat([gzipSync('{"Records":['), ...Array.from({ length: 32 }, () => member)]);
    expect(bomb.length).toBeLessThan(3 * 1024 * 1024);
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();
    const { summary } = await parse(bomb);
    expect(summary.fileError).toMatch(/decompression bomb/);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(400 * 1024 * 1024);
  });

  for (const path of ['fast', 'streaming'] as const) {
    it(`when a record is nested 200,000 levels deep on the ${path} path then it alone is rejected and its neighbours are kept`, async () => {
      const before = JSON.stringify(record({ eventID: eventId(1) }));
      const after = JSON.stringify(record({ eventID: eventId(3) }));
      const deep = `{"eventID":"${eventId(2)}","eventTime":"2026-03-05T00:00:00Z","eventName":"X","eventSource":"x","requestParameters":${deeplyNested(200_000)}}`;
      const { summary, rows } = await parse(Buffer.from(`{"Records":[${before},${deep},${after}]}`), path);
      expect(rows.map((row) => row.event_id)).toEqual([eventId(1), eventId(3)]);
      expect(summary.problems).toEqual([{ index: 1, severity: 'error', message: 'record nested deeper than 256 levels' }]);
    });
  }

  it('when a single record is 50 MB then it is ingested whole on the streaming path', async () => {
    const huge = record({ eventID: eventId(50), userAgent: 'A'.repeat(50 * 1024 * 1024) });
    const { summary, rows } = await parse(gzipSync(JSON.stringify({ Records: [huge, record({ eventID: eventId(51) })] })));
    expect(summary.path).toBe('streaming');
    expect(rows.map((row) => row.event_id)).toEqual([eventId(50), eventId(51)]);
    expect(rows[0]!.user_agent).toHaveLength(50 * 1024 * 1024);
  });

  for (const path of ['fast', 'streaming'] as const) {
    it(`when a record holds invalid UTF-8 on the ${path} path then it is kept with replacement characters`, async () => {
      const text = Buffer.from(JSON.stringify([record({ eventID: eventId(7), userAgent: 'agent-XX' })]));
      const at = text.indexOf('XX');
      text[at] = 0xff;
      text[at + 1] = 0xfe;
      const { rows } = await parse(text, path);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.user_agent).toBe('agent-\uFFFD\uFFFD');
    });

    it(`when records carry __proto__ and constructor keys on the ${path} path then nothing is polluted or inherited`, async () => {
      const hostile = `[{"eventID":"${eventId(8)}","eventTime":"2026-03-05T00:00:00Z","eventName":"X","eventSource":"x",
        "__proto__":{"polluted":"yes","userIdentity":{"arn":"arn:aws:iam::1:user/inherited"}},
        "constructor":{"prototype":{"polluted":"yes"}},
        "requestParameters":{"__proto__":{"instanceProfileName":"inherited"},"constructor":{"prototype":{"polluted":"yes"}}},
        "userIdentity":{"type":"IAMUser","__proto__":{"arn":"arn:aws:iam::1:user/inherited"}}}]`;
      const { rows } = await parse(Buffer.from(hostile), path);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ identity_arn: null, instance_profile_name: null, identity_type: 'IAMUser' });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((Object.prototype as Record<string, unknown>).userIdentity).toBeUndefined();
    });
  }
});
