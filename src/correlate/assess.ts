/**
 * Was this deletion an AWS service doing its job, infrastructure-as-code or a lab tearing
 * down what it built, or something a responder must look at? Two questions are kept
 * apart: who acted (the signals) and what the deletion broke (the impact). Reasons are
 * written for a human.
 */
import { identityName } from './actor.js';
import type { StoredEvent } from './evidence.js';
import { dependentResourceWords, IAC_USER_AGENT } from './event-catalog.js';
import type { Ec2Impact } from './ec2-impact.js';
import type { Actor, Assessment, CredentialChange, DependentResource, ImpactLevel, Severity, Signal } from './incident.js';

const SERVICE_LINKED_ROLE = /:role\/aws-service-role\/|:assumed-role\/AWSServiceRoleFor|:role\/AWSServiceRoleFor/;
const SEVERITY_ORDER: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

export function isServiceActor(actor: Actor): boolean {
  return (
    actor.type === 'AWSService' ||
    actor.invokedBy !== null ||
    SERVICE_LINKED_ROLE.test(actor.arn ?? '') ||
    SERVICE_LINKED_ROLE.test(actor.sessionIssuerArn ?? '')
  );
}

/**
 * `broken` when something running, stopped or launching lost the profile, or a dependent
 * resource failed after the deletion; `potential` when only templates, configurations or
 * dependent resources still alive name it.
 */
export function impactLevel(deleted: boolean, impact: Ec2Impact, dependents: DependentResource[] = []): ImpactLevel {
  if (!deleted) return 'none';
  const held = impact.affectedInstances.some((instance) => instance.status !== 'terminated-before-deletion');
  if (held || impact.failedLaunchesAfter.length > 0 || dependents.some((resource) => resource.failuresAfter.length > 0)) return 'broken';
  if (impact.launchTemplates.length > 0 || impact.launchConfigurations.length > 0) return 'potential';
  if (dependents.some((resource) => resource.status === 'alive-at-deletion')) return 'potential';
  return 'none';
}

export interface AssessmentInput {
  deletion: StoredEvent;
  actor: Actor;
  credentialChanges: CredentialChange[];
  impact: Ec2Impact;
  /** Resources of other services that keep the profile (dependent-impact.ts). */
  dependents: DependentResource[];
  signals: Signal[];
  /** CreateInstanceProfile of this profile, when the lifecycle in the window shows one. */
  creation: StoredEvent | null;
  /** Whether the creation of the origin's key looks like part of the attack. */
  creatorCompromised: boolean;
}

export function assess(input: AssessmentInput): Assessment {
  const { deletion, actor, signals } = input;
  const deleted = !deletion.error_code;
  const impact = impactLevel(deleted, input.impact, input.dependents);
  const reasons: string[] = [];
  const outcome = deleted ? 'profile deleted' : `attempt failed (${deletion.error_code})`;
  const done = (classification: Assessment['classification'], severity: Severity): Assessment => ({ classification, severity, reasons, impact, signals });

  if (isServiceActor(actor)) {
    reasons.push(`an AWS service acted: ${actor.invokedBy ?? actor.sessionIssuerArn ?? actor.arn ?? actor.type}`);
    return done('service', 'info');
  }

  const signalReasons = signals.map((signal) => signal.summary);
  const running = input.impact.affectedInstances.filter((instance) => instance.status === 'running-at-deletion');
  const stopped = input.impact.affectedInstances.filter((instance) => instance.status === 'stopped-at-deletion');
  const impactReasons: string[] = [];
  if (deleted && running.length > 0) impactReasons.push(`${running.length} running instance(s) lost their role: ${running.map((instance) => instance.instanceId).join(', ')}`);
  if (deleted && stopped.length > 0) impactReasons.push(`${stopped.length} stopped instance(s) hold the broken association and fail when started: ${stopped.map((instance) => instance.instanceId).join(', ')}`);
  if (input.impact.failedLaunchesAfter.length > 0) impactReasons.push(`${input.impact.failedLaunchesAfter.length} launch(es) failed afterwards for lack of the profile`);
  const alive = input.dependents.filter((resource) => resource.status === 'alive-at-deletion');
  const failing = alive.filter((resource) => resource.failuresAfter.length > 0);
  if (deleted && failing.length > 0) impactReasons.push(`${failing.length} resource(s) of other services failed afterwards for lack of the profile: ${failing.map(dependentName).join(', ')}`);
  if (impact === 'potential' && (input.impact.launchTemplates.length > 0 || input.impact.launchConfigurations.length > 0)) impactReasons.push('launch templates or configurations still name it: the next launch from them fails');
  if (deleted && alive.length > failing.length) {
    impactReasons.push(`${alive.length - failing.length} resource(s) of other services still name it: their next launch fails: ${alive.filter((resource) => resource.failuresAfter.length === 0).map(dependentName).join(', ')}`);
  }
  if (deleted && impact === 'none') impactReasons.push('nothing running, stopped or launching held it, and no template or configuration names it');

  const takeover =
    input.creatorCompromised && actor.keyProvenance !== null && actor.keyProvenance.createdBy !== null && actor.keyProvenance.createdBy !== actor.origin.arn;
  if (takeover) {
    const provenance = actor.keyProvenance!;
    reasons.push(`the origin's key ${provenance.accessKeyId} was created by another principal (${provenance.createdBy}) at ${provenance.eventTime}, shortly before`);
  }
  // In the chain's own order, from the origin to the account where the deletion happened.
  const accounts = new Set([...actor.chain.map((hop) => hop.accountId).reverse(), deletion.recipient_account_id].filter((value): value is string => !!value));
  if (accounts.size > 1) reasons.push(`the actor chain crosses accounts: ${[...accounts].join(' → ')}`);
  const humanOrigin = actor.origin.type === 'IAMUser' || actor.origin.type === 'Root';
  if (actor.mfaAuthenticated === false && humanOrigin) reasons.push('the acting session was not MFA-authenticated');

  // A lab or pipeline that created the profile and removed it again from the same place,
  // with nothing depending on it, is not an incident to restore, whatever its tooling.
  const lifecycle = createdHereByTheSame(input.creation, deletion, actor);
  if (deleted && impact === 'none' && lifecycle) {
    reasons.unshift(lifecycle);
    reasons.push(...impactReasons);
    if (signals.length > 0) reasons.push(`the identity still shows signals worth a look: ${signals.map((signal) => signal.id).join(', ')}`);
    return done('likely-benign', 'low');
  }

  const seriousChanges = input.credentialChanges.filter((change) => change.severity === 'critical' || change.severity === 'high');
  const iac = IAC_USER_AGENT.test(actor.userAgent ?? '');
  if (iac && signals.length === 0 && impact !== 'broken' && seriousChanges.length === 0 && !takeover) {
    reasons.unshift(`infrastructure-as-code user agent from the identity's usual places: ${actor.userAgent}`);
    reasons.push(...impactReasons);
    return done('likely-benign', 'low');
  }

  reasons.push(...signalReasons, ...impactReasons);
  if (iac) reasons.push(`the user agent claims infrastructure-as-code (${actor.userAgent}), but the evidence above does not fit a routine run`);
  if (seriousChanges.length > 0) reasons.push(`${seriousChanges.length} high-risk credential change(s) before the deletion`);
  if (reasons.length === impactReasons.length) {
    // Not "a human": a workload's web identity, an instance role or a bot's key act the same way.
    const acting = identityName(deletion) ?? 'an unknown identity';
    const origin = actor.origin.label !== acting && actor.origin.arn !== acting ? ` (origin: ${actor.origin.label})` : '';
    reasons.unshift(`${acting}${origin} deleted it outside infrastructure-as-code; nothing else stands out`);
  }

  const strongSignal = signals.some((signal) => signal.severity === 'high' || signal.severity === 'critical');
  const newIp = signals.some((signal) => signal.id === 'new-source-ip');
  let severity: Severity = 'medium';
  if (takeover || impact === 'broken' || strongSignal || newIp || seriousChanges.length > 0) severity = 'high';
  if (deleted && (takeover || seriousChanges.length > 0 || strongSignal) && (impact === 'broken' || newIp)) severity = 'critical';
  if (!deleted && severity === 'critical') severity = 'high';
  reasons.unshift(outcome);
  return done('suspicious', severity);
}

/** The create-then-delete lifecycle by one identity from one place, in words, or null. */
function createdHereByTheSame(creation: StoredEvent | null, deletion: StoredEvent, actor: Actor): string | null {
  if (!creation) return null;
  const sameIdentity =
    (creation.identity_arn !== null && creation.identity_arn === deletion.identity_arn) ||
    (creation.session_issuer_arn !== null && creation.session_issuer_arn === deletion.session_issuer_arn) ||
    (creation.access_key_id !== null && creation.access_key_id === deletion.access_key_id);
  if (!sameIdentity || creation.source_ip !== deletion.source_ip) return null;
  const minutes = Math.round((Date.parse(deletion.event_time) - Date.parse(creation.event_time)) / 60_000);
  return `${identityName(deletion) ?? actor.origin.label} created this profile ${minutes} minute(s) earlier (${creation.event_id}) from the same address (${deletion.source_ip ?? 'unknown'}) and deleted it again`;
}

function dependentName(resource: DependentResource): string {
  const via = resource.viaLaunchTemplate === null ? '' : ` via launch template ${resource.viaLaunchTemplate}`;
  return `${dependentResourceWords(resource.resourceType)} ${resource.resourceId} (${resource.region ?? 'unknown region'})${via}`;
}

export function maxSeverity(severities: Severity[]): Severity {
  return severities.reduce<Severity>((worst, next) => (SEVERITY_ORDER.indexOf(next) > SEVERITY_ORDER.indexOf(worst) ? next : worst), 'info');
}
