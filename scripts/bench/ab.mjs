#!/usr/bin/env node
// node scripts/bench/ab.mjs <build A> <build B> [--rounds 8] [--events 300000] [--work dir] [--onto base.db --source dir]
//
// A/B of two builds of trailsift on the bench corpus (scripts/bench/run.mjs makes the same
// one): alternating ingests into fresh databases, A first in even rounds and B first in odd
// ones. With --onto, each ingest appends --source (events the base does not hold) to a fresh
// copy of that base instead, copied untimed: e.g. the base and day append.mjs caches under
// --work (append/trailsift-base-300000.db and day-2026-04-01-300000/logs). The machine's
// speed drifts between minutes, so each round's pair, run back to back, is compared with
// itself, and the median of those B/A ratios is what a change is judged on.
// A build is a copy of `dist` kept inside this repository (so it finds node_modules), beside a
// copy of package.json (the CLI reads its version from ../package.json), e.g.:
//   mkdir -p .ab && cp package.json .ab/
//   git stash && npm run build && rm -rf .ab/before && cp -r dist .ab/before
//   git stash pop && npm run build && rm -rf .ab/after && cp -r dist .ab/after
//   node scripts/bench/ab.mjs .ab/before .ab/after --rounds 8
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { benchCorpus, commandLineOption as option, copyDatabase, fileBytes, median, removeDatabase, requireGnuTime, timedIngest } from './measure.mjs';

const args = process.argv.slice(2);
const builds = { A: args[0], B: args[1] };
if (!builds.A || !builds.B || builds.A.startsWith('--') || builds.B.startsWith('--')) {
  console.error('usage: node scripts/bench/ab.mjs <build A> <build B> [--rounds 8] [--events 300000] [--work dir]');
  process.exit(2);
}
for (const [name, build] of Object.entries(builds)) {
  if (!existsSync(join(build, 'cli/main.js'))) {
    console.error(`build ${name} (${build}) has no cli/main.js: copy a built dist folder there`);
    process.exit(2);
  }
}
requireGnuTime();
const rounds = Number(option('rounds', '8'));
const work = option('work', join(tmpdir(), 'trailsift-bench'));
const onto = option('onto');
const source = option('source');
if ((onto === undefined) !== (source === undefined) || (onto !== undefined && !existsSync(onto))) {
  console.error('--onto <base.db> and --source <dir> go together, and the base must exist');
  process.exit(2);
}
const data = source ? { dir: source } : benchCorpus(work, Number(option('events', '300000')));
// Every ingest inserts what the bench corpus holds; a --source, whatever the first ingest of it inserted.
let expected = data.events;
const baseBytes = onto ? fileBytes(onto) : 0;

const samples = { A: [], B: [] };
for (let round = 0; round < rounds; round += 1) {
  for (const name of round % 2 === 0 ? ['A', 'B'] : ['B', 'A']) {
    const db = join(work, `ab-${name}.db`);
    if (onto) copyDatabase(onto, db);
    else removeDatabase(db);
    const sample = timedIngest(resolve(builds[name], 'cli/main.js'), data.dir, db);
    const inserted = JSON.parse(sample.stdout).eventsInserted;
    expected ??= inserted;
    if (inserted === 0 || inserted !== expected) throw new Error(`build ${name} inserted ${inserted} events, expected ${expected}`);
    sample.bytes = fileBytes(db) - baseBytes;
    sample.inserted = inserted;
    samples[name].push(sample);
    process.stderr.write(
      `round ${round + 1}/${rounds} ${name}: ${sample.seconds.toFixed(2)} s wall, ${sample.cpuSeconds.toFixed(2)} s CPU, ${sample.rssMb.toFixed(0)} MB\n`,
    );
  }
}

for (const [name, list] of Object.entries(samples)) {
  const bytesPerEvent = median(list.map((sample) => sample.bytes)) / list[0].inserted;
  console.log(
    `${name} ${builds[name]}: wall ${median(list.map((sample) => sample.seconds)).toFixed(2)} s, CPU ${median(list.map((sample) => sample.cpuSeconds)).toFixed(2)} s, ` +
      `peak RSS ${Math.max(...list.map((sample) => sample.rssMb)).toFixed(0)} MB, ${bytesPerEvent.toFixed(0)} bytes/event (medians)`,
  );
}
const ratios = samples.A.map((sample, round) => samples.B[round].seconds / sample.seconds);
console.log(`B/A wall per round: ${ratios.map((ratio) => ratio.toFixed(3)).join(' ')}; median ${median(ratios).toFixed(3)}`);
