/** Zip and tar archives of log folders, built in memory for tests. */
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import yazl from 'yazl';

export type ArchiveEntry = { name: string; content: Buffer | string } | { name: string; folder: true };

export async function zipOf(entries: ArchiveEntry[], compress = true): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    if ('folder' in entry) zip.addEmptyDirectory(entry.name);
    else zip.addBuffer(Buffer.from(entry.content), entry.name, { compress, mtime: new Date('2026-03-05T12:00:00Z') });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A tar (gzipped unless told otherwise); tar-stream writes any name it is given, '..' included. */
export async function tarOf(entries: ArchiveEntry[], gzip = true): Promise<Buffer> {
  const tar = pack();
  for (const entry of entries) {
    const header = { name: entry.name, mtime: new Date('2026-03-05T12:00:00Z') };
    if ('folder' in entry) tar.entry({ ...header, type: 'directory' });
    else tar.entry(header, Buffer.from(entry.content));
  }
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(Buffer.from(chunk as Uint8Array));
  const bytes = Buffer.concat(chunks);
  return gzip ? gzipSync(bytes) : bytes;
}
