#!/bin/sh
# trailsift remediation script, written by `trailsift investigate --emit-script`.
# trailsift never runs it. Read every command before you run anything: they change IAM, EC2,
# EventBridge and Organizations. It runs in incident-response order: containment for every
# incident first (so the attacker cannot undo the repair), then recovery, then hardening.
#
# Each account gets its own AWS CLI profile, never one set of credentials for all: set
# TRAILSIFT_PROFILE_<account ID> for every account below; a missing one, or one that reaches
# another account (sts get-caller-identity), stops the script before any change.
#   TRAILSIFT_PROFILE_111111111111   profile for account 111111111111
#   TRAILSIFT_PROFILE_222222222222   profile for account 222222222222
# Steps for the organization management account (not named by the logs) are left to fill in.
#
# Lines starting with "# FILL IN:" hold a placeholder such as <code-1>: replace it, then remove
# the prefix ("# FILL IN (after the step above):" lines need only the prefix removed, once that
# step is filled in). "# later" lines delete what was only deactivated: run them once nothing
# legitimate breaks. Steps repeated from an earlier incident are marked "# already above".
# Read-only investigation steps are in the Markdown and HTML reports, not here.
#
# Incidents: 5; with recommendations: 3.

echo "Review this script, then remove the next line to run it." >&2
exit 1

set -eu
: "${TRAILSIFT_PROFILE_111111111111:?set TRAILSIFT_PROFILE_111111111111 to the AWS CLI profile for account 111111111111}"
: "${TRAILSIFT_PROFILE_222222222222:?set TRAILSIFT_PROFILE_222222222222 to the AWS CLI profile for account 222222222222}"
# Each profile must reach its own account: a wrong one would change another account.
[ "$(aws sts get-caller-identity --profile "$TRAILSIFT_PROFILE_111111111111" --query Account --output text)" = 111111111111 ] || { echo "TRAILSIFT_PROFILE_111111111111 does not reach account 111111111111: nothing was changed" >&2; exit 1; }
[ "$(aws sts get-caller-identity --profile "$TRAILSIFT_PROFILE_222222222222" --query Account --output text)" = 222222222222 ] || { echo "TRAILSIFT_PROFILE_222222222222 does not reach account 222222222222: nothing was changed" >&2; exit 1; }

# ============================================================================
# Incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b
# Profile: web-app-profile (arn:aws:iam::111111111111:instance-profile/app/web-app-profile), delete
# attempt failed: DeleteConflict at 2026-03-06T03:12:40Z
# Account 111111111111, region us-east-1
# Classification: suspicious/high, impact: none
# Acting identity: arn:aws:sts::111111111111:assumed-role/InfraAdmin/maint; origin:
# arn:aws:iam::222222222222:user/deploy-bot
# ============================================================================

# ============================================================================
# Incident 07c158d3-0452-4808-9bc3-4507c3c31a5a
# Profile: web-app-profile (arn:aws:iam::111111111111:instance-profile/app/web-app-profile), deleted
# at 2026-03-06T03:14:15Z
# Account 111111111111, region us-east-1
# Classification: suspicious/critical, impact: broken
# Acting identity: arn:aws:sts::111111111111:assumed-role/InfraAdmin/maint; origin:
# arn:aws:iam::222222222222:user/deploy-bot
# ============================================================================

# ============================================================================
# Incident 3e066cc1-4a04-4a86-88d6-963b529394e6
# Profile: db-profile, delete attempt failed: AccessDenied at 2026-03-06T03:16:02Z
# Account 111111111111, region us-east-1
# Classification: suspicious/high, impact: none
# Acting identity: arn:aws:sts::111111111111:assumed-role/InfraAdmin/maint; origin:
# arn:aws:iam::222222222222:user/deploy-bot
# ============================================================================

# ============================================================================
# Incident e7c51239-8a32-4f8d-a4f9-d341b1cf2b3a
# Profile: batch-worker-profile (arn:aws:iam::111111111111:instance-profile/batch-worker-profile),
# deleted at 2026-03-07T14:05:15Z
# Account 111111111111, region us-east-1
# Classification: likely-benign/low, impact: none
# Acting identity: arn:aws:sts::111111111111:assumed-role/TerraformDeploy/tf-20260307-5956; origin:
# repo:acme-corp/infra-live:ref:refs/heads/main
# No recommendations (classified likely-benign/low).
# ============================================================================

# ============================================================================
# Incident 751c309b-acd2-4443-8a4c-b8f7713bf475
# Profile: eks-nodegroup-ng1-profile
# (arn:aws:iam::111111111111:instance-profile/eks-nodegroup-ng1-profile), deleted at
# 2026-03-07T23:58:20Z
# Account 111111111111, region us-east-1
# Classification: service/info, impact: none
# Acting identity: arn:aws:sts::111111111111:assumed-role/AWSServiceRoleForAmazonEKSNodegroup/EKS;
# origin: arn:aws:sts::111111111111:assumed-role/AWSServiceRoleForAmazonEKSNodegroup/EKS
# No recommendations (classified service/info).
# ============================================================================

# ============================================================================
# Phase 1: containment: cut the attacker off (keys, sessions, passwords) before anything is repaired
# ============================================================================

# --- Deactivate 2 access keys now, delete later [deactivate-access-key], incident
# 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b
# Why: AKIAHV7MGJ5SLMZ4HGXQ (deploy-bot): long-term key at the origin of the chain;
# AKIA2CUOFHZ524CG2LLW (ops-admin): key that created the origin's key. Deactivation is reversible
# and stops the key at once; delete it once nothing legitimate breaks (the delete is written as a
# later step).
# Evidence (event IDs): 6df3755e-44c4-477f-8f8d-611c8c6bc8e7, f393bfa0-a16d-4980-9b07-1ecd5b46f4ab
# Account: 222222222222
aws iam update-access-key --profile "$TRAILSIFT_PROFILE_222222222222" --user-name deploy-bot --access-key-id AKIAHV7MGJ5SLMZ4HGXQ --status Inactive
# later, once nothing legitimate breaks: aws iam delete-access-key --profile "$TRAILSIFT_PROFILE_222222222222" --user-name deploy-bot --access-key-id AKIAHV7MGJ5SLMZ4HGXQ
aws iam update-access-key --profile "$TRAILSIFT_PROFILE_222222222222" --user-name ops-admin --access-key-id AKIA2CUOFHZ524CG2LLW --status Inactive
# later, once nothing legitimate breaks: aws iam delete-access-key --profile "$TRAILSIFT_PROFILE_222222222222" --user-name ops-admin --access-key-id AKIA2CUOFHZ524CG2LLW

# --- Revoke active sessions of 2 roles and 2 users in the chain [revoke-role-sessions], incident
# 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b
# Why: Temporary keys stay valid until they expire, even after the keys that made them are gone, and
# a new password does not end a console session. An inline deny on aws:TokenIssueTime before now
# (the documented AWSRevokeOlderSessions policy) kills every session issued so far, on roles and on
# IAM users (console and GetSessionToken sessions, and the federated sessions a user made with
# GetFederationToken); new sessions still work. Users: deploy-bot (its password or MFA was changed
# by the attack); ops-admin (its password or MFA was changed by the attack).
# Evidence (event IDs): 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b, 0ed02cc5-cb2a-43ae-885d-f5d7468f14f9,
# e63f86e0-e616-42f9-a36b-fd2ea2e0ee7b, 7ef5acc9-e624-476e-bbf4-afe8274da38d
# Account: 111111111111
REVOKE_BEFORE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
aws iam put-role-policy --profile "$TRAILSIFT_PROFILE_111111111111" --role-name InfraAdmin --policy-name AWSRevokeOlderSessions --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"*\"],\"Resource\":[\"*\"],\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"${REVOKE_BEFORE}\"}}}]}"
REVOKE_BEFORE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
aws iam put-role-policy --profile "$TRAILSIFT_PROFILE_111111111111" --role-name OrgAdminAccess --policy-name AWSRevokeOlderSessions --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"*\"],\"Resource\":[\"*\"],\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"${REVOKE_BEFORE}\"}}}]}"

# --- Revoke active sessions of 2 roles and 2 users in the chain [revoke-role-sessions], incident
# 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b
# Why: Temporary keys stay valid until they expire, even after the keys that made them are gone, and
# a new password does not end a console session. An inline deny on aws:TokenIssueTime before now
# (the documented AWSRevokeOlderSessions policy) kills every session issued so far, on roles and on
# IAM users (console and GetSessionToken sessions, and the federated sessions a user made with
# GetFederationToken); new sessions still work. Users: deploy-bot (its password or MFA was changed
# by the attack); ops-admin (its password or MFA was changed by the attack).
# Evidence (event IDs): 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b, 0ed02cc5-cb2a-43ae-885d-f5d7468f14f9,
# e63f86e0-e616-42f9-a36b-fd2ea2e0ee7b, 7ef5acc9-e624-476e-bbf4-afe8274da38d
# Account: 222222222222
REVOKE_BEFORE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
aws iam put-user-policy --profile "$TRAILSIFT_PROFILE_222222222222" --user-name deploy-bot --policy-name AWSRevokeOlderSessions --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"*\"],\"Resource\":[\"*\"],\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"${REVOKE_BEFORE}\"}}}]}"
REVOKE_BEFORE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
aws iam put-user-policy --profile "$TRAILSIFT_PROFILE_222222222222" --user-name ops-admin --policy-name AWSRevokeOlderSessions --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"*\"],\"Resource\":[\"*\"],\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"${REVOKE_BEFORE}\"}}}]}"

# --- Replace the console passwords the attack set or exposed: deploy-bot, ops-admin
# [reset-password], incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b
# Why: Someone else set these passwords, removed the MFA in front of them, or signed in with them to
# the console session that reached the deletion, so whoever did it can sign in. Forcing a change
# alone keeps their password (the next to sign in, the attacker, chooses the new one). ops-admin
# signs in: a new random password is set, with a change required at next sign-in, and shown once to
# you to hand over out of band. deploy-bot never signed in to the console in these logs (keys only,
# as far as they show): the console password is removed; if a person uses it, set a new random one
# instead.
# Evidence (event IDs): e63f86e0-e616-42f9-a36b-fd2ea2e0ee7b, 7ef5acc9-e624-476e-bbf4-afe8274da38d
# Account: 222222222222
tolerate() { codes=$1; shift; TOLERATED=0; if output=$("$@" 2>&1); then [ -z "$output" ] || printf '%s\n' "$output"; return 0; fi; for code in $(printf '%s' "$codes" | tr '|' ' '); do case "$output" in *"$code"*) TOLERATED=1; echo "already so ($code): $2 $3" >&2; return 0 ;; esac; done; printf '%s\n' "$output" >&2; return 1; }
tolerate NoSuchEntity aws iam delete-login-profile --profile "$TRAILSIFT_PROFILE_222222222222" --user-name deploy-bot
# a new random password for ops-admin, shown once on stderr and stored nowhere: hand it over out of band
# (the AWS CLI takes it as an argument, visible to other users of this machine while it runs)
NEW_PASSWORD="$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 40)-Aa1"
tolerate() { codes=$1; shift; TOLERATED=0; if output=$("$@" 2>&1); then [ -z "$output" ] || printf '%s\n' "$output"; return 0; fi; for code in $(printf '%s' "$codes" | tr '|' ' '); do case "$output" in *"$code"*) TOLERATED=1; echo "already so ($code): $2 $3" >&2; return 0 ;; esac; done; printf '%s\n' "$output" >&2; return 1; }
tolerate NoSuchEntity aws iam update-login-profile --profile "$TRAILSIFT_PROFILE_222222222222" --user-name ops-admin --password "$NEW_PASSWORD" --password-reset-required
[ "$TOLERATED" = 1 ] || printf 'New console password for %s (it must be changed at first sign-in): %s\n' ops-admin "$NEW_PASSWORD" >&2
unset NEW_PASSWORD

# --- Deactivate 2 access keys now, delete later [deactivate-access-key], incident
# 07c158d3-0452-4808-9bc3-4507c3c31a5a
# Why: AKIAHV7MGJ5SLMZ4HGXQ (deploy-bot): long-term key at the origin of the chain;
# AKIA2CUOFHZ524CG2LLW (ops-admin): key that created the origin's key. Deactivation is reversible
# and stops the key at once; delete it once nothing legitimate breaks (the delete is written as a
# later step).
# Evidence (event IDs): 6df3755e-44c4-477f-8f8d-611c8c6bc8e7, f393bfa0-a16d-4980-9b07-1ecd5b46f4ab
# Account: 222222222222
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam update-access-key --profile "$TRAILSIFT_PROFILE_222222222222" --user-name deploy-bot --access-key-id AKIAHV7MGJ5SLMZ4HGXQ --status Inactive
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam delete-access-key --profile "$TRAILSIFT_PROFILE_222222222222" --user-name deploy-bot --access-key-id AKIAHV7MGJ5SLMZ4HGXQ
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam update-access-key --profile "$TRAILSIFT_PROFILE_222222222222" --user-name ops-admin --access-key-id AKIA2CUOFHZ524CG2LLW --status Inactive
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam delete-access-key --profile "$TRAILSIFT_PROFILE_222222222222" --user-name ops-admin --access-key-id AKIA2CUOFHZ524CG2LLW

# --- Revoke active sessions of 2 roles and 2 users in the chain [revoke-role-sessions], incident
# 07c158d3-0452-4808-9bc3-4507c3c31a5a
# Why: Temporary keys stay valid until they expire, even after the keys that made them are gone, and
# a new password does not end a console session. An inline deny on aws:TokenIssueTime before now
# (the documented AWSRevokeOlderSessions policy) kills every session issued so far, on roles and on
# IAM users (console and GetSessionToken sessions, and the federated sessions a user made with
# GetFederationToken); new sessions still work. Users: deploy-bot (its password or MFA was changed
# by the attack); ops-admin (its password or MFA was changed by the attack).
# Evidence (event IDs): 07c158d3-0452-4808-9bc3-4507c3c31a5a, 0ed02cc5-cb2a-43ae-885d-f5d7468f14f9,
# e63f86e0-e616-42f9-a36b-fd2ea2e0ee7b, 7ef5acc9-e624-476e-bbf4-afe8274da38d
# Account: 111111111111
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): REVOKE_BEFORE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam put-role-policy --profile "$TRAILSIFT_PROFILE_111111111111" --role-name InfraAdmin --policy-name AWSRevokeOlderSessions --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"*\"],\"Resource\":[\"*\"],\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"${REVOKE_BEFORE}\"}}}]}"
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): REVOKE_BEFORE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam put-role-policy --profile "$TRAILSIFT_PROFILE_111111111111" --role-name OrgAdminAccess --policy-name AWSRevokeOlderSessions --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"*\"],\"Resource\":[\"*\"],\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"${REVOKE_BEFORE}\"}}}]}"

# --- Revoke active sessions of 2 roles and 2 users in the chain [revoke-role-sessions], incident
# 07c158d3-0452-4808-9bc3-4507c3c31a5a
# Why: Temporary keys stay valid until they expire, even after the keys that made them are gone, and
# a new password does not end a console session. An inline deny on aws:TokenIssueTime before now
# (the documented AWSRevokeOlderSessions policy) kills every session issued so far, on roles and on
# IAM users (console and GetSessionToken sessions, and the federated sessions a user made with
# GetFederationToken); new sessions still work. Users: deploy-bot (its password or MFA was changed
# by the attack); ops-admin (its password or MFA was changed by the attack).
# Evidence (event IDs): 07c158d3-0452-4808-9bc3-4507c3c31a5a, 0ed02cc5-cb2a-43ae-885d-f5d7468f14f9,
# e63f86e0-e616-42f9-a36b-fd2ea2e0ee7b, 7ef5acc9-e624-476e-bbf4-afe8274da38d
# Account: 222222222222
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): REVOKE_BEFORE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam put-user-policy --profile "$TRAILSIFT_PROFILE_222222222222" --user-name deploy-bot --policy-name AWSRevokeOlderSessions --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"*\"],\"Resource\":[\"*\"],\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"${REVOKE_BEFORE}\"}}}]}"
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): REVOKE_BEFORE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam put-user-policy --profile "$TRAILSIFT_PROFILE_222222222222" --user-name ops-admin --policy-name AWSRevokeOlderSessions --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"*\"],\"Resource\":[\"*\"],\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"${REVOKE_BEFORE}\"}}}]}"

# --- Replace the console passwords the attack set or exposed: deploy-bot, ops-admin
# [reset-password], incident 07c158d3-0452-4808-9bc3-4507c3c31a5a
# Why: Someone else set these passwords, removed the MFA in front of them, or signed in with them to
# the console session that reached the deletion, so whoever did it can sign in. Forcing a change
# alone keeps their password (the next to sign in, the attacker, chooses the new one). ops-admin
# signs in: a new random password is set, with a change required at next sign-in, and shown once to
# you to hand over out of band. deploy-bot never signed in to the console in these logs (keys only,
# as far as they show): the console password is removed; if a person uses it, set a new random one
# instead.
# Evidence (event IDs): e63f86e0-e616-42f9-a36b-fd2ea2e0ee7b, 7ef5acc9-e624-476e-bbf4-afe8274da38d
# Account: 222222222222
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): tolerate() { codes=$1; shift; TOLERATED=0; if output=$("$@" 2>&1); then [ -z "$output" ] || printf '%s\n' "$output"; return 0; fi; for code in $(printf '%s' "$codes" | tr '|' ' '); do case "$output" in *"$code"*) TOLERATED=1; echo "already so ($code): $2 $3" >&2; return 0 ;; esac; done; printf '%s\n' "$output" >&2; return 1; }
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): tolerate NoSuchEntity aws iam delete-login-profile --profile "$TRAILSIFT_PROFILE_222222222222" --user-name deploy-bot
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): # a new random password for ops-admin, shown once on stderr and stored nowhere: hand it over out of band
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): # (the AWS CLI takes it as an argument, visible to other users of this machine while it runs)
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): NEW_PASSWORD="$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 40)-Aa1"
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): tolerate() { codes=$1; shift; TOLERATED=0; if output=$("$@" 2>&1); then [ -z "$output" ] || printf '%s\n' "$output"; return 0; fi; for code in $(printf '%s' "$codes" | tr '|' ' '); do case "$output" in *"$code"*) TOLERATED=1; echo "already so ($code): $2 $3" >&2; return 0 ;; esac; done; printf '%s\n' "$output" >&2; return 1; }
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): tolerate NoSuchEntity aws iam update-login-profile --profile "$TRAILSIFT_PROFILE_222222222222" --user-name ops-admin --password "$NEW_PASSWORD" --password-reset-required
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): [ "$TOLERATED" = 1 ] || printf 'New console password for %s (it must be changed at first sign-in): %s\n' ops-admin "$NEW_PASSWORD" >&2
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): unset NEW_PASSWORD

# --- Deactivate 2 access keys now, delete later [deactivate-access-key], incident
# 3e066cc1-4a04-4a86-88d6-963b529394e6
# Why: AKIAHV7MGJ5SLMZ4HGXQ (deploy-bot): long-term key at the origin of the chain;
# AKIA2CUOFHZ524CG2LLW (ops-admin): key that created the origin's key. Deactivation is reversible
# and stops the key at once; delete it once nothing legitimate breaks (the delete is written as a
# later step).
# Evidence (event IDs): 6df3755e-44c4-477f-8f8d-611c8c6bc8e7, f393bfa0-a16d-4980-9b07-1ecd5b46f4ab
# Account: 222222222222
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam update-access-key --profile "$TRAILSIFT_PROFILE_222222222222" --user-name deploy-bot --access-key-id AKIAHV7MGJ5SLMZ4HGXQ --status Inactive
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam delete-access-key --profile "$TRAILSIFT_PROFILE_222222222222" --user-name deploy-bot --access-key-id AKIAHV7MGJ5SLMZ4HGXQ
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam update-access-key --profile "$TRAILSIFT_PROFILE_222222222222" --user-name ops-admin --access-key-id AKIA2CUOFHZ524CG2LLW --status Inactive
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam delete-access-key --profile "$TRAILSIFT_PROFILE_222222222222" --user-name ops-admin --access-key-id AKIA2CUOFHZ524CG2LLW

# --- Revoke active sessions of 2 roles and 2 users in the chain [revoke-role-sessions], incident
# 3e066cc1-4a04-4a86-88d6-963b529394e6
# Why: Temporary keys stay valid until they expire, even after the keys that made them are gone, and
# a new password does not end a console session. An inline deny on aws:TokenIssueTime before now
# (the documented AWSRevokeOlderSessions policy) kills every session issued so far, on roles and on
# IAM users (console and GetSessionToken sessions, and the federated sessions a user made with
# GetFederationToken); new sessions still work. Users: deploy-bot (its password or MFA was changed
# by the attack); ops-admin (its password or MFA was changed by the attack).
# Evidence (event IDs): 3e066cc1-4a04-4a86-88d6-963b529394e6, 0ed02cc5-cb2a-43ae-885d-f5d7468f14f9,
# e63f86e0-e616-42f9-a36b-fd2ea2e0ee7b, 7ef5acc9-e624-476e-bbf4-afe8274da38d
# Account: 111111111111
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): REVOKE_BEFORE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam put-role-policy --profile "$TRAILSIFT_PROFILE_111111111111" --role-name InfraAdmin --policy-name AWSRevokeOlderSessions --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"*\"],\"Resource\":[\"*\"],\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"${REVOKE_BEFORE}\"}}}]}"
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): REVOKE_BEFORE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam put-role-policy --profile "$TRAILSIFT_PROFILE_111111111111" --role-name OrgAdminAccess --policy-name AWSRevokeOlderSessions --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"*\"],\"Resource\":[\"*\"],\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"${REVOKE_BEFORE}\"}}}]}"

# --- Revoke active sessions of 2 roles and 2 users in the chain [revoke-role-sessions], incident
# 3e066cc1-4a04-4a86-88d6-963b529394e6
# Why: Temporary keys stay valid until they expire, even after the keys that made them are gone, and
# a new password does not end a console session. An inline deny on aws:TokenIssueTime before now
# (the documented AWSRevokeOlderSessions policy) kills every session issued so far, on roles and on
# IAM users (console and GetSessionToken sessions, and the federated sessions a user made with
# GetFederationToken); new sessions still work. Users: deploy-bot (its password or MFA was changed
# by the attack); ops-admin (its password or MFA was changed by the attack).
# Evidence (event IDs): 3e066cc1-4a04-4a86-88d6-963b529394e6, 0ed02cc5-cb2a-43ae-885d-f5d7468f14f9,
# e63f86e0-e616-42f9-a36b-fd2ea2e0ee7b, 7ef5acc9-e624-476e-bbf4-afe8274da38d
# Account: 222222222222
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): REVOKE_BEFORE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam put-user-policy --profile "$TRAILSIFT_PROFILE_222222222222" --user-name deploy-bot --policy-name AWSRevokeOlderSessions --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"*\"],\"Resource\":[\"*\"],\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"${REVOKE_BEFORE}\"}}}]}"
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): REVOKE_BEFORE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam put-user-policy --profile "$TRAILSIFT_PROFILE_222222222222" --user-name ops-admin --policy-name AWSRevokeOlderSessions --policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"*\"],\"Resource\":[\"*\"],\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"${REVOKE_BEFORE}\"}}}]}"

# --- Replace the console passwords the attack set or exposed: deploy-bot, ops-admin
# [reset-password], incident 3e066cc1-4a04-4a86-88d6-963b529394e6
# Why: Someone else set these passwords, removed the MFA in front of them, or signed in with them to
# the console session that reached the deletion, so whoever did it can sign in. Forcing a change
# alone keeps their password (the next to sign in, the attacker, chooses the new one). ops-admin
# signs in: a new random password is set, with a change required at next sign-in, and shown once to
# you to hand over out of band. deploy-bot never signed in to the console in these logs (keys only,
# as far as they show): the console password is removed; if a person uses it, set a new random one
# instead.
# Evidence (event IDs): e63f86e0-e616-42f9-a36b-fd2ea2e0ee7b, 7ef5acc9-e624-476e-bbf4-afe8274da38d
# Account: 222222222222
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): tolerate() { codes=$1; shift; TOLERATED=0; if output=$("$@" 2>&1); then [ -z "$output" ] || printf '%s\n' "$output"; return 0; fi; for code in $(printf '%s' "$codes" | tr '|' ' '); do case "$output" in *"$code"*) TOLERATED=1; echo "already so ($code): $2 $3" >&2; return 0 ;; esac; done; printf '%s\n' "$output" >&2; return 1; }
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): tolerate NoSuchEntity aws iam delete-login-profile --profile "$TRAILSIFT_PROFILE_222222222222" --user-name deploy-bot
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): # a new random password for ops-admin, shown once on stderr and stored nowhere: hand it over out of band
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): # (the AWS CLI takes it as an argument, visible to other users of this machine while it runs)
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): NEW_PASSWORD="$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 40)-Aa1"
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): tolerate() { codes=$1; shift; TOLERATED=0; if output=$("$@" 2>&1); then [ -z "$output" ] || printf '%s\n' "$output"; return 0; fi; for code in $(printf '%s' "$codes" | tr '|' ' '); do case "$output" in *"$code"*) TOLERATED=1; echo "already so ($code): $2 $3" >&2; return 0 ;; esac; done; printf '%s\n' "$output" >&2; return 1; }
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): tolerate NoSuchEntity aws iam update-login-profile --profile "$TRAILSIFT_PROFILE_222222222222" --user-name ops-admin --password "$NEW_PASSWORD" --password-reset-required
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): [ "$TOLERATED" = 1 ] || printf 'New console password for %s (it must be changed at first sign-in): %s\n' ops-admin "$NEW_PASSWORD" >&2
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): unset NEW_PASSWORD

# ============================================================================
# Phase 2: recovery: restore the instance profile, wait for it, re-associate the instances, verify
# ============================================================================

# --- Re-create instance profile web-app-profile at path /app/ with its role
# [restore-instance-profile], incident 07c158d3-0452-4808-9bc3-4507c3c31a5a
# Why: The profile was deleted. A re-created profile gets a new unique ID: running instances do not
# pick it up by name, so wait for it to exist, then re-associate them.
# Evidence (event IDs): 07c158d3-0452-4808-9bc3-4507c3c31a5a
# Account: 111111111111
aws iam create-instance-profile --profile "$TRAILSIFT_PROFILE_111111111111" --instance-profile-name web-app-profile --path /app/
aws iam add-role-to-instance-profile --profile "$TRAILSIFT_PROFILE_111111111111" --instance-profile-name web-app-profile --role-name web-app-role
aws iam wait instance-profile-exists --profile "$TRAILSIFT_PROFILE_111111111111" --instance-profile-name web-app-profile

# --- Re-associate the profile with 4 instances that held it [reassociate-instances], incident
# 07c158d3-0452-4808-9bc3-4507c3c31a5a
# Why: These instances lost their role credentials when the profile was deleted (a stopped one fails
# when started). Their association can remain, pointing at the deleted profile, and an instance
# holds only one: each is described first, then its association replaced, or one associated where
# none remains, then shown again to verify. Terminated instances are left out.
# Evidence (event IDs): 707495c4-3929-4b50-a312-75ca60a17ec3, e1b48759-d2ea-4c9a-a256-45adef042905,
# 22e97dc3-41b9-4178-940d-27ccde402c1e, 89903310-5318-4cf4-a71c-82c995fd2667
# Account: 111111111111
# i-0121cb727899875c6 in us-west-2: replace the association it still holds to the deleted profile, or associate one where none remains; an instance since pointed at another profile is left as it is
retry() { attempt=1; while :; do if output=$("$@" 2>&1); then printf '%s\n' "$output"; return 0; fi; case "$output" in *InvalidParameterValue*) ;; *) printf '%s\n' "$output" >&2; return 1 ;; esac; [ "$attempt" -lt 6 ] || { printf '%s\n' "$output" >&2; return 1; }; attempt=$((attempt + 1)); echo 'the new profile is not visible to EC2 yet: retrying in 10 s' >&2; sleep 10; done; }
ASSOCIATION_ID=$(aws ec2 describe-iam-instance-profile-associations --profile "$TRAILSIFT_PROFILE_111111111111" --region us-west-2 --filters Name=instance-id,Values=i-0121cb727899875c6 Name=state,Values=associated --query 'IamInstanceProfileAssociations[?ends_with(IamInstanceProfile.Arn, '\''/web-app-profile'\'')].AssociationId | [0]' --output text)
HELD_ID=$(aws ec2 describe-iam-instance-profile-associations --profile "$TRAILSIFT_PROFILE_111111111111" --region us-west-2 --filters Name=instance-id,Values=i-0121cb727899875c6 Name=state,Values=associated --query 'IamInstanceProfileAssociations[0].AssociationId' --output text)
if [ -n "$ASSOCIATION_ID" ] && [ "$ASSOCIATION_ID" != None ]; then
  retry aws ec2 replace-iam-instance-profile-association --profile "$TRAILSIFT_PROFILE_111111111111" --region us-west-2 --association-id "$ASSOCIATION_ID" --iam-instance-profile Name=web-app-profile || REASSOCIATION_FAILED="${REASSOCIATION_FAILED:-} i-0121cb727899875c6"
elif [ -z "$HELD_ID" ] || [ "$HELD_ID" = None ]; then
  retry aws ec2 associate-iam-instance-profile --profile "$TRAILSIFT_PROFILE_111111111111" --region us-west-2 --instance-id i-0121cb727899875c6 --iam-instance-profile Name=web-app-profile || REASSOCIATION_FAILED="${REASSOCIATION_FAILED:-} i-0121cb727899875c6"
else
  echo 'i-0121cb727899875c6 now holds another profile'\''s association: left as it is, check it' >&2
fi
aws ec2 describe-iam-instance-profile-associations --profile "$TRAILSIFT_PROFILE_111111111111" --region us-west-2 --filters Name=instance-id,Values=i-0121cb727899875c6
# i-017d6669bada146ca in us-west-2: replace the association it still holds to the deleted profile, or associate one where none remains; an instance since pointed at another profile is left as it is
retry() { attempt=1; while :; do if output=$("$@" 2>&1); then printf '%s\n' "$output"; return 0; fi; case "$output" in *InvalidParameterValue*) ;; *) printf '%s\n' "$output" >&2; return 1 ;; esac; [ "$attempt" -lt 6 ] || { printf '%s\n' "$output" >&2; return 1; }; attempt=$((attempt + 1)); echo 'the new profile is not visible to EC2 yet: retrying in 10 s' >&2; sleep 10; done; }
ASSOCIATION_ID=$(aws ec2 describe-iam-instance-profile-associations --profile "$TRAILSIFT_PROFILE_111111111111" --region us-west-2 --filters Name=instance-id,Values=i-017d6669bada146ca Name=state,Values=associated --query 'IamInstanceProfileAssociations[?ends_with(IamInstanceProfile.Arn, '\''/web-app-profile'\'')].AssociationId | [0]' --output text)
HELD_ID=$(aws ec2 describe-iam-instance-profile-associations --profile "$TRAILSIFT_PROFILE_111111111111" --region us-west-2 --filters Name=instance-id,Values=i-017d6669bada146ca Name=state,Values=associated --query 'IamInstanceProfileAssociations[0].AssociationId' --output text)
if [ -n "$ASSOCIATION_ID" ] && [ "$ASSOCIATION_ID" != None ]; then
  retry aws ec2 replace-iam-instance-profile-association --profile "$TRAILSIFT_PROFILE_111111111111" --region us-west-2 --association-id "$ASSOCIATION_ID" --iam-instance-profile Name=web-app-profile || REASSOCIATION_FAILED="${REASSOCIATION_FAILED:-} i-017d6669bada146ca"
elif [ -z "$HELD_ID" ] || [ "$HELD_ID" = None ]; then
  retry aws ec2 associate-iam-instance-profile --profile "$TRAILSIFT_PROFILE_111111111111" --region us-west-2 --instance-id i-017d6669bada146ca --iam-instance-profile Name=web-app-profile || REASSOCIATION_FAILED="${REASSOCIATION_FAILED:-} i-017d6669bada146ca"
else
  echo 'i-017d6669bada146ca now holds another profile'\''s association: left as it is, check it' >&2
fi
aws ec2 describe-iam-instance-profile-associations --profile "$TRAILSIFT_PROFILE_111111111111" --region us-west-2 --filters Name=instance-id,Values=i-017d6669bada146ca
# i-07895937177b09085 in eu-west-1: replace the association it still holds to the deleted profile, or associate one where none remains; an instance since pointed at another profile is left as it is
retry() { attempt=1; while :; do if output=$("$@" 2>&1); then printf '%s\n' "$output"; return 0; fi; case "$output" in *InvalidParameterValue*) ;; *) printf '%s\n' "$output" >&2; return 1 ;; esac; [ "$attempt" -lt 6 ] || { printf '%s\n' "$output" >&2; return 1; }; attempt=$((attempt + 1)); echo 'the new profile is not visible to EC2 yet: retrying in 10 s' >&2; sleep 10; done; }
ASSOCIATION_ID=$(aws ec2 describe-iam-instance-profile-associations --profile "$TRAILSIFT_PROFILE_111111111111" --region eu-west-1 --filters Name=instance-id,Values=i-07895937177b09085 Name=state,Values=associated --query 'IamInstanceProfileAssociations[?ends_with(IamInstanceProfile.Arn, '\''/web-app-profile'\'')].AssociationId | [0]' --output text)
HELD_ID=$(aws ec2 describe-iam-instance-profile-associations --profile "$TRAILSIFT_PROFILE_111111111111" --region eu-west-1 --filters Name=instance-id,Values=i-07895937177b09085 Name=state,Values=associated --query 'IamInstanceProfileAssociations[0].AssociationId' --output text)
if [ -n "$ASSOCIATION_ID" ] && [ "$ASSOCIATION_ID" != None ]; then
  retry aws ec2 replace-iam-instance-profile-association --profile "$TRAILSIFT_PROFILE_111111111111" --region eu-west-1 --association-id "$ASSOCIATION_ID" --iam-instance-profile Name=web-app-profile || REASSOCIATION_FAILED="${REASSOCIATION_FAILED:-} i-07895937177b09085"
elif [ -z "$HELD_ID" ] || [ "$HELD_ID" = None ]; then
  retry aws ec2 associate-iam-instance-profile --profile "$TRAILSIFT_PROFILE_111111111111" --region eu-west-1 --instance-id i-07895937177b09085 --iam-instance-profile Name=web-app-profile || REASSOCIATION_FAILED="${REASSOCIATION_FAILED:-} i-07895937177b09085"
else
  echo 'i-07895937177b09085 now holds another profile'\''s association: left as it is, check it' >&2
fi
aws ec2 describe-iam-instance-profile-associations --profile "$TRAILSIFT_PROFILE_111111111111" --region eu-west-1 --filters Name=instance-id,Values=i-07895937177b09085
# i-0e245e90cc3f2279c in us-east-1: replace the association it still holds to the deleted profile, or associate one where none remains (the log named iip-assoc-0e548ca5d9a8b3a55; the one described now is used); an instance since pointed at another profile is left as it is
retry() { attempt=1; while :; do if output=$("$@" 2>&1); then printf '%s\n' "$output"; return 0; fi; case "$output" in *InvalidParameterValue*) ;; *) printf '%s\n' "$output" >&2; return 1 ;; esac; [ "$attempt" -lt 6 ] || { printf '%s\n' "$output" >&2; return 1; }; attempt=$((attempt + 1)); echo 'the new profile is not visible to EC2 yet: retrying in 10 s' >&2; sleep 10; done; }
ASSOCIATION_ID=$(aws ec2 describe-iam-instance-profile-associations --profile "$TRAILSIFT_PROFILE_111111111111" --region us-east-1 --filters Name=instance-id,Values=i-0e245e90cc3f2279c Name=state,Values=associated --query 'IamInstanceProfileAssociations[?ends_with(IamInstanceProfile.Arn, '\''/web-app-profile'\'')].AssociationId | [0]' --output text)
HELD_ID=$(aws ec2 describe-iam-instance-profile-associations --profile "$TRAILSIFT_PROFILE_111111111111" --region us-east-1 --filters Name=instance-id,Values=i-0e245e90cc3f2279c Name=state,Values=associated --query 'IamInstanceProfileAssociations[0].AssociationId' --output text)
if [ -n "$ASSOCIATION_ID" ] && [ "$ASSOCIATION_ID" != None ]; then
  retry aws ec2 replace-iam-instance-profile-association --profile "$TRAILSIFT_PROFILE_111111111111" --region us-east-1 --association-id "$ASSOCIATION_ID" --iam-instance-profile Name=web-app-profile || REASSOCIATION_FAILED="${REASSOCIATION_FAILED:-} i-0e245e90cc3f2279c"
elif [ -z "$HELD_ID" ] || [ "$HELD_ID" = None ]; then
  retry aws ec2 associate-iam-instance-profile --profile "$TRAILSIFT_PROFILE_111111111111" --region us-east-1 --instance-id i-0e245e90cc3f2279c --iam-instance-profile Name=web-app-profile || REASSOCIATION_FAILED="${REASSOCIATION_FAILED:-} i-0e245e90cc3f2279c"
else
  echo 'i-0e245e90cc3f2279c now holds another profile'\''s association: left as it is, check it' >&2
fi
aws ec2 describe-iam-instance-profile-associations --profile "$TRAILSIFT_PROFILE_111111111111" --region us-east-1 --filters Name=instance-id,Values=i-0e245e90cc3f2279c

# ============================================================================
# Phase 3: hardening: password policy, MFA, and a guard against the next deletion
# ============================================================================

# --- Enforce a strong account password policy, keeping the settings it does not change
# [password-policy], incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b
# Why: Passwords were set or used during the incident. No tool can read an existing password to test
# it: enforce the policy so every new password meets it. UpdateAccountPasswordPolicy resets whatever
# it is not given, so the current policy is read first and every setting passed: at least 14
# characters, all character classes, 24 remembered passwords, users may change their own password (a
# password reset that requires a change at next sign-in needs it), and no forced periodic expiry
# (NIST SP 800-63B).
# Evidence (event IDs): e63f86e0-e616-42f9-a36b-fd2ea2e0ee7b
# Account: 222222222222
# UpdateAccountPasswordPolicy resets every setting it is not given: read the current policy, then pass them all.
# No policy yet (NoSuchEntity) means the defaults below; any other failure stops here, leaving the policy as it is.
if POLICY_LENGTH=$(aws iam get-account-password-policy --profile "$TRAILSIFT_PROFILE_222222222222" --query PasswordPolicy.MinimumPasswordLength --output text 2>&1); then
  POLICY_REUSE=$(aws iam get-account-password-policy --profile "$TRAILSIFT_PROFILE_222222222222" --query PasswordPolicy.PasswordReusePrevention --output text)
  POLICY_HARD_EXPIRY=$(aws iam get-account-password-policy --profile "$TRAILSIFT_PROFILE_222222222222" --query PasswordPolicy.HardExpiry --output text)
else
  case "$POLICY_LENGTH" in
    *NoSuchEntity*) POLICY_LENGTH=None; POLICY_REUSE=None; POLICY_HARD_EXPIRY=None ;;
    *) printf 'cannot read the password policy, so it is left as it is: %s\n' "$POLICY_LENGTH" >&2; exit 1 ;;
  esac
fi
case "$POLICY_LENGTH" in ''|None|*[!0-9]*) POLICY_LENGTH=14 ;; esac
[ "$POLICY_LENGTH" -ge 14 ] || POLICY_LENGTH=14
case "$POLICY_REUSE" in ''|None|*[!0-9]*) POLICY_REUSE=24 ;; esac
[ "$POLICY_REUSE" -ge 24 ] || POLICY_REUSE=24
if [ "$POLICY_HARD_EXPIRY" = True ]; then POLICY_EXPIRY=--hard-expiry; else POLICY_EXPIRY=--no-hard-expiry; fi
# No --max-password-age: NIST SP 800-63B advises against forced periodic expiry (an expiry set before is removed).
aws iam update-account-password-policy --profile "$TRAILSIFT_PROFILE_222222222222" --minimum-password-length "$POLICY_LENGTH" --require-symbols --require-numbers --require-uppercase-characters --require-lowercase-characters --allow-users-to-change-password --password-reuse-prevention "$POLICY_REUSE" "$POLICY_EXPIRY"

# --- Put MFA back on ops-admin [enforce-mfa], incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b
# Why: MFA was removed or not used for a console sign-in. It cannot be enabled without the device:
# re-enable the device the log names if the user still holds it, or create a virtual device (its
# seed is written to a file only you can read), then enable it with two consecutive codes. Then
# require MFA in the users’ policies (aws:MultiFactorAuthPresent).
# Evidence (event IDs): 7ef5acc9-e624-476e-bbf4-afe8274da38d
# Account: 222222222222
# MFA for ops-admin needs two consecutive codes from the device: fill them in below
# FILL IN: aws iam enable-mfa-device --profile "$TRAILSIFT_PROFILE_222222222222" --user-name ops-admin --serial-number arn:aws:iam::222222222222:mfa/ops-admin --authentication-code1 <code-1> --authentication-code2 <code-2>
# a new virtual MFA device for ops-admin: its seed goes to a file only you can read; scan it, then enable it with two consecutive codes
# FILL IN: (umask 077 && aws iam create-virtual-mfa-device --profile "$TRAILSIFT_PROFILE_222222222222" --virtual-mfa-device-name ops-admin-mfa --outfile <seed-file> --bootstrap-method Base32StringSeed)
# FILL IN: aws iam enable-mfa-device --profile "$TRAILSIFT_PROFILE_222222222222" --user-name ops-admin --serial-number arn:aws:iam::222222222222:mfa/ops-admin-mfa --authentication-code1 <code-1> --authentication-code2 <code-2>

# --- Only the deployment role may delete instance profiles; alert on every deletion
# [guard-instance-profile-deletion], incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b
# Why: A service control policy denying iam:DeleteInstanceProfile to everyone but the deployment
# role stops a repeat once it is attached (to the root, an OU or the account); an EventBridge rule
# with a target raises an alert, in us-east-1 because IAM events reach EventBridge only there.
# Replace <deployment-role> with your pipeline’s role and name the SNS topic (or other target) that
# alerts you.
# Evidence (event IDs): 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b
# Account: the organization management account
# FILL IN: SCP_POLICY_ID=$(aws organizations create-policy --profile <management-account-profile> --type SERVICE_CONTROL_POLICY --name DenyInstanceProfileDeletion --description 'Only the deployment role may delete instance profiles' --content '{"Version":"2012-10-17","Statement":[{"Sid":"DenyInstanceProfileDeletion","Effect":"Deny","Action":["iam:DeleteInstanceProfile","iam:RemoveRoleFromInstanceProfile"],"Resource":"*","Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/<deployment-role>"}}}]}' --query Policy.PolicySummary.Id --output text)
# FILL IN: aws organizations attach-policy --profile <management-account-profile> --policy-id "$SCP_POLICY_ID" --target-id <root-ou-or-account-id>

# --- Only the deployment role may delete instance profiles; alert on every deletion
# [guard-instance-profile-deletion], incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b
# Why: A service control policy denying iam:DeleteInstanceProfile to everyone but the deployment
# role stops a repeat once it is attached (to the root, an OU or the account); an EventBridge rule
# with a target raises an alert, in us-east-1 because IAM events reach EventBridge only there.
# Replace <deployment-role> with your pipeline’s role and name the SNS topic (or other target) that
# alerts you.
# Evidence (event IDs): 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b
# Account: 111111111111
aws events put-rule --profile "$TRAILSIFT_PROFILE_111111111111" --region us-east-1 --name trailsift-instance-profile-deletion --event-pattern '{"source":["aws.iam"],"detail-type":["AWS API Call via CloudTrail"],"detail":{"eventSource":["iam.amazonaws.com"],"eventName":["DeleteInstanceProfile","RemoveRoleFromInstanceProfile"]}}'
# FILL IN: aws events put-targets --profile "$TRAILSIFT_PROFILE_111111111111" --region us-east-1 --rule trailsift-instance-profile-deletion --targets '[{"Id":"alert","Arn":"<sns-topic-arn>"}]'

# --- Enforce a strong account password policy, keeping the settings it does not change
# [password-policy], incident 07c158d3-0452-4808-9bc3-4507c3c31a5a
# Why: Passwords were set or used during the incident. No tool can read an existing password to test
# it: enforce the policy so every new password meets it. UpdateAccountPasswordPolicy resets whatever
# it is not given, so the current policy is read first and every setting passed: at least 14
# characters, all character classes, 24 remembered passwords, users may change their own password (a
# password reset that requires a change at next sign-in needs it), and no forced periodic expiry
# (NIST SP 800-63B).
# Evidence (event IDs): e63f86e0-e616-42f9-a36b-fd2ea2e0ee7b
# Account: 222222222222
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): # UpdateAccountPasswordPolicy resets every setting it is not given: read the current policy, then pass them all.
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): # No policy yet (NoSuchEntity) means the defaults below; any other failure stops here, leaving the policy as it is.
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): if POLICY_LENGTH=$(aws iam get-account-password-policy --profile "$TRAILSIFT_PROFILE_222222222222" --query PasswordPolicy.MinimumPasswordLength --output text 2>&1); then
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b):   POLICY_REUSE=$(aws iam get-account-password-policy --profile "$TRAILSIFT_PROFILE_222222222222" --query PasswordPolicy.PasswordReusePrevention --output text)
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b):   POLICY_HARD_EXPIRY=$(aws iam get-account-password-policy --profile "$TRAILSIFT_PROFILE_222222222222" --query PasswordPolicy.HardExpiry --output text)
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): else
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b):   case "$POLICY_LENGTH" in
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b):     *NoSuchEntity*) POLICY_LENGTH=None; POLICY_REUSE=None; POLICY_HARD_EXPIRY=None ;;
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b):     *) printf 'cannot read the password policy, so it is left as it is: %s\n' "$POLICY_LENGTH" >&2; exit 1 ;;
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b):   esac
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): fi
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): case "$POLICY_LENGTH" in ''|None|*[!0-9]*) POLICY_LENGTH=14 ;; esac
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): [ "$POLICY_LENGTH" -ge 14 ] || POLICY_LENGTH=14
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): case "$POLICY_REUSE" in ''|None|*[!0-9]*) POLICY_REUSE=24 ;; esac
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): [ "$POLICY_REUSE" -ge 24 ] || POLICY_REUSE=24
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): if [ "$POLICY_HARD_EXPIRY" = True ]; then POLICY_EXPIRY=--hard-expiry; else POLICY_EXPIRY=--no-hard-expiry; fi
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): # No --max-password-age: NIST SP 800-63B advises against forced periodic expiry (an expiry set before is removed).
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam update-account-password-policy --profile "$TRAILSIFT_PROFILE_222222222222" --minimum-password-length "$POLICY_LENGTH" --require-symbols --require-numbers --require-uppercase-characters --require-lowercase-characters --allow-users-to-change-password --password-reuse-prevention "$POLICY_REUSE" "$POLICY_EXPIRY"

# --- Put MFA back on ops-admin [enforce-mfa], incident 07c158d3-0452-4808-9bc3-4507c3c31a5a
# Why: MFA was removed or not used for a console sign-in. It cannot be enabled without the device:
# re-enable the device the log names if the user still holds it, or create a virtual device (its
# seed is written to a file only you can read), then enable it with two consecutive codes. Then
# require MFA in the users’ policies (aws:MultiFactorAuthPresent).
# Evidence (event IDs): 7ef5acc9-e624-476e-bbf4-afe8274da38d
# Account: 222222222222
# MFA for ops-admin needs two consecutive codes from the device: fill them in below
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam enable-mfa-device --profile "$TRAILSIFT_PROFILE_222222222222" --user-name ops-admin --serial-number arn:aws:iam::222222222222:mfa/ops-admin --authentication-code1 <code-1> --authentication-code2 <code-2>
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): # a new virtual MFA device for ops-admin: its seed goes to a file only you can read; scan it, then enable it with two consecutive codes
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): (umask 077 && aws iam create-virtual-mfa-device --profile "$TRAILSIFT_PROFILE_222222222222" --virtual-mfa-device-name ops-admin-mfa --outfile <seed-file> --bootstrap-method Base32StringSeed)
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam enable-mfa-device --profile "$TRAILSIFT_PROFILE_222222222222" --user-name ops-admin --serial-number arn:aws:iam::222222222222:mfa/ops-admin-mfa --authentication-code1 <code-1> --authentication-code2 <code-2>

# --- Only the deployment role may delete instance profiles; alert on every deletion
# [guard-instance-profile-deletion], incident 07c158d3-0452-4808-9bc3-4507c3c31a5a
# Why: A service control policy denying iam:DeleteInstanceProfile to everyone but the deployment
# role stops a repeat once it is attached (to the root, an OU or the account); an EventBridge rule
# with a target raises an alert, in us-east-1 because IAM events reach EventBridge only there.
# Replace <deployment-role> with your pipeline’s role and name the SNS topic (or other target) that
# alerts you.
# Evidence (event IDs): 07c158d3-0452-4808-9bc3-4507c3c31a5a
# Account: the organization management account
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): SCP_POLICY_ID=$(aws organizations create-policy --profile <management-account-profile> --type SERVICE_CONTROL_POLICY --name DenyInstanceProfileDeletion --description 'Only the deployment role may delete instance profiles' --content '{"Version":"2012-10-17","Statement":[{"Sid":"DenyInstanceProfileDeletion","Effect":"Deny","Action":["iam:DeleteInstanceProfile","iam:RemoveRoleFromInstanceProfile"],"Resource":"*","Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/<deployment-role>"}}}]}' --query Policy.PolicySummary.Id --output text)
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws organizations attach-policy --profile <management-account-profile> --policy-id "$SCP_POLICY_ID" --target-id <root-ou-or-account-id>

# --- Only the deployment role may delete instance profiles; alert on every deletion
# [guard-instance-profile-deletion], incident 07c158d3-0452-4808-9bc3-4507c3c31a5a
# Why: A service control policy denying iam:DeleteInstanceProfile to everyone but the deployment
# role stops a repeat once it is attached (to the root, an OU or the account); an EventBridge rule
# with a target raises an alert, in us-east-1 because IAM events reach EventBridge only there.
# Replace <deployment-role> with your pipeline’s role and name the SNS topic (or other target) that
# alerts you.
# Evidence (event IDs): 07c158d3-0452-4808-9bc3-4507c3c31a5a
# Account: 111111111111
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws events put-rule --profile "$TRAILSIFT_PROFILE_111111111111" --region us-east-1 --name trailsift-instance-profile-deletion --event-pattern '{"source":["aws.iam"],"detail-type":["AWS API Call via CloudTrail"],"detail":{"eventSource":["iam.amazonaws.com"],"eventName":["DeleteInstanceProfile","RemoveRoleFromInstanceProfile"]}}'
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws events put-targets --profile "$TRAILSIFT_PROFILE_111111111111" --region us-east-1 --rule trailsift-instance-profile-deletion --targets '[{"Id":"alert","Arn":"<sns-topic-arn>"}]'

# --- Enforce a strong account password policy, keeping the settings it does not change
# [password-policy], incident 3e066cc1-4a04-4a86-88d6-963b529394e6
# Why: Passwords were set or used during the incident. No tool can read an existing password to test
# it: enforce the policy so every new password meets it. UpdateAccountPasswordPolicy resets whatever
# it is not given, so the current policy is read first and every setting passed: at least 14
# characters, all character classes, 24 remembered passwords, users may change their own password (a
# password reset that requires a change at next sign-in needs it), and no forced periodic expiry
# (NIST SP 800-63B).
# Evidence (event IDs): e63f86e0-e616-42f9-a36b-fd2ea2e0ee7b
# Account: 222222222222
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): # UpdateAccountPasswordPolicy resets every setting it is not given: read the current policy, then pass them all.
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): # No policy yet (NoSuchEntity) means the defaults below; any other failure stops here, leaving the policy as it is.
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): if POLICY_LENGTH=$(aws iam get-account-password-policy --profile "$TRAILSIFT_PROFILE_222222222222" --query PasswordPolicy.MinimumPasswordLength --output text 2>&1); then
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b):   POLICY_REUSE=$(aws iam get-account-password-policy --profile "$TRAILSIFT_PROFILE_222222222222" --query PasswordPolicy.PasswordReusePrevention --output text)
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b):   POLICY_HARD_EXPIRY=$(aws iam get-account-password-policy --profile "$TRAILSIFT_PROFILE_222222222222" --query PasswordPolicy.HardExpiry --output text)
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): else
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b):   case "$POLICY_LENGTH" in
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b):     *NoSuchEntity*) POLICY_LENGTH=None; POLICY_REUSE=None; POLICY_HARD_EXPIRY=None ;;
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b):     *) printf 'cannot read the password policy, so it is left as it is: %s\n' "$POLICY_LENGTH" >&2; exit 1 ;;
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b):   esac
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): fi
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): case "$POLICY_LENGTH" in ''|None|*[!0-9]*) POLICY_LENGTH=14 ;; esac
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): [ "$POLICY_LENGTH" -ge 14 ] || POLICY_LENGTH=14
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): case "$POLICY_REUSE" in ''|None|*[!0-9]*) POLICY_REUSE=24 ;; esac
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): [ "$POLICY_REUSE" -ge 24 ] || POLICY_REUSE=24
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): if [ "$POLICY_HARD_EXPIRY" = True ]; then POLICY_EXPIRY=--hard-expiry; else POLICY_EXPIRY=--no-hard-expiry; fi
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): # No --max-password-age: NIST SP 800-63B advises against forced periodic expiry (an expiry set before is removed).
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam update-account-password-policy --profile "$TRAILSIFT_PROFILE_222222222222" --minimum-password-length "$POLICY_LENGTH" --require-symbols --require-numbers --require-uppercase-characters --require-lowercase-characters --allow-users-to-change-password --password-reuse-prevention "$POLICY_REUSE" "$POLICY_EXPIRY"

# --- Put MFA back on ops-admin [enforce-mfa], incident 3e066cc1-4a04-4a86-88d6-963b529394e6
# Why: MFA was removed or not used for a console sign-in. It cannot be enabled without the device:
# re-enable the device the log names if the user still holds it, or create a virtual device (its
# seed is written to a file only you can read), then enable it with two consecutive codes. Then
# require MFA in the users’ policies (aws:MultiFactorAuthPresent).
# Evidence (event IDs): 7ef5acc9-e624-476e-bbf4-afe8274da38d
# Account: 222222222222
# MFA for ops-admin needs two consecutive codes from the device: fill them in below
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam enable-mfa-device --profile "$TRAILSIFT_PROFILE_222222222222" --user-name ops-admin --serial-number arn:aws:iam::222222222222:mfa/ops-admin --authentication-code1 <code-1> --authentication-code2 <code-2>
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): # a new virtual MFA device for ops-admin: its seed goes to a file only you can read; scan it, then enable it with two consecutive codes
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): (umask 077 && aws iam create-virtual-mfa-device --profile "$TRAILSIFT_PROFILE_222222222222" --virtual-mfa-device-name ops-admin-mfa --outfile <seed-file> --bootstrap-method Base32StringSeed)
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws iam enable-mfa-device --profile "$TRAILSIFT_PROFILE_222222222222" --user-name ops-admin --serial-number arn:aws:iam::222222222222:mfa/ops-admin-mfa --authentication-code1 <code-1> --authentication-code2 <code-2>

# --- Only the deployment role may delete instance profiles; alert on every deletion
# [guard-instance-profile-deletion], incident 3e066cc1-4a04-4a86-88d6-963b529394e6
# Why: A service control policy denying iam:DeleteInstanceProfile to everyone but the deployment
# role stops a repeat once it is attached (to the root, an OU or the account); an EventBridge rule
# with a target raises an alert, in us-east-1 because IAM events reach EventBridge only there.
# Replace <deployment-role> with your pipeline’s role and name the SNS topic (or other target) that
# alerts you.
# Evidence (event IDs): 3e066cc1-4a04-4a86-88d6-963b529394e6
# Account: the organization management account
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): SCP_POLICY_ID=$(aws organizations create-policy --profile <management-account-profile> --type SERVICE_CONTROL_POLICY --name DenyInstanceProfileDeletion --description 'Only the deployment role may delete instance profiles' --content '{"Version":"2012-10-17","Statement":[{"Sid":"DenyInstanceProfileDeletion","Effect":"Deny","Action":["iam:DeleteInstanceProfile","iam:RemoveRoleFromInstanceProfile"],"Resource":"*","Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/<deployment-role>"}}}]}' --query Policy.PolicySummary.Id --output text)
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws organizations attach-policy --profile <management-account-profile> --policy-id "$SCP_POLICY_ID" --target-id <root-ou-or-account-id>

# --- Only the deployment role may delete instance profiles; alert on every deletion
# [guard-instance-profile-deletion], incident 3e066cc1-4a04-4a86-88d6-963b529394e6
# Why: A service control policy denying iam:DeleteInstanceProfile to everyone but the deployment
# role stops a repeat once it is attached (to the root, an OU or the account); an EventBridge rule
# with a target raises an alert, in us-east-1 because IAM events reach EventBridge only there.
# Replace <deployment-role> with your pipeline’s role and name the SNS topic (or other target) that
# alerts you.
# Evidence (event IDs): 3e066cc1-4a04-4a86-88d6-963b529394e6
# Account: 111111111111
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws events put-rule --profile "$TRAILSIFT_PROFILE_111111111111" --region us-east-1 --name trailsift-instance-profile-deletion --event-pattern '{"source":["aws.iam"],"detail-type":["AWS API Call via CloudTrail"],"detail":{"eventSource":["iam.amazonaws.com"],"eventName":["DeleteInstanceProfile","RemoveRoleFromInstanceProfile"]}}'
# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): aws events put-targets --profile "$TRAILSIFT_PROFILE_111111111111" --region us-east-1 --rule trailsift-instance-profile-deletion --targets '[{"Id":"alert","Arn":"<sns-topic-arn>"}]'

# One instance that could not be re-associated does not stop the others: they are all named here.
[ -z "${REASSOCIATION_FAILED:-}" ] || { echo "trailsift remediation: re-association failed for:${REASSOCIATION_FAILED}" >&2; exit 1; }

echo "trailsift remediation: every step above ran except 6 left to fill in (# FILL IN), 3 to do by hand: see those above; check the verify output of each re-association." >&2
