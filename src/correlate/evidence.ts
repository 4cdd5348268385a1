/**
 * Correlation's side of the store port (store/evidence-port.ts, where its rules are written):
 * the port's types, and the time and order helpers every rule shares.
 */
import type { StoredEvent } from '../store/evidence-port.js';

export type { EventSelection, Evidence, RecordArchive, StoredEvent } from '../store/evidence-port.js';

export const ALL_TIME = { since: '0000-01-01T00:00:00Z', until: '9999-12-31T23:59:59Z' } as const;

export function shiftTime(iso: string, ms: number): string {
  const shifted = new Date(Date.parse(iso) + ms);
  return `${shifted.toISOString().slice(0, 19)}Z`;
}

export function byTimeThenId(a: { eventTime: string; eventId: string }, b: { eventTime: string; eventId: string }): number {
  if (a.eventTime !== b.eventTime) return a.eventTime < b.eventTime ? -1 : 1;
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

/** The order every Evidence list comes in: (event_time, event_id), the stored rows' form of byTimeThenId. */
export function inEventOrder(a: Pick<StoredEvent, 'event_time' | 'event_id'>, b: Pick<StoredEvent, 'event_time' | 'event_id'>): number {
  return byTimeThenId({ eventTime: a.event_time, eventId: a.event_id }, { eventTime: b.event_time, eventId: b.event_id });
}
