/** Timeline items for a selector: each event's origin is traced by its own time and identity, even when events share a key ID. */
import { describe, expect, it } from 'vitest';
import { selectedEvents, selectedTimelineItems } from '../../src/correlate/timeline-items.js';
import { eventId, record } from '../support/cloudtrail.js';
import { ACCOUNT, iamUser, INSTANCE_ID, instanceDelivery, instanceSession, roleSession, stsCall } from '../support/identities.js';
import { MemoryEvidence } from './memory-evidence.js';

const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const call = (n: number, time: string, identity: Record<string, unknown>) =>
  record({ eventID: eventId(n), eventTime: time, eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', userIdentity: identity });

async function originsOf(records: Record<string, unknown>[]): Promise<Record<string, string | null>> {
  const evidence = new MemoryEvidence(records);
  const events = await evidence.eventsBySelection({});
  const items = await selectedTimelineItems(events, evidence);
  return Object.fromEntries(items.map((item) => [item.event.event_id, item.originArn]));
}

describe('timeline origins', () => {
  it('when two identities in two accounts carry the same masked key ID then each event keeps its own origin, not the first one traced', async () => {
    const masked = 'AKIA****************';
    const origins = await originsOf([
      call(1, '2016-05-01T10:00:00Z', iamUser('janedoe', masked)),
      call(2, '2024-03-01T10:00:00Z', iamUser('ops', masked, '222222222222')),
    ]);
    expect(origins[eventId(1)]).toBe(`arn:aws:iam::${ACCOUNT}:user/janedoe`);
    expect(origins[eventId(2)]).toBe('arn:aws:iam::222222222222:user/ops');
  });

  it('when one temporary key ID is used by its own session, by another session and years later then only the first is traced to the issuer', async () => {
    const issued = stsCall(1, '2026-04-06T09:00:00Z', 'AssumeRole', iamUser('alice', 'AKIAALICE'), ADMIN_ROLE, 'ASIASHARED', {
      responseElements: { credentials: { accessKeyId: 'ASIASHARED' }, assumedRoleUser: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice` } },
    });
    const origins = await originsOf([
      issued,
      call(2, '2026-04-06T10:00:00Z', roleSession('Admin', 'alice', 'ASIASHARED')),
      call(3, '2026-04-06T10:30:00Z', roleSession('Admin', 'mallory', 'ASIASHARED')),
      call(4, '2029-04-06T10:00:00Z', roleSession('Admin', 'alice', 'ASIASHARED')),
    ]);
    expect(origins[eventId(2)]).toBe(`arn:aws:iam::${ACCOUNT}:user/alice`);
    expect(origins[eventId(3)]).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/mallory`);
    expect(origins[eventId(4)]).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`);
  });
});

describe('timeline --instance', () => {
  const stopInstance = (n: number, time: string) =>
    record({ eventID: eventId(n), eventTime: time, eventSource: 'ec2.amazonaws.com', eventName: 'StopInstances', userIdentity: iamUser('ops', 'AKIAOPS'), requestParameters: { instancesSet: { items: [{ instanceId: INSTANCE_ID }] } } });
  const records = [
    instanceDelivery(1, 'ASIAV1', '2026-04-06T01:00:00Z'),
    call(2, '2026-04-06T02:00:00Z', instanceSession('ASIAV1', '1.0')),
    // The same session name and role, but a key EC2 never delivered: someone else's AssumeRole.
    call(3, '2026-04-06T02:30:00Z', instanceSession('ASIANOTDELIVERED', '1.0')),
    call(4, '2026-04-06T03:00:00Z', { ...instanceSession('ASIAV1', '1.0'), accountId: ACCOUNT }),
    stopInstance(5, '2026-04-06T04:00:00Z'),
    // Long after the delivered credentials expired: the key ID is someone else's.
    call(6, '2026-04-09T04:00:00Z', instanceSession('ASIAV1', '1.0')),
  ];
  const idsOf = (events: Array<{ event_id: string }>) => events.map((event) => event.event_id);

  it('when an instance is selected then its credential deliveries and the calls made with them are in, beside the calls naming it', async () => {
    const evidence = new MemoryEvidence(records);
    expect(idsOf(await selectedEvents({ instanceId: INSTANCE_ID }, evidence))).toEqual([eventId(1), eventId(2), eventId(4), eventId(5)]);
  });

  it('when other selectors are given too then they narrow the instance credentials\' calls as well', async () => {
    const evidence = new MemoryEvidence(records);
    expect(idsOf(await selectedEvents({ instanceId: INSTANCE_ID, since: '2026-04-06T02:45:00Z' }, evidence))).toEqual([eventId(4), eventId(5)]);
    expect(idsOf(await selectedEvents({ instanceId: INSTANCE_ID, accessKeyId: 'AKIAOPS' }, evidence))).toEqual([eventId(5)]);
    expect(idsOf(await selectedEvents({ instanceId: INSTANCE_ID, accessKeyId: 'ASIAV1' }, evidence))).toEqual([eventId(1), eventId(2), eventId(4)]);
  });
});
