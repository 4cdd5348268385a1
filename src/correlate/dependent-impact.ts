/**
 * Resources of other services that keep the deleted profile by name or ARN and launch
 * instances with it later (an AWS Batch compute environment, an EC2 Image Builder
 * infrastructure configuration): found before the deletion, still alive at it, failures after it.
 *
 * Each resource's story is replayed from its own calls in causal order, as ec2-impact.ts does
 * for instances: a call that sets this profile binds it; one that sets another profile moves it
 * away (it no longer depends); its delete ends it before the deletion. Only the deletion's
 * account counts: a same-named profile elsewhere is another profile. The catalog says which
 * calls do what (`dependent` in event-catalog.ts).
 */
import { detailsOf } from '../parse/event-row.js';
import type { Evidence, StoredEvent } from './evidence.js';
import { byTimeThenId } from './evidence.js';
import { DEPENDENT_SERVICES, type DependentService, eventKind, eventNamesWhere } from './event-catalog.js';
import type { DependentFailure, DependentResource } from './incident.js';
import { accountOf, namesProfile } from './profile.js';
import { causalOrder } from './timeline.js';

const callsOf = (service: DependentService, role?: 'binds' | 'ends' | 'uses'): string[] =>
  eventNamesWhere((kind) => kind.dependent?.service === service && (role === undefined || kind.dependent.role === role));

/** The service whose resource a record names, when it comes from that service. */
function dependentCall(event: StoredEvent): { service: DependentService; role: 'binds' | 'ends' | 'uses' } | null {
  const dependent = eventKind(event.event_name)?.dependent;
  return dependent && DEPENDENT_SERVICES[dependent.service].source === event.event_source ? dependent : null;
}

/** One resource within a service, account and region: by name (Batch names, EMR cluster IDs are unique per region), else by ARN. */
function resourceKey(event: StoredEvent): string | null {
  const details = detailsOf(event);
  return details.resourceName ?? details.resourceArn ?? null;
}

/** Whether a call names the resource: itself, or among the several it names. */
function namesResource(event: StoredEvent, key: string): boolean {
  return resourceKey(event) === key || (detailsOf(event).resourceNames?.includes(key) ?? false);
}

export function dependentResources(deletion: StoredEvent, profileEvents: StoredEvent[], evidence: Evidence, afterUntil: string, recreatedAt: string | null = null): DependentResource[] {
  const name = deletion.instance_profile_name ?? '';
  const accountId = accountOf(deletion);
  const inAccount = (event: StoredEvent): boolean => accountOf(event) === accountId;
  // Resources whose successful call set this profile before the deletion.
  const bound = new Map<string, { service: DependentService; region: string | null; key: string; since: string }>();
  for (const event of profileEvents) {
    const call = dependentCall(event);
    const key = resourceKey(event);
    if (call?.role !== 'binds' || !key || event.error_code || event.event_time > deletion.event_time || !inAccount(event)) continue;
    const id = `${call.service} ${event.aws_region ?? ''} ${key}`;
    const known = bound.get(id);
    if (!known || event.event_time < known.since) bound.set(id, { service: call.service, region: event.aws_region, key, since: event.event_time });
  }
  const until = recreatedAt !== null && recreatedAt < afterUntil ? recreatedAt : afterUntil;
  const resources: DependentResource[] = [];
  for (const candidate of bound.values()) {
    // Every call on this resource from its first binding on: binds, moves, ends, uses.
    const sameResource = (event: StoredEvent): boolean =>
      dependentCall(event)?.service === candidate.service && event.aws_region === candidate.region && inAccount(event) && namesResource(event, candidate.key);
    const history = callsOf(candidate.service).flatMap((eventName) => evidence.byEventName(eventName, candidate.since, until).filter(sameResource));
    const replayed = replay(history.filter((event) => event.event_time <= deletion.event_time && !event.error_code), name, accountId);
    if (!replayed) continue;
    const failuresAfter: DependentFailure[] =
      replayed.status === 'alive-at-deletion'
        ? history
            .filter((event) => !!event.error_code && event.event_time > deletion.event_time)
            .map((event) => ({ eventId: event.event_id, eventTime: event.event_time, eventName: event.event_name ?? 'unknown', errorCode: event.error_code }))
            .sort(byTimeThenId)
        : [];
    resources.push({
      service: candidate.service,
      resourceId: replayed.resourceId,
      accountId,
      region: candidate.region,
      eventId: replayed.binding.event_id,
      status: replayed.status,
      failuresAfter,
    });
  }
  return resources.sort((a, b) => (a.service !== b.service ? (a.service < b.service ? -1 : 1) : a.resourceId < b.resourceId ? -1 : a.resourceId > b.resourceId ? 1 : 0));
}

/** The binding that held the profile at the deletion, and whether the resource still existed; null when it moved to another profile. */
function replay(history: StoredEvent[], name: string, accountId: string | null): { binding: StoredEvent; status: DependentResource['status']; resourceId: string } | null {
  let binding: StoredEvent | null = null;
  let ended = false;
  let resourceId: string | null = null;
  for (const event of causalOrder(history)) {
    const role = dependentCall(event)?.role;
    resourceId = detailsOf(event).resourceArn ?? resourceId;
    if (role === 'binds') {
      const namesAny = event.instance_profile_name !== null || event.instance_profile_arn !== null;
      if (namesProfile(event, name, accountId)) {
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
  return { binding, status: ended ? 'removed-before-deletion' : 'alive-at-deletion', resourceId: resourceId ?? resourceKey(binding) ?? '?' };
}
