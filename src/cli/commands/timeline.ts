import { type Command, Option } from 'commander';
import type { Incident } from '../../correlate/incident.js';
import { investigate } from '../../correlate/investigate.js';
import { incidentTimelineItems, selectedTimelineItems } from '../../correlate/timeline-items.js';
import { openDatabase } from '../../store/database.js';
import { SqliteEvidence } from '../../store/evidence.js';
import { timelineEvents } from '../../store/queries.js';
import { renderRows } from '../../report/rows.js';
import { TIMELINE_TABLE_LAYOUTS } from '../../report/table-profiles.js';
import { flatTimelineRow, tableTimelineRow, TIMELINE_COLUMNS, TIMELINE_TABLE_COLUMNS, type TimelineItem } from '../../report/timeline-item.js';
import { renderTimesketch } from '../../report/timesketch.js';
import { type CliIo, databasePath, EXIT, UserError, outputWidth } from '../io.js';
import { unknownDeletion } from '../unknown-deletion.js';
import { instanceProfileFlag, investigationWindow, oneOf, timeBound, withInvestigationWindow } from '../options.js';

type TimelineFormat = 'table' | 'json' | 'jsonl' | 'csv' | 'timesketch';

interface TimelineFlags {
  db?: string;
  incident?: string;
  actor?: string;
  key?: string;
  ip?: string;
  profile?: string;
  instanceProfile?: string;
  instance?: string;
  since?: string;
  until?: string;
  lookback: number;
  after: number;
  format: TimelineFormat;
  all?: boolean;
}


/** Each event tagged with the incidents whose timelines hold it (comma-separated IDs), or none. */
function tagIncidents(items: TimelineItem[], incidents: Incident[]): TimelineItem[] {
  const byEvent = new Map<string, string[]>();
  for (const incident of incidents) {
    for (const entry of incident.timeline) byEvent.set(entry.eventId, [...(byEvent.get(entry.eventId) ?? []), incident.id]);
  }
  for (const item of items) item.incidentId = byEvent.get(item.event.event_id)?.join(',') ?? null;
  return items;
}

export function registerTimeline(program: Command, io: CliIo, setExit: (code: number) => void): void {
  withInvestigationWindow(program.command('timeline'))
    .description('a time-ordered timeline of an incident or of an actor, key, IP, profile or instance')
    .option('--db <file>', 'database file')
    .option('--incident <eventId>', "a DeleteInstanceProfile event ID: the incident's correlated events")
    .option('--actor <arn>', 'identity ARN; a role ARN covers every session of it')
    .option('--key <accessKeyId>', 'access key used or issued')
    .option('--ip <address>', 'source IP address')
    .option('--instance-profile <name>', 'instance profile name')
    // --profile names the AWS profile in ingest: here it is an old spelling, still accepted.
    .addOption(new Option('--profile <name>', 'deprecated: --instance-profile').hideHelp())
    .option('--instance <instanceId>', 'EC2 instance ID')
    .option('--all', 'every event in the --since/--until window, each tagged with the incidents it belongs to (a whole case for Timesketch)')
    .option('--since <time>', 'at or after (UTC)')
    .option('--until <time>', 'at or before (UTC)')
    .option('--format <format>', 'table, json, jsonl, csv or timesketch', oneOf('--format', ['table', 'json', 'jsonl', 'csv', 'timesketch'] as const), 'table')
    .action(async (flags: TimelineFlags) => {
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
          if (!incident) throw unknownDeletion(db, flags.incident);
          items = (await incidentTimelineItems(incident, evidence)).filter(
            (item) => (!since || item.event.event_time >= since) && (!until || item.event.event_time <= until),
          );
        } else if (flags.all) {
          items = tagIncidents(await selectedTimelineItems(timelineEvents(db, { since, until }), evidence), await investigate(evidence, {}, investigationWindow(flags)));
        } else {
          const rows = timelineEvents(db, { actor: flags.actor, accessKeyId: flags.key, sourceIp: flags.ip, profile, instanceId: flags.instance, since, until });
          items = await selectedTimelineItems(rows, evidence);
        }
        if (flags.format === 'timesketch') {
          for (const item of items) item.recordText = evidence.recordText(item.event.event_id, item.event.event_time);
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
      setExit(EXIT.ok);
    });
}
