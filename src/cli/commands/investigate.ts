import { investigate } from '../../correlate/investigate.js';
import type { Incident } from '../../correlate/incident.js';
import { SqliteEvidence } from '../../store/evidence.js';
import { openDatabase } from '../../store/database.js';
import { writePrivateFile } from '../../report/private-file.js';
import { renderIncidentsMarkdown } from '../../report/incident-markdown.js';
import { renderIncidentsSummary, renderIncidentsTable } from '../../report/incident-table.js';
import { renderRemediationPython } from '../../report/remediation-python.js';
import { renderRemediationScript } from '../../report/remediation-script.js';
import { command, option } from '../declare.js';
import { databasePath, EXIT, UserError, outputWidth } from '../io.js';
import { unknownDeletion } from '../unknown-deletion.js';
import { readPublicKeys } from '../../custody/public-keys.js';
import { DB, formatOption, instanceProfileFlag, instanceProfileOptions, INVESTIGATION_WINDOW, investigationWindow, SINCE, timeBound, UNTIL } from '../options.js';

export const investigateCommand = command({
  name: 'investigate',
  description: 'explain every DeleteInstanceProfile: the real actor, credential changes before it, the EC2 workloads it broke, and what to do',
  options: [
    ...INVESTIGATION_WINDOW,
    DB,
    ...instanceProfileOptions('only deletions of this instance profile'),
    option('--event-id <eventId>', 'only this DeleteInstanceProfile event'),
    { ...SINCE, description: 'deletions at or after (UTC)' },
    { ...UNTIL, description: 'deletions at or before (UTC)' },
    formatOption(['table', 'json', 'md']),
    option('--summary', 'with the table format: only the summary, one row per incident'),
    option('--public-keys <dir>', 'check digest signatures for the evidence line (saved list-public-keys JSON files, as for verify)'),
    option('--emit-script <file>', 'write the remediation plan to a reviewable script: a boto3 program when FILE ends in .py, else POSIX sh (never run by trailsift)'),
  ],
  async run(flags, io) {
    if (flags.summary && flags.format !== 'table') throw new UserError('--summary goes with --format table (json and md always hold every incident in full)', EXIT.usage);
    const selection = {
      profile: instanceProfileFlag(flags, io.stderr),
      eventId: flags.eventId,
      since: timeBound(flags.since, 'since'),
      until: timeBound(flags.until, 'until'),
    };
    const keys = flags.publicKeys === undefined ? null : readPublicKeys(flags.publicKeys);
    const db = openDatabase(databasePath(flags.db, io), { readonly: true });
    let incidents: Incident[];
    try {
      const evidence = new SqliteEvidence(db, keys);
      incidents = await investigate(evidence, selection, investigationWindow(flags));
      if (selection.eventId !== undefined && incidents.length === 0) throw await unknownDeletion(evidence, selection.eventId);
    } finally {
      db.close();
    }
    if (flags.format === 'json') io.stdout.write(`${JSON.stringify({ incidents }, null, 2)}\n`);
    else if (flags.format === 'md') io.stdout.write(renderIncidentsMarkdown(incidents));
    else io.stdout.write(flags.summary ? renderIncidentsSummary(incidents, outputWidth(io)) : renderIncidentsTable(incidents, outputWidth(io)));
    if (flags.emitScript) {
      const python = flags.emitScript.toLowerCase().endsWith('.py');
      writePrivateFile(flags.emitScript, python ? renderRemediationPython(incidents) : renderRemediationScript(incidents));
      io.stderr.write(
        python
          ? `remediation program written to ${flags.emitScript}: review it; it is a dry run until you pass --apply\n`
          : `remediation script written to ${flags.emitScript}: review it; it does nothing until you edit it to run\n`,
      );
    }
    return EXIT.ok;
  },
});
