/** CloudTrail identities and the few record kinds correlation tests build again and again. */
import { eventId, record, type RecordShape } from './cloudtrail.js';

export const ACCOUNT = '111111111111';

export const iamUser = (name: string, key: string | null, account = ACCOUNT): RecordShape => ({
  type: 'IAMUser',
  principalId: `AIDA${name.toUpperCase().replace(/[^A-Z0-9]/g, '')}`,
  arn: `arn:aws:iam::${account}:user/${name}`,
  accountId: account,
  ...(key ? { accessKeyId: key } : {}),
  userName: name,
});

export const roleSession = (role: string, sessionName: string, key: string, account = ACCOUNT, extra: RecordShape = {}): RecordShape => ({
  type: 'AssumedRole',
  principalId: `AROA${role.toUpperCase().replace(/[^A-Z0-9]/g, '')}:${sessionName}`,
  arn: `arn:aws:sts::${account}:assumed-role/${role.split('/').pop()}/${sessionName}`,
  accountId: account,
  accessKeyId: key,
  sessionContext: {
    sessionIssuer: { type: 'Role', principalId: 'AROAROLE', arn: `arn:aws:iam::${account}:role/${role}`, accountId: account, userName: role.split('/').pop() },
    attributes: { creationDate: '2026-04-01T00:00:00Z', mfaAuthenticated: 'false' },
    ...extra,
  },
});

export const ec2Service: RecordShape = { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' };

/** An STS call that issued a temporary key. */
export function stsCall(n: number, time: string, name: string, caller: RecordShape, roleArn: string, issuedKey: string, extra: RecordShape = {}): RecordShape {
  return record({
    eventID: eventId(n),
    eventTime: time,
    eventSource: 'sts.amazonaws.com',
    eventName: name,
    userIdentity: caller,
    requestParameters: { roleArn, roleSessionName: 's' },
    responseElements: { credentials: { accessKeyId: issuedKey } },
    readOnly: true,
    ...extra,
  });
}

export function iamCall(n: number, time: string, name: string, caller: RecordShape, requestParameters: RecordShape | null, extra: RecordShape = {}): RecordShape {
  return record({ eventID: eventId(n), eventTime: time, eventSource: 'iam.amazonaws.com', eventName: name, userIdentity: caller, requestParameters, readOnly: false, ...extra });
}

export function profileDeletion(n: number, time: string, caller: RecordShape, name: string, extra: RecordShape = {}): RecordShape {
  return iamCall(n, time, 'DeleteInstanceProfile', caller, { instanceProfileName: name }, { recipientAccountId: ACCOUNT, ...extra });
}

export function consoleLogin(n: number, time: string, caller: RecordShape, ip: string, mfaUsed: string, result: 'Success' | 'Failure' = 'Success'): RecordShape {
  return record({
    eventID: eventId(n),
    eventTime: time,
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    eventType: 'AwsConsoleSignIn',
    userIdentity: caller,
    sourceIPAddress: ip,
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36',
    responseElements: { ConsoleLogin: result },
    additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: mfaUsed },
    ...(result === 'Failure' ? { errorMessage: 'Failed authentication' } : {}),
  });
}

/** EC2 handing an instance the credentials of its profile's role (one per IMDS version, in the same second). */
export const INSTANCE_ID = 'i-0a1b2c3d4e5f60718';
export const INSTANCE_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/app-instance-role`;

export function instanceDelivery(n: number, key: string, time = '2026-04-06T01:00:00Z'): RecordShape {
  return stsCall(n, time, 'AssumeRole', ec2Service, INSTANCE_ROLE_ARN, key, {
    sourceIPAddress: 'ec2.amazonaws.com',
    userAgent: 'ec2.amazonaws.com',
    requestParameters: { roleArn: INSTANCE_ROLE_ARN, roleSessionName: INSTANCE_ID },
  });
}

/** The instance's role session, fetched through IMDSv1 ("1.0") or IMDSv2 ("2.0"). */
export function instanceSession(key: string, delivery: '1.0' | '2.0'): RecordShape {
  return roleSession('app-instance-role', INSTANCE_ID, key, ACCOUNT, { ec2RoleDelivery: delivery });
}
