/**
 * The timeline's outputs as field sets (data, as table-profiles.ts is for terminal layouts),
 * read from the items correlation produces.
 */
import type { TimelineItem } from '../correlate/timeline-item.js';

/** One field of a timeline output: its name, and how it is read from an item. */
export interface ItemField {
  name: string;
  of: (item: TimelineItem) => string | null;
}

/** The output's row for one item: every field by name, in the field set's order. */
export function fieldRow<Fields extends readonly ItemField[]>(fields: Fields, item: TimelineItem): Record<Fields[number]['name'], string | null> {
  const row: Record<string, string | null> = {};
  for (const field of fields) row[field.name] = field.of(item);
  return row as Record<Fields[number]['name'], string | null>;
}

/** CSV, JSON and JSON Lines: flat, and event_id on every line leads back to the raw record. */
export const TIMELINE_FIELDS = [
  { name: 'event_time', of: (item) => item.event.event_time },
  { name: 'event_name', of: (item) => item.event.event_name },
  { name: 'category', of: (item) => item.category },
  { name: 'actor_arn', of: (item) => item.actorArn },
  { name: 'origin_arn', of: (item) => item.originArn },
  { name: 'source_ip', of: (item) => item.event.source_ip },
  { name: 'aws_region', of: (item) => item.event.aws_region },
  { name: 'account_id', of: (item) => item.event.recipient_account_id ?? item.event.account_id },
  { name: 'error_code', of: (item) => item.event.error_code },
  { name: 'summary', of: (item) => item.summary },
  { name: 'incident_id', of: (item) => item.incidentId },
  { name: 'event_id', of: (item) => item.event.event_id },
] as const satisfies readonly ItemField[];

/** The terminal table: what happened, then who (short), since an ARN eats the width (laid out by table-profiles.ts). */
export const TIMELINE_TABLE_FIELDS = [
  { name: 'event_time', of: (item) => item.event.event_time },
  { name: 'category', of: (item) => item.category },
  { name: 'event_name', of: (item) => item.event.event_name },
  { name: 'what', of: (item) => whatHappenedText(item) },
  { name: 'actor', of: (item) => shortActor(item.actorArn) },
  { name: 'event_id', of: (item) => item.event.event_id },
] as const satisfies readonly ItemField[];

export const TIMELINE_COLUMNS = TIMELINE_FIELDS.map((field) => field.name);
export const TIMELINE_TABLE_COLUMNS = TIMELINE_TABLE_FIELDS.map((field) => field.name);

export function flatTimelineRow(item: TimelineItem): Record<(typeof TIMELINE_COLUMNS)[number], string | null> {
  return fieldRow(TIMELINE_FIELDS, item);
}

export function tableTimelineRow(item: TimelineItem): Record<(typeof TIMELINE_TABLE_COLUMNS)[number], string | null> {
  return fieldRow(TIMELINE_TABLE_FIELDS, item);
}

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
