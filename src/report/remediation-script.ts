/**
 * `investigate --emit-script FILE`: the remediation plan (remediation-plan.ts) as one
 * reviewable POSIX sh script that runs end to end once the reader removes its guard:
 * containment, then recovery, then hardening, every `aws` line with the profile of its own
 * account (`--profile "$TRAILSIFT_PROFILE_<account>"`, all checked before any change).
 *
 * Safety rules, because titles, reasons and even command arguments carry record values:
 *  - every comment line is made single-line (newlines and other control characters become
 *    visible escapes), so no record value can end a comment and start a command;
 *  - a step with a control character in any of its lines is never emitted as code, only as
 *    escaped comments;
 *  - a step with a placeholder (`<code-1>`, `<deployment-role>`, …) is commented out behind
 *    `# FILL IN:`, so running the script can never send a literal placeholder, and so is a
 *    step that needs it to have run (`# FILL IN (after the step above):`);
 *  - deletes are commented out behind `# later, …:`; a step planned for an earlier incident
 *    is commented out behind `# already above`, so nothing runs twice;
 *  - the tolerate() helper a commented step uses is still defined, so removing the prefix is enough.
 */
import type { Incident } from '../correlate/incident.js';
import { cliLines, hasPlaceholder, TOLERATE_FUNCTION } from '../correlate/remediation/aws-cli.js';
import { profileVariable } from '../correlate/remediation/plan.js';
import { actingLabel, outcomeText } from './incident-view.js';
import { wrapText } from './table.js';
import { PHASE_TITLES, type PlannedStep, remediationPlan, SCRIPT_PHASES } from './remediation-plan.js';
import { terminalSafe } from './terminal-safe.js';
import { hasControls } from './control-characters.js';

const RULE = `# ${'='.repeat(76)}`;
const COMMENT_WIDTH = 98;

/** `# text` lines: the text is made single-line first, then wrapped (long lines only). */
export function commentLines(text: string, prefix = '# '): string[] {
  return wrapText(terminalSafe(text), COMMENT_WIDTH)
    .split('\n')
    .map((line) => `${prefix}${line}`.trimEnd());
}

/** One comment line, never wrapped (for commands kept as comments, so they stay copy-pasteable). */
function commentLine(text: string, prefix: string): string {
  return `${prefix}${terminalSafe(text)}`.trimEnd();
}

/** The script lines of one planned step, commented out by the rules above when it must not run. */
export function stepLines(planned: PlannedStep, accountId: string | null, render: typeof cliLines = cliLines): string[] {
  const { step } = planned;
  const lines = render(step, accountId);
  if (lines.some((line) => hasControls(line, 'script'))) return lines.map((line) => commentLine(line, '# not run (control characters in a logged value): '));
  if (step.kind === 'manual') return lines;
  // The tolerate() definition stays code even when its step does not run: the reader who fills
  // in the step and removes its prefix then has it (it only defines a function).
  const commented = (prefix: string, keepComments: boolean) =>
    lines.map((line) => (line === TOLERATE_FUNCTION || (keepComments && line.startsWith('#')) ? line : commentLine(line, prefix)));
  if (planned.alreadyFor !== null) return lines.map((line) => commentLine(line, `# already above (incident ${planned.alreadyFor}): `));
  if (lines.some(hasPlaceholder)) return commented('# FILL IN: ', true);
  if (step.kind === 'call' && step.afterFillIn) return commented('# FILL IN (after the step above): ', true);
  if (step.kind === 'call' && step.later) return commented(`# later, ${step.later}: `, false);
  return lines;
}

/**
 * The steps a run leaves undone, counted as they are written: left to fill in, to do by hand
 * (manual steps, never code), or not run for a control character in a logged value. The
 * script's and the program's last line say so rather than claim the plan is done.
 */
export class StepsNotRun {
  private fillIn = 0;
  private byHand = 0;
  private unsafe = 0;

  count(planned: PlannedStep, rendered: readonly string[]): void {
    if (planned.alreadyFor !== null) return;
    if (rendered.some((line) => line.startsWith('# not run'))) this.unsafe += 1;
    else if (planned.step.kind === 'manual') this.byHand += 1;
    else if (rendered.some((line) => line.startsWith('# FILL IN'))) this.fillIn += 1;
  }

  summary(done: string): string {
    const parts = [
      this.fillIn > 0 ? `${this.fillIn} left to fill in (# FILL IN)` : null,
      this.byHand > 0 ? `${this.byHand} to do by hand` : null,
      this.unsafe > 0 ? `${this.unsafe} not run (control characters in a logged value)` : null,
    ].filter((part): part is string => part !== null);
    return parts.length === 0 ? done : `${done} except ${parts.join(', ')}: see those above`;
  }
}

function header(incidents: readonly Incident[], accounts: string[], needsManagementAccount: boolean, runnable: boolean): string[] {
  const withRecommendations = incidents.filter((incident) => incident.recommendations.length > 0).length;
  const lines = [
    '#!/bin/sh',
    '# trailsift remediation script, written by `trailsift investigate --emit-script`.',
    '# trailsift never runs it. Read every command before you run anything: they change IAM, EC2,',
    '# EventBridge and Organizations. It runs in incident-response order: containment for every',
    '# incident first (so the attacker cannot undo the repair), then recovery, then hardening.',
    '#',
    '# Each account gets its own AWS CLI profile, never one set of credentials for all: set',
    '# TRAILSIFT_PROFILE_<account ID> for every account below; a missing one, or one that reaches',
    '# another account (sts get-caller-identity), stops the script before any change.',
    ...accounts.map((account) => `#   ${profileVariable(account)}   profile for account ${account}`),
    ...(needsManagementAccount ? ['# Steps for the organization management account (not named by the logs) are left to fill in.'] : []),
    '#',
    '# Lines starting with "# FILL IN:" hold a placeholder such as <code-1>: replace it, then remove',
    '# the prefix ("# FILL IN (after the step above):" lines need only the prefix removed, once that',
    '# step is filled in). "# later" lines delete what was only deactivated: run them once nothing',
    '# legitimate breaks. Steps repeated from an earlier incident are marked "# already above".',
    '# Read-only investigation steps are in the Markdown and HTML reports, not here.',
    '#',
    `# Incidents: ${incidents.length}; with recommendations: ${withRecommendations}.`,
  ];
  if (incidents.length === 0) lines.push('# No DeleteInstanceProfile incident: there is nothing to run.');
  else if (withRecommendations === 0) lines.push('# No incident has recommendations: there is nothing to run.');
  lines.push('', 'echo "Review this script, then remove the next line to run it." >&2', 'exit 1', '', 'set -eu');
  if (runnable) {
    for (const account of accounts) {
      const variable = profileVariable(account);
      lines.push(`: "\${${variable}:?set ${variable} to the AWS CLI profile for account ${account}}"`);
    }
    if (accounts.length > 0) lines.push('# Each profile must reach its own account: a wrong one would change another account.');
    for (const account of accounts) {
      const variable = profileVariable(account);
      lines.push(
        `[ "$(aws sts get-caller-identity --profile "$${variable}" --query Account --output text)" = ${account} ] || { echo "${variable} does not reach account ${account}: nothing was changed" >&2; exit 1; }`,
      );
    }
  }
  return lines;
}

function incidentSummary(incident: Incident): string[] {
  const { classification, severity, impact } = incident.assessment;
  const profile = incident.instanceProfile;
  return [
    '',
    RULE,
    ...commentLines(`Incident ${incident.id}`),
    ...commentLines(`Profile: ${profile.name}${profile.arn ? ` (${profile.arn})` : ''}, ${outcomeText(incident)} at ${incident.eventTime}`),
    ...commentLines(`Account ${incident.accountId ?? 'unknown'}, region ${incident.region ?? 'unknown'}`),
    ...commentLines(`Classification: ${classification}/${severity}, impact: ${impact}`),
    ...commentLines(`Acting identity: ${actingLabel(incident.actor)}; origin: ${incident.actor.origin.label}`),
    ...(incident.recommendations.length === 0 ? commentLines(`No recommendations (classified ${classification}/${severity}).`) : []),
    RULE,
  ];
}

export function renderRemediationScript(incidents: Incident[]): string {
  const plan = remediationPlan(incidents);
  const lines = [...header(incidents, plan.accounts, plan.needsManagementAccount, plan.entries.length > 0), ...incidents.flatMap(incidentSummary)];
  const notRun = new StepsNotRun();
  SCRIPT_PHASES.forEach((phase, index) => {
    const entries = plan.entries.filter((entry) => entry.phase === phase);
    if (entries.length === 0) return;
    lines.push('', RULE, ...commentLines(`Phase ${index + 1}: ${PHASE_TITLES[phase]}`), RULE);
    for (const entry of entries) {
      const { recommendation, incident } = entry;
      lines.push(
        '',
        ...commentLines(`--- ${recommendation.title} [${recommendation.id}], incident ${incident.id}`),
        ...commentLines(`Why: ${recommendation.why}`),
        ...commentLines(`Evidence (event IDs): ${recommendation.evidence.length > 0 ? recommendation.evidence.join(', ') : '(none)'}`),
        ...commentLines(`Account: ${entry.accountId ?? 'the organization management account'}`),
      );
      for (const planned of entry.steps) {
        const rendered = stepLines(planned, entry.accountId);
        notRun.count(planned, rendered);
        lines.push(...rendered);
      }
    }
  });
  const reassociates = plan.entries.some((entry) => entry.steps.some((planned) => planned.step.kind === 'reassociate'));
  if (reassociates) {
    lines.push('', '# One instance that could not be re-associated does not stop the others: they are all named here.');
    lines.push('[ -z "${REASSOCIATION_FAILED:-}" ] || { echo "trailsift remediation: re-association failed for:${REASSOCIATION_FAILED}" >&2; exit 1; }');
  }
  if (plan.entries.length > 0) lines.push('', `echo "trailsift remediation: ${notRun.summary('every step above ran')}; check the verify output of each re-association." >&2`);
  return `${lines.join('\n')}\n`;
}
