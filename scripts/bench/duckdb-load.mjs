// What a user might do instead of trailsift: load the same files whole into DuckDB.
// node scripts/bench/duckdb-load.mjs <corpus-dir> <database-file>
import { DuckDBInstance } from '@duckdb/node-api';

const [dir, file] = process.argv.slice(2);
const instance = await DuckDBInstance.create(file);
const connection = await instance.connect();
await connection.run(
  `create table events as select unnest(Records) as record from read_json('${dir}/**/*.json.gz', format='auto', columns={Records: 'JSON[]'})`,
);
const rows = await connection.runAndReadAll('select count(*) from events');
process.stdout.write(`${JSON.stringify({ events: Number(rows.getRows()[0][0]) })}\n`);
connection.closeSync();
instance.closeSync();
