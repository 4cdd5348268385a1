import { onTestFinished } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { SqliteEvidence } from '../../src/store/evidence.js';
import { evidenceContract, recordArchiveContract } from '../correlate/evidence-contract.js';
import { type RecordShape, tempDir, writeFile } from '../support/cloudtrail.js';
import { freshDatabasePath, ingestLocal } from '../support/database.js';

// The records go through the real ingest into a database of the test's own, as the CLI's do.
async function ingested(records: RecordShape[]): Promise<SqliteEvidence> {
  const root = tempDir();
  writeFile(root, 'records.json', JSON.stringify({ Records: records }));
  const dbPath = freshDatabasePath();
  const { summary, problems } = await ingestLocal(dbPath, [root]);
  if (summary.errors > 0 || problems.length > 0) throw new Error(`ingest failed: ${problems.join('; ')}`);
  const db = openDatabase(dbPath, { readonly: true });
  onTestFinished(() => {
    db.close();
  });
  return new SqliteEvidence(db);
}

evidenceContract('SQLite', ingested);
recordArchiveContract('SQLite', ingested);
