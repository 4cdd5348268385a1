/**
 * Worker thread: parses files one after another so gunzip and JSON.parse run off the
 * writer's thread. The pool may queue a second file here while the first is parsed, so
 * the worker never waits for the writer to hand it work. Streaming batches wait for the
 * writer's ack, which bounds memory.
 */
import { parentPort } from 'node:worker_threads';
import { type ParsedBatch, parseLogFile } from '../parse/log-file.js';
import { toWire } from '../store/wire-batch.js';
import { type ParseRequest, toRecordFilter, type WorkerMessage } from './parse-protocol.js';

const port = parentPort;
if (!port) throw new Error('parse-worker must run as a worker thread');

let pendingAck: (() => void) | null = null;
let queue: Promise<void> = Promise.resolve();

port.on('message', (message: ParseRequest | { type: 'ack' }) => {
  if (message.type === 'ack') {
    const resume = pendingAck;
    pendingAck = null;
    resume?.();
    return;
  }
  queue = queue.then(() => handle(message));
});

async function handle(request: ParseRequest): Promise<void> {
  const post = (message: WorkerMessage): void => port!.postMessage(message);
  try {
    // The last batch rides with 'done' so a one-batch file is written and marked done in one step.
    let held: ParsedBatch | null = null;
    const summary = await parseLogFile(
      request.input,
      toRecordFilter(request.filter),
      async (batch) => {
        if (held) {
          const previous = held;
          await new Promise<void>((resolve) => {
            pendingAck = resolve;
            post({ type: 'batch', jobId: request.jobId, batch: toWire(previous) });
          });
        }
        held = batch;
      },
      { blockingRead: true },
    );
    post({ type: 'done', jobId: request.jobId, summary, finalBatch: held ? toWire(held) : null });
  } catch (error) {
    post({ type: 'failed', jobId: request.jobId, message: error instanceof Error ? error.message : String(error) });
  }
}
