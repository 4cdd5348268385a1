/**
 * What the deleted instance profile was: its ARN and path, the roles it held, its IAM
 * lifecycle and whether it was re-created. Names are unique per account, so every
 * lookup is by exact name within the deletion's account: `web-app-profile-staging` is
 * another profile.
 */
import { profileNameFromArn, profilePathFromArn } from '../parse/normalize.js';
import type { StoredEvent } from './evidence.js';
import type { InstanceProfileFacts, ProfileEvent } from './incident.js';
import { identityName } from './actor.js';
import { eventNamesWhere } from './event-catalog.js';
import { causalOrder } from './timeline.js';

/** The profile's own IAM events: the catalog's `profile` and `deletion` categories. */
export const PROFILE_LIFECYCLE_EVENTS: ReadonlySet<string> = new Set(eventNamesWhere((kind) => kind.category === 'profile' || kind.category === 'deletion'));

/** The account an event happened in: where it was recorded, else the caller's. */
export function accountOf(event: StoredEvent): string | null {
  return event.recipient_account_id ?? event.account_id;
}

/** A call refused for the profile, not for capacity, permissions or anything else. */
export const PROFILE_FAILURE = /iam ?instance ?profile|instance profile/i;

/** Whether an event names this profile (by name, or by an ARN of any path) in this account. */
export function namesProfile(event: StoredEvent, name: string, accountId: string | null): boolean {
  if (event.instance_profile_name !== name) return false;
  if (event.instance_profile_arn && profileNameFromArn(event.instance_profile_arn) !== name) return false;
  if (!accountId) return true;
  const arnAccount = event.instance_profile_arn?.split(':')[4];
  return (arnAccount || accountOf(event)) === accountId;
}

/** Events about this profile name in this account, in time order. */
export function eventsOfProfile(events: StoredEvent[], name: string, accountId: string | null): StoredEvent[] {
  return events.filter((event) => namesProfile(event, name, accountId));
}

export function profileFacts(
  deletion: StoredEvent,
  lifecycle: StoredEvent[],
  allProfileEvents: StoredEvent[],
  /** Roles removed after this (the lookback start) still count as held: removing them is part of the deletion. */
  heldSince: string,
): { facts: InstanceProfileFacts; history: ProfileEvent[] } {
  const name = deletion.instance_profile_name ?? '(unknown)';
  const arn =
    deletion.instance_profile_arn ??
    lifecycle.find((event) => event.event_name === 'CreateInstanceProfile' && event.instance_profile_arn)?.instance_profile_arn ??
    allProfileEvents.find((event) => event.instance_profile_arn)?.instance_profile_arn ??
    null;

  // Roles held before the incident: replay role changes up to its start, then add every
  // role taken off during the incident (removing the role is the usual step before deletion).
  const roles = new Set<string>();
  const removedDuringIncident = new Set<string>();
  for (const event of causalOrder(lifecycle)) {
    if (event.error_code || event.event_time > deletion.event_time) continue;
    if (event.event_name === 'CreateInstanceProfile') {
      // A re-created profile starts empty: only its own roles count.
      roles.clear();
      removedDuringIncident.clear();
    }
    if (!event.role_name) continue;
    if (event.event_name === 'AddRoleToInstanceProfile') roles.add(event.role_name);
    if (event.event_name === 'RemoveRoleFromInstanceProfile') {
      if (event.event_time >= heldSince) removedDuringIncident.add(event.role_name);
      else roles.delete(event.role_name);
    }
  }
  for (const role of removedDuringIncident) roles.add(role);

  const recreated = lifecycle.find(
    (event) => event.event_name === 'CreateInstanceProfile' && !event.error_code && event.event_time > deletion.event_time,
  );
  return {
    facts: {
      name,
      arn,
      path: arn ? profilePathFromArn(arn) : null,
      roles: [...roles].sort(),
      recreated: recreated ? { eventId: recreated.event_id, eventTime: recreated.event_time } : null,
    },
    history: lifecycle.map((event) => ({
      eventId: event.event_id,
      eventTime: event.event_time,
      eventName: event.event_name ?? 'unknown',
      actorArn: identityName(event),
      roleName: event.role_name,
      errorCode: event.error_code,
    })),
  };
}
