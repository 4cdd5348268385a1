import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { openDatabase } from '../../store/database.js';
import { runReadOnlyQuery } from '../../store/queries.js';
import { renderRows } from '../../report/rows.js';
import { type CliIo, databasePath, EXIT, UserError, outputWidth } from '../io.js';
import { oneOf } from '../options.js';

interface QueryFlags {
  db?: string;
  file?: string;
  format: 'table' | 'json' | 'jsonl' | 'csv';
}

/** The SQL from the argument or from `--file` (`-` is stdin), exactly one of them. */
function sqlText(sqlArgument: string | undefined, file: string | undefined): string {
  if (sqlArgument !== undefined && file !== undefined) throw new UserError('give the SQL as an argument or with --file, not both', EXIT.usage);
  if (file === undefined) {
    if (sqlArgument === undefined) throw new UserError('query needs SQL: an argument or --file <file> (- for stdin)', EXIT.usage);
    return sqlArgument;
  }
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UserError(`cannot read SQL from ${file === '-' ? 'stdin' : file}: ${reason}`, EXIT.failure);
  }
}

export function registerQuery(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('query')
    .description('run read-only SQL against the database (table "events"; its "record" column is the original JSON)')
    .argument('[sql]', 'one SELECT/WITH statement')
    .option('--file <file>', 'read the SQL from a file (- for stdin) instead of the argument')
    .option('--db <file>', 'database file')
    .option('--format <format>', 'table, json, jsonl or csv', oneOf('--format', ['table', 'json', 'jsonl', 'csv'] as const), 'table')
    .action((sqlArgument: string | undefined, flags: QueryFlags) => {
      const sql = sqlText(sqlArgument, flags.file);
      const db = openDatabase(databasePath(flags.db, io), { readonly: true });
      try {
        const result = runReadOnlyQuery(db, sql);
        io.stdout.write(renderRows(flags.format, result.columns, result.rows, { width: outputWidth(io) }));
      } finally {
        db.close();
      }
      setExit(EXIT.ok);
    });
}
