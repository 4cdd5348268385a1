/**
 * Schema migrations, keyed on PRAGMA user_version. Each entry moves the schema from
 * version i to i+1 and runs in one transaction. Never edit a shipped migration: add one.
 */
import type { EventRowColumn } from '../parse/event-row.js';

/**
 * The row columns as schemas 1 and 2 shipped them, frozen here so that adding a column to
 * EventRow adds a migration instead of rewriting the shipped ones.
 */
const SCHEMA_2_COLUMNS = [
  'event_id', 'event_time', 'event_name', 'event_source', 'event_type', 'aws_region', 'recipient_account_id',
  'identity_type', 'identity_arn', 'principal_id', 'account_id', 'access_key_id', 'user_name', 'session_issuer_arn',
  'session_issuer_type', 'mfa_authenticated', 'invoked_by', 'source_identity', 'source_ip', 'user_agent', 'error_code',
  'error_message', 'read_only', 'request_id', 'shared_event_id', 'instance_profile_name', 'instance_profile_arn',
  'role_name', 'role_arn', 'target_user_name', 'issued_access_key_id', 'instance_ids', 'launch_template_id',
  'launch_template_name',
] as const satisfies readonly EventRowColumn[];

/** Schema 3 appended `details` (EventDetails as JSON text). */
const SCHEMA_3_COLUMNS = [...SCHEMA_2_COLUMNS, 'details'] as const satisfies readonly EventRowColumn[];

const INTEGER_COLUMNS = new Set(['mfa_authenticated', 'read_only']);

/** A row column's definition as schema 1 made it (schema 2 keeps it for the columns it does not intern). */
const columnSql = (column: EventRowColumn): string =>
  column === 'event_id' || column === 'event_time'
    ? `${column} TEXT NOT NULL`
    : `${column} ${INTEGER_COLUMNS.has(column) ? 'INTEGER' : 'TEXT'}`;

const eventColumnsSql = SCHEMA_2_COLUMNS.map(columnSql).join(',\n  ');

/**
 * The indexes of the single event_rows table of schemas 1 to 3, as their migrations made
 * them; schema 4 has one table per day, with the indexes in partitions.ts.
 */
const SECONDARY_INDEXES: readonly string[] = [
  'CREATE INDEX IF NOT EXISTS event_rows_name_time ON event_rows(event_name, event_time);',
  'CREATE INDEX IF NOT EXISTS event_rows_identity_time ON event_rows(identity_arn, event_time);',
  'CREATE INDEX IF NOT EXISTS event_rows_access_key ON event_rows(access_key_id, event_time);',
  'CREATE INDEX IF NOT EXISTS event_rows_source_ip ON event_rows(source_ip, event_time);',
  'CREATE INDEX IF NOT EXISTS event_rows_issued_key ON event_rows(issued_access_key_id) WHERE issued_access_key_id IS NOT NULL;',
  'CREATE INDEX IF NOT EXISTS event_rows_profile ON event_rows(instance_profile_name, event_time) WHERE instance_profile_name IS NOT NULL;',
  'CREATE INDEX IF NOT EXISTS event_rows_target_user ON event_rows(target_user_name, event_time) WHERE target_user_name IS NOT NULL;',
  'CREATE INDEX IF NOT EXISTS event_rows_launch_template ON event_rows(launch_template_id) WHERE launch_template_id IS NOT NULL;',
  'CREATE INDEX IF NOT EXISTS event_rows_session_issuer ON event_rows(session_issuer_arn, event_time) WHERE session_issuer_arn IS NOT NULL;',
  // Only STS/IAM calls that issued a key need their cross-account twin found by request ID.
  'CREATE INDEX IF NOT EXISTS event_rows_issuing_request ON event_rows(request_id) WHERE issued_access_key_id IS NOT NULL;',
];

const EVENT_ID_INDEX = 'CREATE UNIQUE INDEX IF NOT EXISTS event_rows_event_id ON event_rows(event_id);';


/**
 * Columns with few distinct values (a handful of regions, accounts and user agents
 * repeated across millions of events) are stored once in `strings` and referenced by
 * id from event_rows.<column>_ref; none of them is indexed. They were 40% of a row's
 * bytes (1,024 -> 832 bytes/event on the benchmark corpus with them interned).
 */
export const INTERNED_COLUMNS = [
  'event_source',
  'event_type',
  'aws_region',
  'recipient_account_id',
  'identity_type',
  'account_id',
  'session_issuer_type',
  'invoked_by',
  'user_agent',
  'error_code',
] as const satisfies readonly EventRowColumn[];

const INTERNED = new Set<string>(INTERNED_COLUMNS);

/** The event_rows column that holds a row column: itself, or its reference into `strings`. */
export function storageColumn(column: EventRowColumn): string {
  return INTERNED.has(column) ? `${column}_ref` : column;
}

const decodedColumnsSql = (columns: readonly EventRowColumn[]): string =>
  columns
    .map((column) => (INTERNED.has(column) ? `(SELECT text FROM strings WHERE string_id = r.${column}_ref) AS ${column}` : `r.${column}`))
    .join(',\n    ');

/** The two views over event_rows: `event_columns` for trailsift's own queries, `events` for users. */
const viewsSql = (columns: readonly EventRowColumn[]): string => `
CREATE VIEW event_columns AS
  SELECT r.rowid AS row_id,
    ${decodedColumnsSql(columns)},
    r.file_id, r.raw_block, r.raw_index
  FROM event_rows AS r;

CREATE VIEW events AS
  SELECT row_id AS rowid, ${columns.join(', ')}, file_id, raw_block, raw_index,
    trailsift_record(raw_block, raw_index) AS record
  FROM event_columns;
`;

/** event_rows as of schema 2: interned columns hold INTEGER ids (TEXT affinity would turn them into text). */
const eventRowsV2Sql = `CREATE TABLE event_rows_v2 (
  ${SCHEMA_2_COLUMNS.map((column) => (INTERNED.has(column) ? `${column}_ref INTEGER` : columnSql(column))).join(',\n  ')},
  file_id INTEGER NOT NULL,
  raw_block INTEGER NOT NULL,
  raw_index INTEGER NOT NULL
);`;

/**
 * Schema 2: the string table, event_rows rebuilt to reference it (rowids kept, so
 * event_instances still points at the same rows), and two views that decode it.
 * `event_columns` is what trailsift's own queries read (indexed columns pass straight
 * through, so lookups keep their indexes); `events`, what users query, adds the record.
 */
const STRING_TABLE_MIGRATION = `
CREATE TABLE strings (
  string_id INTEGER PRIMARY KEY,
  text TEXT NOT NULL UNIQUE
);
${INTERNED_COLUMNS.map((column) => `INSERT OR IGNORE INTO strings (text) SELECT DISTINCT ${column} FROM event_rows WHERE ${column} IS NOT NULL;`).join('\n')}

DROP VIEW events;
${eventRowsV2Sql}
INSERT INTO event_rows_v2 (rowid, ${SCHEMA_2_COLUMNS.map(storageColumn).join(', ')}, file_id, raw_block, raw_index)
  SELECT rowid, ${SCHEMA_2_COLUMNS.map((column) =>
    INTERNED.has(column) ? `(SELECT string_id FROM strings WHERE text = event_rows.${column})` : column,
  ).join(', ')}, file_id, raw_block, raw_index
  FROM event_rows;
DROP TABLE event_rows;
ALTER TABLE event_rows_v2 RENAME TO event_rows;
${EVENT_ID_INDEX}
${SECONDARY_INDEXES.join('\n')}
${viewsSql(SCHEMA_2_COLUMNS)}`;

/**
 * Schema 3: `details`, appended. Rows stored before it get theirs from their raw records
 * (store/backfill.ts runs after this SQL, in the same transaction).
 */
const DETAILS_MIGRATION = `
ALTER TABLE event_rows ADD COLUMN details TEXT;
DROP VIEW events;
DROP VIEW event_columns;
${viewsSql(SCHEMA_3_COLUMNS)}`;

/** Storage columns of a day's table (partitions.ts), as schema 4 made them. */
export const PARTITION_STORAGE_COLUMNS: readonly string[] = [...SCHEMA_3_COLUMNS.map(storageColumn), 'file_id', 'raw_block', 'raw_index'];
export const PARTITION_COLUMN_SQL: readonly string[] = [
  ...SCHEMA_3_COLUMNS.map((column) => (INTERNED.has(column) ? `${column}_ref INTEGER` : columnSql(column))),
  'file_id INTEGER NOT NULL',
  'raw_block INTEGER NOT NULL',
  'raw_index INTEGER NOT NULL',
];

/**
 * Schema 4: one table per day behind the `event_rows` view (partitions.ts). This SQL sets the
 * stage; store/partition-migration.ts then moves the rows day by day, in the same transaction,
 * and ends with PARTITIONED_VIEWS_SQL.
 */
const PARTITIONING_MIGRATION = `
DROP VIEW events;
DROP VIEW event_columns;
ALTER TABLE event_rows RENAME TO event_rows_v3;
CREATE TABLE event_partitions (
  day TEXT PRIMARY KEY,
  table_name TEXT NOT NULL UNIQUE,
  indexed INTEGER NOT NULL
) WITHOUT ROWID;`;

/** The decoding views of schema 4, over the `event_rows` view. */
export const PARTITIONED_VIEWS_SQL = viewsSql(SCHEMA_3_COLUMNS);

/**
 * Schema 5, chain of custody (issue 17): what every source object was when ingested (its
 * hashes, ETag, and a digest's S3 signature), and digest files in their own tables, never
 * as events. `account_id`, `region`, `trail_name` key a digest's chain: read from the name
 * the digest gives itself (digestS3Object), so a moved digest stays in its chain.
 */
const CUSTODY_MIGRATION = `
ALTER TABLE files ADD COLUMN stored_sha256 TEXT;
ALTER TABLE files ADD COLUMN content_sha256 TEXT;
ALTER TABLE files ADD COLUMN etag TEXT;
ALTER TABLE files ADD COLUMN signature TEXT;
ALTER TABLE files ADD COLUMN signature_algorithm TEXT;
ALTER TABLE files ADD COLUMN oldest_event_time TEXT;
ALTER TABLE files ADD COLUMN newest_event_time TEXT;

CREATE TABLE digests (
  file_id INTEGER PRIMARY KEY,
  account_id TEXT,
  region TEXT,
  trail_name TEXT,
  aws_account_id TEXT,
  digest_start_time TEXT,
  digest_end_time TEXT,
  digest_s3_bucket TEXT,
  digest_s3_object TEXT,
  public_key_fingerprint TEXT,
  signature_algorithm TEXT,
  oldest_event_time TEXT,
  newest_event_time TEXT,
  previous_s3_bucket TEXT,
  previous_s3_object TEXT,
  previous_hash_value TEXT,
  previous_hash_algorithm TEXT,
  previous_signature TEXT
);
CREATE INDEX digests_chain ON digests(account_id, region, trail_name, digest_end_time);

CREATE TABLE digest_log_files (
  digest_file_id INTEGER NOT NULL,
  position INTEGER NOT NULL,
  s3_bucket TEXT,
  s3_object TEXT,
  hash_value TEXT,
  hash_algorithm TEXT,
  oldest_event_time TEXT,
  newest_event_time TEXT,
  PRIMARY KEY (digest_file_id, position)
) WITHOUT ROWID;`;

export const MIGRATIONS: readonly string[] = [
  `
CREATE TABLE files (
  file_id INTEGER PRIMARY KEY,
  uri TEXT NOT NULL UNIQUE,
  size INTEGER,
  version TEXT,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  container TEXT,
  records_seen INTEGER NOT NULL DEFAULT 0,
  events_inserted INTEGER NOT NULL DEFAULT 0,
  duplicates INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0,
  filtered INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  ingested_at TEXT NOT NULL
);

CREATE TABLE raw_blocks (
  block_id INTEGER PRIMARY KEY,
  file_id INTEGER NOT NULL,
  codec TEXT NOT NULL,
  bytes BLOB NOT NULL
);

CREATE TABLE event_rows (
  ${eventColumnsSql},
  file_id INTEGER NOT NULL,
  raw_block INTEGER NOT NULL,
  raw_index INTEGER NOT NULL
);

CREATE TABLE event_instances (
  instance_id TEXT NOT NULL,
  event_rowid INTEGER NOT NULL,
  PRIMARY KEY (instance_id, event_rowid)
) WITHOUT ROWID;

CREATE TABLE ingest_errors (
  error_id INTEGER PRIMARY KEY,
  logged_at TEXT NOT NULL,
  uri TEXT NOT NULL,
  record_index INTEGER,
  severity TEXT NOT NULL,
  message TEXT NOT NULL
);

CREATE UNIQUE INDEX event_rows_event_id ON event_rows(event_id);
${SECONDARY_INDEXES.join('\n')}

-- The table users query: every column plus the original record as JSON text.
-- trailsift_record() is registered by trailsift on its own connections.
CREATE VIEW events AS
  SELECT event_rows.rowid AS rowid, event_rows.*, trailsift_record(raw_block, raw_index) AS record
  FROM event_rows;
`,
  STRING_TABLE_MIGRATION,
  DETAILS_MIGRATION,
  PARTITIONING_MIGRATION,
  CUSTODY_MIGRATION,
];

/** The migration (by the version it reaches) that partition-migration.ts completes in code. */
export const PARTITIONING_VERSION = 4;

/** Migrations whose new columns are derived from the raw records of rows already stored. */
export const BACKFILLED_MIGRATIONS: ReadonlySet<number> = new Set([3]);

/** The current row columns: the test that holds EVENT_ROW_COLUMNS to the newest schema's list. */
export const CURRENT_SCHEMA_COLUMNS: readonly EventRowColumn[] = SCHEMA_3_COLUMNS;

export const SCHEMA_VERSION = MIGRATIONS.length;
