/**
 * A new database is made by running every frozen migration (schema.ts): what they make must
 * be what today's code reads and writes, or a column added to EventRow without its migration
 * would only fail on a user's database.
 */
import { describe, expect, it } from 'vitest';
import { EVENT_ROW_COLUMNS } from '../../src/parse/event-row.js';
import type { Db } from '../../src/store/database.js';
import { dayOf, PARTITION_INDEXES, partitionTable } from '../../src/store/partitions.js';
import { storageColumn } from '../../src/store/schema.js';
import { eventId, record, tempDir, writeFile } from '../support/cloudtrail.js';
import { freshDatabasePath, ingestLocal, withDatabase } from '../support/database.js';

const columnsOf = (db: Db, name: string): string[] =>
  (db.prepare(`SELECT name FROM pragma_table_xinfo(?)`).pluck().all(name) as string[]);

const RAW_COLUMNS = ['file_id', 'raw_block', 'raw_index'];

describe('a database made by every migration', () => {
  it('when a new database has taken one event then its views, day table and indexes are the ones today\'s code reads and writes', async () => {
    const root = tempDir();
    const event = record({ eventID: eventId(1) });
    writeFile(root, 'a.json', JSON.stringify({ Records: [event] }));
    const dbPath = freshDatabasePath();
    await ingestLocal(dbPath, [root]);

    withDatabase(dbPath, (db) => {
      // The decoding views are frozen migration SQL; evidence.ts and users read them by EventRow's names.
      expect(columnsOf(db, 'event_columns')).toEqual(['row_id', ...EVENT_ROW_COLUMNS, ...RAW_COLUMNS]);
      expect(columnsOf(db, 'events')).toEqual(['rowid', ...EVENT_ROW_COLUMNS, ...RAW_COLUMNS, 'record']);
      const day = partitionTable(dayOf(String(event.eventTime)));
      const storage = [...EVENT_ROW_COLUMNS.map(storageColumn), ...RAW_COLUMNS];
      expect(columnsOf(db, day)).toEqual(storage);
      expect(columnsOf(db, 'event_rows')).toEqual(['rowid', ...storage]);
      const indexes = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? ORDER BY name").pluck().all(day);
      expect(indexes).toEqual(PARTITION_INDEXES.map((index) => `${day}_${index.suffix}`).sort());
      expect(db.prepare('SELECT event_id FROM events').pluck().all()).toEqual([event.eventID]);
    });
  });
});
