/**
 * Credential changes before a deletion: the events of cloudtrail-facts.md's list made by
 * an identity of the chain (or the creator of its key) or aimed at one, within the
 * lookback window, plus the STS events that issued the chain's keys. Each gets a
 * severity and the reason a responder should care.
 */
import { identityName } from './actor.js';
import type { Evidence, StoredEvent } from './evidence.js';
import type { Actor, CredentialChange, Severity } from './incident.js';

export const IAM_CREDENTIAL_EVENTS = new Set([
  'CreateAccessKey',
  'UpdateAccessKey',
  'DeleteAccessKey',
  'CreateLoginProfile',
  'UpdateLoginProfile',
  'DeleteLoginProfile',
  'ChangePassword',
  'CreateVirtualMFADevice',
  'EnableMFADevice',
  'DeactivateMFADevice',
  'DeleteVirtualMFADevice',
  'ResyncMFADevice',
  'UpdateAccountPasswordPolicy',
  'DeleteAccountPasswordPolicy',
  'CreateUser',
  'AddUserToGroup',
  'AttachUserPolicy',
  'PutUserPolicy',
  'DetachUserPolicy',
  'DeleteUserPolicy',
  'AttachRolePolicy',
  'PutRolePolicy',
  'DetachRolePolicy',
  'DeleteRolePolicy',
  'AttachGroupPolicy',
  'PutGroupPolicy',
  'DetachGroupPolicy',
  'DeleteGroupPolicy',
  'UpdateAssumeRolePolicy',
  'CreatePolicyVersion',
  'SetDefaultPolicyVersion',
]);
export const SESSION_EVENTS = new Set([
  'AssumeRole',
  'AssumeRoleWithSAML',
  'AssumeRoleWithWebIdentity',
  'GetSessionToken',
  'GetFederationToken',
  'ConsoleLogin',
]);

/** The user an IAM call acted on: requestParameters.userName, else the calling user itself. */
export function targetUserOf(event: StoredEvent): string | null {
  if (event.target_user_name) return event.target_user_name;
  return event.identity_type === 'IAMUser' ? event.user_name ?? userNameFromArn(event.identity_arn) : null;
}

export function userNameFromArn(arn: string | null): string | null {
  const match = arn ? /:user\/(?:.*\/)?([^/]+)$/.exec(arn) : null;
  return match?.[1] ?? null;
}

interface Subject {
  arn: string;
  /** A temporary identity is one session: it is matched by its key, not by an ARN that other sessions share. */
  accessKeyId: string | null;
  /** Only IAM changes count for the key's creator: their own routine sessions are not the chain. */
  iamOnly: boolean;
}

export function credentialChanges(actor: Actor, deletion: StoredEvent, evidence: Evidence, from: string): CredentialChange[] {
  const to = deletion.event_time;
  const subjects: Subject[] = [];
  const add = (arn: string | null, accessKeyId: string | null, iamOnly: boolean): void => {
    const temporary = accessKeyId !== null && !accessKeyId.startsWith('AKIA');
    if (arn && !subjects.some((subject) => subject.arn === arn)) subjects.push({ arn, accessKeyId: temporary ? accessKeyId : null, iamOnly });
  };
  add(actor.arn, actor.accessKeyId, false);
  for (const hop of actor.chain) add(hop.arn, hop.accessKeyId, false);
  if (actor.keyProvenance?.createdBy) add(actor.keyProvenance.createdBy, null, true);

  const found = new Map<string, StoredEvent>();
  for (const subject of subjects) {
    const made = subject.accessKeyId ? evidence.byAccessKey(subject.accessKeyId, from, to) : evidence.byIdentity(subject.arn, from, to);
    for (const event of made) {
      const name = event.event_name ?? '';
      if (IAM_CREDENTIAL_EVENTS.has(name) || (!subject.iamOnly && SESSION_EVENTS.has(name))) found.set(event.event_id, event);
    }
    const userName = userNameFromArn(subject.arn);
    if (userName) {
      for (const event of evidence.byTargetUser(userName, from, to)) {
        if (IAM_CREDENTIAL_EVENTS.has(event.event_name ?? '') && sameAccount(event, subject.arn)) found.set(event.event_id, event);
      }
    }
  }
  for (const hop of actor.chain) {
    const issuing = found.get(hop.via) ?? evidence.eventById(hop.via);
    if (issuing) found.set(hop.via, issuing);
  }
  return [...found.values()]
    .map((event) => describeChange(event, actor))
    .sort((a, b) => (a.eventTime !== b.eventTime ? (a.eventTime < b.eventTime ? -1 : 1) : a.eventId < b.eventId ? -1 : 1));
}

function sameAccount(event: StoredEvent, arn: string): boolean {
  const account = arn.split(':')[4];
  return !account || (event.recipient_account_id ?? event.account_id) === account;
}

const HIGH_RISK = new Set([
  'CreateAccessKey',
  'CreateLoginProfile',
  'UpdateLoginProfile',
  'DeactivateMFADevice',
  'DeleteVirtualMFADevice',
  'CreateUser',
  'AttachUserPolicy',
  'PutUserPolicy',
  'AttachRolePolicy',
  'PutRolePolicy',
  'UpdateAssumeRolePolicy',
  'CreatePolicyVersion',
  'SetDefaultPolicyVersion',
  'DeleteAccountPasswordPolicy',
  'AddUserToGroup',
]);

export function describeChange(event: StoredEvent, actor: Actor): CredentialChange {
  const name = event.event_name ?? 'unknown';
  const caller = identityName(event);
  // An STS call acts on the role it asks for; an IAM call on a user (itself when unnamed).
  const target = SESSION_EVENTS.has(name) ? (event.role_arn ?? targetUserOf(event)) : (targetUserOf(event) ?? event.role_arn ?? event.role_name);
  const callerUser = userNameFromArn(caller);
  const forSomeoneElse = event.target_user_name !== null && callerUser !== null && event.target_user_name !== callerUser;
  let severity: Severity = HIGH_RISK.has(name) ? 'high' : IAM_CREDENTIAL_EVENTS.has(name) ? 'medium' : 'low';
  let reason: string;
  switch (name) {
    case 'CreateAccessKey':
      reason = forSomeoneElse
        ? `${caller} created an access key for another user (${event.target_user_name}): the classic takeover step`
        : 'a new long-term access key was created';
      if (forSomeoneElse) severity = 'critical';
      break;
    case 'DeactivateMFADevice':
    case 'DeleteVirtualMFADevice':
      reason = `MFA was removed from ${target ?? 'a user'}: sign-ins no longer need the device`;
      break;
    case 'CreateLoginProfile':
    case 'UpdateLoginProfile':
      reason = forSomeoneElse
        ? `${caller} set the console password of ${event.target_user_name}: whoever did it can sign in as them`
        : 'a console password was set';
      break;
    case 'AssumeRole':
    case 'AssumeRoleWithSAML':
    case 'AssumeRoleWithWebIdentity':
    case 'GetSessionToken':
    case 'GetFederationToken': {
      const inChain = actor.chain.some((hop) => hop.via === event.event_id);
      const callerAccount = event.account_id ?? caller?.split(':')[4] ?? null;
      const crossAccount = !!event.role_arn && !!callerAccount && /^\d{12}$/.test(callerAccount) && event.role_arn.split(':')[4] !== callerAccount;
      reason = inChain
        ? `issued a key of the chain that reached the deletion${event.role_arn ? ` (${event.role_arn})` : ''}${crossAccount ? ', across accounts' : ''}`
        : `a session was started${event.role_arn ? ` for ${event.role_arn}` : ''}`;
      // Issuing events are context: the chain's risk is judged from who is at its end.
      severity = inChain && crossAccount ? 'medium' : 'low';
      break;
    }
    case 'ConsoleLogin':
      reason = event.mfa_authenticated === 0 ? 'console sign-in without MFA' : 'console sign-in';
      severity = event.mfa_authenticated === 0 ? 'medium' : 'low';
      break;
    default:
      reason = `${name} changes who can do what with ${target ?? 'this identity'}`;
  }
  if (event.error_code) {
    reason = `attempted and failed (${event.error_code}): ${reason}`;
    severity = severity === 'critical' || severity === 'high' ? 'medium' : 'low';
  }
  return {
    eventId: event.event_id,
    eventTime: event.event_time,
    eventName: name,
    actorArn: caller,
    target,
    errorCode: event.error_code,
    severity,
    reason,
  };
}
