/** Commander wiring: flags → modules → exit code. `run` is what tests call in-process. */
import { Command } from 'commander';
import { eventsCommand } from './commands/events.js';
import { ingestCommand } from './commands/ingest.js';
import { investigateCommand } from './commands/investigate.js';
import { queryCommand } from './commands/query.js';
import { reportCommand } from './commands/report.js';
import { statsCommand } from './commands/stats.js';
import { timelineCommand } from './commands/timeline.js';
import { verifyCommand } from './commands/verify.js';
import { type CommandDeclaration, registerCommand } from './declare.js';
import { failureOutcome } from './failure.js';
import { type CliIo, EXIT } from './io.js';
import { packageVersion } from './version.js';

/** Every command, in --help order. */
export const COMMANDS: readonly CommandDeclaration[] = [
  ingestCommand,
  statsCommand,
  eventsCommand,
  queryCommand,
  investigateCommand,
  timelineCommand,
  reportCommand,
  verifyCommand,
];

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('trailsift')
    .description('Offline CloudTrail forensics: who deleted the instance profile, and what broke')
    .version(packageVersion())
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(run with --help for usage)');
  for (const declared of COMMANDS) registerCommand(program, declared, io, setExit);
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
    const failure = failureOutcome(error, io.env);
    if (failure.line !== null) io.stderr.write(failure.line);
    return failure.exitCode;
  }
}
