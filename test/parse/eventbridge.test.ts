import { describe, expect, it } from 'vitest';
import { unwrapEntry } from '../../src/parse/containers.js';
import { consoleLogin, deleteInstanceProfile, eventBridgeEvent, rotateKey } from '../support/real-records.js';
import { parseContent } from '../support/parse.js';

const apiCall = eventBridgeEvent(deleteInstanceProfile);
const signIn = eventBridgeEvent(consoleLogin, 'AWS Console Signin via CloudTrail');
const serviceEvent = eventBridgeEvent(rotateKey, 'AWS Service Event via CloudTrail');
const ec2StateChange = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2021-11-11T21:29:54Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: { 'instance-id': 'i-abcd1111', state: 'pending' },
};

const containers: Array<[string, string, number]> = [
  ['one event', JSON.stringify(apiCall), 1],
  ['an array of events', JSON.stringify([apiCall, signIn, serviceEvent]), 3],
  ['JSON Lines (a Firehose or S3 target)', `${[apiCall, signIn, serviceEvent].map((event) => JSON.stringify(event)).join('\n')}\n`, 3],
  ['events concatenated without newlines (Firehose\'s default)', [apiCall, signIn].map((event) => JSON.stringify(event)).join(''), 2],
];

describe('EventBridge envelopes of CloudTrail', () => {
  for (const path of ['fast', 'streaming'] as const) {
    for (const [label, content, count] of containers) {
      it(`when a file holds ${label} on the ${path} path then each detail is read as the record`, async () => {
        const { summary, rows, originals } = await parseContent(content, path);
        expect(summary).toMatchObject({ rejected: 0, notCloudTrail: 0, fileError: null });
        const expected = [deleteInstanceProfile, consoleLogin, rotateKey].slice(0, count);
        expect(originals).toEqual(expected);
        expect(rows.map((row) => row.event_id)).toEqual(expected.map((record) => record.eventID));
      });
    }
  }

  it('when the detail lacks eventTime, awsRegion or recipientAccountId then the envelope\'s time, region and account fill them', () => {
    const { eventTime: _time, awsRegion: _region, recipientAccountId: _account, ...trimmed } = deleteInstanceProfile;
    const entry = unwrapEntry({ ...apiCall, detail: trimmed });
    expect(entry).toEqual({ value: { ...trimmed, eventTime: '2020-02-26T00:56:34Z', awsRegion: 'us-east-1', recipientAccountId: '111122223333' } });
  });

  it('when the detail has its own fields then the envelope never overrides them, and its id is not taken for the eventID', () => {
    const entry = unwrapEntry({ ...apiCall, time: '2030-01-01T00:00:00Z', region: 'eu-west-1', account: '999999999999' });
    expect(entry).toEqual({ value: deleteInstanceProfile });
    const { eventID: _id, ...withoutId } = deleteInstanceProfile;
    expect(unwrapEntry({ ...apiCall, detail: withoutId })).toEqual({ value: withoutId });
  });

  it('when the events are of another detail-type then the file is counted as not CloudTrail, not as rejected records', async () => {
    for (const path of ['fast', 'streaming'] as const) {
      const { summary } = await parseContent(JSON.stringify([ec2StateChange, ec2StateChange]), path);
      expect(summary).toMatchObject({ accepted: 0, rejected: 0, notCloudTrail: 2 });
      expect(summary.problems).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/^not a CloudTrail file/) })]);
    }
  });

  it('when CloudTrail events and other events are mixed then the others are rejected, each with its detail-type', async () => {
    const { summary, rows } = await parseContent(JSON.stringify([apiCall, ec2StateChange]), 'fast');
    expect(rows).toHaveLength(1);
    expect(summary).toMatchObject({ accepted: 1, rejected: 1 });
    expect(summary.problems[0]!.message).toBe('an EventBridge event of detail-type "EC2 Instance State-change Notification" from "aws.ec2", not a CloudTrail event');
  });

  it('when a CloudTrail detail-type carries a detail that is not an object then that event is rejected', () => {
    expect(unwrapEntry({ ...apiCall, detail: 'oops' })).toEqual({ error: 'EventBridge "AWS API Call via CloudTrail" event whose detail is not an object' });
  });
});
