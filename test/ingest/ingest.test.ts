import { statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { digestFile, digestKey, eventId, logKey, record, recordsFile, tempDir, writeFile } from '../support/cloudtrail.js';
import { PARTITION_INDEXES, partitionTable } from '../../src/store/partitions.js';
import { count, freshDatabasePath, ingestLocal, withDatabase } from '../support/database.js';

const ORG = 'o-abcdefghij';

/** Org-trail tree: 2 accounts × 2 regions × 3 days, a duplicate delivery, digests, a cross-account pair. */
function organizationTree(): { root: string; uniqueEvents: number } {
  const root = tempDir();
  let n = 1000;
  let unique = 0;
  const days = ['2026-03-04', '2026-03-05', '2026-03-06'];
  for (const account of ['111111111111', '222222222222']) {
    for (const region of ['us-east-1', 'eu-west-1']) {
      for (const day of days) {
        const records = Array.from({ length: 5 }, (_, i) =>
          record({ eventID: eventId((n += 1)), eventTime: `${day}T0${i}:00:00Z`, awsRegion: region, recipientAccountId: account }),
        );
        unique += records.length;
        const key = logKey({ account, region, day, suffix: `A${n}`, org: ORG });
        writeFile(root, key, recordsFile(records));
        if (account === '111111111111' && region === 'us-east-1' && day === '2026-03-05') {
          // CloudTrail delivered this file twice under another name.
          writeFile(root, key.replace(`A${n}`, `B${n}`), recordsFile(records));
        }
      }
      writeFile(root, digestKey({ account, region, day: '2026-03-05', org: ORG }), digestFile());
    }
  }
  // A cross-account AssumeRole: two records, two eventIDs, one requestID and sharedEventID.
  const shared = { requestID: 'req-cross', sharedEventID: 'shared-1', eventName: 'AssumeRole', eventSource: 'sts.amazonaws.com', eventTime: '2026-03-05T12:00:00Z' };
  writeFile(
    root,
    logKey({ account: '111111111111', region: 'us-east-1', day: '2026-03-05', suffix: 'CROSS1', org: ORG }),
    recordsFile([record({ ...shared, eventID: eventId(9001), recipientAccountId: '111111111111' })]),
  );
  writeFile(
    root,
    logKey({ account: '222222222222', region: 'us-east-1', day: '2026-03-05', suffix: 'CROSS2', org: ORG }),
    recordsFile([record({ ...shared, eventID: eventId(9002), recipientAccountId: '222222222222' })]),
  );
  return { root, uniqueEvents: unique + 2 };
}

describe('ingest from local files', () => {
  it('when an org-trail tree has duplicate deliveries and digests then there is one row per unique event', async () => {
    const { root, uniqueEvents } = organizationTree();
    const dbPath = freshDatabasePath();
    const { summary, problems } = await ingestLocal(dbPath, [root]);
    expect(problems).toEqual([]);
    expect(summary).toMatchObject({ eventsInserted: uniqueEvents, duplicates: 5, digestFiles: 4, errors: 0, filesSkipped: 0 });
    withDatabase(dbPath, (db) => {
      expect(count(db, 'SELECT count(*) FROM events')).toBe(uniqueEvents);
      expect(count(db, 'SELECT count(DISTINCT event_id) FROM events')).toBe(uniqueEvents);
      expect(count(db, "SELECT count(*) FROM events WHERE request_id = 'req-cross'")).toBe(2);
      expect(count(db, "SELECT count(*) FROM files WHERE kind = 'digest' AND status = 'digest'")).toBe(4);
    });
  });

  it('when the same source is ingested again then no file is read and the counts stay exact', async () => {
    const { root, uniqueEvents } = organizationTree();
    const dbPath = freshDatabasePath();
    await ingestLocal(dbPath, [root]);
    const { summary } = await ingestLocal(dbPath, [root]);
    expect(summary.filesIngested).toBe(0);
    expect(summary.eventsInserted).toBe(0);
    expect(summary.filesSkipped).toBe(summary.filesListed - summary.digestFiles);
    withDatabase(dbPath, (db) => expect(count(db, 'SELECT count(*) FROM events')).toBe(uniqueEvents));
  });

  it('when Ctrl-C came before the ingest started then nothing is ingested and the run says interrupted', async () => {
    const { root } = organizationTree();
    const interrupt = new AbortController();
    interrupt.abort();
    const { summary } = await ingestLocal(freshDatabasePath(), [root], { signal: interrupt.signal });
    expect(summary).toMatchObject({ interrupted: true, filesIngested: 0, eventsInserted: 0 });
  });

  it('when the database is created then it is private to its owner (0600)', async () => {
    const { root } = organizationTree();
    const dbPath = freshDatabasePath();
    await ingestLocal(dbPath, [root]);
    expect(statSync(dbPath).mode & 0o777).toBe(0o600);
  });

  it('when --since/--until and --region are given then whole day folders are pruned and records filtered', async () => {
    const { root } = organizationTree();
    const dbPath = freshDatabasePath();
    const { summary } = await ingestLocal(dbPath, [root], {
      filter: { since: '2026-03-06T00:00:00Z', until: '2026-03-06T23:59:59Z', regions: new Set(['eu-west-1', 'us-east-1']) },
    });
    // Day 04 folders are more than a day away from the range and are never listed.
    expect(summary.filesListed).toBeLessThan(24);
    withDatabase(dbPath, (db) => {
      expect(count(db, "SELECT count(*) FROM events WHERE event_time < '2026-03-06'")).toBe(0);
      expect(count(db, 'SELECT count(*) FROM events')).toBe(20);
      expect(count(db, "SELECT count(*) FROM files WHERE uri LIKE '%/2026/03/04/%'")).toBe(0);
    });
  });

  it('when an empty database bulk-loads many files with duplicate deliveries then there is one row per event and every index is built', async () => {
    // 60 files (a bulk load starts at 50): indexes dropped, duplicates caught in memory.
    const root = tempDir();
    for (let file = 0; file < 60; file += 1) {
      const records = Array.from({ length: 3 }, (_, i) =>
        record({ eventID: eventId(20_000 + file * 3 + i), eventTime: `2026-03-05T10:${String(file).padStart(2, '0')}:0${i}Z` }),
      );
      writeFile(root, logKey({ account: '111111111111', region: 'us-east-1', day: '2026-03-05', suffix: `F${file}` }), recordsFile(records));
      // Every tenth file was delivered twice, and one record appears again in the next file.
      if (file % 10 === 0) writeFile(root, logKey({ account: '111111111111', region: 'us-east-1', day: '2026-03-05', suffix: `D${file}` }), recordsFile(records));
    }
    const dbPath = freshDatabasePath();
    const { summary, problems } = await ingestLocal(dbPath, [root]);
    expect(problems).toEqual([]);
    expect(summary).toMatchObject({ filesIngested: 66, eventsInserted: 180, duplicates: 18 });
    withDatabase(dbPath, (db) => {
      expect(count(db, 'SELECT count(*) FROM events')).toBe(180);
      expect(count(db, 'SELECT count(DISTINCT event_id) FROM events')).toBe(180);
      const table = partitionTable('2026-03-05');
      const indexes = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ?").pluck().all(table);
      expect(indexes.sort()).toEqual(PARTITION_INDEXES.map((index) => `${table}_${index.suffix}`).sort());
      expect(count(db, 'SELECT count(*) FROM event_partitions WHERE indexed = 0')).toBe(0);
    });
    // A later, ordinary ingest relies on the unique index the bulk load built at the end.
    const again = await ingestLocal(dbPath, [root]);
    expect(again.summary).toMatchObject({ filesIngested: 0, eventsInserted: 0 });
  });

  it('when --account is given then other accounts are not even listed', async () => {
    const { root } = organizationTree();
    const dbPath = freshDatabasePath();
    await ingestLocal(dbPath, [root], { filter: { accounts: new Set(['222222222222']) } });
    withDatabase(dbPath, (db) => {
      expect(count(db, "SELECT count(*) FROM files WHERE uri LIKE '%/111111111111/%'")).toBe(0);
      expect(count(db, "SELECT count(*) FROM events WHERE recipient_account_id <> '222222222222'")).toBe(0);
    });
  });
});

describe('bad input', () => {
  function badTree(): string {
    const root = tempDir();
    writeFile(root, 'good.json.gz', recordsFile([record({ eventID: eventId(1) }), record({ eventID: eventId(2) })]));
    const big = recordsFile(Array.from({ length: 100 }, (_, i) => record({ eventID: eventId(100 + i) })));
    writeFile(root, 'truncated.json.gz', big.subarray(0, big.length - 200));
    writeFile(root, 'invalid.json', '{"Records": [ {"eventID": ');
    writeFile(root, 'not-cloudtrail.json', JSON.stringify({ hello: 'world' }));
    writeFile(root, 'missing-fields.json', JSON.stringify([record({ eventID: undefined }), record({ eventTime: undefined }), record({ eventID: eventId(3) })]));
    writeFile(root, 'empty.json', '');
    writeFile(root, 'disguised-gzip.txt', gzipSync(JSON.stringify([record({ eventID: eventId(4) })])));
    return root;
  }

  it('when a tree mixes good and broken files then every problem is one line naming file and record, and good events are kept', async () => {
    const root = badTree();
    const dbPath = freshDatabasePath();
    const { summary, problems } = await ingestLocal(dbPath, [root]);
    const lineFor = (name: string) => problems.filter((line) => line.includes(`/${name}`));
    expect(lineFor('truncated.json.gz')).toEqual([expect.stringMatching(/^error: .*truncated\.json\.gz: truncated gzip stream/)]);
    expect(lineFor('invalid.json')).toEqual([expect.stringMatching(/invalid JSON/)]);
    expect(lineFor('not-cloudtrail.json')).toEqual([expect.stringMatching(/^warning: .*not a CloudTrail/)]);
    expect(lineFor('missing-fields.json')).toEqual([
      expect.stringMatching(/missing-fields\.json: record 0: record has no eventID$/),
      expect.stringMatching(/missing-fields\.json: record 1: record .* has no eventTime$/),
    ]);
    expect(lineFor('empty.json')).toEqual([expect.stringMatching(/^warning: .*empty file/)]);
    for (const line of problems) expect(line).not.toContain('\n');
    withDatabase(dbPath, (db) => {
      expect(count(db, 'SELECT count(*) FROM events WHERE event_id IN (?, ?, ?, ?)', eventId(1), eventId(2), eventId(3), eventId(4))).toBe(4);
      expect(count(db, 'SELECT count(*) FROM events WHERE event_id >= ?', eventId(100))).toBeGreaterThan(0);
      expect(count(db, 'SELECT count(*) FROM ingest_errors')).toBe(problems.length);
    });
    expect(summary.recordsSeen).toBe(summary.eventsInserted + summary.duplicates + summary.rejected + summary.notCloudTrailRecords + summary.filteredOut);
  });

  it('when a file has more rejected records than it lists then the summary\'s errors count every rejected record', async () => {
    const root = tempDir();
    const broken = Array.from({ length: 57 }, () => record({ eventID: undefined }));
    writeFile(root, 'many-broken.json.gz', recordsFile([record({ eventID: eventId(8) }), ...broken]));
    const dbPath = freshDatabasePath();
    const { summary, problems } = await ingestLocal(dbPath, [root]);
    expect(summary).toMatchObject({ rejected: 57, errors: 57, warnings: 0, eventsInserted: 1 });
    expect(problems).toHaveLength(51);
    expect(problems[0]).toMatch(/many-broken\.json\.gz: record 1: record has no eventID$/);
    expect(problems[50]).toMatch(/^error: .*many-broken\.json\.gz: 7 more rejected records not listed$/);
    withDatabase(dbPath, (db) => expect(count(db, 'SELECT count(*) FROM ingest_errors')).toBe(51));
  });

  it('when --strict is given then ingest stops at the first problem and keeps what came before', async () => {
    const root = badTree();
    const dbPath = freshDatabasePath();
    const { summary, problems } = await ingestLocal(dbPath, [root], { strict: true, concurrency: 1 });
    expect(summary.stoppedOnProblem).toBe(true);
    expect(summary.filesIngested).toBeLessThan(7);
    expect(problems.length).toBeGreaterThanOrEqual(1);
  });

  it('when a path does not exist then the error names it', async () => {
    const dbPath = freshDatabasePath();
    await expect(ingestLocal(dbPath, ['/nonexistent/evidence'])).rejects.toThrow(/cannot read \/nonexistent\/evidence: no such file or folder/);
  });

  it('when a file cannot be read then it is reported by name and the rest is ingested', async () => {
    const root = tempDir();
    writeFile(root, 'good.json', JSON.stringify([record({ eventID: eventId(7) })]));
    symlinkSync(join(root, 'moved-away.json'), join(root, 'dangling.json'));
    const { summary, problems } = await ingestLocal(freshDatabasePath(), [root]);
    expect(problems).toEqual([expect.stringMatching(/^error: .*dangling\.json: file disappeared before it could be read/)]);
    expect(summary.eventsInserted).toBe(1);
    expect(summary.failedObjects).toEqual([join(root, 'dangling.json')]);
  });
});

describe('an eventID already stored with other content', () => {
  const login = record({ eventID: eventId(700), eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', additionalEventData: { MFAUsed: 'Yes' } });
  const logout = record({ eventID: eventId(701), eventTime: '2026-03-05T11:00:00Z' });

  /** An org trail's file and an account trail's, sharing both events; the second's ConsoleLogin says no MFA was used. */
  function twoTrails(): { first: string; second: string } {
    const root = tempDir();
    return {
      first: writeFile(root, 'org-trail/first.json.gz', recordsFile([login, logout])),
      second: writeFile(root, 'account-trail/second.json.gz', recordsFile([logout, { ...login, additionalEventData: { MFAUsed: 'No' } }])),
    };
  }

  const warningFor = (second: string, first: string): string =>
    `warning: ${second}: record 1: eventID ${eventId(700)} (2026-03-05T10:00:00Z) is already stored from ${first} with different content (mfa_authenticated): ` +
    `this record was not stored; compare them with "trailsift events --id ${eventId(700)}" and the file`;

  it.each([
    ['in memory (the day new in this run)', false],
    ['indexed (appended to a stored day)', true],
  ])('when it comes %s then one warning names both files, the first copy is kept, and a re-run adds nothing', async (_path, appended) => {
    const { first, second } = twoTrails();
    const dbPath = freshDatabasePath();
    const runs = appended ? [await ingestLocal(dbPath, [first]), await ingestLocal(dbPath, [second])] : [await ingestLocal(dbPath, [first, second], { concurrency: 1 })];
    const { summary, problems } = runs.at(-1)!;
    expect(problems).toEqual([warningFor(second, first)]);
    // The identical re-delivery of logout stays a silent duplicate.
    expect(summary).toMatchObject({ duplicates: 2, warnings: 1, errors: 0 });
    withDatabase(dbPath, (db) => {
      expect(db.prepare('SELECT uri, record_index, severity FROM ingest_errors').all()).toEqual([{ uri: second, record_index: 1, severity: 'warning' }]);
      expect(db.prepare('SELECT event_id, mfa_authenticated FROM events ORDER BY event_id').all()).toEqual([
        { event_id: eventId(700), mfa_authenticated: 1 },
        { event_id: eventId(701), mfa_authenticated: null },
      ]);
    });
    const again = await ingestLocal(dbPath, [first, second]);
    expect(again.problems).toEqual([]);
    expect(again.summary).toMatchObject({ filesIngested: 0, eventsInserted: 0, warnings: 0 });
    withDatabase(dbPath, (db) => expect(count(db, 'SELECT count(*) FROM ingest_errors')).toBe(1));
  });

  it('when a file holds more such records than are listed then one line counts the rest and the summary\'s warnings count them all', async () => {
    const root = tempDir();
    const records = Array.from({ length: 53 }, (_, i) => record({ eventID: eventId(800 + i) }));
    const first = writeFile(root, 'first.json.gz', recordsFile(records));
    const second = writeFile(root, 'second.json.gz', recordsFile(records.map((value) => ({ ...value, sourceIPAddress: '203.0.113.66' }))));
    const { summary, problems } = await ingestLocal(freshDatabasePath(), [first, second], { concurrency: 1 });
    expect(summary).toMatchObject({ eventsInserted: 53, duplicates: 53, warnings: 53 });
    expect(problems).toHaveLength(51);
    expect(problems[49]).toMatch(new RegExp(`second\\.json\\.gz: record 49: eventID ${eventId(849)} .* from ${first} with different content \\(source_ip\\)`));
    expect(problems[50]).toBe(`warning: ${second}: 3 more records whose eventID is already stored with different content not listed`);
  });
});
