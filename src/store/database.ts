/**
 * Opening the trailsift database: created private (0600), WAL, migrated, with the
 * trailsift_record() SQL function that returns an event's original record.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import Database from 'better-sqlite3';
import { decodeBlock, type DecodedBlock } from '../parse/raw-block.js';
import { rederiveRows } from './backfill.js';
import { partitionExistingRows } from './partition-migration.js';
import { buildPartitionIndexes, unindexedPartitions } from './partitions.js';
import { BACKFILLED_MIGRATIONS, MIGRATIONS, PARTITIONING_VERSION, SCHEMA_VERSION } from './schema.js';

export type Db = Database.Database;

// Read-only commands open evidence with an `immutable=1` URI (readerFilename). better-sqlite3
// builds SQLite without URI filenames and reads this once, when its addon first loads (at the
// first `new Database`), so it is set before any database is opened.
process.env.SQLITE_USE_URI ??= '1';

export class DatabaseError extends Error {}

export interface OpenOptions {
  readonly?: boolean;
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';

function assertSqliteFile(path: string): void {
  if (!existsSync(path)) return;
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(16);
    const read = readSync(fd, header, 0, 16, 0);
    if (read === 0) return; // an empty file becomes a new database
    if (read < 16 || header.toString('latin1') !== SQLITE_MAGIC) {
      throw new DatabaseError(`${path} is not a trailsift database (not an SQLite file); refusing to touch it`);
    }
  } finally {
    closeSync(fd);
  }
}

const BUSY_TIMEOUT_MS = 10_000;

/** Another connection holds the lock SQLite needed. */
const isBusy = (error: unknown): boolean => (error as { code?: string }).code === 'SQLITE_BUSY';
/** 64 MiB of page cache (negative: KiB): random event_id inserts stay in memory on large loads. */
const WRITER_CACHE = -65536;
/**
 * A first load only appends until the unique index goes live (writer.ts), so its cache
 * only holds what a commit writes: 16 MiB took 45 MB off peak RSS at the same speed.
 */
const BULK_LOAD_CACHE = -16384;
/** A live first load holds its lock for minutes: a reader is told so after a short wait. */
const LOAD_LOCK_WAIT_MS = 2_000;

/**
 * A first load writes through a rollback journal (startBulkLoad). Killed mid-write, it
 * leaves a hot journal that only a writable connection may roll back, and a read-only
 * command would fail on it. So a short-lived writable connection rolls it back first:
 * that restores the last committed state and changes nothing else.
 */
function undoInterruptedWrite(path: string): void {
  if (!existsSync(`${path}-journal`)) return;
  const cannotUndo = (reason: string): DatabaseError =>
    new DatabaseError(
      `database ${path} was left mid-write by an interrupted ingest, and undoing that needs write access (${reason}): run "trailsift ingest" on it again`,
    );
  let recovery: Db;
  try {
    recovery = new Database(path, { fileMustExist: true, timeout: LOAD_LOCK_WAIT_MS });
  } catch (error) {
    throw cannotUndo((error as Error).message);
  }
  try {
    recovery.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (error) {
    if (isBusy(error)) {
      throw new DatabaseError(
        `database ${path} is locked by an ingest loading it for the first time (it can be read once its indexes are built): try again when that ingest ends`,
      );
    }
    throw cannotUndo((error as Error).message);
  } finally {
    recovery.close();
  }
}

/**
 * How a read-only command opens the file. With no write-ahead log, journal or ingest lock
 * beside it, nothing is writing it: SQLite's immutable mode reads it without creating -wal or
 * -shm files or taking locks, so read-only media work and the evidence folder is never touched.
 * While an ingest may be writing, the normal read-only mode keeps reads consistent with it.
 */
function readerFilename(path: string): string {
  const live = ['-wal', '-journal', '.ingest-lock'].some((suffix) => existsSync(`${path}${suffix}`));
  if (live) return path;
  const absolute = resolvePath(path);
  return `file:${absolute.split('/').map(encodeURIComponent).join('/')}?immutable=1`;
}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const readonly = options.readonly === true;
  if (readonly && !existsSync(path)) {
    throw new DatabaseError(`no database at ${path}: run "trailsift ingest <source> --db ${path}" first`);
  }
  assertSqliteFile(path);
  if (readonly) undoInterruptedWrite(path);
  const isNew = !existsSync(path);
  let db: Db;
  const previousUmask = isNew ? process.umask(0o077) : null;
  const filename = readonly ? readerFilename(path) : path;
  try {
    // A URI is not a path better-sqlite3 can check for existence: it was checked above.
    db = new Database(filename, { readonly, fileMustExist: readonly && filename === path });
  } catch (error) {
    throw new DatabaseError(`cannot open database ${path}: ${(error as Error).message}`);
  } finally {
    if (previousUmask !== null) process.umask(previousUmask);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new DatabaseError(
        `database ${path} has schema version ${version}, newer than this trailsift understands (${SCHEMA_VERSION}): upgrade trailsift`,
      );
    }
    registerRecordFunction(db, filename);
    if (!readonly) {
      // 16 KiB pages (SQLite's default is 4): a fifth fewer syscalls and B-tree levels for
      // the same bytes; ingest got about 15% faster (scripts/bench). Only a new file can take it.
      if (isNew) db.pragma('page_size = 16384');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma(`cache_size = ${WRITER_CACHE}`);
      // Lets CREATE INDEX sort with helper threads (bulk loads build their indexes at the end).
      db.pragma(`threads = ${Math.min(4, availableParallelism())}`);
      migrate(db, version);
      ensureIndexes(db);
    } else if (version < SCHEMA_VERSION) {
      throw new DatabaseError(`database ${path} is at schema version ${version}; run an ingest to upgrade it`);
    }
    return db;
  } catch (error) {
    db.close();
    if (error instanceof DatabaseError) throw error;
    const message = (error as Error).message;
    if (readonly && existsSync(`${path}-wal`) && /readonly|unable to open|cannot open/i.test(message)) {
      throw new DatabaseError(
        `database ${path} has a write-ahead log (${path}-wal) that only writable storage can read: copy the database with its -wal file to a writable folder (${message})`,
      );
    }
    if (/file is not a database|malformed/i.test(message)) {
      throw new DatabaseError(`database ${path} is corrupted or not an SQLite file (${message})`);
    }
    throw error;
  }
}

/**
 * Builds the indexes of days an ingest created with its indexes deferred and was killed
 * before it built them (partitions.ts), one day per transaction.
 */
export function ensureIndexes(db: Db): void {
  for (const partition of unindexedPartitions(db)) db.transaction(() => buildPartitionIndexes(db, partition)).immediate();
}

/**
 * Once rows enter unique indexes on random keys (writer.ts stops deduplicating in memory),
 * a bulk load wants the writer's full cache back.
 */
export function useWriterCache(db: Db): void {
  db.pragma(`cache_size = ${WRITER_CACHE}`);
}

/**
 * A first load into an empty database (ingest.ts decides when) is set up for speed (its
 * days' indexes are deferred like any new day's, writer.ts):
 * - it writes through a rollback journal instead of the WAL. Every page a first load
 *   writes is new, and new pages need no journal, so each is written once; through the
 *   WAL it is written twice, to the log and again by the checkpoint (README
 *   "Performance" has the A/B);
 * - the connection keeps its lock for the whole load, so a reader cannot stall it: the
 *   reader is told the database is being loaded (undoInterruptedWrite) and reads it
 *   once it has its indexes;
 * - FULL sync: with a rollback journal, NORMAL can corrupt the database on a power cut
 *   (older file systems); FULL cost nothing measurable here;
 * - a smaller page cache (BULK_LOAD_CACHE).
 * When another connection has the database open the journal cannot be switched; the
 * load then goes through the WAL as any other ingest, only with its indexes deferred.
 */
export function startBulkLoad(db: Db): void {
  if (switchJournal(db, 'DELETE') === 'delete') {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('synchronous = FULL');
  }
  db.pragma(`cache_size = ${BULK_LOAD_CACHE}`);
}

/** The journal mode in force afterwards; SQLite refuses to leave WAL while another connection is open. */
function switchJournal(db: Db, mode: 'DELETE' | 'WAL'): string {
  try {
    return db.pragma(`journal_mode = ${mode}`, { simple: true }) as string;
  } catch (error) {
    if (!isBusy(error)) throw error;
    return db.pragma('journal_mode', { simple: true }) as string;
  }
}


/**
 * Back to WAL and normal locking. Locking goes first: a database that enters WAL under
 * an exclusive lock cannot leave it until the connection closes. Best effort after a
 * failure: the next writable open switches to WAL anyway.
 */
export function leaveBulkLoadMode(db: Db): void {
  db.pragma(`cache_size = ${WRITER_CACHE}`);
  if (db.pragma('journal_mode', { simple: true }) === 'wal') return;
  db.pragma('locking_mode = NORMAL');
  db.pragma('synchronous = NORMAL');
  switchJournal(db, 'WAL');
}

/**
 * Builds indexes with a small page cache. SQLite's sorter keeps in memory at most a
 * cache's worth of keys before it hands a sorted run to a helper thread (PRAGMA
 * threads); with the 64 MiB cache every index sorts in one run on this thread, with
 * 2 MiB the runs sort on the other core while the table scan goes on. The table is
 * larger than either cache, so the scan itself reads through the OS either way.
 */
export function withSortingCache<T>(db: Db, build: () => T): T {
  const normal = db.pragma('cache_size', { simple: true }) as number;
  db.pragma('cache_size = -2048');
  try {
    return build();
  } finally {
    db.pragma(`cache_size = ${normal}`);
  }
}

function migrate(db: Db, from: number): void {
  for (let version = from; version < MIGRATIONS.length; version += 1) {
    const step = MIGRATIONS[version]!;
    db.transaction(() => {
      db.exec(step);
      // A new database has no rows to derive; an old one gets its new columns filled in.
      if (from > 0 && BACKFILLED_MIGRATIONS.has(version + 1)) rederiveRows(db);
      if (version + 1 === PARTITIONING_VERSION) partitionExistingRows(db);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}

/**
 * trailsift_record(raw_block, raw_index) → the original record as JSON text.
 * A UDF may not query its own connection, so blocks are read through a second,
 * read-only connection, and the last few decoded blocks are cached because scans
 * read rows in block order.
 */
function registerRecordFunction(db: Db, path: string): void {
  let reader: Db | null = null;
  const cache = new Map<number, DecodedBlock>();
  const CACHE_BLOCKS = 8;
  db.function('trailsift_record', { deterministic: true }, (block: unknown, index: unknown) => {
    if (typeof block !== 'number' && typeof block !== 'bigint') return null;
    const blockId = Number(block);
    let decoded = cache.get(blockId);
    if (!decoded) {
      reader ??= new Database(path, { readonly: true, fileMustExist: !path.startsWith('file:') });
      const stored = reader.prepare('SELECT codec, bytes FROM raw_blocks WHERE block_id = ?').get(blockId) as
        | { codec: string; bytes: Buffer }
        | undefined;
      if (!stored) return null;
      decoded = decodeBlock(stored.codec, stored.bytes);
      if (cache.size >= CACHE_BLOCKS) cache.delete(cache.keys().next().value as number);
      cache.set(blockId, decoded);
    }
    return decoded.recordText(Number(index));
  });
  const close = db.close.bind(db);
  db.close = () => {
    reader?.close();
    return close();
  };
}
