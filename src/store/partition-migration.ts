/**
 * Schema 4, after its SQL (schema.ts): the rows of the one event_rows table move into one
 * table per day, keeping their row ids (event_instances still points at them). Runs in the
 * migration's transaction, so an interrupted upgrade leaves schema 3 as it was.
 */
import type { Db } from './database.js';
import { buildPartitionIndexes, createPartition, rebuildRowsView, UNDATED } from './partitions.js';
import { SCHEMA_3_STORAGE_COLUMNS } from './migrations/frozen-columns.js';
import { migrationSql } from './schema.js';

/** Schema 4's decoding views over the `event_rows` view: schema 3's, made again once the rows are moved. */
const PARTITIONED_VIEWS_SQL = migrationSql('0004-day-tables-views.sql');

/** partitions.ts dayOf, in SQL. */
const DAY_SQL = `CASE WHEN event_time GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' THEN substr(event_time, 1, 10) ELSE '${UNDATED}' END`;

export function partitionExistingRows(db: Db): void {
  const days = db.prepare(`SELECT DISTINCT ${DAY_SQL} FROM event_rows_v3 ORDER BY 1`).pluck().all() as string[];
  const columns = SCHEMA_3_STORAGE_COLUMNS.join(', ');
  for (const day of days) {
    // Today's day table, which is still schema 4's: test/store/migration-fixtures.test.ts fails
    // once it is not, and this must then make schema 4's own.
    const partition = createPartition(db, day, true);
    db.prepare(`INSERT INTO ${partition.table} (rowid, ${columns}) SELECT rowid, ${columns} FROM event_rows_v3 WHERE ${DAY_SQL} = ? ORDER BY rowid`).run(day);
    buildPartitionIndexes(db, partition);
  }
  db.exec('DROP TABLE event_rows_v3');
  rebuildRowsView(db);
  db.exec(PARTITIONED_VIEWS_SQL);
}
