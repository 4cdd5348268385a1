/**
 * What an identifier says about itself, read one way for every layer: the account an ARN
 * names and whether an access key is long-term.
 */

/** An AWS account id: exactly twelve digits. */
export const ACCOUNT_ID = /^\d{12}$/;

/**
 * The account an ARN names (its fifth colon field), or null when that field is missing, empty
 * (S3 bucket ARNs) or not twelve digits. Every partition reads the same: `arn:aws-cn:…`,
 * `arn:aws-us-gov:…`.
 */
export function accountOfArn(arn: string | null | undefined): string | null {
  const account = arn?.split(':')[4];
  return account && ACCOUNT_ID.test(account) ? account : null;
}

/** Long-term (IAM user) keys start AKIA; anything else that signs is issued by STS for a while. */
export function isLongTermKey(accessKeyId: string | null | undefined): boolean {
  return !!accessKeyId && accessKeyId.startsWith('AKIA');
}

/** The account's root user (`arn:aws:iam::<account>:root`): not an IAM user, so IAM's user calls do not reach its keys. */
export function isRootArn(arn: string | null | undefined): boolean {
  return !!arn && /^arn:aws[\w-]*:iam::\d{12}:root$/.test(arn);
}
