/**
 * The AWS API model, read from the AWS SDK for JavaScript v3 packages installed as
 * devDependencies: each exports `<Operation>$` schemas (`[9, namespace, name, traits,
 * input, output]`, the input `[3, namespace, name, traits, members[], memberSchemas[],
 * requiredCount]`, required members first) and `waitUntil<Waiter>` functions, whose
 * source names the operation they poll. Names are turned into the AWS CLI's and boto3's
 * spelling by botocore's own rule (xform_name), written here independently of src/.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** CLI/boto3 service name → SDK package (devDependencies). */
export const SDK_PACKAGES: Record<string, string> = {
  iam: '@aws-sdk/client-iam',
  ec2: '@aws-sdk/client-ec2',
  organizations: '@aws-sdk/client-organizations',
  events: '@aws-sdk/client-eventbridge',
  autoscaling: '@aws-sdk/client-auto-scaling',
  cloudtrail: '@aws-sdk/client-cloudtrail',
  sts: '@aws-sdk/client-sts',
};

/**
 * botocore.xform_name: `(.)([A-Z][a-z]+)` then `([a-z0-9])([A-Z])` get the separator, after
 * a trailing run of 3+ capitals plus `s` is split off whole (`ListARNs` → `list_arns`).
 */
export function xformName(name: string, separator: '-' | '_'): string {
  let text = name;
  const special = /[A-Z]{3,}s$/.exec(text);
  if (special) text = `${text.slice(0, -special[0].length)}${separator}${special[0].toLowerCase()}`;
  return text
    .replace(/(.)([A-Z][a-z]+)/g, `$1${separator}$2`)
    .replace(/([a-z0-9])([A-Z])/g, `$1${separator}$2`)
    .toLowerCase();
}

export interface MemberModel {
  name: string;
  boolean: boolean;
  required: boolean;
  /** For a structure, or a list of structures: the structure's member names (CLI shorthand and JSON keys). */
  structKeys: string[] | null;
}

export interface OperationModel {
  name: string;
  members: MemberModel[];
}

export interface WaiterModel {
  name: string;
  /** The operation the waiter polls: its input is the waiter's input. */
  operation: string;
}

export interface ServiceModel {
  service: string;
  /** By API name (`UpdateAccessKey`). */
  operations: Map<string, OperationModel>;
  /** By API name (`InstanceProfileExists`). */
  waiters: Map<string, WaiterModel>;
}

type Schema = unknown;

const resolve = (ref: Schema): Schema => (typeof ref === 'function' ? (ref as () => Schema)() : ref);

/** A member schema is a type code (2 is boolean), `[ref, traits]`, or a named schema (`[0, ns, name, traits, inner]` for simple types). */
function isBoolean(member: Schema): boolean {
  let ref = member;
  if (Array.isArray(ref) && ref.length === 2) ref = ref[0];
  ref = resolve(ref);
  if (Array.isArray(ref) && ref[0] === 0 && ref.length >= 5) ref = resolve(ref[4]);
  return ref === 2;
}

const unwrap = (member: Schema): Schema => resolve(Array.isArray(member) && member.length === 2 ? member[0] : member);

function structKeys(member: Schema): string[] | null {
  let schema = unwrap(member);
  if (Array.isArray(schema) && schema[0] === 1) schema = unwrap(schema[4]);
  return Array.isArray(schema) && schema[0] === 3 ? ((schema[4] ?? []) as string[]) : null;
}

function operationModel(schema: unknown[]): OperationModel {
  const input = resolve(schema[4]);
  if (!Array.isArray(input) || input[0] !== 3) return { name: String(schema[2]), members: [] };
  const names = (input[4] ?? []) as string[];
  const schemas = (input[5] ?? []) as Schema[];
  const requiredCount = typeof input[6] === 'number' ? input[6] : 0;
  return {
    name: String(schema[2]),
    members: names.map((name, index) => ({ name, boolean: isBoolean(schemas[index]), required: index < requiredCount, structKeys: structKeys(schemas[index]) })),
  };
}

const member = (name: string, required = false): MemberModel => ({ name, boolean: false, required, structKeys: null });

/**
 * Services without an SDK package here (none may be installed for them), checked by hand
 * against the AWS API model botocore ships (`botocore/data/<service>/<version>/service-2.json`):
 * every member of each operation's input, required ones marked.
 */
export const KNOWN_EXCEPTIONS: Record<string, OperationModel[]> = {
  // batch 2016-08-10: DescribeComputeEnvironmentsRequest {computeEnvironments, maxResults, nextToken}, none required.
  batch: [{ name: 'DescribeComputeEnvironments', members: [member('computeEnvironments'), member('maxResults'), member('nextToken')] }],
  // imagebuilder 2019-12-02: GetInfrastructureConfigurationRequest {infrastructureConfigurationArn}, required.
  imagebuilder: [{ name: 'GetInfrastructureConfiguration', members: [member('infrastructureConfigurationArn', true)] }],
  // emr 2009-03-31: DescribeClusterInput {ClusterId}, required.
  emr: [{ name: 'DescribeCluster', members: [member('ClusterId', true)] }],
  // elasticbeanstalk 2010-12-01: DescribeEnvironmentsMessage, none required.
  elasticbeanstalk: [
    {
      name: 'DescribeEnvironments',
      members: [
        ...['ApplicationName', 'VersionLabel', 'EnvironmentIds', 'EnvironmentNames'].map((name) => member(name)),
        { ...member('IncludeDeleted'), boolean: true },
        ...['IncludedDeletedBackTo', 'MaxRecords', 'NextToken'].map((name) => member(name)),
      ],
    },
    // DescribeConfigurationSettingsMessage {ApplicationName (required), TemplateName, EnvironmentName}.
    { name: 'DescribeConfigurationSettings', members: [member('ApplicationName', true), member('TemplateName'), member('EnvironmentName')] },
  ],
  // opsworks 2013-02-18: DescribeStacksRequest {StackIds}, none required.
  opsworks: [{ name: 'DescribeStacks', members: [member('StackIds')] }],
  // datapipeline 2012-10-29: DescribePipelinesInput {pipelineIds}, required.
  datapipeline: [{ name: 'DescribePipelines', members: [member('pipelineIds', true)] }],
};

const cache = new Map<string, ServiceModel>();

export function serviceModel(service: string): ServiceModel {
  const known = cache.get(service);
  if (known) return known;
  const pkg = SDK_PACKAGES[service];
  const exceptions = KNOWN_EXCEPTIONS[service];
  if (!pkg && exceptions) {
    const model = { service, operations: new Map(exceptions.map((operation) => [operation.name, operation])), waiters: new Map<string, WaiterModel>() };
    cache.set(service, model);
    return model;
  }
  if (!pkg) throw new Error(`no SDK package (and no known exception) for service ${service}`);
  const sdk = require(pkg) as Record<string, unknown>;
  const operations = new Map<string, OperationModel>();
  for (const [key, value] of Object.entries(sdk)) {
    if (!key.endsWith('$') || !Array.isArray(value) || value[0] !== 9) continue;
    operations.set(String(value[2]), operationModel(value));
  }
  const waiterDir = join(dirname(require.resolve(pkg)), '../dist-es/waiters');
  const waiters = new Map<string, WaiterModel>();
  for (const key of Object.keys(sdk)) {
    const name = /^waitUntil(\w+)$/.exec(key)?.[1];
    if (!name) continue;
    const source = readFileSync(join(waiterDir, `waitFor${name}.js`), 'utf8');
    const operation = /new (\w+)Command\(input\)/.exec(source)?.[1];
    if (!operation || !operations.has(operation)) throw new Error(`cannot tell which operation waiter ${service} ${name} polls`);
    waiters.set(name, { name, operation });
  }
  if (operations.size < 10) throw new Error(`${pkg} exports only ${operations.size} operation schemas: has the SDK layout changed?`);
  const model = { service, operations, waiters };
  cache.set(service, model);
  return model;
}

/** Operation by its CLI name (`update-access-key`) or boto3 name (`update_access_key`). */
export function operationBySpelling(service: string, spelled: string, separator: '-' | '_'): OperationModel | undefined {
  for (const operation of serviceModel(service).operations.values()) if (xformName(operation.name, separator) === spelled) return operation;
  return undefined;
}

export function waiterBySpelling(service: string, spelled: string, separator: '-' | '_'): WaiterModel | undefined {
  for (const waiter of serviceModel(service).waiters.values()) if (xformName(waiter.name, separator) === spelled) return waiter;
  return undefined;
}

/**
 * What the Python stub checks calls against, as JSON: per service, snake_case operation →
 * {members, required}, snake_case waiter → the same for the operation it polls.
 */
export function boto3StubModel(): Record<string, { operations: Record<string, { members: string[]; required: string[] }>; waiters: Record<string, { members: string[]; required: string[] }> }> {
  const out: ReturnType<typeof boto3StubModel> = {};
  for (const service of [...Object.keys(SDK_PACKAGES), ...Object.keys(KNOWN_EXCEPTIONS)]) {
    const model = serviceModel(service);
    const shape = (operation: OperationModel) => ({ members: operation.members.map((member) => member.name), required: operation.members.filter((member) => member.required).map((member) => member.name) });
    out[service] = {
      operations: Object.fromEntries([...model.operations.values()].map((operation) => [xformName(operation.name, '_'), shape(operation)])),
      waiters: Object.fromEntries([...model.waiters.values()].map((waiter) => [xformName(waiter.name, '_'), shape(model.operations.get(waiter.operation)!)])),
    };
  }
  return out;
}
