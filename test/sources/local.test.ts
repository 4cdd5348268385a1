import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalSource } from '../../src/sources/local.js';
import { tempDir, writeFile } from '../support/cloudtrail.js';

async function listAll(root: string): Promise<Array<{ uri: string; size: number }>> {
  const listed: Array<{ uri: string; size: number }> = [];
  for await (const object of new LocalSource(root).list({}, () => undefined)) listed.push({ uri: object.uri, size: object.size });
  return listed;
}

describe('local source', () => {
  it('when a folder holds more files than are stat-ed at once then every one is listed once, in name order, with its size', async () => {
    const root = tempDir();
    const names = Array.from({ length: 600 }, (_, i) => `f${String(i).padStart(4, '0')}.json`);
    // Written out of order: the listing order must come from the names, not the disk.
    for (const name of [...names].reverse()) writeFile(root, name, 'x'.repeat(names.indexOf(name) % 7));
    const listed = await listAll(root);
    expect(listed.map((object) => object.uri)).toEqual(names.map((name) => join(root, name)));
    expect(listed.map((object) => object.size)).toEqual(names.map((_, i) => i % 7));
  });

  it('when a folder has links then a link to a file is listed, a dangling one too (to be reported), a link to a folder is not', async () => {
    const root = tempDir();
    const elsewhere = tempDir();
    writeFile(elsewhere, 'real.json', '{}');
    mkdirSync(join(elsewhere, 'folder'));
    symlinkSync(join(elsewhere, 'real.json'), join(root, 'a-link.json'));
    symlinkSync(join(elsewhere, 'gone.json'), join(root, 'b-dangling.json'));
    symlinkSync(join(elsewhere, 'folder'), join(root, 'c-folder-link'));
    writeFile(root, 'd-plain.json', '{}');
    expect(await listAll(root)).toEqual([
      { uri: join(root, 'a-link.json'), size: 2 },
      { uri: join(root, 'b-dangling.json'), size: -1 },
      { uri: join(root, 'd-plain.json'), size: 2 },
    ]);
  });
});
