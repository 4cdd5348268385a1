/**
 * `investigate --emit-script FILE.py`: the same remediation plan as the shell script, as a
 * boto3 program. A dry run by default (it prints each call it would make, needing neither
 * boto3 nor credentials); `--apply` makes the calls, with one boto3.Session per account from
 * the same TRAILSIFT_PROFILE_<account> variables, in the same order and with the same
 * comments. The same safety rules as the shell script apply to comments and placeholders.
 */
import type { Incident } from '../correlate/incident.js';
import { pythonLines } from '../correlate/remediation/boto3.js';
import { profileVariable } from '../correlate/remediation/plan.js';
import { actingLabel, outcomeText } from './incident-view.js';
import { PHASE_TITLES, remediationPlan, SCRIPT_PHASES } from './remediation-plan.js';
import { commentLines, stepLines, StepsNotRun } from './remediation-script.js';

const INDENT = '    ';

/** The helpers the plan's composite steps call; fixed text, no record value in it. */
const PRELUDE = String.raw`import argparse
import datetime
import json
import os
import secrets
import string
import sys
import time

APPLY = False
MANAGEMENT_ACCOUNT = None
FAILED = []
_SESSIONS = {}


class DryRunClient:
    """Prints every call instead of making it, and answers with an empty response."""

    def __init__(self, account, service, region):
        self.account = account
        self.service = service
        self.region = region

    def __getattr__(self, method):
        def call(**params):
            where = f" in {self.region}" if self.region else ""
            shown = {key: ("<new password>" if key == "Password" else value) for key, value in params.items()}
            print(f"would call {self.service}.{method} in account {self.account}{where}: {shown!r}")
            return {}

        return call

    def get_waiter(self, name):
        client = self

        class Waiter:
            def wait(self, **params):
                print(f"would wait for {client.service} {name}: {params!r}")

        return Waiter()


class DryRunSession:
    def __init__(self, account):
        self.account = account

    def client(self, service, region_name=None):
        return DryRunClient(self.account, service, region_name)


def session(account):
    """One boto3 session per account, from that account's own profile."""
    if account is None:
        raise SystemExit("this step needs the organization management account: fill in MANAGEMENT_ACCOUNT and its profile first")
    if account not in _SESSIONS:
        if APPLY:
            import boto3

            _SESSIONS[account] = boto3.Session(profile_name=os.environ[ACCOUNTS[account]])
        else:
            _SESSIONS[account] = DryRunSession(account)
    return _SESSIONS[account]


def capture(path, response):
    """A dotted path into a response (Policy.PolicySummary.Id), or None."""
    for key in path.split("."):
        if not isinstance(response, dict) or key not in response:
            return None
        response = response[key]
    return response


def tolerating(codes, method, **params):
    """A call whose error naming one of these codes means it is already so (a re-run, or nothing to remove)."""
    try:
        return method(**params)
    except Exception as error:
        if not any(code in repr(error) for code in codes):
            raise
        print(f"already so ({', '.join(codes)}): {error}", file=sys.stderr)
        return None


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def reassociate(sess, region, instance_id, profile_name, logged_association_id=None, attack_profile_name=None):
    """Replace the association the instance still holds to the deleted profile (or to the one the attack gave it), or associate one where none remains; then show it."""
    ec2 = sess.client("ec2", region_name=region)
    found = ec2.describe_iam_instance_profile_associations(
        Filters=[{"Name": "instance-id", "Values": [instance_id]}, {"Name": "state", "Values": ["associated"]}]
    ).get("IamInstanceProfileAssociations", [])
    ours = [association for association in found if association.get("IamInstanceProfile", {}).get("Arn", "").endswith("/" + profile_name)]
    if logged_association_id and ours and ours[0].get("AssociationId") != logged_association_id:
        print(f"{instance_id}: the log named {logged_association_id}, the one described now is used", file=sys.stderr)
    if not ours and attack_profile_name:
        ours = [association for association in found if association.get("IamInstanceProfile", {}).get("Arn", "").endswith("/" + attack_profile_name)]
    if found and not ours:
        print(f"{instance_id} now holds another profile's association: left as it is, check it", file=sys.stderr)
        return
    for attempt in range(6):
        try:
            if ours:
                ec2.replace_iam_instance_profile_association(AssociationId=ours[0]["AssociationId"], IamInstanceProfile={"Name": profile_name})
            else:
                ec2.associate_iam_instance_profile(InstanceId=instance_id, IamInstanceProfile={"Name": profile_name})
            break
        except Exception as error:  # EC2 can refuse a profile for a few seconds after IAM made it
            if "InvalidParameterValue" not in repr(error) or attempt == 5:
                FAILED.append(instance_id)
                print(f"{instance_id}: {error}", file=sys.stderr)
                return
            print("the new profile is not visible to EC2 yet: retrying in 10 s", file=sys.stderr)
            time.sleep(10)
    shown = ec2.describe_iam_instance_profile_associations(Filters=[{"Name": "instance-id", "Values": [instance_id]}])
    if APPLY:
        print(shown)


def new_password(sess, user_name, may_have_none=False):
    """A new random password, a change required at next sign-in; shown once on stderr, stored nowhere."""
    alphabet = string.ascii_letters + string.digits
    password = "".join(secrets.choice(alphabet) for _ in range(40)) + "-Aa1"
    update = sess.client("iam").update_login_profile
    if may_have_none:
        if tolerating(("NoSuchEntity",), update, UserName=user_name, Password=password, PasswordResetRequired=True) is None:
            return  # no console password: nothing to replace
    else:
        update(UserName=user_name, Password=password, PasswordResetRequired=True)
    if APPLY:
        print(f"New console password for {user_name!r} (it must be changed at first sign-in): {password}", file=sys.stderr)


def password_policy(sess, minimum_length, reuse_prevention):
    """UpdateAccountPasswordPolicy resets what it is not given: read the current policy, then pass every setting."""
    iam = sess.client("iam")
    try:
        current = iam.get_account_password_policy().get("PasswordPolicy", {})
    except Exception as error:  # NoSuchEntity: no policy yet
        if "NoSuchEntity" not in repr(error):
            raise
        current = {}
    iam.update_account_password_policy(
        MinimumPasswordLength=max(int(current.get("MinimumPasswordLength", 0)), minimum_length),
        RequireSymbols=True,
        RequireNumbers=True,
        RequireUppercaseCharacters=True,
        RequireLowercaseCharacters=True,
        AllowUsersToChangePassword=True,
        PasswordReusePrevention=max(int(current.get("PasswordReusePrevention", 0)), reuse_prevention),
        HardExpiry=bool(current.get("HardExpiry", False)),
        # No MaxPasswordAge: NIST SP 800-63B advises against forced periodic expiry.
    )


def virtual_mfa(sess, user_name, device_name, seed_file):
    """A new virtual MFA device; its seed (which AWS returns once) goes to a file only you can read (0600)."""
    iam = sess.client("iam")
    if not APPLY:
        iam.create_virtual_mfa_device(VirtualMFADeviceName=device_name)
        return
    # The file first: if it cannot be made, no device is left without its seed.
    descriptor = os.open(seed_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        created = iam.create_virtual_mfa_device(VirtualMFADeviceName=device_name).get("VirtualMFADevice", {})
        seed = created.get("Base32StringSeed", b"")
        out.write(seed if isinstance(seed, bytes) else str(seed).encode())
    print(f"seed of {created.get('SerialNumber', device_name)} written to {seed_file}: scan it, then enable it with two consecutive codes", file=sys.stderr)


def main():
    global APPLY
    parser = argparse.ArgumentParser(description="trailsift remediation plan: a dry run unless --apply is given")
    parser.add_argument("--apply", action="store_true", help="make the calls (default: print them)")
    APPLY = parser.parse_args().apply
    missing = [variable for variable in ACCOUNTS.values() if not os.environ.get(variable)]
    if APPLY and missing:
        raise SystemExit("set " + ", ".join(missing) + " to the AWS profile of each account before --apply")
    if APPLY:
        # Each profile must reach its own account: a wrong one would change another account.
        for account, variable in ACCOUNTS.items():
            reached = session(account).client("sts").get_caller_identity().get("Account")
            if reached != account:
                raise SystemExit(f"{variable} reaches account {reached}, not {account}: nothing was changed")
`;

export function renderRemediationPython(incidents: Incident[]): string {
  const plan = remediationPlan(incidents);
  const lines = [
    '#!/usr/bin/env python3',
    '# trailsift remediation plan, written by `trailsift investigate --emit-script FILE.py`.',
    '# trailsift never runs it. It is a dry run unless you pass --apply: read every call first.',
    '# Order: containment for every incident first (so the attacker cannot undo the repair),',
    '# then recovery, then hardening. Each account gets its own boto3 session from',
    '# TRAILSIFT_PROFILE_<account ID>:',
    ...plan.accounts.map((account) => `#   ${profileVariable(account)}   profile for account ${account}`),
    '# "# FILL IN:" lines hold a placeholder such as <code-1>: replace it and uncomment the line;',
    '# "# FILL IN (after the step above):" lines only need uncommenting once that step is filled in.',
    '# "# later" lines delete what was only deactivated: run them once nothing legitimate breaks.',
    '',
    `ACCOUNTS = {${plan.accounts.map((account) => `${JSON.stringify(account)}: ${JSON.stringify(profileVariable(account))}`).join(', ')}}`,
    '',
    ...PRELUDE.split('\n'),
  ];
  const body: string[] = [];
  for (const incident of incidents) {
    const { classification, severity, impact } = incident.assessment;
    body.push(
      ...commentLines(`Incident ${incident.id}: ${incident.instanceProfile.name} ${outcomeText(incident)} at ${incident.eventTime}, account ${incident.accountId ?? 'unknown'}`),
      ...commentLines(`  ${classification}/${severity}, impact ${impact}; acting identity ${actingLabel(incident.actor)}`),
    );
  }
  const notRun = new StepsNotRun();
  SCRIPT_PHASES.forEach((phase, index) => {
    const entries = plan.entries.filter((entry) => entry.phase === phase);
    if (entries.length === 0) return;
    body.push('', ...commentLines(`=== Phase ${index + 1}: ${PHASE_TITLES[phase]}`));
    for (const entry of entries) {
      body.push(
        '',
        ...commentLines(`--- ${entry.recommendation.title} [${entry.recommendation.id}], incident ${entry.incident.id}`),
        ...commentLines(`Evidence (event IDs): ${entry.recommendation.evidence.join(', ') || '(none)'}; account ${entry.accountId ?? 'the organization management account'}`),
      );
      for (const planned of entry.steps) {
        const rendered = stepLines(planned, entry.accountId, pythonLines);
        notRun.count(planned, rendered);
        body.push(...rendered);
      }
    }
  });
  if (plan.entries.length === 0) body.push('# No recommendations: there is nothing to run.');
  body.push('if FAILED:', '    raise SystemExit("trailsift remediation: re-association failed for: " + " ".join(FAILED))');
  body.push(`print("trailsift remediation: " + (${JSON.stringify(notRun.summary('every call above was made'))} if APPLY else "dry run; pass --apply to make these calls"), file=sys.stderr)`);
  lines.push(...body.map((line) => `${INDENT}${line}`.trimEnd()), '', '', 'if __name__ == "__main__":', `${INDENT}main()`);
  return `${lines.join('\n')}\n`;
}
