/**
 * Ingest from a real S3-compatible server (s3rver on loopback, in a child process),
 * the bundled organization-trail scenario: exactly the same rows as a local ingest,
 * incremental re-runs, and date/region pruning that fetches fewer objects.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { openDatabase } from '../../src/store/database.js';
import { S3Source } from '../../src/sources/s3.js';
import { S3RVER_CREDENTIALS, type S3rverHandle, startS3rver } from '../support/s3rver.js';
import { count, freshDatabasePath, withDatabase } from '../support/database.js';
import { SCENARIO_ARCHIVE, SCENARIO_EXPECTED, scenarioDatabase } from '../support/scenario.js';

const { logFiles, digestFiles, uniqueEvents, duplicateRecords } = SCENARIO_EXPECTED.counts;
let server: S3rverHandle;

beforeAll(async () => {
  server = await startS3rver({ seedDir: SCENARIO_ARCHIVE, bucket: 'org-trail-bucket' });
});
afterAll(async () => {
  await server?.stop();
});

async function ingestS3(dbPath: string, uri: string, filter = {}) {
  const source = new S3Source(uri, { endpointUrl: server.endpoint, credentials: S3RVER_CREDENTIALS, region: 'us-east-1' });
  const db = openDatabase(dbPath);
  try {
    const summary = await ingest(db, [source], { filter }, { problem: () => undefined });
    return { summary, stats: source.stats };
  } finally {
    db.close();
  }
}

describe('ingest from S3', () => {
  it('when the org-trail bucket is ingested then the rows equal a local ingest of the same tree, one per unique event', async () => {
    const s3Db = freshDatabasePath();
    const localDb = scenarioDatabase();
    const { summary } = await ingestS3(s3Db, 's3://org-trail-bucket/AWSLogs/');
    expect(summary).toMatchObject({ eventsInserted: uniqueEvents, duplicates: duplicateRecords, digestFiles, errors: 0 });
    const ids = (path: string) => withDatabase(path, (db) => db.prepare('SELECT event_id FROM events ORDER BY event_id').pluck().all());
    expect(ids(s3Db)).toEqual(ids(localDb));
    withDatabase(s3Db, (db) => {
      expect(count(db, "SELECT count(*) FROM files WHERE uri LIKE 's3://org-trail-bucket/AWSLogs/%'")).toBe(logFiles + digestFiles);
      expect(JSON.parse(db.prepare("SELECT record FROM events WHERE event_name = 'DeleteInstanceProfile' LIMIT 1").pluck().get() as string)).toHaveProperty('eventID');
    });
  });

  it('when the same bucket is ingested again then no object is fetched', async () => {
    const dbPath = freshDatabasePath();
    await ingestS3(dbPath, 's3://org-trail-bucket/AWSLogs/');
    const { summary, stats } = await ingestS3(dbPath, 's3://org-trail-bucket/AWSLogs/');
    expect(summary).toMatchObject({ filesIngested: 0, eventsInserted: 0, filesSkipped: logFiles });
    expect(stats.objectsFetched).toBe(0);
  });

  it('when --since/--until/--region are given then only the padded day folders are fetched', async () => {
    const full = await ingestS3(freshDatabasePath(), 's3://org-trail-bucket/AWSLogs/');
    const dbPath = freshDatabasePath();
    const pruned = await ingestS3(dbPath, 's3://org-trail-bucket/AWSLogs/', {
      since: '2026-03-06T00:00:00Z',
      until: '2026-03-06T23:59:59Z',
      regions: new Set(['us-west-2', 'us-east-1']),
    });
    expect(pruned.stats.objectsFetched).toBeGreaterThan(0);
    expect(pruned.stats.objectsFetched).toBeLessThan(full.stats.objectsFetched / 2);
    expect(pruned.stats.listRequests).toBeLessThan(full.stats.listRequests);
    withDatabase(dbPath, (db) => {
      // Only 03-05..03-07 delivery folders were listed, and no eu-west-1 folder.
      const days = db.prepare("SELECT DISTINCT substr(uri, instr(uri, '/2026/') + 1, 10) FROM files ORDER BY 1").pluck().all();
      expect(days).toEqual(['2026/03/05', '2026/03/06', '2026/03/07']);
      expect(count(db, "SELECT count(*) FROM files WHERE uri LIKE '%/eu-west-1/%'")).toBe(0);
      expect(count(db, "SELECT count(*) FROM events WHERE event_time NOT LIKE '2026-03-06%'")).toBe(0);
      // The deletion is an IAM event: delivered in us-east-1, kept by the region filter.
      expect(count(db, "SELECT count(*) FROM events WHERE event_name = 'DeleteInstanceProfile'")).toBeGreaterThanOrEqual(3);
    });
  });

  it('when the CLI is given s3:// with --endpoint-url then it ingests with the standard credential chain', () => {
    const dbPath = freshDatabasePath();
    const result = spawnSync(
      process.execPath,
      [resolve(__dirname, '../../dist/cli/main.js'), 'ingest', 's3://org-trail-bucket/AWSLogs/o-a1b2c3d4e5/111111111111/', '--endpoint-url', server.endpoint, '--db', dbPath, '--format', 'json', '--progress', 'none'],
      { encoding: 'utf8', env: { ...process.env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' } },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout) as { eventsInserted: number; errors: number };
    expect(summary.errors).toBe(0);
    withDatabase(dbPath, (db) => {
      expect(count(db, 'SELECT count(*) FROM events')).toBe(summary.eventsInserted);
      expect(count(db, "SELECT count(*) FROM files WHERE uri NOT LIKE 's3://org-trail-bucket/AWSLogs/o-a1b2c3d4e5/111111111111/%'")).toBe(0);
    });
  });
});
