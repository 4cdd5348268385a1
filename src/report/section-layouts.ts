/**
 * How the terminal and Markdown outputs lay out the view's incident sections
 * (incident-sections.ts), as data: which view columns go into which of the output's
 * columns, under what heading. The terminal stacks several fields in one column to stay
 * narrow; Markdown gives each field its own column.
 */
import type { AffectedInstanceCells, CredentialChangeCells, DependentResourceCells, FailedLaunchCells, LaunchConfigurationCells, LaunchTemplateCells, SectionCell, SectionCells, TimelineCells, ValueKey } from './incident-sections.js';
import { shortIdentity } from './incident-view.js';
import type { GridColumn } from './table.js';

/** One field inside a terminal column. */
export interface TerminalField<Cells extends SectionCells> {
  id: ValueKey<Cells>;
  /** Applied to a present value before it is made terminal-safe (a shorter identity, a word before it). */
  show?: (value: string) => string;
  /** Leave the line out when the record had no value (null, or also ''), rather than show a dash. */
  omit?: 'when-null' | 'when-empty';
  /** Words of ours before the value (or its dash), telling a stacked line from its neighbours. */
  before?: string;
}

/** A terminal column shows fields one per line, or the entries of a list cell (`(none)` when it is empty). */
export type TerminalSectionColumn<Cells extends SectionCells> = GridColumn &
  (
    | { fields: ReadonlyArray<ValueKey<Cells> | TerminalField<Cells>> }
    | { entries: (cells: Cells, safe: (value: SectionCell) => string) => readonly string[] }
  );

/** A Markdown column shows one field, or a text of several (`name (failed: error)`). */
export type MarkdownSectionColumn<Cells extends SectionCells> = { head: string } & ({ field: ValueKey<Cells> } | { text: (cells: Cells) => SectionCell });

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

/** Identifiers stacked in pairs leave the width to the error and the actor. */
export const TERMINAL_FAILED_LAUNCHES: ReadonlyArray<TerminalSectionColumn<FailedLaunchCells>> = [
  { head: 'time\nevent id', fields: ['time', 'event'] },
  { head: 'region\nmatched by', fields: ['region', 'matchedBy'] },
  { head: 'error', fields: ['error'], fit: 'wrap', minWidth: 12, maxWidth: 30 },
  { head: 'actor', fields: [{ id: 'actor', show: shortIdentity }], fit: 'wrap', minWidth: 12, maxWidth: 40 },
];

export const MARKDOWN_FAILED_LAUNCHES: ReadonlyArray<MarkdownSectionColumn<FailedLaunchCells>> = [
  { head: 'Time', field: 'time' },
  { head: 'Region', field: 'region' },
  { head: 'Error', field: 'error' },
  { head: 'Actor', field: 'actor' },
  { head: 'Matched by', field: 'matchedBy' },
  { head: 'Event ID', field: 'event' },
];

/** Where the instance is and what happened to it, stacked, so three columns fit a narrow terminal. */
export const TERMINAL_AFFECTED_INSTANCES: ReadonlyArray<TerminalSectionColumn<AffectedInstanceCells>> = [
  { head: 'instance\nregion\naccount\nassociation', fields: ['instance', 'region', 'account', { id: 'association', omit: 'when-empty' }] },
  { head: 'status\ngot profile via', fields: ['status', 'via'] },
  { head: 'launch event\nstatus event', fields: ['launchEvent', 'statusEvent'] },
];

export const MARKDOWN_AFFECTED_INSTANCES: ReadonlyArray<MarkdownSectionColumn<AffectedInstanceCells>> = [
  { head: 'Instance', field: 'instance' },
  { head: 'Region', field: 'region' },
  { head: 'Status', field: 'status' },
  { head: 'Got profile via', field: 'via' },
  { head: 'Association', field: 'association' },
  { head: 'Launch event', field: 'launchEvent' },
];

/** Identifiers stacked in the first column leave the width to the prose: the reason. */
export const TERMINAL_CREDENTIAL_CHANGES: ReadonlyArray<TerminalSectionColumn<CredentialChangeCells>> = [
  { head: 'time\nevent id\nseverity', fields: ['time', 'event', 'severity'] },
  {
    head: 'event\nby actor\n→ target',
    fields: [
      'eventName',
      { id: 'error', omit: 'when-empty', before: 'FAILED ' },
      { id: 'actor', show: shortIdentity, before: 'by ' },
      { id: 'target', show: shortIdentity, before: '→ ' },
    ],
    fit: 'wrap',
    minWidth: 20,
    maxWidth: 34,
  },
  { head: 'reason', fields: ['reason'], fit: 'wrap', minWidth: 28, maxWidth: 60 },
];

export const MARKDOWN_CREDENTIAL_CHANGES: ReadonlyArray<MarkdownSectionColumn<CredentialChangeCells>> = [
  { head: 'Time', field: 'time' },
  { head: 'Event', text: (cells) => (cells.error ? `${cells.eventName} (failed: ${cells.error})` : cells.eventName) },
  { head: 'Actor', field: 'actor' },
  { head: 'Target', field: 'target' },
  { head: 'Severity', field: 'severity' },
  { head: 'Reason', field: 'reason' },
  { head: 'Event ID', field: 'event' },
];

export const MARKDOWN_TIMELINE: ReadonlyArray<MarkdownSectionColumn<TimelineCells>> = [
  { head: 'Time', field: 'time' },
  { head: 'Category', field: 'category' },
  { head: 'Event', field: 'eventName' },
  { head: 'Summary', field: 'summary' },
  { head: 'Event ID', field: 'event' },
];

export const TERMINAL_DEPENDENT_RESOURCES: ReadonlyArray<TerminalSectionColumn<DependentResourceCells>> = [
  { head: 'resource', fields: ['kind', 'resource'], fit: 'wrap', minWidth: 16, maxWidth: 60 },
  { head: 'region\naccount', fields: ['region', 'account'] },
  { head: 'status\nevent', fields: ['status', 'event', { id: 'viaTemplate', omit: 'when-null', before: 'via launch template ' }] },
  {
    head: 'failures after',
    entries: (cells, safe) => cells.failures.map((failure) => `${safe(failure.time)} ${safe(failure.eventName)} ${safe(failure.error)}\n${safe(failure.event)}`),
    fit: 'wrap',
    minWidth: 12,
    maxWidth: 50,
  },
];

export const MARKDOWN_DEPENDENT_RESOURCES: ReadonlyArray<MarkdownSectionColumn<DependentResourceCells>> = [
  { head: 'Kind', field: 'kind' },
  { head: 'Resource', field: 'resource' },
  { head: 'Region', field: 'region' },
  { head: 'Account', field: 'account' },
  { head: 'Status', field: 'status' },
  { head: 'Event ID', field: 'event' },
  { head: 'Via launch template', field: 'viaTemplate' },
  {
    head: 'Failures after',
    text: (cells) => (cells.failures.length === 0 ? null : cells.failures.map((failure) => `${failure.time} ${failure.eventName} ${failure.error ?? ''} ${failure.event}`).join('; ')),
  },
];
