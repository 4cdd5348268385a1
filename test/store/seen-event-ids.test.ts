import { describe, expect, it } from 'vitest';
import { type EventIdHash, MAX_PROBES, SeenEventIds, seededEventIdHash } from '../../src/store/seen-event-ids.js';

/** Rows as the writer would have stored them: row id → event ID. */
function table(capacity: number, hash?: EventIdHash) {
  const rows = new Map<number, string>();
  const seen = new SeenEventIds(capacity, (rowId) => rows.get(rowId), hash);
  const add = (eventId: string): string => {
    const verdict = seen.check(eventId);
    if (verdict === 'new') {
      const rowId = rows.size + 1;
      rows.set(rowId, eventId);
      seen.remember(rowId);
    }
    return verdict;
  };
  return { seen, rows, add };
}

const everyIdCollides: EventIdHash = (_eventId, out) => {
  out[0] = 7;
  out[1] = 7;
};

describe('SeenEventIds', () => {
  it('when IDs repeat then each is new once and seen afterwards', () => {
    const { seen, add } = table(1_000);
    const ids = Array.from({ length: 1_000 }, (_, i) => `id-${i}`);
    expect(ids.map(add).every((verdict) => verdict === 'new')).toBe(true);
    expect(ids.map(add).every((verdict) => verdict === 'seen')).toBe(true);
    expect(seen.size).toBe(1_000);
  });

  it('when an ID is seen then seenRowId names the row that holds it, among colliding IDs too', () => {
    const { seen, add } = table(100, everyIdCollides);
    ['a', 'b', 'c'].forEach(add);
    expect(add('b')).toBe('seen');
    expect(seen.seenRowId).toBe(2);
    expect(add('a')).toBe('seen');
    expect(seen.seenRowId).toBe(1);
  });

  it('when different IDs share a hash then the stored row tells them apart and none is dropped', () => {
    const { add, rows } = table(100, everyIdCollides);
    expect(['a', 'b', 'c'].map(add)).toEqual(['new', 'new', 'new']);
    expect(['c', 'a', 'b', 'd'].map(add)).toEqual(['seen', 'seen', 'seen', 'new']);
    expect([...rows.values()]).toEqual(['a', 'b', 'c', 'd']);
  });

  it('when an ID was remembered in another place then it is new in this one, without asking for the stored row', () => {
    const asked: number[] = [];
    const seen = new SeenEventIds(100, (rowId) => {
      asked.push(rowId);
      return 'shared';
    });
    expect(seen.check('shared', 0)).toBe('new');
    seen.remember(1, 0);
    expect(seen.check('shared', 1)).toBe('new');
    expect(asked).toEqual([]);
    expect(seen.check('shared', 0)).toBe('seen');
    expect(asked).toEqual([1]);
  });

  it('when colliding IDs pile past the probe limit then it says overflow instead of slowing down', () => {
    const { add } = table(10_000, everyIdCollides);
    const verdicts = Array.from({ length: MAX_PROBES + 1 }, (_, i) => add(`flood-${i}`));
    expect(verdicts.slice(0, MAX_PROBES).every((verdict) => verdict === 'new')).toBe(true);
    expect(verdicts[MAX_PROBES]).toBe('overflow');
  });

  it('when a new ID gets no row (the insert was skipped) then its slot stays free for the next one', () => {
    const { seen, add } = table(8, everyIdCollides);
    expect(seen.check('skipped')).toBe('new');
    expect(add('kept')).toBe('new');
    expect(add('skipped')).toBe('new');
    expect(() => seen.remember(99)).toThrow(/without a new event ID/);
    // A later check supersedes a 'new' that was never remembered.
    expect(seen.check('unplaced')).toBe('new');
    expect(seen.check('kept')).toBe('seen');
    expect(() => seen.remember(99)).toThrow(/without a new event ID/);
  });

  it('when the same ID is hashed twice then the hash agrees, and two seeds disagree', () => {
    const [a, b, c] = [new Int32Array(2), new Int32Array(2), new Int32Array(2)];
    seededEventIdHash(1)('3f0c9a9e-8d1e-4a57-9a0a-2f1f7d7b9c11', a);
    seededEventIdHash(1)('3f0c9a9e-8d1e-4a57-9a0a-2f1f7d7b9c11', b);
    seededEventIdHash(2)('3f0c9a9e-8d1e-4a57-9a0a-2f1f7d7b9c11', c);
    expect([...a]).toEqual([...b]);
    expect([...a]).not.toEqual([...c]);
  });
});
