/**
 * What the remediation templates need to know about an incident, worked out once: which
 * keys, sessions, passwords and MFA devices to deal with, and why each. Pure over the
 * incident: the templates (templates.ts) only turn these facts into steps and words.
 */
import { accountOfArn, isLongTermKey, isRootArn } from '../../parse/arn.js';
import { eventKind } from '../event-catalog.js';
import { userNameFromArn } from '../event-words.js';
import type { Actor, Assessment, CredentialChange, Incident } from '../incident.js';

export interface KeyToDisable {
  userName: string;
  accessKeyId: string;
  accountId: string | null;
  why: string;
  evidence: string[];
  /** The root user's key: only the root user, signed in, can deactivate it (IAM's UpdateAccessKey names users). */
  root?: true;
}

export interface RoleToRevoke {
  roleName: string;
  accountId: string | null;
  evidence: string;
  /** For an Identity Center role: the user whose session it was (its session name), when known. */
  sessionUser?: string;
}

export interface PasswordToReplace {
  userName: string;
  accountId: string | null;
  /** Seen signing in to the console before: gets a new password; otherwise (a bot, keys only) its console access is removed. */
  signsIn: boolean;
  /** Its MFA was removed but nobody set its password: it may have none, which is then left so. */
  mayHaveNone: boolean;
  evidence: string[];
}

export interface UserToRevoke {
  userName: string;
  accountId: string | null;
  why: string;
  evidence: string[];
}

export interface ForeignRole {
  roleName: string;
  accountId: string | null;
  /** Managed policies attached to it during the incident. */
  attachedPolicies: string[];
  evidence: string[];
}

export interface MfaToRestore {
  userName: string;
  accountId: string | null;
  /** The device the log names, when the user may still hold it. */
  serialNumber: string | null;
  evidence: string[];
}

/** A change the attack made (attackChanges): what it was aimed at, in the account it was made in. */
export interface AttackChange {
  eventId: string;
  eventTime: string;
  eventName: string;
  /** The user, role, group or managed policy it changed. */
  target: string;
  /** The policy ARN, inline policy name or group it named (CredentialChange.resource). */
  resource: string | null;
  accountId: string | null;
}

/** An instance the attack gave another profile after the deletion (its own, as a rule). */
export interface AttackRebinding {
  instanceId: string;
  profileName: string;
  eventId: string;
}

/** An instance whose role credentials the attack used: contained, and not handed fresh ones until it is clean. */
export interface CompromisedInstance {
  instanceId: string;
  /** Where EC2's delivery was logged; null when the log does not say. */
  region: string | null;
  accountId: string | null;
  /** The delivery the chain's key came from. */
  evidence: string[];
}

export interface TrailTampering {
  eventId: string;
  eventName: string;
  trailName: string | null;
  region: string | null;
  accountId: string | null;
}

export interface RemediationInput {
  incident: Pick<
    Incident,
    'id' | 'outcome' | 'region' | 'accountId' | 'instanceProfile' | 'actor' | 'affectedInstances' | 'launchTemplates' | 'launchConfigurations' | 'credentialChanges' | 'profileHistory' | 'dependentResources'
  >;
  /** The chain's calls that blinded CloudTrail (the logging-tampered signal's events). */
  trailTampering: TrailTampering[];
  assessment: Assessment;
  /** Keys that CreateAccessKey issued during the attack, with their owners. */
  createdKeys: Array<{ accessKeyId: string; userName: string; accountId: string | null; eventId: string; root?: true }>;
  deletionEventId: string;
  /** Whether the creation of the origin's key looks like part of the attack (signals.ts). */
  creatorCompromised: boolean;
}

export interface RemediationFacts {
  input: RemediationInput;
  /** Something shows a compromise: a high or critical signal, two signals, or a key creator that acted as part of the attack. */
  compromise: boolean;
  /** The profile was deleted and something held it: restoring repairs an outage. */
  repairs: boolean;
  keys: KeyToDisable[];
  roles: RoleToRevoke[];
  /** Identity Center's roles are protected (IAM refuses policies on them): revoked in its console. */
  identityCenterRoles: RoleToRevoke[];
  passwords: PasswordToReplace[];
  /** IAM users whose temporary sessions (console, GetSessionToken, GetFederationToken) the attack used or could use. */
  users: UserToRevoke[];
  /** Roles the attacker put into the re-created profile: contained before anything is repaired. */
  foreignRoles: ForeignRole[];
  mfa: MfaToRestore[];
  /** Accounts where passwords were set or used during the incident. */
  passwordPolicyAccounts: Array<{ accountId: string | null; evidence: string[] }>;
  /** Instances whose role credentials the chain (or the compromised key creator's) used. */
  compromisedInstances: CompromisedInstance[];
  /** Affected instances the attack gave another profile after the deletion. */
  attackRebindings: AttackRebinding[];
  /** The attack's own lasting changes, in time order (only during a compromise): what it left behind in IAM. */
  attackChanges: AttackChange[];
  /** Roles the re-created profile was given that it did not hold (the attacker's), and held roles it lacks. */
  recreatedProfile: { foreignRoles: string[]; missingRoles: string[]; evidence: string[] } | null;
}

/** The role of a session or role ARN; an assumed-role ARN also names its session. */
export function roleOfSession(arn: string | null): { roleName: string; accountId: string | null; sessionName?: string } | null {
  const assumed = arn ? /^arn:aws[\w-]*:sts::(\d{12}):assumed-role\/([^/]+)\/([\s\S]*)$/.exec(arn) : null;
  if (assumed) return { roleName: assumed[2]!, accountId: assumed[1]!, ...(assumed[3] ? { sessionName: assumed[3] } : {}) };
  const role = arn ? /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn) : null;
  return role ? { roleName: role[2]!, accountId: role[1]! } : null;
}

const IP_ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]+)$/i;
const isLongTerm = (key: string | null | undefined): key is string => isLongTermKey(key);

function chainKeys(actor: Actor, creatorCompromised: boolean, deletionEventId: string): KeyToDisable[] {
  const keys: KeyToDisable[] = [];
  const originUser = userNameFromArn(actor.origin.arn);
  // The call the origin signed with it (the first hop's issuing call, else the deletion), and where the key came from.
  const originEvidence = [actor.chain.at(-1)?.via ?? deletionEventId, ...(actor.keyProvenance ? [actor.keyProvenance.eventId] : [])];
  if (isLongTerm(actor.origin.accessKeyId) && isRootArn(actor.origin.arn)) {
    keys.push({ userName: 'root', accessKeyId: actor.origin.accessKeyId, accountId: accountOfArn(actor.origin.arn), why: "the root user's key at the origin of the chain", evidence: originEvidence, root: true });
  }
  if (isLongTerm(actor.origin.accessKeyId) && originUser) {
    keys.push({ userName: originUser, accessKeyId: actor.origin.accessKeyId, accountId: accountOfArn(actor.origin.arn), why: 'long-term key at the origin of the chain', evidence: originEvidence });
  }
  for (const hop of actor.chain) {
    const user = userNameFromArn(hop.arn);
    if (isLongTerm(hop.accessKeyId) && user) keys.push({ userName: user, accessKeyId: hop.accessKeyId, accountId: accountOfArn(hop.arn), why: 'long-term key used in the chain', evidence: [hop.via] });
  }
  // The creator's own key only when its creation looks like part of the attack: never for a
  // routine onboarding from the creator's usual place.
  const provenance = creatorCompromised ? actor.keyProvenance : null;
  const creatorUser = userNameFromArn(provenance?.createdBy ?? null);
  if (provenance && isLongTerm(provenance.createdByAccessKeyId) && creatorUser) {
    keys.push({ userName: creatorUser, accessKeyId: provenance.createdByAccessKeyId, accountId: accountOfArn(provenance.createdBy), why: "key that created the origin's key", evidence: [provenance.eventId] });
  }
  return keys;
}

/**
 * The addresses the attack surely acted from: the deletion's and the console sign-in's behind
 * it (IP addresses only: a service name is no one's address). Not the chain's earlier hops: a
 * session stolen further down was issued to its owner at the owner's own address.
 */
function attackAddresses(actor: Actor): Set<string> {
  return new Set([actor.sourceIPAddress, actor.consoleLogin?.sourceIPAddress ?? null].filter((ip): ip is string => ip !== null && IP_ADDRESS.test(ip)));
}

const chainArns = (actor: Actor): Set<string> => new Set([actor.arn, actor.origin.arn, ...actor.chain.map((hop) => hop.arn)].filter((arn): arn is string => arn !== null));
/** Private (RFC 1918) IPv4: an address inside a VPC, which an instance's own workload shares. */
const PRIVATE_ADDRESS = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/;
const isStrong = (change: CredentialChange): boolean => change.severity === 'high' || change.severity === 'critical';

/** A high-risk change by a long-term key outside the chain, from one of the attack's addresses. */
function isAccompliceChange(change: CredentialChange, chain: Set<string>, attack: Set<string>): change is CredentialChange & { actorAccessKeyId: string } {
  return change.succeeded && isStrong(change) && !(change.actorArn !== null && chain.has(change.actorArn)) && isLongTerm(change.actorAccessKeyId) && !!change.sourceIPAddress && attack.has(change.sourceIPAddress);
}

/**
 * Long-term keys of identities outside the chain that made a high-risk change to it from
 * one of the attack's addresses (a second stolen key resetting the victim's password).
 */
function accompliceKeys(incident: RemediationInput['incident']): KeyToDisable[] {
  const attack = attackAddresses(incident.actor);
  const chain = chainArns(incident.actor);
  const keys = new Map<string, KeyToDisable>();
  for (const change of incident.credentialChanges) {
    const user = userNameFromArn(change.actorArn);
    if (!user || !isAccompliceChange(change, chain, attack)) continue;
    const known = keys.get(change.actorAccessKeyId);
    if (known) known.evidence.push(change.eventId);
    else {
      keys.set(change.actorAccessKeyId, {
        userName: user,
        accessKeyId: change.actorAccessKeyId,
        accountId: accountOfArn(change.actorArn),
        why: `made ${change.eventName} on ${change.target ?? 'the chain'} from ${change.sourceIPAddress}, an address of the attack`,
        evidence: [change.eventId],
      });
    }
  }
  return [...keys.values()];
}

/**
 * Whether a call is the attack's own: made with the deleting session's temporary key (every
 * call of a stolen session is the attacker's), or from one of the attack's addresses by an
 * identity of the chain, or there by a long-term key outside it when the call is a strong one
 * (an accomplice's). The chain's long-term identity from elsewhere may be its owner at work,
 * and an earlier hop's session its owner's. An instance's role session is shared with the
 * instance's own workload: only the address tells them apart, and a private one does not.
 */
function attackCalls(actor: Actor): (call: Pick<CredentialChange, 'actorArn' | 'actorAccessKeyId' | 'sourceIPAddress'>, strong: boolean) => boolean {
  const instance = actor.origin.instanceId !== null;
  const sessionKey = !instance && actor.accessKeyId && !isLongTermKey(actor.accessKeyId) ? actor.accessKeyId : null;
  const attack = instance && PRIVATE_ADDRESS.test(actor.sourceIPAddress ?? '') ? new Set<string>() : attackAddresses(actor);
  const chain = chainArns(actor);
  return (call, strong) => {
    if (sessionKey !== null && call.actorAccessKeyId === sessionKey) return true;
    if (!call.sourceIPAddress || !attack.has(call.sourceIPAddress)) return false;
    return (call.actorArn !== null && chain.has(call.actorArn)) || (strong && isLongTerm(call.actorAccessKeyId));
  };
}

/** Affected instances the attack gave another profile after the deletion: the repair replaces that one. */
function attackRebindings(incident: RemediationInput['incident']): AttackRebinding[] {
  const madeByAttack = attackCalls(incident.actor);
  return incident.affectedInstances.flatMap((instance) =>
    instance.reboundAfter?.profileName && madeByAttack(instance.reboundAfter, true)
      ? [{ instanceId: instance.instanceId, profileName: instance.reboundAfter.profileName, eventId: instance.reboundAfter.eventId }]
      : [],
  );
}

/**
 * The changes the attack itself made (attackCalls) and that outlive its keys and sessions:
 * successful ones, never the key creator's routine.
 */
function attackChanges(incident: RemediationInput['incident']): AttackChange[] {
  const madeByAttack = attackCalls(incident.actor);
  return incident.credentialChanges
    .filter((change) => change.succeeded && change.severity !== 'info' && !!change.target && madeByAttack(change, isStrong(change)))
    .map((change) => ({
      eventId: change.eventId,
      eventTime: change.eventTime,
      eventName: change.eventName,
      target: change.target!,
      resource: change.resource,
      accountId: accountOfArn(change.actorArn) ?? incident.accountId,
    }));
}

function compromisedInstances(input: RemediationInput): CompromisedInstance[] {
  const { actor } = input.incident;
  const found = new Map<string, CompromisedInstance>();
  const add = (origin: Actor['origin'] | null | undefined, chain: Actor['chain']): void => {
    if (!origin?.instanceId || found.has(origin.instanceId)) return;
    const delivery = chain.at(-1)?.via;
    found.set(origin.instanceId, { instanceId: origin.instanceId, region: origin.instanceRegion, accountId: origin.accountId, evidence: delivery ? [delivery] : [] });
  };
  add(actor.origin, actor.chain);
  if (input.creatorCompromised) add(actor.keyProvenance?.creatorOrigin, actor.keyProvenance?.creatorChain ?? []);
  return [...found.values()];
}

function rolesToRevoke(input: RemediationInput): { roles: RoleToRevoke[]; identityCenterRoles: RoleToRevoke[] } {
  const roles = new Map<string, RoleToRevoke>();
  const identityCenterRoles = new Map<string, RoleToRevoke>();
  const add = (arn: string | null, evidence: string, sessionArn: string | null = arn): void => {
    const role = roleOfSession(arn);
    if (!role || /^AWSServiceRoleFor/.test(role.roleName)) return;
    const { roleName, accountId } = role;
    if (!/^AWSReservedSSO_/.test(roleName)) {
      roles.set(`${accountId}/${roleName}`, { roleName, accountId, evidence });
      return;
    }
    // Identity Center names a permission set's session after the user who signed in.
    const sessionUser = roleOfSession(sessionArn)?.sessionName ?? input.incident.actor.onBehalfOf?.userId;
    identityCenterRoles.set(`${accountId}/${roleName}`, { roleName, accountId, evidence, ...(sessionUser ? { sessionUser } : {}) });
  };
  const actor = input.incident.actor;
  add(actor.sessionIssuerArn ?? actor.arn, input.deletionEventId, actor.arn);
  for (const hop of actor.chain) if (hop.type === 'AssumedRole') add(hop.arn, hop.via);
  // A stolen session behind the key creator (an instance role included) is still live too.
  const provenance = input.creatorCompromised ? actor.keyProvenance : null;
  if (provenance) {
    add(provenance.createdBy, provenance.eventId);
    for (const hop of provenance.creatorChain) if (hop.type === 'AssumedRole') add(hop.arn, hop.via);
  }
  return { roles: [...roles.values()], identityCenterRoles: [...identityCenterRoles.values()] };
}

function passwordsToReplace(incident: RemediationInput['incident']): PasswordToReplace[] {
  const changes = incident.credentialChanges;
  const byUser = new Map<string, PasswordToReplace>();
  for (const change of changes) {
    const setByOther =
      eventKind(change.eventName)?.setsPassword === true &&
      change.succeeded &&
      change.target !== null &&
      change.target !== userNameFromArn(change.actorArn);
    if (!setByOther) continue;
    const user = change.target!;
    const signsIn = changes.some(
      (login) => login.eventName === 'ConsoleLogin' && login.succeeded && login.target === user && login.eventTime < change.eventTime,
    );
    const known = byUser.get(user);
    if (known) known.evidence.push(change.eventId);
    else byUser.set(user, { userName: user, accountId: accountOfArn(change.actorArn) ?? incident.accountId, signsIn, mayHaveNone: false, evidence: [change.eventId] });
  }
  // The console session that reached the deletion began with the origin user's own password:
  // whoever signed in knows it.
  const { consoleLogin, origin } = incident.actor;
  const originUser = origin.type === 'IAMUser' ? userNameFromArn(origin.arn) : null;
  if (consoleLogin && originUser && !byUser.has(originUser)) {
    byUser.set(originUser, { userName: originUser, accountId: accountOfArn(origin.arn) ?? incident.accountId, signsIn: true, mayHaveNone: false, evidence: [consoleLogin.eventId] });
  }
  // A user whose MFA the attack removed is set up for a password-only sign-in: replace the
  // password it may have too.
  for (const change of changes) {
    if (eventKind(change.eventName)?.removesMfa !== true || !change.succeeded || change.severity === 'info') continue;
    const user = change.target ?? userNameFromArn(change.actorArn);
    if (!user || byUser.has(user)) continue;
    byUser.set(user, { userName: user, accountId: accountOfArn(change.actorArn) ?? incident.accountId, signsIn: true, mayHaveNone: true, evidence: [change.eventId] });
  }
  return [...byUser.values()];
}

/** IAM users whose temporary sessions must end: those the chain acted as with a temporary key, and those whose password or MFA the attack changed. */
function usersToRevoke(incident: RemediationInput['incident'], passwords: PasswordToReplace[]): UserToRevoke[] {
  const users = new Map<string, UserToRevoke>();
  const add = (userName: string | null, accountId: string | null, why: string, evidence: string[]): void => {
    if (!userName) return;
    const known = users.get(`${accountId}/${userName}`);
    if (known) known.evidence.push(...evidence.filter((id) => !known.evidence.includes(id)));
    else users.set(`${accountId}/${userName}`, { userName, accountId, why, evidence: [...evidence] });
  };
  const actor = incident.actor;
  const temporary = (key: string | null): boolean => !!key && !isLongTermKey(key);
  if (actor.type === 'IAMUser' && temporary(actor.accessKeyId)) add(userNameFromArn(actor.arn), accountOfArn(actor.arn), 'the deletion was made with a session of this user', [incident.id]);
  for (const hop of actor.chain) {
    if (hop.type === 'IAMUser' && temporary(hop.accessKeyId)) add(userNameFromArn(hop.arn), accountOfArn(hop.arn), 'the chain used a session of this user', [hop.via]);
    // A federated session is evaluated with the policies of the user who made it: a deny on that user ends it.
    if (hop.type === 'IAMUser' && hop.viaEventName === 'GetFederationToken') {
      add(userNameFromArn(hop.arn), accountOfArn(hop.arn), 'the chain used a federated session this user made (GetFederationToken), which is evaluated with its policies', [hop.via]);
    }
  }
  for (const password of passwords) add(password.userName, password.accountId, 'its password or MFA was changed by the attack', password.evidence);
  return [...users.values()];
}

function foreignRoles(incident: RemediationInput['incident'], recreated: RemediationFacts['recreatedProfile']): ForeignRole[] {
  return (recreated?.foreignRoles ?? []).map((roleName) => {
    const attached = incident.credentialChanges.filter((change) => change.eventName === 'AttachRolePolicy' && change.succeeded && change.target === roleName && change.resource);
    return {
      roleName,
      accountId: incident.accountId,
      attachedPolicies: [...new Set(attached.map((change) => change.resource!))],
      evidence: [...(recreated?.evidence ?? []), ...attached.map((change) => change.eventId)],
    };
  });
}

function mfaToRestore(input: RemediationInput): MfaToRestore[] {
  const { incident } = input;
  const users = new Map<string, MfaToRestore>();
  for (const change of incident.credentialChanges) {
    if (eventKind(change.eventName)?.removesMfa !== true || !change.succeeded) continue;
    const user = change.target ?? userNameFromArn(change.actorArn);
    if (!user) continue;
    users.set(user, {
      userName: user,
      accountId: accountOfArn(change.actorArn) ?? incident.accountId,
      // A deleted virtual device is gone; a deactivated one may still be in the user's hands.
      serialNumber: change.eventName === 'DeactivateMFADevice' ? change.resource : null,
      evidence: [change.eventId],
    });
  }
  // MFA guards sign-ins: an identity seen only with access keys gets none proposed.
  const originUser = incident.actor.origin.type === 'IAMUser' ? userNameFromArn(incident.actor.origin.arn) : null;
  const signsIn =
    incident.actor.consoleLogin !== null || incident.credentialChanges.some((change) => change.eventName === 'ConsoleLogin' && change.succeeded && change.target === originUser);
  if (incident.actor.mfaAuthenticated === false && originUser && signsIn && !users.has(originUser)) {
    users.set(originUser, { userName: originUser, accountId: accountOfArn(incident.actor.origin.arn), serialNumber: null, evidence: [input.deletionEventId] });
  }
  return [...users.values()];
}

export function remediationFacts(input: RemediationInput): RemediationFacts {
  const { incident, assessment } = input;
  // One medium signal (a new address, a first cross-account hop, an unverified instance-key
  // use) is worth a look, not a lock-out: containment needs a strong signal or two.
  const strong = assessment.signals.filter((signal) => signal.severity === 'high' || signal.severity === 'critical').length;
  const compromise = input.creatorCompromised || strong > 0 || assessment.signals.length >= 2;
  const keys = compromise ? [...chainKeys(incident.actor, input.creatorCompromised, input.deletionEventId), ...accompliceKeys(incident)] : [];
  for (const created of input.createdKeys) {
    if (compromise) keys.push({ userName: created.userName, accessKeyId: created.accessKeyId, accountId: created.accountId, why: 'key created during the attack', evidence: [created.eventId], ...(created.root ? { root: true as const } : {}) });
  }
  // The account password policy governs IAM users' passwords, not the root user's.
  const passwordEvents = incident.credentialChanges.filter(
    (change) =>
      ['UpdateLoginProfile', 'CreateLoginProfile', 'ChangePassword', 'UpdateAccountPasswordPolicy', 'DeleteAccountPasswordPolicy', 'ConsoleLogin'].includes(change.eventName) &&
      !(change.eventName === 'ConsoleLogin' && isRootArn(change.actorArn)),
  );
  const policyAccounts = new Map<string | null, string[]>();
  for (const change of passwordEvents) {
    const account = accountOfArn(change.actorArn) ?? incident.accountId;
    policyAccounts.set(account, [...(policyAccounts.get(account) ?? []), change.eventId]);
  }
  const { roles, identityCenterRoles } = compromise ? rolesToRevoke(input) : { roles: [], identityCenterRoles: [] };
  const passwords = compromise ? passwordsToReplace(incident) : [];
  const recreated = recreatedProfile(incident);
  return {
    input,
    compromise,
    repairs: incident.outcome === 'deleted' && assessment.impact !== 'none',
    keys: keys.filter((key, index) => keys.findIndex((other) => other.accessKeyId === key.accessKeyId) === index),
    roles,
    identityCenterRoles,
    passwords,
    users: compromise ? usersToRevoke(incident, passwords) : [],
    foreignRoles: foreignRoles(incident, recreated),
    mfa: compromise ? mfaToRestore(input) : [],
    attackChanges: compromise ? attackChanges(incident) : [],
    compromisedInstances: compromise ? compromisedInstances(input) : [],
    attackRebindings: compromise ? attackRebindings(incident) : [],
    passwordPolicyAccounts: [...policyAccounts.entries()].map(([accountId, evidence]) => ({ accountId, evidence })),
    recreatedProfile: recreated,
  };
}

/** The roles of a profile re-created after the deletion, replayed from its lifecycle. */
function recreatedProfile(incident: RemediationInput['incident']): RemediationFacts['recreatedProfile'] {
  const recreated = incident.instanceProfile.recreated;
  if (!recreated) return null;
  const roles = new Set<string>();
  const evidence = [recreated.eventId];
  for (const event of incident.profileHistory) {
    if (event.errorCode || event.eventTime < recreated.eventTime || !event.roleName) continue;
    if (event.eventName === 'AddRoleToInstanceProfile') roles.add(event.roleName);
    if (event.eventName === 'RemoveRoleFromInstanceProfile') roles.delete(event.roleName);
    evidence.push(event.eventId);
  }
  const held = new Set(incident.instanceProfile.roles);
  return { foreignRoles: [...roles].filter((role) => !held.has(role)).sort(), missingRoles: [...held].filter((role) => !roles.has(role)).sort(), evidence };
}
