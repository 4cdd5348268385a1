import { describe, expect, it } from 'vitest';
import type { IngestProgress } from '../../src/ingest/ingest.js';
import { clockText, etaText, fractionDone, plainProgressLine, terminalProgressLine } from '../../src/report/progress-line.js';

const MB = 1024 * 1024;
const progress = (overrides: Partial<IngestProgress>): IngestProgress => ({
  filesDone: 0,
  filesTotal: 4,
  eventsInserted: 0,
  bytesRead: 0,
  bytesTotal: 100 * MB,
  elapsedMs: 0,
  ...overrides,
});

describe('progress lines', () => {
  it('when file sizes differ then the share done is by bytes, not files', () => {
    expect(fractionDone(progress({ filesDone: 3, bytesRead: 25 * MB }))).toBe(0.25);
    expect(fractionDone(progress({ filesDone: 1, bytesTotal: 0 }))).toBe(0.25);
  });

  it('when a quarter is done after 30 s then 1:30 is left; before the first second it is unknown', () => {
    expect(etaText(progress({ bytesRead: 25 * MB, elapsedMs: 30_000 }))).toBe('1:30');
    expect(etaText(progress({ bytesRead: 25 * MB, elapsedMs: 500 }))).toBe('--:--');
    expect(etaText(progress({ bytesRead: 0, elapsedMs: 30_000 }))).toBe('--:--');
    expect(clockText(3_725_000)).toBe('1:02:05');
  });

  it('when drawn for a terminal then the bar fills with the share done and the line stays under the width', () => {
    const line = terminalProgressLine(progress({ filesDone: 2, bytesRead: 50 * MB, eventsInserted: 123_456, elapsedMs: 10_000 }), 200);
    expect(line).toBe('[##########----------]   50%  files 2/4  50.0/100.0 MB  events 123,456  12,346 events/s  ETA 0:10');
    expect(terminalProgressLine(progress({}), 30)).toHaveLength(29);
  });

  it('when written to a log then it is one line of words', () => {
    expect(plainProgressLine(progress({ filesDone: 4, bytesRead: 100 * MB, eventsInserted: 10, elapsedMs: 1000 }))).toBe(
      'ingest: 100%, files 4/4, 100.0/100.0 MB, events 10, 10 events/s, ETA 0:00',
    );
  });
});
