import type { Command } from 'commander';
import { readPublicKeys } from '../../custody/public-keys.js';
import { verifyCustody } from '../../custody/verify.js';
import { renderVerifyTable } from '../../report/verify-report.js';
import { custodyFacts } from '../../store/custody.js';
import { openDatabase } from '../../store/database.js';
import { type CliIo, databasePath, EXIT, outputWidth } from '../io.js';
import { oneOf } from '../options.js';

export function registerVerify(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('verify')
    .description('prove offline that the ingested logs are whole and untouched: digests, hashes, signatures, gaps')
    .option('--db <file>', 'database file')
    .option('--public-keys <dir>', 'folder of saved `aws cloudtrail list-public-keys --region R --output json` files')
    .option('--format <format>', 'table or json', oneOf('--format', ['table', 'json'] as const), 'table')
    .action((flags: { db?: string; publicKeys?: string; format: 'table' | 'json' }) => {
      const keys = flags.publicKeys === undefined ? null : readPublicKeys(flags.publicKeys);
      const db = openDatabase(databasePath(flags.db, io), { readonly: true });
      let report;
      try {
        report = verifyCustody(custodyFacts(db), keys);
      } finally {
        db.close();
      }
      io.stdout.write(flags.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderVerifyTable(report, outputWidth(io)));
      setExit(report.passed ? EXIT.ok : EXIT.incomplete);
    });
}
