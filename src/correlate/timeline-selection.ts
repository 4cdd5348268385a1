/**
 * Choosing and labelling the lines of a timeline once its events are known: pure functions,
 * so the `timeline` command only wires flags to them.
 */
/** What tagging reads of an incident: its ID and the events of its timeline. */
interface IncidentEvents {
  id: string;
  timeline: readonly { eventId: string }[];
}

interface TimedItem {
  event: { event_time: string; event_id: string };
}

/** The items at or after `since` and at or before `until`; a bound not given keeps that side open. */
export function withinTimeBounds<T extends TimedItem>(items: readonly T[], bounds: { since?: string | undefined; until?: string | undefined }): T[] {
  const { since, until } = bounds;
  return items.filter((item) => (!since || item.event.event_time >= since) && (!until || item.event.event_time <= until));
}

/** Each item labelled with the incidents whose timelines hold its event (comma-separated IDs), or null for none. */
export function taggedWithIncidents<T extends TimedItem & { incidentId: string | null }>(items: readonly T[], incidents: readonly IncidentEvents[]): T[] {
  const byEvent = new Map<string, string[]>();
  for (const incident of incidents) {
    for (const entry of incident.timeline) byEvent.set(entry.eventId, [...(byEvent.get(entry.eventId) ?? []), incident.id]);
  }
  return items.map((item) => ({ ...item, incidentId: byEvent.get(item.event.event_id)?.join(',') ?? null }));
}
