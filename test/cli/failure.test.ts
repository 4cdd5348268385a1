import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { PublicKeyError } from '../../src/custody/public-keys.js';
import { failureOutcome } from '../../src/cli/failure.js';
import { EXIT, UserError } from '../../src/cli/io.js';
import { SourceError } from '../../src/sources/source.js';
import { DatabaseError } from '../../src/store/database.js';
import { QueryRefused } from '../../src/store/queries.js';

function errno(code: string, path?: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: something`), { code, path });
}

describe('failureOutcome', () => {
  it('when a UserError carries the usage code then the exit is 2 and the line is its message', () => {
    expect(failureOutcome(new UserError('--since "x" is not a date', EXIT.usage), {})).toEqual({ exitCode: 2, line: 'trailsift: --since "x" is not a date\n' });
  });

  it.each([
    ['a store failure', new DatabaseError('no database at x.db')],
    ['an unreadable source', new SourceError('cannot read /nope')],
    ['a refused query', new QueryRefused('SQL error: near "selct": syntax error')],
    ['a bad public key folder', new PublicKeyError('no key files in keys/')],
  ])('when %s is thrown then the exit is 1 and the line is its message', (_name, error) => {
    expect(failureOutcome(error, {})).toEqual({ exitCode: EXIT.failure, line: `trailsift: ${error.message}\n` });
  });

  it('when a hint names a command and npm ran it through npx then the hint says npx trailsift', () => {
    const error = new DatabaseError('no database at x.db: run "trailsift ingest <source> --db x.db" first');
    expect(failureOutcome(error, { npm_command: 'exec' }).line).toBe('trailsift: no database at x.db: run "npx trailsift ingest <source> --db x.db" first\n');
  });

  it('when the disk is full or SQLite is busy then the line says what to do, without a stack', () => {
    expect(failureOutcome(errno('ENOSPC', '/data/t.db'), {})).toEqual({
      exitCode: 1,
      line: 'trailsift: the disk is full /data/t.db: free space and run the same command again (what was committed is kept)\n',
    });
    expect(failureOutcome(errno('SQLITE_BUSY'), {}).line).toBe('trailsift: the database is busy (another process holds a write lock): SQLITE_BUSY: something\n');
    expect(failureOutcome(errno('SQLITE_IOERR_SHORT_READ'), {}).line).toMatch(/^trailsift: disk I\/O error on the database/);
  });

  it('when a message carries terminal control characters then they are escaped', () => {
    expect(failureOutcome(new UserError('bad \u001b[2J name'), {}).line).toBe('trailsift: bad \\x1b[2J name\n');
  });

  it('when commander has already printed help or a usage mistake then nothing more is written', () => {
    expect(failureOutcome(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'), {})).toEqual({ exitCode: 0, line: null });
    expect(failureOutcome(new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'"), {})).toEqual({ exitCode: 2, line: null });
  });

  it('when the error is a bug then it is an internal error with its stack, exit 1', () => {
    const outcome = failureOutcome(new TypeError('x is undefined'), {});
    expect(outcome.exitCode).toBe(1);
    expect(outcome.line).toMatch(/^trailsift: internal error: TypeError: x is undefined\n\s+at /);
  });
});
