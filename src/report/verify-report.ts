/**
 * `trailsift verify` as a table: one line per digest chain, then every problem, one line
 * each. Locations and messages carry attacker-controlled text (object keys, trail names):
 * each goes through terminalSafe.
 */
import type { ChainSummary, CustodyProblem, VerifyReport } from '../custody/verify.js';
import { renderRecords } from './table.js';
import { VERIFY_TABLE_LAYOUTS } from './table-profiles.js';
import { terminalSafe } from './terminal-safe.js';

const chainRow = (chain: ChainSummary): Record<string, unknown> => ({
  chain: `${chain.accountId ?? '?'}/${chain.region ?? '?'}/${chain.trailName ?? '?'}`,
  from: chain.from ?? '?',
  to: chain.to ?? '?',
  digests: chain.digests,
  'log files': chain.logFiles,
  verified: chain.logFilesVerified,
  signatures: `${chain.signaturesValid} valid, ${chain.signaturesNotChecked} not checked`,
  gaps: chain.gaps,
  problems: chain.failures,
});

export function problemLine(entry: CustodyProblem): string {
  const mark = entry.fails ? 'FAIL' : 'note';
  return terminalSafe(`${mark} ${entry.kind}: ${entry.location}: ${entry.message}`);
}

/** The one-line verdict: what passed, or how much did not. */
export function verifyVerdict(report: VerifyReport): string {
  const failing = report.problems.filter((entry) => entry.fails).length;
  const notChecked = report.problems.filter((entry) => entry.kind === 'not-checked').length;
  if (failing > 0) return `NOT VERIFIED: ${failing} problem(s)`;
  const files = report.logFiles.length;
  if (notChecked > 0) return `hashes and chain verified for ${files} log file(s); ${notChecked} signature(s) or file(s) not checked`;
  return `verified: ${files} log file(s) against signed digests`;
}

export function renderVerifyTable(report: VerifyReport, width: number): string {
  const sections: string[] = [];
  sections.push(
    report.chains.length > 0
      ? renderRecords(VERIFY_TABLE_LAYOUTS, report.chains.map(chainRow), width)
      : 'no digest files ingested: nothing can be verified',
  );
  if (report.problems.length > 0) sections.push(report.problems.map(problemLine).join('\n'));
  sections.push(verifyVerdict(report));
  return `${sections.join('\n\n')}\n`;
}
