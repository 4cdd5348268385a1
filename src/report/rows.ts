/** Row sets (events, query results) in the formats every listing command offers. */
import { csvDocument } from './csv.js';
import { type RecordLayouts, renderRecords, renderTable } from './table.js';

export type RowFormat = 'table' | 'json' | 'csv' | 'jsonl';

export function renderRows(
  format: RowFormat,
  columns: readonly string[],
  rows: ReadonlyArray<Record<string, unknown>>,
  table: { width?: number; layouts?: RecordLayouts } = {},
): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(rows, jsonSafeReplacer, 2)}\n`;
    case 'jsonl':
      return rows.map((row) => JSON.stringify(row, jsonSafeReplacer)).join('\n') + (rows.length > 0 ? '\n' : '');
    case 'csv':
      return csvDocument(columns, rows);
    case 'table':
      return rows.length === 0 ? '(no rows)\n' : `${table.layouts ? renderRecords(table.layouts, rows, table.width) : renderTable(columns, rows, table)}\n`;
  }
}

/** SQLite hands back BigInt for large integers and Buffers for blobs; JSON has neither. */
export function jsonSafeReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Uint8Array) return `<blob ${value.length} bytes>`;
  if (value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer') return '<blob>';
  return value;
}
