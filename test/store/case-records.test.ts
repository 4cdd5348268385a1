import { describe, expect, it } from 'vitest';
import { caseRecords } from '../../src/store/case-records.js';
import { SqliteEvidence } from '../../src/store/evidence.js';
import { eventId, record, tempDir, writeFile } from '../support/cloudtrail.js';
import { freshDatabasePath, ingestLocal, withDatabase } from '../support/database.js';

async function databaseOf(records: Record<string, unknown>[]): Promise<string> {
  const root = tempDir();
  writeFile(root, 'trail.json', JSON.stringify({ Records: records }));
  const db = freshDatabasePath();
  await ingestLocal(db, [root]);
  return db;
}

describe('caseRecords', () => {
  it('when timeline events are named then each original record is there as indented JSON, keyed by event ID', async () => {
    const db = await databaseOf([
      record({ eventID: eventId(1), eventTime: '2026-03-05T00:00:00Z', eventName: 'CreateAccessKey' }),
      record({ eventID: eventId(2), eventTime: '2026-03-05T00:00:01Z', eventName: 'AssumeRole' }),
    ]);
    const records = await withDatabase(db, (open) =>
      caseRecords(new SqliteEvidence(open), [
        { eventId: eventId(2), eventTime: '2026-03-05T00:00:01Z' },
        { eventId: eventId(1), eventTime: '2026-03-05T00:00:00Z' },
      ]),
    );
    expect(Object.keys(records)).toEqual([eventId(2), eventId(1)]);
    expect(JSON.parse(records[eventId(1)]!)).toMatchObject({ eventID: eventId(1), eventName: 'CreateAccessKey' });
    expect(records[eventId(2)]).toContain('\n  "eventName": "AssumeRole"');
  });

  it('when one event ID is named twice for two days then the first record named is kept', async () => {
    const db = await databaseOf([
      record({ eventID: eventId(7), eventTime: '2026-03-05T00:00:00Z', eventName: 'RunInstances' }),
      record({ eventID: eventId(7), eventTime: '2026-03-06T00:00:00Z', eventName: 'TerminateInstances' }),
    ]);
    const records = await withDatabase(db, (open) =>
      caseRecords(new SqliteEvidence(open), [
        { eventId: eventId(7), eventTime: '2026-03-06T00:00:00Z' },
        { eventId: eventId(7), eventTime: '2026-03-05T00:00:00Z' },
      ]),
    );
    expect(JSON.parse(records[eventId(7)]!)).toMatchObject({ eventName: 'TerminateInstances' });
  });

  it('when a named event is not in the database then it is left out, and a hostile ID is only a key', async () => {
    const db = await databaseOf([record({ eventID: eventId(1), eventTime: '2026-03-05T00:00:00Z' })]);
    const records = await withDatabase(db, (open) =>
      caseRecords(new SqliteEvidence(open), [
        { eventId: '__proto__', eventTime: '2026-03-05T00:00:00Z' },
        { eventId: eventId(9), eventTime: '2026-03-05T00:00:00Z' },
      ]),
    );
    expect(Object.keys(records)).toEqual([]);
  });
});
