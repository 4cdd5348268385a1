/** The progress display's timing and interleaving, with a fake clock: no ingest, no waiting. */
import { describe, expect, it } from 'vitest';
import type { IngestProgress } from '../../src/ingest/ingest.js';
import { progressDisplay, progressMode } from '../../src/cli/progress.js';

function at(filesDone: number, elapsedMs: number): IngestProgress {
  return { filesDone, filesTotal: 10, eventsInserted: filesDone * 1000, bytesRead: filesDone * 1024 * 1024, bytesTotal: 10 * 1024 * 1024, elapsedMs };
}

function recorder(columns?: number) {
  const writes: string[] = [];
  let clock = 0;
  return {
    writes,
    stream: { write: (text: string) => writes.push(text), columns },
    now: () => clock,
    advance: (ms: number) => (clock += ms),
  };
}

describe('progressMode', () => {
  it('when the mode is auto then a terminal gets the bar and anything else plain lines', () => {
    expect(progressMode('auto', true)).toBe('tty');
    expect(progressMode('auto', false)).toBe('plain');
    expect(progressMode('none', true)).toBe('none');
    expect(progressMode('plain', true)).toBe('plain');
  });
});

describe('progressDisplay', () => {
  it('when plain then one line at most every 5 s, phases included, each ending in a newline', () => {
    const out = recorder();
    const display = progressDisplay('plain', out.stream, { now: out.now });
    display.progress!(at(1, 1000));
    out.advance(4000);
    display.progress!(at(2, 4000));
    out.advance(1500);
    display.progress!(at(3, 5500));
    out.advance(6000);
    display.phase!('building indexes 1/11');
    display.finish();
    expect(out.writes).toEqual([
      'ingest: 30%, files 3/10, 3.0/10.0 MB, events 3,000, 545 events/s, ETA 0:13\n',
      'ingest: building indexes 1/11\n',
    ]);
  });

  it('when on a terminal then redraws are throttled, the last file always shows, and the line fits the terminal', () => {
    const out = recorder(40);
    const display = progressDisplay('tty', out.stream, { now: out.now });
    display.progress!(at(0, 0));
    out.advance(10);
    display.progress!(at(1, 10));
    display.progress!(at(10, 10));
    expect(out.writes).toHaveLength(2);
    for (const write of out.writes) {
      expect(write.startsWith('\r\u001b[K')).toBe(true);
      expect(write.length - 4).toBeLessThan(40);
    }
    expect(out.writes[1]).toContain('100%');
    display.finish();
    expect(out.writes.at(-1)).toBe('\r\u001b[K');
  });

  it('when a problem arrives while the bar is shown then the bar is cleared, the problem printed whole, and the bar drawn again', () => {
    const out = recorder(120);
    const display = progressDisplay('tty', out.stream, { now: out.now });
    display.progress!(at(5, 2000));
    const bar = out.writes[0]!.slice(4);
    display.problem('error: /evidence/a.json.gz: record 3: eventTime missing \u001b[2J');
    expect(out.writes.slice(1)).toEqual(['\r\u001b[Kerror: /evidence/a.json.gz: record 3: eventTime missing \\x1b[2J\n', bar]);
  });

  it('when progress is none then problems still print and nothing else does', () => {
    const out = recorder();
    const display = progressDisplay('none', out.stream, { now: out.now });
    display.progress!(at(5, 2000));
    display.phase!('building indexes 1/11');
    display.problem('warning: x: empty file: no records');
    display.finish();
    expect(out.writes).toEqual(['warning: x: empty file: no records\n']);
  });
});
