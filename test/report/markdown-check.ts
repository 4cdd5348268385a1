/** A small reader for the Markdown we write: fenced blocks apart, table rows checked for stray pipes. */

export interface Fence {
  fence: string;
  info: string;
  body: string[];
}

export interface MarkdownParts {
  /** Lines outside fenced code blocks. */
  outside: string[];
  fences: Fence[];
  /** A fence that was opened and never closed. */
  unclosed: boolean;
}

/** Splits by CommonMark backtick-fence rules: a fence closes on a line of at least as many backticks (≤ 3 spaces indent). */
export function splitFences(markdown: string): MarkdownParts {
  const outside: string[] = [];
  const fences: Fence[] = [];
  let open: Fence | null = null;
  for (const line of markdown.split('\n')) {
    if (open) {
      const close = /^ {0,3}(`+)\s*$/.exec(line);
      if (close && close[1]!.length >= open.fence.length) open = null;
      else open.body.push(line);
      continue;
    }
    const start = /^ {0,3}(`{3,})([^`]*)$/.exec(line);
    if (start) {
      open = { fence: start[1]!, info: start[2]!.trim(), body: [] };
      fences.push(open);
    } else outside.push(line);
  }
  return { outside, fences, unclosed: open !== null };
}

/** Pipes that are cell separators: not preceded by an odd number of backslashes. */
export function cellSeparators(line: string): number {
  let count = 0;
  let backslashes = 0;
  for (const char of line) {
    if (char === '|' && backslashes % 2 === 0) count += 1;
    backslashes = char === '\\' ? backslashes + 1 : 0;
  }
  return count;
}

/** Every table (consecutive lines starting with `|`) has rows with as many separators as its head. */
export function brokenTableRows(lines: readonly string[]): string[] {
  const broken: string[] = [];
  let expected: number | null = null;
  for (const line of lines) {
    if (!line.startsWith('|')) {
      expected = null;
      continue;
    }
    const separators = cellSeparators(line);
    if (expected === null) expected = separators;
    else if (separators !== expected) broken.push(line);
  }
  return broken;
}
