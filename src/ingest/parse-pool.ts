/**
 * A pool of parse workers (one per core, the writer shares the main thread). When the
 * compiled worker script is not there (tests running TypeScript directly), files are
 * parsed in-process with the same code and the same batching.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type FileInput, type FileParseSummary, type ParsedBatch, parseLogFile, type RecordFilter } from '../parse/log-file.js';
import { type ParseRequest, serializeFilter, toWire, type WireBatch, type WorkerMessage } from './parse-protocol.js';

export interface ParseOutcome {
  summary: FileParseSummary;
  finalBatch: WireBatch | null;
}

/** Receives the batches of a large file as they are parsed; the next one waits for it. */
export type EarlyBatchSink = (batch: WireBatch) => void;

interface Job {
  input: FileInput;
  onEarlyBatch: EarlyBatchSink;
  resolve: (outcome: ParseOutcome) => void;
  reject: (error: Error) => void;
}

const WORKER_SCRIPT = fileURLToPath(new URL('./parse-worker.js', import.meta.url));

export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

export class ParsePool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: Job[] = [];
  readonly threaded: boolean;

  constructor(
    private readonly filter: RecordFilter,
    workerCount: number = defaultWorkerCount(),
  ) {
    this.threaded = workerCount > 0 && existsSync(WORKER_SCRIPT);
    if (this.threaded) {
      for (let i = 0; i < workerCount; i += 1) {
        const worker = new Worker(WORKER_SCRIPT);
        worker.unref();
        this.all.push(worker);
        this.idle.push(worker);
      }
    }
  }

  parse(input: FileInput, onEarlyBatch: EarlyBatchSink): Promise<ParseOutcome> {
    if (!this.threaded) return this.parseInProcess(input, onEarlyBatch);
    return new Promise((resolve, reject) => {
      this.queue.push({ input, onEarlyBatch, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((worker) => worker.terminate()));
    this.all.length = 0;
    this.idle.length = 0;
  }

  private async parseInProcess(input: FileInput, onEarlyBatch: EarlyBatchSink): Promise<ParseOutcome> {
    let held: ParsedBatch | null = null;
    const summary = await parseLogFile(input, this.filter, (batch) => {
      if (held) onEarlyBatch(toWire(held));
      held = batch;
    });
    return { summary, finalBatch: held ? toWire(held) : null };
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.run(worker, job);
    }
  }

  private run(worker: Worker, job: Job): void {
    const finish = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      this.idle.push(worker);
      this.dispatch();
    };
    const onMessage = (message: WorkerMessage): void => {
      if (message.type === 'batch') {
        try {
          job.onEarlyBatch(message.batch);
        } catch (error) {
          finish();
          job.reject(error as Error);
          return;
        }
        worker.postMessage({ type: 'ack' });
      } else if (message.type === 'done') {
        finish();
        job.resolve({ summary: message.summary, finalBatch: message.finalBatch });
      } else {
        finish();
        job.reject(new Error(message.message));
      }
    };
    const onError = (error: Error): void => {
      // A crashed worker is replaced so one poisonous file cannot starve the pool.
      worker.off('message', onMessage);
      worker.off('error', onError);
      this.all.splice(this.all.indexOf(worker), 1);
      void worker.terminate();
      const replacement = new Worker(WORKER_SCRIPT);
      replacement.unref();
      this.all.push(replacement);
      this.idle.push(replacement);
      job.reject(error);
      this.dispatch();
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    const request: ParseRequest = { type: 'parse', input: job.input, filter: serializeFilter(this.filter) };
    worker.postMessage(request);
  }
}
