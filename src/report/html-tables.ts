/**
 * The HTML report's tables: credential changes, impact (instances, templates,
 * configurations, failed launches, other services' resources), recommendations with their
 * commands, and the event table with each original record.
 */
import type { Incident, InstanceStatus } from '../correlate/incident.js';
import { placeholders } from '../correlate/remediation/aws-cli.js';
import { breakable, fragmentId, html, identifier, markMatches, type SafeHtml, trusted } from './html-escape.js';
import { displayTime, orNone, type Scope } from './html-format.js';
import {
  type AffectedInstanceCells,
  type CredentialChangeCells,
  type DependentResourceCells,
  type FailedLaunchCells,
  type IncidentSection,
  type LaunchConfigurationCells,
  type LaunchTemplateCells,
  type SectionCell,
  type SectionCells,
  singleRow,
} from './incident-sections.js';
import { commandLine, type IncidentView, shortIdentity } from './incident-view.js';

function table(headings: readonly string[], rows: readonly SafeHtml[], empty: string, cls = ''): SafeHtml {
  if (rows.length === 0) return html`<p class="empty">${empty}</p>`;
  return html`<div class="table-wrap"><table class="grid ${cls}">
<thead><tr>${headings.map((heading) => html`<th>${heading}</th>`)}</tr></thead>
<tbody>${rows}</tbody>
</table></div>`;
}

/** One HTML column of a view section: its heading, and the whole `<td>` drawn from the row's cells. */
interface HtmlSectionColumn<Cells extends SectionCells> {
  head: string;
  cell: (cells: Cells, scope: Scope) => SafeHtml;
}

interface HtmlSectionLayout<Cells extends SectionCells> {
  columns: ReadonlyArray<HtmlSectionColumn<Cells>>;
  /** A row with many cells puts each on a line of its own, to keep the page source readable. */
  cellPerLine?: boolean;
  /** A class for the row (its status colours it). */
  rowClass?: (cells: Cells) => string;
}

/** Cells several sections share: an identifier, the region, and the event the row stands on. */
const monoCell =
  <Key extends string>(key: Key) =>
  (cells: Record<Key, SectionCell>): SafeHtml =>
    html`<td class="mono">${orNone(cells[key])}</td>`;
const regionCell = (cells: { region: SectionCell }): SafeHtml => html`<td class="nowrap">${orNone(cells.region)}</td>`;
const eventCell = (cells: { event: string }, scope: Scope): SafeHtml => html`<td>${scope.eventLink(cells.event)}</td>`;

const HTML_LAUNCH_TEMPLATES: HtmlSectionLayout<LaunchTemplateCells> = {
  columns: [
    { head: 'launch template', cell: monoCell('template') },
    { head: 'name', cell: monoCell('name') },
    { head: 'region', cell: regionCell },
    { head: 'event', cell: eventCell },
  ],
};

const HTML_LAUNCH_CONFIGURATIONS: HtmlSectionLayout<LaunchConfigurationCells> = {
  columns: [
    { head: 'launch configuration', cell: monoCell('name') },
    { head: 'region', cell: regionCell },
    { head: 'event', cell: eventCell },
  ],
};

const timeCell = (cells: { time: string }): SafeHtml => html`<td class="mono nowrap">${displayTime(cells.time)}</td>`;
const wrappedIdentifierCell =
  <Key extends string>(key: Key) =>
  (cells: Record<Key, SectionCell>): SafeHtml =>
    html`<td class="mono wrap">${identifier(orNone(cells[key]))}</td>`;

const HTML_CREDENTIAL_CHANGES: HtmlSectionLayout<CredentialChangeCells> = {
  cellPerLine: true,
  rowClass: (cells) => `sev-row-${fragmentId(cells.severity)}`,
  columns: [
    { head: 'time', cell: timeCell },
    { head: 'event', cell: (cells, scope) => html`<td>${scope.eventLink(cells.event, cells.eventName)}</td>` },
    { head: 'severity', cell: (cells) => html`<td><span class="chip sev-${fragmentId(cells.severity)}">${cells.severity}</span></td>` },
    { head: 'actor', cell: wrappedIdentifierCell('actor') },
    { head: 'target', cell: wrappedIdentifierCell('target') },
    { head: 'error', cell: (cells) => html`<td class="err">${orNone(cells.error, '')}</td>` },
    { head: 'why it matters', cell: (cells) => html`<td>${breakable(cells.reason)}</td>` },
  ],
};

const HTML_AFFECTED_INSTANCES: HtmlSectionLayout<AffectedInstanceCells> = {
  cellPerLine: true,
  rowClass: (cells) => `status-${fragmentId(cells.status)}`,
  columns: [
    { head: 'instance', cell: (cells) => html`<td class="mono">${cells.instance}</td>` },
    { head: 'region', cell: regionCell },
    { head: 'account', cell: monoCell('account') },
    { head: 'got the profile by', cell: (cells, scope) => html`<td>${scope.eventLink(cells.launchEvent, cells.via)}</td>` },
    { head: 'association', cell: monoCell('association') },
    {
      head: 'status at the deletion',
      cell: (cells, scope) => html`<td>${statusChip(cells.status)}${cells.statusEvent ? html` ${scope.eventLink(cells.statusEvent, 'event')}` : ''}</td>`,
    },
  ],
};

const HTML_DEPENDENT_RESOURCES: HtmlSectionLayout<DependentResourceCells> = {
  cellPerLine: true,
  rowClass: (cells) => `status-${fragmentId(cells.status)}`,
  columns: [
    { head: 'kind', cell: (cells) => html`<td>${cells.kind}</td>` },
    {
      head: 'resource',
      cell: (cells) =>
        html`<td class="mono wrap">${identifier(cells.resource)}${cells.viaTemplate === null ? '' : html`<div>via launch template <span class="mono">${identifier(cells.viaTemplate)}</span></div>`}</td>`,
    },
    { head: 'region', cell: regionCell },
    { head: 'account', cell: monoCell('account') },
    {
      head: 'status at the deletion',
      cell: (cells, scope) =>
        html`<td>${cells.status === 'alive-at-deletion' ? html`<span class="chip sev-medium">alive: its next launch fails</span>` : html`<span class="chip">removed before</span>`} ${scope.eventLink(cells.event, 'event')}</td>`,
    },
    {
      head: 'failures after',
      cell: (cells, scope) =>
        html`<td>${cells.failures.length === 0 ? '—' : cells.failures.map((failure) => html`<div><span class="mono nowrap">${displayTime(failure.time)}</span> <span class="err">${identifier(orNone(failure.error))}</span> ${scope.eventLink(failure.event, failure.eventName)}</div>`)}</td>`,
    },
  ],
};

const HTML_FAILED_LAUNCHES: HtmlSectionLayout<FailedLaunchCells> = {
  cellPerLine: true,
  columns: [
    { head: 'time', cell: timeCell },
    { head: 'region', cell: regionCell },
    { head: 'error', cell: (cells) => html`<td class="err">${identifier(orNone(cells.error))}</td>` },
    { head: 'actor', cell: wrappedIdentifierCell('actor') },
    { head: 'matched by', cell: (cells) => html`<td>${cells.matchedBy}</td>` },
    { head: 'event', cell: eventCell },
  ],
};

/** One view section as an HTML table laid out as `layout` says; the section's own sentence when it has no row. */
function sectionTable<Cells extends SectionCells>(section: IncidentSection<Cells>, layout: HtmlSectionLayout<Cells>, scope: Scope, cls = ''): SafeHtml {
  const separator = trusted(layout.cellPerLine ? '\n' : '');
  const rows = section.rows.map((row) => {
    const cells = layout.columns.map((column, index) => html`${index === 0 ? '' : separator}${column.cell(row.cells, scope)}`);
    const rowClass = layout.rowClass ? html` class="${layout.rowClass(row.cells)}"` : '';
    return html`<tr${rowClass}>${separator}${cells}${separator}</tr>`;
  });
  return table(
    layout.columns.map((column) => column.head),
    rows,
    section.empty,
    cls,
  );
}

export function credentialChanges(view: IncidentView, scope: Scope): SafeHtml {
  return sectionTable(view.sections.credentialChanges, HTML_CREDENTIAL_CHANGES, scope);
}

export function impact(incident: Incident, view: IncidentView, scope: Scope): SafeHtml {
  const profile = singleRow(view.sections.instanceProfile);
  const [recreated] = profile.recreated;
  const facts = html`<dl class="facts compact">
<dt>profile</dt><dd class="mono">${profile.name}</dd>
<dt>ARN</dt><dd class="mono wrap">${profile.arn ? identifier(profile.arn) : '(unknown: no event carried it)'}</dd>
<dt>path</dt><dd class="mono">${orNone(profile.path, '(unknown)')}</dd>
<dt>roles to restore</dt><dd class="mono">${profile.roles.length > 0 ? profile.roles.join(', ') : '(none known)'}</dd>
<dt>re-created</dt><dd>${recreated ? html`yes, at <span class="mono">${displayTime(recreated.time)}</span> (${scope.eventLink(recreated.event, 'CreateInstanceProfile')})` : 'no'}</dd>
</dl>`;
  if (incident.outcome !== 'deleted') {
    return html`${facts}<p class="note">The deletion attempt failed (${orNone(incident.errorCode, 'unknown error')}): nothing was broken, so no impact was computed.</p>`;
  }
  const instances = sectionTable(view.sections.affectedInstances, HTML_AFFECTED_INSTANCES, scope, 'instances');
  const templates = sectionTable(view.sections.launchTemplates, HTML_LAUNCH_TEMPLATES, scope);
  const configurations = sectionTable(view.sections.launchConfigurations, HTML_LAUNCH_CONFIGURATIONS, scope);
  const failed = sectionTable(view.sections.failedLaunchesAfter, HTML_FAILED_LAUNCHES, scope);
  const dependents =
    view.sections.dependentResources.rows.length === 0
      ? html``
      : html`<h4>${view.sections.dependentResources.title}</h4>
${sectionTable(view.sections.dependentResources, HTML_DEPENDENT_RESOURCES, scope)}`;
  return html`${facts}
<h4>Affected instances (${String(incident.affectedInstances.length)}, ${String(view.runningLost)} running${view.stoppedAtDeletion > 0 ? `, ${view.stoppedAtDeletion} stopped` : ''})</h4>
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

export function recommendations(view: IncidentView, scope: Scope): SafeHtml {
  const section = view.sections.recommendations;
  if (section.rows.length === 0) return html`<p class="empty">${section.empty}</p>`;
  const items = section.rows.map(({ cells: recommendation, eventIds }) => {
    const evidence = eventIds.map((eventId) => html`<li class="mono">${scope.eventLink(eventId)}</li>`);
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

/** The timeline section as rows that open on the original record; the deletion itself is marked. */
export function eventTable(incident: Incident, view: IncidentView, scope: Scope): SafeHtml {
  const section = view.sections.timeline;
  if (section.rows.length === 0) return html`<p class="empty">${section.empty}</p>`;
  const rows = section.rows.map(({ cells }) => {
    const record = scope.record(cells.event);
    const main = cells.event === incident.id;
    const actor = cells.actor ?? '';
    return html`<details class="ev ev-${cells.category}${main ? ' ev-main' : ''}${cells.error ? ' ev-failed' : ''}" id="${scope.eventAnchor(cells.event)}">
<summary class="ev-row">
<span class="c-time mono">${displayTime(cells.time)}</span>
<span class="c-cat"><span class="cat-dot" data-category="${cells.category}"></span>${cells.category}</span>
<span class="c-event">${cells.eventName}</span>
<span class="c-actor mono wrap" title="${actor}">${actor ? identifier(shortIdentity(actor)) : '—'}</span>
<span class="c-ip mono wrap">${sourceAddress(orNone(cells.sourceIP))}</span>
<span class="c-region">${orNone(cells.region)}</span>
<span class="c-error err">${identifier(orNone(cells.error, ''))}</span>
<span class="c-summary">${breakable(cells.summary)}</span>
</summary>
<div class="raw"><div class="raw-head">eventID <span class="mono">${cells.event}</span></div><pre class="record"><code>${record ?? '(the original record is not in this case file)'}</code></pre></div>
</details>`;
  });
  return html`<p class="note">${String(section.rows.length)} event(s). Click a row to show its original CloudTrail record.</p>
<div class="events" role="table">
<div class="ev-row ev-head" role="row"><span>time (UTC)</span><span>category</span><span>event</span><span>actor</span><span>source IP</span><span>region</span><span>error</span><span class="c-summary">summary</span></div>
${rows}
</div>`;
}
