/**
 * Before a record field reaches a terminal, control characters and bidirectional overrides
 * are replaced by visible escapes (control-characters.ts), so `\x1b[2J` shows as text.
 */
import { escapeControls } from './control-characters.js';

/** For a single-line cell: newlines and tabs are escaped too. */
export function terminalSafe(value: string): string {
  return escapeControls(value, 'terminal-line');
}

/** For multi-line text we wrote ourselves around record values: keeps \n and \t. */
export function terminalSafeText(value: string): string {
  return escapeControls(value, 'terminal-text');
}
