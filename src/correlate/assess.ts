/**
 * Was this deletion an AWS service doing its job, infrastructure-as-code doing what it
 * always does, or something a responder must look at? Reasons are written for a human.
 */
import { identityName } from './actor.js';
import type { Evidence, StoredEvent } from './evidence.js';
import type { Actor, AffectedInstance, Assessment, CredentialChange, FailedLaunch, Severity } from './incident.js';

const IAC_USER_AGENT = /terraform|cloudformation|aws-cdk|cdk\/|pulumi|crossplane|aws-sam/i;
const SERVICE_LINKED_ROLE = /:role\/aws-service-role\/|:assumed-role\/AWSServiceRoleFor|:role\/AWSServiceRoleFor/;

export function isServiceActor(actor: Actor): boolean {
  return (
    actor.type === 'AWSService' ||
    actor.invokedBy !== null ||
    SERVICE_LINKED_ROLE.test(actor.arn ?? '') ||
    SERVICE_LINKED_ROLE.test(actor.sessionIssuerArn ?? '')
  );
}

function looksLikeIp(value: string | null): value is string {
  return value !== null && (/^\d{1,3}(\.\d{1,3}){3}$/.test(value) || value.includes(':'));
}

export interface AssessmentInput {
  deletion: StoredEvent;
  actor: Actor;
  credentialChanges: CredentialChange[];
  affectedInstances: AffectedInstance[];
  failedLaunchesAfter: FailedLaunch[];
  /** Earliest event of the incident: IPs are "new" if not used by the identity before it. */
  incidentStart: string;
  lookbackStart: string;
}

export function assess(input: AssessmentInput, evidence: Evidence): Assessment {
  const { deletion, actor } = input;
  const reasons: string[] = [];
  const outcome = deletion.error_code ? `attempt failed (${deletion.error_code})` : 'profile deleted';

  if (isServiceActor(actor)) {
    reasons.push(`an AWS service acted: ${actor.invokedBy ?? actor.sessionIssuerArn ?? actor.arn ?? actor.type}`);
    return { classification: 'service', severity: 'info', reasons };
  }

  // New source IPs, checked for the actor and every hop, against their own history.
  const newIps: string[] = [];
  // Web and SAML identities are skipped: their calls come from the IdP's or CI runner's
  // ever-changing addresses, so novelty says nothing there.
  const identities = [
    { arn: actor.arn, sessionIssuerArn: actor.sessionIssuerArn, ip: actor.sourceIPAddress, before: input.incidentStart },
    ...actor.chain
      .filter((hop) => hop.type !== 'WebIdentityUser' && hop.type !== 'SAMLUser')
      .map((hop) => ({ arn: hop.arn, sessionIssuerArn: null, ip: hop.sourceIPAddress, before: input.incidentStart })),
  ];
  const creator = actor.keyProvenance;
  if (creator?.createdBy) {
    identities.push({ arn: creator.createdBy, sessionIssuerArn: null, ip: creator.sourceIPAddress, before: creator.eventTime });
  }
  for (const identity of identities) {
    if (!looksLikeIp(identity.ip)) continue;
    if (!evidence.seenFromIp(identity, identity.ip, identity.before)) {
      newIps.push(`${identity.ip} (${identity.arn ?? 'unknown identity'})`);
    }
  }
  if (newIps.length > 0) reasons.push(`source IP never seen before for that identity in the database: ${[...new Set(newIps)].join(', ')}`);

  const mfaRemoved = input.credentialChanges.filter((change) => change.eventName === 'DeactivateMFADevice' || change.eventName === 'DeleteVirtualMFADevice');
  // MFA is a question for people: a role assumed by CI through web identity cannot carry it.
  const humanOrigin = actor.origin.type === 'IAMUser' || actor.origin.type === 'Root';
  if (actor.mfaAuthenticated === false && humanOrigin) reasons.push('the acting session was not MFA-authenticated');
  if (mfaRemoved.length > 0) reasons.push(`MFA was deactivated shortly before (${mfaRemoved.map((change) => change.eventId).join(', ')})`);

  const provenance = actor.keyProvenance;
  const takeover =
    provenance !== null &&
    provenance.createdBy !== null &&
    provenance.createdBy !== actor.origin.arn &&
    provenance.eventTime >= input.lookbackStart;
  if (takeover) {
    reasons.push(`the origin's key ${provenance.accessKeyId} was created by another principal (${provenance.createdBy}) at ${provenance.eventTime}, shortly before`);
  }

  const accounts = new Set([deletion.recipient_account_id, ...actor.chain.map((hop) => hop.accountId)].filter((value): value is string => !!value));
  if (accounts.size > 1) reasons.push(`the actor chain crosses accounts: ${[...accounts].sort().join(' → ')}`);

  const running = input.affectedInstances.filter((instance) => instance.status === 'running-at-deletion');
  if (!deletion.error_code && running.length > 0) reasons.push(`${running.length} running instance(s) lost their role: ${running.map((instance) => instance.instanceId).join(', ')}`);
  if (input.failedLaunchesAfter.length > 0) reasons.push(`${input.failedLaunchesAfter.length} launch(es) failed afterwards for lack of the profile`);

  const seriousChanges = input.credentialChanges.filter((change) => change.severity === 'critical' || change.severity === 'high');
  const iac = IAC_USER_AGENT.test(actor.userAgent ?? '');
  const benign = iac && newIps.length === 0 && running.length === 0 && seriousChanges.length === 0 && !takeover && mfaRemoved.length === 0;
  if (benign) {
    reasons.unshift(`infrastructure-as-code user agent from the identity's usual places: ${actor.userAgent}`);
    return { classification: 'likely-benign', severity: 'low', reasons };
  }
  if (iac) reasons.push(`the user agent claims infrastructure-as-code (${actor.userAgent}), but the evidence above does not fit a routine run`);
  if (seriousChanges.length > 0) reasons.push(`${seriousChanges.length} high-risk credential change(s) before the deletion`);
  if (reasons.length === 0) reasons.push(`a human identity (${identityName(deletion) ?? 'unknown'}) deleted it outside infrastructure-as-code; nothing else stands out`);

  let severity: Severity = 'medium';
  if (takeover || running.length > 0 || newIps.length > 0 || seriousChanges.length > 0) severity = 'high';
  if (!deletion.error_code && (takeover || seriousChanges.length > 0) && (running.length > 0 || input.failedLaunchesAfter.length > 0 || newIps.length > 0)) {
    severity = 'critical';
  }
  reasons.unshift(outcome);
  return { classification: 'suspicious', severity, reasons };
}
