#!/usr/bin/env node
// node scripts/bench/append.mjs [--day 300000] [--bases 300000,1500000] [--large] [--runs 3] [--work DIR] [--cli PATH]
//
// Appending a day of events to a growing database, side by side with DuckDB in one run.
// The corpora are whole UTC days (cached under --work): each base is the days just before
// the appended one (0.3M = 1 day, 1.5M = 5 days; --large adds 6M = 20 days). Per base, each
// tool builds the base once; then every run copies it (untimed) and times appending the day,
// and times loading the day alone into an empty database, the four back to back, the order
// reversed run by run. The machine's speed drifts, so ratios are taken within a run and
// their median is what counts. Afterwards `investigate` and `timeline --actor` are timed on
// trailsift's appended database, and its table and index sizes are read from dbstat.
// Printed, and written to bench-results/append-<time>.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import {
  benchCorpus, commandLineOption as option, copyDatabase, corpusSummary, fileBytes, formatNumber as fmt, machineInfo, median, removeDatabase, repositoryRoot as root, requireGnuTime, timed,
  timedDuckdbLoad, timedIngest, writeResults,
} from './measure.mjs';

const DAY_MS = 86_400_000;
const APPENDED_DAY = Date.parse('2026-04-01T00:00:00Z'); // the bases are the days before it
const LARGE_BASE = 6_000_000;
const QUERY_RUNS = 5; // after one warm-up run
const TOOLS = ['trailsift', 'duckdb'];
const EXTENSION = { trailsift: '.db', duckdb: '.duckdb' };

const dayEvents = Number(option('day', '300000'));
const bases = [...new Set([...option('bases', '300000,1500000').split(',').map(Number), ...(process.argv.includes('--large') ? [LARGE_BASE] : [])])].sort((a, b) => a - b);
const runs = Number(option('runs', '3'));
const work = option('work', join(tmpdir(), 'trailsift-bench'));
const cli = resolve(option('cli', join(root, 'dist/cli/main.js')));
requireGnuTime();
if (!existsSync(cli)) {
  console.error(`no trailsift build at ${cli}: npm run build, or pass --cli`);
  process.exit(1);
}
for (const base of bases) {
  if (!(base > 0 && base % dayEvents === 0)) {
    console.error(`a base is whole days: ${base} is not a multiple of --day ${dayEvents}`);
    process.exit(2);
  }
}

/** The day `daysBefore` days before the appended one; a random stream of its own, so event IDs never repeat across days. */
function dayCorpus(daysBefore) {
  const start = new Date(APPENDED_DAY - daysBefore * DAY_MS).toISOString();
  const date = start.slice(0, 10);
  return { date, ...benchCorpus(work, dayEvents, { name: `day-${date}-${dayEvents}`, start, spanMs: DAY_MS, stream: `day ${date}` }) };
}

const day = dayCorpus(0);
const earlierDays = Array.from({ length: bases.at(-1) / dayEvents }, (_, at) => dayCorpus(at + 1)).reverse(); // oldest first
const databases = join(work, 'append');
mkdirSync(databases, { recursive: true });
const database = (tool, label) => join(databases, `${tool}-${label}${EXTENSION[tool]}`);

/**
 * Loads dirs into db with the tool, timed, and checks the count: trailsift reports the
 * events it inserted (every one new), DuckDB the rows its table holds afterwards.
 */
function load(tool, dirs, db, { baseEvents = 0, addedEvents }) {
  const append = baseEvents > 0;
  const sample = tool === 'trailsift' ? timedIngest(cli, dirs, db) : timedDuckdbLoad(dirs, db, { append });
  const output = JSON.parse(sample.stdout);
  const [counted, expected] = tool === 'trailsift' ? [output.eventsInserted, addedEvents] : [output.events, baseEvents + addedEvents];
  if (counted !== expected) throw new Error(`${tool} into ${db}: ${counted} events, expected ${expected} (${JSON.stringify(output)})`);
  const { stdout, ...kept } = sample;
  // trailsift's own account of where its time went (parse vs the deferred index builds).
  const own = tool === 'trailsift' ? { elapsedMs: output.elapsedMs, indexBuildMs: output.indexBuildMs } : {};
  return { ...kept, ...own, bytes: fileBytes(db) };
}

/** A trailsift command on db, timed QUERY_RUNS times after a warm-up; the median seconds and the last output. */
function timedQuery(db, commandArgs) {
  const samples = Array.from({ length: QUERY_RUNS + 1 }, () => timed(process.execPath, [cli, ...commandArgs, '--db', db, '--format', 'json'])).slice(1);
  return { seconds: median(samples.map((sample) => sample.seconds)), peakRssMb: Math.max(...samples.map((sample) => sample.rssMb)), output: JSON.parse(samples.at(-1).stdout) };
}

/** An assumed-role session ARN from the appended day's first file: a timeline of it is an index lookup. */
function sessionArn(dir) {
  const first = (path) => {
    const entry = readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))[0];
    return entry.isDirectory() ? first(join(path, entry.name)) : join(path, entry.name);
  };
  const { Records } = JSON.parse(gunzipSync(readFileSync(first(dir))).toString('utf8'));
  return Records.find((record) => record.userIdentity.type === 'AssumedRole').userIdentity.arn;
}

/** Bytes per table and index of an SQLite database (dbstat), largest first. */
function objectSizes(db) {
  const connection = new Database(db, { readonly: true });
  try {
    return connection
      .prepare(`SELECT d.name, coalesce(s.type, 'table') AS type, sum(d.pgsize) AS bytes
        FROM dbstat AS d LEFT JOIN sqlite_schema AS s ON s.name = d.name GROUP BY d.name ORDER BY bytes DESC`)
      .all();
  } finally {
    connection.close();
  }
}

const actor = sessionArn(day.dir);
const results = [];
for (const baseEvents of bases) {
  const baseDirs = earlierDays.slice(-baseEvents / dayEvents).map((corpus) => corpus.dir);
  const base = {};
  for (const tool of TOOLS) {
    removeDatabase(database(tool, `base-${baseEvents}`));
    base[tool] = load(tool, baseDirs, database(tool, `base-${baseEvents}`), { addedEvents: baseEvents });
    process.stderr.write(`base ${fmt(baseEvents)} ${tool}: built in ${base[tool].seconds.toFixed(1)} s, ${fmt(base[tool].bytes / 1048576)} MB\n`);
  }
  const samples = Object.fromEntries(TOOLS.map((tool) => [tool, { append: [], fresh: [] }]));
  const steps = TOOLS.flatMap((tool) => [[tool, 'append'], [tool, 'fresh']]);
  for (let run = 0; run < runs; run += 1) {
    for (const [tool, step] of run % 2 === 0 ? steps : [...steps].reverse()) {
      const db = database(tool, step);
      if (step === 'append') copyDatabase(database(tool, `base-${baseEvents}`), db);
      else removeDatabase(db);
      const sample = load(tool, [day.dir], db, { baseEvents: step === 'append' ? baseEvents : 0, addedEvents: day.events });
      samples[tool][step].push(sample);
      process.stderr.write(`base ${fmt(baseEvents)} run ${run + 1}/${runs} ${tool} ${step}: ${sample.seconds.toFixed(2)} s, ${sample.rssMb.toFixed(0)} MB RSS\n`);
    }
  }
  const appended = database('trailsift', 'append');
  // The corpus has no deletions: the bundled scenario's five incidents give investigate real
  // work (every correlation lookup runs against every day's table), untimed to add.
  const scenario = spawnSync(process.execPath, [cli, 'ingest', join(root, 'fixtures/scenario/archive'), '--db', appended, '--progress', 'none'], { encoding: 'utf8' });
  if (scenario.status !== 0) throw new Error(`adding the scenario to ${appended} failed: ${scenario.stderr}`);
  const investigate = timedQuery(appended, ['investigate']);
  const timeline = timedQuery(appended, ['timeline', '--actor', actor]);
  const perRun = (ratio) => median(samples.trailsift.append.map((sample, run) => ratio(sample, run)));
  const summary = (tool) => {
    const { append, fresh } = samples[tool];
    const appendSeconds = median(append.map((sample) => sample.seconds));
    return {
      appendSeconds,
      appendEventsPerSecond: day.events / appendSeconds,
      appendCpuSeconds: median(append.map((sample) => sample.cpuSeconds)),
      freshSeconds: median(fresh.map((sample) => sample.seconds)),
      appendPeakRssMb: Math.max(...append.map((sample) => sample.rssMb)),
      peakRssMb: Math.max(base[tool].rssMb, ...append.map((sample) => sample.rssMb), ...fresh.map((sample) => sample.rssMb)),
      bytesAfterAppend: median(append.map((sample) => sample.bytes)),
      base: base[tool],
      runs: { append, fresh },
    };
  };
  const row = { baseEvents, trailsift: summary('trailsift'), duckdb: summary('duckdb') };
  row.ratios = {
    // Speed ratios (same events, so inverse time ratios), each run's pair back to back.
    appendVsFresh: perRun((sample, run) => samples.trailsift.fresh[run].seconds / sample.seconds),
    appendVsDuckdbAppend: perRun((sample, run) => samples.duckdb.append[run].seconds / sample.seconds),
    duckdbAppendVsFresh: median(samples.duckdb.append.map((sample, run) => samples.duckdb.fresh[run].seconds / sample.seconds)),
    sizeVsDuckdb: row.trailsift.bytesAfterAppend / row.duckdb.bytesAfterAppend,
  };
  row.queries = {
    investigateSeconds: investigate.seconds,
    investigateIncidents: investigate.output.incidents.length,
    timelineSeconds: timeline.seconds,
    timelineEvents: timeline.output.length,
    peakRssMb: Math.max(investigate.peakRssMb, timeline.peakRssMb),
  };
  row.objectBytes = objectSizes(appended);
  results.push(row);
}

const appendSeconds = (tool) => results.map((row) => row[tool].appendSeconds);
const spread = (values) => Math.max(...values) / Math.min(...values);
const report = {
  machine: machineInfo(),
  cli,
  day: { date: day.date, ...corpusSummary(day) },
  runs,
  timelineActor: actor,
  bases: results,
  flatness: { trailsift: spread(appendSeconds('trailsift')), duckdb: spread(appendSeconds('duckdb')) },
  // The same, against the drift of a shared machine: each base's append time over the fresh
  // load of the same day in the same runs (minutes apart, not hours).
  flatnessAgainstFresh: {
    trailsift: spread(results.map((row) => 1 / row.ratios.appendVsFresh)),
    duckdb: spread(results.map((row) => 1 / row.ratios.duckdbAppendVsFresh)),
  },
  queryGrowth: {
    investigate: results.at(-1).queries.investigateSeconds / results[0].queries.investigateSeconds,
    timeline: results.at(-1).queries.timelineSeconds / results[0].queries.timelineSeconds,
  },
};

const mb = (bytes) => fmt(bytes / 1048576);
console.log(`\nappending the day ${day.date} (${fmt(day.events)} events, ${day.files} files, ${fmt(report.day.compressedMB, 1)} MB gzip) to bases of whole days; median of ${runs} alternating runs, ${report.machine.cpus} cores`);
console.log('speed ratios are per run, back to back: "vs fresh" = loading the day into an empty database / appending it\n');
console.log('| base events | trailsift append s | events/s | DuckDB append s | events/s | trailsift vs fresh | trailsift vs DuckDB | peak RSS MB trailsift / DuckDB | MB after trailsift / DuckDB | size vs DuckDB | investigate s | timeline --actor s |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const { baseEvents, trailsift, duckdb, ratios, queries } of results) {
  console.log(
    `| ${fmt(baseEvents)} | ${fmt(trailsift.appendSeconds, 2)} | ${fmt(trailsift.appendEventsPerSecond)} | ${fmt(duckdb.appendSeconds, 2)} | ${fmt(duckdb.appendEventsPerSecond)} | ` +
      `${fmt(ratios.appendVsFresh, 2)}x | ${fmt(ratios.appendVsDuckdbAppend, 2)}x | ${fmt(trailsift.appendPeakRssMb)} / ${fmt(duckdb.appendPeakRssMb)} | ` +
      `${mb(trailsift.bytesAfterAppend)} / ${mb(duckdb.bytesAfterAppend)} | ${fmt(ratios.sizeVsDuckdb, 2)}x | ${fmt(queries.investigateSeconds, 2)} | ${fmt(queries.timelineSeconds, 2)} |`,
  );
}
console.log('\n| base events | trailsift fresh day s | DuckDB fresh day s | DuckDB append vs fresh | trailsift base build s | DuckDB base build s | trailsift peak RSS MB, every run | indexes MB / database MB |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const { baseEvents, trailsift, duckdb, ratios, objectBytes } of results) {
  const indexBytes = objectBytes.filter(({ type }) => type === 'index').reduce((sum, { bytes }) => sum + bytes, 0);
  console.log(
    `| ${fmt(baseEvents)} | ${fmt(trailsift.freshSeconds, 2)} | ${fmt(duckdb.freshSeconds, 2)} | ${fmt(ratios.duckdbAppendVsFresh, 2)}x | ${fmt(trailsift.base.seconds, 1)} | ${fmt(duckdb.base.seconds, 1)} | ` +
      `${fmt(trailsift.peakRssMb)} | ${mb(indexBytes)} / ${mb(objectBytes.reduce((sum, { bytes }) => sum + bytes, 0))} |`,
  );
}
console.log(`\nappend time across bases (max / min): trailsift ${fmt(report.flatness.trailsift, 2)}x, DuckDB ${fmt(report.flatness.duckdb, 2)}x (target: trailsift ≤ 1.25x)`);
console.log(`append / fresh-day time across bases (max / min, drift-free): trailsift ${fmt(report.flatnessAgainstFresh.trailsift, 2)}x, DuckDB ${fmt(report.flatnessAgainstFresh.duckdb, 2)}x`);
console.log(`largest base vs smallest: investigate ${fmt(report.queryGrowth.investigate, 2)}x, timeline --actor ${fmt(report.queryGrowth.timeline, 2)}x the time (target < 2x, under 1 s)`);
console.log(`timeline --actor ${actor}: ${results[0].queries.timelineEvents} event(s); investigate: ${results[0].queries.investigateIncidents} incident(s)`);
console.log(`\nwritten to ${writeResults('append', report)}`);
