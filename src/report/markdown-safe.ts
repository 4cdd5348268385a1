/**
 * Record fields are attacker-controlled. Before one reaches a Markdown document that is
 * pasted into a ticket (GitHub, Jira, GitLab), it must not be able to end a table row,
 * start a link or emphasis, inject HTML, or close a code fence. Control characters are
 * also made visible, as in terminal-safe.ts: `--format md` output is often read on a
 * terminal first.
 */
import { escapeControls } from './control-characters.js';

/** Markdown punctuation that could change structure (tables, code, emphasis, links, strikethrough). */
const MARKDOWN_SPECIAL = new Set(['\\', '`', '|', '*', '_', '[', ']', '~']);
/** HTML-significant characters, written as entities so no tag or entity survives. */
const HTML_ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };

/**
 * A record value as inline Markdown text, safe in a paragraph, a list item, a heading or
 * a table cell: punctuation is backslash-escaped, `<`, `>` and `&` become entities, and
 * newlines and other control characters become visible escapes (`\x0a`), so the value
 * stays on one line and renders exactly as it was logged.
 */
export function mdText(value: string): string {
  let out = '';
  for (const char of value) {
    if (MARKDOWN_SPECIAL.has(char)) out += `\\${char}`;
    else if (HTML_ENTITIES[char] !== undefined) out += HTML_ENTITIES[char];
    else {
      const visible = escapeControls(char, 'markdown-inline');
      // The escape is `\x1b`; double the backslash so Markdown shows it rather than eating it.
      out += visible === char ? char : visible.replace(/\\/g, '\\\\');
    }
  }
  return out;
}

/** A table cell or inline value: null, undefined and the empty string show as `fallback`. */
export function mdCell(value: string | number | null | undefined, fallback = '—'): string {
  if (value === null || value === undefined || value === '') return fallback;
  return mdText(String(value));
}

/** A GitHub-flavoured Markdown table; every cell (head included) goes through mdCell. */
export function mdTable(head: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>): string {
  const line = (cells: ReadonlyArray<string | number | null | undefined>): string => `| ${cells.map((cell) => mdCell(cell)).join(' | ')} |`;
  return [line(head), `|${head.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

/** Length of the longest run of `char` in `text`. */
function longestRun(text: string, char: string): number {
  let longest = 0;
  let current = 0;
  for (const c of text) {
    current = c === char ? current + 1 : 0;
    if (current > longest) longest = current;
  }
  return longest;
}

/**
 * A fenced code block. The fence is one backtick longer than the longest backtick run in
 * the content (at least three), so no line of content can close it. Newlines and tabs
 * are kept; other control characters become visible escapes.
 */
export function mdFence(content: string, info = ''): string {
  const body = escapeControls(content, 'markdown-fence');
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  const infoString = info.replace(/[`\s]/g, '');
  return `${fence}${infoString}\n${body}\n${fence}`;
}
