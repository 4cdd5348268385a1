import { ingest, type IngestSummary } from '../../ingest/ingest.js';
import { openDatabase } from '../../store/database.js';
import { acquireIngestLock } from '../../store/ingest-lock.js';
import { LocalSource } from '../../sources/local.js';
import type { Source } from '../../sources/source.js';
import { renderKeyValues } from '../../report/table.js';
import { terminalSafeText } from '../../report/terminal-safe.js';
import { PROGRESS_MODES, progressDisplay, progressMode } from '../progress.js';
import { argument, command, type FlagsOf, option } from '../declare.js';
import { type CliIo, databasePath, EXIT, outputWidth } from '../io.js';
import { DB, formatOption, httpUrl, list, oneOf, positiveInteger, SINCE, timeBound, UNTIL } from '../options.js';

const tableOrJson = oneOf('--format', ['table', 'json'] as const);

/** `table` like every other command; `text`, this command's first spelling, still works. */
function summaryFormat(value: string): 'table' | 'json' {
  return value === 'text' ? 'table' : tableOrJson(value);
}

const INGEST_OPTIONS = [
  { ...DB, description: 'database file (default: $TRAILSIFT_DB or ./trailsift.db)' },
  { ...SINCE, description: 'keep events at or after this date/time (UTC)' },
  { ...UNTIL, description: 'keep events at or before this date/time (a bare date means the whole day)' },
  option('--account <id...>', 'keep only these accounts (repeat or comma-separate)'),
  option('--region <name...>', 'keep only these regions (us-east-1 is always listed: IAM events live there)'),
  option('--profile <name>', 'AWS profile for s3:// sources'),
  option('--endpoint-url <url>', 'S3-compatible endpoint (path-style)', { parse: httpUrl('--endpoint-url') }),
  option('--s3-region <name>', 'region of the bucket (default: $AWS_REGION or us-east-1)'),
  option('--strict', 'stop at the first problem'),
  { ...formatOption(['table', 'json']), description: 'summary format: table or json', parse: summaryFormat },
  option('--workers <n>', 'parse worker threads (default: one per core)', { parse: positiveInteger('--workers') }),
  option('--progress <mode>', 'progress on stderr: tty (a bar), plain (a line every 5 s), none; auto: tty on a terminal, else plain', {
    parse: oneOf('--progress', PROGRESS_MODES),
    default: 'auto',
  }),
] as const;

type IngestFlags = FlagsOf<typeof INGEST_OPTIONS>;

export const ingestCommand = command({
  name: 'ingest',
  description: 'stream CloudTrail archives (files, folders, s3://bucket/prefix) into the database',
  arguments: [argument('<source...>', 'files, folders or s3:// URIs')],
  options: INGEST_OPTIONS,
  run: (flags, io) => runIngest(flags.source, flags, io),
});

async function runIngest(sourceArgs: string[], flags: IngestFlags, io: CliIo): Promise<number> {
  const since = timeBound(flags.since, 'since');
  const until = timeBound(flags.until, 'until');
  const accounts = new Set(list(flags.account));
  const regions = new Set(list(flags.region));
  if (regions.size > 0) regions.add('us-east-1');
  // The AWS SDK is only loaded when an s3:// source is given: it is slow to import.
  const s3 = sourceArgs.some((arg) => arg.startsWith('s3://')) ? await import('../../sources/s3.js') : null;
  const sources: Source[] = sourceArgs.map((arg) =>
    s3 && arg.startsWith('s3://')
      ? new s3.S3Source(arg, { profile: flags.profile, region: flags.s3Region, endpointUrl: flags.endpointUrl })
      : new LocalSource(arg),
  );
  // A source that cannot be read at all leaves no database (nor lock file) behind.
  for (const source of sources) await source.check?.();
  const path = databasePath(flags.db, io);
  const lock = acquireIngestLock(path);
  let db;
  try {
    db = openDatabase(path);
  } catch (error) {
    lock.release();
    throw error;
  }
  const display = progressDisplay(progressMode(flags.progress, io.stderr.isTTY === true), io.stderr);
  let summary: IngestSummary;
  try {
    summary = await ingest(
      db,
      sources,
      {
        filter: { since, until, accounts, regions },
        strict: flags.strict === true,
        workers: flags.workers,
        signal: io.interrupt,
      },
      display,
    );
  } finally {
    display.finish();
    lock.release();
    db.close();
  }
  // Nothing CloudTrail at all (an empty folder, the wrong folder, other JSON): say so, not just zeros.
  const cloudTrail = summary.eventsInserted + summary.duplicates + summary.filteredOut + summary.filesSkipped + summary.digestFiles;
  if (!summary.interrupted && cloudTrail === 0) {
    io.stderr.write(`warning: no CloudTrail log files found under ${sourceArgs.map(terminalSafeText).join(', ')}\n`);
  }
  if (flags.format === 'json') {
    io.stdout.write(`${JSON.stringify({ database: path, ...summary })}\n`);
  } else {
    io.stdout.write(`${renderSummary(summary, path, outputWidth(io))}\n`);
  }
  if (summary.interrupted) {
    io.stderr.write('interrupted: every file listed above as ingested is committed; run the same command again to finish\n');
    return EXIT.interrupted;
  }
  if (summary.stoppedOnProblem) return EXIT.incomplete;
  const missing = summary.failedObjects.length + summary.failedListings.length;
  if (missing > 0) {
    io.stderr.write(
      `incomplete: ${summary.failedObjects.length} object(s) could not be read and ${summary.failedListings.length} folder(s) could not be listed; run the same command again to retry them\n`,
    );
    return EXIT.incomplete;
  }
  return EXIT.ok;
}

function renderSummary(summary: IngestSummary, path: string, width: number): string {
  const seconds = summary.elapsedMs / 1000;
  return renderKeyValues([
    ['database', path],
    ['files listed', summary.filesListed],
    ['files ingested', summary.filesIngested],
    ['files skipped (unchanged)', summary.filesSkipped],
    ['digest files', summary.digestFiles],
    ['records read', summary.recordsSeen],
    ['events inserted', summary.eventsInserted],
    ['duplicates', summary.duplicates],
    ['rejected records', summary.rejected],
    ['records in non-CloudTrail files', summary.notCloudTrailRecords],
    ['outside filters', summary.filteredOut],
    ['errors / warnings', `${summary.errors} / ${summary.warnings}`],
    ['elapsed', `${seconds.toFixed(1)} s (${Math.round(summary.eventsInserted / Math.max(seconds, 0.001)).toLocaleString('en-US')} events/s)${summary.indexBuildMs >= 1000 ? `, of which ${(summary.indexBuildMs / 1000).toFixed(1)} s building indexes` : ''}`],
  ], { width });
}
