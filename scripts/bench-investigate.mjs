#!/usr/bin/env node
// Investigation scaling: the same scenario investigated on a database of the bundled
// size and on one 15 times larger (same story, 15x the events), alternating runs in one
// process, medians compared. Correlation is index-driven, so the ratio should stay < 2.
//
//   npm run build && node scripts/bench-investigate.mjs [--runs 9] [--scale 15] [--json out.json]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { commandLineOption as option, median, repositoryRoot as root } from './bench/measure.mjs';

const runs = Number(option('runs', '9'));
const scale = Number(option('scale', '15'));
const jsonOut = option('json', null);

const { openDatabase } = await import(join(root, 'dist/store/database.js'));
const { SqliteEvidence } = await import(join(root, 'dist/store/evidence.js'));
const { investigate } = await import(join(root, 'dist/correlate/investigate.js'));

const work = mkdtempSync(join(tmpdir(), 'trailsift-bench-investigate-'));
const BASE_NOISE = 3000;
const STORY_EVENTS = 139;

function build(label, noise) {
  const archive = join(work, label);
  const db = join(work, `${label}.db`);
  const generated = spawnSync(process.execPath, [join(root, 'scripts/generate-scenario.mjs'), archive, '--noise', String(noise)], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (generated.status !== 0) throw new Error(`generating ${label} failed`);
  const ingested = spawnSync(process.execPath, [join(root, 'dist/cli/main.js'), 'ingest', join(archive, 'archive'), '--db', db, '--format', 'json'], { encoding: 'utf8' });
  if (ingested.status !== 0) throw new Error(`ingesting ${label} failed: ${ingested.stderr}`);
  return { label, db, events: JSON.parse(ingested.stdout).eventsInserted };
}

async function timeOnce(database) {
  const db = openDatabase(database.db, { readonly: true });
  try {
    const started = performance.now();
    const incidents = await investigate(new SqliteEvidence(db), {});
    const elapsed = performance.now() - started;
    return { elapsed, incidents: incidents.length };
  } finally {
    db.close();
  }
}

try {
  const small = build('base', BASE_NOISE);
  const large = build(`x${scale}`, Math.round((BASE_NOISE + STORY_EVENTS) * scale - STORY_EVENTS));
  const times = { [small.label]: [], [large.label]: [] };
  for (let run = 0; run < runs + 1; run += 1) {
    for (const database of run % 2 === 0 ? [small, large] : [large, small]) {
      const { elapsed, incidents } = await timeOnce(database);
      if (run > 0) times[database.label].push(elapsed); // run 0 warms caches
      if (incidents !== 5) throw new Error(`expected 5 incidents in ${database.label}, got ${incidents}`);
    }
  }
  const result = {
    runs,
    base: { events: small.events, medianMs: median(times[small.label]) },
    large: { events: large.events, medianMs: median(times[large.label]) },
  };
  result.sizeRatio = result.large.events / result.base.events;
  result.timeRatio = result.large.medianMs / result.base.medianMs;
  console.log(`investigate, ${runs} alternating runs each (median):`);
  console.log(`  base   ${String(result.base.events).padStart(8)} events  ${result.base.medianMs.toFixed(1)} ms`);
  console.log(`  large  ${String(result.large.events).padStart(8)} events  ${result.large.medianMs.toFixed(1)} ms`);
  console.log(`  ${result.sizeRatio.toFixed(1)}x the events → ${result.timeRatio.toFixed(2)}x the time (target < 2x)`);
  if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(result, null, 2)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
