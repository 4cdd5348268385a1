/**
 * How complete and verified the logs under an incident are: the verification report
 * (custody/verify.ts, computed by the store's caller) cut down to the incident's accounts,
 * regions and window. Pure.
 */
import type { VerifyReport } from '../custody/verify.js';
import type { EvidenceCoverage, IncidentEvidence } from './incident.js';

const overlaps = (from: string | null, to: string | null, windowFrom: string, windowTo: string): boolean =>
  (from === null || from <= windowTo) && (to === null || to >= windowFrom);

export function incidentEvidence(
  report: VerifyReport | null,
  places: ReadonlyArray<{ accountId: string; region: string }>,
  from: string,
  to: string,
): IncidentEvidence {
  const coverage: EvidenceCoverage[] = places.map(({ accountId, region }) => {
    const mine = <T extends { accountId: string | null; region: string | null }>(entry: T): boolean => entry.accountId === accountId && entry.region === region;
    const files = (report?.logFiles ?? []).filter((file) => mine(file) && overlaps(file.oldestEventTime, file.newestEventTime, from, to));
    const problems = (report?.problems ?? [])
      .filter((entry) => entry.fails && mine(entry) && overlaps(entry.from, entry.to, from, to))
      .map((entry) => `${entry.kind}: ${entry.location}`);
    return {
      account: accountId,
      region,
      from,
      to,
      logFiles: files.length,
      verified: files.filter((file) => file.state === 'verified').length,
      hashMatched: files.filter((file) => file.state === 'hash-matched').length,
      problems,
    };
  });
  const gaps = (report?.gaps ?? [])
    .filter((gap) => places.some((place) => place.accountId === gap.accountId && place.region === gap.region) && overlaps(gap.from, gap.to, from, to))
    .map((gap) => ({
      account: gap.accountId,
      region: gap.region,
      trailName: gap.trailName,
      from: gap.from,
      to: gap.to,
      cause: gap.cause,
      explainedBy: gap.explainedBy?.eventId ?? null,
    }));
  return { coverage, gaps, verdict: verdictOf(coverage, gaps) };
}

function verdictOf(coverage: EvidenceCoverage[], gaps: IncidentEvidence['gaps']): IncidentEvidence['verdict'] {
  const files = coverage.reduce((sum, entry) => sum + entry.logFiles, 0);
  if (coverage.some((entry) => entry.problems.length > 0) || gaps.some((gap) => gap.explainedBy === null || gap.cause !== 'logging-restarted')) return 'incomplete';
  if (files === 0) return 'no-logs';
  if (coverage.every((entry) => entry.verified === entry.logFiles)) return 'verified';
  if (coverage.every((entry) => entry.verified + entry.hashMatched === entry.logFiles)) return 'hashes-matched';
  return 'unverified';
}
