
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
  event_id TEXT NOT NULL,
  event_time TEXT NOT NULL,
  event_name TEXT,
  event_source TEXT,
  event_type TEXT,
  aws_region TEXT,
  recipient_account_id TEXT,
  identity_type TEXT,
  identity_arn TEXT,
  principal_id TEXT,
  account_id TEXT,
  access_key_id TEXT,
  user_name TEXT,
  session_issuer_arn TEXT,
  session_issuer_type TEXT,
  mfa_authenticated INTEGER,
  invoked_by TEXT,
  source_identity TEXT,
  source_ip TEXT,
  user_agent TEXT,
  error_code TEXT,
  error_message TEXT,
  read_only INTEGER,
  request_id TEXT,
  shared_event_id TEXT,
  instance_profile_name TEXT,
  instance_profile_arn TEXT,
  role_name TEXT,
  role_arn TEXT,
  target_user_name TEXT,
  issued_access_key_id TEXT,
  instance_ids TEXT,
  launch_template_id TEXT,
  launch_template_name TEXT,
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
CREATE INDEX IF NOT EXISTS event_rows_name_time ON event_rows(event_name, event_time);
CREATE INDEX IF NOT EXISTS event_rows_identity_time ON event_rows(identity_arn, event_time);
CREATE INDEX IF NOT EXISTS event_rows_access_key ON event_rows(access_key_id, event_time);
CREATE INDEX IF NOT EXISTS event_rows_source_ip ON event_rows(source_ip, event_time);
CREATE INDEX IF NOT EXISTS event_rows_issued_key ON event_rows(issued_access_key_id) WHERE issued_access_key_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS event_rows_profile ON event_rows(instance_profile_name, event_time) WHERE instance_profile_name IS NOT NULL;
CREATE INDEX IF NOT EXISTS event_rows_target_user ON event_rows(target_user_name, event_time) WHERE target_user_name IS NOT NULL;
CREATE INDEX IF NOT EXISTS event_rows_launch_template ON event_rows(launch_template_id) WHERE launch_template_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS event_rows_session_issuer ON event_rows(session_issuer_arn, event_time) WHERE session_issuer_arn IS NOT NULL;
CREATE INDEX IF NOT EXISTS event_rows_issuing_request ON event_rows(request_id) WHERE issued_access_key_id IS NOT NULL;

-- The table users query: every column plus the original record as JSON text.
-- trailsift_record() is registered by trailsift on its own connections.
CREATE VIEW events AS
  SELECT event_rows.rowid AS rowid, event_rows.*, trailsift_record(raw_block, raw_index) AS record
  FROM event_rows;
