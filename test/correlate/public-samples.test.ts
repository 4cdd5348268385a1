/**
 * Correlation rules on real CloudTrail written by other people (../shared/datasets/
 * public-cloudtrail, see its SOURCES.md): EC2 instance credentials stolen through a proxy
 * (OTRF), console sessions and sign-ins, Stratus Red Team detonations, and AWS's own
 * DeleteInstanceProfile example. Skipped in a clone without ../shared; CI has it.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildActor, isConsoleCall } from '../../src/correlate/actor.js';
import { ALL_TIME, type StoredEvent } from '../../src/correlate/evidence.js';
import { categoryOf, summarize } from '../../src/correlate/event-words.js';
import { investigate } from '../../src/correlate/investigate.js';
import { selectedEvents } from '../../src/correlate/timeline-items.js';
import { instanceCredentialUse, offensiveTool } from '../../src/correlate/signals.js';
import { detailsOf } from '../../src/parse/event-row.js';
import type { Db } from '../../src/store/database.js';
import { openDatabase } from '../../src/store/database.js';
import { SqliteEvidence } from '../../src/store/evidence.js';
import { freshDatabasePath, ingestLocal } from '../support/database.js';
import type { JsonObject } from '../../src/parse/json-access.js';
import type { CallStep } from '../../src/correlate/remediation/plan.js';
import { readFileSync } from 'node:fs';
import { MemoryEvidence } from './memory-evidence.js';

const DATASET = resolve(__dirname, '../../../shared/datasets/public-cloudtrail');
const present = existsSync(join(DATASET, 'SOURCES.md'));

describe.skipIf(!present)('correlation on public CloudTrail samples', () => {
  let db: Db;
  let evidence: SqliteEvidence;
  beforeAll(async () => {
    const dbPath = freshDatabasePath();
    await ingestLocal(dbPath, [DATASET]);
    db = openDatabase(dbPath, { readonly: true });
    evidence = new SqliteEvidence(db);
    return () => db.close();
  }, 120_000);

  let everything: StoredEvent[] = [];
  const all = (): StoredEvent[] => {
    if (everything.length === 0) everything = db.prepare('SELECT * FROM event_columns ORDER BY event_time, event_id').all() as StoredEvent[];
    return everything;
  };

  it('when OTRF’s proxied instance credentials are traced then the origin is EC2 delivering to i-0317f6c6b66ae9c40, and every use from the workstation at 1.2.3.4 is exfiltration', async () => {
    // GetObject with the WAF instance's role session, from 1.2.3.4 with a macOS aws-cli.
    const use = await evidence.eventById('771299cb-e200-4926-9604-c85358b30499');
    expect(use?.identity_arn).toMatch(/assumed-role\/MordorNginxStack-BankingWAFRole-9S3E0UAE1MM0\/i-0317f6c6b66ae9c40$/);
    expect(await evidence.record(use!.event_id)).toMatchObject({ userIdentity: { sessionContext: { ec2RoleDelivery: '1.0' } } });
    const actor = await buildActor(use!, evidence);
    expect(actor.origin).toMatchObject({ type: 'AWSService', arn: 'ec2.amazonaws.com', instanceId: 'i-0317f6c6b66ae9c40' });
    const [found] = await instanceCredentialUse(actor, evidence, ALL_TIME.since, use!.event_time);
    expect(found).toMatchObject({ instanceId: 'i-0317f6c6b66ae9c40', ownAddresses: [] });
    expect(found!.outsideCalls.map((call) => call.source_ip)).toEqual(expect.arrayContaining(['1.2.3.4']));
    expect(found!.outsideCalls.map((call) => call.event_id)).toContain('771299cb-e200-4926-9604-c85358b30499');
  });

  it('when OTRF’s instance is selected for a timeline then EC2’s deliveries and the calls from the workstation with its credentials are in it', async () => {
    const ids = (await selectedEvents({ instanceId: 'i-0317f6c6b66ae9c40' }, evidence)).map((event) => event.event_id);
    expect(ids).toEqual(expect.arrayContaining(['a3a3dded-7c27-42c0-a42d-891cdd436278', '7d91ac29-614a-4af9-af5c-c5a80e63a0bb', '771299cb-e200-4926-9604-c85358b30499']));
    const naming = (await evidence.eventsBySelection({ instanceId: 'i-0317f6c6b66ae9c40' })).map((event) => event.event_id);
    expect(naming).not.toContain('7d91ac29-614a-4af9-af5c-c5a80e63a0bb');
  });

  it('when an instance is named only by an SSM session target, an older instancesSet item or an ID filter then its timeline still has the call', async () => {
    const ssm = (await selectedEvents({ instanceId: 'i-eA1d1296c1dE3Aa1f' }, evidence)).map((event) => event.event_id);
    // Stratus's StartSession on it, and the DescribeInstanceInformation that filtered for it.
    expect(ssm).toEqual(expect.arrayContaining(['8086b250-d29c-4659-9aec-86c8446a3895', 'ab04bb55-b6d5-492b-8697-9d11867c6c43']));
    const otrf = (await selectedEvents({ instanceId: 'i-044b1baf4c96e1b62' }, evidence)).map((event) => event.event_id);
    // DescribeClassicLinkInstances (instancesSet.item), DescribeInstanceCreditSpecifications ({tag, content}), DescribeAddresses (instance-id filter).
    expect(otrf).toEqual(expect.arrayContaining(['80b56b93-acfa-4aa4-8562-c4cd2eae3654', 'd346cbee-47c4-4ebe-b8d0-377b75861523', '53bb6d95-8860-4dc1-8bd8-be013478fd8b']));
  });

  it('when real records carry sessionCredentialFromConsole then each is a console call, and a real sign-in’s MFAUsed reads in any case', async () => {
    const flagged = all().filter((event) => detailsOf(event).consoleSession);
    expect(flagged.length).toBeGreaterThanOrEqual(45);
    // An IAM user's or root's console call (temporary key, or a masked one); a federated
    // session (Identity Center roles) flags the console too but signs in at its IdP.
    const human = flagged.filter((event) => (event.identity_type === 'IAMUser' || event.identity_type === 'Root') && !event.access_key_id?.startsWith('AKIA'));
    expect(human.length).toBeGreaterThan(0);
    expect(human.every((event) => isConsoleCall(event))).toBe(true);
    expect(flagged.filter((event) => event.identity_type === 'AssumedRole').some((event) => isConsoleCall(event))).toBe(false);
    // AWS's examples and Panther's fixtures reuse some eventIDs on other days: each row is read with its own time.
    const logins = all().filter((event) => event.event_name === 'ConsoleLogin');
    expect(logins.length).toBeGreaterThanOrEqual(10);
    for (const login of logins) {
      const logged = (await evidence.record(login.event_id, login.event_time))?.additionalEventData as { MFAUsed?: string } | undefined;
      const expected = logged?.MFAUsed === undefined ? null : logged.MFAUsed.toLowerCase() === 'yes' ? 1 : 0;
      expect({ id: login.event_id, mfa: login.mfa_authenticated }).toEqual({ id: login.event_id, mfa: expected });
    }
    expect(logins.some((event) => event.mfa_authenticated === 1)).toBe(true);
    expect(logins.some((event) => detailsOf(event).loginResult === 'Failure')).toBe(true);
  });

  it('when every record’s user agent is checked then Stratus Red Team is named on its detonations and nothing else is called attack tooling', () => {
    const events = all();
    const flagged = events.filter((event) => offensiveTool(event.user_agent) !== null);
    expect(flagged.length).toBeGreaterThanOrEqual(300);
    expect(new Set(flagged.map((event) => offensiveTool(event.user_agent)))).toEqual(new Set(['Stratus Red Team']));
    expect(flagged.every((event) => /stratus-red-team_/.test(event.user_agent ?? ''))).toBe(true);
    expect(events.filter((event) => /stratus-red-team_/.test(event.user_agent ?? '') && offensiveTool(event.user_agent) === null)).toEqual([]);
  });

  it('when IAM and STS reads from real logs are categorized then they are discovery, and their writes are not', () => {
    const reads = all().filter((event) => event.event_source === 'iam.amazonaws.com' && /^(List|Get)/.test(event.event_name ?? ''));
    expect(reads.length).toBeGreaterThan(10);
    expect(new Set(reads.map((event) => categoryOf(event)))).toEqual(new Set(['discovery']));
    const callerIdentity = all().filter((event) => event.event_name === 'GetCallerIdentity');
    expect(callerIdentity.length).toBeGreaterThan(0);
    expect(new Set(callerIdentity.map((event) => categoryOf(event)))).toEqual(new Set(['discovery']));
    expect(all().filter((event) => event.event_name === 'CreateAccessKey').every((event) => categoryOf(event) === 'credential')).toBe(true);
    // OTRF's exfiltration reads S3: another service, never labelled ec2.
    const s3 = all().filter((event) => event.event_source === 's3.amazonaws.com');
    expect(s3.length).toBeGreaterThan(5);
    expect(new Set(s3.map((event) => categoryOf(event)))).toEqual(new Set(['other']));
  });

  it('when real denied calls name their target only in the message then the summary names it, and another service\u2019s CreateUser is no IAM change', async () => {
    const byId = await evidence.eventsByIds(['14ce1828-e25d-45bd-b886-bfa662caf2a9', '1f8b80aa-6716-4c78-a13f-4209bd6880dd', 'de53d94e-f8b3-4111-b2d2-4f1c2f77a2b1', '6767a11f-587b-4e37-ad22-084ac0fee82f']);
    const summaryOf = (id: string): string => summarize(byId.get(id)!);
    expect(summaryOf('14ce1828-e25d-45bd-b886-bfa662caf2a9')).toContain('AttachGroupPolicy on TrailDiscover');
    // AddUserToGroup: the group from the message; the user added is not the caller.
    expect(summaryOf('1f8b80aa-6716-4c78-a13f-4209bd6880dd')).toContain('tried to add ? to group TrailDiscover');
    expect(summaryOf('de53d94e-f8b3-4111-b2d2-4f1c2f77a2b1')).toContain('trail arn:aws:cloudtrail:us-east-1:192374575148:trail/TrailDiscover');
    for (const id of byId.keys()) expect(summaryOf(id)).not.toContain('itself');
    expect(categoryOf(byId.get('6767a11f-587b-4e37-ad22-084ac0fee82f')!)).toBe('other');
  });

  it('when Stratus opens a role\u2019s trust to another account then the summary names the account it now trusts', async () => {
    const backdoor = await evidence.eventById('62e290e2-ee95-4a7c-a9f8-db4ef462b12d');
    expect(summarize(backdoor!)).toContain('changed who may assume role stratus-red-team-backdoor-r-role, trusting ec2.amazonaws.com, arn:aws:iam::193672423079:root');
  });

  it('when a real key ID recurs (Panther’s samples reuse one; TrailDiscover masks all alike) then a use is traced only to an issuing call for its own session, within its lifetime', async () => {
    // SendSSHPublicKey by SampleRole/bobson.dugnutt, a month after an AssumeRole that issued the same key ID to SampleRole/SampleSession.
    const use = await evidence.eventById('d6d05dd2-d03d-4dce-a88c-02b6a567d889');
    expect(use?.identity_arn).toMatch(/assumed-role\/SampleRole\/bobson\.dugnutt$/);
    const actor = await buildActor(use!, evidence);
    expect(actor.chain).toEqual([]);
    // Stratus’s GetFederationToken names the federated user that then calls: that chain holds.
    const federated = all().find((event) => event.identity_type === 'FederatedUser' && event.identity_arn?.endsWith(':federated-user/stratus_red_team'));
    expect((await buildActor(federated!, evidence)).origin).toMatchObject({ type: 'IAMUser', arn: 'arn:aws:iam::742491224508:user/stratus-red-team-user-federation-user' });
  });

  it('when AWS’s documented EKS node group deletion is investigated then it is a service deletion with no signals and nothing to do', async () => {
    const incidents = await investigate(evidence, { eventId: '11111111-2222-3333-4444-abcdef123456' });
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.assessment).toMatchObject({ classification: 'service', impact: 'none', signals: [] });
    expect(incidents[0]!.recommendations).toEqual([]);
  });
});

/**
 * Stratus Red Team's IAM persistence detonations as they were logged, each followed by one
 * synthetic DeleteInstanceProfile by the same identity from the same address and tool (no
 * public sample deletes a profile after them): what the remediation undoes.
 */
describe.skipIf(!present)('remediation of what real attacks left behind', () => {
  it('when OTRF’s stolen instance credentials delete a profile that instance held then IMDSv2 is required on it in us-east-1, and it alone is not given the profile back', async () => {
    const file = join(DATASET, 'OTRF-Security-Datasets', 'ec2_proxy_s3_exfiltration_2020-09-14011940.json');
    const records = readFileSync(file, 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line) as JsonObject);
    const used = records.find((candidate) => candidate.eventID === '7d91ac29-614a-4af9-af5c-c5a80e63a0bb')!;
    const instance = 'i-0317f6c6b66ae9c40';
    // One synthetic launch that gave the instance the profile, and the deletion made from the workstation with its credentials.
    const launch: JsonObject = {
      ...used,
      '@timestamp': '2020-09-14T00:40:00.000Z',
      eventID: '00000000-0000-4000-8000-0000000001a0',
      eventSource: 'ec2.amazonaws.com',
      eventName: 'RunInstances',
      sourceIPAddress: 'cloudformation.amazonaws.com',
      userIdentity: { type: 'AWSService', invokedBy: 'cloudformation.amazonaws.com' },
      requestParameters: { iamInstanceProfile: { name: 'MordorNginxStack-BankingWAFProfile' } },
      responseElements: { instancesSet: { items: [{ instanceId: instance, iamInstanceProfile: { arn: 'arn:aws:iam::123456789123:instance-profile/MordorNginxStack-BankingWAFProfile', id: 'AIPAEXAMPLE' } }] } },
    };
    const deletion: JsonObject = {
      ...used,
      '@timestamp': '2020-09-14T01:10:00.000Z',
      eventID: '00000000-0000-4000-8000-00000000d1e7',
      eventSource: 'iam.amazonaws.com',
      eventName: 'DeleteInstanceProfile',
      requestParameters: { instanceProfileName: 'MordorNginxStack-BankingWAFProfile' },
      responseElements: null,
    };
    const [incident] = await investigate(new MemoryEvidence([...records, launch, deletion]), { eventId: String(deletion.eventID) });
    expect(incident!.actor.origin).toMatchObject({ instanceId: instance, instanceRegion: 'us-east-1' });
    const steps = (id: string) => incident!.recommendations.find((recommendation) => recommendation.id === id)?.actions.flatMap((action) => action.steps) ?? [];
    expect(steps('revoke-role-sessions')).toContainEqual(expect.objectContaining({ kind: 'call', operation: 'ModifyInstanceMetadataOptions', region: 'us-east-1', params: expect.objectContaining({ InstanceId: instance, HttpTokens: 'required' }) }));
    expect(steps('reassociate-instances').map((step) => step.kind)).toEqual(['manual']);
  });

  async function planFor(file: string): Promise<{ undo: CallStep[]; manual: string[]; evidence: string[]; ids: string[] }> {
    // Stratus's samples are bare arrays of records.
    const records = JSON.parse(readFileSync(join(DATASET, 'stratus-red-team', file), 'utf8')) as JsonObject[];
    const last = records.reduce((latest, candidate) => (String(candidate.eventTime) > String(latest.eventTime) ? candidate : latest));
    const deletion: JsonObject = {
      ...last,
      eventTime: new Date(Date.parse(String(last.eventTime)) + 60_000).toISOString().replace('.000Z', 'Z'),
      eventName: 'DeleteInstanceProfile',
      eventID: '00000000-0000-4000-8000-00000000d1e7',
      requestID: '00000000-0000-4000-8000-00000000d1e7',
      requestParameters: { instanceProfileName: 'app-profile' },
      responseElements: null,
    };
    delete deletion.errorCode;
    const incidents = await investigate(new MemoryEvidence([...records, deletion]), { eventId: String(deletion.eventID) });
    const undo = incidents[0]!.recommendations.find((recommendation) => recommendation.id === 'undo-attack-changes');
    const steps = undo?.actions.flatMap((action) => action.steps) ?? [];
    return {
      undo: steps.filter((step): step is CallStep => step.kind === 'call'),
      manual: steps.flatMap((step) => (step.kind === 'manual' ? [step.text] : [])),
      evidence: undo?.evidence ?? [],
      ids: records.filter((candidate) => candidate.eventName !== 'CreateAccessKey').map((candidate) => String(candidate.eventID)),
    };
  }
  const calls = (undo: CallStep[]): Array<[string, unknown]> => undo.map((step) => [step.operation, step.params.PolicyDocument ? { ...step.params, PolicyDocument: 'deny' } : step.params]);

  it('when Stratus creates an admin user then AdministratorAccess is detached from it, and it is denied everything and deleted later', async () => {
    const plan = await planFor('aws.persistence.iam-create-admin-user.json');
    expect(calls(plan.undo)).toEqual([
      ['DetachUserPolicy', { UserName: 'malicious-iam-user', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
      ['PutUserPolicy', { UserName: 'malicious-iam-user', PolicyName: 'QuarantineDenyAll', PolicyDocument: 'deny' }],
      ['DeleteUser', { UserName: 'malicious-iam-user' }],
    ]);
    expect(plan.undo.at(-1)!.later).toBeTruthy();
    expect(plan.evidence.sort()).toEqual(plan.ids.sort());
  });

  it('when Stratus creates a backdoor role then it is denied everything, AdministratorAccess detached, and deleted later', async () => {
    const plan = await planFor('aws.persistence.iam-create-backdoor-role.json');
    expect(calls(plan.undo)).toEqual([
      ['DetachRolePolicy', { RoleName: 'stratus-red-team-malicious-iam-role', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
      ['PutRolePolicy', { RoleName: 'stratus-red-team-malicious-iam-role', PolicyName: 'QuarantineDenyAll', PolicyDocument: 'deny' }],
      ['DeleteRole', { RoleName: 'stratus-red-team-malicious-iam-role' }],
    ]);
    expect(plan.evidence.sort()).toEqual(plan.ids.sort());
  });

  it('when Stratus opens a role’s trust to another account then the trust policy is read and put back by hand: the log lacks the earlier one', async () => {
    const plan = await planFor('aws.persistence.iam-backdoor-role.json');
    expect(calls(plan.undo)).toEqual([['GetRole', { RoleName: 'stratus-red-team-backdoor-r-role' }]]);
    expect(plan.manual).toEqual([expect.stringContaining('put back the one of your baseline (update-assume-role-policy)')]);
  });
});
