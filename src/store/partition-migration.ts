/**
 * Schema 4, after its SQL (schema.ts): the rows of the one event_rows table move into one
 * table per day, keeping their row ids (event_instances still points at them). Runs in the
 * migration's transaction, so an interrupted upgrade leaves schema 3 as it was. The tables,
 * indexes and views it makes are its own frozen ones (migrations/0004-day-tables.ts), not
 * today's partitions.ts: a later change to the day layout must come as a new migration.
 */
import type { Db } from './database.js';
import {
  SCHEMA_4_DAY_SQL,
  schema4DayIndexesSql,
  schema4DayTable,
  schema4DayTableSql,
  schema4ViewsSql,
} from './migrations/0004-day-tables.js';
import { SCHEMA_3_STORAGE_COLUMNS } from './migrations/frozen-columns.js';
import { migrationSql } from './schema.js';

/** Schema 4's decoding views over the `event_rows` view: schema 3's, made again once the rows are moved. */
const PARTITIONED_VIEWS_SQL = migrationSql('0004-day-tables-views.sql');

export function partitionExistingRows(db: Db): void {
  const days = db.prepare(`SELECT DISTINCT ${SCHEMA_4_DAY_SQL} FROM event_rows_v3 ORDER BY 1`).pluck().all() as string[];
  const columns = SCHEMA_3_STORAGE_COLUMNS.join(', ');
  const recordDay = db.prepare('INSERT INTO event_partitions (day, table_name, indexed) VALUES (?, ?, 1)');
  for (const day of days) {
    const table = schema4DayTable(day);
    db.exec(schema4DayTableSql(table));
    db.prepare(`INSERT INTO ${table} (rowid, ${columns}) SELECT rowid, ${columns} FROM event_rows_v3 WHERE ${SCHEMA_4_DAY_SQL} = ? ORDER BY rowid`).run(day);
    // After the rows, as a first load builds them. Schema 3's unique event_id index means no day holds an event twice.
    for (const index of schema4DayIndexesSql(table)) db.exec(index);
    recordDay.run(day, table);
  }
  db.exec('DROP TABLE event_rows_v3');
  for (const view of schema4ViewsSql(days)) db.exec(view);
  db.exec(PARTITIONED_VIEWS_SQL);
}
