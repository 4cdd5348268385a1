/** Commander wiring: flags → modules → exit code. `run` is what tests call in-process. */
import { Command, CommanderError } from 'commander';
import { DatabaseError } from '../store/database.js';
import { SourceError } from '../sources/source.js';
import { terminalSafeText } from '../report/terminal-safe.js';
import { registerEvents } from './commands/events.js';
import { registerIngest } from './commands/ingest.js';
import { registerInvestigate } from './commands/investigate.js';
import { registerQuery } from './commands/query.js';
import { registerReport } from './commands/report.js';
import { registerStats } from './commands/stats.js';
import { registerTimeline } from './commands/timeline.js';
import { registerVerify } from './commands/verify.js';
import { type CliIo, EXIT, UserError } from './io.js';

export const VERSION = '0.1.0';

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('trailsift')
    .description('Offline CloudTrail forensics: who deleted the instance profile, and what broke')
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(run with --help for usage)');
  registerIngest(program, io, setExit);
  registerStats(program, io, setExit);
  registerEvents(program, io, setExit);
  registerQuery(program, io, setExit);
  registerInvestigate(program, io, setExit);
  registerTimeline(program, io, setExit);
  registerReport(program, io, setExit);
  registerVerify(program, io, setExit);
  for (const command of program.commands) command.exitOverride();
  return program;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version end here with code 0; usage mistakes with 2
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UserError || error instanceof DatabaseError || error instanceof SourceError) {
      io.stderr.write(`trailsift: ${terminalSafeText(asRun(error.message, io.env))}\n`);
      return error instanceof UserError ? error.exitCode : EXIT.failure;
    }
    const known = describeFailure(error);
    if (known) {
      io.stderr.write(`trailsift: ${terminalSafeText(known)}\n`);
      return EXIT.failure;
    }
    io.stderr.write(`trailsift: internal error: ${terminalSafeText(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`);
    return EXIT.failure;
  }
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
