import { run } from '../../src/cli/program.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in-process, as commander's own tests do, with captured streams; stdout is a
 * pipe unless `terminalColumns` makes it a terminal that wide.
 */
export async function cli(args: string[], env: Record<string, string> = {}, terminalColumns?: number): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const terminal = terminalColumns === undefined ? {} : { isTTY: true, columns: terminalColumns };
  const code = await run(args, {
    stdout: { write: (text: string) => (stdout += text), ...terminal },
    stderr: { write: (text: string) => (stderr += text) },
    env: { ...env },
  });
  return { code, stdout, stderr };
}
