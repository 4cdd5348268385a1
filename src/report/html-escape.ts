/**
 * Record fields are attacker-controlled. Everything that reaches the HTML report goes
 * through here: text and attribute values are escaped (`& < > " '`), invisible controls
 * and bidirectional overrides are shown as visible escapes (so a record cannot reorder
 * what the reader sees), and fragment identifiers are built from a reversible encoding
 * that only ever yields [A-Za-z0-9_-].
 *
 * The `html` tag escapes every interpolated value unless it is already `SafeHtml`, so
 * markup is only ever made by this module's callers' literals, never by data.
 */

import { escapeControls } from './control-characters.js';

const SPECIAL = /[&<>"']/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or a double- or single-quoted attribute value: safe in HTML and in inline SVG. */
export function escapeHtml(value: string): string {
  return escapeControls(value, 'html').replace(SPECIAL, (char) => ENTITIES[char]!);
}

/**
 * An `id`/`href="#…"` fragment from any string: letters, digits and `-` pass; every other
 * code point (including `_`) becomes `_<hex>_`. Injective, so two event IDs never share
 * an anchor, and nothing but [A-Za-z0-9_-] ever reaches the attribute.
 */
export function fragmentId(value: string): string {
  return value.replace(/[^A-Za-z0-9-]/gu, (char) => `_${char.codePointAt(0)!.toString(16)}_`);
}

/** Markup this module's callers built; interpolating it into `html` does not escape it again. */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** Template tag: literals are markup, every `${value}` is escaped (arrays are joined, null is empty). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** A constant written in this code base (styles, fixed markup): never data. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

export function joinHtml(parts: readonly HtmlValue[], separator: HtmlValue = ''): SafeHtml {
  const sep = render(separator);
  return new SafeHtml(parts.map(render).join(sep));
}

/**
 * Escaped text with a line-break opportunity (`<wbr>`) after each run of `:` or `/`, so ARNs
 * wrap between their parts. Nothing else gets one: a key ID, an event ID, an instance ID or
 * an IP address broken across lines is easily misread (or copied) as two values.
 */
export function breakable(value: string): SafeHtml {
  return new SafeHtml(
    value
      .split(/(?<=[/:])(?![/:])/)
      .map((part) => escapeHtml(part))
      .join('<wbr>'),
  );
}

/**
 * Escaped text with every match of `pattern` (a global RegExp) wrapped in `<mark class="…">`;
 * the match is escaped like the rest. `cls` is a constant of ours, checked anyway.
 */
export function markMatches(value: string, pattern: RegExp, cls: string): SafeHtml {
  if (!pattern.global) throw new Error('markMatches needs a global pattern');
  if (!/^[a-z][a-z0-9-]*$/.test(cls)) throw new Error(`bad class name ${cls}`);
  let out = '';
  let last = 0;
  for (const match of value.matchAll(pattern)) {
    if (match[0] === '') continue;
    out += `${escapeHtml(value.slice(last, match.index))}<mark class="${cls}">${escapeHtml(match[0])}</mark>`;
    last = match.index + match[0].length;
  }
  return new SafeHtml(out + escapeHtml(value.slice(last)));
}

/**
 * An identifier (ARN, session name, host name) as escaped text that may wrap only after a
 * run of its separators: `:` and `/`, and `.` too for host names (`hostParts`). Each part
 * between is kept whole in a `<span class="nb">` (the page styles it `white-space: nowrap`),
 * since a browser would otherwise also break after every `-`, as in `instance-` / `profile`.
 */
export function identifier(value: string, hostParts = false): SafeHtml {
  return new SafeHtml(
    value
      .split(hostParts ? /(?<=[/:.])(?![/:.])/ : /(?<=[/:])(?![/:])/)
      .map((part) => `<span class="nb">${escapeHtml(part)}</span>`)
      .join('<wbr>'),
  );
}
