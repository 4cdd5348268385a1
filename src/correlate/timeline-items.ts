/**
 * Timeline items for the `timeline` command: either one incident's correlated events, or
 * every event matching a selector, each with its category, summary and chain origin.
 */
import type { TimelineItem } from './timeline-item.js';
import { identityName, type IssuerLookup, traceChain } from './actor.js';
import type { Evidence, StoredEvent } from './evidence.js';
import type { Incident } from './incident.js';
import { categoryOf, causalOrder, summarize } from './timeline.js';

/** Sorts after every stored event time: a key's issuing events are fetched once, for all time. */
const END_OF_TIME = '9999-12-31T23:59:59Z';

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
      let all = byKey.get(accessKeyId);
      if (!all) byKey.set(accessKeyId, (all = evidence.issuingEvents(accessKeyId, END_OF_TIME)));
      // Newest first, as the store answers; only those at or before the use.
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
