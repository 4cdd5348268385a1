import { describe, expect, it } from 'vitest';
import type { TimelineItem } from '../../src/correlate/timeline-item.js';
import type { EventRow } from '../../src/parse/event-row.js';
import { flatTimelineRow, tableTimelineRow, TIMELINE_COLUMNS, TIMELINE_TABLE_COLUMNS } from '../../src/report/timeline-item.js';
import { timesketchLine } from '../../src/report/timesketch.js';

const ACTOR = 'arn:aws:sts::111111111111:assumed-role/Admin/s';

function item(event: Partial<EventRow>): TimelineItem {
  const row = { event_time: '2026-03-06T03:14:15Z', event_name: 'DeleteInstanceProfile', event_id: 'e-1', account_id: '222222222222', recipient_account_id: null, ...event } as EventRow;
  return { event: row, category: 'deletion', summary: `${ACTOR} deleted instance profile p`, actorArn: ACTOR, originArn: null, incidentId: 'e-1', recordText: null };
}

describe('timeline field sets', () => {
  it('when an item becomes a CSV/JSON row then it has exactly the columns, in order, the account falling back to the caller', () => {
    const row = flatTimelineRow(item({}));
    expect(Object.keys(row)).toEqual([...TIMELINE_COLUMNS]);
    expect(row).toMatchObject({ event_time: '2026-03-06T03:14:15Z', category: 'deletion', actor_arn: ACTOR, account_id: '222222222222', incident_id: 'e-1' });
    expect(flatTimelineRow(item({ recipient_account_id: '333333333333' })).account_id).toBe('333333333333');
  });

  it('when an item becomes a table row then what happened drops the actor, and the actor is short', () => {
    const row = tableTimelineRow(item({}));
    expect(Object.keys(row)).toEqual([...TIMELINE_TABLE_COLUMNS]);
    expect(row).toMatchObject({ what: 'deleted instance profile p', actor: '111111111111:assumed-role/Admin/s' });
  });

  it('when an item becomes a Timesketch line then the required fields lead, in order, and empty fields are left out', () => {
    const line = JSON.parse(timesketchLine(item({ source_ip: null }))) as Record<string, string>;
    expect(Object.keys(line).slice(0, 4)).toEqual(['message', 'datetime', 'timestamp_desc', 'data_type']);
    expect(line).toMatchObject({ datetime: '2026-03-06T03:14:15+00:00', timestamp_desc: 'Event Recorded', data_type: 'aws:cloudtrail:entry', account_identifier: '222222222222' });
    expect(line).not.toHaveProperty('source_ip');
  });
});
