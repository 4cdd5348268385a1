/** The incident's events in time order, each with a category and a one-line summary. */
import { identityName } from './actor.js';
import { byTimeThenId, type StoredEvent } from './evidence.js';
import { IAM_CREDENTIAL_EVENTS, SESSION_EVENTS } from './credentials.js';
import type { TimelineCategory, TimelineEntry } from './incident.js';
import { PROFILE_LIFECYCLE_EVENTS } from './profile.js';

export function categoryOf(event: Pick<StoredEvent, 'event_name' | 'event_source'>): TimelineCategory {
  const name = event.event_name ?? '';
  if (name === 'DeleteInstanceProfile') return 'deletion';
  if (PROFILE_LIFECYCLE_EVENTS.has(name)) return 'profile';
  if (SESSION_EVENTS.has(name) || event.event_source === 'sts.amazonaws.com' || event.event_source === 'signin.amazonaws.com') return 'session';
  if (IAM_CREDENTIAL_EVENTS.has(name) || event.event_source === 'iam.amazonaws.com') return 'credential';
  return 'ec2';
}

export function summarize(event: StoredEvent): string {
  const who = identityName(event) ?? event.identity_type ?? 'someone';
  const name = event.event_name ?? 'unknown';
  const failed = event.error_code ? ` — FAILED ${event.error_code}` : '';
  const from = event.source_ip ? ` from ${event.source_ip}` : '';
  const where = event.aws_region ? ` in ${event.aws_region}` : '';
  let what: string;
  switch (name) {
    case 'DeleteInstanceProfile':
      what = `deleted instance profile ${event.instance_profile_name ?? '?'}`;
      break;
    case 'CreateInstanceProfile':
      what = `created instance profile ${event.instance_profile_name ?? '?'}`;
      break;
    case 'AddRoleToInstanceProfile':
      what = `added role ${event.role_name ?? '?'} to ${event.instance_profile_name ?? '?'}`;
      break;
    case 'RemoveRoleFromInstanceProfile':
      what = `removed role ${event.role_name ?? '?'} from ${event.instance_profile_name ?? '?'}`;
      break;
    case 'CreateAccessKey':
      what = `created access key ${event.issued_access_key_id ?? '?'} for ${event.target_user_name ?? 'itself'}`;
      break;
    case 'AssumeRole':
    case 'AssumeRoleWithSAML':
    case 'AssumeRoleWithWebIdentity':
      what = `assumed ${event.role_arn ?? 'a role'}${event.issued_access_key_id ? ` → key ${event.issued_access_key_id}` : ''}`;
      break;
    case 'GetSessionToken':
    case 'GetFederationToken':
      what = `got temporary credentials${event.issued_access_key_id ? ` → key ${event.issued_access_key_id}` : ''}`;
      break;
    case 'RunInstances':
      what = event.instance_ids
        ? `launched ${event.instance_ids} with profile ${event.instance_profile_name ?? '?'}`
        : `tried to launch an instance${event.instance_profile_name ? ` with profile ${event.instance_profile_name}` : ''}${event.launch_template_id ? ` from ${event.launch_template_id}` : ''}`;
      break;
    case 'AssociateIamInstanceProfile':
    case 'ReplaceIamInstanceProfileAssociation':
      what = `attached profile ${event.instance_profile_name ?? '?'} to ${event.instance_ids ?? 'an instance'}`;
      break;
    case 'TerminateInstances':
      what = `terminated ${event.instance_ids ?? 'instances'}`;
      break;
    case 'CreateLaunchTemplate':
    case 'CreateLaunchTemplateVersion':
      what = `${name === 'CreateLaunchTemplate' ? 'created' : 'versioned'} launch template ${event.launch_template_name ?? event.launch_template_id ?? '?'} with profile ${event.instance_profile_name ?? '?'}`;
      break;
    default:
      what = `${name}${event.target_user_name ? ` on ${event.target_user_name}` : ''}`;
  }
  return `${who} ${what}${where}${from}${failed}`;
}

export function buildTimeline(events: Iterable<StoredEvent>): TimelineEntry[] {
  const unique = new Map<string, StoredEvent>();
  for (const event of events) unique.set(event.event_id, event);
  return [...unique.values()]
    .map((event) => ({
      eventId: event.event_id,
      eventTime: event.event_time,
      eventName: event.event_name ?? 'unknown',
      category: categoryOf(event),
      actorArn: identityName(event),
      sourceIPAddress: event.source_ip,
      region: event.aws_region,
      errorCode: event.error_code,
      summary: summarize(event),
    }))
    .sort(byTimeThenId);
}
