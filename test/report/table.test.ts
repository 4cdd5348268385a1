import { describe, expect, it } from 'vitest';
import { displayWidth, type GridColumn, renderGrid, renderKeyValueGrid, renderRecords, renderTable, wrapText } from '../../src/report/table.js';

const widest = (text: string): number => Math.max(...text.split('\n').map(displayWidth));

const PROSE = 'the role was detached from the instance profile and the profile deleted minutes later by the same session';

describe('renderGrid', () => {
  it('when a prose column is too wide then it wraps and the table fits the width, identifiers whole', () => {
    const columns: GridColumn[] = [{ head: 'event id' }, { head: 'reason', fit: 'wrap', minWidth: 12 }];
    const output = renderGrid(columns, [['07c158d3-0452-4808-9bc3-4507c3c31a5a', PROSE]], 80);
    expect(widest(output)).toBeLessThanOrEqual(80);
    expect(output).toContain('07c158d3-0452-4808-9bc3-4507c3c31a5a');
    expect(output.replace(/[│\s]+/g, ' ')).toContain(PROSE);
  });

  it('when the table already fits then nothing is wrapped', () => {
    const output = renderGrid([{ head: 'a' }, { head: 'b', fit: 'wrap' }], [['x', 'short text']], 120);
    expect(output.split('\n')).toHaveLength(5);
  });

  it('when kept columns cannot fit then the droppable ones go, highest rank first, and a line names them', () => {
    const columns: GridColumn[] = [{ head: 'id' }, { head: 'extra', dropRank: 1 }, { head: 'more', dropRank: 2 }];
    const output = renderGrid(columns, [['i'.repeat(40), 'e'.repeat(20), 'm'.repeat(20)]], 70);
    expect(widest(output)).toBeLessThanOrEqual(70);
    expect(output).toContain('e'.repeat(20));
    expect(output).not.toContain('m'.repeat(20));
    expect(output.split('\n').at(-1)).toBe('(not shown at this width: more)');
  });

  it('when no column can give way then each row is stacked as key/value lines within the width', () => {
    const columns: GridColumn[] = [{ head: 'time\nevent id' }, { head: 'actor' }];
    const rows = [
      ['2026-03-06T03:14:15Z\n07c158d3-0452-4808-9bc3-4507c3c31a5a', 'arn:aws:sts::111111111111:assumed-role/InfraAdmin/maint'],
      ['2026-03-06T03:16:02Z\n3e066cc1-4a04-4a86-88d6-963b529394e6', ''],
    ];
    const output = renderGrid(columns, rows, 60);
    expect(widest(output)).toBeLessThanOrEqual(60);
    expect(output.split('\n')).toEqual([
      `── 1/2 ${'─'.repeat(52)}`,
      'time / event id  2026-03-06T03:14:15Z',
      '                 07c158d3-0452-4808-9bc3-4507c3c31a5a',
      'actor            arn:aws:sts::111111111111:assumed-role/',
      '                 InfraAdmin/maint',
      `── 2/2 ${'─'.repeat(52)}`,
      'time / event id  2026-03-06T03:16:02Z',
      '                 3e066cc1-4a04-4a86-88d6-963b529394e6',
    ]);
  });

  it('when cells hold wide (CJK) characters then widths are counted in terminal columns', () => {
    const output = renderGrid([{ head: 'name' }, { head: 'note', fit: 'wrap', minWidth: 10 }], [['角色', '実行中のインスタンスがロールを失いました'.repeat(3)]], 50);
    expect(widest(output)).toBeLessThanOrEqual(50);
    const lines = output.split('\n');
    // Every line of the frame is as wide as every other: cli-table3 and we agree on widths.
    expect(new Set(lines.map(displayWidth)).size).toBe(1);
  });
});

describe('renderRecords', () => {
  const rows = [{ event_time: '2026-03-06T03:14:15Z', event_id: '07c158d3-0452-4808-9bc3-4507c3c31a5a', what: PROSE }];
  const layouts = [
    [{ keys: ['event_time'] }, { keys: ['what'], fit: 'wrap' as const, minWidth: 60 }, { keys: ['event_id'] }],
    [{ keys: ['event_time', 'event_id'] }, { keys: ['what'], fit: 'wrap' as const, minWidth: 20 }],
  ];

  it('when the widest layout fits then it is drawn, each field in its own column', () => {
    const output = renderRecords(layouts, rows, 160);
    expect(output.split('\n')[1]!.split('│').map((cell) => cell.trim()).filter(Boolean)).toEqual(['event_time', 'what', 'event_id']);
  });

  it('when only the narrower layout fits then fields are stacked in its columns', () => {
    const output = renderRecords(layouts, rows, 90);
    expect(widest(output)).toBeLessThanOrEqual(90);
    expect(output.split('\n')[1]!.split('│').map((cell) => cell.trim()).filter(Boolean)).toEqual(['event_time', 'what']);
    expect(output.split('\n')[2]!.split('│').map((cell) => cell.trim()).filter(Boolean)).toEqual(['event_id']);
  });
});

describe('renderTable and renderKeyValues', () => {
  it('when a query cell is longer than 60 then it is cut with an ellipsis, and cut further to fit the width', () => {
    const wide = renderTable(['a'], [{ a: 'x'.repeat(100) }], { width: 200 });
    expect(wide).toContain(`${'x'.repeat(59)}…`);
    const narrow = renderTable(['a', 'b'], [{ a: 'x'.repeat(100), b: 'y'.repeat(100) }], { width: 50 });
    expect(widest(narrow)).toBeLessThanOrEqual(50);
    expect(narrow).toMatch(/x+… │ y+…/);
  });

  it('when a value is long then the key/value table wraps it to the width', () => {
    const output = renderKeyValueGrid([['reason', PROSE]], 50);
    expect(widest(output)).toBeLessThanOrEqual(50);
    expect(output.replace(/[│\s]+/g, ' ')).toContain(PROSE);
  });
});

describe('wrapText', () => {
  it('when text holds wide characters then each line fits the width in terminal columns', () => {
    for (const line of wrapText('ロールを失いました '.repeat(6), 12).split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(12);
  });
});
