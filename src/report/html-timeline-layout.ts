/**
 * Where the HTML report's timeline puts things, as numbers: lanes per category, markers
 * stacked in rows when they crowd, the time window, axis ticks and the zoomed span. No
 * markup here (html-timeline.ts draws it), so the geometry is tested without a browser.
 */
import type { Incident, TimelineCategory, TimelineEntry } from '../correlate/incident.js';

/** One lane per category, top to bottom. */
export const LANES: readonly TimelineCategory[] = ['logging', 'discovery', 'credential', 'session', 'profile', 'ec2', 'other', 'deletion'];

/** The lanes an incident's plot draws: every one of its story, and `other` only when a call of another service is in it. */
export function lanesOf(entries: readonly { category: TimelineCategory }[]): TimelineCategory[] {
  return LANES.filter((category) => category !== 'other' || entries.some((entry) => entry.category === 'other'));
}

export const SVG_WIDTH = 1100;
export const PLOT_LEFT = 130;
export const PLOT_RIGHT = SVG_WIDTH - 36;
export const PLOT_TOP = 58;
export const ROW_HEIGHT = 16;
export const LANE_PAD = 9;
export const MIN_GAP = 14;
export const MAX_ROWS = 6;
export const AXIS_HEIGHT = 50;
/** A zoomed inset is drawn when its span is under 1/ZOOM_RATIO of the whole axis. */
export const ZOOM_RATIO = 20;
/** Between the main axis's caption and the inset: room for the funnel joining them. */
export const ZOOM_GAP = 34;

/** Milliseconds of a record time, or null when it is not a time. */
export function millis(time: string): number | null {
  const value = Date.parse(time);
  return Number.isFinite(value) ? value : null;
}

export interface Placed {
  entry: TimelineEntry;
  x: number;
  row: number;
  main: boolean;
}

const TICK_STEPS_MS = [
  10_000,
  15_000,
  30_000,
  60_000,
  2 * 60_000,
  5 * 60_000,
  10 * 60_000,
  15 * 60_000,
  30 * 60_000,
  3_600_000,
  2 * 3_600_000,
  3 * 3_600_000,
  6 * 3_600_000,
  12 * 3_600_000,
  86_400_000,
  2 * 86_400_000,
  7 * 86_400_000,
  14 * 86_400_000,
  30 * 86_400_000,
  91 * 86_400_000,
  365 * 86_400_000,
];

/** ISO time of a millisecond value, or '' outside the range a Date can hold. */
export function isoOf(ms: number): string {
  const date = new Date(ms);
  return Number.isFinite(date.getTime()) ? date.toISOString().replace('.000Z', 'Z') : '';
}

function tickLabel(ms: number, step: number): string {
  const iso = isoOf(ms);
  if (!iso) return '';
  if (step >= 86_400_000) return iso.slice(0, 10);
  return step >= 60_000 ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 19);
}

export interface Lane {
  category: TimelineCategory;
  placed: Placed[];
  rows: number;
  top: number;
  height: number;
}

/** One time axis over lanes of markers: the whole incident window, or the zoomed span drawn under it. */
export interface Plot {
  start: number;
  end: number;
  top: number;
  bottom: number;
  lanes: Lane[];
  xOf: (ms: number) => number;
}

export function layoutPlot(entries: readonly TimelineEntry[], mainId: string, categories: readonly TimelineCategory[], start: number, end: number, top: number): Plot {
  const span = end - start;
  const xOf = (ms: number): number => PLOT_LEFT + ((ms - start) / span) * (PLOT_RIGHT - PLOT_LEFT);
  let y = top;
  const lanes = categories.map((category) => {
    // Markers closer than MIN_GAP stack in rows, so a burst of calls stays countable.
    const laneEntries = entries
      .filter((entry) => entry.category === category)
      .sort((a, b) => millis(a.eventTime)! - millis(b.eventTime)! || (a.eventId < b.eventId ? -1 : 1));
    const rowsEnd: number[] = [];
    const placed: Placed[] = laneEntries.map((entry) => {
      const x = xOf(millis(entry.eventTime)!);
      let row = rowsEnd.findIndex((last) => x - last >= MIN_GAP);
      if (row < 0 && rowsEnd.length < MAX_ROWS) row = rowsEnd.length;
      if (row < 0) row = rowsEnd.indexOf(Math.min(...rowsEnd));
      rowsEnd[row] = x;
      return { entry, x, row, main: entry.eventId === mainId };
    });
    const rows = Math.max(1, rowsEnd.length);
    const height = Math.max(34, rows * ROW_HEIGHT + 2 * LANE_PAD);
    const lane = { category, placed, rows, top: y, height };
    y += height;
    return lane;
  });
  return { start, end, top, bottom: y, lanes, xOf };
}

/** The y of a marker row: a one-row lane draws its markers on its centre line. */
export function rowY(lane: Lane, row: number): number {
  const centre = lane.top + lane.height / 2;
  return lane.rows === 1 ? centre : lane.top + LANE_PAD + ROW_HEIGHT / 2 + row * ROW_HEIGHT;
}

/** Grid lines and labels at a "nice" step giving at most one label per ~110 px; none too near the plot's edges. */
export function axisTicks(plot: Plot): Array<{ x: number; label: string }> {
  const span = plot.end - plot.start;
  const maxTicks = Math.max(2, Math.floor((PLOT_RIGHT - PLOT_LEFT) / 110));
  const year = 365 * 86_400_000;
  const step = TICK_STEPS_MS.find((candidate) => span / candidate <= maxTicks) ?? Math.ceil(span / maxTicks / year) * year;
  const ticks: Array<{ x: number; label: string }> = [];
  for (let tick = Math.ceil(plot.start / step) * step; tick <= plot.end; tick += step) {
    const x = plot.xOf(tick);
    if (x < PLOT_LEFT + 20 || x > PLOT_RIGHT - 20) continue;
    ticks.push({ x, label: tickLabel(tick, step) });
  }
  return ticks;
}

/**
 * The axis range for these times: padded so the first and last markers are not on the
 * edge; a single instant (or a tight cluster) gets at least ten minutes around it.
 */
export function timeWindow(times: readonly number[]): { first: number; last: number; start: number; end: number } | null {
  if (times.length === 0) return null;
  const first = times.reduce((a, b) => Math.min(a, b));
  const last = times.reduce((a, b) => Math.max(a, b));
  let start = first;
  let end = last;
  const minSpan = 10 * 60_000;
  if (end - start < minSpan) {
    const middle = (start + end) / 2;
    start = middle - minSpan / 2;
    end = middle + minSpan / 2;
  } else {
    const pad = (end - start) * 0.03;
    start -= pad;
    end += pad;
  }
  return { first, last, start, end };
}

/**
 * The span worth a closer look: from the first credential change (without one, the first
 * key-issuing hop of the chain) to the deletion, padded. Only when the whole window squeezes
 * it into a sliver of the axis: a 9-minute attack in a 6-day window is a few pixels wide.
 */
export function zoomSpan(incident: Incident, entries: readonly TimelineEntry[], deletionAt: number | null, firstChangeAt: number | null, start: number, end: number): { start: number; end: number } | null {
  if (deletionAt === null) return null;
  const timeOf = new Map(entries.map((entry) => [entry.eventId, millis(entry.eventTime)!]));
  const hopTimes = incident.actor.chain.map((hop) => timeOf.get(hop.via)).filter((time): time is number => time !== undefined && time <= deletionAt);
  const from = firstChangeAt ?? (hopTimes.length > 0 ? Math.min(...hopTimes) : null);
  if (from === null) return null;
  // Whole seconds, as CloudTrail times are: the inset's span reads as exact times.
  const pad = Math.max(Math.ceil(((deletionAt - from) * 0.08) / 1000) * 1000, 30_000);
  const zoom = { start: from - pad, end: deletionAt + pad };
  return zoom.end - zoom.start < (end - start) / ZOOM_RATIO ? zoom : null;
}

/** Where the zoomed span sits on the main axis: at least a few pixels wide, so seconds in a window of days still show. */
export function zoomBracket(main: Plot, zoomed: { start: number; end: number }): { x1: number; x2: number } {
  const centre = (main.xOf(zoomed.start) + main.xOf(zoomed.end)) / 2;
  const half = Math.max(3, (main.xOf(zoomed.end) - main.xOf(zoomed.start)) / 2);
  return { x1: Math.max(PLOT_LEFT, centre - half), x2: Math.min(PLOT_RIGHT, centre + half) };
}
