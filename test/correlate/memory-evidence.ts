/** Evidence (and the records behind it) over a handful of in-memory records, for unit tests of correlation rules. */
import { type Evidence, inEventOrder, type RecordArchive, type StoredEvent } from '../../src/correlate/evidence.js';
import type { EventSelection } from '../../src/store/evidence-port.js';
import { type JsonObject } from '../../src/parse/json-access.js';
import { normalizeRecord } from '../../src/parse/normalize.js';
import { detailsOf } from '../../src/parse/event-row.js';

export class MemoryEvidence implements Evidence, RecordArchive {
  readonly events: StoredEvent[];
  /** By event ID and time: one eventID on two days is two records, as in the store. */
  private readonly records = new Map<string, JsonObject>();

  constructor(records: JsonObject[]) {
    const rows = new Map<string, StoredEvent>();
    for (const record of records) {
      const result = normalizeRecord(record);
      if (!result.ok) throw new Error(result.reason);
      const key = recordKey(result.row.event_id, result.row.event_time);
      // A record delivered twice (organization and account trail) is one event; the store keeps the first.
      if (rows.has(key)) continue;
      rows.set(key, result.row);
      this.records.set(key, record);
    }
    this.events = [...rows.values()].sort(inEventOrder);
  }

  private earliest(id: string): StoredEvent | null {
    return this.events.find((e) => e.event_id === id) ?? null;
  }

  private ofInstance(id: string): StoredEvent[] {
    return this.where((e) => (e.instance_ids ?? '').split(' ').includes(id));
  }

  private where(test: (event: StoredEvent) => boolean): StoredEvent[] {
    return this.events.filter(test);
  }

  async deletions(since: string, until: string) {
    return this.where((e) => e.event_name === 'DeleteInstanceProfile' && e.event_time >= since && e.event_time <= until);
  }
  async issuingEvents(key: string, before: string) {
    const issued = this.where((e) => e.issued_access_key_id === key && e.event_time <= before);
    // Newest second first, but within a second still by ascending event_id (the contract).
    return issued.sort((a, b) => (a.event_time === b.event_time ? inEventOrder(a, b) : a.event_time < b.event_time ? 1 : -1));
  }
  async eventById(id: string) {
    return this.earliest(id);
  }
  async eventsByIds(ids: readonly string[]) {
    const found = new Map<string, StoredEvent>();
    for (const id of ids) {
      const event = this.earliest(id);
      if (event) found.set(id, event);
    }
    return found;
  }
  async issuedByRequest(id: string) {
    return this.where((e) => e.request_id === id && e.issued_access_key_id !== null);
  }
  async byProfileName(name: string) {
    return this.where((e) => e.instance_profile_name === name);
  }
  async byLaunchTemplate(id: string) {
    return this.where((e) => e.launch_template_id === id);
  }
  async byInstances(ids: readonly string[]) {
    return new Map(ids.map((id) => [id, this.ofInstance(id)]));
  }
  async byIdentity(arn: string, from: string, to: string) {
    return this.where((e) => e.identity_arn === arn && e.event_time >= from && e.event_time <= to);
  }
  async byAccessKey(key: string, from: string, to: string) {
    return this.where((e) => e.access_key_id === key && e.event_time >= from && e.event_time <= to);
  }
  async bySessionIssuer(arn: string, from: string, to: string) {
    return this.where((e) => e.session_issuer_arn === arn && e.event_time >= from && e.event_time <= to);
  }
  async byTargetUser(user: string, from: string, to: string) {
    return this.where((e) => e.target_user_name === user && e.event_time >= from && e.event_time <= to);
  }
  async bySourceIp(ip: string, from: string, to: string) {
    return this.where((e) => e.source_ip === ip && e.event_time >= from && e.event_time <= to);
  }
  async byEventName(name: string, from: string, to: string) {
    return this.where((e) => e.event_name === name && e.event_time >= from && e.event_time <= to);
  }
  async instanceDeliveries(instanceId: string) {
    return this.where(
      (e) => e.event_name === 'AssumeRole' && e.identity_type === 'AWSService' && e.invoked_by === 'ec2.amazonaws.com' && detailsOf(e).roleSessionName === instanceId,
    );
  }
  async assumedBefore(caller: { arn: string | null; sessionIssuerArn: string | null }, roleArn: string, eventNames: readonly string[], before: string) {
    return this.events.some(
      (e) =>
        eventNames.includes(e.event_name ?? '') &&
        !e.error_code &&
        e.role_arn === roleArn &&
        e.event_time < before &&
        ((caller.arn !== null && e.identity_arn === caller.arn) || (caller.sessionIssuerArn !== null && e.session_issuer_arn === caller.sessionIssuerArn)),
    );
  }
  async activeBefore(identity: { arn: string | null; sessionIssuerArn: string | null }, before: string) {
    return this.events.some(
      (e) => e.event_time < before && ((identity.arn && e.identity_arn === identity.arn) || (identity.sessionIssuerArn && e.session_issuer_arn === identity.sessionIssuerArn)),
    );
  }
  async seenFromIp(identity: { arn: string | null; sessionIssuerArn: string | null }, ip: string, before: string) {
    return this.events.some(
      (e) => e.source_ip === ip && e.event_time < before && ((identity.arn && e.identity_arn === identity.arn) || (identity.sessionIssuerArn && e.session_issuer_arn === identity.sessionIssuerArn)),
    );
  }
  async eventsBySelection(selection: EventSelection) {
    // An empty selector narrows nothing, as an absent one (the contract).
    const given = (value: string | undefined): value is string => value !== undefined && value !== '';
    const { actor, accessKeyId, sourceIp, profile, instanceId, since, until } = selection;
    const ofInstance = given(instanceId) ? new Set(this.ofInstance(instanceId)) : null;
    return this.where(
      (e) =>
        (!given(actor) || e.identity_arn === actor || e.session_issuer_arn === actor) &&
        (!given(accessKeyId) || e.access_key_id === accessKeyId || e.issued_access_key_id === accessKeyId) &&
        (!given(sourceIp) || e.source_ip === sourceIp) &&
        (!given(profile) || e.instance_profile_name === profile) &&
        (ofInstance === null || ofInstance.has(e)) &&
        (!given(since) || e.event_time >= since) &&
        (!given(until) || e.event_time <= until),
    );
  }
  async record(id: string, time: string | null = null) {
    const earliest = this.events.find((e) => e.event_id === id && (time === null || e.event_time === time));
    return earliest ? (this.records.get(recordKey(id, earliest.event_time)) ?? null) : null;
  }
  async recordText(id: string, time: string | null = null) {
    const found = await this.record(id, time);
    return found ? JSON.stringify(found) : null;
  }
}

function recordKey(eventId: string, eventTime: string): string {
  return `${eventId}\u0000${eventTime}`;
}
