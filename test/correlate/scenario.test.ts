/**
 * The bundled attack scenario (scripts/generate-scenario.mjs) with its expected answers:
 * every incident, actor chain, origin, key creator, instance status, launch template,
 * failed launch, classification and recommendation must match.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/correlate/incident.js';
import { investigate } from '../../src/correlate/investigate.js';
import { openDatabase } from '../../src/store/database.js';
import { SqliteEvidence } from '../../src/store/evidence.js';
import { freshDatabasePath, ingestLocal } from '../support/database.js';

const SCENARIO = resolve(__dirname, '../../fixtures/scenario');

interface ExpectedIncident {
  id: string;
  eventTime: string;
  accountId: string;
  outcome: string;
  errorCode: string | null;
  instanceProfile: { name: string; arn: string | null; path: string | null; roles: string[] };
  actor: {
    type: string;
    arn: string;
    accessKeyId: string | null;
    sourceIPAddress: string;
    mfaAuthenticated: boolean | null;
    invokedBy: string | null;
    chain: Array<{ arn: string; type: string; accessKeyId: string | null; via: string; viaEventName: string }>;
    origin: { arn: string; type: string; accessKeyId: string | null };
    keyProvenance: { accessKeyId: string; createdBy: string; eventId: string; eventTime: string } | null;
  };
  classification: string;
  affectedInstances: Array<{ instanceId: string; region: string; launchEventId: string; status: string }>;
  launchTemplates: Array<{ launchTemplateId: string; name: string; eventId: string }>;
  launchConfigurations: Array<{ name: string; eventId: string; region: string }>;
  failedLaunchesAfter: Array<{ eventId: string; eventTime: string; region: string; errorCode: string }>;
  credentialChangeEventIds: string[];
  expectedRecommendationIds: string[];
}

const expected = JSON.parse(readFileSync(resolve(SCENARIO, 'expected.json'), 'utf8')) as {
  counts: { uniqueEvents: number; digestFiles: number; duplicateRecords: number };
  incidents: ExpectedIncident[];
};

let incidents: Incident[] = [];
let dbPath = '';

beforeAll(async () => {
  dbPath = freshDatabasePath();
  const { summary } = await ingestLocal(dbPath, [resolve(SCENARIO, 'archive')]);
  expect(summary).toMatchObject({ eventsInserted: expected.counts.uniqueEvents, digestFiles: expected.counts.digestFiles, duplicates: expected.counts.duplicateRecords, errors: 0 });
  const db = openDatabase(dbPath, { readonly: true });
  try {
    incidents = await investigate(new SqliteEvidence(db), {});
  } finally {
    db.close();
  }
});

describe('the attack scenario', () => {
  it('when investigated then every DeleteInstanceProfile is one incident, in time order', () => {
    expect(incidents.map((incident) => incident.id)).toEqual(expected.incidents.map((incident) => incident.id));
  });

  for (const want of expected.incidents) {
    describe(`incident ${want.id} (${want.instanceProfile.name}, ${want.outcome})`, () => {
      const got = (): Incident => incidents.find((incident) => incident.id === want.id)!;

      it('then the profile, outcome and account are right', () => {
        expect(got()).toMatchObject({ eventTime: want.eventTime, accountId: want.accountId, outcome: want.outcome, errorCode: want.errorCode });
        expect(got().instanceProfile).toMatchObject(want.instanceProfile);
      });

      it('then the acting identity, chain, origin and key provenance are right', () => {
        const actor = got().actor;
        expect({ type: actor.type, arn: actor.arn, accessKeyId: actor.accessKeyId, sourceIPAddress: actor.sourceIPAddress, mfaAuthenticated: actor.mfaAuthenticated, invokedBy: actor.invokedBy }).toEqual({
          type: want.actor.type,
          arn: want.actor.arn,
          accessKeyId: want.actor.accessKeyId,
          sourceIPAddress: want.actor.sourceIPAddress,
          mfaAuthenticated: want.actor.mfaAuthenticated,
          invokedBy: want.actor.invokedBy,
        });
        expect(actor.chain.map(({ arn, type, accessKeyId, via, viaEventName }) => ({ arn, type, accessKeyId, via, viaEventName }))).toEqual(want.actor.chain);
        expect({ arn: actor.origin.arn, type: actor.origin.type, accessKeyId: actor.origin.accessKeyId }).toEqual(want.actor.origin);
        if (want.actor.keyProvenance === null) expect(actor.keyProvenance).toBeNull();
        else expect(actor.keyProvenance).toMatchObject(want.actor.keyProvenance);
      });

      it('then the classification is right', () => {
        expect(got().assessment.classification).toBe(want.classification);
      });

      it('then affected instances, launch templates, configurations and failed launches are right', () => {
        const incident = got();
        expect(incident.affectedInstances.map(({ instanceId, region, launchEventId, status }) => ({ instanceId, region, launchEventId, status }))).toEqual(want.affectedInstances);
        expect(incident.launchTemplates.map(({ launchTemplateId, name, eventId }) => ({ launchTemplateId, name, eventId }))).toEqual(want.launchTemplates);
        expect(incident.launchConfigurations.map(({ name, eventId, region }) => ({ name, eventId, region }))).toEqual(want.launchConfigurations);
        expect(incident.failedLaunchesAfter.map(({ eventId, eventTime, region, errorCode }) => ({ eventId, eventTime, region, errorCode }))).toEqual(want.failedLaunchesAfter);
      });

      it('then the credential changes are exactly the expected events', () => {
        expect(got().credentialChanges.map((change) => change.eventId)).toEqual(want.credentialChangeEventIds);
      });

      it('then the recommendations are the expected ones and name the right values', () => {
        const incident = got();
        // Compared as a set: recommendations come in incident-response order (containment, recovery, hardening).
        expect(incident.recommendations.map((recommendation) => recommendation.id).sort()).toEqual([...want.expectedRecommendationIds].sort());
        const commands = incident.recommendations.flatMap((recommendation) => recommendation.commands).join('\n');
        const byId = new Map(incident.recommendations.map((recommendation) => [recommendation.id, recommendation.commands.join('\n')]));
        const profileOf = (account: string): string => `--profile "$TRAILSIFT_PROFILE_${account}"`;
        if (byId.has('restore-instance-profile')) {
          expect(byId.get('restore-instance-profile')).toContain(
            `aws iam create-instance-profile ${profileOf(want.accountId)} --instance-profile-name ${want.instanceProfile.name} --path ${want.instanceProfile.path}`,
          );
          for (const role of want.instanceProfile.roles) expect(byId.get('restore-instance-profile')).toContain(`--role-name ${role}`);
          expect(byId.get('restore-instance-profile')).toContain(`aws iam wait instance-profile-exists ${profileOf(want.accountId)} --instance-profile-name ${want.instanceProfile.name}`);
        }
        if (byId.has('reassociate-instances')) {
          // Every instance that held the profile is described, then replaced or associated; never one that was gone.
          const held = want.affectedInstances.filter((instance) => instance.status !== 'terminated-before-deletion');
          const lines = byId.get('reassociate-instances')!.split('\n').map((line) => line.trim().replace(/^retry /, '').replace(/ \|\| REASSOCIATION_FAILED=.*$/, '')).filter((line) => line.startsWith('aws ec2 associate-iam-instance-profile'));
          expect(lines).toEqual(
            held.map((instance) => `aws ec2 associate-iam-instance-profile ${profileOf(want.accountId)} --region ${instance.region} --instance-id ${instance.instanceId} --iam-instance-profile Name=${want.instanceProfile.name}`),
          );
          for (const gone of want.affectedInstances.filter((instance) => instance.status === 'terminated-before-deletion')) expect(commands).not.toContain(gone.instanceId);
        }
        if (byId.has('deactivate-access-key') && want.actor.keyProvenance) {
          const keys = byId.get('deactivate-access-key')!;
          const origin = want.actor.origin.arn.split('/').pop()!;
          const account = want.actor.origin.arn.split(':')[4]!;
          expect(keys).toContain(`aws iam update-access-key ${profileOf(account)} --user-name ${origin} --access-key-id ${want.actor.keyProvenance.accessKeyId} --status Inactive`);
          // Deletion only as a later, commented step.
          expect(keys.split('\n').filter((line) => line.includes('delete-access-key')).every((line) => line.startsWith('# later'))).toBe(true);
        }
        expect(commands).not.toMatch(/enable_mfa\b|enable-mfa\s/);
      });
    });
  }
});
