/**
 * What the deletion broke on the EC2 side, in every region: instances that were
 * launched with or associated to the profile (and whether they still ran), launch
 * templates and launch configurations that name it, and launches that failed after it.
 */
import { childText } from '../parse/json-access.js';
import { identityName } from './actor.js';
import type { Evidence, StoredEvent } from './evidence.js';
import type { AffectedInstance, FailedLaunch, LaunchConfigurationRef, LaunchTemplateRef } from './incident.js';
import { accountOf } from './profile.js';

const BINDING_EVENTS = new Set(['RunInstances', 'AssociateIamInstanceProfile', 'ReplaceIamInstanceProfileAssociation']);
const TEMPLATE_EVENTS = new Set(['CreateLaunchTemplate', 'CreateLaunchTemplateVersion']);
const INSTANCE_GONE = new Set(['TerminateInstances']);

export interface Ec2Impact {
  affectedInstances: AffectedInstance[];
  launchTemplates: LaunchTemplateRef[];
  launchConfigurations: LaunchConfigurationRef[];
  failedLaunchesAfter: FailedLaunch[];
}

export function ec2Impact(
  deletion: StoredEvent,
  profileEvents: StoredEvent[],
  evidence: Evidence,
  afterUntil: string,
): Ec2Impact {
  const before = profileEvents.filter((event) => event.event_time <= deletion.event_time && !event.error_code);

  const launchTemplates: LaunchTemplateRef[] = before
    .filter((event) => TEMPLATE_EVENTS.has(event.event_name ?? '') && event.launch_template_id)
    .map((event) => ({ launchTemplateId: event.launch_template_id, name: event.launch_template_name, region: event.aws_region, eventId: event.event_id }));
  const templateIds = [...new Set(launchTemplates.map((template) => template.launchTemplateId!))];

  const launchConfigurations: LaunchConfigurationRef[] = before
    .filter((event) => event.event_name === 'CreateLaunchConfiguration')
    .map((event) => ({
      name: childText(evidence.record(event.event_id), 'requestParameters', 'launchConfigurationName'),
      region: event.aws_region,
      eventId: event.event_id,
    }));

  // Instances bound to the profile before the deletion, the latest binding per instance.
  const bindings = new Map<string, StoredEvent>();
  for (const event of before) {
    if (!BINDING_EVENTS.has(event.event_name ?? '') || !event.instance_ids) continue;
    for (const instanceId of event.instance_ids.split(' ')) if (!bindings.has(instanceId)) bindings.set(instanceId, event);
  }
  const affectedInstances: AffectedInstance[] = [...bindings.entries()]
    .map(([instanceId, binding]) => {
      const history = evidence.byInstance(instanceId).filter((event) => event.event_time <= deletion.event_time && !event.error_code);
      const gone = history.find((event) => INSTANCE_GONE.has(event.event_name ?? ''));
      return {
        instanceId,
        region: binding.aws_region,
        accountId: accountOf(binding),
        launchEventId: binding.event_id,
        via: binding.event_name ?? 'RunInstances',
        status: gone ? 'terminated-before-deletion' : 'running-at-deletion',
        statusEventId: gone?.event_id ?? null,
      } satisfies AffectedInstance;
    })
    .sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0));

  // Failed launches after the deletion: naming the profile (request or error message) or
  // using a launch template that names it.
  const failed = new Map<string, FailedLaunch>();
  const inWindow = (event: StoredEvent): boolean =>
    event.event_name === 'RunInstances' && !!event.error_code && event.event_time > deletion.event_time && event.event_time <= afterUntil;
  for (const event of profileEvents) {
    if (!inWindow(event)) continue;
    const fromMessage = event.error_message?.includes(`(${deletion.instance_profile_name})`) ?? false;
    failed.set(event.event_id, failedLaunch(event, fromMessage ? 'error-message' : 'request'));
  }
  for (const templateId of templateIds) {
    for (const event of evidence.byLaunchTemplate(templateId)) {
      if (inWindow(event) && !failed.has(event.event_id) && accountOf(event) === accountOf(deletion)) {
        failed.set(event.event_id, failedLaunch(event, 'launch-template'));
      }
    }
  }
  return {
    affectedInstances,
    launchTemplates,
    launchConfigurations,
    failedLaunchesAfter: [...failed.values()].sort((a, b) =>
      a.eventTime !== b.eventTime ? (a.eventTime < b.eventTime ? -1 : 1) : a.eventId < b.eventId ? -1 : 1,
    ),
  };
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
