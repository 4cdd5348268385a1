import { describe, expect, it } from 'vitest';
import type { TimelineItem } from '../../src/correlate/timeline-item.js';
import { shortActor, whatHappenedText } from '../../src/report/timeline-item.js';

function item(summary: string, actorArn: string | null): TimelineItem {
  return { event: {} as TimelineItem['event'], category: 'profile', summary, actorArn, originArn: null, incidentId: null, recordText: null };
}

describe('timeline table cells', () => {
  it('when the summary starts with its actor then the what cell drops it; otherwise it is kept whole', () => {
    const arn = 'arn:aws:iam::111111111111:user/alice';
    expect(whatHappenedText(item(`${arn} deleted instance profile p`, arn))).toBe('deleted instance profile p');
    expect(whatHappenedText(item('AWSService deleted instance profile p', arn))).toBe('AWSService deleted instance profile p');
    expect(whatHappenedText(item('someone did x', null))).toBe('someone did x');
  });

  it('when an actor is an ARN then the short form is its account and resource; anything else is kept as is', () => {
    expect(shortActor('arn:aws:sts::111111111111:assumed-role/Admin/s')).toBe('111111111111:assumed-role/Admin/s');
    expect(shortActor('arn:aws-us-gov:iam::222222222222:user/path/bob')).toBe('222222222222:user/path/bob');
    expect(shortActor('arn:aws:s3:::bucket')).toBe('bucket');
    expect(shortActor('ec2.amazonaws.com')).toBe('ec2.amazonaws.com');
    expect(shortActor(null)).toBeNull();
  });
});
