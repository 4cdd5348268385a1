/**
 * The default output of `trailsift investigate`: a summary table of every incident, then
 * one section per incident (profile, actor and chain, credential changes, EC2 impact,
 * assessment, timeline, recommendations). Every value taken from a log record goes
 * through terminalSafe: user agents, ARNs, error messages and summaries are
 * attacker-controlled. Everything is laid out for `width` columns (the terminal's, or 120
 * when stdout is not one: the same everywhere), by table.ts.
 */
import { evidenceLine } from './evidence-line.js';
import type { Actor, Incident } from '../correlate/incident.js';
import {
  actingLabel,
  commandLine,
  consoleLoginText,
  creatorChainText,
  identityCenterText,
  onBehalfOfText,
  incidentView,
  NONE,
  runningLost,
  shortIdentity,
  signalText,
  stepDetails,
  stepIdentity,
} from './incident-view.js';
import { cellValue, type IncidentSection, type SectionCells, singleRow } from './incident-sections.js';
import { TERMINAL_AFFECTED_INSTANCES, TERMINAL_CREDENTIAL_CHANGES, TERMINAL_DEPENDENT_RESOURCES, TERMINAL_FAILED_LAUNCHES, TERMINAL_LAUNCH_CONFIGURATIONS, TERMINAL_LAUNCH_TEMPLATES, type TerminalSectionColumn } from './section-layouts.js';
import { DEFAULT_WIDTH, type GridColumn, renderGrid, renderKeyValueGrid, wrapText } from './table.js';
import { terminalSafe } from './terminal-safe.js';

const EMPTY = '—';
/** A record value longer than this is cut (the JSON output keeps all of it). */
const MAX_VALUE = 600;

/** A record value, made safe for one terminal line; null, undefined and '' show as `fallback`. */
export function safe(value: string | null | undefined, fallback = EMPTY): string {
  if (value === null || value === undefined || value === '') return fallback;
  const text = terminalSafe(value);
  const chars = [...text];
  return chars.length > MAX_VALUE ? `${chars.slice(0, MAX_VALUE - 1).join('')}…` : text;
}

/** Prose lines stay readable on a wide terminal: never longer than this. */
const PROSE_WIDTH = 120;

/**
 * One row per incident. The incident id sits under the time, and impact under the verdict,
 * so the table fits 100 columns; narrower, each incident is stacked.
 */
const SUMMARY_COLUMNS: readonly GridColumn[] = [
  { head: 'time\nincident id' },
  { head: 'profile\noutcome', fit: 'wrap', minWidth: 14, maxWidth: 28 },
  { head: 'verdict\nimpact' },
  { head: 'acting identity\n← origin', fit: 'wrap', minWidth: 24, maxWidth: 50 },
];

function summaryTable(incidents: readonly Incident[], width: number): string {
  return renderGrid(
    SUMMARY_COLUMNS,
    incidents.map((incident) => {
      const actor = incident.actor;
      const acting = safe(shortIdentity(actingLabel(actor)));
      const origin = actor.chain.length > 0 ? `\n← ${safe(shortIdentity(actor.origin.arn ?? actor.origin.label))}` : '';
      const { classification, severity, impact } = incident.assessment;
      const failed = incident.failedLaunchesAfter.length;
      return [
        `${safe(incident.eventTime)}\n${safe(incident.id)}`,
        `${safe(incident.instanceProfile.name)}\n${incident.outcome}`,
        `${classification}/${severity}\nimpact ${impact}\n${runningLost(incident)} running lost\n${failed} failed launch${failed === 1 ? '' : 'es'}`,
        `${acting}${origin}`,
      ];
    }),
    width,
  );
}

/** `safe` for a value inside a sentence of ours. */
const cell = (value: string): string => safe(value);

/** Where the origin's session came from, as Actor rows: only those the archive showed. */
function originFacts(actor: Actor): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  if (actor.origin.instanceId) rows.push(['origin instance', safe(actor.origin.instanceId)]);
  if (actor.consoleLogin) rows.push(['console sign-in', consoleLoginText(actor.consoleLogin, cell)]);
  if (actor.identityCenter) rows.push(['Identity Center', identityCenterText(actor.identityCenter, cell)]);
  if (actor.onBehalfOf) rows.push(['on behalf of', onBehalfOfText(actor.onBehalfOf, cell)]);
  return rows;
}

/** Prose wrapped to the width, its first line after `first`, the rest indented by `rest`. */
function paragraph(first: string, text: string, width: number, rest = ' '.repeat(first.length)): string {
  const lines = wrapText(text, Math.min(width, PROSE_WIDTH) - Math.max(first.length, rest.length)).split('\n');
  return lines.map((line, index) => `${index === 0 ? first : rest}${line}`).join('\n');
}

/** One view section as a grid, its fields stacked as the layout says; `(none)` when it has no row. */
function sectionGrid<Cells extends SectionCells>(section: IncidentSection<Cells>, layout: ReadonlyArray<TerminalSectionColumn<Cells>>, width: number): string {
  if (section.rows.length === 0) return NONE;
  return renderGrid(
    layout,
    section.rows.map((row) => layout.map((column) => stackedFields(row.cells, column))),
    width,
  );
}

function stackedFields<Cells extends SectionCells>(cells: Cells, column: TerminalSectionColumn<Cells>): string {
  if ('entries' in column) {
    const entries = column.entries(cells, (value) => safe(value));
    return entries.length === 0 ? NONE : entries.join('\n');
  }
  const lines: string[] = [];
  for (const field of column.fields) {
    const { id, show, omit, before = '' } = typeof field === 'string' ? { id: field } : field;
    const value = cellValue(cells, id);
    if (value === null ? omit !== undefined : value === '' && omit === 'when-empty') continue;
    lines.push(`${before}${safe(value && show ? show(value) : value)}`);
  }
  return lines.join('\n');
}

function incidentSection(incident: Incident, index: number, total: number, width: number): string {
  const out: string[] = [];
  const profile = incident.instanceProfile;
  const actor = incident.actor;
  const view = incidentView(incident);
  const title = `Incident ${index + 1}/${total}: ${safe(profile.name)} ${incident.outcome === 'deleted' ? 'DELETED' : 'DELETE ATTEMPT FAILED'} — ${incident.assessment.classification}/${incident.assessment.severity}`;
  out.push(paragraph('═══ ', `${title} ═══`, width, '    '));
  out.push(paragraph('', `Event ${safe(incident.id)} at ${safe(incident.eventTime)}, account ${safe(incident.accountId)}, region ${safe(incident.region)}`, width, '  '));
  out.push(paragraph('Verdict: ', safe(view.verdict), width, '  '));
  out.push(paragraph('Evidence: ', safe(evidenceLine(incident.evidence)), width, '  '));
  if (incident.outcome === 'failed') out.push(paragraph('Error: ', `${safe(incident.errorCode)}: ${safe(incident.errorMessage, '(no message)')}`, width, '  '));

  const facts = singleRow(view.sections.instanceProfile);
  const [recreated] = facts.recreated;
  out.push('', view.sections.instanceProfile.title);
  out.push(
    renderKeyValueGrid(
      [
        ['name', safe(facts.name)],
        ['ARN', safe(facts.arn, '(unknown: no event carried it)')],
        ['path', safe(facts.path, '(unknown)')],
        ['roles', facts.roles.length > 0 ? facts.roles.map((role) => safe(role)).join(', ') : NONE],
        ['re-created', recreated ? `yes, at ${safe(recreated.time)} (event ${safe(recreated.event)})` : 'no'],
      ],
      width,
    ),
  );

  out.push('', 'Actor');
  out.push(
    renderKeyValueGrid(
      [
        ['type', safe(actor.type)],
        ['ARN', safe(actor.arn)],
        ['account', safe(actor.accountId)],
        ['principal ID', safe(actor.principalId)],
        ['access key', safe(actor.accessKeyId)],
        ['source IP', safe(actor.sourceIPAddress)],
        ['user agent', safe(actor.userAgent)],
        ['MFA', view.mfa],
        ['invoked by', safe(actor.invokedBy)],
        ['session issuer', safe(actor.sessionIssuerArn)],
        ...originFacts(actor),
      ],
      width,
    ),
  );
  out.push('Chain (origin → acting session):');
  for (const step of view.chain) {
    const label = step.position === 'origin+acting' ? 'acting' : step.position;
    out.push(paragraph(`  ${label.padEnd(7)} `, `${safe(stepIdentity(step))}  [${safe(stepDetails(step))}]`, width));
    if (step.position === 'origin+acting') out.push('          (also the origin: no earlier hop in the archive)');
    if (step.issued) out.push(`     → ${safe(step.issued.eventName)} ${safe(step.issued.eventId)}`);
  }
  out.push(paragraph('Key provenance: ', safe(view.keyProvenance), width, '  '));
  const creatorChain = creatorChainText(actor.keyProvenance, cell);
  if (creatorChain) out.push(paragraph('Key creator: ', creatorChain, width, '  '));

  out.push('', 'Credential changes');
  out.push(sectionGrid(view.sections.credentialChanges, TERMINAL_CREDENTIAL_CHANGES, width));

  out.push('', 'EC2 impact');
  if (incident.outcome === 'failed') out.push('(the deletion failed, so nothing lost its profile)');
  out.push('Affected instances:');
  out.push(sectionGrid(view.sections.affectedInstances, TERMINAL_AFFECTED_INSTANCES, width));
  out.push('Launch templates:');
  out.push(sectionGrid(view.sections.launchTemplates, TERMINAL_LAUNCH_TEMPLATES, width));
  out.push('Launch configurations:');
  out.push(sectionGrid(view.sections.launchConfigurations, TERMINAL_LAUNCH_CONFIGURATIONS, width));
  out.push('Failed launches after the deletion:');
  out.push(sectionGrid(view.sections.failedLaunchesAfter, TERMINAL_FAILED_LAUNCHES, width));

  // Resources of other services that keep the profile: shown only when there are any.
  const dependents = view.sections.dependentResources;
  if (dependents.rows.length > 0) out.push(`${dependents.title}:`, sectionGrid(dependents, TERMINAL_DEPENDENT_RESOURCES, width));

  out.push('', 'Assessment');
  const reasons = view.sections.assessment.rows;
  if (reasons.length === 0) out.push(`  ${NONE}`);
  for (const { cells } of reasons) out.push(paragraph('  - ', safe(cells.reason), width));

  out.push('', 'Signals');
  const signals = view.sections.signals.rows;
  if (signals.length === 0) out.push(`  ${NONE}`);
  for (const signal of signals) out.push(paragraph('  - ', signalText(signal, cell), width));

  out.push('', 'Timeline');
  const timeline = view.sections.timeline.rows;
  if (timeline.length === 0) out.push(`  ${NONE}`);
  for (const { cells } of timeline) {
    out.push(paragraph(`  ${safe(cells.time).padEnd(20)}  ${cells.category.padEnd(10)}  `, safe(cells.summary), width));
  }

  out.push('', 'Recommendations');
  const recommendations = view.sections.recommendations.rows;
  if (recommendations.length === 0) out.push(`  ${NONE}`);
  recommendations.forEach(({ cells, eventIds }, number) => {
    out.push(paragraph(`  ${number + 1}. `, `${safe(cells.title)} [${safe(cells.id)}]`, width, '     '));
    out.push(paragraph('     ', `Why: ${safe(cells.why)}`, width));
    out.push(paragraph('     ', `Evidence: ${eventIds.length > 0 ? eventIds.map((id) => safe(id)).join(', ') : NONE}`, width));
    for (const step of cells.console) out.push(paragraph('     ', `Console: ${safe(step)}`, width));
    // Commands are never wrapped: they are copied and pasted whole.
    for (const command of cells.commands) out.push(`       ${commandLine(command)}`);
  });
  return out.join('\n');
}

/** Only the summary table: one row per incident, laid out for `width` columns. */
export function renderIncidentsSummary(incidents: Incident[], width: number = DEFAULT_WIDTH): string {
  if (incidents.length === 0) return 'No DeleteInstanceProfile event matched.\n';
  return `${incidents.length} DeleteInstanceProfile event(s)\n${summaryTable(incidents, width)}\n`;
}

export function renderIncidentsTable(incidents: Incident[], width: number = DEFAULT_WIDTH): string {
  if (incidents.length === 0) return 'No DeleteInstanceProfile event matched.\n';
  const sections = incidents.map((incident, index) => incidentSection(incident, index, incidents.length, width));
  return `${incidents.length} DeleteInstanceProfile event(s)\n${summaryTable(incidents, width)}\n\n${sections.join('\n\n')}\n`;
}
