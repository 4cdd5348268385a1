/**
 * Where ingest progress goes (stderr) and how often: redrawn in place on a terminal, one
 * plain line every few seconds in a log or CI, or not at all. Problems interleave cleanly:
 * on a terminal the bar is cleared, the problem printed, and the bar drawn again.
 */
import type { IngestProgress, IngestReporter } from '../ingest/ingest.js';
import { plainProgressLine, terminalProgressLine } from '../report/progress-line.js';
import { terminalSafeText } from '../report/terminal-safe.js';

export const PROGRESS_MODES = ['auto', 'tty', 'plain', 'none'] as const;
export type ProgressFlag = (typeof PROGRESS_MODES)[number];
export type ProgressMode = Exclude<ProgressFlag, 'auto'>;

/** `auto`: a bar when stderr is a terminal, else plain lines. */
export function progressMode(flag: ProgressFlag, stderrIsTerminal: boolean): ProgressMode {
  if (flag !== 'auto') return flag;
  return stderrIsTerminal ? 'tty' : 'plain';
}

export interface ProgressStream {
  write(text: string): unknown;
  columns?: number;
}

export interface ProgressOptions {
  now?: () => number;
  /** Plain mode: at most one line per this many ms. */
  plainEveryMs?: number;
  /** Terminal mode: at most one redraw per this many ms (the last one always shows). */
  redrawEveryMs?: number;
}

export interface ProgressDisplay extends IngestReporter {
  /** Clears the bar before the summary is printed. */
  finish(): void;
}

const CLEAR_LINE = '\r\u001b[K';

export function progressDisplay(mode: ProgressMode, stream: ProgressStream, options: ProgressOptions = {}): ProgressDisplay {
  const now = options.now ?? Date.now;
  const plainEvery = options.plainEveryMs ?? 5000;
  const redrawEvery = options.redrawEveryMs ?? 100;
  const started = now();
  let lastDraw = Number.NEGATIVE_INFINITY;
  let lastPlain = started;
  let current = '';

  const width = (): number => (stream.columns && stream.columns > 0 ? stream.columns : 80);
  const draw = (line: string): void => {
    current = line;
    lastDraw = now();
    stream.write(`${CLEAR_LINE}${line}`);
  };
  const plain = (line: string): void => {
    if (now() - lastPlain < plainEvery) return;
    lastPlain = now();
    stream.write(`${line}\n`);
  };

  return {
    problem(line) {
      const text = `${terminalSafeText(line)}\n`;
      if (mode !== 'tty' || current === '') {
        stream.write(text);
        return;
      }
      stream.write(`${CLEAR_LINE}${text}`);
      stream.write(current);
    },
    progress(progress: IngestProgress) {
      if (mode === 'tty') {
        const last = progress.filesDone === progress.filesTotal;
        if (last || now() - lastDraw >= redrawEvery) draw(terminalProgressLine(progress, width()));
      } else if (mode === 'plain') {
        plain(plainProgressLine(progress));
      }
    },
    phase(description) {
      if (mode === 'tty') draw(`${description}…`);
      else if (mode === 'plain') plain(`ingest: ${description}`);
    },
    finish() {
      if (mode === 'tty' && current !== '') stream.write(CLEAR_LINE);
      current = '';
    },
  };
}
