/**
 * One CloudTrail record reduced to the columns that search and correlation use.
 * Field names here are the column names of the `events` table (snake_case), so a
 * reader can go from SQL to code without a mapping table in their head.
 */
export interface EventRow {
  event_id: string;
  /** ISO 8601 UTC, second precision, always `YYYY-MM-DDTHH:MM:SSZ`, so text order is time order. */
  event_time: string;
  event_name: string | null;
  event_source: string | null;
  event_type: string | null;
  aws_region: string | null;
  recipient_account_id: string | null;

  identity_type: string | null;
  identity_arn: string | null;
  principal_id: string | null;
  account_id: string | null;
  access_key_id: string | null;
  user_name: string | null;
  session_issuer_arn: string | null;
  session_issuer_type: string | null;
  /** 1, 0, or null when the record does not say. */
  mfa_authenticated: number | null;
  invoked_by: string | null;
  source_identity: string | null;

  source_ip: string | null;
  user_agent: string | null;
  error_code: string | null;
  error_message: string | null;
  read_only: number | null;
  request_id: string | null;
  shared_event_id: string | null;

  // Subjects that correlation joins on.
  instance_profile_name: string | null;
  instance_profile_arn: string | null;
  role_name: string | null;
  /** Role an STS call asked for (`requestParameters.roleArn`). */
  role_arn: string | null;
  target_user_name: string | null;
  /** Access key an event issued: STS credentials or CreateAccessKey. */
  issued_access_key_id: string | null;
  /** Space-separated instance IDs the event names (request and response). */
  instance_ids: string | null;
  launch_template_id: string | null;
  launch_template_name: string | null;
  /**
   * The rarer facts correlation needs, as the JSON text of an EventDetails object (null
   * when the record has none): one column for fields that most records lack, so the
   * common row binds one null instead of a dozen.
   */
  details: string | null;
}

/**
 * Our names for the raw fields behind `details`. Every key is optional and only present
 * when the record carries it; normalize.ts is the one place that fills it.
 */
export interface EventDetails {
  /** `sessionCredentialFromConsole` ("true" or true): the call came from a console session. */
  consoleSession?: true;
  /** `userIdentity.onBehalfOf` of an Identity Center identity-enhanced session. */
  onBehalfOfUserId?: string;
  identityStoreArn?: string;
  /** Who a role's new trust policy lets assume it (UpdateAssumeRolePolicy, CreateRole): the principals of its Allow statements. */
  trustedPrincipals?: string[];
  /** `requestParameters.roleSessionName` of an STS call (an instance ID for EC2 instance credentials). */
  roleSessionName?: string;
  /** `responseElements.assumedRoleUser.arn` (`federatedUser.arn` for GetFederationToken): the session an STS call started. */
  issuedSessionArn?: string;
  /** `responseElements.subjectFromWebIdentityToken` of AssumeRoleWithWebIdentity. */
  webIdentitySubject?: string;
  /** `responseElements.accessKey.userName`: whose long-term key CreateAccessKey made. */
  issuedKeyOwner?: string;
  /** `responseElements.ConsoleLogin` of a sign-in: "Success" or "Failure". */
  loginResult?: string;
  /** Identity Center GetRoleCredentials: the member account (`serviceEventDetails.account_id` or `requestParameters.accountId`). */
  targetAccountId?: string;
  groupName?: string;
  policyArn?: string;
  policyName?: string;
  /** MFA device serial (`serialNumber`, or the created `virtualMFADevice.serialNumber`). */
  serialNumber?: string;
  /** CloudTrail trail a trail-control call names (`name` or `trailName`). */
  trailName?: string;
  /** EC2 instance profile association ID: the request's, else the response's. */
  associationId?: string;
  /** The association ID a Replace call returned (the new association). */
  newAssociationId?: string;
  launchConfigurationName?: string;
  /** The resource a service call that keeps an instance profile names, by ARN (Batch compute environment, Image Builder infrastructure configuration). */
  resourceArn?: string;
  /** Its name, when the call gives one (Batch, always: from the ARN when only the ARN is logged). */
  resourceName?: string;
  /** Other identifiers the call names: several resources (EMR `TerminateJobFlows` `jobFlowIds`), or the resource's ID beside its name (Elastic Beanstalk `environmentId`). */
  resourceNames?: string[];
  /** The launch templates (IDs, else names) a Spot Fleet or EC2 Fleet request launches from. */
  launchTemplates?: string[];
  /** A request that launches once and never again (one-time Spot, fleets of type `request`/`instant`, an EMR cluster that ends when its steps do). */
  oneShot?: true;
  /** Every instance profile name a call may launch with, when it names several (Spot Fleet launch specifications, Data Pipeline resources). */
  launchProfiles?: string[];
  /** When a Spot or Fleet request expires (`validUntil`). */
  validUntil?: string;
  /** `requestParameters.accessKeyId`: the key an Update/DeleteAccessKey call acts on. */
  accessKeyParam?: string;
}

const NO_DETAILS: EventDetails = Object.freeze({});
const decodedDetails = new WeakMap<object, EventDetails>();

/** The row's details as an object (empty when it has none), decoded once per row. */
export function detailsOf(row: Pick<EventRow, 'details'>): EventDetails {
  if (!row.details) return NO_DETAILS;
  let details = decodedDetails.get(row);
  if (!details) {
    try {
      details = JSON.parse(row.details) as EventDetails;
    } catch {
      details = NO_DETAILS;
    }
    decodedDetails.set(row, details);
  }
  return details;
}

export const EVENT_ROW_COLUMNS = [
  'event_id',
  'event_time',
  'event_name',
  'event_source',
  'event_type',
  'aws_region',
  'recipient_account_id',
  'identity_type',
  'identity_arn',
  'principal_id',
  'account_id',
  'access_key_id',
  'user_name',
  'session_issuer_arn',
  'session_issuer_type',
  'mfa_authenticated',
  'invoked_by',
  'source_identity',
  'source_ip',
  'user_agent',
  'error_code',
  'error_message',
  'read_only',
  'request_id',
  'shared_event_id',
  'instance_profile_name',
  'instance_profile_arn',
  'role_name',
  'role_arn',
  'target_user_name',
  'issued_access_key_id',
  'instance_ids',
  'launch_template_id',
  'launch_template_name',
  'details',
] as const satisfies readonly (keyof EventRow)[];

export type EventRowColumn = (typeof EVENT_ROW_COLUMNS)[number];

/** A row as positional values in EVENT_ROW_COLUMNS order: cheap to send between threads and to bind. */
export type EventTuple = unknown[];

/**
 * Spelled out rather than looped over EVENT_ROW_COLUMNS: a named read per column is
 * inline-cached and the array literal is packed, so building and serializing a tuple
 * costs a fraction of the generic loop (test/parse/event-row.test.ts checks the order).
 */
export function toTuple(row: EventRow): EventTuple {
  return [
    row.event_id,
    row.event_time,
    row.event_name,
    row.event_source,
    row.event_type,
    row.aws_region,
    row.recipient_account_id,
    row.identity_type,
    row.identity_arn,
    row.principal_id,
    row.account_id,
    row.access_key_id,
    row.user_name,
    row.session_issuer_arn,
    row.session_issuer_type,
    row.mfa_authenticated,
    row.invoked_by,
    row.source_identity,
    row.source_ip,
    row.user_agent,
    row.error_code,
    row.error_message,
    row.read_only,
    row.request_id,
    row.shared_event_id,
    row.instance_profile_name,
    row.instance_profile_arn,
    row.role_name,
    row.role_arn,
    row.target_user_name,
    row.issued_access_key_id,
    row.instance_ids,
    row.launch_template_id,
    row.launch_template_name,
    row.details,
  ];
}

export const INSTANCE_IDS_COLUMN = EVENT_ROW_COLUMNS.indexOf('instance_ids');
