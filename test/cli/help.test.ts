/** The declarations are the contract for --help: what a command declares is what it shows. */
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/program.js';
import { cli } from '../support/cli.js';

/** The terms (flag spellings) of one section of commander's help, e.g. "Options:". */
function sectionTerms(help: string, heading: string): string[] {
  const lines = help.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) return [];
  const terms: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line === '') break;
    // A term starts two spaces in; a wrapped description starts further in.
    if (/^ {2}\S/.test(line)) terms.push(line.slice(2).split(/ {2,}/)[0]!);
  }
  return terms;
}

describe('trailsift --help', () => {
  it.each(COMMANDS.map((declared) => [declared.name, declared] as const))('when %s --help is asked then it lists exactly its declared options, in order', async (name, declared) => {
    const result = await cli([name, '--help']);
    expect(result.code).toBe(0);
    const shown = declared.options.filter((entry) => !entry.hidden).map((entry) => entry.syntax);
    expect(sectionTerms(result.stdout, 'Options:')).toEqual([...shown, '-h, --help']);
    expect(result.stdout).toContain(declared.description.slice(0, 40));
  });

  it.each(COMMANDS.filter((declared) => declared.options.some((entry) => entry.hidden)).map((declared) => [declared.name, declared] as const))(
    'when %s has an old spelling then --help leaves it out and the command still accepts it',
    async (name, declared) => {
      const hidden = declared.options.filter((entry) => entry.hidden).map((entry) => entry.syntax.split(' ')[0]!);
      const help = (await cli([name, '--help'])).stdout;
      for (const flag of hidden) expect(help).not.toMatch(new RegExp(`^ {2}${flag}\\b`, 'm'));
      for (const flag of hidden) {
        // Accepted: the run gets as far as the missing database (exit 1), not a usage error (exit 2).
        const result = await cli([name, flag, 'x', '--db', '/nonexistent/x.db']);
        expect(result.stderr).toMatch(/^(warning: .*\n)?trailsift: no database at \/nonexistent\/x\.db/);
        expect(result.code).toBe(1);
      }
    },
  );

  it('when the top-level --help is asked then it lists every declared command in order, then help', async () => {
    const result = await cli(['--help']);
    const names = sectionTerms(result.stdout, 'Commands:').map((term) => term.split(' ')[0]);
    expect(names).toEqual([...COMMANDS.map((declared) => declared.name), 'help']);
  });
});
