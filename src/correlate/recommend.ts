/**
 * Remediation a responder can paste into a terminal, after reading it. Commands follow
 * cloudtrail-facts.md's "Remediation facts": keys are deactivated before they are
 * deleted, passwords cannot be read back (enforce a policy and force a reset), MFA needs
 * two consecutive codes from the device, sessions are revoked with a TokenIssueTime deny,
 * and a re-created profile must be re-associated explicitly. Every value taken from a
 * log record is shell-quoted: records are attacker-controlled. trailsift never runs them.
 */
import { userNameFromArn } from './credentials.js';
import type { Actor, AffectedInstance, Assessment, Incident, Recommendation } from './incident.js';

/** Quote for POSIX sh unless the value is plainly safe. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function accountOfArn(arn: string | null): string | null {
  const account = arn?.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : null;
}

function roleOfSession(arn: string | null): { roleName: string; accountId: string | null } | null {
  const assumed = arn ? /^arn:aws[\w-]*:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn) : null;
  if (assumed) return { roleName: assumed[2]!, accountId: assumed[1]! };
  const role = arn ? /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn) : null;
  return role ? { roleName: role[2]!, accountId: role[1]! } : null;
}

function inAccount(accountId: string | null): string {
  return `# with credentials for account ${accountId ?? '<account-id>'}`;
}

interface KeyToDisable {
  userName: string;
  accessKeyId: string;
  accountId: string | null;
  why: string;
  evidence: string[];
}

function keysToDisable(actor: Actor, creatorCompromised: boolean): KeyToDisable[] {
  const keys = new Map<string, KeyToDisable>();
  const add = (key: KeyToDisable | null): void => {
    if (key && !keys.has(key.accessKeyId)) keys.set(key.accessKeyId, key);
  };
  const origin = actor.origin;
  const originUser = userNameFromArn(origin.arn);
  if (origin.accessKeyId?.startsWith('AKIA') && originUser) {
    add({ userName: originUser, accessKeyId: origin.accessKeyId, accountId: accountOfArn(origin.arn), why: 'long-term key at the origin of the chain', evidence: actor.keyProvenance ? [actor.keyProvenance.eventId] : [] });
  }
  for (const hop of actor.chain) {
    const user = userNameFromArn(hop.arn);
    if (hop.accessKeyId?.startsWith('AKIA') && user) {
      add({ userName: user, accessKeyId: hop.accessKeyId, accountId: accountOfArn(hop.arn), why: 'long-term key used in the chain', evidence: [hop.via] });
    }
  }
  // The creator's own key only when its creation looks like part of the attack: never for a
  // routine onboarding from the creator's usual place.
  const provenance = creatorCompromised ? actor.keyProvenance : null;
  const creatorUser = userNameFromArn(provenance?.createdBy ?? null);
  if (provenance?.createdByAccessKeyId?.startsWith('AKIA') && creatorUser) {
    add({ userName: creatorUser, accessKeyId: provenance.createdByAccessKeyId, accountId: accountOfArn(provenance.createdBy), why: "key that created the origin's key", evidence: [provenance.eventId] });
  }
  return [...keys.values()];
}

const IP_ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]+)$/i;

/**
 * Long-term keys of identities outside the chain that made a high-risk change to it from
 * one of the attack's addresses (a second stolen key resetting the victim's password).
 */
function accompliceKeys(incident: RecommendationInput['incident']): KeyToDisable[] {
  const actor = incident.actor;
  const attack = new Set(
    [actor.sourceIPAddress, ...actor.chain.map((hop) => hop.sourceIPAddress), actor.consoleLogin?.sourceIPAddress ?? null].filter(
      (ip): ip is string => ip !== null && IP_ADDRESS.test(ip),
    ),
  );
  const chain = new Set([actor.arn, actor.origin.arn, ...actor.chain.map((hop) => hop.arn)]);
  const keys = new Map<string, KeyToDisable>();
  for (const change of incident.credentialChanges) {
    const user = userNameFromArn(change.actorArn);
    if (change.errorCode || (change.severity !== 'high' && change.severity !== 'critical') || chain.has(change.actorArn)) continue;
    if (!user || !change.actorAccessKeyId?.startsWith('AKIA') || !change.sourceIPAddress || !attack.has(change.sourceIPAddress)) continue;
    const key = keys.get(change.actorAccessKeyId);
    if (key) key.evidence.push(change.eventId);
    else {
      keys.set(change.actorAccessKeyId, {
        userName: user,
        accessKeyId: change.actorAccessKeyId,
        accountId: accountOfArn(change.actorArn),
        why: `made ${change.eventName} on ${change.target ?? 'the chain'} from ${change.sourceIPAddress}, an address of the attack`,
        evidence: [change.eventId],
      });
    }
  }
  return [...keys.values()];
}

export interface RecommendationInput {
  incident: Pick<Incident, 'id' | 'outcome' | 'region' | 'accountId' | 'instanceProfile' | 'actor' | 'affectedInstances' | 'launchTemplates' | 'launchConfigurations' | 'credentialChanges'>;
  assessment: Assessment;
  /** Keys that CreateAccessKey issued during the attack, with their owners. */
  createdKeys: Array<{ accessKeyId: string; userName: string; accountId: string | null; eventId: string }>;
  deletionEventId: string;
  /** Whether the creation of the origin's key looks like part of the attack (signals.ts). */
  creatorCompromised: boolean;
}

export function recommend(input: RecommendationInput): Recommendation[] {
  const { incident, assessment } = input;
  if (assessment.classification !== 'suspicious') {
    // Nothing to repair or contain, but signals on the identity still deserve a look.
    return assessment.signals.length > 0 && assessment.classification !== 'service' ? investigatePrincipal(input) : [];
  }
  const recommendations: Recommendation[] = [];
  const profile = incident.instanceProfile;
  const name = shellQuote(profile.name);
  const deleted = incident.outcome === 'deleted';
  const iamAccount = inAccount(incident.accountId);

  // Restoring and re-associating only repair something when something held the profile.
  const repairs = deleted && assessment.impact !== 'none';
  if (repairs && !profile.recreated) {
    const pathFlag = profile.path ? ` --path ${shellQuote(profile.path)}` : '';
    const roles = profile.roles.length > 0 ? profile.roles : ['<role-name>'];
    recommendations.push({
      id: 'restore-instance-profile',
      title: `Re-create instance profile ${profile.name}${profile.path ? ` at path ${profile.path}` : ''} with its role${roles.length > 1 ? 's' : ''}`,
      why:
        `The profile was deleted${profile.roles.length === 0 ? '; no role was found in the archive, so fill in the role it held' : ''}.` +
        (profile.path ? '' : ' Its path is unknown (no event carried its ARN), so it is re-created at the default path /.') +
        ' A re-created profile gets a new unique ID: running instances do not pick it up by name.',
      evidence: [input.deletionEventId],
      commands: [
        iamAccount,
        `aws iam create-instance-profile --instance-profile-name ${name}${pathFlag}`,
        ...roles.map((role) => `aws iam add-role-to-instance-profile --instance-profile-name ${name} --role-name ${role === '<role-name>' ? role : shellQuote(role)}`),
      ],
    });
  }

  const running = incident.affectedInstances.filter((instance: AffectedInstance) => instance.status !== 'terminated-before-deletion');
  if (repairs && running.length > 0) {
    recommendations.push({
      id: 'reassociate-instances',
      title: `Re-associate the profile with ${running.length} instance(s) that were running or stopped`,
      why: 'These instances lost their role credentials when the profile was deleted (a stopped one fails when started). Terminated instances are left out.',
      evidence: running.map((instance) => instance.launchEventId),
      commands: running.flatMap((instance) => {
        const region = shellQuote(instance.region ?? '<region>');
        const id = shellQuote(instance.instanceId);
        return [
          `aws ec2 associate-iam-instance-profile --region ${region} --instance-id ${id} --iam-instance-profile Name=${name}`,
          `aws ec2 describe-iam-instance-profile-associations --region ${region} --filters Name=instance-id,Values=${id}`,
        ];
      }),
    });
  }

  // Containment only where something shows a compromise: a routine deletion by its usual
  // owner from its usual place must not lock that owner out.
  const compromise = assessment.signals.length > 0 || input.creatorCompromised;
  const keys = compromise
    ? [...keysToDisable(incident.actor, input.creatorCompromised), ...accompliceKeys(incident)].filter(
        (key, index, all) => all.findIndex((other) => other.accessKeyId === key.accessKeyId) === index,
      )
    : [];
  for (const created of input.createdKeys) {
    if (!keys.some((key) => key.accessKeyId === created.accessKeyId)) {
      keys.push({ userName: created.userName, accessKeyId: created.accessKeyId, accountId: created.accountId, why: 'key created during the attack', evidence: [created.eventId] });
    }
  }
  if (keys.length > 0) {
    recommendations.push({
      id: 'deactivate-access-key',
      title: `Deactivate, then delete, ${keys.length} access key(s)`,
      why: `${keys.map((key) => `${key.accessKeyId} (${key.userName}): ${key.why}`).join('; ')}. Deactivation is reversible; delete once nothing legitimate breaks.`,
      evidence: [...new Set(keys.flatMap((key) => key.evidence))],
      commands: keys.flatMap((key) => [
        inAccount(key.accountId),
        `aws iam update-access-key --user-name ${shellQuote(key.userName)} --access-key-id ${shellQuote(key.accessKeyId)} --status Inactive`,
        `aws iam delete-access-key --user-name ${shellQuote(key.userName)} --access-key-id ${shellQuote(key.accessKeyId)}`,
      ]),
    });
  }

  const roles = new Map<string, { roleName: string; accountId: string | null; evidence: string }>();
  const identityCenterRoles = new Map<string, { roleName: string; accountId: string | null; evidence: string }>();
  const addRole = (arn: string | null, evidence: string): void => {
    const role = roleOfSession(arn);
    if (!role || /^AWSServiceRoleFor/.test(role.roleName)) return;
    // Identity Center's roles are protected: IAM refuses policies on them (see below).
    (/^AWSReservedSSO_/.test(role.roleName) ? identityCenterRoles : roles).set(`${role.accountId}/${role.roleName}`, { ...role, evidence });
  };
  addRole(incident.actor.sessionIssuerArn ?? incident.actor.arn, input.deletionEventId);
  for (const hop of incident.actor.chain) if (hop.type === 'AssumedRole') addRole(hop.arn, hop.via);
  // A stolen session behind the key creator (an instance role included) is still live too.
  const provenance = input.creatorCompromised ? incident.actor.keyProvenance : null;
  if (provenance) {
    addRole(provenance.createdBy, provenance.eventId);
    for (const hop of provenance.creatorChain) if (hop.type === 'AssumedRole') addRole(hop.arn, hop.via);
  }
  if (compromise && (roles.size > 0 || identityCenterRoles.size > 0)) {
    const policy = (variable: string) =>
      `"{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Deny\\",\\"Action\\":[\\"*\\"],\\"Resource\\":[\\"*\\"],\\"Condition\\":{\\"DateLessThan\\":{\\"aws:TokenIssueTime\\":\\"$${variable}\\"}}}]}"`;
    recommendations.push({
      id: 'revoke-role-sessions',
      title: `Revoke active sessions of ${roles.size + identityCenterRoles.size} role(s) in the chain`,
      why:
        'Temporary keys stay valid until they expire, even after the keys that made them are gone. An inline deny on aws:TokenIssueTime before now (the documented AWSRevokeOlderSessions policy) kills every session issued so far; new sessions still work.' +
        (identityCenterRoles.size > 0
          ? ` ${[...identityCenterRoles.values()].map((role) => `${role.roleName} (${role.accountId})`).join(', ')} belong${identityCenterRoles.size === 1 ? 's' : ''} to IAM Identity Center, which refuses changes to its roles: end the user's sessions in the Identity Center console (Users → the user → Active sessions) and add the same deny to the permission set's inline policy there, keeping what that policy already says.`
          : ''),
      evidence: [...new Set([...roles.values(), ...identityCenterRoles.values()].map((role) => role.evidence))],
      commands: roles.size === 0 ? [] : [
        'REVOKE_BEFORE=$(date -u +%Y-%m-%dT%H:%M:%SZ)',
        ...[...roles.values()].flatMap((role) => [
          inAccount(role.accountId),
          `aws iam put-role-policy --role-name ${shellQuote(role.roleName)} --policy-name AWSRevokeOlderSessions --policy-document ${policy('REVOKE_BEFORE')}`,
        ]),
      ],
    });
  }

  const mfaRemovedFrom = incident.credentialChanges
    .filter((change) => (change.eventName === 'DeactivateMFADevice' || change.eventName === 'DeleteVirtualMFADevice') && !change.errorCode)
    .map((change) => ({ user: change.target ?? userNameFromArn(change.actorArn), accountId: accountOfArn(change.actorArn), eventId: change.eventId }));
  const mfaUsers = new Map<string, { accountId: string | null; eventId: string }>();
  for (const removed of mfaRemovedFrom) if (removed.user) mfaUsers.set(removed.user, { accountId: removed.accountId, eventId: removed.eventId });
  const originUser = incident.actor.origin.type === 'IAMUser' ? userNameFromArn(incident.actor.origin.arn) : null;
  // MFA guards sign-ins: an identity seen only with access keys gets none proposed.
  const signsIn = incident.actor.consoleLogin !== null || incident.credentialChanges.some((change) => change.eventName === 'ConsoleLogin' && change.target === originUser);
  if (incident.actor.mfaAuthenticated === false && originUser && signsIn && !mfaUsers.has(originUser)) {
    mfaUsers.set(originUser, { accountId: accountOfArn(incident.actor.origin.arn), eventId: input.deletionEventId });
  }
  if (compromise && mfaUsers.size > 0) {
    recommendations.push({
      id: 'enforce-mfa',
      title: `Put MFA back on ${[...mfaUsers.keys()].join(', ')}`,
      why: 'MFA was absent or deactivated. It cannot be enabled without the device: create a virtual device, scan it, then enable it with two consecutive codes (boto3: enable_mfa_device). Then require MFA in the users’ policies (aws:MultiFactorAuthPresent).',
      evidence: [...new Set([...mfaUsers.values()].map((entry) => entry.eventId))],
      commands: [...mfaUsers.entries()].flatMap(([user, entry]) => {
        const device = shellQuote(`${user}-mfa`);
        return [
          inAccount(entry.accountId),
          `aws iam create-virtual-mfa-device --virtual-mfa-device-name ${device} --outfile ${shellQuote(`${user}-mfa.png`)} --bootstrap-method QRCodePNG`,
          `aws iam enable-mfa-device --user-name ${shellQuote(user)} --serial-number arn:aws:iam::${entry.accountId ?? '<account-id>'}:mfa/${device} --authentication-code1 <code-1> --authentication-code2 <code-2>`,
        ];
      }),
    });
  }

  const passwordChanges = incident.credentialChanges.filter(
    (change) =>
      (change.eventName === 'UpdateLoginProfile' || change.eventName === 'CreateLoginProfile') &&
      !change.errorCode &&
      change.target !== null &&
      change.target !== userNameFromArn(change.actorArn),
  );
  if (compromise && passwordChanges.length > 0) {
    const users = new Map(passwordChanges.map((change) => [change.target!, change]));
    recommendations.push({
      id: 'reset-password',
      title: `Force a password reset for ${[...users.keys()].join(', ')}`,
      why: 'Someone else set these console passwords. AWS cannot show a password back, so force the owner to choose a new one at next sign-in.',
      evidence: passwordChanges.map((change) => change.eventId),
      commands: [...users.entries()].flatMap(([user, change]) => [
        inAccount(accountOfArn(change.actorArn)),
        `aws iam update-login-profile --user-name ${shellQuote(user)} --password-reset-required`,
      ]),
    });
  }
  const policyEvents = incident.credentialChanges.filter((change) =>
    ['UpdateLoginProfile', 'CreateLoginProfile', 'ChangePassword', 'UpdateAccountPasswordPolicy', 'DeleteAccountPasswordPolicy', 'ConsoleLogin'].includes(change.eventName),
  );
  if (policyEvents.length > 0) {
    const accounts = [...new Set(policyEvents.map((change) => accountOfArn(change.actorArn)))];
    recommendations.push({
      id: 'password-policy',
      title: 'Enforce a strong account password policy',
      why: 'Passwords were set or used during the incident. No tool can read an existing password to test it: enforce the policy so every new password meets it.',
      evidence: policyEvents.map((change) => change.eventId),
      commands: accounts.flatMap((accountId) => [
        inAccount(accountId),
        'aws iam update-account-password-policy --minimum-password-length 14 --require-symbols --require-numbers --require-uppercase-characters --require-lowercase-characters --password-reuse-prevention 24 --max-password-age 90',
      ]),
    });
  }

  recommendations.push(...investigatePrincipal(input));

  if (deleted && (incident.launchTemplates.length > 0 || incident.launchConfigurations.length > 0)) {
    recommendations.push({
      id: 'review-launch-templates',
      title: 'Review launch templates and configurations that name the profile',
      why: 'Every future launch from them fails until the profile exists again (restore it) or they point at another one.',
      evidence: [...incident.launchTemplates.map((template) => template.eventId), ...incident.launchConfigurations.map((configuration) => configuration.eventId)],
      commands: [
        ...incident.launchTemplates.map(
          (template) =>
            `aws ec2 describe-launch-template-versions --region ${shellQuote(template.region ?? '<region>')} --launch-template-id ${shellQuote(template.launchTemplateId ?? '<launch-template-id>')} --versions '$Latest' '$Default'`,
        ),
        ...incident.launchConfigurations.map(
          (configuration) =>
            `aws autoscaling describe-launch-configurations --region ${shellQuote(configuration.region ?? '<region>')} --launch-configuration-names ${shellQuote(configuration.name ?? '<launch-configuration-name>')}`,
        ),
      ],
    });
  }

  const scp = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInstanceProfileDeletion',
        Effect: 'Deny',
        Action: ['iam:DeleteInstanceProfile', 'iam:RemoveRoleFromInstanceProfile'],
        Resource: '*',
        Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/<deployment-role>' } },
      },
    ],
  });
  const pattern = JSON.stringify({
    source: ['aws.iam'],
    'detail-type': ['AWS API Call via CloudTrail'],
    detail: { eventSource: ['iam.amazonaws.com'], eventName: ['DeleteInstanceProfile', 'RemoveRoleFromInstanceProfile'] },
  });
  recommendations.push({
    id: 'guard-instance-profile-deletion',
    title: 'Only the deployment role may delete instance profiles; alert on every deletion',
    why: 'A service control policy (or a permission boundary) denying iam:DeleteInstanceProfile to everyone but the deployment role stops a repeat; an EventBridge rule in us-east-1 (where IAM events arrive) raises an alert. Replace <deployment-role> with the role your pipeline uses.',
    evidence: [input.deletionEventId],
    commands: [
      '# in the organization management account',
      `aws organizations create-policy --type SERVICE_CONTROL_POLICY --name DenyInstanceProfileDeletion --description 'Only the deployment role may delete instance profiles' --content '${scp}'`,
      `aws events put-rule --region us-east-1 --name trailsift-instance-profile-deletion --event-pattern '${pattern}'`,
    ],
  });
  return recommendations;
}

/** Read-only steps for the identities where the compromise began: the origin and whoever made its key. */
function investigatePrincipal(input: RecommendationInput): Recommendation[] {
  const { incident } = input;
  const recommendations: Recommendation[] = [];
  const principals = new Map<string, string>();
  if (incident.actor.keyProvenance?.createdBy) principals.set(incident.actor.keyProvenance.createdBy, incident.actor.keyProvenance.eventId);
  if (incident.actor.origin.arn) principals.set(incident.actor.origin.arn, incident.actor.chain.at(-1)?.via ?? input.deletionEventId);
  if (principals.size > 0) {
    recommendations.push({
      id: 'investigate-principal',
      title: `Investigate ${[...principals.keys()].join(' and ')}`,
      why: 'The origin of the chain and whoever created its key are where the compromise began. These commands only read.',
      evidence: [...new Set(principals.values())],
      commands: [...principals.keys()].flatMap((arn) => {
        const user = userNameFromArn(arn);
        const commands = [`trailsift timeline --actor ${shellQuote(arn)}`];
        if (user) {
          commands.push(
            inAccount(accountOfArn(arn)),
            `aws iam list-access-keys --user-name ${shellQuote(user)}`,
            `aws iam list-mfa-devices --user-name ${shellQuote(user)}`,
            `aws iam list-attached-user-policies --user-name ${shellQuote(user)}`,
            `aws iam list-user-policies --user-name ${shellQuote(user)}`,
            `aws iam list-groups-for-user --user-name ${shellQuote(user)}`,
          );
        }
        return commands;
      }),
    });
  }

  return recommendations;
}
