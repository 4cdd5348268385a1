/**
 * The facts verification needs (custody/verify.ts), read from the files and digest tables
 * and the trail-control events. Read-only.
 */
import type { CustodyDigest, CustodyFacts, TrailControlEvent } from '../custody/verify.js';
import { detailsOf } from '../parse/event-row.js';
import type { DigestLogFile } from '../parse/digest-file.js';
import type { Db } from './database.js';

/** The calls that change what a trail records: a gap beside one of them is explained, or at least named. */
export const TRAIL_CONTROL_EVENTS = ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'] as const;

export function custodyFacts(db: Db): CustodyFacts {
  const logFiles = db
    .prepare(
      `SELECT uri, status, content_sha256 AS contentSha256, oldest_event_time AS oldestEventTime, newest_event_time AS newestEventTime
       FROM files WHERE kind = 'log' AND (container IS NULL OR container <> 'digest') ORDER BY uri`,
    )
    .all() as CustodyFacts['logFiles'];
  const listed = new Map<number, DigestLogFile[]>();
  for (const row of db
    .prepare(
      `SELECT digest_file_id AS fileId, s3_bucket AS s3Bucket, s3_object AS s3Object, hash_value AS hashValue, hash_algorithm AS hashAlgorithm,
         oldest_event_time AS oldestEventTime, newest_event_time AS newestEventTime
       FROM digest_log_files ORDER BY digest_file_id, position`,
    )
    .iterate() as IterableIterator<DigestLogFile & { fileId: number }>) {
    const { fileId, ...logFile } = row;
    const list = listed.get(fileId) ?? [];
    list.push(logFile);
    listed.set(fileId, list);
  }
  const digests = (
    db
      .prepare(
        `SELECT d.file_id AS fileId, f.uri, d.account_id AS accountId, d.region, d.trail_name AS trailName,
           d.digest_start_time AS digestStartTime, d.digest_end_time AS digestEndTime, d.digest_s3_bucket AS digestS3Bucket,
           d.digest_s3_object AS digestS3Object, d.public_key_fingerprint AS publicKeyFingerprint, d.signature_algorithm AS signatureAlgorithm,
           d.previous_s3_object AS previousS3Object, d.previous_hash_value AS previousHashValue, d.previous_signature AS previousSignature,
           f.content_sha256 AS contentSha256, f.signature AS s3Signature
         FROM digests d JOIN files f ON f.file_id = d.file_id ORDER BY f.uri`,
      )
      .all() as Array<Omit<CustodyDigest, 'logFiles'> & { fileId: number }>
  ).map(({ fileId, ...digest }) => ({ ...digest, logFiles: listed.get(fileId) ?? [] }));
  const unreadableDigests = db
    .prepare(
      `SELECT f.uri, f.error FROM files f WHERE (f.kind = 'digest' OR f.container = 'digest')
         AND NOT EXISTS (SELECT 1 FROM digests d WHERE d.file_id = f.file_id) ORDER BY f.uri`,
    )
    .all() as CustodyFacts['unreadableDigests'];
  const controlEvents = (
    db
      .prepare(
        `SELECT event_id, event_time, event_name, recipient_account_id, details FROM event_columns
         WHERE event_name IN (${TRAIL_CONTROL_EVENTS.map(() => '?').join(', ')}) AND error_code IS NULL ORDER BY event_time, event_id`,
      )
      .all(...TRAIL_CONTROL_EVENTS) as Array<{ event_id: string; event_time: string; event_name: string; recipient_account_id: string | null; details: string | null }>
  ).map(
    (row): TrailControlEvent => ({
      eventId: row.event_id,
      eventTime: row.event_time,
      eventName: row.event_name,
      accountId: row.recipient_account_id,
      trailName: detailsOf(row).trailName ?? null,
    }),
  );
  return { logFiles, digests, unreadableDigests, controlEvents };
}
