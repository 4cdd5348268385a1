import { describe, expect, it } from 'vitest';
import { mdCell, mdFence, mdTable, mdText } from '../../src/report/markdown-safe.js';
import { brokenTableRows, splitFences } from './markdown-check.js';

describe('mdText', () => {
  it('when a value has table, code and emphasis punctuation then each is backslash-escaped', () => {
    expect(mdText('a|b`c*d_e[f]g~h\\i')).toBe('a\\|b\\`c\\*d\\_e\\[f\\]g\\~h\\\\i');
  });

  it('when a value has HTML then <, > and & become entities and no tag survives', () => {
    expect(mdText('<script>alert(1)</script> &amp;')).toBe('&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp;');
  });

  it('when a value has newlines or control characters then it stays on one line with visible escapes', () => {
    const text = mdText('a\nb\r\u001b[2J\u0007\u009b\u202e\tz');
    expect(text).toBe('a\\\\x0ab\\\\x0d\\\\x1b\\[2J\\\\x07\\\\x9b\\\\u202e\\\\x09z');
    expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
  });

  it('when a value is plain (ARN, IP, ID) then it is unchanged', () => {
    const plain = 'arn:aws:sts::111111111111:assumed-role/InfraAdmin/maint 203.0.113.50 3a0194ad-c6e1-4c2b-8082-52f3f5007b2b';
    expect(mdText(plain)).toBe(plain);
  });
});

describe('mdCell and mdTable', () => {
  it('when a cell is null, undefined or empty then it shows the fallback', () => {
    expect([mdCell(null), mdCell(undefined), mdCell(''), mdCell('', '(none)'), mdCell(0)]).toEqual(['—', '—', '—', '(none)', '0']);
  });

  it('when cells carry pipes, backslashes and newlines then every row keeps the head column count', () => {
    const table = mdTable(['A', 'B'], [['x|y', 'z\\|w'], ['line1\nline2 | |', null], ['\\', '|']]);
    expect(table.split('\n')).toHaveLength(5);
    expect(brokenTableRows(table.split('\n'))).toEqual([]);
  });
});

describe('mdFence', () => {
  it('when the content has no backticks then the fence is three backticks with the info string', () => {
    expect(mdFence('aws iam list-users', 'sh')).toBe('```sh\naws iam list-users\n```');
  });

  it('when the content has a backtick run then the fence is longer than it and no content line closes it', () => {
    const content = "echo '````'\n```\n`````\nafter";
    const block = mdFence(content, 'sh');
    expect(block.startsWith('``````sh\n')).toBe(true);
    const parts = splitFences(`${block}\n\ntext after`);
    expect(parts.unclosed).toBe(false);
    expect(parts.fences).toHaveLength(1);
    expect(parts.fences[0]!.body.join('\n')).toBe(content);
    expect(parts.outside.filter((line) => line !== '')).toEqual(['text after']);
  });

  it('when the content has control characters then they are visible escapes, newlines and tabs kept', () => {
    expect(mdFence('a\u001b[2J\tb\r\nc')).toBe('```\na\\x1b[2J\tb\\x0d\nc\n```');
  });

  it('when the info string has backticks or spaces then they are dropped', () => {
    expect(mdFence('x', 's` h')).toBe('```sh\nx\n```');
  });
});
