/**
 * What the code steps of shipped migrations (backfill.ts, partition-migration.ts) read and
 * write, frozen like the SQL beside it and hashed with it: a migration works on the columns
 * its version had, whatever EventRow holds today.
 */
import type { EventRowColumn } from '../../parse/event-row.js';

/** The row columns of schema 3 in table order: schema 1's, then `details`. Schemas 4 and 5 kept them. */
export const SCHEMA_3_ROW_COLUMNS = [
  'event_id', 'event_time', 'event_name', 'event_source', 'event_type', 'aws_region', 'recipient_account_id',
  'identity_type', 'identity_arn', 'principal_id', 'account_id', 'access_key_id', 'user_name', 'session_issuer_arn',
  'session_issuer_type', 'mfa_authenticated', 'invoked_by', 'source_identity', 'source_ip', 'user_agent', 'error_code',
  'error_message', 'read_only', 'request_id', 'shared_event_id', 'instance_profile_name', 'instance_profile_arn',
  'role_name', 'role_arn', 'target_user_name', 'issued_access_key_id', 'instance_ids', 'launch_template_id',
  'launch_template_name', 'details',
] as const satisfies readonly EventRowColumn[];

/** The columns schema 2 moved into `strings`: their event_rows column is `<column>_ref`. */
export const SCHEMA_2_INTERNED_COLUMNS = [
  'event_source', 'event_type', 'aws_region', 'recipient_account_id', 'identity_type', 'account_id',
  'session_issuer_type', 'invoked_by', 'user_agent', 'error_code',
] as const satisfies readonly EventRowColumn[];

/** The columns of schema 3's event_rows table, which schema 4 moved into day tables of the same columns. */
export const SCHEMA_3_STORAGE_COLUMNS: readonly string[] = [
  'event_id', 'event_time', 'event_name', 'event_source_ref', 'event_type_ref', 'aws_region_ref',
  'recipient_account_id_ref', 'identity_type_ref', 'identity_arn', 'principal_id', 'account_id_ref', 'access_key_id',
  'user_name', 'session_issuer_arn', 'session_issuer_type_ref', 'mfa_authenticated', 'invoked_by_ref',
  'source_identity', 'source_ip', 'user_agent_ref', 'error_code_ref', 'error_message', 'read_only', 'request_id',
  'shared_event_id', 'instance_profile_name', 'instance_profile_arn', 'role_name', 'role_arn', 'target_user_name',
  'issued_access_key_id', 'instance_ids', 'launch_template_id', 'launch_template_name', 'details', 'file_id',
  'raw_block', 'raw_index',
];
