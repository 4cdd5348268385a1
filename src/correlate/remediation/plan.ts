/**
 * A remediation plan as data: the API calls a responder should make, in the AWS API's own
 * operation and parameter names, grouped into actions that each run in one account during
 * one incident-response phase. The AWS CLI lines, the boto3 lines and both scripts are all
 * rendered from these steps (aws-cli.ts, boto3.ts), so they cannot disagree, and a test checks
 * every operation and parameter against the AWS SDK's own model.
 */

/** Containment first (so the attacker cannot undo the repair), then recovery, then hardening. */
export type Phase = 'containment' | 'recovery' | 'hardening' | 'investigation';
export const PHASES: readonly Phase[] = ['containment', 'recovery', 'hardening', 'investigation'];

/** The AWS CLI's service names (boto3 client names are the same). */
export type AwsService = 'iam' | 'ec2' | 'organizations' | 'events' | 'autoscaling' | 'cloudtrail' | 'batch' | 'imagebuilder' | 'emr' | 'elasticbeanstalk' | 'opsworks' | 'datapipeline';

export type Scalar = string | number | boolean;

/**
 * A parameter value. Strings inside `json` may hold `${NAME}` to splice in a variable the
 * plan set earlier (the revocation time); everything else is a literal from the logs.
 */
export type Value =
  | Scalar
  | string[]
  /** One structure: CLI shorthand `K=V,K=V`, a dict in Python. */
  | { struct: Record<string, Scalar> }
  /** A list of structures (`--filters Name=…,Values=…`). */
  | { structs: Array<Record<string, Scalar | string[]>> }
  /** A JSON document passed as a string (policy documents). */
  | { json: unknown }
  /** What only the operator knows (an MFA code, an SNS topic): the step is left for them to fill in. */
  | { placeholder: string }
  /** A value set earlier in the plan (`set` step, or a call's `capture`). */
  | { variable: string };

export interface CallStep {
  kind: 'call';
  service: AwsService;
  /** The API operation, e.g. `UpdateAccessKey`. */
  operation: string;
  params: Record<string, Value>;
  region?: string;
  /** Deletes something: written commented out, for later, once nothing legitimate breaks. */
  later?: string;
  /** Keep one field of the answer in a variable for later steps (a JMESPath query). */
  capture?: { variable: string; query: string };
  /** Error codes that mean it is already so (a re-run, or nothing to remove): reported, not fatal. */
  tolerate?: string[];
  /** Needs the step before it, which holds a placeholder, to have run (a trail started once it exists again): scripts leave it out with that step. */
  afterFillIn?: true;
}

export interface WaitStep {
  kind: 'wait';
  service: AwsService;
  /** The waiter, e.g. `InstanceProfileExists` (`aws iam wait instance-profile-exists`). */
  waiter: string;
  params: Record<string, Value>;
  region?: string;
}

/** Point an instance at the profile: replace the association it still holds, or associate one; then show it. */
export interface ReassociateStep {
  kind: 'reassociate';
  region: string;
  instanceId: string;
  profileName: string;
  /** The association the log named, for the reader to compare with the one described now. */
  loggedAssociationId: string | null;
  /** The profile the attack gave the instance after the deletion: an association to it is replaced too, never left. */
  attackProfileName?: string;
}

/** A new random console password, set with a forced change at next sign-in, shown once to the operator. */
export interface NewPasswordStep {
  kind: 'new-password';
  userName: string;
  /** The user may have no console password at all (then there is nothing to replace). */
  mayHaveNone?: boolean;
}

/**
 * UpdateAccountPasswordPolicy resets every setting it is not given, so the current policy
 * is read first and every setting passed: NIST SP 800-63B length and reuse prevention, no
 * forced periodic expiry, users allowed to change their own password.
 */
export interface PasswordPolicyStep {
  kind: 'password-policy';
  minimumLength: number;
  reusePrevention: number;
}

/** A new virtual MFA device whose seed is written to a file only the operator can read (0600), which they name. */
export interface VirtualMfaStep {
  kind: 'virtual-mfa';
  userName: string;
  deviceName: string;
}

/** A shell/Python variable holding the current UTC time (sessions issued before it are revoked). */
export interface NowStep {
  kind: 'now';
  variable: string;
}

/** Something only a person can do (read codes off a device, act in a console): text, never code. */
export interface ManualStep {
  kind: 'manual';
  text: string;
}

/** A read-only look (trailsift, or AWS list calls): shown to the reader, never run by the scripts. */
export interface ReadStep {
  kind: 'read';
  command: string;
}

export type Step = CallStep | WaitStep | ReassociateStep | NewPasswordStep | PasswordPolicyStep | VirtualMfaStep | NowStep | ManualStep | ReadStep;

export interface Action {
  phase: Phase;
  /** The account whose credentials the steps need; null when it cannot be known from the logs (the management account). */
  accountId: string | null;
  steps: Step[];
}

/** Variables the plan sets itself (`now` steps): the only `${NAME}` a JSON document may splice in. */
export const PLAN_VARIABLES: readonly string[] = ['REVOKE_BEFORE'];

/** The environment variable that names the AWS CLI profile (and boto3 profile) for an account. */
export function profileVariable(accountId: string): string {
  return `TRAILSIFT_PROFILE_${accountId}`;
}

/** The placeholder for the organization's management account, which CloudTrail of member accounts does not name. */
export const MANAGEMENT_PROFILE = 'management-account-profile';
