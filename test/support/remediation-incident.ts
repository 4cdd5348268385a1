/**
 * Small hand-built incidents for the remediation templates: one IAM user's long-term key
 * (deploy-bot, account 222222222222) used to assume a role in account 111111111111 and
 * delete `app-profile`, which one running instance held. Each test changes what it needs.
 */
import type { Actor, Assessment, CredentialChange, Incident, Signal } from '../../src/correlate/incident.js';
import type { RemediationInput } from '../../src/correlate/remediation/facts.js';

export const ACCOUNT = '111111111111';
export const USER_ACCOUNT = '222222222222';
export const TIME = '2026-03-06T03:14:15Z';
export const BEFORE = '2026-03-05T02:00:00Z';
export const KEY = 'AKIAEXAMPLE000000001';
export const USER_ARN = `arn:aws:iam::${USER_ACCOUNT}:user/deploy-bot`;

export const HIGH_SIGNAL: Signal = { id: 'offensive-tool-user-agent', severity: 'high', summary: 'Pacu', evidence: ['e-tool'] };

export function actor(overrides: Partial<Actor> = {}): Actor {
  return {
    type: 'AssumedRole',
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/InfraAdmin/maint`,
    accountId: ACCOUNT,
    principalId: 'AROAEXAMPLE:maint',
    accessKeyId: 'ASIAEXAMPLE000000001',
    sourceIPAddress: '203.0.113.50',
    userAgent: 'aws-cli/2.15.0',
    mfaAuthenticated: false,
    invokedBy: null,
    sessionIssuerArn: `arn:aws:iam::${ACCOUNT}:role/InfraAdmin`,
    chain: [{ arn: USER_ARN, type: 'IAMUser', accessKeyId: KEY, accountId: USER_ACCOUNT, via: 'e-assume', viaEventName: 'AssumeRole', sourceIPAddress: '203.0.113.50', label: USER_ARN }],
    origin: { arn: USER_ARN, type: 'IAMUser', accessKeyId: KEY, accountId: USER_ACCOUNT, label: USER_ARN, instanceId: null, instanceRegion: null },
    keyProvenance: null,
    consoleLogin: null,
    identityCenter: null,
    onBehalfOf: null,
    ...overrides,
  };
}

export function change(overrides: Partial<CredentialChange> & Pick<CredentialChange, 'eventId' | 'eventName'>): CredentialChange {
  return {
    eventTime: BEFORE,
    actorArn: USER_ARN,
    actorAccessKeyId: KEY,
    sourceIPAddress: '203.0.113.50',
    target: 'deploy-bot',
    errorCode: null,
    succeeded: true,
    resource: null,
    severity: 'high',
    reason: 'test',
    ...overrides,
  };
}

export function assessment(overrides: Partial<Assessment> = {}): Assessment {
  return { classification: 'suspicious', severity: 'critical', reasons: [], impact: 'broken', signals: [HIGH_SIGNAL], ...overrides };
}

export type MinimalIncident = RemediationInput['incident'];

export function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 'e-delete',
    eventTime: TIME,
    accountId: ACCOUNT,
    region: 'us-east-1',
    outcome: 'deleted',
    errorCode: null,
    errorMessage: null,
    instanceProfile: { name: 'app-profile', arn: `arn:aws:iam::${ACCOUNT}:instance-profile/app-profile`, path: '/', roles: ['app-role'], recreated: null },
    actor: actor(),
    assessment: assessment(),
    credentialChanges: [],
    profileHistory: [],
    affectedInstances: [
      { instanceId: 'i-0aaaaaaaaaaaaaaa1', region: 'us-west-2', accountId: ACCOUNT, launchEventId: 'e-launch', via: 'RunInstances', status: 'running-at-deletion', statusEventId: null, associationId: null, reboundAfter: null },
    ],
    launchTemplates: [],
    launchConfigurations: [],
    failedLaunchesAfter: [],
    dependentResources: [],
    timeline: [],
    recommendations: [],
    evidence: { coverage: [], gaps: [], verdict: 'no-logs' },
    ...overrides,
  };
}

/** A RemediationInput around `incident(...)`: the incident's own assessment, nothing else known. */
export function input(incidentOverrides: Partial<Incident> = {}, inputOverrides: Partial<RemediationInput> = {}): RemediationInput {
  const built = incident(incidentOverrides);
  return { incident: built, assessment: built.assessment, createdKeys: [], deletionEventId: built.id, creatorCompromised: false, trailTampering: [], ...inputOverrides };
}
