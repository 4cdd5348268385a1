/**
 * ParsePool with real worker threads. Under vitest the pool's own worker script (a .js
 * beside src/ingest/parse-pool.ts) does not exist, so these tests name the built one
 * through test/support/observed-parse-worker.mjs, which notes who parsed what and can be
 * told to die on a file. `npm run build` first.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ParseOutcome, ParsePool } from '../../src/ingest/parse-pool.js';
import { wireTuples } from '../../src/store/wire-batch.js';
import { eventId, record, recordsFile, tempDir, writeFile } from '../support/cloudtrail.js';

const BUILT_WORKER = resolve(__dirname, '../../dist/ingest/parse-worker.js');
const OBSERVED_WORKER = resolve(__dirname, '../support/observed-parse-worker.mjs');
const TEST_ENV = ['TRAILSIFT_TEST_PARSE_LOG', 'TRAILSIFT_TEST_CRASH_ON', 'TRAILSIFT_TEST_CRASH_HOW'] as const;

beforeAll(() => {
  if (!existsSync(BUILT_WORKER)) throw new Error(`${BUILT_WORKER} is missing: run \`npm run build\` before these tests`);
});

const pools: ParsePool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
  for (const name of TEST_ENV) delete process.env[name];
});

/** Files f1…fN where file i holds i records, so each outcome shows which file it was. */
function logFiles(count: number): string[] {
  const root = tempDir();
  let n = 0;
  return Array.from({ length: count }, (_, i) =>
    writeFile(root, `f${i + 1}.json.gz`, recordsFile(Array.from({ length: i + 1 }, () => record({ eventID: eventId((n += 1)) })))),
  );
}

/** A pool of observed workers; the environment is what its workers inherit when spawned. */
function observedPool(workers: number, env: Partial<Record<(typeof TEST_ENV)[number], string>> = {}): { pool: ParsePool; parsedBy: () => Map<string, number> } {
  const log = join(tempDir('trailsift-pool-'), 'parsed.log');
  Object.assign(process.env, { TRAILSIFT_TEST_PARSE_LOG: log, ...env });
  const pool = new ParsePool({}, workers, OBSERVED_WORKER);
  pools.push(pool);
  const parsedBy = (): Map<string, number> => {
    const lines = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((line) => line !== '') : [];
    return new Map(lines.map((line) => line.split('\t')).map(([thread, file]) => [file!, Number(thread)]));
  };
  return { pool, parsedBy };
}

function parse(pool: ParsePool, path: string): Promise<ParseOutcome> {
  return pool.parse({ path }, () => {
    throw new Error('a small file comes back in one batch');
  });
}

describe('ParsePool', () => {
  it('when the pool has workers then files are parsed in other threads and come back as in-process parsing gives them', async () => {
    const files = logFiles(6);
    const { pool, parsedBy } = observedPool(2);
    expect(pool.threaded).toBe(true);
    const threaded = await Promise.all(files.map((path) => parse(pool, path)));

    const inProcess = new ParsePool({}, 0);
    expect(inProcess.threaded).toBe(false);
    const expected = await Promise.all(files.map((path) => parse(inProcess, path)));

    expect(threaded.map((outcome) => outcome.summary.accepted)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(threaded.map((outcome) => outcome.summary)).toEqual(expected.map((outcome) => outcome.summary));
    expect(threaded.map((outcome) => wireTuples(outcome.finalBatch!))).toEqual(expected.map((outcome) => wireTuples(outcome.finalBatch!)));
    const threads = parsedBy();
    expect([...threads.keys()].sort()).toEqual(['f1.json.gz', 'f2.json.gz', 'f3.json.gz', 'f4.json.gz', 'f5.json.gz', 'f6.json.gz']);
    expect([...threads.values()]).not.toContain(threadId);
  });

  for (const how of ['exit', 'throw'] as const) {
    it(`when a worker dies on a file (${how}) then that file fails, a new worker takes over and the files it held are parsed`, async () => {
      const [f1, f2, f3, ...rest] = logFiles(6);
      const { pool, parsedBy } = observedPool(1, { TRAILSIFT_TEST_CRASH_ON: 'f3.json.gz', TRAILSIFT_TEST_CRASH_HOW: how });
      const before = await Promise.all([f1!, f2!].map((path) => parse(pool, path)));
      // f3 reaches the idle worker first; f4…f6 are handed to it too before it dies.
      const after = await Promise.allSettled([f3!, ...rest].map((path) => parse(pool, path)));

      expect(before.map((outcome) => outcome.summary.accepted)).toEqual([1, 2]);
      const [poisoned, ...held] = after;
      expect(poisoned).toMatchObject({
        status: 'rejected',
        reason: { message: how === 'exit' ? 'parse worker stopped (exit code 70)' : 'test worker told to die on f3.json.gz' },
      });
      expect(held.map((result) => (result.status === 'fulfilled' ? result.value.summary.accepted : result.reason))).toEqual([4, 5, 6]);
      const threads = parsedBy();
      expect(threads.get('f3.json.gz')).toBe(threads.get('f1.json.gz'));
      expect(threads.get('f4.json.gz')).not.toBe(threads.get('f1.json.gz'));
      expect(threads.get('f6.json.gz')).toBe(threads.get('f4.json.gz'));
      // The replacement goes on working after the crash.
      expect((await parse(pool, f2!)).summary.accepted).toBe(2);
    });
  }

  it('when the named worker script does not exist then the pool refuses to start', () => {
    const missing = join(tempDir(), 'parse-worker.js');
    expect(() => new ParsePool({}, 1, missing)).toThrow(`parse worker script not found: ${missing}`);
  });
});
