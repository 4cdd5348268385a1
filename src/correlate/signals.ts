/**
 * Signals: findings about the identities behind a deletion, each with a severity, a
 * sentence and the event IDs it rests on. They are raised for the actor's chain and the
 * key creator's chain within the lookback window, so a routine identity elsewhere in the
 * account never lends its history to an incident.
 */
import { ACCOUNT_ID, accountOfArn, isRootArn } from '../parse/arn.js';
import { detailsOf } from '../parse/event-row.js';
import { deliveredInstance, identityName } from './actor.js';
import { chainSubjects, subjectActivity } from './credentials.js';
import { type Evidence, shiftTime, type StoredEvent } from './evidence.js';
import { AWS_QUARANTINE_POLICY, eventKind, eventNamesWhere, OFFENSIVE_USER_AGENTS } from './event-catalog.js';
import { userNameFromArn } from './event-words.js';
import type { Actor, CredentialChange, Hop, InstanceProfileFacts, Severity, Signal, SignalId } from './incident.js';

/** How many event IDs a signal cites at most: enough to find the pattern, short enough to read. */
const MAX_EVIDENCE = 12;
/** Instance-internal and AWS-side addresses an instance's own calls may come from. */
const PRIVATE_ADDRESS = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|fd|fc)/i;
/** User agents of agents and SDKs running on the instance itself. */
const ON_INSTANCE_AGENT = /amazon-ssm-agent|ec2-instance-connect|AmazonCloudWatchAgent|aws-ec2-instance|exec-env\/EC2/i;
/** A workstation's operating system (macOS) in a user agent: not where an instance's own calls come from. */
const WORKSTATION_USER_AGENT = /Darwin\//;
const DAY_MS = 86_400_000;
/** The STS calls that ask for a role by ARN. */
const ROLE_REQUESTS = eventNamesWhere((kind) => kind.issuesKey === 'temporary' && kind.target === 'session-role');

export function looksLikeIp(value: string | null): value is string {
  return value !== null && (/^\d{1,3}(\.\d{1,3}){3}$/.test(value) || (value.includes(':') && /^[0-9a-f:.]+$/i.test(value)));
}

// --- EC2 instance credentials used elsewhere ---------------------------------------

export interface InstanceCredentialUse {
  instanceId: string;
  roleArn: string | null;
  /** The EC2 AssumeRole that delivered the credentials. */
  deliveryEventId: string;
  /** Addresses the instance's own calls used. */
  ownAddresses: string[];
  /** Calls made with the instance's role session from any other address. */
  outsideCalls: StoredEvent[];
  /** False when the instance's own address is not in the logs and nothing shows the other use is a person's. */
  verified: boolean;
}

/**
 * For each EC2 instance at the origin of the actor's chain or the key creator's chain:
 * the addresses its own calls come from (on-instance agents, private addresses, and the
 * first address the session was used from) and the calls made with its session from
 * anywhere else, which is what credential exfiltration looks like in CloudTrail.
 */
export async function instanceCredentialUse(actor: Actor, evidence: Evidence, from: string, to: string): Promise<InstanceCredentialUse[]> {
  const origins: Array<{ chain: Hop[] }> = [{ chain: actor.chain }];
  if (actor.keyProvenance) origins.push({ chain: actor.keyProvenance.creatorChain });
  const found = new Map<string, InstanceCredentialUse>();
  for (const { chain } of origins) {
    const last = chain[chain.length - 1];
    const delivery = last ? await evidence.eventById(last.via) : null;
    const instanceId = delivery ? deliveredInstance(delivery) : null;
    if (!delivery || !instanceId || found.has(delivery.event_id)) continue;
    const sessionArn = detailsOf(delivery).issuedSessionArn ?? sessionArnOf(delivery.role_arn, instanceId);
    const calls = sessionArn ? await evidence.byIdentity(sessionArn, delivery.event_time, to) : [];
    // The instance's own addresses need positive evidence: an on-instance agent's calls, a
    // private address, or use before the incident's window.
    const windowStart = shiftTime(to, -INCIDENT_WINDOW_MS);
    const own = new Set<string>();
    for (const call of calls) {
      if (!looksLikeIp(call.source_ip)) continue;
      if (PRIVATE_ADDRESS.test(call.source_ip) || ON_INSTANCE_AGENT.test(call.user_agent ?? '') || call.event_time < windowStart) own.add(call.source_ip);
    }
    const ipCalls = calls.filter((call) => looksLikeIp(call.source_ip));
    // Without any, a use from an address that betrays a person (a workstation user agent,
    // attack tooling, an IAM user or root on it) is still certain; anything else is unverified.
    const personal = async (address: string): Promise<boolean> =>
      ipCalls.some((call) => call.source_ip === address && (WORKSTATION_USER_AGENT.test(call.user_agent ?? '') || offensiveTool(call.user_agent) !== null)) ||
      (await evidence.bySourceIp(address, shiftTime(delivery.event_time, -DAY_MS), to)).some((event) => event.identity_type === 'IAMUser' || event.identity_type === 'Root');
    const outsideCalls = ipCalls.filter((call) => !own.has(call.source_ip!) && call.event_time >= from);
    let verified = own.size > 0;
    for (const call of outsideCalls) {
      if (verified) break;
      verified = await personal(call.source_ip!);
    }
    found.set(delivery.event_id, {
      instanceId,
      roleArn: delivery.role_arn,
      deliveryEventId: delivery.event_id,
      ownAddresses: [...own].sort(),
      outsideCalls,
      verified,
    });
  }
  return [...found.values()];
}

function sessionArnOf(roleArn: string | null, sessionName: string): string | null {
  const match = roleArn ? /^arn:(aws[\w-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn) : null;
  return match ? `arn:${match[1]}:sts::${match[2]}:assumed-role/${match[3]}/${sessionName}` : null;
}

// --- the key creator: part of the attack, or routine? -----------------------------

export interface CreatorJudgement {
  compromised: boolean;
  reasons: string[];
}

/**
 * Whether the creation of the origin's key looks like part of the attack: within the
 * lookback window, and from the attack's addresses, from an address new to the creator,
 * with attack tooling, or with stolen instance credentials. A routine onboarding days
 * earlier from the creator's usual place is none of these.
 */
export async function judgeCreator(actor: Actor, evidence: Evidence, lookbackStart: string, instanceUse: InstanceCredentialUse[], deletionTime: string): Promise<CreatorJudgement> {
  const provenance = actor.keyProvenance;
  if (!provenance?.createdBy) return { compromised: false, reasons: [] };
  if (provenance.eventTime < lookbackStart) return { compromised: false, reasons: [`the key was created at ${provenance.eventTime}, before the lookback window`] };
  const reasons: string[] = [];
  const ip = provenance.sourceIPAddress;
  const attackAddresses = new Set([actor.sourceIPAddress, ...actor.chain.map((hop) => hop.sourceIPAddress)].filter(looksLikeIp));
  if (looksLikeIp(ip) && attackAddresses.has(ip)) reasons.push(`it was created from ${ip}, an address of the chain that deleted the profile`);
  const creator = { arn: provenance.createdBy, sessionIssuerArn: null };
  const windowStart = [provenance.eventTime, shiftTime(deletionTime, -INCIDENT_WINDOW_MS)].sort()[0]!;
  if (looksLikeIp(ip) && !(await evidence.seenFromIp(creator, ip, windowStart))) reasons.push(`${ip} was new for ${provenance.createdBy}`);
  const tool = offensiveTool(provenance.userAgent);
  if (tool) reasons.push(`it was created with ${tool}`);
  if (instanceUse.some((use) => use.verified && use.outsideCalls.some((call) => call.event_id === provenance.eventId))) {
    reasons.push('it was created with stolen EC2 instance credentials');
  }
  return { compromised: reasons.length > 0, reasons };
}

export function offensiveTool(userAgent: string | null): string | null {
  if (!userAgent) return null;
  return OFFENSIVE_USER_AGENTS.find((marker) => marker.pattern.test(userAgent))?.tool ?? null;
}

// --- all signals -----------------------------------------------------------------

export interface SignalInput {
  deletion: StoredEvent;
  actor: Actor;
  credentialChanges: CredentialChange[];
  instanceProfile: InstanceProfileFacts;
  /** The profile's lifecycle events in this account (profile.ts), for what happened after the deletion. */
  lifecycle: StoredEvent[];
  instanceUse: InstanceCredentialUse[];
  /** Earliest event of the incident: addresses are "new" if the identity did not use them before it. */
  incidentStart: string;
  lookbackStart: string;
}

export async function detectSignals(input: SignalInput, evidence: Evidence): Promise<Signal[]> {
  const signals: Signal[] = [];
  const raise = (id: SignalId, severity: Severity, summary: string, evidenceIds: string[]): void => {
    signals.push({ id, severity, summary, evidence: [...new Set(evidenceIds)].slice(0, MAX_EVIDENCE) });
  };
  const { actor, deletion } = input;
  // Routine changes (a key creator's onboarding from its usual place) are context, never signals.
  const succeeded = input.credentialChanges.filter((change) => change.succeeded && change.severity !== 'info');
  const windowStart = incidentWindowStart(input);

  for (const use of input.instanceUse) {
    if (use.outsideCalls.length === 0) continue;
    const addresses = [...new Set(use.outsideCalls.map((call) => call.source_ip))].join(', ');
    raise(
      'instance-credential-exfiltration',
      use.verified ? 'critical' : 'medium',
      use.verified
        ? `the role credentials of EC2 instance ${use.instanceId} were used from ${addresses}, not from the instance's own address${use.ownAddresses.length === 1 ? '' : 'es'} (${use.ownAddresses.join(', ') || 'none seen; the other use shows a person'})`
        : `the role credentials of EC2 instance ${use.instanceId} were used from ${addresses}; the instance's own address is not in the logs, so this is unverified: check it is the instance's public address`,
      [use.deliveryEventId, ...use.outsideCalls.map((call) => call.event_id)],
    );
  }

  // An IAM user's or root's sign-in: a federated one logs MFAUsed "No" because its MFA happens at the IdP.
  const person = (arn: string | null): boolean => userNameFromArn(arn) !== null || /:root$/.test(arn ?? '');
  const loginsWithoutMfa = succeeded.filter(
    (change) => change.eventName === 'ConsoleLogin' && person(change.actorArn) && change.reason.startsWith('console sign-in without MFA') && change.eventTime >= windowStart,
  );
  if (actor.consoleLogin?.mfaUsed === false || loginsWithoutMfa.length > 0) {
    raise(
      'console-login-without-mfa',
      'medium',
      `a console sign-in without MFA${actor.consoleLogin?.mfaUsed === false ? ` started the session that reached the deletion (${actor.consoleLogin.sourceIPAddress ?? 'unknown address'})` : ''}`,
      [...(actor.consoleLogin?.mfaUsed === false ? [actor.consoleLogin.eventId] : []), ...loginsWithoutMfa.map((change) => change.eventId)],
    );
  }

  const resets = succeeded.filter(
    (change) => eventKind(change.eventName)?.setsPassword === true && change.target !== null && change.target !== userNameFromArn(change.actorArn),
  );
  if (resets.length > 0) {
    raise(
      'password-reset-by-other-identity',
      'high',
      `the console password of ${[...new Set(resets.map((change) => change.target))].join(', ')} was set by another identity (${[...new Set(resets.map((change) => change.actorArn))].join(', ')})`,
      resets.map((change) => change.eventId),
    );
  }

  // AWS itself found the user's keys exposed: the strongest word the log can hold. Only its
  // managed policy says so: an inline policy of that name anyone may write.
  const quarantined = succeeded.filter((change) => change.target !== null && change.eventName === 'AttachUserPolicy' && AWS_QUARANTINE_POLICY.test(change.resource ?? ''));
  if (quarantined.length > 0) {
    raise(
      'key-quarantined-by-aws',
      'critical',
      `AWS quarantined ${[...new Set(quarantined.map((change) => change.target))].join(', ')} (${[...new Set(quarantined.map((change) => change.resource!.replace(/^.*\//, '')))].join(', ')}): it found ${quarantined.length === 1 ? 'its' : 'their'} access keys exposed or compromised`,
      quarantined.map((change) => change.eventId),
    );
  }

  const mfaRemoved = succeeded.filter((change) => eventKind(change.eventName)?.removesMfa === true);
  if (mfaRemoved.length > 0) {
    raise('mfa-removed', 'high', `MFA was removed from ${[...new Set(mfaRemoved.map((change) => change.target ?? 'a user'))].join(', ')}`, mfaRemoved.map((change) => change.eventId));
  }

  const fresh = await newSourceAddresses(input, evidence);
  if (fresh.length > 0) {
    raise('new-source-ip', 'medium', `address never seen before for that identity: ${fresh.map((entry) => `${entry.ip} (${entry.identity})`).join(', ')}`, fresh.flatMap((entry) => entry.eventIds));
  }

  // One pass over the chain's own calls in the window for tooling and trail tampering.
  const tampering: StoredEvent[] = [];
  const tooling = new Map<string, StoredEvent[]>();
  const seen = new Set<string>();
  for (const subject of chainSubjects(actor)) {
    for (const event of await subjectActivity(subject, evidence, input.lookbackStart, deletion.event_time)) {
      if (seen.has(event.event_id)) continue;
      seen.add(event.event_id);
      if (eventKind(event.event_name)?.trailControl && !event.error_code) tampering.push(event);
      const tool = offensiveTool(event.user_agent);
      if (tool) tooling.set(tool, [...(tooling.get(tool) ?? []), event]);
    }
  }
  const deletionTool = offensiveTool(deletion.user_agent);
  if (deletionTool && !seen.has(deletion.event_id)) tooling.set(deletionTool, [deletion, ...(tooling.get(deletionTool) ?? [])]);
  if (tampering.length > 0) {
    const trails = [...new Set(tampering.map((event) => detailsOf(event).trailName ?? 'a trail'))].join(', ');
    raise('logging-tampered', 'high', `CloudTrail was tampered with before the deletion (${[...new Set(tampering.map((event) => event.event_name))].join(', ')} on ${trails})`, tampering.map((event) => event.event_id));
  }
  if (tooling.size > 0) {
    const calls = [...tooling.values()].flat();
    raise('offensive-tool-user-agent', 'high', `calls were made with the user agent of public attack tooling: ${[...tooling.keys()].join(', ')} (${calls.length} call${calls.length === 1 ? '' : 's'})`, calls.map((event) => event.event_id));
  }

  const createdForOthers = succeeded.filter(
    (change) =>
      eventKind(change.eventName)?.issuesKey === 'long-term' &&
      change.target !== null &&
      change.target !== userNameFromArn(change.actorArn) &&
      // The root user's own key (CreateAccessKey without a userName) is not someone else's.
      !(isRootArn(change.actorArn) && change.target === 'root'),
  );
  if (createdForOthers.length > 0) {
    raise(
      'key-created-for-other-user',
      'critical',
      `an access key was created for another user: ${createdForOthers.map((change) => `${change.target} by ${change.actorArn}`).join('; ')}`,
      createdForOthers.map((change) => change.eventId),
    );
  }

  const novelCrossAccount = await novelCrossAccountHops(actor, evidence);
  if (novelCrossAccount.length > 0) {
    raise(
      'cross-account-chain',
      'medium',
      `the chain crossed accounts along a path never taken before in the archive: ${novelCrossAccount.map((hop) => `${hop.caller} → ${hop.roleArn}`).join('; ')}`,
      novelCrossAccount.map((hop) => hop.eventId),
    );
  }

  const swapped = recreatedWithOtherRole(input);
  if (swapped) raise('instance-profile-recreated-with-other-role', 'high', swapped.summary, swapped.evidence);
  return signals;
}

interface FreshAddress {
  ip: string;
  identity: string;
  eventIds: string[];
}

/**
 * How far before the deletion an address counts as part of the incident: attackers often
 * look around from their address for a while before the first change that matters.
 */
const INCIDENT_WINDOW_MS = 48 * 3_600_000;

/**
 * Addresses the chain's identities (and the console sign-in, and the key creator) acted
 * from that they had never used before the incident's window: the earlier of the
 * incident's first event and 48 hours before the deletion.
 */
async function newSourceAddresses(input: SignalInput, evidence: Evidence): Promise<FreshAddress[]> {
  const { actor } = input;
  const windowStart = incidentWindowStart(input);
  const before = (time: string): string => (time < windowStart ? time : windowStart);
  const provenance = actor.keyProvenance;
  const callers = await evidence.eventsByIds([...actor.chain.map((hop) => hop.via), ...(provenance ? [provenance.eventId] : [])]);
  /** The identity behind an event: a role session is compared with every session of its role. */
  const callerOf = (eventId: string, arn: string | null): { arn: string | null; sessionIssuerArn: string | null } => ({
    arn,
    sessionIssuerArn: callers.get(eventId)?.session_issuer_arn ?? null,
  });
  // Web and SAML identities are skipped: their calls come from the IdP's or CI runner's
  // ever-changing addresses, so novelty says nothing there. EC2's own delivery has no address.
  const candidates: Array<{ arn: string | null; sessionIssuerArn: string | null; ip: string | null; before: string; eventId: string }> = [
    { arn: actor.arn, sessionIssuerArn: actor.sessionIssuerArn, ip: actor.sourceIPAddress, before: windowStart, eventId: input.deletion.event_id },
    ...actor.chain
      .filter((hop) => hop.type !== 'WebIdentityUser' && hop.type !== 'SAMLUser' && hop.type !== 'AWSService')
      .map((hop) => ({ ...callerOf(hop.via, hop.arn), ip: hop.sourceIPAddress, before: windowStart, eventId: hop.via })),
  ];
  if (actor.consoleLogin && actor.origin.arn) {
    candidates.push({ arn: actor.origin.arn, sessionIssuerArn: null, ip: actor.consoleLogin.sourceIPAddress, before: before(actor.consoleLogin.eventTime), eventId: actor.consoleLogin.eventId });
  }
  if (provenance?.createdBy && provenance.eventTime >= input.lookbackStart) {
    candidates.push({ ...callerOf(provenance.eventId, provenance.createdBy), ip: provenance.sourceIPAddress, before: before(provenance.eventTime), eventId: provenance.eventId });
  }
  const fresh: FreshAddress[] = [];
  for (const candidate of candidates) {
    if (!looksLikeIp(candidate.ip)) continue;
    // Novelty needs a history: an identity first seen inside the window (a new user, a role
    // used for the first time) has no usual place to differ from.
    if (!(await evidence.activeBefore(candidate, candidate.before))) continue;
    if (await evidence.seenFromIp(candidate, candidate.ip, candidate.before)) continue;
    const identity = candidate.arn ?? 'unknown identity';
    const known = fresh.find((entry) => entry.ip === candidate.ip && entry.identity === identity);
    if (known) known.eventIds.push(candidate.eventId);
    else fresh.push({ ip: candidate.ip, identity, eventIds: [candidate.eventId] });
  }
  return fresh;
}

/** Where the incident's window starts: the earlier of its first event and 48 hours before the deletion. */
function incidentWindowStart(input: Pick<SignalInput, 'incidentStart' | 'deletion'>): string {
  return [input.incidentStart, shiftTime(input.deletion.event_time, -INCIDENT_WINDOW_MS)].sort()[0]!;
}

/** Cross-account hops of the chain (and the creator's chain) whose caller had never asked for that role before. */
async function novelCrossAccountHops(actor: Actor, evidence: Evidence): Promise<Array<{ caller: string; roleArn: string; eventId: string }>> {
  const novel: Array<{ caller: string; roleArn: string; eventId: string }> = [];
  const hops = [...actor.chain, ...(actor.keyProvenance?.creatorChain ?? [])];
  const issuers = await evidence.eventsByIds(hops.map((hop) => hop.via));
  for (const hop of hops) {
    const issuing = issuers.get(hop.via);
    if (!issuing?.role_arn) continue;
    const roleAccount = accountOfArn(issuing.role_arn);
    const callerAccount = issuing.account_id ?? accountOfArn(identityName(issuing));
    if (!callerAccount || !ACCOUNT_ID.test(callerAccount) || roleAccount === callerAccount) continue;
    const caller = { arn: issuing.identity_arn, sessionIssuerArn: issuing.session_issuer_arn };
    if (await evidence.assumedBefore(caller, issuing.role_arn, ROLE_REQUESTS, issuing.event_time)) continue;
    novel.push({ caller: issuing.session_issuer_arn ?? identityName(issuing) ?? 'unknown identity', roleArn: issuing.role_arn, eventId: issuing.event_id });
  }
  return novel;
}

/** A profile re-created under the same name after the deletion and given a role it did not hold. */
function recreatedWithOtherRole(input: SignalInput): { summary: string; evidence: string[] } | null {
  const recreated = input.instanceProfile.recreated;
  if (!recreated || input.deletion.error_code) return null;
  const held = new Set(input.instanceProfile.roles);
  const added = input.lifecycle.filter(
    (event) => event.event_name === 'AddRoleToInstanceProfile' && !event.error_code && event.event_time >= recreated.eventTime && event.role_name && !held.has(event.role_name),
  );
  if (added.length === 0) return null;
  const roles = [...new Set(added.map((event) => event.role_name))].join(', ');
  return {
    summary: `${input.instanceProfile.name} was re-created after the deletion with ${roles} instead of ${[...held].join(', ') || 'its former role'}: instances that pick it up by name get the new role's permissions`,
    evidence: [recreated.eventId, ...added.map((event) => event.event_id)],
  };
}
