/**
 * A pool of parse workers (one per core, the writer shares the main thread). Each
 * worker holds up to JOBS_PER_WORKER files: while the writer is busy with one result,
 * the worker is already parsing the next file instead of waiting to be handed it.
 * When the compiled worker script is not there (tests running TypeScript directly),
 * files are parsed in-process with the same code and the same batching; tests that need
 * real workers name the built script instead.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type FileParseSummary, type ParsedBatch, parseLogFile, type RecordFilter } from '../parse/log-file.js';
import type { FileInput } from '../sources/source.js';
import { toWire, type WireBatch } from '../store/wire-batch.js';
import { type ParseRequest, serializeFilter, type WorkerMessage } from './parse-protocol.js';

export interface ParseOutcome {
  summary: FileParseSummary;
  finalBatch: WireBatch | null;
}

/** Receives the batches of a large file as they are parsed; the next one waits for it. */
export type EarlyBatchSink = (batch: WireBatch) => void;

interface Job {
  id: number;
  input: FileInput;
  onEarlyBatch: EarlyBatchSink;
  resolve: (outcome: ParseOutcome) => void;
  reject: (error: Error) => void;
}

interface PooledWorker {
  worker: Worker;
  jobs: Map<number, Job>;
}

const WORKER_SCRIPT = fileURLToPath(new URL('./parse-worker.js', import.meta.url));
/**
 * A worker is handed a new file only when the writer's thread gets to its last result,
 * and waits when it has finished all it holds. By event-loop utilization, workers holding
 * two files waited about a fifth of the time, holding four about an eighth. A queued job
 * is only a path (or bytes already fetched): a file is read when its parse starts.
 */
const JOBS_PER_WORKER = 4;

export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

export class ParsePool {
  private readonly workers: PooledWorker[] = [];
  private readonly queue: Job[] = [];
  private nextJobId = 1;
  private closing = false;
  private readonly workerScript: string;
  readonly threaded: boolean;

  /** `workerScript` (a compiled .js or .mjs file) must exist: naming one means workers are wanted. */
  constructor(
    private readonly filter: RecordFilter,
    workerCount: number = defaultWorkerCount(),
    workerScript?: string,
  ) {
    if (workerScript !== undefined && !existsSync(workerScript)) throw new Error(`parse worker script not found: ${workerScript}`);
    this.workerScript = workerScript ?? WORKER_SCRIPT;
    this.threaded = workerCount > 0 && existsSync(this.workerScript);
    if (this.threaded) for (let i = 0; i < workerCount; i += 1) this.spawn();
  }

  /** How many files can usefully be in flight at once. */
  get capacity(): number {
    return Math.max(1, this.workers.length * JOBS_PER_WORKER);
  }

  parse(input: FileInput, onEarlyBatch: EarlyBatchSink): Promise<ParseOutcome> {
    if (!this.threaded) return this.parseInProcess(input, onEarlyBatch);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextJobId++, input, onEarlyBatch, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    // Terminated workers exit: that is not a crash, nothing is replaced.
    this.closing = true;
    await Promise.all(this.workers.map((pooled) => pooled.worker.terminate()));
    this.workers.length = 0;
  }

  private spawn(): void {
    const pooled: PooledWorker = { worker: new Worker(this.workerScript), jobs: new Map() };
    pooled.worker.unref();
    pooled.worker.on('message', (message: WorkerMessage) => this.onMessage(pooled, message));
    pooled.worker.on('error', (error: Error) => this.onCrash(pooled, error));
    // process.exit() or a fatal error in the worker ends it with no 'error' event: without
    // this its files would wait for an answer forever.
    pooled.worker.on('exit', (code: number) => {
      if (!this.closing) this.onCrash(pooled, new Error(`parse worker stopped (exit code ${code})`));
    });
    this.workers.push(pooled);
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
    for (;;) {
      const job = this.queue[0];
      if (!job) return;
      const target = this.workers.reduce<PooledWorker | null>(
        (best, pooled) => (pooled.jobs.size < JOBS_PER_WORKER && (!best || pooled.jobs.size < best.jobs.size) ? pooled : best),
        null,
      );
      if (!target) return;
      this.queue.shift();
      target.jobs.set(job.id, job);
      const request: ParseRequest = { type: 'parse', jobId: job.id, input: job.input, filter: serializeFilter(this.filter) };
      target.worker.postMessage(request);
    }
  }

  private onMessage(pooled: PooledWorker, message: WorkerMessage): void {
    const job = pooled.jobs.get(message.jobId);
    if (!job) return;
    if (message.type === 'batch') {
      try {
        job.onEarlyBatch(message.batch);
      } catch (error) {
        // The writer failed: this worker is stuck waiting for an ack, so it is replaced.
        this.onCrash(pooled, error as Error);
        return;
      }
      pooled.worker.postMessage({ type: 'ack' });
      return;
    }
    pooled.jobs.delete(message.jobId);
    if (message.type === 'done') job.resolve({ summary: message.summary, finalBatch: message.finalBatch });
    else job.reject(new Error(message.message));
    this.dispatch();
  }

  /**
   * A crashed (or stuck) worker is replaced so one poisonous file cannot starve the pool.
   * The worker parses its files in the order it was handed them, so the oldest it holds is
   * the one it died on: that file fails, the others it was only holding go back to the
   * front of the queue for the replacement.
   */
  private onCrash(pooled: PooledWorker, error: Error): void {
    const at = this.workers.indexOf(pooled);
    if (at < 0) return;
    this.workers.splice(at, 1);
    void pooled.worker.terminate();
    const [current, ...waiting] = pooled.jobs.values();
    pooled.jobs.clear();
    current?.reject(error);
    if (this.closing) {
      for (const job of waiting) job.reject(error);
      return;
    }
    this.queue.unshift(...waiting);
    this.spawn();
    this.dispatch();
  }
}
