/** Each signal fires with its evidence on the pattern it names, and stays silent on the routine look-alike. */
import { describe, expect, it } from 'vitest';
import type { Incident, SignalId } from '../../src/correlate/incident.js';
import { investigateDeletion } from '../../src/correlate/investigate.js';
import { eventId, record } from '../support/cloudtrail.js';
import { ACCOUNT, consoleLogin, iamCall, iamUser, instanceDelivery, instanceSession, profileDeletion, roleSession, stsCall } from '../support/identities.js';
import { MemoryEvidence } from './memory-evidence.js';

const USUAL_IP = '198.51.100.10';
const ATTACK_IP = '203.0.113.50';
const DELETED_AT = '2026-04-06T10:00:00Z';

async function incidentOf(records: Record<string, unknown>[], deletionN: number): Promise<Incident> {
  const evidence = new MemoryEvidence(records);
  return await investigateDeletion((await evidence.eventById(eventId(deletionN)))!, evidence);
}

const signal = (incident: Incident, id: SignalId) => incident.assessment.signals.find((candidate) => candidate.id === id);
const ids = (incident: Incident) => incident.assessment.signals.map((candidate) => candidate.id).sort();

/** A day of routine use from the usual place, so addresses have a history. */
const baseline = (n: number, caller: Record<string, unknown>, ip = USUAL_IP) =>
  record({ eventID: eventId(n), eventTime: '2026-04-01T09:00:00Z', eventName: 'DescribeInstances', userIdentity: caller, sourceIPAddress: ip });

describe('signals', () => {
  const bob = iamUser('bob', 'AKIABOB');

  it('when the actor acts from its usual place with nothing before then no signal fires', async () => {
    const incident = await incidentOf([baseline(1, bob), profileDeletion(2, DELETED_AT, bob, 'p', { sourceIPAddress: USUAL_IP })], 2);
    expect(ids(incident)).toEqual([]);
  });

  it('when the actor acts from an address it never used then new-source-ip cites the deletion', async () => {
    const incident = await incidentOf([baseline(1, bob), profileDeletion(2, DELETED_AT, bob, 'p', { sourceIPAddress: ATTACK_IP })], 2);
    expect(signal(incident, 'new-source-ip')?.evidence).toEqual([eventId(2)]);
  });

  it('when another identity resets a password and removes MFA then both signals fire with their events, and a self-service change does not', async () => {
    const incident = await incidentOf(
      [
        baseline(1, bob),
        iamCall(2, '2026-04-06T09:00:00Z', 'UpdateLoginProfile', bob, { userName: 'alice' }, { sourceIPAddress: USUAL_IP }),
        iamCall(3, '2026-04-06T09:01:00Z', 'DeactivateMFADevice', bob, { userName: 'alice', serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/alice` }, { sourceIPAddress: USUAL_IP }),
        iamCall(4, '2026-04-06T09:02:00Z', 'UpdateLoginProfile', bob, { userName: 'bob' }, { sourceIPAddress: USUAL_IP }),
        profileDeletion(5, DELETED_AT, bob, 'p', { sourceIPAddress: USUAL_IP }),
      ],
      5,
    );
    expect(signal(incident, 'password-reset-by-other-identity')?.evidence).toEqual([eventId(2)]);
    expect(signal(incident, 'mfa-removed')?.evidence).toEqual([eventId(3)]);
  });

  it('when a failed attempt is all there is then no change signal fires', async () => {
    const incident = await incidentOf(
      [
        baseline(1, bob),
        iamCall(2, '2026-04-06T09:00:00Z', 'UpdateLoginProfile', bob, null, { errorCode: 'AccessDenied', errorMessage: 'not authorized' }),
        iamCall(3, '2026-04-06T09:01:00Z', 'CreateAccessKey', bob, { userName: 'alice' }, { errorCode: 'AccessDenied' }),
        profileDeletion(4, DELETED_AT, bob, 'p', { sourceIPAddress: USUAL_IP }),
      ],
      4,
    );
    expect(ids(incident)).toEqual([]);
  });

  it('when the console session behind the deletion signed in without MFA then console-login-without-mfa cites the sign-in; with MFA ("YES") it is silent', async () => {
    const alice = (key: string | null) => iamUser('alice', key);
    const build = async (mfa: string) =>
      await incidentOf(
        [
          consoleLogin(1, '2026-04-01T09:00:00Z', alice(null), USUAL_IP, 'Yes'),
          consoleLogin(2, '2026-04-06T09:00:00Z', alice(null), USUAL_IP, mfa),
          profileDeletion(3, DELETED_AT, alice('ASIAALICE'), 'p', { sourceIPAddress: USUAL_IP, sessionCredentialFromConsole: 'true' }),
        ],
        3,
      );
    const withoutMfa = await build('No');
    expect(withoutMfa.actor.consoleLogin?.eventId).toBe(eventId(2));
    expect(signal(withoutMfa, 'console-login-without-mfa')?.evidence).toContain(eventId(2));
    expect(withoutMfa.credentialChanges.map((change) => change.eventId)).toContain(eventId(2));
    expect(ids(await build('YES'))).toEqual([]);
  });

  it('when the chain stopped logging then logging-tampered cites it, and a trail admin’s routine stop elsewhere is not evidence', async () => {
    const admin = iamUser('trail-admin', 'AKIATRAIL');
    const cloudtrail = (n: number, time: string, caller: Record<string, unknown>, name: string, params: Record<string, unknown>) =>
      record({ eventID: eventId(n), eventTime: time, eventSource: 'cloudtrail.amazonaws.com', eventName: name, userIdentity: caller, requestParameters: params, readOnly: false, sourceIPAddress: USUAL_IP });
    const incident = await incidentOf(
      [
        baseline(1, bob),
        cloudtrail(2, '2026-04-03T09:00:00Z', admin, 'StopLogging', { name: 'org-trail' }),
        cloudtrail(3, '2026-04-06T09:00:00Z', bob, 'StopLogging', { name: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org-trail` }),
        cloudtrail(4, '2026-04-06T09:01:00Z', bob, 'PutEventSelectors', { trailName: 'org-trail', eventSelectors: [] }),
        profileDeletion(5, DELETED_AT, bob, 'p', { sourceIPAddress: USUAL_IP }),
      ],
      5,
    );
    expect(signal(incident, 'logging-tampered')?.evidence).toEqual([eventId(3), eventId(4)]);
    expect(incident.timeline.map((entry) => entry.eventId)).toEqual(expect.arrayContaining([eventId(3), eventId(4)]));
    expect(incident.timeline.find((entry) => entry.eventId === eventId(3))?.category).toBe('logging');
  });

  it.each([
    ['Stratus Red Team', 'stratus-red-team_3f6c2a1e-5b4d-4c8e-9a7f-1b2c3d4e5f60'],
    ['Kali Linux', 'aws-cli/2.13.0 Python/3.11.4 Linux/6.3.0-kali1-amd64 exe/x86_64.kali.2023'],
    ['Pacu', 'Boto3/1.34.0 Botocore/1.34.0 Pacu'],
    ['Parrot OS', 'aws-cli/2.13.0 Linux/6.1.0-parrot-amd64'],
  ])('when the chain used %s then offensive-tool-user-agent names the tool', async (tool, userAgent) => {
    const incident = await incidentOf(
      [baseline(1, bob), iamCall(2, '2026-04-06T09:00:00Z', 'ListRoles', bob, null, { userAgent, sourceIPAddress: USUAL_IP, readOnly: true }), profileDeletion(3, DELETED_AT, bob, 'p', { sourceIPAddress: USUAL_IP })],
      3,
    );
    expect(signal(incident, 'offensive-tool-user-agent')).toMatchObject({ evidence: [eventId(2)], summary: expect.stringContaining(tool) });
  });

  it('when user agents merely contain look-alike words then no tooling signal fires', async () => {
    const incident = await incidentOf(
      [
        baseline(1, bob),
        iamCall(2, '2026-04-06T09:00:00Z', 'ListRoles', bob, null, { userAgent: 'aws-sdk-java/1.12 Linux/5.10 kalibrate-app/1.0 parroting/2 pacuvian', sourceIPAddress: USUAL_IP }),
        profileDeletion(3, DELETED_AT, bob, 'p', { sourceIPAddress: USUAL_IP }),
      ],
      3,
    );
    expect(signal(incident, 'offensive-tool-user-agent')).toBeUndefined();
  });

  it('when the chain created a key for another user then key-created-for-other-user cites it; its own key does not', async () => {
    const created = (n: number, userName: string, key: string) =>
      iamCall(n, '2026-04-06T09:00:00Z', 'CreateAccessKey', bob, { userName }, { sourceIPAddress: USUAL_IP, responseElements: { accessKey: { userName, accessKeyId: key } } });
    const incident = await incidentOf([baseline(1, bob), created(2, 'deploy-bot', 'AKIADEPLOY'), created(3, 'bob', 'AKIABOB2'), profileDeletion(4, DELETED_AT, bob, 'p', { sourceIPAddress: USUAL_IP })], 4);
    expect(signal(incident, 'key-created-for-other-user')?.evidence).toEqual([eventId(2)]);
  });

  it('when the root user creates its own key then that is no key for another user, and the plan deactivates it by hand as root, never with an IAM user call', async () => {
    const root = { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: 'AKIAROOTOLD', userName: 'root' };
    // Panther's sample names the new key's owner "Root" in the response.
    const created = iamCall(2, '2026-04-06T09:00:00Z', 'CreateAccessKey', root, null, { sourceIPAddress: ATTACK_IP, userAgent: 'pacu/1.0', responseElements: { accessKey: { userName: 'Root', accessKeyId: 'AKIAROOTNEW', status: 'Active' } } });
    const incident = await incidentOf([baseline(1, root), created, profileDeletion(3, DELETED_AT, root, 'p', { sourceIPAddress: ATTACK_IP, userAgent: 'pacu/1.0' })], 3);
    expect(signal(incident, 'key-created-for-other-user')).toBeUndefined();
    const deactivate = incident.recommendations.find((recommendation) => recommendation.id === 'deactivate-access-key')!;
    expect(deactivate.commands.filter((line) => line.includes('update-access-key'))).toEqual([]);
    const manual = deactivate.actions.flatMap((action) => action.steps).map((step) => (step.kind === 'manual' ? step.text : step.kind));
    expect(manual).toEqual([expect.stringContaining('root user key AKIAROOTOLD: sign in as the root user'), expect.stringContaining('root user key AKIAROOTNEW: sign in as the root user')]);
    // The origin key is cited by the deletion it signed; the new one by its creation.
    expect(deactivate.evidence).toEqual([eventId(3), eventId(2)]);
    expect(incident.recommendations.map((recommendation) => recommendation.id)).not.toContain('password-policy');
  });

  it('when AWS quarantines the origin user with its managed policy then that is a critical signal, and the plan never removes it', async () => {
    const awsInternal = { type: 'AssumedRole', principalId: 'AROAAWS:user.name', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/a-role/user.name`, accountId: ACCOUNT, accessKeyId: 'ASIAAWSINTERNAL' };
    const attach = iamCall(2, '2026-04-06T08:00:00Z', 'AttachUserPolicy', awsInternal, { userName: 'bob', policyArn: 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2' }, { sourceIPAddress: '72.21.217.97', userAgent: 'AWS Internal' });
    const incident = await incidentOf([baseline(1, bob), attach, profileDeletion(3, DELETED_AT, bob, 'p', { sourceIPAddress: ATTACK_IP })], 3);
    expect(signal(incident, 'key-quarantined-by-aws')).toMatchObject({ severity: 'critical', evidence: [eventId(2)] });
    expect(signal(incident, 'key-quarantined-by-aws')!.summary).toBe('AWS quarantined bob (AWSCompromisedKeyQuarantineV2): it found its access keys exposed or compromised');
    expect(incident.recommendations.flatMap((recommendation) => recommendation.commands).filter((line) => /Quarantine/.test(line) && /detach|delete/.test(line))).toEqual([]);
    // Attached by the attack's own key: the managed policy still protects, and stays.
    const byAttack = iamCall(2, '2026-04-06T08:00:00Z', 'AttachUserPolicy', bob, { userName: 'bob', policyArn: 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3' }, { sourceIPAddress: ATTACK_IP });
    const attached = await incidentOf([baseline(1, bob), byAttack, profileDeletion(3, DELETED_AT, bob, 'p', { sourceIPAddress: ATTACK_IP })], 3);
    expect(signal(attached, 'key-quarantined-by-aws')?.evidence).toEqual([eventId(2)]);
    expect(attached.recommendations.map((recommendation) => recommendation.id)).not.toContain('undo-attack-changes');
    // An inline policy of that name (Panther's sample shows one) anyone may write: no signal, and written by the attack it goes.
    const inline = iamCall(2, '2026-04-06T08:00:00Z', 'PutUserPolicy', bob, { userName: 'bob', policyName: 'AWSCompromisedKeyQuarantineV3', policyDocument: '{}' }, { sourceIPAddress: ATTACK_IP, userAgent: 'aws-internal/3' });
    const written = await incidentOf([baseline(1, bob), inline, profileDeletion(3, DELETED_AT, bob, 'p', { sourceIPAddress: ATTACK_IP, userAgent: 'pacu/1.0' })], 3);
    expect(signal(written, 'key-quarantined-by-aws')).toBeUndefined();
    expect(written.recommendations.find((recommendation) => recommendation.id === 'undo-attack-changes')?.commands.join('\n')).toContain('delete-user-policy');
    // A customer policy of that name is not AWS's.
    const lookalike = iamCall(2, '2026-04-06T08:00:00Z', 'AttachUserPolicy', awsInternal, { userName: 'bob', policyArn: `arn:aws:iam::${ACCOUNT}:policy/AWSCompromisedKeyQuarantineV2` }, { sourceIPAddress: USUAL_IP });
    expect(signal(await incidentOf([baseline(1, bob), lookalike, profileDeletion(3, DELETED_AT, bob, 'p', { sourceIPAddress: USUAL_IP })], 3), 'key-quarantined-by-aws')).toBeUndefined();
  });

  it('when a caller crosses accounts for the first time then cross-account-chain fires; a daily crossing is silent', async () => {
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/Ops`;
    const caller = iamUser('ops', 'AKIAOPS', '222222222222');
    const crossing = (n: number, time: string, key: string) => stsCall(n, time, 'AssumeRole', caller, roleArn, key, { sourceIPAddress: USUAL_IP, recipientAccountId: '222222222222' });
    const deleteWith = (n: number, key: string) => profileDeletion(n, DELETED_AT, roleSession('Ops', 'ops', key), 'p', { sourceIPAddress: USUAL_IP });
    const first = await incidentOf([baseline(1, caller), crossing(2, '2026-04-06T09:00:00Z', 'ASIANEW'), deleteWith(3, 'ASIANEW')], 3);
    expect(signal(first, 'cross-account-chain')?.evidence).toEqual([eventId(2)]);
    const routine = await incidentOf(
      [baseline(1, caller), crossing(2, '2026-04-02T09:00:00Z', 'ASIAOLD'), crossing(3, '2026-04-06T09:00:00Z', 'ASIANEW'), deleteWith(4, 'ASIANEW')],
      4,
    );
    expect(signal(routine, 'cross-account-chain')).toBeUndefined();
  });

  it('when the profile is re-created with another role then the swap is a signal citing the creation and the new role', async () => {
    const incident = await incidentOf(
      [
        baseline(1, bob),
        iamCall(2, '2026-04-01T10:00:00Z', 'CreateInstanceProfile', bob, { instanceProfileName: 'p' }, { sourceIPAddress: USUAL_IP }),
        iamCall(3, '2026-04-01T10:00:05Z', 'AddRoleToInstanceProfile', bob, { instanceProfileName: 'p', roleName: 'app-role' }, { sourceIPAddress: USUAL_IP }),
        iamCall(4, '2026-04-06T09:59:00Z', 'RemoveRoleFromInstanceProfile', bob, { instanceProfileName: 'p', roleName: 'app-role' }, { sourceIPAddress: USUAL_IP }),
        profileDeletion(5, DELETED_AT, bob, 'p', { sourceIPAddress: USUAL_IP }),
        iamCall(6, '2026-04-06T10:02:00Z', 'CreateInstanceProfile', bob, { instanceProfileName: 'p' }, { sourceIPAddress: USUAL_IP }),
        iamCall(7, '2026-04-06T10:02:05Z', 'AddRoleToInstanceProfile', bob, { instanceProfileName: 'p', roleName: 'attacker-role' }, { sourceIPAddress: USUAL_IP }),
      ],
      5,
    );
    expect(signal(incident, 'instance-profile-recreated-with-other-role')?.evidence).toEqual([eventId(6), eventId(7)]);
  });
});

describe('stolen instance credentials', () => {
  const delivery = (n: number, key: string) => instanceDelivery(n, key);
  const session = (key: string) => instanceSession(key, key === 'ASIAV2' ? '2.0' : '1.0');
  const ownCall = (n: number, time: string) =>
    record({ eventID: eventId(n), eventTime: time, eventSource: 'ssm.amazonaws.com', eventName: 'UpdateInstanceInformation', userIdentity: session('ASIAV2'), sourceIPAddress: '10.0.1.15', userAgent: 'aws-sdk-go/1.44.0 amazon-ssm-agent/3.2.0' });

  it('when the instance session is used from another address to make a key that deletes then exfiltration, the key creation and the creator chain all show, and the instance role is revoked', async () => {
    const incident = await incidentOf(
      [
        delivery(1, 'ASIAV1'),
        delivery(2, 'ASIAV2'),
        ownCall(3, '2026-04-06T03:00:00Z'),
        ownCall(4, '2026-04-06T08:00:00Z'),
        record({ eventID: eventId(10), eventTime: '2026-04-01T09:00:00Z', eventName: 'ListBuckets', eventSource: 's3.amazonaws.com', userIdentity: iamUser('svc-backup', 'AKIASVCOLD'), sourceIPAddress: '198.51.100.60' }),
        iamCall(5, '2026-04-06T09:00:00Z', 'CreateAccessKey', session('ASIAV1'), { userName: 'svc-backup' }, {
          sourceIPAddress: '203.0.113.99',
          userAgent: 'aws-cli/2.13.0 Linux/6.3.0-kali1-amd64',
          responseElements: { accessKey: { userName: 'svc-backup', accessKeyId: 'AKIASVCNEW' } },
        }),
        profileDeletion(6, DELETED_AT, iamUser('svc-backup', 'AKIASVCNEW'), 'p', { sourceIPAddress: '203.0.113.99', userAgent: 'aws-cli/2.13.0 Linux/6.3.0-kali1-amd64' }),
      ],
      6,
    );
    expect(signal(incident, 'instance-credential-exfiltration')).toMatchObject({ severity: 'critical', evidence: [eventId(1), eventId(5)] });
    expect(signal(incident, 'instance-credential-exfiltration')?.summary).toContain('10.0.1.15');
    expect(ids(incident)).toEqual(expect.arrayContaining(['key-created-for-other-user', 'new-source-ip', 'offensive-tool-user-agent']));
    expect(incident.assessment.classification).toBe('suspicious');
    const revoke = incident.recommendations.find((recommendation) => recommendation.id === 'revoke-role-sessions');
    expect(revoke?.commands.join('\n')).toContain('--role-name app-instance-role');
    const deactivate = incident.recommendations.find((recommendation) => recommendation.id === 'deactivate-access-key');
    expect(deactivate?.commands.join('\n')).toContain('AKIASVCNEW');
  });

  it('when the instance session is only used from the instance itself then no exfiltration is reported', async () => {
    const incident = await incidentOf(
      [delivery(1, 'ASIAV2'), ownCall(2, '2026-04-02T08:00:00Z'), profileDeletion(3, DELETED_AT, session('ASIAV2'), 'p', { sourceIPAddress: '10.0.1.15', userAgent: 'aws-sdk-go/1.44.0 amazon-ssm-agent/3.2.0' })],
      3,
    );
    expect(signal(incident, 'instance-credential-exfiltration')).toBeUndefined();
  });
});

describe('classification with signals and impact apart', () => {
  it('when a lab creates and deletes a profile from one place with attack tooling around it then it is likely-benign, the signal still shows, and only investigate-principal is proposed', async () => {
    const operator = iamUser('lab-operator', 'AKIALAB');
    const terraform = 'APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.40.0';
    const lab = { sourceIPAddress: USUAL_IP, userAgent: terraform };
    const incident = await incidentOf(
      [
        baseline(1, operator),
        iamCall(2, '2026-04-06T09:40:00Z', 'ListRoles', operator, null, { sourceIPAddress: USUAL_IP, userAgent: 'stratus-red-team_3f6c2a1e-5b4d-4c8e-9a7f-1b2c3d4e5f60' }),
        iamCall(3, '2026-04-06T09:50:00Z', 'CreateInstanceProfile', operator, { instanceProfileName: 'stratus-lab-profile' }, lab),
        iamCall(4, '2026-04-06T09:50:02Z', 'AddRoleToInstanceProfile', operator, { instanceProfileName: 'stratus-lab-profile', roleName: 'lab-role' }, lab),
        iamCall(5, '2026-04-06T09:56:00Z', 'RemoveRoleFromInstanceProfile', operator, { instanceProfileName: 'stratus-lab-profile', roleName: 'lab-role' }, lab),
        profileDeletion(6, '2026-04-06T09:56:01Z', operator, 'stratus-lab-profile', lab),
      ],
      6,
    );
    expect(incident.assessment).toMatchObject({ classification: 'likely-benign', impact: 'none' });
    expect(ids(incident)).toEqual(['offensive-tool-user-agent']);
    expect(incident.recommendations.map((recommendation) => recommendation.id)).toEqual(['investigate-principal']);
  });
});

describe('what a console origin did in its other sessions', () => {
  it('when the attacker stopped logging in an earlier console session of the same user then it still counts for the deletion', async () => {
    const alice = (key: string | null) => iamUser('alice', key);
    const incident = await incidentOf(
      [
        baseline(1, alice('ASIAOLD')),
        consoleLogin(2, '2026-04-06T06:00:00Z', alice(null), ATTACK_IP, 'No'),
        record({
          eventID: eventId(3),
          eventTime: '2026-04-06T06:05:00Z',
          eventSource: 'cloudtrail.amazonaws.com',
          eventName: 'StopLogging',
          userIdentity: alice('ASIAFIRST'),
          requestParameters: { name: 'org-trail' },
          sourceIPAddress: ATTACK_IP,
          sessionCredentialFromConsole: 'true',
          readOnly: false,
        }),
        consoleLogin(4, '2026-04-06T09:50:00Z', alice(null), ATTACK_IP, 'No'),
        profileDeletion(5, DELETED_AT, alice('ASIASECOND'), 'p', { sourceIPAddress: ATTACK_IP, sessionCredentialFromConsole: 'true' }),
      ],
      5,
    );
    expect(incident.actor.consoleLogin?.eventId).toBe(eventId(4));
    expect(signal(incident, 'logging-tampered')?.evidence).toEqual([eventId(3)]);
    expect(incident.recommendations.map((recommendation) => recommendation.id)).toContain('restore-logging');
    expect(incident.recommendations.find((recommendation) => recommendation.id === 'restore-logging')?.commands.join('\n')).toContain('aws cloudtrail start-logging');
  });
});

describe('instance credentials with nothing to compare', () => {
  it('when the instance session is only ever used from one public address with an ordinary Linux CLI then the use is reported, as unverified and medium', async () => {
    const incident = await incidentOf(
      [
        instanceDelivery(1, 'ASIAV1', '2026-04-06T08:00:00Z'),
        profileDeletion(2, DELETED_AT, instanceSession('ASIAV1', '1.0'), 'p', { sourceIPAddress: '203.0.113.99', userAgent: 'aws-cli/2.13.0 Python/3.11.4 Linux/5.15.0-91-generic exe/x86_64.ubuntu.22' }),
      ],
      2,
    );
    expect(signal(incident, 'instance-credential-exfiltration')).toMatchObject({ severity: 'medium', evidence: [eventId(1), eventId(2)] });
    expect(signal(incident, 'instance-credential-exfiltration')?.summary).toContain('unverified');
  });
});

describe('a profile re-created with another role', () => {
  it('when instances held it then the foreign role is taken out and the held one put back before any re-association', async () => {
    const bob = iamUser('bob', 'AKIABOB');
    const at = { sourceIPAddress: USUAL_IP };
    const incident = await incidentOf(
      [
        baseline(1, bob),
        iamCall(2, '2026-04-01T10:00:00Z', 'CreateInstanceProfile', bob, { instanceProfileName: 'p' }, at),
        iamCall(3, '2026-04-01T10:00:05Z', 'AddRoleToInstanceProfile', bob, { instanceProfileName: 'p', roleName: 'app-role' }, at),
        record({ eventID: eventId(4), eventTime: '2026-04-01T11:00:00Z', eventName: 'RunInstances', userIdentity: bob, ...at, requestParameters: { iamInstanceProfile: { name: 'p' } }, responseElements: { instancesSet: { items: [{ instanceId: 'i-0aaaaaaaaaaaaaaa1' }] } } }),
        iamCall(5, '2026-04-06T09:59:00Z', 'RemoveRoleFromInstanceProfile', bob, { instanceProfileName: 'p', roleName: 'app-role' }, at),
        profileDeletion(6, DELETED_AT, bob, 'p', at),
        iamCall(7, '2026-04-06T10:02:00Z', 'CreateInstanceProfile', bob, { instanceProfileName: 'p' }, at),
        iamCall(8, '2026-04-06T10:02:05Z', 'AddRoleToInstanceProfile', bob, { instanceProfileName: 'p', roleName: 'attacker-role' }, at),
      ],
      6,
    );
    const ids = incident.recommendations.map((recommendation) => recommendation.id);
    expect(ids).not.toContain('restore-instance-profile');
    // Containment takes the foreign role out (and cuts its sessions); recovery puts the held one back; then instances.
    expect(ids.indexOf('contain-foreign-role')).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf('contain-foreign-role')).toBeLessThan(ids.indexOf('restore-recreated-profile'));
    expect(ids.indexOf('restore-recreated-profile')).toBeLessThan(ids.indexOf('reassociate-instances'));
    const contain = incident.recommendations.find((recommendation) => recommendation.id === 'contain-foreign-role')!;
    expect(contain.actions.every((action) => action.phase === 'containment')).toBe(true);
    expect(contain.commands.join('\n')).toMatch(/put-role-policy .*--role-name attacker-role --policy-name AWSRevokeOlderSessions/);
    expect(contain.commands.join('\n')).toMatch(/remove-role-from-instance-profile .*--role-name attacker-role/);
    expect(contain.commands.filter((line) => line.includes('delete-role')).every((line) => line.startsWith('# later'))).toBe(true);
    const fix = incident.recommendations.find((recommendation) => recommendation.id === 'restore-recreated-profile')!.commands.join('\n');
    expect(fix).toContain('add-role-to-instance-profile');
    expect(fix).toContain('--role-name app-role');
    expect(fix).not.toContain('attacker-role');
  });
});
