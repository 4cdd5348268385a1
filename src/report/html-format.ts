/**
 * What every part of the HTML report shares: where one incident's anchors live, and how
 * times, durations and numbers are written.
 */
import type { TimelineEntry } from '../correlate/incident.js';
import { fragmentId, html, type SafeHtml } from './html-escape.js';

/** Where anchors of one incident live: plain `ev-<id>` in a one-incident file, `ev-<id>-in-<n>` when several share the page. */
export class Scope {
  private readonly timelineIds: Set<string>;

  constructor(
    readonly index: number,
    private readonly shared: boolean,
    private readonly records: Record<string, string>,
    incidentTimeline: readonly TimelineEntry[] = [],
  ) {
    this.timelineIds = new Set(incidentTimeline.map((entry) => entry.eventId));
  }

  withTimeline(timeline: readonly TimelineEntry[]): Scope {
    return new Scope(this.index, this.shared, this.records, timeline);
  }

  get section(): string {
    return `incident-${this.index}`;
  }

  part(name: string): string {
    return `${this.section}-${name}`;
  }

  eventAnchor(eventId: string): string {
    return `ev-${fragmentId(eventId)}${this.shared ? `-in-${this.index}` : ''}`;
  }

  inTable(eventId: string): boolean {
    return this.timelineIds.has(eventId);
  }

  record(eventId: string): string | null {
    return Object.hasOwn(this.records, eventId) ? (this.records[eventId] ?? null) : null;
  }

  /** An event ID linked to its event-table row when the row exists, else plain text. */
  eventLink(eventId: string, label: string = eventId): SafeHtml {
    return this.inTable(eventId) ? html`<a class="evlink" href="#${this.eventAnchor(eventId)}">${label}</a>` : html`<span class="evlink">${label}</span>`;
  }
}


export function displayTime(time: string): string {
  return time.replace('T', ' ');
}

/** `2 d 1 h`, `3 h 12 min`, `4 min 5 s`, `40 s`: the two largest units. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  const units: Array<[string, number]> = [
    ['d', 86_400],
    ['h', 3_600],
    ['min', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let rest = seconds;
  for (const [name, size] of units) {
    const amount = Math.floor(rest / size);
    rest -= amount * size;
    if (amount > 0 || parts.length > 0) parts.push(`${amount} ${name}`);
    if (parts.length === 2) break;
  }
  const shown = parts.filter((part, index) => index === 0 || !part.startsWith('0 '));
  return shown.length > 0 ? shown.join(' ') : '0 s';
}

/** A coordinate to one decimal: short SVG, and the same text on every run. */
export function num(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}

/** A value, or a dash (or `none`) when there is none. */
export function orNone(value: string | null | undefined, none = '—'): string {
  return value === null || value === undefined || value === '' ? none : value;
}
