/**
 * EC2 Spot and Fleet requests that launch instances later with an instance profile: the
 * profile a launch specification names, the launch templates they launch from, the request or
 * fleet IDs, and whether the request is one-shot (it launches once and never again).
 *
 * No public CloudTrail sample of these calls was found, so every variant is accepted: the
 * query API's camelCase with lists as arrays or `{items: [...]}`, the newer calls' PascalCase
 * wrapped in `<Operation>Request`, a list of one given as the object itself. IDs are found by
 * their shape (`sfr-…`, `sir-…`, `fleet-…`) anywhere in the request and response, so a cancel
 * call's list is read whatever its wrapper is called.
 */
import { asObject, child, childText, type JsonObject, pascalCase } from './json-access.js';
// validUntil may be logged as an ISO time or as epoch seconds or milliseconds: read as eventTime is.
import { normalizeTimestamp } from './timestamp.js';

export interface FleetSubject {
  /** The profile of the first launch specification that names one. */
  profile: { name: string | null; arn: string | null };
  /** Every profile its launch specifications name (a Spot Fleet may mix several). */
  profiles: Array<{ name: string | null; arn: string | null }>;
  /** `validUntil` as an ISO time, when the request gives one. */
  validUntil: string | null;
  /** Launch templates by ID or, when the request gives no ID, by name. */
  launchTemplates: Array<{ id: string | null; name: string | null }>;
  /** The request or fleet IDs, sorted. */
  ids: string[];
  /** A one-time Spot request, a Spot Fleet or EC2 Fleet of type `request` or `instant`: nothing is launched again. */
  oneShot: boolean;
}

const ID_SHAPES: Readonly<Record<string, RegExp>> = {
  RequestSpotFleet: /^sfr-[0-9a-f-]{8,64}$/,
  ModifySpotFleetRequest: /^sfr-[0-9a-f-]{8,64}$/,
  CancelSpotFleetRequests: /^sfr-[0-9a-f-]{8,64}$/,
  RequestSpotInstances: /^sir-[0-9a-z]{6,32}$/,
  CancelSpotInstanceRequests: /^sir-[0-9a-z]{6,32}$/,
  CreateFleet: /^fleet-[0-9a-f-]{8,64}$/,
  ModifyFleet: /^fleet-[0-9a-f-]{8,64}$/,
  DeleteFleets: /^fleet-[0-9a-f-]{8,64}$/,
};

export function isFleetCall(eventSource: string | null, eventName: string | null): boolean {
  return eventSource === 'ec2.amazonaws.com' && eventName !== null && Object.hasOwn(ID_SHAPES, eventName);
}

/** Calls that make a request or fleet: its ID is the one the service returned, never one found in the request. */
const MAKES = new Set(['RequestSpotFleet', 'RequestSpotInstances', 'CreateFleet']);

/** Only for `isFleetCall` records. */
export function fleetSubject(eventName: string, request: JsonObject | null, response: JsonObject | null): FleetSubject {
  const found = new Set<string>();
  const shape = ID_SHAPES[eventName]!;
  if (!MAKES.has(eventName)) collectIds(request, shape, found, 0, false);
  collectIds(response, shape, found, 0, false);
  const subject: FleetSubject = { profile: { name: null, arn: null }, profiles: [], validUntil: null, launchTemplates: [], ids: [...found].sort(), oneShot: false };
  if (eventName === 'RequestSpotInstances') {
    const body = unwrap(request, 'RequestSpotInstancesRequest');
    subject.profiles = named([profileOf(either(either(body, 'launchSpecification'), 'iamInstanceProfile'))]);
    // One-time is the default: a fulfilled one-time request launches nothing again.
    subject.oneShot = (textOf(either(body, 'type')) ?? 'one-time') !== 'persistent';
    subject.validUntil = normalizeTimestamp(either(body, 'validUntil'));
  } else if (eventName === 'RequestSpotFleet') {
    const config = asObject(either(unwrap(request, 'RequestSpotFleetRequest'), 'spotFleetRequestConfig'));
    subject.profiles = named(listOf(either(config, 'launchSpecifications')).map((spec) => profileOf(either(asObject(spec), 'iamInstanceProfile'))));
    subject.launchTemplates = templatesOf(either(config, 'launchTemplateConfigs'));
    subject.oneShot = textOf(either(config, 'type')) === 'request';
    subject.validUntil = normalizeTimestamp(either(config, 'validUntil'));
  } else if (eventName === 'CreateFleet') {
    const body = unwrap(request, 'CreateFleetRequest');
    subject.launchTemplates = templatesOf(either(body, 'launchTemplateConfigs'));
    const type = textOf(either(body, 'type'));
    subject.oneShot = type === 'instant' || type === 'request';
    subject.validUntil = normalizeTimestamp(either(body, 'validUntil'));
  }
  subject.profile = subject.profiles[0] ?? subject.profile;
  return subject;
}

function named(profiles: Array<{ name: string | null; arn: string | null }>): Array<{ name: string | null; arn: string | null }> {
  return profiles.filter((profile) => profile.name !== null || profile.arn !== null);
}


/** `key` or its PascalCase spelling. */
function either(object: unknown, key: string): unknown {
  const value = asObject(object);
  if (!value) return undefined;
  return child(value, key) ?? child(value, pascalCase(key));
}

function unwrap(request: JsonObject | null, wrapper: string): JsonObject | null {
  return asObject(child(request, wrapper)) ?? request;
}

function textOf(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** An array, `{items: [...]}`, or a list of one logged as the object itself. */
function listOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  const object = asObject(value);
  if (!object) return [];
  const items = child(object, 'items') ?? child(object, 'Items') ?? child(object, 'item');
  if (Array.isArray(items)) return items;
  return items !== undefined ? [items] : [object];
}

function profileOf(value: unknown): { name: string | null; arn: string | null } {
  if (typeof value === 'string') return value.startsWith('arn:') ? { name: null, arn: value } : { name: value, arn: null };
  const object = asObject(value);
  return { name: childText(object, 'name') ?? childText(object, 'Name'), arn: childText(object, 'arn') ?? childText(object, 'Arn') };
}

function templatesOf(value: unknown): Array<{ id: string | null; name: string | null }> {
  const templates: Array<{ id: string | null; name: string | null }> = [];
  for (const config of listOf(value)) {
    const specification = asObject(either(config, 'launchTemplateSpecification'));
    const id = textOf(either(specification, 'launchTemplateId'));
    const name = textOf(either(specification, 'launchTemplateName'));
    if (id || name) templates.push({ id, name });
  }
  return templates;
}

const MAX_ID_DEPTH = 8;

/** Keys that hold request or fleet IDs, whatever wraps them (`spotFleetRequestIdSet`, `FleetId`, `successfulFleetDeletionSet` items' `fleetId`). */
const ID_KEY = /spotfleetrequestid|spotinstancerequestid|fleetid/i;

/** IDs of the right shape under an ID key only: tags, tokens and descriptions the caller chose are never read as IDs. */
function collectIds(value: unknown, shape: RegExp, found: Set<string>, depth: number, underIdKey: boolean): void {
  if (typeof value === 'string') {
    if (underIdKey && shape.test(value)) found.add(value);
    return;
  }
  if (depth >= MAX_ID_DEPTH || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) collectIds(item, shape, found, depth + 1, underIdKey);
    return;
  }
  for (const [key, item] of Object.entries(value)) collectIds(item, shape, found, depth + 1, underIdKey || ID_KEY.test(key));
}
