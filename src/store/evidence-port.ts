/**
 * The store port: what correlation may ask of an event store. Correlation code is pure
 * functions over these answers, so unit tests can hand it a few records in memory (see
 * test/correlate/memory-evidence.ts) and the CLI hands it SQLite (store/evidence.ts). It is
 * declared here, at the store's edge, so that an engine implementing it (SQLite today, a
 * query engine over the trail bucket tomorrow) never imports correlation.
 *
 * Every answer is a Promise: an engine may answer over a network or a worker, and SQLite's
 * synchronous answers cost one microtask each.
 *
 * Rules every implementation keeps (test/correlate/evidence-contract.ts checks them):
 * - Lists come by (event_time, event_id), except issuingEvents: newest second first, but
 *   within one second still by ascending event_id. CloudTrail gives no order inside a
 *   second, so the tie-break is arbitrary; keeping it ascending everywhere keeps it one rule.
 * - A window [from, to] includes both ends; "before" is strictly before.
 * - No lookup filters by account or region: callers compare accounts themselves (profile.ts).
 * - A record delivered twice (same eventID and eventTime) is one event; one eventID on two
 *   days is two, and eventById answers the earliest.
 */
import type { VerifyReport } from '../custody/verify.js';
import type { EventRow } from '../parse/event-row.js';
import type { JsonObject } from '../parse/json-access.js';

export type StoredEvent = EventRow;

/**
 * What a timeline selects by (timeline --actor, --key, --ip, --instance-profile, --instance,
 * --since, --until): each selector given narrows, several intersect, and one absent or empty
 * narrows nothing. The bounds are inclusive; without them the selection spans all time.
 */
export interface EventSelection {
  /** An identity ARN; a role ARN also selects every session of that role. */
  actor?: string | undefined;
  /** An access key used by the call or issued by it. */
  accessKeyId?: string | undefined;
  sourceIp?: string | undefined;
  /** An instance profile name. */
  profile?: string | undefined;
  /** An EC2 instance the event names, alone or among others (timeline --instance adds the calls made with its credentials: correlate/timeline-items.ts). */
  instanceId?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
}

export interface Evidence {
  /** DeleteInstanceProfile records in [since, until], by (event_time, event_id). */
  deletions(since: string, until: string): Promise<StoredEvent[]>;
  /** Events that issued this access key at or before the time, newest first (the same second by ascending event_id). */
  issuingEvents(accessKeyId: string, atOrBefore: string): Promise<StoredEvent[]>;
  /** The event with this ID; of two records sharing it on different days, the earliest. */
  eventById(eventId: string): Promise<StoredEvent | null>;
  /** eventById for many IDs in one ask: each found ID to its event (the earliest of two days); IDs not found are left out. */
  eventsByIds(eventIds: readonly string[]): Promise<Map<string, StoredEvent>>;
  /** Key-issuing events with this request ID: both copies of a cross-account call. */
  issuedByRequest(requestId: string): Promise<StoredEvent[]>;
  byProfileName(name: string): Promise<StoredEvent[]>;
  byLaunchTemplate(launchTemplateId: string): Promise<StoredEvent[]>;
  /** Every event naming each asked instance, by (event_time, event_id); an instance with none gets an empty list. */
  byInstances(instanceIds: readonly string[]): Promise<Map<string, StoredEvent[]>>;
  byIdentity(arn: string, from: string, to: string): Promise<StoredEvent[]>;
  /** Events made with this access key. */
  byAccessKey(accessKeyId: string, from: string, to: string): Promise<StoredEvent[]>;
  bySessionIssuer(roleArn: string, from: string, to: string): Promise<StoredEvent[]>;
  byTargetUser(userName: string, from: string, to: string): Promise<StoredEvent[]>;
  /** Events of one name in [from, to]: the rare events (sign-ins, association changes, role changes) correlation scans by name. */
  byEventName(eventName: string, from: string, to: string): Promise<StoredEvent[]>;
  /**
   * EC2's deliveries of an instance's role credentials: AssumeRole by the AWS service
   * ec2.amazonaws.com with the instance ID as role session name, by (event_time, event_id).
   */
  instanceDeliveries(instanceId: string): Promise<StoredEvent[]>;
  /** Events from this source address in [from, to]. */
  bySourceIp(ip: string, from: string, to: string): Promise<StoredEvent[]>;
  /** Whether this caller (an identity ARN, or any session of a role) made one of these successful STS calls for this role before the time. */
  assumedBefore(caller: { arn: string | null; sessionIssuerArn: string | null }, roleArn: string, eventNames: readonly string[], before: string): Promise<boolean>;
  /** Whether this identity (or any session of its role) made any call before the time: whether it has a history to compare with. */
  activeBefore(identity: { arn: string | null; sessionIssuerArn: string | null }, before: string): Promise<boolean>;
  /** Whether this identity (or any session of its role) used this IP before the time. */
  seenFromIp(identity: { arn: string | null; sessionIssuerArn: string | null }, ip: string, before: string): Promise<boolean>;
  /** Every event the selection selects, by (event_time, event_id): one ask for a whole timeline. */
  eventsBySelection(selection: EventSelection): Promise<StoredEvent[]>;
  /** The verification of the ingested log files and digests (custody/verify.ts), when the store has them. */
  custody?(): Promise<VerifyReport | null>;
}

/**
 * The original records, for writers that show them (report, timeline --records); correlation
 * itself reads only columns and details. Apart from Evidence so that an engine holding only
 * the columns implements Evidence alone.
 */
export interface RecordArchive {
  /** The original record; `eventTime` tells apart two records sharing an eventID on different days, and without it the earliest comes. */
  record(eventId: string, eventTime?: string | null): Promise<JsonObject | null>;
  /** The same record as JSON text, for writers that carry it as is. */
  recordText(eventId: string, eventTime?: string | null): Promise<string | null>;
}
