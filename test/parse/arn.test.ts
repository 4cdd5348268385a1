import { describe, expect, it } from 'vitest';
import { accountOfArn, isLongTermKey } from '../../src/parse/arn.js';

describe('accountOfArn', () => {
  it('when an ARN names an account in any partition then that account is read', () => {
    expect(accountOfArn('arn:aws:iam::111111111111:user/alice')).toBe('111111111111');
    expect(accountOfArn('arn:aws-cn:sts::222222222222:assumed-role/R/s')).toBe('222222222222');
    expect(accountOfArn('arn:aws-us-gov:iam::333333333333:role/path/R')).toBe('333333333333');
  });

  it('when there is no twelve-digit account field then there is no account', () => {
    expect(accountOfArn(null)).toBeNull();
    expect(accountOfArn(undefined)).toBeNull();
    expect(accountOfArn('')).toBeNull();
    expect(accountOfArn('ec2.amazonaws.com')).toBeNull();
    expect(accountOfArn('arn:aws:s3:::bucket')).toBeNull();
    expect(accountOfArn('arn:aws:iam::12345:user/short')).toBeNull();
    expect(accountOfArn('arn:aws:iam::1111111111112:user/long')).toBeNull();
  });
});

describe('isLongTermKey', () => {
  it('when a key starts AKIA then it is long-term; STS keys, empty and missing ones are not', () => {
    expect(isLongTermKey('AKIAEXAMPLE')).toBe(true);
    expect(isLongTermKey('ASIAEXAMPLE')).toBe(false);
    expect(isLongTermKey('akiaexample')).toBe(false);
    expect(isLongTermKey('')).toBe(false);
    expect(isLongTermKey(null)).toBe(false);
    expect(isLongTermKey(undefined)).toBe(false);
  });
});
