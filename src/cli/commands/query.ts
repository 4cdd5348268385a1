import type { Command } from 'commander';
import { openDatabase } from '../../store/database.js';
import { QueryRefused, runReadOnlyQuery } from '../../store/queries.js';
import { renderRows } from '../../report/rows.js';
import { type CliIo, databasePath, EXIT, UserError } from '../io.js';
import { oneOf } from '../options.js';

export function registerQuery(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('query')
    .description('run read-only SQL against the database (table "events"; its "record" column is the original JSON)')
    .argument('<sql>', 'one SELECT/WITH statement')
    .option('--db <file>', 'database file')
    .option('--format <format>', 'table, json, jsonl or csv', oneOf('--format', ['table', 'json', 'jsonl', 'csv'] as const), 'table')
    .action((sql: string, flags: { db?: string; format: 'table' | 'json' | 'jsonl' | 'csv' }) => {
      const db = openDatabase(databasePath(flags.db, io), { readonly: true });
      try {
        const result = runReadOnlyQuery(db, sql);
        io.stdout.write(renderRows(flags.format, result.columns, result.rows));
      } catch (error) {
        if (error instanceof QueryRefused) throw new UserError(error.message, EXIT.failure);
        throw error;
      } finally {
        db.close();
      }
      setExit(EXIT.ok);
    });
}
