/**
 * A shipped migration never changes: an old database is migrated by exactly what its version
 * shipped, and a fresh one by the same steps. Each file under src/store/migrations/ is held
 * here to its SHA-256. The SQL files' hashes are those of the MIGRATIONS strings that the
 * commits shipping each version generated (0001: d2220c1, 0002: 2c7a7d1, 0003: cf311c5,
 * 0004: 0368cd7, 0005: 35ec4ee), so freezing them changed nothing an old database ran.
 * The TypeScript files freeze what code steps read and make: 0004-day-tables.ts is migration
 * 4's day tables as 0368cd7 made them and its views as 5f17193 did (migration-day-tables.test.ts).
 * A new migration adds a file and its line here; an edited one fails.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATION_FILES, MIGRATIONS } from '../../src/store/schema.js';

const MIGRATIONS_DIR = resolve(__dirname, '../../src/store/migrations');

const SHIPPED: Record<string, string> = {
  '0001-event-rows.sql': '84865ae26682c6650ce4512bb440842fa39c1598917dc7cb479704e8b48d89c7',
  '0002-strings.sql': '27e05e4bb6c54de53a48a87f34dcb20ce369682d32f333e9eb7ec5740392344f',
  '0003-details.sql': '4e86b0dd1733156af21e9857673a81f9ba606991de2ce8f53532371debb3cea7',
  '0004-day-tables.sql': '6c67696a283c474d4976ac116f68d51963fda0b68424b819750d08d3b91ce9f6',
  '0004-day-tables-views.sql': 'd843e6a6589f9a9a784b46188a9dd594bd06deeea26f8580cf83a12209151825',
  '0004-day-tables.ts': '7c6edf15ba11d577303992bcf6b1e8199bdf763c5e824ab1a343a47afec902f0',
  '0005-custody.sql': '0eab18bfe1092c80067d4cd1509f3abe8b0bd2e410ab8af8497ce8881f7e05cf',
  'frozen-columns.ts': 'eb98c04e7098e764f98dcc39244a801f4b77290d9f5fd5c2b391d938a9fbc3a1',
};

const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

describe('shipped migrations', () => {
  it('when a file under src/store/migrations is edited, added or removed then its recorded SHA-256 no longer matches', () => {
    const actual = Object.fromEntries(readdirSync(MIGRATIONS_DIR).sort().map((file) => [file, sha256(readFileSync(join(MIGRATIONS_DIR, file)))]));
    expect(actual).toEqual(SHIPPED);
  });

  it('when the migrations run then they are the frozen files, in version order', () => {
    expect(MIGRATION_FILES.map((file) => Number(file.slice(0, 4)))).toEqual(MIGRATION_FILES.map((_, index) => index + 1));
    expect(MIGRATIONS.map(sha256)).toEqual(MIGRATION_FILES.map((file) => SHIPPED[file]));
  });
});
