
ALTER TABLE event_rows ADD COLUMN details TEXT;
DROP VIEW events;
DROP VIEW event_columns;

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
    r.details,
    r.file_id, r.raw_block, r.raw_index
  FROM event_rows AS r;

CREATE VIEW events AS
  SELECT row_id AS rowid, event_id, event_time, event_name, event_source, event_type, aws_region, recipient_account_id, identity_type, identity_arn, principal_id, account_id, access_key_id, user_name, session_issuer_arn, session_issuer_type, mfa_authenticated, invoked_by, source_identity, source_ip, user_agent, error_code, error_message, read_only, request_id, shared_event_id, instance_profile_name, instance_profile_arn, role_name, role_arn, target_user_name, issued_access_key_id, instance_ids, launch_template_id, launch_template_name, details, file_id, raw_block, raw_index,
    trailsift_record(raw_block, raw_index) AS record
  FROM event_columns;
