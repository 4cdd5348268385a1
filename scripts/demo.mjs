#!/usr/bin/env node
// `npm start`: the main job on the bundled scenario archive (fixtures/scenario, made by
// scripts/generate-scenario.mjs): ingest into a temporary database, then investigate.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli', 'main.js');
const workdir = mkdtempSync(join(tmpdir(), 'trailsift-demo-'));
const db = join(workdir, 'demo.db');

function trailsift(...args) {
  process.stderr.write(`\n$ trailsift ${args.join(' ')}\n`);
  const result = spawnSync(process.execPath, [cli, ...args, '--db', db], { stdio: 'inherit' });
  if (result.status !== 0) {
    rmSync(workdir, { recursive: true, force: true });
    process.exit(result.status ?? 1);
  }
}

try {
  trailsift('ingest', join(root, 'fixtures', 'scenario', 'archive'));
  trailsift('stats');
  trailsift('investigate');
} finally {
  rmSync(workdir, { recursive: true, force: true });
}
