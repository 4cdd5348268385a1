import { investigate } from '../../correlate/investigate.js';
import { incidentTimelineItems, selectedEvents, selectedTimelineItems } from '../../correlate/timeline-items.js';
import { taggedWithIncidents, withinTimeBounds } from '../../correlate/timeline-selection.js';
import { openDatabase } from '../../store/database.js';
import { SqliteEvidence } from '../../store/evidence.js';
import { renderRows } from '../../report/rows.js';
import { TIMELINE_TABLE_LAYOUTS } from '../../report/table-profiles.js';
import type { TimelineItem } from '../../correlate/timeline-item.js';
import { flatTimelineRow, tableTimelineRow, TIMELINE_COLUMNS, TIMELINE_TABLE_COLUMNS } from '../../report/timeline-item.js';
import { renderTimesketch } from '../../report/timesketch.js';
import { terminalSafeText } from '../../report/terminal-safe.js';
import { shellQuote } from '../../correlate/recommend.js';
import { command, option } from '../declare.js';
import { databasePath, EXIT, UserError, outputWidth } from '../io.js';
import { unknownDeletion } from '../unknown-deletion.js';
import { DB, formatOption, instanceProfileFlag, instanceProfileOptions, INVESTIGATION_WINDOW, investigationWindow, SINCE, timeBound, UNTIL } from '../options.js';

export const timelineCommand = command({
  name: 'timeline',
  description: 'a time-ordered timeline of an incident or of an actor, key, IP, profile or instance',
  options: [
    ...INVESTIGATION_WINDOW,
    DB,
    option('--incident <eventId>', "a DeleteInstanceProfile event ID: the incident's correlated events"),
    option('--actor <arn>', 'identity ARN; a role ARN covers every session of it'),
    option('--key <accessKeyId>', 'access key used or issued'),
    option('--ip <address>', 'source IP address'),
    ...instanceProfileOptions('instance profile name'),
    option('--instance <instanceId>', 'EC2 instance ID'),
    option('--all', 'every event in the --since/--until window, each tagged with the incidents it belongs to (a whole case for Timesketch)'),
    SINCE,
    UNTIL,
    formatOption(['table', 'json', 'jsonl', 'csv', 'timesketch']),
  ],
  async run(flags, io) {
    const since = timeBound(flags.since, 'since');
    const until = timeBound(flags.until, 'until');
    const profile = instanceProfileFlag(flags, io.stderr);
    const selectors = [flags.incident, flags.actor, flags.key, flags.ip, profile, flags.instance].filter((value) => value !== undefined);
    if (flags.incident && selectors.length > 1) throw new UserError('--incident is a whole timeline of its own: use it alone, or the other selectors (they combine) without it', EXIT.usage);
    if (flags.all && selectors.length > 0) throw new UserError('--all takes every event: use it without --incident, --actor, --key, --ip, --instance-profile or --instance', EXIT.usage);
    if (selectors.length === 0 && !flags.all) {
      throw new UserError('timeline needs a selector: --incident, --actor, --key, --ip, --instance-profile or --instance, or --all', EXIT.usage);
    }
    const db = openDatabase(databasePath(flags.db, io), { readonly: true });
    let items: TimelineItem[];
    try {
      const evidence = new SqliteEvidence(db);
      if (flags.incident) {
        const [incident] = await investigate(evidence, { eventId: flags.incident }, investigationWindow(flags));
        if (!incident) throw await unknownDeletion(evidence, flags.incident);
        items = withinTimeBounds(await incidentTimelineItems(incident, evidence), { since, until });
      } else if (flags.all) {
        items = taggedWithIncidents(await selectedTimelineItems(await evidence.eventsBySelection({ since, until }), evidence), await investigate(evidence, {}, investigationWindow(flags)));
      } else {
        const rows = await selectedEvents({ actor: flags.actor, accessKeyId: flags.key, sourceIp: flags.ip, profile, instanceId: flags.instance, since, until }, evidence);
        items = await selectedTimelineItems(rows, evidence);
        // --actor matches ARNs through their indexes; a name would need a scan of every row, which events does.
        if (rows.length === 0 && flags.actor !== undefined && !flags.actor.startsWith('arn:')) {
          io.stderr.write(`no event has the identity or role ARN ${terminalSafeText(flags.actor)}: --actor takes an ARN; to find an identity by its name, principal ID or web identity subject, try: trailsift events --actor ${terminalSafeText(shellQuote(flags.actor))}\n`);
        }
      }
      if (flags.format === 'timesketch') {
        for (const item of items) item.recordText = await evidence.recordText(item.event.event_id, item.event.event_time);
      }
    } finally {
      db.close();
    }
    if (flags.format === 'timesketch') {
      io.stdout.write(renderTimesketch(items));
    } else {
      io.stdout.write(
        flags.format === 'table'
          ? renderRows('table', TIMELINE_TABLE_COLUMNS, items.map(tableTimelineRow), { width: outputWidth(io), layouts: TIMELINE_TABLE_LAYOUTS })
          : renderRows(flags.format, TIMELINE_COLUMNS, items.map(flatTimelineRow)),
      );
    }
    return EXIT.ok;
  },
});
