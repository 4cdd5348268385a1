import { describe, expect, it } from 'vitest';
import { EVIDENCE_QUERIES } from '../../src/store/evidence.js';
import { eventId, record, tempDir, writeFile } from '../support/cloudtrail.js';
import { freshDatabasePath, ingestLocal, withDatabase } from '../support/database.js';

describe('correlation queries', () => {
  it('when EXPLAIN QUERY PLAN is asked of every evidence query then none scans a table (through the decoding view either)', async () => {
    const root = tempDir();
    writeFile(root, 'a.json', JSON.stringify(Array.from({ length: 50 }, (_, i) => record({ eventID: eventId(i + 1) }))));
    const dbPath = freshDatabasePath();
    await ingestLocal(dbPath, [root]);
    withDatabase(dbPath, (db) => {
      for (const [name, sql] of Object.entries(EVIDENCE_QUERIES)) {
        const named = [...new Set(sql.match(/@\w+/g) ?? [])];
        const parameters = named.length > 0 ? [Object.fromEntries(named.map((name) => [name.slice(1), 'x']))] : (sql.match(/\?/g) ?? []).map(() => 'x');
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...parameters) as Array<{ detail: string }>).map((row) => row.detail);
        // A list of event names bound as JSON is scanned, never a table.
        expect({ name, plan: plan.filter((detail) => /^SCAN\b/.test(detail) && !/^SCAN json_each VIRTUAL TABLE/.test(detail)) }).toEqual({ name, plan: [] });
        expect({ name, usesIndex: plan.some((detail) => /USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY|PRIMARY KEY/.test(detail)) }).toEqual({ name, usesIndex: true });
      }
    });
  });
});
