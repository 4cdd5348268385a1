/**
 * Tar archives (.tar, .tar.gz, .tgz), read with tar-stream. A tar has no index: a member is
 * found only by reading everything before it, and a .tar.gz cannot even be skipped through
 * without inflating. Opening each member from the start would make ingest O(n²) in the
 * archive's size, so:
 * - listing reads the archive once, headers only (member data is skipped as it streams by);
 * - reading goes through one cursor per archive that moves forward only: ingest opens
 *   members in listing order, so each open continues where the last one stopped, skipping
 *   members not asked for (unchanged since the last run, or filtered out). The whole
 *   archive is read twice in all, whatever the number of members. An open that asks for a
 *   member behind the cursor restarts it from the beginning (only out-of-order callers pay).
 * Each member is handed over whole (bytes, or a temporary file above the fast-path size,
 * see spoolMember) so that the next one can be reached while it is parsed. The gzip layer is
 * bounded by the same ratio check as a gzip log file, each member by the same size limit.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract, type Header } from 'tar-stream';
import { ByteCounter, InflateGuard, inflateProblem } from './inflate-limit.js';
import {
  admitMember,
  type ArchiveFile,
  type ArchiveFormat,
  type ArchiveMember,
  type ArchiveOptions,
  archiveError,
  memberUri,
  memberVersion,
  spoolMember,
} from './archive.js';
import { type OpenedObject, SourceError } from './source.js';

/** `order` counts all entries of the archive (folders and links included), as the cursor does. */
export interface TarMember extends ArchiveMember {
  /** The name as the header has it, to check the cursor stands where listing saw the member. */
  headerName: string;
}

/** A cursor left waiting this long is closed (its file descriptor freed); a later open restarts it. */
const IDLE_CLOSE_MS = 2_000;
const FILE_TYPES = new Set<Header['type']>(['file', 'contiguous-file']);

type TarEntry = AsyncIterator<Readable & { header: Header }>;

/** The archive's entries, in order, as a stream of streams; every failure of the layers below ends it. */
function openEntries(archive: ArchiveFile, format: ArchiveFormat, options: ArchiveOptions): { entries: TarEntry; close: () => void } {
  const file = createReadStream(archive.path);
  const compressed = new ByteCounter();
  const tar = extract();
  const layers: Readable[] = [file, compressed];
  let tail: Readable = file.pipe(compressed);
  if (format === 'tar.gz') {
    const gunzip = createGunzip();
    const guard = new InflateGuard(() => compressed.seen, options.limits);
    layers.push(gunzip, guard);
    tail = tail.pipe(gunzip).pipe(guard);
  }
  for (const layer of layers) layer.on('error', (error) => tar.destroy(error));
  // tar-stream's extractor is a streamx Writable, which node's pipe() feeds like its own.
  tail.pipe(tar as unknown as NodeJS.WritableStream);
  const entries = tar[Symbol.asyncIterator]() as unknown as TarEntry;
  return {
    entries,
    close: () => {
      for (const layer of layers) layer.destroy();
      tar.destroy();
    },
  };
}

async function drain(stream: Readable): Promise<void> {
  for await (const _chunk of stream) {
    // Skipped member data: only read past.
  }
}

/** Every file member, and one-line problems: members refused, and the archive if it breaks off (what came before is kept). */
export async function listTar(
  archive: ArchiveFile,
  format: ArchiveFormat,
  options: ArchiveOptions,
): Promise<{ members: TarMember[]; problems: Array<[string, string]> }> {
  const members: TarMember[] = [];
  const problems: Array<[string, string]> = [];
  const { entries, close } = openEntries(archive, format, options);
  let index = 0;
  let lastName: string | undefined;
  try {
    for (let next = await entries.next(); !next.done; next = await entries.next(), index += 1) {
      const { header } = next.value;
      await drain(next.value);
      lastName = header.name;
      if (!FILE_TYPES.has(header.type)) continue;
      // Tar has no compressed size per member: only the size limit applies here, the ratio to the gzip layer.
      const tooLarge = inflateProblem(header.size, header.size, options.limits);
      const admitted = admitMember(archive, header.name, tooLarge && `declares ${header.size} bytes: ${tooLarge}`);
      if ('problem' in admitted) {
        problems.push(admitted.problem);
        continue;
      }
      const mtime = header.mtime instanceof Date ? header.mtime.getTime() : 0;
      const version = memberVersion(archive, `mtime:${mtime} size:${header.size}`);
      members.push({ key: admitted.key, size: header.size, version, order: index, headerName: header.name });
    }
  } catch (error) {
    problems.push([archive.path, archiveError(archive, format, error, lastName)]);
  } finally {
    close();
  }
  return { members, problems };
}

/** The forward-only reader of one archive's members; opens are served one at a time, in the order asked. */
export class TarCursor {
  private open: { entries: TarEntry; close: () => void; nextIndex: number } | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  private idle: NodeJS.Timeout | null = null;

  constructor(
    private readonly archive: ArchiveFile,
    private readonly format: ArchiveFormat,
    private readonly lastOrder: number,
    private readonly options: ArchiveOptions,
  ) {}

  read(member: TarMember): Promise<OpenedObject> {
    this.waiting += 1;
    if (this.idle) clearTimeout(this.idle);
    const turn = this.queue.then(() => this.readNow(member));
    this.queue = turn.then(
      () => this.done(),
      () => this.done(),
    );
    return turn;
  }

  private done(): void {
    this.waiting -= 1;
    if (this.waiting > 0 || !this.open) return;
    this.idle = setTimeout(() => this.close(), IDLE_CLOSE_MS);
    this.idle.unref();
  }

  private close(): void {
    this.open?.close();
    this.open = null;
  }

  private async readNow(member: TarMember): Promise<OpenedObject> {
    const label = memberUri(this.archive, member.key);
    if (this.open && this.open.nextIndex > member.order) this.close();
    this.open ??= { ...openEntries(this.archive, this.format, this.options), nextIndex: 0 };
    const cursor = this.open;
    try {
      for (;;) {
        const next = await cursor.entries.next();
        if (next.done) throw new SourceError(`${label}: no longer in the archive (it changed since it was listed); a re-run reads it again`);
        const index = cursor.nextIndex;
        cursor.nextIndex += 1;
        if (index < member.order) {
          await drain(next.value);
          continue;
        }
        if (next.value.header.name !== member.headerName || next.value.header.size !== member.size) {
          throw new SourceError(`${label}: the archive changed since it was listed; a re-run reads it again`);
        }
        const opened = await spoolMember(next.value, member.size, label, this.options);
        if (member.order >= this.lastOrder) this.close();
        return opened;
      }
    } catch (error) {
      this.close();
      if (error instanceof SourceError) throw error;
      throw new SourceError(archiveError(this.archive, this.format, error, member.key));
    }
  }
}
