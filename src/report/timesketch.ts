/**
 * Timesketch JSON Lines: `message`, `datetime`, `timestamp_desc` on every line, flat
 * fields, and plaso's `aws:cloudtrail:entry` data type with its field names
 * (event_name, event_source, user_identity_arn, access_key, source_ip, account_identifier,
 * cloud_trail_event) so Timesketch's CloudTrail analyzer and taggers apply. Every field
 * stays under the 32,766-byte keyword limit.
 */
import type { TimelineItem } from '../correlate/timeline-item.js';

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

export function timesketchLine(item: TimelineItem): string {
  const event = item.event;
  const fields: Record<string, string | null> = {
    message: item.summary,
    datetime: event.event_time.replace('Z', '+00:00'),
    timestamp_desc: 'Event Recorded',
    data_type: 'aws:cloudtrail:entry',
    event_name: event.event_name,
    event_source: event.event_source,
    event_id: event.event_id,
    user_identity_arn: item.actorArn,
    user_identity_type: event.identity_type,
    user_name: event.user_name,
    access_key: event.access_key_id,
    origin_arn: item.originArn,
    source_ip: event.source_ip,
    user_agent: event.user_agent,
    aws_region: event.aws_region,
    account_identifier: event.recipient_account_id ?? event.account_id,
    error_code: event.error_code,
    error_message: event.error_message,
    instance_profile_name: event.instance_profile_name,
    incident_id: item.incidentId,
    category: item.category,
    cloud_trail_event: item.recordText,
  };
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
