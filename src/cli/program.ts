/** Commander wiring: flags → modules → exit code. `run` is what tests call in-process. */
import { Command } from 'commander';
import { registerEvents } from './commands/events.js';
import { registerIngest } from './commands/ingest.js';
import { registerInvestigate } from './commands/investigate.js';
import { registerQuery } from './commands/query.js';
import { registerReport } from './commands/report.js';
import { registerStats } from './commands/stats.js';
import { registerTimeline } from './commands/timeline.js';
import { registerVerify } from './commands/verify.js';
import { failureOutcome } from './failure.js';
import { type CliIo, EXIT } from './io.js';
import { packageVersion } from './version.js';

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
    const failure = failureOutcome(error, io.env);
    if (failure.line !== null) io.stderr.write(failure.line);
    return failure.exitCode;
  }
}
