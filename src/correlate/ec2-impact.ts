/**
 * What the deletion broke on the EC2 side, in every region: instances whose association
 * pointed at the profile when it was deleted (running, stopped, or terminated before),
 * launch templates and launch configurations that name it, and launches that failed after it.
 *
 * An instance's association is replayed from its own history in causal order: a launch or
 * an Associate naming the profile binds it; a Replace to another profile or a Disassociate
 * ends it; Stop, Start and Terminate set its state. Calls that name only an association ID
 * are mapped back to the instance through the IDs its Associate and Replace calls returned.
 */
import { detailsOf } from '../parse/event-row.js';
import { identityName } from './actor.js';
import type { Evidence, StoredEvent } from './evidence.js';
import { byTimeThenId } from './evidence.js';
import { eventKind, eventNamesWhere } from './event-catalog.js';
import type { AffectedInstance, FailedLaunch, InstanceStatus, LaunchConfigurationRef, LaunchTemplateRef, Rebinding } from './incident.js';
import { accountOf, namesProfile, PROFILE_FAILURE } from './profile.js';
import { causalOrder } from './timeline.js';

const BINDING_EVENTS = new Set(eventNamesWhere((kind) => kind.association === 'binds' || kind.association === 'replaces'));
/** Calls that can change an association named only by its ID. */
const ASSOCIATION_CHANGES = eventNamesWhere((kind) => kind.association === 'replaces' || kind.association === 'unbinds');
const TEMPLATE_EVENTS = new Set(['CreateLaunchTemplate', 'CreateLaunchTemplateVersion']);
const TEMPLATE_DELETIONS = eventNamesWhere((kind) => kind.deletes === 'launch-template');
const CONFIGURATION_DELETIONS = eventNamesWhere((kind) => kind.deletes === 'launch-configuration');

export interface Ec2Impact {
  affectedInstances: AffectedInstance[];
  launchTemplates: LaunchTemplateRef[];
  launchConfigurations: LaunchConfigurationRef[];
  failedLaunchesAfter: FailedLaunch[];
}

export const NO_EC2_IMPACT: Ec2Impact = Object.freeze({ affectedInstances: [], launchTemplates: [], launchConfigurations: [], failedLaunchesAfter: [] });

const STATUS_AFTER: Record<'running' | 'stopped' | 'terminated', InstanceStatus> = {
  running: 'running-at-deletion',
  stopped: 'stopped-at-deletion',
  terminated: 'terminated-before-deletion',
};


export async function ec2Impact(deletion: StoredEvent, profileEvents: StoredEvent[], evidence: Evidence, afterUntil: string, recreatedAt: string | null = null): Promise<Ec2Impact> {
  const name = deletion.instance_profile_name ?? '';
  const accountId = accountOf(deletion);
  const before = profileEvents.filter((event) => event.event_time <= deletion.event_time && !event.error_code);

  // Templates and configurations deleted before the deletion name nothing any more. The
  // deletions are read once, from the earliest of the events they could undo.
  const deletionsSince = async (eventNames: readonly string[], undone: readonly StoredEvent[]): Promise<StoredEvent[]> => {
    if (undone.length === 0) return [];
    const from = undone.reduce((earliest, event) => (event.event_time < earliest ? event.event_time : earliest), undone[0]!.event_time);
    const found = await Promise.all(eventNames.map((eventName) => evidence.byEventName(eventName, from, deletion.event_time)));
    return found.flat().filter((event) => !event.error_code && accountOf(event) === accountId);
  };
  const removedSince = (deletions: readonly StoredEvent[], from: StoredEvent, matches: (deleted: StoredEvent) => boolean): boolean =>
    deletions.some((deleted) => deleted.event_time >= from.event_time && matches(deleted));

  const templateEvents = before.filter((event) => TEMPLATE_EVENTS.has(event.event_name ?? '') && event.launch_template_id);
  const templateDeletions = await deletionsSince(TEMPLATE_DELETIONS, templateEvents);
  const launchTemplates: LaunchTemplateRef[] = [];
  for (const event of templateEvents) {
    const gone = removedSince(templateDeletions, event, (deleted) =>
      deleted.aws_region === event.aws_region && (deleted.launch_template_id === event.launch_template_id || (deleted.launch_template_id === null && deleted.launch_template_name === event.launch_template_name)),
    );
    if (!gone) launchTemplates.push({ launchTemplateId: event.launch_template_id, name: event.launch_template_name, region: event.aws_region, eventId: event.event_id });
  }
  const templateIds = new Set(launchTemplates.map((template) => template.launchTemplateId!));
  const templateNames = new Set(launchTemplates.map((template) => template.name).filter((value): value is string => !!value));

  const configurationEvents = before.filter((event) => event.event_name === 'CreateLaunchConfiguration');
  const configurationDeletions = await deletionsSince(CONFIGURATION_DELETIONS, configurationEvents);
  const launchConfigurations: LaunchConfigurationRef[] = [];
  for (const event of configurationEvents) {
    const configuration = detailsOf(event).launchConfigurationName;
    const gone = removedSince(configurationDeletions, event, (deleted) => deleted.aws_region === event.aws_region && detailsOf(deleted).launchConfigurationName === configuration);
    if (!gone) launchConfigurations.push({ name: configuration ?? null, region: event.aws_region, eventId: event.event_id });
  }

  const candidates = new Set<string>();
  let earliestBinding = deletion.event_time;
  for (const event of before) {
    if (!BINDING_EVENTS.has(event.event_name ?? '') || !event.instance_ids) continue;
    for (const instanceId of event.instance_ids.split(' ')) candidates.add(instanceId);
    if (event.event_time < earliestBinding) earliestBinding = event.event_time;
  }
  // Association changes that name only the association ID, fetched once for all instances.
  const byAssociation = new Map<string, StoredEvent[]>();
  if (candidates.size > 0) {
    for (const eventName of ASSOCIATION_CHANGES) {
      for (const event of await evidence.byEventName(eventName, earliestBinding, deletion.event_time)) {
        const id = detailsOf(event).associationId;
        if (!id || event.error_code) continue;
        byAssociation.set(id, [...(byAssociation.get(id) ?? []), event]);
      }
    }
  }
  const histories = await evidence.byInstances([...candidates]);
  const affectedInstances = [...candidates]
    .map((instanceId) => replayInstance(instanceId, histories.get(instanceId) ?? [], deletion, name, accountId, byAssociation, afterUntil))
    .filter((instance): instance is AffectedInstance => instance !== null)
    .sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0));

  // Failed launches after the deletion (never before: a launch refused right after a profile
  // was created is IAM propagation, not impact), naming the profile or using a template that does.
  // A re-created profile ends the outage for launches by name.
  const until = recreatedAt !== null && recreatedAt < afterUntil ? recreatedAt : afterUntil;
  const failed = new Map<string, FailedLaunch>();
  const inWindow = (event: StoredEvent): boolean =>
    event.event_name === 'RunInstances' &&
    !!event.error_code &&
    PROFILE_FAILURE.test(event.error_message ?? '') &&
    event.event_time > deletion.event_time &&
    event.event_time <= until;
  for (const event of profileEvents) {
    if (!inWindow(event)) continue;
    // The message names the profile by name or by an ARN of any path.
    const fromMessage = event.error_message?.includes(`(${name})`) || event.error_message?.includes(`/${name})`) || false;
    failed.set(event.event_id, failedLaunch(event, fromMessage ? 'error-message' : 'request'));
  }
  // Launches from a template that names the profile, given by template ID or by name.
  if (templateIds.size > 0) {
    for (const event of await evidence.byEventName('RunInstances', deletion.event_time, until)) {
      const fromTemplate =
        (event.launch_template_id !== null && templateIds.has(event.launch_template_id)) ||
        (event.launch_template_id === null && event.launch_template_name !== null && templateNames.has(event.launch_template_name));
      if (fromTemplate && inWindow(event) && !failed.has(event.event_id) && accountOf(event) === accountId) failed.set(event.event_id, failedLaunch(event, 'launch-template'));
    }
  }
  return { affectedInstances, launchTemplates, launchConfigurations, failedLaunchesAfter: [...failed.values()].sort(byTimeThenId) };
}

/** The instance as it stood at the deletion, or null when its association no longer pointed at the profile. */
function replayInstance(
  instanceId: string,
  instanceEvents: StoredEvent[],
  deletion: StoredEvent,
  name: string,
  accountId: string | null,
  byAssociation: Map<string, StoredEvent[]>,
  afterUntil: string,
): AffectedInstance | null {
  const own = instanceEvents.filter((event) => event.event_time <= deletion.event_time && !event.error_code);
  const history = new Map(own.map((event) => [event.event_id, event]));
  // Association IDs this instance was given; calls naming only those IDs are its history too.
  for (const event of own) {
    const details = detailsOf(event);
    for (const id of [details.associationId, details.newAssociationId]) {
      for (const change of id ? (byAssociation.get(id) ?? []) : []) history.set(change.event_id, change);
    }
  }
  let binding: StoredEvent | null = null;
  let associationId: string | null = null;
  let status: InstanceStatus = 'running-at-deletion';
  let statusEvent: StoredEvent | null = null;
  for (const event of causalOrder([...history.values()])) {
    const details = detailsOf(event);
    const kind = eventKind(event.event_name);
    if (kind?.association === 'binds' || kind?.association === 'replaces') {
      // A launch or an association names the profile it binds; a Replace names the new one.
      binding = namesProfile(event, name, accountId) ? event : null;
      associationId = binding ? ((kind.association === 'replaces' ? details.newAssociationId : kind.instanceState ? undefined : details.associationId) ?? null) : null;
    } else if (kind?.association === 'unbinds') {
      if (!associationId || !details.associationId || details.associationId === associationId) {
        binding = null;
        associationId = null;
      }
    }
    if (kind?.instanceState) {
      status = STATUS_AFTER[kind.instanceState];
      // A launch starts the instance's story: its state needs no event of its own.
      statusEvent = kind.association === 'binds' ? null : event;
    }
  }
  if (!binding) return null;
  return {
    instanceId,
    region: binding.aws_region,
    accountId: accountOf(binding),
    launchEventId: binding.event_id,
    via: binding.event_name ?? 'RunInstances',
    status,
    statusEventId: statusEvent?.event_id ?? null,
    associationId,
    reboundAfter: rebindingAfter(instanceEvents, deletion, name, accountId, afterUntil),
  };
}

/**
 * Whether the instance was given another profile after the deletion and still held it at the
 * window's end: its own calls replayed, an Associate or Replace naming another profile binds
 * it, one naming the deleted profile's name (a repair) or a Disassociate ends it.
 */
function rebindingAfter(instanceEvents: StoredEvent[], deletion: StoredEvent, name: string, accountId: string | null, until: string): Rebinding | null {
  const after = instanceEvents.filter((event) => event.event_time >= deletion.event_time && event.event_time <= until && event.event_id !== deletion.event_id && !event.error_code);
  let rebound: Rebinding | null = null;
  for (const event of causalOrder(after)) {
    const association = eventKind(event.event_name)?.association;
    // A launch binds a new instance, never this one again.
    if (event.event_name === 'RunInstances') continue;
    if (association === 'binds' || association === 'replaces') {
      rebound = namesProfile(event, name, accountId)
        ? null
        : {
            eventId: event.event_id,
            eventTime: event.event_time,
            eventName: event.event_name ?? 'unknown',
            profileName: event.instance_profile_name,
            actorArn: identityName(event),
            actorAccessKeyId: event.access_key_id,
            sourceIPAddress: event.source_ip,
          };
    } else if (association === 'unbinds') {
      rebound = null;
    }
  }
  return rebound;
}

function failedLaunch(event: StoredEvent, matchedBy: string): FailedLaunch {
  return {
    eventId: event.event_id,
    eventTime: event.event_time,
    region: event.aws_region,
    errorCode: event.error_code,
    actorArn: identityName(event),
    matchedBy,
  };
}
