/**
 * The words for one event: its timeline category, the target of a credential change, and
 * its one-line summary, all read off the event catalog (event-catalog.ts).
 */
import { detailsOf } from '../parse/event-row.js';
import { identityName } from './actor.js';
import type { StoredEvent } from './evidence.js';
import { DISCOVERY_SOURCES, type EventKind, eventKindOf, READ_PREFIXES, SOURCE_CATEGORIES } from './event-catalog.js';
import type { TimelineCategory } from './incident.js';

export function isRead(event: Pick<StoredEvent, 'event_name'>): boolean {
  const name = event.event_name ?? '';
  return READ_PREFIXES.some((prefix) => name.startsWith(prefix));
}

export function categoryOf(event: Pick<StoredEvent, 'event_name' | 'event_source'>): TimelineCategory {
  const kind = eventKindOf(event);
  if (kind) return kind.category;
  const source = event.event_source ?? '';
  if (DISCOVERY_SOURCES.has(source) && isRead(event)) return 'discovery';
  return SOURCE_CATEGORIES[source] ?? 'other';
}

export function userNameFromArn(arn: string | null): string | null {
  const match = arn ? /:user\/(?:.*\/)?([^/]+)$/.exec(arn) : null;
  return match?.[1] ?? null;
}

export function roleNameFromArn(arn: string | null): string | null {
  const match = arn ? /:role\/(?:.*\/)?([^/]+)$/.exec(arn) : null;
  return match?.[1] ?? null;
}

/** The calling IAM user's name (or `root`), for calls whose target defaults to the caller. */
function callerUser(event: StoredEvent): string | null {
  if (event.identity_type === 'IAMUser') return event.user_name ?? userNameFromArn(event.identity_arn);
  if (event.identity_type === 'Root') return 'root';
  return null;
}

/**
 * What a credential change is aimed at, by its family: a user, role, group, managed
 * policy, the user of an MFA device, the account, the role an STS call asked for, or a
 * trail. `serialOwner` maps an MFA device serial to its user when the call names only the device.
 */
export function targetOf(event: StoredEvent, kind: Pick<EventKind, 'target' | 'defaultsToCaller'>, serialOwner: (serial: string) => string | null = () => null): string | null {
  const details = detailsOf(event);
  const caller = kind.defaultsToCaller ? callerUser(event) : null;
  switch (kind.target) {
    case 'user':
      return event.target_user_name ?? caller;
    case 'role':
      return event.role_name ?? roleNameFromArn(event.role_arn);
    case 'group':
      return details.groupName ?? null;
    case 'policy':
      return details.policyArn ?? null;
    case 'mfa-device':
      return event.target_user_name ?? (details.serialNumber ? serialOwner(details.serialNumber) : null) ?? caller;
    case 'account':
      return event.recipient_account_id ?? event.account_id;
    case 'session-role':
      return event.role_arn;
    case 'trail':
      return details.trailName ?? null;
    case 'none':
      return null;
  }
}

/** Fills `{name}` placeholders; a value the record lacks reads `?`. */
export function fillTemplate(template: string, values: Readonly<Record<string, string | null | undefined>>): string {
  return template.replace(/\{(\w+)\}/g, (_whole, key: string) => values[key] ?? '?');
}

/** The values an event's templates may name. */
export function eventFacts(event: StoredEvent, target: string | null): Record<string, string | null> {
  const details = detailsOf(event);
  const template = event.launch_template_name ?? event.launch_template_id;
  return {
    profile: event.instance_profile_name,
    role: event.role_name,
    roleArn: event.role_arn ?? (event.role_name ? `role ${event.role_name}` : 'a role'),
    target,
    issuedKey: event.issued_access_key_id,
    instances: event.instance_ids ?? 'an instance',
    template,
    launchConfiguration: details.launchConfigurationName ?? null,
    trail: details.trailName ?? null,
    group: details.groupName ?? null,
    policy: details.policyArn ?? null,
    policyName: details.policyName ?? null,
    serial: details.serialNumber ?? null,
    association: details.associationId ?? details.newAssociationId ?? null,
    loginResult: details.loginResult ?? null,
    mfa: event.mfa_authenticated === 1 ? 'yes' : event.mfa_authenticated === 0 ? 'no' : 'not logged',
    targetAccount: details.targetAccountId ?? null,
    accessKeyParam: details.accessKeyParam ?? null,
    resource: details.resourceArn ?? details.resourceName ?? null,
    resources: details.resourceNames?.join(', ') ?? details.resourceName ?? null,
    withProfile: event.instance_profile_name ? ` with profile ${event.instance_profile_name}` : '',
    trusting: details.trustedPrincipals ? `, trusting ${details.trustedPrincipals.join(', ')}` : '',
    fromTemplate: event.launch_template_id ? ` from ${event.launch_template_id}` : '',
  };
}

/** A caller the record gives no ARN: the account of an AWSAccount caller, an Identity Center user's ID, the user name of an old sign-in record. */
function unnamedCaller(event: StoredEvent): string {
  if (event.identity_type === 'AWSAccount' && event.account_id) return `account ${event.account_id}`;
  const identityCenterUser = detailsOf(event).onBehalfOfUserId;
  if (identityCenterUser && !event.user_name) return `Identity Center user ${identityCenterUser}`;
  if (event.user_name) return `${event.identity_type ?? 'user'} ${event.user_name}`;
  return event.identity_type ?? 'someone';
}

/** What happened, in words, without the actor: the catalog's summary, or its attempt when the call failed. */
export function whatHappened(event: StoredEvent, target?: string | null): string {
  const kind = eventKindOf(event);
  const name = event.event_name ?? 'unknown';
  const failed = isFailure(event);
  if (!kind) return `${failed ? 'tried ' : ''}${name}${event.target_user_name ? ` on ${event.target_user_name}` : ''}`;
  const resolved = target !== undefined ? target : targetOf(event, kind);
  // Without an attempt wording of its own, a failed call is named, never described as done; on its target when known.
  const template = failed ? (kind.attempt ?? `tried to call ${name}${kind.target !== 'none' && resolved !== null ? ' on {target}' : ''}`) : kind.summary;
  const facts = eventFacts(event, resolved);
  // STS calls name the key they issued only when they issued one.
  if (kind.issuesKey === 'temporary') facts.issuedKey = event.issued_access_key_id ?? 'no key logged';
  return fillTemplate(template, facts);
}

/** A refused call, or a failed sign-in (which CloudTrail logs without an error code). */
export function isFailure(event: Pick<StoredEvent, 'error_code' | 'details'>): boolean {
  return !!event.error_code || (detailsOf(event).loginResult ?? '').toLowerCase() === 'failure';
}

export function summarize(event: StoredEvent): string {
  const who = identityName(event) ?? unnamedCaller(event);
  const failed = event.error_code ? ` — FAILED ${event.error_code}` : isFailure(event) ? ' — FAILED' : '';
  const from = event.source_ip ? ` from ${event.source_ip}` : '';
  const where = event.aws_region ? ` in ${event.aws_region}` : '';
  return `${who} ${whatHappened(event)}${where}${from}${failed}`;
}
