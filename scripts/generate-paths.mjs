#!/usr/bin/env node
/**
 * generate-paths.mjs: deterministic CloudTrail scenario of eight DeleteInstanceProfile paths for trailsift.
 *
 * Usage: node scripts/generate-paths.mjs [outDir] [--noise N]
 *   outDir defaults to fixtures/paths, N (read-only baseline noise records) to 200.
 * Writes  <outDir>/archive/AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/<acct>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<random16>.json.gz
 *         <outDir>/expected.json   (the answers a correct analyzer must give, one incident per DeleteInstanceProfile)
 * Only node builtins; the helpers shared with generate-scenario.mjs are in scripts/lib/cloudtrail-fixture.mjs.
 * All randomness comes from seeded mulberry32 streams: one per case (so editing a
 * case never moves another case's IDs), one for noise, one for files. Re-running gives byte-identical
 * output (gzip header mtime is 0). No digest files, no re-deliveries.
 *
 * Window 2026-04-01T00:00Z .. 2026-04-08T23:59Z ("day N" = 2026-04-0N). IAM, STS, sign-in, SSO and
 * CloudTrail-control events are in us-east-1. Every case has its own account(s), so cases never
 * interfere. Every identity gets a baseline on days 1-3 (its usual IP and user agent, read-only
 * calls) before the attack, which lies within the 7 days before its deletion (trailsift's lookback).
 * Addresses: 198.51.100.x usual places, 203.0.113.x attackers, 192.0.2.x CI runners, 10.x inside a VPC.
 *
 * Cases
 *  1 console-takeover (431752869024). IAM user alice signs in to the console from 198.51.100.20 (Chrome
 *    on macOS); on day 1 (onboarding) she enrols her virtual MFA device arn:...:mfa/alice
 *    (CreateVirtualMFADevice, EnableMFADevice), creates console-app-profile (path /, role
 *    console-app-role) and launches an instance with it in us-west-2 (never terminated); days 2-4 she
 *    signs in with MFA. IAM user bob (AKIA key, aws-cli from 198.51.100.21) is compromised: day 5 01:52
 *    a ConsoleLogin as alice from 203.0.113.77 fails; 01:58 bob's key from 203.0.113.77 (boto3):
 *    GetCallerIdentity, ListUsers, DeactivateMFADevice (alice's device), UpdateLoginProfile
 *    {userName: alice, passwordResetRequired: false}; 02:03 ConsoleLogin as alice succeeds with
 *    MFAUsed "No" (Firefox on Windows); her console session (ASIA key, mfaAuthenticated "false";
 *    sessionCredentialFromConsole "true" on ListInstanceProfiles/RemoveRole, boolean true on the
 *    deletion): ListInstanceProfiles, RemoveRoleFromInstanceProfile, DeleteInstanceProfile 02:07:41.
 *    Decoys: alice's day-1 onboarding ConsoleLogin without MFA from her usual IP (not the login behind
 *    the acting session); alice's own ChangePassword on day 2 (self-service, not "by other identity");
 *    her EnableMFADevice (adds MFA); the failed ConsoleLogin (not the session's login).
 *  2 identity-center-cross-account. Management account 562918374650 (M, Identity Center), member
 *    573029485761 (B1), target 584130596872 (B2). Days 1-3 carol@example.com signs in through Identity
 *    Center from the corporate egress 198.51.100.30: sso GetRoleCredentials in M (day 1 in the older
 *    shape: userIdentity type Unknown, requestParameters {accountId, roleName}, eventType AwsApiCall;
 *    later in the IdentityCenterUser shape with onBehalfOf/credentialId and serviceEventDetails
 *    {role_name, account_id}, eventType AwsServiceEvent), seconds later AssumeRoleWithSAML in B1 into
 *    AWSReservedSSO_AdminAccess_1a2b3c4d5e6f7a8b, then a routine cross-account AssumeRole into
 *    B2:role/ReadOnlyAudit. B2 IAM user dave (same corporate egress, aws-cli) assumes B2:role/OpsAdmin
 *    daily (same account); on day 1 his OpsAdmin session creates sso-app-profile (path /apps/, role
 *    sso-app-role) and launch template sso-app-lt (eu-west-1, IamInstanceProfile {Name}). Day 5 08:59:57
 *    GetRoleCredentials (IdentityCenterUser), 09:00:00 AssumeRoleWithSAML (12 h), 09:02 the SSO session
 *    assumes B2:role/OpsAdmin for the first time ever (session carol; caller copy in B1 and AWSAccount
 *    copy in B2, same requestID/sharedEventID), and the OpsAdmin session (aws-cli/2.15.0) removes the
 *    role and deletes sso-app-profile 09:04:52. No instance used it: impact potential (the template).
 *    Decoys: the routine daily SSO-role -> ReadOnlyAudit hop (same accounts, other role: silent, and it
 *    does not make the OpsAdmin hop "seen"); dave's OpsAdmin sessions from 198.51.100.30 (the role has
 *    history at that address: no new-source-ip); older GetRoleCredentials (the linked one is the
 *    newest before the SAML call); the B2 AWSAccount copy of the AssumeRole (not a hop).
 *  3 web-identity-deploy (615243708936, benign). GitHub Actions (repo:example-org/app:ref:refs/heads/main)
 *    calls AssumeRoleWithWebIdentity into role gha-deploy daily (days 1-6) from runner address
 *    192.0.2.40 and runs Terraform from 192.0.2.40/192.0.2.41 (both every day). Day 2 it creates role
 *    gha-temp-role and gha-temp-profile; days 3-5 Terraform refreshes it (GetInstanceProfile); day 6 it
 *    removes the role, deletes the profile (from 192.0.2.41) and deletes the role. Decoys: the reads
 *    naming the profile; the two runner addresses.
 *  4 stolen-instance-credentials (726354819047). Day 1 IAM user infra-admin (aws-cli, 198.51.100.50)
 *    creates app-profile (role app-instance-role) and backup-profile (role backup-role) and launches
 *    i-0a1b2c3d4e5f60718 (app-profile, private IP 10.0.1.15), i-0b2c3d4e5f6071829 and
 *    i-0c3d4e5f607182930 (backup-profile); day 3 he stops i-0c3d4e5f607182930. EC2 delivers the app
 *    instance's credentials at launch and every day at 01:3x: two AssumeRole records in the same second
 *    (AWSService ec2.amazonaws.com, roleSessionName = instance ID), keys K1 (ec2RoleDelivery 1.0) and K2
 *    (2.0); the instance's ssm-agent uses each day's K2 from 10.0.1.15. svc-backup's old key is used daily
 *    from 198.51.100.60 (s3 ListBuckets). Day 6 02:05 that day's K1 is used from 203.0.113.99 (aws-cli on
 *    Kali): GetCallerIdentity, ListUsers, CreateAccessKey {userName: svc-backup} -> K3 at 02:12:00; K3
 *    from 203.0.113.99: GetCallerIdentity, RemoveRoleFromInstanceProfile, DeleteInstanceProfile
 *    backup-profile 02:18:40. 02:38:40 infra-admin's RunInstances {name: backup-profile} fails
 *    (Client.InvalidParameterValue). Decoys: the instance's own K2 calls (its address: not
 *    exfiltration); the other days' credential deliveries; svc-backup's old key from its usual IP.
 *  5 association-changes (837465920158; EC2 in us-west-2). IAM user ops (aws-cli, 198.51.100.70) owns
 *    everything; no attack at all. Day 1: assoc-profile (role assoc-role), a RunInstances with it 10 s
 *    later fails (IAM propagation), other-profile, assoc-profile-staging; launches P, Q, T, U, W with
 *    assoc-profile, R, S, V bare, X with assoc-profile-staging; launch template assoc-lt without a
 *    profile. Day 2: Associate R (camelCase), S and V (wrapped). Day 3: Replace Q's association with
 *    other-profile (wrapped), stop U, terminate W, CreateLaunchTemplateVersion assoc-lt v2 with
 *    IamInstanceProfile {Arn}, Auto Scaling group assoc-asg (template v2, desired 0) with a scheduled
 *    scale-out on day 7 12:00. Day 4: Disassociate R (wrapped), start U. Day 5: Disassociate S (camelCase,
 *    association ID only), stop T. Day 7 10:02:45 ops deletes assoc-profile from his usual place; 10:32:45
 *    his RunInstances from assoc-lt v2 fails naming the profile; 12:02:45 Auto Scaling's launch from the
 *    template fails with a message that does not name it. Affected: P, U, V running, T stopped, W
 *    terminated. Decoys: Q (replaced), R and S (disassociated; S only by association ID), X (similar
 *    name), the failed launch before the deletion.
 *  6 trail-stopped-and-swapped (948576031269). The archive is the security team's trail; org-trail is the
 *    account's own. IAM user mallory (aws-cli, 198.51.100.80) creates swap-profile (role swap-role) and
 *    launch configuration swap-lc (us-west-2) on day 1. Day 6 03:00 her key is used from 203.0.113.120
 *    with Pacu: GetCallerIdentity, DescribeTrails, StopLogging org-trail, PutEventSelectors (read-only
 *    management events only), CreateRole attacker-role, AttachRolePolicy AdministratorAccess,
 *    RemoveRoleFromInstanceProfile, DeleteInstanceProfile swap-profile 03:07:35, then 2 minutes later
 *    CreateInstanceProfile swap-profile and AddRoleToInstanceProfile attacker-role. Decoy: trail-admin
 *    (aws-cli, 198.51.100.81) stops and restarts org-trail on day 2 (maintenance) - not mallory's.
 *  7 lab-teardown (459687142370). IAM user lab-operator (usual IP 198.51.100.90). Day 4 14:00 Stratus Red
 *    Team (user agent stratus-red-team_<uuid>, same IP, same key): ListRoles, GetCallerIdentity,
 *    CreateAccessKey for lab-operator itself, DeleteAccessKey of that key a minute later; then Terraform
 *    (same IP, same key): CreateRole stratus-lab-role, CreateInstanceProfile stratus-lab-profile,
 *    AddRoleToInstanceProfile; 6 minutes later RemoveRoleFromInstanceProfile, DeleteInstanceProfile
 *    14:11:05, DeleteRole. Decoys: the self-targeted CreateAccessKey (not key-created-for-other-user);
 *    the offensive user agent from the usual IP (no new-source-ip).
 *  8 cloudformation-decoy (660798253481, benign). IAM user deployer (aws-cli, 198.51.100.95) creates stack
 *    app-stack with service role cfn-exec-role on day 3 and deletes it on day 5; each time CloudFormation
 *    assumes cfn-exec-role (AWSService cloudformation.amazonaws.com) and its session (invokedBy
 *    cloudformation.amazonaws.com) creates / removes the role from and deletes cfn-profile. Decoy: the
 *    human behind the stack is not the actor of the deletion.
 *
 * Archive mechanics: records grouped per (account, region, 5-minute window of eventTime) into one file,
 * delivered 2..9 minutes after the window; the folder date is the delivery date; records in a file are
 * shuffled (never left sorted).
 *
 * expected.json: counts (from what was actually written), notes (the judgement calls), per-case IDs,
 * and one incident per DeleteInstanceProfile record sorted by (eventTime, eventId).
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  parseArgs, ALNUM, Rand, T, SEC, MIN, HOUR, WINDOW, iso, pad, awsDate, byTimeId, isIp,
  iamUser, sessionArn, sessionUI, awsService, PROFILE_ERR, deliveryFiles, logObjectKey, writeGz,
} from './lib/cloudtrail-fixture.mjs';

// ---------------------------------------------------------------- arguments
const { outDir, noiseTarget } = parseArgs(process.argv.slice(2), { outDir: 'fixtures/paths', noise: 200 });

// ---------------------------------------------------------------- random streams
const B64 = ALNUM + '+/';
const SEED = 0x9a7b5000;
/** The story stream of the case being written: reset per case by useCase(n). */
let S = new Rand(SEED);
function useCase(n) { S = new Rand(SEED + n); }
const N = new Rand(SEED + 0x100); // noise
const F = new Rand(SEED + 0x200); // files (suffixes, delays, shuffles)

// ---------------------------------------------------------------- time
/** Day d (1..8) of April 2026 at hh:mm:ss UTC. */
const at = (d, hms) => T(`2026-04-0${d}T${hms}Z`);
const START = T('2026-04-01T00:00:00Z');
const END = T('2026-04-08T23:59:59Z');

// ---------------------------------------------------------------- constants
const ACCT = {
  A1: '431752869024', // 1 console-takeover
  M: '562918374650', // 2 Identity Center management account
  B1: '573029485761', // 2 member account (SSO role)
  B2: '584130596872', // 2 target account (OpsAdmin)
  C1: '615243708936', // 3 web-identity-deploy
  D1: '726354819047', // 4 stolen-instance-credentials
  E1: '837465920158', // 5 association-changes
  F1: '948576031269', // 6 trail-stopped-and-swapped
  G1: '459687142370', // 7 lab-teardown
  H1: '660798253481', // 8 cloudformation-decoy
};
const UA_CLI = (cmd) => `aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0-1018-aws md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off md/command#${cmd}`;
const UA_CLI_MAC = (cmd) => `aws-cli/2.15.0 Python/3.11.6 Darwin/23.3.0 exe/x86_64 prompt/off command/${cmd}`;
const UA_BOTO = 'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.1.0-18-amd64 md/arch#x86_64 lang/python#3.11.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69';
const UA_CHROME = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36';
const UA_FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:124.0) Gecko/20100101 Firefox/124.0';
const UA_TF = (api) => `APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.40.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.25.3 os/linux lang/go#1.21.8 md/GOOS#linux md/GOARCH#amd64 api/${api}`;
const UA_GHA = 'aws-sdk-js/3.535.0 ua/2.0 os/linux#6.5.0-1016-azure lang/js md/nodejs#20.11.1 api/sts#3.535.0 configure-aws-credentials-for-github-actions';
const UA_SSM = 'aws-sdk-go/1.44.0 (go1.19; linux; amd64) amazon-ssm-agent/3.2.0';
const UA_KALI = (cmd) => `aws-cli/2.13.0 Python/3.11.4 Linux/6.3.0-kali1-amd64 exe/x86_64.kali.2023 prompt/off command/${cmd}`;
const UA_PACU = 'Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#5.15 md/arch#x86_64 lang/python#3.11 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.0 Pacu';
const UA_STRATUS = 'stratus-red-team_3f6c2a1e-5b4d-4c8e-9a7f-1b2c3d4e5f60';

const VERSION = {
  'iam.amazonaws.com': '1.09', 'sts.amazonaws.com': '1.08', 'ec2.amazonaws.com': '1.09', 'signin.amazonaws.com': '1.09', 'sso.amazonaws.com': '1.08',
  'cloudtrail.amazonaws.com': '1.09', 'autoscaling.amazonaws.com': '1.09', 's3.amazonaws.com': '1.09', 'ssm.amazonaws.com': '1.08', 'cloudformation.amazonaws.com': '1.09',
};
function hostFor(src, region) {
  const svc = src.split('.')[0];
  if (svc === 'iam') return 'iam.amazonaws.com';
  if (svc === 'sts') return 'sts.amazonaws.com';
  if (svc === 'signin') return 'signin.aws.amazon.com';
  if (svc === 'sso') return `portal.sso.${region}.amazonaws.com`;
  if (svc === 's3') return 's3.amazonaws.com';
  return `${svc}.${region}.amazonaws.com`;
}
const kebab = (name) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
const cliCmd = (src, name) => `${src.split('.')[0]}.${kebab(name)}`;

// ---------------------------------------------------------------- record building
/** Every emitted record. */
const all = [];
const storyIds = new Set();

/**
 * One CloudTrail record. o: t, acct (recipient), region, src, name, ui, ip, ua, req, resp, err
 * ([errorCode|null, errorMessage]), add, reqId, ro, resources, type, shared, sed (serviceEventDetails),
 * console ("true" or true: sessionCredentialFromConsole), version.
 */
function mk(r, o) {
  const rec = {};
  rec.eventVersion = o.version ?? VERSION[o.src] ?? '1.09';
  rec.userIdentity = o.ui;
  rec.eventTime = iso(o.t);
  rec.eventSource = o.src;
  rec.eventName = o.name;
  rec.awsRegion = o.region;
  rec.sourceIPAddress = o.ip;
  rec.userAgent = o.ua;
  if (o.err) {
    if (o.err[0] !== null) rec.errorCode = o.err[0];
    rec.errorMessage = o.err[1];
  }
  rec.requestParameters = o.req ?? null;
  rec.responseElements = o.resp ?? null;
  if (o.add) rec.additionalEventData = o.add;
  rec.requestID = o.reqId ?? r.uuid();
  rec.eventID = r.uuid();
  rec.readOnly = !!o.ro;
  if (o.resources) rec.resources = o.resources;
  rec.eventType = o.type ?? 'AwsApiCall';
  rec.managementEvent = true;
  rec.recipientAccountId = o.acct;
  if (o.shared) rec.sharedEventID = o.shared;
  if (o.sed) rec.serviceEventDetails = o.sed;
  rec.eventCategory = 'Management';
  if (isIp(o.ip)) rec.tlsDetails = { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: hostFor(o.src, o.region) };
  if (o.console !== undefined) rec.sessionCredentialFromConsole = o.console;
  return rec;
}
function emit(rec, story) {
  all.push(rec);
  if (story) storyIds.add(rec.eventID);
  return rec;
}
/** Story event: built from the current case's stream. */
const ev = (o) => emit(mk(S, o), true);

// ---------------------------------------------------------------- identities
/** An IAM user's console session: ASIA key, sessionContext without issuer. */
function consoleUser(acct, name, principalId, key, created, mfa) {
  return {
    type: 'IAMUser', principalId, arn: `arn:aws:iam::${acct}:user/${name}`, accountId: acct, accessKeyId: key, userName: name,
    sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes: { creationDate: iso(created), mfaAuthenticated: mfa ? 'true' : 'false' } },
  };
}
function role(acct, name, roleId, rolePath = '/') {
  return { acct, name, roleId, path: rolePath, arn: `arn:aws:iam::${acct}:role${rolePath}${name}` };
}
const token = () => 'IQoJb3JpZ2luX2VjE' + S.chars(B64, 111);
function credentials(t, seconds) {
  return { accessKeyId: S.asia(), sessionToken: token(), expiration: awsDate(t + seconds * SEC) };
}

// ---------------------------------------------------------------- story helpers
/**
 * AssumeRole; a cross-account call is logged in both accounts (caller copy with the full identity,
 * resource copy with type AWSAccount; same requestID and sharedEventID). Returns the new session.
 * A service caller (AWSService) has no accountId: it acts in the role's account.
 */
function assumeRole({ t, callerUI, ro, sessionName, ip, ua, duration = 3600, reqDuration = true, mfaSerial, extra = {} }) {
  const callerAcct = callerUI.accountId ?? ro.acct;
  const creds = credentials(t, duration);
  const reqId = S.uuid();
  const req = { roleArn: ro.arn, roleSessionName: sessionName };
  if (reqDuration) req.durationSeconds = duration;
  if (mfaSerial) { req.serialNumber = mfaSerial; req.tokenCode = '***'; }
  const resp = { credentials: creds, assumedRoleUser: { assumedRoleId: `${ro.roleId}:${sessionName}`, arn: sessionArn(ro, sessionName) } };
  const resources = [{ accountId: ro.acct, type: 'AWS::IAM::Role', ARN: ro.arn }];
  const cross = callerAcct !== ro.acct;
  const shared = cross ? S.uuid() : undefined;
  const base = { t, region: 'us-east-1', src: 'sts.amazonaws.com', name: 'AssumeRole', ip, ua, req, resp, ro: true, resources, shared, reqId };
  const event = ev({ ...base, acct: callerAcct, ui: callerUI });
  let copy = null;
  if (cross) {
    copy = ev({ ...base, acct: ro.acct, ui: { type: 'AWSAccount', principalId: callerUI.principalId, accountId: callerAcct }, req: structuredClone(req), resp: structuredClone(resp), resources: structuredClone(resources) });
  }
  const ui = sessionUI(ro, sessionName, creds.accessKeyId, t, !!mfaSerial, extra);
  return { key: creds.accessKeyId, ui, arn: ui.arn, event, copy, t };
}
function iamCall(t, ui, ip, ua, name, req, resp, x = {}) {
  return ev({ t, acct: x.acct ?? ui.accountId, region: 'us-east-1', src: 'iam.amazonaws.com', name, ui, ip, ua, req, resp, ro: !!x.ro, err: x.err, console: x.console });
}
function stsCall(t, ui, ip, ua, name = 'GetCallerIdentity', x = {}) {
  return ev({ t, acct: x.acct ?? ui.accountId, region: 'us-east-1', src: 'sts.amazonaws.com', name, ui, ip, ua, ro: true, console: x.console });
}
function ec2Call(t, acct, region, ui, ip, ua, name, req, resp, x = {}) {
  return ev({ t, acct, region, src: 'ec2.amazonaws.com', name, ui, ip, ua, req, resp, ro: !!x.ro, err: x.err, console: x.console, reqId: x.reqId });
}
function profileDef(acct, name, profilePath, roleName) {
  return { acct, name, path: profilePath, role: roleName, id: S.uid('AIPA'), arn: `arn:aws:iam::${acct}:instance-profile${profilePath}${name}` };
}
function createProfile(t, ui, ip, ua, p, x = {}) {
  const create = iamCall(t, ui, ip, ua, 'CreateInstanceProfile', { instanceProfileName: p.name, path: p.path }, {
    instanceProfile: { path: p.path, instanceProfileName: p.name, instanceProfileId: p.id, arn: p.arn, createDate: awsDate(t), roles: [] },
  }, { console: x.console });
  const add = iamCall(t + (x.addDelay ?? S.int(3, 20) * SEC), x.addUI ?? ui, ip, x.addUA ?? ua, 'AddRoleToInstanceProfile', { instanceProfileName: p.name, roleName: p.role }, null, { console: x.console });
  return { create, add };
}
function createRole(t, ui, ip, ua, ro, service) {
  const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
  return iamCall(t, ui, ip, ua, 'CreateRole', { roleName: ro.name, path: ro.path, assumeRolePolicyDocument: doc }, {
    role: { path: ro.path, roleName: ro.name, roleId: ro.roleId, arn: ro.arn, createDate: awsDate(t), assumeRolePolicyDocument: encodeURIComponent(doc) },
  });
}
/** EC2 furniture per account and region, drawn from the current case's stream on first use. */
const NETS = new Map();
function net(acct, region) {
  const k = `${acct}|${region}`;
  if (!NETS.has(k)) NETS.set(k, { vpc: 'vpc-0' + S.hex(16), subnet: 'subnet-0' + S.hex(16), sg: 'sg-0' + S.hex(16), ami: 'ami-0' + S.hex(16), az: region + 'a' });
  return NETS.get(k);
}

/** RunInstances. profileRef: {name}|{arn}|undefined; profile: definition for the response; lt: {launchTemplateId, version}. */
function runInstances({ t, acct, region, ui, ip, ua, profileRef, profile, lt, instanceType = 't3.medium', err, asg, instanceId, privateIp, console }) {
  const n = net(acct, region);
  const req = {};
  req.instancesSet = { items: [lt ? { minCount: 1, maxCount: 1 } : { imageId: n.ami, minCount: 1, maxCount: 1 }] };
  if (!lt) req.instanceType = instanceType;
  req.blockDeviceMapping = {};
  req.monitoring = { enabled: false };
  req.disableApiTermination = false;
  req.disableApiStop = false;
  req.clientToken = S.uuid();
  req.subnetId = n.subnet;
  if (profileRef) req.iamInstanceProfile = profileRef;
  if (lt) req.launchTemplate = lt;
  if (asg) req.tagSpecificationSet = { items: [{ resourceType: 'instance', tags: [{ key: 'aws:autoscaling:groupName', value: asg }] }] };
  let resp = null;
  let id = null;
  const reqId = S.uuid();
  if (!err) {
    id = instanceId ?? S.instanceId();
    const ipAddr = privateIp ?? `10.0.${S.int(1, 254)}.${S.int(1, 254)}`;
    const item = {
      instanceId: id,
      imageId: n.ami,
      instanceState: { code: 0, name: 'pending' },
      privateDnsName: `ip-${ipAddr.replaceAll('.', '-')}.${region === 'us-east-1' ? 'ec2' : region + '.compute'}.internal`,
      amiLaunchIndex: 0,
      instanceType,
      launchTime: t,
      placement: { availabilityZone: n.az, tenancy: 'default' },
      monitoring: { state: 'disabled' },
      subnetId: n.subnet,
      vpcId: n.vpc,
      privateIpAddress: ipAddr,
      stateReason: { code: 'pending', message: 'pending' },
      architecture: 'x86_64',
      rootDeviceType: 'ebs',
      rootDeviceName: '/dev/xvda',
      virtualizationType: 'hvm',
      clientToken: req.clientToken,
      groupSet: { items: [{ groupId: n.sg, groupName: 'default' }] },
      networkInterfaceSet: { items: [{ networkInterfaceId: 'eni-0' + S.hex(16), subnetId: n.subnet, vpcId: n.vpc, status: 'in-use', privateIpAddress: ipAddr, interfaceType: 'interface' }] },
      ebsOptimized: false,
      enaSupport: true,
      metadataOptions: { state: 'pending', httpTokens: 'optional', httpPutResponseHopLimit: 1, httpEndpoint: 'enabled' },
    };
    if (profile) item.iamInstanceProfile = { arn: profile.arn, id: profile.id };
    resp = { requestId: reqId, reservationId: 'r-0' + S.hex(16), ownerId: acct, groupSet: {}, instancesSet: { items: [item] } };
    if (asg) resp.requesterId = '226008221399';
  }
  const rec = ec2Call(t, acct, region, ui, ip, ua, 'RunInstances', req, resp, { err, reqId, console });
  return { rec, instanceId: id, region };
}
const STATE_CHANGE = {
  StopInstances: [{ code: 64, name: 'stopping' }, { code: 16, name: 'running' }],
  StartInstances: [{ code: 0, name: 'pending' }, { code: 80, name: 'stopped' }],
  TerminateInstances: [{ code: 32, name: 'shutting-down' }, { code: 16, name: 'running' }],
};
function stateChange(t, acct, region, ui, ip, ua, name, instanceId) {
  const reqId = S.uuid();
  const [currentState, previousState] = STATE_CHANGE[name];
  const req = { instancesSet: { items: [{ instanceId }] } };
  if (name === 'StopInstances') req.force = false;
  return ec2Call(t, acct, region, ui, ip, ua, name, req, { requestId: reqId, instancesSet: { items: [{ instanceId, currentState, previousState }] } }, { reqId });
}
const XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/**
 * Baseline identities for the read-only noise: { acct, ui(t), ip, ua(src, name), console, windows: [[from, to]],
 * regions: { region: [[src, name, req()]] } }. Noise is drawn only inside the windows (days 1-3).
 */
const baselines = [];
const dayWindows = (from, to, days = [1, 2, 3]) => days.map((d) => [at(d, from), at(d, to)]);

/** The expected answers, one per case, filled as the cases are written. */
const cases = [];

// ================================================================ case 1: console-takeover
useCase(1);
{
  const A = ACCT.A1;
  const IP_ALICE = '198.51.100.20';
  const IP_BOB = '198.51.100.21';
  const IP_ATT = '203.0.113.77';
  const alice = { name: 'alice', pid: S.uid('AIDA') };
  alice.arn = `arn:aws:iam::${A}:user/alice`;
  const bob = { name: 'bob', pid: S.uid('AIDA'), key: S.akia() };
  bob.ui = iamUser(A, 'bob', bob.pid, bob.key);
  const mfaSerial = `arn:aws:iam::${A}:mfa/alice`;
  const profile = profileDef(A, 'console-app-profile', '/', 'console-app-role');
  const loginUI = () => ({ type: 'IAMUser', principalId: alice.pid, arn: alice.arn, accountId: A, userName: 'alice' });
  function consoleLogin(t, ip, ua, ok, mfa) {
    const add = { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No' };
    if (mfa) add.MFAIdentifier = mfaSerial;
    add.MFAUsed = mfa ? 'Yes' : 'No';
    return ev({ t, acct: A, region: 'us-east-1', src: 'signin.amazonaws.com', name: 'ConsoleLogin', type: 'AwsConsoleSignIn', ui: loginUI(), ip, ua,
      resp: { ConsoleLogin: ok ? 'Success' : 'Failure' }, add, err: ok ? undefined : [null, 'Failed authentication'] });
  }
  const IAM_RO = [['iam.amazonaws.com', 'ListUsers', () => null], ['iam.amazonaws.com', 'GetAccountSummary', () => null], ['iam.amazonaws.com', 'ListRoles', () => null], ['iam.amazonaws.com', 'ListPolicies', () => ({ scope: 'Local', onlyAttached: false })]];
  const EC2_RO = [['ec2.amazonaws.com', 'DescribeInstances', () => ({ instancesSet: {}, filterSet: {} })], ['ec2.amazonaws.com', 'DescribeSecurityGroups', () => ({ securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} })], ['ec2.amazonaws.com', 'DescribeVolumes', () => ({ volumeSet: {}, filterSet: {} })], ['ec2.amazonaws.com', 'DescribeInstanceStatus', () => ({ instancesSet: {}, filterSet: {}, includeAllInstances: false })]];
  const aliceWindows = [];
  const sessions = {};
  // Day 1: onboarding login (no MFA yet), MFA enrolment, profile and instance.
  const onboarding = consoleLogin(at(1, '08:58:12'), IP_ALICE, UA_CHROME, true, false);
  {
    const t0 = T(onboarding.eventTime);
    const s = consoleUser(A, 'alice', alice.pid, S.asia(), t0, false);
    sessions[1] = s;
    iamCall(at(1, '09:00:40'), s, IP_ALICE, UA_CHROME, 'CreateVirtualMFADevice', { virtualMFADeviceName: 'alice', path: '/' }, { virtualMFADevice: { serialNumber: mfaSerial } }, { console: 'true' });
    iamCall(at(1, '09:01:35'), s, IP_ALICE, UA_CHROME, 'EnableMFADevice', { userName: 'alice', serialNumber: mfaSerial }, null, { console: 'true' });
    createProfile(at(1, '09:25:10'), s, IP_ALICE, UA_CHROME, profile, { console: 'true' });
    aliceWindows.push([at(1, '09:30:00'), at(1, '11:30:00')]);
  }
  const inst = runInstances({ t: at(1, '09:41:05'), acct: A, region: 'us-west-2', ui: sessions[1], ip: IP_ALICE, ua: UA_CHROME, profileRef: { name: profile.name }, profile, console: 'true' });
  const enableMfa = all.find((r) => r.eventName === 'EnableMFADevice' && r.recipientAccountId === A);
  // Days 2-4: logins with MFA.
  let changePassword;
  for (const d of [2, 3, 4]) {
    const l = consoleLogin(at(d, `09:0${d}:${pad(10 + d * 7)}`), IP_ALICE, UA_CHROME, true, true);
    const s = consoleUser(A, 'alice', alice.pid, S.asia(), T(l.eventTime), true);
    sessions[d] = s;
    if (d <= 3) aliceWindows.push([T(l.eventTime) + 2 * MIN, T(l.eventTime) + 3 * HOUR]);
    if (d === 2) changePassword = iamCall(at(2, '09:20:44'), s, IP_ALICE, UA_CHROME, 'ChangePassword', null, null, { console: 'true' });
  }
  baselines.push({ acct: A, ui: (t) => sessions[new Date(t).getUTCDate()], ip: IP_ALICE, ua: () => UA_CHROME, console: 'true', windows: aliceWindows, regions: { 'us-east-1': IAM_RO, 'us-west-2': EC2_RO } });
  baselines.push({ acct: A, ui: () => bob.ui, ip: IP_BOB, ua: (src, name) => UA_CLI(cliCmd(src, name)), windows: dayWindows('10:00:00', '17:00:00'), regions: { 'us-east-1': [...IAM_RO, ['sts.amazonaws.com', 'GetCallerIdentity', () => null]], 'us-west-2': EC2_RO } });

  // Day 5: the takeover.
  const failedLogin = consoleLogin(at(5, '01:52:30'), IP_ATT, UA_FIREFOX, false, false);
  stsCall(at(5, '01:58:04'), bob.ui, IP_ATT, UA_BOTO);
  iamCall(at(5, '01:58:40'), bob.ui, IP_ATT, UA_BOTO, 'ListUsers', null, null, { ro: true });
  iamCall(at(5, '01:59:15'), bob.ui, IP_ATT, UA_BOTO, 'ListMFADevices', { userName: 'alice' }, null, { ro: true });
  const deactivate = iamCall(at(5, '02:00:02'), bob.ui, IP_ATT, UA_BOTO, 'DeactivateMFADevice', { userName: 'alice', serialNumber: mfaSerial });
  const reset = iamCall(at(5, '02:00:48'), bob.ui, IP_ATT, UA_BOTO, 'UpdateLoginProfile', { userName: 'alice', passwordResetRequired: false });
  const login = consoleLogin(at(5, '02:03:10'), IP_ATT, UA_FIREFOX, true, false);
  const s = consoleUser(A, 'alice', alice.pid, S.asia(), T(login.eventTime), false);
  iamCall(at(5, '02:05:33'), s, IP_ATT, UA_FIREFOX, 'ListInstanceProfiles', null, null, { ro: true, console: 'true' });
  const remove = iamCall(at(5, '02:07:02'), s, IP_ATT, UA_FIREFOX, 'RemoveRoleFromInstanceProfile', { instanceProfileName: profile.name, roleName: profile.role }, null, { console: 'true' });
  const del = iamCall(at(5, '02:07:41'), s, IP_ATT, UA_FIREFOX, 'DeleteInstanceProfile', { instanceProfileName: profile.name }, null, { console: true });

  cases.push({
    name: 'console-takeover', del, profile: profile.name,
    expect: {
      classification: 'suspicious', impact: 'broken',
      origin: { type: 'IAMUser', arn: alice.arn },
      chainVia: [], consoleLoginEventId: login.eventID, identityCenterEventId: null, keyProvenance: null,
      signalEvidence: {
        'console-login-without-mfa': [login.eventID],
        'mfa-removed': [deactivate.eventID],
        'new-source-ip': [login.eventID, del.eventID],
        'password-reset-by-other-identity': [reset.eventID],
      },
      // Alice's day-1 sign-in before she enrolled MFA is routine, not evidence of this attack.
      signalEvidenceExclude: { 'console-login-without-mfa': [onboarding.eventID] },
      affectedInstances: [{ instanceId: inst.instanceId, status: 'running-at-deletion', associationId: null }],
      launchTemplateIds: [], launchConfigurationNames: [], failedLaunchesAfter: [],
      credentialChanges: [
        { eventId: failedLogin.eventID, eventName: 'ConsoleLogin', target: 'alice' },
        { eventId: deactivate.eventID, eventName: 'DeactivateMFADevice', target: 'alice' },
        { eventId: reset.eventID, eventName: 'UpdateLoginProfile', target: 'alice' },
        { eventId: login.eventID, eventName: 'ConsoleLogin', target: 'alice' },
      ],
      recommendationsInclude: ['restore-instance-profile', 'reassociate-instances', 'deactivate-access-key', 'enforce-mfa', 'reset-password', 'password-policy', 'investigate-principal', 'guard-instance-profile-deletion'],
      recommendationsExclude: [],
      revokeRoleSessions: [],
    },
    ids: {
      account: A, aliceArn: alice.arn, bobArn: bob.ui.arn, bobAccessKeyId: bob.key, aliceAttackSessionKey: s.accessKeyId, mfaSerial, instanceId: inst.instanceId,
      events: { onboardingLoginWithoutMfa: onboarding.eventID, enableMfa: enableMfa.eventID, changePasswordSelf: changePassword.eventID, failedLogin: failedLogin.eventID, deactivateMfa: deactivate.eventID, updateLoginProfile: reset.eventID, consoleLogin: login.eventID, removeRole: remove.eventID, runInstances: inst.rec.eventID },
      decoys: [onboarding.eventID, changePassword.eventID, enableMfa.eventID, failedLogin.eventID],
    },
  });
}

// ================================================================ case 2: identity-center-cross-account
useCase(2);
{
  const { M, B1, B2 } = ACCT;
  const IP_CORP = '198.51.100.30';
  const UA_C = UA_CLI_MAC;
  const user = 'carol@example.com';
  const idp = 'r5Vn0Y1c1DPBbJd3QpGl1mHj9Jo=';
  const carol = {
    userId: `9067${S.hex(6)}-${S.uuid()}`,
    identityStoreArn: `arn:aws:identitystore::${M}:identitystore/d-1234567890`,
    credentialId: 'AAAAAG' + S.chars(ALNUM, 42),
  };
  const permissionSetRole = 'AWSReservedSSO_AdminAccess_1a2b3c4d5e6f7a8b';
  const ssoRole = role(B1, permissionSetRole, S.uid('AROA'), '/aws-reserved/sso.amazonaws.com/');
  const samlProvider = `arn:aws:iam::${B1}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE`;
  const opsAdmin = role(B2, 'OpsAdmin', S.uid('AROA'));
  const readOnly = role(B2, 'ReadOnlyAudit', S.uid('AROA'));
  const dave = { pid: S.uid('AIDA'), key: S.akia() };
  dave.ui = iamUser(B2, 'dave', dave.pid, dave.key);
  const profile = profileDef(B2, 'sso-app-profile', '/apps/', 'sso-app-role');
  const issuer = `https://portal.sso.us-east-1.amazonaws.com/saml/assertion/${S.chars(ALNUM, 40)}`;

  function getRoleCredentials(t, oldStyle) {
    if (oldStyle) {
      return ev({ t, acct: M, region: 'us-east-1', src: 'sso.amazonaws.com', name: 'GetRoleCredentials', ui: { type: 'Unknown', principalId: carol.userId, accountId: M, userName: user },
        ip: IP_CORP, ua: UA_C('sts.get-caller-identity'), req: { accountId: B1, roleName: permissionSetRole }, ro: true });
    }
    return ev({ t, acct: M, region: 'us-east-1', src: 'sso.amazonaws.com', name: 'GetRoleCredentials', type: 'AwsServiceEvent',
      ui: { type: 'IdentityCenterUser', accountId: M, onBehalfOf: { userId: carol.userId, identityStoreArn: carol.identityStoreArn }, credentialId: carol.credentialId },
      ip: IP_CORP, ua: UA_C('sts.get-caller-identity'), sed: { role_name: permissionSetRole, account_id: B1 }, ro: true });
  }
  function samlSession(t) {
    const creds = credentials(t, 43200);
    const rec = ev({
      t, acct: B1, region: 'us-east-1', src: 'sts.amazonaws.com', name: 'AssumeRoleWithSAML', ip: IP_CORP, ua: UA_C('sts.get-caller-identity'),
      ui: { type: 'SAMLUser', principalId: `${idp}:${user}`, userName: user, identityProvider: idp },
      req: { sAMLAssertionID: '_' + S.uuid(), roleSessionName: user, roleArn: ssoRole.arn, principalArn: samlProvider, durationSeconds: 43200 },
      resp: {
        credentials: creds,
        assumedRoleUser: { assumedRoleId: `${ssoRole.roleId}:${user}`, arn: sessionArn(ssoRole, user) },
        packedPolicySize: 0,
        subject: user,
        subjectType: 'persistent',
        issuer,
        audience: 'https://signin.aws.amazon.com/saml',
        nameQualifier: idp,
      },
      ro: true, resources: [{ accountId: B1, type: 'AWS::IAM::Role', ARN: ssoRole.arn }, { accountId: B1, type: 'AWS::IAM::SAMLProvider', ARN: samlProvider }],
    });
    return { rec, key: creds.accessKeyId, ui: sessionUI(ssoRole, user, creds.accessKeyId, t, false) };
  }
  const IAM_RO = [['iam.amazonaws.com', 'ListRoles', () => null], ['iam.amazonaws.com', 'GetAccountSummary', () => null], ['iam.amazonaws.com', 'ListUsers', () => null]];
  const EC2_RO = [['ec2.amazonaws.com', 'DescribeInstances', () => ({ instancesSet: {}, filterSet: {} })], ['ec2.amazonaws.com', 'DescribeVpcs', () => ({ vpcSet: {}, filterSet: {} })], ['ec2.amazonaws.com', 'DescribeSubnets', () => ({ subnetSet: {}, filterSet: {} })]];
  const ssoSessions = {};
  const roSessions = {};
  const routineHops = [];
  const grcs = [];
  for (const d of [1, 2, 3]) {
    const t0 = at(d, `08:${pad(40 + d * 3)}:${pad(5 + d * 9)}`);
    grcs.push(getRoleCredentials(t0, d === 1));
    const ss = samlSession(t0 + S.int(2, 4) * SEC);
    ssoSessions[d] = ss.ui;
    const hop = assumeRole({ t: t0 + 11 * MIN + S.int(0, 40) * SEC, callerUI: ss.ui, ro: readOnly, sessionName: 'carol', ip: IP_CORP, ua: UA_C('sts.assume-role') });
    routineHops.push(hop);
    roSessions[d] = hop.ui;
  }
  baselines.push({ acct: B1, ui: (t) => ssoSessions[new Date(t).getUTCDate()], ip: IP_CORP, ua: (src, name) => UA_C(cliCmd(src, name)), windows: [1, 2, 3].map((d) => [at(d, '08:50:00'), at(d, '08:53:00')]).concat([1, 2, 3].map((d) => [at(d, '09:10:00'), at(d, '11:00:00')])), regions: { 'us-east-1': [...IAM_RO, ...EC2_RO] } });
  baselines.push({ acct: B2, ui: (t) => roSessions[new Date(t).getUTCDate()], ip: IP_CORP, ua: (src, name) => UA_C(cliCmd(src, name)), windows: [1, 2, 3].map((d) => [at(d, '09:00:00'), at(d, '09:40:00')]), regions: { 'us-east-1': [...IAM_RO, ...EC2_RO], 'eu-west-1': EC2_RO } });
  // dave: same-account OpsAdmin sessions from the corporate egress, daily; day 1 builds the profile and template.
  const daveSessions = {};
  let createProfileRec;
  let lt;
  for (const d of [1, 2, 3, 4]) {
    stsCall(at(d, '13:00:02') + d * 17 * SEC, dave.ui, IP_CORP, UA_CLI('sts.get-caller-identity'));
    const s = assumeRole({ t: at(d, '13:01:00') + d * 23 * SEC, callerUI: dave.ui, ro: opsAdmin, sessionName: 'dave', ip: IP_CORP, ua: UA_CLI('sts.assume-role') });
    daveSessions[d] = s.ui;
    if (d === 1) {
      const ua = UA_CLI('iam.create-instance-profile');
      createProfileRec = createProfile(at(1, '13:05:12'), s.ui, IP_CORP, ua, profile, { addUA: UA_CLI('iam.add-role-to-instance-profile') }).create;
      const ltT = at(1, '13:12:40');
      const ltId = 'lt-0' + S.hex(16);
      const n = net(B2, 'eu-west-1');
      const rq = S.uuid();
      lt = ec2Call(ltT, B2, 'eu-west-1', s.ui, IP_CORP, UA_CLI('ec2.create-launch-template'), 'CreateLaunchTemplate',
        { CreateLaunchTemplateRequest: { LaunchTemplateName: 'sso-app-lt', LaunchTemplateData: { ImageId: n.ami, InstanceType: 't3.small', IamInstanceProfile: { Name: profile.name } }, ClientToken: S.uuid() } },
        { CreateLaunchTemplateResponse: { xmlns: XMLNS, requestId: rq, launchTemplate: { createTime: new Date(ltT).toISOString(), createdBy: s.arn, launchTemplateId: ltId, latestVersionNumber: 1, defaultVersionNumber: 1, launchTemplateName: 'sso-app-lt' } } },
        { reqId: rq });
      lt.ltId = ltId;
    }
  }
  baselines.push({ acct: B2, ui: (t) => daveSessions[new Date(t).getUTCDate()], ip: IP_CORP, ua: (src, name) => UA_CLI(cliCmd(src, name)), windows: [1, 2, 3].map((d) => [at(d, '13:20:00'), at(d, '13:55:00')]), regions: { 'us-east-1': [...IAM_RO, ...EC2_RO], 'eu-west-1': EC2_RO } });

  // Day 5: first hop from the SSO role into OpsAdmin, and the deletion.
  const grc = getRoleCredentials(at(5, '08:59:57'), false);
  const saml = samlSession(at(5, '09:00:00'));
  stsCall(at(5, '09:01:30'), saml.ui, IP_CORP, UA_C('sts.get-caller-identity'));
  const hop = assumeRole({ t: at(5, '09:02:10'), callerUI: saml.ui, ro: opsAdmin, sessionName: 'carol', ip: IP_CORP, ua: UA_C('sts.assume-role') });
  iamCall(at(5, '09:03:00'), hop.ui, IP_CORP, UA_C('iam.list-instance-profiles'), 'ListInstanceProfiles', null, null, { ro: true });
  iamCall(at(5, '09:03:40'), hop.ui, IP_CORP, UA_C('iam.get-instance-profile'), 'GetInstanceProfile', { instanceProfileName: profile.name }, null, { ro: true });
  iamCall(at(5, '09:04:15'), hop.ui, IP_CORP, UA_C('iam.remove-role-from-instance-profile'), 'RemoveRoleFromInstanceProfile', { instanceProfileName: profile.name, roleName: profile.role });
  const del = iamCall(at(5, '09:04:52'), hop.ui, IP_CORP, UA_C('iam.delete-instance-profile'), 'DeleteInstanceProfile', { instanceProfileName: profile.name });

  cases.push({
    name: 'identity-center-cross-account', del, profile: profile.name,
    expect: {
      classification: 'suspicious', impact: 'potential',
      origin: { type: 'SAMLUser', arn: `${idp}:${user}`, label: user },
      chainVia: [hop.event.eventID, saml.rec.eventID], consoleLoginEventId: null, identityCenterEventId: grc.eventID, keyProvenance: null,
      signalEvidence: { 'cross-account-chain': [hop.event.eventID] },
      affectedInstances: [], launchTemplateIds: [lt.ltId], launchConfigurationNames: [], failedLaunchesAfter: [],
      credentialChanges: [
        { eventId: saml.rec.eventID, eventName: 'AssumeRoleWithSAML', target: ssoRole.arn },
        { eventId: hop.event.eventID, eventName: 'AssumeRole', target: opsAdmin.arn },
      ],
      // One medium signal (a first cross-account hop) is worth a look, not a lock-out: revoking every
      // OpsAdmin session would cut off its other users on no more evidence than that.
      recommendationsInclude: ['restore-instance-profile', 'investigate-principal', 'review-launch-templates', 'guard-instance-profile-deletion'],
      recommendationsExclude: ['reassociate-instances', 'deactivate-access-key', 'revoke-role-sessions'],
      revokeRoleSessions: [],
    },
    ids: {
      accounts: { management: M, member: B1, target: B2 }, ssoRoleArn: ssoRole.arn, opsAdminArn: opsAdmin.arn, samlKey: saml.key, opsAdminKey: hop.key, launchTemplateId: lt.ltId,
      identityCenterUserId: carol.userId,
      events: { getRoleCredentials: grc.eventID, assumeRoleWithSaml: saml.rec.eventID, assumeRoleCallerCopy: hop.event.eventID, assumeRoleResourceCopy: hop.copy.eventID, createInstanceProfile: createProfileRec.eventID, createLaunchTemplate: lt.eventID, olderGetRoleCredentials: grcs.map((r) => r.eventID) },
      decoys: [...routineHops.flatMap((h) => [h.event.eventID, h.copy.eventID]), ...grcs.map((r) => r.eventID), hop.copy.eventID],
    },
  });
}

// ================================================================ case 3: web-identity-deploy (benign)
useCase(3);
{
  const C = ACCT.C1;
  const RUNNERS = ['192.0.2.40', '192.0.2.41'];
  const provider = `arn:aws:iam::${C}:oidc-provider/token.actions.githubusercontent.com`;
  const sub = 'repo:example-org/app:ref:refs/heads/main';
  const principalId = `${provider}:sts.amazonaws.com:${sub}`;
  const webUI = { type: 'WebIdentityUser', principalId, userName: sub, identityProvider: provider };
  const gha = role(C, 'gha-deploy', S.uid('AROA'));
  const tempRole = role(C, 'gha-temp-role', S.uid('AROA'));
  const profile = profileDef(C, 'gha-temp-profile', '/', tempRole.name);
  const runs = {};
  for (const d of [1, 2, 3, 4, 5, 6]) {
    const t0 = at(d, `13:0${d % 4}:${pad(10 + d * 5)}`);
    const creds = credentials(t0, 3600);
    const sessionName = 'GitHubActions';
    const webId = ev({
      t: t0, acct: C, region: 'us-east-1', src: 'sts.amazonaws.com', name: 'AssumeRoleWithWebIdentity', ui: webUI, ip: RUNNERS[0], ua: UA_GHA,
      req: { roleArn: gha.arn, roleSessionName: sessionName, durationSeconds: 3600 },
      resp: {
        credentials: creds,
        subjectFromWebIdentityToken: sub,
        assumedRoleUser: { assumedRoleId: `${gha.roleId}:${sessionName}`, arn: sessionArn(gha, sessionName) },
        provider,
        audience: 'sts.amazonaws.com',
      },
      ro: true, resources: [{ accountId: C, type: 'AWS::IAM::Role', ARN: gha.arn }],
      add: { identityProviderConnectionVerificationMethod: 'IAMTrustStore' },
    });
    const ui = sessionUI(gha, sessionName, creds.accessKeyId, t0, false, { webId: { federatedProvider: provider, attributes: {} } });
    let t = t0 + S.int(20, 40) * SEC;
    let k = 0;
    const ip = () => RUNNERS[k++ % 2];
    const reads = [
      ['sts.amazonaws.com', 'GetCallerIdentity', null, 'us-east-1', 'sts#1.28.4'],
      ['iam.amazonaws.com', 'GetRole', { roleName: gha.name }, 'us-east-1', 'iam#1.31.2'],
      ['ec2.amazonaws.com', 'DescribeVpcs', { vpcSet: {}, filterSet: {} }, 'us-east-1', 'ec2#1.151.1'],
      ['ec2.amazonaws.com', 'DescribeSubnets', { subnetSet: {}, filterSet: {} }, 'us-east-1', 'ec2#1.151.1'],
    ];
    if (d >= 3 && d <= 6) reads.push(['iam.amazonaws.com', 'GetInstanceProfile', { instanceProfileName: profile.name }, 'us-east-1', 'iam#1.31.2'], ['iam.amazonaws.com', 'GetRole', { roleName: tempRole.name }, 'us-east-1', 'iam#1.31.2']);
    for (const [src, name, req, region, api] of reads) {
      ev({ t, acct: C, region, src, name, ui, ip: ip(), ua: UA_TF(api), req, ro: true });
      t += S.int(1, 4) * SEC;
    }
    runs[d] = { webId, ui, t, ip };
  }
  // Day 2: the temporary profile and its role.
  {
    const r = runs[2];
    const ua = UA_TF('iam#1.31.2');
    createRole(r.t + 10 * SEC, r.ui, r.ip(), ua, tempRole, 'ec2.amazonaws.com');
    createProfile(r.t + 12 * SEC, r.ui, r.ip(), ua, profile, { addDelay: 2 * SEC });
  }
  // Day 6: terraform destroy (both runner addresses were used on days 1-5; the deletion leaves from 192.0.2.41).
  const r = runs[6];
  const ua = UA_TF('iam#1.31.2');
  const remove = iamCall(r.t + 15 * SEC, r.ui, RUNNERS[0], ua, 'RemoveRoleFromInstanceProfile', { instanceProfileName: profile.name, roleName: tempRole.name });
  const del = iamCall(r.t + 16 * SEC, r.ui, RUNNERS[1], ua, 'DeleteInstanceProfile', { instanceProfileName: profile.name });
  iamCall(r.t + 18 * SEC, r.ui, RUNNERS[0], ua, 'DeleteRole', { roleName: tempRole.name });

  cases.push({
    name: 'web-identity-deploy', del, profile: profile.name,
    expect: {
      classification: 'likely-benign', impact: 'none',
      origin: { type: 'WebIdentityUser', arn: principalId, label: sub },
      chainVia: [r.webId.eventID], consoleLoginEventId: null, identityCenterEventId: null, keyProvenance: null,
      signalEvidence: {},
      affectedInstances: [], launchTemplateIds: [], launchConfigurationNames: [], failedLaunchesAfter: [],
      credentialChanges: [{ eventId: r.webId.eventID, eventName: 'AssumeRoleWithWebIdentity', target: gha.arn }],
      recommendationsInclude: [],
      recommendationsExclude: 'ALL',
      revokeRoleSessions: [],
    },
    ids: { account: C, roleArn: gha.arn, webIdentityPrincipalId: principalId, runnerAddresses: RUNNERS, sessionKey: r.ui.accessKeyId, events: { assumeRoleWithWebIdentity: r.webId.eventID, removeRole: remove.eventID }, decoys: [] },
  });
}

// ================================================================ case 4: stolen-instance-credentials
useCase(4);
{
  const D = ACCT.D1;
  const IP_ADMIN = '198.51.100.50';
  const IP_SVC = '198.51.100.60';
  const IP_ATT = '203.0.113.99';
  const IP_INST = '10.0.1.15';
  const admin = { pid: S.uid('AIDA'), key: S.akia() };
  admin.ui = iamUser(D, 'infra-admin', admin.pid, admin.key);
  const svc = { pid: S.uid('AIDA'), oldKey: S.akia() };
  svc.oldUI = iamUser(D, 'svc-backup', svc.pid, svc.oldKey);
  const appRole = role(D, 'app-instance-role', S.uid('AROA'));
  const appProfile = profileDef(D, 'app-profile', '/', appRole.name);
  const backupProfile = profileDef(D, 'backup-profile', '/', 'backup-role');
  const APP = 'i-0a1b2c3d4e5f60718';
  const B_RUN = 'i-0b2c3d4e5f6071829';
  const B_STOP = 'i-0c3d4e5f607182930';
  const cli = (cmd) => UA_CLI(cmd);

  // Day 1: profiles and instances.
  stsCall(at(1, '09:58:31'), admin.ui, IP_ADMIN, cli('sts.get-caller-identity'));
  createProfile(at(1, '10:00:05'), admin.ui, IP_ADMIN, cli('iam.create-instance-profile'), appProfile, { addUA: cli('iam.add-role-to-instance-profile') });
  const createBackup = createProfile(at(1, '10:02:00'), admin.ui, IP_ADMIN, cli('iam.create-instance-profile'), backupProfile, { addUA: cli('iam.add-role-to-instance-profile') });
  const appInst = runInstances({ t: at(1, '10:10:00'), acct: D, region: 'us-east-1', ui: admin.ui, ip: IP_ADMIN, ua: cli('ec2.run-instances'), profileRef: { name: appProfile.name }, profile: appProfile, instanceId: APP, privateIp: IP_INST });
  const bRun = runInstances({ t: at(1, '10:15:00'), acct: D, region: 'us-east-1', ui: admin.ui, ip: IP_ADMIN, ua: cli('ec2.run-instances'), profileRef: { name: backupProfile.name }, profile: backupProfile, instanceId: B_RUN });
  const bStop = runInstances({ t: at(1, '10:16:30'), acct: D, region: 'us-east-1', ui: admin.ui, ip: IP_ADMIN, ua: cli('ec2.run-instances'), profileRef: { name: backupProfile.name }, profile: backupProfile, instanceId: B_STOP });

  /** EC2 delivers the instance's credentials: two AssumeRole records in the same second. */
  const deliveries = {};
  function deliver(d, t) {
    const svcUI = awsService('ec2.amazonaws.com');
    const k1 = assumeRole({ t, callerUI: svcUI, ro: appRole, sessionName: APP, ip: 'ec2.amazonaws.com', ua: 'ec2.amazonaws.com', duration: 6 * 3600, reqDuration: false, extra: { ec2RoleDelivery: '1.0' } });
    const k2 = assumeRole({ t, callerUI: svcUI, ro: appRole, sessionName: APP, ip: 'ec2.amazonaws.com', ua: 'ec2.amazonaws.com', duration: 6 * 3600, reqDuration: false, extra: { ec2RoleDelivery: '2.0' } });
    deliveries[d] = { k1, k2 };
    // The ssm agent's own calls with the IMDSv2 key, from the instance's address.
    let tt = t + S.int(30, 90) * SEC;
    for (let i = 0; i < 3; i++) {
      ev({ t: tt, acct: D, region: 'us-east-1', src: 'ssm.amazonaws.com', name: 'UpdateInstanceInformation', ui: k2.ui, ip: IP_INST, ua: UA_SSM,
        req: { instanceId: APP, agentVersion: '3.2.582.0', agentStatus: 'Active', platformType: 'Linux', platformName: 'Amazon Linux', platformVersion: '2023', iPAddress: IP_INST, computerName: `ip-10-0-1-15.ec2.internal`, agentName: 'amazon-ssm-agent', availabilityZone: 'us-east-1a', availabilityZoneId: 'use1-az1' } });
      tt += S.int(2, 5) * SEC;
      ev({ t: tt, acct: D, region: 'us-east-1', src: 'ssm.amazonaws.com', name: 'ListInstanceAssociations', ui: k2.ui, ip: IP_INST, ua: UA_SSM, req: { instanceId: APP, maxResults: 50 }, ro: true });
      tt += S.int(80, 110) * MIN;
    }
  }
  deliver(1, at(1, '10:10:14'));
  for (const d of [2, 3, 4, 5, 6]) deliver(d, at(d, `01:3${d}:${pad(11 + d * 2)}`));

  // Day 3: the second backup instance is stopped and never started again.
  const stop = stateChange(at(3, '16:20:05'), D, 'us-east-1', admin.ui, IP_ADMIN, cli('ec2.stop-instances'), 'StopInstances', B_STOP);
  // svc-backup's old key, daily from its usual place.
  for (const d of [1, 2, 3, 4, 5, 6]) {
    const t = at(d, '03:30:00') + S.int(0, 600) * SEC;
    for (const [i, [name, req]] of [['ListBuckets', { Host: 's3.amazonaws.com' }], ['GetBucketLocation', { bucketName: 'acme-backups-726354819047', Host: 's3.amazonaws.com', location: '' }]].entries()) {
      ev({ t: t + i * 3 * SEC, acct: D, region: 'us-east-1', src: 's3.amazonaws.com', name, ui: svc.oldUI, ip: IP_SVC, ua: cli(`s3.${kebab(name)}`), req, ro: true, reqId: S.chars('0123456789ABCDEF', 16),
        add: { SignatureVersion: 'SigV4', CipherSuite: 'TLS_AES_128_GCM_SHA256', bytesTransferredIn: 0, AuthenticationMethod: 'AuthHeader', 'x-amz-id-2': S.chars(ALNUM, 56) + '=', bytesTransferredOut: 312 } });
    }
  }
  baselines.push({ acct: D, ui: () => admin.ui, ip: IP_ADMIN, ua: (src, name) => UA_CLI(cliCmd(src, name)), windows: dayWindows('11:00:00', '17:00:00'),
    regions: { 'us-east-1': [['ec2.amazonaws.com', 'DescribeInstances', () => ({ instancesSet: {}, filterSet: {} })], ['ec2.amazonaws.com', 'DescribeInstanceStatus', () => ({ instancesSet: {}, filterSet: {}, includeAllInstances: false })], ['iam.amazonaws.com', 'ListRoles', () => null], ['iam.amazonaws.com', 'ListUsers', () => null], ['sts.amazonaws.com', 'GetCallerIdentity', () => null]] } });

  // Day 6: the IMDSv1 key leaves the instance.
  const stolen = deliveries[6].k1;
  const kUI = { ...stolen.ui };
  stsCall(at(6, '02:05:40'), kUI, IP_ATT, UA_KALI('sts.get-caller-identity'));
  iamCall(at(6, '02:08:05'), kUI, IP_ATT, UA_KALI('iam.list-users'), 'ListUsers', null, null, { ro: true });
  const ct = at(6, '02:12:00');
  const k3 = S.akia();
  const cak = iamCall(ct, kUI, IP_ATT, UA_KALI('iam.create-access-key'), 'CreateAccessKey', { userName: 'svc-backup' }, { accessKey: { userName: 'svc-backup', accessKeyId: k3, status: 'Active', createDate: awsDate(ct) } });
  const k3UI = iamUser(D, 'svc-backup', svc.pid, k3);
  stsCall(at(6, '02:16:10'), k3UI, IP_ATT, UA_KALI('sts.get-caller-identity'));
  iamCall(at(6, '02:18:02'), k3UI, IP_ATT, UA_KALI('iam.remove-role-from-instance-profile'), 'RemoveRoleFromInstanceProfile', { instanceProfileName: backupProfile.name, roleName: backupProfile.role });
  const del = iamCall(at(6, '02:18:40'), k3UI, IP_ATT, UA_KALI('iam.delete-instance-profile'), 'DeleteInstanceProfile', { instanceProfileName: backupProfile.name });
  const failed = runInstances({ t: at(6, '02:38:40'), acct: D, region: 'us-east-1', ui: admin.ui, ip: IP_ADMIN, ua: cli('ec2.run-instances'), profileRef: { name: backupProfile.name }, err: PROFILE_ERR(backupProfile.name) });

  cases.push({
    name: 'stolen-instance-credentials', del, profile: backupProfile.name,
    expect: {
      classification: 'suspicious', impact: 'broken',
      origin: { type: 'IAMUser', arn: k3UI.arn },
      chainVia: [], consoleLoginEventId: null, identityCenterEventId: null,
      keyProvenance: { eventId: cak.eventID, createdBy: stolen.arn, creatorChainVia: [stolen.event.eventID], creatorOrigin: { type: 'AWSService', arn: 'ec2.amazonaws.com', instanceId: APP } },
      signalEvidence: {
        'instance-credential-exfiltration': [cak.eventID],
        'key-created-for-other-user': [cak.eventID],
        'new-source-ip': [cak.eventID, del.eventID],
        'offensive-tool-user-agent': [cak.eventID, del.eventID],
      },
      affectedInstances: [{ instanceId: B_RUN, status: 'running-at-deletion', associationId: null }, { instanceId: B_STOP, status: 'stopped-at-deletion', associationId: null }],
      launchTemplateIds: [], launchConfigurationNames: [],
      failedLaunchesAfter: [{ eventId: failed.rec.eventID, matchedBy: 'error-message' }],
      credentialChanges: [{ eventId: cak.eventID, eventName: 'CreateAccessKey', target: 'svc-backup' }],
      recommendationsInclude: ['restore-instance-profile', 'reassociate-instances', 'deactivate-access-key', 'revoke-role-sessions', 'investigate-principal', 'guard-instance-profile-deletion'],
      recommendationsExclude: [],
      revokeRoleSessions: ['app-instance-role'],
    },
    ids: {
      account: D, appInstance: APP, backupRunning: B_RUN, backupStopped: B_STOP, instanceAddress: IP_INST, stolenKey: stolen.key, instanceOwnKey: deliveries[6].k2.key, createdKey: k3, svcBackupOldKey: svc.oldKey, adminKey: admin.key,
      events: { deliveryStolenKey: stolen.event.eventID, deliveryInstanceKey: deliveries[6].k2.event.eventID, createAccessKey: cak.eventID, createBackupProfile: createBackup.create.eventID, runApp: appInst.rec.eventID, runBackupRunning: bRun.rec.eventID, runBackupStopped: bStop.rec.eventID, stopInstances: stop.eventID, failedLaunch: failed.rec.eventID },
      decoys: [deliveries[6].k2.event.eventID, ...[1, 2, 3, 4, 5].flatMap((d) => [deliveries[d].k1.event.eventID, deliveries[d].k2.event.eventID])],
    },
  });
}

// ================================================================ case 5: association-changes
useCase(5);
{
  const E = ACCT.E1;
  const R = 'us-west-2';
  const IP_OPS = '198.51.100.70';
  const ops = { pid: S.uid('AIDA'), key: S.akia() };
  ops.ui = iamUser(E, 'ops', ops.pid, ops.key);
  const cli = (cmd) => UA_CLI(cmd);
  const assoc = profileDef(E, 'assoc-profile', '/', 'assoc-role');
  const other = profileDef(E, 'other-profile', '/', 'other-role');
  const staging = profileDef(E, 'assoc-profile-staging', '/', 'assoc-staging-role');
  const assocId = () => 'iip-assoc-0' + S.hex(16);
  const run = (t, p, ref = 'name') => runInstances({ t, acct: E, region: R, ui: ops.ui, ip: IP_OPS, ua: cli('ec2.run-instances'), profileRef: p ? (ref === 'name' ? { name: p.name } : { arn: p.arn }) : undefined, profile: p });
  const assocObj = (associationId, instanceId, p, state) => ({ associationId, instanceId, iamInstanceProfile: { arn: p.arn, id: p.id }, state });

  // Day 1
  stsCall(at(1, '08:59:20'), ops.ui, IP_OPS, cli('sts.get-caller-identity'));
  const createAssoc = createProfile(at(1, '09:00:00'), ops.ui, IP_OPS, cli('iam.create-instance-profile'), assoc, { addDelay: 6 * SEC, addUA: cli('iam.add-role-to-instance-profile') });
  const earlyFail = runInstances({ t: at(1, '09:00:10'), acct: E, region: R, ui: ops.ui, ip: IP_OPS, ua: cli('ec2.run-instances'), profileRef: { name: assoc.name }, err: PROFILE_ERR(assoc.name) });
  createProfile(at(1, '09:04:00'), ops.ui, IP_OPS, cli('iam.create-instance-profile'), other, { addUA: cli('iam.add-role-to-instance-profile') });
  createProfile(at(1, '09:05:00'), ops.ui, IP_OPS, cli('iam.create-instance-profile'), staging, { addUA: cli('iam.add-role-to-instance-profile') });
  const I = {};
  I.P = run(at(1, '09:10:05'), assoc);
  I.Q = run(at(1, '09:10:41'), assoc);
  I.R = run(at(1, '09:11:20'), null);
  I.S = run(at(1, '09:11:58'), null);
  I.T = run(at(1, '09:12:30'), assoc, 'arn');
  I.U = run(at(1, '09:13:02'), assoc);
  I.V = run(at(1, '09:13:40'), null);
  I.W = run(at(1, '09:14:15'), assoc);
  I.X = run(at(1, '09:14:50'), staging);
  const ltId = 'lt-0' + S.hex(16);
  const n = net(E, R);
  {
    const t = at(1, '09:30:12');
    const rq = S.uuid();
    ec2Call(t, E, R, ops.ui, IP_OPS, cli('ec2.create-launch-template'), 'CreateLaunchTemplate',
      { CreateLaunchTemplateRequest: { LaunchTemplateName: 'assoc-lt', LaunchTemplateData: { ImageId: n.ami, InstanceType: 't3.medium' }, ClientToken: S.uuid() } },
      { CreateLaunchTemplateResponse: { xmlns: XMLNS, requestId: rq, launchTemplate: { createTime: new Date(t).toISOString(), createdBy: ops.ui.arn, launchTemplateId: ltId, latestVersionNumber: 1, defaultVersionNumber: 1, launchTemplateName: 'assoc-lt' } } },
      { reqId: rq });
  }
  // Day 2: associations.
  const A = {};
  {
    A.R = assocId();
    const rq = S.uuid();
    ec2Call(at(2, '10:00:14'), E, R, ops.ui, IP_OPS, cli('ec2.associate-iam-instance-profile'), 'AssociateIamInstanceProfile',
      { instanceId: I.R.instanceId, iamInstanceProfile: { name: assoc.name } },
      { requestId: rq, iamInstanceProfileAssociation: assocObj(A.R, I.R.instanceId, assoc, 'associating') }, { reqId: rq });
  }
  const wrappedAssociate = (t, inst) => {
    const id = assocId();
    const rq = S.uuid();
    const rec = ec2Call(t, E, R, ops.ui, IP_OPS, cli('ec2.associate-iam-instance-profile'), 'AssociateIamInstanceProfile',
      { AssociateIamInstanceProfileRequest: { InstanceId: inst.instanceId, IamInstanceProfile: { Name: assoc.name } } },
      { AssociateIamInstanceProfileResponse: { xmlns: XMLNS, requestId: rq, iamInstanceProfileAssociation: assocObj(id, inst.instanceId, assoc, 'associating') } }, { reqId: rq });
    return { id, rec };
  };
  const assocS = wrappedAssociate(at(2, '10:01:02'), I.S);
  A.S = assocS.id;
  const assocV = wrappedAssociate(at(2, '10:01:47'), I.V);
  A.V = assocV.id;
  // Day 3: replace Q, stop U, terminate W, template version 2, Auto Scaling group.
  let replaceQ;
  {
    A.Q = assocId(); // Q's launch-time association, as describe-iam-instance-profile-associations shows it
    A.Q2 = assocId();
    const rq = S.uuid();
    replaceQ = ec2Call(at(3, '10:00:30'), E, R, ops.ui, IP_OPS, cli('ec2.replace-iam-instance-profile-association'), 'ReplaceIamInstanceProfileAssociation',
      { ReplaceIamInstanceProfileAssociationRequest: { AssociationId: A.Q, IamInstanceProfile: { Name: other.name } } },
      { ReplaceIamInstanceProfileAssociationResponse: { xmlns: XMLNS, requestId: rq, iamInstanceProfileAssociation: assocObj(A.Q2, I.Q.instanceId, other, 'associating') } }, { reqId: rq });
  }
  stateChange(at(3, '10:02:11'), E, R, ops.ui, IP_OPS, cli('ec2.stop-instances'), 'StopInstances', I.U.instanceId);
  const termW = stateChange(at(3, '10:03:40'), E, R, ops.ui, IP_OPS, cli('ec2.terminate-instances'), 'TerminateInstances', I.W.instanceId);
  let ltv;
  {
    const t = at(3, '10:20:05');
    const rq = S.uuid();
    ltv = ec2Call(t, E, R, ops.ui, IP_OPS, cli('ec2.create-launch-template-version'), 'CreateLaunchTemplateVersion',
      { CreateLaunchTemplateVersionRequest: { LaunchTemplateId: ltId, SourceVersion: '1', LaunchTemplateData: { IamInstanceProfile: { Arn: assoc.arn } }, ClientToken: S.uuid() } },
      { CreateLaunchTemplateVersionResponse: { xmlns: XMLNS, requestId: rq, launchTemplateVersion: { launchTemplateId: ltId, launchTemplateName: 'assoc-lt', versionNumber: 2, createTime: new Date(t).toISOString(), createdBy: ops.ui.arn, defaultVersion: false, launchTemplateData: { imageId: n.ami, instanceType: 't3.medium', iamInstanceProfile: { arn: assoc.arn } } } } },
      { reqId: rq });
  }
  ev({ t: at(3, '10:24:40'), acct: E, region: R, src: 'autoscaling.amazonaws.com', name: 'CreateAutoScalingGroup', ui: ops.ui, ip: IP_OPS, ua: cli('autoscaling.create-auto-scaling-group'),
    req: { autoScalingGroupName: 'assoc-asg', launchTemplate: { launchTemplateId: ltId, version: '2' }, minSize: 0, maxSize: 2, desiredCapacity: 0, vPCZoneIdentifier: n.subnet } });
  ev({ t: at(3, '10:25:30'), acct: E, region: R, src: 'autoscaling.amazonaws.com', name: 'PutScheduledUpdateGroupAction', ui: ops.ui, ip: IP_OPS, ua: cli('autoscaling.put-scheduled-update-group-action'),
    req: { autoScalingGroupName: 'assoc-asg', scheduledActionName: 'scale-out-0407', startTime: '2026-04-07T12:00:00Z', desiredCapacity: 1 } });
  // Day 4: disassociate R (wrapped), start U.
  let disR;
  {
    const rq = S.uuid();
    disR = ec2Call(at(4, '10:00:20'), E, R, ops.ui, IP_OPS, cli('ec2.disassociate-iam-instance-profile'), 'DisassociateIamInstanceProfile',
      { DisassociateIamInstanceProfileRequest: { AssociationId: A.R } },
      { DisassociateIamInstanceProfileResponse: { xmlns: XMLNS, requestId: rq, iamInstanceProfileAssociation: assocObj(A.R, I.R.instanceId, assoc, 'disassociating') } }, { reqId: rq });
  }
  stateChange(at(4, '10:05:09'), E, R, ops.ui, IP_OPS, cli('ec2.start-instances'), 'StartInstances', I.U.instanceId);
  // Day 5: disassociate S by association ID only (camelCase), stop T.
  let disS;
  {
    const rq = S.uuid();
    disS = ec2Call(at(5, '10:00:33'), E, R, ops.ui, IP_OPS, cli('ec2.disassociate-iam-instance-profile'), 'DisassociateIamInstanceProfile', { associationId: A.S }, { requestId: rq }, { reqId: rq });
  }
  stateChange(at(5, '10:04:51'), E, R, ops.ui, IP_OPS, cli('ec2.stop-instances'), 'StopInstances', I.T.instanceId);
  baselines.push({ acct: E, ui: () => ops.ui, ip: IP_OPS, ua: (src, name) => UA_CLI(cliCmd(src, name)), windows: dayWindows('11:00:00', '17:00:00'),
    regions: { 'us-east-1': [['iam.amazonaws.com', 'ListRoles', () => null], ['iam.amazonaws.com', 'GetAccountSummary', () => null], ['sts.amazonaws.com', 'GetCallerIdentity', () => null]], [R]: [['ec2.amazonaws.com', 'DescribeInstances', () => ({ instancesSet: {}, filterSet: {} })], ['ec2.amazonaws.com', 'DescribeIamInstanceProfileAssociations', () => ({ DescribeIamInstanceProfileAssociationsRequest: {} })], ['ec2.amazonaws.com', 'DescribeLaunchTemplates', () => ({ DescribeLaunchTemplatesRequest: { MaxResults: 100 } })]] } });

  // Day 7: the deletion, then the failed launches.
  stsCall(at(7, '10:00:05'), ops.ui, IP_OPS, cli('sts.get-caller-identity'));
  iamCall(at(7, '10:01:30'), ops.ui, IP_OPS, cli('iam.get-instance-profile'), 'GetInstanceProfile', { instanceProfileName: assoc.name }, null, { ro: true });
  iamCall(at(7, '10:02:10'), ops.ui, IP_OPS, cli('iam.remove-role-from-instance-profile'), 'RemoveRoleFromInstanceProfile', { instanceProfileName: assoc.name, roleName: assoc.role });
  const del = iamCall(at(7, '10:02:45'), ops.ui, IP_OPS, cli('iam.delete-instance-profile'), 'DeleteInstanceProfile', { instanceProfileName: assoc.name });
  const ltFail = runInstances({ t: at(7, '10:32:45'), acct: E, region: R, ui: ops.ui, ip: IP_OPS, ua: cli('ec2.run-instances'), lt: { launchTemplateId: ltId, version: '2' }, err: PROFILE_ERR(assoc.name) });
  const asgRole = role(E, 'AWSServiceRoleForAutoScaling', S.uid('AROA'), '/aws-service-role/autoscaling.amazonaws.com/');
  const asgT = at(7, '12:02:45');
  const asgUI = sessionUI(asgRole, 'AutoScaling', S.asia(), asgT - 95 * SEC, false, { invokedBy: 'autoscaling.amazonaws.com' });
  const asgFail = runInstances({ t: asgT, acct: E, region: R, ui: asgUI, ip: 'autoscaling.amazonaws.com', ua: 'autoscaling.amazonaws.com', lt: { launchTemplateId: ltId, version: '2' }, asg: 'assoc-asg',
    err: ['Client.InvalidParameterValue', 'Invalid IAM Instance Profile: the instance profile specified in the launch template was not found.'] });

  const ai = (inst, status, associationId = null) => ({ instanceId: inst.instanceId, status, associationId });
  cases.push({
    name: 'association-changes', del, profile: assoc.name,
    expect: {
      classification: 'suspicious', impact: 'broken',
      origin: { type: 'IAMUser', arn: ops.ui.arn },
      chainVia: [], consoleLoginEventId: null, identityCenterEventId: null, keyProvenance: null,
      signalEvidence: {},
      affectedInstances: [ai(I.P, 'running-at-deletion'), ai(I.T, 'stopped-at-deletion'), ai(I.U, 'running-at-deletion'), ai(I.V, 'running-at-deletion', A.V), ai(I.W, 'terminated-before-deletion')]
        .sort((a, b) => (a.instanceId < b.instanceId ? -1 : 1)),
      launchTemplateIds: [ltId], launchConfigurationNames: [],
      failedLaunchesAfter: [{ eventId: ltFail.rec.eventID, matchedBy: 'error-message' }, { eventId: asgFail.rec.eventID, matchedBy: 'launch-template' }],
      credentialChanges: [],
      recommendationsInclude: ['restore-instance-profile', 'reassociate-instances', 'investigate-principal', 'review-launch-templates', 'guard-instance-profile-deletion'],
      recommendationsExclude: ['deactivate-access-key', 'revoke-role-sessions', 'reset-password'],
      revokeRoleSessions: [],
    },
    ids: {
      account: E, region: R, launchTemplateId: ltId, instances: Object.fromEntries(Object.entries(I).map(([k, v]) => [k, v.instanceId])), associationIds: A,
      events: { createInstanceProfile: createAssoc.create.eventID, failedLaunchBefore: earlyFail.rec.eventID, associateS: assocS.rec.eventID, associateV: assocV.rec.eventID, replaceQ: replaceQ.eventID, disassociateR: disR.eventID, disassociateS: disS.eventID, terminateW: termW.eventID, createLaunchTemplateVersion: ltv.eventID, failedLaunchTemplate: ltFail.rec.eventID, failedAutoScaling: asgFail.rec.eventID },
      decoys: [earlyFail.rec.eventID, I.Q.rec.eventID, I.X.rec.eventID, replaceQ.eventID, disR.eventID, disS.eventID],
    },
  });
}

// ================================================================ case 6: trail-stopped-and-swapped
useCase(6);
{
  const Fa = ACCT.F1;
  const IP_M = '198.51.100.80';
  const IP_TA = '198.51.100.81';
  const IP_ATT = '203.0.113.120';
  const mallory = { pid: S.uid('AIDA'), key: S.akia() };
  mallory.ui = iamUser(Fa, 'mallory', mallory.pid, mallory.key);
  const ta = { pid: S.uid('AIDA'), key: S.akia() };
  ta.ui = iamUser(Fa, 'trail-admin', ta.pid, ta.key);
  const trailArn = `arn:aws:cloudtrail:us-east-1:${Fa}:trail/org-trail`;
  const swap = profileDef(Fa, 'swap-profile', '/', 'swap-role');
  const attackerRole = role(Fa, 'attacker-role', S.uid('AROA'));
  const cli = (cmd) => UA_CLI(cmd);
  const ct = (t, ui, ip, ua, name, req, resp, ro = false) => ev({ t, acct: Fa, region: 'us-east-1', src: 'cloudtrail.amazonaws.com', name, ui, ip, ua, req, resp, ro,
    resources: ro ? undefined : [{ accountId: Fa, type: 'AWS::CloudTrail::Trail', ARN: trailArn }] });

  // Day 1: mallory builds swap-profile and the launch configuration naming it.
  const createSwap = createProfile(at(1, '10:30:00'), mallory.ui, IP_M, cli('iam.create-instance-profile'), swap, { addUA: cli('iam.add-role-to-instance-profile') });
  const n = net(Fa, 'us-west-2');
  const lc = ev({ t: at(1, '10:41:17'), acct: Fa, region: 'us-west-2', src: 'autoscaling.amazonaws.com', name: 'CreateLaunchConfiguration', ui: mallory.ui, ip: IP_M, ua: cli('autoscaling.create-launch-configuration'),
    req: { launchConfigurationName: 'swap-lc', imageId: n.ami, securityGroups: [n.sg], instanceType: 't3.small', instanceMonitoring: { enabled: true }, iamInstanceProfile: swap.name, ebsOptimized: false } });
  // Day 2: trail maintenance by trail-admin (decoy).
  const decoyStop = ct(at(2, '10:00:12'), ta.ui, IP_TA, cli('cloudtrail.stop-logging'), 'StopLogging', { name: trailArn }, null);
  const decoyStart = ct(at(2, '10:25:40'), ta.ui, IP_TA, cli('cloudtrail.start-logging'), 'StartLogging', { name: trailArn }, null);
  const IAM_RO = [['iam.amazonaws.com', 'ListRoles', () => null], ['iam.amazonaws.com', 'ListUsers', () => null], ['sts.amazonaws.com', 'GetCallerIdentity', () => null]];
  baselines.push({ acct: Fa, ui: () => mallory.ui, ip: IP_M, ua: (src, name) => UA_CLI(cliCmd(src, name)), windows: dayWindows('11:00:00', '17:00:00'),
    regions: { 'us-east-1': IAM_RO, 'us-west-2': [['ec2.amazonaws.com', 'DescribeInstances', () => ({ instancesSet: {}, filterSet: {} })], ['autoscaling.amazonaws.com', 'DescribeLaunchConfigurations', () => ({ maxRecords: 50 })], ['autoscaling.amazonaws.com', 'DescribeAutoScalingGroups', () => null]] } });
  baselines.push({ acct: Fa, ui: () => ta.ui, ip: IP_TA, ua: (src, name) => UA_CLI(cliCmd(src, name)), windows: dayWindows('09:00:00', '16:00:00'),
    regions: { 'us-east-1': [['cloudtrail.amazonaws.com', 'DescribeTrails', () => ({ trailNameList: [], includeShadowTrails: true })], ['cloudtrail.amazonaws.com', 'GetTrailStatus', () => ({ name: trailArn })], ['cloudtrail.amazonaws.com', 'GetEventSelectors', () => ({ trailName: 'org-trail' })], ['sts.amazonaws.com', 'GetCallerIdentity', () => null]] } });

  // Day 6: mallory's key from 203.0.113.120 with Pacu.
  stsCall(at(6, '03:00:12'), mallory.ui, IP_ATT, UA_PACU);
  ct(at(6, '03:01:05'), mallory.ui, IP_ATT, UA_PACU, 'DescribeTrails', { trailNameList: [], includeShadowTrails: true }, null, true);
  const stopLogging = ct(at(6, '03:02:30'), mallory.ui, IP_ATT, UA_PACU, 'StopLogging', { name: trailArn }, null);
  const selectors = [{ readWriteType: 'ReadOnly', includeManagementEvents: true, dataResources: [], excludeManagementEventSources: [] }];
  const putSelectors = ct(at(6, '03:03:10'), mallory.ui, IP_ATT, UA_PACU, 'PutEventSelectors', { trailName: 'org-trail', eventSelectors: selectors }, { trailARN: trailArn, eventSelectors: structuredClone(selectors) });
  const createRoleRec = createRole(at(6, '03:05:00'), mallory.ui, IP_ATT, UA_PACU, attackerRole, 'ec2.amazonaws.com');
  const attach = iamCall(at(6, '03:05:30'), mallory.ui, IP_ATT, UA_PACU, 'AttachRolePolicy', { roleName: attackerRole.name, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
  iamCall(at(6, '03:07:00'), mallory.ui, IP_ATT, UA_PACU, 'RemoveRoleFromInstanceProfile', { instanceProfileName: swap.name, roleName: swap.role });
  const del = iamCall(at(6, '03:07:35'), mallory.ui, IP_ATT, UA_PACU, 'DeleteInstanceProfile', { instanceProfileName: swap.name });
  const swap2 = { ...swap, id: S.uid('AIPA'), role: attackerRole.name };
  const recreate = createProfile(at(6, '03:09:35'), mallory.ui, IP_ATT, UA_PACU, swap2, { addDelay: 15 * SEC });

  cases.push({
    name: 'trail-stopped-and-swapped', del, profile: swap.name,
    expect: {
      classification: 'suspicious', impact: 'potential',
      origin: { type: 'IAMUser', arn: mallory.ui.arn },
      chainVia: [], consoleLoginEventId: null, identityCenterEventId: null, keyProvenance: null,
      signalEvidence: {
        'instance-profile-recreated-with-other-role': [recreate.create.eventID, recreate.add.eventID],
        'logging-tampered': [stopLogging.eventID, putSelectors.eventID],
        'new-source-ip': [del.eventID],
        'offensive-tool-user-agent': [stopLogging.eventID, del.eventID],
      },
      signalEvidenceExclude: { 'logging-tampered': [decoyStop.eventID, decoyStart.eventID] },
      affectedInstances: [], launchTemplateIds: [], launchConfigurationNames: ['swap-lc'], failedLaunchesAfter: [],
      credentialChanges: [{ eventId: attach.eventID, eventName: 'AttachRolePolicy', target: attackerRole.name }],
      recommendationsInclude: ['deactivate-access-key', 'investigate-principal', 'review-launch-templates', 'guard-instance-profile-deletion'],
      recommendationsExclude: ['restore-instance-profile', 'reassociate-instances'],
      revokeRoleSessions: [],
    },
    ids: {
      account: Fa, trailArn, malloryKey: mallory.key, trailAdminKey: ta.key, originalProfileId: swap.id, recreatedProfileId: swap2.id,
      events: { createInstanceProfile: createSwap.create.eventID, createLaunchConfiguration: lc.eventID, stopLogging: stopLogging.eventID, putEventSelectors: putSelectors.eventID, createRole: createRoleRec.eventID, attachRolePolicy: attach.eventID, recreate: recreate.create.eventID, addAttackerRole: recreate.add.eventID },
      decoys: [decoyStop.eventID, decoyStart.eventID],
    },
  });
}

// ================================================================ case 7: lab-teardown
useCase(7);
{
  const G = ACCT.G1;
  const IP_LAB = '198.51.100.90';
  const op = { pid: S.uid('AIDA'), key: S.akia() };
  op.ui = iamUser(G, 'lab-operator', op.pid, op.key);
  const labRole = role(G, 'stratus-lab-role', S.uid('AROA'));
  const profile = profileDef(G, 'stratus-lab-profile', '/', labRole.name);
  baselines.push({ acct: G, ui: () => op.ui, ip: IP_LAB, ua: (src, name) => UA_CLI(cliCmd(src, name)), windows: dayWindows('09:00:00', '18:00:00'),
    regions: { 'us-east-1': [['iam.amazonaws.com', 'ListRoles', () => null], ['iam.amazonaws.com', 'ListUsers', () => null], ['sts.amazonaws.com', 'GetCallerIdentity', () => null], ['ec2.amazonaws.com', 'DescribeInstances', () => ({ instancesSet: {}, filterSet: {} })], ['ec2.amazonaws.com', 'DescribeRegions', () => ({ regionSet: {} })]] } });
  const listRoles = iamCall(at(4, '14:00:05'), op.ui, IP_LAB, UA_STRATUS, 'ListRoles', null, null, { ro: true });
  const gci = stsCall(at(4, '14:00:40'), op.ui, IP_LAB, UA_STRATUS);
  const ct = at(4, '14:01:15');
  const newKey = S.akia();
  const cak = iamCall(ct, op.ui, IP_LAB, UA_STRATUS, 'CreateAccessKey', { userName: 'lab-operator' }, { accessKey: { userName: 'lab-operator', accessKeyId: newKey, status: 'Active', createDate: awsDate(ct) } });
  const dak = iamCall(at(4, '14:02:15'), op.ui, IP_LAB, UA_STRATUS, 'DeleteAccessKey', { userName: 'lab-operator', accessKeyId: newKey });
  const ua = UA_TF('iam#1.31.2');
  createRole(at(4, '14:05:00'), op.ui, IP_LAB, ua, labRole, 'ec2.amazonaws.com');
  createProfile(at(4, '14:05:02'), op.ui, IP_LAB, ua, profile, { addDelay: 2 * SEC });
  iamCall(at(4, '14:11:04'), op.ui, IP_LAB, ua, 'RemoveRoleFromInstanceProfile', { instanceProfileName: profile.name, roleName: labRole.name });
  const del = iamCall(at(4, '14:11:05'), op.ui, IP_LAB, ua, 'DeleteInstanceProfile', { instanceProfileName: profile.name });
  iamCall(at(4, '14:11:07'), op.ui, IP_LAB, ua, 'DeleteRole', { roleName: labRole.name });

  cases.push({
    name: 'lab-teardown', del, profile: profile.name,
    expect: {
      classification: 'likely-benign', impact: 'none',
      origin: { type: 'IAMUser', arn: op.ui.arn },
      chainVia: [], consoleLoginEventId: null, identityCenterEventId: null, keyProvenance: null,
      signalEvidence: { 'offensive-tool-user-agent': [listRoles.eventID, gci.eventID, cak.eventID, dak.eventID] },
      affectedInstances: [], launchTemplateIds: [], launchConfigurationNames: [], failedLaunchesAfter: [],
      credentialChanges: [{ eventId: cak.eventID, eventName: 'CreateAccessKey', target: 'lab-operator' }, { eventId: dak.eventID, eventName: 'DeleteAccessKey', target: 'lab-operator' }],
      recommendationsInclude: ['investigate-principal'],
      recommendationsExclude: 'ALL_BUT_INCLUDED',
      revokeRoleSessions: [],
    },
    ids: { account: G, operatorKey: op.key, labKey: newKey, events: { createAccessKeySelf: cak.eventID, deleteAccessKey: dak.eventID }, decoys: [cak.eventID] },
  });
}

// ================================================================ case 8: cloudformation-decoy (benign)
useCase(8);
{
  const H = ACCT.H1;
  const IP_DEP = '198.51.100.95';
  const dep = { pid: S.uid('AIDA'), key: S.akia() };
  dep.ui = iamUser(H, 'deployer', dep.pid, dep.key);
  const cfnRole = role(H, 'cfn-exec-role', S.uid('AROA'));
  const profile = profileDef(H, 'cfn-profile', '/', 'cfn-app-role');
  const stackId = `arn:aws:cloudformation:us-east-1:${H}:stack/app-stack/${S.uuid()}`;
  const CFN = 'cloudformation.amazonaws.com';
  const cfnSession = (t) => assumeRole({ t, callerUI: awsService(CFN), ro: cfnRole, sessionName: 'AWSCloudFormation', ip: CFN, ua: CFN, extra: { invokedBy: CFN } });
  baselines.push({ acct: H, ui: () => dep.ui, ip: IP_DEP, ua: (src, name) => UA_CLI(cliCmd(src, name)), windows: dayWindows('09:00:00', '17:00:00'),
    regions: { 'us-east-1': [['cloudformation.amazonaws.com', 'DescribeStacks', () => null], ['cloudformation.amazonaws.com', 'ListStacks', () => ({ stackStatusFilter: ['CREATE_COMPLETE', 'UPDATE_COMPLETE'] })], ['sts.amazonaws.com', 'GetCallerIdentity', () => null], ['iam.amazonaws.com', 'ListRoles', () => null]] } });
  // Day 3: create the stack.
  ev({ t: at(3, '11:00:00'), acct: H, region: 'us-east-1', src: CFN, name: 'CreateStack', ui: dep.ui, ip: IP_DEP, ua: UA_CLI('cloudformation.create-stack'),
    req: { stackName: 'app-stack', templateURL: `https://s3.us-east-1.amazonaws.com/cfn-templates-${H}/app-stack.yaml`, capabilities: ['CAPABILITY_NAMED_IAM'], roleARN: cfnRole.arn }, resp: { stackId } });
  const s1 = cfnSession(at(3, '11:00:04'));
  createProfile(at(3, '11:00:21'), s1.ui, CFN, CFN, profile, { addDelay: 2 * SEC });
  // Day 5: delete the stack.
  ev({ t: at(5, '11:00:00'), acct: H, region: 'us-east-1', src: CFN, name: 'DeleteStack', ui: dep.ui, ip: IP_DEP, ua: UA_CLI('cloudformation.delete-stack'), req: { stackName: 'app-stack' } });
  const s2 = cfnSession(at(5, '11:00:03'));
  iamCall(at(5, '11:00:25'), s2.ui, CFN, CFN, 'RemoveRoleFromInstanceProfile', { instanceProfileName: profile.name, roleName: profile.role });
  const del = iamCall(at(5, '11:00:26'), s2.ui, CFN, CFN, 'DeleteInstanceProfile', { instanceProfileName: profile.name });

  cases.push({
    name: 'cloudformation-decoy', del, profile: profile.name,
    expect: {
      classification: 'service', impact: 'none',
      origin: { type: 'AWSService', arn: CFN },
      chainVia: [s2.event.eventID], consoleLoginEventId: null, identityCenterEventId: null, keyProvenance: null,
      signalEvidence: {},
      affectedInstances: [], launchTemplateIds: [], launchConfigurationNames: [], failedLaunchesAfter: [],
      credentialChanges: [],
      recommendationsInclude: [],
      recommendationsExclude: 'ALL',
      revokeRoleSessions: [],
    },
    ids: { account: H, roleArn: cfnRole.arn, sessionKey: s2.key, stackId, events: { assumeRoleCloudFormation: s2.event.eventID }, decoys: [] },
  });
}

// ---------------------------------------------------------------- noise
const storyNames = ['console-app-profile', 'sso-app-profile', 'gha-temp-profile', 'app-profile', 'backup-profile', 'assoc-profile', 'other-profile', 'swap-profile', 'stratus-lab-profile', 'cfn-profile'];
let noiseCount = 0;
{
  let guard = 0;
  while (noiseCount < noiseTarget && guard++ < 100_000) {
    const b = N.pick(baselines);
    const [from, to] = N.pick(b.windows);
    // Start just after a 5-minute boundary inside the window and keep the burst within it: one file per burst.
    const first = Math.ceil(from / WINDOW) * WINDOW;
    const last = Math.floor((to - 4 * MIN) / WINDOW) * WINDOW;
    if (last < first) continue;
    const win = first + WINDOW * N.int(0, (last - first) / WINDOW);
    const regions = Object.keys(b.regions).sort();
    const region = N.pick(regions);
    const calls = b.regions[region];
    const n = Math.min(N.int(3, 7), noiseTarget - noiseCount);
    let t = win + SEC * N.int(1, 20);
    for (let i = 0; i < n; i++) {
      const [src, name, req] = N.pick(calls);
      const extra = {};
      if (src === 's3.amazonaws.com') extra.reqId = N.chars('0123456789ABCDEF', 16);
      const rec = mk(N, { t, acct: b.acct, region: src === 'iam.amazonaws.com' || src === 'sts.amazonaws.com' ? 'us-east-1' : region, src, name, ui: b.ui(t), ip: b.ip, ua: b.ua(src, name), req: req(), ro: true, console: b.console, ...extra });
      emit(rec, false);
      noiseCount++;
      t += SEC * N.int(2, 40);
    }
  }
}

// ---------------------------------------------------------------- self-checks on the records
const DOC_IP = /^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}$|^10\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
{
  const seen = new Set();
  for (const r of all) {
    if (seen.has(r.eventID)) throw new Error(`duplicate eventID ${r.eventID}`);
    seen.add(r.eventID);
    const t = Date.parse(r.eventTime);
    if (!(t >= START && t <= END) || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(r.eventTime)) throw new Error(`eventTime out of window: ${r.eventTime}`);
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(r.eventID)) throw new Error(`eventID is not a UUID v4: ${r.eventID}`);
    if (!['1.08', '1.09'].includes(r.eventVersion)) throw new Error(`eventVersion ${r.eventVersion}`);
    if (!(DOC_IP.test(r.sourceIPAddress) || /^[a-z0-9-]+\.amazonaws\.com$/.test(r.sourceIPAddress))) throw new Error(`source IP ${r.sourceIPAddress} is not documentation/private/service`);
    if (['iam.amazonaws.com', 'sts.amazonaws.com', 'signin.amazonaws.com', 'sso.amazonaws.com'].includes(r.eventSource) && r.awsRegion !== 'us-east-1') throw new Error(`${r.eventName} outside us-east-1`);
    if (r.errorCode && r.responseElements !== null) throw new Error(`failed ${r.eventName} with responseElements`);
    const json = JSON.stringify(r);
    for (const m of json.matchAll(/"(A[KS]IA[A-Z2-7]*)"/g)) if (m[1].length !== 20) throw new Error(`bad access key ${m[1]}`);
    if (r.userIdentity.type === 'AssumedRole' && !r.userIdentity.sessionContext?.sessionIssuer?.arn) throw new Error('AssumedRole without sessionIssuer');
    if (!storyIds.has(r.eventID)) {
      if (!r.readOnly || r.eventName === 'DeleteInstanceProfile') throw new Error(`noise must be read-only: ${r.eventName}`);
      for (const name of storyNames) if (json.includes(`"${name}"`) || json.includes(`/${name}"`)) throw new Error(`noise mentions ${name}`);
    }
  }
}

// ---------------------------------------------------------------- files
const logFiles = deliveryFiles(all, F).map(({ acct, region, delivered, suffix, records }) => (
  { key: logObjectKey('AWSLogs/', acct, region, delivered, suffix), body: JSON.stringify({ Records: records }), records }));

// ---------------------------------------------------------------- write
const archiveDir = path.join(outDir, 'archive');
fs.rmSync(archiveDir, { recursive: true, force: true });
let bytes = 0;
for (const f of logFiles) bytes += writeGz(path.join(archiveDir, f.key), f.body);

// ---------------------------------------------------------------- expected.json
const ALL_RECS = ['restore-instance-profile', 'reassociate-instances', 'deactivate-access-key', 'revoke-role-sessions', 'enforce-mfa', 'reset-password', 'password-policy', 'investigate-principal', 'review-launch-templates', 'guard-instance-profile-deletion'];
const recById = new Map(all.map((r) => [r.eventID, r]));
const sortEvents = (list) => [...list].sort((a, b) => byTimeId({ eventTime: recById.get(a.eventId).eventTime, eventId: a.eventId }, { eventTime: recById.get(b.eventId).eventTime, eventId: b.eventId }));

const incidents = cases.map((c) => {
  const x = c.expect;
  const exclude = x.recommendationsExclude === 'ALL' ? [...ALL_RECS] : x.recommendationsExclude === 'ALL_BUT_INCLUDED' ? ALL_RECS.filter((id) => !x.recommendationsInclude.includes(id)) : x.recommendationsExclude;
  for (const id of [...x.recommendationsInclude, ...exclude]) if (!ALL_RECS.includes(id)) throw new Error(`unknown recommendation ${id}`);
  if (x.recommendationsInclude.some((id) => exclude.includes(id))) throw new Error(`${c.name}: a recommendation is both included and excluded`);
  const signals = Object.keys(x.signalEvidence).sort();
  for (const ids of [...Object.values(x.signalEvidence), ...Object.values(x.signalEvidenceExclude ?? {}), x.chainVia]) for (const id of ids) if (!recById.has(id)) throw new Error(`${c.name}: unknown event ${id}`);
  return {
    case: c.name,
    id: c.del.eventID,
    eventTime: c.del.eventTime,
    accountId: c.del.recipientAccountId,
    profile: c.profile,
    outcome: c.del.errorCode ? 'failed' : 'deleted',
    classification: x.classification,
    impact: x.impact,
    origin: x.origin,
    chainVia: x.chainVia,
    consoleLoginEventId: x.consoleLoginEventId,
    identityCenterEventId: x.identityCenterEventId,
    keyProvenance: x.keyProvenance,
    signals,
    signalEvidence: Object.fromEntries(signals.map((s) => [s, x.signalEvidence[s]])),
    signalEvidenceExclude: x.signalEvidenceExclude ?? {},
    affectedInstances: x.affectedInstances,
    launchTemplateIds: x.launchTemplateIds,
    launchConfigurationNames: x.launchConfigurationNames,
    failedLaunchesAfter: sortEvents(x.failedLaunchesAfter),
    credentialChanges: sortEvents(x.credentialChanges),
    recommendationsInclude: x.recommendationsInclude,
    recommendationsExclude: exclude,
    revokeRoleSessions: x.revokeRoleSessions,
  };
}).sort((a, b) => byTimeId({ eventTime: a.eventTime, eventId: a.id }, { eventTime: b.eventTime, eventId: b.id }));

// Incidents are exactly the DeleteInstanceProfile records; profile names match what was deleted.
{
  const dips = all.filter((r) => r.eventName === 'DeleteInstanceProfile').map((r) => r.eventID).sort();
  if (JSON.stringify(dips) !== JSON.stringify(incidents.map((i) => i.id).sort())) throw new Error('incidents do not match DeleteInstanceProfile records');
  for (const i of incidents) if (recById.get(i.id).requestParameters.instanceProfileName !== i.profile) throw new Error(`${i.case}: profile name`);
}

const counts = { uniqueEvents: new Set(all.map((r) => r.eventID)).size, logFiles: logFiles.length };
const expected = {
  scenario: 'trailsift DeleteInstanceProfile paths (eight cases, one account set each), generated by scripts/generate-paths.mjs',
  notes: [
    'One incident per DeleteInstanceProfile record (all eight succeed), sorted by (eventTime, eventId). "case" names the story in the generator header; "cases" below holds the per-case account IDs, keys, instance IDs and decoy event IDs.',
    'counts.uniqueEvents = distinct eventIDs over all log files (no re-deliveries, no digests); logFiles = CloudTrail log objects. The two copies of a cross-account AssumeRole are distinct events.',
    'Lists are exact unless named otherwise: signals (sorted), affectedInstances (sorted by instanceId), launchTemplateIds, launchConfigurationNames, failedLaunchesAfter, chainVia (nearest hop first), revokeRoleSessions (sorted). credentialChanges, recommendationsInclude and signalEvidence are "must be among"; recommendationsExclude and signalEvidenceExclude are "must not be among". signalEvidenceExclude is an addition to the brief\'s fields (case 6: the decoy trail-admin StopLogging/StartLogging must not be evidence of mallory\'s logging-tampered).',
    'impact: "broken" = an instance running or stopped at the deletion held the profile, or a launch failed afterwards for lack of it; "potential" = only launch templates/configurations (or terminated instances) name it; "none" = nothing on the EC2 side.',
    'affectedInstances.status: running-at-deletion, stopped-at-deletion (last state change before the deletion was StopInstances), terminated-before-deletion. associationId is the ID learnt from the AssociateIamInstanceProfile/Replace record that bound the instance (null for a launch-time association, whose ID is not in the RunInstances record). An instance whose association was replaced by another profile or disassociated before the deletion is not listed (case 5 Q, R, S; S is disassociated by association ID only, mapped back through its Associate record).',
    'origin: the last hop of the actor chain. IAM users {type IAMUser, arn}; SAML {type SAMLUser, arn: principalId, label: userName}; web identity {type WebIdentityUser, arn: principalId, label: subject}; AWS services {type AWSService, arn: the service principal, instanceId for EC2 instance credentials (the roleSessionName)}. A console session of an IAM user has no issuing event: chainVia [] and origin is the user; the ConsoleLogin that opened it (same user ARN and source IP, the latest successful one before its first call) is consoleLoginEventId, never the failed one.',
    'chainVia: the issuing events (responseElements.credentials.accessKeyId = the previous key), nearest first; for a cross-account AssumeRole the caller account\'s copy. identityCenterEventId: the newest sso GetRoleCredentials for the same member account and role name in the minutes before the AssumeRoleWithSAML at the end of the chain (either shape: serviceEventDetails or requestParameters).',
    'Case 2 judgement: the brief names both eventTypes for GetRoleCredentials; the facts doc says AwsServiceEvent. The IdentityCenterUser/serviceEventDetails records are AwsServiceEvent (serviceEventDetails only occurs there), the one older Unknown/requestParameters record (day 1) is AwsApiCall, so an analyzer must not filter on eventType.',
    'keyProvenance: the CreateAccessKey that made the origin\'s long-term key; creatorChainVia/creatorOrigin are the key creator\'s own chain. Only case 4 has one (the origin keys of the other IAM users predate the archive).',
    'new-source-ip evidence: the event in which an identity was seen at an address it had not used before the incident: the deletion for the acting identity, the issuing (via) event for a chain hop, the ConsoleLogin for a console session, the CreateAccessKey for the key creator. Judgement call on "before the incident": the attacker\'s own burst of calls from the new address leading up to these events (recon such as GetCallerIdentity, ListUsers, DescribeTrails, a failed ConsoleLogin, minutes earlier) is part of the incident, not history. Concretely alice first used 203.0.113.77 at 2026-04-05T01:52:30Z (the failed login), the app-instance-role session first used 203.0.113.99 at 2026-04-06T02:05:40Z and svc-backup at 02:16:10Z, mallory first used 203.0.113.120 at 2026-04-06T03:00:12Z; none of them had used the address on an earlier day, so the ConsoleLogin (case 1), the CreateAccessKey (case 4) and mallory\'s deletion (case 6) are evidence. The identity of an assumed-role session is its role (session issuer): case 2\'s OpsAdmin role was used daily by dave from the same corporate egress 198.51.100.30, so no new-source-ip there. Web identity and SAML logins themselves are not checked (IdP/runner addresses). Case 1: bob\'s use of 203.0.113.77 is not new-source-ip evidence because bob is not in alice\'s chain; his calls appear as credential changes aimed at her.',
    'cross-account-chain: a cross-account hop (caller role or user -> target role) the caller had never made before the incident. Case 2 decoy: the same SSO role assumes B2:role/ReadOnlyAudit daily (same two accounts, other role): those hops are silent and do not make the first SSO-role -> OpsAdmin hop "seen".',
    'offensive-tool-user-agent evidence: calls with a Pacu / Stratus Red Team / Kali (pentest OS) user agent by the identities of the chain or the key creator in the lookback window, the deletion included when it carries one. Case 7 keeps the signal although the classification is likely-benign (lab lifecycle: create-then-delete by the same identity, same key, same IP, Terraform user agent, impact none); the self-targeted CreateAccessKey there does not raise key-created-for-other-user.',
    'logging-tampered: StopLogging, DeleteTrail, UpdateTrail, PutEventSelectors (and similar) by the identities of the chain in the lookback window; another identity\'s trail maintenance (case 6 trail-admin, day 2) is not evidence.',
    'failedLaunchesAfter.matchedBy: "error-message" when the error message names the profile "(name)" (preferred over "request" as the stronger proof of cause, so case 4\'s launch that names it in both places is "error-message"); "launch-template" when only the launch template links it (case 5 Auto Scaling failure, message without the name). The failed launch before the deletion (case 5 day 1, IAM propagation) is not impact.',
    'credentialChanges.target: the user name for user-family events (requestParameters.userName, else the caller), the role name for role events (AttachRolePolicy etc.), the device\'s user for MFA events (from the serial number), the role ARN for STS AssumeRole*. ConsoleLogin failures and MFAUsed "No" logins are credential changes targeting the user. Case 4\'s CreateAccessKey is the key creator\'s IAM change; the EC2 delivery of the stolen key is not required there.',
    'Failed ConsoleLogin (case 1) carries errorMessage "Failed authentication" and responseElements {ConsoleLogin: Failure} without an errorCode, as CloudTrail writes it; every other failed call has errorCode, errorMessage and responseElements null.',
    'Recommendations: restore-instance-profile only when the profile was deleted, not re-created, and impact is not "none" (so not case 6, re-created with attacker-role); reassociate-instances only when an instance was running or stopped at the deletion; revoke-role-sessions names every role whose sessions are in the actor chain or the key creator\'s chain (revokeRoleSessions). Judgement calls: case 1 includes deactivate-access-key for bob\'s key (it was used from the attacker\'s address to reset alice\'s password and remove her MFA), although bob is not in the chain; case 5 (a human deletion from the usual place with no attack signal) excludes deactivate-access-key, revoke-role-sessions and reset-password: nothing says ops\'s key is compromised, the responder talks to ops (investigate-principal) and repairs; case 6 includes review-launch-templates because launch configuration swap-lc now hands out attacker-role; benign and service incidents (3, 8) get no recommendation at all; case 7 only investigate-principal.',
    'Case 4 realism: EC2 delivers a fresh credential pair every day (6 h credentials) instead of reusing day 1\'s keys for six days; the stolen key is day 6\'s IMDSv1 key (ec2RoleDelivery "1.0") and the instance keeps using day 6\'s IMDSv2 key from 10.0.1.15.',
    'Case 6 realism: the archive is the security team\'s trail, which mallory did not stop; org-trail is the account\'s own trail. attacker-role is created and given AdministratorAccess by mallory just before the swap (CreateRole, AttachRolePolicy).',
  ],
  generator: { script: 'scripts/generate-paths.mjs', seed: SEED, noise: noiseTarget, noiseRecords: noiseCount, storyRecords: storyIds.size },
  counts,
  incidents,
  cases: Object.fromEntries(cases.map((c) => [c.name, { deletionEventId: c.del.eventID, ...c.ids }])),
};
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'expected.json'), JSON.stringify(expected, null, 2) + '\n');

process.stderr.write(`generate-paths: ${counts.logFiles} log files, ${counts.uniqueEvents} events (${storyIds.size} story, ${noiseCount} noise), ${incidents.length} incidents, ${(bytes / 1024).toFixed(1)} KiB gz -> ${outDir}\n`);
