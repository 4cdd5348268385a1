import { describe, expect, it } from 'vitest';
import type { TimelineCategory, TimelineEntry } from '../../src/correlate/incident.js';
import {
  axisTicks,
  LANES,
  lanesOf,
  layoutPlot,
  MAX_ROWS,
  PLOT_LEFT,
  PLOT_RIGHT,
  PLOT_TOP,
  rowY,
  timeWindow,
  zoomBracket,
  zoomSpan,
} from '../../src/report/html-timeline-layout.js';
import { hostileIncident } from './hostile-incident.js';

const T0 = Date.parse('2026-03-06T03:00:00Z');
const MINUTE = 60_000;

function entry(eventId: string, offsetMs: number, category: TimelineCategory = 'credential'): TimelineEntry {
  const eventTime = new Date(T0 + offsetMs).toISOString().replace('.000Z', 'Z');
  return { eventId, eventTime, eventName: 'CreateAccessKey', category, actorArn: null, sourceIPAddress: null, region: null, errorCode: null, summary: '' };
}

describe('timeline layout', () => {
  it('when times span one instant then the window is ten minutes around it; when they span hours it is padded by 3%', () => {
    expect(timeWindow([])).toBeNull();
    expect(timeWindow([T0])).toEqual({ first: T0, last: T0, start: T0 - 5 * MINUTE, end: T0 + 5 * MINUTE });
    const hours = timeWindow([T0, T0 + 100 * MINUTE]);
    expect(hours).toEqual({ first: T0, last: T0 + 100 * MINUTE, start: T0 - 3 * MINUTE, end: T0 + 103 * MINUTE });
  });

  it('when events are laid out then every lane stacks below the previous one and each marker sits on the axis at its time', () => {
    const entries = [entry('a', 0, 'credential'), entry('b', 10 * MINUTE, 'deletion')];
    const plot = layoutPlot(entries, 'b', LANES, T0, T0 + 10 * MINUTE, PLOT_TOP);
    expect(plot.lanes.map((lane) => lane.category)).toEqual(LANES);
    plot.lanes.forEach((lane, index) => expect(lane.top).toBe(index === 0 ? PLOT_TOP : plot.lanes[index - 1]!.top + plot.lanes[index - 1]!.height));
    expect(plot.bottom).toBe(plot.lanes.at(-1)!.top + plot.lanes.at(-1)!.height);
    const credential = plot.lanes.find((lane) => lane.category === 'credential')!;
    const deletion = plot.lanes.find((lane) => lane.category === 'deletion')!;
    expect(credential.placed).toEqual([expect.objectContaining({ x: PLOT_LEFT, row: 0, main: false })]);
    expect(deletion.placed).toEqual([expect.objectContaining({ x: PLOT_RIGHT, row: 0, main: true })]);
    expect(rowY(credential, 0)).toBe(credential.top + credential.height / 2);
  });

  it('when no call of another service is in the story then the plot has no other lane; with one, it sits between ec2 and the deletion', () => {
    expect(lanesOf([entry('a', 0), entry('b', MINUTE, 'deletion')])).toEqual(LANES.filter((category) => category !== 'other'));
    expect(lanesOf([entry('a', 0, 'other')]).slice(-3)).toEqual(['ec2', 'other', 'deletion']);
  });

  it('when markers crowd one lane then they stack in rows, never more than the row limit', () => {
    const burst = Array.from({ length: 20 }, (_, index) => entry(`e${String(index).padStart(2, '0')}`, index * 100));
    const plot = layoutPlot(burst, 'none', ['credential'], T0, T0 + 10 * MINUTE, PLOT_TOP);
    const [lane] = plot.lanes;
    expect(lane!.rows).toBe(MAX_ROWS);
    expect(new Set(lane!.placed.map((marker) => marker.row))).toEqual(new Set(Array.from({ length: MAX_ROWS }, (_, row) => row)));
    expect(rowY(lane!, 1) - rowY(lane!, 0)).toBeGreaterThan(0);
  });

  it('when an axis covers ten minutes then ticks fall inside the plot at whole minutes, labelled by time of day', () => {
    const plot = layoutPlot([], 'none', ['credential'], T0, T0 + 10 * MINUTE, PLOT_TOP);
    const ticks = axisTicks(plot);
    expect(ticks.length).toBeGreaterThan(1);
    for (const tick of ticks) {
      expect(tick.x).toBeGreaterThanOrEqual(PLOT_LEFT + 20);
      expect(tick.x).toBeLessThanOrEqual(PLOT_RIGHT - 20);
      expect(tick.label).toMatch(/^03-06 03:\d{2}$/);
    }
  });

  it('when a short attack sits in a long window then the zoom spans it padded, and the bracket stays on the axis', () => {
    const incident = hostileIncident({ actor: { ...hostileIncident().actor, chain: [] } });
    const deletionAt = T0 + 9 * MINUTE;
    const zoomed = zoomSpan(incident, [], deletionAt, T0, T0 - 3 * 86_400_000, T0 + 3 * 86_400_000);
    expect(zoomed).toEqual({ start: T0 - 44_000, end: deletionAt + 44_000 });
    expect(zoomSpan(incident, [], deletionAt, T0, T0 - MINUTE, deletionAt + MINUTE)).toBeNull();
    expect(zoomSpan(incident, [], null, T0, T0, deletionAt)).toBeNull();
    const main = layoutPlot([], 'none', ['credential'], T0 - 3 * 86_400_000, T0 + 3 * 86_400_000, PLOT_TOP);
    const { x1, x2 } = zoomBracket(main, zoomed!);
    expect(x2 - x1).toBeGreaterThanOrEqual(6);
    expect(x1).toBeGreaterThanOrEqual(PLOT_LEFT);
    expect(x2).toBeLessThanOrEqual(PLOT_RIGHT);
  });
});
