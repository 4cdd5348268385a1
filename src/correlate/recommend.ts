/**
 * Remediation a responder can run after reading it, in the console, the CLI or Python.
 * Which recommendations apply and what they do are the templates (remediation/templates.ts)
 * over facts worked out once (remediation/facts.ts); the CLI and boto3 lines are rendered
 * from the same steps (remediation/aws-cli.ts, remediation/boto3.ts). Every value taken
 * from a log record is quoted for its language: records are attacker-controlled.
 * trailsift never runs any of it.
 */
import type { Recommendation } from './incident.js';
import { cliLines, shellQuote } from './remediation/aws-cli.js';
import { pythonLines } from './remediation/boto3.js';
import { remediationFacts, type RemediationInput } from './remediation/facts.js';
import type { Action } from './remediation/plan.js';
import { TEMPLATES } from './remediation/templates.js';

export { shellQuote };
export type { RemediationInput as RecommendationInput };

/** CLI lines of a plan, each account's with its profile; deletes for later stay commented. */
export function actionCommands(actions: Action[]): string[] {
  return actions.flatMap((action) =>
    action.steps.flatMap((step) => {
      const lines = cliLines(step, action.accountId);
      return step.kind === 'call' && step.later ? lines.map((line) => `# later, ${step.later}: ${line}`) : lines;
    }),
  );
}

export function actionPython(actions: Action[]): string[] {
  return actions.flatMap((action) =>
    action.steps.flatMap((step) => {
      const lines = pythonLines(step, action.accountId);
      return step.kind === 'call' && step.later ? lines.map((line) => `# later, ${step.later}: ${line}`) : lines;
    }),
  );
}

export function recommend(input: RemediationInput): Recommendation[] {
  const { assessment } = input;
  if (assessment.classification === 'service') return [];
  const facts = remediationFacts(input);
  // Not suspicious: nothing to repair or contain, but signals on the identity still deserve a look.
  const wanted = assessment.classification === 'suspicious' ? TEMPLATES : assessment.signals.length > 0 ? TEMPLATES.filter((template) => template.id === 'investigate-principal') : [];
  return wanted.flatMap((template) => {
    const draft = template.draft(facts);
    if (!draft) return [];
    return [
      {
        id: template.id,
        title: draft.title,
        why: draft.why,
        evidence: draft.evidence,
        commands: actionCommands(draft.actions),
        console: draft.console,
        python: actionPython(draft.actions),
        actions: draft.actions,
      },
    ];
  });
}
