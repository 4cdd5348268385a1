import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/correlate/incident.js';
import { actionCommands, actionPython, recommend } from '../../../src/correlate/recommend.js';
import { remediationFacts, type RemediationInput } from '../../../src/correlate/remediation/facts.js';
import type { Action, CallStep, Step } from '../../../src/correlate/remediation/plan.js';
import { type Draft, TEMPLATES } from '../../../src/correlate/remediation/templates.js';
import { remediationPlan } from '../../../src/report/remediation-plan.js';
import { cliProblems } from '../../support/aws-cli-check.js';
import { ACCOUNT, actor, assessment, BEFORE, change, HIGH_SIGNAL, input, KEY, TIME, USER_ACCOUNT, USER_ARN } from '../../support/remediation-incident.js';
import { awsCommandOf } from '../../support/shell-words.js';

function draftOf(id: string, built: RemediationInput): Draft | null {
  const template = TEMPLATES.find((candidate) => candidate.id === id);
  if (!template) throw new Error(`no template ${id}`);
  return template.draft(remediationFacts(built));
}

const stepsOf = (draft: Draft | null): Step[] => draft?.actions.flatMap((action) => action.steps) ?? [];
const callsOf = (draft: Draft | null, operation?: string): CallStep[] =>
  stepsOf(draft).filter((step): step is CallStep => step.kind === 'call' && (operation === undefined || step.operation === operation));
/** Lines a shell would run: the rendered commands that are not comments. */
const codeOf = (actions: Action[]): string[] => actionCommands(actions).filter((line) => !line.trimStart().startsWith('#'));

/** Every rendered aws line of a draft is a real command with real options. */
function expectValidCommands(draft: Draft | null): void {
  expect(draft).not.toBeNull();
  const problems = actionCommands(draft!.actions)
    .map(awsCommandOf)
    .filter((line): line is string => line !== null)
    .flatMap(cliProblems);
  expect(problems).toEqual([]);
}

const SIGNS_IN_AS_ALICE = [
  change({ eventId: 'e-login-before', eventName: 'ConsoleLogin', actorArn: `arn:aws:iam::${ACCOUNT}:user/alice`, actorAccessKeyId: null, target: 'alice', eventTime: '2026-03-01T09:00:00Z', severity: 'low' }),
  change({ eventId: 'e-reset-alice', eventName: 'UpdateLoginProfile', actorArn: `arn:aws:iam::${ACCOUNT}:user/bob`, actorAccessKeyId: 'AKIABOB0000000000001', target: 'alice', eventTime: BEFORE }),
];
const RESET_OF_BOT = change({ eventId: 'e-reset-bot', eventName: 'UpdateLoginProfile', actorArn: `arn:aws:iam::${USER_ACCOUNT}:user/ops-admin`, actorAccessKeyId: 'AKIAOPS0000000000001', target: 'deploy-bot' });

describe('deactivate-access-key', () => {
  it('when the origin used a long-term key during a compromise then it is deactivated now and deleted only later', () => {
    const draft = draftOf('deactivate-access-key', input());
    expectValidCommands(draft);
    expect(draft!.actions.map((action) => [action.phase, action.accountId])).toEqual([['containment', USER_ACCOUNT]]);
    const [deactivate, remove] = callsOf(draft);
    expect(deactivate).toMatchObject({ operation: 'UpdateAccessKey', params: { UserName: 'deploy-bot', AccessKeyId: KEY, Status: 'Inactive' } });
    expect(deactivate!.later).toBeUndefined();
    expect(remove).toMatchObject({ operation: 'DeleteAccessKey', params: { UserName: 'deploy-bot', AccessKeyId: KEY } });
    expect(remove!.later).toBeTruthy();
    expect(codeOf(draft!.actions).filter((line) => line.includes('delete-access-key'))).toEqual([]);
    expect(actionCommands(draft!.actions).filter((line) => line.includes('delete-access-key'))).toEqual([
      `# later, ${remove!.later}: aws iam delete-access-key --profile "$TRAILSIFT_PROFILE_${USER_ACCOUNT}" --user-name deploy-bot --access-key-id ${KEY}`,
    ]);
    expect(actionPython(draft!.actions).filter((line) => line.includes('delete_access_key')).every((line) => line.startsWith('# later, '))).toBe(true);
  });

  it('when the chain used only temporary keys then there is no key to deactivate', () => {
    const temporary = actor({
      chain: [{ arn: USER_ARN, type: 'IAMUser', accessKeyId: 'ASIATEMP000000000001', accountId: USER_ACCOUNT, via: 'e-session', viaEventName: 'GetSessionToken', sourceIPAddress: '203.0.113.50', label: USER_ARN }],
      origin: { arn: USER_ARN, type: 'IAMUser', accessKeyId: 'ASIATEMP000000000001', accountId: USER_ACCOUNT, label: USER_ARN, instanceId: null, instanceRegion: null },
    });
    expect(draftOf('deactivate-access-key', input({ actor: temporary }))).toBeNull();
  });

  it('when a key was created during the attack then it is deactivated too, in its owner’s account', () => {
    const draft = draftOf('deactivate-access-key', input({}, { createdKeys: [{ accessKeyId: 'AKIANEW0000000000001', userName: 'backdoor', accountId: '333333333333', eventId: 'e-create' }] }));
    expect(callsOf(draft, 'UpdateAccessKey').map((step) => step.params.AccessKeyId)).toEqual([KEY, 'AKIANEW0000000000001']);
    expect(draft!.actions.map((action) => action.accountId)).toEqual([USER_ACCOUNT, '333333333333']);
  });
});

describe('reset-password', () => {
  it('when someone else set the password of a user who signs in then a new random password is set with a change required', () => {
    const draft = draftOf('reset-password', input({ credentialChanges: SIGNS_IN_AS_ALICE }));
    expectValidCommands(draft);
    expect(stepsOf(draft)).toEqual([{ kind: 'new-password', userName: 'alice' }]);
    expect(draft!.actions[0]).toMatchObject({ phase: 'containment', accountId: ACCOUNT });
    const update = codeOf(draft!.actions).filter((line) => line.includes('update-login-profile'));
    expect(update).toEqual([`aws iam update-login-profile --profile "$TRAILSIFT_PROFILE_${ACCOUNT}" --user-name alice --password "$NEW_PASSWORD" --password-reset-required`]);
    expect(actionPython(draft!.actions)).toEqual([`new_password(session("${ACCOUNT}"), "alice")`]);
  });

  it('when someone else set the password of a keys-only user then its login profile is deleted instead', () => {
    const draft = draftOf('reset-password', input({ credentialChanges: [RESET_OF_BOT] }));
    expectValidCommands(draft);
    expect(stepsOf(draft)).toEqual([{ kind: 'call', service: 'iam', operation: 'DeleteLoginProfile', params: { UserName: 'deploy-bot' }, tolerate: ['NoSuchEntity'] }]);
    expect(draft!.actions[0]).toMatchObject({ phase: 'containment', accountId: USER_ACCOUNT });
    // Already without a password (a re-run) is no failure; any other error still stops the script.
    expect(codeOf(draft!.actions).at(-1)).toBe(`tolerate NoSuchEntity aws iam delete-login-profile --profile "$TRAILSIFT_PROFILE_${USER_ACCOUNT}" --user-name deploy-bot`);
    expect(codeOf(draft!.actions)[0]).toMatch(/^tolerate\(\) \{ /);
    expect(actionPython(draft!.actions)).toEqual([`tolerating(("NoSuchEntity",), session("${USER_ACCOUNT}").client("iam").delete_login_profile, UserName="deploy-bot")`]);
  });

  it('when the attack removed the MFA of a user whose password nobody set then it gets a new password too, tolerating none at all', () => {
    const removed = change({ eventId: 'e-mfa-off', eventName: 'DeactivateMFADevice', actorArn: `arn:aws:iam::${ACCOUNT}:user/bob`, target: 'carol', resource: `arn:aws:iam::${ACCOUNT}:mfa/carol` });
    const draft = draftOf('reset-password', input({ credentialChanges: [removed] }));
    expectValidCommands(draft);
    expect(draft!.title).toBe('Replace the console passwords the attack set or exposed: carol');
    expect(draft!.evidence).toEqual(['e-mfa-off']);
    expect(stepsOf(draft)).toEqual([{ kind: 'new-password', userName: 'carol', mayHaveNone: true }]);
    expect(draft!.actions[0]).toMatchObject({ phase: 'containment', accountId: ACCOUNT });
    expect(codeOf(draft!.actions).filter((line) => line.includes('update-login-profile'))).toEqual([
      `tolerate NoSuchEntity aws iam update-login-profile --profile "$TRAILSIFT_PROFILE_${ACCOUNT}" --user-name carol --password "$NEW_PASSWORD" --password-reset-required`,
    ]);
    expect(actionPython(draft!.actions)).toEqual([`new_password(session("${ACCOUNT}"), "carol", may_have_none=True)`]);
    // A user whose password was set keeps the plain replacement, even when its MFA went too; a refused or info-level removal adds nothing.
    const both = draftOf('reset-password', input({ credentialChanges: [...SIGNS_IN_AS_ALICE, { ...removed, target: 'alice' }] }));
    expect(stepsOf(both)).toEqual([{ kind: 'new-password', userName: 'alice' }]);
    expect(draftOf('reset-password', input({ credentialChanges: [{ ...removed, succeeded: false }] }))).toBeNull();
    expect(draftOf('reset-password', input({ credentialChanges: [{ ...removed, severity: 'info' }] }))).toBeNull();
  });

  it('when only a failed sign-in or one after the reset is seen then the user counts as keys-only', () => {
    const [login, reset] = SIGNS_IN_AS_ALICE;
    const failed = draftOf('reset-password', input({ credentialChanges: [{ ...login!, succeeded: false }, reset!] }));
    expect(stepsOf(failed).map((step) => step.kind === 'call' && step.operation)).toEqual(['DeleteLoginProfile']);
    const after = draftOf('reset-password', input({ credentialChanges: [reset!, { ...login!, eventTime: TIME }] }));
    expect(stepsOf(after).map((step) => step.kind === 'call' && step.operation)).toEqual(['DeleteLoginProfile']);
  });

  it('when passwords are replaced then no rendered command forces a change without setting a new password', () => {
    const draft = draftOf('reset-password', input({ credentialChanges: [...SIGNS_IN_AS_ALICE, RESET_OF_BOT] }));
    expect(stepsOf(draft).map((step) => step.kind)).toEqual(['new-password', 'call']);
    const updates = [...actionCommands(draft!.actions), ...actionPython(draft!.actions)].filter((line) => /update.login.profile/.test(line));
    expect(updates.length).toBeGreaterThan(0);
    for (const line of updates) expect(line).toMatch(/--password "\$NEW_PASSWORD" --password-reset-required|new_password\(/);
  });

  it('when the deleting console session began with the origin user\u2019s own sign-in during a compromise then that password is replaced too, and its sessions revoked', () => {
    const signedIn = actor({
      type: 'IAMUser',
      arn: USER_ARN,
      accessKeyId: 'ASIACONSOLE000000001',
      chain: [],
      origin: { arn: USER_ARN, type: 'IAMUser', accessKeyId: 'ASIACONSOLE000000001', accountId: USER_ACCOUNT, label: USER_ARN, instanceId: null, instanceRegion: null },
      consoleLogin: { eventId: 'e-console', eventTime: BEFORE, mfaUsed: false, sourceIPAddress: '203.0.113.50' },
    });
    const built = input({ actor: signedIn });
    expect(stepsOf(draftOf('reset-password', built))).toEqual([{ kind: 'new-password', userName: 'deploy-bot' }]);
    expect(draftOf('reset-password', built)!.evidence).toEqual(['e-console']);
    expect(callsOf(draftOf('revoke-role-sessions', built), 'PutUserPolicy').map((call) => call.params.UserName)).toEqual(['deploy-bot']);
    // Without a compromise nothing is reset (the containment rule).
    expect(draftOf('reset-password', input({ actor: signedIn, assessment: assessment({ signals: [] }) }))).toBeNull();
  });

  it('when users changed their own password, or the change failed, then nothing is reset', () => {
    const own = change({ eventId: 'e-own', eventName: 'UpdateLoginProfile', actorArn: `arn:aws:iam::${ACCOUNT}:user/alice`, target: 'alice' });
    expect(draftOf('reset-password', input({ credentialChanges: [own] }))).toBeNull();
    expect(draftOf('reset-password', input({ credentialChanges: [{ ...RESET_OF_BOT, succeeded: false, errorCode: 'AccessDenied' }] }))).toBeNull();
  });
});

describe('password-policy', () => {
  it('when passwords were set during a compromise then the current policy is read before every setting is passed, without a maximum age', () => {
    const draft = draftOf('password-policy', input({ credentialChanges: [RESET_OF_BOT] }));
    expectValidCommands(draft);
    expect(draft!.actions).toEqual([{ phase: 'hardening', accountId: USER_ACCOUNT, steps: [{ kind: 'password-policy', minimumLength: 14, reusePrevention: 24 }] }]);
    const code = codeOf(draft!.actions);
    const read = code.findIndex((line) => line.includes('aws iam get-account-password-policy '));
    const update = code.findIndex((line) => line.startsWith('aws iam update-account-password-policy '));
    expect(read).toBeGreaterThanOrEqual(0);
    expect(read).toBeLessThan(update);
    expect(code[update]).toContain('--allow-users-to-change-password');
    for (const option of ['--require-symbols', '--require-numbers', '--require-uppercase-characters', '--require-lowercase-characters', '--minimum-password-length', '--password-reuse-prevention']) expect(code[update]).toContain(option);
    expect(code.filter((line) => line.includes('--max-password-age'))).toEqual([]);
    expect(actionPython(draft!.actions)).toEqual([`password_policy(session("${USER_ACCOUNT}"), minimum_length=14, reuse_prevention=24)`]);
  });

  it('when nothing shows a compromise then the policy is left alone', () => {
    expect(draftOf('password-policy', input({ credentialChanges: [RESET_OF_BOT], assessment: assessment({ signals: [] }) }))).toBeNull();
  });
});

describe('restore-instance-profile and reassociate-instances', () => {
  const INSTANCES: Incident['affectedInstances'] = [
    { instanceId: 'i-0running000000001', region: 'us-west-2', accountId: ACCOUNT, launchEventId: 'e-l1', via: 'RunInstances', status: 'running-at-deletion', statusEventId: null, associationId: 'iip-assoc-0logged000000001', reboundAfter: null },
    { instanceId: 'i-0stopped000000001', region: 'eu-west-1', accountId: ACCOUNT, launchEventId: 'e-l2', via: 'RunInstances', status: 'stopped-at-deletion', statusEventId: 'e-stop', associationId: null, reboundAfter: null },
    { instanceId: 'i-0terminated00001', region: 'us-west-2', accountId: ACCOUNT, launchEventId: 'e-l3', via: 'RunInstances', status: 'terminated-before-deletion', statusEventId: 'e-term', associationId: null, reboundAfter: null },
  ];

  it('when the profile is restored then it is created at its path, given its roles, and waited for', () => {
    const draft = draftOf('restore-instance-profile', input({ instanceProfile: { name: 'app-profile', arn: null, path: '/app/', roles: ['app-role', 'second-role'], recreated: null } }));
    expectValidCommands(draft);
    expect(draft!.actions.map((action) => [action.phase, action.accountId])).toEqual([['recovery', ACCOUNT]]);
    expect(stepsOf(draft)).toEqual([
      { kind: 'call', service: 'iam', operation: 'CreateInstanceProfile', params: { InstanceProfileName: 'app-profile', Path: '/app/' } },
      { kind: 'call', service: 'iam', operation: 'AddRoleToInstanceProfile', params: { InstanceProfileName: 'app-profile', RoleName: 'app-role' } },
      { kind: 'call', service: 'iam', operation: 'AddRoleToInstanceProfile', params: { InstanceProfileName: 'app-profile', RoleName: 'second-role' } },
      { kind: 'wait', service: 'iam', waiter: 'InstanceProfileExists', params: { InstanceProfileName: 'app-profile' } },
    ]);
  });

  it('when the roles or path are unknown then the role is left to fill in and the default path is used', () => {
    const draft = draftOf('restore-instance-profile', input({ instanceProfile: { name: 'app-profile', arn: null, path: null, roles: [], recreated: null } }));
    expect(callsOf(draft, 'CreateInstanceProfile')[0]!.params).toEqual({ InstanceProfileName: 'app-profile' });
    expect(callsOf(draft, 'AddRoleToInstanceProfile')[0]!.params.RoleName).toEqual({ placeholder: 'role-name' });
  });

  it('when instances held the profile then each running or stopped one is described first, then replaced or associated, then verified', () => {
    const draft = draftOf('reassociate-instances', input({ affectedInstances: INSTANCES }));
    expectValidCommands(draft);
    expect(stepsOf(draft)).toEqual([
      { kind: 'reassociate', region: 'us-west-2', instanceId: 'i-0running000000001', profileName: 'app-profile', loggedAssociationId: 'iip-assoc-0logged000000001' },
      { kind: 'reassociate', region: 'eu-west-1', instanceId: 'i-0stopped000000001', profileName: 'app-profile', loggedAssociationId: null },
    ]);
    const lines = actionCommands(draft!.actions);
    const describe = lines.findIndex((line) => line.startsWith('ASSOCIATION_ID=$(aws ec2 describe-iam-instance-profile-associations ') && line.includes('i-0running000000001'));
    const replace = lines.findIndex((line) => line.includes('replace-iam-instance-profile-association') && line.includes('--association-id "$ASSOCIATION_ID"'));
    const associate = lines.findIndex((line) => line.includes('associate-iam-instance-profile ') && line.includes('i-0running000000001'));
    const verify = lines.findIndex((line, index) => index > associate && line.startsWith('aws ec2 describe-iam-instance-profile-associations ') && line.includes('i-0running000000001'));
    expect(describe).toBeGreaterThanOrEqual(0);
    expect(describe).toBeLessThan(replace);
    expect(replace).toBeLessThan(associate);
    expect(associate).toBeLessThan(verify);
    expect(lines.some((line) => line.includes('i-0terminated00001'))).toBe(false);
  });

  it('when both are planned then the wait for the profile comes before any instance is associated', () => {
    const built = input({ affectedInstances: INSTANCES });
    const incidentWithRecommendations = { ...(built.incident as Incident), recommendations: recommend(built) };
    const steps = remediationPlan([incidentWithRecommendations]).entries.flatMap((entry) => entry.steps.map((planned) => planned.step));
    const wait = steps.findIndex((step) => step.kind === 'wait' && step.waiter === 'InstanceProfileExists');
    const first = steps.findIndex((step) => step.kind === 'reassociate');
    expect(wait).toBeGreaterThanOrEqual(0);
    expect(wait).toBeLessThan(first);
  });

  it('when the impact is none, or the deletion failed, then nothing is restored or re-associated', () => {
    for (const overrides of [{ assessment: assessment({ impact: 'none' }) }, { outcome: 'failed' as const, errorCode: 'DeleteConflict' }]) {
      const built = input({ affectedInstances: INSTANCES, ...overrides });
      expect(draftOf('restore-instance-profile', built)).toBeNull();
      expect(draftOf('reassociate-instances', built)).toBeNull();
    }
  });

  it('when the profile was already re-created then it is not created again', () => {
    const built = input({ instanceProfile: { name: 'app-profile', arn: null, path: '/', roles: ['app-role'], recreated: { eventId: 'e-recreate', eventTime: '2026-03-06T04:00:00Z' } } });
    expect(draftOf('restore-instance-profile', built)).toBeNull();
  });
});

describe('enforce-mfa', () => {
  it('when an identity only uses access keys then no MFA is proposed, even without MFA on its calls', () => {
    expect(draftOf('enforce-mfa', input())).toBeNull();
  });

  it('when the origin signed in to the console without MFA then a virtual device is created and enabled with two codes the operator fills in', () => {
    const draft = draftOf('enforce-mfa', input({ actor: actor({ chain: [], consoleLogin: { eventId: 'e-console', eventTime: BEFORE, mfaUsed: false, sourceIPAddress: '203.0.113.50' } }) }));
    expectValidCommands(draft);
    expect(draft!.actions.map((action) => [action.phase, action.accountId])).toEqual([['hardening', USER_ACCOUNT]]);
    expect(stepsOf(draft).map((step) => step.kind)).toEqual(['manual', 'virtual-mfa', 'call']);
    expect(callsOf(draft, 'EnableMFADevice')[0]!.params).toEqual({
      UserName: 'deploy-bot',
      SerialNumber: `arn:aws:iam::${USER_ACCOUNT}:mfa/deploy-bot-mfa`,
      AuthenticationCode1: { placeholder: 'code-1' },
      AuthenticationCode2: { placeholder: 'code-2' },
    });
    expect(actionCommands(draft!.actions).find((line) => line.includes('create-virtual-mfa-device'))).toMatch(/^\(umask 077 && aws iam create-virtual-mfa-device .* --outfile <seed-file> --bootstrap-method Base32StringSeed\)$/);
  });

  it('when the log names the deactivated device then re-enabling it is offered first', () => {
    const deactivated = change({ eventId: 'e-mfa', eventName: 'DeactivateMFADevice', actorArn: `arn:aws:iam::${ACCOUNT}:user/bob`, target: 'alice', resource: `arn:aws:iam::${ACCOUNT}:mfa/alice` });
    const draft = draftOf('enforce-mfa', input({ credentialChanges: [deactivated] }));
    expectValidCommands(draft);
    expect(callsOf(draft, 'EnableMFADevice').map((step) => step.params.SerialNumber)).toEqual([`arn:aws:iam::${ACCOUNT}:mfa/alice`, `arn:aws:iam::${ACCOUNT}:mfa/alice-mfa`]);
  });
});

describe('guard-instance-profile-deletion', () => {
  it('when the guard is planned then the SCP is created and attached to a target the operator fills in, and the rule gets a target in us-east-1', () => {
    const draft = draftOf('guard-instance-profile-deletion', input({ region: 'eu-west-1' }));
    expectValidCommands(draft);
    const [management, alerting] = draft!.actions;
    expect(management).toMatchObject({ phase: 'hardening', accountId: null });
    expect(alerting).toMatchObject({ phase: 'hardening', accountId: ACCOUNT });
    const [create, attach] = management!.steps as CallStep[];
    expect(create).toMatchObject({ service: 'organizations', operation: 'CreatePolicy', params: { Type: 'SERVICE_CONTROL_POLICY' }, capture: { variable: 'SCP_POLICY_ID' } });
    expect(attach).toMatchObject({ service: 'organizations', operation: 'AttachPolicy', params: { PolicyId: { variable: 'SCP_POLICY_ID' }, TargetId: { placeholder: expect.any(String) } } });
    const scp = (create!.params.Content as { json: { Statement: Array<{ Effect: string; Action: string[] }> } }).json;
    expect(scp.Statement[0]).toMatchObject({ Effect: 'Deny', Action: expect.arrayContaining(['iam:DeleteInstanceProfile']) });
    const [rule, targets] = alerting!.steps as CallStep[];
    expect(rule).toMatchObject({ service: 'events', operation: 'PutRule', region: 'us-east-1' });
    expect(targets).toMatchObject({ service: 'events', operation: 'PutTargets', region: 'us-east-1', params: { Rule: rule!.params.Name } });
    expect(JSON.stringify(targets!.params.Targets)).toMatch(/"Arn":"<[a-z-]+>"/);
    const pattern = (rule!.params.EventPattern as { json: { source: string[]; detail: { eventName: string[] } } }).json;
    expect(pattern.source).toEqual(['aws.iam']);
    expect(pattern.detail.eventName).toContain('DeleteInstanceProfile');
  });
});

describe('containment needs a compromise', () => {
  const CONTAINMENT = ['deactivate-access-key', 'revoke-role-sessions', 'reset-password', 'enforce-mfa', 'password-policy'];
  const rich = {
    actor: actor({ consoleLogin: { eventId: 'e-console', eventTime: BEFORE, mfaUsed: false, sourceIPAddress: '203.0.113.50' } }),
    credentialChanges: [...SIGNS_IN_AS_ALICE, RESET_OF_BOT],
  };

  it('when there is no signal and the key creator is not compromised then no key, session, password or MFA step is planned', () => {
    const built = input({ ...rich, assessment: assessment({ signals: [] }) });
    for (const id of CONTAINMENT) expect(draftOf(id, built), id).toBeNull();
    const plan = remediationPlan([{ ...(built.incident as Incident), recommendations: recommend(built) }]);
    expect(plan.entries.filter((entry) => entry.phase === 'containment')).toEqual([]);
  });

  it('when a strong signal shows a compromise then every containment step is planned', () => {
    const built = input(rich);
    for (const id of CONTAINMENT) expect(draftOf(id, built), id).not.toBeNull();
  });

  it('when only the key creator is compromised then containment is planned, its own key included', () => {
    const provenance = {
      accessKeyId: KEY,
      userName: 'deploy-bot',
      createdBy: `arn:aws:iam::${USER_ACCOUNT}:user/ops-admin`,
      createdByAccessKeyId: 'AKIAOPS0000000000001',
      eventId: 'e-create-key',
      eventTime: BEFORE,
      sourceIPAddress: '203.0.113.50',
      userAgent: 'Boto3',
      creatorChain: [],
      creatorOrigin: null,
    };
    const built = input({ ...rich, actor: actor({ keyProvenance: provenance }), assessment: assessment({ signals: [] }) }, { creatorCompromised: true });
    // The origin's key, the creator's key, and bob's (who reset alice's password from the attack's address).
    expect(callsOf(draftOf('deactivate-access-key', built), 'UpdateAccessKey').map((step) => step.params.AccessKeyId)).toEqual([KEY, 'AKIAOPS0000000000001', 'AKIABOB0000000000001']);
    expect(draftOf('reset-password', built)).not.toBeNull();
  });

  it('when one medium signal is all there is then it is worth a look, not a lock-out', () => {
    const built = input({ ...rich, assessment: assessment({ signals: [{ ...HIGH_SIGNAL, id: 'new-source-ip', severity: 'medium' }] }) });
    for (const id of CONTAINMENT) expect(draftOf(id, built), id).toBeNull();
  });
});

describe('revoke-role-sessions', () => {
  it('when roles are in the chain then the revocation time is taken at run time, right before the deny on older sessions', () => {
    const draft = draftOf('revoke-role-sessions', input());
    expectValidCommands(draft);
    expect(stepsOf(draft)).toEqual([
      { kind: 'now', variable: 'REVOKE_BEFORE' },
      expect.objectContaining({ kind: 'call', operation: 'PutRolePolicy', params: expect.objectContaining({ RoleName: 'InfraAdmin', PolicyName: 'AWSRevokeOlderSessions' }) }),
    ]);
    const policy = JSON.stringify((callsOf(draft, 'PutRolePolicy')[0]!.params.PolicyDocument as { json: unknown }).json);
    expect(policy).toContain('"DateLessThan":{"aws:TokenIssueTime":"${REVOKE_BEFORE}"}');
    // deploy-bot used a long-term key (deactivated instead), and nobody changed its password: no user session to revoke.
    expect(callsOf(draft, 'PutUserPolicy')).toEqual([]);
    expect(draft!.title).toBe('Revoke active sessions of 1 role in the chain');
  });

  it('when the deletion was made with a federated session (GetFederationToken) then the user who made it gets the deny, which ends the session', () => {
    const federated = actor({
      type: 'FederatedUser',
      arn: `arn:aws:sts::${USER_ACCOUNT}:federated-user/stratus`,
      accessKeyId: 'ASIAFEDERATED0000001',
      sessionIssuerArn: USER_ARN,
      chain: [{ arn: USER_ARN, type: 'IAMUser', accessKeyId: KEY, accountId: USER_ACCOUNT, via: 'e-federate', viaEventName: 'GetFederationToken', sourceIPAddress: '203.0.113.50', label: USER_ARN }],
    });
    const draft = draftOf('revoke-role-sessions', input({ actor: federated }));
    expectValidCommands(draft);
    expect(callsOf(draft, 'PutUserPolicy').map((call) => call.params.UserName)).toEqual(['deploy-bot']);
    expect(draft!.evidence).toContain('e-federate');
    // AssumeRole by the same long-term key is not a session of the user: no user deny then (the first case).
  });

  it('when the chain acted as an IAM user with a temporary key, or changed a user’s password or MFA, then those users’ sessions are revoked too', () => {
    const temporary = actor({
      chain: [{ arn: USER_ARN, type: 'IAMUser', accessKeyId: 'ASIATEMP000000000001', accountId: USER_ACCOUNT, via: 'e-session', viaEventName: 'GetSessionToken', sourceIPAddress: '203.0.113.50', label: USER_ARN }],
      origin: { arn: USER_ARN, type: 'IAMUser', accessKeyId: 'ASIATEMP000000000001', accountId: USER_ACCOUNT, label: USER_ARN, instanceId: null, instanceRegion: null },
    });
    const draft = draftOf('revoke-role-sessions', input({ actor: temporary, credentialChanges: SIGNS_IN_AS_ALICE }));
    expectValidCommands(draft);
    expect(draft!.title).toBe('Revoke active sessions of 1 role and 2 users in the chain');
    expect(draft!.actions.map((action) => [action.phase, action.accountId])).toEqual([
      ['containment', ACCOUNT],
      ['containment', USER_ACCOUNT],
      ['containment', ACCOUNT],
    ]);
    const users = callsOf(draft, 'PutUserPolicy');
    expect(users.map((step) => step.params.UserName)).toEqual(['deploy-bot', 'alice']);
    for (const step of users) {
      expect(step.params.PolicyName).toBe('AWSRevokeOlderSessions');
      expect(JSON.stringify((step.params.PolicyDocument as { json: unknown }).json)).toContain('"DateLessThan":{"aws:TokenIssueTime":"${REVOKE_BEFORE}"}');
    }
    // Each revocation takes its time right before it.
    const steps = stepsOf(draft);
    for (const step of users) expect(steps[steps.indexOf(step) - 1]).toEqual({ kind: 'now', variable: 'REVOKE_BEFORE' });
    expect(draft!.evidence).toEqual(expect.arrayContaining(['e-session', 'e-reset-alice']));
    expect(draft!.why).toContain('deploy-bot (the chain used a session of this user)');
    expect(draft!.why).toContain('alice (its password or MFA was changed by the attack)');
    const code = codeOf(draft!.actions).filter((line) => line.startsWith('aws iam put-user-policy '));
    expect(code.map((line) => line.replace(/ --policy-document .*/, ''))).toEqual([
      `aws iam put-user-policy --profile "$TRAILSIFT_PROFILE_${USER_ACCOUNT}" --user-name deploy-bot --policy-name AWSRevokeOlderSessions`,
      `aws iam put-user-policy --profile "$TRAILSIFT_PROFILE_${ACCOUNT}" --user-name alice --policy-name AWSRevokeOlderSessions`,
    ]);
    expect(actionPython(draft!.actions).filter((line) => line.includes('.put_user_policy(')).length).toBe(2);
  });
});

describe('contain-foreign-role and restore-recreated-profile', () => {
  const RECREATED = '2026-03-06T04:00:00Z';
  const recreatedWith = (history: Array<[string, string]>, changes: Incident['credentialChanges'] = []): RemediationInput =>
    input({
      instanceProfile: { name: 'app-profile', arn: null, path: '/', roles: ['app-role'], recreated: { eventId: 'e-recreate', eventTime: RECREATED } },
      profileHistory: history.map(([eventName, roleName], index) => ({ eventId: `e-history-${index}`, eventTime: RECREATED, eventName, actorArn: null, roleName, errorCode: null })),
      credentialChanges: changes,
    });
  const ATTACH = change({ eventId: 'e-attach', eventName: 'AttachRolePolicy', target: 'evil-role', resource: 'arn:aws:iam::aws:policy/AdministratorAccess' });

  it('when the re-created profile holds a role it never held then in containment its sessions are revoked, its incident policies detached and it is taken out; its delete is for later', () => {
    const draft = draftOf('contain-foreign-role', recreatedWith([['AddRoleToInstanceProfile', 'evil-role']], [ATTACH]));
    expectValidCommands(draft);
    expect(draft!.title).toBe('Contain evil-role, put into the re-created app-profile');
    expect(draft!.evidence).toEqual(['e-recreate', 'e-history-0', 'e-attach']);
    expect(draft!.actions.map((action) => [action.phase, action.accountId])).toEqual([['containment', ACCOUNT]]);
    expect(stepsOf(draft)).toEqual([
      { kind: 'now', variable: 'REVOKE_BEFORE' },
      expect.objectContaining({ kind: 'call', operation: 'PutRolePolicy', params: expect.objectContaining({ RoleName: 'evil-role', PolicyName: 'AWSRevokeOlderSessions' }) }),
      { kind: 'call', service: 'iam', operation: 'DetachRolePolicy', params: { RoleName: 'evil-role', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, tolerate: ['NoSuchEntity'] },
      { kind: 'call', service: 'iam', operation: 'RemoveRoleFromInstanceProfile', params: { InstanceProfileName: 'app-profile', RoleName: 'evil-role' }, tolerate: ['NoSuchEntity'] },
      { kind: 'call', service: 'iam', operation: 'DeleteRole', params: { RoleName: 'evil-role' }, later: 'once its other policies are gone and nothing uses it' },
    ]);
    const code = codeOf(draft!.actions);
    expect(code).toContain(`tolerate NoSuchEntity aws iam detach-role-policy --profile "$TRAILSIFT_PROFILE_${ACCOUNT}" --role-name evil-role --policy-arn arn:aws:iam::aws:policy/AdministratorAccess`);
    expect(code).toContain(`tolerate NoSuchEntity aws iam remove-role-from-instance-profile --profile "$TRAILSIFT_PROFILE_${ACCOUNT}" --instance-profile-name app-profile --role-name evil-role`);
    expect(code.filter((line) => line.includes('delete-role'))).toEqual([]);
    expect(actionCommands(draft!.actions)).toContain(`# later, once its other policies are gone and nothing uses it: aws iam delete-role --profile "$TRAILSIFT_PROFILE_${ACCOUNT}" --role-name evil-role`);
    const python = actionPython(draft!.actions);
    expect(python).toContain(`tolerating(("NoSuchEntity",), session("${ACCOUNT}").client("iam").remove_role_from_instance_profile, InstanceProfileName="app-profile", RoleName="evil-role")`);
    expect(python.filter((line) => line.includes('delete_role')).every((line) => line.startsWith('# later, '))).toBe(true);
    // The role was re-created without app-role: that is put back in recovery, and only that.
    const restore = draftOf('restore-recreated-profile', recreatedWith([['AddRoleToInstanceProfile', 'evil-role']], [ATTACH]));
    expectValidCommands(restore);
    expect(restore!.title).toBe('Put app-role back into the re-created app-profile');
    expect(restore!.why).toContain('(and with evil-role, taken out during containment)');
    expect(restore!.actions).toEqual([{ phase: 'recovery', accountId: ACCOUNT, steps: [{ kind: 'call', service: 'iam', operation: 'AddRoleToInstanceProfile', params: { InstanceProfileName: 'app-profile', RoleName: 'app-role' } }] }]);
  });

  it('when no policy was attached to the foreign role during the incident then nothing is detached', () => {
    const draft = draftOf('contain-foreign-role', recreatedWith([['AddRoleToInstanceProfile', 'evil-role']], [{ ...ATTACH, succeeded: false }, { ...ATTACH, eventId: 'e-other', target: 'other-role' }]));
    expect(callsOf(draft).map((step) => step.operation)).toEqual(['PutRolePolicy', 'RemoveRoleFromInstanceProfile', 'DeleteRole']);
  });

  it('when the re-created profile holds its own roles only, or a foreign role was taken out again, then there is nothing to contain or restore', () => {
    expect(draftOf('contain-foreign-role', recreatedWith([['AddRoleToInstanceProfile', 'app-role']]))).toBeNull();
    expect(draftOf('restore-recreated-profile', recreatedWith([['AddRoleToInstanceProfile', 'app-role']]))).toBeNull();
    const undone = recreatedWith([['AddRoleToInstanceProfile', 'evil-role'], ['RemoveRoleFromInstanceProfile', 'evil-role'], ['AddRoleToInstanceProfile', 'app-role']]);
    expect(draftOf('contain-foreign-role', undone)).toBeNull();
    expect(draftOf('restore-recreated-profile', undone)).toBeNull();
    // Only a foreign role, its own role there too: containment alone.
    const both = recreatedWith([['AddRoleToInstanceProfile', 'app-role'], ['AddRoleToInstanceProfile', 'evil-role']]);
    expect(draftOf('contain-foreign-role', both)).not.toBeNull();
    expect(draftOf('restore-recreated-profile', both)).toBeNull();
  });
});

describe('restore-logging', () => {
  const tampered = (eventName: string, trailName: string, eventId = `e-${eventName}`) => ({ eventId, eventName, trailName, region: 'eu-west-1', accountId: ACCOUNT });

  it('when the chain deleted a trail then it is created again under its name, recording every region with validation, and started; nothing reads a trail that is gone', () => {
    const draft = draftOf('restore-logging', input({}, { trailTampering: [tampered('DeleteTrail', `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/org-trail`)] }));
    expect(callsOf(draft).map((call) => call.operation)).toEqual(['CreateTrail', 'StartLogging']);
    expect(callsOf(draft, 'CreateTrail')[0]).toMatchObject({
      region: 'eu-west-1',
      params: { Name: 'org-trail', S3BucketName: { placeholder: 's3-bucket-name' }, IsMultiRegionTrail: true, IncludeGlobalServiceEvents: true, EnableLogFileValidation: true },
    });
    expect(callsOf(draft, 'StartLogging')[0]!.params).toEqual({ Name: 'org-trail' });
    expect(draft!.why).toContain('bucket of your baseline');
    expectValidCommands(draft);
  });

  it('when a trail was stopped and then deleted then it is started only after it is created again', () => {
    const draft = draftOf('restore-logging', input({}, { trailTampering: [tampered('StopLogging', 'org-trail'), tampered('DeleteTrail', 'org-trail')] }));
    expect(callsOf(draft).map((call) => call.operation)).toEqual(['CreateTrail', 'StartLogging']);
  });

  it.each([
    ['UpdateTrail', 'GetTrail', 'Name'],
    ['PutEventSelectors', 'GetEventSelectors', 'TrailName'],
    ['PutInsightSelectors', 'GetInsightSelectors', 'TrailName'],
  ])('when the chain ran %s then the settings it changes are read back (%s) for comparison with the baseline', (eventName, operation, parameter) => {
    const draft = draftOf('restore-logging', input({}, { trailTampering: [tampered(eventName, 'org-trail')] }));
    expect(callsOf(draft).map((call) => [call.operation, call.params])).toEqual([[operation, { [parameter]: 'org-trail' }]]);
    expectValidCommands(draft);
  });
});

describe('undo-attack-changes', () => {
  const SESSION = { actorArn: `arn:aws:sts::${ACCOUNT}:assumed-role/InfraAdmin/maint`, actorAccessKeyId: 'ASIAEXAMPLE000000001', sourceIPAddress: '198.51.100.9' };
  const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
  const undoOf = (changes: Incident['credentialChanges'], overrides: Partial<Incident> = {}): Draft | null => draftOf('undo-attack-changes', input({ credentialChanges: changes, ...overrides }));

  it('when the chain’s session attached a policy, wrote an inline policy and added a user to a group then each is taken away again in containment, in its account', () => {
    const draft = undoOf([
      change({ eventId: 'e-attach', eventName: 'AttachUserPolicy', ...SESSION, target: 'backdoor', resource: ADMIN }),
      change({ eventId: 'e-inline', eventName: 'PutRolePolicy', ...SESSION, target: 'app-role', resource: 'allow-all' }),
      change({ eventId: 'e-group', eventName: 'AddUserToGroup', ...SESSION, target: 'backdoor', resource: 'Admins' }),
    ]);
    expectValidCommands(draft);
    expect(draft!.evidence).toEqual(['e-attach', 'e-inline', 'e-group']);
    expect(draft!.actions.map((action) => [action.phase, action.accountId])).toEqual([['containment', ACCOUNT]]);
    expect(callsOf(draft).map((step) => [step.operation, step.params, step.tolerate, step.later])).toEqual([
      ['DetachUserPolicy', { UserName: 'backdoor', PolicyArn: ADMIN }, ['NoSuchEntity'], undefined],
      ['GetRolePolicy', { RoleName: 'app-role', PolicyName: 'allow-all' }, ['NoSuchEntity'], undefined],
      ['DeleteRolePolicy', { RoleName: 'app-role', PolicyName: 'allow-all' }, ['NoSuchEntity'], undefined],
      ['RemoveUserFromGroup', { GroupName: 'Admins', UserName: 'backdoor' }, ['NoSuchEntity'], undefined],
    ]);
    expect(codeOf(draft!.actions)).toContain(`tolerate NoSuchEntity aws iam detach-user-policy --profile "$TRAILSIFT_PROFILE_${ACCOUNT}" --user-name backdoor --policy-arn ${ADMIN}`);
    expect(draft!.why).toContain('if your baseline had it, attach it again');
  });

  it('when the attack created a user or a role then it is denied every action at once and deleted only later', () => {
    const draft = undoOf([
      change({ eventId: 'e-user', eventName: 'CreateUser', ...SESSION, target: 'backdoor' }),
      change({ eventId: 'e-role', eventName: 'CreateRole', ...SESSION, target: 'escape-hatch', severity: 'medium' }),
    ]);
    expectValidCommands(draft);
    const [denyUser, deleteUser, denyRole, deleteRole] = callsOf(draft);
    expect(denyUser).toMatchObject({ operation: 'PutUserPolicy', params: { UserName: 'backdoor', PolicyName: 'QuarantineDenyAll' } });
    expect(JSON.parse(JSON.stringify((denyUser!.params.PolicyDocument as { json: unknown }).json))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'Quarantine', Effect: 'Deny', Action: ['*'], Resource: ['*'] }],
    });
    expect(denyRole).toMatchObject({ operation: 'PutRolePolicy', params: { RoleName: 'escape-hatch', PolicyName: 'QuarantineDenyAll' } });
    expect([deleteUser, deleteRole].map((step) => [step!.operation, !!step!.later])).toEqual([['DeleteUser', true], ['DeleteRole', true]]);
    expect(codeOf(draft!.actions).filter((line) => / aws iam delete-(user|role) /.test(line))).toEqual([]);
  });

  it('when the attack replaced a trust policy or a policy version then the current one is read and the baseline goes back by hand: nothing is rewritten', () => {
    const policy = `arn:aws:iam::${ACCOUNT}:policy/app-policy`;
    const draft = undoOf([
      change({ eventId: 'e-trust', eventName: 'UpdateAssumeRolePolicy', ...SESSION, target: 'app-role' }),
      change({ eventId: 'e-version', eventName: 'CreatePolicyVersion', ...SESSION, target: policy, resource: policy }),
    ]);
    expectValidCommands(draft);
    expect(stepsOf(draft).map((step) => (step.kind === 'call' ? step.operation : step.kind))).toEqual(['GetRole', 'manual', 'ListPolicyVersions', 'manual']);
    expect(stepsOf(draft).filter((step) => step.kind === 'manual').map((step) => (step as { text: string }).text)).toEqual([
      "the attack replaced the trust policy of role app-role and the log does not hold the earlier one: put back the one of your baseline (update-assume-role-policy), then revoke the role's older sessions",
      `the attack wrote a new version of ${policy}: set the version of your baseline as default (set-default-policy-version), then delete the attack's (delete-policy-version)`,
    ]);
  });

  it('when a change came from the chain’s own long-term identity but not from an address of the attack, from someone else’s session, failed, or was routine then it is left alone', () => {
    const draft = undoOf([
      change({ eventId: 'e-owner', eventName: 'AttachUserPolicy', sourceIPAddress: '192.0.2.10', target: 'deploy-bot', resource: ADMIN }),
      change({ eventId: 'e-other', eventName: 'AttachUserPolicy', actorArn: `arn:aws:sts::${ACCOUNT}:assumed-role/Ops/alice`, actorAccessKeyId: 'ASIAOTHER00000000001', target: 'deploy-bot', resource: ADMIN }),
      change({ eventId: 'e-failed', eventName: 'AttachUserPolicy', ...SESSION, target: 'deploy-bot', resource: ADMIN, succeeded: false, errorCode: 'AccessDenied' }),
      change({ eventId: 'e-routine', eventName: 'AttachUserPolicy', target: 'deploy-bot', resource: ADMIN, severity: 'info' }),
    ]);
    expect(draft).toBeNull();
  });

  it('when the chain’s long-term key made it from an address of the attack, or an accomplice’s long-term key did, then it is undone', () => {
    const draft = undoOf([
      change({ eventId: 'e-chain-key', eventName: 'AttachUserPolicy', target: 'deploy-bot', resource: ADMIN }),
      change({ eventId: 'e-accomplice', eventName: 'AddUserToGroup', actorArn: `arn:aws:iam::${ACCOUNT}:user/bob`, actorAccessKeyId: 'AKIABOB0000000000001', target: 'deploy-bot', resource: 'Admins' }),
    ]);
    expect(draft!.evidence).toEqual(['e-chain-key', 'e-accomplice']);
    expect(callsOf(draft).map((step) => step.operation)).toEqual(['DetachUserPolicy', 'RemoveUserFromGroup']);
    // Each in the account it was made in.
    expect(draft!.actions.map((action) => action.accountId)).toEqual([USER_ACCOUNT, ACCOUNT]);
  });

  it('when the chain’s first hop came from its owner’s own address then changes from there are not the attack’s: neither the owner’s nor an admin’s, whose key stays active', () => {
    // deploy-bot (a CI runner at 192.0.2.10) assumed the role; the stolen session deleted from 198.51.100.9.
    const stolenDownstream = actor({
      sourceIPAddress: '198.51.100.9',
      chain: [{ arn: USER_ARN, type: 'IAMUser', accessKeyId: KEY, accountId: USER_ACCOUNT, via: 'e-assume', viaEventName: 'AssumeRole', sourceIPAddress: '192.0.2.10', label: USER_ARN }],
    });
    const changes = [
      change({ eventId: 'e-ci-role', eventName: 'CreateRole', sourceIPAddress: '192.0.2.10', target: 'ci-app-role', severity: 'medium' }),
      change({ eventId: 'e-alice', eventName: 'AttachRolePolicy', actorArn: `arn:aws:iam::${ACCOUNT}:user/alice`, actorAccessKeyId: 'AKIAALICE00000000001', sourceIPAddress: '192.0.2.10', target: 'InfraAdmin', resource: ADMIN }),
    ];
    const built = input({ actor: stolenDownstream, credentialChanges: changes });
    expect(draftOf('undo-attack-changes', built)).toBeNull();
    expect(callsOf(draftOf('deactivate-access-key', built), 'UpdateAccessKey').map((step) => step.params.AccessKeyId)).not.toContain('AKIAALICE00000000001');
    // From the deletion's address they are.
    expect(draftOf('undo-attack-changes', input({ actor: stolenDownstream, credentialChanges: changes.map((one) => ({ ...one, sourceIPAddress: '198.51.100.9' })) }))!.evidence).toEqual(['e-ci-role', 'e-alice']);
  });

  it('when the session is an instance’s then its own workload’s calls with that key are not the attack’s; the attack’s are those from the deletion’s outside address', () => {
    const instanceSession = (deletedFrom: string) =>
      actor({
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app-role/i-0aaaaaaaaaaaaaaa1`,
        accessKeyId: 'ASIAINSTANCE00000001',
        sourceIPAddress: deletedFrom,
        sessionIssuerArn: `arn:aws:iam::${ACCOUNT}:role/app-role`,
        chain: [{ arn: 'ec2.amazonaws.com', type: 'AWSService', accessKeyId: null, accountId: ACCOUNT, via: 'e-delivery', viaEventName: 'AssumeRole', sourceIPAddress: 'ec2.amazonaws.com', label: 'EC2 instance i-0aaaaaaaaaaaaaaa1' }],
        origin: { arn: 'ec2.amazonaws.com', type: 'AWSService', accessKeyId: null, accountId: ACCOUNT, label: 'EC2 instance i-0aaaaaaaaaaaaaaa1', instanceId: 'i-0aaaaaaaaaaaaaaa1', instanceRegion: 'us-west-2' },
      });
    const byKey = (ip: string) => change({ eventId: `e-role-${ip}`, eventName: 'CreateRole', actorArn: `arn:aws:sts::${ACCOUNT}:assumed-role/app-role/i-0aaaaaaaaaaaaaaa1`, actorAccessKeyId: 'ASIAINSTANCE00000001', sourceIPAddress: ip, target: `role-${ip}`, severity: 'medium' });
    const fromOutside = draftOf('undo-attack-changes', input({ actor: instanceSession('203.0.113.77'), credentialChanges: [byKey('10.0.1.5'), byKey('203.0.113.77')] }));
    expect(fromOutside!.evidence).toEqual(['e-role-203.0.113.77']);
    // Deleted from inside the VPC: the address cannot tell the attacker from the workload, so nothing is undone by it.
    expect(draftOf('undo-attack-changes', input({ actor: instanceSession('10.0.1.5'), credentialChanges: [byKey('10.0.1.5')] }))).toBeNull();
  });

  it('when the same change was made twice it is undone once, citing both; when a later call took it away again it is not undone', () => {
    const attach = change({ eventId: 'e-attach-1', eventName: 'AttachUserPolicy', ...SESSION, target: 'backdoor', resource: ADMIN, eventTime: '2026-03-05T02:00:00Z' });
    const twice = undoOf([attach, { ...attach, eventId: 'e-attach-2', eventTime: '2026-03-05T02:05:00Z' }]);
    expect(callsOf(twice).map((step) => step.operation)).toEqual(['DetachUserPolicy']);
    expect(twice!.evidence).toEqual(['e-attach-1', 'e-attach-2']);
    const detached = change({ eventId: 'e-detach', eventName: 'DetachUserPolicy', actorArn: `arn:aws:iam::${ACCOUNT}:user/admin`, actorAccessKeyId: 'AKIAADMIN00000000001', sourceIPAddress: '192.0.2.10', target: 'backdoor', resource: ADMIN, eventTime: '2026-03-05T03:00:00Z' });
    expect(undoOf([attach, detached])).toBeNull();
    // Detaching another policy, or before the attach, leaves it to undo.
    expect(undoOf([{ ...detached, resource: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, attach])).not.toBeNull();
    expect(undoOf([{ ...detached, eventTime: '2026-03-05T01:00:00Z' }, attach])).not.toBeNull();
  });

  it('when the attack detached a policy then it is not given back, unless it was AWS’s quarantine of an exposed key, which is attached again', () => {
    const quarantine = 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2';
    const draft = undoOf([
      change({ eventId: 'e-detach-admin', eventName: 'DetachUserPolicy', ...SESSION, target: 'deploy-bot', resource: ADMIN, severity: 'medium' }),
      change({ eventId: 'e-detach-quarantine', eventName: 'DetachUserPolicy', ...SESSION, target: 'deploy-bot', resource: quarantine, severity: 'medium' }),
    ]);
    expectValidCommands(draft);
    expect(draft!.evidence).toEqual(['e-detach-quarantine']);
    expect(callsOf(draft).map((step) => [step.operation, step.params])).toEqual([['AttachUserPolicy', { UserName: 'deploy-bot', PolicyArn: quarantine }]]);
  });

  it('when nothing shows a compromise then nothing is undone', () => {
    expect(undoOf([change({ eventId: 'e-user', eventName: 'CreateUser', ...SESSION, target: 'backdoor' })], { assessment: assessment({ signals: [] }) })).toBeNull();
  });

  it('when the attack worked on the role it put into the re-created profile then contain-foreign-role deals with it, not this', () => {
    const built = input({
      instanceProfile: { name: 'app-profile', arn: null, path: '/', roles: ['app-role'], recreated: { eventId: 'e-recreate', eventTime: '2026-03-06T04:00:00Z' } },
      profileHistory: [{ eventId: 'e-add', eventTime: '2026-03-06T04:00:00Z', eventName: 'AddRoleToInstanceProfile', actorArn: null, roleName: 'evil-role', errorCode: null }],
      credentialChanges: [
        change({ eventId: 'e-create-role', eventName: 'CreateRole', ...SESSION, target: 'evil-role', severity: 'medium' }),
        change({ eventId: 'e-attach', eventName: 'AttachRolePolicy', ...SESSION, target: 'evil-role', resource: ADMIN }),
      ],
    });
    expect(draftOf('undo-attack-changes', built)).toBeNull();
    expect(draftOf('contain-foreign-role', built)).not.toBeNull();
  });

  const roleCalls = (incidents: Incident[], roleName: string): string[] =>
    remediationPlan(incidents)
      .entries.filter((entry) => entry.phase === 'containment')
      .flatMap((entry) => entry.steps.filter((planned) => planned.alreadyFor === null).map((planned) => planned.step))
      .flatMap((step) => (step.kind === 'call' && step.service === 'iam' && /(Role|User)Policy$/.test(step.operation) && (step.params.RoleName ?? step.params.UserName) === roleName ? [step.operation] : []));

  it('when the attack wrote an inline policy under a name the plan puts on the same identity then ours overwrites it and it is never deleted after ours, even across incidents', () => {
    const built = input({ credentialChanges: [change({ eventId: 'e-inline', eventName: 'PutRolePolicy', ...SESSION, target: 'InfraAdmin', resource: 'AWSRevokeOlderSessions' })] });
    const first = { ...(built.incident as Incident), recommendations: recommend(built) };
    expect(roleCalls([first], 'InfraAdmin')).toEqual(['PutRolePolicy']);
    // A second incident by the same chain, after the attack wrote it: the revocation stays the last word.
    const second = { ...first, id: 'e-delete-2', recommendations: recommend({ ...built, deletionEventId: 'e-delete-2' }) };
    expect(roleCalls([{ ...first, recommendations: recommend(input()) }, second], 'InfraAdmin')).toEqual(['PutRolePolicy']);
    // The quarantine's name on a user the attack created: our deny-all is put, never deleted.
    const quarantined = input({
      credentialChanges: [
        change({ eventId: 'e-user', eventName: 'CreateUser', ...SESSION, target: 'backdoor' }),
        change({ eventId: 'e-trap', eventName: 'PutUserPolicy', ...SESSION, target: 'backdoor', resource: 'QuarantineDenyAll', eventTime: '2026-03-05T02:01:00Z' }),
      ],
    });
    expect(roleCalls([{ ...(quarantined.incident as Incident), recommendations: recommend(quarantined) }], 'backdoor')).toEqual(['PutUserPolicy']);
  });
});

describe('instances whose role credentials the attack used', () => {
  const STOLEN = 'i-0aaaaaaaaaaaaaaa1';
  const OTHER = 'i-0bbbbbbbbbbbbbbb2';
  const fromInstance = (instanceRegion: string | null): Partial<Incident> => ({
    actor: actor({
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app-role/${STOLEN}`,
      sessionIssuerArn: `arn:aws:iam::${ACCOUNT}:role/app-role`,
      chain: [{ arn: 'ec2.amazonaws.com', type: 'AWSService', accessKeyId: null, accountId: ACCOUNT, via: 'e-delivery', viaEventName: 'AssumeRole', sourceIPAddress: 'ec2.amazonaws.com', label: `EC2 instance ${STOLEN}` }],
      origin: { arn: 'ec2.amazonaws.com', type: 'AWSService', accessKeyId: null, accountId: ACCOUNT, label: `EC2 instance ${STOLEN}`, instanceId: STOLEN, instanceRegion },
    }),
    affectedInstances: [STOLEN, OTHER].map((instanceId) => ({ instanceId, region: 'us-west-2', accountId: ACCOUNT, launchEventId: `e-launch-${instanceId}`, via: 'RunInstances', status: 'running-at-deletion' as const, statusEventId: null, associationId: null, reboundAfter: null })),
  });

  it('when the chain began with an instance’s credentials then IMDSv2 is required on it in its region and account, and it is isolated by hand', () => {
    const draft = draftOf('revoke-role-sessions', input(fromInstance('us-west-2')));
    expectValidCommands(draft);
    const action = draft!.actions.find((candidate) => candidate.steps.some((step) => step.kind === 'call' && step.operation === 'ModifyInstanceMetadataOptions'));
    expect(action).toMatchObject({ phase: 'containment', accountId: ACCOUNT });
    expect(action!.steps[0]).toEqual({
      kind: 'call',
      service: 'ec2',
      operation: 'ModifyInstanceMetadataOptions',
      region: 'us-west-2',
      params: { InstanceId: STOLEN, HttpTokens: 'required' },
      tolerate: ['InvalidInstanceID.NotFound'],
    });
    expect(codeOf(draft!.actions)).toContain(
      `tolerate InvalidInstanceID.NotFound aws ec2 modify-instance-metadata-options --profile "$TRAILSIFT_PROFILE_${ACCOUNT}" --region us-west-2 --instance-id ${STOLEN} --http-tokens required`,
    );
    expect(action!.steps[1]).toMatchObject({ kind: 'manual', text: expect.stringContaining(`isolate EC2 instance ${STOLEN} (us-west-2)`) });
  });

  it('when the instance’s region is not in the log then its containment is left to the operator', () => {
    const steps = stepsOf(draftOf('revoke-role-sessions', input(fromInstance(null))));
    expect(steps.filter((step) => step.kind === 'call' && step.operation === 'ModifyInstanceMetadataOptions')).toEqual([]);
    expect(steps).toContainEqual(expect.objectContaining({ kind: 'manual', text: expect.stringContaining('its region is not in the log records used here') }));
  });

  it('when the profile is restored then the instance the credentials were taken from is not given it again, the others are', () => {
    const draft = draftOf('reassociate-instances', input(fromInstance('us-west-2')));
    expect(stepsOf(draft).map((step) => [step.kind, step.kind === 'reassociate' ? step.instanceId : (step as { text: string }).text.split(' ')[0]])).toEqual([
      ['manual', STOLEN],
      ['reassociate', OTHER],
    ]);
    expect(draft!.title).toBe(`Re-associate the profile with 1 instance that held it, not with ${STOLEN} until it is clean`);
    expect(draft!.evidence).toContain('e-delivery');
    // Only that one held it: nothing is re-associated.
    const alone = draftOf('reassociate-instances', input({ ...fromInstance('us-west-2'), affectedInstances: fromInstance('us-west-2').affectedInstances!.slice(0, 1) }));
    expect(stepsOf(alone).map((step) => step.kind)).toEqual(['manual']);
    expect(alone!.title).toBe(`Leave ${STOLEN} without the profile until it is clean`);
  });

  it('when the origin is an instance’s credentials then the principal to investigate is named as the instance, not as EC2', () => {
    const draft = draftOf('investigate-principal', input(fromInstance('us-west-2')));
    expect(draft!.title).toBe(`Investigate EC2 instance ${STOLEN}`);
    expect(draft!.console[0]).toContain(`User name ${STOLEN}`);
    expect(stepsOf(draft)).toContainEqual({ kind: 'read', command: `npx trailsift timeline --db <case.db> --instance ${STOLEN}` });
  });

  it('when the attack also gave the held-back instance its own profile then the step says to take that association away by hand', () => {
    const base = fromInstance('us-west-2');
    const rebindings = base.affectedInstances!.map((instance) =>
      instance.instanceId === STOLEN
        ? { ...instance, reboundAfter: { eventId: 'e-rebind', eventTime: TIME, eventName: 'AssociateIamInstanceProfile', profileName: 'attacker-admin-profile', actorArn: base.actor!.arn, actorAccessKeyId: null, sourceIPAddress: '203.0.113.50' } }
        : instance,
    );
    const draft = draftOf('reassociate-instances', input({ ...base, affectedInstances: rebindings }));
    expect(stepsOf(draft)[0]).toMatchObject({ kind: 'manual', text: expect.stringContaining('it holds attacker-admin-profile, which the attack gave it: disassociate that') });
    expect(draft!.why).toContain(`The attack also gave ${STOLEN} attacker-admin-profile: take that association away by hand`);
    expect(draft!.why).not.toContain('that association is replaced with the restored profile too');
  });

  it('when nothing shows a compromise then every instance that held the profile gets it back', () => {
    const draft = draftOf('reassociate-instances', input({ ...fromInstance('us-west-2'), assessment: assessment({ signals: [] }) }));
    expect(stepsOf(draft).map((step) => step.kind)).toEqual(['reassociate', 'reassociate']);
  });
});

describe('an instance the attack gave another profile after the deletion', () => {
  const rebound = (overrides: Partial<NonNullable<Incident['affectedInstances'][number]['reboundAfter']>>): Partial<Incident> => ({
    affectedInstances: [
      {
        instanceId: 'i-0aaaaaaaaaaaaaaa1',
        region: 'us-west-2',
        accountId: ACCOUNT,
        launchEventId: 'e-launch',
        via: 'RunInstances',
        status: 'running-at-deletion',
        statusEventId: null,
        associationId: null,
        reboundAfter: {
          eventId: 'e-rebind',
          eventTime: TIME,
          eventName: 'AssociateIamInstanceProfile',
          profileName: 'attacker-admin-profile',
          actorArn: `arn:aws:sts::${ACCOUNT}:assumed-role/InfraAdmin/maint`,
          actorAccessKeyId: 'ASIAEXAMPLE000000001',
          sourceIPAddress: '198.51.100.9',
          ...overrides,
        },
      },
    ],
  });
  const reassociation = (draft: Draft | null) => stepsOf(draft).find((step) => step.kind === 'reassociate');

  it('when the chain’s session gave it the profile then the re-association replaces that one too, citing the call', () => {
    const draft = draftOf('reassociate-instances', input(rebound({})));
    expect(reassociation(draft)).toMatchObject({ instanceId: 'i-0aaaaaaaaaaaaaaa1', attackProfileName: 'attacker-admin-profile' });
    expect(draft!.evidence).toContain('e-rebind');
    expect(draft!.why).toContain('the attack gave i-0aaaaaaaaaaaaaaa1 attacker-admin-profile');
  });

  it('when someone outside the attack gave it another profile, or nothing shows a compromise, then that association is left alone', () => {
    const admin = rebound({ actorArn: `arn:aws:iam::${ACCOUNT}:user/admin`, actorAccessKeyId: 'AKIAADMIN00000000001', sourceIPAddress: '192.0.2.10' });
    expect(reassociation(draftOf('reassociate-instances', input(admin)))).not.toHaveProperty('attackProfileName');
    expect(reassociation(draftOf('reassociate-instances', input({ ...rebound({}), assessment: assessment({ signals: [] }) })))).not.toHaveProperty('attackProfileName');
  });
});
