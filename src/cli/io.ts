import { DEFAULT_WIDTH } from '../report/table.js';

/** What a command may touch: its streams and environment, injectable for in-process tests. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  /** Fires when the user presses Ctrl-C (SIGINT). */
  interrupt?: AbortSignal;
}

/** A mistake the user can fix: printed as one line, no stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
  }
}

/** Documented exit codes (README "Exit codes"). */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  incomplete: 3,
  interrupted: 130,
} as const;

export const DEFAULT_DB = 'trailsift.db';

export function databasePath(flag: string | undefined, io: CliIo): string {
  return flag ?? io.env.TRAILSIFT_DB ?? DEFAULT_DB;
}

/** Columns tables are laid out for: the terminal's, or a fixed 120 when stdout is a file or pipe. */
export function outputWidth(io: CliIo): number {
  const columns = io.stdout.columns;
  return io.stdout.isTTY === true && typeof columns === 'number' && columns > 0 ? columns : DEFAULT_WIDTH;
}
