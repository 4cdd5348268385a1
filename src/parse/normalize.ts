/**
 * The one place that maps raw CloudTrail field names to ours. Everything downstream
 * (store, correlate, report) reads EventRow columns, never raw records, except when
 * it deliberately opens the original record.
 */
import type { EventRow } from './event-row.js';
import {
  asObject,
  child,
  childArray,
  childObject,
  childText,
  flag,
  type JsonObject,
  nestingDepth,
  own,
  text,
} from './json-access.js';
import { normalizeTimestamp } from './timestamp.js';

export const MAX_RECORD_DEPTH = 256;

export type NormalizeResult =
  | { ok: true; row: EventRow }
  | { ok: false; reason: string; notCloudTrail?: boolean };

const CLOUDTRAIL_MARKERS = ['eventVersion', 'userIdentity', 'eventID', 'eventTime'];

/** Enough CloudTrail shape to call a record broken rather than something else entirely. */
export function looksLikeCloudTrail(record: JsonObject): boolean {
  if (CLOUDTRAIL_MARKERS.some((key) => own(record, key) !== undefined)) return true;
  return own(record, 'eventSource') !== undefined && own(record, 'eventName') !== undefined;
}

export function normalizeRecord(value: unknown): NormalizeResult {
  const record = asObject(value);
  if (!record) return { ok: false, reason: `not a JSON object (${describeType(value)})`, notCloudTrail: true };
  if (!looksLikeCloudTrail(record)) {
    return { ok: false, reason: 'not a CloudTrail record (no eventName, eventSource, eventID or eventTime)', notCloudTrail: true };
  }
  if (nestingDepth(record, MAX_RECORD_DEPTH) > MAX_RECORD_DEPTH) {
    return { ok: false, reason: `record nested deeper than ${MAX_RECORD_DEPTH} levels` };
  }
  const eventId = text(own(record, 'eventID'));
  if (!eventId) return { ok: false, reason: 'record has no eventID' };
  // Logstash and SIEM exports move the time; accept their fields only when eventTime is absent.
  const rawTime = own(record, 'eventTime') ?? own(record, '@timestamp') ?? own(record, 'p_event_time');
  if (rawTime === undefined || rawTime === null) return { ok: false, reason: `record ${quote(eventId)} has no eventTime` };
  const eventTime = normalizeTimestamp(rawTime);
  if (!eventTime) return { ok: false, reason: `record ${quote(eventId)} has an unreadable eventTime ${quote(String(rawTime))}` };

  const identity = childObject(record, 'userIdentity');
  const sessionContext = childObject(identity, 'sessionContext');
  const issuer = childObject(sessionContext, 'sessionIssuer');
  // Only requests and responses that carry a subject key are read for subjects at all.
  const request = withAnyKey(embeddedObject(own(record, 'requestParameters')), SUBJECT_REQUEST_KEYS);
  const response = withAnyKey(embeddedObject(own(record, 'responseElements')), SUBJECT_RESPONSE_KEYS);
  const eventName = text(own(record, 'eventName'));
  const errorMessage = text(own(record, 'errorMessage'));

  const hasSubjects = request !== null || response !== null;
  const profile = hasSubjects || errorMessage ? instanceProfileSubject(request, response, errorMessage) : NO_PROFILE;
  const launchTemplate = hasSubjects ? launchTemplateSubject(request, response) : NO_TEMPLATE;

  const row: EventRow = {
    event_id: eventId,
    event_time: eventTime,
    event_name: eventName,
    event_source: text(own(record, 'eventSource')),
    event_type: text(own(record, 'eventType')),
    aws_region: text(own(record, 'awsRegion')),
    recipient_account_id: text(own(record, 'recipientAccountId')),

    identity_type: childText(identity, 'type'),
    identity_arn: childText(identity, 'arn'),
    principal_id: childText(identity, 'principalId'),
    account_id: childText(identity, 'accountId'),
    access_key_id: childText(identity, 'accessKeyId'),
    user_name: childText(identity, 'userName'),
    session_issuer_arn: childText(issuer, 'arn'),
    session_issuer_type: childText(issuer, 'type'),
    mfa_authenticated: mfaFlag(record, sessionContext, eventName),
    invoked_by: childText(identity, 'invokedBy'),
    source_identity: childText(sessionContext, 'sourceIdentity') ?? childText(identity, 'sourceIdentity'),

    source_ip: text(own(record, 'sourceIPAddress')),
    user_agent: text(own(record, 'userAgent')),
    error_code: text(own(record, 'errorCode')),
    error_message: errorMessage,
    read_only: flag(own(record, 'readOnly')),
    request_id: text(own(record, 'requestID')),
    shared_event_id: text(own(record, 'sharedEventID')),

    instance_profile_name: profile.name,
    instance_profile_arn: profile.arn,
    role_name: childText(request, 'roleName'),
    role_arn: childText(request, 'roleArn'),
    target_user_name: childText(request, 'userName'),
    issued_access_key_id:
      childText(response, 'credentials', 'accessKeyId') ?? childText(response, 'accessKey', 'accessKeyId'),
    instance_ids: hasSubjects ? joinOrNull(instanceIdsOf(request, response)) : null,
    launch_template_id: launchTemplate.id,
    launch_template_name: launchTemplate.name,
  };
  return { ok: true, row };
}

/** Some exports carry requestParameters/responseElements as JSON text instead of objects. */
function embeddedObject(value: unknown): JsonObject | null {
  if (typeof value === 'string' && value.startsWith('{')) {
    try {
      return asObject(JSON.parse(value));
    } catch {
      return null;
    }
  }
  return asObject(value);
}

function mfaFlag(record: JsonObject, sessionContext: JsonObject | null, eventName: string | null): number | null {
  const fromSession = flag(child(sessionContext, 'attributes', 'mfaAuthenticated'));
  if (fromSession !== null) return fromSession;
  if (eventName === 'ConsoleLogin') return flag(child(record, 'additionalEventData', 'MFAUsed'));
  return null;
}

// --- subjects -------------------------------------------------------------

/**
 * Every first-level key of requestParameters / responseElements that the readers below
 * look at. Most events (Describe*, Get*, KMS) carry none of them, and checking an
 * object's few keys against these sets costs far less than the forty-odd lookups that
 * would each miss: subjects were about a third of normalizing (measured in the commit that
 * added this).
 * test/parse/normalize.test.ts fails when a reader looks at a key missing here.
 */
export const SUBJECT_REQUEST_KEYS: ReadonlySet<string> = new Set([
  'iamInstanceProfile',
  'IamInstanceProfile',
  'AssociateIamInstanceProfileRequest',
  'ReplaceIamInstanceProfileAssociationRequest',
  'CreateLaunchTemplateRequest',
  'CreateLaunchTemplateVersionRequest',
  'launchTemplateData',
  'instanceProfileName',
  'launchTemplate',
  'LaunchTemplate',
  'launchTemplateId',
  'LaunchTemplateId',
  'launchTemplateName',
  'instanceId',
  'InstanceId',
  'instanceIds',
  'instancesSet',
  'roleName',
  'roleArn',
  'userName',
]);

export const SUBJECT_RESPONSE_KEYS: ReadonlySet<string> = new Set([
  'AssociateIamInstanceProfileResponse',
  'ReplaceIamInstanceProfileAssociationResponse',
  'iamInstanceProfileAssociation',
  'instanceProfile',
  'instancesSet',
  'CreateLaunchTemplateResponse',
  'CreateLaunchTemplateVersionResponse',
  'credentials',
  'accessKey',
]);

/** The object itself when one of its keys is in `keys`, else null: nothing in it is read. */
function withAnyKey(object: JsonObject | null, keys: ReadonlySet<string>): JsonObject | null {
  if (!object) return null;
  const present = Object.keys(object);
  for (let i = 0; i < present.length; i += 1) if (keys.has(present[i]!)) return object;
  return null;
}

const PROFILE_NAME = String.raw`[\w+=,.@-]+`;
const DENIED_PROFILE_NAME = new RegExp(String.raw`on resource: instance profile (${PROFILE_NAME})`);
const DENIED_PROFILE_ARN = /on resource: (arn:aws[\w-]*:iam::\d{12}:instance-profile\/[\w+=,.@/-]+)/;
const EC2_INVALID_PROFILE = /Value \(([^)]{1,256})\) for parameter iamInstanceProfile\.(name|arn) is invalid/i;

export function profileNameFromArn(arn: string): string | null {
  const marker = ':instance-profile/';
  const at = arn.indexOf(marker);
  if (at < 0) return null;
  const name = arn.slice(at + marker.length).split('/').pop();
  return name ? name : null;
}

/** Path of an instance profile ARN, `/` when it has none: `.../instance-profile/app/x` → `/app/`. */
export function profilePathFromArn(arn: string): string | null {
  const marker = ':instance-profile/';
  const at = arn.indexOf(marker);
  if (at < 0) return null;
  const segments = arn.slice(at + marker.length).split('/');
  segments.pop();
  return segments.length === 0 ? '/' : `/${segments.join('/')}/`;
}

interface ProfileReference {
  name: string | null;
  arn: string | null;
}

function profileReference(value: unknown): ProfileReference {
  // CreateLaunchConfiguration passes a bare string: a name or an ARN.
  if (typeof value === 'string') {
    return value.startsWith('arn:') ? { name: profileNameFromArn(value), arn: value } : { name: value, arn: null };
  }
  const object = asObject(value);
  if (!object) return { name: null, arn: null };
  const arn = childText(object, 'arn') ?? childText(object, 'Arn');
  const name = childText(object, 'name') ?? childText(object, 'Name') ?? (arn ? profileNameFromArn(arn) : null);
  return { name, arn };
}

function instanceProfileSubject(
  request: JsonObject | null,
  response: JsonObject | null,
  errorMessage: string | null,
): ProfileReference {
  const candidates: unknown[] = [
    child(request, 'iamInstanceProfile'),
    child(request, 'IamInstanceProfile'),
    child(request, 'AssociateIamInstanceProfileRequest', 'IamInstanceProfile'),
    child(request, 'ReplaceIamInstanceProfileAssociationRequest', 'IamInstanceProfile'),
    child(request, 'CreateLaunchTemplateRequest', 'LaunchTemplateData', 'IamInstanceProfile'),
    child(request, 'CreateLaunchTemplateVersionRequest', 'LaunchTemplateData', 'IamInstanceProfile'),
    child(request, 'launchTemplateData', 'iamInstanceProfile'),
    child(response, 'AssociateIamInstanceProfileResponse', 'iamInstanceProfileAssociation', 'iamInstanceProfile'),
    child(response, 'ReplaceIamInstanceProfileAssociationResponse', 'iamInstanceProfileAssociation', 'iamInstanceProfile'),
    child(response, 'iamInstanceProfileAssociation', 'iamInstanceProfile'),
  ];
  const iamName = childText(request, 'instanceProfileName');
  const created = childObject(response, 'instanceProfile');
  let best: ProfileReference = {
    name: iamName ?? childText(created, 'instanceProfileName'),
    arn: childText(created, 'arn'),
  };
  for (const candidate of candidates) best = merge(best, profileReference(candidate));
  for (const item of childArray(response, 'instancesSet', 'items')) {
    best = merge(best, profileReference(child(asObject(item), 'iamInstanceProfile')));
  }
  if (errorMessage && !best.name) {
    const denied = DENIED_PROFILE_NAME.exec(errorMessage);
    const deniedArn = DENIED_PROFILE_ARN.exec(errorMessage);
    const invalid = EC2_INVALID_PROFILE.exec(errorMessage);
    if (deniedArn?.[1]) best = merge(best, profileReference(deniedArn[1]));
    else if (denied?.[1]) best = merge(best, { name: denied[1], arn: null });
    else if (invalid?.[1]) best = merge(best, profileReference(invalid[2]?.toLowerCase() === 'arn' ? { arn: invalid[1] } : invalid[1]));
  }
  return best;
}

const NO_PROFILE: ProfileReference = Object.freeze({ name: null, arn: null });
const NO_TEMPLATE = Object.freeze({ id: null, name: null });

function merge(current: ProfileReference, next: ProfileReference): ProfileReference {
  return { name: current.name ?? next.name, arn: current.arn ?? next.arn };
}

function launchTemplateSubject(request: JsonObject | null, response: JsonObject | null): { id: string | null; name: string | null } {
  const fromRequest = childObject(request, 'launchTemplate') ?? childObject(request, 'LaunchTemplate');
  const created =
    childObject(response, 'CreateLaunchTemplateResponse', 'launchTemplate') ??
    childObject(response, 'CreateLaunchTemplateVersionResponse', 'launchTemplateVersion');
  const versionRequest = childObject(request, 'CreateLaunchTemplateVersionRequest');
  const createRequest = childObject(request, 'CreateLaunchTemplateRequest');
  const id =
    childText(created, 'launchTemplateId') ??
    childText(fromRequest, 'launchTemplateId') ??
    childText(fromRequest, 'LaunchTemplateId') ??
    childText(versionRequest, 'LaunchTemplateId') ??
    childText(request, 'launchTemplateId') ??
    childText(request, 'LaunchTemplateId');
  const name =
    childText(created, 'launchTemplateName') ??
    childText(fromRequest, 'launchTemplateName') ??
    childText(fromRequest, 'LaunchTemplateName') ??
    childText(createRequest, 'LaunchTemplateName') ??
    childText(versionRequest, 'LaunchTemplateName') ??
    childText(request, 'launchTemplateName');
  return { id, name };
}

const INSTANCE_ID = /^i-[0-9a-zA-Z]{8,32}$/;

function instanceIdsOf(request: JsonObject | null, response: JsonObject | null): string[] {
  const found = new Set<string>();
  const add = (value: unknown): void => {
    const id = text(value);
    if (id && INSTANCE_ID.test(id)) found.add(id);
  };
  add(child(request, 'instanceId'));
  add(child(request, 'InstanceId'));
  add(child(request, 'AssociateIamInstanceProfileRequest', 'InstanceId'));
  for (const value of childArray(request, 'instanceIds')) add(value);
  for (const item of childArray(request, 'instancesSet', 'items')) add(child(asObject(item), 'instanceId'));
  for (const item of childArray(response, 'instancesSet', 'items')) add(child(asObject(item), 'instanceId'));
  add(child(response, 'AssociateIamInstanceProfileResponse', 'iamInstanceProfileAssociation', 'instanceId'));
  add(child(response, 'ReplaceIamInstanceProfileAssociationResponse', 'iamInstanceProfileAssociation', 'instanceId'));
  add(child(response, 'iamInstanceProfileAssociation', 'instanceId'));
  return [...found].sort();
}

function joinOrNull(values: string[]): string | null {
  return values.length === 0 ? null : values.join(' ');
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}
