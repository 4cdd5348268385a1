/**
 * Property tests: whatever bytes or records come in, parsing either yields rows or
 * recorded problems, never throws, and every record read is accounted for.
 */
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { normalizeRecord } from '../../src/parse/normalize.js';
import { type FileParseSummary, parseLogFile } from '../../src/parse/log-file.js';
import { record } from '../support/cloudtrail.js';

const CANONICAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

async function parseCounting(bytes: Buffer, fastPathLimit?: number) {
  let rows = 0;
  const summary: FileParseSummary = await parseLogFile(
    { bytes },
    {},
    (batch) => {
      rows += batch.rows.length;
      for (const row of batch.rows) {
        expect(typeof row.event_id).toBe('string');
        expect(row.event_time).toMatch(CANONICAL_TIME);
      }
      expect(batch.rawIndexes).toHaveLength(batch.rows.length);
    },
    fastPathLimit === undefined ? {} : { fastPathLimit },
  );
  return { summary, rows };
}

/** A CloudTrail-ish record with any field possibly dropped, retyped or replaced. */
const mutatedRecord = fc
  .record({
    base: fc.constant(null).map(() => record()),
    drop: fc.subarray(['eventID', 'eventTime', 'userIdentity', 'requestParameters', 'eventName', 'eventSource']),
    replace: fc.dictionary(
      fc.constantFrom('eventID', 'eventTime', 'userIdentity', 'requestParameters', 'responseElements', 'errorMessage', 'readOnly', '__proto__', 'constructor'),
      fc.jsonValue({ maxDepth: 4 }),
    ),
  })
  .map(({ base, drop, replace }) => {
    const shaped: Record<string, unknown> = { ...base };
    for (const key of drop) delete shaped[key];
    for (const [key, value] of Object.entries(replace)) Object.defineProperty(shaped, key, { value, enumerable: true, writable: true, configurable: true });
    return shaped;
  });

describe('parser properties', () => {
  it('when any record shape is normalized then it is a row or a reason, never a throw', () => {
    fc.assert(
      fc.property(fc.oneof(mutatedRecord, fc.jsonValue({ maxDepth: 5 })), (value) => {
        const result = normalizeRecord(value);
        if (result.ok) {
          expect(result.row.event_time).toMatch(CANONICAL_TIME);
          expect(result.row.event_id.length).toBeGreaterThan(0);
        } else {
          expect(result.reason.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });

  for (const [label, limit] of [['fast', undefined], ['streaming', 0]] as const) {
    it(`when files of mutated records are parsed on the ${label} path then records seen = accepted + filtered + rejected + not CloudTrail`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(mutatedRecord, { maxLength: 20 }), fc.constantFrom('records', 'array', 'jsonl'), fc.boolean(), async (records, container, gzip) => {
          const text =
            container === 'records' ? JSON.stringify({ Records: records }) : container === 'array' ? JSON.stringify(records) : records.map((r) => JSON.stringify(r)).join('\n');
          const bytes = gzip ? gzipSync(text) : Buffer.from(text);
          const { summary, rows } = await parseCounting(bytes, limit);
          expect(summary.accepted).toBe(rows);
          expect(summary.recordsSeen).toBe(summary.accepted + summary.filtered + summary.rejected + summary.notCloudTrail);
          if (container !== 'jsonl' || records.length > 0) expect(summary.recordsSeen).toBe(records.length);
        }),
        { numRuns: 150 },
      );
    });

    it(`when arbitrary bytes are parsed on the ${label} path then the result is rows or a recorded problem, never a throw`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.uint8Array({ maxLength: 400 }),
            fc.string({ maxLength: 200 }).map((s) => new TextEncoder().encode(s)),
            fc.jsonValue().map((v) => new TextEncoder().encode(JSON.stringify(v))),
          ),
          fc.boolean(),
          async (raw, gzip) => {
            const bytes = gzip ? gzipSync(raw) : Buffer.from(raw);
            const { summary, rows } = await parseCounting(bytes, limit);
            expect(summary.recordsSeen).toBe(summary.accepted + summary.filtered + summary.rejected + summary.notCloudTrail);
            expect(rows).toBe(summary.accepted);
            if (summary.rejected > 0 || summary.fileError) {
              expect(summary.problems.length + (summary.fileError ? 1 : 0)).toBeGreaterThan(0);
            }
          },
        ),
        { numRuns: 300 },
      );
    });
  }
});
