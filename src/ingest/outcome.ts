/**
 * What a file's reading comes to: the status it is recorded with, the problems reported
 * for it, and what it adds to the run's summary.
 */
import { type FileParseSummary, MAX_PROBLEMS_PER_FILE, type RecordProblem, unlistedProblems } from '../parse/log-file.js';
import type { OpenedObject, SourceObject } from '../sources/source.js';
import type { DuplicateConflict, FileCustody, FileOutcome } from '../store/writer.js';

export interface IngestSummary {
  filesListed: number;
  filesIngested: number;
  filesSkipped: number;
  digestFiles: number;
  recordsSeen: number;
  eventsInserted: number;
  duplicates: number;
  rejected: number;
  /** Records in files classed as not CloudTrail (a misplaced JSON file), apart from rejected ones. */
  notCloudTrailRecords: number;
  filteredOut: number;
  /** Problems found, each record one, those past a file's listed lines (MAX_PROBLEMS_PER_FILE) included. */
  errors: number;
  warnings: number;
  bytesRead: number;
  elapsedMs: number;
  /** Of elapsedMs, the time spent building indexes after a bulk load (0 when rows went into built indexes). */
  indexBuildMs: number;
  interrupted: boolean;
  stoppedOnProblem: boolean;
  /** Objects that could not be fetched or parsed at all; a re-run retries exactly these. */
  failedObjects: string[];
  /** Folders or prefixes that could not be listed; a re-run retries them. */
  failedListings: string[];
}

/** A file's row in the files table, less what the object itself says (uri, size, version, kind). */
export type FileStatus = Omit<FileOutcome, 'uri' | 'size' | 'version' | 'kind'>;

/** Rows of the file the writer took as new, and as already stored. */
export interface WrittenRows {
  inserted: number;
  duplicates: number;
}

export interface FileDecision {
  /** A digest (by where it lies or by what it holds): its digest is recorded, it adds no events. */
  digest: boolean;
  status: FileStatus;
  /** In the order they are reported; at one record (index), or of the file as a whole (null). */
  problems: RecordProblem[];
}

export function emptySummary(): IngestSummary {
  return {
    filesListed: 0,
    filesIngested: 0,
    filesSkipped: 0,
    digestFiles: 0,
    recordsSeen: 0,
    eventsInserted: 0,
    duplicates: 0,
    rejected: 0,
    notCloudTrailRecords: 0,
    filteredOut: 0,
    errors: 0,
    warnings: 0,
    bytesRead: 0,
    elapsedMs: 0,
    indexBuildMs: 0,
    interrupted: false,
    stoppedOnProblem: false,
    failedObjects: [],
    failedListings: [],
  };
}

/** The chain-of-custody facts of an object as it was read. */
export function custodyOf(object: SourceObject, opened: OpenedObject, parsed: FileParseSummary): FileCustody {
  return {
    storedSha256: parsed.storedSha256,
    contentSha256: parsed.contentSha256,
    etag: object.version.startsWith('etag:') ? object.version.slice('etag:'.length) : null,
    signature: opened.signature?.signature ?? null,
    signatureAlgorithm: opened.signature?.algorithm ?? null,
    oldestEventTime: parsed.oldestEventTime,
    newestEventTime: parsed.newestEventTime,
  };
}

/** The status a parsed file is recorded with, and the problems to report for it. */
export function decideFile(kind: SourceObject['kind'], parsed: FileParseSummary, written: WrittenRows, custody: FileCustody): FileDecision {
  if (kind === 'digest' || parsed.container === 'digest') {
    const problem =
      parsed.container !== 'digest'
        ? 'not a digest file (in a CloudTrail-Digest folder or named as one): not ingested'
        : parsed.problems.find((entry) => entry.severity === 'error')?.message ?? null;
    return {
      digest: true,
      status: { ...unreadStatus(problem ? 'error' : 'digest', problem), container: parsed.container, custody },
      problems: problem ? [{ index: null, severity: 'error', message: problem }] : [],
    };
  }
  const problems: RecordProblem[] = [...parsed.problems];
  if (parsed.fileError) problems.push({ index: null, severity: 'error', message: parsed.fileError });
  if (parsed.container === 'empty' && !parsed.fileError && parsed.problems.length === 0) {
    problems.push({ index: null, severity: 'warning', message: 'empty file: no records' });
  }
  const hasWarningOnly = parsed.problems.some((problem) => problem.severity === 'warning') && parsed.accepted === 0;
  return {
    digest: false,
    status: {
      status: parsed.fileError ? 'error' : hasWarningOnly || parsed.container === 'empty' ? 'warning' : 'done',
      container: parsed.container,
      recordsSeen: parsed.recordsSeen,
      inserted: written.inserted,
      duplicates: written.duplicates,
      rejected: parsed.rejected,
      filtered: parsed.filtered,
      error: parsed.fileError,
      custody,
    },
    problems,
  };
}

/**
 * A file's duplicates that differ from their stored copy (store/writer.ts), gathered batch by
 * batch: the first MAX_PROBLEMS_PER_FILE to list one per line, and how many in all.
 */
export class ConflictingDuplicates {
  private readonly listed: DuplicateConflict[] = [];
  private count = 0;

  add(conflicts: readonly DuplicateConflict[]): void {
    this.count += conflicts.length;
    for (const conflict of conflicts) {
      if (this.listed.length >= MAX_PROBLEMS_PER_FILE) return;
      this.listed.push(conflict);
    }
  }

  /** One warning per record, then one line counting those not listed. */
  problems(): RecordProblem[] {
    const problems: RecordProblem[] = this.listed.map((conflict) => ({ index: conflict.recordIndex, severity: 'warning', message: conflictMessage(conflict) }));
    const unlisted = this.count - this.listed.length;
    if (unlisted > 0) problems.push(unlistedProblems(unlisted, 'records whose eventID is already stored with different content', 'warning'));
    return problems;
  }
}

function conflictMessage(conflict: DuplicateConflict): string {
  return (
    `eventID ${conflict.eventId} (${conflict.eventTime}) is already stored from ${conflict.keptUri ?? 'another file'} with different content ` +
    `(${conflict.columns.join(', ')}): this record was not stored; compare them with "trailsift events --id ${shellWord(conflict.eventId)}" and the file`
  );
}

/** An event ID as one shell word (records are attacker-controlled): quoted unless plainly safe, as correlate's shellQuote does. */
function shellWord(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A file that could not be parsed to its end (the worker failed): retried by the next run. */
export function failedStatus(message: string, written: WrittenRows): FileStatus {
  return { ...unreadStatus('failed', message), ...written };
}

/** What a log file adds to the summary once parsed and written. */
export function tallyLogFile(summary: IngestSummary, parsed: FileParseSummary, written: WrittenRows): void {
  summary.recordsSeen += parsed.recordsSeen;
  summary.rejected += parsed.rejected;
  summary.notCloudTrailRecords += parsed.notCloudTrail;
  summary.filteredOut += parsed.filtered;
  summary.filesIngested += 1;
  tallyWritten(summary, written);
}

/** Rows already written stay written: they count even when the file then failed. */
export function tallyWritten(summary: IngestSummary, written: WrittenRows): void {
  summary.eventsInserted += written.inserted;
  summary.duplicates += written.duplicates;
}

/** An error on one line, in the words an investigator needs (permission, a vanished file). */
export function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'file disappeared before it could be read';
  return message.replace(/\s+/g, ' ');
}

function unreadStatus(status: FileOutcome['status'], error: string | null): FileStatus {
  return { status, container: null, recordsSeen: 0, inserted: 0, duplicates: 0, rejected: 0, filtered: 0, error };
}
