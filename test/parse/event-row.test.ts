import { describe, expect, it } from 'vitest';
import { EVENT_ROW_COLUMNS, type EventRow, toTuple } from '../../src/parse/event-row.js';
import { normalizeRecord } from '../../src/parse/normalize.js';
import { record } from '../support/cloudtrail.js';

describe('row tuples', () => {
  it('when a row becomes a tuple then every column lands at its EVENT_ROW_COLUMNS position', () => {
    // Each column holds its own name, so a swapped or missing read shows up by name.
    const row = Object.fromEntries(EVENT_ROW_COLUMNS.map((column) => [column, column])) as unknown as EventRow;
    expect(toTuple(row)).toEqual([...EVENT_ROW_COLUMNS]);
  });

  it('when a record is normalized then its row has exactly the listed columns, none left out of the tuple', () => {
    const normalized = normalizeRecord(record({}));
    if (!normalized.ok) throw new Error(normalized.reason);
    expect(Object.keys(normalized.row).sort()).toEqual([...EVENT_ROW_COLUMNS].sort());
  });
});
