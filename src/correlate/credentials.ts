/**
 * Credential changes before a deletion: the catalog's credential and session events made
 * by an identity of the chain or of the key creator's chain, or aimed at one of their
 * users or roles, within the lookback window, plus the STS events that issued the
 * chain's keys and the console sign-in behind its session. Each gets the target its
 * event family names, a severity, and the reason a responder should care.
 */
import { detailsOf } from '../parse/event-row.js';
import { ACCOUNT_ID, accountOfArn, isLongTermKey } from '../parse/arn.js';
import { identityName } from './actor.js';
import type { Evidence, StoredEvent } from './evidence.js';
import { byTimeThenId } from './evidence.js';
import { EVENT_CATALOG, eventKindOf, type EventKind } from './event-catalog.js';
import { eventFacts, fillTemplate, isFailure, targetOf, userNameFromArn } from './event-words.js';
import { accountOf } from './profile.js';
import type { Actor, CredentialChange, Hop, Severity, TimelineCategory } from './incident.js';

export { userNameFromArn } from './event-words.js';

/** The category of a record that counts as a change (credential or session), by its name and its own service; else null. */
function changeCategory(event: StoredEvent): TimelineCategory | null {
  const kind = eventKindOf(event);
  return kind?.severity !== undefined ? kind.category : null;
}
const ROLE_CHANGE_NAMES = Object.entries(EVENT_CATALOG)
  .filter(([, kind]) => kind.severity !== undefined && kind.category === 'credential' && kind.target === 'role')
  .map(([name]) => name);
const MFA_DEVICE_NAMES = Object.entries(EVENT_CATALOG)
  .filter(([, kind]) => kind.target === 'mfa-device')
  .map(([name]) => name);

export interface Subject {
  arn: string;
  /** A temporary identity is one session: it is matched by its key, not by an ARN that other sessions share. */
  accessKeyId: string | null;
  /** Only IAM changes count for the key's creator: their own routine sessions are not the chain. */
  iamOnly: boolean;
}

export interface ChangeContext {
  /** Whether the creation of the origin's key looks like part of the attack (see compromise.ts). */
  creatorCompromised: boolean;
}

/** The roles whose sessions a chain used: the acting session's role and each assumed-role hop's. */
export function chainRoles(actor: Pick<Actor, 'arn' | 'sessionIssuerArn' | 'chain'>, creatorChain: Hop[] = []): Array<{ roleName: string; accountId: string }> {
  const roles = new Map<string, { roleName: string; accountId: string }>();
  const add = (arn: string | null): void => {
    const assumed = arn ? /^arn:aws[\w-]*:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn) : null;
    const role = arn ? /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn) : null;
    const found = assumed ?? role;
    if (found) roles.set(`${found[1]}:${found[2]}`, { accountId: found[1]!, roleName: found[2]! });
  };
  add(actor.sessionIssuerArn);
  add(actor.arn);
  for (const hop of [...actor.chain, ...creatorChain]) add(hop.arn);
  return [...roles.values()];
}

/** The identities whose own calls belong to the incident: the actor, its chain, and (IAM changes only) the key creator's chain. */
export function chainSubjects(actor: Actor): Subject[] {
  const subjects: Subject[] = [];
  const add = (arn: string | null, accessKeyId: string | null, iamOnly: boolean): void => {
    const temporary = accessKeyId !== null && !isLongTermKey(accessKeyId);
    const key = temporary ? accessKeyId : null;
    if (arn && !subjects.some((subject) => subject.arn === arn && subject.accessKeyId === key)) subjects.push({ arn, accessKeyId: key, iamOnly });
  };
  add(actor.arn, actor.accessKeyId, false);
  for (const hop of actor.chain) add(hop.arn, hop.accessKeyId, false);
  // A person at the origin: all their calls, other console sessions and their keys included.
  if (actor.origin.type === 'IAMUser' || actor.origin.type === 'Root') add(actor.origin.arn, null, false);
  const provenance = actor.keyProvenance;
  if (provenance?.createdBy) {
    add(provenance.createdBy, provenance.createdByAccessKeyId, true);
    for (const hop of provenance.creatorChain) add(hop.arn, hop.accessKeyId, true);
  }
  return subjects;
}

/** Every call a subject made in [from, to]: by its session key when temporary, else by its ARN. */
export function subjectActivity(subject: Subject, evidence: Evidence, from: string, to: string): Promise<StoredEvent[]> {
  return subject.accessKeyId ? evidence.byAccessKey(subject.accessKeyId, from, to) : evidence.byIdentity(subject.arn, from, to);
}

export async function credentialChanges(actor: Actor, deletion: StoredEvent, evidence: Evidence, from: string, context: ChangeContext): Promise<CredentialChange[]> {
  const to = deletion.event_time;
  const subjects = chainSubjects(actor);
  const provenance = actor.keyProvenance;
  const creatorEvents = new Set<string>();

  const found = new Map<string, StoredEvent>();
  const users = new Set<string>();
  for (const subject of subjects) {
    for (const event of await subjectActivity(subject, evidence, from, to)) {
      const category = changeCategory(event);
      if (category === 'credential' || (!subject.iamOnly && category === 'session')) {
        found.set(event.event_id, event);
        if (subject.iamOnly) creatorEvents.add(event.event_id);
      }
    }
    const userName = userNameFromArn(subject.arn);
    if (userName) users.add(userKey(accountOfArn(subject.arn), userName));
  }
  if (provenance?.userName) users.add(userKey(accountOfArn(actor.origin.arn), provenance.userName));

  // Changes aimed at the chain's users (their keys, passwords, MFA) by anyone, and their
  // sign-ins, failed ones included (a console session's own calls carry no login).
  for (const user of users) {
    const [account, userName] = splitOnce(user);
    for (const event of await evidence.byTargetUser(userName, from, to)) {
      if (changeCategory(event) === 'credential' && (!account || accountOf(event) === account)) found.set(event.event_id, event);
    }
  }
  const humanArns = new Set(subjects.filter((subject) => !subject.iamOnly && userNameFromArn(subject.arn)).map((subject) => subject.arn));
  if (actor.origin.arn && (actor.origin.type === 'IAMUser' || actor.origin.type === 'Root')) humanArns.add(actor.origin.arn);
  if (humanArns.size > 0) {
    // Older sign-in records name an IAM user without an ARN: their account and user name (unique in it) say who.
    const humanUsers = new Set([...humanArns].flatMap((arn) => {
      const userName = userNameFromArn(arn);
      return userName ? [userKey(accountOfArn(arn), userName)] : [];
    }));
    for (const login of await evidence.byEventName('ConsoleLogin', from, to)) {
      const named = login.identity_arn
        ? humanArns.has(login.identity_arn)
        : login.identity_type === 'IAMUser' && login.user_name !== null && humanUsers.has(userKey(accountOf(login), login.user_name));
      if (named) found.set(login.event_id, login);
    }
  }
  // Changes aimed at the chain's roles (policies, trust) by anyone.
  const roles = chainRoles(actor, provenance?.creatorChain ?? []);
  if (roles.length > 0) {
    for (const name of ROLE_CHANGE_NAMES) {
      for (const event of await evidence.byEventName(name, from, to)) {
        const roleName = event.role_name;
        if (eventKindOf(event) && roles.some((role) => role.roleName === roleName && role.accountId === accountOf(event))) found.set(event.event_id, event);
      }
    }
  }
  const issuers = await evidence.eventsByIds(actor.chain.map((hop) => hop.via).filter((eventId) => !found.has(eventId)));
  for (const hop of actor.chain) {
    const issuing = found.get(hop.via) ?? issuers.get(hop.via);
    if (issuing) found.set(hop.via, issuing);
  }
  if (actor.consoleLogin) {
    const login = await evidence.eventById(actor.consoleLogin.eventId);
    if (login) found.set(login.event_id, login);
  }

  const serialOwner = await serialOwners(evidence, [...found.values()], to);
  return [...found.values()]
    .map((event) => describeChange(event, actor, serialOwner, !context.creatorCompromised && creatorEvents.has(event.event_id)))
    .sort(byTimeThenId);
}

/**
 * MFA device serials named by the events at hand, mapped to their users through the
 * Create/Enable/Deactivate calls that name both (a DeleteVirtualMFADevice names only the device).
 */
async function serialOwners(evidence: Evidence, events: StoredEvent[], to: string): Promise<(serial: string) => string | null> {
  const owners = new Map<string, string>();
  const wanted = new Set(events.map((event) => detailsOf(event).serialNumber).filter((serial): serial is string => !!serial));
  if (wanted.size === 0) return () => null;
  for (const name of MFA_DEVICE_NAMES) {
    for (const event of await evidence.byEventName(name, '0000-01-01T00:00:00Z', to)) {
      const serial = detailsOf(event).serialNumber;
      if (serial && wanted.has(serial) && event.target_user_name && eventKindOf(event)) owners.set(serial, event.target_user_name);
    }
  }
  return (serial) => owners.get(serial) ?? null;
}

/** `account:user` (an unknown account as empty), split again by splitOnce: IAM user names are unique per account. */
function userKey(accountId: string | null, userName: string): string {
  return `${accountId ?? ''}:${userName}`;
}

function splitOnce(value: string): [string, string] {
  const at = value.indexOf(':');
  return [value.slice(0, at), value.slice(at + 1)];
}

/** An inline policy's name and a user's group count too: undoing the change needs them (remediation/templates.ts). */
function resourceOf(event: StoredEvent, kind: Pick<EventKind, 'target'> | undefined): string | null {
  const details = detailsOf(event);
  const group = kind?.target === 'user' ? details.groupName : undefined;
  return details.serialNumber ?? details.accessKeyParam ?? details.policyArn ?? details.policyName ?? group ?? event.issued_access_key_id ?? null;
}

const LOWER: Record<Severity, Severity> = { critical: 'medium', high: 'medium', medium: 'low', low: 'low', info: 'info' };

export function describeChange(
  event: StoredEvent,
  actor: Actor,
  serialOwner: (serial: string) => string | null = () => null,
  routineCreatorChange = false,
): CredentialChange {
  const name = event.event_name ?? 'unknown';
  const kind = eventKindOf(event);
  const caller = identityName(event);
  const target = kind ? targetOf(event, kind, serialOwner) : event.target_user_name;
  const callerUser = event.identity_type === 'IAMUser' ? event.user_name ?? userNameFromArn(caller) : null;
  const forSomeoneElse = kind?.target === 'user' && event.target_user_name !== null && event.target_user_name !== callerUser;
  const facts = eventFacts(event, target);
  let severity: Severity = kind?.severity ?? 'low';
  const loginFailed = name === 'ConsoleLogin' && isFailure(event);
  let reason = fillTemplate(kind?.reason ?? kind?.summary ?? `${name} changes who can do what with {target}`, facts);

  switch (name) {
    case 'CreateAccessKey':
      if (forSomeoneElse) {
        reason = `${caller} created an access key for another user (${target}): the classic takeover step`;
        severity = 'critical';
      }
      break;
    case 'CreateLoginProfile':
    case 'UpdateLoginProfile':
      reason = forSomeoneElse
        ? `${caller} set the console password of ${target}: whoever did it can sign in as them`
        : `${target} set their own console password`;
      break;
    case 'ConsoleLogin': {
      const failed = loginFailed;
      const noMfa = event.mfa_authenticated === 0;
      reason = failed ? 'failed console sign-in' : noMfa ? 'console sign-in without MFA' : 'console sign-in';
      severity = !failed && noMfa ? 'medium' : 'low';
      if (!failed && actor.consoleLogin?.eventId === event.event_id) reason += ': the sign-in behind the console session that reached the deletion';
      break;
    }
    default:
      if (kind?.issuesKey === 'temporary' || name === 'GetRoleCredentials') {
        const inChain = actor.chain.some((hop) => hop.via === event.event_id);
        const callerAccount = event.account_id ?? accountOfArn(caller);
        const crossAccount = !!event.role_arn && !!callerAccount && ACCOUNT_ID.test(callerAccount) && accountOfArn(event.role_arn) !== callerAccount;
        const role = event.role_arn ?? (event.role_name ? `role ${event.role_name}` : null);
        reason = inChain
          ? `issued a key of the chain that reached the deletion${role ? ` (${role})` : ''}${crossAccount ? ', across accounts' : ''}`
          : `a session was started${role ? ` for ${role}` : ''}`;
        // Issuing events are context: the chain's risk is judged from who is at its end.
        severity = inChain && crossAccount ? 'medium' : 'low';
      }
  }
  if (event.error_code && name !== 'ConsoleLogin') {
    // A failed call is an attempt: never say that the key, session or password came to be.
    const attempt = kind?.attempt ? fillTemplate(kind.attempt, facts) : `tried ${name}`;
    reason = `attempted and failed (${event.error_code}): ${attempt}`;
    severity = LOWER[severity];
  }
  if (routineCreatorChange) {
    reason = `${reason} (by the creator of the origin's key, from its usual place: routine, not part of the attack)`;
    severity = 'info';
  }
  return {
    eventId: event.event_id,
    eventTime: event.event_time,
    eventName: name,
    actorArn: caller,
    actorAccessKeyId: event.access_key_id,
    sourceIPAddress: event.source_ip,
    target,
    errorCode: event.error_code,
    succeeded: !event.error_code && !loginFailed,
    resource: resourceOf(event, kind),
    severity,
    reason,
  };
}
