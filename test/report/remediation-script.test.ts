import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/correlate/incident.js';
import { renderRemediationScript } from '../../src/report/remediation-script.js';
import { tempDir } from '../support/cloudtrail.js';
import { scenarioIncidents } from '../support/scenario.js';
import { expectGolden } from './golden.js';
import { HOSTILE, hostileIncident, SHELLY } from './hostile-incident.js';

const GUARD = ['echo "Review this script, then remove the next line to run it." >&2', 'exit 1'];

interface Run {
  status: number | null;
  stderr: string;
  dir: string;
  /** One line per `aws` or `trailsift` call: the program, then its arguments. */
  calls: string[];
  marker: boolean;
}

/**
 * Runs a script with sh in a fresh directory, `aws` and `trailsift` replaced by fakes that
 * log their arguments and create a marker file, so a test can tell whether anything ran.
 */
function runScript(script: string): Run {
  const dir = tempDir('trailsift-script-');
  const bin = join(dir, 'bin');
  spawnSync('mkdir', [bin]);
  const log = join(dir, 'calls.log');
  const marker = join(dir, 'ran-something');
  for (const program of ['aws', 'trailsift']) {
    writeFileSync(join(bin, program), `#!/bin/sh\ntouch "$MARKER"\nprintf '%s\\n' "${program} $*" >> "$CALLS"\n`);
    chmodSync(join(bin, program), 0o755);
  }
  writeFileSync(join(dir, 'remediate.sh'), script);
  const result = spawnSync('sh', ['remediate.sh'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, MARKER: marker, CALLS: log },
  });
  return {
    status: result.status,
    stderr: result.stderr,
    dir,
    calls: existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [],
    marker: existsSync(marker),
  };
}

/** What a reader does once satisfied: delete the line after the notice. */
function withoutGuard(script: string): string {
  const lines = script.split('\n');
  const at = lines.indexOf(GUARD[0]!);
  expect(lines[at + 1]).toBe('exit 1');
  lines.splice(at + 1, 1);
  return lines.join('\n');
}

/** Lines a shell would execute: neither blank nor comments. */
function codeLines(script: string): string[] {
  return script.split('\n').filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
}

describe('renderRemediationScript', () => {
  it('when the bundled scenario is rendered then the script matches the golden file byte for byte', async () => {
    expectGolden('scenario-remediation.sh', renderRemediationScript(await scenarioIncidents()));
  });

  it('when the script is run as generated then it exits 1 without running any command', async () => {
    const run = runScript(renderRemediationScript(await scenarioIncidents()));
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('Review this script, then remove the next line to run it.\n');
    expect(run.marker).toBe(false);
    expect(run.calls).toEqual([]);
  });

  it('when the guard is the first code and set -eu follows it then nothing can run before the guard', async () => {
    const script = renderRemediationScript(await scenarioIncidents());
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(codeLines(script).slice(0, 3)).toEqual([...GUARD, 'set -eu']);
  });

  it('when the reader removes the guard then every command is valid sh, runs once, and no placeholder reaches aws', async () => {
    const incidents = await scenarioIncidents();
    const script = renderRemediationScript(incidents);
    expect(spawnSync('sh', ['-n'], { input: script }).status).toBe(0);
    const run = runScript(withoutGuard(script));
    expect(run.stderr).toBe('Review this script, then remove the next line to run it.\n');
    expect(run.status).toBe(0);
    const expected = codeLines(script).filter((line) => /^(aws|trailsift) /.test(line));
    expect(run.calls).toHaveLength(expected.length);
    expect(new Set(run.calls).size).toBe(run.calls.length);
    expect(run.calls.filter((call) => /<[a-z][\w-]*>/i.test(call))).toEqual([]);
    // The session-revocation policy got the time the script ran, not an empty variable.
    expect(run.calls.some((call) => /aws:TokenIssueTime":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"/.test(call))).toBe(true);
  });

  it('when a command holds a placeholder then it is commented out behind # FILL IN:', async () => {
    const incidents = await scenarioIncidents();
    const script = renderRemediationScript(incidents);
    const withPlaceholder = [...new Set(incidents.flatMap((incident) => incident.recommendations.flatMap((recommendation) => recommendation.commands)))].filter(
      (command) => !command.startsWith('#') && /<[a-z][\w-]*>/i.test(command),
    );
    expect(withPlaceholder.length).toBeGreaterThan(0);
    for (const command of withPlaceholder) expect(script).toContain(`\n# FILL IN: ${command}\n`);
    expect(codeLines(script).filter((line) => /<[a-z][\w-]*>/i.test(line))).toEqual([]);
  });

  it('when two incidents recommend the same command then it runs once and the repeat is commented', async () => {
    const script = renderRemediationScript(await scenarioIncidents());
    const deleteKey = 'aws iam delete-access-key --user-name deploy-bot --access-key-id AKIAHV7MGJ5SLMZ4HGXQ';
    expect(codeLines(script).filter((line) => line === deleteKey)).toHaveLength(1);
    expect(script).toContain(`# already above (incident 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b): ${deleteKey}\n`);
  });

  it('when a recommendation command is already a comment then it stays a comment', async () => {
    const script = renderRemediationScript(await scenarioIncidents());
    expect(script).toContain('\n# with credentials for account 222222222222\n');
    expect(script).toContain('\n# in the organization management account\n');
  });

  it('when there are no incidents then the script says so in a comment and still exits 1', () => {
    const script = renderRemediationScript([]);
    expect(script).toContain('# No DeleteInstanceProfile incident: there is nothing to run.\n');
    expect(codeLines(script)).toEqual([...GUARD, 'set -eu']);
    const run = runScript(script);
    expect(run.status).toBe(1);
    expect(run.marker).toBe(false);
  });

  it('when no incident has recommendations then the script says so in a comment and still exits 1', async () => {
    const benign = (await scenarioIncidents()).filter((incident) => incident.recommendations.length === 0);
    expect(benign.length).toBeGreaterThan(0);
    const script = renderRemediationScript(benign);
    expect(script).toContain('# No incident has recommendations: there is nothing to run.\n');
    expect(script).toContain('# No recommendations (classified service/info).\n');
    expect(codeLines(script)).toEqual([...GUARD, 'set -eu']);
    expect(runScript(script).status).toBe(1);
  });

  it('when record values hold a newline followed by a command then no line of the script runs it', () => {
    const incident = hostileIncident();
    expect(HOSTILE).toContain('\n rm -rf /');
    const script = renderRemediationScript([incident]);
    const allowed = new Set([...GUARD, 'set -eu', ...incident.recommendations.flatMap((recommendation) => recommendation.commands)]);
    for (const line of codeLines(script)) expect(allowed.has(line), `unexpected code line: ${JSON.stringify(line)}`).toBe(true);
    expect(script.split('\n').filter((line) => /^\s*(rm|touch)\b/.test(line))).toEqual([]);
    // eslint-disable-next-line no-control-regex
    expect(script.split('\n').filter((line) => /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/.test(line))).toEqual([]);
    expect(script).toContain('# SKIPPED, contains control characters (shown escaped): aws iam get-user');
  });

  it('when the hostile script is run without its guard then no injected command runs and values reach aws as literals', () => {
    const script = renderRemediationScript([hostileIncident()]);
    expect(spawnSync('sh', ['-n'], { input: script }).status).toBe(0);
    const run = runScript(withoutGuard(script));
    expect(run.status).toBe(0);
    expect(existsSync(join(run.dir, 'PWNED'))).toBe(false);
    expect(run.calls).toContain(`aws iam get-user --user-name ${SHELLY}`);
    expect(run.calls).toContain(`aws iam update-login-profile --user-name ${SHELLY} --password-reset-required`);
  });

  it('when an incident id or title carries a newline then the comment header stays comments', () => {
    const incident: Incident = { ...hostileIncident(), id: 'x\n rm -rf / #' };
    const script = renderRemediationScript([incident]);
    expect(script).toContain('# Incident x\\x0a rm -rf / #\n');
    expect(script.split('\n').some((line) => line.startsWith(' rm'))).toBe(false);
  });
});
