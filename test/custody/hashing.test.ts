/** The custody hashes the parser records: the same on both parse paths, and over the right bytes. */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { record } from '../support/cloudtrail.js';
import { parseContent, type ParsePath } from '../support/parse.js';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('custody hashes while parsing', () => {
  const content = Buffer.from(JSON.stringify({ Records: [record(), record({ eventName: 'ListRoles' })] }));
  const gzip = gzipSync(content);

  for (const path of ['fast', 'streaming'] as ParsePath[]) {
    it(`when a gzip log file is parsed on the ${path} path then the stored hash is of the gzip bytes and the content hash of the inflated JSON`, async () => {
      const { summary } = await parseContent(gzip, path);
      expect(summary.storedSha256).toBe(sha256(gzip));
      expect(summary.contentSha256).toBe(sha256(content));
      expect(summary.oldestEventTime).toBe('2026-03-05T10:00:00Z');
    });

    it(`when a plain JSON file is parsed on the ${path} path then both hashes are of its bytes`, async () => {
      const { summary } = await parseContent(content, path);
      expect(summary.storedSha256).toBe(sha256(content));
      expect(summary.contentSha256).toBe(sha256(content));
    });
  }

  it('when a gzip file is truncated then no hash is recorded: it was not read whole', async () => {
    const { summary } = await parseContent(gzip.subarray(0, gzip.length - 12), 'fast');
    expect(summary.fileError).not.toBeNull();
    expect(summary.storedSha256).toBeNull();
    expect(summary.contentSha256).toBeNull();
  });
});
