#!/usr/bin/env node
/**
 * generate-scenario.mjs: deterministic CloudTrail scenario for trailsift.
 *
 * Usage: node scripts/generate-scenario.mjs [outDir] [--noise N] [--all-digests]
 *   outDir defaults to fixtures/scenario, N (noise records) to 3000; --all-digests writes the digest
 *   chains of all nine account/region pairs instead of production us-east-1 only (see DIGEST_SCOPE).
 * Writes  <outDir>/archive/AWSLogs/o-a1b2c3d4e5/<acct>/CloudTrail[-Digest]/...  (organization trail S3 layout)
 *         <outDir>/expected.json   (the answers a correct analyzer must give)
 * Only node builtins; the helpers shared with generate-paths.mjs are in scripts/lib/cloudtrail-fixture.mjs.
 * All randomness comes from seeded mulberry32 streams (story, noise, files,
 * digests are separate streams, so story IDs do not move when --noise changes). Re-running gives
 * byte-identical output (gzip header mtime is 0).
 *
 * Accounts: 111111111111 production (instance profiles, EC2), 222222222222 identity/ops, 333333333333 CI.
 * Window: 2026-03-01T00:00Z .. 2026-03-08T23:59Z; regions us-east-1, us-west-2, eu-west-1.
 *
 * The story
 *  1 Baseline (03-01..03-04). IAM user 222222222222:user/ops-admin (long-term AKIA key, created
 *    2026-02-20, outside the archive, so its provenance is unknown) works from 198.51.100.10 with
 *    aws-cli and assumes 111111111111:role/OrgAdminAccess with MFA (serialNumber in the request,
 *    mfaAuthenticated "true" on the sessions). Cross-account AssumeRole is logged twice: caller copy in
 *    222222222222 (full IAMUser identity) and resource copy in 111111111111 (type AWSAccount), same
 *    requestID and sharedEventID. With those sessions it creates instance profile web-app-profile
 *    (path /app/, role web-app-role) and web-app-profile-staging (path /, role web-app-staging-role).
 *  2 Workloads of web-app-profile in 111111111111: A us-west-2 RunInstances {name}; B eu-west-1
 *    RunInstances {arn}; C us-east-1 launched bare then AssociateIamInstanceProfile (PascalCase);
 *    D us-west-2 {name}, terminated 03-04; E us-west-2 with web-app-profile-staging (NOT ours);
 *    F us-west-2 launched by Auto Scaling (AWSServiceRoleForAutoScaling) from launch template
 *    web-app-lt only (profile visible only in the response). Launch template web-app-lt
 *    (CreateLaunchTemplate, IamInstanceProfile {Name}), launch configuration web-app-lc
 *    (autoscaling CreateLaunchConfiguration), ASG web-app-asg.
 *  3 Attack. 03-05 02:05Z the ops-admin key is used from 203.0.113.50 with a boto3 UA, no MFA:
 *    recon, CreateAccessKey for deploy-bot, DeactivateMFADevice (ops-admin), UpdateLoginProfile
 *    (deploy-bot). 03-06 03:05Z the new deploy-bot key assumes OrgAdminAccess (session deploy-bot,
 *    key1, logged in both accounts), which chains into InfraAdmin (session maint, key2). key2:
 *    DeleteInstanceProfile web-app-profile -> DeleteConflict, RemoveRoleFromInstanceProfile,
 *    DeleteInstanceProfile (success, 2026-03-06T03:14:15Z), DeleteInstanceProfile db-profile ->
 *    AccessDenied (requestParameters null, name only in errorMessage).
 *  4 After: 3 Auto Scaling RunInstances from the launch template fail (Client.InvalidParameterValue,
 *    invalid profile name), one manual RunInstances {name: web-app-profile} fails the same way in
 *    eu-west-1; one unrelated failure with the staging profile (Server.InsufficientInstanceCapacity).
 *  5 Benign: GitHub Actions (WebIdentityUser, token.actions.githubusercontent.com) ->
 *    AssumeRoleWithWebIdentity 333333333333:role/github-actions -> cross-account AssumeRole
 *    111111111111:role/TerraformDeploy, daily from 192.0.2.20 with the Terraform UA. On 03-02 it
 *    creates batch-worker-profile and instance G; on 03-07 it terminates G, removes the role and
 *    deletes the profile. EKS (AWSServiceRoleForAmazonEKSNodegroup, invokedBy eks-nodegroup)
 *    creates eks-nodegroup-ng1-profile on 03-02 and deletes it 03-07T23:58:20Z (its file sits in
 *    the 2026/03/08 folder).
 *  6 Noise: ~N read-only/service/sign-in/AccessDenied records in bursts; never mentions web-app-profile
 *    and never calls DeleteInstanceProfile.
 *
 * Archive mechanics: records grouped per (account, region, 5-minute window of eventTime) into one
 * file, delivered 2..9 minutes after the window; the folder date is the delivery date. Records in a
 * file are shuffled. Some files are re-delivered under another suffix (identical bytes, same
 * eventIDs). Hourly digests per account and region (see DIGEST_SCOPE) list the log files delivered in
 * [digestStartTime, digestEndTime) with hashValue = SHA-256 of the uncompressed log file, chained by
 * previousDigestHashValue (SHA-256 of the uncompressed previous digest); quiet hours have logFiles [].
 *
 * expected.json: counts (from what was actually written) and one incident per DeleteInstanceProfile
 * record, sorted by (eventTime, eventId). The field rules are spelled out in expected.json "notes".
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import {
  parseArgs, ALNUM, Rand, T, MIN, HOUR, WINDOW, iso, pad, awsDate, stamp, ymd, byTimeId, isIp,
  iamUser, sessionArn, sessionUI, awsService, PROFILE_ERR, deliveryFiles, logObjectKey, writeGz,
} from './lib/cloudtrail-fixture.mjs';

// ---------------------------------------------------------------- arguments
const args = parseArgs(process.argv.slice(2), { outDir: 'fixtures/scenario', noise: 3000, flags: ['--all-digests'] });
const { outDir, noiseTarget } = args;
const allDigests = args.flags.has('--all-digests');

// ---------------------------------------------------------------- random streams
const S = new Rand(0x7a11f001); // story
const N = new Rand(0x7a11f002); // noise
const F = new Rand(0x7a11f003); // files (suffixes, delays, shuffles, duplicates)
const D = new Rand(0x7a11f004); // digests

// ---------------------------------------------------------------- time
const START = T('2026-03-01T00:00:00Z');
const END = T('2026-03-08T23:59:00Z');

// ---------------------------------------------------------------- constants
const P = '111111111111';
const I = '222222222222';
const C = '333333333333';
const ORG = 'o-a1b2c3d4e5';
const BUCKET = 'acme-org-cloudtrail-logs';
const TRAIL = 'org-trail';
const HOME = 'us-east-1';
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const ACCOUNTS = [P, I, C];
/**
 * Account/region pairs whose hourly digest chain is written. The real org trail has a chain for every
 * account and region, but each digest costs ~650 bytes gzipped (a 512-hex signature does not compress),
 * so by default the fixture carries one complete chain, production us-east-1 (IAM events, the
 * deletions, a re-delivered file), as an analyst's partial download would. --all-digests writes all nine.
 */
const DIGEST_SCOPE = allDigests ? ACCOUNTS.flatMap((a) => REGIONS.map((r) => [a, r])) : [[P, 'us-east-1']];
const IP_OPS = '198.51.100.10';
const IP_ATT = '203.0.113.50';
const IP_TF = '192.0.2.20';
const IP_CI = '192.0.2.30';
const IP_SSO = '198.51.100.77';
const UA_CLI = (cmd) => `aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0-1018-aws md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off md/command#${cmd}`;
const UA_BOTO = 'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.1.0-18-amd64 md/arch#x86_64 lang/python#3.11.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69';
const UA_TF = (api) => `APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.40.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.25.3 os/linux lang/go#1.21.8 md/GOOS#linux md/GOARCH#amd64 api/${api}`;
const UA_GHA = 'aws-sdk-js/3.535.0 ua/2.0 os/linux#6.5.0-1016-azure lang/js md/nodejs#20.11.1 api/sts#3.535.0 configure-aws-credentials-for-github-actions';
const UA_CONSOLE = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36';
const UA_CONSOLE_SVC = 'AWS Internal';
const UA_GO = 'aws-sdk-go/1.50.30 (go1.21.7; linux; amd64)';

const VERSION = { 'iam.amazonaws.com': '1.10', 'sts.amazonaws.com': '1.08', 'ec2.amazonaws.com': '1.10', 'signin.amazonaws.com': '1.09', 'kms.amazonaws.com': '1.08', 's3.amazonaws.com': '1.09', 'autoscaling.amazonaws.com': '1.09', 'ecr.amazonaws.com': '1.08' };
function hostFor(src, region) {
  const svc = src.split('.')[0];
  if (svc === 'iam') return 'iam.amazonaws.com';
  if (svc === 'sts') return region === 'us-east-1' ? 'sts.amazonaws.com' : `sts.${region}.amazonaws.com`;
  if (svc === 'signin') return 'signin.aws.amazon.com';
  if (svc === 'ecr') return `api.ecr.${region}.amazonaws.com`;
  return `${svc}.${region}.amazonaws.com`;
}

// ---------------------------------------------------------------- record building
/** Every emitted record, with the bookkeeping needed to file it. */
const all = [];
const storyIds = new Set();

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
  if (o.err) { rec.errorCode = o.err[0]; rec.errorMessage = o.err[1]; }
  rec.requestParameters = o.req === undefined ? null : o.req;
  rec.responseElements = o.resp === undefined ? null : o.resp;
  if (o.add) rec.additionalEventData = o.add;
  rec.requestID = o.reqId ?? r.uuid();
  rec.eventID = o.evId ?? r.uuid();
  rec.readOnly = !!o.ro;
  if (o.resources) rec.resources = o.resources;
  rec.eventType = o.type ?? 'AwsApiCall';
  rec.managementEvent = true;
  rec.recipientAccountId = o.acct;
  if (o.shared) rec.sharedEventID = o.shared;
  rec.eventCategory = 'Management';
  if (isIp(o.ip) && o.tls !== false) rec.tlsDetails = { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: hostFor(o.src, o.region) };
  if (o.console) rec.sessionCredentialFromConsole = 'true';
  return rec;
}
function emit(rec, story) {
  all.push(rec);
  if (story) storyIds.add(rec.eventID);
  return rec;
}
/** Story event: built from the story stream and recorded as story. */
const ev = (o) => emit(mk(S, o), true);

// ---------------------------------------------------------------- identities
function role(acct, name, roleId, rolePath = '/') {
  return { acct, name, roleId, arn: `arn:aws:iam::${acct}:role${rolePath}${name}` };
}

// Principals
const opsAdmin = { acct: I, name: 'ops-admin', pid: S.uid('AIDA'), key: S.akia() };
opsAdmin.arn = `arn:aws:iam::${I}:user/ops-admin`;
opsAdmin.ui = iamUser(I, 'ops-admin', opsAdmin.pid, opsAdmin.key);
const deployBot = { acct: I, name: 'deploy-bot', pid: S.uid('AIDA'), oldKey: S.akia(), newKey: S.akia() };
deployBot.arn = `arn:aws:iam::${I}:user/deploy-bot`;
const R = {
  orgAdmin: role(P, 'OrgAdminAccess', S.uid('AROA')),
  infraAdmin: role(P, 'InfraAdmin', S.uid('AROA')),
  tfDeploy: role(P, 'TerraformDeploy', S.uid('AROA')),
  gha: role(C, 'github-actions', S.uid('AROA')),
  asg: role(P, 'AWSServiceRoleForAutoScaling', S.uid('AROA'), '/aws-service-role/autoscaling.amazonaws.com/'),
  eks: role(P, 'AWSServiceRoleForAmazonEKSNodegroup', S.uid('AROA'), '/aws-service-role/eks-nodegroup.amazonaws.com/'),
  ssoPower: role(P, 'AWSReservedSSO_PowerUserAccess_5f2c8e1a9b3d7c40', S.uid('AROA'), '/aws-reserved/sso.amazonaws.com/'),
};
const profiles = {
  web: { name: 'web-app-profile', path: '/app/', id: S.uid('AIPA'), role: 'web-app-role' },
  staging: { name: 'web-app-profile-staging', path: '/', id: S.uid('AIPA'), role: 'web-app-staging-role' },
  batch: { name: 'batch-worker-profile', path: '/', id: S.uid('AIPA'), role: 'batch-worker-role' },
  eks: { name: 'eks-nodegroup-ng1-profile', path: '/', id: S.uid('AIPA'), role: 'eks-node-role' },
};
for (const p of Object.values(profiles)) p.arn = `arn:aws:iam::${P}:instance-profile${p.path}${p.name}`;
const WEBID = {
  provider: 'token.actions.githubusercontent.com',
  providerArn: `arn:aws:iam::${C}:oidc-provider/token.actions.githubusercontent.com`,
  aud: 'sts.amazonaws.com',
  sub: 'repo:acme-corp/infra-live:ref:refs/heads/main',
};
WEBID.principalId = `${WEBID.provider}:${WEBID.aud}:${WEBID.sub}`;
WEBID.ui = { type: 'WebIdentityUser', principalId: WEBID.principalId, userName: WEBID.sub, identityProvider: WEBID.provider };

// Network furniture, per region
const NET = {};
for (const r of REGIONS) {
  NET[r] = { vpc: 'vpc-0' + S.hex(16), subnet: 'subnet-0' + S.hex(16), sg: 'sg-0' + S.hex(16), ami: 'ami-0' + S.hex(16), az: r + 'a' };
}

// ---------------------------------------------------------------- story helpers
/** AssumeRole; a cross-account call is logged in both accounts. Returns the new session. */
function assumeRole({ t, callerUI, callerAcct, ro, sessionName, ip, ua, mfaSerial, duration = 3600 }) {
  const key = S.asia();
  const reqId = S.uuid();
  const req = { roleArn: ro.arn, roleSessionName: sessionName, durationSeconds: duration };
  if (mfaSerial) req.serialNumber = mfaSerial;
  const resp = {
    credentials: { accessKeyId: key, expiration: awsDate(t + duration * 1000) },
    assumedRoleUser: { assumedRoleId: `${ro.roleId}:${sessionName}`, arn: sessionArn(ro, sessionName) },
  };
  const resources = [{ accountId: ro.acct, type: 'AWS::IAM::Role', ARN: ro.arn }];
  const cross = callerAcct !== ro.acct;
  const shared = cross ? S.uuid() : undefined;
  const base = { t, region: 'us-east-1', src: 'sts.amazonaws.com', name: 'AssumeRole', ip, ua, req, resp, ro: true, resources, shared, reqId };
  const callerCopy = ev({ ...base, acct: callerAcct, ui: callerUI });
  let resourceCopy = null;
  if (cross) {
    resourceCopy = ev({ ...base, acct: ro.acct, ui: { type: 'AWSAccount', principalId: callerUI.principalId, accountId: callerAcct }, req: structuredClone(req), resp: structuredClone(resp), resources: structuredClone(resources) });
  }
  const ui = sessionUI(ro, sessionName, key, t, !!mfaSerial);
  return { key, ui, arn: ui.arn, event: callerCopy, copy: resourceCopy, t };
}

function iamCall(t, ui, ip, ua, name, req, resp, extra = {}) {
  return ev({ t, acct: extra.acct ?? ui.accountId, region: 'us-east-1', src: 'iam.amazonaws.com', name, ui, ip, ua, req, resp, ro: !!extra.ro, err: extra.err });
}
function createProfile(t, ui, ip, ua, p) {
  iamCall(t, ui, ip, ua, 'CreateInstanceProfile', { instanceProfileName: p.name, path: p.path }, {
    instanceProfile: { path: p.path, instanceProfileName: p.name, instanceProfileId: p.id, arn: p.arn, createDate: awsDate(t), roles: [] },
  });
  return iamCall(t + 1000 * S.int(2, 20), ui, ip, ua, 'AddRoleToInstanceProfile', { instanceProfileName: p.name, roleName: p.role });
}

/** RunInstances. profileRef: {name}|{arn}|undefined; profile: definition for the response. */
function runInstances({ t, region, ui, ip, ua, profileRef, profile, lt, instanceType = 't3.medium', err, asg, extraReq }) {
  const n = NET[region];
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
  Object.assign(req, extraReq ?? {});
  let resp = null;
  let instanceId = null;
  const reqId = S.uuid();
  if (!err) {
    instanceId = S.instanceId();
    const item = {
      instanceId,
      imageId: n.ami,
      instanceState: { code: 0, name: 'pending' },
      privateDnsName: `ip-10-0-${S.int(1, 254)}-${S.int(1, 254)}.${region === 'us-east-1' ? 'ec2' : region + '.compute'}.internal`,
      amiLaunchIndex: 0,
      productCodes: {},
      instanceType,
      launchTime: t,
      placement: { availabilityZone: n.az, tenancy: 'default' },
      monitoring: { state: 'disabled' },
      subnetId: n.subnet,
      vpcId: n.vpc,
      privateIpAddress: `10.0.${S.int(1, 254)}.${S.int(1, 254)}`,
      stateReason: { code: 'pending', message: 'pending' },
      architecture: 'x86_64',
      rootDeviceType: 'ebs',
      rootDeviceName: '/dev/xvda',
      blockDeviceMapping: {},
      virtualizationType: 'hvm',
      clientToken: req.clientToken,
      groupSet: { items: [{ groupId: n.sg, groupName: 'default' }] },
      sourceDestCheck: true,
      hypervisor: 'xen',
      networkInterfaceSet: { items: [{ networkInterfaceId: 'eni-0' + S.hex(16), subnetId: n.subnet, vpcId: n.vpc, status: 'in-use', sourceDestCheck: true, interfaceType: 'interface' }] },
      ebsOptimized: false,
      enaSupport: true,
      metadataOptions: { state: 'pending', httpTokens: 'required', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled' },
    };
    if (profile) item.iamInstanceProfile = { arn: profile.arn, id: profile.id };
    resp = { requestId: reqId, reservationId: 'r-0' + S.hex(16), ownerId: P, groupSet: {}, instancesSet: { items: [item] } };
    if (asg) resp.requesterId = '226008221399';
  }
  const rec = ev({ t, acct: P, region, src: 'ec2.amazonaws.com', name: 'RunInstances', ui, ip, ua, req, resp, err, reqId });
  return { rec, instanceId, region };
}

// ---------------------------------------------------------------- the story
const ids = {}; // named story event IDs
const opsMfa = `arn:aws:iam::${I}:mfa/ops-admin`;
function opsSession(t) {
  ev({ t: t - 1000 * S.int(5, 30), acct: I, region: 'us-east-1', src: 'sts.amazonaws.com', name: 'GetCallerIdentity', ui: opsAdmin.ui, ip: IP_OPS, ua: UA_CLI('sts.get-caller-identity'), ro: true });
  return assumeRole({ t, callerUI: opsAdmin.ui, callerAcct: I, ro: R.orgAdmin, sessionName: 'ops-admin', ip: IP_OPS, ua: UA_CLI('sts.assume-role'), mfaSerial: opsMfa });
}
const ec2cli = (cmd) => UA_CLI(`ec2.${cmd}`);
const inst = {}; // A..G

// --- 03-01
{
  const s = opsSession(T('2026-03-01T09:03:05Z'));
  iamCall(T('2026-03-01T09:05:40Z'), s.ui, IP_OPS, UA_CLI('iam.list-instance-profiles'), 'ListInstanceProfiles', null, null, { ro: true });
  ids.createWeb = iamCall(T('2026-03-01T09:10:22Z'), s.ui, IP_OPS, UA_CLI('iam.create-instance-profile'), 'CreateInstanceProfile',
    { instanceProfileName: profiles.web.name, path: profiles.web.path },
    { instanceProfile: { path: profiles.web.path, instanceProfileName: profiles.web.name, instanceProfileId: profiles.web.id, arn: profiles.web.arn, createDate: awsDate(T('2026-03-01T09:10:22Z')), roles: [] } }).eventID;
  ids.addWebRole = iamCall(T('2026-03-01T09:10:48Z'), s.ui, IP_OPS, UA_CLI('iam.add-role-to-instance-profile'), 'AddRoleToInstanceProfile', { instanceProfileName: profiles.web.name, roleName: profiles.web.role }).eventID;
  iamCall(T('2026-03-01T09:12:03Z'), s.ui, IP_OPS, UA_CLI('iam.create-instance-profile'), 'CreateInstanceProfile',
    { instanceProfileName: profiles.staging.name, path: profiles.staging.path },
    { instanceProfile: { path: '/', instanceProfileName: profiles.staging.name, instanceProfileId: profiles.staging.id, arn: profiles.staging.arn, createDate: awsDate(T('2026-03-01T09:12:03Z')), roles: [] } });
  iamCall(T('2026-03-01T09:12:30Z'), s.ui, IP_OPS, UA_CLI('iam.add-role-to-instance-profile'), 'AddRoleToInstanceProfile', { instanceProfileName: profiles.staging.name, roleName: profiles.staging.role });
  // Late-evening launch: its file is delivered on 03-02 (next day's folder).
  const s2 = opsSession(T('2026-03-01T23:50:10Z'));
  inst.A = runInstances({ t: T('2026-03-01T23:56:41Z'), region: 'us-west-2', ui: s2.ui, ip: IP_OPS, ua: ec2cli('run-instances'), profileRef: { name: profiles.web.name }, profile: profiles.web });
}
// --- 03-02
{
  const s = opsSession(T('2026-03-02T09:05:14Z'));
  inst.B = runInstances({ t: T('2026-03-02T09:20:15Z'), region: 'eu-west-1', ui: s.ui, ip: IP_OPS, ua: ec2cli('run-instances'), profileRef: { arn: profiles.web.arn }, profile: profiles.web });
  inst.C = runInstances({ t: T('2026-03-02T09:31:50Z'), region: 'us-east-1', ui: s.ui, ip: IP_OPS, ua: ec2cli('run-instances') });
  const assocReq = S.uuid();
  const assoc = ev({
    t: T('2026-03-02T09:38:07Z'), acct: P, region: 'us-east-1', src: 'ec2.amazonaws.com', name: 'AssociateIamInstanceProfile', ui: s.ui, ip: IP_OPS, ua: ec2cli('associate-iam-instance-profile'),
    req: { AssociateIamInstanceProfileRequest: { InstanceId: inst.C.instanceId, IamInstanceProfile: { Name: profiles.web.name } } },
    resp: { AssociateIamInstanceProfileResponse: { xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/', requestId: assocReq, iamInstanceProfileAssociation: { associationId: 'iip-assoc-0' + S.hex(16), instanceId: inst.C.instanceId, iamInstanceProfile: { arn: profiles.web.arn, id: profiles.web.id }, state: 'associating' } } },
    reqId: assocReq,
  });
  inst.C.bindEvent = assoc;
  const ltReq = S.uuid();
  ids.ltId = 'lt-0' + S.hex(16);
  const ltT = T('2026-03-02T09:45:30Z');
  ids.createLt = ev({
    t: ltT, acct: P, region: 'us-west-2', src: 'ec2.amazonaws.com', name: 'CreateLaunchTemplate', version: '1.11', ui: s.ui, ip: IP_OPS, ua: ec2cli('create-launch-template'),
    req: { CreateLaunchTemplateRequest: { LaunchTemplateName: 'web-app-lt', LaunchTemplateData: { ImageId: NET['us-west-2'].ami, InstanceType: 't3.medium', IamInstanceProfile: { Name: profiles.web.name }, SecurityGroupId: { tag: 1, content: NET['us-west-2'].sg } }, ClientToken: S.uuid() } },
    resp: { CreateLaunchTemplateResponse: { xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/', requestId: ltReq, launchTemplate: { createTime: new Date(ltT).toISOString(), createdBy: s.arn, launchTemplateId: ids.ltId, latestVersionNumber: 1, defaultVersionNumber: 1, launchTemplateName: 'web-app-lt', operator: { managed: false } } } },
    reqId: ltReq,
  }).eventID;
}
// EKS creates its node group profile (03-02)
function eksSession(t) { return sessionUI(R.eks, 'EKS', S.asia(), t - 1000 * S.int(1, 40), false, { invokedBy: 'eks-nodegroup.amazonaws.com' }); }
{
  const t = T('2026-03-02T10:30:02Z');
  const ui = eksSession(t);
  createProfile(t, ui, 'eks-nodegroup.amazonaws.com', 'eks-nodegroup.amazonaws.com', profiles.eks);
}
// Terraform via GitHub Actions, daily from 192.0.2.20
const tf = {};
function terraformRun(day, hhmm) {
  const t0 = T(`${day}T${hhmm}:00Z`) + 1000 * S.int(0, 50);
  const k1 = S.asia();
  const ghaSession = sessionUI(R.gha, 'GitHubActions', k1, t0, false, { webId: { federatedProvider: WEBID.providerArn, attributes: {} } });
  const webIdEvent = ev({
    t: t0, acct: C, region: 'us-east-1', src: 'sts.amazonaws.com', name: 'AssumeRoleWithWebIdentity', ui: WEBID.ui, ip: IP_TF, ua: UA_GHA,
    req: { roleArn: R.gha.arn, roleSessionName: 'GitHubActions', durationSeconds: 3600 },
    resp: {
      credentials: { accessKeyId: k1, expiration: awsDate(t0 + HOUR) },
      subjectFromWebIdentityToken: WEBID.sub,
      assumedRoleUser: { assumedRoleId: `${R.gha.roleId}:GitHubActions`, arn: ghaSession.arn },
      provider: WEBID.providerArn,
      audience: WEBID.aud,
    },
    ro: true, resources: [{ accountId: C, type: 'AWS::IAM::Role', ARN: R.gha.arn }],
    add: { identityProviderConnectionVerificationMethod: 'IAMTrustStore' },
  });
  ev({ t: t0 + 4000, acct: C, region: 'us-east-1', src: 'sts.amazonaws.com', name: 'GetCallerIdentity', ui: ghaSession, ip: IP_TF, ua: UA_GHA, ro: true });
  const s = assumeRole({ t: t0 + 1000 * S.int(20, 40), callerUI: ghaSession, callerAcct: C, ro: R.tfDeploy, sessionName: `tf-${day.replaceAll('-', '')}-${S.int(1000, 9999)}`, ip: IP_TF, ua: UA_TF('sts#1.28.4') });
  let t = s.t + 1000 * S.int(5, 15);
  const reads = [
    ['iam.amazonaws.com', 'GetRole', { roleName: 'batch-worker-role' }, 'us-east-1', 'iam#1.31.2'],
    ['iam.amazonaws.com', 'ListAttachedRolePolicies', { roleName: 'batch-worker-role' }, 'us-east-1', 'iam#1.31.2'],
    ['ec2.amazonaws.com', 'DescribeVpcs', { vpcSet: {}, filterSet: {} }, 'us-east-1', 'ec2#1.151.1'],
    ['ec2.amazonaws.com', 'DescribeSubnets', { subnetSet: {}, filterSet: {} }, 'us-east-1', 'ec2#1.151.1'],
  ];
  for (const [src, name, req, region, api] of reads) {
    ev({ t, acct: P, region, src, name, ui: s.ui, ip: IP_TF, ua: UA_TF(api), req, ro: true });
    t += 1000 * S.int(1, 4);
  }
  return { session: s, ghaSession, webIdEvent, t };
}
for (const day of ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08']) {
  const run = terraformRun(day, '14:0' + S.int(0, 3));
  tf[day] = run;
  if (day === '2026-03-02') {
    createProfile(run.t + 20_000, run.session.ui, IP_TF, UA_TF('iam#1.31.2'), profiles.batch);
    inst.G = runInstances({ t: run.t + 95_000, region: 'us-east-1', ui: run.session.ui, ip: IP_TF, ua: UA_TF('ec2#1.151.1'), profileRef: { name: profiles.batch.name }, profile: profiles.batch, instanceType: 'c6i.large' });
  }
}
// --- 03-03
{
  const s = opsSession(T('2026-03-03T10:00:20Z'));
  ids.createLc = ev({
    t: T('2026-03-03T10:11:00Z'), acct: P, region: 'us-west-2', src: 'autoscaling.amazonaws.com', name: 'CreateLaunchConfiguration', ui: s.ui, ip: IP_OPS, ua: UA_CLI('autoscaling.create-launch-configuration'),
    req: { launchConfigurationName: 'web-app-lc', imageId: NET['us-west-2'].ami, securityGroups: [NET['us-west-2'].sg], instanceType: 't3.medium', instanceMonitoring: { enabled: true }, iamInstanceProfile: profiles.web.name, ebsOptimized: false },
  }).eventID;
  ev({
    t: T('2026-03-03T10:15:20Z'), acct: P, region: 'us-west-2', src: 'autoscaling.amazonaws.com', name: 'CreateAutoScalingGroup', ui: s.ui, ip: IP_OPS, ua: UA_CLI('autoscaling.create-auto-scaling-group'),
    req: { autoScalingGroupName: 'web-app-asg', launchTemplate: { launchTemplateId: ids.ltId, version: '$Default' }, minSize: 1, maxSize: 4, desiredCapacity: 1, vPCZoneIdentifier: NET['us-west-2'].subnet },
  });
  inst.F = runInstances({ t: T('2026-03-03T10:15:31Z'), region: 'us-west-2', ui: asgUI(T('2026-03-03T10:15:29Z')), ip: 'autoscaling.amazonaws.com', ua: 'autoscaling.amazonaws.com', lt: { launchTemplateId: ids.ltId, version: '$Default' }, profile: profiles.web, asg: 'web-app-asg' });
  inst.D = runInstances({ t: T('2026-03-03T10:40:00Z'), region: 'us-west-2', ui: s.ui, ip: IP_OPS, ua: ec2cli('run-instances'), profileRef: { name: profiles.web.name }, profile: profiles.web });
  inst.E = runInstances({ t: T('2026-03-03T10:42:10Z'), region: 'us-west-2', ui: s.ui, ip: IP_OPS, ua: ec2cli('run-instances'), profileRef: { name: profiles.staging.name }, profile: profiles.staging });
}
function asgUI(t) { return sessionUI(R.asg, 'AutoScaling', S.asia(), t - 1000 * S.int(1, 300), false, { invokedBy: 'autoscaling.amazonaws.com' }); }
// --- 03-04
{
  const s = opsSession(T('2026-03-04T09:30:44Z'));
  ev({ t: T('2026-03-04T09:40:02Z'), acct: P, region: 'us-west-2', src: 'ec2.amazonaws.com', name: 'DescribeInstances', ui: s.ui, ip: IP_OPS, ua: ec2cli('describe-instances'), req: { instancesSet: {}, filterSet: {} }, ro: true });
  const tq = S.uuid();
  ids.terminateD = ev({
    t: T('2026-03-04T09:47:19Z'), acct: P, region: 'us-west-2', src: 'ec2.amazonaws.com', name: 'TerminateInstances', ui: s.ui, ip: IP_OPS, ua: ec2cli('terminate-instances'),
    req: { instancesSet: { items: [{ instanceId: inst.D.instanceId }] } },
    resp: { requestId: tq, instancesSet: { items: [{ instanceId: inst.D.instanceId, currentState: { code: 32, name: 'shutting-down' }, previousState: { code: 16, name: 'running' } }] } },
    reqId: tq,
  }).eventID;
}
// deploy-bot's old key: a daily CI heartbeat from 192.0.2.30 (a second key of the same user)
const deployBotOldUI = iamUser(I, 'deploy-bot', deployBot.pid, deployBot.oldKey);
for (let d = 1; d <= 8; d++) {
  const t = T(`2026-03-0${d}T06:00:00Z`) + 1000 * S.int(0, 600);
  ev({ t, acct: I, region: 'us-east-1', src: 'sts.amazonaws.com', name: 'GetCallerIdentity', ui: deployBotOldUI, ip: IP_CI, ua: UA_GO, ro: true });
}

// --- 03-05 attack, part 1: the ops-admin key from a new IP
const attIdsCred = [];
{
  const ui = opsAdmin.ui;
  ev({ t: T('2026-03-05T02:05:11Z'), acct: I, region: 'us-east-1', src: 'sts.amazonaws.com', name: 'GetCallerIdentity', ui, ip: IP_ATT, ua: UA_BOTO, ro: true });
  iamCall(T('2026-03-05T02:06:30Z'), ui, IP_ATT, UA_BOTO, 'ListUsers', null, null, { ro: true });
  iamCall(T('2026-03-05T02:07:02Z'), ui, IP_ATT, UA_BOTO, 'ListAccessKeys', { userName: 'deploy-bot' }, null, { ro: true });
  iamCall(T('2026-03-05T02:07:40Z'), ui, IP_ATT, UA_BOTO, 'ListAttachedUserPolicies', { userName: 'deploy-bot' }, null, { ro: true });
  iamCall(T('2026-03-05T02:08:15Z'), ui, IP_ATT, UA_BOTO, 'ListMFADevices', { userName: 'ops-admin' }, null, { ro: true });
  const ct = T('2026-03-05T02:12:00Z');
  const cak = iamCall(ct, ui, IP_ATT, UA_BOTO, 'CreateAccessKey', { userName: 'deploy-bot' },
    { accessKey: { accessKeyId: deployBot.newKey, status: 'Active', userName: 'deploy-bot', createDate: awsDate(ct) } });
  ids.createAccessKey = cak.eventID;
  ids.createAccessKeyTime = cak.eventTime;
  ids.deactivateMfa = iamCall(T('2026-03-05T02:13:27Z'), ui, IP_ATT, UA_BOTO, 'DeactivateMFADevice', { userName: 'ops-admin', serialNumber: opsMfa }).eventID;
  ids.updateLoginProfile = iamCall(T('2026-03-05T02:14:45Z'), ui, IP_ATT, UA_BOTO, 'UpdateLoginProfile', { userName: 'deploy-bot', passwordResetRequired: false }).eventID;
  attIdsCred.push(ids.createAccessKey, ids.deactivateMfa, ids.updateLoginProfile);
}
const deployBotNewUI = iamUser(I, 'deploy-bot', deployBot.pid, deployBot.newKey);
ev({ t: T('2026-03-05T02:21:09Z'), acct: I, region: 'us-east-1', src: 'sts.amazonaws.com', name: 'GetCallerIdentity', ui: deployBotNewUI, ip: IP_ATT, ua: UA_BOTO, ro: true });

// --- 03-06 attack, part 2: deploy-bot -> OrgAdminAccess -> InfraAdmin -> delete
const att = {};
{
  att.s1 = assumeRole({ t: T('2026-03-06T03:05:33Z'), callerUI: deployBotNewUI, callerAcct: I, ro: R.orgAdmin, sessionName: 'deploy-bot', ip: IP_ATT, ua: UA_BOTO });
  iamCall(T('2026-03-06T03:06:10Z'), att.s1.ui, IP_ATT, UA_BOTO, 'ListRoles', null, null, { ro: true });
  att.s2 = assumeRole({ t: T('2026-03-06T03:09:02Z'), callerUI: att.s1.ui, callerAcct: P, ro: R.infraAdmin, sessionName: 'maint', ip: IP_ATT, ua: UA_BOTO });
  const ui = att.s2.ui;
  iamCall(T('2026-03-06T03:11:10Z'), ui, IP_ATT, UA_BOTO, 'ListInstanceProfiles', null, null, { ro: true });
  iamCall(T('2026-03-06T03:11:48Z'), ui, IP_ATT, UA_BOTO, 'GetInstanceProfile', { instanceProfileName: profiles.web.name }, null, { ro: true });
  att.conflict = iamCall(T('2026-03-06T03:12:40Z'), ui, IP_ATT, UA_BOTO, 'DeleteInstanceProfile', { instanceProfileName: profiles.web.name }, null,
    { err: ['DeleteConflict', 'Cannot delete entity, must remove roles from instance profile first.'] });
  att.remove = iamCall(T('2026-03-06T03:13:30Z'), ui, IP_ATT, UA_BOTO, 'RemoveRoleFromInstanceProfile', { instanceProfileName: profiles.web.name, roleName: profiles.web.role });
  att.deleted = iamCall(T('2026-03-06T03:14:15Z'), ui, IP_ATT, UA_BOTO, 'DeleteInstanceProfile', { instanceProfileName: profiles.web.name }, null);
  att.denied = iamCall(T('2026-03-06T03:16:02Z'), ui, IP_ATT, UA_BOTO, 'DeleteInstanceProfile', null, null, {
    err: ['AccessDenied', `User: ${ui.arn} is not authorized to perform: iam:DeleteInstanceProfile on resource: instance profile db-profile because no identity-based policy allows the iam:DeleteInstanceProfile action`],
  });
  ev({ t: T('2026-03-06T03:17:30Z'), acct: P, region: 'us-west-2', src: 'ec2.amazonaws.com', name: 'DescribeInstances', ui, ip: IP_ATT, ua: UA_BOTO, req: { instancesSet: {}, filterSet: {} }, ro: true });
}

// --- after the deletion: failing launches
const failed = [];
for (const ts of ['2026-03-06T03:20:05Z', '2026-03-06T15:41:27Z', '2026-03-07T06:02:44Z']) {
  const t = T(ts);
  failed.push(runInstances({ t, region: 'us-west-2', ui: asgUI(t - 2000), ip: 'autoscaling.amazonaws.com', ua: 'autoscaling.amazonaws.com', lt: { launchTemplateId: ids.ltId, version: '$Default' }, asg: 'web-app-asg', err: PROFILE_ERR(profiles.web.name) }));
}
const jsmith = sessionUI(R.ssoPower, 'jsmith@acme.example', S.asia(), T('2026-03-07T10:01:12Z'), false);
failed.push(runInstances({ t: T('2026-03-07T10:15:09Z'), region: 'eu-west-1', ui: jsmith, ip: '198.51.100.44', ua: ec2cli('run-instances'), profileRef: { name: profiles.web.name }, err: PROFILE_ERR(profiles.web.name) }));
const capacityFail = runInstances({
  t: T('2026-03-07T10:22:30Z'), region: 'us-west-2', ui: jsmith, ip: '198.51.100.44', ua: ec2cli('run-instances'), profileRef: { name: profiles.staging.name }, instanceType: 'p4d.24xlarge',
  err: ['Server.InsufficientInstanceCapacity', 'We currently do not have sufficient p4d.24xlarge capacity in the Availability Zone you requested (us-west-2a). Our system will be working on provisioning additional capacity. You can currently get p4d.24xlarge capacity by not specifying an Availability Zone in your request or choosing us-west-2b, us-west-2c.'],
});

// --- 03-07 Terraform destroys batch-worker (its daily run's session)
const tfDel = {};
{
  const run = tf['2026-03-07'];
  const ui = run.session.ui;
  const tq = S.uuid();
  const tt = run.t + 30_000;
  tfDel.terminate = ev({
    t: tt, acct: P, region: 'us-east-1', src: 'ec2.amazonaws.com', name: 'TerminateInstances', ui, ip: IP_TF, ua: UA_TF('ec2#1.151.1'),
    req: { instancesSet: { items: [{ instanceId: inst.G.instanceId }] } },
    resp: { requestId: tq, instancesSet: { items: [{ instanceId: inst.G.instanceId, currentState: { code: 32, name: 'shutting-down' }, previousState: { code: 16, name: 'running' } }] } },
    reqId: tq,
  });
  tfDel.remove = iamCall(tt + 98_000, ui, IP_TF, UA_TF('iam#1.31.2'), 'RemoveRoleFromInstanceProfile', { instanceProfileName: profiles.batch.name, roleName: profiles.batch.role });
  tfDel.deleted = iamCall(tt + 99_000, ui, IP_TF, UA_TF('iam#1.31.2'), 'DeleteInstanceProfile', { instanceProfileName: profiles.batch.name }, null);
  tfDel.run = run;
}
// --- 03-07 23:58 EKS deletes its node group profile (delivered on 03-08)
const eksDel = {};
{
  const t = T('2026-03-07T23:58:20Z');
  const ui = eksSession(t);
  eksDel.ui = ui;
  iamCall(t - 1000, ui, 'eks-nodegroup.amazonaws.com', 'eks-nodegroup.amazonaws.com', 'RemoveRoleFromInstanceProfile', { instanceProfileName: profiles.eks.name, roleName: profiles.eks.role });
  eksDel.deleted = iamCall(t, ui, 'eks-nodegroup.amazonaws.com', 'eks-nodegroup.amazonaws.com', 'DeleteInstanceProfile', { instanceProfileName: profiles.eks.name }, null);
}

// ---------------------------------------------------------------- noise
const KMS_KEYS = {};
for (const a of ACCOUNTS) for (const r of REGIONS) KMS_KEYS[a + r] = `arn:aws:kms:${r}:${a}:key/${N.uuid()}`;
const ssoRO = role(P, 'AWSReservedSSO_ReadOnlyAccess_3e1a9c6b2d4f5a70', N.uid('AROA'), '/aws-reserved/sso.amazonaws.com/');
const configRoles = Object.fromEntries(ACCOUNTS.map((a) => [a, role(a, 'AWSServiceRoleForConfig', N.uid('AROA'), '/aws-service-role/config.amazonaws.com/')]));
const monRole = role(P, 'monitoring-agent-role', N.uid('AROA'));
const monInstances = [N.instanceId(), N.instanceId(), N.instanceId(), N.instanceId()];
const consoleUsers = [
  { name: 'analyst-jane', pid: N.uid('AIDA') },
  { name: 'bob-sre', pid: N.uid('AIDA') },
  { name: 'carol-finops', pid: N.uid('AIDA') },
];
const ciRunner = { pid: N.uid('AIDA'), key: N.akia() };
const svcRoles = [
  { svc: 'lambda.amazonaws.com', ro: role(P, 'order-processor-lambda-role', N.uid('AROA')), session: 'order-processor' },
  { svc: 'lambda.amazonaws.com', ro: role(C, 'artifact-pruner-role', N.uid('AROA')), session: 'artifact-pruner' },
  { svc: 'ec2.amazonaws.com', ro: monRole, session: null },
  { svc: 'ssm.amazonaws.com', ro: role(I, 'ssm-automation-role', N.uid('AROA')), session: 'ssm-automation' },
];
const OTHER_ROLES = ['monitoring-agent-role', 'order-processor-lambda-role', 'ReadOnlyAuditor', 'batch-worker-role', 'ssm-automation-role'];
const OTHER_PROFILES = ['db-profile', 'monitoring-profile', 'bastion-profile'];

const EC2_READS = [
  ['DescribeInstances', () => ({ instancesSet: {}, filterSet: {} })],
  ['DescribeVolumes', () => ({ volumeSet: {}, filterSet: {} })],
  ['DescribeSecurityGroups', () => ({ securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} })],
  ['DescribeSubnets', () => ({ subnetSet: {}, filterSet: {} })],
  ['DescribeVpcs', () => ({ vpcSet: {}, filterSet: {} })],
  ['DescribeRegions', () => ({ regionSet: {} })],
  ['DescribeAvailabilityZones', () => ({ availabilityZoneSet: {}, availabilityZoneIdSet: {} })],
  ['DescribeImages', () => ({ executableBySet: {}, imagesSet: {}, ownersSet: { items: [{ owner: 'self' }] }, filterSet: {} })],
  ['DescribeTags', () => ({ filterSet: {} })],
  ['DescribeNetworkInterfaces', () => ({ networkInterfaceIdSet: {}, filterSet: {} })],
  ['DescribeInstanceStatus', () => ({ instancesSet: {}, filterSet: {}, includeAllInstances: false })],
  ['DescribeSnapshots', () => ({ snapshotSet: {}, ownersSet: { items: [{ owner: 'self' }] }, filterSet: {} })],
  ['DescribeLaunchTemplates', () => ({ DescribeLaunchTemplatesRequest: { MaxResults: 100 } })],
  ['DescribeAddresses', () => ({ publicIpsSet: {}, allocationIdsSet: {}, filterSet: {} })],
];
const IAM_READS = [
  ['ListRoles', () => null],
  ['ListUsers', () => null],
  ['GetAccountSummary', () => null],
  ['ListPolicies', () => ({ scope: 'Local', onlyAttached: false })],
  ['ListInstanceProfiles', () => null],
  ['GetRole', () => ({ roleName: N.pick(OTHER_ROLES) })],
  ['ListAttachedRolePolicies', () => ({ roleName: N.pick(OTHER_ROLES) })],
  ['GetInstanceProfile', () => ({ instanceProfileName: N.pick(OTHER_PROFILES) })],
  ['ListAccountAliases', () => null],
  ['GetAccountPasswordPolicy', () => null],
];

/** A noise actor yields, for one burst, a base (account, identity, ip, ua) and a per-record event maker. */
/**
 * Noise actors. make() returns one burst: a single (account, region) so that a burst lands in one
 * delivery file, like a real sweep; n is the burst size range; one(t) makes one record's fields.
 */
const ACTORS = [
  { w: 4, n: [20, 70], make: () => { // Identity Center read-only console user in production
    const who = N.pick(['alice@acme.example', 'dmitri@acme.example']);
    const ui = sessionUI(ssoRO, who, N.asia(), 0, false);
    const region = N.pick(REGIONS);
    return { created: true, ui, acct: P, region, ip: IP_SSO, console: true, one: () => {
      if (region !== 'us-east-1' || N.chance(0.6)) { const [name, req] = N.pick(EC2_READS); return { src: 'ec2.amazonaws.com', name, req: req(), ua: UA_CONSOLE_SVC, ro: true }; }
      const [name, req] = N.pick(IAM_READS); return { src: 'iam.amazonaws.com', name, req: req(), ua: UA_CONSOLE_SVC, ro: true };
    } };
  } },
  { w: 4, n: [40, 110], make: () => { // AWS Config recorder (service-linked role) in any account/region
    const acct = N.pick(ACCOUNTS);
    const ui = sessionUI(configRoles[acct], 'AWSConfig-Describe', N.asia(), 0, false, { invokedBy: 'config.amazonaws.com' });
    const region = N.pick(REGIONS);
    return { created: true, ui, acct, region, ip: 'config.amazonaws.com', one: () => {
      if (region !== 'us-east-1' || N.chance(0.7)) { const [name, req] = N.pick(EC2_READS); return { src: 'ec2.amazonaws.com', name, req: req(), ua: 'config.amazonaws.com', ro: true }; }
      const [name, req] = N.pick(IAM_READS.slice(0, 8)); return { src: 'iam.amazonaws.com', name, req: req(), ua: 'config.amazonaws.com', ro: true };
    } };
  } },
  { w: 3, n: [10, 40], make: () => { // KMS used by services
    const acct = N.pick(ACCOUNTS);
    const region = N.pick(REGIONS);
    const key = KMS_KEYS[acct + region];
    const res = [{ accountId: acct, type: 'AWS::KMS::Key', ARN: key }];
    return { acct, region, one: () => {
      if (N.chance(0.5)) {
        return { ui: awsService('cloudtrail.amazonaws.com'), ip: 'cloudtrail.amazonaws.com', ua: 'cloudtrail.amazonaws.com', src: 'kms.amazonaws.com', name: 'GenerateDataKey',
          req: { keyId: key, encryptionContext: { 'aws:cloudtrail:arn': `arn:aws:cloudtrail:us-east-1:${I}:trail/${TRAIL}` }, keySpec: 'AES_256' }, ro: true, resources: res };
      }
      return { ui: awsService('ec2.amazonaws.com'), ip: 'ec2.amazonaws.com', ua: 'ec2.amazonaws.com', src: 'kms.amazonaws.com', name: 'Decrypt',
        req: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: { 'aws:ebs:id': 'vol-0' + N.hex(16) } }, ro: true, resources: res };
    } };
  } },
  { w: 1, n: [1, 3], make: () => ({ acct: I, region: 'us-east-1', one: () => ({ // CloudTrail checking its bucket
    ui: awsService('cloudtrail.amazonaws.com'), ip: 'cloudtrail.amazonaws.com', ua: 'cloudtrail.amazonaws.com', src: 's3.amazonaws.com', name: 'GetBucketAcl',
    req: { bucketName: BUCKET, Host: `${BUCKET}.s3.amazonaws.com`, acl: '' }, ro: true, reqId: N.chars('0123456789ABCDEF', 16),
    add: { SignatureVersion: 'SigV4', CipherSuite: 'TLS_AES_128_GCM_SHA256', bytesTransferredIn: 0, AuthenticationMethod: 'AuthHeader', 'x-amz-id-2': N.chars(ALNUM, 56) + '=', bytesTransferredOut: 550 },
    resources: [{ accountId: I, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${BUCKET}` }],
  }) }) },
  { w: 2, n: [3, 12], make: () => { // AWS services assuming their roles
    const s = N.pick(svcRoles);
    return { acct: s.ro.acct, region: N.pick(REGIONS), one: () => {
      const session = s.session ?? N.pick(monInstances);
      const key = N.asia();
      return { ui: awsService(s.svc), ip: s.svc, ua: s.svc, src: 'sts.amazonaws.com', name: 'AssumeRole', ro: true,
        req: { roleArn: s.ro.arn, roleSessionName: session }, respAt: (t) => ({ credentials: { accessKeyId: key, expiration: awsDate(t + 6 * HOUR) }, assumedRoleUser: { assumedRoleId: `${s.ro.roleId}:${session}`, arn: sessionArn(s.ro, session) } }),
        resources: [{ accountId: s.ro.acct, type: 'AWS::IAM::Role', ARN: s.ro.arn }] };
    } };
  } },
  { w: 2, n: [10, 40], make: () => { // console users in the identity account: sign-in, browsing, some denials
    const u = N.pick(consoleUsers);
    const arn = `arn:aws:iam::${I}:user/${u.name}`;
    const key = N.asia();
    let first = true;
    const ip = `198.51.100.${N.int(120, 140)}`;
    return { acct: I, region: 'us-east-1', ip, one: (t) => {
      if (first) {
        first = false;
        const ok = N.chance(0.92);
        return { ui: { type: 'IAMUser', principalId: u.pid, arn, accountId: I, userName: u.name }, ua: UA_CONSOLE, src: 'signin.amazonaws.com', name: 'ConsoleLogin', type: 'AwsConsoleSignIn',
          resp: { ConsoleLogin: ok ? 'Success' : 'Failure' }, errorMessageOnly: ok ? undefined : 'Failed authentication',
          add: { LoginTo: 'https://console.aws.amazon.com/console/home?region=us-east-1', MobileVersion: 'No', ...(ok ? { MFAIdentifier: `arn:aws:iam::${I}:mfa/${u.name}` } : {}), MFAUsed: ok ? 'Yes' : 'No' } };
      }
      const ui = { type: 'IAMUser', principalId: u.pid, arn, accountId: I, accessKeyId: key, userName: u.name, sessionContext: { attributes: { creationDate: iso(t - 60_000), mfaAuthenticated: 'true' } } };
      const [name, req] = N.pick(IAM_READS);
      if (N.chance(0.15) && ['ListRoles', 'ListPolicies', 'GetRole', 'ListAttachedRolePolicies'].includes(name)) {
        return { ui, ua: UA_CONSOLE_SVC, src: 'iam.amazonaws.com', name, req: null, console: true, ro: true,
          err: ['AccessDenied', `User: ${arn} is not authorized to perform: iam:${name} on resource: arn:aws:iam::${I}:role/ because no identity-based policy allows the iam:${name} action`] };
      }
      return { ui, ua: UA_CONSOLE_SVC, src: 'iam.amazonaws.com', name, req: req(), console: true, ro: true };
    } };
  } },
  { w: 3, n: [10, 40], make: () => { // CI runner IAM user in the CI account
    const ui = iamUser(C, 'ci-runner', ciRunner.pid, ciRunner.key);
    const region = N.pick(REGIONS);
    return { acct: C, region, ui, ip: IP_CI, one: () => {
      const x = N.next();
      if (x < 0.3) return { src: 'sts.amazonaws.com', name: 'GetCallerIdentity', ua: UA_GO, ro: true };
      if (x < 0.55) return { src: 'ecr.amazonaws.com', name: 'GetAuthorizationToken', ua: UA_GO, ro: true, req: { registryIds: [C] } };
      if (x < 0.9) return { src: 'ec2.amazonaws.com', name: 'DescribeImages', ua: UA_GO, ro: true, req: EC2_READS[7][1]() };
      return { src: 'ec2.amazonaws.com', name: 'DescribeInstances', ua: UA_GO, ro: true, req: { instancesSet: {}, filterSet: {} },
        err: ['Client.UnauthorizedOperation', `You are not authorized to perform this operation. User: ${ui.arn} is not authorized to perform: ec2:DescribeInstances because no identity-based policy allows the ec2:DescribeInstances action`] };
    } };
  } },
  { w: 2, n: [10, 30], make: () => { // monitoring agent on an instance (instance-role session)
    const iid = N.pick(monInstances);
    const region = N.pick(REGIONS);
    const ui = sessionUI(monRole, iid, N.asia(), 0, false);
    return { created: true, ui, acct: P, region, ip: `198.51.100.${N.int(200, 220)}`, one: () => {
      const x = N.next();
      if (x < 0.5) return { src: 'ec2.amazonaws.com', name: 'DescribeTags', ua: UA_GO, ro: true, req: { filterSet: { items: [{ name: 'resource-id', valueSet: { items: [{ value: iid }] } }] } } };
      if (x < 0.8) return { src: 'ec2.amazonaws.com', name: 'DescribeInstances', ua: UA_GO, ro: true, req: { instancesSet: { items: [{ instanceId: iid }] }, filterSet: {} } };
      return { src: 'sts.amazonaws.com', name: 'GetCallerIdentity', ua: UA_GO, ro: true };
    } };
  } },
];
const W = ACTORS.reduce((s, a) => s + a.w, 0);
function pickActor() { let x = N.next() * W; for (const a of ACTORS) { x -= a.w; if (x < 0) return a; } return ACTORS[ACTORS.length - 1]; }

let noiseCount = 0;
while (noiseCount < noiseTarget) {
  const def = pickActor();
  const actor = def.make();
  const n = Math.min(N.int(def.n[0], def.n[1]), noiseTarget - noiseCount);
  // Start just after a 5-minute boundary and pace the burst to end inside the window: one file per burst.
  const win = Math.floor((START + Math.floor(N.next() * (END - START - 10 * MIN))) / WINDOW) * WINDOW;
  let t = win + 1000 * N.int(0, 20);
  const step = Math.max(1, Math.floor(270 / n));
  if (actor.created) actor.ui.sessionContext.attributes.creationDate = iso(t - 1000 * N.int(30, 1800));
  for (let i = 0; i < n; i++) {
    const e = actor.one(t);
    const rec = mk(N, {
      t, acct: actor.acct, region: actor.region, ui: e.ui ?? actor.ui, ip: e.ip ?? actor.ip, ua: e.ua, src: e.src, name: e.name,
      req: e.req, resp: e.respAt ? e.respAt(t) : e.resp, err: e.err, ro: e.ro, add: e.add, resources: e.resources, type: e.type, reqId: e.reqId,
      console: e.console ?? actor.console,
    });
    if (e.errorMessageOnly) { // ConsoleLogin failure: errorMessage without errorCode, right after userAgent
      const ordered = {};
      for (const [k, v] of Object.entries(rec)) { ordered[k] = v; if (k === 'userAgent') ordered.errorMessage = e.errorMessageOnly; }
      emit(ordered, false);
    } else emit(rec, false);
    noiseCount++;
    t += 1000 * N.int(1, step);
  }
}

// ---------------------------------------------------------------- files
const stampS = (ms) => stamp(ms).slice(0, -1) + pad(new Date(ms).getUTCSeconds()) + 'Z';
const logFiles = []; // {acct, region, key (s3 object), delivered, body (uncompressed string), records, oldest, newest, duplicateOf}
const logKey = (acct, region, delivered, suffix) => logObjectKey(`AWSLogs/${ORG}/`, acct, region, delivered, suffix);
for (const { acct, region, delivered, suffix, records: recs } of deliveryFiles(all, F)) {
  const times = recs.map((r) => r.eventTime).sort();
  const body = JSON.stringify({ Records: recs });
  logFiles.push({ acct, region, key: logKey(acct, region, delivered, suffix), delivered, body, records: recs, oldest: times[0], newest: times[times.length - 1], duplicateOf: null });
}
// Duplicate deliveries: the files holding the successful web-app-profile deletion and the CreateAccessKey, plus two noise files.
const fileOf = (eventId) => logFiles.find((f) => f.records.some((r) => r.eventID === eventId));
const dupSources = [fileOf(att.deleted.eventID), fileOf(ids.createAccessKey)];
const noiseFiles = logFiles.filter((f) => f.records.every((r) => !storyIds.has(r.eventID)) && f.records.length >= 5);
while (dupSources.length < 4 && noiseFiles.length) {
  const f = noiseFiles.splice(F.int(0, noiseFiles.length - 1), 1)[0];
  if (!dupSources.includes(f)) dupSources.push(f);
}
for (const src of dupSources) {
  const delivered = src.delivered + 1000 * F.int(300, 1800);
  logFiles.push({ ...src, key: logKey(src.acct, src.region, delivered, F.chars(ALNUM, 16)), delivered, duplicateOf: src.key });
}
logFiles.sort((a, b) => a.delivered - b.delivered || a.key.localeCompare(b.key));

// ---------------------------------------------------------------- digests
const lastDelivery = Math.max(...logFiles.map((f) => f.delivered));
const digestFiles = [];
const sha256 = (s) => crypto.createHash('sha256').update(s).digest('hex');
for (const [acct, region] of DIGEST_SCOPE) {
  const fingerprint = D.hex(32);
  let prev = null;
  let start = START;
  for (let h = START + HOUR; start <= lastDelivery; h += HOUR) {
    const end = h + 1000 * D.int(5, 50);
    const files = logFiles.filter((f) => f.acct === acct && f.region === region && f.delivered >= start && f.delivered < end);
    const key = `AWSLogs/${ORG}/${acct}/CloudTrail-Digest/${region}/${ymd(end)}/${acct}_CloudTrail-Digest_${region}_${TRAIL}_${HOME}_${stampS(end)}.json.gz`;
    const events = files.flatMap((f) => [f.oldest, f.newest]).sort();
    const digest = {
      awsAccountId: acct,
      digestStartTime: iso(start),
      digestEndTime: iso(end),
      digestS3Bucket: BUCKET,
      digestS3Object: key,
      digestPublicKeyFingerprint: fingerprint,
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: events.length ? events[events.length - 1] : null,
      oldestEventTime: events.length ? events[0] : null,
      previousDigestS3Bucket: prev ? BUCKET : null,
      previousDigestS3Object: prev ? prev.key : null,
      previousDigestHashValue: prev ? sha256(prev.body) : null,
      previousDigestHashAlgorithm: prev ? 'SHA-256' : null,
      previousDigestSignature: prev ? prev.signature : null,
      logFiles: files.map((f) => ({ s3Bucket: BUCKET, s3Object: f.key, hashValue: sha256(f.body), hashAlgorithm: 'SHA-256', newestEventTime: f.newest, oldestEventTime: f.oldest })),
    };
    const body = JSON.stringify(digest);
    const d = { acct, region, key, body, signature: D.hex(512) };
    digestFiles.push(d);
    prev = d;
    start = end;
  }
}

// ---------------------------------------------------------------- write
const archiveDir = path.join(outDir, 'archive');
fs.rmSync(archiveDir, { recursive: true, force: true });
let bytes = 0;
for (const f of [...logFiles, ...digestFiles]) bytes += writeGz(path.join(archiveDir, f.key), f.body);

// ---------------------------------------------------------------- expected.json
const uniq = new Set();
let totalRecords = 0;
for (const f of logFiles) for (const r of f.records) { uniq.add(r.eventID); totalRecords++; }
const dupFiles = logFiles.filter((f) => f.duplicateOf);
const counts = {
  uniqueEvents: uniq.size,
  logFiles: logFiles.length,
  digestFiles: digestFiles.length,
  duplicateFiles: dupFiles.length,
  duplicateRecords: dupFiles.reduce((s, f) => s + f.records.length, 0),
};
if (totalRecords - counts.duplicateRecords !== counts.uniqueEvents) throw new Error('duplicate bookkeeping is off');

const hop = (arn, type, accessKeyId, via, viaEventName) => ({ arn, type, accessKeyId, via, viaEventName });
const attackChain = [
  hop(att.s1.arn, 'AssumedRole', att.s1.key, att.s2.event.eventID, 'AssumeRole'),
  hop(deployBot.arn, 'IAMUser', deployBot.newKey, att.s1.event.eventID, 'AssumeRole'),
];
const attackActor = {
  type: 'AssumedRole', arn: att.s2.arn, accessKeyId: att.s2.key, sourceIPAddress: IP_ATT, mfaAuthenticated: false, invokedBy: null,
  chain: attackChain,
  origin: { arn: deployBot.arn, type: 'IAMUser', accessKeyId: deployBot.newKey },
  keyProvenance: { accessKeyId: deployBot.newKey, createdBy: opsAdmin.arn, eventId: ids.createAccessKey, eventTime: ids.createAccessKeyTime },
};
const recById = new Map(all.map((r) => [r.eventID, r]));
const sortIds = (list) => list.map((id) => ({ eventId: id, eventTime: recById.get(id).eventTime })).sort(byTimeId).map((x) => x.eventId);
const attackCred = sortIds([...attIdsCred, att.s1.event.eventID, att.s2.event.eventID]);
const noImpact = { affectedInstances: [], launchTemplates: [], launchConfigurations: [], failedLaunchesAfter: [] };
const RECS_ATTEMPT = ['deactivate-access-key', 'revoke-role-sessions', 'enforce-mfa', 'reset-password', 'password-policy', 'investigate-principal', 'guard-instance-profile-deletion'];
const RECS_DELETED = ['restore-instance-profile', 'reassociate-instances', 'deactivate-access-key', 'revoke-role-sessions', 'enforce-mfa', 'reset-password', 'password-policy', 'investigate-principal', 'review-launch-templates', 'guard-instance-profile-deletion'];

const inc = (rec, rest) => ({ id: rec.eventID, eventTime: rec.eventTime, accountId: rec.recipientAccountId, outcome: rec.errorCode ? 'failed' : 'deleted', errorCode: rec.errorCode ?? null, ...rest });
const webAffected = [
  { x: inst.A, ev: inst.A.rec.eventID, status: 'running-at-deletion' },
  { x: inst.B, ev: inst.B.rec.eventID, status: 'running-at-deletion' },
  { x: inst.C, ev: inst.C.bindEvent.eventID, status: 'running-at-deletion' },
  { x: inst.D, ev: inst.D.rec.eventID, status: 'terminated-before-deletion' },
  { x: inst.F, ev: inst.F.rec.eventID, status: 'running-at-deletion' },
].map(({ x, ev: e, status }) => ({ instanceId: x.instanceId, region: x.region, launchEventId: e, status })).sort((a, b) => a.instanceId.localeCompare(b.instanceId));

const webProfile = { name: profiles.web.name, arn: profiles.web.arn, path: profiles.web.path, roles: [profiles.web.role] };
const tfRun = tfDel.run;
const incidents = [
  inc(att.conflict, { instanceProfile: webProfile, actor: attackActor, classification: 'suspicious', ...noImpact, credentialChangeEventIds: attackCred, expectedRecommendationIds: RECS_ATTEMPT }),
  inc(att.deleted, {
    instanceProfile: webProfile, actor: attackActor, classification: 'suspicious',
    affectedInstances: webAffected,
    launchTemplates: [{ launchTemplateId: ids.ltId, name: 'web-app-lt', eventId: ids.createLt }],
    launchConfigurations: [{ name: 'web-app-lc', eventId: ids.createLc, region: 'us-west-2' }],
    failedLaunchesAfter: failed.map((f) => ({ eventId: f.rec.eventID, eventTime: f.rec.eventTime, region: f.region, errorCode: f.rec.errorCode })).sort(byTimeId),
    credentialChangeEventIds: attackCred,
    expectedRecommendationIds: RECS_DELETED,
  }),
  inc(att.denied, { instanceProfile: { name: 'db-profile', arn: null, path: null, roles: [] }, actor: attackActor, classification: 'suspicious', ...noImpact, credentialChangeEventIds: attackCred, expectedRecommendationIds: RECS_ATTEMPT }),
  inc(tfDel.deleted, {
    instanceProfile: { name: profiles.batch.name, arn: profiles.batch.arn, path: '/', roles: [profiles.batch.role] },
    actor: {
      type: 'AssumedRole', arn: tfRun.session.arn, accessKeyId: tfRun.session.key, sourceIPAddress: IP_TF, mfaAuthenticated: false, invokedBy: null,
      chain: [
        hop(tfRun.ghaSession.arn, 'AssumedRole', tfRun.ghaSession.accessKeyId, tfRun.session.event.eventID, 'AssumeRole'),
        hop(WEBID.principalId, 'WebIdentityUser', null, tfRun.webIdEvent.eventID, 'AssumeRoleWithWebIdentity'),
      ],
      origin: { arn: WEBID.principalId, type: 'WebIdentityUser', accessKeyId: null },
      keyProvenance: null,
    },
    classification: 'likely-benign',
    affectedInstances: [{ instanceId: inst.G.instanceId, region: 'us-east-1', launchEventId: inst.G.rec.eventID, status: 'terminated-before-deletion' }],
    launchTemplates: [], launchConfigurations: [], failedLaunchesAfter: [],
    credentialChangeEventIds: sortIds([tfRun.webIdEvent.eventID, tfRun.session.event.eventID]),
    expectedRecommendationIds: [],
  }),
  inc(eksDel.deleted, {
    instanceProfile: { name: profiles.eks.name, arn: profiles.eks.arn, path: '/', roles: [profiles.eks.role] },
    actor: {
      type: 'AssumedRole', arn: eksDel.ui.arn, accessKeyId: eksDel.ui.accessKeyId, sourceIPAddress: 'eks-nodegroup.amazonaws.com', mfaAuthenticated: false, invokedBy: 'eks-nodegroup.amazonaws.com',
      chain: [], origin: { arn: eksDel.ui.arn, type: 'AssumedRole', accessKeyId: eksDel.ui.accessKeyId }, keyProvenance: null,
    },
    classification: 'service',
    ...noImpact,
    credentialChangeEventIds: [],
    expectedRecommendationIds: [],
  }),
].sort((a, b) => byTimeId({ eventTime: a.eventTime, eventId: a.id }, { eventTime: b.eventTime, eventId: b.id }));

// Self-checks: incidents are exactly the DeleteInstanceProfile records; noise never names web-app-profile.
const dips = all.filter((r) => r.eventName === 'DeleteInstanceProfile').map((r) => r.eventID).sort();
if (JSON.stringify(dips) !== JSON.stringify(incidents.map((i) => i.id).sort())) throw new Error('incidents do not match DeleteInstanceProfile records');
for (const r of all) if (!storyIds.has(r.eventID) && JSON.stringify(r).includes('web-app-profile')) throw new Error('noise mentions web-app-profile');

const expected = {
  scenario: 'trailsift web-app-profile deletion, generated by scripts/generate-scenario.mjs',
  generator: { noise: noiseTarget, noiseRecords: noiseCount, storyRecords: storyIds.size },
  counts,
  incidents,
  story: {
    accounts: { production: P, identity: I, ci: C },
    organizationId: ORG,
    bucket: BUCKET,
    keys: {
      opsAdmin: opsAdmin.key,
      deployBotOld: deployBot.oldKey,
      deployBotNew: deployBot.newKey,
      session1OrgAdminDeployBot: att.s1.key,
      session2InfraAdminMaint: att.s2.key,
      terraformDeploy0307: tfRun.session.key,
      githubActions0307: tfRun.ghaSession.accessKeyId,
      eksNodegroup: eksDel.ui.accessKeyId,
    },
    events: {
      createAccessKeyDeployBot: ids.createAccessKey,
      deactivateMfaOpsAdmin: ids.deactivateMfa,
      updateLoginProfileDeployBot: ids.updateLoginProfile,
      assumeRoleOrgAdminCallerCopy: att.s1.event.eventID,
      assumeRoleOrgAdminResourceCopy: att.s1.copy.eventID,
      assumeRoleInfraAdmin: att.s2.event.eventID,
      deleteConflict: att.conflict.eventID,
      removeRole: att.remove.eventID,
      deleteWebAppProfile: att.deleted.eventID,
      deniedDbProfile: att.denied.eventID,
      createWebAppProfile: ids.createWeb,
      addRoleWebAppProfile: ids.addWebRole,
      createLaunchTemplate: ids.createLt,
      createLaunchConfiguration: ids.createLc,
      terminateD: ids.terminateD,
      stagingCapacityFailure: capacityFail.rec.eventID,
    },
    instances: Object.fromEntries(Object.entries(inst).map(([k, v]) => [k, { instanceId: v.instanceId, region: v.region, launchEventId: v.rec.eventID }])),
    launchTemplateId: ids.ltId,
    instanceProfileIds: Object.fromEntries(Object.values(profiles).map((p) => [p.name, p.id])),
    duplicateFiles: dupFiles.map((f) => ({ s3Object: f.key, duplicateOf: f.duplicateOf })),
  },
  notes: [
    'counts.uniqueEvents = distinct eventIDs over all log files; logFiles counts every CloudTrail log object including re-deliveries; duplicateFiles = re-delivered objects (same records, different suffix); duplicateRecords = records inside those re-deliveries. Cross-account AssumeRole copies are distinct events (different eventIDs).',
    'Digest hashValue is SHA-256 (hex) of the uncompressed log file; previousDigestHashValue is SHA-256 of the uncompressed previous digest. A digest lists log files whose delivery time falls in [digestStartTime, digestEndTime); re-deliveries are listed too. Signatures are random hex, not verifiable.',
    'One incident per DeleteInstanceProfile record (DeleteConflict and AccessDenied attempts included), sorted by (eventTime, eventId). For AccessDenied with requestParameters null the name comes from errorMessage and arn/path are null (db-profile is never created in the archive), roles [].',
    'instanceProfile.roles = roles added to the profile in the archive (AddRoleToInstanceProfile) since its CreateInstanceProfile, including those removed by RemoveRoleFromInstanceProfile just before the delete; sorted.',
    'actor.mfaAuthenticated = sessionContext.attributes.mfaAuthenticated as a boolean, null when absent; invokedBy null when absent.',
    'chain: hops nearest first. Each hop is the identity that issued the previous identity\'s temporary key; via = the issuing event (responseElements.credentials.accessKeyId equals the previous key). For a cross-account AssumeRole the caller-account copy (full userIdentity) is used, not the AWSAccount copy in the role\'s account. Chains stop at a long-term key (IAMUser AKIA), a WebIdentityUser, or a key with no issuing event (EKS service-linked session: chain [], origin = actor).',
    'WebIdentityUser: userIdentity has no arn; its hop/origin arn is userIdentity.principalId, which is identityProvider-qualified: "<identityProvider>:<aud>:<sub>" = token.actions.githubusercontent.com:sts.amazonaws.com:repo:acme-corp/infra-live:ref:refs/heads/main; accessKeyId null.',
    'keyProvenance: for an origin AKIA key, the CreateAccessKey whose responseElements.accessKey.accessKeyId matches (createdBy = that record\'s userIdentity.arn). The ops-admin key was created before the archive: unknown provenance.',
    'Impact fields (affectedInstances, launchTemplates, launchConfigurations, failedLaunchesAfter) are filled only for outcome "deleted"; failed attempts have them empty.',
    'affectedInstances: instances bound to the profile in the same account before deletion, in any region: RunInstances by name or by ARN (not web-app-profile-staging), RunInstances via launch template whose response iamInstanceProfile.arn is the profile, or AssociateIamInstanceProfile (launchEventId is then the Associate event). status terminated-before-deletion when a TerminateInstances before the deletion names it.',
    'failedLaunchesAfter: RunInstances after the deletion failing because the profile is missing (Client.InvalidParameterValue naming it, by name or through a launch template that references it); the staging InsufficientInstanceCapacity failure is excluded.',
    'credentialChangeEventIds (sorted by time): suspicious incidents = credential-change IAM calls (facts doc list) made in the window from keyProvenance.eventTime to the deletion by keyProvenance.createdBy or the origin, or targeting them, plus the chain\'s via events (ops-admin\'s baseline AssumeRole calls are outside it); likely-benign = the chain\'s via events; service = [].',
    'expectedRecommendationIds: suspicious deleted = all ten; suspicious failed attempt = the same minus restore-instance-profile, reassociate-instances, review-launch-templates; likely-benign and service = [].',
    'Classification: suspicious = human chain reaching a key created by a compromised principal, new IP 203.0.113.50, no MFA; likely-benign = Terraform UA, usual IP 192.0.2.20, web-identity CI origin; service = service-linked role with invokedBy.',
  ],
};
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'expected.json'), JSON.stringify(expected, null, 2) + '\n');

process.stderr.write(`generate-scenario: ${counts.logFiles} log files (${counts.duplicateFiles} re-delivered), ${counts.digestFiles} digests, ${counts.uniqueEvents} unique events (${storyIds.size} story, ${noiseCount} noise), ${incidents.length} incidents, ${(bytes / 1024).toFixed(1)} KiB gz -> ${outDir}\n`);
