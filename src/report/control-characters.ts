/**
 * Record fields are attacker-controlled. This is the one list of characters that must not
 * reach each kind of output raw: C0 controls (ANSI escapes, BEL, backspace, CR), DEL, C1
 * controls, the line/paragraph separators U+2028/2029 (line breaks to many viewers and
 * JavaScript), and bidirectional marks, overrides and isolates (which reorder what a reader
 * sees). Each output kind says which of these it escapes; the escapes are visible text.
 */

/** The classes, as regular-expression ranges. */
const C0 = '\\u0000-\\u001f';
/** C0 without tab and newline, for multi-line text we lay out ourselves. */
const C0_BUT_TAB_NEWLINE = '\\u0000-\\u0008\\u000b-\\u001f';
const DEL_AND_C1 = '\\u007f-\\u009f';
const LINE_SEPARATORS = '\\u2028\\u2029';
const BIDI = '\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';

export type OutputKind =
  /** A single-line terminal cell: newlines and tabs are escaped too. */
  | 'terminal-line'
  /** Terminal text we wrote ourselves around record values: keeps \n and \t. */
  | 'terminal-text'
  /** Inline Markdown (paragraph, heading, table cell): one line, like a terminal cell. */
  | 'markdown-inline'
  /** A Markdown code fence: keeps \n and \t. */
  | 'markdown-fence'
  /** HTML text and attribute values: tab and newline are whitespace there. */
  | 'html'
  /**
   * A shell or Python script line: any control character makes the command unsafe to run.
   * Bidi characters are not listed: the line is shown commented out in its own font anyway.
   */
  | 'script';

const CLASSES: Record<OutputKind, string> = {
  'terminal-line': C0 + DEL_AND_C1 + LINE_SEPARATORS + BIDI,
  'terminal-text': C0_BUT_TAB_NEWLINE + DEL_AND_C1 + LINE_SEPARATORS + BIDI,
  'markdown-inline': C0 + DEL_AND_C1 + LINE_SEPARATORS + BIDI,
  'markdown-fence': C0_BUT_TAB_NEWLINE + DEL_AND_C1 + LINE_SEPARATORS + BIDI,
  html: C0_BUT_TAB_NEWLINE + DEL_AND_C1 + LINE_SEPARATORS + BIDI,
  script: C0 + DEL_AND_C1 + LINE_SEPARATORS,
};

const ALL = new Map(Object.entries(CLASSES).map(([kind, ranges]) => [kind, new RegExp(`[${ranges}]`, 'g')]));
const ANY = new Map(Object.entries(CLASSES).map(([kind, ranges]) => [kind, new RegExp(`[${ranges}]`)]));

/** `\x1b` for a byte-range character, `\u202e` above it: what the reader sees instead. */
export function visibleEscape(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `value` with every character this kind of output must not carry raw made a visible escape. */
export function escapeControls(value: string, kind: OutputKind): string {
  return value.replace(ALL.get(kind)!, visibleEscape);
}

/** Whether `value` holds a character this kind of output must not carry raw. */
export function hasControls(value: string, kind: OutputKind): boolean {
  return ANY.get(kind)!.test(value);
}
