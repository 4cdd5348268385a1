/**
 * Resources of other services that keep the deleted profile: AWS Batch compute environments
 * and EC2 Image Builder infrastructure configurations, found in records built from the
 * services' documented request and response shapes, each case in a database of its own.
 */
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/correlate/incident.js';
import { investigate } from '../../src/correlate/investigate.js';
import { actionCommands } from '../../src/correlate/recommend.js';
import { SqliteEvidence } from '../../src/store/evidence.js';
import { cliProblems } from '../support/aws-cli-check.js';
import { eventId, logKey, record, recordsFile, type RecordShape, tempDir, writeFile } from '../support/cloudtrail.js';
import { freshDatabasePath, ingestLocal, withDatabase } from '../support/database.js';
import { awsCommandOf } from '../support/shell-words.js';

const ACCOUNT = '111111111111';
const OTHER_ACCOUNT = '999999999999';
const REGION = 'us-west-2';
const PROFILE = 'batch-profile';
const PROFILE_ARN = `arn:aws:iam::${ACCOUNT}:instance-profile/${PROFILE}`;
const DELETED_AT = '2026-03-06T12:00:00Z';
const CE = 'nightly-ce';
const CE_ARN = `arn:aws:batch:${REGION}:${ACCOUNT}:compute-environment/${CE}`;
const IC_ARN = `arn:aws:imagebuilder:${REGION}:${ACCOUNT}:infrastructure-configuration/golden-ami`;

const alice = { type: 'IAMUser', principalId: 'AIDAALICE', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, accessKeyId: 'AKIAALICE', userName: 'alice' };

const call = (n: number, time: string, eventSource: string, eventName: string, fields: RecordShape = {}): RecordShape =>
  record({ eventID: eventId(n), eventTime: time, eventSource, eventName, awsRegion: REGION, recipientAccountId: ACCOUNT, userIdentity: alice, readOnly: false, ...fields });

const failed = (errorCode: string, errorMessage: string): RecordShape => ({ errorCode, errorMessage, responseElements: null });

// AWS Batch (batch 2016-08-10): CreateComputeEnvironment {computeEnvironmentName, type, computeResources {instanceRole, …}}
// → {computeEnvironmentName, computeEnvironmentArn}; Update and Delete name it `computeEnvironment` (name or ARN).
const createCe = (n: number, time: string, instanceRole: string, fields: RecordShape = {}): RecordShape => {
  const account = String(fields.recipientAccountId ?? ACCOUNT);
  return call(n, time, 'batch.amazonaws.com', 'CreateComputeEnvironment', {
    requestParameters: { computeEnvironmentName: CE, type: 'MANAGED', state: 'ENABLED', computeResources: { type: 'EC2', minvCpus: 0, maxvCpus: 16, instanceTypes: ['optimal'], subnets: ['subnet-1'], instanceRole } },
    responseElements: { computeEnvironmentName: CE, computeEnvironmentArn: `arn:aws:batch:${REGION}:${account}:compute-environment/${CE}` },
    ...fields,
  });
};
const updateCe = (n: number, time: string, computeEnvironment: string, instanceRole: string | null, fields: RecordShape = {}): RecordShape =>
  call(n, time, 'batch.amazonaws.com', 'UpdateComputeEnvironment', {
    requestParameters: { computeEnvironment, ...(instanceRole ? { computeResources: { instanceRole } } : { state: 'ENABLED' }) },
    responseElements: { computeEnvironmentName: CE, computeEnvironmentArn: CE_ARN },
    ...fields,
  });
const deleteCe = (n: number, time: string, computeEnvironment: string): RecordShape =>
  call(n, time, 'batch.amazonaws.com', 'DeleteComputeEnvironment', { requestParameters: { computeEnvironment }, responseElements: null });

// EC2 Image Builder (imagebuilder 2019-12-02): Create/UpdateInfrastructureConfiguration {instanceProfileName, …}
// → {requestId, clientToken, infrastructureConfigurationArn}; Update and Delete name it by ARN.
const createIc = (n: number, time: string, profile: string, fields: RecordShape = {}): RecordShape => {
  const account = String(fields.recipientAccountId ?? ACCOUNT);
  return call(n, time, 'imagebuilder.amazonaws.com', 'CreateInfrastructureConfiguration', {
    requestParameters: { name: 'golden-ami', instanceProfileName: profile, instanceTypes: ['m5.large'], clientToken: 'token-1' },
    responseElements: { requestId: 'r-1', clientToken: 'token-1', infrastructureConfigurationArn: `arn:aws:imagebuilder:${REGION}:${account}:infrastructure-configuration/golden-ami` },
    ...fields,
  });
};
const updateIc = (n: number, time: string, profile: string, fields: RecordShape = {}): RecordShape =>
  call(n, time, 'imagebuilder.amazonaws.com', 'UpdateInfrastructureConfiguration', {
    requestParameters: { infrastructureConfigurationArn: IC_ARN, instanceProfileName: profile, clientToken: 'token-2' },
    responseElements: { requestId: 'r-2', clientToken: 'token-2', infrastructureConfigurationArn: IC_ARN },
    ...fields,
  });
const deleteIc = (n: number, time: string): RecordShape =>
  call(n, time, 'imagebuilder.amazonaws.com', 'DeleteInfrastructureConfiguration', {
    requestParameters: { infrastructureConfigurationArn: IC_ARN },
    responseElements: { requestId: 'r-3', infrastructureConfigurationArn: IC_ARN },
  });

const deletion = (n: number, time = DELETED_AT): RecordShape =>
  record({
    eventID: eventId(n),
    eventTime: time,
    eventSource: 'iam.amazonaws.com',
    eventName: 'DeleteInstanceProfile',
    awsRegion: 'us-east-1',
    userIdentity: alice,
    requestParameters: { instanceProfileName: PROFILE },
    recipientAccountId: ACCOUNT,
    readOnly: false,
  });
const recreation = (n: number, time: string): RecordShape =>
  record({
    eventID: eventId(n),
    eventTime: time,
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateInstanceProfile',
    awsRegion: 'us-east-1',
    userIdentity: alice,
    requestParameters: { instanceProfileName: PROFILE },
    responseElements: { instanceProfile: { instanceProfileName: PROFILE, arn: PROFILE_ARN, path: '/' } },
    recipientAccountId: ACCOUNT,
    readOnly: false,
  });

/** The records ingested into a database of their own, then the deletion investigated. */
async function investigated(records: RecordShape[]): Promise<Incident> {
  const root = tempDir('trailsift-dependents-');
  writeFile(root, logKey({ account: ACCOUNT, region: REGION, day: '2026-03-06', suffix: 'A' }), recordsFile(records));
  const dbPath = freshDatabasePath();
  const { summary, problems } = await ingestLocal(dbPath, [root]);
  expect(problems).toEqual([]);
  expect(summary.errors).toBe(0);
  const incidents = withDatabase(dbPath, (db) => investigate(new SqliteEvidence(db), {}));
  expect(incidents).toHaveLength(1);
  return incidents[0]!;
}

const restoreCommands = (incident: Incident): string[] =>
  actionCommands(incident.recommendations.find((recommendation) => recommendation.id === 'restore-instance-profile')?.actions ?? []);

/** The restore recommendation's check for the resource: a real command with real options, with these arguments. */
function expectCheck(incident: Incident, command: string, args: string): void {
  const commands = restoreCommands(incident);
  expect(commands.find((line) => line.includes(command))).toContain(args);
  expect(commands.map(awsCommandOf).filter((line): line is string => line !== null).flatMap(cliProblems)).toEqual([]);
}

/** The one resource found failed once after the deletion, which made the impact broken. */
function expectOneFailure(incident: Incident, n: number, eventTime: string, eventName: string, errorCode: string): void {
  expect(incident.dependentResources[0]!.failuresAfter).toEqual([{ eventId: eventId(n), eventTime, eventName, errorCode }]);
  expect(incident.assessment.impact).toBe('broken');
}

/** One resource alive at the deletion since event n, with no failure after it. */
const aliveSince = (service: string, resourceId: string, n: number) => [
  { service, resourceId, accountId: ACCOUNT, region: REGION, eventId: eventId(n), status: 'alive-at-deletion', failuresAfter: [] },
];

describe('AWS Batch compute environments', () => {

  it('when the instance role is the profile ARN in PascalCase then the compute environment is found', async () => {
    const pascal = call(1, '2026-03-01T00:00:00Z', 'batch.amazonaws.com', 'CreateComputeEnvironment', {
      requestParameters: { ComputeEnvironmentName: CE, Type: 'MANAGED', ComputeResources: { InstanceRole: PROFILE_ARN } },
      responseElements: { ComputeEnvironmentName: CE, ComputeEnvironmentArn: CE_ARN },
    });
    const incident = await investigated([pascal, deletion(2)]);
    expect(incident.dependentResources.map((resource) => [resource.resourceId, resource.status])).toEqual([[CE_ARN, 'alive-at-deletion']]);
  });

  it('when the instance role is the ARN of a same-named profile in another account then it is ignored', async () => {
    const incident = await investigated([createCe(1, '2026-03-01T00:00:00Z', `arn:aws:iam::${OTHER_ACCOUNT}:instance-profile/${PROFILE}`), deletion(2)]);
    expect(incident.dependentResources).toEqual([]);
  });

  it('when the compute environment was deleted by name before the deletion then it is removed-before-deletion and impact is none', async () => {
    const incident = await investigated([createCe(1, '2026-03-01T00:00:00Z', PROFILE), deleteCe(2, '2026-03-05T00:00:00Z', CE), deletion(3)]);
    expect(incident.dependentResources).toEqual([
      { service: 'batch', resourceId: CE_ARN, accountId: ACCOUNT, region: REGION, eventId: eventId(1), status: 'removed-before-deletion', failuresAfter: [] },
    ]);
    expect(incident.assessment.impact).toBe('none');
  });

  it('when the compute environment was moved to another profile before the deletion then it is not listed', async () => {
    const incident = await investigated([createCe(1, '2026-03-01T00:00:00Z', PROFILE), updateCe(2, '2026-03-02T00:00:00Z', CE_ARN, 'other-profile'), deletion(3)]);
    expect(incident.dependentResources).toEqual([]);
  });

  it('when an update that names no profile follows then the compute environment still depends on it', async () => {
    const incident = await investigated([createCe(1, '2026-03-01T00:00:00Z', PROFILE), updateCe(2, '2026-03-02T00:00:00Z', CE, null), deletion(3)]);
    expect(incident.dependentResources.map((resource) => [resource.eventId, resource.status])).toEqual([[eventId(1), 'alive-at-deletion']]);
  });

  it('when an update of the compute environment failed after the deletion then it is a failure after and impact is broken', async () => {
    const incident = await investigated([
      createCe(1, '2026-03-01T00:00:00Z', PROFILE),
      deletion(2),
      updateCe(3, '2026-03-06T15:00:00Z', CE, null, failed('ClientException', `Instance profile ${PROFILE_ARN} does not exist`)),
    ]);
    expectOneFailure(incident, 3, '2026-03-06T15:00:00Z', 'UpdateComputeEnvironment', 'ClientException');
    expect(incident.timeline.map((entry) => entry.eventId)).toContain(eventId(3));
  });

  it('when the profile was re-created before a failure then that failure does not count', async () => {
    const incident = await investigated([
      createCe(1, '2026-03-01T00:00:00Z', PROFILE),
      deletion(2),
      recreation(3, '2026-03-06T13:00:00Z'),
      updateCe(4, '2026-03-06T15:00:00Z', CE, null, failed('ClientException', 'something else')),
    ]);
    expect(incident.dependentResources[0]!.failuresAfter).toEqual([]);
  });
});

describe('EC2 Image Builder infrastructure configurations', () => {

  it('when an update set the profile (PascalCase) then the update is the event that made it depend', async () => {
    const incident = await investigated([
      createIc(1, '2026-03-01T00:00:00Z', 'other-profile'),
      call(2, '2026-03-02T00:00:00Z', 'imagebuilder.amazonaws.com', 'UpdateInfrastructureConfiguration', {
        requestParameters: { InfrastructureConfigurationArn: IC_ARN, InstanceProfileName: PROFILE },
        responseElements: { InfrastructureConfigurationArn: IC_ARN },
      }),
      deletion(3),
    ]);
    expect(incident.dependentResources.map((resource) => [resource.resourceId, resource.eventId, resource.status])).toEqual([[IC_ARN, eventId(2), 'alive-at-deletion']]);
  });

  it('when the infrastructure configuration was deleted before the deletion then it is removed-before-deletion', async () => {
    const incident = await investigated([createIc(1, '2026-03-01T00:00:00Z', PROFILE), deleteIc(2, '2026-03-04T00:00:00Z'), deletion(3)]);
    expect(incident.dependentResources.map((resource) => resource.status)).toEqual(['removed-before-deletion']);
    expect(incident.assessment.impact).toBe('none');
  });

  it('when a pipeline creation on the infrastructure configuration failed after the deletion then it is a failure after and impact is broken', async () => {
    const pipeline = call(3, '2026-03-06T14:00:00Z', 'imagebuilder.amazonaws.com', 'CreateImagePipeline', {
      requestParameters: { name: 'nightly', imageRecipeArn: `arn:aws:imagebuilder:${REGION}:${ACCOUNT}:image-recipe/r/1.0.0`, infrastructureConfigurationArn: IC_ARN, clientToken: 't' },
      ...failed('InvalidParameterValueException', `The value supplied for parameter 'instanceProfileName' is not valid. Instance profile ${PROFILE} does not exist.`),
    });
    const incident = await investigated([createIc(1, '2026-03-01T00:00:00Z', PROFILE), deletion(2), pipeline]);
    expectOneFailure(incident, 3, '2026-03-06T14:00:00Z', 'CreateImagePipeline', 'InvalidParameterValueException');
  });
});

// Amazon EMR (emr 2009-03-31): RunJobFlow {name, instances, jobFlowRole (the instance profile), serviceRole, …}
// → {jobFlowId, clusterArn}; TerminateJobFlows {jobFlowIds}; AddInstanceGroups {jobFlowId}, AddInstanceFleet {clusterId}.
const CLUSTER = 'j-2AXXXXXXGAPLF';
const EMR = 'elasticmapreduce.amazonaws.com';
const runJobFlow = (n: number, time: string, jobFlowRole: string, fields: RecordShape = {}): RecordShape =>
  call(n, time, EMR, 'RunJobFlow', {
    requestParameters: { name: 'nightly-etl', releaseLabel: 'emr-7.0.0', instances: { instanceCount: 3, masterInstanceType: 'm5.xlarge' }, jobFlowRole, serviceRole: 'EMR_DefaultRole' },
    responseElements: { jobFlowId: CLUSTER, clusterArn: `arn:aws:elasticmapreduce:${REGION}:${ACCOUNT}:cluster/${CLUSTER}` },
    ...fields,
  });

describe('Amazon EMR clusters', () => {

  it('when the request is PascalCase then the cluster is found', async () => {
    const pascal = call(1, '2026-03-01T00:00:00Z', EMR, 'RunJobFlow', { requestParameters: { Name: 'etl', Instances: {}, JobFlowRole: PROFILE }, responseElements: { JobFlowId: CLUSTER } });
    const incident = await investigated([pascal, deletion(2)]);
    expect(incident.dependentResources.map((resource) => [resource.resourceId, resource.status])).toEqual([[CLUSTER, 'alive-at-deletion']]);
  });

  it('when TerminateJobFlows named the cluster among others before the deletion then it is removed-before-deletion', async () => {
    const terminate = call(2, '2026-03-03T00:00:00Z', EMR, 'TerminateJobFlows', { requestParameters: { jobFlowIds: ['j-OTHER0000000', CLUSTER] }, responseElements: null });
    const incident = await investigated([runJobFlow(1, '2026-03-01T00:00:00Z', PROFILE), terminate, deletion(3)]);
    expect(incident.dependentResources.map((resource) => resource.status)).toEqual(['removed-before-deletion']);
    expect(incident.assessment.impact).toBe('none');
  });

  it('when adding instance groups to the cluster failed after the deletion then it is a failure after and impact is broken', async () => {
    const add = call(3, '2026-03-06T18:00:00Z', EMR, 'AddInstanceGroups', {
      requestParameters: { jobFlowId: CLUSTER, instanceGroups: [{ instanceRole: 'TASK', instanceType: 'm5.xlarge', instanceCount: 2 }] },
      ...failed('ValidationException', `Instance profile ${PROFILE} is not valid`),
    });
    const incident = await investigated([runJobFlow(1, '2026-03-01T00:00:00Z', PROFILE), deletion(2), add]);
    expectOneFailure(incident, 3, '2026-03-06T18:00:00Z', 'AddInstanceGroups', 'ValidationException');
  });
});

/** What every service shares: found alive with its check, and blind to a same-named profile elsewhere. */
const SERVICES = [
  {
    label: 'a Batch compute environment',
    service: 'batch',
    create: createCe,
    resourceId: CE_ARN,
    command: 'batch describe-compute-environments',
    args: `--region ${REGION} --compute-environments ${CE_ARN}`,
  },
  {
    label: 'an Image Builder infrastructure configuration',
    service: 'imagebuilder',
    create: createIc,
    resourceId: IC_ARN,
    command: 'imagebuilder get-infrastructure-configuration',
    args: `--region ${REGION} --infrastructure-configuration-arn ${IC_ARN}`,
  },
  { label: 'an EMR cluster', service: 'emr', create: runJobFlow, resourceId: CLUSTER, command: 'emr describe-cluster', args: `--region ${REGION} --cluster-id ${CLUSTER}` },
];

describe.each(SERVICES)('$label', ({ service, create, resourceId, command, args }) => {
  it('when it was given the profile by name then it is alive at the deletion, impact is potential, and the restore recommendation checks it with a real command', async () => {
    const incident = await investigated([create(1, '2026-03-01T00:00:00Z', PROFILE), deletion(2)]);
    expect(incident.dependentResources).toEqual(aliveSince(service, resourceId, 1));
    expect(incident.assessment.impact).toBe('potential');
    expect(incident.assessment.reasons.join('\n')).toContain(`${service} ${resourceId}`);
    const restore = incident.recommendations.find((recommendation) => recommendation.id === 'restore-instance-profile')!;
    expect(restore.why).toContain(resourceId);
    expect(restore.evidence).toContain(eventId(1));
    expectCheck(incident, command, args);
  });

  it('when a same-named profile in another account is held by one there then it is ignored', async () => {
    const incident = await investigated([create(1, '2026-03-01T00:00:00Z', PROFILE, { recipientAccountId: OTHER_ACCOUNT }), deletion(2)]);
    expect(incident.dependentResources).toEqual([]);
    expect(incident.assessment.impact).toBe('none');
  });
});
