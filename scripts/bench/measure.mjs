// What the benchmark scripts share: options, the corpus, timing a command under GNU time, medians.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeCorpus } from './corpus.mjs';

export const TIME = '/usr/bin/time';

export function requireGnuTime() {
  if (!existsSync(TIME)) {
    console.error('the benchmark needs GNU time for peak RSS: apt-get install time');
    process.exit(1);
  }
}

/** `--name value` from the command line, or the fallback. */
export function commandLineOption(name, fallback) {
  const at = process.argv.indexOf(`--${name}`, 2);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

/** One `trailsift ingest` of dir into db by the build at cliMain, timed. */
export const timedIngest = (cliMain, dir, db) => timed(process.execPath, [cliMain, 'ingest', dir, '--db', db, '--format', 'json']);

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The reproducible corpus of `events` records under work/, generated once and reused. */
export function benchCorpus(work, events) {
  const dir = join(work, `corpus-${events}`);
  const meta = join(dir, 'corpus.json');
  if (!existsSync(meta)) {
    rmSync(dir, { recursive: true, force: true });
    process.stderr.write(`generating ${events} events in ${dir}…\n`);
    const written = writeCorpus(join(dir, 'logs'), events);
    writeFileSync(meta, JSON.stringify(written));
  }
  return { dir: join(dir, 'logs'), ...JSON.parse(readFileSync(meta, 'utf8')) };
}

/** Runs a command under GNU time: wall seconds, CPU seconds (user + system), peak RSS in MB, stdout. */
export function timed(command, commandArgs) {
  const started = process.hrtime.bigint();
  const result = spawnSync(TIME, ['-v', command, ...commandArgs], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${commandArgs.join(' ')} failed: ${result.stderr.slice(-2000)}`);
  const reading = (label) => Number(new RegExp(`${label}: ([\\d.]+)`).exec(result.stderr)?.[1] ?? NaN);
  return {
    seconds,
    cpuSeconds: reading('User time \\(seconds\\)') + reading('System time \\(seconds\\)'),
    rssMb: reading('Maximum resident set size \\(kbytes\\)') / 1024,
    stdout: result.stdout,
  };
}

export function removeDatabase(path) {
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`, `${path}.wal`]) rmSync(file, { force: true });
}

export function fileBytes(path) {
  return [path, `${path}-wal`, `${path}.wal`].filter(existsSync).reduce((sum, file) => sum + statSync(file).size, 0);
}
