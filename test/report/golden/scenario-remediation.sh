#!/bin/sh
# trailsift remediation script, written by `trailsift investigate --emit-script`.
# trailsift never runs it. Read every command before you run anything: most of them change
# IAM, EC2 or Organizations with the AWS credentials of your shell. Comments name the
# account each group of commands needs.
#
# Lines starting with "# FILL IN:" hold a placeholder such as <code-1>: replace it, then
# remove the "# FILL IN: " prefix. Commands repeated from an earlier incident are
# commented out ("# already above"), so nothing runs twice.
#
# Incidents: 5; with recommendations: 3.

echo "Review this script, then remove the next line to run it." >&2
exit 1

set -eu

# ============================================================================
# Incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b
# Profile: web-app-profile (arn:aws:iam::111111111111:instance-profile/app/web-app-profile), delete
# attempt failed: DeleteConflict at 2026-03-06T03:12:40Z
# Account 111111111111, region us-east-1
# Classification: suspicious/high
# Acting identity: arn:aws:sts::111111111111:assumed-role/InfraAdmin/maint; origin:
# arn:aws:iam::222222222222:user/deploy-bot
# ============================================================================

# --- 1/7 Deactivate, then delete, 2 access key(s) [deactivate-access-key]
# Why: AKIAHV7MGJ5SLMZ4HGXQ (deploy-bot): long-term key at the origin of the chain;
# AKIA2CUOFHZ524CG2LLW (ops-admin): key that created the origin's key. Deactivation is reversible;
# delete once nothing legitimate breaks.
# Evidence (event IDs): f393bfa0-a16d-4980-9b07-1ecd5b46f4ab
# with credentials for account 222222222222
aws iam update-access-key --user-name deploy-bot --access-key-id AKIAHV7MGJ5SLMZ4HGXQ --status Inactive
aws iam delete-access-key --user-name deploy-bot --access-key-id AKIAHV7MGJ5SLMZ4HGXQ
# with credentials for account 222222222222
aws iam update-access-key --user-name ops-admin --access-key-id AKIA2CUOFHZ524CG2LLW --status Inactive
aws iam delete-access-key --user-name ops-admin --access-key-id AKIA2CUOFHZ524CG2LLW

# --- 2/7 Revoke active sessions of 2 role(s) in the chain [revoke-role-sessions]
# Why: Temporary keys stay valid until they expire, even after the keys that made them are gone. An
# inline deny on aws:TokenIssueTime before now (the documented AWSRevokeOlderSessions policy) kills
# every session issued so far; new sessions still work.
# Evidence (event IDs): 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b, 0ed02cc5-cb2a-43ae-885d-f5d7468f14f9
REVOKE_BEFORE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# with credentials for account 111111111111
aws iam put-role-policy --role-name InfraAdmin --policy-name AWSRevokeOlderSessions --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"*\"],\"Resource\":[\"*\"],\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"$REVOKE_BEFORE\"}}}]}"
# with credentials for account 111111111111
aws iam put-role-policy --role-name OrgAdminAccess --policy-name AWSRevokeOlderSessions --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"*\"],\"Resource\":[\"*\"],\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"$REVOKE_BEFORE\"}}}]}"

# --- 3/7 Put MFA back on ops-admin [enforce-mfa]
# Why: MFA was absent or deactivated. It cannot be enabled without the device: create a virtual
# device, scan it, then enable it with two consecutive codes (boto3: enable_mfa_device). Then
# require MFA in the users’ policies (aws:MultiFactorAuthPresent).
# Evidence (event IDs): 7ef5acc9-e624-476e-bbf4-afe8274da38d
# with credentials for account 222222222222
aws iam create-virtual-mfa-device --virtual-mfa-device-name ops-admin-mfa --outfile ops-admin-mfa.png --bootstrap-method QRCodePNG
# FILL IN: aws iam enable-mfa-device --user-name ops-admin --serial-number arn:aws:iam::222222222222:mfa/ops-admin-mfa --authentication-code1 <code-1> --authentication-code2 <code-2>

# --- 4/7 Force a password reset for deploy-bot [reset-password]
# Why: Someone else set these console passwords. AWS cannot show a password back, so force the owner
# to choose a new one at next sign-in.
# Evidence (event IDs): e63f86e0-e616-42f9-a36b-fd2ea2e0ee7b
# with credentials for account 222222222222
aws iam update-login-profile --user-name deploy-bot --password-reset-required

# --- 5/7 Enforce a strong account password policy [password-policy]
# Why: Passwords were set or used during the incident. No tool can read an existing password to test
# it: enforce the policy so every new password meets it.
# Evidence (event IDs): e63f86e0-e616-42f9-a36b-fd2ea2e0ee7b
# with credentials for account 222222222222
aws iam update-account-password-policy --minimum-password-length 14 --require-symbols --require-numbers --require-uppercase-characters --require-lowercase-characters --password-reuse-prevention 24 --max-password-age 90

# --- 6/7 Investigate arn:aws:iam::222222222222:user/ops-admin and
# arn:aws:iam::222222222222:user/deploy-bot [investigate-principal]
# Why: The origin of the chain and whoever created its key are where the compromise began. These
# commands only read.
# Evidence (event IDs): f393bfa0-a16d-4980-9b07-1ecd5b46f4ab, 6df3755e-44c4-477f-8f8d-611c8c6bc8e7
trailsift timeline --actor arn:aws:iam::222222222222:user/ops-admin
# with credentials for account 222222222222
aws iam list-access-keys --user-name ops-admin
aws iam list-mfa-devices --user-name ops-admin
aws iam list-attached-user-policies --user-name ops-admin
aws iam list-user-policies --user-name ops-admin
aws iam list-groups-for-user --user-name ops-admin
trailsift timeline --actor arn:aws:iam::222222222222:user/deploy-bot
# with credentials for account 222222222222
aws iam list-access-keys --user-name deploy-bot
aws iam list-mfa-devices --user-name deploy-bot
aws iam list-attached-user-policies --user-name deploy-bot
aws iam list-user-policies --user-name deploy-bot
aws iam list-groups-for-user --user-name deploy-bot

# --- 7/7 Only the deployment role may delete instance profiles; alert on every deletion
# [guard-instance-profile-deletion]
# Why: A service control policy (or a permission boundary) denying iam:DeleteInstanceProfile to
# everyone but the deployment role stops a repeat; an EventBridge rule in us-east-1 (where IAM
# events arrive) raises an alert. Replace <deployment-role> with the role your pipeline uses.
# Evidence (event IDs): 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b
# in the organization management account
# FILL IN: aws organizations create-policy --type SERVICE_CONTROL_POLICY --name DenyInstanceProfileDeletion --description 'Only the deployment role may delete instance profiles' --content '{"Version":"2012-10-17","Statement":[{"Sid":"DenyInstanceProfileDeletion","Effect":"Deny","Action":["iam:DeleteInstanceProfile","iam:RemoveRoleFromInstanceProfile"],"Resource":"*","Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/<deployment-role>"}}}]}'
aws events put-rule --region us-east-1 --name trailsift-instance-profile-deletion --event-pattern '{"source":["aws.iam"],"detail-type":["AWS API Call via CloudTrail"],"detail":{"eventSource":["iam.amazonaws.com"],"eventName":["DeleteInstanceProfile","RemoveRoleFromInstanceProfile"]}}'

# ============================================================================
# Incident 07c158d3-0452-4808-9bc3-4507c3c31a5a
# Profile: web-app-profile (arn:aws:iam::111111111111:instance-profile/app/web-app-profile), deleted
# at 2026-03-06T03:14:15Z
# Account 111111111111, region us-east-1
# Classification: suspicious/critical
# Acting identity: arn:aws:sts::111111111111:assumed-role/InfraAdmin/maint; origin:
# arn:aws:iam::222222222222:user/deploy-bot
# ============================================================================

# --- 1/10 Re-create instance profile web-app-profile at path /app/ with its role
# [restore-instance-profile]
# Why: The profile was deleted. A re-created profile gets a new unique ID: running instances do not
# pick it up by name.
# Evidence (event IDs): 07c158d3-0452-4808-9bc3-4507c3c31a5a
# with credentials for account 111111111111
aws iam create-instance-profile --instance-profile-name web-app-profile --path /app/
aws iam add-role-to-instance-profile --instance-profile-name web-app-profile --role-name web-app-role

# --- 2/10 Re-associate the profile with 4 instance(s) that were running or stopped
# [reassociate-instances]
# Why: These instances lost their role credentials when the profile was deleted (a stopped one fails
# when started). Terminated instances are left out.
# Evidence (event IDs): 707495c4-3929-4b50-a312-75ca60a17ec3, e1b48759-d2ea-4c9a-a256-45adef042905,
# 22e97dc3-41b9-4178-940d-27ccde402c1e, 89903310-5318-4cf4-a71c-82c995fd2667
aws ec2 associate-iam-instance-profile --region us-west-2 --instance-id i-0121cb727899875c6 --iam-instance-profile Name=web-app-profile
aws ec2 describe-iam-instance-profile-associations --region us-west-2 --filters Name=instance-id,Values=i-0121cb727899875c6
aws ec2 associate-iam-instance-profile --region us-west-2 --instance-id i-017d6669bada146ca --iam-instance-profile Name=web-app-profile
aws ec2 describe-iam-instance-profile-associations --region us-west-2 --filters Name=instance-id,Values=i-017d6669bada146ca
aws ec2 associate-iam-instance-profile --region eu-west-1 --instance-id i-07895937177b09085 --iam-instance-profile Name=web-app-profile
aws ec2 describe-iam-instance-profile-associations --region eu-west-1 --filters Name=instance-id,Values=i-07895937177b09085
aws ec2 associate-iam-instance-profile --region us-east-1 --instance-id i-0e245e90cc3f2279c --iam-instance-profile Name=web-app-profile
aws ec2 describe-iam-instance-profile-associations --region us-east-1 --filters Name=instance-id,Values=i-0e245e90cc3f2279c

# --- 3/10 Deactivate, then delete, 2 access key(s) [deactivate-access-key]
# Why: AKIAHV7MGJ5SLMZ4HGXQ (deploy-bot): long-term key at the origin of the chain;
# AKIA2CUOFHZ524CG2LLW (ops-admin): key that created the origin's key. Deactivation is reversible;
# delete once nothing legitimate breaks.
# Evidence (event IDs): f393bfa0-a16d-4980-9b07-1ecd5b46f4ab
# with credentials for account 222222222222
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam update-access-key --user-name deploy-bot --access-key-id AKIAHV7MGJ5SLMZ4HGXQ --status Inactive
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam delete-access-key --user-name deploy-bot --access-key-id AKIAHV7MGJ5SLMZ4HGXQ
# with credentials for account 222222222222
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam update-access-key --user-name ops-admin --access-key-id AKIA2CUOFHZ524CG2LLW --status Inactive
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam delete-access-key --user-name ops-admin --access-key-id AKIA2CUOFHZ524CG2LLW

# --- 4/10 Revoke active sessions of 2 role(s) in the chain [revoke-role-sessions]
# Why: Temporary keys stay valid until they expire, even after the keys that made them are gone. An
# inline deny on aws:TokenIssueTime before now (the documented AWSRevokeOlderSessions policy) kills
# every session issued so far; new sessions still work.
# Evidence (event IDs): 07c158d3-0452-4808-9bc3-4507c3c31a5a, 0ed02cc5-cb2a-43ae-885d-f5d7468f14f9
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): REVOKE_BEFORE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# with credentials for account 111111111111
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam put-role-policy --role-name InfraAdmin --policy-name AWSRevokeOlderSessions --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"*\"],\"Resource\":[\"*\"],\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"$REVOKE_BEFORE\"}}}]}"
# with credentials for account 111111111111
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam put-role-policy --role-name OrgAdminAccess --policy-name AWSRevokeOlderSessions --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"*\"],\"Resource\":[\"*\"],\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"$REVOKE_BEFORE\"}}}]}"

# --- 5/10 Put MFA back on ops-admin [enforce-mfa]
# Why: MFA was absent or deactivated. It cannot be enabled without the device: create a virtual
# device, scan it, then enable it with two consecutive codes (boto3: enable_mfa_device). Then
# require MFA in the users’ policies (aws:MultiFactorAuthPresent).
# Evidence (event IDs): 7ef5acc9-e624-476e-bbf4-afe8274da38d
# with credentials for account 222222222222
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam create-virtual-mfa-device --virtual-mfa-device-name ops-admin-mfa --outfile ops-admin-mfa.png --bootstrap-method QRCodePNG
# FILL IN: aws iam enable-mfa-device --user-name ops-admin --serial-number arn:aws:iam::222222222222:mfa/ops-admin-mfa --authentication-code1 <code-1> --authentication-code2 <code-2>

# --- 6/10 Force a password reset for deploy-bot [reset-password]
# Why: Someone else set these console passwords. AWS cannot show a password back, so force the owner
# to choose a new one at next sign-in.
# Evidence (event IDs): e63f86e0-e616-42f9-a36b-fd2ea2e0ee7b
# with credentials for account 222222222222
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam update-login-profile --user-name deploy-bot --password-reset-required

# --- 7/10 Enforce a strong account password policy [password-policy]
# Why: Passwords were set or used during the incident. No tool can read an existing password to test
# it: enforce the policy so every new password meets it.
# Evidence (event IDs): e63f86e0-e616-42f9-a36b-fd2ea2e0ee7b
# with credentials for account 222222222222
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam update-account-password-policy --minimum-password-length 14 --require-symbols --require-numbers --require-uppercase-characters --require-lowercase-characters --password-reuse-prevention 24 --max-password-age 90

# --- 8/10 Investigate arn:aws:iam::222222222222:user/ops-admin and
# arn:aws:iam::222222222222:user/deploy-bot [investigate-principal]
# Why: The origin of the chain and whoever created its key are where the compromise began. These
# commands only read.
# Evidence (event IDs): f393bfa0-a16d-4980-9b07-1ecd5b46f4ab, 6df3755e-44c4-477f-8f8d-611c8c6bc8e7
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): trailsift timeline --actor arn:aws:iam::222222222222:user/ops-admin
# with credentials for account 222222222222
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam list-access-keys --user-name ops-admin
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam list-mfa-devices --user-name ops-admin
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam list-attached-user-policies --user-name ops-admin
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam list-user-policies --user-name ops-admin
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam list-groups-for-user --user-name ops-admin
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): trailsift timeline --actor arn:aws:iam::222222222222:user/deploy-bot
# with credentials for account 222222222222
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam list-access-keys --user-name deploy-bot
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam list-mfa-devices --user-name deploy-bot
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam list-attached-user-policies --user-name deploy-bot
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam list-user-policies --user-name deploy-bot
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam list-groups-for-user --user-name deploy-bot

# --- 9/10 Review launch templates and configurations that name the profile
# [review-launch-templates]
# Why: Every future launch from them fails until the profile exists again (restore it) or they point
# at another one.
# Evidence (event IDs): 64a1b8e3-d399-469d-98cb-67ab9ae3cc7c, 59867b88-17df-4b49-a984-c47a40cc109a
aws ec2 describe-launch-template-versions --region us-west-2 --launch-template-id lt-08702000d9616ea6a --versions '$Latest' '$Default'
aws autoscaling describe-launch-configurations --region us-west-2 --launch-configuration-names web-app-lc

# --- 10/10 Only the deployment role may delete instance profiles; alert on every deletion
# [guard-instance-profile-deletion]
# Why: A service control policy (or a permission boundary) denying iam:DeleteInstanceProfile to
# everyone but the deployment role stops a repeat; an EventBridge rule in us-east-1 (where IAM
# events arrive) raises an alert. Replace <deployment-role> with the role your pipeline uses.
# Evidence (event IDs): 07c158d3-0452-4808-9bc3-4507c3c31a5a
# in the organization management account
# FILL IN: aws organizations create-policy --type SERVICE_CONTROL_POLICY --name DenyInstanceProfileDeletion --description 'Only the deployment role may delete instance profiles' --content '{"Version":"2012-10-17","Statement":[{"Sid":"DenyInstanceProfileDeletion","Effect":"Deny","Action":["iam:DeleteInstanceProfile","iam:RemoveRoleFromInstanceProfile"],"Resource":"*","Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/<deployment-role>"}}}]}'
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws events put-rule --region us-east-1 --name trailsift-instance-profile-deletion --event-pattern '{"source":["aws.iam"],"detail-type":["AWS API Call via CloudTrail"],"detail":{"eventSource":["iam.amazonaws.com"],"eventName":["DeleteInstanceProfile","RemoveRoleFromInstanceProfile"]}}'

# ============================================================================
# Incident 3e066cc1-4a04-4a86-88d6-963b529394e6
# Profile: db-profile, delete attempt failed: AccessDenied at 2026-03-06T03:16:02Z
# Account 111111111111, region us-east-1
# Classification: suspicious/high
# Acting identity: arn:aws:sts::111111111111:assumed-role/InfraAdmin/maint; origin:
# arn:aws:iam::222222222222:user/deploy-bot
# ============================================================================

# --- 1/7 Deactivate, then delete, 2 access key(s) [deactivate-access-key]
# Why: AKIAHV7MGJ5SLMZ4HGXQ (deploy-bot): long-term key at the origin of the chain;
# AKIA2CUOFHZ524CG2LLW (ops-admin): key that created the origin's key. Deactivation is reversible;
# delete once nothing legitimate breaks.
# Evidence (event IDs): f393bfa0-a16d-4980-9b07-1ecd5b46f4ab
# with credentials for account 222222222222
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam update-access-key --user-name deploy-bot --access-key-id AKIAHV7MGJ5SLMZ4HGXQ --status Inactive
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam delete-access-key --user-name deploy-bot --access-key-id AKIAHV7MGJ5SLMZ4HGXQ
# with credentials for account 222222222222
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam update-access-key --user-name ops-admin --access-key-id AKIA2CUOFHZ524CG2LLW --status Inactive
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam delete-access-key --user-name ops-admin --access-key-id AKIA2CUOFHZ524CG2LLW

# --- 2/7 Revoke active sessions of 2 role(s) in the chain [revoke-role-sessions]
# Why: Temporary keys stay valid until they expire, even after the keys that made them are gone. An
# inline deny on aws:TokenIssueTime before now (the documented AWSRevokeOlderSessions policy) kills
# every session issued so far; new sessions still work.
# Evidence (event IDs): 3e066cc1-4a04-4a86-88d6-963b529394e6, 0ed02cc5-cb2a-43ae-885d-f5d7468f14f9
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): REVOKE_BEFORE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# with credentials for account 111111111111
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam put-role-policy --role-name InfraAdmin --policy-name AWSRevokeOlderSessions --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"*\"],\"Resource\":[\"*\"],\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"$REVOKE_BEFORE\"}}}]}"
# with credentials for account 111111111111
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam put-role-policy --role-name OrgAdminAccess --policy-name AWSRevokeOlderSessions --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"*\"],\"Resource\":[\"*\"],\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"$REVOKE_BEFORE\"}}}]}"

# --- 3/7 Put MFA back on ops-admin [enforce-mfa]
# Why: MFA was absent or deactivated. It cannot be enabled without the device: create a virtual
# device, scan it, then enable it with two consecutive codes (boto3: enable_mfa_device). Then
# require MFA in the users’ policies (aws:MultiFactorAuthPresent).
# Evidence (event IDs): 7ef5acc9-e624-476e-bbf4-afe8274da38d
# with credentials for account 222222222222
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam create-virtual-mfa-device --virtual-mfa-device-name ops-admin-mfa --outfile ops-admin-mfa.png --bootstrap-method QRCodePNG
# FILL IN: aws iam enable-mfa-device --user-name ops-admin --serial-number arn:aws:iam::222222222222:mfa/ops-admin-mfa --authentication-code1 <code-1> --authentication-code2 <code-2>

# --- 4/7 Force a password reset for deploy-bot [reset-password]
# Why: Someone else set these console passwords. AWS cannot show a password back, so force the owner
# to choose a new one at next sign-in.
# Evidence (event IDs): e63f86e0-e616-42f9-a36b-fd2ea2e0ee7b
# with credentials for account 222222222222
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam update-login-profile --user-name deploy-bot --password-reset-required

# --- 5/7 Enforce a strong account password policy [password-policy]
# Why: Passwords were set or used during the incident. No tool can read an existing password to test
# it: enforce the policy so every new password meets it.
# Evidence (event IDs): e63f86e0-e616-42f9-a36b-fd2ea2e0ee7b
# with credentials for account 222222222222
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam update-account-password-policy --minimum-password-length 14 --require-symbols --require-numbers --require-uppercase-characters --require-lowercase-characters --password-reuse-prevention 24 --max-password-age 90

# --- 6/7 Investigate arn:aws:iam::222222222222:user/ops-admin and
# arn:aws:iam::222222222222:user/deploy-bot [investigate-principal]
# Why: The origin of the chain and whoever created its key are where the compromise began. These
# commands only read.
# Evidence (event IDs): f393bfa0-a16d-4980-9b07-1ecd5b46f4ab, 6df3755e-44c4-477f-8f8d-611c8c6bc8e7
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): trailsift timeline --actor arn:aws:iam::222222222222:user/ops-admin
# with credentials for account 222222222222
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam list-access-keys --user-name ops-admin
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam list-mfa-devices --user-name ops-admin
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam list-attached-user-policies --user-name ops-admin
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam list-user-policies --user-name ops-admin
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam list-groups-for-user --user-name ops-admin
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): trailsift timeline --actor arn:aws:iam::222222222222:user/deploy-bot
# with credentials for account 222222222222
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam list-access-keys --user-name deploy-bot
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam list-mfa-devices --user-name deploy-bot
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam list-attached-user-policies --user-name deploy-bot
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam list-user-policies --user-name deploy-bot
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam list-groups-for-user --user-name deploy-bot

# --- 7/7 Only the deployment role may delete instance profiles; alert on every deletion
# [guard-instance-profile-deletion]
# Why: A service control policy (or a permission boundary) denying iam:DeleteInstanceProfile to
# everyone but the deployment role stops a repeat; an EventBridge rule in us-east-1 (where IAM
# events arrive) raises an alert. Replace <deployment-role> with the role your pipeline uses.
# Evidence (event IDs): 3e066cc1-4a04-4a86-88d6-963b529394e6
# in the organization management account
# FILL IN: aws organizations create-policy --type SERVICE_CONTROL_POLICY --name DenyInstanceProfileDeletion --description 'Only the deployment role may delete instance profiles' --content '{"Version":"2012-10-17","Statement":[{"Sid":"DenyInstanceProfileDeletion","Effect":"Deny","Action":["iam:DeleteInstanceProfile","iam:RemoveRoleFromInstanceProfile"],"Resource":"*","Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/<deployment-role>"}}}]}'
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws events put-rule --region us-east-1 --name trailsift-instance-profile-deletion --event-pattern '{"source":["aws.iam"],"detail-type":["AWS API Call via CloudTrail"],"detail":{"eventSource":["iam.amazonaws.com"],"eventName":["DeleteInstanceProfile","RemoveRoleFromInstanceProfile"]}}'

# ============================================================================
# Incident e7c51239-8a32-4f8d-a4f9-d341b1cf2b3a
# Profile: batch-worker-profile (arn:aws:iam::111111111111:instance-profile/batch-worker-profile),
# deleted at 2026-03-07T14:05:15Z
# Account 111111111111, region us-east-1
# Classification: likely-benign/low
# Acting identity: arn:aws:sts::111111111111:assumed-role/TerraformDeploy/tf-20260307-5956; origin:
# repo:acme-corp/infra-live:ref:refs/heads/main
# ============================================================================
# No recommendations (classified likely-benign/low).

# ============================================================================
# Incident 751c309b-acd2-4443-8a4c-b8f7713bf475
# Profile: eks-nodegroup-ng1-profile
# (arn:aws:iam::111111111111:instance-profile/eks-nodegroup-ng1-profile), deleted at
# 2026-03-07T23:58:20Z
# Account 111111111111, region us-east-1
# Classification: service/info
# Acting identity: arn:aws:sts::111111111111:assumed-role/AWSServiceRoleForAmazonEKSNodegroup/EKS;
# origin: arn:aws:sts::111111111111:assumed-role/AWSServiceRoleForAmazonEKSNodegroup/EKS
# ============================================================================
# No recommendations (classified service/info).
