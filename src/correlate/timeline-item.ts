/** One timeline line as every timeline writer receives it: the row, plus what correlation adds. */
import type { EventRow } from '../parse/event-row.js';
import type { TimelineCategory } from './incident.js';

export interface TimelineItem {
  event: EventRow;
  category: TimelineCategory;
  summary: string;
  actorArn: string | null;
  /** The origin of the acting identity's chain, when traced. */
  originArn: string | null;
  incidentId: string | null;
  /** The original record as JSON text, for formats that carry it. */
  recordText: string | null;
}
