import type { Incident } from '../../correlate/incident.js';
import { investigate } from '../../correlate/investigate.js';
import { openDatabase } from '../../store/database.js';
import { caseRecords } from '../../store/case-records.js';
import { SqliteEvidence } from '../../store/evidence.js';
import { caseTitle, renderHtmlReport } from '../../report/html-report.js';
import { writePrivateFile } from '../../report/private-file.js';
import { terminalSafe } from '../../report/terminal-safe.js';
import { command, option } from '../declare.js';
import { databasePath, EXIT, UserError } from '../io.js';
import { unknownDeletion } from '../unknown-deletion.js';
import { DB, INVESTIGATION_WINDOW, investigationWindow } from '../options.js';

/** The part of an event ID that is safe in a file name the user will paste. */
function fileNamePart(eventId: string): string {
  return eventId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 40) || 'incident';
}

export const reportCommand = command({
  name: 'report',
  description: 'write a self-contained HTML case file (timeline, actor chain, impact, remediation, raw records) that works offline',
  options: [
    ...INVESTIGATION_WINDOW,
    DB,
    option('--incident <eventId>', 'the DeleteInstanceProfile event to report on'),
    option('--all', 'every incident in one file, with a summary table at the top'),
    option('--out <file>', 'write the HTML to this file (created 0600) instead of stdout'),
  ],
  async run(flags, io) {
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
    let records: Record<string, string>;
    try {
      const evidence = new SqliteEvidence(db);
      incidents = await investigate(evidence, single ? { eventId: flags.incident } : {}, investigationWindow(flags));
      if (single && incidents.length === 0) throw await unknownDeletion(evidence, flags.incident ?? '');
      records = await caseRecords(evidence, incidents.flatMap((incident) => incident.timeline));
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
    return EXIT.ok;
  },
});
