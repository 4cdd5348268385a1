#!/usr/bin/env node
// npm run bench -- [--events 300000] [--runs 3] [--big-mb 600] [--skip-big] [--skip-investigate] [--skip-append] [--large]
//
// Ingest at the speed of the machine, measured side by side in one run, alternating:
//   1. trailsift ingest into a fresh database;
//   2. DuckDB loading the same files whole (what a user might do instead);
//   3. the floor: gunzip + JSON.parse of every file in one Node process, nothing stored.
// Medians, events/s, MB/s (compressed and JSON), database bytes per event, peak RSS of
// the whole process (/usr/bin/time -v), ratios. Then trailsift alone on one single file of
// about --big-mb MB of JSON (bounded memory), and the investigation scaling figure.
// Results are printed and written to bench-results/bench-<time>.json. Last, the append
// benchmark (append.mjs: a day appended to growing databases, beside DuckDB; --large adds
// the 6M-event base), unless --skip-append.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSingleFile } from './corpus.mjs';
import {
  benchCorpus, commandLineOption as option, corpusSummary, fileBytes, formatNumber as fmt, machineInfo, median, removeDatabase, repositoryRoot as root, requireGnuTime, timed, timedDuckdbLoad,
  timedIngest, writeResults,
} from './measure.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const events = Number(option('events', '300000'));
const runs = Number(option('runs', '3'));
const bigMb = Number(option('big-mb', '600'));
const work = option('work', join(tmpdir(), 'trailsift-bench'));
requireGnuTime();
if (!existsSync(join(root, 'dist/cli/main.js'))) {
  console.error('build first: npm run build');
  process.exit(1);
}

const contenders = {
  trailsift: (dir, db) => timedIngest(join(root, 'dist/cli/main.js'), dir, db),
  duckdb: (dir, db) => timedDuckdbLoad([dir], db),
  floor: (dir) => timed(process.execPath, [join(root, 'scripts/bench/floor.mjs'), dir]),
};

const data = benchCorpus(work, events);
mkdirSync(work, { recursive: true });
const samples = { trailsift: [], duckdb: [], floor: [] };
const order = Object.keys(contenders);
for (let run = 0; run < runs; run += 1) {
  const sequence = run % 2 === 0 ? order : [...order].reverse();
  for (const name of sequence) {
    const db = join(work, `${name}.db`);
    removeDatabase(db);
    const sample = contenders[name](data.dir, db);
    const counted = JSON.parse(sample.stdout.trim().split('\n').pop()).events ?? JSON.parse(sample.stdout).eventsInserted;
    sample.events = name === 'trailsift' ? JSON.parse(sample.stdout).eventsInserted : counted;
    if (sample.events !== data.events) throw new Error(`${name} loaded ${sample.events} events, expected ${data.events}`);
    sample.bytes = name === 'floor' ? 0 : fileBytes(db);
    samples[name].push(sample);
    process.stderr.write(`run ${run + 1}/${runs} ${name}: ${sample.seconds.toFixed(2)} s, ${sample.rssMb.toFixed(0)} MB RSS\n`);
  }
}

const summary = {};
for (const [name, list] of Object.entries(samples)) {
  const seconds = median(list.map((sample) => sample.seconds));
  summary[name] = {
    medianSeconds: seconds,
    eventsPerSecond: data.events / seconds,
    compressedMBps: data.compressedBytes / 1048576 / seconds,
    jsonMBps: data.jsonBytes / 1048576 / seconds,
    bytesPerEvent: name === 'floor' ? null : median(list.map((sample) => sample.bytes)) / data.events,
    peakRssMb: Math.max(...list.map((sample) => sample.rssMb)),
  };
}
// The machine's speed drifts between runs (shared host), so each round's contenders,
// run back to back, are also compared with each other, and the median of those is given.
const perRound = (other) => samples.trailsift.map((sample, round) => samples[other][round].seconds / sample.seconds);
const ratios = {
  speedVsDuckdb: summary.trailsift.eventsPerSecond / summary.duckdb.eventsPerSecond,
  speedVsFloor: summary.trailsift.eventsPerSecond / summary.floor.eventsPerSecond,
  sizeVsDuckdb: summary.trailsift.bytesPerEvent / summary.duckdb.bytesPerEvent,
  speedVsDuckdbPerRound: perRound('duckdb'),
  medianSpeedVsDuckdbPerRound: median(perRound('duckdb')),
};

let big = null;
if (!flag('skip-big')) {
  const path = join(work, `single-${bigMb}mb`, 'AWSLogs', 'big.json.gz');
  const metaPath = `${path}.json`;
  if (!existsSync(metaPath)) {
    const recordsWanted = Math.round((bigMb * 1048576) / (data.jsonBytes / data.events));
    process.stderr.write(`writing one file of ~${bigMb} MB JSON (${recordsWanted} records)…\n`);
    writeFileSync(metaPath, JSON.stringify(await writeSingleFile(path, recordsWanted)));
  }
  const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
  const db = join(work, 'big.db');
  removeDatabase(db);
  const sample = contenders.trailsift(path, db);
  big = { jsonMB: meta.jsonBytes / 1048576, events: JSON.parse(sample.stdout).eventsInserted, seconds: sample.seconds, peakRssMb: sample.rssMb };
  process.stderr.write(`single ${big.jsonMB.toFixed(0)} MB file: ${big.seconds.toFixed(1)} s, ${big.peakRssMb.toFixed(0)} MB RSS\n`);
}

let investigation = null;
if (!flag('skip-investigate')) {
  const out = join(work, 'investigate.json');
  const result = spawnSync(process.execPath, [join(root, 'scripts/bench-investigate.mjs'), '--json', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status === 0) investigation = JSON.parse(readFileSync(out, 'utf8'));
}

const report = {
  machine: machineInfo(),
  corpus: corpusSummary(data),
  runs,
  summary,
  ratios,
  secondsPerRun: Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, list.map((sample) => sample.seconds)])),
  singleFile: big,
  investigation,
};
console.log(`\n${data.events.toLocaleString('en-US')} events in ${data.files} files (${fmt(report.corpus.compressedMB, 1)} MB gzip, ${fmt(report.corpus.jsonMB, 0)} MB JSON), median of ${runs} alternating runs, ${report.machine.cpus} cores\n`);
console.log('| | seconds | events/s | MB/s gzip | MB/s JSON | bytes/event | peak RSS MB |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [name, row] of Object.entries(summary)) {
  console.log(`| ${name} | ${fmt(row.medianSeconds, 2)} | ${fmt(row.eventsPerSecond)} | ${fmt(row.compressedMBps, 1)} | ${fmt(row.jsonMBps, 1)} | ${fmt(row.bytesPerEvent)} | ${fmt(row.peakRssMb)} |`);
}
console.log(`\ntrailsift vs DuckDB: ${fmt(ratios.speedVsDuckdb, 2)}x the speed, ${fmt(ratios.sizeVsDuckdb, 2)}x the size; vs the floor: ${fmt(ratios.speedVsFloor, 2)}x the speed`);
console.log(`speed vs DuckDB round by round: ${ratios.speedVsDuckdbPerRound.map((ratio) => fmt(ratio, 2)).join(' ')} (median ${fmt(ratios.medianSpeedVsDuckdbPerRound, 2)}x)`);
if (big) console.log(`single file of ${fmt(big.jsonMB)} MB JSON: ${fmt(big.events)} events in ${fmt(big.seconds, 1)} s, peak RSS ${fmt(big.peakRssMb)} MB`);
if (investigation) console.log(`investigate: ${fmt(investigation.sizeRatio, 1)}x the events → ${fmt(investigation.timeRatio, 2)}x the time`);
console.log(`\nwritten to ${writeResults('bench', report)}`);

if (!flag('skip-append')) {
  // It shares the run count, the work directory (where corpora are cached) and --large.
  const passed = ['runs', 'work'].filter((name) => option(name) !== undefined).flatMap((name) => [`--${name}`, option(name)]);
  if (flag('large')) passed.push('--large');
  const appended = spawnSync(process.execPath, [join(root, 'scripts/bench/append.mjs'), ...passed], { stdio: 'inherit' });
  if (appended.status !== 0) process.exit(appended.status ?? 1);
}
