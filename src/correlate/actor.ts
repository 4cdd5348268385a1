/**
 * Who really acted. A temporary key (ASIA…) was issued by an STS event; that event's
 * caller is the previous hop; repeat until a long-term key, a web/SAML identity, an AWS
 * service (EC2 handing an instance its role credentials), or a key whose issuing event
 * is not in the archive. Then, at the origin: a console session is linked to its sign-in,
 * an Identity Center session to GetRoleCredentials, and a long-term key to the
 * CreateAccessKey that made it, whose caller is traced the same way.
 */
import { isLongTermKey } from '../parse/arn.js';
import { detailsOf } from '../parse/event-row.js';
import type { Evidence, StoredEvent } from './evidence.js';
import { shiftTime } from './evidence.js';
import { eventKind } from './event-catalog.js';
import type { Actor, ConsoleLoginRef, Hop, IdentityCenterRef, IdentityRef, KeyProvenance } from './incident.js';

/** Identities at which the chain ends: nothing issued them a key we could follow. */
const TERMINAL_TYPES = new Set(['WebIdentityUser', 'SAMLUser', 'AWSService', 'IdentityCenterUser']);
/** Long-term identities: a temporary key of theirs came from GetSessionToken, unless it is a console session. */
const HUMAN_TYPES = new Set(['IAMUser', 'Root']);

/** Whether an event's key may have been issued by an STS call we can follow. */
function followable(event: StoredEvent): boolean {
  if (!event.access_key_id || isLongTermKey(event.access_key_id) || TERMINAL_TYPES.has(event.identity_type ?? '')) return false;
  // A console session's key is issued by the sign-in, which logs no key: linked by consoleLoginOf instead.
  return !(HUMAN_TYPES.has(event.identity_type ?? '') && isConsoleCall(event));
}
const MAX_HOPS = 16;
const CONSOLE_SESSION_MS = 12 * 3_600_000;
/** Identity Center hands out role credentials moments before the member account's AssumeRoleWithSAML. */
const IDENTITY_CENTER_LEAD_MS = 15 * 60_000;
const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/i;
const BROWSER_USER_AGENT = /^Mozilla\/|console\.[a-z0-9-]*\.?amazonaws\.com|signin\.amazonaws\.com/i;
const IDENTITY_CENTER_ROLE = /:role\/aws-reserved\/sso\.amazonaws\.com\/(?:[\w-]+\/)?(AWSReservedSSO_[^/]+)$/;
/** `AWSReservedSSO_<permission set>_<16 hex>`: the permission set's name, which may itself hold underscores. */
const IDENTITY_CENTER_PERMISSION_SET = /^AWSReservedSSO_(.+)_[0-9a-f]{16}$/;

/** The ARN-like name of an identity; web and SAML identities have no ARN, only a principal. */
export function identityName(event: Pick<StoredEvent, 'identity_arn' | 'identity_type' | 'principal_id' | 'invoked_by' | 'user_name'>): string | null {
  if (event.identity_arn) return event.identity_arn;
  if (event.identity_type === 'WebIdentityUser' || event.identity_type === 'SAMLUser') return event.principal_id ?? event.user_name;
  if (event.identity_type === 'AWSService') return event.invoked_by;
  return null;
}

export function identityLabel(ref: { arn: string | null; type: string | null }): string {
  return ref.arn ?? `(${ref.type ?? 'unknown identity'})`;
}

/** The instance an EC2 credential delivery was for: its role session name. */
export function deliveredInstance(issuing: StoredEvent): string | null {
  if (issuing.identity_type !== 'AWSService' || issuing.invoked_by !== 'ec2.amazonaws.com') return null;
  const session = detailsOf(issuing).roleSessionName ?? null;
  return session && INSTANCE_ID.test(session) ? session : null;
}

/** A readable name for the caller of an event: the user of a SAML/web identity, the instance of EC2 credentials. */
function callerLabel(event: StoredEvent): string {
  if (event.identity_type === 'SAMLUser' || event.identity_type === 'WebIdentityUser') {
    return event.user_name ?? detailsOf(event).webIdentitySubject ?? identityLabel({ arn: identityName(event), type: event.identity_type });
  }
  const instanceId = deliveredInstance(event);
  if (instanceId) return `EC2 instance ${instanceId}`;
  return identityLabel({ arn: identityName(event), type: event.identity_type });
}

/** AWS stamps both the issuing call and the use; a few minutes allow for a request received as its key expired. */
const EXPIRY_TOLERANCE_MS = 5 * 60_000;

/**
 * Whether an STS call's credentials can be the ones a later call used. Key IDs recur (a
 * sample archive masks them all alike; AWS may reuse one years apart), so the same ID is
 * not enough: the credentials must not have expired, and a response that names the
 * session it started must name the caller's.
 */
export function couldHaveIssued(issuer: StoredEvent, use: StoredEvent): boolean {
  const credentials = eventKind(issuer.event_name)?.credentials;
  if (!credentials || issuer.error_code) return false;
  const age = Date.parse(use.event_time) - Date.parse(issuer.event_time);
  if (age > credentials.hours * 3_600_000 + EXPIRY_TOLERANCE_MS) return false;
  const issuedTo = credentials.actsAsCaller ? issuer.identity_arn : (detailsOf(issuer).issuedSessionArn ?? null);
  // IAM matches names without regard to case; the AWSAccount copy of a cross-account call names no one.
  return issuedTo === null || use.identity_arn === null || issuedTo.toLowerCase() === use.identity_arn.toLowerCase();
}

/**
 * Of the records that issued a key, the one to follow: the newest that can have issued the
 * key `use` carries. A cross-account call is logged in both accounts, and only the caller's
 * copy carries the caller's full identity; the role account's copy says AWSAccount. Taking
 * one record per request avoids a doubled hop.
 */
async function chooseIssuer(candidates: StoredEvent[], use: StoredEvent, evidence: IssuerLookup): Promise<StoredEvent | null> {
  const newest = candidates.find((event) => couldHaveIssued(event, use));
  if (!newest) return null;
  const siblings = newest.request_id ? (await evidence.issuedByRequest(newest.request_id)).filter((event) => event.event_name === newest.event_name) : [];
  const copies = [newest, ...siblings.filter((event) => event.event_id !== newest.event_id)];
  const richest = copies.find((event) => event.identity_type && event.identity_type !== 'AWSAccount' && identityName(event));
  return richest ?? newest;
}

export interface TracedChain {
  chain: Hop[];
  origin: IdentityRef;
  /** The origin's own call: the last hop's issuing event, or the traced event itself. */
  originEvent: StoredEvent;
}

/** What tracing a chain asks of the store; Evidence answers it, and so can a cache over it (timeline-items.ts). */
export type IssuerLookup = Pick<Evidence, 'issuingEvents' | 'issuedByRequest'>;

/** Follows the issuing events behind an event's key to the origin. */
export async function traceChain(event: StoredEvent, evidence: IssuerLookup): Promise<TracedChain> {
  const chain: Hop[] = [];
  let current = event;
  const seenKeys = new Set<string>();
  while (followable(current) && chain.length < MAX_HOPS && !seenKeys.has(current.access_key_id!)) {
    seenKeys.add(current.access_key_id!);
    const issuer = await chooseIssuer(await evidence.issuingEvents(current.access_key_id!, current.event_time), current, evidence);
    if (!issuer) break;
    chain.push({
      arn: identityName(issuer),
      type: issuer.identity_type,
      accessKeyId: issuer.access_key_id,
      accountId: issuer.account_id ?? issuer.recipient_account_id,
      via: issuer.event_id,
      viaEventName: issuer.event_name ?? 'unknown',
      sourceIPAddress: issuer.source_ip,
      label: callerLabel(issuer),
    });
    current = issuer;
  }
  const origin: IdentityRef = {
    arn: identityName(current),
    type: current.identity_type,
    accessKeyId: current.access_key_id,
    accountId: current.account_id ?? (chain.length > 0 ? current.recipient_account_id : null),
    label: callerLabel(current),
    instanceId: deliveredInstance(current),
    instanceRegion: deliveredInstance(current) ? current.aws_region : null,
  };
  return { chain, origin, originEvent: current };
}

export async function buildActor(deletion: StoredEvent, evidence: Evidence): Promise<Actor> {
  const { chain, origin, originEvent } = await traceChain(deletion, evidence);
  const keyProvenance = isLongTermKey(origin.accessKeyId) ? await traceKeyProvenance(origin.accessKeyId!, deletion.event_time, evidence) : null;
  return {
    type: deletion.identity_type,
    arn: identityName(deletion),
    accountId: deletion.account_id,
    principalId: deletion.principal_id,
    accessKeyId: deletion.access_key_id,
    sourceIPAddress: deletion.source_ip,
    userAgent: deletion.user_agent,
    mfaAuthenticated: deletion.mfa_authenticated === null ? null : deletion.mfa_authenticated === 1,
    invokedBy: deletion.invoked_by,
    sessionIssuerArn: deletion.session_issuer_arn,
    chain,
    origin,
    keyProvenance,
    consoleLogin: await consoleLoginOf(originEvent, evidence),
    identityCenter: await identityCenterOf(originEvent, evidence),
    onBehalfOf: onBehalfOfOf(deletion),
  };
}

function onBehalfOfOf(event: StoredEvent): Actor['onBehalfOf'] {
  const details = detailsOf(event);
  return details.onBehalfOfUserId ? { userId: details.onBehalfOfUserId, identityStoreArn: details.identityStoreArn ?? null } : null;
}

/** The CreateAccessKey that made a long-term key, the latest one before it was used (key IDs can recur across years). */
export async function keyCreation(accessKeyId: string, usedAt: string, evidence: Evidence): Promise<StoredEvent | null> {
  return (await evidence.issuingEvents(accessKeyId, usedAt)).find((event) => event.event_name === 'CreateAccessKey' && !event.error_code) ?? null;
}

/** Who made the key, and the chain behind their own credentials (a stolen session leads back to its instance or user). */
export async function traceKeyProvenance(accessKeyId: string, usedAt: string, evidence: Evidence): Promise<KeyProvenance | null> {
  const creation = await keyCreation(accessKeyId, usedAt, evidence);
  if (!creation) return null;
  const creator = await traceChain(creation, evidence);
  return {
    accessKeyId,
    userName: detailsOf(creation).issuedKeyOwner ?? creation.target_user_name ?? creation.user_name,
    createdBy: identityName(creation),
    createdByAccessKeyId: creation.access_key_id,
    eventId: creation.event_id,
    eventTime: creation.event_time,
    sourceIPAddress: creation.source_ip,
    userAgent: creation.user_agent,
    creatorChain: creator.chain,
    creatorOrigin: creator.origin,
  };
}

/**
 * Whether an IAM user or root made the call with console credentials: the record says so,
 * or a temporary key from a browser. Federated (SAML, Identity Center) console sessions are
 * not: their MFA happens at the identity provider, and their origin is the SAML identity.
 */
export function isConsoleCall(event: StoredEvent): boolean {
  if (!HUMAN_TYPES.has(event.identity_type ?? '') || isLongTermKey(event.access_key_id)) return false;
  return detailsOf(event).consoleSession === true || BROWSER_USER_AGENT.test(event.user_agent ?? '');
}

function looksLikeIp(value: string | null): boolean {
  return value !== null && (/^\d{1,3}(\.\d{1,3}){3}$/.test(value) || /^[0-9a-f:]+$/i.test(value));
}

/**
 * The sign-in behind a console session: the latest successful ConsoleLogin of the same
 * identity within the 12 hours a console session lasts, from the same address when the
 * call came from one.
 */
export async function consoleLoginOf(call: StoredEvent, evidence: Evidence): Promise<ConsoleLoginRef | null> {
  if (!isConsoleCall(call) || !call.identity_arn) return null;
  const logins = (await evidence.byEventName('ConsoleLogin', shiftTime(call.event_time, -CONSOLE_SESSION_MS), call.event_time))
    .filter((login) => login.identity_arn === call.identity_arn && isSuccessfulLogin(login))
    .filter((login) => !looksLikeIp(call.source_ip) || login.source_ip === call.source_ip);
  const login = logins[logins.length - 1];
  return login ? consoleLoginRef(login) : null;
}

export function isSuccessfulLogin(login: StoredEvent): boolean {
  const result = detailsOf(login).loginResult;
  return !login.error_code && (result === undefined || result.toLowerCase() === 'success');
}

export function consoleLoginRef(login: StoredEvent): ConsoleLoginRef {
  return {
    eventId: login.event_id,
    eventTime: login.event_time,
    mfaUsed: login.mfa_authenticated === null ? null : login.mfa_authenticated === 1,
    sourceIPAddress: login.source_ip,
  };
}

/**
 * Identity Center's GetRoleCredentials for the role behind an AssumeRoleWithSAML: only
 * account, role name and time tie the two together (cloudtrail-facts.md), so the latest
 * one for that account and role in the minutes before is taken, when the management
 * account's logs are in the archive at all.
 */
export async function identityCenterOf(originCall: StoredEvent, evidence: Evidence): Promise<IdentityCenterRef | null> {
  if (originCall.event_name !== 'AssumeRoleWithSAML' || originCall.identity_type !== 'SAMLUser') return null;
  const match = originCall.role_arn ? IDENTITY_CENTER_ROLE.exec(originCall.role_arn) : null;
  if (!match) return null;
  const roleName = match[1]!;
  // The portal names the permission set (`AdministratorAccess`), the member account its role
  // (`AWSReservedSSO_AdministratorAccess_7243976e43c75fc5`): either matches.
  const permissionSet = IDENTITY_CENTER_PERMISSION_SET.exec(roleName)?.[1] ?? null;
  const account = originCall.role_arn!.split(':')[4] ?? null;
  // Up to a minute after too: two accounts' records can disagree on the second.
  const candidates = (await evidence.byEventName('GetRoleCredentials', shiftTime(originCall.event_time, -IDENTITY_CENTER_LEAD_MS), shiftTime(originCall.event_time, 60_000)))
    .filter((event) => event.event_source === 'sso.amazonaws.com' && !event.error_code)
    .filter((event) => (event.role_name === roleName || (permissionSet !== null && event.role_name === permissionSet)) && detailsOf(event).targetAccountId === account);
  // Several users can take the same role in the same minutes: prefer the one with the SAML
  // call's user name or address, and give up rather than mix two users.
  const userOf = (event: StoredEvent): string => detailsOf(event).onBehalfOfUserId ?? event.user_name ?? event.principal_id ?? event.event_id;
  const matching = candidates.filter((event) => (event.user_name !== null && event.user_name === originCall.user_name) || (event.source_ip !== null && event.source_ip === originCall.source_ip));
  const pool = matching.length > 0 ? matching : candidates;
  if (new Set(pool.map(userOf)).size !== 1) return null;
  const chosen = pool[pool.length - 1]!;
  const details = detailsOf(chosen);
  return {
    eventId: chosen.event_id,
    eventTime: chosen.event_time,
    userName: chosen.user_name,
    userId: details.onBehalfOfUserId ?? null,
    identityStoreArn: details.identityStoreArn ?? null,
    accountId: details.targetAccountId ?? null,
    roleName: chosen.role_name,
  };
}
