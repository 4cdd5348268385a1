/** Attribution through every way a session starts: console, SAML/Identity Center, web identity, EC2 instance credentials, and the key creator's own chain. */
import { describe, expect, it } from 'vitest';
import { buildActor } from '../../src/correlate/actor.js';
import { investigate } from '../../src/correlate/investigate.js';
import { eventId, record } from '../support/cloudtrail.js';
import { ACCOUNT, consoleLogin, iamCall, iamUser, INSTANCE_ID, instanceDelivery, instanceSession, profileDeletion, roleSession, stsCall } from '../support/identities.js';
import { MemoryEvidence } from './memory-evidence.js';

const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Safari/605.1.15';

async function actorOf(records: Record<string, unknown>[], deletionN: number) {
  const evidence = new MemoryEvidence(records);
  return await buildActor((await evidence.eventById(eventId(deletionN)))!, evidence);
}

describe('console sessions', () => {
  const alice = (key: string | null) => iamUser('alice', key);
  const consoleDeletion = (n: number, flag: unknown, extra: Record<string, unknown> = {}) =>
    profileDeletion(n, '2026-04-06T10:00:00Z', alice('ASIACONSOLE000000001'), 'p', {
      sourceIPAddress: '203.0.113.77',
      userAgent: BROWSER,
      ...(flag === undefined ? {} : { sessionCredentialFromConsole: flag }),
      ...extra,
    });

  it.each([
    ['the string "true"', 'true'],
    ['the boolean true', true],
  ])('when a console call carries sessionCredentialFromConsole as %s then it is linked to the latest successful sign-in from its address', async (_label, flag) => {
    const actor = await actorOf(
      [
        consoleLogin(1, '2026-04-06T02:00:00Z', alice(null), '203.0.113.77', 'No'),
        consoleLogin(2, '2026-04-06T09:00:00Z', alice(null), '203.0.113.77', 'No', 'Failure'),
        consoleLogin(3, '2026-04-06T09:30:00Z', alice(null), '198.51.100.20', 'Yes'),
        consoleLogin(4, '2026-04-06T09:40:00Z', alice(null), '203.0.113.77', 'NO'),
        consoleDeletion(5, flag),
      ],
      5,
    );
    expect(actor.origin).toMatchObject({ arn: `arn:aws:iam::${ACCOUNT}:user/alice`, type: 'IAMUser' });
    expect(actor.consoleLogin).toEqual({ eventId: eventId(4), eventTime: '2026-04-06T09:40:00Z', mfaUsed: false, sourceIPAddress: '203.0.113.77' });
  });

  it('when the flag is absent but a console user acts with a temporary key from a browser then the sign-in is found too', async () => {
    const actor = await actorOf([consoleLogin(1, '2026-04-06T09:00:00Z', alice(null), '203.0.113.77', 'Yes'), consoleDeletion(2, undefined)], 2);
    expect(actor.consoleLogin).toMatchObject({ eventId: eventId(1), mfaUsed: true });
  });

  it('when the only sign-in is older than a console session lasts then none is linked', async () => {
    const actor = await actorOf([consoleLogin(1, '2026-04-05T21:59:00Z', alice(null), '203.0.113.77', 'No'), consoleDeletion(2, 'true')], 2);
    expect(actor.consoleLogin).toBeNull();
  });

  it('when a long-term key is used from the CLI then no sign-in is linked', async () => {
    const actor = await actorOf(
      [consoleLogin(1, '2026-04-06T09:00:00Z', alice(null), '203.0.113.77', 'No'), profileDeletion(2, '2026-04-06T10:00:00Z', alice('AKIAALICE'), 'p', { sourceIPAddress: '203.0.113.77' })],
      2,
    );
    expect(actor.consoleLogin).toBeNull();
  });

  it('when a role assumed from a console session deletes then the sign-in behind the origin user is linked', async () => {
    const actor = await actorOf(
      [
        consoleLogin(1, '2026-04-06T09:00:00Z', alice(null), '203.0.113.77', 'No'),
        stsCall(2, '2026-04-06T09:10:00Z', 'AssumeRole', alice('ASIACONSOLE000000001'), `arn:aws:iam::${ACCOUNT}:role/Admin`, 'ASIAADMIN', {
          sourceIPAddress: '203.0.113.77',
          sessionCredentialFromConsole: 'true',
          userAgent: BROWSER,
        }),
        profileDeletion(3, '2026-04-06T09:20:00Z', roleSession('Admin', 'alice', 'ASIAADMIN'), 'p', { sourceIPAddress: '203.0.113.77' }),
      ],
      3,
    );
    expect(actor.chain.map((hop) => hop.via)).toEqual([eventId(2)]);
    expect(actor.consoleLogin?.eventId).toBe(eventId(1));
  });
});

describe('SAML and IAM Identity Center', () => {
  const ssoRole = 'AWSReservedSSO_AdminAccess_1a2b3c4d5e6f7a8b';
  const ssoRoleArn = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/${ssoRole}`;
  const samlUser = {
    type: 'SAMLUser',
    principalId: 'r5Vn0Y1c1DPBbJd3QpGl1mHj9Jo=:carol@example.com',
    userName: 'carol@example.com',
    identityProvider: 'r5Vn0Y1c1DPBbJd3QpGl1mHj9Jo=',
  };
  const assumeWithSaml = (n: number) =>
    stsCall(n, '2026-04-06T10:00:10Z', 'AssumeRoleWithSAML', samlUser, ssoRoleArn, 'ASIASSO', {
      requestParameters: {
        roleArn: ssoRoleArn,
        roleSessionName: 'carol@example.com',
        principalArn: `arn:aws:iam::${ACCOUNT}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE`,
      },
    });
  const getRoleCredentials = (n: number, time: string, account: string, identity: Record<string, unknown>, where: 'serviceEventDetails' | 'requestParameters', portalRole = ssoRole) =>
    record({
      eventID: eventId(n),
      eventTime: time,
      eventSource: 'sso.amazonaws.com',
      eventName: 'GetRoleCredentials',
      eventType: 'AwsServiceEvent',
      recipientAccountId: '999999999999',
      userIdentity: identity,
      ...(where === 'serviceEventDetails'
        ? { serviceEventDetails: { role_name: portalRole, account_id: account }, requestParameters: null }
        : { requestParameters: { accountId: account, roleName: portalRole } }),
    });
  const identityCenterUser = {
    type: 'IdentityCenterUser',
    accountId: '999999999999',
    onBehalfOf: { userId: '544894e8-80c1-707f-60e3-3ba6510dfac1', identityStoreArn: 'arn:aws:identitystore::999999999999:identitystore/d-1234567890' },
    credentialId: 'EXAMPLE',
  };

  it('when an Identity Center session deletes then the origin is the SAML user and the portal record for that account and role is linked', async () => {
    const actor = await actorOf(
      [
        getRoleCredentials(1, '2026-04-06T10:00:05Z', '222222222222', identityCenterUser, 'serviceEventDetails'),
        getRoleCredentials(2, '2026-04-06T10:00:07Z', ACCOUNT, identityCenterUser, 'serviceEventDetails'),
        assumeWithSaml(3),
        profileDeletion(4, '2026-04-06T10:05:00Z', roleSession(`aws-reserved/sso.amazonaws.com/${ssoRole}`, 'carol@example.com', 'ASIASSO'), 'p'),
      ],
      4,
    );
    expect(actor.origin).toMatchObject({ type: 'SAMLUser', arn: samlUser.principalId, label: 'carol@example.com' });
    expect(actor.chain).toEqual([expect.objectContaining({ via: eventId(3), viaEventName: 'AssumeRoleWithSAML', label: 'carol@example.com' })]);
    expect(actor.identityCenter).toMatchObject({
      eventId: eventId(2),
      accountId: ACCOUNT,
      roleName: ssoRole,
      userId: '544894e8-80c1-707f-60e3-3ba6510dfac1',
      identityStoreArn: 'arn:aws:identitystore::999999999999:identitystore/d-1234567890',
    });
  });

  it.each(['serviceEventDetails', 'requestParameters'] as const)(
    'when the portal record names the permission set (as real ones do: AdminAccess for AWSReservedSSO_AdminAccess_<hash>) in %s then it is linked; another permission set is not',
    async (where) => {
      const deletion = profileDeletion(3, '2026-04-06T10:05:00Z', roleSession(`aws-reserved/sso.amazonaws.com/${ssoRole}`, 'carol@example.com', 'ASIASSO'), 'p');
      const linked = await actorOf([getRoleCredentials(1, '2026-04-06T10:00:05Z', ACCOUNT, identityCenterUser, where, 'AdminAccess'), assumeWithSaml(2), deletion], 3);
      expect(linked.identityCenter).toMatchObject({ eventId: eventId(1), roleName: 'AdminAccess', accountId: ACCOUNT });
      const other = await actorOf([getRoleCredentials(1, '2026-04-06T10:00:05Z', ACCOUNT, identityCenterUser, where, 'ReadOnly'), assumeWithSaml(2), deletion], 3);
      expect(other.identityCenter).toBeNull();
    },
  );

  it('when the portal record is in the older shape (Unknown identity, requestParameters) then it is linked just the same', async () => {
    const older = { type: 'Unknown', principalId: 'AIDAOLD', accountId: '999999999999', userName: 'carol@example.com' };
    const actor = await actorOf(
      [
        getRoleCredentials(1, '2026-04-06T10:00:05Z', ACCOUNT, older, 'requestParameters'),
        assumeWithSaml(2),
        profileDeletion(3, '2026-04-06T10:05:00Z', roleSession(`aws-reserved/sso.amazonaws.com/${ssoRole}`, 'carol@example.com', 'ASIASSO'), 'p'),
      ],
      3,
    );
    expect(actor.identityCenter).toMatchObject({ eventId: eventId(1), userName: 'carol@example.com' });
  });

  it('when the deleting call names its Identity Center user (onBehalfOf) then the actor says who, even with no chain', async () => {
    const session = { ...roleSession(`aws-reserved/sso.amazonaws.com/${ssoRole}`, 'carol@example.com', 'ASIANOTISSUEDHERE'), onBehalfOf: identityCenterUser.onBehalfOf };
    const actor = await actorOf([profileDeletion(1, '2026-04-06T10:05:00Z', session, 'p')], 1);
    expect(actor.chain).toEqual([]);
    expect(actor.onBehalfOf).toEqual({ userId: '544894e8-80c1-707f-60e3-3ba6510dfac1', identityStoreArn: 'arn:aws:identitystore::999999999999:identitystore/d-1234567890' });
    const plain = await actorOf([profileDeletion(1, '2026-04-06T10:05:00Z', roleSession('Admin', 'alice', 'ASIAX'), 'p')], 1);
    expect(plain.onBehalfOf).toBeNull();
  });

  it('when the management account is not in the archive then the SAML origin stands alone', async () => {
    const actor = await actorOf([assumeWithSaml(1), profileDeletion(2, '2026-04-06T10:05:00Z', roleSession(`aws-reserved/sso.amazonaws.com/${ssoRole}`, 'carol@example.com', 'ASIASSO'), 'p')], 2);
    expect(actor.origin.type).toBe('SAMLUser');
    expect(actor.identityCenter).toBeNull();
  });
});

describe('web identity', () => {
  it('when a GitHub Actions token assumed the role then the origin is the web identity, labelled with its subject', async () => {
    const subject = 'repo:example-org/app:ref:refs/heads/main';
    const webUser = {
      type: 'WebIdentityUser',
      principalId: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com:sts.amazonaws.com:${subject}`,
      userName: subject,
      identityProvider: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
    };
    const records = [
      stsCall(1, '2026-04-06T10:00:00Z', 'AssumeRoleWithWebIdentity', webUser, `arn:aws:iam::${ACCOUNT}:role/gha-deploy`, 'ASIAGHA', {
        responseElements: { credentials: { accessKeyId: 'ASIAGHA' }, subjectFromWebIdentityToken: subject, audience: 'sts.amazonaws.com' },
      }),
      profileDeletion(2, '2026-04-06T10:01:00Z', roleSession('gha-deploy', 'GitHubActions', 'ASIAGHA'), 'p'),
    ];
    const actor = await actorOf(records, 2);
    expect(actor.origin).toMatchObject({ type: 'WebIdentityUser', arn: webUser.principalId, label: subject, instanceId: null });
    // Nothing else stands out: the assessment names the session and its workload, never "a human".
    const evidence = new MemoryEvidence(records);
    const [incident] = await investigate(evidence, { eventId: eventId(2) });
    expect(incident!.assessment.reasons).toContain(`arn:aws:sts::${ACCOUNT}:assumed-role/gha-deploy/GitHubActions (origin: ${subject}) deleted it outside infrastructure-as-code; nothing else stands out`);
    expect(incident!.assessment.reasons.join(' ')).not.toContain('human');
  });
});

describe('EC2 instance credentials', () => {
  const instance = INSTANCE_ID;
  const delivery = (n: number, key: string) => instanceDelivery(n, key);

  it('when an instance-role session acts then the origin is EC2 and names the instance', async () => {
    const actor = await actorOf([delivery(1, 'ASIAV1'), delivery(2, 'ASIAV2'), profileDeletion(3, '2026-04-06T10:00:00Z', instanceSession('ASIAV1', '1.0'), 'p')], 3);
    expect(actor.chain).toEqual([expect.objectContaining({ via: eventId(1), type: 'AWSService', arn: 'ec2.amazonaws.com', label: `EC2 instance ${instance}` })]);
    expect(actor.origin).toMatchObject({ type: 'AWSService', arn: 'ec2.amazonaws.com', instanceId: instance });
  });

  it('when a stolen instance session created the key that deleted then key provenance traces the creator back to the instance', async () => {
    const actor = await actorOf(
      [
        delivery(1, 'ASIAV1'),
        iamCall(2, '2026-04-06T02:12:00Z', 'CreateAccessKey', instanceSession('ASIAV1', '1.0'), { userName: 'svc-backup' }, {
          sourceIPAddress: '203.0.113.99',
          responseElements: { accessKey: { userName: 'svc-backup', accessKeyId: 'AKIASVCNEW', status: 'Active' } },
        }),
        profileDeletion(3, '2026-04-06T02:20:00Z', iamUser('svc-backup', 'AKIASVCNEW'), 'p', { sourceIPAddress: '203.0.113.99' }),
      ],
      3,
    );
    expect(actor.origin).toMatchObject({ type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/svc-backup` });
    expect(actor.keyProvenance).toMatchObject({
      eventId: eventId(2),
      userName: 'svc-backup',
      createdBy: `arn:aws:sts::${ACCOUNT}:assumed-role/app-instance-role/${instance}`,
      creatorChain: [expect.objectContaining({ via: eventId(1), arn: 'ec2.amazonaws.com' })],
      creatorOrigin: expect.objectContaining({ type: 'AWSService', arn: 'ec2.amazonaws.com', instanceId: instance }),
    });
  });

  it('when the creator used its own long-term key then its chain is empty and it is its own origin', async () => {
    const actor = await actorOf(
      [
        iamCall(1, '2026-04-06T02:12:00Z', 'CreateAccessKey', iamUser('admin', 'AKIAADMIN'), { userName: 'bot' }, { responseElements: { accessKey: { userName: 'bot', accessKeyId: 'AKIABOT' } } }),
        profileDeletion(2, '2026-04-06T02:20:00Z', iamUser('bot', 'AKIABOT'), 'p'),
      ],
      2,
    );
    expect(actor.keyProvenance?.creatorChain).toEqual([]);
    expect(actor.keyProvenance?.creatorOrigin).toMatchObject({ arn: `arn:aws:iam::${ACCOUNT}:user/admin`, accessKeyId: 'AKIAADMIN' });
  });
});

describe('GetSessionToken', () => {
  it('when an IAM user calls with a temporary key from GetSessionToken (not the console) then the chain leads to the long-term key and its creator', async () => {
    const admin = iamUser('admin', 'AKIAADMIN');
    const actor = await actorOf(
      [
        iamCall(1, '2026-04-05T09:00:00Z', 'CreateAccessKey', admin, { userName: 'bot' }, { responseElements: { accessKey: { userName: 'bot', accessKeyId: 'AKIABOT' } } }),
        stsCall(2, '2026-04-06T09:00:00Z', 'GetSessionToken', iamUser('bot', 'AKIABOT'), '', 'ASIABOTSESSION', { requestParameters: { durationSeconds: 3600 } }),
        profileDeletion(3, '2026-04-06T09:10:00Z', iamUser('bot', 'ASIABOTSESSION'), 'p'),
      ],
      3,
    );
    expect(actor.chain.map((hop) => hop.via)).toEqual([eventId(2)]);
    expect(actor.origin).toMatchObject({ accessKeyId: 'AKIABOT', type: 'IAMUser' });
    expect(actor.keyProvenance).toMatchObject({ eventId: eventId(1), createdBy: `arn:aws:iam::${ACCOUNT}:user/admin` });
  });
});

describe('Identity Center with two users on one role', () => {
  it('when two users took the same role in the same minutes and nothing tells them apart then no portal record is linked, and never a mix of both', async () => {
    const ssoRole = 'AWSReservedSSO_AdminAccess_1a2b3c4d5e6f7a8b';
    const ssoRoleArn = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/${ssoRole}`;
    const portal = (n: number, time: string, userId: string, ip: string) =>
      record({
        eventID: eventId(n),
        eventTime: time,
        eventSource: 'sso.amazonaws.com',
        eventName: 'GetRoleCredentials',
        eventType: 'AwsServiceEvent',
        sourceIPAddress: ip,
        userIdentity: { type: 'IdentityCenterUser', accountId: '999999999999', onBehalfOf: { userId, identityStoreArn: 'arn:aws:identitystore::999999999999:identitystore/d-1' } },
        serviceEventDetails: { role_name: ssoRole, account_id: ACCOUNT },
      });
    const saml = { type: 'SAMLUser', principalId: 'idp=:carol@example.com', userName: 'carol@example.com', identityProvider: 'idp=' };
    const records = (carolIp: string) => [
      portal(1, '2026-04-06T10:00:01Z', 'CAROL', carolIp),
      portal(2, '2026-04-06T10:00:03Z', 'DAVE', '198.51.100.41'),
      stsCall(3, '2026-04-06T10:00:05Z', 'AssumeRoleWithSAML', saml, ssoRoleArn, 'ASIASSO', { sourceIPAddress: '198.51.100.40', requestParameters: { roleArn: ssoRoleArn, roleSessionName: 'carol@example.com' } }),
      profileDeletion(4, '2026-04-06T10:05:00Z', roleSession(`aws-reserved/sso.amazonaws.com/${ssoRole}`, 'carol@example.com', 'ASIASSO'), 'p'),
    ];
    expect((await actorOf(records('198.51.100.40'), 4)).identityCenter).toMatchObject({ eventId: eventId(1), userId: 'CAROL' });
    expect((await actorOf(records('198.51.100.42'), 4)).identityCenter).toBeNull();
  });
});

describe('a key ID seen again', () => {
  const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/Admin`;
  const assumed = (n: number, time: string, sessionArn?: string) =>
    stsCall(n, time, 'AssumeRole', iamUser('alice', 'AKIAALICE'), ADMIN_ROLE, 'ASIAADMIN', sessionArn ? { responseElements: { credentials: { accessKeyId: 'ASIAADMIN' }, assumedRoleUser: { arn: sessionArn } } } : {});
  const deletionAt = (n: number, time: string, session = 'alice') => profileDeletion(n, time, roleSession('Admin', session, 'ASIAADMIN'), 'p');

  it.each([
    ['11 hours', '2026-04-06T20:00:00Z', [eventId(1)]],
    ['13 hours', '2026-04-06T22:00:00Z', []],
    ['a month', '2026-05-06T09:00:00Z', []],
  ])('when a role session key is used %s after the AssumeRole that issued it then it is followed only within the 12 hours such credentials last', async (_label, usedAt, chain) => {
    const actor = await actorOf([assumed(1, '2026-04-06T09:00:00Z'), deletionAt(2, usedAt)], 2);
    expect(actor.chain.map((hop) => hop.via)).toEqual(chain);
    if (chain.length === 0) expect(actor.origin).toMatchObject({ arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`, accessKeyId: 'ASIAADMIN' });
  });

  it('when the key was issued twice, years apart, then the issuing call within the credentials\' lifetime is followed', async () => {
    const actor = await actorOf(
      [
        stsCall(1, '2023-01-02T09:00:00Z', 'AssumeRole', iamUser('old-owner', 'AKIAOLD'), ADMIN_ROLE, 'ASIAADMIN'),
        assumed(2, '2026-04-06T09:00:00Z'),
        deletionAt(3, '2026-04-06T09:30:00Z'),
      ],
      3,
    );
    expect(actor.chain.map((hop) => hop.via)).toEqual([eventId(2)]);
  });

  it('when the issuing call names another session than the caller\'s then it is not followed; the same session in other case is', async () => {
    const other = await actorOf([assumed(1, '2026-04-06T09:00:00Z', `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/SampleSession`), deletionAt(2, '2026-04-06T09:10:00Z', 'bobson')], 2);
    expect(other.chain).toEqual([]);
    const same = await actorOf([assumed(1, '2026-04-06T09:00:00Z', `arn:aws:sts::${ACCOUNT}:assumed-role/admin/alice`), deletionAt(2, '2026-04-06T09:10:00Z')], 2);
    expect(same.chain.map((hop) => hop.via)).toEqual([eventId(1)]);
  });

  it.each([
    ['30 hours', '2026-04-07T15:00:00Z', 1],
    ['37 hours', '2026-04-07T22:00:00Z', 0],
  ])('when a GetSessionToken key is used %s later then it is followed only within the 36 hours it can last', async (_label, usedAt, hops) => {
    const actor = await actorOf(
      [stsCall(1, '2026-04-06T09:00:00Z', 'GetSessionToken', iamUser('bot', 'AKIABOT'), '', 'ASIABOTSESSION'), profileDeletion(2, usedAt, iamUser('bot', 'ASIABOTSESSION'), 'p')],
      2,
    );
    expect(actor.chain).toHaveLength(hops);
  });

  it('when another user calls with a key ID that a GetSessionToken issued to someone else then it is not followed', async () => {
    const actor = await actorOf(
      [stsCall(1, '2026-04-06T09:00:00Z', 'GetSessionToken', iamUser('bot', 'AKIABOT'), '', 'ASIABOTSESSION'), profileDeletion(2, '2026-04-06T09:10:00Z', iamUser('mallory', 'ASIABOTSESSION'), 'p')],
      2,
    );
    expect(actor.chain).toEqual([]);
  });

  it('when GetFederationToken names the federated user that calls then the chain reaches the IAM user behind it', async () => {
    const federated = { type: 'FederatedUser', principalId: `${ACCOUNT}:bob`, arn: `arn:aws:sts::${ACCOUNT}:federated-user/bob`, accountId: ACCOUNT, accessKeyId: 'ASIAFED' };
    const issue = (n: number, name: string) =>
      stsCall(n, '2026-04-06T09:00:00Z', 'GetFederationToken', iamUser('proxy', 'AKIAPROXY'), '', 'ASIAFED', {
        responseElements: { credentials: { accessKeyId: 'ASIAFED' }, federatedUser: { arn: `arn:aws:sts::${ACCOUNT}:federated-user/${name}`, federatedUserId: `${ACCOUNT}:${name}` } },
      });
    const actor = await actorOf([issue(1, 'bob'), profileDeletion(2, '2026-04-06T20:00:00Z', federated, 'p')], 2);
    expect(actor.origin).toMatchObject({ arn: `arn:aws:iam::${ACCOUNT}:user/proxy`, accessKeyId: 'AKIAPROXY' });
    const someoneElse = await actorOf([issue(1, 'carol'), profileDeletion(2, '2026-04-06T20:00:00Z', federated, 'p')], 2);
    expect(someoneElse.chain).toEqual([]);
  });
});
