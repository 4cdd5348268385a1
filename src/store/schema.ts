/**
 * Schema migrations, keyed on PRAGMA user_version. Each moves the schema from version i to
 * i+1 and runs in one transaction. A shipped migration is frozen: its SQL is a file under
 * migrations/, byte for byte what that version ran when it shipped, and a test holds every
 * file there to its SHA-256. Changing a column or an index below changes what new day tables
 * get, not what an old database is migrated through: that takes a new migration. Migration 4's
 * code step makes its day tables, indexes and views from its own frozen DDL
 * (migrations/0004-day-tables.ts), not from today's partitions.ts.
 */
import { readFileSync } from 'node:fs';
import type { EventRowColumn } from '../parse/event-row.js';
import { SCHEMA_2_INTERNED_COLUMNS, SCHEMA_3_ROW_COLUMNS } from './migrations/frozen-columns.js';

/** A frozen migration's SQL, read beside this module (the build copies migrations/*.sql into dist). */
export function migrationSql(file: string): string {
  return readFileSync(new URL(`./migrations/${file}`, import.meta.url), 'utf8');
}

/** The migration files in order: the Nth moves a database from version N-1 to N. */
export const MIGRATION_FILES: readonly string[] = [
  '0001-event-rows.sql',
  '0002-strings.sql',
  '0003-details.sql',
  // Sets the stage; partition-migration.ts then moves the rows into day tables made by 0004-day-tables.ts.
  '0004-day-tables.sql',
  '0005-custody.sql',
];

export const MIGRATIONS: readonly string[] = MIGRATION_FILES.map(migrationSql);

export const SCHEMA_VERSION = MIGRATIONS.length;

/** The migration (by the version it reaches) that partition-migration.ts completes in code. */
export const PARTITIONING_VERSION = 4;

/** Migrations whose new columns are derived from the raw records of rows already stored (backfill.ts). */
export const BACKFILLED_MIGRATIONS: ReadonlySet<number> = new Set([3]);

/**
 * The row columns of today's schema, in table order: schema 3 added the last one (`details`)
 * and nothing since. A test holds EVENT_ROW_COLUMNS to this list, so adding a column to
 * EventRow fails until a migration adds it.
 */
export const CURRENT_SCHEMA_COLUMNS: readonly EventRowColumn[] = SCHEMA_3_ROW_COLUMNS;

/**
 * Columns with few distinct values (a handful of regions, accounts and user agents
 * repeated across millions of events) are stored once in `strings` and referenced by
 * id from event_rows.<column>_ref; none of them is indexed. They were 40% of a row's
 * bytes (1,024 -> 832 bytes/event on the benchmark corpus with them interned). Schema 2
 * chose them, and no migration since has changed the choice.
 */
export const INTERNED_COLUMNS: readonly EventRowColumn[] = SCHEMA_2_INTERNED_COLUMNS;

const INTERNED = new Set<string>(INTERNED_COLUMNS);

/** The event_rows column that holds a row column: itself, or its reference into `strings`. */
export function storageColumn(column: EventRowColumn): string {
  return INTERNED.has(column) ? `${column}_ref` : column;
}

const INTEGER_COLUMNS = new Set<string>(['mfa_authenticated', 'read_only']);

/** A row column's definition in a day's table: interned columns hold INTEGER ids (TEXT affinity would turn them into text). */
const columnSql = (column: EventRowColumn): string =>
  INTERNED.has(column)
    ? `${column}_ref INTEGER`
    : column === 'event_id' || column === 'event_time'
      ? `${column} TEXT NOT NULL`
      : `${column} ${INTEGER_COLUMNS.has(column) ? 'INTEGER' : 'TEXT'}`;

/** Storage columns of a day's table (partitions.ts) as today's writer fills it. */
export const PARTITION_STORAGE_COLUMNS: readonly string[] = [...CURRENT_SCHEMA_COLUMNS.map(storageColumn), 'file_id', 'raw_block', 'raw_index'];
export const PARTITION_COLUMN_SQL: readonly string[] = [
  ...CURRENT_SCHEMA_COLUMNS.map(columnSql),
  'file_id INTEGER NOT NULL',
  'raw_block INTEGER NOT NULL',
  'raw_index INTEGER NOT NULL',
];
