/**
 * The built parse worker (dist/ingest/parse-worker.js) with two test-only additions, both
 * set through the environment the pool's workers inherit:
 * - TRAILSIFT_TEST_PARSE_LOG: a file where each parse request is noted, with the thread
 *   that took it, before the real worker sees it;
 * - TRAILSIFT_TEST_CRASH_ON: the name of a file this worker dies on when handed it, by
 *   process.exit (TRAILSIFT_TEST_CRASH_HOW=exit, the default) or an uncaught error (=throw).
 * Plain JavaScript: a worker thread runs outside vitest and cannot load TypeScript.
 */
import { appendFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parentPort, threadId } from 'node:worker_threads';

const log = process.env.TRAILSIFT_TEST_PARSE_LOG;
const crashOn = process.env.TRAILSIFT_TEST_CRASH_ON;
const crashHow = process.env.TRAILSIFT_TEST_CRASH_HOW ?? 'exit';

function observe(message) {
  if (message.type !== 'parse') return;
  const name = 'path' in message.input ? basename(message.input.path) : '(bytes)';
  if (log) appendFileSync(log, `${threadId}\t${name}\n`);
  if (name !== crashOn) return;
  if (crashHow === 'throw') throw new Error(`test worker told to die on ${name}`);
  process.exit(70);
}

// The real worker's listener is wrapped rather than a second one added: a listener of our
// own would start the port before the real worker is loaded, and messages arriving in
// between would reach only ours.
const on = parentPort.on.bind(parentPort);
parentPort.on = (event, listener) =>
  on(event, event === 'message' ? (message) => (observe(message), listener(message)) : listener);

await import(new URL('../../dist/ingest/parse-worker.js', import.meta.url).href);
