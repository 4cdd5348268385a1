/**
 * `investigate --format md`: one case summary per incident that pastes cleanly into a
 * ticket (GitHub- or Jira-flavoured Markdown). Every value taken from a log record goes
 * through markdown-safe.ts: it cannot end a table row, open a link, inject HTML or close
 * a code fence.
 */
import { evidenceLine } from './evidence-line.js';
import type { Incident } from '../correlate/incident.js';
import {
  actingLabel,
  commandLine,
  consoleLoginText,
  creatorChainText,
  identityCenterText,
  onBehalfOfText,
  incidentView,
  type IncidentView,
  NONE,
  runningLost,
  shortIdentity,
  signalText,
  stepDetails,
  stepIdentity,
} from './incident-view.js';
import { cellValue, type IncidentSection, type SectionCells, singleRow } from './incident-sections.js';
import { mdFence, mdTable, mdText } from './markdown-safe.js';
import { MARKDOWN_AFFECTED_INSTANCES, MARKDOWN_CREDENTIAL_CHANGES, MARKDOWN_DEPENDENT_RESOURCES, MARKDOWN_FAILED_LAUNCHES, MARKDOWN_LAUNCH_CONFIGURATIONS, MARKDOWN_LAUNCH_TEMPLATES, MARKDOWN_TIMELINE, type MarkdownSectionColumn } from './section-layouts.js';


function summary(incidents: readonly Incident[]): string {
  return mdTable(
    ['Time', 'Outcome', 'Profile', 'Classification', 'Severity', 'Impact', 'Acting identity', 'Origin', 'Running instances lost', 'Failed launches', 'Incident'],
    incidents.map((incident) => [
      incident.eventTime,
      incident.outcome,
      incident.instanceProfile.name,
      incident.assessment.classification,
      incident.assessment.severity,
      incident.assessment.impact,
      shortIdentity(actingLabel(incident.actor)),
      shortIdentity(incident.actor.origin.arn ?? incident.actor.origin.label),
      String(runningLost(incident)),
      String(incident.failedLaunchesAfter.length),
      incident.id,
    ]),
  );
}

function facts(incident: Incident, view: IncidentView): string {
  const profile = singleRow(view.sections.instanceProfile);
  const [recreated] = profile.recreated;
  const actor = incident.actor;
  const outcome = `${view.outcome}${incident.outcome !== 'deleted' && incident.errorMessage ? ` (${incident.errorMessage})` : ''}`;
  return mdTable(
    ['Fact', 'Value'],
    [
      ['Incident (event ID)', incident.id],
      ['Time', incident.eventTime],
      ['Account', incident.accountId],
      ['Region', incident.region],
      ['Outcome', outcome],
      ['Impact', incident.assessment.impact],
      ['Instance profile', profile.name],
      ['Profile ARN', profile.arn ?? '(unknown: no event carried it)'],
      ['Path', profile.path ?? '(unknown)'],
      ['Roles', profile.roles.length > 0 ? profile.roles.join(', ') : NONE],
      ['Re-created', recreated ? `yes, at ${recreated.time} (event ${recreated.event})` : 'no'],
      ['Acting identity', `${view.acting} (${actor.type ?? 'unknown type'})`],
      ['Access key', actor.accessKeyId],
      ['Source IP', actor.sourceIPAddress],
      ['User agent', actor.userAgent],
      ['MFA', view.mfa],
      ['Invoked by', actor.invokedBy],
      ['Origin', actor.origin.label],
      ...originFacts(incident),
      ['Running instances lost', String(view.runningLost)],
      ['Failed launches after', String(incident.failedLaunchesAfter.length)],
    ],
  );
}

/** Where the origin's session came from, as fact rows: only those the archive showed. */
function originFacts(incident: Incident): Array<[string, string]> {
  const { actor } = incident;
  const rows: Array<[string, string]> = [];
  if (actor.origin.instanceId) rows.push(['Origin instance', actor.origin.instanceId]);
  if (actor.consoleLogin) rows.push(['Console sign-in', consoleLoginText(actor.consoleLogin)]);
  if (actor.identityCenter) rows.push(['Identity Center', identityCenterText(actor.identityCenter)]);
  if (actor.onBehalfOf) rows.push(['On behalf of', onBehalfOfText(actor.onBehalfOf)]);
  return rows;
}

function actorChain(incident: Incident, view: IncidentView): string {
  const lines = view.chain.map((step, index, steps) => {
    const previous = steps[index - 1];
    const role =
      step.position === 'origin'
        ? ' — **origin**'
        : step.position === 'acting'
          ? ' — **acting identity**'
          : step.position === 'origin+acting'
            ? ' — **acting identity**, also the origin (no earlier hop in the archive)'
            : '';
    const issued = previous?.issued ? `; key issued by ${mdText(previous.issued.eventName)} ${mdText(previous.issued.eventId)}` : '';
    return `${index + 1}. ${mdText(stepIdentity(step))} (${mdText(stepDetails(step))})${issued}${role}`;
  });
  const creatorChain = creatorChainText(incident.actor.keyProvenance);
  return [
    ...lines,
    '',
    `Key provenance: ${mdText(view.keyProvenance)}`,
    ...(creatorChain ? ['', `Key creator: ${mdText(creatorChain)}`] : []),
  ].join('\n');
}

function impact(incident: Incident, view: IncidentView): string {
  const out: string[] = [];
  if (incident.outcome === 'failed') out.push('The deletion failed, so nothing lost its profile.', '');
  // The instance table opens the impact, so it needs no title of its own.
  const instances = view.sections.affectedInstances;
  out.push(instances.rows.length === 0 ? `Instances: ${NONE}` : sectionTable(instances, MARKDOWN_AFFECTED_INSTANCES));
  out.push('');
  out.push(titledTable(view.sections.launchTemplates, MARKDOWN_LAUNCH_TEMPLATES));
  out.push('');
  out.push(titledTable(view.sections.launchConfigurations, MARKDOWN_LAUNCH_CONFIGURATIONS));
  out.push('');
  out.push(titledTable(view.sections.failedLaunchesAfter, MARKDOWN_FAILED_LAUNCHES));
  // Resources of other services that keep the profile: shown only when there are any.
  if (view.sections.dependentResources.rows.length > 0) out.push('', titledTable(view.sections.dependentResources, MARKDOWN_DEPENDENT_RESOURCES));
  return out.join('\n');
}

/** One view section under its title; `Title: (none)` when it has no row. */
function titledTable<Cells extends SectionCells>(section: IncidentSection<Cells>, layout: ReadonlyArray<MarkdownSectionColumn<Cells>>): string {
  return section.rows.length === 0 ? `${section.title}: ${NONE}` : `${section.title}:\n\n${sectionTable(section, layout)}`;
}

/** One view section as a Markdown table, one column per field; (none) when it has no row. */
function sectionTable<Cells extends SectionCells>(section: IncidentSection<Cells>, layout: ReadonlyArray<MarkdownSectionColumn<Cells>>): string {
  if (section.rows.length === 0) return NONE;
  return mdTable(
    layout.map((column) => column.head),
    section.rows.map((row) => layout.map((column) => ('field' in column ? cellValue(row.cells, column.field) : column.text(row.cells)))),
  );
}

function signals(view: IncidentView): string {
  const { rows } = view.sections.signals;
  if (rows.length === 0) return NONE;
  return rows.map((signal) => `- ${signalText(signal, mdText)}`).join('\n');
}

function recommendations(view: IncidentView): string {
  const { rows } = view.sections.recommendations;
  if (rows.length === 0) return NONE;
  return rows
    .map(({ cells: recommendation, eventIds }, index) =>
      [
        `**${index + 1}. ${mdText(recommendation.title)}** (${mdText(recommendation.id)})`,
        '',
        `Why: ${mdText(recommendation.why)}`,
        '',
        `Evidence: ${eventIds.length > 0 ? eventIds.map((id) => mdText(id)).join(', ') : NONE}`,
        ...(recommendation.console.length > 0 ? ['', 'In the console:', '', ...recommendation.console.map((step) => `- ${mdText(step)}`)] : []),
        ...(recommendation.commands.length > 0 ? ['', 'AWS CLI:', '', mdFence(recommendation.commands.map(commandLine).join('\n'), 'sh')] : []),
        ...(recommendation.python.length > 0 ? ['', 'boto3 (`session(account)` is a boto3.Session with the profile named by `TRAILSIFT_PROFILE_` and the account ID):', '', mdFence(recommendation.python.map(commandLine).join('\n'), 'python')] : []),
      ].join('\n'),
    )
    .join('\n\n');
}

function incidentSection(incident: Incident): string {
  const { classification, severity } = incident.assessment;
  const view = incidentView(incident);
  const what = incident.outcome === 'deleted' ? 'deleted' : 'delete attempt failed';
  const reasonRows = view.sections.assessment.rows;
  const reasons = reasonRows.length > 0 ? reasonRows.map(({ cells }) => `- ${mdText(cells.reason)}`).join('\n') : NONE;
  return [
    `## Incident: ${mdText(incident.instanceProfile.name)} ${what} — ${classification}/${severity}`,
    '',
    `**Verdict:** ${mdText(view.verdict)}`,
    '',
    `**Evidence:** ${mdText(evidenceLine(incident.evidence))}`,
    '',
    facts(incident, view),
    '',
    '**Actor chain** (origin → acting identity)',
    '',
    actorChain(incident, view),
    '',
    '**Credential changes**',
    '',
    sectionTable(view.sections.credentialChanges, MARKDOWN_CREDENTIAL_CHANGES),
    '',
    '**Impact**',
    '',
    impact(incident, view),
    '',
    '**Assessment**',
    '',
    reasons,
    '',
    '**Signals**',
    '',
    signals(view),
    '',
    '**Timeline**',
    '',
    sectionTable(view.sections.timeline, MARKDOWN_TIMELINE),
    '',
    '**Recommendations**',
    '',
    recommendations(view),
  ].join('\n');
}

export function renderIncidentsMarkdown(incidents: Incident[]): string {
  if (incidents.length === 0) return 'No DeleteInstanceProfile event matched.\n';
  const parts = [`# DeleteInstanceProfile investigation: ${incidents.length} incident(s)`, summary(incidents), ...incidents.map(incidentSection)];
  return `${parts.join('\n\n')}\n`;
}
