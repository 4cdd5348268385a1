/**
 * `investigate --emit-script`: every recommendation's commands as one reviewable POSIX sh
 * script, grouped per incident. It does nothing until the reader edits it: right after
 * the header it prints a notice and exits 1.
 *
 * Safety rules, because titles, reasons and even command arguments carry record values:
 *  - every comment line is made single-line (newlines and other control characters become
 *    visible escapes), so no record value can end a comment and start a command;
 *  - a command containing a control character is never emitted as code, only as an
 *    escaped comment (recommend.ts quotes values, but a newline inside quotes would defeat
 *    the line-by-line rules below);
 *  - a command with a placeholder (`<code-1>`, `<deployment-role>`, …) is commented out
 *    behind `# FILL IN:`, so running the script can never send a literal placeholder;
 *  - a command already emitted for an earlier incident is commented out, so `set -e`
 *    does not stop the script on a second `delete-access-key` of the same key.
 */
import type { Incident } from '../correlate/incident.js';
import { actingLabel, commandLine, outcomeText, wrapText } from './incident-table.js';
import { terminalSafe } from './terminal-safe.js';

const PLACEHOLDER = /<[A-Za-z][A-Za-z0-9_-]*>/;
const RULE = `# ${'='.repeat(76)}`;
const COMMENT_WIDTH = 98;

/** `# text` lines: the text is made single-line first, then wrapped (long lines only). */
export function commentLines(text: string, prefix = '# '): string[] {
  return wrapText(terminalSafe(text), COMMENT_WIDTH)
    .split('\n')
    .map((line) => `${prefix}${line}`.trimEnd());
}

/** One comment line, never wrapped (for commands kept as comments, so they stay copy-pasteable). */
function commentLine(text: string, prefix = '# '): string {
  return `${prefix}${terminalSafe(text)}`.trimEnd();
}

/** Script lines for one command; `emitted` holds the commands already written as code, with their incident. */
export function commandLines(command: string, emitted: Map<string, string>, incidentId: string): string[] {
  if (command.trim() === '') return [];
  const line = commandLine(command);
  // Comments, and commands with control characters (made comments by commandLine), stay comments.
  if (line.startsWith('#')) return [line];
  if (PLACEHOLDER.test(line)) return [commentLine(line, '# FILL IN: ')];
  const first = emitted.get(line);
  if (first !== undefined) return [commentLine(line, `# already above (incident ${terminalSafe(first)}): `)];
  emitted.set(line, incidentId);
  return [line];
}

function header(incidents: readonly Incident[]): string[] {
  const withRecommendations = incidents.filter((incident) => incident.recommendations.length > 0).length;
  const lines = [
    '#!/bin/sh',
    '# trailsift remediation script, written by `trailsift investigate --emit-script`.',
    '# trailsift never runs it. Read every command before you run anything: most of them change',
    '# IAM, EC2 or Organizations with the AWS credentials of your shell. Comments name the',
    '# account each group of commands needs.',
    '#',
    '# Lines starting with "# FILL IN:" hold a placeholder such as <code-1>: replace it, then',
    '# remove the "# FILL IN: " prefix. Commands repeated from an earlier incident are',
    '# commented out ("# already above"), so nothing runs twice.',
    '#',
    `# Incidents: ${incidents.length}; with recommendations: ${withRecommendations}.`,
  ];
  if (incidents.length === 0) lines.push('# No DeleteInstanceProfile incident: there is nothing to run.');
  else if (withRecommendations === 0) lines.push('# No incident has recommendations: there is nothing to run.');
  lines.push('', 'echo "Review this script, then remove the next line to run it." >&2', 'exit 1', '', 'set -eu');
  return lines;
}

function incidentBlock(incident: Incident, emitted: Map<string, string>): string[] {
  const { classification, severity } = incident.assessment;
  const profile = incident.instanceProfile;
  const lines = [
    '',
    RULE,
    ...commentLines(`Incident ${incident.id}`),
    ...commentLines(`Profile: ${profile.name}${profile.arn ? ` (${profile.arn})` : ''}, ${outcomeText(incident)} at ${incident.eventTime}`),
    ...commentLines(`Account ${incident.accountId ?? 'unknown'}, region ${incident.region ?? 'unknown'}`),
    ...commentLines(`Classification: ${classification}/${severity}`),
    ...commentLines(`Acting identity: ${actingLabel(incident.actor)}; origin: ${incident.actor.origin.label}`),
    RULE,
  ];
  if (incident.recommendations.length === 0) {
    lines.push(...commentLines(`No recommendations (classified ${classification}/${severity}).`));
    return lines;
  }
  incident.recommendations.forEach((recommendation, index) => {
    lines.push(
      '',
      ...commentLines(`--- ${index + 1}/${incident.recommendations.length} ${recommendation.title} [${recommendation.id}]`),
      ...commentLines(`Why: ${recommendation.why}`),
      ...commentLines(`Evidence (event IDs): ${recommendation.evidence.length > 0 ? recommendation.evidence.join(', ') : '(none)'}`),
    );
    for (const command of recommendation.commands) lines.push(...commandLines(command, emitted, incident.id));
  });
  return lines;
}

export function renderRemediationScript(incidents: Incident[]): string {
  const emitted = new Map<string, string>();
  const lines = [...header(incidents), ...incidents.flatMap((incident) => incidentBlock(incident, emitted))];
  return `${lines.join('\n')}\n`;
}
