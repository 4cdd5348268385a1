/**
 * The HTML report's timeline as inline SVG: one lane per category, a marker per event
 * linked to its row in the event table, the gap from the first credential change to the
 * deletion, and a zoomed inset when the attack is a sliver of the window. Where things go
 * is html-timeline-layout.ts; this only draws.
 */
import type { Incident, TimelineCategory, TimelineEntry } from '../correlate/incident.js';
import { displayTime, formatDuration, num, type Scope } from './html-format.js';
import { html, type SafeHtml } from './html-escape.js';
import {
  AXIS_HEIGHT,
  axisTicks,
  isoOf,
  LANES,
  lanesOf,
  layoutPlot,
  millis,
  type Plot,
  PLOT_LEFT,
  PLOT_RIGHT,
  PLOT_TOP,
  rowY,
  SVG_WIDTH,
  timeWindow,
  ZOOM_GAP,
  zoomBracket,
  zoomSpan,
} from './html-timeline-layout.js';

const COLOURS: Record<TimelineCategory, string> = {
  credential: '#c2410c',
  session: '#7c3aed',
  profile: '#1d4ed8',
  ec2: '#047857',
  deletion: '#b91c1c',
  discovery: '#64748b',
  logging: '#a16207',
  other: '#be185d',
};
const ZOOM_COLOUR = '#0f766e';

function markerShape(category: TimelineCategory, x: number, y: number, main: boolean, failed: boolean, title: string): SafeHtml {
  const colour = COLOURS[category];
  const fill = failed ? '#ffffff' : colour;
  const stroke = main ? '#450a0a' : colour;
  const width = main ? 2.5 : failed ? 2 : 1;
  const paint = html`fill="${fill}" stroke="${stroke}" stroke-width="${num(width)}"`;
  const tip = html`<title>${title}</title>`;
  const cls = `mk mk-${category}${main ? ' mk-main' : ''}${failed ? ' mk-failed' : ''}`;
  switch (category) {
    case 'deletion': {
      const r = main ? 10 : 7;
      return html`<path class="${cls}" d="M${num(x)} ${num(y - r)}L${num(x + r)} ${num(y)}L${num(x)} ${num(y + r)}L${num(x - r)} ${num(y)}Z" ${paint}>${tip}</path>`;
    }
    case 'credential': {
      const r = 7;
      return html`<path class="${cls}" d="M${num(x)} ${num(y - r)}L${num(x + r)} ${num(y + r * 0.75)}L${num(x - r)} ${num(y + r * 0.75)}Z" ${paint}>${tip}</path>`;
    }
    case 'profile':
      return html`<rect class="${cls}" x="${num(x - 5.5)}" y="${num(y - 5.5)}" width="11" height="11" ${paint}>${tip}</rect>`;
    default:
      return html`<circle class="${cls}" cx="${num(x)}" cy="${num(y)}" r="6" ${paint}>${tip}</circle>`;
  }
}

function markerTitle(entry: TimelineEntry): string {
  const lines = [`${entry.eventName} — ${displayTime(entry.eventTime)}`, entry.summary];
  if (entry.errorCode) lines.push(`error: ${entry.errorCode}`);
  return lines.join('\n');
}

function laneBackgrounds(plot: Plot): SafeHtml[] {
  return plot.lanes.map(
    (lane, index) => html`<g class="lane lane-${lane.category}">
<rect x="0" y="${num(lane.top)}" width="${SVG_WIDTH}" height="${num(lane.height)}" fill="${index % 2 === 0 ? '#f8fafc' : '#eef2f7'}"/>
<text class="lane-label" x="${PLOT_LEFT - 12}" y="${num(lane.top + lane.height / 2 + 4)}" text-anchor="end" fill="${COLOURS[lane.category]}">${lane.category} (${String(lane.placed.length)})</text>
</g>`,
  );
}

function laneMarkers(plot: Plot, scope: Scope): SafeHtml[] {
  return plot.lanes.map((lane) => {
    // The incident's own deletion is drawn last, on top.
    const ordered = [...lane.placed].sort((a, b) => Number(a.main) - Number(b.main));
    const markers = ordered.map(
      (marker) =>
        html`<a href="#${scope.eventAnchor(marker.entry.eventId)}" class="mk-link">${markerShape(lane.category, marker.x, rowY(lane, marker.row), marker.main, marker.entry.errorCode !== null, markerTitle(marker.entry))}</a>`,
    );
    return html`<g class="markers markers-${lane.category}">${markers}</g>`;
  });
}

function axisTickMarks(plot: Plot): SafeHtml[] {
  return axisTicks(plot).map(
    ({ x, label }) =>
      html`<line x1="${num(x)}" y1="${num(plot.top)}" x2="${num(x)}" y2="${num(plot.bottom + 5)}" class="grid-line"/><text class="tick" x="${num(x)}" y="${num(plot.bottom + 19)}" text-anchor="middle">${label}</text>`,
  );
}

export function timelineSvg(incident: Incident, scope: Scope): SafeHtml {
  const entries = incident.timeline.filter((entry) => millis(entry.eventTime) !== null);
  const deletionAt = millis(incident.eventTime);
  const firstChange = incident.credentialChanges
    .filter((change) => millis(change.eventTime) !== null && (deletionAt === null || millis(change.eventTime)! <= deletionAt))
    .sort((a, b) => millis(a.eventTime)! - millis(b.eventTime)!)[0];
  const firstChangeAt = firstChange ? millis(firstChange.eventTime)! : null;
  const times = entries.map((entry) => millis(entry.eventTime)!);
  if (deletionAt !== null) times.push(deletionAt);
  if (firstChangeAt !== null) times.push(firstChangeAt);
  const window = timeWindow(times);
  if (!window) return html`<p class="empty">No event with a valid time to draw.</p>`;
  const { first, last, start, end } = window;
  const lanes = lanesOf(entries);
  const main = layoutPlot(entries, incident.id, lanes, start, end, PLOT_TOP);
  const plotBottom = main.bottom;

  const axis = html`<g class="axis" pointer-events="none"><line x1="${PLOT_LEFT}" y1="${num(plotBottom)}" x2="${PLOT_RIGHT}" y2="${num(plotBottom)}" stroke="#475569" stroke-width="1"/>
${axisTickMarks(main)}
<text class="axis-caption" x="${PLOT_LEFT}" y="${num(plotBottom + 40)}">${displayTime(isoOf(first))} → ${displayTime(isoOf(last))} (UTC, ${formatDuration(last - first)})</text></g>`;

  // The gap from the first credential change to the deletion, shaded across all lanes.
  let band: SafeHtml | string = '';
  if (firstChange && firstChangeAt !== null && deletionAt !== null) {
    const x1 = main.xOf(firstChangeAt);
    const x2 = main.xOf(deletionAt);
    const width = Math.max(2, x2 - x1);
    const label = `first credential change (${firstChange.eventName}) ${formatDuration(deletionAt - firstChangeAt)} before the deletion`;
    // The label ends at the deletion line (or starts there, when the line is on the left),
    // so it never crosses the line or the deletion label above it.
    const leftOfLine = x2 > SVG_WIDTH * 0.5;
    band = html`<g class="gap" pointer-events="none">
${gapShade(main, firstChangeAt, deletionAt)}
<path d="M${num(x1)} ${PLOT_TOP - 4}V${PLOT_TOP - 12}H${num(x1 + width)}V${PLOT_TOP - 4}" fill="none" stroke="#b45309" stroke-width="1.5"/>
<text class="gap-label" x="${num(leftOfLine ? x2 - 8 : x2 + 8)}" y="${PLOT_TOP - 17}" text-anchor="${leftOfLine ? 'end' : 'start'}">${label}</text>
</g>`;
  }

  let deletionLine: SafeHtml | string = '';
  if (deletionAt !== null) {
    const x = main.xOf(deletionAt);
    const right = x > SVG_WIDTH * 0.5;
    const label = `${incident.outcome === 'deleted' ? 'DeleteInstanceProfile' : 'DeleteInstanceProfile (failed)'} ${displayTime(incident.eventTime)}`;
    deletionLine = html`<g class="deletion-line" pointer-events="none">
<line x1="${num(x)}" y1="8" x2="${num(x)}" y2="${num(plotBottom)}" stroke="${COLOURS.deletion}" stroke-width="2" stroke-dasharray="${incident.outcome === 'deleted' ? '' : '5 3'}"/>
<text class="deletion-label" x="${num(right ? x - 6 : x + 6)}" y="18" text-anchor="${right ? 'end' : 'start'}">${label}</text>
</g>`;
  }

  const zoomed = zoomSpan(incident, entries, deletionAt, firstChangeAt, start, end);
  const zoom = zoomed ? zoomInset(incident, entries, scope, main, zoomed, firstChangeAt, deletionAt, plotBottom + AXIS_HEIGHT) : null;
  const height = (zoom?.bottom ?? plotBottom) + AXIS_HEIGHT;

  const summary = `Timeline of ${entries.length} event(s) around the ${incident.outcome === 'deleted' ? 'deletion' : 'failed deletion attempt'} of ${incident.instanceProfile.name}`;
  return html`<figure class="timeline">
<svg class="timeline-svg" viewBox="0 0 ${SVG_WIDTH} ${num(height)}" width="100%" xmlns="http://www.w3.org/2000/svg" data-events="${String(entries.length)}">
<title>${summary}</title>
<g class="main-plot">
${laneBackgrounds(main)}
${band}
${zoom?.mark ?? ''}
${axis}
${deletionLine}
${laneMarkers(main, scope)}
</g>
${zoom?.inset ?? ''}
</svg>
<figcaption>${legend(lanes)}<div class="hint">Hover a marker for its event; click it to jump to its row in the event table. Markers closer than a few pixels are stacked.${zoom ? ' The lower plot zooms into the span marked on the axis above.' : ''}</div></figcaption>
</figure>`;
}

/** The amber shade from the first credential change to the deletion, across a plot's lanes. */
function gapShade(plot: Plot, from: number, to: number): SafeHtml {
  const x1 = plot.xOf(from);
  const width = Math.max(2, plot.xOf(to) - x1);
  return html`<rect x="${num(x1)}" y="${num(plot.top)}" width="${num(width)}" height="${num(plot.bottom - plot.top)}" fill="#f59e0b" fill-opacity="0.16"/>`;
}

/**
 * The zoomed span as a second plot under the main axis: the lanes with events in it, the
 * same markers, its own axis. The main plot marks where it comes from (a bracket on the
 * axis), and a funnel joins that bracket's width to the inset's.
 */
function zoomInset(
  incident: Incident,
  entries: readonly TimelineEntry[],
  scope: Scope,
  main: Plot,
  zoomed: { start: number; end: number },
  firstChangeAt: number | null,
  deletionAt: number | null,
  gapTop: number,
): { mark: SafeHtml; inset: SafeHtml; bottom: number } {
  const inside = entries.filter((entry) => {
    const time = millis(entry.eventTime)!;
    return time >= zoomed.start && time <= zoomed.end;
  });
  const categories = LANES.filter((category) => category === 'deletion' || inside.some((entry) => entry.category === category));
  const insetTop = gapTop + ZOOM_GAP;
  const plot = layoutPlot(inside, incident.id, categories, zoomed.start, zoomed.end, insetTop);
  const { x1, x2 } = zoomBracket(main, zoomed);
  const mark = html`<g class="zoom-mark" pointer-events="none">
<rect x="${num(x1)}" y="${num(main.top)}" width="${num(x2 - x1)}" height="${num(main.bottom - main.top)}" fill="${ZOOM_COLOUR}" fill-opacity="0.12" stroke="${ZOOM_COLOUR}" stroke-width="1" stroke-dasharray="3 2"/>
<path d="M${num(x1)} ${num(main.bottom + 2)}V${num(main.bottom + 7)}H${num(x2)}V${num(main.bottom + 2)}" fill="none" stroke="${ZOOM_COLOUR}" stroke-width="2"/>
</g>`;
  const zoomSpanText = `${displayTime(isoOf(zoomed.start))} → ${displayTime(isoOf(zoomed.end))} (UTC, ${formatDuration(zoomed.end - zoomed.start)})`;
  const anchor = firstChangeAt !== null ? 'first credential change' : 'first key issued in the chain';
  let deletionLine: SafeHtml | string = '';
  if (deletionAt !== null) {
    const x = plot.xOf(deletionAt);
    deletionLine = html`<line class="zoom-deletion" x1="${num(x)}" y1="${num(plot.top)}" x2="${num(x)}" y2="${num(plot.bottom)}" stroke="${COLOURS.deletion}" stroke-width="2" stroke-dasharray="${incident.outcome === 'deleted' ? '' : '5 3'}" pointer-events="none"/>`;
  }
  const inset = html`<g class="zoom" data-start="${isoOf(zoomed.start)}" data-end="${isoOf(zoomed.end)}">
<path class="zoom-funnel" d="M${num(x1)} ${num(gapTop)}L${num(x2)} ${num(gapTop)}L${PLOT_RIGHT} ${num(insetTop)}L${PLOT_LEFT} ${num(insetTop)}Z" fill="${ZOOM_COLOUR}" fill-opacity="0.08" stroke="${ZOOM_COLOUR}" stroke-width="1" stroke-dasharray="3 2" pointer-events="none"/>
<text class="zoom-title" x="${PLOT_LEFT - 12}" y="${num(insetTop - 8)}" text-anchor="end">zoomed in</text>
${laneBackgrounds(plot)}
${firstChangeAt !== null && deletionAt !== null ? html`<g class="gap" pointer-events="none">${gapShade(plot, Math.max(firstChangeAt, zoomed.start), deletionAt)}</g>` : ''}
<g class="axis" pointer-events="none"><line x1="${PLOT_LEFT}" y1="${num(plot.bottom)}" x2="${PLOT_RIGHT}" y2="${num(plot.bottom)}" stroke="${ZOOM_COLOUR}" stroke-width="1.5"/>
${axisTickMarks(plot)}
<text class="axis-caption" x="${PLOT_LEFT}" y="${num(plot.bottom + 40)}">${zoomSpanText}: the ${anchor} to the deletion, marked on the axis above</text></g>
${deletionLine}
${laneMarkers(plot, scope)}
</g>`;
  return { mark, inset, bottom: plot.bottom };
}

function legend(lanes: readonly TimelineCategory[]): SafeHtml {
  const swatch = (category: TimelineCategory, failed = false, main = false): SafeHtml =>
    html`<svg class="swatch" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">${markerShape(category, 12, 12.5, main, failed, category)}</svg>`;
  const items = lanes.map((category) => html`<span class="legend-item">${swatch(category)} ${category}</span>`);
  return html`<span class="legend">${items}<span class="legend-item">${swatch('ec2', true)} call failed</span><span class="legend-item">${swatch('deletion', false, true)} this incident's deletion</span><span class="legend-item"><span class="band-swatch"></span> first credential change → deletion</span></span>`;
}
