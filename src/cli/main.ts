#!/usr/bin/env node
import { run } from './program.js';

// `trailsift … | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const interrupt = new AbortController();
let interruptedOnce = false;
process.on('SIGINT', () => {
  // First Ctrl-C: finish the files in flight, commit, summarise. Second: leave now
  // (SQLite rolls back the open transaction, the database stays consistent).
  if (interruptedOnce) process.exit(130);
  interruptedOnce = true;
  process.stderr.write('\ninterrupt: finishing files in flight (Ctrl-C again to stop at once)\n');
  interrupt.abort();
});

const code = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  interrupt: interrupt.signal,
});
process.exitCode = code;
