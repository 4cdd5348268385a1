/**
 * The one place that maps raw CloudTrail field names to ours. Everything downstream
 * (store, correlate, report) reads EventRow columns, never raw records, except when
 * it deliberately opens the original record.
 */
import { createHash } from 'node:crypto';
import type { EventDetails, EventRow } from './event-row.js';
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
  pascalCase,
  text,
} from './json-access.js';
import { type FleetSubject, fleetSubject, isFleetCall } from './spot-fleet.js';
import { normalizeTimestamp } from './timestamp.js';

export const MAX_RECORD_DEPTH = 256;

export type NormalizeResult =
  | { ok: true; row: EventRow }
  | { ok: false; reason: string; notCloudTrail?: boolean };

const CLOUDTRAIL_MARKERS = ['eventVersion', 'userIdentity', 'eventID', 'eventTime'];

/** eventVersion 1.0: records from before CloudTrail added eventID (in 1.01, its record-contents reference says). */
const BEFORE_EVENT_ID = /^1\.0+$/;

/**
 * The ID of a record too old to have one: `sha256:` and the SHA-256 of the record as
 * JSON.stringify writes it back, so one record delivered twice is one event and no
 * substitute can pass for an ID CloudTrail gave. A newer record without eventID is broken.
 */
function substituteEventId(record: JsonObject): string | null {
  const version = text(own(record, 'eventVersion'));
  if (!version || !BEFORE_EVENT_ID.test(version)) return null;
  return `sha256:${createHash('sha256').update(JSON.stringify(record)).digest('hex')}`;
}

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
  const eventId = text(own(record, 'eventID')) ?? substituteEventId(record);
  if (!eventId) return { ok: false, reason: 'record has no eventID' };
  // Logstash and SIEM exports move the time; accept their fields only when eventTime is absent.
  const rawTime = own(record, 'eventTime') ?? own(record, '@timestamp') ?? own(record, 'p_event_time');
  if (rawTime === undefined || rawTime === null) return { ok: false, reason: `record ${quote(eventId)} has no eventTime` };
  const eventTime = normalizeTimestamp(rawTime);
  if (!eventTime) return { ok: false, reason: `record ${quote(eventId)} has an unreadable eventTime ${quote(printable(rawTime))}` };

  const identity = childObject(record, 'userIdentity');
  const sessionContext = childObject(identity, 'sessionContext');
  const issuer = childObject(sessionContext, 'sessionIssuer');
  // Only requests and responses that carry a subject key are read for subjects at all.
  const requestObject = embeddedObject(own(record, 'requestParameters'));
  const requestKeys = requestObject ? Object.keys(requestObject) : [];
  const request = withAnyKey(requestObject, requestKeys, SUBJECT_REQUEST_KEYS);
  const responseObject = embeddedObject(own(record, 'responseElements'));
  const response = withAnyKey(responseObject, responseObject ? Object.keys(responseObject) : [], SUBJECT_RESPONSE_KEYS);
  const eventName = text(own(record, 'eventName'));
  const eventSource = text(own(record, 'eventSource'));
  const errorMessage = text(own(record, 'errorMessage'));

  const hasSubjects = request !== null || response !== null;
  // Spot and Fleet requests are read past the subject gate: only these few EC2 calls, whole.
  const fleet = isFleetCall(eventSource, eventName) ? fleetSubject(eventName!, requestObject, responseObject) : null;
  let profile = hasSubjects || errorMessage ? instanceProfileSubject(request, response, errorMessage) : NO_PROFILE;
  if (fleet) profile = merge(profile, profileReference(onlyProfile(fleet.profile.arn ?? fleet.profile.name ?? undefined)));
  const pipelineRoles = eventSource === 'datapipeline.amazonaws.com' && eventName === 'PutPipelineDefinition' ? pipelineProfiles(requestObject, responseObject) : [];
  if (pipelineRoles[0]) profile = merge(profile, { name: pipelineRoles[0], arn: null });
  let launchTemplate = hasSubjects ? launchTemplateSubject(request, response) : NO_TEMPLATE;
  const fleetTemplate = fleet?.launchTemplates[0];
  if (fleetTemplate && !launchTemplate.id && !launchTemplate.name) launchTemplate = { id: fleetTemplate.id, name: fleetTemplate.name };

  const row: EventRow = {
    event_id: eventId,
    event_time: eventTime,
    event_name: eventName,
    event_source: eventSource,
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
    role_name: childText(request, 'roleName') ?? identityCenterRoleName(record, eventSource) ?? deniedTarget(errorMessage, 'role'),
    role_arn: childText(request, 'roleArn'),
    target_user_name: childText(request, 'userName') ?? deniedTarget(errorMessage, 'user'),
    issued_access_key_id:
      childText(response, 'credentials', 'accessKeyId') ?? childText(response, 'accessKey', 'accessKeyId'),
    instance_ids: joinOrNull(instanceIds(hasSubjects ? instanceIdsOf(request, response) : [], hintedInstanceIds(requestObject, requestKeys))),
    launch_template_id: launchTemplate.id,
    launch_template_name: launchTemplate.name,
    details: detailsText(record, identity, requestObject, request, responseObject, response, eventName, eventSource, errorMessage, fleet, pipelineRoles),
  };
  return { ok: true, row };
}

// --- details ----------------------------------------------------------------

/**
 * The EventDetails of a record as JSON text, or null when it has none (most records).
 * Identity facts are read from every record; request and response facts only through the
 * subject gate, like the subjects; trail and Identity Center facts only for their services.
 */
function detailsText(
  record: JsonObject,
  identity: JsonObject | null,
  requestObject: JsonObject | null,
  request: JsonObject | null,
  responseObject: JsonObject | null,
  response: JsonObject | null,
  eventName: string | null,
  eventSource: string | null,
  errorMessage: string | null,
  fleet: FleetSubject | null,
  pipelineRoles: string[],
): string | null {
  const details: EventDetails = {};
  if (flag(own(record, 'sessionCredentialFromConsole')) === 1) details.consoleSession = true;
  set(details, 'onBehalfOfUserId', childText(identity, 'onBehalfOf', 'userId'));
  set(details, 'identityStoreArn', childText(identity, 'onBehalfOf', 'identityStoreArn'));
  if (request) {
    set(details, 'roleSessionName', childText(request, 'roleSessionName'));
    set(details, 'groupName', childText(request, 'groupName'));
    set(details, 'policyArn', childText(request, 'policyArn'));
    set(details, 'policyName', childText(request, 'policyName'));
    const trusted = trustedPrincipalsOf(childText(request, 'policyDocument') ?? childText(request, 'assumeRolePolicyDocument'), eventName);
    if (trusted.length > 0) details.trustedPrincipals = trusted;
    set(details, 'serialNumber', childText(request, 'serialNumber'));
    set(details, 'launchConfigurationName', childText(request, 'launchConfigurationName'));
    set(details, 'accessKeyParam', childText(request, 'accessKeyId'));
    set(
      details,
      'associationId',
      childText(request, 'associationId') ??
        childText(request, 'AssociationId') ??
        childText(request, 'ReplaceIamInstanceProfileAssociationRequest', 'AssociationId') ??
        childText(request, 'DisassociateIamInstanceProfileRequest', 'AssociationId'),
    );
  }
  // A denied call logs no parameters: its group or policy is only named in the message.
  set(details, 'groupName', deniedTarget(errorMessage, 'group'));
  set(details, 'policyArn', deniedTarget(errorMessage, 'policy'));
  if (response) {
    set(details, 'issuedSessionArn', childText(response, 'assumedRoleUser', 'arn') ?? childText(response, 'federatedUser', 'arn'));
    set(details, 'webIdentitySubject', childText(response, 'subjectFromWebIdentityToken'));
    set(details, 'issuedKeyOwner', childText(response, 'accessKey', 'userName'));
    set(details, 'serialNumber', childText(response, 'virtualMFADevice', 'serialNumber'));
    if (eventName === 'ConsoleLogin') set(details, 'loginResult', childText(response, 'ConsoleLogin'));
    const association = ASSOCIATION_RESPONSE_PATHS.map((path) => childText(response, ...path, 'associationId')).find((id) => id !== null) ?? null;
    // A Replace makes a new association: the request names the old one, the response the new.
    if (eventName === 'ReplaceIamInstanceProfileAssociation') set(details, 'newAssociationId', association);
    else set(details, 'associationId', association);
  }
  if (fleet) {
    set(details, 'resourceName', fleet.ids[0] ?? null);
    if (fleet.ids.length > 1) set(details, 'resourceNames', fleet.ids);
    if (fleet.launchTemplates.length > 0) set(details, 'launchTemplates', fleet.launchTemplates.map((template) => template.id ?? template.name!));
    if (fleet.oneShot) details.oneShot = true;
    set(details, 'validUntil', fleet.validUntil);
  }
  // Every profile a call may launch with, when it names more than one (their names): only Spot/Fleet calls and pipelines can.
  if (fleet || pipelineRoles.length > 1) {
    const launchProfiles = [...new Set([...(fleet?.profiles ?? []).map((named) => named.name ?? (named.arn ? profileNameFromArn(named.arn) : null)), ...pipelineRoles])].filter(
      (value): value is string => !!value,
    );
    if (launchProfiles.length > 1) details.launchProfiles = launchProfiles;
  }
  // A cluster that does not stay alive without steps ends by itself, with no record of it.
  if (eventSource === 'elasticmapreduce.amazonaws.com' && eventName === 'RunJobFlow') {
    const instances = childObject(requestObject, 'instances') ?? childObject(requestObject, 'Instances');
    if (flag(child(instances, 'keepJobFlowAliveWhenNoSteps') ?? child(instances, 'KeepJobFlowAliveWhenNoSteps')) !== 1) details.oneShot = true;
  }
  const dependent = dependentResourceOf(eventSource, eventName, requestObject, responseObject);
  set(details, 'resourceArn', dependent.arn);
  set(details, 'resourceName', dependent.name);
  if (dependent.names.length > 0) set(details, 'resourceNames', [...dependent.names]);
  if (eventSource === 'cloudtrail.amazonaws.com') {
    set(details, 'trailName', childText(requestObject, 'name') ?? childText(requestObject, 'trailName') ?? deniedTarget(errorMessage, 'trail'));
  }
  if (eventSource === 'sso.amazonaws.com') {
    set(details, 'targetAccountId', childText(record, 'serviceEventDetails', 'account_id') ?? childText(requestObject, 'accountId'));
  }
  for (const _key in details) return JSON.stringify(details);
  return null;
}

function set<K extends keyof EventDetails>(details: EventDetails, key: K, value: EventDetails[K] | null): void {
  if (value !== null && value !== undefined && details[key] === undefined) details[key] = value;
}

interface DependentResource {
  arn: string | null;
  name: string | null;
  names: readonly string[];
}

const NO_DEPENDENT: DependentResource = Object.freeze({ arn: null, name: null, names: Object.freeze([]) });

/** `key` as text, or its PascalCase spelling. */
function either(object: JsonObject | null, key: string): string | null {
  return childText(object, key) ?? childText(object, pascalCase(key));
}

/**
 * The resource a service call that can keep an instance profile names: an AWS Batch compute
 * environment, an EC2 Image Builder infrastructure configuration. Read from the response
 * first (the ARN the service assigned), then from the request, camelCase or PascalCase.
 * Past the subject gate: keys such as `applicationName` or `stackId` are common in other
 * services' calls, and this reader only looks at its own services' records.
 */
function dependentResourceOf(
  eventSource: string | null,
  eventName: string | null,
  request: JsonObject | null,
  response: JsonObject | null,
): DependentResource {
  if (eventSource === 'batch.amazonaws.com') {
    // Update and Delete name it `computeEnvironment`: a name or an ARN.
    const named = either(request, 'computeEnvironment');
    const arn = either(response, 'computeEnvironmentArn') ?? (named?.startsWith('arn:') ? named : null);
    const name = either(request, 'computeEnvironmentName') ?? either(response, 'computeEnvironmentName') ?? (named && !named.startsWith('arn:') ? named : null);
    return { arn, name: name ?? (arn ? lastSegment(arn) : null), names: [] };
  }
  if (eventSource === 'imagebuilder.amazonaws.com') {
    return { arn: either(response, 'infrastructureConfigurationArn') ?? either(request, 'infrastructureConfigurationArn'), name: null, names: [] };
  }
  if (eventSource === 'elasticmapreduce.amazonaws.com') {
    // A cluster is named by its ID (`j-…`): RunJobFlow's response, AddInstanceGroups' `jobFlowId`,
    // AddInstanceFleet's `clusterId`; TerminateJobFlows ends several (`jobFlowIds`).
    const name = either(response, 'jobFlowId') ?? either(request, 'jobFlowId') ?? either(request, 'clusterId');
    const names = [...childArray(request, 'jobFlowIds'), ...childArray(request, 'JobFlowIds')].map((value) => text(value)).filter((value): value is string => !!value);
    return { arn: null, name, names };
  }
  if (eventSource === 'opsworks.amazonaws.com') {
    // A stack by its ID: CreateStack and CloneStack return it, the rest name it.
    return { arn: null, name: either(response, 'stackId') ?? either(request, 'stackId'), names: [] };
  }
  if (eventSource === 'datapipeline.amazonaws.com') {
    return { arn: null, name: either(request, 'pipelineId') ?? either(response, 'pipelineId'), names: [] };
  }
  if (eventSource === 'elasticbeanstalk.amazonaws.com' && eventName?.endsWith('ConfigurationTemplate')) {
    // A saved configuration is named by its application and its name, unique together.
    const application = either(request, 'applicationName') ?? either(response, 'applicationName');
    const template = either(request, 'templateName') ?? either(response, 'templateName');
    return { arn: null, name: application && template ? `${application}/${template}` : null, names: [] };
  }
  if (eventSource === 'elasticbeanstalk.amazonaws.com') {
    // An environment by its name (request, else the response, which Create, Update and Terminate
    // all return), its ID kept beside it so a call naming only the ID still finds it.
    const name = either(request, 'environmentName') ?? either(response, 'environmentName');
    const ids = [either(request, 'environmentId'), either(response, 'environmentId')].filter((value): value is string => value !== null);
    return { arn: null, name: name ?? ids[0] ?? null, names: [...new Set(ids)] };
  }
  return NO_DEPENDENT;
}

/** The last segment of an ARN's resource: `arn:aws:batch:r:a:compute-environment/x` → `x`. */
function lastSegment(arn: string): string | null {
  const segment = arn.split(':').slice(5).join(':').split('/').pop();
  return segment ? segment : null;
}

/** Where Associate, Replace and Disassociate responses keep the association, wrapped or not. */
const ASSOCIATION_RESPONSE_PATHS: readonly string[][] = [
  ['iamInstanceProfileAssociation'],
  ['AssociateIamInstanceProfileResponse', 'iamInstanceProfileAssociation'],
  ['ReplaceIamInstanceProfileAssociationResponse', 'iamInstanceProfileAssociation'],
  ['DisassociateIamInstanceProfileResponse', 'iamInstanceProfileAssociation'],
];

const DENIED_TARGET: Record<'user' | 'role' | 'group' | 'policy' | 'trail', RegExp> = {
  user: /on resource: (?:user ([\w+=,.@-]+)|arn:aws[\w-]*:iam::\d{12}:user\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+))(?=\s|$)/,
  role: /on resource: (?:role ([\w+=,.@-]+)|arn:aws[\w-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+))(?=\s|$)/,
  group: /on resource: (?:group ([\w+=,.@-]+)|arn:aws[\w-]*:iam::\d{12}:group\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+))(?=\s|$)/,
  // The policy as its ARN (what the request's policyArn holds), of any path; AWS managed ones included.
  policy: /on resource: (?:policy )?(arn:aws[\w-]*:iam::(?:\d{12}|aws):policy\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]+)(?=\s|$)/,
  trail: /on resource: (arn:aws[\w-]*:cloudtrail:[a-z0-9-]+:\d{12}:trail\/[\w.-]+)(?=\s|$)/,
};

const TRUST_POLICY_EVENTS = new Set(['UpdateAssumeRolePolicy', 'CreateRole']);
const MAX_TRUSTED = 16;

/**
 * The principals a role's trust policy allows (AWS, Federated, Service; `*` as it is): who can
 * assume the role after the call. The document is a JSON string IAM validated; an unreadable
 * one yields none.
 */
function trustedPrincipalsOf(document: string | null, eventName: string | null): string[] {
  if (!document || !eventName || !TRUST_POLICY_EVENTS.has(eventName)) return [];
  let policy: unknown;
  try {
    policy = JSON.parse(document);
  } catch {
    return [];
  }
  const statements = asObject(policy) ? child(asObject(policy), 'Statement') : null;
  const found = new Set<string>();
  for (const statement of Array.isArray(statements) ? statements : [statements]) {
    const object = asObject(statement);
    if (!object || text(own(object, 'Effect')) !== 'Allow') continue;
    const principal = own(object, 'Principal');
    if (principal === '*') found.add('*');
    const principals = asObject(principal);
    for (const key of ['AWS', 'Federated', 'Service']) {
      const value = principals ? own(principals, key) : undefined;
      for (const entry of Array.isArray(value) ? value : [value]) {
        const name = text(entry);
        if (name && found.size < MAX_TRUSTED) found.add(name);
      }
    }
  }
  return [...found];
}

/** A denied IAM call logs no parameters: its target user, role, group, policy or trail is only in the message. */
function deniedTarget(errorMessage: string | null, kind: keyof typeof DENIED_TARGET): string | null {
  if (!errorMessage || !errorMessage.includes('on resource: ')) return null;
  const match = DENIED_TARGET[kind].exec(errorMessage);
  return match ? (match[1] ?? match[2] ?? null) : null;
}

/** Identity Center's GetRoleCredentials names the role in serviceEventDetails (newer logs) or requestParameters. */
function identityCenterRoleName(record: JsonObject, eventSource: string | null): string | null {
  return eventSource === 'sso.amazonaws.com' ? childText(record, 'serviceEventDetails', 'role_name') : null;
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

/**
 * MFA as the record states it. For a sign-in, `additionalEventData.MFAUsed` is what the
 * sign-in itself did (a federated login can carry a session attribute that says otherwise);
 * for every other call, the session's `mfaAuthenticated`.
 */
function mfaFlag(record: JsonObject, sessionContext: JsonObject | null, eventName: string | null): number | null {
  if (eventName === 'ConsoleLogin') {
    const used = flag(child(record, 'additionalEventData', 'MFAUsed'));
    if (used !== null) return used;
  }
  return flag(child(sessionContext, 'attributes', 'mfaAuthenticated'));
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
  'policyDocument',
  'assumeRolePolicyDocument',
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
  'roleSessionName',
  'groupName',
  'policyArn',
  'policyName',
  'serialNumber',
  'launchConfigurationName',
  'accessKeyId',
  'associationId',
  'AssociationId',
  'DisassociateIamInstanceProfileRequest',
  'DeleteLaunchTemplateRequest',
  // Services that keep an instance profile and launch with it later (dependentResourceOf).
  // The resource itself is read past this gate, by dependentResourceOf for its own services only.
  'InstanceProfileName',
  'computeResources',
  'ComputeResources',
  'jobFlowRole',
  'JobFlowRole',
  'optionSettings',
  'OptionSettings',
  'defaultInstanceProfileArn',
  'DefaultInstanceProfileArn',
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
  'DisassociateIamInstanceProfileResponse',
  'DeleteLaunchTemplateResponse',
  'assumedRoleUser',
  'federatedUser',
  'subjectFromWebIdentityToken',
  'virtualMFADevice',
  'ConsoleLogin',
]);

/** The object itself when one of its keys is in `keys`, else null: nothing in it is read. */
function withAnyKey(object: JsonObject | null, present: readonly string[], keys: ReadonlySet<string>): JsonObject | null {
  if (!object) return null;
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
    child(response, 'DisassociateIamInstanceProfileResponse', 'iamInstanceProfileAssociation', 'iamInstanceProfile'),
    child(response, 'iamInstanceProfileAssociation', 'iamInstanceProfile'),
  ];
  // IAM's own calls and Image Builder's infrastructure configurations name it `instanceProfileName`.
  const iamName = childText(request, 'instanceProfileName') ?? childText(request, 'InstanceProfileName');
  const created = childObject(response, 'instanceProfile');
  let best: ProfileReference = {
    name: iamName ?? childText(created, 'instanceProfileName'),
    arn: childText(created, 'arn'),
  };
  for (const candidate of candidates) best = merge(best, profileReference(candidate));
  // AWS Batch: `computeResources.instanceRole`, an instance profile's name or ARN.
  best = merge(best, profileReference(onlyProfile(child(request, 'computeResources', 'instanceRole') ?? child(request, 'ComputeResources', 'InstanceRole'))));
  // Amazon EMR: RunJobFlow's `jobFlowRole` is the cluster's instance profile.
  best = merge(best, profileReference(onlyProfile(child(request, 'jobFlowRole') ?? child(request, 'JobFlowRole'))));
  // OpsWorks Stacks: the stack's default profile, always an ARN.
  best = merge(best, profileReference(onlyProfile(child(request, 'defaultInstanceProfileArn') ?? child(request, 'DefaultInstanceProfileArn'))));
  // Elastic Beanstalk: the option setting aws:autoscaling:launchconfiguration / IamInstanceProfile.
  best = merge(best, profileReference(onlyProfile(beanstalkProfile(request))));
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

const BEANSTALK_NAMESPACE = 'aws:autoscaling:launchconfiguration';

/** The value of Elastic Beanstalk's IamInstanceProfile option setting, camelCase or PascalCase. */
function beanstalkProfile(request: JsonObject | null): unknown {
  for (const item of [...childArray(request, 'optionSettings'), ...childArray(request, 'OptionSettings')]) {
    const setting = asObject(item);
    const namespace = childText(setting, 'namespace') ?? childText(setting, 'Namespace');
    const option = childText(setting, 'optionName') ?? childText(setting, 'OptionName');
    if (namespace === BEANSTALK_NAMESPACE && option === 'IamInstanceProfile') return child(setting, 'value') ?? child(setting, 'Value');
  }
  return undefined;
}

/**
 * Data Pipeline: the `resourceRole` fields of its objects name the roles, and the instance
 * profiles of the same names, that its EC2 resources launch with (a resource may override the
 * Default object's). A definition the service refused (`errored`) was not saved: none.
 */
function pipelineProfiles(request: JsonObject | null, response: JsonObject | null): string[] {
  if (flag(child(response, 'errored') ?? child(response, 'Errored')) === 1) return [];
  const roles = new Set<string>();
  for (const item of [...childArray(request, 'pipelineObjects'), ...childArray(request, 'PipelineObjects')]) {
    const object = asObject(item);
    for (const entry of [...childArray(object, 'fields'), ...childArray(object, 'Fields')]) {
      const field = asObject(entry);
      if ((childText(field, 'key') ?? childText(field, 'Key')) !== 'resourceRole') continue;
      const value = childText(field, 'stringValue') ?? childText(field, 'StringValue');
      if (value) roles.add(value);
    }
  }
  return [...roles];
}

/** A name, or an ARN only when it is an instance profile's: a role ARN given by mistake names no profile. */
function onlyProfile(value: unknown): unknown {
  return typeof value === 'string' && value.startsWith('arn:') && !value.includes(':instance-profile/') ? undefined : value;
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
    childObject(response, 'CreateLaunchTemplateVersionResponse', 'launchTemplateVersion') ??
    childObject(response, 'DeleteLaunchTemplateResponse', 'launchTemplate');
  const versionRequest = childObject(request, 'CreateLaunchTemplateVersionRequest') ?? childObject(request, 'DeleteLaunchTemplateRequest');
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
  // Older EC2 records spell the set's list `item`.
  for (const list of ['items', 'item']) {
    for (const item of childArray(request, 'instancesSet', list)) add(child(asObject(item), 'instanceId'));
    for (const item of childArray(response, 'instancesSet', list)) add(child(asObject(item), 'instanceId'));
  }
  add(child(response, 'AssociateIamInstanceProfileResponse', 'iamInstanceProfileAssociation', 'instanceId'));
  add(child(response, 'ReplaceIamInstanceProfileAssociationResponse', 'iamInstanceProfileAssociation', 'instanceId'));
  add(child(response, 'DisassociateIamInstanceProfileResponse', 'iamInstanceProfileAssociation', 'instanceId'));
  add(child(response, 'iamInstanceProfileAssociation', 'instanceId'));
  return [...found].sort();
}

/**
 * Keys a call may name instances under that are too common to open the subject readers
 * (every Describe* has a filter set): read here alone, a few lookups per record.
 */
export const INSTANCE_HINT_KEYS: ReadonlySet<string> = new Set(['target', 'filterSet', 'filters']);
/** Filters that select instances by ID: EC2's `filterSet.items[] {name, valueSet.items[].value}`, SSM's `filters[] {key, values}`. */
const INSTANCE_FILTER_NAMES = new Set(['instance-id', 'InstanceIds']);

/** Instances a call names outside the subject keys: SSM's session target, ID filters, a PascalCase `<Operation>Request` wrapper's InstanceId. */
function hintedInstanceIds(request: JsonObject | null, requestKeys: readonly string[]): readonly string[] {
  if (!request) return NO_INSTANCE_IDS;
  // Most requests have none of these keys: their key list, already at hand, says so without a lookup.
  let hinted = requestKeys.length === 1 && requestKeys[0]!.endsWith('Request');
  for (let i = 0; !hinted && i < requestKeys.length; i += 1) hinted = INSTANCE_HINT_KEYS.has(requestKeys[i]!);
  if (!hinted) return NO_INSTANCE_IDS;
  const found: string[] = [];
  const add = (value: unknown): void => {
    const id = text(value);
    if (id && INSTANCE_ID.test(id)) found.push(id);
  };
  // SSM StartSession: the instance a shell was opened on.
  add(own(request, 'target'));
  for (const filter of childArray(request, 'filterSet', 'items')) {
    const entry = asObject(filter);
    if (INSTANCE_FILTER_NAMES.has(text(own(entry, 'name')) ?? '')) for (const value of childArray(entry, 'valueSet', 'items')) add(child(asObject(value), 'value'));
  }
  for (const filter of childArray(request, 'filters')) {
    const entry = asObject(filter);
    if (INSTANCE_FILTER_NAMES.has(text(own(entry, 'key')) ?? '')) for (const value of childArray(entry, 'values')) add(value);
  }
  // A newer EC2 API's only key is its wrapper; it gives the ID as text, as `{tag, content}`, or a list of either.
  const wrapper = requestKeys.length === 1 && requestKeys[0]!.endsWith('Request') ? child(request, requestKeys[0]!, 'InstanceId') : undefined;
  for (const entry of Array.isArray(wrapper) ? wrapper : [wrapper]) add(entry !== null && typeof entry === 'object' ? child(asObject(entry), 'content') : entry);
  return found;
}

const NO_INSTANCE_IDS: readonly string[] = Object.freeze([]);

/** Both readers' instances, once each, sorted. */
function instanceIds(subjects: string[], hinted: readonly string[]): string[] {
  return hinted.length === 0 ? subjects : [...new Set([...subjects, ...hinted])].sort();
}

function joinOrNull(values: string[]): string | null {
  return values.length === 0 ? null : values.join(' ');
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** A record value as text for a message: an object may carry its own `toString` key, so never String() it. */
function printable(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}

function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}
