/**
 * A throwaway S3 endpoint for tests: s3rver 3.7.1 in a child process on 127.0.0.1, with
 * a fresh store, seeded through the real S3 API (PutObject) from this process.
 *
 * s3rver runs in a child rather than in the test worker because it needs
 * `--openssl-legacy-provider` (DES continuation tokens) and because its winston
 * logger installs process-wide handlers we do not want inside vitest.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

/** s3rver's built-in access key pair; its signature check accepts only these. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3rverHandle {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  bucket: string;
  /** Keys uploaded from seedDir, sorted. */
  seededKeys: string[];
  /** Upload one more object (PutObject through the SDK), with user metadata (x-amz-meta-*) when given. */
  put(key: string, body: Uint8Array | string, metadata?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

const CHILD_SCRIPT = fileURLToPath(new URL('./s3rver-child.mjs', import.meta.url));
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
const UPLOAD_CONCURRENCY = 8;

export async function startS3rver(options: { seedDir?: string; bucket: string }): Promise<S3rverHandle> {
  const directory = mkdtempSync(join(tmpdir(), 'trailsift-s3rver-'));
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = fork(CHILD_SCRIPT, [directory, options.bucket], {
    execArgv: ['--openssl-legacy-provider'],
    env,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4_000);
  });

  let port: number;
  try {
    port = await waitForPort(child, () => stderr);
  } catch (error) {
    await killChild(child);
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }

  const endpoint = `http://127.0.0.1:${port}`;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: S3RVER_CREDENTIALS,
    // s3rver predates flexible checksums; send only what S3 requires.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const put = async (key: string, body: Uint8Array | string, metadata?: Record<string, string>): Promise<void> => {
    await client.send(new PutObjectCommand({ Bucket: options.bucket, Key: key, Body: body, ...(metadata ? { Metadata: metadata } : {}) }));
  };

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    client.destroy();
    await killChild(child);
    rmSync(directory, { recursive: true, force: true });
  };

  const seededKeys: string[] = [];
  try {
    if (options.seedDir) {
      const files = filesUnder(options.seedDir);
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < files.length) {
          const file = files[next++]!;
          const key = relative(options.seedDir!, file).split(sep).join('/');
          await put(key, readFileSync(file));
          seededKeys.push(key);
        }
      };
      await Promise.all(Array.from({ length: UPLOAD_CONCURRENCY }, worker));
    }
  } catch (error) {
    await stop();
    throw error;
  }

  seededKeys.sort();
  return { endpoint, bucket: options.bucket, seededKeys, put, stop };
}

function waitForPort(child: ChildProcess, stderr: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const fail = (reason: string): void => {
      cleanup();
      const tail = stderr().trim();
      reject(new Error(`s3rver did not start: ${reason}${tail ? `\n${tail}` : ''}`));
    };
    const onMessage = (message: unknown): void => {
      const m = message as { ready?: boolean; port?: number; error?: string };
      if (m.ready && typeof m.port === 'number') {
        cleanup();
        resolve(m.port);
      } else if (m.error) {
        fail(m.error);
      }
    };
    const onExit = (code: number | null, signal: string | null): void => fail(`child exited (code ${code}, signal ${signal})`);
    const onError = (error: Error): void => fail(error.message);
    const timer = setTimeout(() => fail(`no port reported within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
    child.on('error', onError);
  });
}

/** SIGTERM, then SIGKILL if the child is still there; resolves once it has exited. */
async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
  if (child.connected) child.disconnect();
}

function filesUnder(root: string): string[] {
  const out: string[] = [];
  const visit = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile()) out.push(path);
    }
  };
  visit(root);
  return out.sort();
}
