/**
 * The recommendation templates: one entry per recommendation, each saying when it applies,
 * its title and reasons, the console steps, and the plan steps (plan.ts) in the AWS API's
 * own names. Commands and Python lines are rendered from the steps, never written here.
 * Commands follow cloudtrail-facts.md's "Remediation facts".
 */
import { userNameFromArn } from '../event-words.js';
import { shellQuote } from './aws-cli.js';
import type { DependentResource } from '../incident.js';
import type { Action, AwsService, CallStep, Step, Value } from './plan.js';
import { AWS_QUARANTINE_POLICY, DEPENDENT_KINDS, eventKind, type DependentKind } from '../event-catalog.js';
import { accountOfArn } from '../../parse/arn.js';
import type { AttackChange, RemediationFacts } from './facts.js';

export interface Draft {
  title: string;
  why: string;
  evidence: string[];
  console: string[];
  actions: Action[];
}

export interface Template {
  id: string;
  draft(facts: RemediationFacts): Draft | null;
}

/** The documented name of the revoke-older-sessions policy, which the IAM console uses too. */
const REVOKE_POLICY_NAME = 'AWSRevokeOlderSessions';

const REVOKE_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': '${REVOKE_BEFORE}' } } }],
};

const unique = (values: string[]): string[] => [...new Set(values)];
const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/** Actions grouped by account, in first-seen order. */
function byAccount<T extends { accountId: string | null }>(items: T[], phase: Action['phase'], steps: (item: T) => Step[]): Action[] {
  const actions = new Map<string, Action>();
  for (const item of items) {
    const key = item.accountId ?? '';
    const action = actions.get(key) ?? { phase, accountId: item.accountId, steps: [] };
    action.steps.push(...steps(item));
    actions.set(key, action);
  }
  return [...actions.values()];
}

/**
 * Per kind of resource that keeps the profile (dependent-impact.ts): where to look in its
 * console, and the read-only call that shows the resource once the profile exists again.
 */
const BEANSTALK_ENVIRONMENT_ID = /^e-[a-z0-9]{10}$/;

type DependentCheck = { console: (resource: DependentResource) => string; step: (resource: DependentResource) => Step };

const where = (resource: DependentResource): string => resource.region ?? 'its region';
const describe = (resource: DependentResource, service: AwsService, operation: string, params: Record<string, Value>): Step => ({
  kind: 'call',
  service,
  operation,
  region: resource.region ?? undefined,
  params,
});

const DEPENDENT_CHECKS: Readonly<Record<DependentKind, DependentCheck>> = {
  'compute-environment': {
    console: (resource) => `AWS Batch console (${where(resource)}) → Compute environments → ${resource.resourceId} → check its status is VALID and its instance role is the profile`,
    step: (resource) => describe(resource, 'batch', 'DescribeComputeEnvironments', { computeEnvironments: [resource.resourceId] }),
  },
  'infrastructure-configuration': {
    console: (resource) => `EC2 Image Builder console (${where(resource)}) → Infrastructure configurations → ${resource.resourceId} → check its IAM role (instance profile)`,
    step: (resource) => describe(resource, 'imagebuilder', 'GetInfrastructureConfiguration', { infrastructureConfigurationArn: resource.resourceId }),
  },
  'emr-cluster': {
    console: (resource) => `Amazon EMR console (${where(resource)}) → Clusters → ${resource.resourceId} → check its state and its EC2 instance profile; a cluster that lost it may need to be re-created`,
    step: (resource) => describe(resource, 'emr', 'DescribeCluster', { ClusterId: resource.resourceId }),
  },
  'beanstalk-environment': {
    console: (resource) => `Elastic Beanstalk console (${where(resource)}) → Environments → ${resource.resourceId} → Configuration → Security → check "EC2 instance profile", then its health`,
    // Named by its ID only when no record gave its name.
    step: (resource) =>
      describe(resource, 'elasticbeanstalk', 'DescribeEnvironments', { [BEANSTALK_ENVIRONMENT_ID.test(resource.resourceId) ? 'EnvironmentIds' : 'EnvironmentNames']: [resource.resourceId] }),
  },
  'beanstalk-configuration-template': {
    console: (resource) => `Elastic Beanstalk console (${where(resource)}) → Applications → ${applicationOf(resource)} → Saved configurations → ${templateOf(resource)} → check its instance profile before launching an environment from it`,
    step: (resource) => describe(resource, 'elasticbeanstalk', 'DescribeConfigurationSettings', { ApplicationName: applicationOf(resource), TemplateName: templateOf(resource) }),
  },
  'spot-fleet-request': {
    console: (resource) => `EC2 console (${where(resource)}) → Spot Requests → ${resource.resourceId} → check its state is active and its fulfilled capacity`,
    step: (resource) => describe(resource, 'ec2', 'DescribeSpotFleetRequests', { SpotFleetRequestIds: [resource.resourceId] }),
  },
  'spot-instance-request': {
    console: (resource) => `EC2 console (${where(resource)}) → Spot Requests → ${resource.resourceId} → check its status; a persistent request relaunches with the profile`,
    step: (resource) => describe(resource, 'ec2', 'DescribeSpotInstanceRequests', { SpotInstanceRequestIds: [resource.resourceId] }),
  },
  'ec2-fleet': {
    console: (resource) => `EC2 console (${where(resource)}) → Fleets (EC2 Fleet, CLI only: describe-fleets) → ${resource.resourceId} → check its state and fulfilled capacity`,
    step: (resource) => describe(resource, 'ec2', 'DescribeFleets', { FleetIds: [resource.resourceId] }),
  },
  'opsworks-stack': {
    // Only ever alive for deletions before the service's end of life (2024-05-26); a current AWS CLI may no longer have the command.
    console: (resource) => `OpsWorks console (${where(resource)}) → Stacks → ${resource.resourceId} → Stack settings → check "Default IAM instance profile"; instances it starts get it (OpsWorks Stacks reached end of life on 2024-05-26: use an AWS CLI of that time if the command is gone)`,
    step: (resource) => describe(resource, 'opsworks', 'DescribeStacks', { StackIds: [resource.resourceId] }),
  },
  'data-pipeline': {
    console: (resource) => `Data Pipeline console (${where(resource)}) → ${resource.resourceId} → check its health and the runs since the deletion; its EC2 resources launch with the profile`,
    step: (resource) => describe(resource, 'datapipeline', 'DescribePipelines', { pipelineIds: [resource.resourceId] }),
  },
};

/** A saved configuration is `application/template` (dependent-impact.ts): Beanstalk names hold no slash. */
const applicationOf = (resource: DependentResource): string => resource.resourceId.slice(0, resource.resourceId.indexOf('/'));
const templateOf = (resource: DependentResource): string => resource.resourceId.slice(resource.resourceId.indexOf('/') + 1);

/** What to read back after a trail's settings were changed: the settings that call changes. */
const TRAIL_SETTINGS_READS: Readonly<Record<string, { operation: string; parameter: string }>> = {
  UpdateTrail: { operation: 'GetTrail', parameter: 'Name' },
  PutEventSelectors: { operation: 'GetEventSelectors', parameter: 'TrailName' },
  PutInsightSelectors: { operation: 'GetInsightSelectors', parameter: 'TrailName' },
};

/** A trail's name: DeleteTrail and the others accept its ARN too, CreateTrail only the name. */
const trailNameOf = (trail: string | null): string => (trail ?? '?').replace(/^arn:aws[\w-]*:cloudtrail:[^:]*:\d{12}:trail\//, '');

/**
 * How to undo a lasting change the attack made (facts.attackChanges), by its event. Where
 * the log says exactly what was added, the reversing call (reversible in turn); an identity
 * the attack created is quarantined by an explicit deny and deleted later; where the earlier
 * state is not in the log (a trust policy or policy version replaced), the current one is
 * read and the operator puts the baseline back. `undoneBy`: the calls that already took it
 * away again (on the same target and resource, later).
 */
interface Undo {
  /** Names a policy or group that the record must carry (`resource`). */
  needsResource: boolean;
  undoneBy: string[];
  /** What the step does and why it is safe, for the recommendation's reasons. */
  why: string;
  console: (change: AttackChange) => string;
  steps: (change: AttackChange) => Step[];
  /** Only these changes of the event are undone (a removal is put back only when it removed a protection). */
  appliesTo?: (change: AttackChange) => boolean;
}

const QUARANTINE_POLICY_NAME = 'QuarantineDenyAll';
const QUARANTINE_POLICY = { Version: '2012-10-17', Statement: [{ Sid: 'Quarantine', Effect: 'Deny', Action: ['*'], Resource: ['*'] }] };

type Principal = 'User' | 'Role' | 'Group';
const PRINCIPAL_PARAMETER: Readonly<Record<Principal, string>> = { User: 'UserName', Role: 'RoleName', Group: 'GroupName' };
const iamCall = (operation: string, params: Record<string, Value>, extra: Pick<CallStep, 'later' | 'tolerate'> = {}): CallStep => ({ kind: 'call', service: 'iam', operation, params, ...extra });

const detachManaged = (principal: Principal): Undo => ({
  needsResource: true,
  undoneBy: [`Detach${principal}Policy`],
  why: 'A managed policy it attached is detached (attaching succeeds even when the policy was already attached: if your baseline had it, attach it again).',
  console: (change) => `IAM console → ${principal}s → ${change.target} → Permissions → ${change.resource} → Remove (account ${change.accountId ?? 'unknown'})`,
  steps: (change) => [iamCall(`Detach${principal}Policy`, { [PRINCIPAL_PARAMETER[principal]]: change.target, PolicyArn: change.resource! }, { tolerate: ['NoSuchEntity'] })],
});

// The attack's document is printed before it goes: if the name was one of your own
// policies, the attack's version already replaced it, and yours comes from your baseline.
const deleteInline = (principal: Principal): Undo => ({
  needsResource: true,
  undoneBy: [`Delete${principal}Policy`],
  why: 'An inline policy it wrote is printed, then deleted (if the name was one of yours, the attack had already replaced it: put yours back from your baseline).',
  console: (change) => `IAM console → ${principal}s → ${change.target} → Permissions → ${change.resource} (inline) → Remove (account ${change.accountId ?? 'unknown'})`,
  steps: (change) => {
    const params = { [PRINCIPAL_PARAMETER[principal]]: change.target, PolicyName: change.resource! };
    return [iamCall(`Get${principal}Policy`, params, { tolerate: ['NoSuchEntity'] }), iamCall(`Delete${principal}Policy`, params, { tolerate: ['NoSuchEntity'] })];
  },
});

const quarantine = (principal: 'User' | 'Role'): Undo => ({
  needsResource: false,
  undoneBy: [`Delete${principal}`],
  why: `A ${principal.toLowerCase()} it created gets an inline deny on every action (${QUARANTINE_POLICY_NAME}), which also stops what its keys and sessions can do, and is deleted later.`,
  console: (change) =>
    `IAM console → ${principal}s → ${change.target} → Permissions → Add permissions → Create inline policy: deny every action, named ${QUARANTINE_POLICY_NAME} (account ${change.accountId ?? 'unknown'}); later delete the ${principal.toLowerCase()}`,
  steps: (change) => [
    iamCall(`Put${principal}Policy`, { [PRINCIPAL_PARAMETER[principal]]: change.target, PolicyName: QUARANTINE_POLICY_NAME, PolicyDocument: { json: QUARANTINE_POLICY } }, { tolerate: ['NoSuchEntity'] }),
    iamCall(`Delete${principal}`, { [PRINCIPAL_PARAMETER[principal]]: change.target }, {
      later:
        principal === 'User'
          ? 'once it is kept for the record and its keys, password, MFA devices, certificates, policies and groups are removed (DeleteUser refuses a user that still has them)'
          : 'once it is kept for the record and its policies are removed and no instance profile holds it (DeleteRole refuses them)',
    }),
  ],
});

const UNDO: Readonly<Record<string, Undo>> = {
  AttachUserPolicy: detachManaged('User'),
  AttachRolePolicy: detachManaged('Role'),
  AttachGroupPolicy: detachManaged('Group'),
  PutUserPolicy: deleteInline('User'),
  PutRolePolicy: deleteInline('Role'),
  PutGroupPolicy: deleteInline('Group'),
  AddUserToGroup: {
    needsResource: true,
    undoneBy: ['RemoveUserFromGroup'],
    why: 'A user it added to a group is taken out again (adding succeeds when the user was already a member: if your baseline had it, add it again).',
    console: (change) => `IAM console → User groups → ${change.resource} → Users → ${change.target} → Remove (account ${change.accountId ?? 'unknown'})`,
    steps: (change) => [iamCall('RemoveUserFromGroup', { GroupName: change.resource!, UserName: change.target }, { tolerate: ['NoSuchEntity'] })],
  },
  // What the attack took away is not given back (on a false alarm that would hand out access),
  // except AWS's own quarantine of an exposed key: putting it back only restricts.
  DetachUserPolicy: {
    needsResource: true,
    undoneBy: ['AttachUserPolicy'],
    appliesTo: (change) => AWS_QUARANTINE_POLICY.test(change.resource ?? ''),
    why: "AWS's quarantine of an exposed key that the attack detached is attached again (it only restricts).",
    console: (change) => `IAM console → Users → ${change.target} → Permissions → Add permissions → Attach policies directly → ${change.resource} (account ${change.accountId ?? 'unknown'})`,
    steps: (change) => [iamCall('AttachUserPolicy', { UserName: change.target, PolicyArn: change.resource! }, { tolerate: ['NoSuchEntity'] })],
  },
  CreateUser: quarantine('User'),
  CreateRole: quarantine('Role'),
  UpdateAssumeRolePolicy: {
    needsResource: false,
    undoneBy: ['DeleteRole'],
    why: "A trust policy it replaced cannot be rolled back from the log, which does not hold the earlier one: the current one is read and yours goes back by hand, then the role's older sessions are revoked.",
    console: (change) => `IAM console → Roles → ${change.target} → Trust relationships → Edit trust policy: put back the one of your baseline; then Revoke sessions (account ${change.accountId ?? 'unknown'})`,
    steps: (change) => [
      iamCall('GetRole', { RoleName: change.target }, { tolerate: ['NoSuchEntity'] }),
      { kind: 'manual', text: `the attack replaced the trust policy of role ${change.target} and the log does not hold the earlier one: put back the one of your baseline (update-assume-role-policy), then revoke the role's older sessions` },
    ],
  },
  CreatePolicyVersion: {
    needsResource: false,
    undoneBy: ['DeletePolicy'],
    why: 'A managed policy version it wrote or made the default cannot be rolled back from the log: the versions are listed and the default goes back to your baseline by hand.',
    console: (change) => `IAM console → Policies → ${change.target} → Policy versions → set the version of your baseline as default, then delete the attack's version (account ${change.accountId ?? 'unknown'})`,
    steps: (change) => [
      iamCall('ListPolicyVersions', { PolicyArn: change.target }, { tolerate: ['NoSuchEntity'] }),
      { kind: 'manual', text: `the attack wrote a new version of ${change.target}: set the version of your baseline as default (set-default-policy-version), then delete the attack's (delete-policy-version)` },
    ],
  },
  SetDefaultPolicyVersion: {
    needsResource: false,
    undoneBy: ['DeletePolicy'],
    why: 'A managed policy version it wrote or made the default cannot be rolled back from the log: the versions are listed and the default goes back to your baseline by hand.',
    console: (change) => `IAM console → Policies → ${change.target} → Policy versions → set the version of your baseline as default (account ${change.accountId ?? 'unknown'})`,
    steps: (change) => [
      iamCall('ListPolicyVersions', { PolicyArn: change.target }, { tolerate: ['NoSuchEntity'] }),
      { kind: 'manual', text: `the attack switched ${change.target} to another of its versions: set the version of your baseline as default again (set-default-policy-version)` },
    ],
  },
};

/** The attack's changes still in place: one per target and resource, with every event that made it. */
function changesToUndo({ attackChanges, foreignRoles, roles, users, input }: RemediationFacts): Array<AttackChange & { undo: Undo; evidence: string[] }> {
  const contained = new Set(foreignRoles.map((role) => `${role.accountId}/${role.roleName}`));
  // Inline policies the plan itself puts: one the attack wrote under that name is overwritten by
  // ours, and deleting it could run after ours (another incident's revocation, or our quarantine).
  const ours = new Set([
    ...[...roles, ...foreignRoles].map((role) => `${role.accountId}/PutRolePolicy/${role.roleName}/${REVOKE_POLICY_NAME}`),
    ...users.map((user) => `${user.accountId}/PutUserPolicy/${user.userName}/${REVOKE_POLICY_NAME}`),
    ...attackChanges.flatMap((change) => (change.eventName === 'CreateUser' || change.eventName === 'CreateRole' ? [`${change.accountId}/Put${change.eventName.slice('Create'.length)}Policy/${change.target}/${QUARANTINE_POLICY_NAME}`] : [])),
  ]);
  const removals = input.incident.credentialChanges.filter((change) => change.succeeded);
  const kept = new Map<string, AttackChange & { undo: Undo; evidence: string[] }>();
  for (const change of attackChanges) {
    const undo = Object.hasOwn(UNDO, change.eventName) ? UNDO[change.eventName]! : undefined;
    if (!undo || (undo.needsResource && !change.resource) || (undo.appliesTo && !undo.appliesTo(change))) continue;
    // AWS's managed quarantine of an exposed key protects: it is never taken away, whoever attached it.
    if (/^Attach/.test(change.eventName) && AWS_QUARANTINE_POLICY.test(change.resource ?? '')) continue;
    if (ours.has(`${change.accountId}/${change.eventName}/${change.target}/${change.resource}`)) continue;
    // contain-foreign-role deals with the role the attack put into the re-created profile.
    if (eventKind(change.eventName)?.target === 'role' && contained.has(`${change.accountId}/${change.target}`)) continue;
    const undone = removals.some(
      (removal) =>
        undo.undoneBy.includes(removal.eventName) &&
        removal.target === change.target &&
        (!undo.needsResource || removal.resource === change.resource) &&
        (removal.eventTime > change.eventTime || (removal.eventTime === change.eventTime && removal.eventId > change.eventId)),
    );
    if (undone) continue;
    const key = `${change.accountId}/${change.eventName}/${change.target}/${change.resource}`;
    const known = kept.get(key);
    if (known) known.evidence.push(change.eventId);
    else kept.set(key, { ...change, undo, evidence: [change.eventId] });
  }
  return [...kept.values()];
}

const checkOf = (resource: DependentResource): DependentCheck | undefined => (Object.hasOwn(DEPENDENT_CHECKS, resource.resourceType) ? DEPENDENT_CHECKS[resource.resourceType as DependentKind] : undefined);

export const TEMPLATES: readonly Template[] = [
  {
    id: 'restore-logging',
    draft: ({ input, compromise }) => {
      const tampering = input.trailTampering;
      if (!compromise || tampering.length === 0) return null;
      const deleted = tampering.filter((event) => event.eventName === 'DeleteTrail' && event.trailName);
      // A trail stopped and then deleted is started once it exists again, not before.
      const gone = new Set(deleted.map((event) => trailNameOf(event.trailName)));
      const stopped = tampering.filter((event) => event.eventName === 'StopLogging' && event.trailName && !gone.has(trailNameOf(event.trailName)));
      const changed = tampering.filter((event) => event.eventName !== 'StopLogging' && event.eventName !== 'DeleteTrail');
      return {
        title: `Turn CloudTrail back on before anything else: ${[...new Set(tampering.map((event) => event.trailName ?? 'a trail'))].join(', ')}`,
        why:
          'The chain blinded CloudTrail before the deletion; every step after this one should be recorded.' +
          (stopped.length > 0 ? ' Stopped trails are started again.' : '') +
          (deleted.length > 0
            ? ' A deleted trail is created again under its name, in the region it was deleted from, recording every region with log file validation, and started; the log names neither its bucket nor its other settings (organization trail, KMS key, data events), so give it the bucket of your baseline and put those back.'
            : '') +
          (changed.length > 0
            ? ` ${[...new Set(changed.map((event) => event.eventName))].join(', ')} changed what is recorded: the earlier settings are not in the log, so read the current ones, compare them with your baseline and put them back.`
            : ''),
        evidence: tampering.map((event) => event.eventId),
        console: tampering.map((event) => {
          const where = `CloudTrail console (${event.region ?? 'its region'}) → Trails`;
          if (event.eventName === 'StopLogging') return `${where} → ${event.trailName ?? '?'} → Start logging`;
          if (event.eventName === 'DeleteTrail') return `${where} → Create trail → name ${trailNameOf(event.trailName)}, all regions, log file validation on, the S3 bucket of your baseline`;
          return `${where} → ${event.trailName ?? '?'} → check management and data events, Insights, and the S3 bucket against your baseline`;
        }),
        actions: [
          ...byAccount([...deleted, ...stopped], 'containment', (event): Step[] => {
            const region = event.region ?? undefined;
            const name = trailNameOf(event.trailName);
            if (event.eventName !== 'DeleteTrail') return [{ kind: 'call', service: 'cloudtrail', operation: 'StartLogging', region, params: { Name: event.trailName! } }];
            // The bucket is the operator's to fill in; until the trail exists there is nothing to start.
            const start: Step = { kind: 'call', service: 'cloudtrail', operation: 'StartLogging', region, params: { Name: name }, afterFillIn: true };
            const create: Step = {
              kind: 'call',
              service: 'cloudtrail',
              operation: 'CreateTrail',
              region,
              params: { Name: name, S3BucketName: { placeholder: 's3-bucket-name' }, IsMultiRegionTrail: true, IncludeGlobalServiceEvents: true, EnableLogFileValidation: true },
              // A second run finds it made by the first.
              tolerate: ['TrailAlreadyExistsException'],
            };
            return [create, start];
          }),
          ...byAccount(changed, 'investigation', (event): Step[] => {
            const read = TRAIL_SETTINGS_READS[event.eventName];
            return event.trailName && read ? [{ kind: 'call', service: 'cloudtrail', operation: read.operation, region: event.region ?? undefined, params: { [read.parameter]: event.trailName } }] : [];
          }),
        ],
      };
    },
  },
  {
    id: 'deactivate-access-key',
    draft: ({ keys }) =>
      keys.length === 0
        ? null
        : {
            title: `Deactivate ${plural(keys.length, 'access key')} now, delete later`,
            why:
              `${keys.map((key) => `${key.accessKeyId} (${key.userName}): ${key.why}`).join('; ')}. Deactivation is reversible and stops the key at once; delete it once nothing legitimate breaks (the delete is written as a later step).` +
              (keys.some((key) => key.root)
                ? " The root user's keys belong to no IAM user: IAM's user calls cannot reach them, so the root user signs in and deactivates them itself; then it changes its password and checks its MFA device, since whoever had the key may have had those too."
                : ''),
            evidence: unique(keys.flatMap((key) => key.evidence)),
            console: keys.map((key) =>
              key.root
                ? `Sign in as the root user of account ${key.accountId ?? 'unknown'} → Security credentials → Access keys → ${key.accessKeyId} → Actions → Deactivate; later: Delete. Then change the root password and check its MFA`
                : `IAM console → Users → ${key.userName} → Security credentials → Access keys → ${key.accessKeyId} → Actions → Deactivate (account ${key.accountId ?? 'unknown'}); later: Actions → Delete`,
            ),
            actions: byAccount(keys, 'containment', (key): Step[] =>
              key.root
                ? [{ kind: 'manual', text: `root user key ${key.accessKeyId}: sign in as the root user of account ${key.accountId ?? 'unknown'} and deactivate it under Security credentials (no IAM user call can), then change the root password and check its MFA` }]
                : [
                    { kind: 'call', service: 'iam', operation: 'UpdateAccessKey', params: { UserName: key.userName, AccessKeyId: key.accessKeyId, Status: 'Inactive' } },
                    { kind: 'call', service: 'iam', operation: 'DeleteAccessKey', params: { UserName: key.userName, AccessKeyId: key.accessKeyId }, later: 'once nothing legitimate breaks' },
                  ],
            ),
          },
  },
  {
    id: 'undo-attack-changes',
    draft: (facts) => {
      const changes = changesToUndo(facts);
      if (changes.length === 0) return null;
      const names = unique(changes.map((change) => change.eventName));
      return {
        title: `Undo what the attack left in IAM: ${plural(changes.length, 'change')} (${names.join(', ')})`,
        why: [
          'The attack made these changes itself (with a session of the chain, or from one of its addresses), and they outlive its keys and sessions.',
          ...unique(changes.map((change) => change.undo.why)),
          'Each step can be reversed until the deletes, which are written for later.',
        ].join(' '),
        evidence: unique(changes.flatMap((change) => change.evidence)),
        console: changes.map((change) => change.undo.console(change)),
        actions: byAccount(changes, 'containment', (change) => change.undo.steps(change)),
      };
    },
  },
  {
    id: 'revoke-role-sessions',
    draft: ({ roles, identityCenterRoles, users, compromisedInstances }) => {
      if (roles.length === 0 && identityCenterRoles.length === 0 && users.length === 0) return null;
      const instances = compromisedInstances.map((instance) => instance.instanceId);
      const sso = identityCenterRoles.map((role) => `${role.roleName} (${role.accountId ?? 'unknown account'})`).join(', ');
      return {
        title: `Revoke active sessions of ${[roles.length + identityCenterRoles.length > 0 ? plural(roles.length + identityCenterRoles.length, 'role') : '', users.length > 0 ? plural(users.length, 'user') : ''].filter(Boolean).join(' and ')} in the chain`,
        why:
          'Temporary keys stay valid until they expire, even after the keys that made them are gone, and a new password does not end a console session. An inline deny on aws:TokenIssueTime before now (the documented AWSRevokeOlderSessions policy) kills every session issued so far, on roles and on IAM users (console and GetSessionToken sessions, and the federated sessions a user made with GetFederationToken); new sessions still work.' +
          (users.length > 0 ? ` Users: ${users.map((user) => `${user.userName} (${user.why})`).join('; ')}.` : '') +
          (instances.length > 0
            ? ` ${instances.join(', ')}: revoking an instance role's sessions also stops the instance's own workload until EC2 refreshes its credentials, and the instance can still fetch new ones, so it is contained too: IMDSv2 is required on it (a stolen IMDSv1 path, such as a forwarded request, stops working; software that only speaks IMDSv1 stops too), and you isolate or snapshot it for forensics.`
            : '') +
          (sso
            ? ` ${sso} belong${identityCenterRoles.length === 1 ? 's' : ''} to IAM Identity Center, which refuses changes to its roles: end the user's sessions in the Identity Center console and add the same deny to the permission set's inline policy there, keeping what that policy already says.`
            : ''),
        evidence: unique([...[...roles, ...identityCenterRoles].map((role) => role.evidence), ...users.flatMap((user) => user.evidence)]),
        console: [
          ...roles.map((role) => `IAM console → Roles → ${role.roleName} → Revoke sessions → Revoke active sessions (account ${role.accountId ?? 'unknown'})`),
          ...users.map((user) => `IAM console → Users → ${user.userName} → Permissions → Add permissions → Create inline policy: the TokenIssueTime deny below, named AWSRevokeOlderSessions (account ${user.accountId ?? 'unknown'})`),
          ...identityCenterRoles.map((role) => `IAM Identity Center console → Users → ${role.sessionUser ?? 'the user'} → Active sessions → Delete sessions; Permission sets → the set of ${role.roleName} → Inline policy → add the TokenIssueTime deny (account ${role.accountId ?? 'unknown'})`),
        ],
        actions: [
          ...byAccount(roles, 'containment', (role): Step[] => [
            { kind: 'now', variable: 'REVOKE_BEFORE' },
            { kind: 'call', service: 'iam', operation: 'PutRolePolicy', params: { RoleName: role.roleName, PolicyName: REVOKE_POLICY_NAME, PolicyDocument: { json: REVOKE_POLICY } } },
          ]),
          ...byAccount(users, 'containment', (user): Step[] => [
            { kind: 'now', variable: 'REVOKE_BEFORE' },
            { kind: 'call', service: 'iam', operation: 'PutUserPolicy', params: { UserName: user.userName, PolicyName: REVOKE_POLICY_NAME, PolicyDocument: { json: REVOKE_POLICY } } },
          ]),
          ...byAccount(compromisedInstances, 'containment', (instance): Step[] =>
            instance.region
              ? [
                  {
                    kind: 'call',
                    service: 'ec2',
                    operation: 'ModifyInstanceMetadataOptions',
                    region: instance.region,
                    // HttpEndpoint left out keeps it as it is: 'enabled' would re-open one a responder closed.
                    params: { InstanceId: instance.instanceId, HttpTokens: 'required' },
                    tolerate: ['InvalidInstanceID.NotFound'],
                  },
                  { kind: 'manual', text: `isolate EC2 instance ${instance.instanceId} (${instance.region}), whose role credentials were used, or snapshot it for forensics` },
                ]
              : [{ kind: 'manual', text: `contain EC2 instance ${instance.instanceId}, whose role credentials were used: require IMDSv2 on it and isolate or snapshot it (its region is not in the log records used here)` }],
          ),
          ...byAccount(identityCenterRoles, 'containment', (role): Step[] => [
            { kind: 'manual', text: `${role.roleName} is an IAM Identity Center role: revoke ${role.sessionUser ? `${role.sessionUser}'s` : 'its'} sessions in the Identity Center console (IAM refuses policies on it)` },
          ]),
        ],
      };
    },
  },
  {
    id: 'contain-foreign-role',
    draft: ({ foreignRoles, input }) => {
      if (foreignRoles.length === 0) return null;
      const name = input.incident.instanceProfile.name;
      return {
        title: `Contain ${foreignRoles.map((role) => role.roleName).join(', ')}, put into the re-created ${name}`,
        why: `The profile was re-created after the deletion with ${foreignRoles.map((role) => role.roleName).join(', ')}, a role it did not hold: every instance given the profile runs with its permissions. Its sessions are revoked, the policies attached to it during the incident detached, and it is taken out of the profile before anything is repaired; deleting the role is a later step.`,
        evidence: unique(foreignRoles.flatMap((role) => role.evidence)),
        console: foreignRoles.map((role) => `IAM console → Roles → ${role.roleName} → Revoke sessions; Permissions → remove ${role.attachedPolicies.join(', ') || 'the policies attached during the incident'} (account ${role.accountId ?? 'unknown'}); the instance profile's role can only be removed with the CLI`),
        actions: byAccount(foreignRoles, 'containment', (role): Step[] => [
          { kind: 'now', variable: 'REVOKE_BEFORE' },
          { kind: 'call', service: 'iam', operation: 'PutRolePolicy', params: { RoleName: role.roleName, PolicyName: REVOKE_POLICY_NAME, PolicyDocument: { json: REVOKE_POLICY } } },
          ...role.attachedPolicies.map((policyArn): Step => ({ kind: 'call', service: 'iam', operation: 'DetachRolePolicy', params: { RoleName: role.roleName, PolicyArn: policyArn }, tolerate: ['NoSuchEntity'] })),
          { kind: 'call', service: 'iam', operation: 'RemoveRoleFromInstanceProfile', params: { InstanceProfileName: name, RoleName: role.roleName }, tolerate: ['NoSuchEntity'] },
          { kind: 'call', service: 'iam', operation: 'DeleteRole', params: { RoleName: role.roleName }, later: 'once its other policies are gone and nothing uses it' },
        ]),
      };
    },
  },
  {
    id: 'reset-password',
    draft: ({ passwords }) => {
      if (passwords.length === 0) return null;
      const people = passwords.filter((password) => password.signsIn);
      const bots = passwords.filter((password) => !password.signsIn);
      return {
        title: `Replace the console passwords the attack set or exposed: ${passwords.map((password) => password.userName).join(', ')}`,
        why:
          'Someone else set these passwords, removed the MFA in front of them, or signed in with them to the console session that reached the deletion, so whoever did it can sign in. Forcing a change alone keeps their password (the next to sign in, the attacker, chooses the new one).' +
          (people.length > 0 ? ` ${people.map((password) => password.userName).join(', ')} sign${people.length === 1 ? 's' : ''} in: a new random password is set, with a change required at next sign-in, and shown once to you to hand over out of band.` : '') +
          (bots.length > 0
            ? ` ${bots.map((password) => password.userName).join(', ')} never signed in to the console in these logs (keys only, as far as they show): the console password is removed; if a person uses it, set a new random one instead.`
            : ''),
        evidence: unique(passwords.flatMap((password) => password.evidence)),
        console: passwords.map((password) =>
          password.signsIn
            ? `IAM console → Users → ${password.userName} → Security credentials → Console sign-in → Manage console access → Set a custom password (random), tick "User must create a new password at next sign-in"`
            : `IAM console → Users → ${password.userName} → Security credentials → Console sign-in → Manage console access → Disable console access`,
        ),
        actions: byAccount(passwords, 'containment', (password): Step[] =>
          password.signsIn
            ? [{ kind: 'new-password', userName: password.userName, ...(password.mayHaveNone ? { mayHaveNone: true } : {}) }]
            : [{ kind: 'call', service: 'iam', operation: 'DeleteLoginProfile', params: { UserName: password.userName }, tolerate: ['NoSuchEntity'] }],
        ),
      };
    },
  },
  {
    id: 'restore-instance-profile',
    draft: ({ input, repairs }) => {
      const profile = input.incident.instanceProfile;
      if (!repairs || profile.recreated) return null;
      const account = { accountId: input.incident.accountId };
      const roles = profile.roles.length > 0 ? profile.roles : null;
      const name = profile.name;
      const dependents = input.incident.dependentResources.filter((resource) => resource.status === 'alive-at-deletion' && checkOf(resource));
      return {
        title: `Re-create instance profile ${name}${profile.path ? ` at path ${profile.path}` : ''} with its role${(roles?.length ?? 1) > 1 ? 's' : ''}`,
        why:
          `The profile was deleted${roles ? '' : '; no role was found in the archive, so fill in the role it held'}.` +
          (profile.path ? '' : ' Its path is unknown (no event carried its ARN), so it is re-created at the default path /.') +
          ' A re-created profile gets a new unique ID: running instances do not pick it up by name, so wait for it to exist, then re-associate them.' +
          (dependents.length > 0
            ? ` ${plural(dependents.length, 'resource')} of other services still name${dependents.length === 1 ? 's' : ''} it (${dependents.map((resource) => `${DEPENDENT_KINDS[resource.resourceType as DependentKind]?.resource ?? resource.service} ${resource.resourceId}`).join(', ')}): once it exists, check each one below.`
            : ''),
        evidence: [input.deletionEventId, ...unique(dependents.map((resource) => resource.eventId))],
        console: [
          'The IAM console cannot create an instance profile on its own (it only makes one with a new role of the same name): run the commands below, in AWS CloudShell if you like.',
          ...dependents.map((resource) => checkOf(resource)!.console(resource)),
        ],
        actions: byAccount([account], 'recovery', (): Step[] => [
          { kind: 'call', service: 'iam', operation: 'CreateInstanceProfile', params: { InstanceProfileName: name, ...(profile.path ? { Path: profile.path } : {}) } },
          ...(roles ?? ['']).map((role): Step => ({
            kind: 'call',
            service: 'iam',
            operation: 'AddRoleToInstanceProfile',
            params: { InstanceProfileName: name, RoleName: role ? role : { placeholder: 'role-name' } },
          })),
          { kind: 'wait', service: 'iam', waiter: 'InstanceProfileExists', params: { InstanceProfileName: name } },
          ...dependents.map((resource) => checkOf(resource)!.step(resource)),
        ]),
      };
    },
  },
  {
    id: 'restore-recreated-profile',
    draft: ({ input, recreatedProfile }) => {
      if (!recreatedProfile || recreatedProfile.missingRoles.length === 0) return null;
      const name = input.incident.instanceProfile.name;
      const { foreignRoles, missingRoles } = recreatedProfile;
      return {
        title: `Put ${missingRoles.join(', ')} back into the re-created ${name}`,
        why: `${name} was re-created after the deletion without the role${missingRoles.length === 1 ? '' : 's'} it held${foreignRoles.length > 0 ? ` (and with ${foreignRoles.join(', ')}, taken out during containment)` : ''}. Its roles are put back before any instance is re-associated.`,
        evidence: recreatedProfile.evidence,
        console: [
          `IAM console cannot edit an instance profile's roles: run the commands below (AWS CloudShell works)`,
        ],
        actions: byAccount([{ accountId: input.incident.accountId }], 'recovery', (): Step[] => [
          ...missingRoles.map((role): Step => ({ kind: 'call', service: 'iam', operation: 'AddRoleToInstanceProfile', params: { InstanceProfileName: name, RoleName: role } })),
        ]),
      };
    },
  },
  {
    id: 'reassociate-instances',
    draft: ({ input, repairs, compromisedInstances, attackRebindings }) => {
      const alive = input.incident.affectedInstances.filter((instance) => instance.status !== 'terminated-before-deletion');
      const rebound = new Map(attackRebindings.map((rebinding) => [rebinding.instanceId, rebinding]));
      if (!repairs || alive.length === 0) return null;
      // With the profile back, EC2 hands fresh credentials to whoever took the last ones off it.
      const compromised = new Set(compromisedInstances.map((instance) => instance.instanceId));
      const held = alive.filter((instance) => !compromised.has(instance.instanceId));
      const heldBack = alive.filter((instance) => compromised.has(instance.instanceId));
      const name = input.incident.instanceProfile.name;
      return {
        title:
          held.length === 0
            ? `Leave ${heldBack.map((instance) => instance.instanceId).join(', ')} without the profile until ${heldBack.length === 1 ? 'it is' : 'they are'} clean`
            : `Re-associate the profile with ${plural(held.length, 'instance')} that held it${heldBack.length > 0 ? `, not with ${heldBack.map((instance) => instance.instanceId).join(', ')} until ${heldBack.length === 1 ? 'it is' : 'they are'} clean` : ''}`,
        why:
          'These instances lost their role credentials when the profile was deleted (a stopped one fails when started). Their association can remain, pointing at the deleted profile, and an instance holds only one: each is described first, then its association replaced, or one associated where none remains, then shown again to verify. Terminated instances are left out.' +
          (heldBack.length > 0
            ? ` ${heldBack.map((instance) => instance.instanceId).join(', ')}: the attack used ${heldBack.length === 1 ? 'its' : 'their'} role credentials, and given the profile again EC2 would hand out fresh ones the same way: re-associate only once contained (IMDSv2 required, the way in closed) or rebuilt.`
            : '') +
          (held.some((instance) => rebound.has(instance.instanceId))
            ? ` After the deletion the attack gave ${held.flatMap((instance) => (rebound.has(instance.instanceId) ? [`${instance.instanceId} ${rebound.get(instance.instanceId)!.profileName}`] : [])).join(', ')}: that association is replaced with the restored profile too.`
            : '') +
          (heldBack.some((instance) => rebound.has(instance.instanceId))
            ? ` The attack also gave ${heldBack.flatMap((instance) => (rebound.has(instance.instanceId) ? [`${instance.instanceId} ${rebound.get(instance.instanceId)!.profileName}`] : [])).join(', ')}: take that association away by hand while it is held back.`
            : ''),
        evidence: unique([
          ...alive.map((instance) => instance.launchEventId),
          ...compromisedInstances.filter((instance) => heldBack.some((back) => back.instanceId === instance.instanceId)).flatMap((instance) => instance.evidence),
          ...[...rebound.values()].map((rebinding) => rebinding.eventId),
        ]),
        console: [
          ...held.map((instance) => `EC2 console (${instance.region ?? 'its region'}) → Instances → ${instance.instanceId} → Actions → Security → Modify IAM role → ${name} → Update IAM role`),
          ...heldBack.map((instance) => `EC2 console (${instance.region ?? 'its region'}) → Instances → ${instance.instanceId}: leave without a role until it is contained or rebuilt`),
        ],
        actions: byAccount(
          alive.map((instance) => ({ ...instance, accountId: instance.accountId ?? input.incident.accountId })),
          'recovery',
          (instance): Step[] =>
            compromised.has(instance.instanceId)
              ? [
                  {
                    kind: 'manual',
                    text:
                      `${instance.instanceId} is left without the profile: its role credentials were used by the attack; re-associate it (${name}) only once it is contained or rebuilt` +
                      (rebound.has(instance.instanceId)
                        ? `; it holds ${rebound.get(instance.instanceId)!.profileName}, which the attack gave it: disassociate that (describe-iam-instance-profile-associations, then disassociate-iam-instance-profile)`
                        : ''),
                  },
                ]
              : [
                  {
                    kind: 'reassociate',
                    region: instance.region ?? input.incident.region ?? 'us-east-1',
                    instanceId: instance.instanceId,
                    profileName: name,
                    loggedAssociationId: instance.associationId,
                    ...(rebound.has(instance.instanceId) ? { attackProfileName: rebound.get(instance.instanceId)!.profileName } : {}),
                  },
                ],
        ),
      };
    },
  },
  {
    id: 'review-launch-templates',
    draft: ({ input }) => {
      const { launchTemplates, launchConfigurations, outcome } = input.incident;
      if (outcome !== 'deleted' || (launchTemplates.length === 0 && launchConfigurations.length === 0)) return null;
      const account = input.incident.accountId;
      return {
        title: 'Review launch templates and configurations that name the profile',
        why: 'Every future launch from them fails until the profile exists again (restore it) or they point at another one.',
        evidence: [...launchTemplates.map((template) => template.eventId), ...launchConfigurations.map((configuration) => configuration.eventId)],
        console: [
          ...launchTemplates.map((template) => `EC2 console (${template.region ?? 'its region'}) → Launch templates → ${template.name ?? template.launchTemplateId ?? '?'} → Versions → check "IAM instance profile"`),
          ...launchConfigurations.map((configuration) => `EC2 console (${configuration.region ?? 'its region'}) → Auto Scaling → Launch configurations → ${configuration.name ?? '?'} → IAM instance profile`),
        ],
        actions: [
          {
            phase: 'investigation',
            accountId: account,
            steps: [
              ...launchTemplates.map((template): Step => ({
                kind: 'call',
                service: 'ec2',
                operation: 'DescribeLaunchTemplateVersions',
                region: template.region ?? undefined,
                params: { LaunchTemplateId: template.launchTemplateId ?? { placeholder: 'launch-template-id' }, Versions: ['$Latest', '$Default'] },
              })),
              ...launchConfigurations.map((configuration): Step => ({
                kind: 'call',
                service: 'autoscaling',
                operation: 'DescribeLaunchConfigurations',
                region: configuration.region ?? undefined,
                params: { LaunchConfigurationNames: [configuration.name ?? '<launch-configuration-name>'] },
              })),
            ],
          },
        ],
      };
    },
  },
  {
    id: 'password-policy',
    draft: ({ passwordPolicyAccounts, compromise }) =>
      !compromise || passwordPolicyAccounts.length === 0
        ? null
        : {
            title: 'Enforce a strong account password policy, keeping the settings it does not change',
            why: 'Passwords were set or used during the incident. No tool can read an existing password to test it: enforce the policy so every new password meets it. UpdateAccountPasswordPolicy resets whatever it is not given, so the current policy is read first and every setting passed: at least 14 characters, all character classes, 24 remembered passwords, users may change their own password (a password reset that requires a change at next sign-in needs it), and no forced periodic expiry (NIST SP 800-63B).',
            evidence: unique(passwordPolicyAccounts.flatMap((account) => account.evidence)),
            console: passwordPolicyAccounts.map((account) => `IAM console → Account settings → Password policy → Edit (account ${account.accountId ?? 'unknown'}): custom, minimum length 14, require uppercase, lowercase, numbers and non-alphanumeric characters, allow users to change their own password, prevent reuse of 24, password expiration off`),
            actions: byAccount(passwordPolicyAccounts, 'hardening', (): Step[] => [{ kind: 'password-policy', minimumLength: 14, reusePrevention: 24 }]),
          },
  },
  {
    id: 'enforce-mfa',
    draft: ({ mfa }) =>
      mfa.length === 0
        ? null
        : {
            title: `Put MFA back on ${mfa.map((user) => user.userName).join(', ')}`,
            why: 'MFA was removed or not used for a console sign-in. It cannot be enabled without the device: re-enable the device the log names if the user still holds it, or create a virtual device (its seed is written to a file only you can read), then enable it with two consecutive codes. Then require MFA in the users’ policies (aws:MultiFactorAuthPresent).',
            evidence: unique(mfa.flatMap((user) => user.evidence)),
            console: mfa.map((user) => `IAM console → Users → ${user.userName} → Security credentials → Multi-factor authentication → Assign MFA device${user.serialNumber ? ` (or re-enable ${user.serialNumber})` : ''}`),
            actions: byAccount(mfa, 'hardening', (user): Step[] => [
              { kind: 'manual', text: `MFA for ${user.userName} needs two consecutive codes from the device: fill them in below` },
              ...(user.serialNumber
                ? [
                    {
                      kind: 'call',
                      service: 'iam',
                      operation: 'EnableMFADevice',
                      params: { UserName: user.userName, SerialNumber: user.serialNumber, AuthenticationCode1: { placeholder: 'code-1' }, AuthenticationCode2: { placeholder: 'code-2' } },
                    } satisfies Step,
                  ]
                : []),
              { kind: 'virtual-mfa', userName: user.userName, deviceName: `${user.userName}-mfa` },
              {
                kind: 'call',
                service: 'iam',
                operation: 'EnableMFADevice',
                params: {
                  UserName: user.userName,
                  SerialNumber: user.accountId ? `arn:aws:iam::${user.accountId}:mfa/${user.userName}-mfa` : { placeholder: 'mfa-serial-number' },
                  AuthenticationCode1: { placeholder: 'code-1' },
                  AuthenticationCode2: { placeholder: 'code-2' },
                },
              },
            ]),
          },
  },
  {
    id: 'guard-instance-profile-deletion',
    draft: ({ input }) => {
      const scp = {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyInstanceProfileDeletion',
            Effect: 'Deny',
            Action: ['iam:DeleteInstanceProfile', 'iam:RemoveRoleFromInstanceProfile'],
            Resource: '*',
            Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/<deployment-role>' } },
          },
        ],
      };
      const pattern = {
        source: ['aws.iam'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: { eventSource: ['iam.amazonaws.com'], eventName: ['DeleteInstanceProfile', 'RemoveRoleFromInstanceProfile'] },
      };
      const management: Step[] = [
        {
          kind: 'call',
          service: 'organizations',
          operation: 'CreatePolicy',
          params: { Type: 'SERVICE_CONTROL_POLICY', Name: 'DenyInstanceProfileDeletion', Description: 'Only the deployment role may delete instance profiles', Content: { json: scp } },
          capture: { variable: 'SCP_POLICY_ID', query: 'Policy.PolicySummary.Id' },
        },
        { kind: 'call', service: 'organizations', operation: 'AttachPolicy', params: { PolicyId: { variable: 'SCP_POLICY_ID' }, TargetId: { placeholder: 'root-ou-or-account-id' } } },
      ];
      const alerting: Step[] = [
        { kind: 'call', service: 'events', operation: 'PutRule', region: 'us-east-1', params: { Name: 'trailsift-instance-profile-deletion', EventPattern: { json: pattern } } },
        {
          kind: 'call',
          service: 'events',
          operation: 'PutTargets',
          region: 'us-east-1',
          params: { Rule: 'trailsift-instance-profile-deletion', Targets: { structs: [{ Id: 'alert', Arn: '<sns-topic-arn>' }] } },
        },
      ];
      return {
        title: 'Only the deployment role may delete instance profiles; alert on every deletion',
        why: 'A service control policy denying iam:DeleteInstanceProfile to everyone but the deployment role stops a repeat once it is attached (to the root, an OU or the account); an EventBridge rule with a target raises an alert, in us-east-1 because IAM events reach EventBridge only there. Replace <deployment-role> with your pipeline’s role and name the SNS topic (or other target) that alerts you.',
        evidence: [input.deletionEventId],
        console: [
          'AWS Organizations console (management account) → Policies → Service control policies → Create policy (the JSON below) → Targets → Attach to the root, OU or account',
          `Amazon EventBridge console (us-east-1, account ${input.incident.accountId ?? 'unknown'}) → Rules → Create rule with the event pattern below → Target: your SNS topic`,
        ],
        actions: [
          { phase: 'hardening', accountId: null, steps: management },
          { phase: 'hardening', accountId: input.incident.accountId, steps: alerting },
        ],
      };
    },
  },
  {
    id: 'investigate-principal',
    draft: ({ input }) => {
      const actor = input.incident.actor;
      const principals = new Map<string, string>();
      if (actor.keyProvenance?.createdBy) principals.set(actor.keyProvenance.createdBy, actor.keyProvenance.eventId);
      if (actor.origin.arn) principals.set(actor.origin.arn, actor.chain.at(-1)?.via ?? input.deletionEventId);
      if (principals.size === 0) return null;
      // `timeline --actor` matches identity and role ARNs: an instance is selected by its ID,
      // a SAML or web identity by the key its sign-in issued.
      const issuedByOrigin = actor.chain.length > 1 ? actor.chain[actor.chain.length - 2]!.accessKeyId : actor.accessKeyId;
      // EC2 delivering an instance's credentials has the service as its "ARN": the instance is who to look at.
      const instanceOf = (arn: string): string | null =>
        arn === actor.origin.arn && actor.origin.instanceId ? actor.origin.instanceId : arn === actor.keyProvenance?.createdBy ? (actor.keyProvenance.creatorOrigin?.instanceId ?? null) : null;
      const principalLabel = (arn: string): string => (instanceOf(arn) ? `EC2 instance ${instanceOf(arn)}` : arn);
      const selector = (arn: string): string => {
        const instanceId = instanceOf(arn);
        if (instanceId) return `--instance ${shellQuote(instanceId)}`;
        if (arn === actor.origin.arn && (actor.origin.type === 'SAMLUser' || actor.origin.type === 'WebIdentityUser') && issuedByOrigin) return `--key ${shellQuote(issuedByOrigin)}`;
        return `--actor ${shellQuote(arn)}`;
      };
      return {
        title: `Investigate ${[...principals.keys()].map(principalLabel).join(' and ')}`,
        why: 'The origin of the chain and whoever created its key are where the compromise began. These steps only read; the scripts do not run them.',
        evidence: unique([...principals.values()]),
        console: [...principals.keys()].map((arn) =>
          instanceOf(arn)
            ? `CloudTrail console → Event history → User name ${instanceOf(arn)} (the instance's role sessions are named after it); EC2 console → Instances → ${instanceOf(arn)}`
            : `CloudTrail console → Event history → User name ${userNameFromArn(arn) ?? arn}; IAM console → the identity → Access Advisor and Security credentials`,
        ),
        actions: [...principals.keys()].map((arn): Action => {
          const user = userNameFromArn(arn);
          return {
            phase: 'investigation',
            accountId: accountOfArn(arn),
            steps: [
              { kind: 'read', command: `npx trailsift timeline --db <case.db> ${selector(arn)}` },
              ...(user
                ? (['ListAccessKeys', 'ListMFADevices', 'ListAttachedUserPolicies', 'ListUserPolicies', 'ListGroupsForUser'] as const).map(
                    (operation): Step => ({ kind: 'call', service: 'iam', operation, params: { UserName: user } }),
                  )
                : []),
            ],
          };
        }),
      };
    },
  },
];
