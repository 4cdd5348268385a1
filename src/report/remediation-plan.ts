/**
 * Every incident's remediation as one plan in incident-response order: all containment
 * first (so the attacker cannot undo the repair), then all recovery, then all hardening,
 * each entry naming the incident and evidence it comes from. A step already planned for an
 * earlier incident is kept as a note, not repeated. Investigation steps only read and are
 * never part of a script. Both script writers (shell and Python) draw this plan.
 */
import type { Incident, Recommendation } from '../correlate/incident.js';
import type { Phase, Step } from '../correlate/remediation/plan.js';

export const SCRIPT_PHASES = ['containment', 'recovery', 'hardening'] as const satisfies readonly Phase[];

export const PHASE_TITLES: Record<(typeof SCRIPT_PHASES)[number], string> = {
  containment: 'containment: cut the attacker off (keys, sessions, passwords) before anything is repaired',
  recovery: 'recovery: restore the instance profile, wait for it, re-associate the instances, verify',
  hardening: 'hardening: password policy, MFA, and a guard against the next deletion',
};

export interface PlannedStep {
  step: Step;
  /** The incident that planned this step first, when an earlier one did. */
  alreadyFor: string | null;
}

export interface PlanEntry {
  phase: (typeof SCRIPT_PHASES)[number];
  incident: Incident;
  recommendation: Recommendation;
  accountId: string | null;
  steps: PlannedStep[];
}

export interface RemediationPlan {
  entries: PlanEntry[];
  /** Accounts whose AWS profiles the plan needs, sorted. */
  accounts: string[];
  /** Whether some steps need the organization's management account, which the logs do not name. */
  needsManagementAccount: boolean;
}

/** Steps that only set a variable are planned again for each entry: later steps rely on them. */
const repeatable = (step: Step): boolean => step.kind === 'now' || step.kind === 'manual';

export function remediationPlan(incidents: readonly Incident[]): RemediationPlan {
  const entries: PlanEntry[] = [];
  const planned = new Map<string, string>();
  const accounts = new Set<string>();
  let needsManagementAccount = false;
  for (const phase of SCRIPT_PHASES) {
    for (const incident of incidents) {
      for (const recommendation of incident.recommendations) {
        for (const action of recommendation.actions) {
          if (action.phase !== phase) continue;
          const steps = action.steps.map((step): PlannedStep => {
            const key = JSON.stringify([action.accountId, step]);
            const first = repeatable(step) ? undefined : planned.get(key);
            if (first === undefined && !repeatable(step)) planned.set(key, incident.id);
            return { step, alreadyFor: first ?? null };
          });
          // When everything of an entry ran for an earlier incident, so did the variables it sets.
          const earlier = steps.find((planned) => planned.alreadyFor !== null)?.alreadyFor ?? null;
          if (earlier !== null && steps.every((planned) => planned.alreadyFor !== null || repeatable(planned.step))) {
            for (const planned of steps) if (planned.step.kind === 'now') planned.alreadyFor = earlier;
          }
          // Only accounts with a call to make need a profile: console-only steps need none.
          const calls = action.steps.some((step) => step.kind !== 'manual' && step.kind !== 'read');
          if (calls && action.accountId) accounts.add(action.accountId);
          else if (calls) needsManagementAccount = true;
          entries.push({ phase, incident, recommendation, accountId: action.accountId, steps });
        }
      }
    }
  }
  return { entries, accounts: [...accounts].sort(), needsManagementAccount };
}
