import { openDatabase } from '../../store/database.js';
import { countEvents, EVENT_LIST_COLUMNS, searchEvents } from '../../store/queries.js';
import { renderRows, type RowFormat } from '../../report/rows.js';
import { EVENT_TABLE_LAYOUTS } from '../../report/table-profiles.js';
import { command, option } from '../declare.js';
import { databasePath, EXIT, outputWidth } from '../io.js';
import { DB, formatOption, limitCount, list, SINCE, timeBound, UNTIL } from '../options.js';
import { terminalSafeText } from '../../report/terminal-safe.js';

const TABLE_LIMIT = 100;

function limitOf(flags: { limit: number | undefined; format: RowFormat }): number | undefined {
  if (flags.limit === 0) return undefined;
  return flags.limit ?? (flags.format === 'table' ? TABLE_LIMIT : undefined);
}

const TABLE_COLUMNS = ['event_time', 'event_name', 'aws_region', 'identity_arn', 'source_ip', 'error_code', 'event_id'];

export const eventsCommand = command({
  name: 'events',
  description: 'search events without SQL; --id prints whole original records',
  options: [
    DB,
    option('--id <eventId...>', 'print these events\' original records as JSON'),
    option('--name <eventName...>', 'event names (repeat or comma-separate)'),
    option('--actor <arn|name>', 'identity ARN (a role ARN matches all its sessions), principal ID, or a bare user, role or session name'),
    option('--key <accessKeyId>', 'access key used or issued'),
    option('--ip <address>', 'source IP address'),
    option('--account <id>', 'account (recipient or caller)'),
    option('--region <name>', 'AWS region'),
    SINCE,
    UNTIL,
    option('--limit <n>', `at most this many events, 0 for all (default: ${TABLE_LIMIT} for the table, all for csv, json and jsonl)`, { parse: limitCount('--limit') }),
    formatOption(['table', 'json', 'jsonl', 'csv']),
  ],
  run(flags, io) {
    const search = {
      names: list(flags.name),
      actor: flags.actor,
      accessKeyId: flags.key,
      sourceIp: flags.ip,
      account: flags.account,
      region: flags.region,
      since: timeBound(flags.since, 'since'),
      until: timeBound(flags.until, 'until'),
      // Exports never lose rows silently: only the table, read by a person, has a default limit.
      limit: limitOf(flags),
    };
    const db = openDatabase(databasePath(flags.db, io), { readonly: true });
    try {
      const ids = list(flags.id);
      if (ids.length > 0) {
        const rows = searchEvents(db, { eventIds: ids }, ['event_id', 'record']);
        const records = rows.map((row) => JSON.parse(String(row.record)) as unknown);
        io.stdout.write(`${JSON.stringify(records.length === 1 ? records[0] : records, null, 2)}\n`);
        const found = new Set(rows.map((row) => String(row.event_id)));
        const missing = [...new Set(ids)].filter((id) => !found.has(id));
        if (missing.length > 0) io.stderr.write(`not found: ${terminalSafeText(missing.join(', '))}\n`);
        return missing.length === 0 ? EXIT.ok : EXIT.failure;
      }
      const columns = flags.format === 'table' ? TABLE_COLUMNS : [...EVENT_LIST_COLUMNS];
      const rows = searchEvents(db, search, columns);
      io.stdout.write(renderRows(flags.format, columns, rows, { width: outputWidth(io), layouts: EVENT_TABLE_LAYOUTS }));
      if (search.limit !== undefined && rows.length === search.limit) {
        const total = countEvents(db, { ...search, limit: undefined });
        if (total > rows.length) io.stderr.write(`showing ${rows.length} of ${total} (use --limit N or --limit 0)\n`);
      }
    } finally {
      db.close();
    }
    return EXIT.ok;
  },
});
