// The floor: gunzip and JSON.parse every file in one Node process, nothing stored.
// node scripts/bench/floor.mjs <corpus-dir>
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.name.endsWith('.json.gz')) yield path;
  }
}

let events = 0;
for (const path of files(process.argv[2])) events += JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')).Records.length;
process.stdout.write(`${JSON.stringify({ events })}\n`);
