/**
 * Terminal tables that fit the terminal. Every cell is made terminal-safe before it gets
 * here or in `cellText`; this module only lays safe text out in `width` columns:
 * - prose columns (`wrap`) are wrapped, identifiers are kept whole or cut with an ellipsis
 *   (`cut`, for listings whose full rows are one `--format json` away);
 * - when even the narrowest layout is too wide, the columns that matter least are dropped,
 *   and a line under the table names them;
 * - below that, each row is stacked as `key  value` lines.
 * The width is the terminal's, or 120 when stdout is not a terminal (cli/io.ts), so
 * redirected output is the same everywhere.
 */
import Table from 'cli-table3';
import { terminalSafe } from './terminal-safe.js';

/** What a column may give up to fit: `keep` nothing, `wrap` lines, `cut` its tail (…). */
export type ColumnFit = 'keep' | 'wrap' | 'cut';

export interface GridColumn {
  head: string;
  fit?: ColumnFit;
  /** Narrowest a `wrap` or `cut` column may become. */
  minWidth?: number;
  /** Widest it grows before wrapping or cutting, however long its cells. */
  maxWidth?: number;
  /** Dropped to fit, highest first; unset: never dropped. */
  dropRank?: number;
}

/** Width used when stdout is not a terminal, and the narrowest we lay out for. */
export const DEFAULT_WIDTH = 120;
export const MIN_WIDTH = 40;

// East Asian wide and fullwidth blocks and emoji take two terminal columns.
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;
const ZERO_WIDTH = /[\p{Mn}\p{Me}\u200b-\u200d\ufeff]/u;

function charWidth(char: string): number {
  if (ZERO_WIDTH.test(char)) return 0;
  return WIDE.test(char) ? 2 : 1;
}

/** Terminal columns a line of safe text takes. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char);
  return width;
}

function blockWidth(text: string): number {
  return Math.max(0, ...text.split('\n').map(displayWidth));
}

/** How many of `chars`, from the start, fit in `max` columns (at least one, so a cut always advances). */
function fitting(chars: readonly string[], max: number): number {
  let used = 0;
  let count = 0;
  for (const char of chars) {
    used += charWidth(char);
    if (used > max) break;
    count += 1;
  }
  return Math.max(1, count);
}

/** Where to cut a word that is too long: after a separator of an ARN or a path, if there is one late enough. */
function cutAt(chars: readonly string[], max: number): number {
  const fits = fitting(chars, max);
  const separator = Math.max(chars.lastIndexOf('/', fits - 1), chars.lastIndexOf(':', fits - 1));
  return separator >= fits / 2 ? separator + 1 : fits;
}

const widthOf = (chars: readonly string[]): number => chars.reduce((sum, char) => sum + charWidth(char), 0);

function wrapLine(text: string, width: number): string {
  const lines: string[] = [];
  let line: string[] = [];
  for (const word of text.split(' ')) {
    let rest = [...word];
    if (widthOf(rest) > width && line.length > 0) {
      // Fill what is left of the current line before cutting the long word.
      const room = width - widthOf(line) - 1;
      if (room >= 8) {
        const cut = cutAt(rest, room);
        line.push(' ', ...rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      lines.push(line.join(''));
      line = [];
    }
    while (widthOf(rest) > width) {
      const cut = cutAt(rest, width);
      lines.push(rest.slice(0, cut).join(''));
      rest = rest.slice(cut);
    }
    if (line.length === 0) line = rest;
    else if (widthOf(line) + 1 + widthOf(rest) <= width) line.push(' ', ...rest);
    else {
      lines.push(line.join(''));
      line = rest;
    }
  }
  if (line.length > 0 || lines.length === 0) lines.push(line.join(''));
  return lines.join('\n');
}

/**
 * Greedy word wrap at `width` terminal columns; words longer than the width are cut, after
 * an ARN's `:` or `/` when there is one. Existing newlines are kept (they are ours: the text
 * must already be terminal-safe).
 */
export function wrapText(text: string, width: number): string {
  return text
    .split('\n')
    .map((paragraph) => wrapLine(paragraph, Math.max(1, width)))
    .join('\n');
}

/** Each line cut to `width` columns, ending in `…` where something was cut. */
function cutText(text: string, width: number): string {
  return text
    .split('\n')
    .map((line) => {
      if (displayWidth(line) <= width) return line;
      const chars = [...line];
      return `${chars.slice(0, fitting(chars, width - 1)).join('')}…`;
    })
    .join('\n');
}

/** cli-table3's frame: `│ a │ b │` is each width plus 3, plus 1. */
const framed = (widths: readonly number[]): number => widths.reduce((sum, width) => sum + width + 3, 1);

/**
 * Column widths that fit `width`, or null. Prose gives way first, then identifiers are cut:
 * within each, the widest column shrinks first, so short columns keep their text and the
 * long ones share what is left.
 */
function fitWidths(columns: readonly GridColumn[], natural: readonly number[], width: number): number[] | null {
  const widths = [...natural];
  let excess = framed(widths) - width;
  for (const fit of ['wrap', 'cut'] as const) {
    while (excess > 0) {
      let widest = -1;
      columns.forEach((column, index) => {
        const floor = Math.min(natural[index]!, column.minWidth ?? 8);
        if (column.fit === fit && widths[index]! > floor && (widest < 0 || widths[index]! > widths[widest]!)) widest = index;
      });
      if (widest < 0) break;
      widths[widest]! -= 1;
      excess -= 1;
    }
  }
  return excess > 0 ? null : widths;
}

function shaped(text: string, column: GridColumn, width: number): string {
  if (column.fit === 'wrap') return wrapText(text, width);
  if (column.fit === 'cut') return cutText(text, width);
  return text;
}

/** The head's lines joined, for the stacked layout and the dropped-columns note. */
const flatHead = (head: string): string => head.split('\n').join(' / ');

function stacked(columns: readonly GridColumn[], rows: ReadonlyArray<readonly string[]>, width: number): string {
  const keyWidth = Math.max(...columns.map((column) => displayWidth(flatHead(column.head))));
  const valueWidth = Math.max(12, width - keyWidth - 2);
  const blocks = rows.map((row, number) => {
    const lines = [`── ${number + 1}/${rows.length} ${'─'.repeat(Math.max(0, Math.min(width, 60) - 6 - String(number + 1).length - String(rows.length).length))}`];
    columns.forEach((column, index) => {
      const value = row[index] ?? '';
      if (value === '') return;
      const key = flatHead(column.head);
      const wrapped = wrapText(value, valueWidth).split('\n');
      lines.push(`${key}${' '.repeat(keyWidth - displayWidth(key))}  ${wrapped.join(`\n${' '.repeat(keyWidth + 2)}`)}`);
    });
    return lines.join('\n');
  });
  return blocks.join('\n');
}

function naturalWidths(columns: readonly GridColumn[], rows: ReadonlyArray<readonly string[]>): number[] {
  return columns.map((column, index) => {
    const longest = Math.max(blockWidth(column.head), ...rows.map((row) => blockWidth(row[index] ?? '')));
    return column.fit !== undefined && column.fit !== 'keep' && column.maxWidth ? Math.min(longest, column.maxWidth) : longest;
  });
}

function drawn(columns: readonly GridColumn[], rows: ReadonlyArray<readonly string[]>, widths: readonly number[]): string {
  const table = new Table({ head: columns.map((column) => column.head), style: { head: [], border: [] } });
  for (const row of rows) table.push(columns.map((column, index) => shaped(row[index] ?? '', column, widths[index]!)));
  return table.toString();
}

/**
 * A table of safe strings in at most `width` columns: wrapped or cut to fit, then with the
 * least important columns dropped (named under the table), then stacked one row per block.
 */
export function renderGrid(columns: readonly GridColumn[], rows: ReadonlyArray<readonly string[]>, width: number = DEFAULT_WIDTH): string {
  const target = Math.max(MIN_WIDTH, width);
  const shown = columns.map((_column, index) => index);
  const dropped: number[] = [];
  for (;;) {
    const visible = shown.map((index) => columns[index]!);
    const visibleRows = rows.map((row) => shown.map((index) => row[index] ?? ''));
    const widths = fitWidths(visible, naturalWidths(visible, visibleRows), target);
    if (widths) {
      const note = dropped.length > 0 ? `\n(not shown at this width: ${dropped.map((index) => flatHead(columns[index]!.head)).join(', ')})` : '';
      return `${drawn(visible, visibleRows, widths)}${note}`;
    }
    const next = shown.filter((index) => columns[index]!.dropRank !== undefined).sort((a, b) => columns[b]!.dropRank! - columns[a]!.dropRank!)[0];
    if (next === undefined) return stacked(columns, rows, target);
    shown.splice(shown.indexOf(next), 1);
    dropped.push(next);
  }
}

/** A column of a record table: the fields it shows, one per line, and how it may fit. */
export interface RecordColumn extends Omit<GridColumn, 'head'> {
  keys: readonly string[];
}

/**
 * Column sets for record rows, widest first: the first that fits `width` without dropping
 * a column is drawn; the last one may drop columns or stack. Output profiles are data
 * (timeline-item.ts, the events command); this only lays them out.
 */
export type RecordLayouts = ReadonlyArray<readonly RecordColumn[]>;

export function renderRecords(layouts: RecordLayouts, rows: ReadonlyArray<Record<string, unknown>>, width: number = DEFAULT_WIDTH): string {
  const target = Math.max(MIN_WIDTH, width);
  const gridOf = (layout: readonly RecordColumn[]) => ({
    columns: layout.map((column): GridColumn => ({ ...column, head: column.keys.map((key) => terminalSafe(key)).join('\n') })),
    cells: rows.map((row) => layout.map((column) => column.keys.map((key) => cellText(row[key])).join('\n'))),
  });
  for (const layout of layouts.slice(0, -1)) {
    const { columns, cells } = gridOf(layout);
    const widths = fitWidths(columns, naturalWidths(columns, cells), target);
    if (widths) return drawn(columns, cells, widths);
  }
  const last = layouts[layouts.length - 1];
  if (!last) throw new Error('renderRecords needs at least one layout');
  const { columns, cells } = gridOf(last);
  return renderGrid(columns, cells, target);
}

/** Two columns, no head: our labels on the left, safe values wrapped to what is left of the width. */
export function renderKeyValueGrid(entries: ReadonlyArray<readonly [string, string]>, width: number = DEFAULT_WIDTH): string {
  const keyWidth = Math.max(0, ...entries.map(([key]) => displayWidth(key)));
  const valueWidth = Math.max(12, Math.max(MIN_WIDTH, width) - keyWidth - 7);
  const table = new Table({ style: { head: [], border: [] } });
  for (const [key, value] of entries) table.push([key, wrapText(value, valueWidth)]);
  return table.toString();
}

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return terminalSafe(typeof value === 'object' ? JSON.stringify(value) : String(value));
}

export interface TableOptions {
  width?: number;
}

/** Any rows (query results, stats): one column per key, cut with `…` at 60 or to fit. */
export function renderTable(
  columns: readonly string[],
  rows: ReadonlyArray<Record<string, unknown>>,
  options: TableOptions = {},
): string {
  return renderRecords([columns.map((key): RecordColumn => ({ keys: [key], fit: 'cut', maxWidth: 60, minWidth: 10 }))], rows, options.width);
}

/** Two-column key/value table of record values, for summaries. */
export function renderKeyValues(entries: ReadonlyArray<[string, unknown]>, options: TableOptions = {}): string {
  return renderKeyValueGrid(
    entries.map(([key, value]) => [terminalSafe(key), cellText(value)] as const),
    options.width,
  );
}
