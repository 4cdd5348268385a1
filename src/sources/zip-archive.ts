/**
 * Zip archives, read with yauzl: the central directory lists the members without reading
 * their data, and each member is streamed on its own from its offset. Opening a member
 * re-opens the zip reading only its end record (lazyEntries), so n members cost n small
 * reads, not n directory scans. yauzl checks that a member inflates to exactly its declared
 * size; the CRC-32 is checked here, and the inflated bytes are bounded like a gzip file's.
 */
import { crc32 } from 'node:zlib';
import { Transform, type TransformCallback } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { InflateGuard, inflateProblem } from './inflate-limit.js';
import { admitMember, type ArchiveFile, type ArchiveMember, type ArchiveOptions, archiveError, memberUri, memberVersion, spoolMember } from './archive.js';
import { type OpenedObject, SourceError } from './source.js';

export interface ZipMember extends ArchiveMember {
  entry: Entry;
}

const openZip = (path: string): Promise<ZipFile> =>
  new Promise((resolve, reject) => {
    // decodeStrings off: yauzl would abandon the whole archive at the first unsafe name;
    // names are decoded and judged here, one member at a time.
    yauzl.open(path, { lazyEntries: true, autoClose: false, decodeStrings: false }, (error, zip) => (error ? reject(error) : resolve(zip)));
  });

/** Every file member, and a one-line problem for each member refused and for the archive if it breaks off. */
export async function listZip(archive: ArchiveFile, options: ArchiveOptions): Promise<{ members: ZipMember[]; problems: Array<[string, string]> }> {
  const members: ZipMember[] = [];
  const problems: Array<[string, string]> = [];
  let zip: ZipFile;
  try {
    zip = await openZip(archive.path);
  } catch (error) {
    return { members, problems: [[archive.path, archiveError(archive, 'zip', error)]] };
  }
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: Entry) => {
        const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
        // A name ending in '/' is a folder: nothing to read, like a folder on disk.
        const admitted = name.endsWith('/') ? null : admitMember(archive, name, judgeEntry(entry, options));
        if (admitted && 'problem' in admitted) problems.push(admitted.problem);
        else if (admitted) {
          const crc = entry.crc32.toString(16).padStart(8, '0');
          const version = memberVersion(archive, `crc32:${crc} size:${entry.uncompressedSize}`);
          members.push({ key: admitted.key, order: members.length, size: entry.uncompressedSize, version, entry });
        }
        zip.readEntry();
      });
      zip.once('end', resolve);
      zip.once('error', reject);
      zip.readEntry();
    });
  } catch (error) {
    const last = members.at(-1)?.key;
    problems.push([archive.path, archiveError(archive, 'zip', error, last)]);
  } finally {
    zip.close();
  }
  return { members, problems };
}

/** Why a member is not read at all, from what the central directory declares about it. */
function judgeEntry(entry: Entry, options: ArchiveOptions): string | null {
  if (entry.isEncrypted()) return 'encrypted member; not read';
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) return `compression method ${entry.compressionMethod} is not supported; not read`;
  const bomb = inflateProblem(entry.uncompressedSize, entry.compressedSize, options.limits);
  return bomb ? `declares ${entry.uncompressedSize} bytes from ${entry.compressedSize}: ${bomb}` : null;
}

/** Checks the member's CRC-32 as its bytes pass. */
class Crc32Check extends Transform {
  private crc = 0;
  constructor(
    private readonly expected: number,
    private readonly label: string,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.crc = crc32(chunk, this.crc);
    callback(null, chunk);
  }
  override _flush(callback: TransformCallback): void {
    callback(this.crc === this.expected ? null : new SourceError(`${this.label}: CRC-32 mismatch, the member is corrupt; not read`));
  }
}

export async function openZipMember(archive: ArchiveFile, member: ZipMember, options: ArchiveOptions): Promise<OpenedObject> {
  const label = memberUri(archive, member.key);
  const zip = await openZip(archive.path).catch((error: unknown) => {
    throw new SourceError(archiveError(archive, 'zip', error));
  });
  try {
    const inflated = await new Promise<NodeJS.ReadableStream>((resolve, reject) => {
      zip.openReadStream(member.entry, (error, stream) => (error ? reject(error) : resolve(stream)));
    });
    const guard = new InflateGuard(() => member.entry.compressedSize, options.limits);
    const checked = new Crc32Check(member.entry.crc32, label);
    inflated.on('error', (error) => guard.destroy(error));
    guard.on('error', (error) => checked.destroy(error));
    return await spoolMember(inflated.pipe(guard).pipe(checked), member.size, label, options);
  } catch (error) {
    if (error instanceof SourceError) throw error;
    throw new SourceError(`${label}: ${(error as Error).message.replace(/\s+/g, ' ')}; not read`);
  } finally {
    zip.close();
  }
}
