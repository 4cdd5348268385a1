import { openDatabase } from '../../store/database.js';
import { databaseStats } from '../../store/queries.js';
import { renderKeyValues, renderTable } from '../../report/table.js';
import { command } from '../declare.js';
import { databasePath, EXIT, outputWidth } from '../io.js';
import { DB, formatOption } from '../options.js';

export const statsCommand = command({
  name: 'stats',
  description: 'what the database holds: events, time range, accounts, regions, top event names, files, errors',
  options: [DB, formatOption(['table', 'json'])],
  run(flags, io) {
    const db = openDatabase(databasePath(flags.db, io), { readonly: true });
    try {
      const stats = databaseStats(db);
      if (flags.format === 'json') {
        io.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
      } else {
        const width = outputWidth(io);
        const sections = [
          renderKeyValues([
            ['events', stats.events],
            ['first event', stats.firstEvent ?? '-'],
            ['last event', stats.lastEvent ?? '-'],
            ['files', stats.files.map((entry) => `${entry.status}: ${entry.files}`).join(', ') || '-'],
            // Lines, as ingest listed them (at most 50 of a kind a file); the rejected records beside them count each one.
            ['problem lines', stats.problems.map((entry) => `${entry.severity}: ${entry.count}`).join(', ') || 'none'],
            ['rejected records', stats.rejectedRecords],
          ], { width }),
          renderTable(['account', 'events'], stats.accounts, { width }),
          renderTable(['region', 'events'], stats.regions, { width }),
          renderTable(['eventName', 'events'], stats.topEventNames, { width }),
        ];
        io.stdout.write(`${sections.join('\n')}\n`);
      }
    } finally {
      db.close();
    }
    return EXIT.ok;
  },
});
