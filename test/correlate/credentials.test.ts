/** Credential changes before a deletion: the target each event family names, attempts, and the routine key creator. */
import { describe, expect, it } from 'vitest';
import type { CredentialChange, Incident } from '../../src/correlate/incident.js';
import { investigateDeletion } from '../../src/correlate/investigate.js';
import { buildTimeline } from '../../src/correlate/timeline.js';
import { categoryOf, summarize } from '../../src/correlate/event-words.js';
import { normalizeRecord } from '../../src/parse/normalize.js';
import type { EventRow } from '../../src/parse/event-row.js';
import { eventId, record, type RecordShape } from '../support/cloudtrail.js';
import { consoleLogin } from '../support/identities.js';
import { MemoryEvidence } from './memory-evidence.js';

const ACCOUNT = '111111111111';
const DELETED_AT = '2026-03-06T12:00:00Z';
const USUAL_IP = '203.0.113.9';
const NEW_IP = '192.0.2.66';
const ATTACK_IP = '198.51.100.50';

const user = (name: string, key: string) => ({
  type: 'IAMUser',
  principalId: `AIDA${name.toUpperCase()}`,
  arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
  accountId: ACCOUNT,
  accessKeyId: key,
  userName: name,
});
const yann = user('yann', 'AKIAYANN');

const iamCall = (n: number, time: string, eventName: string, caller: RecordShape, requestParameters: RecordShape | null, fields: RecordShape = {}): RecordShape =>
  record({ eventID: eventId(n), eventTime: time, eventSource: 'iam.amazonaws.com', eventName, userIdentity: caller, requestParameters, recipientAccountId: ACCOUNT, readOnly: false, sourceIPAddress: ATTACK_IP, ...fields });

const deletion = (n: number, caller: RecordShape = yann, fields: RecordShape = {}): RecordShape =>
  iamCall(n, DELETED_AT, 'DeleteInstanceProfile', caller, { instanceProfileName: 'web-app-profile' }, fields);

async function investigateAt(records: RecordShape[], deletionN: number): Promise<Incident> {
  const evidence = new MemoryEvidence(records);
  return await investigateDeletion((await evidence.eventById(eventId(deletionN)))!, evidence);
}

function changeOf(incident: Incident, n: number): CredentialChange {
  const change = incident.credentialChanges.find((candidate) => candidate.eventId === eventId(n));
  if (!change) throw new Error(`no credential change ${eventId(n)} among ${incident.credentialChanges.map((c) => c.eventName).join(', ')}`);
  return change;
}

/** One change by yann an hour before the deletion, investigated. */
async function singleChange(eventName: string, requestParameters: RecordShape | null, fields: RecordShape = {}): Promise<CredentialChange> {
  return changeOf((await investigateAt([iamCall(1, '2026-03-06T11:00:00Z', eventName, yann, requestParameters, fields), deletion(2)], 2)), 1);
}

describe('credential change targets by family', () => {
  it('when user Y puts an inline policy on role X then the target is X, never the caller', async () => {
    const change = await singleChange('PutRolePolicy', { roleName: 'app-role', policyName: 'escalate', policyDocument: '{}' });
    // The policy's name is its resource: deleting it again needs it.
    expect(change).toMatchObject({ eventName: 'PutRolePolicy', target: 'app-role', actorArn: yann.arn, resource: 'escalate' });
    expect(change.reason).toContain('app-role');
    expect(change.reason).not.toContain('yann');
  });

  it('when user Y attaches a policy to role X then the target is X, never the caller', async () => {
    const change = await singleChange('AttachRolePolicy', { roleName: 'app-role', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
    expect(change.target).toBe('app-role');
    expect(change.reason).toContain('arn:aws:iam::aws:policy/AdministratorAccess');
  });

  it('when a policy is attached to a user then the target is that user', async () => {
    expect((await singleChange('AttachUserPolicy', { userName: 'carol', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' })).target).toBe('carol');
  });

  it('when a user is added to a group then the target is the user and the reason names the group', async () => {
    const change = await singleChange('AddUserToGroup', { groupName: 'admins', userName: 'carol' });
    expect(change).toMatchObject({ target: 'carol', resource: 'admins' });
    expect(change.reason).toContain('admins');
  });

  it('when an inline policy is put on a group then the target is the group', async () => {
    // The group is the target, not the resource beside it.
    expect(await singleChange('PutGroupPolicy', { groupName: 'admins', policyName: 'all', policyDocument: '{}' })).toMatchObject({ target: 'admins', resource: 'all' });
    expect(await singleChange('AttachGroupPolicy', { groupName: 'admins', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' })).toMatchObject({
      target: 'admins',
      resource: 'arn:aws:iam::aws:policy/AdministratorAccess',
    });
  });

  it('when a managed policy gets a new version then the target is the policy ARN', async () => {
    const policyArn = `arn:aws:iam::${ACCOUNT}:policy/app-policy`;
    expect((await singleChange('CreatePolicyVersion', { policyArn, policyDocument: '{}', setAsDefault: true })).target).toBe(policyArn);
  });

  it('when an MFA device is deactivated then the target is the user it names', async () => {
    const change = await singleChange('DeactivateMFADevice', { userName: 'carol', serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/carol` });
    expect(change).toMatchObject({ target: 'carol', severity: 'high' });
  });

  it('when a virtual MFA device is deleted by serial only then the target is the user its EnableMFADevice named', async () => {
    const serialNumber = `arn:aws:iam::${ACCOUNT}:mfa/carol-phone`;
    const incident = await investigateAt(
      [
        iamCall(1, '2026-01-10T00:00:00Z', 'EnableMFADevice', user('admin', 'AKIAADMIN'), { userName: 'carol', serialNumber }, { sourceIPAddress: USUAL_IP }),
        iamCall(2, '2026-03-06T11:00:00Z', 'DeleteVirtualMFADevice', yann, { serialNumber }),
        deletion(3),
      ],
      3,
    );
    expect(changeOf(incident, 2).target).toBe('carol');
  });

  it('when the account password policy is changed then the target is the account', async () => {
    expect((await singleChange('UpdateAccountPasswordPolicy', { minimumPasswordLength: 6, requireSymbols: false })).target).toBe(ACCOUNT);
  });
});

describe('failed calls are attempts', () => {
  it('when CreateAccessKey failed then the reason says attempted and failed and never created', async () => {
    const incident = await investigateAt(
      [iamCall(1, '2026-03-06T11:00:00Z', 'CreateAccessKey', yann, { userName: 'carol' }, { errorCode: 'AccessDenied', errorMessage: 'User is not authorized to perform: iam:CreateAccessKey' }), deletion(2)],
      2,
    );
    const change = changeOf(incident, 1);
    expect(change.reason).toMatch(/attempted and failed/);
    expect(change.reason).not.toMatch(/created/i);
    expect(change.errorCode).toBe('AccessDenied');
    expect(change.severity).not.toBe('critical');
    const entry = incident.timeline.find((candidate) => candidate.eventId === eventId(1))!;
    expect(entry.summary).not.toMatch(/created/i);
  });

  it('when a denied CreateAccessKey names its target only in the error message then the target is that user, not the caller', async () => {
    // cloudtrail-facts.md: for many denied IAM calls requestParameters is null and the target is only in the message.
    const change = await singleChange('CreateAccessKey', null, {
      errorCode: 'AccessDenied',
      errorMessage: `User: ${yann.arn} is not authorized to perform: iam:CreateAccessKey on resource: user carol because no identity-based policy allows the iam:CreateAccessKey action`,
    });
    expect(change.reason).toMatch(/attempted and failed/);
    expect(change.target).not.toBe('yann');
    expect(change.target).toBe('carol');
  });

  it('when AssumeRole failed then the reason never says a session was started', async () => {
    const incident = await investigateAt(
      [
        record({
          eventID: eventId(1),
          eventTime: '2026-03-06T11:00:00Z',
          eventSource: 'sts.amazonaws.com',
          eventName: 'AssumeRole',
          userIdentity: yann,
          sourceIPAddress: ATTACK_IP,
          requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/Admin`, roleSessionName: 'x' },
          responseElements: null,
          errorCode: 'AccessDenied',
          errorMessage: 'User is not authorized to perform: sts:AssumeRole',
        }),
        deletion(2),
      ],
      2,
    );
    const change = changeOf(incident, 1);
    expect(change.reason).toMatch(/attempted and failed/);
    expect(change.reason).not.toMatch(/session was started/i);
    const entry = incident.timeline.find((candidate) => candidate.eventId === eventId(1))!;
    expect(entry.summary).not.toMatch(/assumed/i);
  });
});

describe('the creator of the origin key', () => {
  const admin = user('admin', 'AKIAADMIN');
  const bot = user('bot', 'AKIABOT');
  const createKeyForBot = (n: number, time: string, ip: string): RecordShape =>
    iamCall(n, time, 'CreateAccessKey', admin, { userName: 'bot' }, { sourceIPAddress: ip, responseElements: { accessKey: { accessKeyId: 'AKIABOT', userName: 'bot', status: 'Active' } } });
  /** admin works from its usual address, then creates bot's key, then changes carol's permissions inside the window; bot deletes. */
  const story = (keyCreatedAt: string, keyCreatedFrom: string): RecordShape[] => [
    record({ eventID: eventId(1), eventTime: '2026-02-01T09:00:00Z', eventSource: 'iam.amazonaws.com', eventName: 'ListUsers', userIdentity: admin, sourceIPAddress: USUAL_IP }),
    createKeyForBot(2, keyCreatedAt, keyCreatedFrom),
    iamCall(3, '2026-03-05T09:00:00Z', 'AttachUserPolicy', admin, { userName: 'carol', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, { sourceIPAddress: USUAL_IP }),
    deletion(4, bot),
  ];
  const commands = (incident: Incident) => incident.recommendations.flatMap((recommendation) => recommendation.commands).join('\n');

  it('when a routine creator made the key from its usual address before the window then its changes are info and its key is not deactivated', async () => {
    const incident = await investigateAt(story('2026-02-20T09:00:00Z', USUAL_IP), 4);
    expect(incident.actor.keyProvenance).toMatchObject({ createdBy: admin.arn, createdByAccessKeyId: 'AKIAADMIN' });
    expect(changeOf(incident, 3)).toMatchObject({ target: 'carol', severity: 'info' });
    expect(commands(incident)).not.toContain('AKIAADMIN');
    // Nothing shows a compromise (no signal, a routine creator): no key is deactivated at all.
    expect(incident.assessment.signals).toEqual([]);
    expect(incident.recommendations.find((recommendation) => recommendation.id === 'deactivate-access-key')).toBeUndefined();
  });

  it('when the creator made the key inside the window from a new address then its changes are high or critical and its key is deactivated', async () => {
    const incident = await investigateAt(story('2026-03-05T08:00:00Z', NEW_IP), 4);
    expect(['high', 'critical']).toContain(changeOf(incident, 3).severity);
    expect(changeOf(incident, 2)).toMatchObject({ target: 'bot', severity: 'critical' });
    const deactivate = incident.recommendations.find((recommendation) => recommendation.id === 'deactivate-access-key');
    expect(deactivate).toBeDefined();
    expect(deactivate!.commands.join('\n')).toContain('--user-name admin --access-key-id AKIAADMIN --status Inactive');
    expect(deactivate!.commands.join('\n')).toContain('--access-key-id AKIABOT');
  });
});

describe('summaries', () => {
  it.each(['DeleteAccessKey', 'UpdateAccessKey'])('when %s names the access key then its timeline summary names that key', async (eventName) => {
    const incident = await investigateAt(
      [iamCall(1, '2026-03-06T11:00:00Z', eventName, yann, { userName: 'carol', accessKeyId: 'AKIACAROLOLD', ...(eventName === 'UpdateAccessKey' ? { status: 'Inactive' } : {}) }), deletion(2)],
      2,
    );
    const summary = incident.timeline.find((entry) => entry.eventId === eventId(1))!.summary;
    expect(summary).toContain('access key AKIACAROLOLD of carol');
  });
});

describe('categories', () => {
  const rowOf = (fields: RecordShape): EventRow => {
    const result = normalizeRecord(record(fields));
    if (!result.ok) throw new Error(result.reason);
    return result.row;
  };

  it('when IAM ListUsers and GetUser and STS GetCallerIdentity are in a timeline then they are discovery', () => {
    const rows = [
      rowOf({ eventID: eventId(1), eventSource: 'iam.amazonaws.com', eventName: 'ListUsers' }),
      rowOf({ eventID: eventId(2), eventSource: 'iam.amazonaws.com', eventName: 'GetUser', requestParameters: { userName: 'carol' } }),
      rowOf({ eventID: eventId(3), eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity' }),
    ];
    expect(rows.map((row) => categoryOf(row))).toEqual(['discovery', 'discovery', 'discovery']);
    expect(buildTimeline(rows).map((entry) => [entry.eventName, entry.category])).toEqual([
      ['ListUsers', 'discovery'],
      ['GetUser', 'discovery'],
      ['GetCallerIdentity', 'discovery'],
    ]);
  });

  it('when CloudTrail StopLogging is in a timeline then it is logging', () => {
    const row = rowOf({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', requestParameters: { name: 'org-trail' } });
    expect(categoryOf(row)).toBe('logging');
    expect(buildTimeline([row])[0]!.category).toBe('logging');
  });

  it('when a call of a service the catalog does not know is in a timeline then it is other, and an unlisted EC2 or Auto Scaling call is still ec2', () => {
    const categories = [
      { eventSource: 's3.amazonaws.com', eventName: 'GetObject' },
      { eventSource: 'ssm.amazonaws.com', eventName: 'SendCommand' },
      { eventSource: 'secretsmanager.amazonaws.com', eventName: 'GetSecretValue' },
      { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstanceStatus' },
      { eventSource: 'autoscaling.amazonaws.com', eventName: 'UpdateAutoScalingGroup' },
    ].map((fields, i) => categoryOf(rowOf({ eventID: eventId(i + 1), ...fields })));
    expect(categories).toEqual(['other', 'other', 'other', 'ec2', 'ec2']);
  });

  it('when CreateAccessKey is in a timeline then it is credential', () => {
    const row = rowOf({ eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', requestParameters: { userName: 'carol' } });
    expect(categoryOf(row)).toBe('credential');
    expect(buildTimeline([row])[0]!.category).toBe('credential');
  });
});

describe('what a record names, and only that', () => {
  const denied = (resource: string) => ({
    errorCode: 'AccessDenied',
    errorMessage: `User: ${yann.arn} is not authorized to perform: iam:X on resource: ${resource} because no identity-based policy allows the action`,
  });

  it('when AddUserToGroup is denied with no parameters then the group comes from the message and the user added is unknown, never the caller', async () => {
    const change = await singleChange('AddUserToGroup', null, denied('group admins'));
    expect(change.target).toBeNull();
    expect(change.reason).toContain('tried to add ? to group admins');
    expect(change.reason).not.toContain('yann');
  });

  it('when a denied group or policy call logs no parameters then its target comes from the message, never "itself"', async () => {
    const group = await singleChange('AttachGroupPolicy', null, denied('group admins'));
    expect(group.target).toBe('admins');
    const policy = await singleChange('CreatePolicyVersion', null, denied('policy arn:aws:iam::111111111111:policy/ops/deploy'));
    expect(policy.target).toBe('arn:aws:iam::111111111111:policy/ops/deploy');
    for (const change of [group, policy]) expect(change.reason).not.toContain('itself');
  });

  it('when a virtual MFA device is deleted and nothing ties its serial to a user then its user is unknown, not the caller', async () => {
    const change = await singleChange('DeleteVirtualMFADevice', { serialNumber: 'arn:aws:iam::111111111111:mfa/bob-phone' });
    expect(change.target).toBeNull();
    expect(change.reason).not.toContain('yann');
  });

  it('when CreateAccessKey names no user then the key is the caller\'s own, as IAM reads it', async () => {
    const change = await singleChange('CreateAccessKey', null, { responseElements: { accessKey: { userName: 'yann', accessKeyId: 'AKIANEW' } } });
    expect(change.target).toBe('yann');
  });

  it.each([
    ['Transfer Family', 'transfer.amazonaws.com', { serverId: 's-1234567890abcdef0', userName: 'bob' }],
    ['Identity Center', 'sso-directory.amazonaws.com', { userName: 'bob' }],
    ['the identity store', 'identitystore.amazonaws.com', { userName: 'bob' }],
  ])('when %s creates a user then it is no IAM user and no credential change', async (_service, eventSource, requestParameters) => {
    const incident = await investigateAt([iamCall(1, '2026-03-06T11:00:00Z', 'CreateUser', yann, requestParameters, { eventSource }), deletion(2)], 2);
    expect(incident.credentialChanges.map((change) => change.eventId)).not.toContain(eventId(1));
    const iam = await investigateAt([iamCall(1, '2026-03-06T11:00:00Z', 'CreateUser', yann, { userName: 'bob' }), deletion(2)], 2);
    expect(changeOf(iam, 1)).toMatchObject({ eventName: 'CreateUser', target: 'bob' });
  });

  it('when a failed sign-in of the chain\'s user names them without an ARN (older records) then it is among the changes', async () => {
    // Older sign-in records: the user's name and account, no ARN.
    const withoutArn = (name: string) => ({ type: 'IAMUser', principalId: `AIDA${name.toUpperCase()}`, accountId: ACCOUNT, userName: name });
    const login = consoleLogin(1, '2026-03-06T10:00:00Z', withoutArn('yann'), USUAL_IP, 'No', 'Failure');
    const stranger = consoleLogin(3, '2026-03-06T10:00:00Z', withoutArn('zoe'), USUAL_IP, 'No', 'Failure');
    const incident = await investigateAt([login, stranger, deletion(2)], 2);
    expect(changeOf(incident, 1)).toMatchObject({ eventName: 'ConsoleLogin', target: 'yann' });
    expect(incident.credentialChanges.map((change) => change.eventId)).not.toContain(eventId(3));
  });
});

describe('summaries of what a record lacks', () => {
  const ec2Call = (eventName: string, requestParameters: RecordShape, fields: RecordShape = {}) =>
    normalizeRecord(record({ eventID: eventId(1), eventSource: 'ec2.amazonaws.com', eventName, userIdentity: yann, requestParameters, ...fields }));

  it('when an instance is launched or a template made without a profile then the summary names none, rather than "with profile ?"', () => {
    const launch = ec2Call('RunInstances', {}, { responseElements: { instancesSet: { items: [{ instanceId: 'i-0123456789abcdef0' }] } } });
    const template = ec2Call('CreateLaunchTemplate', { launchTemplateName: 'web' });
    for (const result of [launch, template]) {
      if (!result.ok) throw new Error(result.reason);
      expect(summarize(result.row)).not.toContain('profile');
    }
  });

  it('when the caller is an AWS account or a user without an ARN then the summary names the account or the user', () => {
    const cross = normalizeRecord(record({ eventID: eventId(1), eventName: 'ListBuckets', eventSource: 's3.amazonaws.com', userIdentity: { type: 'AWSAccount', accountId: '222222222222', principalId: 'AIDAX' } }));
    const old = normalizeRecord(record({ eventID: eventId(2), eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', userIdentity: { type: 'IAMUser', accountId: ACCOUNT, userName: 'anaya' } }));
    if (!cross.ok || !old.ok) throw new Error('not normalized');
    expect(summarize(cross.row)).toMatch(/^account 222222222222 /);
    expect(summarize(old.row)).toMatch(/^IAMUser anaya /);
    const portal = normalizeRecord(
      record({
        eventID: eventId(3),
        eventName: 'GetRoleCredentials',
        eventSource: 'sso.amazonaws.com',
        userIdentity: { type: 'IdentityCenterUser', accountId: '999999999999', onBehalfOf: { userId: '976710cc5d-9d976f61', identityStoreArn: 'arn:aws:identitystore::999999999999:identitystore/d-976710cc5d' } },
        serviceEventDetails: { role_name: 'AdministratorAccess', account_id: ACCOUNT },
      }),
    );
    if (!portal.ok) throw new Error(portal.reason);
    expect(summarize(portal.row)).toMatch(/^Identity Center user 976710cc5d-9d976f61 got Identity Center credentials for role AdministratorAccess in account 111111111111/);
  });

  it('when AssumeRole is denied with the role only in the message then the attempt names that role', () => {
    const result = normalizeRecord(
      record({
        eventID: eventId(1),
        eventName: 'AssumeRole',
        eventSource: 'sts.amazonaws.com',
        userIdentity: yann,
        requestParameters: null,
        errorCode: 'AccessDenied',
        errorMessage: `User: ${yann.arn} is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role/admin because no identity-based policy allows the action`,
      }),
    );
    if (!result.ok) throw new Error(result.reason);
    expect(summarize(result.row)).toContain('tried to assume role admin');
  });
});

describe('trust policy changes', () => {
  it('when a role is opened to another account then the change names who it now trusts', async () => {
    const policyDocument = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::193672423079:root' }, Action: 'sts:AssumeRole' }] });
    const change = await singleChange('UpdateAssumeRolePolicy', { roleName: 'app-role', policyDocument });
    expect(change).toMatchObject({ target: 'app-role', severity: 'high' });
    expect(change.reason).toBe('the trust policy of role app-role was changed: someone else may now assume it, trusting arn:aws:iam::193672423079:root');
  });
});
