
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
) WITHOUT ROWID;