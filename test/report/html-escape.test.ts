import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { breakable, escapeHtml, fragmentId, html, identifier, joinHtml, markMatches, SafeHtml, trusted } from '../../src/report/html-escape.js';

describe('escapeHtml', () => {
  it('when text holds the five HTML specials then each becomes its entity', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  it('when text holds controls or bidi overrides then they are shown as visible escapes, newlines and tabs kept', () => {
    expect(escapeHtml('a\u001b[2Jb\u0000c\rd\u202eRLO\u2066e\u0085f\n\tg')).toBe('a\\x1b[2Jb\\x00c\\x0dd\\u202eRLO\\u2066e\\x85f\n\tg');
  });

  it('when any string is escaped then no character that can open markup, an attribute or an entity is left', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const escaped = escapeHtml(value);
        expect(escaped).not.toMatch(/[<>"']/);
        // every & starts one of our entities
        expect(escaped.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
      }),
    );
  });
});

describe('fragmentId', () => {
  it('when an ID is a UUID then it passes unchanged', () => {
    expect(fragmentId('07c158d3-0452-4808-9bc3-4507c3c31a5a')).toBe('07c158d3-0452-4808-9bc3-4507c3c31a5a');
  });

  it('when an ID holds markup, quotes, spaces, underscores or astral characters then only [A-Za-z0-9_-] comes out', () => {
    expect(fragmentId('"><svg onload=alert(1)>')).toBe('_22__3e__3c_svg_20_onload_3d_alert_28_1_29__3e_');
    expect(fragmentId('a_b')).toBe('a_5f_b');
    expect(fragmentId('x😀')).toBe('x_1f600_');
  });

  it('when two IDs differ then their fragments differ (the encoding is injective)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite' }), fc.string({ unit: 'grapheme-composite' }), (a, b) => {
        expect(fragmentId(a)).toMatch(/^[A-Za-z0-9_-]*$/);
        if (a !== b) expect(fragmentId(a)).not.toBe(fragmentId(b));
      }),
    );
    expect(fragmentId('a.b')).not.toBe(fragmentId('a_b'));
  });
});

describe('html tag', () => {
  it('when values are interpolated then strings and numbers are escaped, SafeHtml is kept, arrays are joined and null is empty', () => {
    const inner = html`<b>${'<i>'}</b>`;
    const out = html`<p title="${'"x"'}">${inner}${['<', 1, null, undefined]}${trusted('<br>')}</p>`;
    expect(out).toBeInstanceOf(SafeHtml);
    expect(out.value).toBe('<p title="&quot;x&quot;"><b>&lt;i&gt;</b>&lt;1<br></p>');
  });

  it('when parts are joined then each is escaped and the separator too', () => {
    expect(joinHtml(['<a>', html`<b>`], ' & ').value).toBe('&lt;a&gt; &amp; <b>');
  });
});

describe('breakable', () => {
  it('when an ARN is made breakable then a <wbr> follows each run of : or / and the text stays escaped', () => {
    expect(breakable('arn:aws:sts::1:assumed-role/A/"><x>').value).toBe('arn:<wbr>aws:<wbr>sts::<wbr>1:<wbr>assumed-role/<wbr>A/<wbr>&quot;&gt;&lt;x&gt;');
  });

  it('when text holds IDs, host names and IP addresses then no <wbr> lands inside them', () => {
    expect(breakable('key AKIAHV7MGJ5SLMZ4HGXQ, event 07c158d3-0452-4808-9bc3-4507c3c31a5a from 203.0.113.50 via ec2.amazonaws.com').value).not.toContain('<wbr>');
  });
});

describe('identifier', () => {
  it('when an ARN is shown as an identifier then each part between separators is one escaped nowrap span, with <wbr> between', () => {
    expect(identifier('arn:aws:iam::1:instance-profile/app/"><x>').value).toBe(
      '<span class="nb">arn:</span><wbr><span class="nb">aws:</span><wbr><span class="nb">iam::</span><wbr><span class="nb">1:</span><wbr><span class="nb">instance-profile/</span><wbr><span class="nb">app/</span><wbr><span class="nb">&quot;&gt;&lt;x&gt;</span>',
    );
  });

  it('when a host name is shown with its parts then it may also wrap after each dot', () => {
    expect(identifier('autoscaling.amazonaws.com', true).value).toBe('<span class="nb">autoscaling.</span><wbr><span class="nb">amazonaws.</span><wbr><span class="nb">com</span>');
    expect(identifier('autoscaling.amazonaws.com').value).toBe('<span class="nb">autoscaling.amazonaws.com</span>');
  });

  it('when any string is shown as an identifier then, without its own markup, it is the escaped string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const out = identifier(value).value;
        expect(out.replace(/<span class="nb">|<\/span>|<wbr>/g, '')).toBe(escapeHtml(value));
      }),
    );
  });
});

describe('markMatches', () => {
  const PLACEHOLDER = /<[a-z][a-z0-9-]*>/g;

  it('when a command holds placeholders then each is marked, escaped, and the rest is escaped around it', () => {
    expect(markMatches(`--code <code-1> --x '"><img src=x>' <seed-file>`, PLACEHOLDER, 'placeholder').value).toBe(
      '--code <mark class="placeholder">&lt;code-1&gt;</mark> --x &#39;&quot;&gt;&lt;img src=x&gt;&#39; <mark class="placeholder">&lt;seed-file&gt;</mark>',
    );
  });

  it('when any string is marked then, without the marks, it is the escaped string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const out = markMatches(value, PLACEHOLDER, 'placeholder').value;
        expect(out.replace(/<mark class="placeholder">|<\/mark>/g, '')).toBe(escapeHtml(value));
      }),
    );
  });

  it('when the pattern is not global or the class is not a plain name then it refuses', () => {
    expect(() => markMatches('x', /x/, 'placeholder')).toThrow('global');
    expect(() => markMatches('x', /x/g, 'a" onclick="')).toThrow('bad class name');
  });
});
