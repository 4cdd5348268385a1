import { describe, expect, it } from 'vitest';
import type { EventRow } from '../../src/parse/event-row.js';
import { INSTANCE_HINT_KEYS, normalizeRecord, profilePathFromArn, SUBJECT_REQUEST_KEYS, SUBJECT_RESPONSE_KEYS } from '../../src/parse/normalize.js';
import { normalizeTimestamp } from '../../src/parse/timestamp.js';
import { record } from '../support/cloudtrail.js';

function row(overrides: Record<string, unknown>): EventRow {
  const result = normalizeRecord(record(overrides));
  if (!result.ok) throw new Error(result.reason);
  return result.row;
}

describe('identity normalization', () => {
  it('when the caller is an IAM user then type, arn, key and user name are columns', () => {
    const r = row({});
    expect(r).toMatchObject({
      identity_type: 'IAMUser',
      identity_arn: 'arn:aws:iam::111111111111:user/alice',
      principal_id: 'AIDAEXAMPLE000000001',
      account_id: '111111111111',
      access_key_id: 'AKIAEXAMPLE000000001',
      user_name: 'alice',
      session_issuer_arn: null,
      mfa_authenticated: null,
    });
  });

  it('when the caller is an assumed role then the session issuer and MFA come from sessionContext', () => {
    const r = row({
      userIdentity: {
        type: 'AssumedRole',
        principalId: 'AROAEXAMPLE:maint',
        arn: 'arn:aws:sts::111111111111:assumed-role/InfraAdmin/maint',
        accountId: '111111111111',
        accessKeyId: 'ASIAEXAMPLE000000002',
        sessionContext: {
          sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: 'arn:aws:iam::111111111111:role/InfraAdmin', accountId: '111111111111', userName: 'InfraAdmin' },
          attributes: { creationDate: '2026-03-06T03:00:00Z', mfaAuthenticated: 'false' },
          sourceIdentity: 'ops-admin',
        },
      },
    });
    expect(r).toMatchObject({
      identity_type: 'AssumedRole',
      session_issuer_arn: 'arn:aws:iam::111111111111:role/InfraAdmin',
      session_issuer_type: 'Role',
      mfa_authenticated: 0,
      source_identity: 'ops-admin',
      access_key_id: 'ASIAEXAMPLE000000002',
    });
  });

  it('when an AWS service acts then invokedBy is kept and there is no arn', () => {
    const r = row({ userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' }, sourceIPAddress: 'ec2.amazonaws.com' });
    expect(r).toMatchObject({ identity_type: 'AWSService', invoked_by: 'ec2.amazonaws.com', identity_arn: null, source_ip: 'ec2.amazonaws.com' });
  });

  it.each([
    ['Root', { type: 'Root', principalId: '111111111111', arn: 'arn:aws:iam::111111111111:root', accountId: '111111111111' }],
    ['AWSAccount', { type: 'AWSAccount', principalId: 'AIDAEXAMPLE', accountId: '222222222222' }],
    ['FederatedUser', { type: 'FederatedUser', principalId: '111111111111:bob', arn: 'arn:aws:sts::111111111111:federated-user/bob', accountId: '111111111111', accessKeyId: 'ASIAFED' }],
    ['SAMLUser', { type: 'SAMLUser', principalId: 'SAMLPRINCIPAL', userName: 'bob@example.com', identityProvider: 'idp' }],
    ['WebIdentityUser', { type: 'WebIdentityUser', principalId: 'token.actions.githubusercontent.com:sts.amazonaws.com:repo:org/app:ref', userName: 'repo:org/app:ref', identityProvider: 'token.actions.githubusercontent.com' }],
    ['IdentityCenterUser', { type: 'IdentityCenterUser', accountId: '111111111111', onBehalfOf: { userId: 'u-1', identityStoreArn: 'arn:aws:identitystore::1:identitystore/d-1' } }],
    ['Unknown', { type: 'Unknown', principalId: 'x', userName: 'HIDDEN_DUE_TO_SECURITY_REASONS' }],
  ])('when the identity type is %s then the row keeps its type and principal', (type, identity) => {
    const r = row({ userIdentity: identity });
    expect(r.identity_type).toBe(type);
    expect(r.principal_id).toBe((identity as { principalId?: string }).principalId ?? null);
  });

  it('when userIdentity is missing then the identity columns are null, not an error', () => {
    const r = row({ userIdentity: undefined });
    expect(r.identity_type).toBeNull();
  });

  it('when ConsoleLogin says MFAUsed No then mfa_authenticated is 0', () => {
    const r = row({ eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', additionalEventData: { MFAUsed: 'No' } });
    expect(r.mfa_authenticated).toBe(0);
  });
});

describe('subject extraction', () => {
  it('when DeleteInstanceProfile succeeds then the profile name comes from the request', () => {
    expect(row({ eventName: 'DeleteInstanceProfile', requestParameters: { instanceProfileName: 'web-app-profile' } }).instance_profile_name).toBe('web-app-profile');
  });

  it('when DeleteInstanceProfile is denied then the profile name comes from the error message', () => {
    const r = row({
      eventName: 'DeleteInstanceProfile',
      requestParameters: null,
      errorCode: 'AccessDenied',
      errorMessage:
        'User: arn:aws:sts::111111111111:assumed-role/InfraAdmin/maint is not authorized to perform: iam:DeleteInstanceProfile on resource: instance profile db-profile because no identity-based policy allows the iam:DeleteInstanceProfile action',
    });
    expect(r.instance_profile_name).toBe('db-profile');
  });

  it('when a denial names the profile by ARN then name and ARN are both kept', () => {
    const r = row({
      errorCode: 'AccessDenied',
      errorMessage: 'User: x is not authorized to perform: iam:DeleteInstanceProfile on resource: arn:aws:iam::111111111111:instance-profile/app/web-app-profile because no ...',
    });
    expect(r.instance_profile_name).toBe('web-app-profile');
    expect(r.instance_profile_arn).toBe('arn:aws:iam::111111111111:instance-profile/app/web-app-profile');
  });

  it('when a launch fails on an invalid profile then the name comes from the EC2 error message', () => {
    const r = row({
      eventName: 'RunInstances',
      errorCode: 'Client.InvalidParameterValue',
      errorMessage: 'Value (web-app-profile) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name',
      requestParameters: { launchTemplate: { launchTemplateId: 'lt-0abc', version: '$Default' } },
    });
    expect(r.instance_profile_name).toBe('web-app-profile');
    expect(r.launch_template_id).toBe('lt-0abc');
  });

  it('when RunInstances names the profile by ARN then the name is its last path segment', () => {
    const r = row({
      eventName: 'RunInstances',
      requestParameters: { iamInstanceProfile: { arn: 'arn:aws:iam::111111111111:instance-profile/app/web-app-profile' } },
      responseElements: { instancesSet: { items: [{ instanceId: 'i-0aaaaaaaaaaaaaaa1', iamInstanceProfile: { arn: 'arn:aws:iam::111111111111:instance-profile/app/web-app-profile', id: 'AIPA1' } }] } },
    });
    expect(r.instance_profile_name).toBe('web-app-profile');
    expect(r.instance_ids).toBe('i-0aaaaaaaaaaaaaaa1');
  });

  it('when AssociateIamInstanceProfile uses the PascalCase wrapper then profile and instance are found', () => {
    const r = row({
      eventName: 'AssociateIamInstanceProfile',
      requestParameters: { AssociateIamInstanceProfileRequest: { InstanceId: 'i-0ccccccccccccccc3', IamInstanceProfile: { Name: 'web-app-profile' } } },
      responseElements: { AssociateIamInstanceProfileResponse: { iamInstanceProfileAssociation: { associationId: 'iip-assoc-1', instanceId: 'i-0ccccccccccccccc3', iamInstanceProfile: { arn: 'arn:aws:iam::111111111111:instance-profile/app/web-app-profile', id: 'AIPA1' }, state: 'associating' } } },
    });
    expect(r.instance_profile_name).toBe('web-app-profile');
    expect(r.instance_profile_arn).toBe('arn:aws:iam::111111111111:instance-profile/app/web-app-profile');
    expect(r.instance_ids).toBe('i-0ccccccccccccccc3');
  });

  // Shapes as real records spell them (Stratus Red Team's SSM sessions, OTRF's EC2 recon).
  it.each([
    ['SSM StartSession names its target', 'StartSession', { target: 'i-eA1d1296c1dE3Aa1f' }, 'i-eA1d1296c1dE3Aa1f'],
    ['an older EC2 record spells the instances set item', 'DescribeClassicLinkInstances', { filterSet: {}, instancesSet: { item: [{ instanceId: 'i-0317f6c6b66ae9c40' }] } }, 'i-0317f6c6b66ae9c40'],
    ['a PascalCase wrapper gives the ID as {tag, content}', 'DescribeInstanceCreditSpecifications', { DescribeInstanceCreditSpecificationsRequest: { InstanceId: { tag: 1, content: 'i-044b1baf4c96e1b62' } } }, 'i-044b1baf4c96e1b62'],
    ['a PascalCase wrapper gives a list of IDs', 'DescribeInstanceCreditSpecifications', { DescribeInstanceCreditSpecificationsRequest: { InstanceId: [{ tag: 1, content: 'i-0aaaaaaaaaaaaaaa1' }, 'i-0bbbbbbbbbbbbbbb2'] } }, 'i-0aaaaaaaaaaaaaaa1 i-0bbbbbbbbbbbbbbb2'],
    ['a PascalCase wrapper gives the ID as text', 'GetConsoleScreenshot', { GetConsoleScreenshotRequest: { InstanceId: 'i-0ccccccccccccccc3' } }, 'i-0ccccccccccccccc3'],
    ['an EC2 filter selects by instance-id', 'DescribeAddresses', { filterSet: { items: [{ valueSet: { items: [{ value: 'i-044b1baf4c96e1b62' }] }, name: 'instance-id' }] }, allocationIdsSet: {}, publicIpsSet: {} }, 'i-044b1baf4c96e1b62'],
    ['an SSM filter selects by InstanceIds', 'DescribeInstanceInformation', { filters: [{ key: 'InstanceIds', values: ['i-d3720C7af6fCfF2B2', 'i-d0b6DCBA8984dE148'] }] }, 'i-d0b6DCBA8984dE148 i-d3720C7af6fCfF2B2'],
  ])('when %s then the call names that instance', (_label, eventName, requestParameters, expected) => {
    expect(row({ eventName, requestParameters, responseElements: null }).instance_ids).toBe(expected);
  });

  it('when a filter, target or wrapper holds something other than an instance ID then no instance is named', () => {
    expect(row({ eventName: 'DescribeAddresses', requestParameters: { filterSet: { items: [{ valueSet: { items: [{ value: 'i-044b1baf4c96e1b62' }] }, name: 'tag:Name' }] } }, responseElements: null }).instance_ids).toBeNull();
    expect(row({ eventName: 'StartSession', requestParameters: { target: 'mi-0123456789abcdef0' }, responseElements: null }).instance_ids).toBeNull();
    expect(row({ eventName: 'X', requestParameters: { XRequest: { InstanceId: { tag: 1 } }, other: 1 }, responseElements: null }).instance_ids).toBeNull();
  });

  it('when a launch template carries a profile then template ID, name and profile are found', () => {
    const r = row({
      eventName: 'CreateLaunchTemplate',
      requestParameters: { CreateLaunchTemplateRequest: { LaunchTemplateName: 'web-app-lt', LaunchTemplateData: { IamInstanceProfile: { Name: 'web-app-profile' } } } },
      responseElements: { CreateLaunchTemplateResponse: { launchTemplate: { launchTemplateId: 'lt-0123', launchTemplateName: 'web-app-lt' } } },
    });
    expect(r).toMatchObject({ instance_profile_name: 'web-app-profile', launch_template_id: 'lt-0123', launch_template_name: 'web-app-lt' });
  });

  it('when STS issues credentials or IAM creates a key then the issued key is a column', () => {
    expect(row({ eventName: 'AssumeRole', requestParameters: { roleArn: 'arn:aws:iam::1:role/R', roleSessionName: 's' }, responseElements: { credentials: { accessKeyId: 'ASIAISSUED', expiration: 'Mar 6, 2026, 4:14:15 AM' } } })).toMatchObject({
      issued_access_key_id: 'ASIAISSUED',
      role_arn: 'arn:aws:iam::1:role/R',
    });
    expect(row({ eventName: 'CreateAccessKey', requestParameters: { userName: 'deploy-bot' }, responseElements: { accessKey: { accessKeyId: 'AKIANEW', userName: 'deploy-bot', status: 'Active' } } })).toMatchObject({
      issued_access_key_id: 'AKIANEW',
      target_user_name: 'deploy-bot',
    });
  });

  it('when requestParameters arrive as JSON text then they are still read', () => {
    expect(row({ requestParameters: JSON.stringify({ instanceProfileName: 'p' }) }).instance_profile_name).toBe('p');
  });

  it('when the path of a profile ARN is asked then nested and root paths both come out', () => {
    expect(profilePathFromArn('arn:aws:iam::1:instance-profile/app/web/x')).toBe('/app/web/');
    expect(profilePathFromArn('arn:aws:iam::1:instance-profile/x')).toBe('/');
  });
});

describe('timestamps', () => {
  it.each([
    ['2026-03-06T03:14:15Z', '2026-03-06T03:14:15Z'],
    ['2026-03-06T03:14:15.123Z', '2026-03-06T03:14:15Z'],
    ['2026-03-06 03:14:15', '2026-03-06T03:14:15Z'],
    ['2026-03-06 03:14:15.000000000', '2026-03-06T03:14:15Z'],
    ['2022-02-08 09:23:37+11:00', '2022-02-07T22:23:37Z'],
    ['2026-03-06 03:14:15Z', '2026-03-06T03:14:15Z'],
  ])('when the time is %s then it becomes %s', (input, expected) => {
    expect(normalizeTimestamp(input)).toBe(expected);
  });

  it.each(['redacted', '...', '2026-02-30T00:00:00Z', ''])('when the time is %j then it is unreadable', (input) => {
    expect(normalizeTimestamp(input)).toBeNull();
  });

  it('when eventTime is absent but a Logstash @timestamp is there then that time is used', () => {
    const result = normalizeRecord(record({ eventTime: undefined, '@timestamp': '2020-09-14T00:44:23.000Z' }));
    expect(result.ok && result.row.event_time).toBe('2020-09-14T00:44:23Z');
  });
});

describe('timestamps out of range', () => {
  it.each([-62167219200.001, 1e17, -1e15])('when eventTime is the number %s then it is unreadable, not a malformed time', (value) => {
    expect(normalizeTimestamp(value)).toBeNull();
  });
});

describe('subject keys', () => {
  /** An object holding every listed key (as an empty object) that notes each key normalizing asks it about. */
  function probe(keys: ReadonlySet<string>, asked: Set<string>): object {
    const target = Object.fromEntries([...keys].map((key) => [key, {}]));
    return new Proxy(target, {
      getOwnPropertyDescriptor(object, key) {
        asked.add(String(key));
        return Reflect.getOwnPropertyDescriptor(object, key);
      },
      has(object, key) {
        asked.add(String(key));
        return Reflect.has(object, key);
      },
      get(object, key, receiver) {
        if (typeof key === 'string') asked.add(key);
        return Reflect.get(object, key, receiver);
      },
    });
  }

  it('when normalizing reads requestParameters or responseElements then it asks only for the listed keys', () => {
    // Every listed key is present but empty, so no reader stops early and every lookup happens.
    const askedOfRequest = new Set<string>();
    const askedOfResponse = new Set<string>();
    const result = normalizeRecord(
      record({
        errorMessage: 'not authorized on resource: instance profile web',
        requestParameters: probe(SUBJECT_REQUEST_KEYS, askedOfRequest),
        responseElements: probe(SUBJECT_RESPONSE_KEYS, askedOfResponse),
      }),
    );
    expect(result.ok).toBe(true);
    expect(askedOfRequest.size).toBeGreaterThan(0);
    // The instance hints are read of every request, on purpose (a few lookups).
    expect([...askedOfRequest].filter((key) => !SUBJECT_REQUEST_KEYS.has(key) && !INSTANCE_HINT_KEYS.has(key))).toEqual([]);
    expect([...askedOfResponse].filter((key) => !SUBJECT_RESPONSE_KEYS.has(key))).toEqual([]);
  });
});

// Appended with the `details` block below; import declarations are hoisted, so it may sit here.
import { detailsOf } from '../../src/parse/event-row.js';

describe('details', () => {
  const assumedRole = {
    type: 'AssumedRole',
    principalId: 'AROAAPP:i-0aaaaaaaaaaaaaaa1',
    arn: 'arn:aws:sts::111111111111:assumed-role/app-role/i-0aaaaaaaaaaaaaaa1',
    accountId: '111111111111',
    accessKeyId: 'ASIAINSTANCE',
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: 'AROAAPP', arn: 'arn:aws:iam::111111111111:role/app-role', accountId: '111111111111', userName: 'app-role' },
      attributes: { creationDate: '2026-03-06T00:00:00Z', mfaAuthenticated: 'false' },
      ec2RoleDelivery: '1.0',
    },
  };

  it.each([
    ['the string "true"', 'true'],
    ['the boolean true', true],
  ])('when sessionCredentialFromConsole is %s then details.consoleSession is true', (_label, value) => {
    expect(detailsOf(row({ sessionCredentialFromConsole: value })).consoleSession).toBe(true);
  });

  it('when sessionCredentialFromConsole is "false" then there is no consoleSession', () => {
    const r = row({ sessionCredentialFromConsole: 'false' });
    expect(detailsOf(r).consoleSession).toBeUndefined();
    expect(r.details).toBeNull();
  });

  it('when an instance-role session calls with nothing else to note then it has no details (ec2RoleDelivery is not kept: nothing reads it)', () => {
    expect(row({ userIdentity: assumedRole }).details).toBeNull();
  });

  it('when a SAML identity assumes a role then its session is kept, and its identityProvider is not (nothing reads it)', () => {
    const r = row({
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRoleWithSAML',
      userIdentity: { type: 'SAMLUser', principalId: 'idp-hash:bob@example.com', userName: 'bob@example.com', identityProvider: 'idp-hash' },
      requestParameters: { roleArn: 'arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123', roleSessionName: 'bob@example.com', principalArn: 'arn:aws:iam::111111111111:saml-provider/AWSSSO_0123_DO_NOT_DELETE' },
      responseElements: { credentials: { accessKeyId: 'ASIASAML' }, assumedRoleUser: { arn: 'arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Admin_0123/bob@example.com' } },
    });
    expect(detailsOf(r)).toMatchObject({ roleSessionName: 'bob@example.com', issuedSessionArn: 'arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Admin_0123/bob@example.com' });
    expect(detailsOf(r)).not.toHaveProperty('identityProvider');
  });

  it('when the call carries onBehalfOf then its user ID and identity store are kept', () => {
    const r = row({
      userIdentity: { ...assumedRole, onBehalfOf: { userId: 'u-0123', identityStoreArn: 'arn:aws:identitystore::111111111111:identitystore/d-0123' } },
    });
    expect(detailsOf(r)).toMatchObject({ onBehalfOfUserId: 'u-0123', identityStoreArn: 'arn:aws:identitystore::111111111111:identitystore/d-0123' });
  });

  it('when AssumeRole started a session then roleSessionName and the assumed-role ARN are kept', () => {
    const r = row({
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      requestParameters: { roleArn: 'arn:aws:iam::111111111111:role/Admin', roleSessionName: 'maint' },
      responseElements: {
        credentials: { accessKeyId: 'ASIAISSUED', expiration: 'Mar 6, 2026, 4:14:15 AM' },
        assumedRoleUser: { assumedRoleId: 'AROAADMIN:maint', arn: 'arn:aws:sts::111111111111:assumed-role/Admin/maint' },
      },
    });
    expect(detailsOf(r)).toMatchObject({ roleSessionName: 'maint', issuedSessionArn: 'arn:aws:sts::111111111111:assumed-role/Admin/maint' });
  });

  it('when CreateAccessKey made a key then issuedKeyOwner is its user', () => {
    const r = row({ eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', requestParameters: { userName: 'deploy-bot' }, responseElements: { accessKey: { accessKeyId: 'AKIANEW', userName: 'deploy-bot', status: 'Active' } } });
    expect(detailsOf(r).issuedKeyOwner).toBe('deploy-bot');
  });

  it('when ConsoleLogin is logged then loginResult is its outcome', () => {
    const r = row({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn', responseElements: { ConsoleLogin: 'Failure' }, additionalEventData: { MFAUsed: 'No' } });
    expect(detailsOf(r).loginResult).toBe('Failure');
  });

  it('when Identity Center GetRoleCredentials names the target in serviceEventDetails then role_name is a column and the account a detail', () => {
    const r = row({
      eventSource: 'sso.amazonaws.com',
      eventName: 'GetRoleCredentials',
      eventType: 'AwsServiceEvent',
      userIdentity: { type: 'IdentityCenterUser', accountId: '999999999999', onBehalfOf: { userId: 'u-0123', identityStoreArn: 'arn:aws:identitystore::999999999999:identitystore/d-0123' } },
      requestParameters: null,
      serviceEventDetails: { role_name: 'AWSReservedSSO_Admin_0123', account_id: '111111111111' },
    });
    expect(r.role_name).toBe('AWSReservedSSO_Admin_0123');
    expect(detailsOf(r).targetAccountId).toBe('111111111111');
  });

  it('when GetRoleCredentials names the target in requestParameters then role_name and the account are still found', () => {
    const r = row({ eventSource: 'sso.amazonaws.com', eventName: 'GetRoleCredentials', eventType: 'AwsServiceEvent', requestParameters: { accountId: '111111111111', roleName: 'AWSReservedSSO_Admin_0123' } });
    expect(r.role_name).toBe('AWSReservedSSO_Admin_0123');
    expect(detailsOf(r).targetAccountId).toBe('111111111111');
  });

  it('when StopLogging names the trail by name and PutEventSelectors by trailName then both give trailName', () => {
    expect(detailsOf(row({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', requestParameters: { name: 'org-trail' } })).trailName).toBe('org-trail');
    expect(
      detailsOf(row({ eventSource: 'cloudtrail.amazonaws.com', eventName: 'PutEventSelectors', requestParameters: { trailName: 'org-trail', eventSelectors: [{ readWriteType: 'ReadOnly' }] } })).trailName,
    ).toBe('org-trail');
  });

  const profileArn = 'arn:aws:iam::111111111111:instance-profile/app/web-app-profile';
  const association = (associationId: string, state: string) => ({ associationId, instanceId: 'i-0ccccccccccccccc3', iamInstanceProfile: { arn: profileArn, id: 'AIPA1' }, state });

  it.each([
    [
      'wrapped AssociateIamInstanceProfile',
      'AssociateIamInstanceProfile',
      { AssociateIamInstanceProfileRequest: { InstanceId: 'i-0ccccccccccccccc3', IamInstanceProfile: { Name: 'web-app-profile' } } },
      { AssociateIamInstanceProfileResponse: { iamInstanceProfileAssociation: association('iip-assoc-0new', 'associating') } },
      { associationId: 'iip-assoc-0new' },
    ],
    [
      'camelCase AssociateIamInstanceProfile',
      'AssociateIamInstanceProfile',
      { instanceId: 'i-0ccccccccccccccc3', iamInstanceProfile: { name: 'web-app-profile' } },
      { iamInstanceProfileAssociation: association('iip-assoc-0new', 'associating') },
      { associationId: 'iip-assoc-0new' },
    ],
    [
      'wrapped ReplaceIamInstanceProfileAssociation',
      'ReplaceIamInstanceProfileAssociation',
      { ReplaceIamInstanceProfileAssociationRequest: { AssociationId: 'iip-assoc-0old', IamInstanceProfile: { Name: 'web-app-profile' } } },
      { ReplaceIamInstanceProfileAssociationResponse: { iamInstanceProfileAssociation: association('iip-assoc-0new', 'associating') } },
      { associationId: 'iip-assoc-0old', newAssociationId: 'iip-assoc-0new' },
    ],
    [
      'camelCase ReplaceIamInstanceProfileAssociation',
      'ReplaceIamInstanceProfileAssociation',
      { associationId: 'iip-assoc-0old', iamInstanceProfile: { name: 'web-app-profile' } },
      { iamInstanceProfileAssociation: association('iip-assoc-0new', 'associating') },
      { associationId: 'iip-assoc-0old', newAssociationId: 'iip-assoc-0new' },
    ],
    [
      'wrapped DisassociateIamInstanceProfile',
      'DisassociateIamInstanceProfile',
      { DisassociateIamInstanceProfileRequest: { AssociationId: 'iip-assoc-0old' } },
      { DisassociateIamInstanceProfileResponse: { iamInstanceProfileAssociation: association('iip-assoc-0old', 'disassociating') } },
      { associationId: 'iip-assoc-0old' },
    ],
    ['plain DisassociateIamInstanceProfile naming only the association', 'DisassociateIamInstanceProfile', { associationId: 'iip-assoc-0old' }, null, { associationId: 'iip-assoc-0old' }],
  ])('when %s is logged then its association IDs are details', (_label, eventName, requestParameters, responseElements, expected) => {
    const details = detailsOf(row({ eventName, requestParameters, responseElements }));
    expect({ associationId: details.associationId, newAssociationId: details.newAssociationId }).toEqual({ newAssociationId: undefined, ...expected });
  });

  it('when a plain DescribeInstances is logged then it has no details', () => {
    const r = row({ eventName: 'DescribeInstances', requestParameters: { instancesSet: {}, filterSet: {} }, responseElements: null });
    expect(r.details).toBeNull();
    expect(detailsOf(r)).toEqual({});
  });
});

describe('unreadable times', () => {
  it('when eventTime is an object with its own toString key then the record is rejected with a reason, not a throw', () => {
    const result = normalizeRecord(record({ eventTime: { toString: 0 } }));
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('unreadable eventTime') });
  });
});

describe('services that keep an instance profile', () => {
  const CE_ARN = 'arn:aws:batch:us-west-2:111111111111:compute-environment/nightly';
  const IC_ARN = 'arn:aws:imagebuilder:us-west-2:111111111111:infrastructure-configuration/golden';

  it('when CreateComputeEnvironment names the instance role by name then the profile and the compute environment are read', () => {
    const r = row({
      eventSource: 'batch.amazonaws.com',
      eventName: 'CreateComputeEnvironment',
      requestParameters: { computeEnvironmentName: 'nightly', type: 'MANAGED', computeResources: { type: 'EC2', instanceRole: 'batch-profile' } },
      responseElements: { computeEnvironmentName: 'nightly', computeEnvironmentArn: CE_ARN },
    });
    expect([r.instance_profile_name, r.instance_profile_arn]).toEqual(['batch-profile', null]);
    expect(detailsOf(r)).toMatchObject({ resourceArn: CE_ARN, resourceName: 'nightly' });
  });

  it('when the instance role is an instance profile ARN then name and ARN are read; a role ARN names no profile', () => {
    const arn = 'arn:aws:iam::111111111111:instance-profile/app/batch-profile';
    const byArn = row({ eventSource: 'batch.amazonaws.com', eventName: 'UpdateComputeEnvironment', requestParameters: { computeEnvironment: CE_ARN, computeResources: { instanceRole: arn } } });
    expect([byArn.instance_profile_name, byArn.instance_profile_arn]).toEqual(['batch-profile', arn]);
    expect(detailsOf(byArn)).toMatchObject({ resourceArn: CE_ARN, resourceName: 'nightly' });
    const role = row({ eventSource: 'batch.amazonaws.com', eventName: 'UpdateComputeEnvironment', requestParameters: { computeEnvironment: 'nightly', computeResources: { instanceRole: 'arn:aws:iam::111111111111:role/ecsInstanceRole' } } });
    expect([role.instance_profile_name, role.instance_profile_arn]).toEqual([null, null]);
  });

  it('when DeleteComputeEnvironment names it by name then only the name is read', () => {
    const r = row({ eventSource: 'batch.amazonaws.com', eventName: 'DeleteComputeEnvironment', requestParameters: { computeEnvironment: 'nightly' } });
    expect(detailsOf(r)).toEqual({ resourceName: 'nightly' });
  });

  it('when an Image Builder infrastructure configuration names the profile (camelCase or PascalCase) then profile and ARN are read', () => {
    const camel = row({ eventSource: 'imagebuilder.amazonaws.com', eventName: 'CreateInfrastructureConfiguration', requestParameters: { name: 'golden', instanceProfileName: 'ib-profile' }, responseElements: { infrastructureConfigurationArn: IC_ARN } });
    expect(camel.instance_profile_name).toBe('ib-profile');
    expect(detailsOf(camel).resourceArn).toBe(IC_ARN);
    const pascal = row({ eventSource: 'imagebuilder.amazonaws.com', eventName: 'UpdateInfrastructureConfiguration', requestParameters: { InfrastructureConfigurationArn: IC_ARN, InstanceProfileName: 'ib-profile' } });
    expect(pascal.instance_profile_name).toBe('ib-profile');
    expect(detailsOf(pascal).resourceArn).toBe(IC_ARN);
  });

  it('when another service uses the same keys then no resource is read', () => {
    const r = row({ eventSource: 'ec2.amazonaws.com', eventName: 'UpdateComputeEnvironment', requestParameters: { computeEnvironment: 'nightly' } });
    expect(detailsOf(r).resourceName).toBeUndefined();
  });
});

describe('Amazon EMR clusters', () => {
  it('when RunJobFlow names jobFlowRole then it is the profile and the cluster ID is the resource', () => {
    const r = row({ eventSource: 'elasticmapreduce.amazonaws.com', eventName: 'RunJobFlow', requestParameters: { name: 'etl', jobFlowRole: 'emr-profile' }, responseElements: { jobFlowId: 'j-1ABCDEFGHIJKL' } });
    expect(r.instance_profile_name).toBe('emr-profile');
    expect(detailsOf(r)).toMatchObject({ resourceName: 'j-1ABCDEFGHIJKL' });
  });

  it('when TerminateJobFlows names several clusters then all are read; AddInstanceFleet names one by clusterId', () => {
    const terminate = row({ eventSource: 'elasticmapreduce.amazonaws.com', eventName: 'TerminateJobFlows', requestParameters: { jobFlowIds: ['j-1', 'j-2'] } });
    expect(detailsOf(terminate).resourceNames).toEqual(['j-1', 'j-2']);
    const fleet = row({ eventSource: 'elasticmapreduce.amazonaws.com', eventName: 'AddInstanceFleet', requestParameters: { clusterId: 'j-3', instanceFleet: {} } });
    expect(detailsOf(fleet).resourceName).toBe('j-3');
  });
});

describe('records without eventID', () => {
  const oldRecord = (overrides: Record<string, unknown> = {}): Record<string, unknown> => {
    const { eventID: _dropped, ...rest } = record({ eventVersion: '1.0', eventTime: '2014-03-06T21:22:54Z', eventName: 'StartInstances', ...overrides });
    return rest;
  };

  it('when an eventVersion 1.0 record has no eventID (CloudTrail added it in 1.01) then its ID is the SHA-256 of the record, the same for the same record', () => {
    const original = oldRecord();
    const first = normalizeRecord(original);
    const again = normalizeRecord(structuredClone(original));
    const other = normalizeRecord({ ...original, eventName: 'StopInstances' });
    expect(first.ok && first.row.event_id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(again.ok && again.row.event_id).toBe(first.ok && first.row.event_id);
    expect(other.ok && other.row.event_id).not.toBe(first.ok && first.row.event_id);
  });

  it.each(['1.01', '1.08', undefined])('when a record of eventVersion %s has no eventID then it is rejected as broken', (version) => {
    const broken = oldRecord();
    if (version === undefined) delete broken.eventVersion;
    else broken.eventVersion = version;
    expect(normalizeRecord(broken)).toMatchObject({ ok: false, reason: 'record has no eventID' });
  });

  it('when an eventVersion 1.0 record has an eventID then that is its ID', () => {
    expect(row({ eventVersion: '1.0', eventID: 'given-id' }).event_id).toBe('given-id');
  });
});

describe('trust policies', () => {
  const trust = (statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

  it('when a role\'s trust policy is replaced then the principals its Allow statements name are kept, a Deny\'s are not', () => {
    const r = row({
      eventSource: 'iam.amazonaws.com',
      eventName: 'UpdateAssumeRolePolicy',
      requestParameters: {
        roleName: 'app',
        policyDocument: trust([
          { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
          { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::193672423079:root'] }, Action: 'sts:AssumeRole' },
          { Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sts:AssumeRole' },
        ]),
      },
    });
    expect(detailsOf(r).trustedPrincipals).toEqual(['ec2.amazonaws.com', 'arn:aws:iam::193672423079:root']);
  });

  it('when CreateRole trusts everyone or a web identity provider then that is kept; an unreadable document or another call yields none', () => {
    const everyone = row({ eventSource: 'iam.amazonaws.com', eventName: 'CreateRole', requestParameters: { roleName: 'x', assumeRolePolicyDocument: trust([{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }]) } });
    expect(detailsOf(everyone).trustedPrincipals).toEqual(['*']);
    const oidc = row({ eventSource: 'iam.amazonaws.com', eventName: 'CreateRole', requestParameters: { roleName: 'x', assumeRolePolicyDocument: trust([{ Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com' } }]) } });
    expect(detailsOf(oidc).trustedPrincipals).toEqual(['arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com']);
    expect(detailsOf(row({ eventSource: 'iam.amazonaws.com', eventName: 'UpdateAssumeRolePolicy', requestParameters: { roleName: 'x', policyDocument: '{not json' } })).trustedPrincipals).toBeUndefined();
    expect(detailsOf(row({ eventSource: 'iam.amazonaws.com', eventName: 'PutRolePolicy', requestParameters: { roleName: 'x', policyName: 'p', policyDocument: trust([{ Effect: 'Allow', Principal: '*' }]) } })).trustedPrincipals).toBeUndefined();
  });
});
