/**
 * Record fields are attacker-controlled. Before any of them reaches a terminal, control
 * characters (ANSI CSI/OSC escapes, BEL, backspace, carriage return, C1 controls) and
 * bidirectional overrides are replaced by visible escapes, so `\x1b[2J` shows as text.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_WITH_NEWLINES = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** For a single-line cell: newlines and tabs are escaped too. */
export function terminalSafe(value: string): string {
  return value.replace(UNSAFE_WITH_NEWLINES, escapeChar);
}

/** For multi-line text we wrote ourselves around record values: keeps \n and \t. */
export function terminalSafeText(value: string): string {
  return value.replace(UNSAFE, escapeChar);
}
