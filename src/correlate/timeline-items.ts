/**
 * Timeline items for the `timeline` command: either one incident's correlated events, or
 * every event matching a selector, each with its category, summary and chain origin.
 */
import type { TimelineItem } from './timeline-item.js';
import { buildActor, identityName } from './actor.js';
import type { Evidence, StoredEvent } from './evidence.js';
import type { Incident } from './incident.js';
import { categoryOf, causalOrder, summarize } from './timeline.js';

/** The origin behind each event's credentials, traced once per access key. */
export function originResolver(evidence: Evidence): (event: StoredEvent) => Promise<string | null> {
  const byKey = new Map<string, string | null>();
  return async (event) => {
    const key = event.access_key_id;
    if (!key) return identityName(event);
    if (!byKey.has(key)) byKey.set(key, (await buildActor(event, evidence)).origin.arn);
    return byKey.get(key) ?? null;
  };
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
