import { describe, expect, it } from 'vitest';
import { escapeControls, hasControls, type OutputKind } from '../../src/report/control-characters.js';

const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i));

/** Every code point of each class a record value could use against a reader. */
const CLASSES = {
  c0: range(0x00, 0x1f).filter((char) => char !== '\t' && char !== '\n'),
  tabNewline: ['\t', '\n'],
  del: ['\x7f'],
  c1: range(0x80, 0x9f),
  lineSeparators: ['\u2028', '\u2029'],
  bidi: ['\u200e', '\u200f', ...range(0x202a, 0x202e), ...range(0x2066, 0x2069)],
  printable: ['a', ' ', '~', '\xa0', 'é', '→', '\u200d', '\u2030', '😀'],
} as const;
type CharClass = keyof typeof CLASSES;

const ESCAPED: Record<OutputKind, readonly CharClass[]> = {
  'terminal-line': ['c0', 'tabNewline', 'del', 'c1', 'lineSeparators', 'bidi'],
  'terminal-text': ['c0', 'del', 'c1', 'lineSeparators', 'bidi'],
  'markdown-inline': ['c0', 'tabNewline', 'del', 'c1', 'lineSeparators', 'bidi'],
  'markdown-fence': ['c0', 'del', 'c1', 'lineSeparators', 'bidi'],
  html: ['c0', 'del', 'c1', 'lineSeparators', 'bidi'],
  script: ['c0', 'tabNewline', 'del', 'c1', 'lineSeparators'],
};

describe('control characters per output kind', () => {
  for (const [kind, escaped] of Object.entries(ESCAPED) as Array<[OutputKind, readonly CharClass[]]>) {
    for (const [charClass, chars] of Object.entries(CLASSES) as Array<[CharClass, readonly string[]]>) {
      const expectEscaped = escaped.includes(charClass);
      it(`when ${kind} output meets ${charClass} characters then they are ${expectEscaped ? 'escaped' : 'kept'}`, () => {
        for (const char of chars) {
          const code = char.codePointAt(0)!;
          const visible = code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
          expect(escapeControls(`a${char}b`, kind), `U+${code.toString(16)}`).toBe(expectEscaped ? `a${visible}b` : `a${char}b`);
          expect(hasControls(`a${char}b`, kind), `U+${code.toString(16)}`).toBe(expectEscaped);
        }
      });
    }
  }

  it('when a value carries several controls then each is escaped, and checking twice gives the same answer', () => {
    expect(escapeControls('\x1b[2J\u202eevil\r', 'terminal-line')).toBe('\\x1b[2J\\u202eevil\\x0d');
    expect(hasControls('ok\x07', 'script')).toBe(true);
    expect(hasControls('ok\x07', 'script')).toBe(true);
    expect(hasControls('ok', 'script')).toBe(false);
  });
});
