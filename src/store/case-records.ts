/** The original records an HTML case file carries beside its timelines. */
import type { RecordArchive } from './evidence-port.js';

/**
 * Each named event's original record as indented JSON, keyed by event ID. An ID named twice
 * keeps its first record; an event whose record is gone is left out rather than shown empty.
 */
export async function caseRecords(archive: Pick<RecordArchive, 'record'>, events: Iterable<{ eventId: string; eventTime: string }>): Promise<Record<string, string>> {
  // No prototype: an event ID such as "__proto__" is only a key.
  const records = Object.create(null) as Record<string, string>;
  for (const { eventId, eventTime } of events) {
    if (Object.hasOwn(records, eventId)) continue;
    const record = await archive.record(eventId, eventTime);
    if (record) records[eventId] = JSON.stringify(record, null, 2);
  }
  return records;
}
