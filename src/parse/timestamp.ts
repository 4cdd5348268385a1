/**
 * CloudTrail writes `2026-03-06T03:14:15Z`; exports and SIEMs rewrite it as
 * `2026-03-06 03:14:15`, with fractions, with offsets. Everything becomes
 * `YYYY-MM-DDTHH:MM:SSZ` (UTC, second precision) so text order is time order.
 */
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d{1,9})?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

const CANONICAL = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function normalizeTimestamp(value: unknown): string | null {
  // CloudTrail's own form is by far the most common: accept it without date arithmetic.
  if (typeof value === 'string') {
    const canonical = CANONICAL.exec(value);
    if (canonical) {
      const year = Number(canonical[1]);
      const month = Number(canonical[2]);
      const day = Number(canonical[3]);
      const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
      const days = month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1];
      return days !== undefined && day >= 1 && day <= days ? value : null;
    }
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Epoch seconds or milliseconds; CloudTrail never writes these but exports do.
    const millis = value > 1e12 ? value : value * 1000;
    return formatUtc(millis);
  }
  if (typeof value !== 'string') return null;
  const match = TIMESTAMP.exec(value.trim());
  if (!match) return null;
  const [, year, month, day, hour = '00', minute = '00', second = '00', zone] = match;
  let millis = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
  if (Number.isNaN(millis)) return null;
  const check = new Date(millis);
  if (check.getUTCDate() !== Number(day) || check.getUTCMonth() !== Number(month) - 1) return null;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    millis -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return formatUtc(millis);
}

function formatUtc(millis: number): string | null {
  const date = new Date(millis);
  if (Number.isNaN(date.getTime())) return null;
  // Years outside 0000–9999 have no YYYY form (toISOString gives ±YYYYYY): not a CloudTrail time.
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) return null;
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** Parse a user-supplied `--since/--until` value: a date or a timestamp. */
export function parseTimeBound(value: string, bound: 'since' | 'until'): string {
  const trimmed = value.trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(trimmed);
  const normalized = normalizeTimestamp(trimmed);
  if (!normalized) throw new Error(`--${bound} ${JSON.stringify(value)} is not a date (YYYY-MM-DD) or ISO 8601 timestamp`);
  // A bare --until date means "through the end of that day".
  if (dateOnly && bound === 'until') return `${trimmed}T23:59:59Z`;
  return normalized;
}
