/**
 * Routine activity that looks like an attack at first glance: none of it may raise a
 * signal that locks a legitimate owner out, and none may be counted as impact.
 */
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/correlate/incident.js';
import { investigateDeletion } from '../../src/correlate/investigate.js';
import { eventId, record } from '../support/cloudtrail.js';
import { ACCOUNT, consoleLogin, iamCall, iamUser, profileDeletion, roleSession, stsCall } from '../support/identities.js';
import { MemoryEvidence } from './memory-evidence.js';

const USUAL_IP = '198.51.100.70';
const CONTAINMENT = ['deactivate-access-key', 'revoke-role-sessions', 'reset-password', 'enforce-mfa'];

async function incidentOf(records: Record<string, unknown>[], deletionN: number): Promise<Incident> {
  const evidence = new MemoryEvidence(records);
  return await investigateDeletion((await evidence.eventById(eventId(deletionN)))!, evidence);
}

const ids = (incident: Incident) => incident.assessment.signals.map((signal) => signal.id);
const recommendationIds = (incident: Incident) => incident.recommendations.map((recommendation) => recommendation.id);

describe('routine activity', () => {
  it('when an identity with no history before the window acts from one address then it is not a new address and nothing is contained', async () => {
    const ops = iamUser('ops', 'AKIAOPS');
    const incident = await incidentOf(
      [
        record({ eventID: eventId(1), eventTime: '2026-04-05T10:00:00Z', eventName: 'RunInstances', userIdentity: ops, sourceIPAddress: USUAL_IP }),
        profileDeletion(2, '2026-04-06T10:00:00Z', ops, 'p', { sourceIPAddress: USUAL_IP }),
      ],
      2,
    );
    expect(ids(incident)).toEqual([]);
    expect(recommendationIds(incident).filter((id) => CONTAINMENT.includes(id))).toEqual([]);
  });

  it('when a pipeline assumes its role every day under a new session name then its hop is compared with the role, not the session', async () => {
    const ci = iamUser('ci', 'AKIACI');
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/Deploy`;
    const run = (n: number, day: string, key: string) => stsCall(n, `2026-04-0${day}T03:00:00Z`, 'AssumeRole', ci, roleArn, key, { sourceIPAddress: USUAL_IP, requestParameters: { roleArn, roleSessionName: `run-${day}` } });
    const call = (n: number, day: string, key: string) =>
      record({ eventID: eventId(n), eventTime: `2026-04-0${day}T03:01:00Z`, eventName: 'DescribeInstances', userIdentity: roleSession('Deploy', `run-${day}`, key), sourceIPAddress: USUAL_IP });
    const incident = await incidentOf(
      [run(1, '1', 'ASIA1'), call(2, '1', 'ASIA1'), run(3, '2', 'ASIA2'), call(4, '2', 'ASIA2'), run(5, '6', 'ASIA6'), profileDeletion(6, '2026-04-06T03:02:00Z', roleSession('Deploy', 'run-6', 'ASIA6'), 'p', { sourceIPAddress: USUAL_IP })],
      6,
    );
    expect(ids(incident)).toEqual([]);
  });

  it('when an admin onboards a user from the usual place inside the window (user, password, key, group) then none of it is a signal and the new user is not locked out', async () => {
    const admin = iamUser('admin', 'AKIAADMIN');
    const bob = iamUser('bob', 'AKIABOB');
    const onboard = (n: number, time: string, name: string, params: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      iamCall(n, time, name, admin, params, { sourceIPAddress: USUAL_IP, ...extra });
    const incident = await incidentOf(
      [
        record({ eventID: eventId(1), eventTime: '2026-03-20T09:00:00Z', eventName: 'ListUsers', eventSource: 'iam.amazonaws.com', userIdentity: admin, sourceIPAddress: USUAL_IP }),
        onboard(2, '2026-04-04T09:00:00Z', 'CreateUser', { userName: 'bob' }),
        onboard(3, '2026-04-04T09:01:00Z', 'CreateLoginProfile', { userName: 'bob', passwordResetRequired: true }),
        onboard(4, '2026-04-04T09:02:00Z', 'CreateAccessKey', { userName: 'bob' }, { responseElements: { accessKey: { userName: 'bob', accessKeyId: 'AKIABOB', status: 'Active' } } }),
        onboard(5, '2026-04-04T09:03:00Z', 'AddUserToGroup', { userName: 'bob', groupName: 'developers' }),
        profileDeletion(6, '2026-04-06T10:00:00Z', bob, 'unused-profile', { sourceIPAddress: '198.51.100.71' }),
      ],
      6,
    );
    expect(ids(incident)).toEqual([]);
    expect(incident.credentialChanges.filter((change) => [2, 3, 4, 5].map((n) => eventId(n)).includes(change.eventId)).every((change) => change.severity === 'info')).toBe(true);
    expect(recommendationIds(incident).filter((id) => CONTAINMENT.includes(id))).toEqual([]);
  });

  it('when an Identity Center user works in the console from the usual address then the federated sign-in is not a sign-in without MFA', async () => {
    const ssoSession = roleSession('aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef', 'dana@example.com', 'ASIASSO');
    const incident = await incidentOf(
      [
        consoleLogin(1, '2026-04-01T09:00:00Z', ssoSession, USUAL_IP, 'No'),
        record({ eventID: eventId(2), eventTime: '2026-04-01T09:05:00Z', eventName: 'DescribeInstances', userIdentity: ssoSession, sourceIPAddress: USUAL_IP, sessionCredentialFromConsole: 'true' }),
        consoleLogin(3, '2026-04-06T09:00:00Z', ssoSession, USUAL_IP, 'No'),
        profileDeletion(4, '2026-04-06T10:00:00Z', ssoSession, 'p', { sourceIPAddress: USUAL_IP, sessionCredentialFromConsole: 'true', userAgent: 'Mozilla/5.0' }),
      ],
      4,
    );
    expect(incident.actor.consoleLogin).toBeNull();
    expect(ids(incident)).toEqual([]);
    expect(recommendationIds(incident)).not.toContain('password-policy');
  });

  it('when a lab deletes its launch template before the profile then nothing names the profile any more: impact none, and likely-benign', async () => {
    const lab = iamUser('lab', 'AKIALAB');
    const ec2 = (n: number, time: string, name: string, extra: Record<string, unknown>) =>
      record({ eventID: eventId(n), eventTime: time, eventSource: 'ec2.amazonaws.com', eventName: name, userIdentity: lab, sourceIPAddress: USUAL_IP, awsRegion: 'us-east-1', readOnly: false, ...extra });
    const incident = await incidentOf(
      [
        record({ eventID: eventId(1), eventTime: '2026-03-20T09:00:00Z', eventName: 'ListUsers', eventSource: 'iam.amazonaws.com', userIdentity: lab, sourceIPAddress: USUAL_IP }),
        iamCall(2, '2026-04-06T09:00:00Z', 'CreateInstanceProfile', lab, { instanceProfileName: 'lab-profile' }, { sourceIPAddress: USUAL_IP }),
        ec2(3, '2026-04-06T09:01:00Z', 'CreateLaunchTemplate', {
          requestParameters: { CreateLaunchTemplateRequest: { LaunchTemplateName: 'lab-lt', LaunchTemplateData: { IamInstanceProfile: { Name: 'lab-profile' } } } },
          responseElements: { CreateLaunchTemplateResponse: { launchTemplate: { launchTemplateId: 'lt-0lab', launchTemplateName: 'lab-lt' } } },
        }),
        ec2(4, '2026-04-06T09:05:00Z', 'DeleteLaunchTemplate', {
          requestParameters: { DeleteLaunchTemplateRequest: { LaunchTemplateId: 'lt-0lab' } },
          responseElements: { DeleteLaunchTemplateResponse: { launchTemplate: { launchTemplateId: 'lt-0lab', launchTemplateName: 'lab-lt' } } },
        }),
        profileDeletion(5, '2026-04-06T09:06:00Z', lab, 'lab-profile', { sourceIPAddress: USUAL_IP }),
      ],
      5,
    );
    expect(incident.launchTemplates).toEqual([]);
    expect(incident.assessment).toMatchObject({ impact: 'none', classification: 'likely-benign' });
    expect(recommendationIds(incident)).not.toContain('restore-instance-profile');
  });

  it('when a single medium signal is all there is then it is shown, but nothing is contained', async () => {
    const ops = iamUser('ops', 'AKIAOPS');
    const incident = await incidentOf(
      [
        record({ eventID: eventId(1), eventTime: '2026-03-20T09:00:00Z', eventName: 'ListUsers', eventSource: 'iam.amazonaws.com', userIdentity: ops, sourceIPAddress: USUAL_IP }),
        profileDeletion(2, '2026-04-06T10:00:00Z', ops, 'p', { sourceIPAddress: '198.51.100.99' }),
      ],
      2,
    );
    expect(ids(incident)).toEqual(['new-source-ip']);
    expect(recommendationIds(incident).filter((id) => CONTAINMENT.includes(id))).toEqual([]);
  });
});
