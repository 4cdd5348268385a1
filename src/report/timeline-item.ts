/** The timeline's columns and cells, drawn from the items correlation produces. */
import type { TimelineItem } from '../correlate/timeline-item.js';

export const TIMELINE_COLUMNS = [
  'event_time',
  'event_name',
  'category',
  'actor_arn',
  'origin_arn',
  'source_ip',
  'aws_region',
  'account_id',
  'error_code',
  'summary',
  'incident_id',
  'event_id',
] as const;

/** Flat row for table/CSV/JSON writers; event_id on every line leads back to the raw record. */
export function flatTimelineRow(item: TimelineItem): Record<(typeof TIMELINE_COLUMNS)[number], string | null> {
  return {
    event_time: item.event.event_time,
    event_name: item.event.event_name,
    category: item.category,
    actor_arn: item.actorArn,
    origin_arn: item.originArn,
    source_ip: item.event.source_ip,
    aws_region: item.event.aws_region,
    account_id: item.event.recipient_account_id ?? item.event.account_id,
    error_code: item.event.error_code,
    summary: item.summary,
    incident_id: item.incidentId,
    event_id: item.event.event_id,
  };
}

/** The terminal table's columns: what happened, then who (short), since an ARN eats the width. */
export const TIMELINE_TABLE_COLUMNS = ['event_time', 'category', 'event_name', 'what', 'actor', 'event_id'] as const;

/**
 * `111111111111:assumed-role/OrgAdminAccess/ops-alice` from its ARN. The account stays: the same
 * name in two accounts is two identities, and cross-account chains are the point of a timeline.
 */
export function shortActor(arn: string | null): string | null {
  if (arn === null) return null;
  const parts = /^arn:[^:]*:[^:]*:[^:]*:([^:]*):(.+)$/.exec(arn);
  if (!parts) return arn;
  return parts[1] ? `${parts[1]}:${parts[2]}` : (parts[2] ?? arn);
}

/** The summary without the actor it starts with: the table shows the actor in its own column. */
export function whatHappenedText(item: TimelineItem): string {
  const actor = item.actorArn;
  return actor !== null && item.summary.startsWith(`${actor} `) ? item.summary.slice(actor.length + 1) : item.summary;
}

export function tableTimelineRow(item: TimelineItem): Record<(typeof TIMELINE_TABLE_COLUMNS)[number], string | null> {
  return {
    event_time: item.event.event_time,
    category: item.category,
    event_name: item.event.event_name,
    what: whatHappenedText(item),
    actor: shortActor(item.actorArn),
    event_id: item.event.event_id,
  };
}
