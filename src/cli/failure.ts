/**
 * The one place an error becomes what the user sees: at most one line on stderr and an exit
 * code (README "Exit codes"). Commands throw; they never print their own error lines.
 */
import { CommanderError } from 'commander';
import { PublicKeyError } from '../custody/public-keys.js';
import { terminalSafeText } from '../report/terminal-safe.js';
import { SourceError } from '../sources/source.js';
import { DatabaseError } from '../store/database.js';
import { QueryRefused } from '../store/queries.js';
import { EXIT, UserError } from './io.js';

export interface FailureOutcome {
  exitCode: number;
  /** What goes to stderr, newline included; null when commander has already said it. */
  line: string | null;
}

/** Failures whose message is written for the user: shown as is, exit 1 unless a UserError says otherwise. */
const EXPLAINED = [UserError, DatabaseError, SourceError, QueryRefused, PublicKeyError] as const;

export function failureOutcome(error: unknown, env: NodeJS.ProcessEnv): FailureOutcome {
  if (error instanceof CommanderError) {
    // help and version end here with code 0; usage mistakes with 2
    return { exitCode: error.exitCode === 0 ? EXIT.ok : EXIT.usage, line: null };
  }
  if (EXPLAINED.some((kind) => error instanceof kind)) {
    const explained = error as Error;
    return {
      exitCode: explained instanceof UserError ? explained.exitCode : EXIT.failure,
      line: `trailsift: ${terminalSafeText(asRun(explained.message, env))}\n`,
    };
  }
  const known = describeFailure(error);
  if (known) return { exitCode: EXIT.failure, line: `trailsift: ${terminalSafeText(known)}\n` };
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { exitCode: EXIT.failure, line: `trailsift: internal error: ${terminalSafeText(detail)}\n` };
}

/**
 * Hints quote commands as `"trailsift …"`; from a clone the user typed `npx trailsift …` (npm
 * marks that with npm_command=exec), and a hint they can paste must say so.
 */
export function asRun(message: string, env: NodeJS.ProcessEnv): string {
  return env.npm_command === 'exec' ? message.replaceAll('"trailsift ', '"npx trailsift ') : message;
}

/** Environment failures a user can act on, as one line; null for real bugs (which keep their stack). */
export function describeFailure(error: unknown): string | null {
  const code = String((error as NodeJS.ErrnoException | undefined)?.code ?? '');
  const message = error instanceof Error ? error.message : String(error);
  const path = (error as NodeJS.ErrnoException | undefined)?.path;
  const where = path ? ` ${path}` : '';
  switch (code) {
    case 'ENOSPC':
    case 'SQLITE_FULL':
      return `the disk is full${where}: free space and run the same command again (what was committed is kept)`;
    case 'EROFS':
    case 'SQLITE_READONLY':
    case 'SQLITE_READONLY_DIRECTORY':
      return `cannot write${where}: the file system or database is read-only (${message})`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied${where}`;
    case 'ENOENT':
      return `no such file or folder${where}`;
    case 'ENOTDIR':
    case 'EISDIR':
      return `not a usable path${where} (${message})`;
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return `the database is corrupted: ${message}`;
    case 'SQLITE_CANTOPEN':
      return `cannot open the database: ${message}`;
    case 'SQLITE_BUSY':
      return `the database is busy (another process holds a write lock): ${message}`;
    default:
      if (code.startsWith('SQLITE_IOERR')) return `disk I/O error on the database (${message})`;
      return null;
  }
}
