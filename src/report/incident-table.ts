/**
 * The default output of `trailsift investigate`: a summary table of every incident, then
 * one section per incident (profile, actor and chain, credential changes, EC2 impact,
 * assessment, timeline, recommendations). Every value taken from a log record goes
 * through terminalSafe: user agents, ARNs, error messages and summaries are
 * attacker-controlled. Everything is laid out for `width` columns (the terminal's, or 120
 * when stdout is not one: the same everywhere), by table.ts.
 */
import { evidenceLine } from './evidence-line.js';
import { isLongTermKey } from '../parse/arn.js';
import type { Actor, ConsoleLoginRef, IdentityCenterRef, Incident, KeyProvenance, Signal } from '../correlate/incident.js';
import { dependentResourceWords } from '../correlate/event-catalog.js';
import { DEFAULT_WIDTH, type GridColumn, renderGrid, renderKeyValueGrid, wrapText } from './table.js';
import { terminalSafe } from './terminal-safe.js';

const NONE = '(none)';
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

/** `account:resource` of an ARN (what differs between identities); anything else as is. */
export function shortIdentity(arn: string): string {
  const match = /^arn:[^:]*:[^:]*:[^:]*:([^:]*):(.+)$/s.exec(arn);
  if (!match) return arn;
  return match[1] ? `${match[1]}:${match[2]}` : match[2]!;
}

/** Who made the DeleteInstanceProfile call, as the record names it. */
export function actingLabel(actor: Actor): string {
  return actor.arn ?? actor.invokedBy ?? actor.principalId ?? `(${actor.type ?? 'unknown identity'})`;
}

/** One identity in the chain, from the origin to the acting session. */
export interface ChainStep {
  position: 'origin' | 'hop' | 'acting' | 'origin+acting';
  identity: string;
  /** A readable name (SAML/web-identity user, `EC2 instance i-…`) when it differs from `identity`; else null. */
  label: string | null;
  type: string | null;
  accessKeyId: string | null;
  sourceIPAddress: string | null;
  /** The STS event this identity called to issue the next step's key (none for the acting session). */
  issued: { eventName: string; eventId: string } | null;
}

/**
 * actor.chain runs from the acting session backwards: chain[0] issued the acting key with
 * the event chain[0].via, chain[1] issued chain[0]'s key, …; the last hop is the origin.
 */
export function chainSteps(actor: Actor): ChainStep[] {
  const hops = [...actor.chain].reverse();
  const steps: ChainStep[] = hops.map((hop, index) => {
    const identity = hop.arn ?? (index === 0 ? actor.origin.label : `(${hop.type ?? 'unknown identity'})`);
    return {
      position: index === 0 ? 'origin' : 'hop',
      identity,
      label: distinctLabel(hop.label, identity),
      type: hop.type,
      accessKeyId: hop.accessKeyId,
      sourceIPAddress: hop.sourceIPAddress,
      issued: { eventName: hop.viaEventName, eventId: hop.via },
    };
  });
  const acting = actingLabel(actor);
  steps.push({
    position: hops.length === 0 ? 'origin+acting' : 'acting',
    identity: acting,
    label: hops.length === 0 ? distinctLabel(actor.origin.label, acting) : null,
    type: actor.type,
    accessKeyId: actor.accessKeyId,
    sourceIPAddress: actor.sourceIPAddress,
    issued: null,
  });
  return steps;
}

/** A readable name worth showing next to an identity: set, and not the identity itself. */
export function distinctLabel(label: string | null | undefined, identity: string | null): string | null {
  return label && label !== identity ? label : null;
}

/** A chain step's identity, with its readable name in brackets when that differs (record values; caller escapes). */
export function stepIdentity(step: ChainStep): string {
  return step.label ? `${step.identity} (${step.label})` : step.identity;
}

/** Details of a chain step in brackets: type, key, source IP (record values; caller escapes). */
export function stepDetails(step: ChainStep): string {
  const parts = [step.type ?? 'unknown type'];
  if (step.accessKeyId) parts.push(`key ${step.accessKeyId}`);
  if (step.sourceIPAddress) parts.push(`from ${step.sourceIPAddress}`);
  return parts.join(', ');
}

/** Where the origin's long-term key came from, as one sentence (record values; caller escapes). */
export function keyProvenanceText(actor: Actor): string {
  const provenance = actor.keyProvenance;
  if (provenance) {
    const owner = provenance.userName ? ` (user ${provenance.userName})` : '';
    const creatorKey = provenance.createdByAccessKeyId ? ` with key ${provenance.createdByAccessKeyId}` : '';
    const from = provenance.sourceIPAddress ? ` from ${provenance.sourceIPAddress}` : '';
    return `${provenance.accessKeyId}${owner} was created at ${provenance.eventTime} by ${provenance.createdBy ?? 'an unknown identity'}${creatorKey}${from} (CreateAccessKey ${provenance.eventId})`;
  }
  const key = actor.origin.accessKeyId;
  if (isLongTermKey(key)) return `${key}: no CreateAccessKey for it in the archive (created before the archive starts?)`;
  return 'not applicable: the origin has no long-term access key';
}

/** How a helper below writes a record value: as is (the caller escapes the whole), or escaped one by one. */
type Escape = (value: string) => string;
const AS_IS: Escape = (value) => value;

/**
 * The chain behind the key creator's own credentials, nearest hop first, ending at its
 * origin: `X, whose credentials came from: EC2 instance i-… (AssumeRole …) → origin …`.
 * Null when the creator used a long-term key of its own (the provenance says so already).
 */
export function creatorChainText(provenance: KeyProvenance | null, escape: Escape = AS_IS): string | null {
  if (!provenance) return null;
  const creator = escape(provenance.createdBy ?? 'an unknown identity');
  const hops = provenance.creatorChain;
  const last = hops[hops.length - 1];
  if (!last) {
    const key = provenance.createdByAccessKeyId;
    return key?.startsWith('ASIA') ? `${creator} used temporary key ${escape(key)}; the event that issued it is not in the archive` : null;
  }
  const origin = provenance.creatorOrigin;
  const instance = origin?.instanceId ?? null;
  const items = hops.map((hop) => `${escape(hop.label)} (${escape(hop.viaEventName)} ${escape(hop.via)})`);
  if (origin && origin.label !== last.label) {
    items.push(`origin ${escape(origin.label)}${instance && !origin.label.includes(instance) ? `, instance ${escape(instance)}` : ''}`);
  } else {
    const onInstance = instance && !last.label.includes(instance) ? `, instance ${escape(instance)}` : '';
    items[items.length - 1] = `${escape(last.label)} (origin${onInstance}; ${escape(last.viaEventName)} ${escape(last.via)})`;
  }
  return `${creator}, whose credentials came from: ${items.join(' → ')}`;
}

/** The console sign-in behind the origin's session. */
export function consoleLoginText(login: ConsoleLoginRef, escape: Escape = AS_IS): string {
  const from = login.sourceIPAddress ? ` from ${escape(login.sourceIPAddress)}` : '';
  return `ConsoleLogin ${escape(login.eventId)} at ${escape(login.eventTime)}${from}, MFA used: ${mfaText(login.mfaUsed)}`;
}

/** Identity Center's GetRoleCredentials behind a SAML origin. */
export function identityCenterText(ref: IdentityCenterRef, escape: Escape = AS_IS): string {
  const user = escape(ref.userName ?? ref.userId ?? 'an unknown user');
  const ids: string[] = [];
  if (ref.userName && ref.userId) ids.push(`user ID ${escape(ref.userId)}`);
  if (ref.identityStoreArn) ids.push(`identity store ${escape(ref.identityStoreArn)}`);
  const role = ref.roleName ? ` for role ${escape(ref.roleName)}` : '';
  const account = ref.accountId ? ` in account ${escape(ref.accountId)}` : '';
  return `user ${user}${ids.length > 0 ? ` (${ids.join(', ')})` : ''} got credentials${role}${account} (GetRoleCredentials ${escape(ref.eventId)} at ${escape(ref.eventTime)})`;
}

/** One signal as one line: severity, id, summary, evidence event IDs. */
export function signalText(signal: Signal, escape: Escape = AS_IS): string {
  const evidence = signal.evidence.length > 0 ? signal.evidence.map((eventId) => escape(eventId)).join(', ') : NONE;
  return `${signal.severity} ${escape(signal.id)}: ${escape(signal.summary)} (evidence: ${evidence})`;
}

/**
 * A recommended command as one line that is safe to show and to paste. Commands quote
 * record values (recommend.ts), but a newline inside a quoted value, or in a comment
 * command, would put part of a record value on a line of its own: such a command is
 * shown escaped behind a comment, never as something a shell would run.
 */
export function commandLine(command: string): string {
  const trimmed = command.trim();
  if (trimmed.startsWith('#')) return `# ${terminalSafe(trimmed.replace(/^#\s?/, ''))}`.trimEnd();
  const escaped = terminalSafe(command);
  return escaped === command ? command : `# SKIPPED, contains control characters (shown escaped): ${escaped}`;
}

export function runningLost(incident: Incident): number {
  return incident.affectedInstances.filter((instance) => instance.status === 'running-at-deletion').length;
}

export function stoppedAtDeletion(incident: Incident): number {
  return incident.affectedInstances.filter((instance) => instance.status === 'stopped-at-deletion').length;
}

const ADVICE: Record<Incident['assessment']['classification'], string> = {
  suspicious: 'Treat it as a security incident.',
  'likely-benign': 'Looks like routine automation; confirm with its owner.',
  service: 'An AWS service did this on its own; no action needed.',
};

/** One sentence: what happened, what it broke, and what to make of it (record values; caller escapes). */
export function verdictText(incident: Incident): string {
  const { classification, severity, impact } = incident.assessment;
  const who = actingLabel(incident.actor);
  const profile = incident.instanceProfile.name;
  const act =
    incident.outcome === 'deleted'
      ? `${who} deleted instance profile ${profile}`
      : `${who} tried to delete instance profile ${profile} and failed (${incident.errorCode ?? 'unknown error'})`;
  const effects: string[] = [];
  if (incident.outcome === 'deleted') {
    const running = runningLost(incident);
    effects.push(running > 0 ? `${running} running instance(s) lost their role` : 'no running instance in the archive used it');
    const stopped = stoppedAtDeletion(incident);
    if (stopped > 0) effects.push(`${stopped} stopped instance(s) will start without their role`);
    if (incident.failedLaunchesAfter.length > 0) effects.push(`${incident.failedLaunchesAfter.length} launch(es) failed afterwards`);
    if (incident.instanceProfile.recreated) effects.push(`it was re-created at ${incident.instanceProfile.recreated.eventTime}`);
  } else {
    effects.push('nothing was broken');
  }
  return `${classification.toUpperCase()} (${severity}, impact: ${impact}): ${act}; ${effects.join('; ')}. ${ADVICE[classification]}`;
}

export function outcomeText(incident: Incident): string {
  return incident.outcome === 'deleted' ? 'deleted' : `delete attempt failed: ${incident.errorCode ?? 'unknown error'}`;
}

export function mfaText(value: boolean | null): string {
  return value === null ? 'unknown' : value ? 'yes' : 'no';
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
  return rows;
}

/** Prose wrapped to the width, its first line after `first`, the rest indented by `rest`. */
function paragraph(first: string, text: string, width: number, rest = ' '.repeat(first.length)): string {
  const lines = wrapText(text, Math.min(width, PROSE_WIDTH) - Math.max(first.length, rest.length)).split('\n');
  return lines.map((line, index) => `${index === 0 ? first : rest}${line}`).join('\n');
}

/** Identifiers stacked in the first column leave the width to the prose: the reason. */
const CREDENTIAL_COLUMNS: readonly GridColumn[] = [
  { head: 'time\nevent id\nseverity' },
  { head: 'event\nby actor\n→ target', fit: 'wrap', minWidth: 20, maxWidth: 34 },
  { head: 'reason', fit: 'wrap', minWidth: 28, maxWidth: 60 },
];

const INSTANCE_COLUMNS: readonly GridColumn[] = [
  { head: 'instance\nregion\naccount\nassociation' },
  { head: 'status\ngot profile via' },
  { head: 'launch event\nstatus event' },
];

const TEMPLATE_COLUMNS: readonly GridColumn[] = [
  { head: 'launch template' },
  { head: 'name', fit: 'wrap', minWidth: 12, maxWidth: 40 },
  { head: 'region' },
  { head: 'event' },
];

const CONFIGURATION_COLUMNS: readonly GridColumn[] = [{ head: 'name', fit: 'wrap', minWidth: 12, maxWidth: 40 }, { head: 'region' }, { head: 'event' }];

const DEPENDENT_COLUMNS: readonly GridColumn[] = [
  { head: 'resource', fit: 'wrap', minWidth: 16, maxWidth: 60 },
  { head: 'region\naccount' },
  { head: 'status\nevent' },
  { head: 'failures after', fit: 'wrap', minWidth: 12, maxWidth: 50 },
];

const FAILED_LAUNCH_COLUMNS: readonly GridColumn[] = [
  { head: 'time\nevent id' },
  { head: 'region\nmatched by' },
  { head: 'error', fit: 'wrap', minWidth: 12, maxWidth: 30 },
  { head: 'actor', fit: 'wrap', minWidth: 12, maxWidth: 40 },
];

/** `by account:resource` of a record's actor, for a cell where the event is the subject. */
const byActor = (arn: string | null): string => (arn ? `by ${safe(shortIdentity(arn))}` : 'by —');

function incidentSection(incident: Incident, index: number, total: number, width: number): string {
  const out: string[] = [];
  const profile = incident.instanceProfile;
  const actor = incident.actor;
  const title = `Incident ${index + 1}/${total}: ${safe(profile.name)} ${incident.outcome === 'deleted' ? 'DELETED' : 'DELETE ATTEMPT FAILED'} — ${incident.assessment.classification}/${incident.assessment.severity}`;
  out.push(paragraph('═══ ', `${title} ═══`, width, '    '));
  out.push(paragraph('', `Event ${safe(incident.id)} at ${safe(incident.eventTime)}, account ${safe(incident.accountId)}, region ${safe(incident.region)}`, width, '  '));
  out.push(paragraph('Verdict: ', safe(verdictText(incident)), width, '  '));
  out.push(paragraph('Evidence: ', safe(evidenceLine(incident.evidence)), width, '  '));
  if (incident.outcome === 'failed') out.push(paragraph('Error: ', `${safe(incident.errorCode)}: ${safe(incident.errorMessage, '(no message)')}`, width, '  '));

  out.push('', 'Instance profile');
  out.push(
    renderKeyValueGrid(
      [
        ['name', safe(profile.name)],
        ['ARN', safe(profile.arn, '(unknown: no event carried it)')],
        ['path', safe(profile.path, '(unknown)')],
        ['roles', profile.roles.length > 0 ? profile.roles.map((role) => safe(role)).join(', ') : NONE],
        ['re-created', profile.recreated ? `yes, at ${safe(profile.recreated.eventTime)} (event ${safe(profile.recreated.eventId)})` : 'no'],
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
        ['MFA', mfaText(actor.mfaAuthenticated)],
        ['invoked by', safe(actor.invokedBy)],
        ['session issuer', safe(actor.sessionIssuerArn)],
        ...originFacts(actor),
      ],
      width,
    ),
  );
  out.push('Chain (origin → acting session):');
  for (const step of chainSteps(actor)) {
    const label = step.position === 'origin+acting' ? 'acting' : step.position;
    out.push(paragraph(`  ${label.padEnd(7)} `, `${safe(stepIdentity(step))}  [${safe(stepDetails(step))}]`, width));
    if (step.position === 'origin+acting') out.push('          (also the origin: no earlier hop in the archive)');
    if (step.issued) out.push(`     → ${safe(step.issued.eventName)} ${safe(step.issued.eventId)}`);
  }
  out.push(paragraph('Key provenance: ', safe(keyProvenanceText(actor)), width, '  '));
  const creatorChain = creatorChainText(actor.keyProvenance, cell);
  if (creatorChain) out.push(paragraph('Key creator: ', creatorChain, width, '  '));

  out.push('', 'Credential changes');
  out.push(
    incident.credentialChanges.length === 0
      ? NONE
      : renderGrid(
          CREDENTIAL_COLUMNS,
          incident.credentialChanges.map((change) => [
            `${safe(change.eventTime)}\n${safe(change.eventId)}\n${change.severity}`,
            `${safe(change.eventName)}${change.errorCode ? `\nFAILED ${safe(change.errorCode)}` : ''}\n${byActor(change.actorArn)}\n→ ${safe(change.target === null ? null : shortIdentity(change.target))}`,
            safe(change.reason),
          ]),
          width,
        ),
  );

  out.push('', 'EC2 impact');
  if (incident.outcome === 'failed') out.push('(the deletion failed, so nothing lost its profile)');
  out.push('Affected instances:');
  out.push(
    incident.affectedInstances.length === 0
      ? NONE
      : renderGrid(
          INSTANCE_COLUMNS,
          incident.affectedInstances.map((instance) => [
            `${safe(instance.instanceId)}\n${safe(instance.region)}\n${safe(instance.accountId)}${instance.associationId ? `\n${safe(instance.associationId)}` : ''}`,
            `${instance.status}\n${safe(instance.via)}`,
            `${safe(instance.launchEventId)}\n${safe(instance.statusEventId)}`,
          ]),
          width,
        ),
  );
  out.push('Launch templates:');
  out.push(
    incident.launchTemplates.length === 0
      ? NONE
      : renderGrid(
          TEMPLATE_COLUMNS,
          incident.launchTemplates.map((template) => [safe(template.launchTemplateId), safe(template.name), safe(template.region), safe(template.eventId)]),
          width,
        ),
  );
  out.push('Launch configurations:');
  out.push(
    incident.launchConfigurations.length === 0
      ? NONE
      : renderGrid(
          CONFIGURATION_COLUMNS,
          incident.launchConfigurations.map((configuration) => [safe(configuration.name), safe(configuration.region), safe(configuration.eventId)]),
          width,
        ),
  );
  out.push('Failed launches after the deletion:');
  out.push(
    incident.failedLaunchesAfter.length === 0
      ? NONE
      : renderGrid(
          FAILED_LAUNCH_COLUMNS,
          incident.failedLaunchesAfter.map((launch) => [
            `${safe(launch.eventTime)}\n${safe(launch.eventId)}`,
            `${safe(launch.region)}\n${safe(launch.matchedBy)}`,
            safe(launch.errorCode),
            safe(launch.actorArn === null ? null : shortIdentity(launch.actorArn)),
          ]),
          width,
        ),
  );

  // Resources of other services that keep the profile: shown only when there are any.
  if (incident.dependentResources.length > 0) {
    out.push('Resources of other services that keep the profile:');
    out.push(
      renderGrid(
        DEPENDENT_COLUMNS,
        incident.dependentResources.map((resource) => [
          `${safe(dependentResourceWords(resource.resourceType))}\n${safe(resource.resourceId)}`,
          `${safe(resource.region)}\n${safe(resource.accountId)}`,
          `${resource.status}\n${safe(resource.eventId)}${resource.viaLaunchTemplate === null ? '' : `\nvia launch template ${safe(resource.viaLaunchTemplate)}`}`,
          resource.failuresAfter.length === 0
            ? NONE
            : resource.failuresAfter.map((failure) => `${safe(failure.eventTime)} ${safe(failure.eventName)} ${safe(failure.errorCode)}\n${safe(failure.eventId)}`).join('\n'),
        ]),
        width,
      ),
    );
  }

  out.push('', 'Assessment');
  if (incident.assessment.reasons.length === 0) out.push(`  ${NONE}`);
  for (const reason of incident.assessment.reasons) out.push(paragraph('  - ', safe(reason), width));

  out.push('', 'Signals');
  if (incident.assessment.signals.length === 0) out.push(`  ${NONE}`);
  for (const signal of incident.assessment.signals) out.push(paragraph('  - ', signalText(signal, cell), width));

  out.push('', 'Timeline');
  if (incident.timeline.length === 0) out.push(`  ${NONE}`);
  for (const entry of incident.timeline) {
    out.push(paragraph(`  ${safe(entry.eventTime).padEnd(20)}  ${entry.category.padEnd(10)}  `, safe(entry.summary), width));
  }

  out.push('', 'Recommendations');
  if (incident.recommendations.length === 0) out.push(`  ${NONE}`);
  incident.recommendations.forEach((recommendation, number) => {
    out.push(paragraph(`  ${number + 1}. `, `${safe(recommendation.title)} [${safe(recommendation.id)}]`, width, '     '));
    out.push(paragraph('     ', `Why: ${safe(recommendation.why)}`, width));
    out.push(paragraph('     ', `Evidence: ${recommendation.evidence.length > 0 ? recommendation.evidence.map((id) => safe(id)).join(', ') : NONE}`, width));
    for (const step of recommendation.console) out.push(paragraph('     ', `Console: ${safe(step)}`, width));
    // Commands are never wrapped: they are copied and pasted whole.
    for (const command of recommendation.commands) out.push(`       ${commandLine(command)}`);
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
