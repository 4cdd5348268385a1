/**
 * Schema migrations, keyed on PRAGMA user_version. Each entry moves the schema from
 * version i to i+1 and runs in one transaction. Never edit a shipped migration: add one.
 */
import { EVENT_ROW_COLUMNS } from '../parse/event-row.js';

const INTEGER_COLUMNS = new Set(['mfa_authenticated', 'read_only']);

const eventColumnsSql = EVENT_ROW_COLUMNS.map((column) =>
  column === 'event_id'
    ? 'event_id TEXT NOT NULL'
    : column === 'event_time'
      ? 'event_time TEXT NOT NULL'
      : `${column} ${INTEGER_COLUMNS.has(column) ? 'INTEGER' : 'TEXT'}`,
).join(',\n  ');

/**
 * Indexes that serve correlation and search. A bulk load into an empty database drops
 * the ones nearly every row enters and builds them once at the end (much faster than
 * growing them row by row); opening a database for writing re-creates any that are
 * missing, so a load killed half-way still ends up fully indexed.
 */
export const SECONDARY_INDEXES: readonly string[] = [
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

/** The index that keeps one row per eventID; a bulk load builds it at the end too (writer.ts). */
export const EVENT_ID_INDEX = 'CREATE UNIQUE INDEX IF NOT EXISTS event_rows_event_id ON event_rows(event_id);';
export const EVENT_ID_INDEX_NAME = 'event_rows_event_id';

export const SECONDARY_INDEX_NAMES: readonly string[] = SECONDARY_INDEXES.map((sql) => /INDEX IF NOT EXISTS (\w+)/.exec(sql)![1]!);

/**
 * The indexes a bulk load builds at the end. The partial indexes left out hold only the
 * rare rows that issued a key or name a profile, user or template: kept live they cost
 * next to nothing per insert, while building one at the end costs a full table scan.
 */
export const BULK_DEFERRED_INDEX_NAMES: readonly string[] = [
  'event_rows_name_time',
  'event_rows_identity_time',
  'event_rows_access_key',
  'event_rows_source_ip',
  'event_rows_session_issuer',
];

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
];

export const SCHEMA_VERSION = MIGRATIONS.length;
