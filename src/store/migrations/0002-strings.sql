
CREATE TABLE strings (
  string_id INTEGER PRIMARY KEY,
  text TEXT NOT NULL UNIQUE
);
INSERT OR IGNORE INTO strings (text) SELECT DISTINCT event_source FROM event_rows WHERE event_source IS NOT NULL;
INSERT OR IGNORE INTO strings (text) SELECT DISTINCT event_type FROM event_rows WHERE event_type IS NOT NULL;
INSERT OR IGNORE INTO strings (text) SELECT DISTINCT aws_region FROM event_rows WHERE aws_region IS NOT NULL;
INSERT OR IGNORE INTO strings (text) SELECT DISTINCT recipient_account_id FROM event_rows WHERE recipient_account_id IS NOT NULL;
INSERT OR IGNORE INTO strings (text) SELECT DISTINCT identity_type FROM event_rows WHERE identity_type IS NOT NULL;
INSERT OR IGNORE INTO strings (text) SELECT DISTINCT account_id FROM event_rows WHERE account_id IS NOT NULL;
INSERT OR IGNORE INTO strings (text) SELECT DISTINCT session_issuer_type FROM event_rows WHERE session_issuer_type IS NOT NULL;
INSERT OR IGNORE INTO strings (text) SELECT DISTINCT invoked_by FROM event_rows WHERE invoked_by IS NOT NULL;
INSERT OR IGNORE INTO strings (text) SELECT DISTINCT user_agent FROM event_rows WHERE user_agent IS NOT NULL;
INSERT OR IGNORE INTO strings (text) SELECT DISTINCT error_code FROM event_rows WHERE error_code IS NOT NULL;

DROP VIEW events;
CREATE TABLE event_rows_v2 (
  event_id TEXT NOT NULL,
  event_time TEXT NOT NULL,
  event_name TEXT,
  event_source_ref INTEGER,
  event_type_ref INTEGER,
  aws_region_ref INTEGER,
  recipient_account_id_ref INTEGER,
  identity_type_ref INTEGER,
  identity_arn TEXT,
  principal_id TEXT,
  account_id_ref INTEGER,
  access_key_id TEXT,
  user_name TEXT,
  session_issuer_arn TEXT,
  session_issuer_type_ref INTEGER,
  mfa_authenticated INTEGER,
  invoked_by_ref INTEGER,
  source_identity TEXT,
  source_ip TEXT,
  user_agent_ref INTEGER,
  error_code_ref INTEGER,
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
INSERT INTO event_rows_v2 (rowid, event_id, event_time, event_name, event_source_ref, event_type_ref, aws_region_ref, recipient_account_id_ref, identity_type_ref, identity_arn, principal_id, account_id_ref, access_key_id, user_name, session_issuer_arn, session_issuer_type_ref, mfa_authenticated, invoked_by_ref, source_identity, source_ip, user_agent_ref, error_code_ref, error_message, read_only, request_id, shared_event_id, instance_profile_name, instance_profile_arn, role_name, role_arn, target_user_name, issued_access_key_id, instance_ids, launch_template_id, launch_template_name, file_id, raw_block, raw_index)
  SELECT rowid, event_id, event_time, event_name, (SELECT string_id FROM strings WHERE text = event_rows.event_source), (SELECT string_id FROM strings WHERE text = event_rows.event_type), (SELECT string_id FROM strings WHERE text = event_rows.aws_region), (SELECT string_id FROM strings WHERE text = event_rows.recipient_account_id), (SELECT string_id FROM strings WHERE text = event_rows.identity_type), identity_arn, principal_id, (SELECT string_id FROM strings WHERE text = event_rows.account_id), access_key_id, user_name, session_issuer_arn, (SELECT string_id FROM strings WHERE text = event_rows.session_issuer_type), mfa_authenticated, (SELECT string_id FROM strings WHERE text = event_rows.invoked_by), source_identity, source_ip, (SELECT string_id FROM strings WHERE text = event_rows.user_agent), (SELECT string_id FROM strings WHERE text = event_rows.error_code), error_message, read_only, request_id, shared_event_id, instance_profile_name, instance_profile_arn, role_name, role_arn, target_user_name, issued_access_key_id, instance_ids, launch_template_id, launch_template_name, file_id, raw_block, raw_index
  FROM event_rows;
DROP TABLE event_rows;
ALTER TABLE event_rows_v2 RENAME TO event_rows;
CREATE UNIQUE INDEX IF NOT EXISTS event_rows_event_id ON event_rows(event_id);
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

CREATE VIEW event_columns AS
  SELECT r.rowid AS row_id,
    r.event_id,
    r.event_time,
    r.event_name,
    (SELECT text FROM strings WHERE string_id = r.event_source_ref) AS event_source,
    (SELECT text FROM strings WHERE string_id = r.event_type_ref) AS event_type,
    (SELECT text FROM strings WHERE string_id = r.aws_region_ref) AS aws_region,
    (SELECT text FROM strings WHERE string_id = r.recipient_account_id_ref) AS recipient_account_id,
    (SELECT text FROM strings WHERE string_id = r.identity_type_ref) AS identity_type,
    r.identity_arn,
    r.principal_id,
    (SELECT text FROM strings WHERE string_id = r.account_id_ref) AS account_id,
    r.access_key_id,
    r.user_name,
    r.session_issuer_arn,
    (SELECT text FROM strings WHERE string_id = r.session_issuer_type_ref) AS session_issuer_type,
    r.mfa_authenticated,
    (SELECT text FROM strings WHERE string_id = r.invoked_by_ref) AS invoked_by,
    r.source_identity,
    r.source_ip,
    (SELECT text FROM strings WHERE string_id = r.user_agent_ref) AS user_agent,
    (SELECT text FROM strings WHERE string_id = r.error_code_ref) AS error_code,
    r.error_message,
    r.read_only,
    r.request_id,
    r.shared_event_id,
    r.instance_profile_name,
    r.instance_profile_arn,
    r.role_name,
    r.role_arn,
    r.target_user_name,
    r.issued_access_key_id,
    r.instance_ids,
    r.launch_template_id,
    r.launch_template_name,
    r.file_id, r.raw_block, r.raw_index
  FROM event_rows AS r;

CREATE VIEW events AS
  SELECT row_id AS rowid, event_id, event_time, event_name, event_source, event_type, aws_region, recipient_account_id, identity_type, identity_arn, principal_id, account_id, access_key_id, user_name, session_issuer_arn, session_issuer_type, mfa_authenticated, invoked_by, source_identity, source_ip, user_agent, error_code, error_message, read_only, request_id, shared_event_id, instance_profile_name, instance_profile_arn, role_name, role_arn, target_user_name, issued_access_key_id, instance_ids, launch_template_id, launch_template_name, file_id, raw_block, raw_index,
    trailsift_record(raw_block, raw_index) AS record
  FROM event_columns;
