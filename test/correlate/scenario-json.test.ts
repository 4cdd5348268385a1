/**
 * The JSON contract on the bundled scenario, byte for byte: `investigate --format json`
 * writes exactly `JSON.stringify({ incidents }, null, 2)`. Regenerate on purpose only
 * (UPDATE_GOLDEN=1), then read the diff: other tools consume these fields.
 */
import { describe, it } from 'vitest';
import { expectGolden } from '../report/golden.js';
import { scenarioIncidents } from '../support/scenario.js';

describe('investigate JSON contract', () => {
  it('when the bundled scenario is investigated then the JSON matches the golden file byte for byte', async () => {
    expectGolden('scenario-investigate.json', `${JSON.stringify({ incidents: await scenarioIncidents() }, null, 2)}\n`);
  });
});
