/**
 * Terminal column sets of the listing commands, as data: each profile lists its layouts
 * widest first, and table.ts draws the first that fits the terminal. Fields stacked in one
 * column (`keys` with two names) are how a narrower layout keeps every field.
 */
import type { RecordLayouts } from './table.js';

/** `events --format table`: identifiers kept whole where they can be, the identity wrapped at its `:` and `/`. */
export const EVENT_TABLE_LAYOUTS: RecordLayouts = [
  [
    { keys: ['event_time'] },
    { keys: ['event_name'], fit: 'cut', minWidth: 12, maxWidth: 40 },
    { keys: ['aws_region'] },
    { keys: ['identity_arn'], fit: 'wrap', minWidth: 24, maxWidth: 60 },
    { keys: ['source_ip'], fit: 'cut', minWidth: 15, maxWidth: 40 },
    { keys: ['error_code'], fit: 'cut', minWidth: 10, maxWidth: 30 },
    { keys: ['event_id'] },
  ],
  [
    { keys: ['event_time', 'event_id'] },
    { keys: ['event_name', 'error_code'], fit: 'cut', minWidth: 16, maxWidth: 40 },
    { keys: ['aws_region', 'source_ip'], fit: 'cut', minWidth: 15, maxWidth: 40 },
    { keys: ['identity_arn'], fit: 'wrap', minWidth: 20, maxWidth: 70 },
  ],
];

/** `timeline --format table` (rows from tableTimelineRow): what happened is the prose that gets the width. */
export const TIMELINE_TABLE_LAYOUTS: RecordLayouts = [
  [
    { keys: ['event_time'] },
    { keys: ['category'] },
    { keys: ['event_name'] },
    { keys: ['what'], fit: 'wrap', minWidth: 30, maxWidth: 80 },
    { keys: ['actor'], fit: 'wrap', minWidth: 20, maxWidth: 50 },
    { keys: ['event_id'] },
  ],
  [
    { keys: ['event_time', 'event_id'] },
    { keys: ['category', 'event_name'], fit: 'cut', minWidth: 16, maxWidth: 40 },
    { keys: ['what', 'actor'], fit: 'wrap', minWidth: 24, maxWidth: 100 },
  ],
];

/** `verify`: one line per digest chain; its name (account/region/trail) wraps, times and counts stay whole. */
export const VERIFY_TABLE_LAYOUTS: RecordLayouts = [
  [
    { keys: ['chain'], fit: 'wrap', minWidth: 20, maxWidth: 60 },
    { keys: ['from'] },
    { keys: ['to'] },
    { keys: ['digests'] },
    { keys: ['log files'] },
    { keys: ['verified'] },
    { keys: ['signatures'], fit: 'wrap', minWidth: 12, maxWidth: 40 },
    { keys: ['gaps'] },
    { keys: ['problems'] },
  ],
  [
    { keys: ['chain'], fit: 'wrap', minWidth: 16, maxWidth: 60 },
    { keys: ['from', 'to'] },
    { keys: ['digests', 'log files', 'verified'] },
    { keys: ['signatures'], fit: 'wrap', minWidth: 12, maxWidth: 40 },
    { keys: ['gaps', 'problems'] },
  ],
];
