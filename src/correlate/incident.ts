/**
 * The investigation's answer for one DeleteInstanceProfile record. This is the JSON
 * contract of `investigate --format json` (documented in the README): other tools
 * read it, so fields are only ever added, never renamed.
 */

export type Outcome = 'deleted' | 'failed';
export type Classification = 'service' | 'likely-benign' | 'suspicious';
export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export type TimelineCategory = 'credential' | 'session' | 'profile' | 'ec2' | 'deletion';
export type InstanceStatus = 'running-at-deletion' | 'terminated-before-deletion';

export interface InstanceProfileFacts {
  name: string;
  arn: string | null;
  path: string | null;
  /** Roles the profile held before the incident (to restore), oldest first. */
  roles: string[];
  /** CreateInstanceProfile with this name after the deletion, if any. */
  recreated: { eventId: string; eventTime: string } | null;
}

export interface Hop {
  arn: string | null;
  type: string | null;
  accessKeyId: string | null;
  accountId: string | null;
  /** eventID of the STS event that issued the previous hop's key. */
  via: string;
  viaEventName: string;
  sourceIPAddress: string | null;
}

export interface IdentityRef {
  arn: string | null;
  type: string | null;
  accessKeyId: string | null;
  accountId: string | null;
  /** A human-readable name when there is no ARN (web identity, SAML, service). */
  label: string;
}

export interface KeyProvenance {
  accessKeyId: string;
  /** Owner of the key (responseElements.accessKey.userName). */
  userName: string | null;
  createdBy: string | null;
  createdByAccessKeyId: string | null;
  eventId: string;
  eventTime: string;
  sourceIPAddress: string | null;
  userAgent: string | null;
}

export interface Actor {
  type: string | null;
  arn: string | null;
  accountId: string | null;
  principalId: string | null;
  accessKeyId: string | null;
  sourceIPAddress: string | null;
  userAgent: string | null;
  mfaAuthenticated: boolean | null;
  invokedBy: string | null;
  sessionIssuerArn: string | null;
  chain: Hop[];
  origin: IdentityRef;
  keyProvenance: KeyProvenance | null;
}

export interface CredentialChange {
  eventId: string;
  eventTime: string;
  eventName: string;
  actorArn: string | null;
  target: string | null;
  errorCode: string | null;
  severity: Severity;
  reason: string;
}

export interface ProfileEvent {
  eventId: string;
  eventTime: string;
  eventName: string;
  actorArn: string | null;
  roleName: string | null;
  errorCode: string | null;
}

export interface AffectedInstance {
  instanceId: string;
  region: string | null;
  accountId: string | null;
  launchEventId: string;
  /** How the instance got the profile: RunInstances, AssociateIamInstanceProfile, … */
  via: string;
  status: InstanceStatus;
  statusEventId: string | null;
}

export interface LaunchTemplateRef {
  launchTemplateId: string | null;
  name: string | null;
  region: string | null;
  eventId: string;
}

export interface LaunchConfigurationRef {
  name: string | null;
  region: string | null;
  eventId: string;
}

export interface FailedLaunch {
  eventId: string;
  eventTime: string;
  region: string | null;
  errorCode: string | null;
  actorArn: string | null;
  /** request | error-message | launch-template */
  matchedBy: string;
}

export interface TimelineEntry {
  eventId: string;
  eventTime: string;
  eventName: string;
  category: TimelineCategory;
  actorArn: string | null;
  sourceIPAddress: string | null;
  region: string | null;
  errorCode: string | null;
  summary: string;
}

export interface Recommendation {
  id: string;
  title: string;
  why: string;
  evidence: string[];
  commands: string[];
}

export interface Assessment {
  classification: Classification;
  severity: Severity;
  reasons: string[];
}

export interface Incident {
  id: string;
  eventTime: string;
  accountId: string | null;
  region: string | null;
  outcome: Outcome;
  errorCode: string | null;
  errorMessage: string | null;
  instanceProfile: InstanceProfileFacts;
  actor: Actor;
  assessment: Assessment;
  credentialChanges: CredentialChange[];
  profileHistory: ProfileEvent[];
  affectedInstances: AffectedInstance[];
  launchTemplates: LaunchTemplateRef[];
  launchConfigurations: LaunchConfigurationRef[];
  failedLaunchesAfter: FailedLaunch[];
  timeline: TimelineEntry[];
  recommendations: Recommendation[];
}

export interface InvestigationWindow {
  /** How far before a deletion credential changes are collected. */
  lookbackMs: number;
  /** How far after a deletion failed launches are collected. */
  afterMs: number;
}

export const DEFAULT_WINDOW: InvestigationWindow = { lookbackMs: 7 * 86_400_000, afterMs: 7 * 86_400_000 };
