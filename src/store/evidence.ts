/**
 * The lookups correlation needs, each answered through an index (see schema.ts and the
 * EXPLAIN QUERY PLAN test): no investigation scans the events table.
 */
import type { Statement } from 'better-sqlite3';
import type { EventSelection, Evidence, RecordArchive, StoredEvent } from './evidence-port.js';
import { asObject, type JsonObject } from '../parse/json-access.js';
import { type PublicKeys, type VerifyReport, verifyCustody } from '../custody/verify.js';
import { custodyFacts } from './custody.js';
import type { Db } from './database.js';
import { timelineEvents } from './queries.js';

const ORDER = 'ORDER BY event_time, event_id';
// event_columns: event_rows with its interned columns decoded (schema.ts); indexed columns pass through.
const select = (where: string, order = ORDER): string => `SELECT * FROM event_columns WHERE ${where} ${order}`;

/** Every SQL statement behind Evidence, by name: the plan test checks each one uses an index. */
export const EVIDENCE_QUERIES = {
  deletions: select("event_name = 'DeleteInstanceProfile' AND event_time >= ? AND event_time <= ?"),
  issued: select('issued_access_key_id = ? AND event_time <= ?', 'ORDER BY event_time DESC, event_id'),
  // One eventID on two days is two records: the earliest, as `record` picks without a time.
  byId: select('event_id = ?', `${ORDER} LIMIT 1`),
  // Many IDs bound as one JSON array: one statement whatever their number (SQLite caps bound parameters).
  byIds: select('event_id IN (SELECT value FROM json_each(?))'),
  byIssuingRequest: select('request_id = ? AND issued_access_key_id IS NOT NULL'),
  byProfile: select('instance_profile_name = ?'),
  byTemplate: select('launch_template_id = ?'),
  byInstances: `SELECT event_instances.instance_id AS asked_instance_id, event_columns.* FROM event_instances JOIN event_columns ON event_columns.row_id = event_instances.event_rowid
     WHERE event_instances.instance_id IN (SELECT value FROM json_each(?)) ORDER BY event_time, event_id`,
  byIdentity: select('identity_arn = ? AND event_time >= ? AND event_time <= ?'),
  byAccessKey: select('access_key_id = ? AND event_time >= ? AND event_time <= ?'),
  bySessionIssuer: select('session_issuer_arn = ? AND event_time >= ? AND event_time <= ?'),
  byTargetUser: select('target_user_name = ? AND event_time >= ? AND event_time <= ?'),
  bySourceIp: select('source_ip = ? AND event_time >= ? AND event_time <= ?'),
  byName: select('event_name = ? AND event_time >= ? AND event_time <= ?'),
  // Through the event-name index; only EC2's own AssumeRole calls have their details read.
  instanceDeliveries: select("event_name = 'AssumeRole' AND identity_type = 'AWSService' AND invoked_by = 'ec2.amazonaws.com' AND json_extract(details, '$.roleSessionName') = ?"),
  assumedByIdentity:
    'SELECT 1 FROM event_rows WHERE identity_arn = ? AND role_arn = ? AND event_name IN (SELECT value FROM json_each(?)) AND error_code_ref IS NULL AND event_time < ? LIMIT 1',
  assumedByIssuer:
    'SELECT 1 FROM event_rows WHERE session_issuer_arn = ? AND role_arn = ? AND event_name IN (SELECT value FROM json_each(?)) AND error_code_ref IS NULL AND event_time < ? LIMIT 1',
  activeIdentity: 'SELECT 1 FROM event_rows WHERE identity_arn = ? AND event_time < ? LIMIT 1',
  activeIssuer: 'SELECT 1 FROM event_rows WHERE session_issuer_arn = ? AND event_time < ? LIMIT 1',
  seenIdentityIp: 'SELECT 1 FROM event_rows WHERE identity_arn = ? AND source_ip = ? AND event_time < ? LIMIT 1',
  seenIssuerIp: 'SELECT 1 FROM event_rows WHERE session_issuer_arn = ? AND source_ip = ? AND event_time < ? LIMIT 1',
  // One eventID in two days is two records (store/partitions.ts): the time picks one; without it, the earliest.
  record: 'SELECT record FROM events WHERE event_id = @eventId AND (@eventTime IS NULL OR event_time = @eventTime) ORDER BY event_time, rowid LIMIT 1',
} as const;

type QueryName = keyof typeof EVIDENCE_QUERIES;

export class SqliteEvidence implements Evidence, RecordArchive {
  private readonly statements: Record<QueryName, Statement<unknown[]>>;
  private readonly recordCache = new Map<string, JsonObject | null>();
  private custodyReport: VerifyReport | undefined;

  /** `keys`: public keys to check digest signatures with (verify --public-keys); without them signatures are not checked. */
  constructor(
    private readonly db: Db,
    private readonly keys: PublicKeys = null,
  ) {
    this.statements = Object.fromEntries(
      Object.entries(EVIDENCE_QUERIES).map(([name, sql]) => [name, db.prepare(sql)]),
    ) as Record<QueryName, Statement<unknown[]>>;
  }

  private all(name: QueryName, ...params: unknown[]): StoredEvent[] {
    return this.statements[name].all(...params) as StoredEvent[];
  }

  /** Computed once per investigation: every incident cuts its own window out of it. */
  async custody(): Promise<VerifyReport> {
    this.custodyReport ??= verifyCustody(custodyFacts(this.db), this.keys);
    return this.custodyReport;
  }

  async deletions(since: string, until: string): Promise<StoredEvent[]> {
    return this.all('deletions', since, until);
  }

  async issuingEvents(accessKeyId: string, atOrBefore: string): Promise<StoredEvent[]> {
    return this.all('issued', accessKeyId, atOrBefore);
  }

  async eventById(eventId: string): Promise<StoredEvent | null> {
    return (this.statements.byId.get(eventId) as StoredEvent | undefined) ?? null;
  }

  async eventsByIds(eventIds: readonly string[]): Promise<Map<string, StoredEvent>> {
    const found = new Map<string, StoredEvent>();
    if (eventIds.length === 0) return found;
    // In event order, so the first row of an ID is its earliest record, as eventById answers.
    for (const event of this.all('byIds', JSON.stringify(eventIds))) if (!found.has(event.event_id)) found.set(event.event_id, event);
    return found;
  }

  async issuedByRequest(requestId: string): Promise<StoredEvent[]> {
    return this.all('byIssuingRequest', requestId);
  }

  async byProfileName(name: string): Promise<StoredEvent[]> {
    return this.all('byProfile', name);
  }

  async byLaunchTemplate(launchTemplateId: string): Promise<StoredEvent[]> {
    return this.all('byTemplate', launchTemplateId);
  }

  async byInstances(instanceIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
    const found = new Map(instanceIds.map((instanceId) => [instanceId, [] as StoredEvent[]]));
    if (instanceIds.length === 0) return found;
    const rows = this.statements.byInstances.all(JSON.stringify(instanceIds)) as Array<StoredEvent & { asked_instance_id: string }>;
    // The joined instance ID only groups the rows: the events handed on carry their own columns alone.
    for (const { asked_instance_id: instanceId, ...event } of rows) found.get(instanceId)?.push(event);
    return found;
  }

  async byIdentity(arn: string, from: string, to: string): Promise<StoredEvent[]> {
    return this.all('byIdentity', arn, from, to);
  }

  async byAccessKey(accessKeyId: string, from: string, to: string): Promise<StoredEvent[]> {
    return this.all('byAccessKey', accessKeyId, from, to);
  }

  async bySessionIssuer(roleArn: string, from: string, to: string): Promise<StoredEvent[]> {
    return this.all('bySessionIssuer', roleArn, from, to);
  }

  async byTargetUser(userName: string, from: string, to: string): Promise<StoredEvent[]> {
    return this.all('byTargetUser', userName, from, to);
  }

  async bySourceIp(ip: string, from: string, to: string): Promise<StoredEvent[]> {
    return this.all('bySourceIp', ip, from, to);
  }

  async byEventName(eventName: string, from: string, to: string): Promise<StoredEvent[]> {
    return this.all('byName', eventName, from, to);
  }

  async instanceDeliveries(instanceId: string): Promise<StoredEvent[]> {
    return this.all('instanceDeliveries', instanceId);
  }

  async assumedBefore(caller: { arn: string | null; sessionIssuerArn: string | null }, roleArn: string, eventNames: readonly string[], before: string): Promise<boolean> {
    const names = JSON.stringify(eventNames);
    if (caller.sessionIssuerArn && this.statements.assumedByIssuer.get(caller.sessionIssuerArn, roleArn, names, before)) return true;
    return caller.arn !== null && this.statements.assumedByIdentity.get(caller.arn, roleArn, names, before) !== undefined;
  }

  async activeBefore(identity: { arn: string | null; sessionIssuerArn: string | null }, before: string): Promise<boolean> {
    if (identity.sessionIssuerArn && this.statements.activeIssuer.get(identity.sessionIssuerArn, before)) return true;
    return identity.arn !== null && this.statements.activeIdentity.get(identity.arn, before) !== undefined;
  }

  async seenFromIp(identity: { arn: string | null; sessionIssuerArn: string | null }, ip: string, before: string): Promise<boolean> {
    if (identity.sessionIssuerArn && this.statements.seenIssuerIp.get(identity.sessionIssuerArn, ip, before)) return true;
    return identity.arn !== null && this.statements.seenIdentityIp.get(identity.arn, ip, before) !== undefined;
  }

  async eventsBySelection(selection: EventSelection): Promise<StoredEvent[]> {
    // Its WHERE depends on which selectors are given, so it is built per ask rather than prepared once.
    return timelineEvents(this.db, selection);
  }

  async record(eventId: string, eventTime: string | null = null): Promise<JsonObject | null> {
    const key = `${eventId}\u0000${eventTime ?? ''}`;
    if (!this.recordCache.has(key)) {
      const text = this.storedText(eventId, eventTime);
      this.recordCache.set(key, text ? asObject(JSON.parse(text)) : null);
    }
    return this.recordCache.get(key) ?? null;
  }

  async recordText(eventId: string, eventTime: string | null = null): Promise<string | null> {
    return this.storedText(eventId, eventTime);
  }

  /** The JSON text the database serves, not re-serialized. */
  private storedText(eventId: string, eventTime: string | null): string | null {
    return (this.statements.record.pluck().get({ eventId, eventTime }) as string | null | undefined) ?? null;
  }
}
