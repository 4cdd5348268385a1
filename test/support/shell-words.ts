/**
 * A small POSIX shell-word tokenizer for the command lines trailsift emits: '…' and "…"
 * quoting, backslash escapes, and the end of a simple command at an unquoted operator
 * (`|`, `&&`, `;`, `)`, a redirection). Enough to read an `aws …` line back into the
 * arguments the shell would pass, and to tell which arguments expand a variable.
 */

export interface ShellWord {
  /** The word after quote removal, with `$NAME`/`${NAME}` left as written. */
  value: string;
  /** The variables the word expands (outside single quotes). */
  expands: string[];
}

export interface ParsedCommand {
  words: ShellWord[];
  /** What follows the simple command, from the first unquoted operator (empty when none). */
  rest: string;
}

const OPERATOR = /[|&;()<>]/;
const PLACEHOLDER = /^<[A-Za-z][A-Za-z0-9_-]*>/;
const VARIABLE = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/;

/** The words of the first simple command of `line`. Throws on an unterminated quote or a `$(`/backtick substitution. */
export function parseCommand(line: string): ParsedCommand {
  const words: ShellWord[] = [];
  let current = null as ShellWord | null;
  const start = (): ShellWord => (current ??= { value: '', expands: [] });
  let at = 0;
  while (at < line.length) {
    const character = line[at]!;
    if (character === ' ' || character === '\t' || character === '\n') {
      if (current) words.push(current);
      current = null;
      at++;
      continue;
    }
    // A placeholder the operator fills in (`<code-1>`) is a word here, not a redirection.
    const placeholder = character === '<' ? PLACEHOLDER.exec(line.slice(at)) : null;
    if (placeholder) {
      start().value += placeholder[0];
      at += placeholder[0].length;
      continue;
    }
    if (OPERATOR.test(character)) {
      // `2>/dev/null`: the digits belong to the redirection, not to the command.
      if (current && (character === '>' || character === '<') && /^\d+$/.test(current.value) && current.expands.length === 0) current = null;
      if (current) words.push(current);
      return { words, rest: line.slice(at) };
    }
    const word = start();
    if (character === "'") {
      const end = line.indexOf("'", at + 1);
      if (end < 0) throw new Error(`unterminated single quote in ${JSON.stringify(line)}`);
      word.value += line.slice(at + 1, end);
      at = end + 1;
    } else if (character === '"') {
      at++;
      for (;;) {
        if (at >= line.length) throw new Error(`unterminated double quote in ${JSON.stringify(line)}`);
        const inner = line[at]!;
        if (inner === '"') {
          at++;
          break;
        }
        if (inner === '\\' && at + 1 < line.length && '$`"\\\n'.includes(line[at + 1]!)) {
          word.value += line[at + 1] === '\n' ? '' : line[at + 1];
          at += 2;
        } else if (inner === '`' || (inner === '$' && line[at + 1] === '(')) {
          throw new Error(`command substitution in ${JSON.stringify(line)}`);
        } else if (inner === '$') {
          const variable = VARIABLE.exec(line.slice(at));
          if (!variable) throw new Error(`bare $ in double quotes in ${JSON.stringify(line)}`);
          word.expands.push(variable[1] ?? variable[2]!);
          word.value += variable[0];
          at += variable[0].length;
        } else {
          word.value += inner;
          at++;
        }
      }
    } else if (character === '\\') {
      word.value += line[at + 1] ?? '';
      at += 2;
    } else if (character === '`' || (character === '$' && line[at + 1] === '(')) {
      throw new Error(`command substitution in ${JSON.stringify(line)}`);
    } else if (character === '$') {
      const variable = VARIABLE.exec(line.slice(at));
      if (!variable) throw new Error(`bare $ in ${JSON.stringify(line)}`);
      word.expands.push(variable[1] ?? variable[2]!);
      word.value += variable[0];
      at += variable[0].length;
    } else {
      word.value += character;
      at++;
    }
  }
  if (current) words.push(current);
  return { words, rest: '' };
}

/** The argument values only. */
export const shellWords = (line: string): string[] => parseCommand(line).words.map((word) => word.value);

/**
 * The `aws …` command inside a script or recommendation line, or null when there is none:
 * strips leading blanks, `# FILL IN: `, `# later, …: `, `# already above (…): `, `if `, `retry `,
 * `VAR=$(` and `(umask 077 && `.
 */
export function awsCommandOf(line: string): string | null {
  let text = line.replace(/^\s+/, '');
  for (;;) {
    const stripped = text
      .replace(/^# FILL IN: /, '')
      .replace(/^# later, [^:]*: /, '')
      .replace(/^# already above \(incident [^)]*\): /, '')
      .replace(/^if /, '')
      .replace(/^retry /, '')
      .replace(/^tolerate (?:'[A-Za-z|]+'|[A-Za-z]+) /, '')
      .replace(/^[A-Z_][A-Z0-9_]*=\$\(/, '')
      .replace(/^\(umask 077 && /, '')
      .replace(/^\s+/, '');
    if (stripped === text) break;
    text = stripped;
  }
  return text.startsWith('aws ') ? text : null;
}
