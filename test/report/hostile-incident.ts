/**
 * A hand-made Incident whose record-derived fields carry terminal escapes, Markdown and
 * HTML syntax, and shell metacharacters, as a forged or poisoned CloudTrail archive could.
 */
import type { Incident, Recommendation } from '../../src/correlate/incident.js';
import { actionCommands, actionPython, recommend } from '../../src/correlate/recommend.js';
import type { Action } from '../../src/correlate/remediation/plan.js';

/** Clear screen, an OSC 8 hyperlink, CR, table pipes, a backtick run, HTML, a newline that starts a command, RLO, C1 CSI. */
export const HOSTILE =
  'evil\u001b[2J\u001b]8;;http://evil\u0007link\u001b]8;;\u0007\rCR|pipe|````tick`<script>alert(1)</script>&amp;\\\n rm -rf /\ntouch PWNED\n\u202eRLO\u009bend';

/** No control characters, no slash, no placeholder brackets: survives into real commands, shell-quoted. */
export const SHELLY = "eve';touch PWNED;'$(touch PWNED)`touch PWNED`|x";

const TIME = '2026-03-06T03:14:15Z';

export function hostileIncident(overrides: Partial<Incident> = {}): Incident {
  const originArn = `arn:aws:iam::222222222222:user/${SHELLY}`;
  const incident: Incident = {
    id: `id-${HOSTILE}`,
    eventTime: TIME,
    accountId: '111111111111',
    region: 'us-east-1',
    outcome: 'deleted',
    errorCode: null,
    errorMessage: null,
    instanceProfile: {
      name: `web-${HOSTILE}`,
      arn: `arn:aws:iam::111111111111:instance-profile/${HOSTILE}`,
      path: '/app/',
      roles: [`role-${HOSTILE}`, SHELLY],
      recreated: null,
    },
    actor: {
      type: 'AssumedRole',
      arn: `arn:aws:sts::111111111111:assumed-role/Admin/${HOSTILE}`,
      accountId: '111111111111',
      principalId: HOSTILE,
      accessKeyId: 'ASIAHOSTILE000000001',
      sourceIPAddress: HOSTILE,
      userAgent: HOSTILE,
      mfaAuthenticated: false,
      invokedBy: null,
      sessionIssuerArn: `arn:aws:iam::111111111111:role/${SHELLY}`,
      chain: [
        {
          arn: originArn,
          type: 'IAMUser',
          accessKeyId: 'AKIAHOSTILE000000001',
          accountId: '222222222222',
          via: `via-${HOSTILE}`,
          viaEventName: `AssumeRole${HOSTILE}`,
          sourceIPAddress: HOSTILE,
          label: HOSTILE,
        },
      ],
      origin: { arn: originArn, type: 'IAMUser', accessKeyId: 'AKIAHOSTILE000000001', accountId: '222222222222', label: originArn, instanceId: null, instanceRegion: null },
      consoleLogin: { eventId: `login-${HOSTILE}`, eventTime: TIME, mfaUsed: false, sourceIPAddress: HOSTILE },
      identityCenter: {
        eventId: `sso-${HOSTILE}`,
        eventTime: TIME,
        userName: HOSTILE,
        userId: HOSTILE,
        identityStoreArn: HOSTILE,
        accountId: '222222222222',
        roleName: `AWSReservedSSO_${HOSTILE}`,
      },
      onBehalfOf: { userId: HOSTILE, identityStoreArn: HOSTILE },
      keyProvenance: {
        accessKeyId: 'AKIAHOSTILE000000001',
        userName: HOSTILE,
        createdBy: `arn:aws:iam::222222222222:user/${HOSTILE}`,
        createdByAccessKeyId: 'AKIAHOSTILE000000002',
        eventId: `kp-${HOSTILE}`,
        eventTime: TIME,
        sourceIPAddress: HOSTILE,
        userAgent: HOSTILE,
        creatorChain: [
          {
            arn: 'ec2.amazonaws.com',
            type: 'AWSService',
            accessKeyId: null,
            accountId: '222222222222',
            via: `delivery-${HOSTILE}`,
            viaEventName: 'AssumeRole',
            sourceIPAddress: HOSTILE,
            label: `EC2 instance i-${HOSTILE}`,
          },
        ],
        creatorOrigin: { arn: 'ec2.amazonaws.com', type: 'AWSService', accessKeyId: null, accountId: '222222222222', label: HOSTILE, instanceId: `i-${HOSTILE}`, instanceRegion: HOSTILE },
      },
    },
    assessment: {
      classification: 'suspicious',
      severity: 'critical',
      reasons: [HOSTILE, `second ${SHELLY}`],
      impact: 'broken',
      signals: [
        { id: 'offensive-tool-user-agent', severity: 'high', summary: HOSTILE, evidence: [HOSTILE] },
        { id: 'new-source-ip', severity: 'medium', summary: `address ${SHELLY}`, evidence: [SHELLY] },
      ],
    },
    credentialChanges: [
      { eventId: HOSTILE, eventTime: TIME, eventName: `CreateAccessKey${HOSTILE}`, actorArn: HOSTILE, actorAccessKeyId: HOSTILE, sourceIPAddress: HOSTILE, target: HOSTILE, errorCode: HOSTILE, succeeded: false, resource: HOSTILE, severity: 'critical', reason: HOSTILE },
      { eventId: 'e-login', eventTime: TIME, eventName: 'UpdateLoginProfile', actorArn: 'arn:aws:iam::222222222222:user/ops', actorAccessKeyId: 'AKIAOPS', sourceIPAddress: HOSTILE, target: SHELLY, errorCode: null, succeeded: true, resource: null, severity: 'high', reason: 'password set' },
      { eventId: 'e-mfa', eventTime: TIME, eventName: 'DeactivateMFADevice', actorArn: 'arn:aws:iam::222222222222:user/ops', actorAccessKeyId: 'AKIAOPS', sourceIPAddress: HOSTILE, target: SHELLY, errorCode: null, succeeded: true, resource: `arn:aws:iam::222222222222:mfa/${SHELLY}`, severity: 'high', reason: 'mfa removed' },
    ],
    profileHistory: [],
    affectedInstances: [
      { instanceId: `i-${HOSTILE}`, region: HOSTILE, accountId: '111111111111', launchEventId: HOSTILE, via: HOSTILE, status: 'running-at-deletion', statusEventId: null, associationId: HOSTILE, reboundAfter: null },
      { instanceId: `i-${SHELLY}`, region: 'us-east-1', accountId: '111111111111', launchEventId: 'e-launch', via: 'RunInstances', status: 'stopped-at-deletion', statusEventId: null, associationId: null, reboundAfter: null },
    ],
    launchTemplates: [{ launchTemplateId: HOSTILE, name: HOSTILE, region: HOSTILE, eventId: HOSTILE }],
    launchConfigurations: [{ name: SHELLY, region: 'us-east-1', eventId: 'e-lc' }],
    failedLaunchesAfter: [{ eventId: HOSTILE, eventTime: TIME, region: HOSTILE, errorCode: HOSTILE, actorArn: HOSTILE, matchedBy: 'request' }],
    dependentResources: [
      {
        service: 'batch',
        resourceType: 'compute-environment',
        resourceId: `arn:aws:batch:us-east-1:111111111111:compute-environment/${HOSTILE}`,
        accountId: '111111111111',
        region: 'us-east-1',
        eventId: HOSTILE,
        viaLaunchTemplate: HOSTILE,
        status: 'alive-at-deletion',
        failuresAfter: [{ eventId: HOSTILE, eventTime: TIME, eventName: HOSTILE, errorCode: HOSTILE }],
      },
    ],
    timeline: [
      { eventId: HOSTILE, eventTime: TIME, eventName: HOSTILE, category: 'deletion', actorArn: HOSTILE, sourceIPAddress: HOSTILE, region: HOSTILE, errorCode: HOSTILE, summary: HOSTILE },
    ],
    recommendations: [],
    evidence: {
      coverage: [
        { account: '111111111111', region: 'us-east-1', from: TIME, to: TIME, logFiles: 3, verified: 1, hashMatched: 0, problems: [`unlisted: AWSLogs/${HOSTILE}`] },
      ],
      gaps: [{ account: '111111111111', region: 'us-east-1', trailName: `trail-${HOSTILE}`, from: TIME, to: TIME, cause: 'logging-restarted', explainedBy: null }],
      verdict: 'incomplete',
    },
    ...overrides,
  };
  if (!overrides.recommendations) {
    const actions: Action[] = [
      {
        phase: 'containment',
        accountId: '222222222222',
        steps: [
          { kind: 'manual', text: `operator note ${HOSTILE}` },
          { kind: 'call', service: 'iam', operation: 'GetUser', params: { UserName: HOSTILE } },
          { kind: 'call', service: 'iam', operation: 'GetUser', params: { UserName: SHELLY } },
          { kind: 'call', service: 'ec2', operation: 'DescribeInstances', region: HOSTILE, params: { InstanceIds: ['````', SHELLY] } },
        ],
      },
    ];
    const custom: Recommendation = {
      id: `custom-${HOSTILE}`,
      title: `Title ${HOSTILE}`,
      why: `Why ${HOSTILE}`,
      evidence: [HOSTILE, SHELLY],
      commands: actionCommands(actions),
      console: [`Console step ${HOSTILE}`],
      python: actionPython(actions),
      actions,
    };
    incident.recommendations = [
      ...recommend({
        incident,
        assessment: incident.assessment,
        createdKeys: [{ accessKeyId: 'AKIAHOSTILE000000003', userName: SHELLY, accountId: '222222222222', eventId: HOSTILE }],
        deletionEventId: incident.id,
        creatorCompromised: true,
        trailTampering: [{ eventId: HOSTILE, eventName: 'StopLogging', trailName: HOSTILE, region: 'us-east-1', accountId: '222222222222' }],
      }),
      custom,
    ];
  }
  return incident;
}
