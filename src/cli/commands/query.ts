import { readFileSync } from 'node:fs';
import { openDatabase } from '../../store/database.js';
import { runReadOnlyQuery } from '../../store/queries.js';
import { renderRows } from '../../report/rows.js';
import { argument, command, option } from '../declare.js';
import { databasePath, EXIT, UserError, outputWidth } from '../io.js';
import { DB, formatOption } from '../options.js';

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

export const queryCommand = command({
  name: 'query',
  description: 'run read-only SQL against the database (table "events"; its "record" column is the original JSON)',
  arguments: [argument('[sql]', 'one SELECT/WITH statement')],
  options: [
    option('--file <file>', 'read the SQL from a file (- for stdin) instead of the argument'),
    DB,
    formatOption(['table', 'json', 'jsonl', 'csv']),
  ],
  run(flags, io) {
    const sql = sqlText(flags.sql, flags.file);
    const db = openDatabase(databasePath(flags.db, io), { readonly: true });
    try {
      const result = runReadOnlyQuery(db, sql);
      io.stdout.write(renderRows(flags.format, result.columns, result.rows, { width: outputWidth(io) }));
    } finally {
      db.close();
    }
    return EXIT.ok;
  },
});
