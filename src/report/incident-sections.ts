/**
 * The tables of one incident as format-neutral sections: which rows a section has, in what
 * order, and what each cell holds (a raw record value, before any escaping or layout) are
 * decided here once. Each renderer maps the columns into its own (section-layouts.ts for
 * the terminal and Markdown, html-tables.ts for HTML), then lays out and escapes.
 */
import type { DependentStatus, Incident, InstanceStatus, Severity, TimelineCategory } from '../correlate/incident.js';
import { dependentResourceWords } from '../correlate/event-catalog.js';

/** A cell as a record gave it; null where the record had none. */
export type SectionCell = string | null;
/** One entry of a cell that lists several things (the failed calls on one resource). */
export type SectionEntry = Record<string, SectionCell>;
export type SectionCells = Record<string, SectionCell | readonly SectionEntry[] | readonly string[]>;
/** The columns of `Cells` that hold one value, not a list. */
export type ValueKey<Cells extends SectionCells> = { [Key in keyof Cells & string]: Cells[Key] extends SectionCell ? Key : never }[keyof Cells & string];

/** The cell of a one-value column (ValueKey keeps lists out, so a string or null). */
export function cellValue<Cells extends SectionCells>(cells: Cells, id: ValueKey<Cells>): SectionCell {
  const value = cells[id];
  return typeof value === 'string' ? value : null;
}

export interface SectionColumn<Cells extends SectionCells> {
  id: keyof Cells & string;
  /** A neutral heading; each output may name the column its own way. */
  head: string;
}

export interface SectionRow<Cells extends SectionCells> {
  cells: Cells;
  /** The events this row stands on, for a reader who wants to check it. */
  eventIds: string[];
}

export interface IncidentSection<Cells extends SectionCells> {
  id: string;
  title: string;
  columns: ReadonlyArray<SectionColumn<Cells>>;
  rows: ReadonlyArray<SectionRow<Cells>>;
  /** What a reader is told when the section has no row. */
  empty: string;
}

export type CredentialChangeCells = {
  time: string;
  event: string;
  eventName: string;
  severity: Severity;
  actor: SectionCell;
  target: SectionCell;
  error: SectionCell;
  reason: string;
};

export function credentialChangesSection(incident: Incident): IncidentSection<CredentialChangeCells> {
  return {
    id: 'credential-changes',
    title: 'Credential changes',
    columns: [
      { id: 'time', head: 'time' },
      { id: 'eventName', head: 'event' },
      { id: 'severity', head: 'severity' },
      { id: 'actor', head: 'actor' },
      { id: 'target', head: 'target' },
      { id: 'error', head: 'error' },
      { id: 'reason', head: 'why it matters' },
      { id: 'event', head: 'event ID' },
    ],
    rows: incident.credentialChanges.map((change) => ({
      cells: {
        time: change.eventTime,
        event: change.eventId,
        eventName: change.eventName,
        severity: change.severity,
        actor: change.actorArn,
        target: change.target,
        error: change.errorCode,
        reason: change.reason,
      },
      eventIds: [change.eventId],
    })),
    empty: 'No credential change found in the look-back window.',
  };
}

export type AffectedInstanceCells = {
  instance: string;
  region: SectionCell;
  account: SectionCell;
  association: SectionCell;
  status: InstanceStatus;
  via: string;
  launchEvent: string;
  statusEvent: SectionCell;
};

export function affectedInstancesSection(incident: Incident): IncidentSection<AffectedInstanceCells> {
  return {
    id: 'affected-instances',
    title: 'Affected instances',
    columns: [
      { id: 'instance', head: 'instance' },
      { id: 'region', head: 'region' },
      { id: 'account', head: 'account' },
      { id: 'status', head: 'status at the deletion' },
      { id: 'via', head: 'got the profile by' },
      { id: 'association', head: 'association' },
      { id: 'launchEvent', head: 'launch event ID' },
      { id: 'statusEvent', head: 'status event ID' },
    ],
    rows: incident.affectedInstances.map((instance) => ({
      cells: {
        instance: instance.instanceId,
        region: instance.region,
        account: instance.accountId,
        association: instance.associationId,
        status: instance.status,
        via: instance.via,
        launchEvent: instance.launchEventId,
        statusEvent: instance.statusEventId,
      },
      eventIds: instance.statusEventId ? [instance.launchEventId, instance.statusEventId] : [instance.launchEventId],
    })),
    empty: 'No instance in the archive used this profile.',
  };
}

export type LaunchTemplateCells = { template: SectionCell; name: SectionCell; region: SectionCell; event: string };

export function launchTemplatesSection(incident: Incident): IncidentSection<LaunchTemplateCells> {
  return {
    id: 'launch-templates',
    title: 'Launch templates',
    columns: [
      { id: 'template', head: 'launch template' },
      { id: 'name', head: 'name' },
      { id: 'region', head: 'region' },
      { id: 'event', head: 'event ID' },
    ],
    rows: incident.launchTemplates.map((template) => ({
      cells: { template: template.launchTemplateId, name: template.name, region: template.region, event: template.eventId },
      eventIds: [template.eventId],
    })),
    empty: 'No launch template referenced this profile.',
  };
}

export type LaunchConfigurationCells = { name: SectionCell; region: SectionCell; event: string };

export function launchConfigurationsSection(incident: Incident): IncidentSection<LaunchConfigurationCells> {
  return {
    id: 'launch-configurations',
    title: 'Launch configurations',
    columns: [
      { id: 'name', head: 'launch configuration' },
      { id: 'region', head: 'region' },
      { id: 'event', head: 'event ID' },
    ],
    rows: incident.launchConfigurations.map((configuration) => ({
      cells: { name: configuration.name, region: configuration.region, event: configuration.eventId },
      eventIds: [configuration.eventId],
    })),
    empty: 'No launch configuration referenced this profile.',
  };
}

export type FailedLaunchCells = { time: string; event: string; region: SectionCell; error: SectionCell; actor: SectionCell; matchedBy: string };

export function failedLaunchesSection(incident: Incident): IncidentSection<FailedLaunchCells> {
  return {
    id: 'failed-launches-after',
    title: 'Failed launches after the deletion',
    columns: [
      { id: 'time', head: 'time' },
      { id: 'region', head: 'region' },
      { id: 'error', head: 'error' },
      { id: 'actor', head: 'actor' },
      { id: 'matchedBy', head: 'matched by' },
      { id: 'event', head: 'event ID' },
    ],
    rows: incident.failedLaunchesAfter.map((launch) => ({
      cells: { time: launch.eventTime, event: launch.eventId, region: launch.region, error: launch.errorCode, actor: launch.actorArn, matchedBy: launch.matchedBy },
      eventIds: [launch.eventId],
    })),
    empty: 'No launch failed afterwards.',
  };
}

export type TimelineCells = {
  time: string;
  category: TimelineCategory;
  eventName: string;
  summary: string;
  actor: SectionCell;
  sourceIP: SectionCell;
  region: SectionCell;
  error: SectionCell;
  event: string;
};

/** Every event of the incident in time order, one row each: what the Timeline and Events parts draw. */
export function timelineSection(incident: Incident): IncidentSection<TimelineCells> {
  return {
    id: 'timeline',
    title: 'Timeline',
    columns: [
      { id: 'time', head: 'time' },
      { id: 'category', head: 'category' },
      { id: 'eventName', head: 'event' },
      { id: 'actor', head: 'actor' },
      { id: 'sourceIP', head: 'source IP' },
      { id: 'region', head: 'region' },
      { id: 'error', head: 'error' },
      { id: 'summary', head: 'summary' },
      { id: 'event', head: 'event ID' },
    ],
    rows: incident.timeline.map((entry) => ({
      cells: {
        time: entry.eventTime,
        category: entry.category,
        eventName: entry.eventName,
        summary: entry.summary,
        actor: entry.actorArn,
        sourceIP: entry.sourceIPAddress,
        region: entry.region,
        error: entry.errorCode,
        event: entry.eventId,
      },
      eventIds: [entry.eventId],
    })),
    empty: 'No event.',
  };
}

export type DependentFailureEntry = { time: string; eventName: string; error: SectionCell; event: string };
export type DependentResourceCells = {
  /** The kind in words (`AWS Batch compute environment`). */
  kind: string;
  resource: string;
  region: SectionCell;
  account: SectionCell;
  status: DependentStatus;
  event: string;
  viaTemplate: SectionCell;
  failures: readonly DependentFailureEntry[];
};

export function dependentResourcesSection(incident: Incident): IncidentSection<DependentResourceCells> {
  return {
    id: 'dependent-resources',
    title: 'Resources of other services that keep the profile',
    columns: [
      { id: 'kind', head: 'kind' },
      { id: 'resource', head: 'resource' },
      { id: 'region', head: 'region' },
      { id: 'account', head: 'account' },
      { id: 'status', head: 'status at the deletion' },
      { id: 'event', head: 'event ID' },
      { id: 'viaTemplate', head: 'via launch template' },
      { id: 'failures', head: 'failures after' },
    ],
    rows: incident.dependentResources.map((resource) => {
      const failures = resource.failuresAfter.map((failure) => ({ time: failure.eventTime, eventName: failure.eventName, error: failure.errorCode, event: failure.eventId }));
      return {
        cells: {
          kind: dependentResourceWords(resource.resourceType),
          resource: resource.resourceId,
          region: resource.region,
          account: resource.accountId,
          status: resource.status,
          event: resource.eventId,
          viaTemplate: resource.viaLaunchTemplate,
          failures,
        },
        eventIds: [resource.eventId, ...failures.map((failure) => failure.event)],
      };
    }),
    empty: 'No resource of another service kept this profile.',
  };
}

export type RecommendationCells = {
  id: string;
  title: string;
  why: string;
  /** Steps in the AWS console, in order. */
  console: readonly string[];
  /** AWS CLI commands and boto3 lines as recommend.ts wrote them; each output makes them safe to show. */
  commands: readonly string[];
  python: readonly string[];
};

/** What to do, in the order recommend.ts ranked it; each row cites the events that call for it. */
export function recommendationsSection(incident: Incident): IncidentSection<RecommendationCells> {
  return {
    id: 'recommendations',
    title: 'Recommendations',
    columns: [
      { id: 'id', head: 'recommendation' },
      { id: 'title', head: 'what to do' },
      { id: 'why', head: 'why' },
      { id: 'console', head: 'in the console' },
      { id: 'commands', head: 'AWS CLI' },
      { id: 'python', head: 'boto3' },
    ],
    rows: incident.recommendations.map((recommendation) => ({
      cells: {
        id: recommendation.id,
        title: recommendation.title,
        why: recommendation.why,
        console: recommendation.console,
        commands: recommendation.commands,
        python: recommendation.python,
      },
      eventIds: recommendation.evidence,
    })),
    empty: 'No action recommended.',
  };
}

export type SignalCells = { severity: Severity; id: string; summary: string };

/** The attack patterns the archive matched, in the assessment's order; each row cites the events it rests on. */
export function signalsSection(incident: Incident): IncidentSection<SignalCells> {
  return {
    id: 'signals',
    title: 'Signals',
    columns: [
      { id: 'severity', head: 'severity' },
      { id: 'id', head: 'signal' },
      { id: 'summary', head: 'summary' },
    ],
    rows: incident.assessment.signals.map((signal) => ({ cells: { severity: signal.severity, id: signal.id, summary: signal.summary }, eventIds: signal.evidence })),
    empty: 'No signal: nothing in the archive matched a known attack pattern.',
  };
}

export type InstanceProfileCells = {
  name: string;
  arn: SectionCell;
  path: SectionCell;
  /** The roles it held: what a restore must attach again. */
  roles: readonly string[];
  /** Its re-creation after the deletion: none, or one. */
  recreated: ReadonlyArray<{ time: string; event: string }>;
};

/** The deleted profile as the archive knows it, one row, citing its re-creation when there was one. */
export function instanceProfileSection(incident: Incident): IncidentSection<InstanceProfileCells> {
  const { name, arn, path, roles, recreated } = incident.instanceProfile;
  return {
    id: 'instance-profile',
    title: 'Instance profile',
    columns: [
      { id: 'name', head: 'name' },
      { id: 'arn', head: 'ARN' },
      { id: 'path', head: 'path' },
      { id: 'roles', head: 'roles' },
      { id: 'recreated', head: 're-created' },
    ],
    rows: [
      {
        cells: { name, arn, path, roles, recreated: recreated ? [{ time: recreated.eventTime, event: recreated.eventId }] : [] },
        eventIds: recreated ? [recreated.eventId] : [],
      },
    ],
    empty: 'No instance profile.',
  };
}

export type ReasonCells = { reason: string };

/** Why the assessment says what it says, in its own order (the reasons cite no event of their own). */
export function assessmentSection(incident: Incident): IncidentSection<ReasonCells> {
  return {
    id: 'assessment',
    title: 'Assessment',
    columns: [{ id: 'reason', head: 'reason' }],
    rows: incident.assessment.reasons.map((reason) => ({ cells: { reason }, eventIds: [] })),
    empty: 'No reason recorded.',
  };
}

/** The cells of a section that always has exactly one row (the instance profile). */
export function singleRow<Cells extends SectionCells>(section: IncidentSection<Cells>): Cells {
  const [row] = section.rows;
  if (!row || section.rows.length > 1) throw new Error(`section ${section.id} has ${section.rows.length} rows, not one`);
  return row.cells;
}

/** Every section of one incident that the renderers draw from the view. */
export interface IncidentSections {
  assessment: IncidentSection<ReasonCells>;
  instanceProfile: IncidentSection<InstanceProfileCells>;
  signals: IncidentSection<SignalCells>;
  credentialChanges: IncidentSection<CredentialChangeCells>;
  affectedInstances: IncidentSection<AffectedInstanceCells>;
  launchTemplates: IncidentSection<LaunchTemplateCells>;
  launchConfigurations: IncidentSection<LaunchConfigurationCells>;
  failedLaunchesAfter: IncidentSection<FailedLaunchCells>;
  dependentResources: IncidentSection<DependentResourceCells>;
  timeline: IncidentSection<TimelineCells>;
  recommendations: IncidentSection<RecommendationCells>;
}

export function incidentSections(incident: Incident): IncidentSections {
  return {
    assessment: assessmentSection(incident),
    instanceProfile: instanceProfileSection(incident),
    signals: signalsSection(incident),
    credentialChanges: credentialChangesSection(incident),
    affectedInstances: affectedInstancesSection(incident),
    launchTemplates: launchTemplatesSection(incident),
    launchConfigurations: launchConfigurationsSection(incident),
    failedLaunchesAfter: failedLaunchesSection(incident),
    dependentResources: dependentResourcesSection(incident),
    timeline: timelineSection(incident),
    recommendations: recommendationsSection(incident),
  };
}
