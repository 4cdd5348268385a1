/**
 * Timesketch JSON Lines: `message`, `datetime`, `timestamp_desc` on every line, flat
 * fields, and plaso's `aws:cloudtrail:entry` data type with its field names
 * (event_name, event_source, user_identity_arn, access_key, source_ip, account_identifier,
 * cloud_trail_event) so Timesketch's CloudTrail analyzer and taggers apply. Every field
 * stays under the 32,766-byte keyword limit.
 */
import type { TimelineItem } from '../correlate/timeline-item.js';
import { fieldRow, type ItemField } from './timeline-item.js';

export const TIMESKETCH_FIELD_LIMIT = 32_766;
const MARK = '…[truncated]';

/** Cut a string so its UTF-8 encoding fits the limit, never splitting a character. */
export function fitField(value: string, limit = TIMESKETCH_FIELD_LIMIT): string {
  if (Buffer.byteLength(value) <= limit) return value;
  const budget = limit - Buffer.byteLength(MARK);
  let cut = Buffer.from(value).subarray(0, budget).toString('utf8');
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1);
  while (Buffer.byteLength(cut) > budget) cut = cut.slice(0, -1);
  return `${cut}${MARK}`;
}

/** The fields of one line, in order: what Timesketch requires first, then plaso's CloudTrail names. */
export const TIMESKETCH_FIELDS = [
  { name: 'message', of: (item) => item.summary },
  { name: 'datetime', of: (item) => item.event.event_time.replace('Z', '+00:00') },
  { name: 'timestamp_desc', of: () => 'Event Recorded' },
  { name: 'data_type', of: () => 'aws:cloudtrail:entry' },
  { name: 'event_name', of: (item) => item.event.event_name },
  { name: 'event_source', of: (item) => item.event.event_source },
  { name: 'event_id', of: (item) => item.event.event_id },
  { name: 'user_identity_arn', of: (item) => item.actorArn },
  { name: 'user_identity_type', of: (item) => item.event.identity_type },
  { name: 'user_name', of: (item) => item.event.user_name },
  { name: 'access_key', of: (item) => item.event.access_key_id },
  { name: 'origin_arn', of: (item) => item.originArn },
  { name: 'source_ip', of: (item) => item.event.source_ip },
  { name: 'user_agent', of: (item) => item.event.user_agent },
  { name: 'aws_region', of: (item) => item.event.aws_region },
  { name: 'account_identifier', of: (item) => item.event.recipient_account_id ?? item.event.account_id },
  { name: 'error_code', of: (item) => item.event.error_code },
  { name: 'error_message', of: (item) => item.event.error_message },
  { name: 'instance_profile_name', of: (item) => item.event.instance_profile_name },
  { name: 'incident_id', of: (item) => item.incidentId },
  { name: 'category', of: (item) => item.category },
  { name: 'cloud_trail_event', of: (item) => item.recordText },
] as const satisfies readonly ItemField[];

export function timesketchLine(item: TimelineItem): string {
  const event = item.event;
  const fields = fieldRow(TIMESKETCH_FIELDS, item);
  const line: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === null || value === undefined) continue;
    // A raw record too large for one keyword field would be useless cut: it is left out and flagged.
    if (key === 'cloud_trail_event' && Buffer.byteLength(value) > TIMESKETCH_FIELD_LIMIT) {
      line.cloud_trail_event_omitted = `record is ${Buffer.byteLength(value)} bytes; see trailsift events --id ${event.event_id}`;
      continue;
    }
    line[key] = fitField(value);
  }
  return JSON.stringify(line);
}

export function renderTimesketch(items: TimelineItem[]): string {
  return items.map((item) => `${timesketchLine(item)}\n`).join('');
}
