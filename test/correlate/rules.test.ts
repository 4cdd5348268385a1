import { describe, expect, it } from 'vitest';
import { buildActor } from '../../src/correlate/actor.js';
import { investigateDeletion } from '../../src/correlate/investigate.js';
import { shellQuote } from '../../src/correlate/recommend.js';
import { eventId, record } from '../support/cloudtrail.js';
import { MemoryEvidence } from './memory-evidence.js';

const ACCOUNT = '111111111111';
const user = (name: string, key: string, account = ACCOUNT) => ({
  type: 'IAMUser',
  principalId: `AIDA${name.toUpperCase()}`,
  arn: `arn:aws:iam::${account}:user/${name}`,
  accountId: account,
  accessKeyId: key,
  userName: name,
});
const session = (role: string, name: string, key: string, account = ACCOUNT, mfa = 'false') => ({
  type: 'AssumedRole',
  principalId: `AROA${role.toUpperCase()}:${name}`,
  arn: `arn:aws:sts::${account}:assumed-role/${role}/${name}`,
  accountId: account,
  accessKeyId: key,
  sessionContext: {
    sessionIssuer: { type: 'Role', principalId: `AROA${role.toUpperCase()}`, arn: `arn:aws:iam::${account}:role/${role}`, accountId: account, userName: role },
    attributes: { creationDate: '2026-03-06T00:00:00Z', mfaAuthenticated: mfa },
  },
});
const assumeRole = (n: number, time: string, caller: object, roleArn: string, issuedKey: string, extra: object = {}) =>
  record({ eventID: eventId(n), eventTime: time, eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', userIdentity: caller, requestParameters: { roleArn, roleSessionName: 's' }, responseElements: { credentials: { accessKeyId: issuedKey } }, ...extra });
const deletion = (n: number, time: string, caller: object, name: string, extra: object = {}) =>
  record({ eventID: eventId(n), eventTime: time, eventSource: 'iam.amazonaws.com', eventName: 'DeleteInstanceProfile', userIdentity: caller, requestParameters: { instanceProfileName: name }, recipientAccountId: ACCOUNT, ...extra });

describe('actor chain', () => {
  it('when a cross-account AssumeRole is logged in both accounts then it is one hop, from the caller account copy', async () => {
    const shared = { requestID: 'req-x', sharedEventID: 'sh-1' };
    const evidence = new MemoryEvidence([
      assumeRole(1, '2026-03-06T01:00:00Z', user('bob', 'AKIABOB', '222222222222'), `arn:aws:iam::${ACCOUNT}:role/Admin`, 'ASIA1', { ...shared, recipientAccountId: '222222222222' }),
      assumeRole(2, '2026-03-06T01:00:00Z', { type: 'AWSAccount', principalId: 'AIDABOB', accountId: '222222222222' }, `arn:aws:iam::${ACCOUNT}:role/Admin`, 'ASIA1', { ...shared, recipientAccountId: ACCOUNT }),
      deletion(3, '2026-03-06T02:00:00Z', session('Admin', 'bob', 'ASIA1'), 'p'),
    ]);
    const actor = await buildActor((await evidence.eventById(eventId(3)))!, evidence);
    expect(actor.chain).toHaveLength(1);
    expect(actor.chain[0]).toMatchObject({ arn: 'arn:aws:iam::222222222222:user/bob', via: eventId(1), type: 'IAMUser' });
    expect(actor.origin.arn).toBe('arn:aws:iam::222222222222:user/bob');
  });

  it('when no issuing event is in the archive then the chain is empty and the origin is the actor', async () => {
    const evidence = new MemoryEvidence([deletion(1, '2026-03-06T02:00:00Z', session('Admin', 'x', 'ASIAUNKNOWN'), 'p')]);
    const actor = await buildActor((await evidence.eventById(eventId(1)))!, evidence);
    expect(actor.chain).toEqual([]);
    expect(actor.origin.arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/x`);
  });

  it('when a key ID was issued twice over the years then the issue before the use is followed', async () => {
    const evidence = new MemoryEvidence([
      assumeRole(1, '2024-01-01T00:00:00Z', user('old', 'AKIAOLD'), `arn:aws:iam::${ACCOUNT}:role/Admin`, 'ASIASAME'),
      assumeRole(2, '2026-03-06T01:00:00Z', user('new', 'AKIANEW'), `arn:aws:iam::${ACCOUNT}:role/Admin`, 'ASIASAME'),
      assumeRole(3, '2027-01-01T00:00:00Z', user('later', 'AKIALATER'), `arn:aws:iam::${ACCOUNT}:role/Admin`, 'ASIASAME'),
      deletion(4, '2026-03-06T02:00:00Z', session('Admin', 'x', 'ASIASAME'), 'p'),
    ]);
    expect((await buildActor((await evidence.eventById(eventId(4)))!, evidence)).origin.arn).toBe(`arn:aws:iam::${ACCOUNT}:user/new`);
  });

  it('when the origin key was created by someone else then key provenance names the creator', async () => {
    const evidence = new MemoryEvidence([
      record({ eventID: eventId(1), eventTime: '2026-03-05T00:00:00Z', eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', userIdentity: user('admin', 'AKIAADMIN'), sourceIPAddress: '203.0.113.9', requestParameters: { userName: 'bot' }, responseElements: { accessKey: { accessKeyId: 'AKIABOT', userName: 'bot', status: 'Active' } } }),
      deletion(2, '2026-03-06T00:00:00Z', user('bot', 'AKIABOT'), 'p'),
    ]);
    const actor = await buildActor((await evidence.eventById(eventId(2)))!, evidence);
    expect(actor.keyProvenance).toMatchObject({ accessKeyId: 'AKIABOT', createdBy: `arn:aws:iam::${ACCOUNT}:user/admin`, eventId: eventId(1), userName: 'bot', sourceIPAddress: '203.0.113.9' });
  });
});

describe('incident rules', () => {
  const launch = (n: number, time: string, profile: object, instanceId: string, region = 'us-west-2') =>
    record({ eventID: eventId(n), eventTime: time, eventName: 'RunInstances', awsRegion: region, recipientAccountId: ACCOUNT, requestParameters: { iamInstanceProfile: profile }, responseElements: { instancesSet: { items: [{ instanceId }] } } });

  it('when a similar-named profile has instances then they are not counted for the deleted one', async () => {
    const evidence = new MemoryEvidence([
      launch(1, '2026-03-01T00:00:00Z', { name: 'web-app-profile' }, 'i-0aaaaaaaaaaaaaaaa'),
      launch(2, '2026-03-01T00:00:00Z', { name: 'web-app-profile-staging' }, 'i-0bbbbbbbbbbbbbbbb'),
      launch(3, '2026-03-01T00:00:00Z', { arn: `arn:aws:iam::${ACCOUNT}:instance-profile/app/web-app-profile-staging` }, 'i-0cccccccccccccccc'),
      deletion(4, '2026-03-06T00:00:00Z', user('alice', 'AKIAALICE'), 'web-app-profile'),
    ]);
    const incident = await investigateDeletion((await evidence.eventById(eventId(4)))!, evidence);
    expect(incident.affectedInstances.map((instance) => instance.instanceId)).toEqual(['i-0aaaaaaaaaaaaaaaa']);
  });

  it('when the same name exists in another account then its instances are not counted', async () => {
    const evidence = new MemoryEvidence([
      { ...launch(1, '2026-03-01T00:00:00Z', { name: 'p' }, 'i-0aaaaaaaaaaaaaaaa'), recipientAccountId: '999999999999' },
      deletion(2, '2026-03-06T00:00:00Z', user('alice', 'AKIAALICE'), 'p'),
    ]);
    expect((await investigateDeletion((await evidence.eventById(eventId(2)))!, evidence)).affectedInstances).toEqual([]);
  });

  it('when an instance was terminated before the deletion then it is terminated-before-deletion and gets no re-association', async () => {
    const evidence = new MemoryEvidence([
      launch(1, '2026-03-01T00:00:00Z', { name: 'p' }, 'i-0aaaaaaaaaaaaaaaa'),
      launch(2, '2026-03-01T00:00:00Z', { name: 'p' }, 'i-0bbbbbbbbbbbbbbbb', 'eu-west-1'),
      record({ eventID: eventId(3), eventTime: '2026-03-02T00:00:00Z', eventName: 'TerminateInstances', awsRegion: 'us-west-2', requestParameters: { instancesSet: { items: [{ instanceId: 'i-0aaaaaaaaaaaaaaaa' }] } } }),
      record({ eventID: eventId(4), eventTime: '2026-03-05T00:00:00Z', eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', userIdentity: user('admin', 'AKIAADMIN'), requestParameters: { userName: 'alice' }, responseElements: { accessKey: { accessKeyId: 'AKIAALICE', userName: 'alice' } } }),
      deletion(5, '2026-03-06T00:00:00Z', user('alice', 'AKIAALICE'), 'p', { sourceIPAddress: '203.0.113.50' }),
    ]);
    const incident = await investigateDeletion((await evidence.eventById(eventId(5)))!, evidence);
    expect(incident.affectedInstances.map((i) => [i.instanceId, i.status])).toEqual([
      ['i-0aaaaaaaaaaaaaaaa', 'terminated-before-deletion'],
      ['i-0bbbbbbbbbbbbbbbb', 'running-at-deletion'],
    ]);
    const reassociate = incident.recommendations.find((r) => r.id === 'reassociate-instances')!;
    expect(reassociate.commands.join('\n')).toContain('--region eu-west-1 --instance-id i-0bbbbbbbbbbbbbbbb');
    expect(reassociate.commands.join('\n')).not.toContain('i-0aaaaaaaaaaaaaaaa');
  });

  it('when a launch through a template that names the profile fails afterwards then it is a failed launch', async () => {
    const evidence = new MemoryEvidence([
      record({ eventID: eventId(1), eventTime: '2026-03-01T00:00:00Z', eventName: 'CreateLaunchTemplate', awsRegion: 'us-west-2', recipientAccountId: ACCOUNT, requestParameters: { CreateLaunchTemplateRequest: { LaunchTemplateName: 'lt', LaunchTemplateData: { IamInstanceProfile: { Name: 'p' } } } }, responseElements: { CreateLaunchTemplateResponse: { launchTemplate: { launchTemplateId: 'lt-0123', launchTemplateName: 'lt' } } } }),
      deletion(2, '2026-03-06T00:00:00Z', user('alice', 'AKIAALICE'), 'p'),
      record({ eventID: eventId(3), eventTime: '2026-03-06T01:00:00Z', eventName: 'RunInstances', awsRegion: 'us-west-2', recipientAccountId: ACCOUNT, errorCode: 'Client.InvalidParameterValue', errorMessage: 'Invalid IAM Instance Profile: the instance profile specified in the launch template was not found.', requestParameters: { launchTemplate: { launchTemplateId: 'lt-0123', version: '$Default' } } }),
      record({ eventID: eventId(4), eventTime: '2026-03-20T01:00:00Z', eventName: 'RunInstances', awsRegion: 'us-west-2', recipientAccountId: ACCOUNT, errorCode: 'Client.InvalidParameterValue', errorMessage: 'Invalid IAM Instance Profile: the instance profile specified in the launch template was not found.', requestParameters: { launchTemplate: { launchTemplateId: 'lt-0123' } } }),
    ]);
    const incident = await investigateDeletion((await evidence.eventById(eventId(2)))!, evidence);
    expect(incident.launchTemplates).toEqual([{ launchTemplateId: 'lt-0123', name: 'lt', region: 'us-west-2', eventId: eventId(1) }]);
    expect(incident.failedLaunchesAfter.map((launchEvent) => [launchEvent.eventId, launchEvent.matchedBy])).toEqual([[eventId(3), 'launch-template']]);
  });

  it('when an AWS service deletes the profile then it is classified service with no recommendations', async () => {
    const evidence = new MemoryEvidence([
      deletion(1, '2026-03-06T00:00:00Z', { ...session('AWSServiceRoleForAmazonEKSNodegroup', 'EKS', 'ASIAEKS'), invokedBy: 'eks-nodegroup.amazonaws.com' }, 'eks-ng', { sourceIPAddress: 'eks-nodegroup.amazonaws.com' }),
    ]);
    const incident = await investigateDeletion((await evidence.eventById(eventId(1)))!, evidence);
    expect(incident.assessment.classification).toBe('service');
    expect(incident.recommendations).toEqual([]);
  });

  it('when a role was removed just before the deletion then it is among the roles to restore', async () => {
    const evidence = new MemoryEvidence([
      record({ eventID: eventId(1), eventTime: '2026-02-01T00:00:00Z', eventSource: 'iam.amazonaws.com', eventName: 'CreateInstanceProfile', recipientAccountId: ACCOUNT, requestParameters: { instanceProfileName: 'p', path: '/app/' }, responseElements: { instanceProfile: { instanceProfileName: 'p', arn: `arn:aws:iam::${ACCOUNT}:instance-profile/app/p`, path: '/app/' } } }),
      record({ eventID: eventId(2), eventTime: '2026-02-01T00:01:00Z', eventSource: 'iam.amazonaws.com', eventName: 'AddRoleToInstanceProfile', recipientAccountId: ACCOUNT, requestParameters: { instanceProfileName: 'p', roleName: 'app-role' } }),
      record({ eventID: eventId(3), eventTime: '2026-03-06T00:00:00Z', eventSource: 'iam.amazonaws.com', eventName: 'RemoveRoleFromInstanceProfile', recipientAccountId: ACCOUNT, requestParameters: { instanceProfileName: 'p', roleName: 'app-role' } }),
      deletion(4, '2026-03-06T00:01:00Z', user('alice', 'AKIAALICE'), 'p'),
    ]);
    const incident = await investigateDeletion((await evidence.eventById(eventId(4)))!, evidence);
    expect(incident.instanceProfile).toMatchObject({ name: 'p', path: '/app/', roles: ['app-role'] });
  });

  it('when the deletion was denied then the profile comes from the error message and nothing counts as broken', async () => {
    const evidence = new MemoryEvidence([
      launch(1, '2026-03-01T00:00:00Z', { name: 'db-profile' }, 'i-0aaaaaaaaaaaaaaaa'),
      deletion(2, '2026-03-06T00:00:00Z', user('alice', 'AKIAALICE'), 'ignored', {
        requestParameters: null,
        errorCode: 'AccessDenied',
        errorMessage: 'User: arn:aws:iam::111111111111:user/alice is not authorized to perform: iam:DeleteInstanceProfile on resource: instance profile db-profile because no identity-based policy allows the iam:DeleteInstanceProfile action',
      }),
    ]);
    const incident = await investigateDeletion((await evidence.eventById(eventId(2)))!, evidence);
    expect(incident).toMatchObject({ outcome: 'failed', errorCode: 'AccessDenied', instanceProfile: { name: 'db-profile' }, affectedInstances: [] });
    expect(incident.recommendations.map((r) => r.id)).not.toContain('restore-instance-profile');
  });

  it('when a record value carries shell metacharacters then commands quote it', () => {
    expect(shellQuote('web-app-profile')).toBe('web-app-profile');
    expect(shellQuote("x'; rm -rf / #")).toBe(`'x'\\''; rm -rf / #'`);
    expect(shellQuote('$(id)')).toBe(`'$(id)'`);
  });
});
