import type { Command } from 'commander';
import type { Incident } from '../../correlate/incident.js';
import { investigate } from '../../correlate/investigate.js';
import { openDatabase } from '../../store/database.js';
import { SqliteEvidence } from '../../store/evidence.js';
import { caseTitle, renderHtmlReport } from '../../report/html-report.js';
import { writePrivateFile } from '../../report/private-file.js';
import { terminalSafe } from '../../report/terminal-safe.js';
import { type CliIo, databasePath, EXIT, UserError } from '../io.js';
import { unknownDeletion } from '../unknown-deletion.js';
import { investigationWindow, withInvestigationWindow } from '../options.js';

interface ReportFlags {
  db?: string;
  incident?: string;
  all?: boolean;
  lookback: number;
  after: number;
  out?: string;
}

/** The part of an event ID that is safe in a file name the user will paste. */
function fileNamePart(eventId: string): string {
  return eventId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 40) || 'incident';
}

export function registerReport(program: Command, io: CliIo, setExit: (code: number) => void): void {
  withInvestigationWindow(program.command('report'))
    .description('write a self-contained HTML case file (timeline, actor chain, impact, remediation, raw records) that works offline')
    .option('--db <file>', 'database file')
    .option('--incident <eventId>', 'the DeleteInstanceProfile event to report on')
    .option('--all', 'every incident in one file, with a summary table at the top')
    .option('--out <file>', 'write the HTML to this file (created 0600) instead of stdout')
    .action(async (flags: ReportFlags) => {
      const single = flags.incident !== undefined;
      if (single === Boolean(flags.all)) {
        throw new UserError('report needs exactly one of --incident <eventId> or --all', EXIT.usage);
      }
      // Pages of HTML on a terminal help nobody; a file name the user can accept does.
      if (!flags.out && io.stdout.isTTY === true) {
        const suggestion = single ? `trailsift-${fileNamePart(flags.incident ?? '')}.html` : 'trailsift-case.html';
        throw new UserError(`report writes HTML: add --out ${suggestion} (or redirect stdout to a file)`, EXIT.usage);
      }
      const db = openDatabase(databasePath(flags.db, io), { readonly: true });
      let incidents: Incident[];
      const records: Record<string, string> = Object.create(null) as Record<string, string>;
      try {
        const evidence = new SqliteEvidence(db);
        incidents = await investigate(evidence, single ? { eventId: flags.incident } : {}, investigationWindow(flags));
        if (single && incidents.length === 0) throw unknownDeletion(db, flags.incident ?? '');
        for (const incident of incidents) {
          for (const entry of incident.timeline) {
            if (Object.hasOwn(records, entry.eventId)) continue;
            const record = evidence.record(entry.eventId, entry.eventTime);
            if (record) records[entry.eventId] = JSON.stringify(record, null, 2);
          }
        }
      } finally {
        db.close();
      }
      const html = renderHtmlReport({ incidents, records, title: caseTitle(incidents) });
      if (flags.out) {
        writePrivateFile(flags.out, html);
        io.stderr.write(`report written to ${terminalSafe(flags.out)}: ${incidents.length} incident(s)\n`);
      } else {
        io.stdout.write(html);
      }
      setExit(EXIT.ok);
    });
}
