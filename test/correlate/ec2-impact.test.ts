/** EC2 impact of a deletion: each instance's association history replayed up to the deletion. */
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/correlate/incident.js';
import { investigateDeletion } from '../../src/correlate/investigate.js';
import { eventId, record, type RecordShape } from '../support/cloudtrail.js';
import { MemoryEvidence } from './memory-evidence.js';

const ACCOUNT = '111111111111';
const OTHER_ACCOUNT = '999999999999';
const REGION = 'us-west-2';
const PROFILE = 'web-app-profile';
const PROFILE_ARN = `arn:aws:iam::${ACCOUNT}:instance-profile/app/${PROFILE}`;
const OTHER_PROFILE = 'batch-profile';
const OTHER_PROFILE_ARN = `arn:aws:iam::${ACCOUNT}:instance-profile/${OTHER_PROFILE}`;
const I1 = 'i-0aaaaaaaaaaaaaaa1';
const I2 = 'i-0bbbbbbbbbbbbbbb2';
const DELETED_AT = '2026-03-06T12:00:00Z';

const alice = {
  type: 'IAMUser',
  principalId: 'AIDAALICE',
  arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  accountId: ACCOUNT,
  accessKeyId: 'AKIAALICE',
  userName: 'alice',
};

const ec2Call = (n: number, time: string, eventName: string, fields: RecordShape = {}): RecordShape =>
  record({ eventID: eventId(n), eventTime: time, eventName, awsRegion: REGION, recipientAccountId: ACCOUNT, userIdentity: alice, readOnly: false, ...fields });

/** RunInstances; the response names the profile by ARN in the account the launch is recorded in, as EC2 does. */
const launch = (n: number, time: string, profile: RecordShape | null, instanceId: string, fields: RecordShape = {}): RecordShape => {
  const account = String(fields.recipientAccountId ?? ACCOUNT);
  const arn = profile ? (profile.arn ?? `arn:aws:iam::${account}:instance-profile/${String(profile.name)}`) : null;
  return ec2Call(n, time, 'RunInstances', {
    requestParameters: { instanceType: 't3.micro', ...(profile ? { iamInstanceProfile: profile } : {}) },
    responseElements: { instancesSet: { items: [{ instanceId, ...(arn ? { iamInstanceProfile: { arn, id: 'AIPAEXAMPLE' } } : {}) }] } },
    ...fields,
  });
};

const instanceState = (n: number, time: string, eventName: 'StopInstances' | 'StartInstances' | 'TerminateInstances', instanceId: string): RecordShape =>
  ec2Call(n, time, eventName, {
    requestParameters: { instancesSet: { items: [{ instanceId }] } },
    responseElements: { instancesSet: { items: [{ instanceId, currentState: { code: 0, name: 'x' }, previousState: { code: 16, name: 'running' } }] } },
  });

const association = (associationId: string, instanceId: string, profileArn: string, state: string) => ({
  associationId,
  instanceId,
  iamInstanceProfile: { arn: profileArn, id: 'AIPAEXAMPLE' },
  state,
});

const associateWrapped = (n: number, time: string, instanceId: string, profileName: string, profileArn: string, associationId: string): RecordShape =>
  ec2Call(n, time, 'AssociateIamInstanceProfile', {
    requestParameters: { AssociateIamInstanceProfileRequest: { InstanceId: instanceId, IamInstanceProfile: { Name: profileName } } },
    responseElements: { AssociateIamInstanceProfileResponse: { iamInstanceProfileAssociation: association(associationId, instanceId, profileArn, 'associating') } },
  });

const associatePlain = (n: number, time: string, instanceId: string, profileName: string, profileArn: string, associationId: string): RecordShape =>
  ec2Call(n, time, 'AssociateIamInstanceProfile', {
    requestParameters: { instanceId, iamInstanceProfile: { name: profileName } },
    responseElements: { iamInstanceProfileAssociation: association(associationId, instanceId, profileArn, 'associating') },
  });

const replaceWrapped = (n: number, time: string, oldId: string, newId: string, instanceId: string, profileName: string, profileArn: string): RecordShape =>
  ec2Call(n, time, 'ReplaceIamInstanceProfileAssociation', {
    requestParameters: { ReplaceIamInstanceProfileAssociationRequest: { AssociationId: oldId, IamInstanceProfile: { Name: profileName } } },
    responseElements: { ReplaceIamInstanceProfileAssociationResponse: { iamInstanceProfileAssociation: association(newId, instanceId, profileArn, 'associating') } },
  });

const replacePlain = (n: number, time: string, oldId: string, newId: string, instanceId: string, profileName: string, profileArn: string): RecordShape =>
  ec2Call(n, time, 'ReplaceIamInstanceProfileAssociation', {
    requestParameters: { associationId: oldId, iamInstanceProfile: { name: profileName } },
    responseElements: { iamInstanceProfileAssociation: association(newId, instanceId, profileArn, 'associating') },
  });

const disassociateWrapped = (n: number, time: string, associationId: string, instanceId: string, profileArn: string): RecordShape =>
  ec2Call(n, time, 'DisassociateIamInstanceProfile', {
    requestParameters: { DisassociateIamInstanceProfileRequest: { AssociationId: associationId } },
    responseElements: { DisassociateIamInstanceProfileResponse: { iamInstanceProfileAssociation: association(associationId, instanceId, profileArn, 'disassociating') } },
  });

/** The plain shape that names only the association: nothing in it says which instance. */
const disassociateById = (n: number, time: string, associationId: string): RecordShape =>
  ec2Call(n, time, 'DisassociateIamInstanceProfile', { requestParameters: { associationId }, responseElements: null });

const deletion = (n: number, time = DELETED_AT, name = PROFILE, fields: RecordShape = {}): RecordShape =>
  record({
    eventID: eventId(n),
    eventTime: time,
    eventSource: 'iam.amazonaws.com',
    eventName: 'DeleteInstanceProfile',
    userIdentity: alice,
    requestParameters: { instanceProfileName: name },
    recipientAccountId: ACCOUNT,
    readOnly: false,
    ...fields,
  });

async function investigateAt(records: RecordShape[], deletionN: number): Promise<Incident> {
  const evidence = new MemoryEvidence(records);
  return await investigateDeletion((await evidence.eventById(eventId(deletionN)))!, evidence);
}

const statuses = (incident: Incident) => incident.affectedInstances.map((instance) => [instance.instanceId, instance.status]);

describe('instances launched with the profile', () => {
  it('when an instance was launched with the profile by name then it is running-at-deletion', async () => {
    const incident = await investigateAt([launch(1, '2026-03-01T00:00:00Z', { name: PROFILE }, I1), deletion(2)], 2);
    expect(incident.affectedInstances).toEqual([
      { instanceId: I1, region: REGION, accountId: ACCOUNT, launchEventId: eventId(1), via: 'RunInstances', status: 'running-at-deletion', statusEventId: null, associationId: null, reboundAfter: null },
    ]);
  });

  it('when an instance was launched with the profile by an ARN with a path then it is running-at-deletion', async () => {
    const incident = await investigateAt([launch(1, '2026-03-01T00:00:00Z', { arn: PROFILE_ARN }, I1), deletion(2)], 2);
    expect(statuses(incident)).toEqual([[I1, 'running-at-deletion']]);
    expect(incident.affectedInstances[0]).toMatchObject({ launchEventId: eventId(1), via: 'RunInstances' });
  });

  it('when a same-named profile lives in another account then its instances never count', async () => {
    const incident = await investigateAt(
      [
        launch(1, '2026-03-01T00:00:00Z', { name: PROFILE }, I1, { recipientAccountId: OTHER_ACCOUNT }),
        launch(2, '2026-03-01T00:00:00Z', { arn: `arn:aws:iam::${OTHER_ACCOUNT}:instance-profile/${PROFILE}` }, I2),
        deletion(3),
      ],
      3,
    );
    expect(incident.affectedInstances).toEqual([]);
  });

  it('when an instance holds the -staging profile then it never counts for the deleted one', async () => {
    const incident = await investigateAt(
      [
        launch(1, '2026-03-01T00:00:00Z', { name: `${PROFILE}-staging` }, I1),
        launch(2, '2026-03-01T00:00:00Z', { arn: `arn:aws:iam::${ACCOUNT}:instance-profile/app/${PROFILE}-staging` }, I2),
        deletion(3),
      ],
      3,
    );
    expect(incident.affectedInstances).toEqual([]);
  });
});

describe('instance state before the deletion', () => {
  it('when an instance was stopped and not started again then it is stopped-at-deletion', async () => {
    const incident = await investigateAt([launch(1, '2026-03-01T00:00:00Z', { name: PROFILE }, I1), instanceState(2, '2026-03-03T00:00:00Z', 'StopInstances', I1), deletion(3)], 3);
    expect(incident.affectedInstances).toMatchObject([{ instanceId: I1, status: 'stopped-at-deletion', statusEventId: eventId(2) }]);
  });

  it('when an instance was stopped then started again then it is running-at-deletion', async () => {
    const incident = await investigateAt(
      [
        launch(1, '2026-03-01T00:00:00Z', { name: PROFILE }, I1),
        instanceState(2, '2026-03-03T00:00:00Z', 'StopInstances', I1),
        instanceState(3, '2026-03-04T00:00:00Z', 'StartInstances', I1),
        deletion(4),
      ],
      4,
    );
    expect(incident.affectedInstances).toMatchObject([{ instanceId: I1, status: 'running-at-deletion', statusEventId: eventId(3) }]);
  });

  it('when an instance was stopped only after the deletion then it is running-at-deletion', async () => {
    const incident = await investigateAt([launch(1, '2026-03-01T00:00:00Z', { name: PROFILE }, I1), deletion(2), instanceState(3, '2026-03-07T00:00:00Z', 'StopInstances', I1)], 2);
    expect(incident.affectedInstances).toMatchObject([{ instanceId: I1, status: 'running-at-deletion', statusEventId: null }]);
  });

  it('when an instance was terminated before the deletion then it is terminated-before-deletion', async () => {
    const incident = await investigateAt([launch(1, '2026-03-01T00:00:00Z', { name: PROFILE }, I1), instanceState(2, '2026-03-03T00:00:00Z', 'TerminateInstances', I1), deletion(3)], 3);
    expect(incident.affectedInstances).toMatchObject([{ instanceId: I1, status: 'terminated-before-deletion', statusEventId: eventId(2) }]);
  });
});

describe('association changes before the deletion', () => {
  it('when a wrapped Replace moved the instance to another profile before the deletion then it is not affected', async () => {
    const incident = await investigateAt(
      [
        launch(1, '2026-03-01T00:00:00Z', { name: PROFILE }, I1),
        replaceWrapped(2, '2026-03-03T00:00:00Z', 'iip-assoc-0launch', 'iip-assoc-0new', I1, OTHER_PROFILE, OTHER_PROFILE_ARN),
        deletion(3),
      ],
      3,
    );
    expect(incident.affectedInstances).toEqual([]);
  });

  it('when a camelCase Replace moved the instance to another profile before the deletion then it is not affected', async () => {
    const incident = await investigateAt(
      [
        launch(1, '2026-03-01T00:00:00Z', { name: PROFILE }, I1),
        replacePlain(2, '2026-03-03T00:00:00Z', 'iip-assoc-0launch', 'iip-assoc-0new', I1, OTHER_PROFILE, OTHER_PROFILE_ARN),
        deletion(3),
      ],
      3,
    );
    expect(incident.affectedInstances).toEqual([]);
  });

  it('when the Replace to another profile came only after the deletion then the instance is still affected', async () => {
    const incident = await investigateAt(
      [
        launch(1, '2026-03-01T00:00:00Z', { name: PROFILE }, I1),
        deletion(2),
        replaceWrapped(3, '2026-03-07T00:00:00Z', 'iip-assoc-0launch', 'iip-assoc-0new', I1, OTHER_PROFILE, OTHER_PROFILE_ARN),
      ],
      2,
    );
    expect(statuses(incident)).toEqual([[I1, 'running-at-deletion']]);
  });

  it('when a wrapped Replace moved an instance from another profile to this one then it is bound, with the new association ID', async () => {
    const incident = await investigateAt(
      [
        launch(1, '2026-03-01T00:00:00Z', { name: OTHER_PROFILE }, I1),
        replaceWrapped(2, '2026-03-03T00:00:00Z', 'iip-assoc-0old', 'iip-assoc-0new', I1, PROFILE, PROFILE_ARN),
        deletion(3),
      ],
      3,
    );
    expect(incident.affectedInstances).toMatchObject([
      { instanceId: I1, via: 'ReplaceIamInstanceProfileAssociation', launchEventId: eventId(2), status: 'running-at-deletion', associationId: 'iip-assoc-0new' },
    ]);
  });

  it('when a camelCase Replace moved an instance from another profile to this one then it is bound', async () => {
    const incident = await investigateAt(
      [
        launch(1, '2026-03-01T00:00:00Z', { name: OTHER_PROFILE }, I1),
        replacePlain(2, '2026-03-03T00:00:00Z', 'iip-assoc-0old', 'iip-assoc-0new', I1, PROFILE, PROFILE_ARN),
        deletion(3),
      ],
      3,
    );
    expect(incident.affectedInstances).toMatchObject([{ instanceId: I1, via: 'ReplaceIamInstanceProfileAssociation', associationId: 'iip-assoc-0new' }]);
  });

  it('when a wrapped Disassociate removed the profile before the deletion then the instance is not affected', async () => {
    const incident = await investigateAt(
      [
        launch(1, '2026-03-01T00:00:00Z', { name: PROFILE }, I1),
        disassociateWrapped(2, '2026-03-03T00:00:00Z', 'iip-assoc-0launch', I1, PROFILE_ARN),
        deletion(3),
      ],
      3,
    );
    expect(incident.affectedInstances).toEqual([]);
  });

  it('when a Disassociate naming only the association ID removed an associated profile then it is mapped back and the instance is not affected', async () => {
    const records = [
      launch(1, '2026-03-01T00:00:00Z', null, I1),
      associatePlain(2, '2026-03-02T00:00:00Z', I1, PROFILE, PROFILE_ARN, 'iip-assoc-0aaa'),
      disassociateById(3, '2026-03-03T00:00:00Z', 'iip-assoc-0aaa'),
      deletion(4),
    ];
    expect((await investigateAt(records, 4)).affectedInstances).toEqual([]);
    // Without the Disassociate the same instance is affected: it is the Disassociate that ends it.
    expect(statuses((await investigateAt(records.filter((_, index) => index !== 2), 4)))).toEqual([[I1, 'running-at-deletion']]);
  });

  it('when a wrapped Disassociate removed the association a wrapped Associate made then the instance is not affected', async () => {
    const incident = await investigateAt(
      [
        associateWrapped(1, '2026-03-02T00:00:00Z', I1, PROFILE, PROFILE_ARN, 'iip-assoc-0aaa'),
        disassociateWrapped(2, '2026-03-03T00:00:00Z', 'iip-assoc-0aaa', I1, PROFILE_ARN),
        deletion(3),
      ],
      3,
    );
    expect(incident.affectedInstances).toEqual([]);
  });

  it('when a Disassociate naming only the association ID removed the association a Replace returned then it is mapped back and the instance is not affected', async () => {
    const incident = await investigateAt(
      [
        launch(1, '2026-03-01T00:00:00Z', { name: OTHER_PROFILE }, I1),
        replaceWrapped(2, '2026-03-02T00:00:00Z', 'iip-assoc-0old', 'iip-assoc-0new', I1, PROFILE, PROFILE_ARN),
        disassociateById(3, '2026-03-03T00:00:00Z', 'iip-assoc-0new'),
        deletion(4),
      ],
      4,
    );
    expect(incident.affectedInstances).toEqual([]);
  });

  it('when an Associate and the Disassociate of the association it returned share a second then the Disassociate still ends it, whatever their IDs', async () => {
    // The Disassociate has the smaller event ID: plain (time, id) order would replay it first.
    const incident = await investigateAt(
      [
        launch(1, '2026-03-01T00:00:00Z', null, I1),
        disassociateById(2, '2026-03-03T00:00:00Z', 'iip-assoc-0aaa'),
        associatePlain(3, '2026-03-03T00:00:00Z', I1, PROFILE, PROFILE_ARN, 'iip-assoc-0aaa'),
        deletion(4),
      ],
      4,
    );
    expect(incident.affectedInstances).toEqual([]);
  });

  it('when a Disassociate names another association ID than the instance holds then the instance is still affected', async () => {
    const incident = await investigateAt(
      [
        associateWrapped(1, '2026-03-02T00:00:00Z', I1, PROFILE, PROFILE_ARN, 'iip-assoc-0aaa'),
        disassociateById(2, '2026-03-03T00:00:00Z', 'iip-assoc-0zzz'),
        deletion(3),
      ],
      3,
    );
    expect(incident.affectedInstances).toMatchObject([{ instanceId: I1, associationId: 'iip-assoc-0aaa' }]);
  });

  it('when a wrapped Associate attached the profile then the instance keeps its association ID', async () => {
    const incident = await investigateAt([launch(1, '2026-03-01T00:00:00Z', null, I1), associateWrapped(2, '2026-03-02T00:00:00Z', I1, PROFILE, PROFILE_ARN, 'iip-assoc-0aaa'), deletion(3)], 3);
    expect(incident.affectedInstances).toEqual([
      { instanceId: I1, region: REGION, accountId: ACCOUNT, launchEventId: eventId(2), via: 'AssociateIamInstanceProfile', status: 'running-at-deletion', statusEventId: null, associationId: 'iip-assoc-0aaa', reboundAfter: null },
    ]);
  });

  it('when a camelCase Associate attached the profile then the instance keeps its association ID', async () => {
    const incident = await investigateAt([launch(1, '2026-03-01T00:00:00Z', null, I1), associatePlain(2, '2026-03-02T00:00:00Z', I1, PROFILE, PROFILE_ARN, 'iip-assoc-0bbb'), deletion(3)], 3);
    expect(incident.affectedInstances).toMatchObject([{ instanceId: I1, via: 'AssociateIamInstanceProfile', launchEventId: eventId(2), associationId: 'iip-assoc-0bbb' }]);
  });

  it('when an Associate attached another profile then the instance does not count', async () => {
    const incident = await investigateAt([launch(1, '2026-03-01T00:00:00Z', null, I1), associateWrapped(2, '2026-03-02T00:00:00Z', I1, OTHER_PROFILE, OTHER_PROFILE_ARN, 'iip-assoc-0aaa'), deletion(3)], 3);
    expect(incident.affectedInstances).toEqual([]);
  });
});

describe('association changes after the deletion', () => {
  const AFTER = '2026-03-06T12:03:00Z';
  const held = (records: RecordShape[]) => investigateAt([launch(1, '2026-03-01T00:00:00Z', { name: PROFILE }, I1), deletion(2), ...records], 2);

  it('when the instance is given another profile after the deletion then reboundAfter names that profile, the call and its caller, and the call is on the timeline', async () => {
    // The deleted profile's association is gone with it: Replace names it by ID, the response names the instance.
    const incident = await held([replaceWrapped(3, AFTER, 'iip-assoc-0old', 'iip-assoc-0new', I1, OTHER_PROFILE, OTHER_PROFILE_ARN)]);
    expect(incident.affectedInstances[0]!.reboundAfter).toEqual({
      eventId: eventId(3),
      eventTime: AFTER,
      eventName: 'ReplaceIamInstanceProfileAssociation',
      profileName: OTHER_PROFILE,
      actorArn: alice.arn,
      actorAccessKeyId: 'AKIAALICE',
      sourceIPAddress: expect.any(String),
    });
    expect(incident.timeline.map((entry) => entry.eventId)).toContain(eventId(3));
  });

  it('when it was given the re-created profile, or disassociated, after that then it holds no other profile', async () => {
    const associated = associatePlain(3, AFTER, I1, OTHER_PROFILE, OTHER_PROFILE_ARN, 'iip-assoc-0new');
    expect((await held([associated, replacePlain(4, '2026-03-06T13:00:00Z', 'iip-assoc-0new', 'iip-assoc-0back', I1, PROFILE, PROFILE_ARN)])).affectedInstances[0]!.reboundAfter).toBeNull();
    expect((await held([associated, disassociateWrapped(4, '2026-03-06T13:00:00Z', 'iip-assoc-0new', I1, OTHER_PROFILE_ARN)])).affectedInstances[0]!.reboundAfter).toBeNull();
    // A refused Associate gave it nothing.
    expect((await held([{ ...associated, errorCode: 'UnauthorizedOperation' }])).affectedInstances[0]!.reboundAfter).toBeNull();
    expect((await held([associated])).affectedInstances[0]!.reboundAfter).toMatchObject({ eventName: 'AssociateIamInstanceProfile', profileName: OTHER_PROFILE });
  });
});

describe('launch templates and failed launches', () => {
  const templateVersion = (n: number, time: string, templateId: string): RecordShape =>
    ec2Call(n, time, 'CreateLaunchTemplateVersion', {
      requestParameters: { CreateLaunchTemplateVersionRequest: { LaunchTemplateId: templateId, LaunchTemplateData: { IamInstanceProfile: { Arn: PROFILE_ARN } } } },
      responseElements: { CreateLaunchTemplateVersionResponse: { launchTemplateVersion: { launchTemplateId: templateId, launchTemplateName: 'web-lt', versionNumber: 2 } } },
    });
  // A refusal for the profile that does not name it (as Auto Scaling's launches through a template log it).
  const failedLaunch = (n: number, time: string, fields: RecordShape): RecordShape =>
    ec2Call(n, time, 'RunInstances', {
      errorCode: 'Client.InvalidParameterValue',
      errorMessage: 'Invalid IAM Instance Profile: the instance profile specified in the launch template was not found.',
      responseElements: null,
      ...fields,
    });

  it('when a launch naming the profile failed for another reason (capacity, permissions) then it is not a failed launch of this deletion', async () => {
    const incident = await investigateAt(
      [
        launch(1, '2026-03-01T00:00:00Z', { name: PROFILE }, 'i-0aaaaaaaaaaaaaaa1'),
        deletion(2),
        failedLaunch(3, '2026-03-06T13:00:00Z', { requestParameters: { iamInstanceProfile: { name: PROFILE } }, errorCode: 'Client.UnauthorizedOperation', errorMessage: 'You are not authorized to perform this operation.' }),
        failedLaunch(4, '2026-03-06T14:00:00Z', { requestParameters: { iamInstanceProfile: { name: PROFILE } }, errorCode: 'Server.InsufficientInstanceCapacity', errorMessage: 'We currently do not have sufficient capacity.' }),
      ],
      2,
    );
    expect(incident.failedLaunchesAfter).toEqual([]);
  });

  it('when the profile was re-created then launches failing after that are not this deletion’s', async () => {
    const incident = await investigateAt(
      [
        launch(1, '2026-03-01T00:00:00Z', { name: PROFILE }, 'i-0aaaaaaaaaaaaaaa1'),
        deletion(2),
        failedLaunch(3, '2026-03-06T13:00:00Z', { requestParameters: { iamInstanceProfile: { name: PROFILE } } }),
        deletion(4, '2026-03-06T14:00:00Z', PROFILE, { eventName: 'CreateInstanceProfile' }),
        failedLaunch(5, '2026-03-06T15:00:00Z', { requestParameters: { iamInstanceProfile: { name: PROFILE } } }),
      ],
      2,
    );
    expect(incident.failedLaunchesAfter.map((failed) => failed.eventId)).toEqual([eventId(3)]);
  });

  it('when CreateLaunchTemplateVersion added the profile by ARN then the template is listed', async () => {
    const incident = await investigateAt([templateVersion(1, '2026-03-01T00:00:00Z', 'lt-0abc'), deletion(2)], 2);
    expect(incident.launchTemplates).toEqual([{ launchTemplateId: 'lt-0abc', name: 'web-lt', region: REGION, eventId: eventId(1) }]);
  });

  it('when a launch naming the profile failed before the deletion then it is not a failed launch after it', async () => {
    const incident = await investigateAt(
      [failedLaunch(1, '2026-03-06T11:59:00Z', { requestParameters: { iamInstanceProfile: { name: PROFILE } } }), deletion(2)],
      2,
    );
    expect(incident.failedLaunchesAfter).toEqual([]);
  });

  it('when a launch naming the profile in its request failed after the deletion then it is matched by request', async () => {
    const incident = await investigateAt(
      [deletion(1), failedLaunch(2, '2026-03-06T12:05:00Z', { requestParameters: { iamInstanceProfile: { name: PROFILE } } })],
      1,
    );
    expect(incident.failedLaunchesAfter).toEqual([
      { eventId: eventId(2), eventTime: '2026-03-06T12:05:00Z', region: REGION, errorCode: 'Client.InvalidParameterValue', actorArn: alice.arn, matchedBy: 'request' },
    ]);
  });

  it('when only the error message names the profile then the failed launch is matched by error-message', async () => {
    const incident = await investigateAt(
      [
        deletion(1),
        failedLaunch(2, '2026-03-06T12:05:00Z', {
          requestParameters: { instanceType: 't3.micro' },
          errorCode: 'Client.InvalidParameterValue',
          errorMessage: `Value (${PROFILE}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`,
        }),
      ],
      1,
    );
    expect(incident.failedLaunchesAfter.map((launchEvent) => [launchEvent.eventId, launchEvent.matchedBy])).toEqual([[eventId(2), 'error-message']]);
  });

  it('when only the error message names the profile, by its ARN, then the failed launch is matched by error-message', async () => {
    const incident = await investigateAt(
      [
        deletion(1),
        failedLaunch(2, '2026-03-06T12:05:00Z', {
          requestParameters: { instanceType: 't3.micro' },
          errorCode: 'Client.InvalidParameterValue',
          errorMessage: `Value (${PROFILE_ARN}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`,
        }),
      ],
      1,
    );
    expect(incident.failedLaunchesAfter.map((launchEvent) => [launchEvent.eventId, launchEvent.matchedBy])).toEqual([[eventId(2), 'error-message']]);
  });

  it('when a launch from a template that names the profile failed after the deletion then it is matched by launch-template', async () => {
    const incident = await investigateAt(
      [
        templateVersion(1, '2026-03-01T00:00:00Z', 'lt-0abc'),
        failedLaunch(2, '2026-03-06T11:00:00Z', { requestParameters: { launchTemplate: { launchTemplateId: 'lt-0abc', version: '2' } } }),
        deletion(3),
        failedLaunch(4, '2026-03-06T12:05:00Z', { requestParameters: { launchTemplate: { launchTemplateId: 'lt-0abc', version: '2' } } }),
      ],
      3,
    );
    expect(incident.failedLaunchesAfter.map((launchEvent) => [launchEvent.eventId, launchEvent.matchedBy])).toEqual([[eventId(4), 'launch-template']]);
  });

  it('when a launch from the template named by its name failed after the deletion then it is matched by launch-template', async () => {
    const incident = await investigateAt(
      [
        templateVersion(1, '2026-03-01T00:00:00Z', 'lt-0abc'),
        deletion(2),
        failedLaunch(3, '2026-03-06T12:05:00Z', { requestParameters: { launchTemplate: { launchTemplateName: 'web-lt', version: '$Latest' } } }),
      ],
      2,
    );
    expect(incident.failedLaunchesAfter.map((launchEvent) => [launchEvent.eventId, launchEvent.matchedBy])).toEqual([[eventId(3), 'launch-template']]);
  });
});

describe('impact level', () => {
  it('when nothing held the profile and nothing names it then impact is none', async () => {
    expect((await investigateAt([deletion(1)], 1)).assessment.impact).toBe('none');
  });

  it('when the only instance was terminated before the deletion then impact is none', async () => {
    const incident = await investigateAt([launch(1, '2026-03-01T00:00:00Z', { name: PROFILE }, I1), instanceState(2, '2026-03-03T00:00:00Z', 'TerminateInstances', I1), deletion(3)], 3);
    expect(incident.assessment.impact).toBe('none');
  });

  it('when only a launch template names the profile then impact is potential', async () => {
    const incident = await investigateAt(
      [
        ec2Call(1, '2026-03-01T00:00:00Z', 'CreateLaunchTemplateVersion', {
          requestParameters: { CreateLaunchTemplateVersionRequest: { LaunchTemplateId: 'lt-0abc', LaunchTemplateData: { IamInstanceProfile: { Arn: PROFILE_ARN } } } },
        }),
        deletion(2),
      ],
      2,
    );
    expect(incident.assessment.impact).toBe('potential');
  });

  it('when an instance held the profile at the deletion then impact is broken', async () => {
    expect((await investigateAt([launch(1, '2026-03-01T00:00:00Z', { name: PROFILE }, I1), deletion(2)], 2)).assessment.impact).toBe('broken');
  });

  it('when a stopped instance held the profile at the deletion then impact is broken', async () => {
    const incident = await investigateAt([launch(1, '2026-03-01T00:00:00Z', { name: PROFILE }, I1), instanceState(2, '2026-03-03T00:00:00Z', 'StopInstances', I1), deletion(3)], 3);
    expect(incident.assessment.impact).toBe('broken');
  });

  it('when a launch naming the profile failed after the deletion then impact is broken', async () => {
    const incident = await investigateAt(
      [
        deletion(1),
        ec2Call(2, '2026-03-06T12:05:00Z', 'RunInstances', {
          requestParameters: { iamInstanceProfile: { name: PROFILE } },
          errorCode: 'Client.InvalidParameterValue',
          errorMessage: `Value (${PROFILE}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`,
        }),
      ],
      1,
    );
    expect(incident.assessment.impact).toBe('broken');
  });

  it('when the deletion attempt failed then impact is none and no instance is listed, even with one running', async () => {
    const incident = await investigateAt(
      [
        launch(1, '2026-03-01T00:00:00Z', { name: PROFILE }, I1),
        deletion(2, DELETED_AT, PROFILE, { errorCode: 'DeleteConflict', errorMessage: 'Cannot delete entity, must remove roles from instance profile first.' }),
      ],
      2,
    );
    expect(incident.outcome).toBe('failed');
    expect(incident.assessment.impact).toBe('none');
    expect(incident.affectedInstances).toEqual([]);
  });
});
