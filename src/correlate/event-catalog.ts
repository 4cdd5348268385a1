/**
 * What trailsift knows about each CloudTrail event it correlates, as data: its timeline
 * category, whether and how much it matters as a credential change, which family of
 * resource it acts on, whether it issues a key, and the words that describe it. The
 * correlators read this table; adding an event, or fixing its wording, is one entry.
 *
 * Summary and reason templates take `{placeholders}` filled from the event's columns and
 * details (see `eventFacts` in event-words.ts); a value the record lacks reads `?`.
 */
import type { Severity, TimelineCategory } from './incident.js';

/** What a credential change is aimed at, which decides where its target comes from. */
export type TargetFamily =
  | 'user' // requestParameters.userName, else the calling user itself
  | 'role' // requestParameters.roleName
  | 'group' // requestParameters.groupName
  | 'policy' // requestParameters.policyArn
  | 'mfa-device' // the user the device serial belongs to
  | 'account' // the account itself (password policy)
  | 'session-role' // the role an STS call asked for (roleArn)
  | 'trail' // the trail a CloudTrail control call names
  | 'none';

export interface EventKind {
  category: TimelineCategory;
  target: TargetFamily;
  /**
   * Set for events that count as credential changes: the severity when the call succeeded
   * and nothing else raises it. A failed call is an attempt and is lowered (credentials.ts).
   */
  severity?: Severity;
  /**
   * The eventSource its records come from, when other services reuse the name (Transfer
   * Family's and Identity Center's CreateUser are not IAM users): a record of another
   * source is not this event (eventKindOf). Absent: any source.
   */
  source?: string;
  /** The event hands out a key: STS temporary credentials, or a long-term access key. */
  issuesKey?: 'temporary' | 'long-term';
  /**
   * For STS calls, how their credentials can be told apart from a recycled key ID
   * (actor.ts): `hours`, the longest they can last (the API's DurationSeconds maximum), and
   * whose name calls made with them carry — the session the response names, or with
   * `actsAsCaller` the caller's own (GetSessionToken).
   */
  credentials?: { hours: number; actsAsCaller?: true };
  /** A call that blinds or narrows CloudTrail (the `logging-tampered` signal). */
  trailControl?: true;
  /** Order among same-second events of one profile's lifecycle (timeline.ts). */
  lifecycleRank?: number;
  /** What the call does to an instance's profile association (ec2-impact.ts). */
  association?: 'binds' | 'replaces' | 'unbinds';
  /** The state the call puts instances in. */
  instanceState?: 'running' | 'stopped' | 'terminated';
  /** What the call deletes that could name the profile. */
  deletes?: 'launch-template' | 'launch-configuration';
  /** How the call bears on a resource of another service that keeps the profile (dependent-impact.ts). */
  dependent?: { kind: DependentKind; role: DependentRole };
  /**
   * The IAM API reads a missing user name as the caller (the access-key calls, ChangePassword;
   * a sign-in is the caller's own). For every other call a user the record does not name is
   * unknown, never the caller.
   */
  defaultsToCaller?: true;
  /** Sets someone's console password. */
  setsPassword?: true;
  /** Takes MFA away from a user. */
  removesMfa?: true;
  /** What happened, after the actor's name. */
  summary: string;
  /** Said instead of `summary` when the call failed: an attempt, never an outcome. */
  attempt?: string;
  /** Why a responder should care, for credential changes. */
  reason?: string;
}

const IAM = 'iam.amazonaws.com';
const STS = 'sts.amazonaws.com';
const CLOUDTRAIL = 'cloudtrail.amazonaws.com';
const EC2 = 'ec2.amazonaws.com';
const AUTOSCALING = 'autoscaling.amazonaws.com';
const SIGNIN = 'signin.amazonaws.com';
const SSO = 'sso.amazonaws.com';

const iamChange = (target: TargetFamily, severity: Severity, summary: string, reason: string, attempt?: string): EventKind => ({
  source: IAM,
  category: 'credential',
  target,
  severity,
  summary,
  reason,
  ...(attempt ? { attempt } : {}),
});

const session = (summary: string, attempt: string, credentials?: EventKind['credentials']): EventKind => ({
  source: STS,
  category: 'session',
  target: 'session-role',
  severity: 'low',
  summary,
  attempt,
  ...(credentials ? { issuesKey: 'temporary' as const, credentials } : {}),
});

const trailControl = (summary: string, attempt: string): EventKind => ({
  source: CLOUDTRAIL,
  category: 'logging',
  target: 'trail',
  severity: 'high',
  trailControl: true,
  summary,
  attempt,
  reason: 'CloudTrail was changed so that it records less, or nothing: the classic step before acting unseen',
});

/**
 * Resources of other services that keep an instance profile by name or ARN (or through a launch
 * template that names it) and launch instances with it later. `service` is the AWS CLI's name,
 * `resource` what a reader calls one. `binds`: the call sets the profile on the resource (a call
 * that names another profile moves it away); `ends`: the call deletes the resource; `uses`: the
 * call needs the resource, so it fails with it. Their records must come from `source`: other
 * services reuse these event names.
 */
export type DependentKind =
  | 'compute-environment'
  | 'infrastructure-configuration'
  | 'emr-cluster'
  | 'beanstalk-environment'
  | 'beanstalk-configuration-template'
  | 'spot-fleet-request'
  | 'spot-instance-request'
  | 'ec2-fleet'
  | 'opsworks-stack'
  | 'data-pipeline';

export interface DependentKindFacts {
  /** The AWS CLI's service name. */
  service: string;
  /** The eventSource its records come from. */
  source: string;
  /** What a reader calls one. */
  resource: string;
  /** Its calls may name several profiles (launchProfiles), so they are scanned by name, not found by the profile column. */
  severalProfiles?: true;
  /** How long one lives without a `validUntil` of its own, in days. */
  defaultLifetimeDays?: number;
  /** When AWS retired the service: nothing of it is alive after. */
  retiredAt?: string;
}

export const DEPENDENT_KINDS: Readonly<Record<DependentKind, DependentKindFacts>> = {
  'compute-environment': { service: 'batch', source: 'batch.amazonaws.com', resource: 'Batch compute environment' },
  'infrastructure-configuration': { service: 'imagebuilder', source: 'imagebuilder.amazonaws.com', resource: 'Image Builder infrastructure configuration' },
  'emr-cluster': { service: 'emr', source: 'elasticmapreduce.amazonaws.com', resource: 'EMR cluster' },
  'beanstalk-environment': { service: 'elasticbeanstalk', source: 'elasticbeanstalk.amazonaws.com', resource: 'Elastic Beanstalk environment' },
  'beanstalk-configuration-template': { service: 'elasticbeanstalk', source: 'elasticbeanstalk.amazonaws.com', resource: 'Elastic Beanstalk configuration template' },
  'spot-fleet-request': { service: 'ec2', source: EC2, resource: 'Spot Fleet request', severalProfiles: true },
  // A Spot Instance request's ValidUntil defaults to 7 days after it was made.
  'spot-instance-request': { service: 'ec2', source: EC2, resource: 'persistent Spot Instance request', defaultLifetimeDays: 7 },
  'ec2-fleet': { service: 'ec2', source: EC2, resource: 'EC2 Fleet' },
  // OpsWorks Stacks reached end of life on 2024-05-26.
  'opsworks-stack': { service: 'opsworks', source: 'opsworks.amazonaws.com', resource: 'OpsWorks stack', retiredAt: '2024-05-26T00:00:00Z' },
  'data-pipeline': { service: 'datapipeline', source: 'datapipeline.amazonaws.com', resource: 'Data Pipeline pipeline', severalProfiles: true },
};

export type DependentRole = 'binds' | 'ends' | 'uses';

/** What a reader calls a dependent resource of this type: `Spot Fleet request`; an unknown type as it is. */
export function dependentResourceWords(resourceType: string): string {
  return Object.hasOwn(DEPENDENT_KINDS, resourceType) ? DEPENDENT_KINDS[resourceType as DependentKind].resource : resourceType;
}

const dependent = (kind: DependentKind, role: DependentRole, summary: string, attempt: string): EventKind => ({
  category: 'ec2',
  target: 'none',
  dependent: { kind, role },
  summary,
  attempt,
});

const flagged = (flags: Partial<EventKind>, kind: EventKind): EventKind => ({ ...kind, ...flags });

const ec2 = (summary: string, attempt?: string, source = EC2): EventKind => ({ source, category: 'ec2', target: 'none', summary, ...(attempt ? { attempt } : {}) });

export const EVENT_CATALOG: Readonly<Record<string, EventKind>> = {
  // The instance profile's own lifecycle.
  DeleteInstanceProfile: { source: IAM, category: 'deletion', target: 'none', lifecycleRank: 3, summary: 'deleted instance profile {profile}', attempt: 'tried to delete instance profile {profile}' },
  CreateInstanceProfile: { source: IAM, category: 'profile', target: 'none', lifecycleRank: 0, summary: 'created instance profile {profile}', attempt: 'tried to create instance profile {profile}' },
  AddRoleToInstanceProfile: { source: IAM, category: 'profile', target: 'none', lifecycleRank: 1, summary: 'added role {role} to {profile}', attempt: 'tried to add role {role} to {profile}' },
  RemoveRoleFromInstanceProfile: { source: IAM, category: 'profile', target: 'none', lifecycleRank: 2, summary: 'removed role {role} from {profile}', attempt: 'tried to remove role {role} from {profile}' },
  TagInstanceProfile: { source: IAM, category: 'profile', target: 'none', summary: 'tagged instance profile {profile}' },
  UntagInstanceProfile: { source: IAM, category: 'profile', target: 'none', summary: 'untagged instance profile {profile}' },

  // IAM credential changes (cloudtrail-facts.md, "Credential changes worth correlating").
  CreateAccessKey: {
    ...iamChange('user', 'high', 'created access key {issuedKey} for {target}', 'a new long-term access key was created for {target}', 'tried to create an access key for {target}'),
    issuesKey: 'long-term',
    defaultsToCaller: true,
  },
  UpdateAccessKey: flagged({ defaultsToCaller: true }, iamChange('user', 'medium', 'changed the status of access key {accessKeyParam} of {target}', 'an access key of {target} was switched on or off')),
  DeleteAccessKey: flagged({ defaultsToCaller: true }, iamChange('user', 'medium', 'deleted access key {accessKeyParam} of {target}', 'an access key of {target} was deleted')),
  CreateLoginProfile: flagged({ setsPassword: true }, iamChange('user', 'high', 'set a console password for {target}', 'a console password was set for {target}: whoever set it can sign in as them', 'tried to set a console password for {target}')),
  UpdateLoginProfile: flagged({ setsPassword: true }, iamChange('user', 'high', 'changed the console password of {target}', 'the console password of {target} was changed: whoever changed it can sign in as them', 'tried to change the console password of {target}')),
  DeleteLoginProfile: iamChange('user', 'medium', 'removed the console password of {target}', 'console access of {target} was removed'),
  ChangePassword: flagged({ defaultsToCaller: true }, iamChange('user', 'medium', 'changed its own console password', '{target} changed their own console password')),
  CreateVirtualMFADevice: iamChange('mfa-device', 'medium', 'created virtual MFA device {serial}', 'a virtual MFA device was created'),
  EnableMFADevice: iamChange('mfa-device', 'medium', 'enabled MFA device {serial} for {target}', 'an MFA device was bound to {target}'),
  DeactivateMFADevice: flagged(
    { removesMfa: true },
    iamChange('mfa-device', 'high', 'deactivated MFA device {serial} of {target}', 'MFA was removed from {target}: sign-ins no longer need the device', 'tried to deactivate MFA device {serial} of {target}'),
  ),
  DeleteVirtualMFADevice: flagged(
    { removesMfa: true },
    iamChange('mfa-device', 'high', 'deleted virtual MFA device {serial} of {target}', 'the MFA device of {target} was deleted', 'tried to delete virtual MFA device {serial}'),
  ),
  ResyncMFADevice: iamChange('mfa-device', 'medium', 'resynchronized MFA device {serial} of {target}', 'the MFA device of {target} was resynchronized'),
  UpdateAccountPasswordPolicy: iamChange('account', 'medium', 'changed the password policy of {target}', 'the account password policy of {target} was changed'),
  DeleteAccountPasswordPolicy: iamChange('account', 'high', 'deleted the password policy of {target}', 'the account password policy of {target} was deleted: any password is accepted'),
  CreateUser: iamChange('user', 'high', 'created user {target}', 'a new IAM user {target} was created', 'tried to create user {target}'),
  AddUserToGroup: iamChange('user', 'high', 'added {target} to group {group}', '{target} was added to group {group} and gets its permissions', 'tried to add {target} to group {group}'),
  AttachUserPolicy: iamChange('user', 'high', 'attached {policy} to user {target}', 'user {target} was given the permissions of {policy}'),
  PutUserPolicy: iamChange('user', 'high', 'put inline policy {policyName} on user {target}', 'user {target} was given an inline policy ({policyName})'),
  DetachUserPolicy: iamChange('user', 'medium', 'detached {policy} from user {target}', 'a policy was taken off user {target}'),
  DeleteUserPolicy: iamChange('user', 'medium', 'deleted inline policy {policyName} of user {target}', 'an inline policy was taken off user {target}'),
  AttachRolePolicy: iamChange('role', 'high', 'attached {policy} to role {target}', 'role {target} was given the permissions of {policy}'),
  PutRolePolicy: iamChange('role', 'high', 'put inline policy {policyName} on role {target}', 'role {target} was given an inline policy ({policyName})'),
  DetachRolePolicy: iamChange('role', 'medium', 'detached {policy} from role {target}', 'a policy was taken off role {target}'),
  DeleteRolePolicy: iamChange('role', 'medium', 'deleted inline policy {policyName} of role {target}', 'an inline policy was taken off role {target}'),
  UpdateAssumeRolePolicy: iamChange('role', 'high', 'changed who may assume role {target}{trusting}', 'the trust policy of role {target} was changed: someone else may now assume it{trusting}'),
  CreateRole: iamChange('role', 'medium', 'created role {target}{trusting}', 'a new role {target} was created{trusting}'),
  AttachGroupPolicy: iamChange('group', 'high', 'attached {policy} to group {target}', 'group {target} was given the permissions of {policy}'),
  PutGroupPolicy: iamChange('group', 'high', 'put inline policy {policyName} on group {target}', 'group {target} was given an inline policy ({policyName})'),
  DetachGroupPolicy: iamChange('group', 'medium', 'detached {policy} from group {target}', 'a policy was taken off group {target}'),
  DeleteGroupPolicy: iamChange('group', 'medium', 'deleted inline policy {policyName} of group {target}', 'an inline policy was taken off group {target}'),
  CreatePolicyVersion: iamChange('policy', 'high', 'wrote a new version of policy {target}', 'managed policy {target} got a new version: everyone holding it gets its permissions'),
  SetDefaultPolicyVersion: iamChange('policy', 'high', 'switched policy {target} to another version', 'managed policy {target} now uses another of its versions'),

  // Sessions: STS, console and Identity Center sign-ins.
  // Lifetimes from the STS API reference: role sessions up to 12 hours, user sessions up to 36.
  AssumeRole: session('assumed {roleArn} → key {issuedKey}', 'tried to assume {roleArn}', { hours: 12 }),
  AssumeRoleWithSAML: session('assumed {roleArn} through SAML → key {issuedKey}', 'tried to assume {roleArn} through SAML', { hours: 12 }),
  AssumeRoleWithWebIdentity: session('assumed {roleArn} with a web identity token → key {issuedKey}', 'tried to assume {roleArn} with a web identity token', { hours: 12 }),
  GetSessionToken: session('got temporary credentials → key {issuedKey}', 'tried to get temporary credentials', { hours: 36, actsAsCaller: true }),
  GetFederationToken: session('got federated credentials → key {issuedKey}', 'tried to get federated credentials', { hours: 36 }),
  ConsoleLogin: { source: SIGNIN, defaultsToCaller: true, category: 'session', target: 'user', severity: 'low', summary: 'signed in to the console ({loginResult}, MFA {mfa})', attempt: 'failed to sign in to the console' },
  GetRoleCredentials: { category: 'session', target: 'role', severity: 'low', summary: 'got Identity Center credentials for role {role} in account {targetAccount}', attempt: 'tried to get Identity Center credentials for role {role}' },
  Federate: { category: 'session', target: 'none', summary: 'federated into an account through Identity Center' },
  Authenticate: { category: 'session', target: 'none', summary: 'authenticated to the Identity Center portal' },

  // CloudTrail itself.
  StopLogging: trailControl('stopped logging of trail {trail}', 'tried to stop logging of trail {trail}'),
  DeleteTrail: trailControl('deleted trail {trail}', 'tried to delete trail {trail}'),
  UpdateTrail: trailControl('changed trail {trail}', 'tried to change trail {trail}'),
  PutEventSelectors: trailControl('changed which events trail {trail} records', 'tried to change which events trail {trail} records'),
  PutInsightSelectors: trailControl('changed the Insights selectors of trail {trail}', 'tried to change the Insights selectors of trail {trail}'),
  StartLogging: { source: CLOUDTRAIL, category: 'logging', target: 'trail', summary: 'started logging of trail {trail}' },
  CreateTrail: { source: CLOUDTRAIL, category: 'logging', target: 'trail', summary: 'created trail {trail}' },

  // EC2 and Auto Scaling: what holds the profile.
  RunInstances: flagged({ association: 'binds', instanceState: 'running' }, ec2('launched {instances}{withProfile}{fromTemplate}', 'tried to launch an instance{withProfile}{fromTemplate}')),
  AssociateIamInstanceProfile: flagged({ association: 'binds' }, ec2('attached profile {profile} to {instances} ({association})', 'tried to attach profile {profile} to {instances}')),
  ReplaceIamInstanceProfileAssociation: flagged(
    { association: 'replaces' },
    ec2('replaced association {association} of {instances} with profile {profile}', 'tried to replace association {association} with profile {profile}'),
  ),
  DisassociateIamInstanceProfile: flagged({ association: 'unbinds' }, ec2('removed association {association} ({profile}) from {instances}', 'tried to remove association {association}')),
  TerminateInstances: flagged({ instanceState: 'terminated' }, ec2('terminated {instances}')),
  StopInstances: flagged({ instanceState: 'stopped' }, ec2('stopped {instances}')),
  StartInstances: flagged({ instanceState: 'running' }, ec2('started {instances}')),
  CreateLaunchTemplate: ec2('created launch template {template}{withProfile}'),
  CreateLaunchTemplateVersion: ec2('versioned launch template {template}{withProfile}'),
  CreateLaunchConfiguration: ec2('created launch configuration {launchConfiguration}{withProfile}', undefined, AUTOSCALING),
  DeleteLaunchTemplate: flagged({ deletes: 'launch-template' }, ec2('deleted launch template {template}', 'tried to delete launch template {template}')),
  DeleteLaunchConfiguration: flagged(
    { deletes: 'launch-configuration' },
    ec2('deleted launch configuration {launchConfiguration}', 'tried to delete launch configuration {launchConfiguration}', AUTOSCALING),
  ),

  // Resources of other services that keep the profile (DEPENDENT_KINDS).
  CreateComputeEnvironment: dependent('compute-environment', 'binds', 'created Batch compute environment {resource} with profile {profile}', 'tried to create Batch compute environment {resource}{withProfile}'),
  UpdateComputeEnvironment: dependent('compute-environment', 'binds', 'updated Batch compute environment {resource}{withProfile}', 'tried to update Batch compute environment {resource}{withProfile}'),
  DeleteComputeEnvironment: dependent('compute-environment', 'ends', 'deleted Batch compute environment {resource}', 'tried to delete Batch compute environment {resource}'),
  CreateInfrastructureConfiguration: dependent('infrastructure-configuration', 'binds', 'created Image Builder infrastructure configuration {resource} with profile {profile}', 'tried to create Image Builder infrastructure configuration{withProfile}'),
  UpdateInfrastructureConfiguration: dependent('infrastructure-configuration', 'binds', 'updated Image Builder infrastructure configuration {resource}{withProfile}', 'tried to update Image Builder infrastructure configuration {resource}{withProfile}'),
  DeleteInfrastructureConfiguration: dependent('infrastructure-configuration', 'ends', 'deleted Image Builder infrastructure configuration {resource}', 'tried to delete Image Builder infrastructure configuration {resource}'),
  CreateImagePipeline: dependent('infrastructure-configuration', 'uses', 'created an Image Builder pipeline with infrastructure configuration {resource}', 'tried to create an Image Builder pipeline with infrastructure configuration {resource}'),
  RunJobFlow: dependent('emr-cluster', 'binds', 'started EMR cluster {resource} with profile {profile}', 'tried to start an EMR cluster{withProfile}'),
  TerminateJobFlows: dependent('emr-cluster', 'ends', 'terminated EMR cluster(s) {resources}', 'tried to terminate EMR cluster(s) {resources}'),
  AddInstanceGroups: dependent('emr-cluster', 'uses', 'added instance groups to EMR cluster {resource}', 'tried to add instance groups to EMR cluster {resource}'),
  AddInstanceFleet: dependent('emr-cluster', 'uses', 'added an instance fleet to EMR cluster {resource}', 'tried to add an instance fleet to EMR cluster {resource}'),
  // Other services call theirs CreateEnvironment too (MWAA, AppConfig): words that fit any.
  CreateEnvironment: dependent('beanstalk-environment', 'binds', 'created environment {resource}{withProfile}', 'tried to create environment {resource}{withProfile}'),
  UpdateEnvironment: dependent('beanstalk-environment', 'binds', 'updated environment {resource}{withProfile}', 'tried to update environment {resource}{withProfile}'),
  TerminateEnvironment: dependent('beanstalk-environment', 'ends', 'terminated environment {resource}', 'tried to terminate environment {resource}'),
  UpdateImagePipeline: dependent('infrastructure-configuration', 'uses', 'updated an Image Builder pipeline to infrastructure configuration {resource}', 'tried to update an Image Builder pipeline to infrastructure configuration {resource}'),
  CreateConfigurationTemplate: dependent('beanstalk-configuration-template', 'binds', 'saved Elastic Beanstalk configuration template {resource}{withProfile}', 'tried to save Elastic Beanstalk configuration template {resource}{withProfile}'),
  UpdateConfigurationTemplate: dependent('beanstalk-configuration-template', 'binds', 'updated Elastic Beanstalk configuration template {resource}{withProfile}', 'tried to update Elastic Beanstalk configuration template {resource}{withProfile}'),
  DeleteConfigurationTemplate: dependent('beanstalk-configuration-template', 'ends', 'deleted Elastic Beanstalk configuration template {resource}', 'tried to delete Elastic Beanstalk configuration template {resource}'),
  // Spot and Fleet: by the profile in a launch specification, or by a launch template that names it.
  RequestSpotFleet: dependent('spot-fleet-request', 'binds', 'requested Spot Fleet {resource}{withProfile}', 'tried to request a Spot Fleet{withProfile}'),
  ModifySpotFleetRequest: dependent('spot-fleet-request', 'uses', 'modified Spot Fleet request {resource}', 'tried to modify Spot Fleet request {resource}'),
  CancelSpotFleetRequests: dependent('spot-fleet-request', 'ends', 'cancelled Spot Fleet request(s) {resources}', 'tried to cancel Spot Fleet request(s) {resources}'),
  RequestSpotInstances: dependent('spot-instance-request', 'binds', 'requested Spot Instances {resources}{withProfile}', 'tried to request Spot Instances{withProfile}'),
  CancelSpotInstanceRequests: dependent('spot-instance-request', 'ends', 'cancelled Spot Instance request(s) {resources}', 'tried to cancel Spot Instance request(s) {resources}'),
  // Other services call theirs CreateFleet too (AppStream, GameLift): words that fit any.
  CreateFleet: dependent('ec2-fleet', 'binds', 'created fleet {resource}{withProfile}', 'tried to create a fleet{withProfile}'),
  ModifyFleet: dependent('ec2-fleet', 'uses', 'modified fleet {resource}', 'tried to modify fleet {resource}'),
  DeleteFleets: dependent('ec2-fleet', 'ends', 'deleted EC2 Fleet(s) {resources}', 'tried to delete EC2 Fleet(s) {resources}'),
  // OpsWorks Stacks (end of life 2024: older archives): the stack's default instance profile.
  // CloudFormation calls its own CreateStack, UpdateStack, DeleteStack: words that fit both.
  CreateStack: dependent('opsworks-stack', 'binds', 'created stack {resource}{withProfile}', 'tried to create stack {resource}{withProfile}'),
  CloneStack: dependent('opsworks-stack', 'binds', 'cloned OpsWorks stack {resource}{withProfile}', 'tried to clone an OpsWorks stack{withProfile}'),
  UpdateStack: dependent('opsworks-stack', 'binds', 'updated stack {resource}{withProfile}', 'tried to update stack {resource}{withProfile}'),
  DeleteStack: dependent('opsworks-stack', 'ends', 'deleted stack {resource}', 'tried to delete stack {resource}'),
  StartStack: dependent('opsworks-stack', 'uses', 'started OpsWorks stack {resource}', 'tried to start OpsWorks stack {resource}'),
  CreateInstance: dependent('opsworks-stack', 'uses', 'created an instance in OpsWorks stack {resource}', 'tried to create an instance in OpsWorks stack {resource}'),
  // Data Pipeline: an EC2 resource's `resourceRole` names the instance profile its instances get.
  // CodePipeline calls its own DeletePipeline: words that fit both.
  PutPipelineDefinition: dependent('data-pipeline', 'binds', 'defined pipeline {resource}{withProfile}', 'tried to define pipeline {resource}{withProfile}'),
  ActivatePipeline: dependent('data-pipeline', 'uses', 'activated pipeline {resource}', 'tried to activate pipeline {resource}'),
  DeletePipeline: dependent('data-pipeline', 'ends', 'deleted pipeline {resource}', 'tried to delete pipeline {resource}'),
};

/**
 * Events no entry names fall back on their service: IAM and STS reads are discovery
 * (reconnaissance), never credential changes; other IAM calls are credential events.
 */
export const READ_PREFIXES: readonly string[] = ['List', 'Get', 'Describe', 'Generate', 'Simulate'];

export const SOURCE_CATEGORIES: Readonly<Record<string, TimelineCategory>> = {
  [IAM]: 'credential',
  [STS]: 'session',
  [SIGNIN]: 'session',
  [SSO]: 'session',
  [CLOUDTRAIL]: 'logging',
  [EC2]: 'ec2',
  [AUTOSCALING]: 'ec2',
};

/** Sources whose reads are reconnaissance of identities and credentials. */
export const DISCOVERY_SOURCES: ReadonlySet<string> = new Set([IAM, STS, SSO]);

/** The names of the catalog's events that have a property, e.g. every `association` call. */
export function eventNamesWhere(test: (kind: EventKind) => boolean): string[] {
  return Object.entries(EVENT_CATALOG)
    .filter(([, kind]) => test(kind))
    .map(([name]) => name);
}

/**
 * The catalog entry of this record: an entry only for its own service's records, since other
 * services reuse the names (Transfer Family's CreateUser, CloudFormation's CreateStack,
 * GameLift's CreateFleet). A dependent resource's record must name its source; a record
 * without any source is taken at its name.
 */
export function eventKindOf(event: { event_name: string | null; event_source: string | null }): EventKind | undefined {
  const kind = eventKind(event.event_name);
  if (!kind) return undefined;
  if (kind.dependent) return DEPENDENT_KINDS[kind.dependent.kind].source === event.event_source ? kind : undefined;
  return kind.source && event.event_source && kind.source !== event.event_source ? undefined : kind;
}

export function eventKind(eventName: string | null): EventKind | undefined {
  return eventName && Object.prototype.hasOwnProperty.call(EVENT_CATALOG, eventName) ? EVENT_CATALOG[eventName] : undefined;
}


/** Public attack tooling's user-agent marks (cloudtrail-facts.md): Stratus Red Team, Pacu, and the OS markers GuardDuty uses. */
export const OFFENSIVE_USER_AGENTS: ReadonlyArray<{ tool: string; pattern: RegExp }> = [
  { tool: 'Stratus Red Team', pattern: /stratus-red-team/i },
  { tool: 'Pacu', pattern: /(^|[^a-z])pacu([^a-z]|$)/i },
  { tool: 'Kali Linux', pattern: /(^|[^a-z])kali([^a-z]|$)/i },
  { tool: 'Parrot OS', pattern: /(^|[^a-z])parrot([^a-z]|$)/i },
  { tool: 'Pentoo', pattern: /pentoo/i },
];

/** Infrastructure-as-code user agents: a deletion by one of these is routine when nothing else stands out. */
export const IAC_USER_AGENT = /terraform|cloudformation|aws-cdk|cdk\/|pulumi|crossplane|aws-sam/i;

/**
 * AWS's own quarantine of an IAM user whose keys it found exposed or compromised: the managed
 * policies AWSCompromisedKeyQuarantine, …V2 and …V3 (AWS managed policy reference: "applied by
 * the AWS team … do NOT remove"). Only AWS makes policies under `iam::aws:policy/`, so an
 * attachment of one protects whoever made it.
 */
export const AWS_QUARANTINE_POLICY = /^arn:aws[\w-]*:iam::aws:policy\/AWSCompromisedKeyQuarantine(V\d+)?$/;
