/**
 * Real CloudTrail from public sources (../shared/datasets/public-cloudtrail). Skipped in a
 * clone without ../shared; CI has it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { count, freshDatabasePath, ingestLocal, withDatabase } from '../support/database.js';

const DATASET = resolve(__dirname, '../../../shared/datasets/public-cloudtrail');
const present = existsSync(join(DATASET, 'SOURCES.md'));

/** `## name` sections of SOURCES.md with their "records: N" counts. */
function expectedCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  let section: string | null = null;
  for (const line of readFileSync(join(DATASET, 'SOURCES.md'), 'utf8').split('\n')) {
    const heading = /^## (\S+)/.exec(line);
    if (heading) section = heading[1]!;
    const records = /records: (\d+)/.exec(line);
    if (section && records && line.includes('Local files')) counts.set(section, Number(records[1]));
  }
  return counts;
}

describe.skipIf(!present)('public CloudTrail samples', () => {
  it('when every source is ingested then the records read match SOURCES.md and only the truly broken file errs', async () => {
    const counts = expectedCounts();
    expect(counts.size).toBeGreaterThanOrEqual(9);
    const dbPath = freshDatabasePath();
    const { summary, problems } = await ingestLocal(dbPath, [DATASET]);
    withDatabase(dbPath, (db) => {
      for (const [source, expected] of counts) {
        const seen = count(
          db,
          "SELECT coalesce(sum(records_seen), 0) FROM files WHERE uri LIKE ? AND status IN ('done', 'error')",
          `${join(DATASET, source)}/%`,
        );
        expect({ source, seen }).toEqual({ source, seen: expected });
      }
      const fileErrors = db.prepare("SELECT uri FROM files WHERE status = 'error'").pluck().all();
      expect(fileErrors).toEqual([join(DATASET, 'cloudgrep/bad_cloudtrail.json')]);
      // Sidecar files and SOURCES.md are recognised as not CloudTrail: warnings, not errors.
      const warned = (db.prepare("SELECT uri FROM files WHERE status = 'warning' ORDER BY uri").pluck().all() as string[]).map((uri) => uri.slice(DATASET.length + 1));
      expect(warned).toEqual([
        'SOURCES.md',
        'aws-docs-examples/aws_docs_cloudtrail_examples.provenance.jsonl',
        'panther-analysis/panther_cloudtrail_test_events.index.jsonl',
      ]);
      expect(count(db, "SELECT count(*) FROM events WHERE event_name = 'DeleteInstanceProfile'")).toBe(1);
      // AWS's own eventVersion 1.0 examples (2014) predate eventID: kept, under their SHA-256.
      const oldest = db.prepare("SELECT event_name FROM events WHERE event_id LIKE 'sha256:%' ORDER BY event_name").pluck().all();
      expect(oldest).toEqual(['AddUserToGroup', 'CreateKeyPair', 'CreateRole', 'CreateUser', 'StartInstances', 'StopInstances']);
      // The sidecars' records are theirs, not "rejected": what is left rejected is bad_cloudtrail.json's.
      expect(summary.notCloudTrailRecords).toBeGreaterThan(0);
      expect(summary.rejected).toBeLessThan(summary.notCloudTrailRecords);
      expect(count(db, 'SELECT count(*) FROM events')).toBe(summary.eventsInserted);
    });
    // Every record read is accounted for.
    expect(summary.recordsSeen).toBe(summary.eventsInserted + summary.duplicates + summary.rejected + summary.notCloudTrailRecords + summary.filteredOut);
    // Every problem line names its file.
    for (const line of problems) expect(line).toMatch(/^(error|warning): \/\S+/);
  });

  it('when AWS\'s documentation repeats a ConsoleLogin\'s eventID with another MFAUsed then the copy not stored is a warning and the first is kept', async () => {
    const dbPath = freshDatabasePath();
    const { problems } = await ingestLocal(dbPath, [DATASET]);
    const examples = join(DATASET, 'aws-docs-examples/aws_docs_cloudtrail_examples.jsonl');
    const id = 'deb1e1f9-c99b-4612-8e9f-21f93b5d79c0';
    // Lines 6 and 7 of the file (records 5 and 6): the same sign-in, MFAUsed "No" and then "YES".
    expect(problems.filter((line) => line.includes(id))).toEqual([
      `warning: ${examples}: record 6: eventID ${id} (2022-11-10T16:24:34Z) is already stored from ${examples} with different content (mfa_authenticated): ` +
        `this record was not stored; compare them with "trailsift events --id ${id}" and the file`,
    ]);
    withDatabase(dbPath, (db) => {
      expect(db.prepare('SELECT mfa_authenticated FROM events WHERE event_id = ?').pluck().all(id)).toEqual([0]);
      expect(count(db, "SELECT count(*) FROM ingest_errors WHERE severity = 'warning' AND record_index = 6 AND uri = ? AND message LIKE ?", examples, `eventID ${id} %`)).toBe(1);
    });
  });

  it('when the samples are ingested a second time then no file is read again', async () => {
    const dbPath = freshDatabasePath();
    await ingestLocal(dbPath, [DATASET]);
    const { summary } = await ingestLocal(dbPath, [DATASET]);
    expect(summary.filesIngested).toBe(0);
    expect(summary.eventsInserted).toBe(0);
  });
});
