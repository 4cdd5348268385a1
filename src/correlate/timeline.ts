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
import { inEventOrder, type StoredEvent } from './evidence.js';
import { eventKind } from './event-catalog.js';
import { categoryOf, summarize } from './event-words.js';
import type { TimelineEntry } from './incident.js';

export { categoryOf, summarize } from './event-words.js';

/** The association an Associate or Replace call made, which later calls name to change it. */
function returnedAssociation(event: StoredEvent): string | undefined {
  const association = eventKind(event.event_name)?.association;
  if (association === 'binds') return detailsOf(event).associationId;
  if (association === 'replaces') return detailsOf(event).newAssociationId;
  return undefined;
}

/**
 * The causal edges among events of one second, as positions into `group`: an STS event
 * before the calls made with the key it issued; a lifecycle event before the later ranks
 * of the same profile; the call that made an association before the calls that change it.
 * Built from maps, so a second with thousands of unrelated events costs a linear pass.
 */
function causalEdges(group: StoredEvent[]): Array<[number, number]> {
  const edges: Array<[number, number]> = [];
  const issuers = new Map<string, number[]>();
  const associations = new Map<string, number[]>();
  const lifecycle = new Map<string, Array<{ position: number; rank: number }>>();
  group.forEach((event, position) => {
    if (event.issued_access_key_id !== null) issuers.set(event.issued_access_key_id, [...(issuers.get(event.issued_access_key_id) ?? []), position]);
    const made = returnedAssociation(event);
    if (made !== undefined) associations.set(made, [...(associations.get(made) ?? []), position]);
    const rank = eventKind(event.event_name)?.lifecycleRank;
    if (rank !== undefined && event.instance_profile_name !== null) {
      lifecycle.set(event.instance_profile_name, [...(lifecycle.get(event.instance_profile_name) ?? []), { position, rank }]);
    }
  });
  group.forEach((event, position) => {
    for (const issuer of event.access_key_id !== null ? (issuers.get(event.access_key_id) ?? []) : []) if (issuer !== position) edges.push([issuer, position]);
    const changed = detailsOf(event).associationId;
    if (changed !== undefined && eventKind(event.event_name)?.association !== 'binds' && returnedAssociation(event) !== changed) {
      for (const maker of associations.get(changed) ?? []) if (maker !== position) edges.push([maker, position]);
    }
  });
  for (const members of lifecycle.values()) {
    for (const a of members) for (const b of members) if (a.rank < b.rank) edges.push([a.position, b.position]);
  }
  return edges;
}

/**
 * Sorts by (event_time, event_id), then reorders each same-second group so no event
 * precedes one that caused it: a topological sort that, among the events free to go next,
 * always takes the one earliest by event_id. Deterministic for any input order; a cycle
 * (hostile input) falls back to plain order for what remains.
 */
export function causalOrder(events: StoredEvent[]): StoredEvent[] {
  const sorted = [...events].sort(inEventOrder);
  const ordered: StoredEvent[] = [];
  for (let start = 0; start < sorted.length; ) {
    let end = start + 1;
    while (end < sorted.length && sorted[end]!.event_time === sorted[start]!.event_time) end += 1;
    const group = sorted.slice(start, end);
    ordered.push(...(group.length === 1 ? group : orderWithinSecond(group)));
    start = end;
  }
  return ordered;
}

function orderWithinSecond(group: StoredEvent[]): StoredEvent[] {
  const edges = causalEdges(group);
  if (edges.length === 0) return group;
  const successors = group.map((): number[] => []);
  const waiting = group.map(() => 0);
  for (const [from, to] of edges) {
    successors[from]!.push(to);
    waiting[to]! += 1;
  }
  // Ready positions kept sorted: positions are event_id order within the group.
  const ready: number[] = [];
  const insert = (position: number): void => {
    let low = 0;
    let high = ready.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (ready[middle]! < position) low = middle + 1;
      else high = middle;
    }
    ready.splice(low, 0, position);
  };
  group.forEach((_event, position) => {
    if (waiting[position] === 0) ready.push(position);
  });
  const result: StoredEvent[] = [];
  const done = new Set<number>();
  while (result.length < group.length) {
    const next = ready.shift() ?? group.findIndex((_event, position) => !done.has(position));
    if (done.has(next)) continue;
    done.add(next);
    result.push(group[next]!);
    for (const successor of successors[next]!) {
      waiting[successor]! -= 1;
      if (waiting[successor] === 0 && !done.has(successor)) insert(successor);
    }
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
