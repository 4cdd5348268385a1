/**
 * `trailsift report`: one self-contained HTML case file per run, readable offline,
 * printable, and safe to open although every record value in it is attacker-controlled.
 *
 * - Nothing is fetched: inline <style>, inline SVG, no script, no font, no image; a
 *   Content-Security-Policy forbids everything else, so even an escaping bug could
 *   neither run script nor load anything.
 * - Every value goes through the `html` tag of html-escape.ts (escaped text/attribute),
 *   anchors are made by `fragmentId` ([A-Za-z0-9_-] only).
 * - Pure: takes the incidents and the raw record texts, never opens the database.
 */
import { evidenceLine } from './evidence-line.js';
import { accountOfArn, isLongTermKey } from '../parse/arn.js';
import type { IdentityRef, Incident, InstanceStatus, TimelineCategory, TimelineEntry } from '../correlate/incident.js';
import { dependentResourceWords } from '../correlate/event-catalog.js';
import { placeholders } from '../correlate/remediation/aws-cli.js';
import { breakable, fragmentId, html, identifier, joinHtml, markMatches, type SafeHtml, trusted } from './html-escape.js';
import {
  actingLabel,
  type ChainStep,
  commandLine,
  creatorChainSteps,
  distinctLabel,
  incidentView,
  type IncidentView,
  mfaText,
  outcomeText,
  runningLost,
  shortIdentity,
  stoppedAtDeletion,
} from './incident-view.js';

export interface CaseFile {
  incidents: Incident[];
  /** eventID → the original record as text (shown pretty-printed in the event table). */
  records: Record<string, string>;
  title: string;
}

export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const LANES: readonly TimelineCategory[] = ['logging', 'discovery', 'credential', 'session', 'profile', 'ec2', 'deletion'];

const COLOURS: Record<TimelineCategory, string> = {
  credential: '#c2410c',
  session: '#7c3aed',
  profile: '#1d4ed8',
  ec2: '#047857',
  deletion: '#b91c1c',
  discovery: '#64748b',
  logging: '#a16207',
};

/** A title for the file: the profile and time of one incident, or the count of several. */
export function caseTitle(incidents: readonly Incident[]): string {
  const [first] = incidents;
  if (incidents.length === 1 && first) {
    return `trailsift case: ${first.instanceProfile.name} ${outcomeText(first)} at ${displayTime(first.eventTime)}`;
  }
  return `trailsift cases: ${incidents.length} DeleteInstanceProfile incident(s)`;
}

export function renderHtmlReport(caseFile: CaseFile): string {
  const { incidents } = caseFile;
  const scoped = incidents.length > 1;
  const sections = incidents.map((incident, index) => incidentSection(incident, new Scope(index + 1, scoped, caseFile.records)));
  const body =
    incidents.length === 0
      ? html`<p class="empty">No DeleteInstanceProfile event matched.</p>`
      : html`${scoped ? summaryTable(incidents) : ''}${sections}`;
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="trailsift">
<title>${caseFile.title}</title>
<style>${trusted(STYLE)}</style>
</head>
<body>
<header class="doc">
<h1>${caseFile.title}</h1>
<p class="note">Offline case file written by trailsift from CloudTrail records. Times are UTC. Every value taken from a record is shown as text; the page runs no script and loads nothing.</p>
</header>
<main>
${body}
</main>
</body>
</html>
`;
  return page.value;
}

/** Where anchors of one incident live: plain `ev-<id>` in a one-incident file, `ev-<id>-in-<n>` when several share the page. */
class Scope {
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

// ---------------------------------------------------------------------------------------
// Formatting

export function displayTime(time: string): string {
  return time.replace('T', ' ');
}

function millis(time: string): number | null {
  const value = Date.parse(time);
  return Number.isFinite(value) ? value : null;
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

function num(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}

function orNone(value: string | null | undefined, none = '—'): string {
  return value === null || value === undefined || value === '' ? none : value;
}

// ---------------------------------------------------------------------------------------
// Summary of several incidents

function summaryTable(incidents: readonly Incident[]): SafeHtml {
  const rows = incidents.map((incident, index) => {
    const scope = `incident-${index + 1}`;
    return html`<tr>
<td><a href="#${scope}">${index + 1}</a></td>
<td class="nowrap">${displayTime(incident.eventTime)}</td>
<td><a href="#${scope}">${incident.instanceProfile.name}</a></td>
<td>${outcomeChip(incident)}</td>
<td>${verdictChips(incident)}</td>
<td>${impactChip(incident)}</td>
<td class="mono">${orNone(incident.accountId)}</td>
<td class="mono wrap">${identifier(shortIdentity(actingLabel(incident.actor)))}</td>
<td class="mono wrap">${identifier(shortIdentity(incident.actor.origin.arn ?? incident.actor.origin.label))}</td>
<td class="num">${incident.outcome === 'deleted' ? String(runningLost(incident)) : '—'}</td>
<td class="num">${String(incident.failedLaunchesAfter.length)}</td>
</tr>`;
  });
  return html`<section class="summary" id="summary">
<h2>${incidents.length} incidents</h2>
<table class="grid">
<thead><tr><th>#</th><th>time</th><th>instance profile</th><th>outcome</th><th>verdict</th><th>impact</th><th>account</th><th>acting identity</th><th>origin</th><th>running lost</th><th>failed launches</th></tr></thead>
<tbody>${rows}</tbody>
</table>
</section>`;
}

function outcomeChip(incident: Incident): SafeHtml {
  return incident.outcome === 'deleted'
    ? html`<span class="chip outcome-deleted">deleted</span>`
    : html`<span class="chip outcome-failed">failed: ${orNone(incident.errorCode, 'unknown error')}</span>`;
}

/** What the deletion broke: nothing, something that could launch with it (templates, configurations), or instances. */
function impactChip(incident: Incident): SafeHtml {
  const { impact } = incident.assessment;
  return html`<span class="chip impact-${fragmentId(impact)}" title="impact of the deletion">impact: ${impact}</span>`;
}

function verdictChips(incident: Incident): SafeHtml {
  const { classification, severity } = incident.assessment;
  return html`<span class="chip cls-${fragmentId(classification)}">${classification}</span> <span class="chip sev-${fragmentId(severity)}">${severity}</span>`;
}

// ---------------------------------------------------------------------------------------
// One incident

function incidentSection(incident: Incident, baseScope: Scope): SafeHtml {
  const scope = baseScope.withTimeline(incident.timeline);
  const view = incidentView(incident);
  const nav = (
    [
      ['signals', 'Signals'],
      ['timeline', 'Timeline'],
      ['chain', 'Actor chain'],
      ['changes', 'Credential changes'],
      ['impact', 'Impact'],
      ['recommendations', 'Recommendations'],
      ['events', 'Events'],
    ] as const
  ).map(([part, label]) => html`<a href="#${scope.part(part)}">${label}</a>`);
  return html`<section class="incident" id="${scope.section}">
${header(incident, view, scope)}
<nav class="parts">${joinHtml(nav, ' · ')}</nav>
<h3 id="${scope.part('signals')}">Signals</h3>
${signals(incident, scope)}
<h3 id="${scope.part('timeline')}">Timeline</h3>
${timelineSvg(incident, scope)}
<h3 id="${scope.part('chain')}">Actor chain</h3>
${actorChain(incident, view, scope)}
<h3 id="${scope.part('changes')}">Credential changes before the deletion</h3>
${credentialChanges(incident, scope)}
<h3 id="${scope.part('impact')}">Impact</h3>
${impact(incident, scope)}
<h3 id="${scope.part('recommendations')}">Recommendations</h3>
${recommendations(incident, scope)}
<h3 id="${scope.part('events')}">Events</h3>
${eventTable(incident, scope)}
</section>`;
}

function header(incident: Incident, view: IncidentView, scope: Scope): SafeHtml {
  const { actor, instanceProfile: profile } = incident;
  const originName = actor.origin.arn ?? actor.origin.label;
  const originLabel = distinctLabel(actor.origin.label, originName);
  const facts: Array<[string, SafeHtml | string]> = [
    ['instance profile', html`<span class="mono">${profile.name}</span>${profile.arn ? html` <span class="mono wrap dim">${identifier(profile.arn)}</span>` : ''}`],
    ['outcome', html`${outcomeChip(incident)}${incident.errorMessage ? html` <span class="dim">${incident.errorMessage}</span>` : ''}`],
    ['time', html`<span class="mono">${displayTime(incident.eventTime)}</span>`],
    ['account', html`<span class="mono">${orNone(incident.accountId)}</span>${incident.region ? html` · ${incident.region}` : ''}`],
    ['acting identity', html`<span class="mono wrap">${identifier(view.acting)}</span>`],
    ['origin', html`<span class="mono wrap">${identifier(originName)}</span>${originLabel ? html` <span class="dim">(${breakable(originLabel)})</span>` : ''}`],
    ...originFacts(incident, scope),
    ['source IP', html`<span class="mono">${orNone(actor.sourceIPAddress)}</span>`],
    ['MFA', view.mfa],
    ['user agent', html`<span class="mono wrap dim">${orNone(actor.userAgent)}</span>`],
    ['event ID', html`<span class="mono">${scope.eventLink(incident.id)}</span>`],
  ];
  const reasons = incident.assessment.reasons.map((reason) => html`<li>${breakable(reason)}</li>`);
  return html`<header class="verdict cls-${fragmentId(incident.assessment.classification)}">
<h2><span class="mono">${profile.name}</span> ${incident.outcome === 'deleted' ? 'deleted' : 'delete attempt failed'} ${verdictChips(incident)} ${impactChip(incident)}</h2>
<p class="verdict-text">${breakable(view.verdict)}</p>
<p class="evidence-line">Evidence: ${breakable(evidenceLine(incident.evidence))}</p>
<dl class="facts">${facts.map(([name, value]) => html`<dt>${name}</dt><dd>${value}</dd>`)}</dl>
${reasons.length > 0 ? html`<details class="reasons" open><summary>Why: ${String(reasons.length)} reason(s)</summary><ul>${reasons}</ul></details>` : ''}
</header>`;
}

/** Where the origin's session came from, as verdict facts: only those the archive showed. */
function originFacts(incident: Incident, scope: Scope): Array<[string, SafeHtml]> {
  const { origin, consoleLogin, identityCenter } = incident.actor;
  const facts: Array<[string, SafeHtml]> = [];
  if (origin.instanceId) facts.push(['origin instance', html`<span class="mono">${origin.instanceId}</span>`]);
  if (consoleLogin) {
    const mfa = mfaText(consoleLogin.mfaUsed);
    const from = consoleLogin.sourceIPAddress ? html` from <span class="mono">${consoleLogin.sourceIPAddress}</span>` : '';
    facts.push([
      'console sign-in',
      html`ConsoleLogin <span class="mono">${scope.eventLink(consoleLogin.eventId)}</span> at <span class="mono">${displayTime(consoleLogin.eventTime)}</span>${from} · MFA used: <span class="mfa-${fragmentId(mfa)}">${mfa}</span>`,
    ]);
  }
  if (identityCenter) {
    const { userName, userId, identityStoreArn, roleName, accountId } = identityCenter;
    const ids = [
      userName && userId ? html`user ID <span class="mono">${userId}</span>` : null,
      identityStoreArn ? html`identity store <span class="mono wrap">${identifier(identityStoreArn)}</span>` : null,
    ].filter((part): part is SafeHtml => part !== null);
    const user = html`user <span class="mono">${userName ?? userId ?? 'unknown'}</span>${ids.length > 0 ? html` (${joinHtml(ids, ', ')})` : ''}`;
    const role = roleName ? html` · role <span class="mono wrap">${identifier(roleName)}</span>` : '';
    const account = accountId ? html` in account <span class="mono">${accountId}</span>` : '';
    const event = html`GetRoleCredentials <span class="mono">${scope.eventLink(identityCenter.eventId)}</span> at <span class="mono">${displayTime(identityCenter.eventTime)}</span>`;
    facts.push(['Identity Center', html`${user}${role}${account} · ${event}`]);
  }
  return facts;
}

// ---------------------------------------------------------------------------------------
// Signals

function signals(incident: Incident, scope: Scope): SafeHtml {
  const items = incident.assessment.signals.map((signal) => {
    const evidence = signal.evidence.map((eventId) => html`<li class="mono">${scope.eventLink(eventId)}</li>`);
    return html`<li class="signal sig-${fragmentId(signal.severity)}">
<span class="chip sev-${fragmentId(signal.severity)}">${signal.severity}</span> <code class="sig-id">${signal.id}</code> <span class="sig-summary">${breakable(signal.summary)}</span>
${evidence.length > 0 ? html`<div class="evidence">Evidence: <ul class="inline">${evidence}</ul></div>` : ''}
</li>`;
  });
  if (items.length === 0) return html`<p class="empty">No signal: nothing in the archive matched a known attack pattern.</p>`;
  return html`<ul class="signals">${items}</ul>`;
}

// ---------------------------------------------------------------------------------------
// Timeline (inline SVG)

const SVG_WIDTH = 1100;
const PLOT_LEFT = 130;
const PLOT_RIGHT = SVG_WIDTH - 36;
const PLOT_TOP = 58;
const ROW_HEIGHT = 16;
const LANE_PAD = 9;
const MIN_GAP = 14;
const MAX_ROWS = 6;
const AXIS_HEIGHT = 50;
/** A zoomed inset is drawn when its span is under 1/ZOOM_RATIO of the whole axis. */
const ZOOM_RATIO = 20;
/** Between the main axis's caption and the inset: room for the funnel joining them. */
const ZOOM_GAP = 34;
const ZOOM_COLOUR = '#0f766e';

interface Placed {
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
function isoOf(ms: number): string {
  const date = new Date(ms);
  return Number.isFinite(date.getTime()) ? date.toISOString().replace('.000Z', 'Z') : '';
}

function tickLabel(ms: number, step: number): string {
  const iso = isoOf(ms);
  if (!iso) return '';
  if (step >= 86_400_000) return iso.slice(0, 10);
  return step >= 60_000 ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 19);
}

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

interface Lane {
  category: TimelineCategory;
  placed: Placed[];
  rows: number;
  top: number;
  height: number;
}

/** One time axis over lanes of markers: the whole incident window, or the zoomed span drawn under it. */
interface Plot {
  start: number;
  end: number;
  top: number;
  bottom: number;
  lanes: Lane[];
  xOf: (ms: number) => number;
}

function layoutPlot(entries: readonly TimelineEntry[], mainId: string, categories: readonly TimelineCategory[], start: number, end: number, top: number): Plot {
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
    const centre = lane.top + lane.height / 2;
    const rowY = (row: number): number => (lane.rows === 1 ? centre : lane.top + LANE_PAD + ROW_HEIGHT / 2 + row * ROW_HEIGHT);
    // The incident's own deletion is drawn last, on top.
    const ordered = [...lane.placed].sort((a, b) => Number(a.main) - Number(b.main));
    const markers = ordered.map(
      (marker) =>
        html`<a href="#${scope.eventAnchor(marker.entry.eventId)}" class="mk-link">${markerShape(lane.category, marker.x, rowY(marker.row), marker.main, marker.entry.errorCode !== null, markerTitle(marker.entry))}</a>`,
    );
    return html`<g class="markers markers-${lane.category}">${markers}</g>`;
  });
}

/** Grid lines and labels at a "nice" step giving at most one label per ~110 px. */
function axisTicks(plot: Plot): SafeHtml[] {
  const span = plot.end - plot.start;
  const maxTicks = Math.max(2, Math.floor((PLOT_RIGHT - PLOT_LEFT) / 110));
  const year = 365 * 86_400_000;
  const step = TICK_STEPS_MS.find((candidate) => span / candidate <= maxTicks) ?? Math.ceil(span / maxTicks / year) * year;
  const ticks: SafeHtml[] = [];
  for (let tick = Math.ceil(plot.start / step) * step; tick <= plot.end; tick += step) {
    const x = plot.xOf(tick);
    if (x < PLOT_LEFT + 20 || x > PLOT_RIGHT - 20) continue;
    ticks.push(
      html`<line x1="${num(x)}" y1="${num(plot.top)}" x2="${num(x)}" y2="${num(plot.bottom + 5)}" class="grid-line"/><text class="tick" x="${num(x)}" y="${num(plot.bottom + 19)}" text-anchor="middle">${tickLabel(tick, step)}</text>`,
    );
  }
  return ticks;
}

/**
 * The span worth a closer look: from the first credential change (without one, the first
 * key-issuing hop of the chain) to the deletion, padded. Only when the whole window squeezes
 * it into a sliver of the axis: a 9-minute attack in a 6-day window is a few pixels wide.
 */
function zoomSpan(incident: Incident, entries: readonly TimelineEntry[], deletionAt: number | null, firstChangeAt: number | null, start: number, end: number): { start: number; end: number } | null {
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

function timelineSvg(incident: Incident, scope: Scope): SafeHtml {
  const entries = incident.timeline.filter((entry) => millis(entry.eventTime) !== null);
  const deletionAt = millis(incident.eventTime);
  const firstChange = incident.credentialChanges
    .filter((change) => millis(change.eventTime) !== null && (deletionAt === null || millis(change.eventTime)! <= deletionAt))
    .sort((a, b) => millis(a.eventTime)! - millis(b.eventTime)!)[0];
  const firstChangeAt = firstChange ? millis(firstChange.eventTime)! : null;
  const times = entries.map((entry) => millis(entry.eventTime)!);
  if (deletionAt !== null) times.push(deletionAt);
  if (firstChangeAt !== null) times.push(firstChangeAt);
  if (times.length === 0) return html`<p class="empty">No event with a valid time to draw.</p>`;

  // The time range: padded so the first and last markers are not on the edge; a single
  // instant (or a tight cluster) gets at least ten minutes around it.
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
  const main = layoutPlot(entries, incident.id, LANES, start, end, PLOT_TOP);
  const plotBottom = main.bottom;

  const axis = html`<g class="axis" pointer-events="none"><line x1="${PLOT_LEFT}" y1="${num(plotBottom)}" x2="${PLOT_RIGHT}" y2="${num(plotBottom)}" stroke="#475569" stroke-width="1"/>
${axisTicks(main)}
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
<figcaption>${legend()}<div class="hint">Hover a marker for its event; click it to jump to its row in the event table. Markers closer than a few pixels are stacked.${zoom ? ' The lower plot zooms into the span marked on the axis above.' : ''}</div></figcaption>
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
  // At least a few pixels wide, so a span of seconds in a window of days still shows.
  const centre = (main.xOf(zoomed.start) + main.xOf(zoomed.end)) / 2;
  const half = Math.max(3, (main.xOf(zoomed.end) - main.xOf(zoomed.start)) / 2);
  const [x1, x2] = [Math.max(PLOT_LEFT, centre - half), Math.min(PLOT_RIGHT, centre + half)];
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
${axisTicks(plot)}
<text class="axis-caption" x="${PLOT_LEFT}" y="${num(plot.bottom + 40)}">${zoomSpanText}: the ${anchor} to the deletion, marked on the axis above</text></g>
${deletionLine}
${laneMarkers(plot, scope)}
</g>`;
  return { mark, inset, bottom: plot.bottom };
}

function legend(): SafeHtml {
  const swatch = (category: TimelineCategory, failed = false, main = false): SafeHtml =>
    html`<svg class="swatch" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">${markerShape(category, 12, 12.5, main, failed, category)}</svg>`;
  const items = LANES.map((category) => html`<span class="legend-item">${swatch(category)} ${category}</span>`);
  return html`<span class="legend">${items}<span class="legend-item">${swatch('ec2', true)} call failed</span><span class="legend-item">${swatch('deletion', false, true)} this incident's deletion</span><span class="legend-item"><span class="band-swatch"></span> first credential change → deletion</span></span>`;
}

// ---------------------------------------------------------------------------------------
// Actor chain (HTML/CSS diagram, grouped per account)

interface ChainNode {
  role: string;
  kind: 'creator-origin' | 'creator-hop' | 'creator' | 'origin' | 'hop' | 'acting' | 'profile';
  identity: string;
  /** A readable name (SAML/web-identity user, EC2 instance) when it differs from `identity`. */
  label?: string | null;
  type: string | null;
  accessKeyId: string | null;
  accountId: string | null;
  sourceIPAddress: string | null;
  extra?: string;
}

interface ChainEdge {
  eventName: string;
  eventId: string;
  time: string | null;
  note: string;
}

interface HopSide {
  /** The key creator's chain, shown before the acting identity's own. */
  creator: boolean;
  /** The chain's origin: its EC2 instance is named on the first hop. */
  origin: IdentityRef | null;
  /** The key the last hop was issued, when no later hop holds it. */
  lastIssuedKey: string | null;
}

/** One node per hop, origin first, and the edge to the next: the STS event that issued its key. */
function pushHops(nodes: ChainNode[], edges: ChainEdge[], timeOf: Map<string, string>, hops: readonly ChainStep[], side: HopSide): void {
  const prefix = side.creator ? "key creator's " : '';
  hops.forEach((hop, index) => {
    const instanceId = index === 0 ? side.origin?.instanceId : null;
    nodes.push({
      role: index === 0 ? `${prefix}origin` : `${prefix}hop ${index}`,
      kind: side.creator ? (index === 0 ? 'creator-origin' : 'creator-hop') : index === 0 ? 'origin' : 'hop',
      identity: hop.identity,
      label: hop.label,
      type: hop.type,
      accessKeyId: hop.accessKeyId,
      accountId: hop.accountId,
      sourceIPAddress: hop.sourceIPAddress,
      ...(instanceId && !hop.recordedLabel?.includes(instanceId) ? { extra: `instance ${instanceId}` } : {}),
    });
    const issuedKey = (hops[index + 1] ?? null)?.accessKeyId ?? side.lastIssuedKey;
    edges.push({
      eventName: hop.issued!.eventName,
      eventId: hop.issued!.eventId,
      time: timeOf.get(hop.issued!.eventId) ?? null,
      note: issuedKey ? `issued key ${issuedKey}` : 'issued the next key',
    });
  });
}

function chainModel(incident: Incident, view: IncidentView): { nodes: ChainNode[]; edges: ChainEdge[] } {
  const { actor } = incident;
  const timeOf = new Map(incident.timeline.map((entry) => [entry.eventId, entry.eventTime]));
  const nodes: ChainNode[] = [];
  const edges: ChainEdge[] = [];
  const provenance = actor.keyProvenance;
  if (provenance) {
    // The chain behind the creator's own credentials, from its origin (an instance, a user) to the creator.
    pushHops(nodes, edges, timeOf, creatorChainSteps(provenance), {
      creator: true,
      origin: provenance.creatorOrigin,
      lastIssuedKey: provenance.createdByAccessKeyId,
    });
    nodes.push({
      role: 'key creator',
      kind: 'creator',
      identity: provenance.createdBy ?? '(unknown identity)',
      type: null,
      accessKeyId: provenance.createdByAccessKeyId,
      accountId: accountOfArn(provenance.createdBy),
      sourceIPAddress: provenance.sourceIPAddress,
    });
    edges.push({
      eventName: 'CreateAccessKey',
      eventId: provenance.eventId,
      time: provenance.eventTime,
      note: `created key ${provenance.accessKeyId}${provenance.userName ? ` for ${provenance.userName}` : ''}`,
    });
  }
  const hops = view.chain.slice(0, -1);
  const acting = view.chain[view.chain.length - 1]!;
  pushHops(nodes, edges, timeOf, hops, { creator: false, origin: actor.origin, lastIssuedKey: actor.accessKeyId });
  const originInstance = hops.length === 0 && actor.origin.instanceId ? ` · instance ${actor.origin.instanceId}` : '';
  nodes.push({
    role: hops.length === 0 ? 'origin = acting identity' : 'acting session',
    kind: 'acting',
    identity: acting.identity,
    label: acting.label,
    type: acting.type,
    accessKeyId: acting.accessKeyId,
    accountId: acting.accountId,
    sourceIPAddress: acting.sourceIPAddress,
    extra: `MFA: ${view.mfa}${actor.invokedBy ? ` · invoked by ${actor.invokedBy}` : ''}${originInstance}`,
  });
  if (hops.length === 0 && !provenance && isLongTermKey(actor.origin.accessKeyId)) {
    nodes[nodes.length - 1]!.extra += ' · no CreateAccessKey for its key in the archive';
  }
  edges.push({
    eventName: 'DeleteInstanceProfile',
    eventId: incident.id,
    time: incident.eventTime,
    note: incident.outcome === 'deleted' ? 'deleted' : `failed: ${incident.errorCode ?? 'unknown error'}`,
  });
  nodes.push({
    role: 'instance profile',
    kind: 'profile',
    identity: incident.instanceProfile.arn ?? incident.instanceProfile.name,
    type: null,
    accessKeyId: null,
    accountId: incident.accountId ?? accountOfArn(incident.instanceProfile.arn),
    sourceIPAddress: null,
    extra: incident.instanceProfile.roles.length > 0 ? `roles: ${incident.instanceProfile.roles.join(', ')}` : 'no role known',
  });
  return { nodes, edges };
}

function chainNode(node: ChainNode): SafeHtml {
  const details = [
    node.type ? html`${node.type}` : null,
    node.accessKeyId ? html`key <span class="mono">${node.accessKeyId}</span>` : null,
    node.sourceIPAddress ? html`from <span class="mono">${node.sourceIPAddress}</span>` : null,
    node.extra ? html`${node.extra}` : null,
  ].filter((part): part is SafeHtml => part !== null);
  return html`<div class="node node-${node.kind}">
<div class="node-role">${node.role}</div>
<div class="node-id mono">${identifier(node.identity)}</div>
${node.label ? html`<div class="node-label">${breakable(node.label)}</div>` : ''}
${details.length > 0 ? html`<div class="node-meta">${joinHtml(details, ' · ')}</div>` : ''}
</div>`;
}

function chainEdge(edge: ChainEdge, scope: Scope, crossing: { from: string; to: string } | null): SafeHtml {
  return html`<div class="edge${crossing ? ' edge-cross' : ''}">
<span class="edge-arrow" aria-hidden="true">▼</span>
<span class="edge-event">${scope.eventLink(edge.eventId, edge.eventName)}</span>
${edge.time ? html`<span class="edge-time mono">${displayTime(edge.time)}</span>` : ''}
<span class="edge-note">${edge.note}</span>
${crossing ? html`<span class="boundary-label">account boundary: ${crossing.from} → ${crossing.to}</span>` : ''}
</div>`;
}

function actorChain(incident: Incident, view: IncidentView, scope: Scope): SafeHtml {
  const { nodes, edges } = chainModel(incident, view);
  // Consecutive identities of one account share a box; an arrow between boxes crosses an account boundary.
  const groups: Array<{ accountId: string | null; indexes: number[] }> = [];
  nodes.forEach((node, index) => {
    const last = groups[groups.length - 1];
    if (last && last.accountId === node.accountId) last.indexes.push(index);
    else groups.push({ accountId: node.accountId, indexes: [index] });
  });
  const accounts = new Set(nodes.map((node) => node.accountId ?? '?'));
  const parts: SafeHtml[] = [];
  groups.forEach((group, groupIndex) => {
    const inner: SafeHtml[] = [];
    group.indexes.forEach((nodeIndex, position) => {
      inner.push(chainNode(nodes[nodeIndex]!));
      const edge = edges[nodeIndex];
      if (edge && position < group.indexes.length - 1) inner.push(chainEdge(edge, scope, null));
    });
    parts.push(html`<div class="account">
<div class="account-label">account <span class="mono">${group.accountId ?? 'unknown'}</span></div>
${inner}
</div>`);
    const next = groups[groupIndex + 1];
    const lastIndex = group.indexes[group.indexes.length - 1]!;
    const edge = edges[lastIndex];
    if (next && edge) parts.push(chainEdge(edge, scope, { from: group.accountId ?? 'unknown', to: next.accountId ?? 'unknown' }));
  });
  const provenanceNote = incident.actor.keyProvenance
    ? ''
    : isLongTermKey(incident.actor.origin.accessKeyId)
      ? html`<p class="note">The origin's key ${incident.actor.origin.accessKeyId} has no CreateAccessKey in the archive (created before it starts?).</p>`
      : '';
  return html`<div class="chain" data-accounts="${String(accounts.size)}">${parts}</div>${provenanceNote}`;
}

// ---------------------------------------------------------------------------------------
// Tables

function table(headings: readonly string[], rows: readonly SafeHtml[], empty: string, cls = ''): SafeHtml {
  if (rows.length === 0) return html`<p class="empty">${empty}</p>`;
  return html`<div class="table-wrap"><table class="grid ${cls}">
<thead><tr>${headings.map((heading) => html`<th>${heading}</th>`)}</tr></thead>
<tbody>${rows}</tbody>
</table></div>`;
}

function credentialChanges(incident: Incident, scope: Scope): SafeHtml {
  const rows = incident.credentialChanges.map(
    (change) => html`<tr class="sev-row-${fragmentId(change.severity)}">
<td class="mono nowrap">${displayTime(change.eventTime)}</td>
<td>${scope.eventLink(change.eventId, change.eventName)}</td>
<td><span class="chip sev-${fragmentId(change.severity)}">${change.severity}</span></td>
<td class="mono wrap">${identifier(orNone(change.actorArn))}</td>
<td class="mono wrap">${identifier(orNone(change.target))}</td>
<td class="err">${orNone(change.errorCode, '')}</td>
<td>${breakable(change.reason)}</td>
</tr>`,
  );
  return table(['time', 'event', 'severity', 'actor', 'target', 'error', 'why it matters'], rows, 'No credential change found in the look-back window.');
}

function impact(incident: Incident, scope: Scope): SafeHtml {
  const profile = incident.instanceProfile;
  const facts = html`<dl class="facts compact">
<dt>profile</dt><dd class="mono">${profile.name}</dd>
<dt>ARN</dt><dd class="mono wrap">${profile.arn ? identifier(profile.arn) : '(unknown: no event carried it)'}</dd>
<dt>path</dt><dd class="mono">${orNone(profile.path, '(unknown)')}</dd>
<dt>roles to restore</dt><dd class="mono">${profile.roles.length > 0 ? profile.roles.join(', ') : '(none known)'}</dd>
<dt>re-created</dt><dd>${profile.recreated ? html`yes, at <span class="mono">${displayTime(profile.recreated.eventTime)}</span> (${scope.eventLink(profile.recreated.eventId, 'CreateInstanceProfile')})` : 'no'}</dd>
</dl>`;
  if (incident.outcome !== 'deleted') {
    return html`${facts}<p class="note">The deletion attempt failed (${orNone(incident.errorCode, 'unknown error')}): nothing was broken, so no impact was computed.</p>`;
  }
  const instances = table(
    ['instance', 'region', 'account', 'got the profile by', 'association', 'status at the deletion'],
    incident.affectedInstances.map(
      (instance) => html`<tr class="status-${fragmentId(instance.status)}">
<td class="mono">${instance.instanceId}</td>
<td class="nowrap">${orNone(instance.region)}</td>
<td class="mono">${orNone(instance.accountId)}</td>
<td>${scope.eventLink(instance.launchEventId, instance.via)}</td>
<td class="mono">${orNone(instance.associationId)}</td>
<td>${statusChip(instance.status)}${instance.statusEventId ? html` ${scope.eventLink(instance.statusEventId, 'event')}` : ''}</td>
</tr>`,
    ),
    'No instance in the archive used this profile.',
    'instances',
  );
  const templates = table(
    ['launch template', 'name', 'region', 'event'],
    incident.launchTemplates.map(
      (template) => html`<tr><td class="mono">${orNone(template.launchTemplateId)}</td><td class="mono">${orNone(template.name)}</td><td class="nowrap">${orNone(template.region)}</td><td>${scope.eventLink(template.eventId)}</td></tr>`,
    ),
    'No launch template referenced this profile.',
  );
  const configurations = table(
    ['launch configuration', 'region', 'event'],
    incident.launchConfigurations.map(
      (configuration) => html`<tr><td class="mono">${orNone(configuration.name)}</td><td class="nowrap">${orNone(configuration.region)}</td><td>${scope.eventLink(configuration.eventId)}</td></tr>`,
    ),
    'No launch configuration referenced this profile.',
  );
  const failed = table(
    ['time', 'region', 'error', 'actor', 'matched by', 'event'],
    incident.failedLaunchesAfter.map(
      (launch) => html`<tr>
<td class="mono nowrap">${displayTime(launch.eventTime)}</td>
<td class="nowrap">${orNone(launch.region)}</td>
<td class="err">${identifier(orNone(launch.errorCode))}</td>
<td class="mono wrap">${identifier(orNone(launch.actorArn))}</td>
<td>${launch.matchedBy}</td>
<td>${scope.eventLink(launch.eventId)}</td>
</tr>`,
    ),
    'No launch failed afterwards.',
  );
  const dependents =
    incident.dependentResources.length === 0
      ? html``
      : html`<h4>Resources of other services that keep the profile</h4>
${table(
  ['kind', 'resource', 'region', 'account', 'status at the deletion', 'failures after'],
  incident.dependentResources.map(
    (resource) => html`<tr class="status-${fragmentId(resource.status)}">
<td>${dependentResourceWords(resource.resourceType)}</td>
<td class="mono wrap">${identifier(resource.resourceId)}${resource.viaLaunchTemplate === null ? '' : html`<div>via launch template <span class="mono">${identifier(resource.viaLaunchTemplate)}</span></div>`}</td>
<td class="nowrap">${orNone(resource.region)}</td>
<td class="mono">${orNone(resource.accountId)}</td>
<td>${resource.status === 'alive-at-deletion' ? html`<span class="chip sev-medium">alive: its next launch fails</span>` : html`<span class="chip">removed before</span>`} ${scope.eventLink(resource.eventId, 'event')}</td>
<td>${resource.failuresAfter.length === 0 ? '—' : resource.failuresAfter.map((failure) => html`<div><span class="mono nowrap">${displayTime(failure.eventTime)}</span> <span class="err">${identifier(orNone(failure.errorCode))}</span> ${scope.eventLink(failure.eventId, failure.eventName)}</div>`)}</td>
</tr>`,
  ),
  '',
)}`;
  return html`${facts}
<h4>Affected instances (${String(incident.affectedInstances.length)}, ${String(runningLost(incident))} running${stoppedAtDeletion(incident) > 0 ? `, ${stoppedAtDeletion(incident)} stopped` : ''})</h4>
${instances}
<h4>Launch templates</h4>
${templates}
<h4>Launch configurations</h4>
${configurations}
<h4>Failed launches after the deletion</h4>
${failed}
${dependents}`;
}

function statusChip(status: InstanceStatus): SafeHtml {
  switch (status) {
    case 'running-at-deletion':
      return html`<span class="chip sev-high">running: lost its role</span>`;
    case 'stopped-at-deletion':
      return html`<span class="chip sev-medium">stopped: starts without its role</span>`;
    default:
      return html`<span class="chip">terminated before</span>`;
  }
}

function recommendations(incident: Incident, scope: Scope): SafeHtml {
  if (incident.recommendations.length === 0) return html`<p class="empty">No action recommended.</p>`;
  const items = incident.recommendations.map((recommendation) => {
    const evidence = recommendation.evidence.map((eventId) => html`<li class="mono">${scope.eventLink(eventId)}</li>`);
    const commands = recommendation.commands.map(commandLine).join('\n');
    const python = recommendation.python.map(commandLine).join('\n');
    const console = recommendation.console.map((step) => html`<li>${breakable(step)}</li>`);
    return html`<li class="rec" id="${scope.part(`rec-${fragmentId(recommendation.id)}`)}">
<h4><code class="rec-id">${recommendation.id}</code> ${breakable(recommendation.title)}</h4>
<p>${breakable(recommendation.why)}</p>
${evidence.length > 0 ? html`<div class="evidence">Evidence: <ul class="inline">${evidence}</ul></div>` : ''}
${console.length > 0 ? html`<div class="console">In the console:<ul>${console}</ul></div>` : ''}
${commands ? html`<p class="code-label">AWS CLI</p><pre class="commands"><code>${withPlaceholders(commands)}</code></pre>` : ''}
${python ? html`<p class="code-label">boto3</p><pre class="commands"><code>${withPlaceholders(python)}</code></pre>` : ''}
</li>`;
  });
  return html`<p class="note">Commands are for review: trailsift never runs them. Select a block to copy it; a <mark class="placeholder">&lt;placeholder&gt;</mark> is yours to fill in first.</p><ol class="recs">${items}</ol>`;
}

/**
 * Command text with each `<placeholder>` marked: the same pattern the emitted scripts comment
 * out behind `# FILL IN:`, so what is highlighted here is what would not run there.
 */
function withPlaceholders(text: string): SafeHtml {
  return markMatches(text, placeholders(), 'placeholder');
}

/** An IPv4 address stays whole (its column fits one); a service's host name may wrap at its dots. */
function sourceAddress(value: string): SafeHtml {
  return identifier(value, !/^\d{1,3}(\.\d{1,3}){3}$/.test(value));
}

function eventTable(incident: Incident, scope: Scope): SafeHtml {
  if (incident.timeline.length === 0) return html`<p class="empty">No event.</p>`;
  const rows = incident.timeline.map((entry) => {
    const record = scope.record(entry.eventId);
    const main = entry.eventId === incident.id;
    const actor = entry.actorArn ?? '';
    return html`<details class="ev ev-${entry.category}${main ? ' ev-main' : ''}${entry.errorCode ? ' ev-failed' : ''}" id="${scope.eventAnchor(entry.eventId)}">
<summary class="ev-row">
<span class="c-time mono">${displayTime(entry.eventTime)}</span>
<span class="c-cat"><span class="cat-dot" data-category="${entry.category}"></span>${entry.category}</span>
<span class="c-event">${entry.eventName}</span>
<span class="c-actor mono wrap" title="${actor}">${actor ? identifier(shortIdentity(actor)) : '—'}</span>
<span class="c-ip mono wrap">${sourceAddress(orNone(entry.sourceIPAddress))}</span>
<span class="c-region">${orNone(entry.region)}</span>
<span class="c-error err">${identifier(orNone(entry.errorCode, ''))}</span>
<span class="c-summary">${breakable(entry.summary)}</span>
</summary>
<div class="raw"><div class="raw-head">eventID <span class="mono">${entry.eventId}</span></div><pre class="record"><code>${record ?? '(the original record is not in this case file)'}</code></pre></div>
</details>`;
  });
  return html`<p class="note">${String(incident.timeline.length)} event(s). Click a row to show its original CloudTrail record.</p>
<div class="events" role="table">
<div class="ev-row ev-head" role="row"><span>time (UTC)</span><span>category</span><span>event</span><span>actor</span><span>source IP</span><span>region</span><span>error</span><span class="c-summary">summary</span></div>
${rows}
</div>`;
}

// ---------------------------------------------------------------------------------------
// Style: light, printable, no external resource.

const STYLE = `
:root { color-scheme: light; --fg:#0f172a; --dim:#64748b; --line:#cbd5e1; --bg:#ffffff; --soft:#f1f5f9; --red:#b91c1c; --amber:#b45309; }
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body { margin: 0 auto; max-width: 1240px; padding: 16px 24px 48px; overflow-wrap: break-word; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.mono, code, pre { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
/* Identifiers never break inside: an ARN only between its parts (identifier() puts each part in .nb),
   a key, event or instance ID not at all. A box too narrow for one scrolls instead. */
.nb, span.mono:not(.wrap), td.mono:not(.wrap), li.mono, dd.mono:not(.wrap), .evlink { white-space: nowrap; }
.c-summary, .node-label { overflow-wrap: anywhere; }
.nowrap { white-space: nowrap; }
.dim { color: var(--dim); }
.num { text-align: right; }
.err { color: var(--red); font-weight: 600; }
.note { color: var(--dim); margin: 4px 0 8px; }
.empty { color: var(--dim); font-style: italic; }
a { color: #1d4ed8; }
h1 { font-size: 20px; margin: 8px 0 4px; }
h2 { font-size: 19px; margin: 0 0 6px; }
h3 { font-size: 16px; margin: 26px 0 8px; padding-bottom: 3px; border-bottom: 1px solid var(--line); }
h4 { font-size: 14px; margin: 14px 0 6px; }
header.doc { border-bottom: 2px solid var(--fg); margin-bottom: 16px; }
section.incident { margin: 24px 0 48px; }
section.summary { margin-bottom: 24px; }
nav.parts { margin: 8px 0 0; font-size: 13px; }
.chip { display: inline-block; padding: 1px 8px; border-radius: 10px; border: 1px solid var(--line); background: var(--soft); font-size: 12px; font-weight: 600; white-space: nowrap; vertical-align: 1px; }
.cls-suspicious.chip { background: #fee2e2; border-color: #fca5a5; color: #7f1d1d; }
.cls-likely-benign.chip { background: #fef3c7; border-color: #fcd34d; color: #78350f; }
.cls-service.chip { background: #e2e8f0; color: #334155; }
.sev-critical.chip { background: #7f1d1d; border-color: #7f1d1d; color: #fff; }
.sev-high.chip { background: #fee2e2; border-color: #f87171; color: #991b1b; }
.sev-medium.chip { background: #ffedd5; border-color: #fdba74; color: #9a3412; }
.sev-low.chip, .sev-info.chip { background: #f1f5f9; color: #334155; }
.impact-broken.chip { background: #fee2e2; border-color: #f87171; color: #991b1b; }
.impact-potential.chip { background: #ffedd5; border-color: #fdba74; color: #9a3412; }
.impact-none.chip { background: #f1f5f9; color: #334155; }
.outcome-deleted.chip { background: #fee2e2; border-color: #fca5a5; color: #7f1d1d; }
.outcome-failed.chip { background: #fef9c3; border-color: #fde047; color: #713f12; }
header.verdict { border: 1px solid var(--line); border-left: 6px solid #64748b; border-radius: 6px; padding: 12px 16px; background: #fafafa; }
header.verdict.cls-suspicious { border-left-color: #b91c1c; }
header.verdict.cls-likely-benign { border-left-color: #d97706; }
.verdict-text { margin: 4px 0 10px; font-weight: 500; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0; }
dl.facts dt { color: var(--dim); }
dl.facts dd { margin: 0; min-width: 0; overflow-x: auto; }
dl.facts.compact { margin-bottom: 8px; }
details.reasons { margin-top: 8px; }
details.reasons ul { margin: 4px 0 0; padding-left: 20px; }
figure.timeline { margin: 0; }
.timeline-svg { display: block; width: 100%; height: auto; max-width: 1100px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
.timeline-svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; font-size: 12px; fill: #334155; }
.timeline-svg .lane-label { font-weight: 600; font-size: 12.5px; }
.timeline-svg .tick { font-size: 11px; fill: #475569; }
.timeline-svg .grid-line { stroke: #cbd5e1; stroke-width: 1; stroke-dasharray: 2 3; }
.timeline-svg .axis-caption { font-size: 11px; fill: #64748b; }
.timeline-svg .gap-label { font-size: 12px; font-weight: 600; fill: #92400e; }
.timeline-svg .deletion-label { font-size: 12px; font-weight: 700; fill: #991b1b; }
.timeline-svg .zoom-title { font-size: 11px; font-weight: 700; fill: #0f766e; text-transform: uppercase; letter-spacing: 0.04em; }
.timeline-svg .mk-link:hover .mk, .timeline-svg .mk-link:focus .mk { stroke: #0f172a; stroke-width: 2.5; }
figcaption { margin-top: 6px; color: var(--dim); font-size: 12.5px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; color: var(--fg); }
.hint { margin-top: 2px; }
.legend-item { display: inline-flex; align-items: center; gap: 4px; }
.band-swatch { display: inline-block; width: 22px; height: 12px; background: rgba(245, 158, 11, 0.25); border-top: 2px solid #b45309; }
.chain { display: flex; flex-direction: column; align-items: stretch; max-width: 900px; }
.account { border: 2px dashed #94a3b8; border-radius: 8px; padding: 22px 12px 10px; position: relative; background: #fcfcfd; }
.account-label { position: absolute; top: 3px; left: 12px; font-size: 12px; font-weight: 600; color: #475569; }
.node { border: 1px solid #94a3b8; border-radius: 6px; padding: 6px 10px; background: #fff; overflow-x: auto; }
.node-role { font-size: 11px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--dim); font-weight: 600; }
.node-id { font-weight: 600; font-size: 13px; }
.node-meta { font-size: 12.5px; color: #334155; }
.node-label { font-size: 12.5px; color: #334155; overflow-wrap: anywhere; }
.node-creator, .node-creator-origin, .node-creator-hop { border-color: #c2410c; background: #fff7ed; }
.node-creator-origin, .node-creator-hop { border-style: dashed; }
.node-origin { border-color: #7c3aed; background: #f5f3ff; }
.node-acting { border-color: #b91c1c; background: #fef2f2; }
.node-profile { border-color: #1d4ed8; background: #eff6ff; }
.edge { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 10px; margin-left: 22px; padding: 6px 0 6px 16px; border-left: 2px solid #64748b; font-size: 13px; }
.edge-arrow { color: #64748b; margin-left: -27px; font-size: 12px; background: inherit; }
.edge-event { font-weight: 700; }
.edge-time { color: var(--dim); }
.edge-cross { border-left-color: var(--red); margin-left: 22px; padding-top: 10px; padding-bottom: 10px; }
.boundary-label { flex-basis: 100%; color: var(--red); font-weight: 700; font-size: 12px; border-top: 2px dashed var(--red); padding-top: 2px; max-width: 560px; }
.table-wrap { overflow-x: auto; }
table.grid { border-collapse: collapse; width: 100%; font-size: 13px; }
table.grid th, table.grid td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
table.grid th { background: var(--soft); font-weight: 600; }
table.grid tr.status-running-at-deletion td:first-child { border-left: 4px solid var(--red); }
table.grid tr.status-stopped-at-deletion td:first-child { border-left: 4px solid var(--amber); }
ul.signals { list-style: none; padding: 0; margin: 0; }
li.signal { padding: 4px 0 4px 10px; margin-bottom: 4px; border-left: 4px solid var(--line); }
li.signal.sig-critical, li.signal.sig-high { border-left-color: var(--red); }
li.signal.sig-medium { border-left-color: var(--amber); }
.sig-id { background: var(--soft); border: 1px solid var(--line); border-radius: 4px; padding: 0 5px; }
li.signal .evidence { font-size: 12.5px; color: var(--dim); margin-top: 2px; overflow-x: auto; }
.mfa-no { color: var(--red); font-weight: 600; }
ol.recs { padding-left: 22px; }
li.rec { margin-bottom: 14px; }
li.rec h4 { margin: 0 0 4px; }
li.rec p { margin: 2px 0; }
.rec-id { background: var(--soft); border: 1px solid var(--line); border-radius: 4px; padding: 0 5px; }
ul.inline { display: inline; padding: 0; margin: 0; }
ul.inline li { display: inline; margin-right: 10px; }
/* Code and records keep their lines: a long one scrolls sideways, as in a terminal. */
pre { margin: 6px 0; white-space: pre; overflow-wrap: normal; overflow-x: auto; }
mark.placeholder { background: #fef08a; color: #713f12; border: 1px dashed #a16207; border-radius: 3px; padding: 0 2px; font-weight: 600; }
.rec .code-label { margin: 8px 0 2px; font-size: 12px; font-weight: 600; }
.rec .console ul { margin: 4px 0 4px 18px; padding: 0; }
pre.commands { background: #f8fafc; border: 1px solid var(--line); border-left: 4px solid #1d4ed8; border-radius: 4px; padding: 8px 10px; overflow-x: auto; user-select: all; }
.events { border: 1px solid var(--line); border-radius: 6px; font-size: 12.5px; overflow-x: auto; }
.ev-row { display: grid; grid-template-columns: 12.6em 6.8em minmax(11em, 0.9fr) minmax(12em, 1.3fr) 9.5em 6.8em minmax(12em, 0.8fr); gap: 0 10px; padding: 4px 8px 4px 22px; align-items: start; }
.ev-row > span { min-width: 0; overflow-wrap: anywhere; }
.ev-row > .c-actor, .ev-row > .c-ip, .ev-row > .c-error { overflow-x: auto; }
.ev-row > .c-time { white-space: nowrap; }
.ev-row > .c-summary { grid-column: 3 / -1; color: #334155; }
.ev-head > .c-summary { color: inherit; }
.ev-head { font-weight: 600; background: var(--soft); border-bottom: 1px solid var(--line); }
details.ev { border-bottom: 1px solid #e2e8f0; }
details.ev > summary { cursor: pointer; list-style: none; position: relative; }
details.ev > summary::-webkit-details-marker { display: none; }
details.ev > summary::before { content: "▸"; position: absolute; left: 8px; top: 4px; color: var(--dim); }
details.ev[open] > summary::before { content: "▾"; }
details.ev > summary:hover { background: #f8fafc; }
details.ev-deletion > summary { background: #fef2f2; }
details.ev-main > summary { background: #fee2e2; font-weight: 600; box-shadow: inset 4px 0 0 var(--red); }
details.ev:target > summary { outline: 2px solid #f59e0b; outline-offset: -2px; background: #fffbeb; }
.cat-dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 5px; background: #64748b; }
.cat-dot[data-category="credential"] { background: #c2410c; }
.cat-dot[data-category="session"] { background: #7c3aed; }
.cat-dot[data-category="profile"] { background: #1d4ed8; }
.cat-dot[data-category="ec2"] { background: #047857; }
.cat-dot[data-category="deletion"] { background: #b91c1c; }
.cat-dot[data-category="discovery"] { background: #64748b; }
.cat-dot[data-category="logging"] { background: #a16207; }
.raw { padding: 4px 10px 10px 22px; background: #f8fafc; border-top: 1px dashed var(--line); }
.raw-head { color: var(--dim); font-size: 12px; }
pre.record { max-height: 480px; overflow: auto; background: #fff; border: 1px solid var(--line); border-radius: 4px; padding: 8px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  .mono, code, pre { font-size: 9.5px; }
  .nowrap { white-space: normal; }
  /* Paper cannot scroll: an identifier too long for its box wraps there rather than being cut off. */
  .nb, span.mono, td.mono, li.mono, dd.mono, .evlink { white-space: normal; }
  .ev-row > span, .node, dl.facts dd, li.signal .evidence { overflow: visible; }
  .table-wrap { overflow: visible; }
  table.grid { font-size: 10px; }
  table.grid th, table.grid td { padding: 2px 4px; }
  .ev-row { grid-template-columns: 11.5em 6em minmax(0, 1fr) minmax(0, 1.3fr) 7.5em 6em minmax(0, 0.7fr); gap: 0 6px; padding: 2px 4px 2px 6px; font-size: 10px; }
  .raw { padding: 2px 4px 6px 6px; }
  .timeline-svg { max-width: 100%; }
  a { color: inherit; text-decoration: none; }
  nav.parts, figcaption .hint { display: none; }
  section.incident { break-before: page; margin-top: 0; }
  section.summary + section.incident, main > section.incident:first-child { break-before: auto; }
  header.verdict, .node, .account, table.grid tr, li.rec, li.signal, .edge { break-inside: avoid; }
  details::details-content { content-visibility: visible; display: block; }
  details > summary::before { content: "" !important; }
  /* Paper cannot scroll: there, long lines wrap. */
  pre.record { max-height: none; overflow: visible; font-size: 9.5px; white-space: pre-wrap; overflow-wrap: anywhere; }
  pre.commands { white-space: pre-wrap; overflow-wrap: anywhere; user-select: auto; }
  .events { overflow: visible; }
  .timeline-svg { break-inside: avoid; }
  details.ev-main > summary, details.ev-deletion > summary, details.ev:target > summary { background: none; outline: none; }
  .sev-critical.chip { background: #fff; color: #7f1d1d; border-color: #7f1d1d; }
}
`;
