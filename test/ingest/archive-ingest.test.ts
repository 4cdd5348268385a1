/** End to end through the ingest pipeline into a real SQLite file: archives, CloudWatch exports, EventBridge files. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { LocalSource } from '../../src/sources/local.js';
import { openDatabase } from '../../src/store/database.js';
import { tarOf, zipOf } from '../support/archives.js';
import { digestFile, digestKey, eventId, logKey, record, recordsFile, tempDir, writeFile } from '../support/cloudtrail.js';
import { count, freshDatabasePath, ingestLocal, withDatabase } from '../support/database.js';
import { consoleLogin, deleteInstanceProfile, eventBridgeEvent, rotateKey } from '../support/real-records.js';

const ACCOUNT = '111122223333';
const key = (region: string, day: string, suffix: string): string => logKey({ account: ACCOUNT, region, day, suffix });

/** A folder as an investigator receives it: a zip and a tar.gz of trail folders, a log group export, EventBridge output. */
async function evidenceFolder(): Promise<{ root: string; events: number }> {
  const root = tempDir();
  writeFileSync(
    join(root, 'trail-2020.zip'),
    await zipOf([
      { name: key('us-east-1', '2020-02-26', 'Z1'), content: recordsFile([deleteInstanceProfile]) },
      { name: digestKey({ account: ACCOUNT, region: 'us-east-1', day: '2020-02-26' }), content: digestFile() },
      { name: 'README.md', content: 'exported by the customer\n' },
    ]),
  );
  writeFileSync(
    join(root, 'trail-2022.tar.gz'),
    await tarOf([
      { name: 'export/AWSLogs/', folder: true },
      { name: `export/${key('us-east-1', '2022-11-10', 'T1')}`, content: recordsFile([consoleLogin]) },
      // The same delivery packed twice: one event, not two.
      { name: `export/${key('us-east-1', '2022-11-10', 'T2')}`, content: recordsFile([consoleLogin]) },
      { name: 'export/NOTES.txt', content: 'chain of custody: see ticket\n' },
    ]),
  );
  const exported = [
    `2019-06-02T00:06:09.000Z ${JSON.stringify(rotateKey)}`,
    '2019-06-02T00:06:10.000Z {"eventVersion":"1.05", truncated by hand',
    `2019-06-02T00:06:11.000Z ${JSON.stringify(record({ eventID: eventId(7001), eventTime: '2019-06-02T00:06:11Z' }))}`,
  ];
  writeFile(root, 'cloudwatch/7c2a-task/cloudtrail-stream/000000.gz', gzipSync(`${exported.join('\n')}\n`));
  const bridged = [record({ eventID: eventId(7002) }), record({ eventID: eventId(7003), eventName: 'RunInstances' })];
  writeFile(root, 'eventbridge/2026/03/05/events.jsonl', bridged.map((one) => JSON.stringify(eventBridgeEvent(one))).join('\n'));
  return { root, events: 6 };
}

describe('ingest of archives and wrapped CloudTrail', () => {
  it('when a folder holds a zip, a tar.gz, a CloudWatch export and EventBridge lines then every event is stored once, with each member its own file', async () => {
    const { root, events } = await evidenceFolder();
    const dbPath = freshDatabasePath();
    const { summary, problems } = await ingestLocal(dbPath, [root]);
    expect(summary).toMatchObject({ eventsInserted: events, duplicates: 1, digestFiles: 1, rejected: 1, errors: 1, failedListings: [], failedObjects: [] });
    expect(problems.filter((line) => line.startsWith('error:'))).toEqual([
      expect.stringMatching(/000000\.gz: record 1: line 2: timestamp 2019-06-02T00:06:10\.000Z followed by invalid JSON: /),
    ]);
    expect(problems.filter((line) => line.startsWith('warning:')).sort()).toEqual([
      expect.stringMatching(/trail-2020\.zip!\/README\.md: not a JSON file/),
      expect.stringMatching(/trail-2022\.tar\.gz!\/export\/NOTES\.txt: not a JSON file/),
    ]);
    withDatabase(dbPath, (db) => {
      expect(count(db, 'SELECT count(*) FROM events')).toBe(events);
      expect(count(db, "SELECT count(*) FROM events WHERE event_name = 'DeleteInstanceProfile'")).toBe(1);
      expect(count(db, "SELECT count(*) FROM files WHERE uri LIKE ? AND status = 'done'", `${join(root, 'trail-2022.tar.gz')}!/export/AWSLogs/%`)).toBe(2);
      expect(count(db, "SELECT count(*) FROM files WHERE uri LIKE ? AND kind = 'digest'", `${join(root, 'trail-2020.zip')}!/AWSLogs/%`)).toBe(1);
    });

    const again = await ingestLocal(dbPath, [root]);
    expect(again.summary).toMatchObject({ eventsInserted: 0, filesIngested: 0, filesSkipped: summary.filesIngested, errors: 0 });
    expect(again.problems).toEqual([]);
  });

  it('when one zip is corrupt and one tar.gz truncated then each is one line naming it, and the good archive is ingested', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'a-good.zip'), await zipOf([{ name: key('us-east-1', '2020-02-26', 'G1'), content: recordsFile([deleteInstanceProfile]) }]));
    const corrupt = await zipOf([{ name: key('us-east-1', '2022-11-10', 'C1'), content: recordsFile([consoleLogin]) }]);
    writeFileSync(join(root, 'b-corrupt.zip'), corrupt.subarray(0, corrupt.length - 40));
    const tar = await tarOf([{ name: key('us-east-1', '2019-06-02', 'T1'), content: recordsFile([rotateKey]) }], false);
    writeFileSync(join(root, 'c-truncated.tar.gz'), gzipSync(tar).subarray(0, 200));
    const dbPath = freshDatabasePath();
    const { summary, problems } = await ingestLocal(dbPath, [root]);
    expect(summary.eventsInserted).toBe(1);
    expect(summary.failedListings).toEqual([join(root, 'b-corrupt.zip'), join(root, 'c-truncated.tar.gz')]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^error: \S+b-corrupt\.zip: cannot list: cannot read the zip archive \S+b-corrupt\.zip: [^\n]+$/);
    expect(problems[1]).toMatch(/^error: \S+c-truncated\.tar\.gz: cannot list: cannot read the tar\.gz archive \S+: truncated gzip stream/);
  });

  it('when a zip member inflates past the limit then it is refused and the rest of the archive is ingested', async () => {
    const root = tempDir();
    writeFileSync(
      join(root, 'bomb.zip'),
      await zipOf([
        { name: 'spaces.json', content: Buffer.alloc(4 * 1024 * 1024, 0x20) },
        { name: key('us-east-1', '2020-02-26', 'B1'), content: recordsFile([deleteInstanceProfile]) },
      ]),
    );
    const dbPath = freshDatabasePath();
    const db = openDatabase(dbPath);
    const problems: string[] = [];
    try {
      const source = new LocalSource(root, { archive: { limits: { maxBytes: 1024 * 1024, maxRatio: 200, ratioCheckAfter: 64 * 1024 } } });
      const summary = await ingest(db, [source], { filter: {} }, { problem: (line) => problems.push(line) });
      expect(summary.eventsInserted).toBe(1);
    } finally {
      db.close();
    }
    expect(problems).toEqual([expect.stringMatching(/^error: \S+bomb\.zip!\/spaces\.json: cannot list: declares 4194304 bytes .*decompression bomb/)]);
  });
});
