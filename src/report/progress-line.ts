/**
 * How far an ingest is, as one line: a bar for a terminal, plain words for a log. Pure:
 * the caller decides when to draw (cli/progress.ts).
 */
import type { IngestProgress } from '../ingest/ingest.js';

const BAR_WIDTH = 20;

/** Share done, by bytes when sizes are known (files differ a lot in size), else by files. */
export function fractionDone(progress: IngestProgress): number {
  if (progress.bytesTotal > 0) return Math.min(1, progress.bytesRead / progress.bytesTotal);
  return progress.filesTotal > 0 ? progress.filesDone / progress.filesTotal : 1;
}

/** `m:ss` or `h:mm:ss`. */
export function clockText(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** Time left at the rate so far; unknown in the first second or before anything is done. */
export function etaText(progress: IngestProgress): string {
  const fraction = fractionDone(progress);
  if (fraction >= 1) return '0:00';
  if (fraction <= 0 || progress.elapsedMs < 1000) return '--:--';
  return clockText((progress.elapsedMs * (1 - fraction)) / fraction);
}

const megabytes = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

function counts(progress: IngestProgress): string[] {
  const seconds = Math.max(progress.elapsedMs / 1000, 0.001);
  return [
    `files ${progress.filesDone}/${progress.filesTotal}`,
    `${megabytes(progress.bytesRead)}/${megabytes(progress.bytesTotal)} MB`,
    `events ${progress.eventsInserted.toLocaleString('en-US')}`,
    `${Math.round(progress.eventsInserted / seconds).toLocaleString('en-US')} events/s`,
    `ETA ${etaText(progress)}`,
  ];
}

const percent = (progress: IngestProgress): string => `${Math.floor(fractionDone(progress) * 100)}%`;

/** `[########------------]  42%  files 61/146  12.3/29.1 MB  …  ETA 0:12`, cut to `width`. */
export function terminalProgressLine(progress: IngestProgress, width: number): string {
  const filled = Math.round(fractionDone(progress) * BAR_WIDTH);
  const line = [`[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`, percent(progress).padStart(4), ...counts(progress)].join('  ');
  // One column short of the width: a line that fills it wraps on some terminals.
  return line.length < width ? line : line.slice(0, Math.max(0, width - 1));
}

/** `ingest: 42%, files 61/146, 12.3/29.1 MB, …, ETA 0:12`: one line of a log. */
export function plainProgressLine(progress: IngestProgress): string {
  return `ingest: ${[percent(progress), ...counts(progress)].join(', ')}`;
}
