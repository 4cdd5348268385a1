import { describe, expect, it } from 'vitest';
import { BULK_LOAD_MIN_FILES, isUnchanged, type ListedObject, planIngest } from '../../src/ingest/plan.js';
import type { SourceObject } from '../../src/sources/source.js';
import type { KnownFile } from '../../src/store/writer.js';

function listed(uri: string, kind: SourceObject['kind'] = 'log', size = 100): SourceObject {
  return {
    uri,
    size,
    version: 'mtime:1',
    kind,
    open: () => Promise.reject(new Error('a plan never opens what it lists')),
  };
}

/** What the store recorded when it last read `object` as it is now. */
function readBefore(object: SourceObject, changes: Partial<KnownFile> = {}): KnownFile {
  return { file_id: 1, size: object.size, version: object.version, status: 'done', content_sha256: 'ab'.repeat(32), ...changes };
}

function neverRead(count: number): ListedObject[] {
  return Array.from({ length: count }, (_, i) => ({ object: listed(`/logs/${i}.json.gz`), known: undefined }));
}

describe('ingest plan', () => {
  it('when an object was never read then it is read', () => {
    const object = listed('/logs/new.json.gz');
    expect(planIngest([{ object, known: undefined }], true).toRead).toEqual([object]);
  });

  it.each(['done', 'digest', 'warning', 'error'])('when a file settled as %s is unchanged then it is skipped', (status) => {
    const object = listed('/logs/old.json.gz');
    const plan = planIngest([{ object, known: readBefore(object, { status }) }], true);
    expect(plan.toRead).toEqual([]);
    expect(plan.skipped).toBe(1);
  });

  it('when a file failed last time (fetch or crash) then it is read again', () => {
    const object = listed('/logs/failed.json.gz');
    expect(isUnchanged(object, readBefore(object, { status: 'failed' }))).toBe(false);
  });

  it('when a file was interrupted while ingesting then it is read again', () => {
    const object = listed('/logs/killed.json.gz');
    expect(isUnchanged(object, readBefore(object, { status: 'ingesting' }))).toBe(false);
  });

  it('when a file changed size or version since it was read then it is read again', () => {
    const object = listed('/logs/changed.json.gz');
    expect(isUnchanged(object, readBefore(object, { size: object.size + 1 }))).toBe(false);
    expect(isUnchanged(object, readBefore(object, { version: 'mtime:0' }))).toBe(false);
  });

  it('when a file was read before hashes were recorded then it is read again for its custody facts, unless it was an error', () => {
    const object = listed('/logs/unhashed.json.gz');
    expect(isUnchanged(object, readBefore(object, { content_sha256: null }))).toBe(false);
    expect(isUnchanged(object, readBefore(object, { content_sha256: null, status: 'error' }))).toBe(true);
  });

  it('when an unchanged digest file is listed then it counts as a digest file, not as skipped', () => {
    const digest = listed('/logs/CloudTrail-Digest/d.json.gz', 'digest');
    const fresh = listed('/logs/CloudTrail-Digest/e.json.gz', 'digest');
    const plan = planIngest(
      [
        { object: digest, known: readBefore(digest, { status: 'digest' }) },
        { object: fresh, known: undefined },
      ],
      true,
    );
    expect(plan).toMatchObject({ toRead: [fresh], skipped: 0, digestFiles: 2 });
  });

  it('when files are read then progress counts towards the listed size of those alone', () => {
    const kept = listed('/logs/kept.json.gz', 'log', 700);
    const known = listed('/logs/known.json.gz', 'log', 5_000);
    const plan = planIngest([{ object: kept, known: undefined }, { object: known, known: readBefore(known) }], true);
    expect(plan.bytesTotal).toBe(700);
  });

  it('when an empty store is to take many files then it is bulk-loaded', () => {
    expect(planIngest(neverRead(BULK_LOAD_MIN_FILES), false).bulkLoad).toBe(true);
  });

  it('when an empty store is to take a few files then rows go into built indexes', () => {
    expect(planIngest(neverRead(BULK_LOAD_MIN_FILES - 1), false).bulkLoad).toBe(false);
  });

  it('when the store already holds events then it is never bulk-loaded', () => {
    expect(planIngest(neverRead(BULK_LOAD_MIN_FILES * 2), true).bulkLoad).toBe(false);
  });

  it('when most listed files are skipped then only those to read count towards a bulk load', () => {
    const unchanged = neverRead(BULK_LOAD_MIN_FILES).map(({ object }) => ({ object, known: readBefore(object) }));
    const plan = planIngest([...unchanged, ...neverRead(1)], false);
    expect(plan.toRead).toHaveLength(1);
    expect(plan.bulkLoad).toBe(false);
  });
});
