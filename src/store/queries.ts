/** Read queries behind `stats`, `events` and `query`. Every user value is a bound parameter. */
import { EVENT_ROW_COLUMNS, type EventRow } from '../parse/event-row.js';
import type { Db } from './database.js';
import type { EventSelection } from './evidence-port.js';

export interface DatabaseStats {
  events: number;
  firstEvent: string | null;
  lastEvent: string | null;
  accounts: Array<{ account: string; events: number }>;
  regions: Array<{ region: string; events: number }>;
  topEventNames: Array<{ eventName: string; events: number }>;
  files: Array<{ status: string; files: number }>;
  /** Rows of ingest_errors: a file lists at most 50 problems of a kind and counts the rest in one row, so this counts lines. */
  problems: Array<{ severity: string; count: number }>;
  /** Every record rejected, from the files' own counts: what the problem lines may list only in part. */
  rejectedRecords: number;
}

export function databaseStats(db: Db, topN = 10): DatabaseStats {
  const totals = db.prepare('SELECT count(*) AS n, min(event_time) AS first, max(event_time) AS last FROM event_rows').get() as {
    n: number;
    first: string | null;
    last: string | null;
  };
  return {
    events: totals.n,
    firstEvent: totals.first,
    lastEvent: totals.last,
    accounts: db
      .prepare(
        `SELECT coalesce(recipient_account_id, account_id, '(unknown)') AS account, count(*) AS events
         FROM event_columns GROUP BY 1 ORDER BY 2 DESC, 1`,
      )
      .all() as DatabaseStats['accounts'],
    regions: db
      .prepare(`SELECT coalesce(aws_region, '(none)') AS region, count(*) AS events FROM event_columns GROUP BY 1 ORDER BY 2 DESC, 1`)
      .all() as DatabaseStats['regions'],
    topEventNames: db
      .prepare(
        `SELECT coalesce(event_name, '(none)') AS eventName, count(*) AS events FROM event_rows GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?`,
      )
      .all(topN) as DatabaseStats['topEventNames'],
    files: db.prepare('SELECT status, count(*) AS files FROM files GROUP BY 1 ORDER BY 1').all() as DatabaseStats['files'],
    problems: db
      .prepare('SELECT severity, count(*) AS count FROM ingest_errors GROUP BY 1 ORDER BY 1')
      .all() as DatabaseStats['problems'],
    rejectedRecords: db.prepare('SELECT coalesce(sum(rejected), 0) FROM files').pluck().get() as number,
  };
}

export interface EventSearch {
  names?: string[];
  /** An identity ARN; a role ARN also matches every session of that role. */
  actor?: string;
  accessKeyId?: string;
  sourceIp?: string;
  account?: string;
  region?: string;
  since?: string;
  until?: string;
  eventIds?: string[];
  limit?: number;
}

export const EVENT_LIST_COLUMNS = [
  'event_time',
  'event_name',
  'event_source',
  'aws_region',
  'recipient_account_id',
  'identity_type',
  'identity_arn',
  'access_key_id',
  'source_ip',
  'user_agent',
  'error_code',
  'error_message',
  'instance_profile_name',
  'event_id',
] as const;

/** WHERE clauses with bound parameters: every user value travels as a parameter, never as SQL. */
class Conditions {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  /** `clause` holds one `?` per value; the same value is bound to each. */
  add(clause: string, value: string | undefined): this {
    if (value === undefined || value === '') return this;
    this.clauses.push(clause);
    for (let i = 0; i < (clause.match(/\?/g) ?? []).length; i += 1) this.params.push(value);
    return this;
  }

  /** `clause` with its own value for each `?`. */
  addEach(clause: string, values: unknown[]): this {
    this.clauses.push(clause);
    this.params.push(...values);
    return this;
  }

  inList(column: string, values: string[] | undefined): this {
    if (!values || values.length === 0) return this;
    this.clauses.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    this.params.push(...values);
    return this;
  }

  sql(): string {
    return this.clauses.length > 0 ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}

/** Characters of an IAM user, role or session name; none of them is special to GLOB. */
const BARE_NAME = /^[\w+=,.@-]+$/;

/**
 * An ARN or principal ID matches exactly (a role ARN also matches its sessions); a bare name
 * such as `deploy-bot` matches the user, role or session of that name, in any path or account.
 */
function withActor(conditions: Conditions, actor: string | undefined): Conditions {
  if (actor === undefined || actor === '') return conditions;
  // A web identity's subject (`repo:org/app:ref:…`) or a SAML user name holds ':' or '/' but is no ARN: its user name.
  if (!BARE_NAME.test(actor)) return conditions.add('(identity_arn = ? OR session_issuer_arn = ? OR principal_id = ? OR user_name = ?)', actor);
  return conditions.addEach('(principal_id = ? OR user_name = ? OR identity_arn GLOB ? OR session_issuer_arn GLOB ?)', [
    actor,
    actor,
    `*/${actor}`,
    `*/${actor}`,
  ]);
}

function searchConditions(search: EventSearch): Conditions {
  return withActor(new Conditions().inList('event_name', search.names).inList('event_id', search.eventIds), search.actor)
    .add('(access_key_id = ? OR issued_access_key_id = ?)', search.accessKeyId)
    .add('source_ip = ?', search.sourceIp)
    .add('(recipient_account_id = ? OR account_id = ?)', search.account)
    .add('aws_region = ?', search.region)
    .add('event_time >= ?', search.since)
    .add('event_time <= ?', search.until);
}

export function searchEvents(db: Db, search: EventSearch, columns: readonly string[] = EVENT_LIST_COLUMNS): Array<Record<string, unknown>> {
  const where = searchConditions(search);
  const sql = `SELECT ${columns.map((column) => quoteIdentifier(column)).join(', ')} FROM events ${where.sql()}
    ORDER BY event_time, event_id LIMIT ?`;
  return db.prepare(sql).all(...where.params, search.limit ?? -1) as Array<Record<string, unknown>>;
}

/** How many events a search matches, whatever its limit. */
export function countEvents(db: Db, search: EventSearch): number {
  const where = searchConditions(search);
  return (db.prepare(`SELECT count(*) FROM event_columns ${where.sql()}`).pluck().get(...where.params) as number) ?? 0;
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

// --- query: read-only SQL -------------------------------------------------

export class QueryRefused extends Error {}

const READ_STATEMENT = /^(select|with|values|explain)\b/i;
const READ_ONLY_RULE = 'only SELECT, WITH, VALUES, EXPLAIN and schema-reading PRAGMAs are allowed: query is read-only';
const READ_PRAGMA = /^pragma\s+(table_info|table_xinfo|index_list|index_info|index_xinfo|table_list|foreign_key_list|user_version|schema_version|compile_options|function_list)\s*(\(\s*[\w"'. ]*\s*\))?\s*;?\s*$/i;

/**
 * Runs user SQL on a read-only connection. Beyond SQLite's own read-only mode, a
 * statement must be a query (or a harmless schema PRAGMA) and SQLite must confirm it
 * writes nothing, which also rules out ATTACH, DETACH and pragma assignments.
 */
/** The SQL after any leading whitespace and comments, so `-- note\nselect …` is judged by its `select`. */
export function withoutLeadingComments(sql: string): string {
  let rest = sql;
  for (;;) {
    const trimmed = rest.replace(/^\s+/, '');
    if (trimmed.startsWith('--')) {
      const end = trimmed.indexOf('\n');
      rest = end < 0 ? '' : trimmed.slice(end + 1);
    } else if (trimmed.startsWith('/*')) {
      const end = trimmed.indexOf('*/', 2);
      rest = end < 0 ? '' : trimmed.slice(end + 2);
    } else {
      return trimmed;
    }
  }
}

export function runReadOnlyQuery(db: Db, sql: string): { columns: string[]; rows: Array<Record<string, unknown>> } {
  if (!db.readonly) throw new QueryRefused('query needs a read-only connection');
  const statementText = withoutLeadingComments(sql);
  if (statementText === '') throw new QueryRefused('no SQL statement given');
  const isPragma = /^pragma\b/i.test(statementText);
  const allowed = isPragma ? READ_PRAGMA.test(statementText) : READ_STATEMENT.test(statementText);
  let statement;
  try {
    // Preparing compiles without running, so a typo such as `selct` gets SQLite's own message
    // instead of being called a write.
    statement = db.prepare(sql);
  } catch (error) {
    const message = (error as Error).message;
    // event_rows and the other row sets are views: a write to one fails to compile, and is a write all the same.
    if (!allowed && /^cannot modify \S+ because it is a view$/.test(message)) throw new QueryRefused(READ_ONLY_RULE);
    throw new QueryRefused(`SQL error: ${message}`);
  }
  if (!allowed) throw new QueryRefused(READ_ONLY_RULE);
  if (!statement.readonly || !statement.reader) {
    throw new QueryRefused('statement would modify the database or its connection: query is read-only');
  }
  const columns = statement.columns().map((column) => column.name);
  try {
    return { columns, rows: statement.all() as Array<Record<string, unknown>> };
  } catch (error) {
    throw new QueryRefused(`SQL error: ${(error as Error).message}`);
  }
}

// --- timeline selectors ---------------------------------------------------

/**
 * Event rows for a timeline selector, behind Evidence.eventsBySelection (store/evidence.ts).
 * Each selector goes through its own index; several selectors intersect.
 */
export function timelineEvents(db: Db, selection: EventSelection): EventRow[] {
  const where = new Conditions()
    .add('(identity_arn = ? OR session_issuer_arn = ?)', selection.actor)
    .add('(access_key_id = ? OR issued_access_key_id = ?)', selection.accessKeyId)
    .add('source_ip = ?', selection.sourceIp)
    .add('instance_profile_name = ?', selection.profile)
    .add('row_id IN (SELECT event_rowid FROM event_instances WHERE instance_id = ?)', selection.instanceId)
    .add('event_time >= ?', selection.since)
    .add('event_time <= ?', selection.until);
  return db
    .prepare(`SELECT ${EVENT_ROW_COLUMNS.join(', ')} FROM event_columns ${where.sql()} ORDER BY event_time, event_id`)
    .all(...where.params) as EventRow[];
}

/** Whether any event is stored: an empty store may be bulk-loaded (database.ts startBulkLoad). */
export function hasStoredEvents(db: Db): boolean {
  return db.prepare('SELECT 1 FROM event_rows LIMIT 1').get() !== undefined;
}
