/**
 * The CloudTrail delivery layout, shared by local folders and S3:
 *   [prefix/]AWSLogs/[o-org/]<account>/CloudTrail[-Digest]/<region>/YYYY/MM/DD/<file>
 * The walker descends one level at a time and prunes accounts, regions and dates it
 * can rule out, so a one-week question lists one week, not the whole bucket. Anything
 * outside this layout is walked in full and filtered by record instead.
 */
import type { ListingFilter, ObjectKind } from './source.js';

export interface ListedObject {
  key: string;
  size: number;
  version: string;
}

/** Lists a tree one folder at a time; T may carry more than a ListedObject (walked objects keep it). */
export interface TreeLister<T extends ListedObject = ListedObject> {
  /** Immediate children of `prefix` ('' for the root, otherwise ending with '/'). */
  children(prefix: string): Promise<{ folders: string[]; objects: T[] }>;
}

export type WalkedObject<T extends ListedObject = ListedObject> = T & {
  kind: ObjectKind;
};

type Level =
  | { at: 'unknown' }
  | { at: 'awslogs' }
  | { at: 'org' }
  | { at: 'account' }
  | { at: 'trail'; kind: ObjectKind }
  | { at: 'region'; kind: ObjectKind }
  | { at: 'year'; kind: ObjectKind; year: number }
  | { at: 'month'; kind: ObjectKind; year: number; month: number }
  | { at: 'day'; kind: ObjectKind };

const ACCOUNT = /^\d{12}$/;
const ORGANIZATION = /^o-[a-z0-9]{10,32}$/;
const TRAIL_FOLDERS: Record<string, ObjectKind> = {
  CloudTrail: 'log',
  'CloudTrail-Insight': 'log',
  'CloudTrail-Digest': 'digest',
};
/** IAM, STS-global and sign-in events are delivered in us-east-1 whatever the caller's region. */
export const GLOBAL_EVENTS_REGION = 'us-east-1';

const DAY_MS = 86_400_000;

/** The inclusive range of delivery days worth listing: event days padded by one on each side. */
export function deliveryDayRange(filter: ListingFilter): { from: string | null; to: string | null } {
  const shift = (iso: string, days: number): string => new Date(Date.parse(iso) + days * DAY_MS).toISOString().slice(0, 10);
  return {
    from: filter.since ? shift(filter.since, -1) : null,
    to: filter.until ? shift(filter.until, 1) : null,
  };
}

export function objectKindOf(key: string): ObjectKind {
  return /(^|\/)CloudTrail-Digest\//.test(key) || /_CloudTrail-Digest_/.test(key) ? 'digest' : 'log';
}

/** Where a prefix the user gave sits in the layout, so pruning starts at the right level. */
export function levelOfPrefix(prefix: string): Level {
  const segments = prefix.split('/').filter((segment) => segment !== '');
  const at = segments.lastIndexOf('AWSLogs');
  if (at < 0) return { at: 'unknown' };
  let level: Level = { at: 'awslogs' };
  for (const segment of segments.slice(at + 1)) {
    level = nextLevel(level, segment) ?? { at: 'unknown' };
    if (level.at === 'unknown') return level;
  }
  return level;
}

function nextLevel(level: Level, folder: string): Level | null {
  switch (level.at) {
    case 'unknown':
      return folder === 'AWSLogs' ? { at: 'awslogs' } : { at: 'unknown' };
    case 'awslogs':
      if (ORGANIZATION.test(folder)) return { at: 'org' };
      return ACCOUNT.test(folder) ? { at: 'account' } : { at: 'unknown' };
    case 'org':
      return ACCOUNT.test(folder) ? { at: 'account' } : { at: 'unknown' };
    case 'account': {
      const kind = TRAIL_FOLDERS[folder];
      return kind ? { at: 'trail', kind } : null;
    }
    case 'trail':
      return { at: 'region', kind: level.kind };
    case 'region':
      return /^\d{4}$/.test(folder) ? { at: 'year', kind: level.kind, year: Number(folder) } : { at: 'unknown' };
    case 'year':
      return /^\d{2}$/.test(folder) ? { at: 'month', kind: level.kind, year: level.year, month: Number(folder) } : { at: 'unknown' };
    case 'month':
      return /^\d{2}$/.test(folder) ? { at: 'day', kind: level.kind } : { at: 'unknown' };
    case 'day':
      return { at: 'day', kind: level.kind };
  }
}

function keepFolder(level: Level, folder: string, filter: ListingFilter): boolean {
  const days = deliveryDayRange(filter);
  switch (level.at) {
    case 'awslogs':
    case 'org':
      if (ACCOUNT.test(folder) && filter.accounts && filter.accounts.size > 0) return filter.accounts.has(folder);
      return true;
    case 'account':
      // Other services' logs (Config, ELB, …) sit beside CloudTrail under the account.
      return folder in TRAIL_FOLDERS;
    case 'trail':
      if (filter.regions && filter.regions.size > 0) return filter.regions.has(folder) || folder === GLOBAL_EVENTS_REGION;
      return true;
    case 'region': {
      if (!/^\d{4}$/.test(folder)) return true;
      return inRange(folder, days.from?.slice(0, 4), days.to?.slice(0, 4));
    }
    case 'year': {
      if (!/^\d{2}$/.test(folder)) return true;
      const month = `${level.year}-${folder}`;
      return inRange(month, days.from?.slice(0, 7), days.to?.slice(0, 7));
    }
    case 'month': {
      if (!/^\d{2}$/.test(folder)) return true;
      const day = `${level.year}-${String(level.month).padStart(2, '0')}-${folder}`;
      return inRange(day, days.from ?? undefined, days.to ?? undefined);
    }
    default:
      return true;
  }
}

function inRange(value: string, from: string | undefined, to: string | undefined): boolean {
  return (from === undefined || value >= from) && (to === undefined || value <= to);
}

/** Every object under `prefix` that the layout and filter allow, in listing order. */
export async function* walkLayout<T extends ListedObject>(
  lister: TreeLister<T>,
  prefix: string,
  filter: ListingFilter,
  onUnreadable: (prefix: string, error: unknown) => void = (_prefix, error) => {
    throw error;
  },
): AsyncGenerator<WalkedObject<T>> {
  // The root must be readable; a sub-folder that is not is reported and skipped.
  const root = await lister.children(prefix);
  yield* descend(lister, prefix, levelOfPrefix(prefix), filter, onUnreadable, root);
}

async function* descend<T extends ListedObject>(
  lister: TreeLister<T>,
  prefix: string,
  level: Level,
  filter: ListingFilter,
  onUnreadable: (prefix: string, error: unknown) => void,
  listed?: { folders: string[]; objects: T[] },
): AsyncGenerator<WalkedObject<T>> {
  let children = listed;
  if (!children) {
    try {
      children = await lister.children(prefix);
    } catch (error) {
      onUnreadable(prefix, error);
      return;
    }
  }
  const { folders, objects } = children;
  const kindHere: ObjectKind | null = 'kind' in level ? level.kind : null;
  for (const object of objects) {
    yield { ...object, kind: kindHere ?? objectKindOf(object.key) };
  }
  for (const folder of folders) {
    if (!keepFolder(level, folder, filter)) continue;
    const next = nextLevel(level, folder);
    if (!next) continue;
    yield* descend(lister, `${prefix}${folder}/`, next, filter, onUnreadable);
  }
}
