/**
 * Real CloudTrail records, as AWS documentation prints them (awsdocs/aws-cloudtrail-user-guide
 * and awsdocs/amazon-eks-user-guide sample code, MIT-0; see shared/datasets/public-cloudtrail
 * aws-docs-examples). Copied into code so the tests do not need shared/ to be present.
 */
import type { RecordShape } from './cloudtrail.js';

/** The EKS node group's service-linked role deleting an instance profile (eks user guide). */
export const deleteInstanceProfile: RecordShape = {
  eventVersion: '1.05',
  userIdentity: {
    type: 'AssumedRole',
    principalId: 'AROA3WHGPEZ7SJ2CW55C5:EKS',
    arn: 'arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForAmazonEKSNodegroup/EKS',
    accountId: '111122223333',
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: 'AROA3WHGPEZ7SJ2CW55C5',
        arn: 'arn:aws:iam::111122223333:role/aws-service-role/eks-nodegroup.amazonaws.com/AWSServiceRoleForAmazonEKSNodegroup',
        accountId: '111122223333',
        userName: 'AWSServiceRoleForAmazonEKSNodegroup',
      },
      webIdFederationData: {},
      attributes: { mfaAuthenticated: 'false', creationDate: '2020-02-26T00:56:33Z' },
    },
    invokedBy: 'eks-nodegroup.amazonaws.com',
  },
  eventTime: '2020-02-26T00:56:34Z',
  eventSource: 'iam.amazonaws.com',
  eventName: 'DeleteInstanceProfile',
  awsRegion: 'us-east-1',
  sourceIPAddress: 'eks-nodegroup.amazonaws.com',
  userAgent: 'eks-nodegroup.amazonaws.com',
  requestParameters: { instanceProfileName: 'eks-11111111-2222-3333-4444-abcdef123456' },
  responseElements: null,
  requestID: '11111111-2222-3333-4444-abcdef123456',
  eventID: '11111111-2222-3333-4444-abcdef123456',
  eventType: 'AwsApiCall',
  recipientAccountId: '111122223333',
};

/** An IAM user's console sign-in with MFA (cloudtrail user guide, sign-in events). */
export const consoleLogin: RecordShape = {
  eventVersion: '1.05',
  userIdentity: {
    type: 'IAMUser',
    principalId: 'AIDACKCEVSQ6C2EXAMPLE',
    arn: 'arn:aws:iam::111122223333:user/anaya',
    accountId: '111122223333',
    userName: 'anaya',
  },
  eventTime: '2022-11-10T16:24:34Z',
  eventSource: 'signin.amazonaws.com',
  eventName: 'ConsoleLogin',
  awsRegion: 'us-east-1',
  sourceIPAddress: '192.0.2.0',
  userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/67.0.3396.99 Safari/537.36',
  requestParameters: null,
  responseElements: { ConsoleLogin: 'Success' },
  additionalEventData: {
    LoginTo: 'https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true',
    MobileVersion: 'No',
    MFAIdentifier: 'arn:aws:iam::111122223333:u2f/user/anaya/default-AAAAAAAABBBBBBBBCCCCCCCCDD',
    MFAUsed: 'Yes',
  },
  eventID: 'fed06f42-cb12-4764-8c69-121063dc79b9',
  eventType: 'AwsConsoleSignIn',
  recipientAccountId: '111122223333',
};

/** KMS rotating a customer managed key by itself: a service event (cloudtrail user guide). */
export const rotateKey: RecordShape = {
  eventVersion: '1.05',
  userIdentity: { accountId: '123456789012', invokedBy: 'AWS Internal' },
  eventTime: '2019-06-02T00:06:08Z',
  eventSource: 'kms.amazonaws.com',
  eventName: 'RotateKey',
  awsRegion: 'us-east-2',
  sourceIPAddress: 'AWS Internal',
  userAgent: 'AWS Internal',
  requestParameters: null,
  responseElements: null,
  eventID: '234f004b-EXAMPLE',
  readOnly: false,
  resources: [{ ARN: 'arn:aws:kms:us-east-2:123456789012:key/7944f0ec-EXAMPLE', accountId: '123456789012', type: 'AWS::KMS::Key' }],
  eventType: 'AwsServiceEvent',
  recipientAccountId: '123456789012',
  serviceEventDetails: { keyId: '7944f0ec-EXAMPLE' },
};

/** A record as EventBridge delivers it: the envelope around the record in `detail`. */
export function eventBridgeEvent(detail: RecordShape, detailType = 'AWS API Call via CloudTrail'): RecordShape {
  const source = `aws.${String(detail.eventSource ?? 'unknown').split('.')[0]}`;
  return {
    version: '0',
    id: '0cdc5423-ed4e-71d8-c4f7-9c4ab361748c',
    'detail-type': detailType,
    source,
    account: detail.recipientAccountId ?? '111122223333',
    time: detail.eventTime,
    region: detail.awsRegion,
    resources: [],
    detail,
  };
}
