/**
 * What migration 4 makes in code (partition-migration.ts), frozen like the SQL beside it and
 * hashed with it: one day's table and indexes as 0368cd7 shipped them (a test holds them to
 * fixtures/databases/schema-4-day-table.sql), and the views above the days as migration 4 has
 * made them since 5f17193, a tree of month, year and century views under `event_rows` (0368cd7
 * made month views alone). Today's partitions.ts makes the days an ingest adds and may change;
 * what migration 4 leaves may not, so a later day layout comes as a new migration.
 */
import { SCHEMA_3_STORAGE_COLUMNS } from './frozen-columns.js';

/** dayOf in SQL: the UTC day of a canonical event_time, or 0000-00-00 when it has none. */
export const SCHEMA_4_DAY_SQL =
  "CASE WHEN event_time GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' THEN substr(event_time, 1, 10) ELSE '0000-00-00' END";

export const schema4DayTable = (day: string): string => `event_rows_${day.replace(/-/g, '')}`;

/** Schema 3's column types: references into `strings`, flags and raw-record pointers are INTEGER, the rest TEXT. */
const INTEGER_COLUMNS = new Set(['mfa_authenticated', 'read_only', 'file_id', 'raw_block', 'raw_index']);
const NOT_NULL_COLUMNS = new Set(['event_id', 'event_time', 'file_id', 'raw_block', 'raw_index']);
const columnSql = (column: string): string =>
  `${column} ${column.endsWith('_ref') || INTEGER_COLUMNS.has(column) ? 'INTEGER' : 'TEXT'}${NOT_NULL_COLUMNS.has(column) ? ' NOT NULL' : ''}`;

/** One day's table, with schema 3's columns in schema 3's order. */
export const schema4DayTableSql = (table: string): string => `CREATE TABLE ${table} (
  ${SCHEMA_3_STORAGE_COLUMNS.map(columnSql).join(',\n  ')}
);`;

/** One day's indexes, built after its rows are in. */
export const schema4DayIndexesSql = (table: string): string[] => [
  `CREATE UNIQUE INDEX ${table}_event_id ON ${table}(event_id);`,
  `CREATE INDEX ${table}_name_time ON ${table}(event_name, event_time);`,
  `CREATE INDEX ${table}_identity_time ON ${table}(identity_arn, event_time);`,
  `CREATE INDEX ${table}_access_key ON ${table}(access_key_id, event_time);`,
  `CREATE INDEX ${table}_source_ip ON ${table}(source_ip, event_time);`,
  `CREATE INDEX ${table}_session_issuer ON ${table}(session_issuer_arn, event_time) WHERE session_issuer_arn IS NOT NULL;`,
  `CREATE INDEX ${table}_issued_key ON ${table}(issued_access_key_id) WHERE issued_access_key_id IS NOT NULL;`,
  `CREATE INDEX ${table}_profile ON ${table}(instance_profile_name, event_time) WHERE instance_profile_name IS NOT NULL;`,
  `CREATE INDEX ${table}_target_user ON ${table}(target_user_name, event_time) WHERE target_user_name IS NOT NULL;`,
  `CREATE INDEX ${table}_launch_template ON ${table}(launch_template_id) WHERE launch_template_id IS NOT NULL;`,
  `CREATE INDEX ${table}_issuing_request ON ${table}(request_id) WHERE issued_access_key_id IS NOT NULL;`,
];

/** The view levels above the days, smallest first: each gathers the level below by a prefix of the day. */
const LEVELS = [
  { view: (key: string) => `event_rows_m${key.replace(/-/g, '')}`, keyLength: 7 },
  { view: (key: string) => `event_rows_y${key}`, keyLength: 4 },
  { view: (key: string) => `event_rows_c${key}`, keyLength: 2 },
] as const;

const viewSql = (name: string, terms: string[]): string => `CREATE VIEW ${name} AS ${terms.join('\nUNION ALL ')};`;

const distinctPrefixes = (days: readonly string[], length: number): string[] => [...new Set(days.map((day) => day.slice(0, length)))].sort();

/**
 * The views over the given days (sorted, distinct), bottom up: a month's days, a year's
 * months, a century's years, and `event_rows` over the centuries (SQLite caps one compound
 * SELECT at 500 terms). With no days, `event_rows` is an empty SELECT of the row columns.
 */
export function schema4ViewsSql(days: readonly string[]): string[] {
  const statements: string[] = [];
  const columns = ['rowid AS rowid', ...SCHEMA_3_STORAGE_COLUMNS].join(', ');
  for (const month of distinctPrefixes(days, LEVELS[0].keyLength)) {
    const members = days.filter((day) => day.startsWith(month));
    statements.push(viewSql(LEVELS[0].view(month), members.map((day) => `SELECT ${columns} FROM ${schema4DayTable(day)}`)));
  }
  for (let level = 1; level < LEVELS.length; level += 1) {
    const below = LEVELS[level - 1]!;
    for (const key of distinctPrefixes(days, LEVELS[level]!.keyLength)) {
      const members = distinctPrefixes(days.filter((day) => day.startsWith(key)), below.keyLength);
      statements.push(viewSql(LEVELS[level]!.view(key), members.map((member) => `SELECT * FROM ${below.view(member)}`)));
    }
  }
  const top = LEVELS[LEVELS.length - 1]!;
  const centuries = distinctPrefixes(days, top.keyLength);
  const empty = `SELECT ${['NULL AS rowid', ...SCHEMA_3_STORAGE_COLUMNS.map((column) => `NULL AS ${column}`)].join(', ')} WHERE 0`;
  statements.push(
    centuries.length > 0 ? viewSql('event_rows', centuries.map((century) => `SELECT * FROM ${top.view(century)}`)) : `CREATE VIEW event_rows AS ${empty};`,
  );
  return statements;
}
