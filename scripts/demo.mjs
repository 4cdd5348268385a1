#!/usr/bin/env node
// `npm start`: the main job on the bundled scenario archive (fixtures/scenario, made by
// scripts/generate-scenario.mjs): ingest into ./trailsift-demo.db (kept, so the commands it
// suggests at the end work on it), then the summary of every incident, one incident in full,
// and where the rest is.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli', 'main.js');
const db = join(process.cwd(), 'trailsift-demo.db');
const shown = relative(process.cwd(), db) || db;

function trailsift(args, capture = false) {
  if (!capture) process.stderr.write(`\n$ npx trailsift ${args.join(' ')} --db ${shown}\n`);
  const result = spawnSync(process.execPath, [cli, ...args, '--db', db], { stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  return result.stdout;
}

// A fresh demo database each time: the scenario is the same, its answers too.
for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${db}${suffix}`, { force: true });
trailsift(['ingest', join(root, 'fixtures', 'scenario', 'archive')]);
trailsift(['investigate', '--summary']);

// The most severe real deletion, shown in full.
const { incidents } = JSON.parse(trailsift(['investigate', '--format', 'json'], true));
const order = ['info', 'low', 'medium', 'high', 'critical'];
const main = [...incidents]
  .filter((incident) => incident.outcome === 'deleted')
  .sort((a, b) => order.indexOf(b.assessment.severity) - order.indexOf(a.assessment.severity))[0] ?? incidents[0];
if (main) trailsift(['investigate', '--event-id', main.id]);

const next = main
  ? [
      `npx trailsift timeline --db ${shown} --incident ${main.id}`,
      `npx trailsift report --db ${shown} --incident ${main.id} --out case.html`,
      `npx trailsift investigate --db ${shown} --event-id ${main.id} --emit-script remediate.sh`,
    ]
  : [`npx trailsift stats --db ${shown}`];
process.stderr.write(
  [
    '',
    `The other ${Math.max(0, incidents.length - 1)} incident(s) in full: npx trailsift investigate --db ${shown} --format md (or report --all --out cases.html).`,
    'Next, try:',
    ...next.map((command) => `  ${command}`),
    '',
  ].join('\n'),
);
