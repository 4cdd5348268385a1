// What a user might do instead of trailsift: load the same files whole into DuckDB.
// node scripts/bench/duckdb-load.mjs <corpus-dir...> <database-file> [--append]
// --append inserts into the events table of an existing database instead of creating it.
// Prints the table's row count afterwards as {"events": n}.
import { DuckDBInstance } from '@duckdb/node-api';

const positional = process.argv.slice(2).filter((arg) => arg !== '--append');
const append = process.argv.includes('--append');
const file = positional.pop();
const globs = positional.map((dir) => `'${dir}/**/*.json.gz'`).join(', ');
const source = `select unnest(Records) as record from read_json([${globs}], format='auto', columns={Records: 'JSON[]'})`;
const instance = await DuckDBInstance.create(file);
const connection = await instance.connect();
await connection.run(append ? `insert into events ${source}` : `create table events as ${source}`);
const rows = await connection.runAndReadAll('select count(*) from events');
process.stdout.write(`${JSON.stringify({ events: Number(rows.getRows()[0][0]) })}\n`);
connection.closeSync();
instance.closeSync();
