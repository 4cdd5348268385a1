/**
 * Local files and folders (recursive), walked with the CloudTrail layout's pruning. Archives
 * (.zip, .tar.gz/.tgz, .tar) found there, or given, are listed member by member (archive.ts).
 */
import type { Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { type ArchiveFile, type ArchiveFormat, type ArchiveOptions, archiveFormatOf, DEFAULT_ARCHIVE_OPTIONS, memberObjects } from './archive.js';
import { type ListedObject, objectKindOf, type TreeLister, walkLayout } from './layout.js';
import { listTar, TarCursor } from './tar-archive.js';
import { listZip, openZipMember } from './zip-archive.js';
import { type ListingFilter, type Source, SourceError, type SourceObject, type SourceStats } from './source.js';

const STAT_BATCH = 256;

/** A file's version is its modification time: an unchanged file is not read again. */
const mtimeVersion = (info: Stats): string => `mtime:${Math.trunc(info.mtimeMs)}`;

const listedFile = (key: string, info: Stats): ListedObject => ({ key, size: info.size, version: mtimeVersion(info) });

class DirectoryLister implements TreeLister {
  constructor(
    private readonly root: string,
    private readonly stats: SourceStats,
  ) {}

  async children(prefix: string): Promise<{ folders: string[]; objects: ListedObject[] }> {
    const directory = join(this.root, prefix);
    this.stats.listRequests += 1;
    const entries = await readdir(directory, { withFileTypes: true });
    const folders: string[] = [];
    const files: Array<{ key: string; link: boolean }> = [];
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const key = `${prefix}${entry.name}`;
      if (entry.isDirectory()) folders.push(entry.name);
      else if (entry.isFile()) files.push({ key, link: false });
      // Evidence folders often link to files elsewhere; follow links to files (not
      // to folders, which could loop).
      else if (entry.isSymbolicLink()) files.push({ key, link: true });
    }
    // Stats run STAT_BATCH at a time. One by one, each waited its own turn in the thread
    // pool (listing the 757-file bench corpus took ~100 ms, now ~53 ms); unbounded, a flat
    // folder of 100k copied files would start them all at once.
    const objects: ListedObject[] = [];
    for (let start = 0; start < files.length; start += STAT_BATCH) {
      const listed = await Promise.all(files.slice(start, start + STAT_BATCH).map((file) => this.objectAt(file.key, file.link)));
      for (const object of listed) if (object) objects.push(object);
    }
    return { folders, objects };
  }

  /** A dangling link is listed so that reading it reports the problem instead of silently skipping it. */
  private async objectAt(key: string, link: boolean): Promise<ListedObject | null> {
    const path = join(this.root, key);
    if (!link) return listedFile(key, await stat(path));
    const target = await stat(path).catch(() => null);
    if (!target) return { key, size: -1, version: 'dangling' };
    return target.isFile() ? listedFile(key, target) : null;
  }
}

export interface LocalSourceOptions {
  /** Limits for archive members (tests make them small). */
  archive?: Partial<ArchiveOptions>;
}

export class LocalSource implements Source {
  readonly stats: SourceStats = { listRequests: 0, objectsFetched: 0, bytesFetched: 0 };
  private readonly path: string;
  private readonly archiveOptions: ArchiveOptions;

  constructor(
    readonly label: string,
    options: LocalSourceOptions = {},
  ) {
    this.path = resolve(label);
    this.archiveOptions = { ...DEFAULT_ARCHIVE_OPTIONS, ...options.archive };
  }

  async check(): Promise<void> {
    await this.statRoot();
  }

  private async statRoot(): Promise<Stats> {
    try {
      return await stat(this.path);
    } catch (error) {
      throw new SourceError(`cannot read ${this.label}: ${describeFsError(error)}`);
    }
  }

  async *list(filter: ListingFilter, onUnreadable: (location: string, reason: string) => void): AsyncIterable<SourceObject> {
    const info = await this.statRoot();
    if (info.isFile()) {
      const format = archiveFormatOf(this.path);
      if (format) yield* this.archiveMembers({ path: this.path, size: info.size, mtimeMs: info.mtimeMs }, format, filter, onUnreadable);
      else yield this.object(this.path, info.size, mtimeVersion(info), objectKindOf(this.path.split(sep).join('/')));
      return;
    }
    if (!info.isDirectory()) throw new SourceError(`${this.label} is neither a file nor a folder`);
    // Walk relative keys with '/' so the layout rules see the same shape as S3 keys.
    const rootPrefix = this.path.split(sep).join('/');
    const lister = new DirectoryLister('/', this.stats);
    const unreadable = (prefix: string, error: unknown): void => onUnreadable(`/${prefix}`, describeFsError(error));
    for await (const walked of walkLayout(lister, `${rootPrefix.replace(/^\/+/, '')}/`, filter, unreadable)) {
      const path = `/${walked.key}`;
      const format = archiveFormatOf(path);
      if (!format || walked.size < 0) {
        yield this.object(path, walked.size, walked.version, walked.kind);
        continue;
      }
      const info = await stat(path).catch((error: unknown) => {
        onUnreadable(path, describeFsError(error));
        return null;
      });
      if (info) yield* this.archiveMembers({ path, size: info.size, mtimeMs: info.mtimeMs }, format, filter, onUnreadable);
    }
  }

  /** An archive's members as objects; an archive or member that cannot be read is reported like an unreadable folder. */
  private async *archiveMembers(
    archive: ArchiveFile,
    format: ArchiveFormat,
    filter: ListingFilter,
    onUnreadable: (location: string, reason: string) => void,
  ): AsyncIterable<SourceObject> {
    const options = this.archiveOptions;
    this.stats.listRequests += 1;
    if (format === 'zip') {
      const { members, problems } = await listZip(archive, options);
      for (const [location, reason] of problems) onUnreadable(location, reason);
      yield* memberObjects(archive, members, filter, this.stats, (member) => openZipMember(archive, member, options));
      return;
    }
    const { members, problems } = await listTar(archive, format, options);
    for (const [location, reason] of problems) onUnreadable(location, reason);
    const cursor = new TarCursor(archive, format, members.at(-1)?.order ?? -1, options);
    yield* memberObjects(archive, members, filter, this.stats, (member) => cursor.read(member));
  }

  private object(path: string, size: number, version: string, kind: SourceObject['kind']): SourceObject {
    const stats = this.stats;
    return {
      uri: path,
      size,
      version,
      kind,
      async open() {
        stats.objectsFetched += 1;
        stats.bytesFetched += size;
        return { input: { path }, release: async () => undefined };
      },
    };
  }
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder';
    default:
      return (error as Error).message;
  }
}
