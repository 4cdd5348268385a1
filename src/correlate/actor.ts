/**
 * Who really acted. A temporary key (ASIA…) was issued by an STS event; that event's
 * caller is the previous hop; repeat until a long-term key, a web/SAML identity, an AWS
 * service, or a key whose issuing event is not in the archive. Then the origin's
 * long-term key is traced to the CreateAccessKey that made it.
 */
import { childText } from '../parse/json-access.js';
import type { Evidence, StoredEvent } from './evidence.js';
import type { Actor, Hop, IdentityRef, KeyProvenance } from './incident.js';

const ISSUING_EVENTS = new Set([
  'AssumeRole',
  'AssumeRoleWithSAML',
  'AssumeRoleWithWebIdentity',
  'GetSessionToken',
  'GetFederationToken',
  'GetRoleCredentials',
]);
/** Identities at which the chain ends: nothing issued them a key we could follow. */
const TERMINAL_TYPES = new Set(['IAMUser', 'Root', 'WebIdentityUser', 'SAMLUser', 'AWSService', 'IdentityCenterUser']);
const MAX_HOPS = 16;

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

/**
 * Of the records that issued a key, the one to follow: a cross-account call is logged in
 * both accounts, and only the caller's copy carries the caller's full identity; the
 * role account's copy says AWSAccount. Taking one record per request avoids a doubled hop.
 */
function chooseIssuer(candidates: StoredEvent[], evidence: Evidence): StoredEvent | null {
  const successful = candidates.filter((event) => !event.error_code && ISSUING_EVENTS.has(event.event_name ?? ''));
  const newest = successful[0];
  if (!newest) return null;
  const siblings = newest.request_id ? evidence.issuedByRequest(newest.request_id).filter((event) => event.event_name === newest.event_name) : [];
  const copies = [newest, ...siblings.filter((event) => event.event_id !== newest.event_id)];
  const richest = copies.find((event) => event.identity_type && event.identity_type !== 'AWSAccount' && identityName(event));
  return richest ?? newest;
}

export function buildActor(deletion: StoredEvent, evidence: Evidence): Actor {
  const chain: Hop[] = [];
  let currentKey = deletion.access_key_id;
  let currentType = deletion.identity_type;
  let at = deletion.event_time;
  const seenKeys = new Set<string>();
  while (currentKey && !TERMINAL_TYPES.has(currentType ?? '') && !currentKey.startsWith('AKIA') && chain.length < MAX_HOPS) {
    if (seenKeys.has(currentKey)) break;
    seenKeys.add(currentKey);
    const issuer = chooseIssuer(evidence.issuingEvents(currentKey, at), evidence);
    if (!issuer) break;
    chain.push({
      arn: identityName(issuer),
      type: issuer.identity_type,
      accessKeyId: issuer.access_key_id,
      accountId: issuer.account_id ?? issuer.recipient_account_id,
      via: issuer.event_id,
      viaEventName: issuer.event_name ?? 'unknown',
      sourceIPAddress: issuer.source_ip,
    });
    currentKey = issuer.access_key_id;
    currentType = issuer.identity_type;
    at = issuer.event_time;
  }
  const last = chain[chain.length - 1];
  const origin: IdentityRef = last
    ? { arn: last.arn, type: last.type, accessKeyId: last.accessKeyId, accountId: last.accountId, label: identityLabel(last) }
    : {
        arn: identityName(deletion),
        type: deletion.identity_type,
        accessKeyId: deletion.access_key_id,
        accountId: deletion.account_id,
        label: identityLabel({ arn: identityName(deletion), type: deletion.identity_type }),
      };
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
    keyProvenance: origin.accessKeyId?.startsWith('AKIA') ? keyProvenance(origin.accessKeyId, deletion.event_time, evidence) : null,
  };
}

/** The CreateAccessKey that made a long-term key, the latest one before it was used (key IDs can recur across years). */
export function keyProvenance(accessKeyId: string, usedAt: string, evidence: Evidence): KeyProvenance | null {
  const creation = evidence
    .issuingEvents(accessKeyId, usedAt)
    .find((event) => event.event_name === 'CreateAccessKey' && !event.error_code);
  if (!creation) return null;
  const record = evidence.record(creation.event_id);
  return {
    accessKeyId,
    userName: childText(record, 'responseElements', 'accessKey', 'userName') ?? creation.target_user_name ?? creation.user_name,
    createdBy: identityName(creation),
    createdByAccessKeyId: creation.access_key_id,
    eventId: creation.event_id,
    eventTime: creation.event_time,
    sourceIPAddress: creation.source_ip,
    userAgent: creation.user_agent,
  };
}
