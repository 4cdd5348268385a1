/**
 * Archives of log folders (.zip, .tar.gz/.tgz, .tar) in a local source. Each member is its
 * own object, `/abs/archive.zip!/AWSLogs/…/file.json.gz`, pruned by the CloudTrail layout of
 * its path inside the archive like a file in a folder, so per-file status and incremental
 * re-runs work member by member. Nothing is extracted: a member is handed to the parser as
 * bytes, or above the fast-path size as a temporary file under os.tmpdir() removed on release.
 * Member names are only labels; names that would escape a folder are refused all the same.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DEFAULT_INFLATE_LIMITS, gzipFailure, type InflateLimits } from './inflate-limit.js';
import { type ListedObject, type TreeLister, type WalkedObject, walkLayout } from './layout.js';
import { DEFAULT_FAST_PATH_LIMIT, type ListingFilter, type OpenedObject, SourceError, type SourceObject, type SourceStats } from './source.js';

export type ArchiveFormat = 'zip' | 'tar' | 'tar.gz';

/** Archives are recognised by name: listing a folder never opens its files. */
export function archiveFormatOf(path: string): ArchiveFormat | null {
  const name = path.toLowerCase();
  if (name.endsWith('.zip')) return 'zip';
  if (name.endsWith('.tar.gz') || name.endsWith('.tgz')) return 'tar.gz';
  if (name.endsWith('.tar')) return 'tar';
  return null;
}

export interface ArchiveOptions {
  /** Bounds on each member's decompressed size, as for a gzip log file. */
  limits: InflateLimits;
  /** Members up to this size are handed over as bytes, larger ones as a temporary file. */
  fastPathLimit: number;
}

export const DEFAULT_ARCHIVE_OPTIONS: ArchiveOptions = { limits: DEFAULT_INFLATE_LIMITS, fastPathLimit: DEFAULT_FAST_PATH_LIMIT };

/** The archive file as it was when listed; members carry it in their version. */
export interface ArchiveFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/**
 * A member as listed: `key` is its path inside the archive (normalised: './' and empty
 * segments dropped), `size` its decompressed size, `version` what identifies its content.
 */
export interface ArchiveMember extends ListedObject {
  /** Position among the archive's entries: members are handed out in this order (see tar-archive.ts). */
  order: number;
}

export const memberUri = (archive: ArchiveFile, key: string): string => `${archive.path}!/${key}`;

export function memberVersion(archive: ArchiveFile, member: string): string {
  return `archive mtime:${Math.trunc(archive.mtimeMs)} size:${archive.size}; member ${member}`;
}

/**
 * A member's path with './' and empty segments dropped, or why it is refused: absolute
 * paths, drive letters, '..' segments, backslashes and control characters are what an
 * extracting tool would be tricked by; here they would only make misleading labels.
 */
export function memberPath(name: string): { path: string } | { refused: string } {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(name)) return { refused: 'member name has control characters or backslashes' };
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return { refused: 'member name is an absolute path' };
  const segments = name.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return { refused: "member name has a '..' segment" };
  if (segments.length === 0) return { refused: 'member name is empty' };
  return { path: segments.join('/') };
}

/**
 * A listed member's path in the archive, or the one-line problem ([location, reason]) that
 * refuses it: its name (see memberPath), or `refusal`, what its header declares (encryption, a bomb).
 */
export function admitMember(archive: ArchiveFile, name: string, refusal: string | null): { key: string } | { problem: [string, string] } {
  const path = memberPath(name);
  if ('refused' in path) return { problem: [`${archive.path}!/${JSON.stringify(name)}`, `${path.refused}; not read`] };
  if (refusal) return { problem: [memberUri(archive, path.path), refusal] };
  return { key: path.path };
}

/** The members as a tree, so the CloudTrail layout's pruning applies inside archives too. */
class MemberTree<M extends ArchiveMember> implements TreeLister<M> {
  private readonly nodes = new Map<string, { folders: Set<string>; objects: M[] }>([['', { folders: new Set(), objects: [] }]]);

  constructor(members: M[]) {
    for (const member of members) {
      const segments = member.key.split('/');
      let prefix = '';
      for (const folder of segments.slice(0, -1)) {
        this.nodes.get(prefix)!.folders.add(folder);
        prefix = `${prefix}${folder}/`;
        if (!this.nodes.has(prefix)) this.nodes.set(prefix, { folders: new Set(), objects: [] });
      }
      this.nodes.get(prefix)!.objects.push(member);
    }
  }

  async children(prefix: string): Promise<{ folders: string[]; objects: M[] }> {
    const node = this.nodes.get(prefix) ?? { folders: new Set<string>(), objects: [] };
    const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
    return { folders: [...node.folders].sort(byName), objects: [...node.objects].sort((a, b) => byName(a.key, b.key)) };
  }
}

/**
 * The members the layout and filter allow, as source objects. A name that occurs twice
 * (an archive appended to) keeps both, the later one labelled `#2`, `#3`…: both are evidence.
 */
export async function* memberObjects<M extends ArchiveMember>(
  archive: ArchiveFile,
  members: M[],
  filter: ListingFilter,
  stats: SourceStats,
  open: (member: M) => Promise<OpenedObject>,
): AsyncGenerator<SourceObject> {
  const kept: Array<WalkedObject<M>> = [];
  for await (const walked of walkLayout(new MemberTree(members), '', filter)) kept.push(walked);
  // The walk visits folders by name; ingest opens objects in the order listed, which for a
  // tar must be the archive's own order (tar-archive.ts).
  kept.sort((a, b) => a.order - b.order);
  const seen = new Map<string, number>();
  for (const walked of kept) {
    const copies = (seen.get(walked.key) ?? 0) + 1;
    seen.set(walked.key, copies);
    yield {
      uri: memberUri(archive, copies === 1 ? walked.key : `${walked.key}#${copies}`),
      size: walked.size,
      version: walked.version,
      kind: walked.kind,
      async open() {
        stats.objectsFetched += 1;
        stats.bytesFetched += walked.size;
        return open(walked);
      },
    };
  }
}

/** Counts a member's real bytes: its declared size may lie, in either direction. */
class DeclaredSize extends Transform {
  seen = 0;
  constructor(
    private readonly declared: number,
    private readonly label: string,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.declared) callback(new SourceError(`${this.label}: more bytes than the ${this.declared} its archive declares; not read`));
    else callback(null, chunk);
  }
  override _flush(callback: TransformCallback): void {
    const short = this.seen < this.declared;
    callback(short ? new SourceError(`${this.label}: ${this.seen} of the ${this.declared} bytes its archive declares; truncated, not read`) : null);
  }
}

/**
 * A member's content, whole: as bytes up to the fast-path size, else as a temporary file
 * (mode 0600, a random name under os.tmpdir(), removed on release or on failure).
 */
export async function spoolMember(content: AsyncIterable<Buffer>, declared: number, label: string, options: ArchiveOptions): Promise<OpenedObject> {
  const counted = new DeclaredSize(declared, label);
  if (declared <= options.fastPathLimit) {
    const chunks: Buffer[] = [];
    await pipeline(content, counted, async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) chunks.push(chunk);
    });
    return { input: { bytes: Buffer.concat(chunks, counted.seen) }, release: async () => undefined };
  }
  const path = join(tmpdir(), `trailsift-member-${randomUUID()}.tmp`);
  const remove = (): Promise<void> => rm(path, { force: true });
  try {
    await pipeline(content, counted, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    await remove();
    throw error;
  }
  return { input: { path }, release: remove };
}

/** An archive-level error on one line, naming the archive and, when known, the member. */
export function archiveError(archive: ArchiveFile, format: ArchiveFormat, error: unknown, member?: string): string {
  const message = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ');
  const reason = gzipFailure(message) ?? message;
  const where = member === undefined ? '' : ` after member ${JSON.stringify(member)}`;
  return `cannot read the ${format} archive ${archive.path}${where}: ${reason}`;
}
