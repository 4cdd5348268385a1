/**
 * Resources of other services that keep the deleted profile (Batch, Image Builder, EMR, Elastic
 * Beanstalk, Spot and EC2 Fleet, OpsWorks, Data Pipeline), found in records built from the
 * services' documented request and response shapes, each case in a database of its own.
 */
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/correlate/incident.js';
import { dependentResourceWords } from '../../src/correlate/event-catalog.js';
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
  const incidents = await withDatabase(dbPath, (db) => investigate(new SqliteEvidence(db), {}));
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
const aliveSince = (service: string, resourceType: string, resourceId: string, n: number, viaLaunchTemplate: string | null = null) => [
  { service, resourceType, resourceId, accountId: ACCOUNT, region: REGION, eventId: eventId(n), viaLaunchTemplate, status: 'alive-at-deletion', failuresAfter: [] },
];

describe('AWS Batch compute environments', () => {
  it('when calls on it failed after the deletion for other reasons (denied, its own delete, a move to another profile) then none is a failure after', async () => {
    const incident = await investigated([
      createCe(1, '2026-03-01T00:00:00Z', PROFILE),
      deletion(2),
      call(3, '2026-03-06T13:00:00Z', 'batch.amazonaws.com', 'DeleteComputeEnvironment', { requestParameters: { computeEnvironment: CE }, ...failed('AccessDeniedException', `not authorized to delete; instance profile ${PROFILE}`) }),
      updateCe(4, '2026-03-06T14:00:00Z', CE, 'other-profile', failed('ClientException', 'Instance profile other-profile does not exist')),
      updateCe(5, '2026-03-06T15:00:00Z', CE, null, failed('ClientException', 'Compute environment is being updated')),
    ]);
    expect(incident.dependentResources.map((resource) => [resource.status, resource.failuresAfter])).toEqual([['alive-at-deletion', []]]);
    expect(incident.assessment.impact).toBe('potential');
  });

  it('when the compute environment was deleted after the deletion then later failures on its name are not its own', async () => {
    const incident = await investigated([
      createCe(1, '2026-03-01T00:00:00Z', PROFILE),
      deletion(2),
      deleteCe(3, '2026-03-06T13:00:00Z', CE),
      updateCe(4, '2026-03-06T15:00:00Z', CE, null, failed('ClientException', `Instance profile ${PROFILE_ARN} does not exist`)),
    ]);
    expect(incident.dependentResources[0]!.failuresAfter).toEqual([]);
  });

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
      { service: 'batch', resourceType: 'compute-environment', resourceId: CE_ARN, accountId: ACCOUNT, region: REGION, eventId: eventId(1), viaLaunchTemplate: null, status: 'removed-before-deletion', failuresAfter: [] },
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
    requestParameters: { name: 'nightly-etl', releaseLabel: 'emr-7.0.0', instances: { instanceCount: 3, masterInstanceType: 'm5.xlarge', keepJobFlowAliveWhenNoSteps: true }, jobFlowRole, serviceRole: 'EMR_DefaultRole' },
    responseElements: { jobFlowId: CLUSTER, clusterArn: `arn:aws:elasticmapreduce:${REGION}:${ACCOUNT}:cluster/${CLUSTER}` },
    ...fields,
  });

describe('Amazon EMR clusters', () => {

  it('when the request is PascalCase then the cluster is found', async () => {
    const pascal = call(1, '2026-03-01T00:00:00Z', EMR, 'RunJobFlow', { requestParameters: { Name: 'etl', Instances: { KeepJobFlowAliveWhenNoSteps: true }, JobFlowRole: PROFILE }, responseElements: { JobFlowId: CLUSTER } });
    const incident = await investigated([pascal, deletion(2)]);
    expect(incident.dependentResources.map((resource) => [resource.resourceId, resource.status])).toEqual([[CLUSTER, 'alive-at-deletion']]);
  });

  it('when the cluster ends when its steps do (keepJobFlowAliveWhenNoSteps false or absent) then it is not counted', async () => {
    const transient = runJobFlow(1, '2026-03-01T00:00:00Z', PROFILE, { requestParameters: { name: 'step-job', instances: { instanceCount: 3 }, jobFlowRole: PROFILE, steps: [{ name: 'etl' }] } });
    const incident = await investigated([transient, deletion(2)]);
    expect(incident.dependentResources).toEqual([]);
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

// Elastic Beanstalk (elasticbeanstalk 2010-12-01): CreateEnvironment / UpdateEnvironment {applicationName, environmentName,
// optionSettings [{namespace, optionName, value}]} → {environmentName, environmentId, …}; TerminateEnvironment {environmentName | environmentId}.
const ENVIRONMENT = 'shop-prod';
const ENVIRONMENT_ID = 'e-abcdef1234';
const BEANSTALK = 'elasticbeanstalk.amazonaws.com';
const profileSetting = (value: string) => ({ namespace: 'aws:autoscaling:launchconfiguration', optionName: 'IamInstanceProfile', value });
const createEnvironment = (n: number, time: string, profile: string, fields: RecordShape = {}): RecordShape =>
  call(n, time, BEANSTALK, 'CreateEnvironment', {
    requestParameters: {
      applicationName: 'shop',
      environmentName: ENVIRONMENT,
      solutionStackName: '64bit Amazon Linux 2023 v4.0.0 running Node.js 20',
      optionSettings: [{ namespace: 'aws:autoscaling:launchconfiguration', optionName: 'InstanceType', value: 't3.small' }, profileSetting(profile)],
    },
    responseElements: { environmentName: ENVIRONMENT, environmentId: ENVIRONMENT_ID, applicationName: 'shop', status: 'Launching' },
    ...fields,
  });

describe('Elastic Beanstalk environments', () => {
  it('when the option setting is PascalCase and names the profile by ARN then the environment is found', async () => {
    const pascal = call(1, '2026-03-01T00:00:00Z', BEANSTALK, 'CreateEnvironment', {
      requestParameters: { ApplicationName: 'shop', EnvironmentName: ENVIRONMENT, OptionSettings: [{ Namespace: 'aws:autoscaling:launchconfiguration', OptionName: 'IamInstanceProfile', Value: PROFILE_ARN }] },
      responseElements: { EnvironmentName: ENVIRONMENT, EnvironmentId: ENVIRONMENT_ID },
    });
    const incident = await investigated([pascal, deletion(2)]);
    expect(incident.dependentResources.map((resource) => [resource.resourceId, resource.status])).toEqual([[ENVIRONMENT, 'alive-at-deletion']]);
  });

  it('when an option setting of another namespace names the profile then nothing depends on it', async () => {
    const other = call(1, '2026-03-01T00:00:00Z', BEANSTALK, 'CreateEnvironment', {
      requestParameters: { applicationName: 'shop', environmentName: ENVIRONMENT, optionSettings: [{ namespace: 'aws:elasticbeanstalk:application:environment', optionName: 'IamInstanceProfile', value: PROFILE }] },
      responseElements: { environmentName: ENVIRONMENT, environmentId: ENVIRONMENT_ID },
    });
    const incident = await investigated([other, deletion(2)]);
    expect(incident.dependentResources).toEqual([]);
  });

  it('when the environment was terminated by its ID before the deletion then it is removed-before-deletion', async () => {
    const terminate = call(2, '2026-03-04T00:00:00Z', BEANSTALK, 'TerminateEnvironment', { requestParameters: { environmentId: ENVIRONMENT_ID }, responseElements: null });
    const incident = await investigated([createEnvironment(1, '2026-03-01T00:00:00Z', PROFILE), terminate, deletion(3)]);
    expect(incident.dependentResources.map((resource) => resource.status)).toEqual(['removed-before-deletion']);
    expect(incident.assessment.impact).toBe('none');
  });

  it('when an update of the environment failed after the deletion then it is a failure after and impact is broken', async () => {
    const update = call(3, '2026-03-06T16:00:00Z', BEANSTALK, 'UpdateEnvironment', {
      requestParameters: { environmentName: ENVIRONMENT, versionLabel: 'v42' },
      ...failed('InvalidParameterValue', `Invalid IamInstanceProfile: ${PROFILE}`),
    });
    const incident = await investigated([createEnvironment(1, '2026-03-01T00:00:00Z', PROFILE), deletion(2), update]);
    expectOneFailure(incident, 3, '2026-03-06T16:00:00Z', 'UpdateEnvironment', 'InvalidParameterValue');
  });
});

// Elastic Beanstalk saved configurations: CreateConfigurationTemplate {applicationName, templateName, optionSettings}
// → {applicationName, templateName, …}; DeleteConfigurationTemplate {applicationName, templateName}.
const TEMPLATE_NAME = 'prod-settings';
const saveConfiguration = (n: number, time: string, profile: string, fields: RecordShape = {}): RecordShape =>
  call(n, time, BEANSTALK, 'CreateConfigurationTemplate', {
    requestParameters: { applicationName: 'shop', templateName: TEMPLATE_NAME, solutionStackName: '64bit Amazon Linux 2023', optionSettings: [profileSetting(profile)] },
    responseElements: { applicationName: 'shop', templateName: TEMPLATE_NAME, deploymentStatus: 'deployed' },
    ...fields,
  });

describe('Elastic Beanstalk configuration templates', () => {
  it('when the saved configuration was deleted before the deletion then it is removed-before-deletion', async () => {
    const removed = call(2, '2026-03-03T00:00:00Z', BEANSTALK, 'DeleteConfigurationTemplate', { requestParameters: { applicationName: 'shop', templateName: TEMPLATE_NAME }, responseElements: null });
    const incident = await investigated([saveConfiguration(1, '2026-03-01T00:00:00Z', PROFILE), removed, deletion(3)]);
    expect(incident.dependentResources.map((resource) => [resource.resourceType, resource.resourceId, resource.status])).toEqual([
      ['beanstalk-configuration-template', `shop/${TEMPLATE_NAME}`, 'removed-before-deletion'],
    ]);
  });

  it('when an environment launch from it failed after the deletion then the template is broken', async () => {
    const update = call(3, '2026-03-07T09:00:00Z', BEANSTALK, 'UpdateConfigurationTemplate', {
      requestParameters: { applicationName: 'shop', templateName: TEMPLATE_NAME, description: 'rotate' },
      ...failed('InvalidParameterValue', `Invalid IamInstanceProfile: ${PROFILE}`),
    });
    const incident = await investigated([saveConfiguration(1, '2026-03-01T00:00:00Z', PROFILE), deletion(2), update]);
    expectOneFailure(incident, 3, '2026-03-07T09:00:00Z', 'UpdateConfigurationTemplate', 'InvalidParameterValue');
  });
});

// EC2 Spot and Fleet (ec2 2016-11-15). No public CloudTrail sample was found, so both spellings are built:
// the query API's camelCase with `{items: […]}` lists, and the newer calls' PascalCase `<Operation>Request` wrapper.
const EC2 = 'ec2.amazonaws.com';
const FLEET_REQUEST = 'sfr-0a1b2c3d-4e5f-6789-abcd-ef0123456789';
const SPOT_REQUEST = 'sir-08b93456';
const SECOND_SPOT_REQUEST = 'sir-3f6a9b2c';
const FLEET = 'fleet-12345678-90ab-cdef-1234-567890abcdef';
const TEMPLATE_ID = 'lt-0abc1234def567890';

const requestSpotFleet = (n: number, time: string, profile: string, fields: RecordShape = {}): RecordShape =>
  call(n, time, EC2, 'RequestSpotFleet', {
    requestParameters: {
      spotFleetRequestConfig: {
        iamFleetRole: `arn:aws:iam::${ACCOUNT}:role/aws-ec2-spot-fleet-tagging-role`,
        targetCapacity: 4,
        launchSpecifications: { items: [{ imageId: 'ami-0abc', instanceType: 'c5.large', iamInstanceProfile: profile.startsWith('arn:') ? { arn: profile } : { name: profile } }] },
      },
    },
    responseElements: { spotFleetRequestId: FLEET_REQUEST },
    ...fields,
  });
const requestSpotInstances = (n: number, time: string, profile: string, fields: RecordShape = {}): RecordShape =>
  call(n, time, EC2, 'RequestSpotInstances', {
    requestParameters: { instanceCount: 2, type: 'persistent', launchSpecification: { imageId: 'ami-0abc', instanceType: 'c5.large', iamInstanceProfile: { name: profile } } },
    responseElements: { spotInstanceRequestSet: { items: [{ spotInstanceRequestId: SPOT_REQUEST, state: 'open' }, { spotInstanceRequestId: SECOND_SPOT_REQUEST, state: 'open' }] } },
    ...fields,
  });
const createTemplate = (n: number, time: string, profile: string): RecordShape =>
  call(n, time, EC2, 'CreateLaunchTemplate', {
    requestParameters: { CreateLaunchTemplateRequest: { LaunchTemplateName: 'workers', LaunchTemplateData: { ImageId: 'ami-0abc', IamInstanceProfile: { Name: profile } } } },
    responseElements: { CreateLaunchTemplateResponse: { launchTemplate: { launchTemplateId: TEMPLATE_ID, launchTemplateName: 'workers' } } },
  });
const createFleet = (n: number, time: string, type: string, template: Record<string, string> = { LaunchTemplateId: TEMPLATE_ID }): RecordShape =>
  call(n, time, EC2, 'CreateFleet', {
    requestParameters: {
      CreateFleetRequest: { Type: type, LaunchTemplateConfigs: { LaunchTemplateSpecification: { ...template, Version: '$Default' }, tag: 1 }, TargetCapacitySpecification: { TotalTargetCapacity: 2 } },
    },
    responseElements: { CreateFleetResponse: { fleetId: FLEET, requestId: 'req-1' } },
  });

describe('Spot Fleet requests', () => {
  it('when the profile is in the second launch specification, after one naming another profile, then the fleet still depends', async () => {
    const mixed = call(1, '2026-03-01T00:00:00Z', EC2, 'RequestSpotFleet', {
      requestParameters: {
        spotFleetRequestConfig: { launchSpecifications: { items: [{ iamInstanceProfile: { name: 'other-profile' } }, { iamInstanceProfile: { arn: PROFILE_ARN } }] } },
      },
      responseElements: { spotFleetRequestId: FLEET_REQUEST },
    });
    const incident = await investigated([mixed, deletion(2)]);
    expect(incident.dependentResources).toEqual(aliveSince('ec2', 'spot-fleet-request', FLEET_REQUEST, 1));
  });
  it('when the request is PascalCase in its wrapper and names the profile by ARN then it is found', async () => {
    const pascal = call(1, '2026-03-01T00:00:00Z', EC2, 'RequestSpotFleet', {
      requestParameters: { RequestSpotFleetRequest: { SpotFleetRequestConfig: { TargetCapacity: 1, LaunchSpecifications: [{ IamInstanceProfile: { Arn: PROFILE_ARN } }] } } },
      responseElements: { RequestSpotFleetResponse: { SpotFleetRequestId: FLEET_REQUEST } },
    });
    const incident = await investigated([pascal, deletion(2)]);
    expect(incident.dependentResources).toEqual(aliveSince('ec2', 'spot-fleet-request', FLEET_REQUEST, 1));
  });

  it('when the request was cancelled before the deletion then it is removed-before-deletion', async () => {
    const cancel = call(2, '2026-03-02T00:00:00Z', EC2, 'CancelSpotFleetRequests', {
      requestParameters: { spotFleetRequestIdSet: { items: [{ spotFleetRequestId: FLEET_REQUEST }] }, terminateInstances: true },
      responseElements: { successfulFleetRequestSet: { items: [{ spotFleetRequestId: FLEET_REQUEST, currentSpotFleetRequestState: 'cancelled_terminating' }] } },
    });
    const incident = await investigated([requestSpotFleet(1, '2026-03-01T00:00:00Z', PROFILE), cancel, deletion(3)]);
    expect(incident.dependentResources.map((resource) => resource.status)).toEqual(['removed-before-deletion']);
  });

  it('when the fleet launches from a launch template that names the profile then it depends through the template', async () => {
    const byTemplate = call(2, '2026-03-02T00:00:00Z', EC2, 'RequestSpotFleet', {
      requestParameters: { spotFleetRequestConfig: { targetCapacity: 2, launchTemplateConfigs: { items: [{ launchTemplateSpecification: { launchTemplateId: TEMPLATE_ID, version: '1' } }] } } },
      responseElements: { spotFleetRequestId: FLEET_REQUEST },
    });
    const incident = await investigated([createTemplate(1, '2026-03-01T00:00:00Z', PROFILE), byTemplate, deletion(3)]);
    expect(incident.dependentResources).toEqual(aliveSince('ec2', 'spot-fleet-request', FLEET_REQUEST, 2, TEMPLATE_ID));
  });

  it('when a modification of the fleet failed after the deletion then it is a failure after and impact is broken', async () => {
    const modify = call(3, '2026-03-06T20:00:00Z', EC2, 'ModifySpotFleetRequest', {
      requestParameters: { spotFleetRequestId: FLEET_REQUEST, targetCapacity: 8 },
      ...failed('InvalidSpotFleetRequestConfig', `Value (${PROFILE}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`),
    });
    const incident = await investigated([requestSpotFleet(1, '2026-03-01T00:00:00Z', PROFILE), deletion(2), modify]);
    expectOneFailure(incident, 3, '2026-03-06T20:00:00Z', 'ModifySpotFleetRequest', 'InvalidSpotFleetRequestConfig');
  });
});

describe('Spot Instance requests', () => {
  it('when a persistent request without validUntil is older than its 7-day default, or its validUntil passed, then it is no longer alive', async () => {
    const old = await investigated([requestSpotInstances(1, '2026-02-20T00:00:00Z', PROFILE), deletion(2)]);
    expect(old.dependentResources.map((resource) => resource.status)).toEqual(['removed-before-deletion', 'removed-before-deletion']);
    const recent = await investigated([requestSpotInstances(1, '2026-03-01T00:00:00Z', PROFILE), deletion(2)]);
    expect(recent.dependentResources.map((resource) => resource.status)).toEqual(['alive-at-deletion', 'alive-at-deletion']);
    const bounded = requestSpotInstances(1, '2026-03-01T00:00:00Z', PROFILE, {
      requestParameters: { type: 'persistent', validUntil: '2026-03-04T00:00:00Z', launchSpecification: { iamInstanceProfile: { name: PROFILE } } },
    });
    expect((await investigated([bounded, deletion(2)])).dependentResources.map((resource) => resource.status)).toEqual(['removed-before-deletion', 'removed-before-deletion']);
  });

  it('when a tag or token in the request is shaped like a request ID then it is not taken for a request', async () => {
    const tagged = requestSpotInstances(1, '2026-03-01T00:00:00Z', PROFILE, {
      requestParameters: {
        type: 'persistent',
        clientToken: 'sir-fake0001',
        launchSpecification: { iamInstanceProfile: { name: PROFILE } },
        tagSpecificationSet: { items: [{ resourceType: 'spot-instances-request', tags: [{ key: 'spotInstanceRequestId', value: 'sir-fake0002' }] }] },
      },
      responseElements: { spotInstanceRequestSet: { items: [{ spotInstanceRequestId: SPOT_REQUEST }] } },
    });
    const incident = await investigated([tagged, deletion(2)]);
    expect(incident.dependentResources.map((resource) => resource.resourceId)).toEqual([SPOT_REQUEST]);
  });
  it('when a persistent request made two requests and one was cancelled before then only the other is alive', async () => {
    const cancel = call(2, '2026-03-02T00:00:00Z', EC2, 'CancelSpotInstanceRequests', {
      requestParameters: { spotInstanceRequestIdSet: { items: [{ spotInstanceRequestId: SPOT_REQUEST }] } },
      responseElements: { spotInstanceRequestSet: { items: [{ spotInstanceRequestId: SPOT_REQUEST, state: 'cancelled' }] } },
    });
    const incident = await investigated([requestSpotInstances(1, '2026-03-01T00:00:00Z', PROFILE), cancel, deletion(3)]);
    expect(incident.dependentResources.map((resource) => [resource.resourceId, resource.status])).toEqual([
      [SPOT_REQUEST, 'removed-before-deletion'],
      [SECOND_SPOT_REQUEST, 'alive-at-deletion'],
    ]);
  });

  it('when the request is one-time then nothing keeps the profile', async () => {
    const oneTime = requestSpotInstances(1, '2026-03-01T00:00:00Z', PROFILE, {
      requestParameters: { instanceCount: 1, launchSpecification: { imageId: 'ami-0abc', iamInstanceProfile: { name: PROFILE } } },
    });
    const incident = await investigated([oneTime, deletion(2)]);
    expect(incident.dependentResources).toEqual([]);
  });
});

describe('EC2 Fleets', () => {
  it('when a maintain fleet launches from a template that names the profile then it is alive, and an instant fleet is not', async () => {
    const incident = await investigated([createTemplate(1, '2026-03-01T00:00:00Z', PROFILE), createFleet(2, '2026-03-02T00:00:00Z', 'maintain'), deletion(3)]);
    expect(incident.dependentResources).toEqual(aliveSince('ec2', 'ec2-fleet', FLEET, 2, TEMPLATE_ID));
    expectCheck(incident, 'ec2 describe-fleets', `--region ${REGION} --fleet-ids ${FLEET}`);
    const instant = await investigated([createTemplate(1, '2026-03-01T00:00:00Z', PROFILE), createFleet(2, '2026-03-02T00:00:00Z', 'instant'), deletion(3)]);
    expect(instant.dependentResources).toEqual([]);
  });

  it('when the fleet names the template by name, or a template of another profile, then only the first depends', async () => {
    const byName = await investigated([createTemplate(1, '2026-03-01T00:00:00Z', PROFILE), createFleet(2, '2026-03-02T00:00:00Z', 'maintain', { LaunchTemplateName: 'workers' }), deletion(3)]);
    expect(byName.dependentResources.map((resource) => resource.viaLaunchTemplate)).toEqual([TEMPLATE_ID]);
    const other = await investigated([createTemplate(1, '2026-03-01T00:00:00Z', 'another-profile'), createFleet(2, '2026-03-02T00:00:00Z', 'maintain'), deletion(3)]);
    expect(other.dependentResources).toEqual([]);
  });

  it('when the fleet was deleted before the deletion then it is removed-before-deletion', async () => {
    const removed = call(3, '2026-03-03T00:00:00Z', EC2, 'DeleteFleets', {
      requestParameters: { DeleteFleetsRequest: { FleetId: { content: FLEET, tag: 1 }, TerminateInstances: true } },
      responseElements: { DeleteFleetsResponse: { successfulFleetDeletionSet: { item: { fleetId: FLEET, currentFleetState: 'deleted_terminating' } } } },
    });
    const incident = await investigated([createTemplate(1, '2026-03-01T00:00:00Z', PROFILE), createFleet(2, '2026-03-02T00:00:00Z', 'maintain'), removed, deletion(4)]);
    expect(incident.dependentResources.map((resource) => resource.status)).toEqual(['removed-before-deletion']);
  });
});

// OpsWorks Stacks (opsworks 2013-02-18): CreateStack {name, region, serviceRoleArn, defaultInstanceProfileArn} → {stackId};
// UpdateStack / DeleteStack / StartStack {stackId}.
const OPSWORKS = 'opsworks.amazonaws.com';
// OpsWorks Stacks ended on 2024-05-26: its records come from archives older than that.
const OPSWORKS_DELETED_AT = '2024-03-06T12:00:00Z';
const STACK = '2f18b4cb-4de5-4429-a149-ff7da9f0d8ee';
const createStack = (n: number, time: string, profile: string, fields: RecordShape = {}): RecordShape => {
  const account = String(fields.recipientAccountId ?? ACCOUNT);
  return call(n, time, OPSWORKS, 'CreateStack', {
    requestParameters: {
      name: 'legacy-app',
      region: REGION,
      serviceRoleArn: `arn:aws:iam::${account}:role/aws-opsworks-service-role`,
      defaultInstanceProfileArn: `arn:aws:iam::${account}:instance-profile/${profile}`,
    },
    responseElements: { stackId: STACK },
    ...fields,
  });
};

describe('OpsWorks stacks', () => {
  it('when the profile was deleted after OpsWorks Stacks reached end of life then the stack is no longer alive', async () => {
    const incident = await investigated([createStack(1, '2024-03-01T00:00:00Z', PROFILE), deletion(2, '2024-06-01T00:00:00Z')]);
    expect(incident.dependentResources.map((resource) => resource.status)).toEqual(['removed-before-deletion']);
    expect(incident.assessment.impact).toBe('none');
  });

  it("when CloudFormation's DeleteStack names a stack the OpsWorks stack's ID then the OpsWorks stack is not ended", async () => {
    const cloudFormation = call(2, '2024-03-02T00:00:00Z', 'cloudformation.amazonaws.com', 'DeleteStack', { requestParameters: { stackName: STACK, stackId: STACK }, responseElements: null });
    const incident = await investigated([createStack(1, '2024-03-01T00:00:00Z', PROFILE), cloudFormation, deletion(3, OPSWORKS_DELETED_AT)]);
    expect(incident.dependentResources.map((resource) => resource.status)).toEqual(['alive-at-deletion']);
  });

  it('when the stack was deleted before the deletion then it is removed-before-deletion', async () => {
    const removed = call(2, '2024-03-02T00:00:00Z', OPSWORKS, 'DeleteStack', { requestParameters: { stackId: STACK }, responseElements: null });
    const incident = await investigated([createStack(1, '2024-03-01T00:00:00Z', PROFILE), removed, deletion(3, OPSWORKS_DELETED_AT)]);
    expect(incident.dependentResources.map((resource) => [resource.resourceType, resource.status])).toEqual([['opsworks-stack', 'removed-before-deletion']]);
  });

  it('when the stack moved to another default profile before the deletion then it does not depend', async () => {
    const moved = call(2, '2024-03-02T00:00:00Z', OPSWORKS, 'UpdateStack', {
      requestParameters: { stackId: STACK, defaultInstanceProfileArn: `arn:aws:iam::${ACCOUNT}:instance-profile/other-profile` },
      responseElements: null,
    });
    const incident = await investigated([createStack(1, '2024-03-01T00:00:00Z', PROFILE), moved, deletion(3, OPSWORKS_DELETED_AT)]);
    expect(incident.dependentResources).toEqual([]);
  });

  it('when starting the stack failed after the deletion then it is a failure after', async () => {
    const start = call(3, '2024-03-06T13:00:00Z', OPSWORKS, 'StartStack', { requestParameters: { stackId: STACK }, ...failed('ValidationException', 'Instance profile not found') });
    const incident = await investigated([createStack(1, '2024-03-01T00:00:00Z', PROFILE), deletion(2, OPSWORKS_DELETED_AT), start]);
    expectOneFailure(incident, 3, '2024-03-06T13:00:00Z', 'StartStack', 'ValidationException');
  });
});

// Data Pipeline (datapipeline 2012-10-29): PutPipelineDefinition {pipelineId, pipelineObjects [{id, name, fields [{key, stringValue | refValue}]}]}
// → {errored, validationErrors, validationWarnings}; ActivatePipeline / DeletePipeline {pipelineId}.
const DATAPIPELINE = 'datapipeline.amazonaws.com';
const PIPELINE = 'df-0937003356ZJEXAMPLE';
const definePipeline = (n: number, time: string, profile: string, fields: RecordShape = {}): RecordShape =>
  call(n, time, DATAPIPELINE, 'PutPipelineDefinition', {
    requestParameters: {
      pipelineId: PIPELINE,
      pipelineObjects: [
        { id: 'Default', name: 'Default', fields: [{ key: 'role', stringValue: 'DataPipelineDefaultRole' }, { key: 'resourceRole', stringValue: profile }] },
        { id: 'Ec2Instance', name: 'Ec2Instance', fields: [{ key: 'type', stringValue: 'Ec2Resource' }, { key: 'instanceType', stringValue: 'm5.large' }] },
      ],
    },
    responseElements: { errored: false, validationErrors: [], validationWarnings: [] },
    ...fields,
  });

describe('Data Pipeline pipelines', () => {
  it('when an Ec2Resource overrides the Default object\'s resourceRole with the profile then the pipeline depends', async () => {
    const overridden = definePipeline(1, '2026-03-01T00:00:00Z', 'DataPipelineDefaultResourceRole', {
      requestParameters: {
        pipelineId: PIPELINE,
        pipelineObjects: [
          { id: 'Default', name: 'Default', fields: [{ key: 'resourceRole', stringValue: 'DataPipelineDefaultResourceRole' }] },
          { id: 'Ec2Instance', name: 'Ec2Instance', fields: [{ key: 'type', stringValue: 'Ec2Resource' }, { key: 'resourceRole', stringValue: PROFILE }] },
        ],
      },
    });
    const incident = await investigated([overridden, deletion(2)]);
    expect(incident.dependentResources).toEqual(aliveSince('datapipeline', 'data-pipeline', PIPELINE, 1));
  });
  it('when the definition was refused (errored) then nothing depends on it', async () => {
    const refused = definePipeline(1, '2026-03-01T00:00:00Z', PROFILE, { responseElements: { errored: true, validationErrors: [{ id: 'Default', errors: ['bad schedule'] }] } });
    const incident = await investigated([refused, deletion(2)]);
    expect(incident.dependentResources).toEqual([]);
  });

  it('when activating the pipeline failed after the deletion then it is a failure after', async () => {
    const activate = call(3, '2026-03-06T14:00:00Z', DATAPIPELINE, 'ActivatePipeline', { requestParameters: { pipelineId: PIPELINE }, ...failed('InvalidRequestException', `resourceRole '${PROFILE}' is invalid`) });
    const incident = await investigated([definePipeline(1, '2026-03-01T00:00:00Z', PROFILE), deletion(2), activate]);
    expectOneFailure(incident, 3, '2026-03-06T14:00:00Z', 'ActivatePipeline', 'InvalidRequestException');
  });

  it('when the pipeline was deleted before the deletion then it is removed-before-deletion', async () => {
    const removed = call(2, '2026-03-02T00:00:00Z', DATAPIPELINE, 'DeletePipeline', { requestParameters: { pipelineId: PIPELINE }, responseElements: null });
    const incident = await investigated([definePipeline(1, '2026-03-01T00:00:00Z', PROFILE), removed, deletion(3)]);
    expect(incident.dependentResources.map((resource) => resource.status)).toEqual(['removed-before-deletion']);
  });
});

/** What every service shares: found alive with its check, and blind to a same-named profile elsewhere. */
const SERVICES = [
  {
    label: 'a Batch compute environment',
    service: 'batch',
    resourceType: 'compute-environment',
    create: createCe,
    resourceId: CE_ARN,
    command: 'batch describe-compute-environments',
    args: `--region ${REGION} --compute-environments ${CE_ARN}`,
  },
  {
    label: 'an Image Builder infrastructure configuration',
    service: 'imagebuilder',
    resourceType: 'infrastructure-configuration',
    create: createIc,
    resourceId: IC_ARN,
    command: 'imagebuilder get-infrastructure-configuration',
    args: `--region ${REGION} --infrastructure-configuration-arn ${IC_ARN}`,
  },
  { label: 'an EMR cluster', service: 'emr', resourceType: 'emr-cluster', create: runJobFlow, resourceId: CLUSTER, command: 'emr describe-cluster', args: `--region ${REGION} --cluster-id ${CLUSTER}` },
  {
    label: 'an Elastic Beanstalk environment',
    service: 'elasticbeanstalk',
    resourceType: 'beanstalk-environment',
    create: createEnvironment,
    resourceId: ENVIRONMENT,
    command: 'elasticbeanstalk describe-environments',
    args: `--region ${REGION} --environment-names ${ENVIRONMENT}`,
  },
  {
    label: 'an Elastic Beanstalk configuration template',
    service: 'elasticbeanstalk',
    resourceType: 'beanstalk-configuration-template',
    create: saveConfiguration,
    resourceId: `shop/${TEMPLATE_NAME}`,
    command: 'elasticbeanstalk describe-configuration-settings',
    args: `--region ${REGION} --application-name shop --template-name ${TEMPLATE_NAME}`,
  },
  {
    label: 'a Spot Fleet request',
    service: 'ec2',
    resourceType: 'spot-fleet-request',
    create: requestSpotFleet,
    resourceId: FLEET_REQUEST,
    command: 'ec2 describe-spot-fleet-requests',
    args: `--region ${REGION} --spot-fleet-request-ids ${FLEET_REQUEST}`,
  },
  {
    label: 'a persistent Spot Instance request',
    service: 'ec2',
    resourceType: 'spot-instance-request',
    // One request made, so the case is about one resource.
    create: (n: number, time: string, profile: string, fields: RecordShape = {}) =>
      requestSpotInstances(n, time, profile, { responseElements: { spotInstanceRequestSet: { items: [{ spotInstanceRequestId: SPOT_REQUEST }] } }, ...fields }),
    resourceId: SPOT_REQUEST,
    command: 'ec2 describe-spot-instance-requests',
    args: `--region ${REGION} --spot-instance-request-ids ${SPOT_REQUEST}`,
  },
  {
    label: 'an OpsWorks stack',
    service: 'opsworks',
    resourceType: 'opsworks-stack',
    create: createStack,
    resourceId: STACK,
    command: 'opsworks describe-stacks',
    args: `--region ${REGION} --stack-ids ${STACK}`,
    createdAt: '2024-03-01T00:00:00Z',
    deletedAt: OPSWORKS_DELETED_AT,
  },
  {
    label: 'a Data Pipeline pipeline',
    service: 'datapipeline',
    resourceType: 'data-pipeline',
    create: definePipeline,
    resourceId: PIPELINE,
    command: 'datapipeline describe-pipelines',
    args: `--region ${REGION} --pipeline-ids ${PIPELINE}`,
  },
];

describe.each(SERVICES.map((entry) => ({ createdAt: '2026-03-01T00:00:00Z', deletedAt: DELETED_AT, ...entry })))('$label', ({ service, resourceType, create, resourceId, command, args, createdAt, deletedAt }) => {
  it('when it was given the profile by name then it is alive at the deletion, impact is potential, and the restore recommendation checks it with a real command', async () => {
    const incident = await investigated([create(1, createdAt, PROFILE), deletion(2, deletedAt)]);
    expect(incident.dependentResources).toEqual(aliveSince(service, resourceType, resourceId, 1));
    expect(incident.assessment.impact).toBe('potential');
    expect(incident.assessment.reasons.join('\n')).toContain(`${dependentResourceWords(resourceType)} ${resourceId}`);
    const restore = incident.recommendations.find((recommendation) => recommendation.id === 'restore-instance-profile')!;
    expect(restore.why).toContain(resourceId);
    expect(restore.evidence).toContain(eventId(1));
    expectCheck(incident, command, args);
  });

  it('when a same-named profile in another account is held by one there then it is ignored', async () => {
    const incident = await investigated([create(1, createdAt, PROFILE, { recipientAccountId: OTHER_ACCOUNT }), deletion(2, deletedAt)]);
    expect(incident.dependentResources).toEqual([]);
    expect(incident.assessment.impact).toBe('none');
  });
});
