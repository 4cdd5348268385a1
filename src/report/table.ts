/** Terminal tables (cli-table3) with every cell made terminal-safe and kept to a sane width. */
import Table from 'cli-table3';
import { terminalSafe } from './terminal-safe.js';

export interface TableOptions {
  /** Longest cell before it is cut with an ellipsis. */
  maxCellWidth?: number;
}

export function cellText(value: unknown, maxWidth: number): string {
  if (value === null || value === undefined) return '';
  const text = terminalSafe(typeof value === 'object' ? JSON.stringify(value) : String(value));
  return text.length > maxWidth ? `${text.slice(0, maxWidth - 1)}…` : text;
}

export function renderTable(
  columns: readonly string[],
  rows: ReadonlyArray<Record<string, unknown>>,
  options: TableOptions = {},
): string {
  const maxWidth = options.maxCellWidth ?? 60;
  const table = new Table({ head: columns.map((column) => terminalSafe(column)), style: { head: [], border: [] } });
  for (const row of rows) table.push(columns.map((column) => cellText(row[column], maxWidth)));
  return table.toString();
}

/** Two-column key/value table, for summaries. */
export function renderKeyValues(entries: ReadonlyArray<[string, unknown]>, options: TableOptions = {}): string {
  const maxWidth = options.maxCellWidth ?? 100;
  const table = new Table({ style: { head: [], border: [] } });
  for (const [key, value] of entries) table.push([terminalSafe(key), cellText(value, maxWidth)]);
  return table.toString();
}
