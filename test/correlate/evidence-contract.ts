/**
 * What every Evidence must answer, whatever engine holds the events: registered once per
 * implementation (test/store/evidence-contract.test.ts for SQLite, memory-evidence-contract.test.ts
 * for the in-memory one), so a second engine proves itself against the same records.
 *
 * The rules, as src/store/evidence-port.ts documents them: lists come by (event_time, event_id);
 * issuingEvents comes newest first, but records of the same second still by ascending event_id;
 * windows are inclusive at both ends, "before" is strict; no lookup filters by account or region.
 */
import { describe, expect, it } from 'vitest';
import type { Evidence, RecordArchive, StoredEvent } from '../../src/correlate/evidence.js';
import type { EventSelection } from '../../src/store/evidence-port.js';
import { eventId, record, type RecordShape } from '../support/cloudtrail.js';
import { iamUser, roleSession, stsCall } from '../support/identities.js';

/** Builds the engine over these records; each call is a store of its own. */
export type EngineFactory<T> = (records: RecordShape[]) => T | Promise<T>;

const OTHER_ACCOUNT = '222222222222';
const ALICE = iamUser('alice', 'AKIAALICE00000000001');
const ALICE_ARN = 'arn:aws:iam::111111111111:user/alice';
const ROLE = 'arn:aws:iam::111111111111:role/app';
const SESSION = roleSession('app', 's1', 'ASIASESSION000000001');
const SESSION_ARN = 'arn:aws:sts::111111111111:assumed-role/app/s1';
const KEY = 'ASIAISSUED0000000001';

const idsOf = (events: readonly StoredEvent[]): string[] => events.map((event) => event.event_id);
const at = (n: number, time: string, overrides: RecordShape = {}): RecordShape => record({ eventID: eventId(n), eventTime: time, ...overrides });
/** Records handed over newest first, so an implementation that keeps arrival order fails the ordering checks. */
const newestFirst = (records: RecordShape[]): RecordShape[] => [...records].reverse();

/** Five records of one kind around a window [10:00:00, 10:00:10]: one outside on each side, two tied at the start. */
function aroundWindow(overrides: RecordShape): RecordShape[] {
  return newestFirst([
    at(1, '2026-03-05T09:59:59Z', overrides),
    at(3, '2026-03-05T10:00:00Z', overrides),
    at(2, '2026-03-05T10:00:00Z', overrides),
    at(4, '2026-03-05T10:00:10Z', overrides),
    at(5, '2026-03-05T10:00:11Z', overrides),
  ]);
}
const WINDOW = ['2026-03-05T10:00:00Z', '2026-03-05T10:00:10Z'] as const;
const IN_WINDOW = [eventId(2), eventId(3), eventId(4)];

export function evidenceContract(engine: string, build: EngineFactory<Evidence>): void {
  describe(`${engine} Evidence contract: windowed lookups`, () => {
    const windowed: Array<[string, RecordShape, (evidence: Evidence) => Promise<StoredEvent[]>]> = [
      ['deletions', { eventName: 'DeleteInstanceProfile', requestParameters: { instanceProfileName: 'p' } }, (e) => e.deletions(...WINDOW)],
      ['byIdentity', { userIdentity: ALICE }, (e) => e.byIdentity(ALICE_ARN, ...WINDOW)],
      ['byAccessKey', { userIdentity: ALICE }, (e) => e.byAccessKey('AKIAALICE00000000001', ...WINDOW)],
      ['bySessionIssuer', { userIdentity: SESSION }, (e) => e.bySessionIssuer(ROLE, ...WINDOW)],
      ['byTargetUser', { eventName: 'CreateAccessKey', requestParameters: { userName: 'bob' } }, (e) => e.byTargetUser('bob', ...WINDOW)],
      ['byEventName', { eventName: 'ConsoleLogin' }, (e) => e.byEventName('ConsoleLogin', ...WINDOW)],
      ['bySourceIp', { sourceIPAddress: '203.0.113.9' }, (e) => e.bySourceIp('203.0.113.9', ...WINDOW)],
    ];
    it.each(windowed)('when %s is asked for [from, to] then both ends are included and it comes by (event_time, event_id)', async (_name, overrides, ask) => {
      const evidence = await build(aroundWindow(overrides));
      expect(idsOf(await ask(evidence))).toEqual(IN_WINDOW);
    });

    it.each(windowed)('when %s matches nothing then it answers an empty list', async (_name, _overrides, ask) => {
      const evidence = await build([at(1, '2026-03-05T10:00:05Z', { eventName: 'ListUsers', userIdentity: iamUser('carol', 'AKIACAROL00000000001'), sourceIPAddress: '198.51.100.1' })]);
      expect(await ask(evidence)).toEqual([]);
    });

    it('when deletions is asked then failed deletions are included and other events are not', async () => {
      const evidence = await build([
        at(1, '2026-03-05T10:00:01Z', { eventName: 'DeleteInstanceProfile', errorCode: 'AccessDenied', errorMessage: 'denied' }),
        at(2, '2026-03-05T10:00:02Z', { eventName: 'DeleteRole' }),
      ]);
      expect(idsOf(await evidence.deletions(...WINDOW))).toEqual([eventId(1)]);
    });

    it('when byIdentity is asked for a role then only that exact ARN matches, not the sessions of the role', async () => {
      const evidence = await build([at(1, '2026-03-05T10:00:01Z', { userIdentity: SESSION })]);
      expect(await evidence.byIdentity(ROLE, ...WINDOW)).toEqual([]);
      expect(idsOf(await evidence.byIdentity(SESSION_ARN, ...WINDOW))).toEqual([eventId(1)]);
    });
  });

  describe(`${engine} Evidence contract: lookups over all time`, () => {
    const timeless: Array<[string, RecordShape, (evidence: Evidence) => Promise<StoredEvent[]>]> = [
      ['byProfileName', { eventName: 'GetInstanceProfile', requestParameters: { instanceProfileName: 'web' } }, (e) => e.byProfileName('web')],
      ['byLaunchTemplate', { eventName: 'RunInstances', requestParameters: { launchTemplate: { launchTemplateId: 'lt-0123456789abcdef0' } } }, (e) => e.byLaunchTemplate('lt-0123456789abcdef0')],
      ['byInstances', { eventName: 'StopInstances', requestParameters: { instanceId: 'i-0123456789abcdef0' } }, async (e) => (await e.byInstances(['i-0123456789abcdef0'])).get('i-0123456789abcdef0') ?? []],
    ];
    it.each(timeless)('when %s is asked then every matching event comes, by (event_time, event_id), in every account and region', async (_name, overrides, ask) => {
      const evidence = await build(
        newestFirst([
          at(1, '2026-01-01T00:00:00Z', overrides),
          at(3, '2026-03-05T10:00:00Z', { ...overrides, awsRegion: 'eu-west-1' }),
          at(2, '2026-03-05T10:00:00Z', { ...overrides, recipientAccountId: OTHER_ACCOUNT, userIdentity: iamUser('dave', 'AKIADAVE000000000001', OTHER_ACCOUNT) }),
          at(4, '2027-12-31T23:59:59Z', overrides),
        ]),
      );
      expect(idsOf(await ask(evidence))).toEqual([eventId(1), eventId(2), eventId(3), eventId(4)]);
    });

    it('when byInstances is asked then an event naming several instances is found by each of them', async () => {
      const evidence = await build([
        at(1, '2026-03-05T10:00:00Z', { eventName: 'StopInstances', requestParameters: { instancesSet: { items: [{ instanceId: 'i-0aaaaaaaaaaaaaaa1' }, { instanceId: 'i-0bbbbbbbbbbbbbbb2' }] } } }),
      ]);
      const ofInstance = async (instanceId: string) => (await evidence.byInstances([instanceId])).get(instanceId);
      expect(idsOf((await ofInstance('i-0aaaaaaaaaaaaaaa1'))!)).toEqual([eventId(1)]);
      expect(idsOf((await ofInstance('i-0bbbbbbbbbbbbbbb2'))!)).toEqual([eventId(1)]);
      expect(await ofInstance('i-0ccccccccccccccc3')).toEqual([]);
    });

    it('when byInstances is asked for several then each asked instance gets its own events, asked alone or together, and one with no events an empty list', async () => {
      const stop = (n: number, time: string, ...instanceIds: string[]) =>
        at(n, time, { eventName: 'StopInstances', requestParameters: { instancesSet: { items: instanceIds.map((instanceId) => ({ instanceId })) } } });
      const evidence = await build(newestFirst([stop(1, '2026-03-05T09:00:00Z', 'i-0aaaaaaaaaaaaaaa1'), stop(3, '2026-03-05T10:00:00Z', 'i-0aaaaaaaaaaaaaaa1', 'i-0bbbbbbbbbbbbbbb2'), stop(2, '2026-03-05T10:00:00Z', 'i-0bbbbbbbbbbbbbbb2')]));
      const asked = ['i-0bbbbbbbbbbbbbbb2', 'i-0aaaaaaaaaaaaaaa1', 'i-0ccccccccccccccc3'];
      const byInstance = await evidence.byInstances(asked);
      expect(new Map([...byInstance].map(([instanceId, events]) => [instanceId, idsOf(events)]))).toEqual(
        new Map([
          ['i-0bbbbbbbbbbbbbbb2', [eventId(2), eventId(3)]],
          ['i-0aaaaaaaaaaaaaaa1', [eventId(1), eventId(3)]],
          ['i-0ccccccccccccccc3', []],
        ]),
      );
      for (const instanceId of asked) expect(byInstance.get(instanceId)).toEqual((await evidence.byInstances([instanceId])).get(instanceId));
      expect((await evidence.byInstances([])).size).toBe(0);
    });
  });

  describe(`${engine} Evidence contract: events by ID`, () => {
    it('when an event is asked by its ID then its columns come back, and an unknown ID answers null', async () => {
      const evidence = await build([at(1, '2026-03-05T10:00:00Z', { eventName: 'ListUsers', awsRegion: 'eu-west-1', recipientAccountId: OTHER_ACCOUNT })]);
      expect(await evidence.eventById(eventId(1))).toMatchObject({ event_id: eventId(1), event_time: '2026-03-05T10:00:00Z', event_name: 'ListUsers', aws_region: 'eu-west-1', recipient_account_id: OTHER_ACCOUNT });
      expect(await evidence.eventById(eventId(2))).toBeNull();
    });

    it('when one eventID is on two days then eventById answers the earliest record', async () => {
      const evidence = await build([at(1, '2026-03-06T10:00:00Z', { eventName: 'Later' }), at(1, '2026-03-05T10:00:00Z', { eventName: 'Earlier' })]);
      expect(await evidence.eventById(eventId(1))).toMatchObject({ event_time: '2026-03-05T10:00:00Z', event_name: 'Earlier' });
    });

    it('when eventsByIds is asked then each found ID maps to what eventById answers, and unknown IDs are left out', async () => {
      const evidence = await build([at(2, '2026-03-06T10:00:00Z', { eventName: 'Later' }), at(2, '2026-03-05T10:00:00Z', { eventName: 'Earlier' }), at(1, '2026-03-07T10:00:00Z')]);
      const found = await evidence.eventsByIds([eventId(1), eventId(2), eventId(9)]);
      expect([...found.keys()].sort()).toEqual([eventId(1), eventId(2)]);
      expect(found.get(eventId(1))).toEqual(await evidence.eventById(eventId(1)));
      expect(found.get(eventId(2))).toEqual(await evidence.eventById(eventId(2)));
      expect(found.get(eventId(2))).toMatchObject({ event_name: 'Earlier' });
      expect((await evidence.eventsByIds([])).size).toBe(0);
    });

    it('when the same record is delivered twice (organization and account trail) then it is one event', async () => {
      const copy = at(1, '2026-03-05T10:00:00Z', { eventName: 'ConsoleLogin' });
      const evidence = await build([copy, { ...copy }]);
      expect(idsOf(await evidence.byEventName('ConsoleLogin', ...WINDOW))).toEqual([eventId(1)]);
    });
  });

  describe(`${engine} Evidence contract: issued keys`, () => {
    const issue = (n: number, time: string, extra: RecordShape = {}): RecordShape => stsCall(n, time, 'AssumeRole', ALICE, ROLE, KEY, extra);

    it('when issuingEvents is asked then it comes newest first, the same second by ascending event_id, up to and including the time', async () => {
      const evidence = await build([
        issue(1, '2026-03-05T09:00:00Z'),
        issue(3, '2026-03-05T10:00:00Z'),
        issue(2, '2026-03-05T10:00:00Z', { recipientAccountId: OTHER_ACCOUNT }),
        issue(4, '2026-03-05T10:00:01Z'),
        stsCall(5, '2026-03-05T09:30:00Z', 'AssumeRole', ALICE, ROLE, 'ASIAOTHERKEY00000001'),
      ]);
      expect(idsOf(await evidence.issuingEvents(KEY, '2026-03-05T10:00:00Z'))).toEqual([eventId(2), eventId(3), eventId(1)]);
      expect(await evidence.issuingEvents(KEY, '2026-03-05T08:59:59Z')).toEqual([]);
    });

    it('when issuedByRequest is asked then both accounts\u2019 copies that issued a key come, and calls of that request that issued none do not', async () => {
      const evidence = await build(
        newestFirst([
          issue(2, '2026-03-05T10:00:00Z', { requestID: 'req-1' }),
          issue(1, '2026-03-05T10:00:00Z', { requestID: 'req-1', recipientAccountId: OTHER_ACCOUNT, userIdentity: { type: 'AWSAccount', accountId: '111111111111' } }),
          at(3, '2026-03-05T10:00:00Z', { requestID: 'req-1' }),
          issue(4, '2026-03-05T10:00:00Z', { requestID: 'req-2' }),
        ]),
      );
      expect(idsOf(await evidence.issuedByRequest('req-1'))).toEqual([eventId(1), eventId(2)]);
    });

    it('when instanceDeliveries is asked then only EC2\u2019s own AssumeRole calls named after that instance come, by (event_time, event_id)', async () => {
      const INSTANCE = 'i-0abc1234def567890';
      const ec2 = { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' };
      const deliver = (n: number, time: string, caller: RecordShape, sessionName: string, name = 'AssumeRole'): RecordShape =>
        stsCall(n, time, name, caller, ROLE, `ASIADELIVERED0000${n.toString().padStart(3, '0')}`, { requestParameters: { roleArn: ROLE, roleSessionName: sessionName } });
      const evidence = await build(
        newestFirst([
          deliver(2, '2026-03-05T10:00:00Z', ec2, INSTANCE),
          deliver(1, '2026-03-05T10:00:00Z', ec2, INSTANCE),
          deliver(3, '2026-03-05T11:00:00Z', ec2, 'i-0fff1234def567890'),
          // A person naming a session after the instance is not EC2 delivering to it.
          deliver(4, '2026-03-05T11:00:00Z', ALICE, INSTANCE),
          deliver(5, '2026-03-05T11:00:00Z', { type: 'AWSService', invokedBy: 'lambda.amazonaws.com' }, INSTANCE),
          deliver(6, '2026-03-05T12:00:00Z', ec2, INSTANCE),
        ]),
      );
      expect(idsOf(await evidence.instanceDeliveries(INSTANCE))).toEqual([eventId(1), eventId(2), eventId(6)]);
      expect(await evidence.instanceDeliveries('i-0000000000000000')).toEqual([]);
    });
  });

  describe(`${engine} Evidence contract: events by selection`, () => {
    it('when eventsBySelection is given a window then both ends are included, and without one every event comes, by (event_time, event_id)', async () => {
      const evidence = await build(aroundWindow({}));
      expect(idsOf(await evidence.eventsBySelection({ since: WINDOW[0], until: WINDOW[1] }))).toEqual(IN_WINDOW);
      expect(idsOf(await evidence.eventsBySelection({ since: WINDOW[0] }))).toEqual([...IN_WINDOW, eventId(5)]);
      expect(idsOf(await evidence.eventsBySelection({}))).toEqual([eventId(1), ...IN_WINDOW, eventId(5)]);
    });

    type Shape = (n: number, time: string) => RecordShape;
    const shaped = (overrides: RecordShape): Shape => (n, time) => at(n, time, overrides);
    const stop = (...instanceIds: string[]): Shape => shaped({ eventName: 'StopInstances', requestParameters: { instancesSet: { items: instanceIds.map((instanceId) => ({ instanceId })) } } });
    const profile = (name: string): Shape => shaped({ eventName: 'GetInstanceProfile', requestParameters: { instanceProfileName: name } });
    const selectors: Array<[string, EventSelection, Shape, Shape]> = [
      ['an identity ARN', { actor: ALICE_ARN }, shaped({ userIdentity: ALICE }), shaped({ userIdentity: iamUser('carol', 'AKIACAROL00000000001') })],
      ['a role ARN, covering its sessions', { actor: ROLE }, shaped({ userIdentity: SESSION }), shaped({ userIdentity: roleSession('other', 's1', 'ASIAOTHER00000000001') })],
      ['an access key used', { accessKeyId: 'AKIAALICE00000000001' }, shaped({ userIdentity: ALICE }), shaped({ userIdentity: iamUser('carol', 'AKIACAROL00000000001') })],
      ['an access key issued', { accessKeyId: KEY }, (n, time) => stsCall(n, time, 'AssumeRole', ALICE, ROLE, KEY), (n, time) => stsCall(n, time, 'AssumeRole', ALICE, ROLE, 'ASIAOTHERKEY00000001')],
      ['a source IP', { sourceIp: '203.0.113.9' }, shaped({ sourceIPAddress: '203.0.113.9' }), shaped({ sourceIPAddress: '203.0.113.10' })],
      ['an instance profile', { profile: 'web' }, profile('web'), profile('db')],
      ['an instance, among others the event names', { instanceId: 'i-0bbbbbbbbbbbbbbb2' }, stop('i-0aaaaaaaaaaaaaaa1', 'i-0bbbbbbbbbbbbbbb2'), stop('i-0aaaaaaaaaaaaaaa1')],
    ];
    it.each(selectors)('when eventsBySelection is given %s then only its events come, by (event_time, event_id), in every account', async (_name, selection, matching, other) => {
      const evidence = await build(
        newestFirst([
          matching(1, '2026-03-05T10:00:00Z'),
          other(2, '2026-03-05T10:00:00Z'),
          { ...matching(3, '2026-03-05T10:00:00Z'), recipientAccountId: OTHER_ACCOUNT },
          matching(4, '2026-03-06T10:00:00Z'),
        ]),
      );
      expect(idsOf(await evidence.eventsBySelection(selection))).toEqual([eventId(1), eventId(3), eventId(4)]);
      expect(idsOf(await evidence.eventsBySelection({ ...selection, until: '2026-03-05T23:59:59Z' }))).toEqual([eventId(1), eventId(3)]);
    });

    it('when eventsBySelection is given several selectors then only events matching all of them come', async () => {
      const evidence = await build([
        at(1, '2026-03-05T10:00:01Z', { userIdentity: ALICE, sourceIPAddress: '203.0.113.9' }),
        at(2, '2026-03-05T10:00:02Z', { userIdentity: ALICE, sourceIPAddress: '203.0.113.10' }),
        at(3, '2026-03-05T10:00:03Z', { userIdentity: SESSION, sourceIPAddress: '203.0.113.9' }),
      ]);
      expect(idsOf(await evidence.eventsBySelection({ actor: ALICE_ARN, sourceIp: '203.0.113.9' }))).toEqual([eventId(1)]);
    });

    it('when eventsBySelection is given an empty selector then it narrows nothing', async () => {
      const evidence = await build([at(1, '2026-03-05T10:00:01Z', { userIdentity: ALICE }), at(2, '2026-03-05T10:00:02Z', { userIdentity: SESSION })]);
      expect(idsOf(await evidence.eventsBySelection({ actor: '', sourceIp: '' }))).toEqual([eventId(1), eventId(2)]);
    });
  });

  describe(`${engine} Evidence contract: history questions`, () => {
    const assume = (n: number, time: string, caller: RecordShape, extra: RecordShape = {}): RecordShape => stsCall(n, time, 'AssumeRole', caller, 'arn:aws:iam::222222222222:role/target', KEY, extra);
    const target = 'arn:aws:iam::222222222222:role/target';
    const asAlice = { arn: ALICE_ARN, sessionIssuerArn: null };
    const asRole = { arn: 'arn:aws:sts::111111111111:assumed-role/app/other', sessionIssuerArn: ROLE };

    it('when assumedBefore is asked then only a successful call of a named kind for that role, strictly before, counts', async () => {
      const evidence = await build([
        assume(1, '2026-03-05T10:00:00Z', ALICE),
        assume(2, '2026-03-05T09:00:00Z', ALICE, { errorCode: 'AccessDenied', errorMessage: 'denied' }),
      ]);
      expect(await evidence.assumedBefore(asAlice, target, ['AssumeRole'], '2026-03-05T10:00:01Z')).toBe(true);
      expect(await evidence.assumedBefore(asAlice, target, ['AssumeRole'], '2026-03-05T10:00:00Z')).toBe(false);
      expect(await evidence.assumedBefore(asAlice, target, ['AssumeRoleWithSAML'], '2026-03-05T10:00:01Z')).toBe(false);
      expect(await evidence.assumedBefore(asAlice, 'arn:aws:iam::222222222222:role/elsewhere', ['AssumeRole'], '2026-03-05T10:00:01Z')).toBe(false);
    });

    it('when assumedBefore, activeBefore or seenFromIp is asked for a session then any session of its role counts', async () => {
      const evidence = await build([assume(1, '2026-03-05T10:00:00Z', SESSION, { sourceIPAddress: '203.0.113.9' })]);
      const later = '2026-03-05T10:00:01Z';
      expect(await evidence.assumedBefore(asRole, target, ['AssumeRole'], later)).toBe(true);
      expect(await evidence.activeBefore(asRole, later)).toBe(true);
      expect(await evidence.seenFromIp(asRole, '203.0.113.9', later)).toBe(true);
      const stranger = { arn: 'arn:aws:iam::111111111111:user/mallory', sessionIssuerArn: null };
      expect(await evidence.activeBefore(stranger, later)).toBe(false);
    });

    it('when activeBefore is asked then only calls strictly before count', async () => {
      const evidence = await build([at(1, '2026-03-05T10:00:00Z', { userIdentity: ALICE })]);
      expect(await evidence.activeBefore(asAlice, '2026-03-05T10:00:01Z')).toBe(true);
      expect(await evidence.activeBefore(asAlice, '2026-03-05T10:00:00Z')).toBe(false);
      expect(await evidence.activeBefore({ arn: null, sessionIssuerArn: null }, '2026-03-05T10:00:01Z')).toBe(false);
    });

    it('when seenFromIp is asked then only that address, strictly before, counts', async () => {
      const evidence = await build([at(1, '2026-03-05T10:00:00Z', { userIdentity: ALICE, sourceIPAddress: '203.0.113.9' })]);
      expect(await evidence.seenFromIp(asAlice, '203.0.113.9', '2026-03-05T10:00:01Z')).toBe(true);
      expect(await evidence.seenFromIp(asAlice, '203.0.113.9', '2026-03-05T10:00:00Z')).toBe(false);
      expect(await evidence.seenFromIp(asAlice, '203.0.113.10', '2026-03-05T10:00:01Z')).toBe(false);
    });
  });
}

/** What a RecordArchive must answer: the records as delivered. */
export function recordArchiveContract(engine: string, build: EngineFactory<RecordArchive>): void {
  describe(`${engine} RecordArchive contract`, () => {
    it('when a record is asked by ID then the original record comes back, and an unknown ID answers null', async () => {
      const original = at(1, '2026-03-05T10:00:00Z', { additionalEventData: { note: 'kept as delivered' } });
      const archive = await build([original]);
      expect(await archive.record(eventId(1))).toEqual(original);
      expect(JSON.parse((await archive.recordText(eventId(1)))!)).toEqual(original);
      expect(await archive.record(eventId(2))).toBeNull();
      expect(await archive.recordText(eventId(2))).toBeNull();
    });

    it('when one eventID is on two days then the time picks the record, and without it the earliest comes', async () => {
      const archive = await build([at(1, '2026-03-06T10:00:00Z', { eventName: 'Later' }), at(1, '2026-03-05T10:00:00Z', { eventName: 'Earlier' })]);
      expect(await archive.record(eventId(1), '2026-03-06T10:00:00Z')).toMatchObject({ eventName: 'Later' });
      expect(await archive.record(eventId(1))).toMatchObject({ eventName: 'Earlier' });
      expect(JSON.parse((await archive.recordText(eventId(1)))!)).toMatchObject({ eventName: 'Earlier' });
      expect(await archive.record(eventId(1), '2026-03-07T10:00:00Z')).toBeNull();
    });
  });
}
