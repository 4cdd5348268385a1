/**
 * The attack paths the bundled scenario does not cover (scripts/generate-paths.mjs):
 * console takeover, Identity Center across accounts, a web-identity deployment, stolen
 * instance credentials, association changes, a stopped trail with a swapped role, a lab
 * teardown and a CloudFormation decoy. Each incident must match fixtures/paths/expected.json.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/correlate/incident.js';
import { investigate } from '../../src/correlate/investigate.js';
import { openDatabase } from '../../src/store/database.js';
import { SqliteEvidence } from '../../src/store/evidence.js';
import { freshDatabasePath, ingestLocal } from '../support/database.js';

const PATHS = resolve(__dirname, '../../fixtures/paths');

interface ExpectedPath {
  case: string;
  id: string;
  profile: string;
  outcome: string;
  classification: string;
  impact: string;
  origin: { type: string; arn: string; label?: string; instanceId?: string };
  chainVia: string[];
  consoleLoginEventId: string | null;
  identityCenterEventId: string | null;
  keyProvenance: { eventId: string; createdBy: string; creatorChainVia: string[]; creatorOrigin: { type: string; arn: string; instanceId?: string } } | null;
  signals: string[];
  signalEvidence: Record<string, string[]>;
  signalEvidenceExclude: Record<string, string[]>;
  affectedInstances: Array<{ instanceId: string; status: string; associationId: string | null }>;
  launchTemplateIds: string[];
  launchConfigurationNames: string[];
  failedLaunchesAfter: Array<{ eventId: string; matchedBy: string }>;
  credentialChanges: Array<{ eventId: string; eventName: string; target: string }>;
  recommendationsInclude: string[];
  recommendationsExclude: string[];
  revokeRoleSessions: string[];
}

const expected = JSON.parse(readFileSync(resolve(PATHS, 'expected.json'), 'utf8')) as { counts: { uniqueEvents: number }; incidents: ExpectedPath[] };

let incidents: Incident[] = [];
beforeAll(async () => {
  const dbPath = freshDatabasePath();
  const { summary } = await ingestLocal(dbPath, [resolve(PATHS, 'archive')]);
  expect(summary.errors).toBe(0);
  expect(summary.eventsInserted).toBe(expected.counts.uniqueEvents);
  const db = openDatabase(dbPath, { readonly: true });
  try {
    incidents = await investigate(new SqliteEvidence(db), {});
  } finally {
    db.close();
  }
}, 60_000);

describe('attack paths', () => {
  it('when the paths archive is investigated then there is one incident per DeleteInstanceProfile, in order', () => {
    expect(incidents.map((incident) => incident.id)).toEqual(expected.incidents.map((incident) => incident.id));
  });

  describe.each(expected.incidents.map((want) => [want.case, want] as const))('%s', (_name, want) => {
    const incident = (): Incident => incidents.find((candidate) => candidate.id === want.id)!;

    it('when it is attributed then the chain, origin, console sign-in, Identity Center link and key provenance are the expected ones', () => {
      const actor = incident().actor;
      expect(actor.origin).toMatchObject(want.origin);
      expect(actor.chain.map((hop) => hop.via)).toEqual(want.chainVia);
      expect(actor.consoleLogin?.eventId ?? null).toBe(want.consoleLoginEventId);
      expect(actor.identityCenter?.eventId ?? null).toBe(want.identityCenterEventId);
      if (want.keyProvenance === null) expect(actor.keyProvenance).toBeNull();
      else {
        expect(actor.keyProvenance).toMatchObject({ eventId: want.keyProvenance.eventId, createdBy: want.keyProvenance.createdBy });
        expect(actor.keyProvenance!.creatorChain.map((hop) => hop.via)).toEqual(want.keyProvenance.creatorChainVia);
        expect(actor.keyProvenance!.creatorOrigin).toMatchObject(want.keyProvenance.creatorOrigin);
      }
    });

    it('when its impact is measured then instances, templates, configurations and failed launches are exactly those that held the profile', () => {
      const got = incident();
      expect(got.outcome).toBe(want.outcome);
      expect(got.instanceProfile.name).toBe(want.profile);
      expect(got.affectedInstances.map(({ instanceId, status, associationId }) => ({ instanceId, status, associationId }))).toEqual(want.affectedInstances);
      expect(got.launchTemplates.map((template) => template.launchTemplateId).sort()).toEqual([...want.launchTemplateIds].sort());
      expect(got.launchConfigurations.map((configuration) => configuration.name).sort()).toEqual([...want.launchConfigurationNames].sort());
      expect(got.failedLaunchesAfter.map(({ eventId, matchedBy }) => ({ eventId, matchedBy }))).toEqual(want.failedLaunchesAfter);
      expect(got.assessment.impact).toBe(want.impact);
    });

    it('when it is assessed then exactly the expected signals fire, each citing its evidence, and the classification follows', () => {
      const got = incident();
      expect(got.assessment.signals.map((signal) => signal.id).sort()).toEqual([...want.signals].sort());
      for (const [id, evidence] of Object.entries(want.signalEvidence)) {
        expect({ id, evidence: got.assessment.signals.find((signal) => signal.id === id)?.evidence }).toEqual({ id, evidence: expect.arrayContaining(evidence) });
      }
      for (const [id, excluded] of Object.entries(want.signalEvidenceExclude)) {
        const evidence = got.assessment.signals.find((signal) => signal.id === id)?.evidence ?? [];
        expect({ id, leaked: evidence.filter((eventId) => excluded.includes(eventId)) }).toEqual({ id, leaked: [] });
      }
      expect(got.assessment.classification).toBe(want.classification);
    });

    it('when its credential changes are listed then each expected one is there with the target its family names', () => {
      const changes = incident().credentialChanges;
      for (const change of want.credentialChanges) {
        expect(changes.find((candidate) => candidate.eventId === change.eventId)).toMatchObject({ eventName: change.eventName, target: change.target });
      }
    });

    it('when remediation is proposed then it includes what repairs or contains and nothing that does harm', () => {
      const recommendations = incident().recommendations;
      const ids = recommendations.map((recommendation) => recommendation.id);
      expect(ids).toEqual(expect.arrayContaining(want.recommendationsInclude));
      expect(ids.filter((id) => want.recommendationsExclude.includes(id))).toEqual([]);
      const revoke = recommendations.find((recommendation) => recommendation.id === 'revoke-role-sessions');
      const revokeText = revoke ? [revoke.title, revoke.why, ...revoke.commands].join('\n') : '';
      for (const role of want.revokeRoleSessions) expect({ role, named: revokeText.includes(role) }).toEqual({ role, named: true });
    });
  });
});
