import { Command } from 'commander';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { argument, command, type FlagsOf, option, registerCommand } from '../../src/cli/declare.js';
import { positiveInteger } from '../../src/cli/options.js';

const OPTIONS = [
  option('--db <file>', 'database file'),
  option('--event-id <eventId...>', 'events'),
  option('--all', 'everything'),
  option('--workers <n>', 'threads', { parse: positiveInteger('--workers') }),
  option('--format <format>', 'table or json', { parse: (value: string) => (value === 'json' ? 'json' : 'table'), default: 'table' }),
  option('--profile <name>', 'old spelling', { hidden: true }),
] as const;

/** Registers one declared command on a fresh program, parses argv, and returns what run saw and the exit code set. */
async function parsed(argv: string[]): Promise<{ input: unknown; exit: number | undefined }> {
  let input: unknown;
  let exit: number | undefined;
  const declared = command({
    name: 'probe',
    description: 'a command for this test',
    arguments: [argument('<source...>', 'sources')],
    options: OPTIONS,
    run(flags) {
      input = flags;
      return flags.all ? 3 : 0;
    },
  });
  const program = new Command('trailsift').exitOverride();
  registerCommand(program, declared, { stdout: { write: () => true }, stderr: { write: () => true }, env: {} }, (code) => (exit = code));
  await program.parseAsync(['probe', ...argv], { from: 'user' });
  return { input, exit };
}

describe('command declarations', () => {
  it('when options are declared then the flags type is derived from their spelling, parser and default', () => {
    expectTypeOf<FlagsOf<typeof OPTIONS>>().toEqualTypeOf<{
      db: string | undefined;
      eventId: string[] | undefined;
      all: true | undefined;
      workers: number | undefined;
      format: 'json' | 'table';
      profile: string | undefined;
    }>();
  });

  it('when a command runs then it gets parsed flags, defaults and its arguments by name, and its exit code is kept', async () => {
    const { input, exit } = await parsed(['a', 'b', '--event-id', 'x', 'y', '--workers', '4', '--all', '--profile', 'web']);
    expect(input).toEqual({ source: ['a', 'b'], eventId: ['x', 'y'], workers: 4, all: true, format: 'table', profile: 'web' });
    expect(exit).toBe(3);
  });

  it('when a flag is not given and has no default then it is absent, and a parser that refuses throws its message', async () => {
    const { input, exit } = await parsed(['a', '--format', 'json']);
    expect(input).toEqual({ source: ['a'], format: 'json' });
    expect(exit).toBe(0);
    await expect(parsed(['a', '--workers', '0'])).rejects.toThrow('--workers must be a positive whole number, got "0"');
  });
});
