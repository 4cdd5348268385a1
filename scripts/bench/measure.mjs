// What the benchmark scripts share: options, the corpus, timing a command under GNU time, medians.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCorpus } from './corpus.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
/** The repository the scripts belong to (dist/, fixtures/, bench-results/ are under it). */
export const repositoryRoot = join(benchDir, '..', '..');

/** What a result file says of the machine it was measured on. */
export const machineInfo = () => ({ cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGB: Math.round(totalmem() / 1073741824), node: process.version });

/** What a result file says of a corpus (benchCorpus's answer). */
export const corpusSummary = (corpus) => ({ events: corpus.events, files: corpus.files, compressedMB: corpus.compressedBytes / 1048576, jsonMB: corpus.jsonBytes / 1048576 });

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

/** One `trailsift ingest` of dir (or an array of dirs) into db by the build at cliMain, timed. */
export const timedIngest = (cliMain, dir, db) => timed(process.execPath, [cliMain, 'ingest', ...[dir].flat(), '--db', db, '--format', 'json']);

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * The reproducible corpus of `events` records under work/<name>, generated once and reused;
 * `options` go to writeCorpus, so a name must stand for one set of them.
 */
export function benchCorpus(work, events, { name = `corpus-${events}`, ...options } = {}) {
  const dir = join(work, name);
  const meta = join(dir, 'corpus.json');
  if (!existsSync(meta)) {
    rmSync(dir, { recursive: true, force: true });
    process.stderr.write(`generating ${events} events in ${dir}…\n`);
    const written = writeCorpus(join(dir, 'logs'), events, options);
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

// An SQLite database's WAL is <db>-wal, DuckDB's is <db>.wal.
const withLogs = (path) => [path, `${path}-wal`, `${path}.wal`];

export function removeDatabase(path) {
  for (const file of [...withLogs(path), `${path}-shm`, `${path}-journal`]) rmSync(file, { force: true });
}

export function fileBytes(path) {
  return withLogs(path).filter(existsSync).reduce((sum, file) => sum + statSync(file).size, 0);
}

/** Replaces the database at `to` with a copy of the one at `from`, logs included. */
export function copyDatabase(from, to) {
  removeDatabase(to);
  const targets = withLogs(to);
  withLogs(from).forEach((file, at) => existsSync(file) && copyFileSync(file, targets[at]));
}

/** DuckDB loading dirs into db (scripts/bench/duckdb-load.mjs), timed; append: into its existing table. */
export const timedDuckdbLoad = (dirs, db, { append = false } = {}) =>
  timed(process.execPath, [join(benchDir, 'duckdb-load.mjs'), ...dirs, db, ...(append ? ['--append'] : [])]);

/** A number for the results tables: '-' when missing, thousands separated. */
export const formatNumber = (n, digits = 0) =>
  n === null || n === undefined ? '-' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Writes report to bench-results/<prefix>-<time>.json in the repository; returns the path. */
export function writeResults(prefix, report) {
  const dir = join(repositoryRoot, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${prefix}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
