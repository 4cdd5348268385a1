/**
 * The event IDs a bulk load has written while the unique index on event_id is deferred
 * (writer.ts). A Set of the ID strings spent about 0.2 s per 300k events in lookups that
 * missed the CPU cache (perf, README "Performance"); this keeps a 64-bit hash of each ID
 * and the row that holds it in flat typed arrays instead, about one cache miss a lookup.
 * A hash match is checked against the stored row's event_id, so a collision, crafted or
 * not, costs one row lookup and never drops an event. The hash is seeded per process, and
 * a probe longer than MAX_PROBES (a flood of colliding IDs) reports 'overflow': the writer
 * then lets SQLite's unique index take over, as it does past the size limit.
 */
import { randomInt } from 'node:crypto';

export const MAX_PROBES = 64;

/** Writes two independent 32-bit hashes of `eventId` into out[0] and out[1]. */
export type EventIdHash = (eventId: string, out: Int32Array) => void;

export function seededEventIdHash(seed = randomInt(2 ** 31)): EventIdHash {
  return (eventId, out) => {
    let high = 0x811c9dc5 ^ seed;
    let low = 0x6a09e667 ^ Math.imul(seed, 0x9e3779b1);
    for (let i = 0; i < eventId.length; i += 1) {
      const code = eventId.charCodeAt(i);
      high = Math.imul(high ^ code, 0x01000193);
      low = Math.imul(low + code, 0x5bd1e995);
      low ^= low >>> 15;
    }
    out[0] = high ^ (high >>> 16);
    out[1] = low ^ (low >>> 13);
  };
}

export type SeenVerdict = 'new' | 'seen' | 'overflow';

export class SeenEventIds {
  private readonly mask: number;
  private readonly highs: Int32Array;
  private readonly lows: Int32Array;
  /** Row id holding the slot's event ID; 0 marks an empty slot (rowids start at 1). */
  private readonly rowIds: Float64Array;
  /** Where that row is, for storedEventId (the writer's table of the row's day). */
  private readonly places: Int32Array;
  private readonly hashed = new Int32Array(2);
  /** Where the ID of the last 'new' verdict goes once its row exists; the table is only written then. */
  private openSlot = -1;
  size = 0;
  /** The row holding the ID of the last 'seen' verdict: the copy a duplicate is compared with (writer.ts). */
  seenRowId = 0;

  /** `capacity` IDs at most fill half the table, so probes stay short. */
  constructor(
    capacity: number,
    private readonly storedEventId: (rowId: number, place: number) => string | undefined,
    private readonly hash: EventIdHash = seededEventIdHash(),
  ) {
    const slots = 2 ** Math.max(3, Math.ceil(Math.log2(capacity * 2)));
    this.mask = slots - 1;
    this.highs = new Int32Array(slots);
    this.lows = new Int32Array(slots);
    this.rowIds = new Float64Array(slots);
    this.places = new Int32Array(slots);
  }

  /** Whether `eventId` was remembered in `place`: the same ID remembered elsewhere is another record (writer.ts: one per day). */
  check(eventId: string, place = 0): SeenVerdict {
    // A check forgets any earlier 'new' that was not remembered: its hash is overwritten now.
    this.openSlot = -1;
    this.hash(eventId, this.hashed);
    const high = this.hashed[0]!;
    const low = this.hashed[1]!;
    // Double hashing: an odd step visits every slot of a power-of-two table.
    const step = (low << 1) | 1;
    let slot = high & this.mask;
    for (let probe = 0; probe < MAX_PROBES; probe += 1) {
      const rowId = this.rowIds[slot]!;
      if (rowId === 0) {
        this.openSlot = slot;
        return 'new';
      }
      if (this.highs[slot] === high && this.lows[slot] === low && this.places[slot] === place && this.storedEventId(rowId, place) === eventId) {
        this.seenRowId = rowId;
        return 'seen';
      }
      slot = (slot + step) & this.mask;
    }
    return 'overflow';
  }

  /** The row that now holds the ID the last check found new (its hash is still in `hashed`), and where it is. */
  remember(rowId: number, place = 0): void {
    if (this.openSlot < 0) throw new Error('remember() without a new event ID to place');
    this.highs[this.openSlot] = this.hashed[0]!;
    this.lows[this.openSlot] = this.hashed[1]!;
    this.rowIds[this.openSlot] = rowId;
    this.places[this.openSlot] = place;
    this.openSlot = -1;
    this.size += 1;
  }
}
