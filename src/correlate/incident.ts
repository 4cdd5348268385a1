/**
 * The investigation's answer for one DeleteInstanceProfile record. This is the JSON
 * contract of `investigate --format json` (documented in the README): other tools
 * read it, so fields are only ever added, never renamed.
 */
import type { Action } from './remediation/plan.js';

export type Outcome = 'deleted' | 'failed';
export type Classification = 'service' | 'likely-benign' | 'suspicious';
export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
/** `other`: a call of a service none of the rest is about (S3, SSM, Secrets Manager, …). */
export type TimelineCategory = 'credential' | 'session' | 'profile' | 'ec2' | 'deletion' | 'discovery' | 'logging' | 'other';
export type InstanceStatus = 'running-at-deletion' | 'stopped-at-deletion' | 'terminated-before-deletion';
/** What the deletion broke: nothing held it, something could (templates, configurations), or something did. */
export type ImpactLevel = 'none' | 'potential' | 'broken';

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
  /** A readable name: the user of a SAML or web identity, `EC2 instance i-…` for instance credentials, else the ARN. */
  label: string;
}

export interface IdentityRef {
  arn: string | null;
  type: string | null;
  accessKeyId: string | null;
  accountId: string | null;
  /** A human-readable name when there is no ARN (web identity, SAML, service). */
  label: string;
  /** For EC2 instance credentials: the instance whose role session this is. */
  instanceId: string | null;
  /** And its region: where EC2's delivery of the credentials was logged. */
  instanceRegion: string | null;
}

/** The console sign-in a console session came from. */
export interface ConsoleLoginRef {
  eventId: string;
  eventTime: string;
  /** additionalEventData.MFAUsed as logged (compared case-insensitively); null when absent. */
  mfaUsed: boolean | null;
  sourceIPAddress: string | null;
}

/** Identity Center's own record of handing out the role credentials behind a SAML session (management account). */
export interface IdentityCenterRef {
  eventId: string;
  eventTime: string;
  userName: string | null;
  userId: string | null;
  identityStoreArn: string | null;
  accountId: string | null;
  roleName: string | null;
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
  /** The chain behind the creator's credentials, nearest hop first (same shape as Actor.chain). */
  creatorChain: Hop[];
  /** Where the creator's chain ends: the creator itself when it used a long-term key. */
  creatorOrigin: IdentityRef | null;
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
  /** For a console session at the origin: the sign-in it came from. */
  consoleLogin: ConsoleLoginRef | null;
  /** For an Identity Center (SAML) origin: the GetRoleCredentials that preceded it, when the management account's logs are here. */
  identityCenter: IdentityCenterRef | null;
  /** The Identity Center user the deleting call names itself (`userIdentity.onBehalfOf`): who acted, even when the chain stops short. */
  onBehalfOf: { userId: string; identityStoreArn: string | null } | null;
}

export interface CredentialChange {
  eventId: string;
  eventTime: string;
  eventName: string;
  actorArn: string | null;
  /** The caller's key and address: who to contain when the change came from the attack. */
  actorAccessKeyId: string | null;
  sourceIPAddress: string | null;
  target: string | null;
  errorCode: string | null;
  /** False for a refused call or a failed sign-in (which CloudTrail logs without an error code). */
  succeeded: boolean;
  /** The resource the call named besides its target: an MFA device serial, an access key, a policy ARN or inline policy name, the group a user joined, or the key it issued. */
  resource: string | null;
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
  /** The association that holds the profile, when a record named it (launch-time associations have none in the log). */
  associationId: string | null;
  /** After the deletion, within the window: the instance was given another profile, and still held it at the window's end. */
  reboundAfter: Rebinding | null;
}

/** A call after the deletion that gave an affected instance another profile (Associate or Replace), and who made it. */
export interface Rebinding {
  eventId: string;
  eventTime: string;
  eventName: string;
  /** The profile it now holds, by name (from its ARN when only that was logged). */
  profileName: string | null;
  actorArn: string | null;
  actorAccessKeyId: string | null;
  sourceIPAddress: string | null;
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

/** A resource of another service that keeps the profile by name or ARN (dependent-impact.ts). */
export type DependentStatus = 'alive-at-deletion' | 'removed-before-deletion';

/** A failed call on a dependent resource after the deletion, until the profile was re-created. */
export interface DependentFailure {
  eventId: string;
  eventTime: string;
  eventName: string;
  errorCode: string | null;
}

export interface DependentResource {
  /** The AWS CLI's service name: `batch`, `imagebuilder`, `emr`, `elasticbeanstalk` or `ec2`. */
  service: string;
  /** What the resource is (DEPENDENT_KINDS in event-catalog.ts): `compute-environment`, `spot-fleet-request`, … */
  resourceType: string;
  /** Its ARN when a record carried one, else its name or ID (`application/template` for a Beanstalk configuration template). */
  resourceId: string;
  accountId: string | null;
  region: string | null;
  /** The call that made it keep the profile (by name, or by a launch template that names it). */
  eventId: string;
  /** The launch template through which it keeps the profile, when it names none itself. */
  viaLaunchTemplate: string | null;
  status: DependentStatus;
  failuresAfter: DependentFailure[];
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
  /** AWS CLI lines, each account's with its own --profile; `# later` lines are deletes to run once nothing legitimate breaks. */
  commands: string[];
  /** The same in the AWS console: which page, which tab, which button, with the values filled in. */
  console: string[];
  /** The same as boto3 calls (session(account) is one boto3.Session per account, see --emit-script FILE.py). */
  python: string[];
  /** The plan the commands, the Python lines and both scripts are written from. */
  actions: Action[];
}

export interface Signal {
  id: SignalId;
  severity: Severity;
  summary: string;
  /** Event IDs the signal rests on. */
  evidence: string[];
}

export type SignalId =
  | 'instance-credential-exfiltration'
  | 'console-login-without-mfa'
  | 'password-reset-by-other-identity'
  | 'mfa-removed'
  | 'new-source-ip'
  | 'logging-tampered'
  | 'offensive-tool-user-agent'
  | 'key-created-for-other-user'
  | 'cross-account-chain'
  | 'instance-profile-recreated-with-other-role'
  | 'key-quarantined-by-aws';

export interface Assessment {
  classification: Classification;
  severity: Severity;
  reasons: string[];
  impact: ImpactLevel;
  signals: Signal[];
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
  /** Resources of other services (Batch, Image Builder, EMR, Elastic Beanstalk, Spot and EC2 Fleet) that keep the profile. */
  dependentResources: DependentResource[];
  timeline: TimelineEntry[];
  recommendations: Recommendation[];
  /** How complete and verified the logs of the incident's accounts and regions are over its window (issue 17). */
  evidence: IncidentEvidence;
}

/** One account/region's log files over the window: how many, how many proven by signed digests. */
export interface EvidenceCoverage {
  account: string;
  region: string;
  from: string;
  to: string;
  logFiles: number;
  /** Equal to a digest whose signature verified. */
  verified: number;
  /** Equal to a digest whose signature could not be checked. */
  hashMatched: number;
  /** `kind: location` of every failing verification problem in the window. */
  problems: string[];
}

export interface IncidentEvidence {
  coverage: EvidenceCoverage[];
  gaps: Array<{
    account: string | null;
    region: string | null;
    trailName: string | null;
    from: string | null;
    to: string | null;
    cause: 'logging-restarted' | 'missing-digest' | 'missing-hours';
    /** The StopLogging event ID that explains it, or null. */
    explainedBy: string | null;
  }>;
  /** `verified`: every log file proven by a signed digest; `hashes-matched`: by unsigned (unchecked) digests; `incomplete`: problems or unexplained gaps; `unverified`: no digest covers them; `no-logs`. */
  verdict: 'verified' | 'hashes-matched' | 'incomplete' | 'unverified' | 'no-logs';
}

export interface InvestigationWindow {
  /** How far before a deletion credential changes are collected. */
  lookbackMs: number;
  /** How far after a deletion failed launches are collected. */
  afterMs: number;
}

export const DEFAULT_WINDOW: InvestigationWindow = { lookbackMs: 7 * 86_400_000, afterMs: 7 * 86_400_000 };
