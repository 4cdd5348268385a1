/** Timeline order: (time, event ID), except within one second, where a known cause comes first. */
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/correlate/evidence.js';
import { buildTimeline, causalOrder } from '../../src/correlate/timeline.js';
import { normalizeRecord } from '../../src/parse/normalize.js';
import { eventId, record, type RecordShape } from '../support/cloudtrail.js';

const ACCOUNT = '111111111111';
const SECOND = '2026-03-06T12:00:00Z';

function rowOf(fields: RecordShape): StoredEvent {
  const result = normalizeRecord(record({ recipientAccountId: ACCOUNT, readOnly: false, ...fields }));
  if (!result.ok) throw new Error(result.reason);
  return result.row;
}

const profileCall = (n: number, time: string, eventName: string, profile: string, role?: string): StoredEvent =>
  rowOf({ eventID: eventId(n), eventTime: time, eventSource: 'iam.amazonaws.com', eventName, requestParameters: { instanceProfileName: profile, ...(role ? { roleName: role } : {}) } });

const assumeRole = (n: number, time: string, callerKey: string, issuedKey: string): StoredEvent =>
  rowOf({
    eventID: eventId(n),
    eventTime: time,
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAALICE', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, accessKeyId: callerKey, userName: 'alice' },
    requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/Admin`, roleSessionName: 'alice' },
    responseElements: { credentials: { accessKeyId: issuedKey } },
  });

const callWithKey = (n: number, time: string, key: string, eventName = 'ListUsers'): StoredEvent =>
  rowOf({
    eventID: eventId(n),
    eventTime: time,
    eventSource: 'iam.amazonaws.com',
    eventName,
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAADMIN:alice',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`,
      accountId: ACCOUNT,
      accessKeyId: key,
      sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROAADMIN', arn: `arn:aws:iam::${ACCOUNT}:role/Admin`, accountId: ACCOUNT, userName: 'Admin' } },
    },
  });

const names = (events: StoredEvent[]) => events.map((event) => event.event_name);
const ids = (events: Array<StoredEvent | { eventId: string }>) => events.map((event) => ('event_id' in event ? event.event_id : event.eventId));

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));
}

describe('causal order within one second', () => {
  it('when Create, Add, Remove and Delete of one profile share a second then they keep their causal order whatever their event IDs', () => {
    // IDs in the reverse of the causal order: plain (time, id) order would put the Delete first.
    const events = [
      profileCall(1, SECOND, 'DeleteInstanceProfile', 'web-app-profile'),
      profileCall(2, SECOND, 'RemoveRoleFromInstanceProfile', 'web-app-profile', 'app-role'),
      profileCall(3, SECOND, 'AddRoleToInstanceProfile', 'web-app-profile', 'app-role'),
      profileCall(4, SECOND, 'CreateInstanceProfile', 'web-app-profile'),
    ];
    expect(names(causalOrder(events))).toEqual(['CreateInstanceProfile', 'AddRoleToInstanceProfile', 'RemoveRoleFromInstanceProfile', 'DeleteInstanceProfile']);
    expect(buildTimeline(events).map((entry) => entry.eventName)).toEqual([
      'CreateInstanceProfile',
      'AddRoleToInstanceProfile',
      'RemoveRoleFromInstanceProfile',
      'DeleteInstanceProfile',
    ]);
  });

  it('when an AssumeRole and a call made with the key it issued share a second then the AssumeRole comes first', () => {
    const events = [callWithKey(1, SECOND, 'ASIAISSUED'), assumeRole(2, SECOND, 'AKIAALICE', 'ASIAISSUED')];
    expect(ids(causalOrder(events))).toEqual([eventId(2), eventId(1)]);
    expect(ids(buildTimeline(events))).toEqual([eventId(2), eventId(1)]);
  });

  it('when a role chain and its final call share a second then every issuing event precedes the calls made with its key', () => {
    const events = [
      callWithKey(1, SECOND, 'ASIASECOND', 'DeleteInstanceProfile'),
      assumeRole(2, SECOND, 'ASIAFIRST', 'ASIASECOND'),
      assumeRole(3, SECOND, 'AKIAALICE', 'ASIAFIRST'),
    ];
    expect(ids(causalOrder(events))).toEqual([eventId(3), eventId(2), eventId(1)]);
  });

  it('when same-second events are not causally related then they keep event ID order', () => {
    const events = [callWithKey(2, SECOND, 'ASIAOTHER'), assumeRole(3, SECOND, 'AKIAALICE', 'ASIAISSUED'), callWithKey(1, SECOND, 'ASIAUNRELATED')];
    expect(ids(causalOrder(events))).toEqual([eventId(1), eventId(2), eventId(3)]);
  });
});

describe('order across seconds', () => {
  it('when events fall in different seconds then they keep (time, id) order, even against lifecycle and key order', () => {
    const events = [
      profileCall(1, '2026-03-06T12:00:02Z', 'CreateInstanceProfile', 'web-app-profile'),
      profileCall(2, '2026-03-06T12:00:01Z', 'DeleteInstanceProfile', 'web-app-profile'),
      assumeRole(3, '2026-03-06T12:00:01Z', 'AKIAALICE', 'ASIAISSUED'),
      callWithKey(4, '2026-03-06T12:00:00Z', 'ASIAISSUED'),
      callWithKey(5, '2026-03-06T11:59:59Z', 'ASIAUNRELATED'),
    ];
    expect(ids(causalOrder(events))).toEqual([eventId(5), eventId(4), eventId(2), eventId(3), eventId(1)]);
    expect(ids(buildTimeline(events))).toEqual([eventId(5), eventId(4), eventId(2), eventId(3), eventId(1)]);
  });
});

describe('determinism', () => {
  const events = [
    profileCall(1, SECOND, 'DeleteInstanceProfile', 'web-app-profile'),
    profileCall(2, SECOND, 'RemoveRoleFromInstanceProfile', 'web-app-profile', 'app-role'),
    profileCall(3, SECOND, 'CreateInstanceProfile', 'web-app-profile'),
    callWithKey(4, SECOND, 'ASIAISSUED'),
    assumeRole(5, SECOND, 'AKIAALICE', 'ASIAISSUED'),
    callWithKey(6, '2026-03-06T11:59:00Z', 'ASIAOLDER'),
  ];

  it('when the input comes in any permutation then causalOrder returns the same order', () => {
    const expected = ids(causalOrder(events));
    expect(expected).toEqual([eventId(6), eventId(3), eventId(2), eventId(1), eventId(5), eventId(4)]);
    for (const permutation of permutations(events)) expect(ids(causalOrder(permutation))).toEqual(expected);
  });

  it('when the input comes in any permutation, with duplicates, then buildTimeline returns the same entries', () => {
    const expected = buildTimeline(events);
    expect(expected).toHaveLength(events.length);
    for (const permutation of permutations(events)) {
      expect(buildTimeline([...permutation, permutation[0]!])).toEqual(expected);
    }
  });
});

describe('sign-in summaries', () => {
  it('when a console sign-in failed (CloudTrail logs no error code for it) then its summary says it failed, never that it signed in', () => {
    const failed = normalizeRecord(
      record({
        eventID: eventId(900),
        eventName: 'ConsoleLogin',
        eventSource: 'signin.amazonaws.com',
        eventType: 'AwsConsoleSignIn',
        responseElements: { ConsoleLogin: 'Failure' },
        additionalEventData: { MFAUsed: 'No' },
        errorMessage: 'Failed authentication',
      }),
    );
    if (!failed.ok) throw new Error(failed.reason);
    const [entry] = buildTimeline([failed.row]);
    expect(entry!.summary).toMatch(/failed to sign in to the console/);
    expect(entry!.summary).toMatch(/FAILED/);
    expect(entry!.summary).not.toMatch(/signed in to the console/);
  });
});

describe('event names other services reuse', () => {
  it("when CloudFormation's CreateStack is in a timeline then it is named as it is, not described as an OpsWorks stack", () => {
    const cloudFormation = rowOf({ eventID: eventId(1), eventTime: SECOND, eventSource: 'cloudformation.amazonaws.com', eventName: 'CreateStack', requestParameters: { stackName: 'web' } });
    const opsWorks = rowOf({
      eventID: eventId(2),
      eventTime: SECOND,
      eventSource: 'opsworks.amazonaws.com',
      eventName: 'CreateStack',
      requestParameters: { name: 'legacy', defaultInstanceProfileArn: `arn:aws:iam::${ACCOUNT}:instance-profile/web` },
      responseElements: { stackId: 'stack-1' },
    });
    const [first, second] = buildTimeline([cloudFormation, opsWorks]);
    expect(first!.summary).not.toContain('created stack');
    expect(first!.summary).toContain('CreateStack');
    expect(second!.summary).toContain('created stack stack-1 with profile web');
  });
});
