import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventId, record, tempDir, writeFile } from '../support/cloudtrail.js';
import { cli } from '../support/cli.js';
import { freshDatabasePath } from '../support/database.js';

const ROOT = resolve(__dirname, '../..');

function evidence(): string {
  const root = tempDir();
  writeFile(
    root,
    'trail.json',
    JSON.stringify({
      Records: [
        record({ eventID: eventId(3), eventTime: '2026-03-06T03:14:15Z', eventName: 'DeleteInstanceProfile', eventSource: 'iam.amazonaws.com', requestParameters: { instanceProfileName: 'web-app-profile' }, userAgent: 'evil\u001b[2J\u0007agent' }),
        record({ eventID: eventId(1), eventTime: '2026-03-05T00:00:00Z', eventName: 'CreateAccessKey', sourceIPAddress: '203.0.113.50' }),
        record({ eventID: eventId(2), eventTime: '2026-03-05T00:00:00Z', eventName: 'AssumeRole', userAgent: '=HYPERLINK("http://x")' }),
      ],
    }),
  );
  return root;
}

describe('trailsift CLI', () => {
  it('when ingest runs with --format json then stdout is one JSON summary with the documented counts', async () => {
    const db = freshDatabasePath();
    const result = await cli(['ingest', evidence(), '--db', db, '--format', 'json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as Record<string, number>;
    expect(summary).toMatchObject({ filesIngested: 1, filesSkipped: 0, digestFiles: 0, eventsInserted: 3, duplicates: 0, errors: 0 });
  });

  it('when a file has more rejected records than it lists then ingest\'s errors and stats\' rejected records count every one', async () => {
    const root = tempDir();
    writeFile(root, 'many-broken.json', JSON.stringify({ Records: [record({ eventID: eventId(4) }), ...Array.from({ length: 57 }, () => record({ eventID: undefined }))] }));
    const db = freshDatabasePath();
    const ingested = await cli(['ingest', root, '--db', db]);
    expect(ingested.stdout).toMatch(/rejected records\s+│\s+57\b/);
    expect(ingested.stdout).toMatch(/errors \/ warnings\s+│\s+57 \/ 0\b/);
    const stats = await cli(['stats', '--db', db]);
    expect(stats.stdout).toMatch(/problem lines\s+│\s+error: 51\b/);
    expect(stats.stdout).toMatch(/rejected records\s+│\s+57\b/);
    expect(JSON.parse((await cli(['stats', '--db', db, '--format', 'json'])).stdout)).toMatchObject({ problems: [{ severity: 'error', count: 51 }], rejectedRecords: 57 });
  });

  it('when $TRAILSIFT_DB is set and --db is not then that database is used', async () => {
    const db = freshDatabasePath();
    await cli(['ingest', evidence()], { TRAILSIFT_DB: db });
    const stats = await cli(['stats', '--format', 'json'], { TRAILSIFT_DB: db });
    expect(JSON.parse(stats.stdout)).toMatchObject({ events: 3, firstEvent: '2026-03-05T00:00:00Z', lastEvent: '2026-03-06T03:14:15Z' });
  });

  it('when events are listed then they are sorted by time then event ID and filters are applied', async () => {
    const db = freshDatabasePath();
    await cli(['ingest', evidence(), '--db', db]);
    const all = JSON.parse((await cli(['events', '--db', db, '--format', 'json'])).stdout) as Array<{ event_id: string }>;
    expect(all.map((event) => event.event_id)).toEqual([eventId(1), eventId(2), eventId(3)]);
    const named = JSON.parse((await cli(['events', '--db', db, '--name', 'DeleteInstanceProfile', '--since', '2026-03-06', '--format', 'json'])).stdout) as unknown[];
    expect(named).toHaveLength(1);
    const byIp = JSON.parse((await cli(['events', '--db', db, '--ip', '203.0.113.50', '--format', 'json'])).stdout) as Array<{ event_name: string }>;
    expect(byIp.map((event) => event.event_name)).toEqual(['CreateAccessKey']);
  });

  it('when a filter value carries SQL then it is only a value: nothing found, nothing harmed', async () => {
    const db = freshDatabasePath();
    await cli(['ingest', evidence(), '--db', db]);
    const result = await cli(['events', '--db', db, '--actor', "x' OR '1'='1", '--format', 'json']);
    expect(JSON.parse(result.stdout)).toEqual([]);
    expect(JSON.parse((await cli(['stats', '--db', db, '--format', 'json'])).stdout)).toMatchObject({ events: 3 });
  });

  it('when ingest is given --format table, or its old spelling text, then it prints the same summary; anything else is a usage error', async () => {
    const source = evidence();
    const [tableDb, textDb] = [freshDatabasePath(), freshDatabasePath()];
    const table = await cli(['ingest', source, '--db', tableDb, '--format', 'table']);
    const text = await cli(['ingest', source, '--db', textDb, '--format', 'text']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/events inserted\s+│\s+3\b/);
    const comparable = (stdout: string, db: string): string => stdout.replace(db, '<db>').replace(/│ elapsed .*\n/, '');
    expect(comparable(text.stdout, textDb)).toBe(comparable(table.stdout, tableDb));
    const bad = await cli(['ingest', source, '--db', freshDatabasePath(), '--format', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('trailsift: --format must be one of table, json, got "xml"\n');
  });

  it.each(['not a url', 'ftp://127.0.0.1:9000', '127.0.0.1:9000'])('when --endpoint-url is %j then it is a usage error (exit 2) and no database is created', async (endpoint) => {
    const db = freshDatabasePath();
    const result = await cli(['ingest', 's3://bucket/AWSLogs/', '--endpoint-url', endpoint, '--db', db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`trailsift: --endpoint-url must be an http or https URL such as http://localhost:9000, got ${JSON.stringify(endpoint)}\n`);
    expect(existsSync(db)).toBe(false);
  });

  it('when a hint names a command then it is quoted as the user ran it: npx trailsift from a clone, trailsift otherwise', async () => {
    const viaNpx = await cli(['stats', '--db', '/nonexistent/x.db'], { npm_command: 'exec' });
    expect(viaNpx.stderr).toBe('trailsift: no database at /nonexistent/x.db: run "npx trailsift ingest <source> --db /nonexistent/x.db" first\n');
    const installed = await cli(['stats', '--db', '/nonexistent/x.db']);
    expect(installed.stderr).toBe('trailsift: no database at /nonexistent/x.db: run "trailsift ingest <source> --db /nonexistent/x.db" first\n');
  });

  it('when events --actor is a bare name then it finds that user, role or session in any path, and nothing that only contains the name', async () => {
    const root = tempDir();
    const roleSession = {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLE000000001:deploy-bot',
      arn: 'arn:aws:sts::111111111111:assumed-role/ci-deployer/deploy-bot',
      accountId: '111111111111',
      sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE000000001', arn: 'arn:aws:iam::111111111111:role/ci-deployer', accountId: '111111111111', userName: 'ci-deployer' } },
    };
    const pathUser = { type: 'IAMUser', principalId: 'AIDAEXAMPLE000000009', arn: 'arn:aws:iam::111111111111:user/automation/deploy-bot', accountId: '111111111111', userName: 'deploy-bot' };
    const webIdentity = {
      type: 'WebIdentityUser',
      principalId: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com:sts.amazonaws.com:repo:example-org/app:ref:refs/heads/main',
      userName: 'repo:example-org/app:ref:refs/heads/main',
      identityProvider: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com',
    };
    const lookalike = { type: 'IAMUser', principalId: 'AIDAEXAMPLE000000008', arn: 'arn:aws:iam::111111111111:user/deploy-bot-old', accountId: '111111111111', userName: 'deploy-bot-old' };
    writeFile(
      root,
      'trail.json',
      JSON.stringify({
        Records: [
          record({ eventID: eventId(1), eventTime: '2026-03-05T00:00:01Z', userIdentity: pathUser }),
          record({ eventID: eventId(2), eventTime: '2026-03-05T00:00:02Z', userIdentity: roleSession }),
          record({ eventID: eventId(3), eventTime: '2026-03-05T00:00:03Z', userIdentity: lookalike }),
          record({ eventID: eventId(4), eventTime: '2026-03-05T00:00:04Z', eventSource: 'sts.amazonaws.com', eventName: 'AssumeRoleWithWebIdentity', userIdentity: webIdentity }),
        ],
      }),
    );
    const db = freshDatabasePath();
    await cli(['ingest', root, '--db', db]);
    const ids = async (actor: string): Promise<string[]> =>
      (JSON.parse((await cli(['events', '--db', db, '--actor', actor, '--format', 'json'])).stdout) as Array<{ event_id: string }>).map((event) => event.event_id);
    expect(await ids('deploy-bot')).toEqual([eventId(1), eventId(2)]);
    expect(await ids('ci-deployer')).toEqual([eventId(2)]);
    expect(await ids('arn:aws:iam::111111111111:role/ci-deployer')).toEqual([eventId(2)]);
    expect(await ids('AIDAEXAMPLE000000008')).toEqual([eventId(3)]);
    expect(await ids('bot')).toEqual([]);
    // A web identity's subject is its user name, though ':' and '/' make it look like no bare name.
    expect(await ids('repo:example-org/app:ref:refs/heads/main')).toEqual([eventId(4)]);
  });

  it('when events --id names IDs that are not in the database then stderr lists them and the exit is 1', async () => {
    const db = freshDatabasePath();
    await cli(['ingest', evidence(), '--db', db]);
    const result = await cli(['events', '--db', db, '--id', eventId(1), 'no-such-id', eventId(2), 'also-missing']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('not found: no-such-id, also-missing\n');
    expect((JSON.parse(result.stdout) as Array<{ eventID: string }>).map((event) => event.eventID)).toEqual([eventId(1), eventId(2)]);
  });

  it('when events --id is given then the whole original record is printed', async () => {
    const db = freshDatabasePath();
    await cli(['ingest', evidence(), '--db', db]);
    const result = await cli(['events', '--db', db, '--id', eventId(3)]);
    expect(JSON.parse(result.stdout)).toMatchObject({ eventID: eventId(3), requestParameters: { instanceProfileName: 'web-app-profile' } });
  });

  it('when a table shows a hostile user agent then no control character reaches the terminal', async () => {
    const db = freshDatabasePath();
    await cli(['ingest', evidence(), '--db', db]);
    const result = await cli(['query', 'select user_agent from events order by event_id', '--db', db]);
    expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(result.stdout).toContain('evil\\x1b[2J\\x07agent');
  });

  it('when CSV carries a formula-looking cell then it is neutralized', async () => {
    const db = freshDatabasePath();
    await cli(['ingest', evidence(), '--db', db]);
    const result = await cli(['events', '--db', db, '--name', 'AssumeRole', '--format', 'csv']);
    expect(result.stdout).toContain(`"'=HYPERLINK(""http://x"")"`);
  });

  it('when query is given JSON format then it prints an array of row objects', async () => {
    const db = freshDatabasePath();
    await cli(['ingest', evidence(), '--db', db]);
    const result = await cli(['query', 'select event_name, count(*) n from events group by 1 order by 2 desc, 1 limit 10', '--db', db, '--format', 'json']);
    expect(JSON.parse(result.stdout)).toEqual([
      { event_name: 'AssumeRole', n: 1 },
      { event_name: 'CreateAccessKey', n: 1 },
      { event_name: 'DeleteInstanceProfile', n: 1 },
    ]);
  });

  it('when query would write then it is refused with one line and exit 1', async () => {
    const db = freshDatabasePath();
    await cli(['ingest', evidence(), '--db', db]);
    const result = await cli(['query', 'delete from event_rows', '--db', db]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^trailsift: only SELECT.*read-only\n$/);
  });

  it('when query reads its SQL from --file then it runs it, and giving both forms is a usage error', async () => {
    const db = freshDatabasePath();
    await cli(['ingest', evidence(), '--db', db]);
    const sqlFile = join(tempDir('trailsift-sql-'), 'names.sql');
    writeFileSync(sqlFile, '-- count per event name\nselect event_name, count(*) n\n  from events\n group by 1 order by 1\n limit 1;\n');
    const result = await cli(['query', '--file', sqlFile, '--db', db, '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([{ event_name: 'AssumeRole', n: 1 }]);
    const both = await cli(['query', 'select 1', '--file', sqlFile, '--db', db]);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe('trailsift: give the SQL as an argument or with --file, not both\n');
    const neither = await cli(['query', '--db', db]);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/^trailsift: query needs SQL/);
    const missing = await cli(['query', '--file', join(tempDir('trailsift-sql-'), 'none.sql'), '--db', db]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^trailsift: cannot read SQL from .*none\.sql: ENOENT\n$/);
  });

  it('when query is given --file - then it reads the SQL from stdin', async () => {
    const db = freshDatabasePath();
    await cli(['ingest', evidence(), '--db', db]);
    const run = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli', 'main.js'), 'query', '--file', '-', '--db', db, '--format', 'csv'], {
      input: 'select count(*) n from events',
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('n\r\n3\r\n');
  });

  it('when query has a typo then it reports SQLite\'s syntax error with exit 1', async () => {
    const db = freshDatabasePath();
    await cli(['ingest', evidence(), '--db', db]);
    const result = await cli(['query', 'selct * from events', '--db', db]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('trailsift: SQL error: near "selct": syntax error\n');
  });

  it('when the database does not exist then the error says how to create it', async () => {
    const result = await cli(['stats', '--db', '/nonexistent/x.db']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('trailsift: no database at /nonexistent/x.db: run "trailsift ingest <source> --db /nonexistent/x.db" first\n');
  });

  it('when a flag value is wrong then the exit code is 2 and the message names the flag', async () => {
    const result = await cli(['events', '--db', freshDatabasePath(), '--since', 'yesterday']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--since "yesterday" is not a date');
  });

  it('when an unknown command is given then the exit code is 2', async () => {
    expect((await cli(['frobnicate'])).code).toBe(2);
  });
});

describe('events limits', () => {
  /** 150 DescribeInstances records in one file. */
  function manyEvents(): string {
    const root = tempDir();
    const records = Array.from({ length: 150 }, (_, n) => record({ eventID: eventId(5000 + n), eventTime: `2026-03-05T10:${String(Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}Z` }));
    writeFile(root, 'many.json', JSON.stringify({ Records: records }));
    return root;
  }

  it('when events are exported as csv, json or jsonl then every matching row is there, with no default limit', async () => {
    const db = freshDatabasePath();
    await cli(['ingest', manyEvents(), '--db', db]);
    const csv = await cli(['events', '--db', db, '--format', 'csv']);
    expect(csv.stdout.trimEnd().split('\r\n')).toHaveLength(151);
    const json = await cli(['events', '--db', db, '--format', 'json']);
    expect(JSON.parse(json.stdout)).toHaveLength(150);
    const jsonl = await cli(['events', '--db', db, '--format', 'jsonl']);
    expect(jsonl.stdout.trimEnd().split('\n')).toHaveLength(150);
    expect(csv.stderr + json.stderr + jsonl.stderr).not.toContain('showing');
  });

  it('when the table stops at its default of 100 then stderr says how many there were and how to see them; --limit 0 shows all', async () => {
    const db = freshDatabasePath();
    await cli(['ingest', manyEvents(), '--db', db]);
    const table = await cli(['events', '--db', db]);
    expect(table.stderr).toContain('showing 100 of 150 (use --limit N or --limit 0)');
    const all = await cli(['events', '--db', db, '--limit', '0', '--format', 'json']);
    expect(JSON.parse(all.stdout)).toHaveLength(150);
    const some = await cli(['events', '--db', db, '--limit', '20', '--format', 'json']);
    expect(JSON.parse(some.stdout)).toHaveLength(20);
    expect(some.stderr).toContain('showing 20 of 150');
    expect((await cli(['events', '--db', db, '--limit', 'x'])).code).toBe(2);
  });
});

describe('ingest of nothing', () => {
  it('when the source cannot be read then the ingest fails with one line and creates no database', async () => {
    const db = freshDatabasePath();
    const result = await cli(['ingest', `${tempDir()}/no-such-folder`, '--db', db]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot read .*no-such-folder: no such file or folder/);
    expect(existsSync(db)).toBe(false);
    expect(existsSync(`${db}.ingest-lock`)).toBe(false);
  });

  it.each([
    ['an empty folder', (root: string) => root],
    ['a folder of JSON that is not CloudTrail', (root: string) => (writeFile(root, 'notes.json', JSON.stringify([{ hello: 'world' }])), root)],
  ])('when %s is ingested then it warns that no CloudTrail log files were found, and exits 0', async (_name, make) => {
    const db = freshDatabasePath();
    const root = make(tempDir());
    const result = await cli(['ingest', root, '--db', db]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`warning: no CloudTrail log files found under ${root}`);
  });
});
