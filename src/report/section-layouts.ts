/**
 * How the terminal and Markdown outputs lay out the view's incident sections
 * (incident-sections.ts), as data: which view columns go into which of the output's
 * columns, under what heading. The terminal stacks several fields in one column to stay
 * narrow; Markdown gives each field its own column.
 */
import type { LaunchConfigurationCells, LaunchTemplateCells, SectionCells } from './incident-sections.js';
import type { GridColumn } from './table.js';

/** One field inside a terminal column. */
export interface TerminalField<Cells extends SectionCells> {
  id: keyof Cells & string;
  /** Applied to a present value before it is made terminal-safe (a shorter identity, a word before it). */
  show?: (value: string) => string;
  /** Leave the line out when the record had no value, rather than show a dash. */
  omitWhenEmpty?: boolean;
}

export interface TerminalSectionColumn<Cells extends SectionCells> extends GridColumn {
  /** The fields this column shows, one per line. */
  fields: ReadonlyArray<(keyof Cells & string) | TerminalField<Cells>>;
}

export interface MarkdownSectionColumn<Cells extends SectionCells> {
  head: string;
  field: keyof Cells & string;
}

export const TERMINAL_LAUNCH_TEMPLATES: ReadonlyArray<TerminalSectionColumn<LaunchTemplateCells>> = [
  { head: 'launch template', fields: ['template'] },
  { head: 'name', fields: ['name'], fit: 'wrap', minWidth: 12, maxWidth: 40 },
  { head: 'region', fields: ['region'] },
  { head: 'event', fields: ['event'] },
];

export const MARKDOWN_LAUNCH_TEMPLATES: ReadonlyArray<MarkdownSectionColumn<LaunchTemplateCells>> = [
  { head: 'Launch template', field: 'template' },
  { head: 'Name', field: 'name' },
  { head: 'Region', field: 'region' },
  { head: 'Event ID', field: 'event' },
];

export const TERMINAL_LAUNCH_CONFIGURATIONS: ReadonlyArray<TerminalSectionColumn<LaunchConfigurationCells>> = [
  { head: 'name', fields: ['name'], fit: 'wrap', minWidth: 12, maxWidth: 40 },
  { head: 'region', fields: ['region'] },
  { head: 'event', fields: ['event'] },
];

export const MARKDOWN_LAUNCH_CONFIGURATIONS: ReadonlyArray<MarkdownSectionColumn<LaunchConfigurationCells>> = [
  { head: 'Name', field: 'name' },
  { head: 'Region', field: 'region' },
  { head: 'Event ID', field: 'event' },
];
