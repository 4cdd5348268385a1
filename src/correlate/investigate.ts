/**
 * One incident per DeleteInstanceProfile record, successful or not: actor and chain →
 * instance credentials and the key creator → credential changes → the profile → EC2
 * impact → signals → assessment → timeline → remediation.
 */
import { detailsOf } from '../parse/event-row.js';
import { buildActor } from './actor.js';
import { assess } from './assess.js';
import { credentialChanges } from './credentials.js';
import { dependentResources } from './dependent-impact.js';
import { ec2Impact, NO_EC2_IMPACT } from './ec2-impact.js';
import { ALL_TIME, type Evidence, shiftTime, type StoredEvent } from './evidence.js';
import { DEFAULT_WINDOW, type Incident, type InvestigationWindow } from './incident.js';
import { accountOf, eventsOfProfile, PROFILE_LIFECYCLE_EVENTS, profileFacts } from './profile.js';
import { recommend } from './recommend.js';
import { detectSignals, instanceCredentialUse, judgeCreator } from './signals.js';
import { buildTimeline } from './timeline.js';
import { incidentEvidence } from './custody-evidence.js';

export interface IncidentSelection {
  eventId?: string | undefined;
  profile?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
}

export async function selectDeletions(evidence: Evidence, selection: IncidentSelection): Promise<StoredEvent[]> {
  const deletions = await evidence.deletions(selection.since ?? ALL_TIME.since, selection.until ?? ALL_TIME.until);
  return deletions.filter(
    (event) =>
      (!selection.eventId || event.event_id === selection.eventId) &&
      (!selection.profile || event.instance_profile_name === selection.profile),
  );
}

export async function investigate(evidence: Evidence, selection: IncidentSelection, window: InvestigationWindow = DEFAULT_WINDOW): Promise<Incident[]> {
  const incidents: Incident[] = [];
  // One deletion after another: the engine gets the same questions in the same order as before.
  for (const deletion of await selectDeletions(evidence, selection)) incidents.push(await investigateDeletion(deletion, evidence, window));
  return incidents;
}

export async function investigateDeletion(deletion: StoredEvent, evidence: Evidence, window: InvestigationWindow = DEFAULT_WINDOW): Promise<Incident> {
  const lookbackStart = shiftTime(deletion.event_time, -window.lookbackMs);
  const afterUntil = shiftTime(deletion.event_time, window.afterMs);
  const accountId = accountOf(deletion);
  const actor = await buildActor(deletion, evidence);
  const instanceUse = await instanceCredentialUse(actor, evidence, lookbackStart, deletion.event_time);
  const creator = await judgeCreator(actor, evidence, lookbackStart, instanceUse, deletion.event_time);
  const changes = await credentialChanges(actor, deletion, evidence, lookbackStart, { creatorCompromised: creator.compromised });
  // Where the incident begins: the chain's first key, or the first change that matters.
  const hopEvents = await evidence.eventsByIds(actor.chain.map((hop) => hop.via));
  const chainTimes = actor.chain.map((hop) => hopEvents.get(hop.via)?.event_time ?? deletion.event_time);
  // Only high-risk changes pull the start back: a user's own routine (enrolling MFA, signing in) is not the incident.
  const seriousTimes = changes.filter((change) => change.severity === 'high' || change.severity === 'critical').map((change) => change.eventTime);
  const incidentStart = [deletion.event_time, ...chainTimes, ...seriousTimes].sort()[0]!;

  const name = deletion.instance_profile_name;
  const profileEvents = name ? eventsOfProfile(await evidence.byProfileName(name), name, accountId) : [];
  const lifecycle = profileEvents.filter((event) => PROFILE_LIFECYCLE_EVENTS.has(event.event_name ?? ''));
  const { facts, history } = profileFacts(deletion, lifecycle, profileEvents, lookbackStart < incidentStart ? lookbackStart : incidentStart);
  const deleted = !deletion.error_code;
  // A failed attempt broke nothing: impact is only computed for real deletions.
  const impact = deleted ? await ec2Impact(deletion, profileEvents, evidence, afterUntil, facts.recreated?.eventTime ?? null) : NO_EC2_IMPACT;
  const dependents = deleted ? await dependentResources(deletion, profileEvents, evidence, afterUntil, facts.recreated?.eventTime ?? null, impact.launchTemplates) : [];
  const signals = await detectSignals(
    { deletion, actor, credentialChanges: changes, instanceProfile: facts, lifecycle, instanceUse, incidentStart, lookbackStart },
    evidence,
  );
  // The creation this deletion undoes: the latest successful one before it, within the window.
  const creation =
    lifecycle.filter((event) => event.event_name === 'CreateInstanceProfile' && !event.error_code && event.event_time <= deletion.event_time && event.event_time >= lookbackStart).at(-1) ??
    null;
  const assessment = assess({ deletion, actor, credentialChanges: changes, impact, dependents, signals, creation, creatorCompromised: creator.compromised });

  const timelineEvents: StoredEvent[] = [deletion];
  const eventIds = new Set<string>([
    ...changes.map((change) => change.eventId),
    ...history.map((entry) => entry.eventId),
    ...impact.affectedInstances.flatMap((instance) => [instance.launchEventId, instance.statusEventId ?? '', instance.reboundAfter?.eventId ?? '']),
    ...impact.launchTemplates.map((template) => template.eventId),
    ...impact.launchConfigurations.map((configuration) => configuration.eventId),
    ...impact.failedLaunchesAfter.map((launch) => launch.eventId),
    ...dependents.flatMap((resource) => [resource.eventId, ...resource.failuresAfter.map((failure) => failure.eventId)]),
    ...signals.flatMap((signal) => signal.evidence),
  ]);
  eventIds.delete('');
  const known = new Map(profileEvents.map((event) => [event.event_id, event]));
  // One ask for every event the incident names; the created keys and tampering below are among them.
  const named = await evidence.eventsByIds([...eventIds]);
  for (const eventId of eventIds) {
    const event = known.get(eventId) ?? named.get(eventId);
    if (event) timelineEvents.push(event);
  }

  const createdKeys = changes
    .filter((change) => change.eventName === 'CreateAccessKey' && !change.errorCode && change.severity !== 'info')
    .flatMap((change) => {
      const event = named.get(change.eventId);
      const key = event?.issued_access_key_id;
      // The root user's CreateAccessKey names no user: the key is its own, whatever the response calls it.
      const root = event?.identity_type === 'Root' && !event.target_user_name;
      const userName = root ? 'root' : ((event ? detailsOf(event).issuedKeyOwner : undefined) ?? change.target);
      return key && userName ? [{ accessKeyId: key, userName, accountId: event ? accountOf(event) : null, eventId: change.eventId, ...(root ? { root: true as const } : {}) }] : [];
    });

  const incident: Incident = {
    id: deletion.event_id,
    eventTime: deletion.event_time,
    accountId,
    region: deletion.aws_region,
    outcome: deleted ? 'deleted' : 'failed',
    errorCode: deletion.error_code,
    errorMessage: deletion.error_message,
    instanceProfile: facts,
    actor,
    assessment,
    credentialChanges: changes,
    profileHistory: history,
    ...impact,
    dependentResources: dependents,
    timeline: buildTimeline(timelineEvents),
    recommendations: [],
    evidence: incidentEvidence((await evidence.custody?.()) ?? null, placesOf(timelineEvents), lookbackStart, afterUntil),
  };
  const trailTampering = (signals.find((signal) => signal.id === 'logging-tampered')?.evidence ?? []).flatMap((eventId) => {
    const event = named.get(eventId);
    return event ? [{ eventId, eventName: event.event_name ?? 'unknown', trailName: detailsOf(event).trailName ?? null, region: event.aws_region, accountId: accountOf(event) }] : [];
  });
  incident.recommendations = recommend({ incident, assessment, createdKeys, deletionEventId: deletion.event_id, creatorCompromised: creator.compromised, trailTampering });
  return incident;
}

/** The account/region folders the incident's events were delivered to (IAM's are us-east-1 whatever the caller). */
function placesOf(events: readonly StoredEvent[]): Array<{ accountId: string; region: string }> {
  const seen = new Map<string, { accountId: string; region: string }>();
  for (const event of events) {
    const accountId = accountOf(event);
    if (!accountId || !event.aws_region) continue;
    seen.set(`${accountId}/${event.aws_region}`, { accountId, region: event.aws_region });
  }
  return [...seen.values()].sort((a, b) => `${a.accountId}/${a.region}`.localeCompare(`${b.accountId}/${b.region}`));
}
