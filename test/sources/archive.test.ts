import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LocalSource, type LocalSourceOptions } from '../../src/sources/local.js';
import type { ListingFilter, SourceObject } from '../../src/sources/source.js';
import { type ArchiveEntry, tarOf, zipOf } from '../support/archives.js';
import { digestFile, digestKey, logKey, recordsFile, tempDir } from '../support/cloudtrail.js';
import { consoleLogin, deleteInstanceProfile } from '../support/real-records.js';

const ACCOUNT = '111122223333';
const ORG = 'o-abcdefghij';
const iamKey = logKey({ account: ACCOUNT, region: 'us-east-1', day: '2020-02-26', suffix: 'AAAA' });
const signInKey = logKey({ account: ACCOUNT, region: 'eu-west-1', day: '2022-11-10', suffix: 'BBBB', org: ORG });
const digest = digestKey({ account: ACCOUNT, region: 'us-east-1', day: '2020-02-26' });

/** An evidence export: two trails' logs, a digest, another service's logs beside them, a README. */
const logTree = (): ArchiveEntry[] => [
  { name: 'AWSLogs/', folder: true },
  { name: iamKey, content: recordsFile([deleteInstanceProfile]) },
  { name: signInKey, content: recordsFile([consoleLogin]) },
  { name: digest, content: digestFile() },
  { name: `AWSLogs/${ACCOUNT}/Config/us-east-1/2020/02/26/config.json.gz`, content: gzipSync('{}') },
  { name: 'README.md', content: '# evidence export\n' },
];

async function listArchive(path: string, filter: ListingFilter = {}, options: LocalSourceOptions = {}) {
  const objects: SourceObject[] = [];
  const problems: string[] = [];
  for await (const object of new LocalSource(path, options).list(filter, (location, reason) => problems.push(`${location}: ${reason}`))) {
    objects.push(object);
  }
  return { objects, problems };
}

async function contentOf(object: SourceObject): Promise<Buffer> {
  const opened = await object.open();
  try {
    return 'bytes' in opened.input ? Buffer.from(opened.input.bytes) : readFileSync(opened.input.path);
  } finally {
    await opened.release();
  }
}

const formats: Array<[string, string, (entries: ArchiveEntry[]) => Promise<Buffer>]> = [
  ['zip', 'evidence.zip', (entries) => zipOf(entries)],
  ['tar.gz', 'evidence.tar.gz', (entries) => tarOf(entries)],
  ['tgz', 'evidence.tgz', (entries) => tarOf(entries)],
  ['tar', 'evidence.tar', (entries) => tarOf(entries, false)],
];

describe('archives in a local source', () => {
  for (const [format, name, build] of formats) {
    it(`when a ${format} holds AWSLogs folders, a digest and a README then each file member is its own object, pruned like a folder`, async () => {
      const root = tempDir();
      const path = join(root, name);
      writeFileSync(path, await build(logTree()));
      const { objects, problems } = await listArchive(root);
      expect(problems).toEqual([]);
      expect(objects.map((object) => [object.uri, object.kind]).sort()).toEqual(
        [
          [`${path}!/README.md`, 'log'],
          [`${path}!/${iamKey}`, 'log'],
          [`${path}!/${signInKey}`, 'log'],
          [`${path}!/${digest}`, 'digest'],
        ].sort(),
      );
      const iam = objects.find((object) => object.uri.endsWith(iamKey))!;
      expect(JSON.parse(gunzipSync(await contentOf(iam)).toString())).toEqual({ Records: [deleteInstanceProfile] });
      expect(iam.size).toBe(recordsFile([deleteInstanceProfile]).length);
      expect(iam.version).toMatch(/^archive mtime:\d+ size:\d+; member /);
    });

    it(`when the ${format} is given itself and filtered by time then only the members that can match are listed`, async () => {
      const path = join(tempDir(), name);
      writeFileSync(path, await build(logTree()));
      const { objects } = await listArchive(path, { since: '2022-11-01T00:00:00Z' });
      expect(objects.map((object) => object.uri).sort()).toEqual([`${path}!/README.md`, `${path}!/${signInKey}`].sort());
    });
  }

  it('when members are opened out of order from a tar.gz then each still gets its own content', async () => {
    const entries = Array.from({ length: 6 }, (_, i) => ({ name: `logs/part-${i}.json`, content: `{"n":${i}}` }));
    const path = join(tempDir(), 'parts.tgz');
    writeFileSync(path, await tarOf(entries));
    const { objects } = await listArchive(path);
    expect(objects.map((object) => object.uri)).toEqual(entries.map((entry) => `${path}!/${entry.name}`));
    const order = [0, 1, 4, 2, 5, 3];
    const contents = await Promise.all(order.map((at) => contentOf(objects[at]!)));
    expect(contents.map((content) => content.toString())).toEqual(order.map((at) => entries[at]!.content));
  });

  it('when a member is larger than the fast-path size then it is handed over as a temporary file, removed on release', async () => {
    for (const [, name, build] of formats) {
      const path = join(tempDir(), name);
      const content = JSON.stringify({ Records: [deleteInstanceProfile, consoleLogin] });
      writeFileSync(path, await build([{ name: 'big.json', content }]));
      const { objects } = await listArchive(path, {}, { archive: { fastPathLimit: 10 } });
      const opened = await objects[0]!.open();
      expect('path' in opened.input).toBe(true);
      const temp = (opened.input as { path: string }).path;
      expect(readFileSync(temp, 'utf8')).toBe(content);
      expect(temp.startsWith(join(tempDir(), '..'))).toBe(true);
      await opened.release();
      expect(existsSync(temp)).toBe(false);
    }
  });

  it('when member names try to leave the archive then those members are refused with a note and the rest is read', async () => {
    const path = join(tempDir(), 'hostile.tar.gz');
    writeFileSync(
      path,
      await tarOf([
        { name: '../../etc/cron.d/evil.json', content: '{}' },
        { name: '/abs/olute.json', content: '{}' },
        { name: './AWSLogs/fine.json', content: '{}' },
      ]),
    );
    const { objects, problems } = await listArchive(path);
    expect(objects.map((object) => object.uri)).toEqual([`${path}!/AWSLogs/fine.json`]);
    expect(problems).toEqual([
      `${path}!/"../../etc/cron.d/evil.json": member name has a '..' segment; not read`,
      `${path}!/"/abs/olute.json": member name is an absolute path; not read`,
    ]);
  });

  it('when a zip is corrupt then listing reports one line naming the archive', async () => {
    const root = tempDir();
    const path = join(root, 'broken.zip');
    const good = await zipOf(logTree());
    writeFileSync(path, good.subarray(0, good.length - 30));
    const { objects, problems } = await listArchive(root);
    expect(objects).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${path}: cannot read the zip archive ${path}: [^\\n]+$`));
  });

  it('when a tar.gz is truncated then the members before the break are listed and one line names the archive and member', async () => {
    const entries = Array.from({ length: 4 }, (_, i) => ({ name: `logs/part-${i}.json`, content: `{"n":${i}}`.padEnd(4000, ' ') }));
    const whole = await tarOf(entries, false);
    const path = join(tempDir(), 'cut.tar.gz');
    writeFileSync(path, gzipSync(whole.subarray(0, 512 * 3 + 4000 + 700)).subarray(0, -8));
    const { objects, problems } = await listArchive(path);
    expect(objects.map((object) => object.uri)).toEqual([`${path}!/logs/part-0.json`]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^\S+cut\.tar\.gz: cannot read the tar\.gz archive \S+ after member "logs\/part-[01]\.json": [^\n]+$/);
    expect((await contentOf(objects[0]!)).toString()).toBe(entries[0]!.content);
  });

  it('when a zip member would inflate past the limit then it is refused at listing, its neighbours are not', async () => {
    const path = join(tempDir(), 'bomb.zip');
    writeFileSync(path, await zipOf([{ name: 'zeros.json', content: Buffer.alloc(2 * 1024 * 1024, 0x20) }, { name: 'fine.json', content: '{}' }]));
    const limits = { maxBytes: 1024 * 1024, maxRatio: 200, ratioCheckAfter: 64 * 1024 };
    const { objects, problems } = await listArchive(path, {}, { archive: { limits } });
    expect(objects.map((object) => object.uri)).toEqual([`${path}!/fine.json`]);
    expect(problems).toEqual([expect.stringMatching(/^\S+bomb\.zip!\/zeros\.json: declares 2097152 bytes from \d+: decompressed size exceeds 1 MiB: refusing a likely decompression bomb$/)]);
    const ratioOnly = await listArchive(path, {}, { archive: { limits: { ...limits, maxBytes: 64 * 1024 * 1024 } } });
    expect(ratioOnly.problems).toEqual([expect.stringMatching(/zeros\.json: declares .*decompression bomb: .*more than 200:1/)]);
  });

  it('when a zip member declares a smaller size than it inflates to then reading it fails instead of trusting the header', async () => {
    const content = Buffer.alloc(300 * 1024, 0x20);
    const zip = await zipOf([{ name: 'liar.json', content }]);
    // Rewrite the declared uncompressed size (local header and central directory) to 1 KiB.
    const declared = content.length;
    for (let at = zip.indexOf(Buffer.from([declared & 0xff, (declared >> 8) & 0xff, declared >> 16, 0])); at >= 0; at = zip.indexOf(Buffer.from([declared & 0xff, (declared >> 8) & 0xff, declared >> 16, 0]), at + 4)) {
      zip.writeUInt32LE(1024, at);
    }
    const path = join(tempDir(), 'liar.zip');
    writeFileSync(path, zip);
    const { objects, problems } = await listArchive(path);
    expect(problems).toEqual([]);
    expect(objects[0]!.size).toBe(1024);
    await expect(objects[0]!.open()).rejects.toThrow(/liar\.json: .*(too many bytes|more bytes than the 1024)/);
  });

  it('when a zip member\'s data is damaged then opening it fails on its CRC-32, naming the member', async () => {
    const content = JSON.stringify({ Records: [deleteInstanceProfile] });
    const zip = await zipOf([{ name: 'stored.json', content }], false);
    const at = zip.indexOf('DeleteInstanceProfile');
    zip[at] = 'X'.charCodeAt(0);
    const path = join(tempDir(), 'damaged.zip');
    writeFileSync(path, zip);
    const { objects } = await listArchive(path);
    await expect(objects[0]!.open()).rejects.toThrow(/damaged\.zip!\/stored\.json: CRC-32 mismatch, the member is corrupt; not read$/);
  });
});
