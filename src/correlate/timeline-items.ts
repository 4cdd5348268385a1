/**
 * Timeline items for the `timeline` command: either one incident's correlated events, or
 * every event matching a selector, each with its category, summary and chain origin.
 */
import type { TimelineItem } from './timeline-item.js';
import { couldHaveIssued, identityName, type IssuerLookup, traceChain } from './actor.js';
import { ALL_TIME, type EventSelection, type Evidence, inEventOrder, type StoredEvent } from './evidence.js';
import type { Incident } from './incident.js';
import { categoryOf, causalOrder, summarize } from './timeline.js';

/**
 * The store's issuing lookups, each asked once per key or request. One key ID can stand
 * for several credentials (recycled, or masked alike in a sample), so what is shared is the
 * key's issuing events, not an answer: each event is still traced by its own time and name.
 */
function cachedIssuerLookup(evidence: Evidence): IssuerLookup {
  const byKey = new Map<string, Promise<StoredEvent[]>>();
  const byRequest = new Map<string, Promise<StoredEvent[]>>();
  return {
    async issuingEvents(accessKeyId, atOrBefore) {
      // Fetched once for all time; each use then takes those at or before it.
      let all = byKey.get(accessKeyId);
      if (!all) byKey.set(accessKeyId, (all = evidence.issuingEvents(accessKeyId, ALL_TIME.until)));
      return (await all).filter((event) => event.event_time <= atOrBefore);
    },
    issuedByRequest(requestId) {
      let copies = byRequest.get(requestId);
      if (!copies) byRequest.set(requestId, (copies = evidence.issuedByRequest(requestId)));
      return copies;
    },
  };
}

/** The origin behind each event's credentials, traced per event over cached lookups. */
export function originResolver(evidence: Evidence): (event: StoredEvent) => Promise<string | null> {
  const lookup = cachedIssuerLookup(evidence);
  return async (event) => (event.access_key_id ? (await traceChain(event, lookup)).origin.arn : identityName(event));
}

export async function incidentTimelineItems(incident: Incident, evidence: Evidence): Promise<TimelineItem[]> {
  const items: TimelineItem[] = [];
  const events = await evidence.eventsByIds(incident.timeline.map((entry) => entry.eventId));
  for (const entry of incident.timeline) {
    const event = events.get(entry.eventId);
    if (!event) continue;
    items.push({
      event,
      category: entry.category,
      summary: entry.summary,
      actorArn: entry.actorArn,
      originArn: entry.eventId === incident.id ? incident.actor.origin.arn : null,
      incidentId: incident.id,
      recordText: null,
    });
  }
  const origin = originResolver(evidence);
  for (const item of items) item.originArn ??= await origin(item.event);
  return items;
}

/**
 * The events a timeline selector picks. An instance's story is more than the calls that name
 * it: EC2's deliveries of its role credentials and every call made with them (a session taken
 * off the instance included), each within those credentials' lifetime; the other selectors
 * still narrow them.
 */
export async function selectedEvents(selection: EventSelection, evidence: Evidence): Promise<StoredEvent[]> {
  const naming = await evidence.eventsBySelection(selection);
  if (!selection.instanceId) return naming;
  const keyOf = (event: StoredEvent): string => `${event.event_id}\u0000${event.event_time}`;
  const found = new Map(naming.map((event) => [keyOf(event), event]));
  for (const delivery of await evidence.instanceDeliveries(selection.instanceId)) {
    const key = delivery.issued_access_key_id;
    if (!key || delivery.error_code || (selection.accessKeyId && selection.accessKeyId !== key)) continue;
    const since = selection.since && selection.since > delivery.event_time ? selection.since : delivery.event_time;
    for (const event of await evidence.eventsBySelection({ ...selection, instanceId: undefined, accessKeyId: key, since })) {
      if (event.event_id === delivery.event_id || (event.access_key_id === key && couldHaveIssued(delivery, event))) found.set(keyOf(event), event);
    }
  }
  return [...found.values()].sort(inEventOrder);
}

export async function selectedTimelineItems(events: StoredEvent[], evidence: Evidence): Promise<TimelineItem[]> {
  const origin = originResolver(evidence);
  const items: TimelineItem[] = [];
  for (const event of causalOrder(events)) {
    items.push({
      event,
      category: categoryOf(event),
      summary: summarize(event),
      actorArn: identityName(event),
      originArn: await origin(event),
      incidentId: null,
      recordText: null,
    });
  }
  return items;
}
