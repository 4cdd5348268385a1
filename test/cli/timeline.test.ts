/** `trailsift timeline`: selectors, formats (Timesketch, CSV, JSONL) and their golden files. */
import { beforeAll, describe, expect, it } from 'vitest';
import { TIMESKETCH_FIELD_LIMIT, fitField } from '../../src/report/timesketch.js';
import { cli } from '../support/cli.js';
import { freshDatabasePath, ingestLocal } from '../support/database.js';
import { eventId, record, tempDir, writeFile } from '../support/cloudtrail.js';
import { SCENARIO_EXPECTED, scenarioDatabase } from '../support/scenario.js';
import { expectGolden } from '../report/golden.js';

const DELETION = '07c158d3-0452-4808-9bc3-4507c3c31a5a';
let db = '';

beforeAll(async () => {
  db = scenarioDatabase();
});

function sortedByTimeThenId(rows: Array<{ eventTime: string; eventId: string }>): boolean {
  return rows.every((row, i) => i === 0 || rows[i - 1]!.eventTime < row.eventTime || (rows[i - 1]!.eventTime === row.eventTime && rows[i - 1]!.eventId < row.eventId));
}

describe('trailsift timeline', () => {
  it('when --incident is given as Timesketch then every line imports as is: message, datetime, timestamp_desc, IDs, sorted', async () => {
    const result = await cli(['timeline', '--db', db, '--incident', DELETION, '--format', 'timesketch']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) {
      expect(line).toMatchObject({ timestamp_desc: 'Event Recorded', data_type: 'aws:cloudtrail:entry', incident_id: DELETION });
      expect(line.message!.length).toBeGreaterThan(0);
      expect(line.datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
      expect(line.event_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(['credential', 'session', 'profile', 'ec2', 'deletion']).toContain(line.category);
      expect(JSON.parse(line.cloud_trail_event!)).toHaveProperty('eventID', line.event_id);
      for (const value of Object.values(line)) expect(Buffer.byteLength(value)).toBeLessThanOrEqual(TIMESKETCH_FIELD_LIMIT);
    }
    expect(sortedByTimeThenId(lines.map((line) => ({ eventTime: line.datetime!, eventId: line.event_id! })))).toBe(true);
    const deletion = lines.find((line) => line.event_id === DELETION)!;
    expect(deletion).toMatchObject({ category: 'deletion', origin_arn: 'arn:aws:iam::222222222222:user/deploy-bot', source_ip: '203.0.113.50', event_name: 'DeleteInstanceProfile' });
    expectGolden('timeline-incident.timesketch.jsonl', result.stdout);
  });

  it('when the incident timeline is CSV then it has one header row, RFC 4180 quoting, and matches its golden file', async () => {
    const result = await cli(['timeline', '--db', db, '--incident', DELETION, '--format', 'csv']);
    const lines = result.stdout.split('\r\n');
    expect(lines[0]).toBe('event_time,event_name,category,actor_arn,origin_arn,source_ip,aws_region,account_id,error_code,summary,incident_id,event_id');
    expect(lines.filter((line) => line.startsWith('event_time,'))).toHaveLength(1);
    expectGolden('timeline-incident.csv', result.stdout);
  });

  it('when --actor is a role ARN then every session of that role is in the timeline', async () => {
    const result = await cli(['timeline', '--db', db, '--actor', 'arn:aws:iam::111111111111:role/InfraAdmin', '--format', 'json']);
    const rows = JSON.parse(result.stdout) as Array<{ actor_arn: string; event_name: string }>;
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((row) => row.actor_arn))).toContain('arn:aws:sts::111111111111:assumed-role/InfraAdmin/maint');
    expect(rows.map((row) => row.event_name)).toContain('DeleteInstanceProfile');
  });

  it('when --key, --ip, --profile and --instance select then each keeps only matching events, combined with --since', async () => {
    const byIp = JSON.parse((await cli(['timeline', '--db', db, '--ip', '203.0.113.50', '--format', 'json'])).stdout) as Array<{ source_ip: string }>;
    expect(byIp.length).toBeGreaterThan(5);
    expect(byIp.every((row) => row.source_ip === '203.0.113.50')).toBe(true);
    const byKey = JSON.parse((await cli(['timeline', '--db', db, '--key', 'AKIAHV7MGJ5SLMZ4HGXQ', '--format', 'json'])).stdout) as Array<{ event_name: string }>;
    expect(byKey.map((row) => row.event_name)).toContain('CreateAccessKey');
    const byProfile = JSON.parse((await cli(['timeline', '--db', db, '--instance-profile', 'web-app-profile', '--since', '2026-03-06', '--format', 'json'])).stdout) as Array<{ event_time: string }>;
    expect(byProfile.length).toBeGreaterThan(0);
    expect(byProfile.every((row) => row.event_time >= '2026-03-06')).toBe(true);
    const instanceLines = (await cli(['timeline', '--db', db, '--instance', 'i-043b4795b13d335ab', '--format', 'jsonl'])).stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { event_name: string });
    expect(instanceLines.map((line) => line.event_name)).toEqual(['RunInstances', 'TerminateInstances']);
  });

  it('when a selector value carries SQL then it finds nothing and harms nothing', async () => {
    const result = await cli(['timeline', '--db', db, '--actor', "' OR 1=1 --", '--format', 'json']);
    expect(JSON.parse(result.stdout)).toEqual([]);
    expect(JSON.parse((await cli(['stats', '--db', db, '--format', 'json'])).stdout)).toMatchObject({ events: SCENARIO_EXPECTED.counts.uniqueEvents });
  });

  it('when no selector is given then it is a usage error', async () => {
    const result = await cli(['timeline', '--db', db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/timeline needs a selector/);
  });

  it('when a hostile record reaches timeline CSV and table then formulas are neutralized and control characters escaped', async () => {
    const root = tempDir();
    writeFile(root, 'x.json', JSON.stringify([record({ eventID: eventId(1), sourceIPAddress: '198.51.100.7', userAgent: '=cmd|"/c calc"!A1', userIdentity: { type: 'IAMUser', arn: '@SUM(1+1)\u001b]8;;http://evil\u0007link\u001b]8;;\u0007', accountId: '111111111111', accessKeyId: 'AKIAX' } })]));
    const hostileDb = freshDatabasePath();
    await ingestLocal(hostileDb, [root]);
    const csv = (await cli(['timeline', '--db', hostileDb, '--ip', '198.51.100.7', '--format', 'csv'])).stdout;
    const cell = csv.split('\r\n')[1]!.split(',')[3]!;
    expect(cell.startsWith("'@SUM") || cell.startsWith('"\'@SUM')).toBe(true);
    const table = (await cli(['timeline', '--db', hostileDb, '--ip', '198.51.100.7'])).stdout;
    expect(table).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it('when a field is longer than the Timesketch keyword limit then it is cut on a character boundary', () => {
    const long = 'é'.repeat(40_000);
    const cut = fitField(long);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(TIMESKETCH_FIELD_LIMIT);
    expect(cut.endsWith('…[truncated]')).toBe(true);
    expect(cut).not.toContain('\uFFFD');
  });
});

describe('trailsift timeline --actor with a name', () => {
  it('when --actor is a bare user name that no ARN equals then it says so on stderr and names the events search that finds it', async () => {
    const result = await cli(['timeline', '--db', db, '--actor', 'deploy-bot']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe(
      'no event has the identity or role ARN deploy-bot: --actor takes an ARN; to find an identity by its name, principal ID or web identity subject, try: trailsift events --actor deploy-bot\n',
    );
    // That search does find it.
    expect((await cli(['events', '--db', db, '--actor', 'deploy-bot', '--format', 'jsonl'])).stdout.trim().split('\n').length).toBeGreaterThan(0);
    // An ARN that matches nothing is simply empty: the user gave the kind of value asked for.
    expect((await cli(['timeline', '--db', db, '--actor', 'arn:aws:iam::999999999999:user/nobody'])).stderr).toBe('');
  });
});

describe('trailsift timeline --all', () => {
  it('when the whole case goes to Timesketch then every event is one line, and each incident tags its own events', async () => {
    const result = await cli(['timeline', '--db', db, '--all', '--format', 'timesketch']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const stats = JSON.parse((await cli(['stats', '--db', db, '--format', 'json'])).stdout) as { events: number };
    expect(lines).toHaveLength(stats.events);
    const deletion = lines.find((line) => line.event_id === DELETION)!;
    expect(String(deletion.incident_id).split(',')).toContain(DELETION);
    const incident = JSON.parse((await cli(['investigate', '--db', db, '--event-id', DELETION, '--format', 'json'])).stdout) as { incidents: Array<{ timeline: Array<{ eventId: string }> }> };
    const tagged = new Set(lines.filter((line) => String(line.incident_id ?? '').split(',').includes(DELETION)).map((line) => line.event_id));
    expect(tagged).toEqual(new Set(incident.incidents[0]!.timeline.map((entry) => entry.eventId)));
  });

  it('when --all or --incident is combined with another selector then it is refused, never ignored', async () => {
    expect((await cli(['timeline', '--db', db, '--all', '--ip', '203.0.113.50'])).code).toBe(2);
    const combined = await cli(['timeline', '--db', db, '--incident', DELETION, '--actor', 'arn:aws:iam::222222222222:user/ops-admin']);
    expect(combined.code).toBe(2);
    expect(combined.stderr).toContain('--incident is a whole timeline of its own');
  });
});

describe('instance profile flag', () => {
  it('when --profile is given to timeline or investigate then it still selects the instance profile, with a warning naming --instance-profile', async () => {
    const old = await cli(['timeline', '--db', db, '--profile', 'web-app-profile', '--format', 'json']);
    const current = await cli(['timeline', '--db', db, '--instance-profile', 'web-app-profile', '--format', 'json']);
    expect(old.stdout).toBe(current.stdout);
    expect(old.stderr).toContain('use --instance-profile');
    expect(current.stderr).not.toContain('deprecated');
    const investigated = await cli(['investigate', '--db', db, '--profile', 'web-app-profile', '--format', 'json']);
    expect(investigated.stderr).toContain('use --instance-profile');
    expect((JSON.parse(investigated.stdout) as { incidents: unknown[] }).incidents).toHaveLength(2);
  });

  it('when the help of investigate is shown then durations read as durations and --profile is not offered', async () => {
    const help = await cli(['investigate', '--help']);
    expect(help.stdout).toContain('(default: 7d)');
    expect(help.stdout).not.toMatch(/604800000/);
    expect(help.stdout).toContain('--instance-profile <name>');
    expect(help.stdout).not.toMatch(/^\s+--profile /m);
  });
});

describe('an event ID that gives no incident', () => {
  const commands: Array<[string, (id: string) => string[]]> = [
    ['investigate --event-id', (id) => ['investigate', '--event-id', id]],
    ['timeline --incident', (id) => ['timeline', '--incident', id]],
    ['report --incident', (id) => ['report', '--incident', id, '--out', `${tempDir('trailsift-unknown-')}/r.html`]],
  ];

  it.each(commands)('when %s names an ID not in the database or another event then it exits 1 saying which', async (_name, args) => {
    const [other] = JSON.parse((await cli(['events', '--db', db, '--name', 'AssumeRole', '--limit', '1', '--format', 'json'])).stdout) as Array<{ event_id: string }>;
    const missing = await cli([...args('no-such-event'), '--db', db]);
    expect([missing.code, missing.stdout, missing.stderr]).toEqual([1, '', 'trailsift: no event with ID no-such-event in this database\n']);
    const notDeletion = await cli([...args(other!.event_id), '--db', db]);
    expect([notDeletion.code, notDeletion.stderr]).toEqual([1, `trailsift: event ${other!.event_id} is a AssumeRole, not a DeleteInstanceProfile\n`]);
  });

  it('when investigate --event-id names a deletion its other filters exclude then it exits 1 saying so', async () => {
    const outside = await cli(['investigate', '--event-id', DELETION, '--db', db, '--until', '2020-01-01']);
    expect([outside.code, outside.stderr]).toEqual([1, `trailsift: DeleteInstanceProfile ${DELETION} is outside the other filters given (--instance-profile, --since, --until)\n`]);
    const inside = await cli(['investigate', '--event-id', DELETION, '--db', db, '--format', 'json']);
    expect(inside.code).toBe(0);
    expect((JSON.parse(inside.stdout) as { incidents: unknown[] }).incidents).toHaveLength(1);
  });
});

describe('the timeline table', () => {
  it('when the incident timeline is a table on a pipe then it fits 120 columns: what happened first, the actor under it without its ARN prefix', async () => {
    const result = await cli(['timeline', '--db', db, '--incident', DELETION]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(120);
    const cellsOf = (line: string) => line.split('│').map((cell) => cell.trim()).filter(Boolean);
    expect(cellsOf(lines[1]!)).toEqual(['event_time', 'category', 'what']);
    expect(cellsOf(lines[2]!)).toEqual(['event_id', 'event_name', 'actor']);
    const deletion = lines.findIndex((line) => line.includes(DELETION));
    expect(cellsOf(lines[deletion]!)[1]).toBe('DeleteInstanceProfile');
    expect(cellsOf(lines[deletion - 1]!)[2]).toMatch(/^deleted instance profile web-app-profile/);
    const rows = result.stdout.split('├');
    expect(rows.length).toBeGreaterThan(5);
    expect(result.stdout).toContain('111111111111:assumed-role/InfraAdmin/maint');
    for (const line of lines.filter((line) => /^│ \d{4}-/.test(line))) expect(cellsOf(line)[2]).not.toMatch(/^arn:/);
  });

  it('when the terminal is 200 columns then each field has its own column; at 80 each event is stacked', async () => {
    const wide = await cli(['timeline', '--db', db, '--incident', DELETION], {}, 200);
    const wideLines = wide.stdout.trimEnd().split('\n');
    expect(wideLines[1]!.split('│').map((cell) => cell.trim()).filter(Boolean)).toEqual(['event_time', 'category', 'event_name', 'what', 'actor', 'event_id']);
    for (const line of wideLines) expect([...line].length).toBeLessThanOrEqual(200);
    const deletion = wideLines.find((line) => line.includes(DELETION))!.split('│').map((cell) => cell.trim());
    expect(deletion[3]).toBe('DeleteInstanceProfile');
    expect(deletion[4]).toMatch(/^deleted instance profile web-app-profile/);

    const narrow = await cli(['timeline', '--db', db, '--incident', DELETION], {}, 80);
    for (const line of narrow.stdout.trimEnd().split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    expect(narrow.stdout).toMatch(new RegExp(`^event_time / event_id {2}\\d{4}-[^\\n]+\\n {23}${DELETION}$`, 'm'));
  });
});
