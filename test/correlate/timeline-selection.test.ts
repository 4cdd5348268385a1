import { describe, expect, it } from 'vitest';
import { taggedWithIncidents, withinTimeBounds } from '../../src/correlate/timeline-selection.js';

function item(eventId: string, eventTime: string) {
  return { event: { event_id: eventId, event_time: eventTime }, incidentId: null as string | null };
}

const ITEMS = [item('a', '2026-03-05T00:00:00Z'), item('b', '2026-03-06T12:00:00Z'), item('c', '2026-03-07T23:59:59Z')];

describe('withinTimeBounds', () => {
  it('when both bounds are given then items on either bound are kept and those outside dropped', () => {
    const kept = withinTimeBounds(ITEMS, { since: '2026-03-06T12:00:00Z', until: '2026-03-07T23:59:59Z' });
    expect(kept.map((entry) => entry.event.event_id)).toEqual(['b', 'c']);
  });

  it('when only one bound is given then the other side stays open', () => {
    expect(withinTimeBounds(ITEMS, { until: '2026-03-06T00:00:00Z' }).map((entry) => entry.event.event_id)).toEqual(['a']);
    expect(withinTimeBounds(ITEMS, { since: '2026-03-06T00:00:00Z' }).map((entry) => entry.event.event_id)).toEqual(['b', 'c']);
  });

  it('when no bound is given then every item is kept in its order', () => {
    expect(withinTimeBounds(ITEMS, {})).toEqual(ITEMS);
  });
});

describe('taggedWithIncidents', () => {
  it('when an event is in two incidents then it carries both IDs in incident order; an event in none carries null', () => {
    const incidents = [
      { id: 'del-1', timeline: [{ eventId: 'a' }, { eventId: 'b' }] },
      { id: 'del-2', timeline: [{ eventId: 'b' }] },
    ];
    const tagged = taggedWithIncidents(ITEMS, incidents);
    expect(tagged.map((entry) => entry.incidentId)).toEqual(['del-1', 'del-1,del-2', null]);
  });

  it('when items are tagged then the items given are left as they were', () => {
    taggedWithIncidents(ITEMS, [{ id: 'del-1', timeline: [{ eventId: 'a' }] }]);
    expect(ITEMS.map((entry) => entry.incidentId)).toEqual([null, null, null]);
  });
});
