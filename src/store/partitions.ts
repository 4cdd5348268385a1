/**
 * Event rows are stored one table per UTC day of eventTime (`event_rows_20260306`), each with
 * its own indexes, behind the `event_rows` view that every query reads. Why: an index on
 * random keys (event ID, identity, access key, source IP) costs a page read and a page write
 * per insert once it outgrows the page cache, so appending a day to one big table got slower
 * the bigger the case (README "Performance"). A day's table only ever holds that day, so
 * adding a day touches small indexes, and a new day's indexes are built once, after its rows
 * are in (writer.ts), as a first load's are.
 *
 * - Duplicates: CloudTrail delivers the same event (same eventID, same eventTime) more than
 *   once, e.g. by an organization trail and an account trail; both copies land in the same
 *   day, whose unique index keeps one. A copy whose row differs from the stored one is not
 *   stored either, but reported (writer.ts). Two records sharing an eventID but not a day are
 *   not the same delivery: both are kept (README "The database").
 * - Row ids are one sequence across all days (writer.ts), so event_instances and the
 *   `events` view's rowid point at one row, and stay small: a row id is in every index
 *   entry, and per-day id ranges (ids near 2^50) made the database 4% larger.
 * - Views: SQLite allows at most 500 terms in one compound SELECT, and any year 0000–9999 is a
 *   valid eventTime, so the days are gathered in a tree: a view per month (its days), per year
 *   (its months), per century (its years), and `event_rows` over the centuries. SQLite
 *   flattens it, pushes a query's conditions into every day and uses each day's indexes.
 */
import type { Db } from './database.js';
import { PARTITION_COLUMN_SQL, PARTITION_STORAGE_COLUMNS } from './schema.js';

export interface Partition {
  /** `2026-03-06`, or UNDATED for rows whose time has no calendar day. */
  day: string;
  table: string;
}

export const UNDATED = '0000-00-00';
const DAY = /^(\d{4})-(\d{2})-(\d{2})/;

/** The day a row belongs to, from its canonical event_time. */
export function dayOf(eventTime: string): string {
  const match = DAY.exec(eventTime);
  return match ? match[0] : UNDATED;
}

export function partitionTable(day: string): string {
  return `event_rows_${day.replace(/-/g, '')}`;
}

/** The views above the day tables, smallest first: each gathers the level below by a key prefix of the day. */
const VIEW_LEVELS = [
  { view: (key: string) => `event_rows_m${key.replace(/-/g, '')}`, keyLength: 7 }, // 2026-03
  { view: (key: string) => `event_rows_y${key}`, keyLength: 4 }, // 2026
  { view: (key: string) => `event_rows_c${key}`, keyLength: 2 }, // 20
] as const;

/**
 * The indexes of one day's table. `deferrable` ones are left out while a day is being
 * loaded and built once at the end; the partial ones hold only the rare rows that issued a
 * key or name a profile, user or template, so they stay live.
 */
export const PARTITION_INDEXES: ReadonlyArray<{ suffix: string; unique?: boolean; on: string; where?: string; deferrable: boolean }> = [
  { suffix: 'event_id', unique: true, on: 'event_id', deferrable: true },
  { suffix: 'name_time', on: 'event_name, event_time', deferrable: true },
  { suffix: 'identity_time', on: 'identity_arn, event_time', deferrable: true },
  { suffix: 'access_key', on: 'access_key_id, event_time', deferrable: true },
  { suffix: 'source_ip', on: 'source_ip, event_time', deferrable: true },
  { suffix: 'session_issuer', on: 'session_issuer_arn, event_time', where: 'session_issuer_arn IS NOT NULL', deferrable: true },
  { suffix: 'issued_key', on: 'issued_access_key_id', where: 'issued_access_key_id IS NOT NULL', deferrable: false },
  { suffix: 'profile', on: 'instance_profile_name, event_time', where: 'instance_profile_name IS NOT NULL', deferrable: false },
  { suffix: 'target_user', on: 'target_user_name, event_time', where: 'target_user_name IS NOT NULL', deferrable: false },
  { suffix: 'launch_template', on: 'launch_template_id', where: 'launch_template_id IS NOT NULL', deferrable: false },
  // Only STS/IAM calls that issued a key need their cross-account twin found by request ID.
  { suffix: 'issuing_request', on: 'request_id', where: 'issued_access_key_id IS NOT NULL', deferrable: false },
];

export function partitionIndexSql(table: string, index: (typeof PARTITION_INDEXES)[number]): string {
  const where = index.where ? ` WHERE ${index.where}` : '';
  return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${table}_${index.suffix} ON ${table}(${index.on})${where};`;
}

export function listPartitions(db: Db): Partition[] {
  return db.prepare('SELECT day, table_name AS "table" FROM event_partitions ORDER BY day').all() as Partition[];
}

/** The next row id of the one sequence all days share: past the largest in any day. */
export function nextRowId(db: Db): number {
  let largest = 0;
  for (const partition of listPartitions(db)) {
    largest = Math.max(largest, (db.prepare(`SELECT max(rowid) FROM ${partition.table}`).pluck().get() as number | null) ?? 0);
  }
  return largest + 1;
}

/** Days whose deferred indexes are not all built (a load still running, or killed). */
export function unindexedPartitions(db: Db): Partition[] {
  return db.prepare('SELECT day, table_name AS "table" FROM event_partitions WHERE indexed = 0 ORDER BY day').all() as Partition[];
}

const partitionTableSql = (table: string): string => `CREATE TABLE ${table} (
  ${PARTITION_COLUMN_SQL.join(',\n  ')}
);`;

/**
 * Creates a day's table inside the caller's transaction. `deferIndexes`: the deferrable
 * indexes wait for buildPartitionIndexes; the row stays `indexed = 0` until then, so an
 * ingest killed before that leaves the next writable open to build them.
 */
export function createPartition(db: Db, day: string, deferIndexes: boolean): Partition {
  const table = partitionTable(day);
  // All or nothing inside the caller's transaction: a half-made day would leave the views broken.
  db.exec('SAVEPOINT create_day');
  try {
    db.exec(partitionTableSql(table));
    for (const index of PARTITION_INDEXES) if (!deferIndexes || !index.deferrable) db.exec(partitionIndexSql(table, index));
    db.prepare('INSERT INTO event_partitions (day, table_name, indexed) VALUES (?, ?, ?)').run(day, table, deferIndexes ? 0 : 1);
    rebuildViewsAbove(db, day);
    db.exec('RELEASE create_day');
  } catch (error) {
    db.exec('ROLLBACK TO create_day');
    db.exec('RELEASE create_day');
    throw error;
  }
  return { day, table };
}

export function hasUniqueIndex(db: Db, partition: Partition): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?").get(`${partition.table}_event_id`) !== undefined;
}

/**
 * Builds whatever indexes a day's table lacks (only the unique one when `uniqueOnly`). Should
 * a day hold one event twice (its in-memory check was lost with a crash mid-run), the later
 * copies are dropped first, as the unique index would have dropped them: same eventID, same day.
 */
export function buildPartitionIndexes(db: Db, partition: Partition, uniqueOnly = false): void {
  for (const index of PARTITION_INDEXES) {
    if (uniqueOnly && !index.unique) continue;
    const sql = partitionIndexSql(partition.table, index);
    try {
      db.exec(sql);
    } catch (error) {
      if (!index.unique || !/UNIQUE constraint failed/.test((error as Error).message)) throw error;
      dropRepeatedEvents(db, partition.table);
      db.exec(sql);
    }
  }
  if (!uniqueOnly) db.prepare('UPDATE event_partitions SET indexed = 1 WHERE day = ?').run(partition.day);
}

function dropRepeatedEvents(db: Db, table: string): void {
  const repeated = `SELECT rowid FROM ${table} WHERE rowid NOT IN (SELECT min(rowid) FROM ${table} GROUP BY event_id)`;
  db.exec(`DELETE FROM event_instances WHERE event_rowid IN (${repeated})`);
  db.exec(`DELETE FROM ${table} WHERE rowid IN (${repeated})`);
}

const columnsList = ['rowid AS rowid', ...PARTITION_STORAGE_COLUMNS].join(', ');

/** An empty SELECT with the row columns, for a database with no rows yet. */
const emptySelect = `SELECT ${['NULL AS rowid', ...PARTITION_STORAGE_COLUMNS.map((column) => `NULL AS ${column}`)].join(', ')} WHERE 0`;

function replaceView(db: Db, name: string, terms: string[]): void {
  db.exec(`DROP VIEW IF EXISTS ${name}`);
  db.exec(`CREATE VIEW ${name} AS ${terms.length > 0 ? terms.join('\nUNION ALL ') : emptySelect}`);
}

/**
 * After a day is added: its month's view, and each level above whose set of members changed
 * (a new month in its year, a new year in its century, a new century). Views name the level
 * below, so an unchanged level needs nothing.
 */
function rebuildViewsAbove(db: Db, day: string): void {
  const days = db.prepare('SELECT table_name FROM event_partitions WHERE substr(day, 1, 7) = ? ORDER BY day').pluck().all(day.slice(0, 7)) as string[];
  replaceView(db, VIEW_LEVELS[0].view(day.slice(0, 7)), days.map((table) => `SELECT ${columnsList} FROM ${table}`));
  if (days.length > 1) return;
  for (let level = 1; level < VIEW_LEVELS.length; level += 1) {
    const key = day.slice(0, VIEW_LEVELS[level]!.keyLength);
    const members = memberKeys(db, key, VIEW_LEVELS[level - 1]!.keyLength);
    replaceView(db, VIEW_LEVELS[level]!.view(key), members.map((member) => `SELECT * FROM ${VIEW_LEVELS[level - 1]!.view(member)}`));
    if (members.length > 1) return;
  }
  rebuildRowsView(db);
}

/** The distinct `length`-long day prefixes under `prefix`. */
function memberKeys(db: Db, prefix: string, length: number): string[] {
  return db.prepare('SELECT DISTINCT substr(day, 1, ?) FROM event_partitions WHERE day LIKE ? ORDER BY 1').pluck().all(length, `${prefix}%`) as string[];
}

/** `event_rows` over every century; the views that decode it (schema.ts) read it by name. */
export function rebuildRowsView(db: Db): void {
  const top = VIEW_LEVELS[VIEW_LEVELS.length - 1]!;
  replaceView(db, 'event_rows', memberKeys(db, '', top.keyLength).map((key) => `SELECT * FROM ${top.view(key)}`));
}
