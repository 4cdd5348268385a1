/**
 * What an incident says, in words and steps that every incident renderer (terminal table,
 * Markdown, HTML, scripts) draws the same way: the verdict, the actor chain, where the key
 * came from. Values here are raw record text; each renderer escapes for its own output.
 */
import { accountOfArn, isLongTermKey } from '../parse/arn.js';
import type { Actor, ConsoleLoginRef, Hop, IdentityCenterRef, Incident, KeyProvenance } from '../correlate/incident.js';
import { incidentSections, type IncidentSections, type SectionRow, type SignalCells } from './incident-sections.js';
import { terminalSafe } from './terminal-safe.js';

/** What an empty list shows as, in every format. */
export const NONE = '(none)';

/** `account:resource` of an ARN (what differs between identities); anything else as is. */
export function shortIdentity(arn: string): string {
  const match = /^arn:[^:]*:[^:]*:[^:]*:([^:]*):(.+)$/s.exec(arn);
  if (!match) return arn;
  return match[1] ? `${match[1]}:${match[2]}` : match[2]!;
}

/** Who made the DeleteInstanceProfile call, as the record names it. */
export function actingLabel(actor: Actor): string {
  return actor.arn ?? actor.invokedBy ?? actor.principalId ?? `(${actor.type ?? 'unknown identity'})`;
}

/** One identity in the chain, from the origin to the acting session. */
export interface ChainStep {
  position: 'origin' | 'hop' | 'acting' | 'origin+acting';
  identity: string;
  /** A readable name (SAML/web-identity user, `EC2 instance i-…`) when it differs from `identity`; else null. */
  label: string | null;
  /** The hop's readable name as recorded, even when it is the identity itself (null for the acting session). */
  recordedLabel: string | null;
  type: string | null;
  accessKeyId: string | null;
  /** The account the identity belongs to, from the record or its ARN. */
  accountId: string | null;
  sourceIPAddress: string | null;
  /** The STS event this identity called to issue the next step's key (none for the acting session). */
  issued: { eventName: string; eventId: string } | null;
}

/**
 * Hops origin first, as chain steps. `identityWithoutArn` names a hop the record gave no
 * ARN: the actor's chain and the key creator's chain name those differently.
 */
export function hopSteps(hops: readonly Hop[], identityWithoutArn: (hop: Hop, index: number) => string): ChainStep[] {
  return hops.map((hop, index) => {
    const identity = hop.arn ?? identityWithoutArn(hop, index);
    return {
      position: index === 0 ? 'origin' : 'hop',
      identity,
      label: distinctLabel(hop.label, identity),
      recordedLabel: hop.label,
      type: hop.type,
      accessKeyId: hop.accessKeyId,
      accountId: hop.accountId ?? accountOfArn(hop.arn),
      sourceIPAddress: hop.sourceIPAddress,
      issued: { eventName: hop.viaEventName, eventId: hop.via },
    };
  });
}

/**
 * actor.chain runs from the acting session backwards: chain[0] issued the acting key with
 * the event chain[0].via, chain[1] issued chain[0]'s key, …; the last hop is the origin.
 */
export function chainSteps(actor: Actor): ChainStep[] {
  const steps = hopSteps([...actor.chain].reverse(), (hop, index) => (index === 0 ? actor.origin.label : `(${hop.type ?? 'unknown identity'})`));
  const acting = actingLabel(actor);
  const alone = steps.length === 0;
  steps.push({
    position: alone ? 'origin+acting' : 'acting',
    identity: acting,
    label: alone ? distinctLabel(actor.origin.label, acting) : null,
    recordedLabel: null,
    type: actor.type,
    accessKeyId: actor.accessKeyId,
    accountId: actor.accountId ?? accountOfArn(actor.arn),
    sourceIPAddress: actor.sourceIPAddress,
    issued: null,
  });
  return steps;
}

/** The chain behind the key creator's own credentials, origin first; a hop without ARN goes by its label. */
export function creatorChainSteps(provenance: KeyProvenance): ChainStep[] {
  return hopSteps([...provenance.creatorChain].reverse(), (hop) => hop.label);
}

/** A readable name worth showing next to an identity: set, and not the identity itself. */
export function distinctLabel(label: string | null | undefined, identity: string | null): string | null {
  return label && label !== identity ? label : null;
}

/** A chain step's identity, with its readable name in brackets when that differs (record values; caller escapes). */
export function stepIdentity(step: ChainStep): string {
  return step.label ? `${step.identity} (${step.label})` : step.identity;
}

/** Details of a chain step in brackets: type, key, source IP (record values; caller escapes). */
export function stepDetails(step: ChainStep): string {
  const parts = [step.type ?? 'unknown type'];
  if (step.accessKeyId) parts.push(`key ${step.accessKeyId}`);
  if (step.sourceIPAddress) parts.push(`from ${step.sourceIPAddress}`);
  return parts.join(', ');
}

/** Where the origin's long-term key came from, as one sentence (record values; caller escapes). */
export function keyProvenanceText(actor: Actor): string {
  const provenance = actor.keyProvenance;
  if (provenance) {
    const owner = provenance.userName ? ` (user ${provenance.userName})` : '';
    const creatorKey = provenance.createdByAccessKeyId ? ` with key ${provenance.createdByAccessKeyId}` : '';
    const from = provenance.sourceIPAddress ? ` from ${provenance.sourceIPAddress}` : '';
    return `${provenance.accessKeyId}${owner} was created at ${provenance.eventTime} by ${provenance.createdBy ?? 'an unknown identity'}${creatorKey}${from} (CreateAccessKey ${provenance.eventId})`;
  }
  const key = actor.origin.accessKeyId;
  if (isLongTermKey(key)) return `${key}: no CreateAccessKey for it in the archive (created before the archive starts?)`;
  return 'not applicable: the origin has no long-term access key';
}

/** How a helper below writes a record value: as is (the caller escapes the whole), or escaped one by one. */
type Escape = (value: string) => string;
const AS_IS: Escape = (value) => value;

/**
 * The chain behind the key creator's own credentials, nearest hop first, ending at its
 * origin: `X, whose credentials came from: EC2 instance i-… (AssumeRole …) → origin …`.
 * Null when the creator used a long-term key of its own (the provenance says so already).
 */
export function creatorChainText(provenance: KeyProvenance | null, escape: Escape = AS_IS): string | null {
  if (!provenance) return null;
  const creator = escape(provenance.createdBy ?? 'an unknown identity');
  const hops = provenance.creatorChain;
  const last = hops[hops.length - 1];
  if (!last) {
    const key = provenance.createdByAccessKeyId;
    return key?.startsWith('ASIA') ? `${creator} used temporary key ${escape(key)}; the event that issued it is not in the archive` : null;
  }
  const origin = provenance.creatorOrigin;
  const instance = origin?.instanceId ?? null;
  const items = hops.map((hop) => `${escape(hop.label)} (${escape(hop.viaEventName)} ${escape(hop.via)})`);
  if (origin && origin.label !== last.label) {
    items.push(`origin ${escape(origin.label)}${instance && !origin.label.includes(instance) ? `, instance ${escape(instance)}` : ''}`);
  } else {
    const onInstance = instance && !last.label.includes(instance) ? `, instance ${escape(instance)}` : '';
    items[items.length - 1] = `${escape(last.label)} (origin${onInstance}; ${escape(last.viaEventName)} ${escape(last.via)})`;
  }
  return `${creator}, whose credentials came from: ${items.join(' → ')}`;
}

/** The console sign-in behind the origin's session. */
export function consoleLoginText(login: ConsoleLoginRef, escape: Escape = AS_IS): string {
  const from = login.sourceIPAddress ? ` from ${escape(login.sourceIPAddress)}` : '';
  return `ConsoleLogin ${escape(login.eventId)} at ${escape(login.eventTime)}${from}, MFA used: ${mfaText(login.mfaUsed)}`;
}

/** Identity Center's GetRoleCredentials behind a SAML origin. */
export function identityCenterText(ref: IdentityCenterRef, escape: Escape = AS_IS): string {
  const user = escape(ref.userName ?? ref.userId ?? 'an unknown user');
  const ids: string[] = [];
  if (ref.userName && ref.userId) ids.push(`user ID ${escape(ref.userId)}`);
  if (ref.identityStoreArn) ids.push(`identity store ${escape(ref.identityStoreArn)}`);
  const role = ref.roleName ? ` for role ${escape(ref.roleName)}` : '';
  const account = ref.accountId ? ` in account ${escape(ref.accountId)}` : '';
  return `user ${user}${ids.length > 0 ? ` (${ids.join(', ')})` : ''} got credentials${role}${account} (GetRoleCredentials ${escape(ref.eventId)} at ${escape(ref.eventTime)})`;
}

/** The Identity Center user the deleting call names (`onBehalfOf`). */
export function onBehalfOfText(ref: NonNullable<Actor['onBehalfOf']>, escape: Escape = AS_IS): string {
  return `user ID ${escape(ref.userId)}${ref.identityStoreArn ? ` in identity store ${escape(ref.identityStoreArn)}` : ''} (named by the deleting call itself)`;
}

/** One signal (a row of the signals section) as one line: severity, id, summary, evidence event IDs. */
export function signalText({ cells, eventIds }: SectionRow<SignalCells>, escape: Escape = AS_IS): string {
  const evidence = eventIds.length > 0 ? eventIds.map((eventId) => escape(eventId)).join(', ') : NONE;
  return `${cells.severity} ${escape(cells.id)}: ${escape(cells.summary)} (evidence: ${evidence})`;
}

/**
 * A recommended command as one line that is safe to show and to paste. Commands quote
 * record values (recommend.ts), but a newline inside a quoted value, or in a comment
 * command, would put part of a record value on a line of its own: such a command is
 * shown escaped behind a comment, never as something a shell would run.
 */
export function commandLine(command: string): string {
  const trimmed = command.trim();
  if (trimmed.startsWith('#')) return `# ${terminalSafe(trimmed.replace(/^#\s?/, ''))}`.trimEnd();
  const escaped = terminalSafe(command);
  return escaped === command ? command : `# SKIPPED, contains control characters (shown escaped): ${escaped}`;
}

export function runningLost(incident: Incident): number {
  return incident.affectedInstances.filter((instance) => instance.status === 'running-at-deletion').length;
}

export function stoppedAtDeletion(incident: Incident): number {
  return incident.affectedInstances.filter((instance) => instance.status === 'stopped-at-deletion').length;
}

const ADVICE: Record<Incident['assessment']['classification'], string> = {
  suspicious: 'Treat it as a security incident.',
  'likely-benign': 'Looks like routine automation; confirm with its owner.',
  service: 'An AWS service did this on its own; no action needed.',
};

/** One sentence: what happened, what it broke, and what to make of it (record values; caller escapes). */
export function verdictText(incident: Incident): string {
  const { classification, severity, impact } = incident.assessment;
  const who = actingLabel(incident.actor);
  const profile = incident.instanceProfile.name;
  const act =
    incident.outcome === 'deleted'
      ? `${who} deleted instance profile ${profile}`
      : `${who} tried to delete instance profile ${profile} and failed (${incident.errorCode ?? 'unknown error'})`;
  const effects: string[] = [];
  if (incident.outcome === 'deleted') {
    const running = runningLost(incident);
    effects.push(running > 0 ? `${running} running instance(s) lost their role` : 'no running instance in the archive used it');
    const stopped = stoppedAtDeletion(incident);
    if (stopped > 0) effects.push(`${stopped} stopped instance(s) will start without their role`);
    if (incident.failedLaunchesAfter.length > 0) effects.push(`${incident.failedLaunchesAfter.length} launch(es) failed afterwards`);
    if (incident.instanceProfile.recreated) effects.push(`it was re-created at ${incident.instanceProfile.recreated.eventTime}`);
  } else {
    effects.push('nothing was broken');
  }
  return `${classification.toUpperCase()} (${severity}, impact: ${impact}): ${act}; ${effects.join('; ')}. ${ADVICE[classification]}`;
}

export function outcomeText(incident: Incident): string {
  return incident.outcome === 'deleted' ? 'deleted' : `delete attempt failed: ${incident.errorCode ?? 'unknown error'}`;
}

export function mfaText(value: boolean | null): string {
  return value === null ? 'unknown' : value ? 'yes' : 'no';
}

/** What every renderer of one incident shows, built once. */
export interface IncidentView {
  /** One sentence: what happened, what it broke, and what to make of it. */
  verdict: string;
  outcome: string;
  /** Who made the DeleteInstanceProfile call, as the record names it. */
  acting: string;
  /** Whether the acting session was MFA-authenticated: yes, no or unknown. */
  mfa: string;
  /** Origin first, the acting session last. */
  chain: ChainStep[];
  /** Where the origin's long-term key came from, as one sentence. */
  keyProvenance: string;
  runningLost: number;
  stoppedAtDeletion: number;
  /** The incident's tables: rows, order and cell values, before any format lays them out. */
  sections: IncidentSections;
}

export function incidentView(incident: Incident): IncidentView {
  const { actor } = incident;
  return {
    verdict: verdictText(incident),
    outcome: outcomeText(incident),
    acting: actingLabel(actor),
    mfa: mfaText(actor.mfaAuthenticated),
    chain: chainSteps(actor),
    keyProvenance: keyProvenanceText(actor),
    runningLost: runningLost(incident),
    stoppedAtDeletion: stoppedAtDeletion(incident),
    sections: incidentSections(incident),
  };
}
