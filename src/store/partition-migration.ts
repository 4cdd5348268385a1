/**
 * Schema 4, after its SQL (schema.ts): the rows of the one event_rows table move into one
 * table per day, keeping their row ids (event_instances still points at them). Runs in the
 * migration's transaction, so an interrupted upgrade leaves schema 3 as it was.
 */
import type { Db } from './database.js';
import { buildPartitionIndexes, createPartition, rebuildRowsView, UNDATED } from './partitions.js';
import { PARTITION_STORAGE_COLUMNS, PARTITIONED_VIEWS_SQL } from './schema.js';

/** partitions.ts dayOf, in SQL. */
const DAY_SQL = `CASE WHEN event_time GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' THEN substr(event_time, 1, 10) ELSE '${UNDATED}' END`;

export function partitionExistingRows(db: Db): void {
  const days = db.prepare(`SELECT DISTINCT ${DAY_SQL} FROM event_rows_v3 ORDER BY 1`).pluck().all() as string[];
  const columns = PARTITION_STORAGE_COLUMNS.join(', ');
  for (const day of days) {
    const partition = createPartition(db, day, true);
    db.prepare(`INSERT INTO ${partition.table} (rowid, ${columns}) SELECT rowid, ${columns} FROM event_rows_v3 WHERE ${DAY_SQL} = ? ORDER BY rowid`).run(day);
    buildPartitionIndexes(db, partition);
  }
  db.exec('DROP TABLE event_rows_v3');
  rebuildRowsView(db);
  db.exec(PARTITIONED_VIEWS_SQL);
}
