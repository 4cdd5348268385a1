// Runs s3rver 3.7.1 in its own process for the S3 tests (see s3rver.ts).
// Start as: node --openssl-legacy-provider s3rver-child.mjs <directory> <bucket>
// (s3rver encrypts ListObjectsV2 continuation tokens with DES, which Node 20's OpenSSL 3
// only offers through the legacy provider.) Listens on 127.0.0.1 with a free port and
// reports it to the parent over IPC: { ready: true, port } or { error }.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const S3rver = require('s3rver');
const FilesystemStore = require('s3rver/lib/stores/filesystem');
const S3Object = require('s3rver/lib/models/object');
const { walk } = require('s3rver/lib/utils');

// s3rver 3.7.1's delimited listing is wrong in two ways that matter to a layout walker:
// - a "folder" holding only sub-folders is never reported as a CommonPrefix (it prunes
//   the walk below the delimiter before finding a key), so `AWSLogs/` lists as empty;
// - keys come in file-name order (`x-1._S3rver_object` < `x._S3rver_object`), not S3's
//   byte order, so a continuation token (the last key of a page) can skip keys.
// Replace its listObjects with a plain, correct one: every key under the prefix's folder,
// in byte order, rolled up at the delimiter. As in s3rver, MaxKeys counts objects only
// (the continuation token is the page's last object key), so a CommonPrefix near a page
// boundary may be repeated on the next page; clients must tolerate that.
const OBJECT_SUFFIX = '._S3rver_object';
FilesystemStore.prototype.listObjects = async function listObjects(bucket, options) {
  const { delimiter = '', startAfter = '', prefix = '', maxKeys = Infinity } = options;
  const bucketPath = this.getBucketPath(bucket);
  const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
  const start = [bucketPath, FilesystemStore.encodeKeyPath(folder)].join('/').replace(/\/+$/, '');
  const keys = [];
  try {
    for (const path of walk(start)) {
      if (!path.endsWith(OBJECT_SUFFIX)) continue;
      keys.push(FilesystemStore.decodeKeyPath(path.slice(bucketPath.length + 1, -OBJECT_SUFFIX.length)));
    }
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  keys.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

  const commonPrefixes = new Set();
  const page = [];
  let isTruncated = false;
  for (const key of keys) {
    if (!key.startsWith(prefix) || Buffer.compare(Buffer.from(key), Buffer.from(startAfter)) <= 0) continue;
    if (delimiter) {
      const at = key.indexOf(delimiter, prefix.length);
      if (at !== -1) {
        commonPrefixes.add(key.slice(0, at + delimiter.length));
        continue;
      }
    }
    if (page.length < maxKeys) {
      page.push(key);
    } else {
      isTruncated = true;
      break;
    }
  }
  const objects = [];
  for (const key of page) {
    const metadata = await this.getMetadata(bucket, key).catch((error) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (metadata !== undefined) objects.push(new S3Object(bucket, key, null, metadata));
  }
  return { objects, commonPrefixes: [...commonPrefixes], isTruncated };
};

const [directory, bucket] = process.argv.slice(2);
if (!directory || !bucket) {
  process.stderr.write('usage: s3rver-child.mjs <directory> <bucket>\n');
  process.exit(2);
}

const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  resetOnClose: false,
  // Path-style requests only: the tests connect to 127.0.0.1 with forcePathStyle.
  vhostBuckets: false,
  configureBuckets: [{ name: bucket }],
});

const send = (message) => {
  if (process.send) process.send(message);
  else process.stdout.write(`${JSON.stringify(message)}\n`);
};

try {
  const address = await server.run();
  send({ ready: true, port: address.port });
} catch (error) {
  send({ error: String(error && error.stack ? error.stack : error) });
  process.exit(1);
}

const shutdown = () => {
  server.close().finally(() => process.exit(0));
  // Keep-alive sockets can hold close() open; do not outlive the parent's patience.
  setTimeout(() => process.exit(0), 1_000).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
// The parent died or closed the channel: nobody will ever stop us otherwise.
process.on('disconnect', shutdown);
