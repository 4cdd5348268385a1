/**
 * Resources of other services that keep the deleted profile by name or ARN and launch
 * instances with it later (an AWS Batch compute environment, an EC2 Image Builder
 * infrastructure configuration, an EMR cluster, an Elastic Beanstalk environment or saved
 * configuration, a Spot request or fleet): found before the deletion, still alive at it,
 * failures after it. Spot Fleets and EC2 Fleets may name no profile themselves and launch
 * from a launch template that does: those depend through the template.
 *
 * Each resource's story is replayed from its own calls in causal order, as ec2-impact.ts does
 * for instances: a call that sets this profile binds it; one that sets another profile moves it
 * away (it no longer depends); its delete ends it before the deletion. Only the deletion's
 * account counts: a same-named profile elsewhere is another profile. The catalog says which
 * calls do what (`dependent` in event-catalog.ts).
 */
import { detailsOf } from '../parse/event-row.js';
import type { Evidence, StoredEvent } from './evidence.js';
import { ALL_TIME, byTimeThenId, shiftTime } from './evidence.js';
import { DEPENDENT_KINDS, type DependentKind, type DependentRole, eventKindOf, eventNamesWhere } from './event-catalog.js';
import type { DependentFailure, DependentResource, LaunchTemplateRef } from './incident.js';
import { accountOf, namesProfile, PROFILE_FAILURE } from './profile.js';
import { causalOrder } from './timeline.js';

const callsOf = (kind: DependentKind, role?: DependentRole): string[] =>
  eventNamesWhere((entry) => entry.dependent?.kind === kind && (role === undefined || entry.dependent.role === role));

/** Kinds whose resources can launch from a launch template instead of naming the profile. */
const THROUGH_TEMPLATES: readonly DependentKind[] = ['spot-fleet-request', 'ec2-fleet'];

/** The kind of resource a record acts on, when it comes from that resource's service. */
function dependentCall(event: StoredEvent): { kind: DependentKind; role: DependentRole } | null {
  return eventKindOf(event)?.dependent ?? null;
}

/** Every identifier a call names: the resource's name and ARN, the several it names, or its ID beside its name. */
function identifiersOf(event: StoredEvent): string[] {
  const details = detailsOf(event);
  return [details.resourceName, details.resourceArn, ...(details.resourceNames ?? [])].filter((value): value is string => !!value);
}

/**
 * The resources a binding call makes: one, named by its name or ARN, else each of the several
 * IDs it returns (a RequestSpotInstances for three instances makes three requests).
 */
function resourcesMadeBy(event: StoredEvent): string[][] {
  const details = detailsOf(event);
  if (dependentCall(event)?.kind === 'spot-instance-request' && details.resourceNames) return details.resourceNames.map((id) => [id]);
  const identifiers = identifiersOf(event);
  return identifiers.length > 0 ? [identifiers] : [];
}

interface Candidate {
  kind: DependentKind;
  region: string | null;
  keys: Set<string>;
  since: string;
}

export async function dependentResources(
  deletion: StoredEvent,
  profileEvents: StoredEvent[],
  evidence: Evidence,
  afterUntil: string,
  recreatedAt: string | null = null,
  launchTemplates: readonly LaunchTemplateRef[] = [],
): Promise<DependentResource[]> {
  const name = deletion.instance_profile_name ?? '';
  const accountId = accountOf(deletion);
  const inAccount = (event: StoredEvent): boolean => accountOf(event) === accountId;
  // A fleet launches from one of the templates that still named the profile at the deletion.
  const templateOf = (event: StoredEvent): string | null => {
    const named = detailsOf(event).launchTemplates ?? [];
    const template = launchTemplates.find(
      (candidate) => candidate.region === event.aws_region && named.some((ref) => ref === candidate.launchTemplateId || (candidate.name !== null && ref === candidate.name)),
    );
    return template ? (template.launchTemplateId ?? template.name) : null;
  };
  const inLaunchProfiles = (event: StoredEvent): boolean => inAccount(event) && (detailsOf(event).launchProfiles?.includes(name) ?? false);
  const binds = (event: StoredEvent): boolean => namesProfile(event, name, accountId) || inLaunchProfiles(event) || templateOf(event) !== null;

  // Calls that name the profile through a template, or beside others, are not found by the
  // profile column: their binding calls are scanned by name, once each.
  const scannedKinds = new Set<DependentKind>((Object.keys(DEPENDENT_KINDS) as DependentKind[]).filter((kind) => DEPENDENT_KINDS[kind].severalProfiles));
  if (launchTemplates.length > 0) for (const kind of THROUGH_TEMPLATES) scannedKinds.add(kind);
  const scanned = (await eventsNamed(evidence, [...scannedKinds].flatMap((kind) => callsOf(kind, 'binds')), ALL_TIME.since, deletion.event_time)).filter(
    (event) => inLaunchProfiles(event) || templateOf(event) !== null,
  );
  const bound = new Map<string, Candidate>();
  for (const event of [...profileEvents, ...scanned]) {
    const call = dependentCall(event);
    if (call?.role !== 'binds' || event.error_code || event.event_time > deletion.event_time || !inAccount(event) || detailsOf(event).oneShot) continue;
    for (const identifiers of resourcesMadeBy(event)) {
      const id = `${call.kind} ${event.aws_region ?? ''} ${identifiers[0]}`;
      const known = bound.get(id) ?? { kind: call.kind, region: event.aws_region, keys: new Set<string>(), since: event.event_time };
      for (const identifier of identifiers) known.keys.add(identifier);
      if (event.event_time < known.since) known.since = event.event_time;
      bound.set(id, known);
    }
  }
  const until = recreatedAt !== null && recreatedAt < afterUntil ? recreatedAt : afterUntil;
  // Each kind's calls are read once, from its earliest binding on; each resource keeps its own.
  const earliest = new Map<DependentKind, string>();
  for (const { kind, since } of bound.values()) {
    const known = earliest.get(kind);
    if (known === undefined || since < known) earliest.set(kind, since);
  }
  const callsOfKind = new Map(await Promise.all([...earliest].map(async ([kind, since]) => [kind, await eventsNamed(evidence, callsOf(kind), since, until)] as const)));
  const resources: DependentResource[] = [];
  for (const candidate of bound.values()) {
    // Every call on this resource from its first binding on: binds, moves, ends, uses.
    const sameResource = (event: StoredEvent): boolean =>
      event.event_time >= candidate.since &&
      dependentCall(event)?.kind === candidate.kind &&
      event.aws_region === candidate.region &&
      inAccount(event) &&
      identifiersOf(event).some((identifier) => candidate.keys.has(identifier));
    const history = (callsOfKind.get(candidate.kind) ?? []).filter(sameResource);
    const replayed = replay(history.filter((event) => event.event_time <= deletion.event_time && !event.error_code), binds, candidate.keys);
    if (!replayed) continue;
    const status = replayed.status === 'alive-at-deletion' && expiredBy(candidate.kind, replayed.binding, deletion.event_time) ? 'removed-before-deletion' : replayed.status;
    const failuresAfter: DependentFailure[] = status === 'alive-at-deletion' ? failedForTheProfile(history, deletion, name, binds) : [];
    resources.push({
      service: DEPENDENT_KINDS[candidate.kind].service,
      resourceType: candidate.kind,
      resourceId: replayed.resourceId,
      accountId,
      region: candidate.region,
      eventId: replayed.binding.event_id,
      viaLaunchTemplate: namesProfile(replayed.binding, name, accountId) || inLaunchProfiles(replayed.binding) ? null : templateOf(replayed.binding),
      status,
      failuresAfter,
    });
  }
  const order = (resource: DependentResource): string => `${resource.service} ${resource.resourceType} ${resource.region ?? ''} ${resource.resourceId}`;
  return resources.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

/** Gone by the deletion without a record of it: the request expired (`validUntil`, or the kind's default lifetime), or AWS retired the service. */
function expiredBy(kind: DependentKind, binding: StoredEvent, deletionTime: string): boolean {
  const facts = DEPENDENT_KINDS[kind];
  if (facts.retiredAt !== undefined && facts.retiredAt <= deletionTime) return true;
  const validUntil = detailsOf(binding).validUntil ?? (facts.defaultLifetimeDays !== undefined ? shiftTime(binding.event_time, facts.defaultLifetimeDays * 86_400_000) : null);
  return validUntil !== null && validUntil <= deletionTime;
}

/**
 * The resource's calls after the deletion that failed for the profile: those that need the
 * resource or set the profile on it (never its own delete, never a move to another profile),
 * refused with a message about the instance profile or naming it, until the resource is deleted.
 */
function failedForTheProfile(history: StoredEvent[], deletion: StoredEvent, name: string, binds: (event: StoredEvent) => boolean): DependentFailure[] {
  const after = causalOrder(history.filter((event) => event.event_time > deletion.event_time));
  const failures: DependentFailure[] = [];
  for (const event of after) {
    const role = dependentCall(event)?.role;
    if (role === 'ends' && !event.error_code) break;
    if (!event.error_code || role === 'ends') continue;
    const namesAnother = (event.instance_profile_name !== null || event.instance_profile_arn !== null) && !binds(event);
    const message = event.error_message ?? '';
    if (namesAnother || !(PROFILE_FAILURE.test(message) || (name !== '' && message.includes(name)))) continue;
    failures.push({ eventId: event.event_id, eventTime: event.event_time, eventName: event.event_name ?? 'unknown', errorCode: event.error_code });
  }
  return failures.sort(byTimeThenId);
}

/** The binding that held the profile at the deletion, and whether the resource still existed; null when it moved to another profile. */
function replay(
  history: StoredEvent[],
  binds: (event: StoredEvent) => boolean,
  keys: ReadonlySet<string>,
): { binding: StoredEvent; status: DependentResource['status']; resourceId: string } | null {
  let binding: StoredEvent | null = null;
  let ended = false;
  let resourceId: string | null = null;
  for (const event of causalOrder(history)) {
    const role = dependentCall(event)?.role;
    resourceId = detailsOf(event).resourceArn ?? resourceId;
    if (role === 'binds') {
      const namesAny = event.instance_profile_name !== null || event.instance_profile_arn !== null;
      if (binds(event)) {
        // A re-created resource of the same name starts a new dependency; an update keeps the first.
        if (!binding || ended) binding = event;
        ended = false;
      } else if (namesAny) {
        binding = null;
      }
    } else if (role === 'ends' && binding) {
      ended = true;
    }
  }
  if (!binding) return null;
  // The identifier the resource is known by: its ARN, else its name, else the ID this candidate was made for.
  const own = detailsOf(binding).resourceName;
  const fallback = own && keys.has(own) ? own : [...keys][0];
  return { binding, status: ended ? 'removed-before-deletion' : 'alive-at-deletion', resourceId: resourceId ?? fallback ?? '?' };
}

/** The events of each name in [from, to], name after name as listed. */
async function eventsNamed(evidence: Evidence, eventNames: readonly string[], from: string, to: string): Promise<StoredEvent[]> {
  return (await Promise.all(eventNames.map((eventName) => evidence.byEventName(eventName, from, to)))).flat();
}
