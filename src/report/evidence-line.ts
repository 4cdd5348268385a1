/**
 * The incident's evidence coverage in one line (table, Markdown and HTML alike). Plain text:
 * locations and trail names in it come from records and digests, so each writer escapes it.
 */
import type { IncidentEvidence } from '../correlate/incident.js';

export function evidenceLine(evidence: IncidentEvidence): string {
  const places = evidence.coverage.map((entry) => `${entry.account}/${entry.region}`).join(', ') || 'no account or region';
  const files = evidence.coverage.reduce((sum, entry) => sum + entry.logFiles, 0);
  const span = evidence.coverage[0] ? ` from ${evidence.coverage[0].from} to ${evidence.coverage[0].to}` : '';
  const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
  switch (evidence.verdict) {
    case 'verified':
      return `all ${plural(files, 'log file')} of ${places}${span} verified against signed digests`;
    case 'hashes-matched':
      return `all ${plural(files, 'log file')} of ${places}${span} match their digests (signatures not checked: verify --public-keys)`;
    case 'no-logs':
      return `no log files of ${places}${span}`;
    case 'unverified':
      return `${plural(files, 'log file')} of ${places}${span}, not covered by digests: not verified`;
    case 'incomplete': {
      const parts = evidence.coverage
        .filter((entry) => entry.problems.length > 0)
        .map((entry) => `${entry.account}/${entry.region}: ${plural(entry.problems.length, 'problem')} (${summarize(entry.problems)})`);
      for (const gap of evidence.gaps) {
        const explained = gap.explainedBy !== null && gap.cause === 'logging-restarted';
        parts.push(`gap ${gap.from ?? '?'} to ${gap.to ?? '?'} in ${gap.account ?? '?'}/${gap.region ?? '?'} (${explained ? `StopLogging ${gap.explainedBy}` : `${gap.cause}, unexplained`})`);
      }
      return `INCOMPLETE evidence over ${plural(files, 'log file')}${span}: ${parts.join('; ')} (trailsift verify)`;
    }
  }
}

/** `unlisted 3, missing 1`: kinds by count, most first. */
function summarize(problems: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const entry of problems) {
    const kind = entry.slice(0, entry.indexOf(':'));
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
}
