/**
 * Schema 4, after its SQL (schema.ts): the rows of the one event_rows table move into one
 * table per day, renumbered from each day's base; event_instances follows the new row ids.
 * Runs in the migration's transaction, so an interrupted upgrade leaves schema 3 as it was.
 */
import type { Db } from './database.js';
import { buildPartitionIndexes, createPartition, rebuildRowsView, rowIdBase, UNDATED } from './partitions.js';
import { PARTITION_STORAGE_COLUMNS, PARTITIONED_VIEWS_SQL } from './schema.js';

/** partitions.ts dayOf, in SQL. */
const DAY_SQL = `CASE WHEN event_time GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' THEN substr(event_time, 1, 10) ELSE '${UNDATED}' END`;

export function partitionExistingRows(db: Db): void {
  const days = db.prepare(`SELECT DISTINCT ${DAY_SQL} FROM event_rows_v3 ORDER BY 1`).pluck().all() as string[];
  db.exec('CREATE TEMP TABLE moved_rows (old_rowid INTEGER PRIMARY KEY, new_rowid INTEGER NOT NULL)');
  const columns = PARTITION_STORAGE_COLUMNS.join(', ');
  for (const day of days) {
    const partition = createPartition(db, day, true);
    const base = rowIdBase(day);
    db.prepare(
      `INSERT INTO moved_rows (old_rowid, new_rowid)
       SELECT rowid, ? + row_number() OVER (ORDER BY rowid) - 1 FROM event_rows_v3 WHERE ${DAY_SQL} = ?`,
    ).run(base, day);
    db.prepare(
      `INSERT INTO ${partition.table} (rowid, ${columns})
       SELECT moved_rows.new_rowid, ${columns} FROM event_rows_v3 JOIN moved_rows ON moved_rows.old_rowid = event_rows_v3.rowid
       WHERE ${DAY_SQL} = ? ORDER BY event_rows_v3.rowid`,
    ).run(day);
    buildPartitionIndexes(db, partition);
  }
  // New ids are all above every old one (the smallest base is far above any schema-3 rowid), so no key collides mid-update.
  db.exec('UPDATE event_instances SET event_rowid = (SELECT new_rowid FROM moved_rows WHERE old_rowid = event_rowid)');
  db.exec('DROP TABLE temp.moved_rows');
  db.exec('DROP TABLE event_rows_v3');
  rebuildRowsView(db);
  db.exec(PARTITIONED_VIEWS_SQL);
}
