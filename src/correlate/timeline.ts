/**
 * The incident's events in time order, each with a category and a one-line summary.
 *
 * CloudTrail times have one-second precision, so events of the same second are put in
 * their causal order where one is known: a profile's lifecycle (create < add role <
 * remove role < delete, by the catalog's lifecycleRank) and an STS event before the calls
 * made with the key it issued. Everything else keeps (event_time, event_id).
 */
import { detailsOf } from '../parse/event-row.js';
import { identityName } from './actor.js';
import { byTimeThenId, type StoredEvent } from './evidence.js';
import { eventKind } from './event-catalog.js';
import { categoryOf, summarize } from './event-words.js';
import type { TimelineEntry } from './incident.js';

export { categoryOf, summarize } from './event-words.js';

/** The association an Associate or Replace call made, which later calls name to change it. */
function returnedAssociation(event: StoredEvent): string | undefined {
  if (event.event_name === 'AssociateIamInstanceProfile') return detailsOf(event).associationId;
  if (event.event_name === 'ReplaceIamInstanceProfileAssociation') return detailsOf(event).newAssociationId;
  return undefined;
}

/** Whether `a` must come before `b` when both fall in the same second. */
function causallyBefore(a: StoredEvent, b: StoredEvent): boolean {
  if (a.issued_access_key_id !== null && a.issued_access_key_id === b.access_key_id) return true;
  const association = returnedAssociation(a);
  if (association !== undefined && b.event_name !== 'AssociateIamInstanceProfile' && returnedAssociation(b) !== association && detailsOf(b).associationId === association) return true;
  const rankA = eventKind(a.event_name)?.lifecycleRank;
  const rankB = eventKind(b.event_name)?.lifecycleRank;
  return rankA !== undefined && rankB !== undefined && rankA < rankB && a.instance_profile_name === b.instance_profile_name;
}

/**
 * Sorts by (event_time, event_id), then reorders each same-second group so no event
 * precedes one that caused it: a stable topological sort that, among the events free to
 * go next, always takes the one earliest by event_id. Deterministic for any input order.
 */
export function causalOrder(events: StoredEvent[]): StoredEvent[] {
  const sorted = [...events].sort((a, b) => byTimeThenId({ eventTime: a.event_time, eventId: a.event_id }, { eventTime: b.event_time, eventId: b.event_id }));
  const ordered: StoredEvent[] = [];
  for (let start = 0; start < sorted.length; ) {
    let end = start + 1;
    while (end < sorted.length && sorted[end]!.event_time === sorted[start]!.event_time) end += 1;
    const group = sorted.slice(start, end);
    if (group.length === 1) ordered.push(group[0]!);
    else ordered.push(...orderWithinSecond(group));
    start = end;
  }
  return ordered;
}

function orderWithinSecond(group: StoredEvent[]): StoredEvent[] {
  const remaining = [...group];
  const result: StoredEvent[] = [];
  while (remaining.length > 0) {
    // The first (by event_id) event that nothing remaining must precede; a cycle (hostile
    // input) falls back to plain order rather than looping.
    let next = remaining.findIndex((candidate) => !remaining.some((other) => other !== candidate && causallyBefore(other, candidate)));
    if (next < 0) next = 0;
    result.push(remaining.splice(next, 1)[0]!);
  }
  return result;
}

export function buildTimeline(events: Iterable<StoredEvent>): TimelineEntry[] {
  const unique = new Map<string, StoredEvent>();
  for (const event of events) unique.set(event.event_id, event);
  return causalOrder([...unique.values()]).map((event) => ({
    eventId: event.event_id,
    eventTime: event.event_time,
    eventName: event.event_name ?? 'unknown',
    category: categoryOf(event),
    actorArn: identityName(event),
    sourceIPAddress: event.source_ip,
    region: event.aws_region,
    errorCode: event.error_code,
    summary: summarize(event),
  }));
}
