/**
 * A database from before schema 3 answers, once upgraded, exactly as a fresh ingest of
 * the same files: the attack paths archive is ingested fresh, its rows are copied into a
 * schema 2 database with the columns whose derivation changed blanked out (what the older
 * normalizer left there), and both are investigated.
 */
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { investigate } from '../../src/correlate/investigate.js';
import { openDatabase } from '../../src/store/database.js';
import { SqliteEvidence } from '../../src/store/evidence.js';
import { MIGRATIONS, storageColumn } from '../../src/store/schema.js';
import { EVENT_ROW_COLUMNS } from '../../src/parse/event-row.js';
import { freshDatabasePath, ingestLocal } from '../support/database.js';

const PATHS_ARCHIVE = resolve(__dirname, '../../fixtures/paths/archive');

async function investigateJson(dbPath: string): Promise<string> {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    return JSON.stringify(await investigate(new SqliteEvidence(db), {}));
  } finally {
    db.close();
  }
}

describe('upgrading to schema 3', () => {
  it('when a schema 2 database of the attack paths is upgraded then every incident is the same as from a fresh ingest', async () => {
    const freshPath = freshDatabasePath();
    await ingestLocal(freshPath, [PATHS_ARCHIVE]);
    const fresh = await investigateJson(freshPath);

    const oldPath = freshDatabasePath();
    const old = new Database(oldPath);
    old.exec(MIGRATIONS[0]!);
    old.exec(MIGRATIONS[1]!);
    old.exec(`ATTACH DATABASE '${freshPath.replace(/'/g, "''")}' AS fresh`);
    const v2Columns = [...EVENT_ROW_COLUMNS.filter((column) => column !== 'details').map(storageColumn), 'file_id', 'raw_block', 'raw_index'];
    old.exec(`
      -- The files columns schema 1 made (schema 5 added the custody columns after them).
      INSERT INTO files SELECT file_id, uri, size, version, kind, status, container, records_seen, events_inserted,
        duplicates, rejected, filtered, error, ingested_at FROM fresh.files;
      INSERT INTO raw_blocks SELECT * FROM fresh.raw_blocks;
      INSERT INTO strings SELECT * FROM fresh.strings;
      INSERT INTO event_rows (rowid, ${v2Columns.join(', ')}) SELECT rowid, ${v2Columns.join(', ')} FROM fresh.event_rows;
      INSERT INTO event_instances SELECT * FROM fresh.event_instances;
    `);
    // What schema 2's normalizer did not derive: the subjects of denied calls, Identity
    // Center's role, instances named only in a Disassociate response, deleted templates.
    const blanked = old
      .prepare(
        `UPDATE event_rows SET role_name = NULL, target_user_name = NULL, instance_ids = NULL, instance_profile_name = NULL, instance_profile_arn = NULL, launch_template_id = NULL, launch_template_name = NULL
         WHERE event_name IN ('GetRoleCredentials', 'DisassociateIamInstanceProfile', 'DeleteLaunchTemplate') OR error_code_ref IS NOT NULL`,
      )
      .run().changes;
    expect(blanked).toBeGreaterThan(0);
    old.exec(`DELETE FROM event_instances WHERE event_rowid IN (SELECT rowid FROM event_rows WHERE instance_ids IS NULL)`);
    old.exec('DETACH DATABASE fresh');
    old.pragma('user_version = 2');
    old.close();

    openDatabase(oldPath).close();
    expect(await investigateJson(oldPath)).toBe(fresh);
  }, 60_000);
});
