import { readPublicKeys } from '../../custody/public-keys.js';
import { verifyCustody } from '../../custody/verify.js';
import { renderVerifyTable } from '../../report/verify-report.js';
import { custodyFacts } from '../../store/custody.js';
import { openDatabase } from '../../store/database.js';
import { command, option } from '../declare.js';
import { databasePath, EXIT, outputWidth } from '../io.js';
import { DB, formatOption } from '../options.js';

export const verifyCommand = command({
  name: 'verify',
  description: 'prove offline that the ingested logs are whole and untouched: digests, hashes, signatures, gaps',
  options: [
    DB,
    option('--public-keys <dir>', 'folder of saved `aws cloudtrail list-public-keys --region R --output json` files'),
    formatOption(['table', 'json']),
  ],
  run(flags, io) {
    const keys = flags.publicKeys === undefined ? null : readPublicKeys(flags.publicKeys);
    const db = openDatabase(databasePath(flags.db, io), { readonly: true });
    let report;
    try {
      report = verifyCustody(custodyFacts(db), keys);
    } finally {
      db.close();
    }
    io.stdout.write(flags.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderVerifyTable(report, outputWidth(io)));
    return report.passed ? EXIT.ok : EXIT.incomplete;
  },
});
