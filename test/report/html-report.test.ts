/**
 * `trailsift report`: the HTML case file, written by the real command in-process, opened
 * in Debian's Chromium from file:// with every request recorded. Each test ingests into
 * its own temporary database; the browser is shared by the file.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/correlate/incident.js';
import { CONTENT_SECURITY_POLICY, renderHtmlReport } from '../../src/report/html-report.js';
import { renderIncidentsTable } from '../../src/report/incident-table.js';
import { breakable, escapeHtml, fragmentId, identifier } from '../../src/report/html-escape.js';
import { browserTestsRun, externalRequests, launchBrowser, type OpenedPage, openPage, screenshot } from '../support/browser.js';
import { run } from '../../src/cli/program.js';
import { cli } from '../support/cli.js';
import { record, tempDir } from '../support/cloudtrail.js';
import { freshDatabasePath, ingestLocal, investigatedArchive } from '../support/database.js';
import { scenarioDatabase, scenarioIncidents } from '../support/scenario.js';
import { HOSTILE, hostileIncident, SHELLY } from './hostile-incident.js';

interface ExpectedIncident {
  id: string;
  outcome: string;
  instanceProfile: { name: string };
  affectedInstances: Array<{ instanceId: string }>;
  expectedRecommendationIds: string[];
}

const EXPECTED = JSON.parse(readFileSync(new URL('../../fixtures/scenario/expected.json', import.meta.url), 'utf8')) as { incidents: ExpectedIncident[] };
const DELETED = EXPECTED.incidents.find((incident) => incident.outcome === 'deleted' && incident.instanceProfile.name === 'web-app-profile')!;
const ORIGIN = 'arn:aws:iam::222222222222:user/deploy-bot';

let browser: Browser;
const pages: OpenedPage[] = [];
const withBrowser = browserTestsRun();

beforeAll(async () => {
  if (withBrowser) browser = await launchBrowser();
});

afterAll(async () => {
  for (const page of pages) await page.close().catch(() => undefined);
  await browser?.close();
});

/** Runs `trailsift report … --out <temp>.html` in-process and returns the file written. */
async function report(db: string, args: string[]): Promise<string> {
  const out = join(tempDir('trailsift-report-'), 'case.html');
  const result = await cli(['report', ...args, '--db', db, '--out', out]);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toContain('report written to');
  return out;
}

interface DOMRectLike {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const ATTACK_DELETION_ID = '00000000-0000-4000-8000-0000000a7001';

/**
 * A generated incident: web-profile made (and given its role) at `profileCreatedAt`, then
 * nine minutes of attack: a key created for mallory, an AssumeRole with it, the deletion.
 */
function attackArchive(profileCreatedAt: string): string {
  const ops = { type: 'IAMUser', principalId: 'AIDAOPS', arn: 'arn:aws:iam::111111111111:user/ops', accountId: '111111111111', accessKeyId: 'AKIAOPS0000000000001', userName: 'ops' };
  const mallory = { type: 'IAMUser', principalId: 'AIDAMALLORY', arn: 'arn:aws:iam::111111111111:user/mallory', accountId: '111111111111', accessKeyId: 'AKIAMALLORY000000001', userName: 'mallory' };
  const session = 'arn:aws:sts::111111111111:assumed-role/Admin/mallory';
  const created = Date.parse(profileCreatedAt);
  const records = [
    record({ eventTime: profileCreatedAt, eventSource: 'iam.amazonaws.com', eventName: 'CreateInstanceProfile', readOnly: false, userIdentity: ops,
      requestParameters: { instanceProfileName: 'web-profile', path: '/' },
      responseElements: { instanceProfile: { instanceProfileName: 'web-profile', path: '/', arn: 'arn:aws:iam::111111111111:instance-profile/web-profile', roles: [] } } }),
    record({ eventTime: new Date(created + 60_000).toISOString().replace('.000Z', 'Z'), eventSource: 'iam.amazonaws.com', eventName: 'AddRoleToInstanceProfile', readOnly: false, userIdentity: ops,
      requestParameters: { instanceProfileName: 'web-profile', roleName: 'web-role' } }),
    record({ eventTime: '2026-03-07T03:05:00Z', eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', readOnly: false, userIdentity: ops,
      requestParameters: { userName: 'mallory' },
      responseElements: { accessKey: { accessKeyId: 'AKIAMALLORY000000001', userName: 'mallory', status: 'Active', createDate: 'Mar 7, 2026 3:05:00 AM' } } }),
    record({ eventTime: '2026-03-07T03:09:30Z', eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', userIdentity: mallory,
      requestParameters: { roleArn: 'arn:aws:iam::111111111111:role/Admin', roleSessionName: 'mallory' },
      responseElements: { credentials: { accessKeyId: 'ASIAMALLORYSESSION01', expiration: 'Mar 7, 2026 4:09:30 AM', sessionToken: 'x' }, assumedRoleUser: { arn: session, assumedRoleId: 'AROAADMIN:mallory' } } }),
    record({ eventID: ATTACK_DELETION_ID, eventTime: '2026-03-07T03:14:15Z', eventSource: 'iam.amazonaws.com', eventName: 'DeleteInstanceProfile', readOnly: false,
      userIdentity: { type: 'AssumedRole', principalId: 'AROAADMIN:mallory', arn: session, accountId: '111111111111', accessKeyId: 'ASIAMALLORYSESSION01',
        sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111111111111:role/Admin', accountId: '111111111111', userName: 'Admin' }, attributes: { mfaAuthenticated: 'false' } } },
      requestParameters: { instanceProfileName: 'web-profile' } }),
  ];
  const file = join(tempDir('trailsift-attack-'), 'attack.json');
  writeFileSync(file, JSON.stringify({ Records: records }));
  return file;
}

async function attackDatabase(profileCreatedAt: string): Promise<string> {
  const db = freshDatabasePath();
  const { summary } = await ingestLocal(db, [attackArchive(profileCreatedAt)]);
  expect(summary.errors).toBe(0);
  return db;
}

async function open(path: string, viewport?: { width: number; height: number }): Promise<OpenedPage> {
  const page = await openPage(browser, pathToFileURL(path).href, viewport);
  pages.push(page);
  return page;
}

function expectOffline(page: OpenedPage): void {
  expect(page.requests.length).toBeGreaterThan(0);
  expect(externalRequests(page.requests)).toEqual([]);
}

/** In the page: how many lines an element's text is laid out on (distinct tops of its text fragments). */
const LAID_OUT_LINES = `((element) => {
  const tops = new Set();
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) if (rect.width > 0) tops.add(Math.round(rect.top));
  }
  return tops.size;
})`;

async function expectScreenshot(page: OpenedPage, name: string): Promise<void> {
  const path = await screenshot(page.page, `report-${name}`);
  expect(statSync(path).size).toBeGreaterThan(10_000);
}

describe.skipIf(!withBrowser)('trailsift report (in Chromium)', () => {
  it('when the deleted web-app-profile incident is reported then the SVG timeline draws lanes, markers, the deletion and the gap before it', async () => {
    const path = await report(await scenarioDatabase(), ['--incident', DELETED.id]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const opened = await open(path);
    const { page } = opened;
    const svg = page.locator('svg.timeline-svg');
    expect(await svg.count()).toBe(1);
    expect(await svg.isVisible()).toBe(true);
    const lanes = await page.locator('svg.timeline-svg .lane-label').allTextContents();
    expect(lanes.map((label) => label.replace(/ \(\d+\)$/, ''))).toEqual(['logging', 'discovery', 'credential', 'session', 'profile', 'ec2', 'deletion']);
    // Each lane has its own colour, and the event table's category dots use the same ones.
    const laneColours = await page.locator('svg.timeline-svg .lane-label').evaluateAll((labels) => labels.map((label) => label.getAttribute('fill')));
    expect(new Set(laneColours).size).toBe(7);
    const markers = page.locator('svg.timeline-svg a.mk-link');
    expect(await markers.count()).toBe(22);
    expect(await page.locator('svg.timeline-svg .mk-main').count()).toBe(1);
    expect(await page.locator('svg.timeline-svg .mk-deletion').count()).toBe(2);
    expect(await page.locator('svg.timeline-svg .mk-main > title').textContent()).toContain('DeleteInstanceProfile');
    expect(await page.locator('svg.timeline-svg .tick').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('svg.timeline-svg .gap-label').textContent()).toBe('first credential change (CreateAccessKey) 1 d 1 h before the deletion');
    expect(await page.locator('svg.timeline-svg .deletion-label').textContent()).toBe('DeleteInstanceProfile 2026-03-06 03:14:15Z');
    // Every marker links to an existing row of the event table.
    const targets = await markers.evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    for (const href of targets) expect(await page.locator(`[id="${href!.slice(1)}"]`).count()).toBe(1);
    await page.locator('svg.timeline-svg a.mk-link:has(.mk-main)').click();
    expect(new URL(page.url()).hash).toBe(`#ev-${DELETED.id}`);
    expectOffline(opened);
    await expectScreenshot(opened, 'timeline');
  });

  it('when a nine-minute attack ends a six-day timeline then the zoomed inset draws its markers inside the SVG, apart, and linked to their rows', async () => {
    const opened = await open(await report(await attackDatabase('2026-03-01T08:00:00Z'), ['--incident', ATTACK_DELETION_ID]));
    const { page } = opened;
    const inset = page.locator('svg.timeline-svg g.zoom');
    expect(await inset.count()).toBe(1);
    expect(await page.locator('svg.timeline-svg g.zoom-mark').isVisible()).toBe(true);
    const box = (await page.locator('svg.timeline-svg').boundingBox())!;
    const lanes = await inset.locator('.lane rect').evaluateAll((rects) => rects.map((rect) => rect.getBoundingClientRect().toJSON() as DOMRectLike));
    const laneTop = Math.min(...lanes.map((lane) => lane.top));
    const laneBottom = Math.max(...lanes.map((lane) => lane.bottom));
    const markers = await inset.locator('.mk').evaluateAll((marks) => marks.map((mark) => mark.getBoundingClientRect().toJSON() as DOMRectLike));
    expect(markers).toHaveLength(3);
    for (const marker of markers) {
      expect(marker.left).toBeGreaterThanOrEqual(box.x);
      expect(marker.right).toBeLessThanOrEqual(box.x + box.width);
      expect(marker.top).toBeGreaterThanOrEqual(laneTop);
      expect(marker.bottom).toBeLessThanOrEqual(laneBottom);
    }
    for (const [index, a] of markers.entries()) {
      for (const b of markers.slice(index + 1)) expect(a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top).toBe(true);
    }
    // Tick labels of the inset sit inside the SVG and do not run into each other.
    const ticks = await inset.locator('.tick').evaluateAll((labels) => labels.map((label) => label.getBoundingClientRect().toJSON() as DOMRectLike));
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    for (const [index, tick] of ticks.entries()) {
      expect(tick.left).toBeGreaterThanOrEqual(box.x);
      expect(tick.bottom).toBeLessThanOrEqual(box.y + box.height);
      if (index > 0) expect(tick.left).toBeGreaterThan(ticks[index - 1]!.right);
    }
    await inset.locator('a.mk-link:has(.mk-main)').click();
    expect(new URL(page.url()).hash).toBe(`#ev-${ATTACK_DELETION_ID}`);
    expectOffline(opened);
    await expectScreenshot(opened, 'timeline-zoom');
  });

  it('when an incident is reported then the actor chain runs from the key creator through the origin across the account boundary to the acting session', async () => {
    const page = await open(await report(await scenarioDatabase(), ['--incident', DELETED.id]));
    const chain = page.page.locator('.chain');
    expect(await chain.isVisible()).toBe(true);
    const nodes = await chain.locator('.node').evaluateAll((elements) =>
      elements.map((element) => [element.querySelector('.node-role')?.textContent, element.querySelector('.node-id')?.textContent]),
    );
    expect(nodes).toEqual([
      ['key creator', 'arn:aws:iam::222222222222:user/ops-admin'],
      ['origin', ORIGIN],
      ['hop 1', 'arn:aws:sts::111111111111:assumed-role/OrgAdminAccess/deploy-bot'],
      ['acting session', 'arn:aws:sts::111111111111:assumed-role/InfraAdmin/maint'],
      ['instance profile', 'arn:aws:iam::111111111111:instance-profile/app/web-app-profile'],
    ]);
    expect(await chain.locator('.account-label').allTextContents()).toEqual(['account 222222222222', 'account 111111111111']);
    expect(await chain.locator('.boundary-label').allTextContents()).toEqual(['account boundary: 222222222222 → 111111111111']);
    expect(await chain.locator('.edge-event').allTextContents()).toEqual(['CreateAccessKey', 'AssumeRole', 'AssumeRole', 'DeleteInstanceProfile']);
    expect(await chain.textContent()).toContain('ops-admin');
    expect(await chain.textContent()).toContain('AKIAHV7MGJ5SLMZ4HGXQ');
    expectOffline(page);
    await expectScreenshot(page, 'chain');
  });

  it('when an incident is reported then its affected instances, recommendations with commands, and linked evidence are on the page', async () => {
    const page = await open(await report(await scenarioDatabase(), ['--incident', DELETED.id]));
    const text = (await page.page.locator('body').innerText()).replace(/\s+/g, ' ');
    for (const instance of DELETED.affectedInstances) expect(text).toContain(instance.instanceId);
    expect(text).toContain('lt-08702000d9616ea6a');
    expect(text).toContain('web-app-lc');
    expect(await page.page.locator('table.instances tbody tr').count()).toBe(DELETED.affectedInstances.length);
    const recommendationIds = await page.page.locator('li.rec .rec-id').allTextContents();
    expect(recommendationIds).toEqual(expect.arrayContaining(DELETED.expectedRecommendationIds));
    const restore = page.page.locator('li.rec', { has: page.page.locator('.rec-id', { hasText: /^restore-instance-profile$/ }) });
    // The CLI block, then the boto3 block.
    expect(await restore.locator('pre.commands code').first().textContent()).toContain(
      'aws iam create-instance-profile --profile "$TRAILSIFT_PROFILE_111111111111" --instance-profile-name web-app-profile --path /app/',
    );
    expect(await restore.locator('pre.commands code').nth(1).textContent()).toContain(
      'session("111111111111").client("iam").create_instance_profile(InstanceProfileName="web-app-profile", Path="/app/")',
    );
    expect(await restore.locator('.evidence a').getAttribute('href')).toBe(`#ev-${DELETED.id}`);
    // The verdict shows the impact; each signal has a severity, an id, a summary and its evidence, linked when in the table.
    expect(await page.page.locator('header.verdict h2 .chip').allTextContents()).toEqual(['suspicious', 'critical', 'impact: broken']);
    const signals = page.page.locator('ul.signals li.signal');
    expect(await signals.count()).toBeGreaterThan(0);
    for (const signal of await signals.all()) {
      expect(await signal.locator('.chip').textContent()).toMatch(/^(info|low|medium|high|critical)$/);
      expect(await signal.locator('.sig-id').textContent()).toMatch(/^[a-z-]+$/);
      expect(await signal.locator('.evidence .evlink').count()).toBeGreaterThan(0);
    }
    for (const href of await page.page.locator('ul.signals a.evlink').evaluateAll((links) => links.map((link) => link.getAttribute('href')))) {
      expect(await page.page.locator(`[id="${href!.slice(1)}"]`).count()).toBe(1);
    }
    expect(await page.page.locator('table.instances thead th').allTextContents()).toContain('association');
    expectOffline(page);
    await expectScreenshot(page, 'incident');
  });

  it('when the deletion row of the event table is clicked then it expands to the raw record, pretty-printed', async () => {
    const page = await open(await report(await scenarioDatabase(), ['--incident', DELETED.id]));
    const row = page.page.locator(`details#ev-${DELETED.id}`);
    expect(await page.page.locator('.events details.ev').count()).toBe(22);
    expect(await row.getAttribute('open')).toBeNull();
    const raw = row.locator('pre.record');
    expect(await raw.isVisible()).toBe(false);
    await row.locator('summary').click();
    expect(await row.getAttribute('open')).not.toBeNull();
    expect(await raw.isVisible()).toBe(true);
    const recordText = (await raw.textContent())!;
    expect(recordText).toContain('"eventName": "DeleteInstanceProfile"');
    expect(recordText).toContain(`"eventID": "${DELETED.id}"`);
    expect(JSON.parse(recordText)).toMatchObject({ eventID: DELETED.id, eventName: 'DeleteInstanceProfile' });
    expectOffline(page);
    await expectScreenshot(page, 'expanded-row');
  });

  it('when --all is reported then a summary table links to every incident section and no anchor is duplicated', async () => {
    const page = await open(await report(await scenarioDatabase(), ['--all']));
    const links = await page.page.locator('section.summary tbody tr td:first-child a').evaluateAll((elements) => elements.map((element) => element.getAttribute('href')));
    expect(links).toEqual(EXPECTED.incidents.map((_, index) => `#incident-${index + 1}`));
    expect(await page.page.locator('section.incident').count()).toBe(EXPECTED.incidents.length);
    expect(await page.page.locator('svg.timeline-svg').count()).toBe(EXPECTED.incidents.length);
    const duplicates = await page.page.evaluate(
      'Object.entries([...document.querySelectorAll("[id]")].reduce((seen, element) => ({ ...seen, [element.id]: (seen[element.id] ?? 0) + 1 }), {})).filter(([, count]) => count > 1)',
    );
    expect(duplicates).toEqual([]);
    const broken = await page.page.evaluate('[...document.querySelectorAll("a[href^=\'#\']")].map((a) => a.getAttribute("href").slice(1)).filter((id) => !document.getElementById(id))');
    expect(broken).toEqual([]);
    expectOffline(page);
    await expectScreenshot(page, 'all');
  });

  it('when the page is read on a narrow screen then key IDs, event IDs, instance IDs and ARN parts each stay on one line', async () => {
    const opened = await open(await report(await scenarioDatabase(), ['--incident', DELETED.id]), { width: 420, height: 900 });
    const { page } = opened;
    await page.locator(`details#ev-${DELETED.id} summary`).click();
    const lines = (selector: string): Promise<Array<[string, number]>> =>
      page.evaluate(`[...document.querySelectorAll(${JSON.stringify(selector)})].map((element) => [element.textContent, ${LAID_OUT_LINES}(element)])`);
    const keys = await lines('.chain .node-meta .mono');
    expect(keys.map(([text]) => text)).toContain('AKIAHV7MGJ5SLMZ4HGXQ');
    const eventIds = await lines(`header.verdict dl.facts .evlink, details#ev-${DELETED.id} .raw-head .mono`);
    expect(eventIds.map(([text]) => text)).toEqual([DELETED.id, DELETED.id]);
    const instances = await lines('table.instances tbody td:first-child');
    expect(instances.map(([text]) => text).sort()).toEqual(DELETED.affectedInstances.map((instance) => instance.instanceId).sort());
    const arnParts = await lines('.chain .node-id .nb');
    expect(arnParts.map(([text]) => text)).toContain('instance-profile/');
    for (const [text, count] of [...keys, ...eventIds, ...instances, ...arnParts]) expect(count, text).toBe(1);
    // The screen is narrow enough that ARNs do wrap, between their parts.
    const arns = await lines('.chain .node-acting .node-id');
    expect(arns[0]![1]).toBeGreaterThan(1);
    expectOffline(opened);
    await expectScreenshot(opened, 'narrow');
  });

  it('when commands and a raw record are shown then long lines scroll sideways instead of wrapping and placeholders are marked', async () => {
    const { page } = await open(await report(await scenarioDatabase(), ['--incident', DELETED.id]), { width: 900, height: 900 });
    await page.locator(`details#ev-${DELETED.id} summary`).click();
    const blocks = (await page.evaluate(`[...document.querySelectorAll(${JSON.stringify(`pre.commands, details#ev-${DELETED.id} pre.record`)})].map((pre) => ({
      whiteSpace: getComputedStyle(pre).whiteSpace,
      overflowX: getComputedStyle(pre).overflowX,
      overflows: pre.scrollWidth > pre.clientWidth,
      lines: pre.textContent.split('\\n').filter((line) => line.trim() !== '').length,
      laidOut: ${LAID_OUT_LINES}(pre),
    }))`)) as Array<{ whiteSpace: string; overflowX: string; overflows: boolean; lines: number; laidOut: number }>;
    expect(blocks.length).toBeGreaterThan(2);
    for (const block of blocks) {
      expect(block.whiteSpace).toBe('pre');
      expect(block.overflowX).toBe('auto');
      // One laid-out line per line of text: none wrapped.
      expect(block.laidOut).toBe(block.lines);
    }
    expect(blocks.some((block) => block.overflows)).toBe(true);
    const marks = await page.locator('pre.commands mark.placeholder').allTextContents();
    expect(marks).toEqual(expect.arrayContaining(['<code-1>', '<code-2>', '<deployment-role>', '<management-account-profile>']));
    for (const mark of marks) expect(mark).toMatch(/^<[A-Za-z][A-Za-z0-9_-]*>$/);
    // Every placeholder in the commands is marked, and marking changed none of their text.
    const codeText = (await page.locator('pre.commands code').allTextContents()).join('\n');
    expect(marks).toHaveLength(codeText.match(/<[A-Za-z][A-Za-z0-9_-]*>/g)!.length);
    expect(codeText).toContain('--authentication-code1 <code-1> --authentication-code2 <code-2>');
  });

  it('when a record carries script, event handlers and markup then nothing runs, no dialog opens, and the text shows as text', async () => {
    const dir = tempDir('trailsift-hostile-');
    const script = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';
    const session = 'x"><svg onload=alert(1)>';
    const sessionArn = `arn:aws:sts::111111111111:assumed-role/Admin/${session}`;
    const deletionId = '00000000-0000-4000-8000-00000000d001';
    const records = [
      record({
        eventID: '00000000-0000-4000-8000-00000000d002',
        eventTime: '2026-03-05T02:12:00Z',
        eventSource: 'iam.amazonaws.com',
        eventName: 'CreateAccessKey',
        readOnly: false,
        userIdentity: { type: 'IAMUser', principalId: 'AIDAOPS', arn: 'arn:aws:iam::222222222222:user/ops-admin', accountId: '222222222222', accessKeyId: 'AKIAOPSADMIN00000001', userName: 'ops-admin' },
        requestParameters: { userName: 'deploy-bot' },
        responseElements: { accessKey: { accessKeyId: 'AKIADEPLOYBOT0000001', userName: 'deploy-bot', status: 'Active', createDate: 'Mar 5, 2026 2:12:00 AM' } },
        recipientAccountId: '222222222222',
      }),
      record({
        eventID: '00000000-0000-4000-8000-00000000d003',
        eventTime: '2026-03-06T03:00:00Z',
        eventSource: 'sts.amazonaws.com',
        eventName: 'AssumeRole',
        userIdentity: { type: 'IAMUser', principalId: 'AIDABOT', arn: 'arn:aws:iam::222222222222:user/deploy-bot', accountId: '222222222222', accessKeyId: 'AKIADEPLOYBOT0000001', userName: 'deploy-bot' },
        requestParameters: { roleArn: 'arn:aws:iam::111111111111:role/Admin', roleSessionName: session },
        responseElements: { credentials: { accessKeyId: 'ASIAHOSTILESESSION01', expiration: 'Mar 6, 2026 4:00:00 AM', sessionToken: 'x' }, assumedRoleUser: { arn: sessionArn, assumedRoleId: `AROAADMIN:${session}` } },
        recipientAccountId: '222222222222',
      }),
      record({
        eventID: deletionId,
        eventTime: '2026-03-06T03:14:15Z',
        eventSource: 'iam.amazonaws.com',
        eventName: 'DeleteInstanceProfile',
        readOnly: false,
        userAgent: script,
        sourceIPAddress: '203.0.113.66',
        userIdentity: {
          type: 'AssumedRole',
          principalId: `AROAADMIN:${session}`,
          arn: sessionArn,
          accountId: '111111111111',
          accessKeyId: 'ASIAHOSTILESESSION01',
          sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111111111111:role/Admin', accountId: '111111111111', userName: 'Admin' }, attributes: { mfaAuthenticated: 'false' } },
        },
        requestParameters: { instanceProfileName: `web${session}` },
      }),
    ];
    writeFileSync(join(dir, 'hostile.json'), JSON.stringify({ Records: records }));
    const db = freshDatabasePath();
    const { summary } = await ingestLocal(db, [join(dir, 'hostile.json')]);
    expect(summary.errors).toBe(0);
    const path = await report(db, ['--incident', deletionId]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const html = readFileSync(path, 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<svg onload/i);

    const page = await open(path);
    expect(await page.page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(page.dialogs).toEqual([]);
    expect(await page.page.locator('script, img, [onload], [onerror]').count()).toBe(0);
    // The hostile strings are on the page, as text.
    expect(await page.page.getByText(script, { exact: true }).first().isVisible()).toBe(true);
    expect(await page.page.locator('.chain .node-acting .node-id').textContent()).toBe(sessionArn);
    expect(await page.page.locator('svg.timeline-svg .mk-main > title').textContent()).toContain(`web${session}`);
    // Opening the raw record shows the script as JSON text, and still nothing runs.
    await page.page.locator(`details#ev-${fragmentId(deletionId)} summary`).click();
    expect(await page.page.locator(`details#ev-${fragmentId(deletionId)} pre.record`).textContent()).toContain(JSON.stringify(script).slice(1, -1));
    expect(await page.page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(page.dialogs).toEqual([]);
    expectOffline(page);
    await expectScreenshot(page, 'hostile');
  });

  it('when a hand-made incident fills every new field with markup then signals, sign-in, Identity Center, creator chain and associations show it as text and nothing runs', async () => {
    const path = join(tempDir('trailsift-hostile-'), 'new-fields.html');
    writeFileSync(path, renderHtmlReport({ incidents: [hostileIncident()], records: {}, title: 'hostile' }));
    const page = await open(path);
    expect(page.dialogs).toEqual([]);
    expect(await page.page.locator('script, img, iframe, [onload], [onerror]').count()).toBe(0);
    const summary = await page.page.locator('ul.signals .sig-summary').first().textContent();
    expect(summary).toContain('<script>alert(1)</script>&amp;');
    expect(summary).toContain('\\x1b[2J');
    expect(summary).toContain('\\u202eRLO');
    const facts = await page.page.locator('header.verdict dl.facts').innerText();
    expect(facts).toContain('console sign-in');
    expect(facts).toContain('Identity Center');
    expect(await page.page.locator('.chain .node-creator-origin .node-label').textContent()).toContain('EC2 instance i-evil\\x1b[2J');
    expect(await page.page.locator('.chain .node-creator-origin .node-label').textContent()).toContain('<script>alert(1)</script>');
    expect(await page.page.locator('table.instances tbody tr').nth(1).innerText()).toContain('stopped: starts without its role');
    expectOffline(page);
    await expectScreenshot(page, 'hostile-new-fields');
  });
});

describe('trailsift report (command)', () => {
  it('when neither or both of --incident and --all are given then it stops with a usage error', async () => {
    const db = freshDatabasePath();
    for (const args of [[], ['--all', '--incident', DELETED.id]]) {
      const result = await cli(['report', ...args, '--db', db]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('exactly one of --incident <eventId> or --all');
    }
  });

  it('when report has no --out and stdout is a terminal then it refuses and suggests a file name; piped, it writes the HTML', async () => {
    const db = await scenarioDatabase();
    let stdout = '';
    let stderr = '';
    const terminal = {
      stdout: { write: (text: string) => (stdout += text), isTTY: true },
      stderr: { write: (text: string) => (stderr += text), isTTY: true },
      env: {},
    };
    const code = await run(['report', '--incident', '07c158d3-0452-4808-9bc3-4507c3c31a5a', '--db', db], terminal);
    expect([code, stdout, stderr]).toEqual([2, '', 'trailsift: report writes HTML: add --out trailsift-07c158d3-0452-4808-9bc3-4507c3c31a5a.html (or redirect stdout to a file)\n']);
    const piped = await cli(['report', '--all', '--db', db]);
    expect(piped.code).toBe(0);
    expect(piped.stdout).toMatch(/^<!doctype html>/i);
  });

  it('when the incident does not exist then it fails and writes nothing', async () => {
    const db = await scenarioDatabase();
    const out = join(tempDir('trailsift-report-'), 'none.html');
    const result = await cli(['report', '--incident', 'no-such-event', '--db', db, '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no event with ID no-such-event in this database');
    expect(() => statSync(out)).toThrow();
  });

  it('when --out is not given then the HTML goes to stdout', async () => {
    const result = await cli(['report', '--incident', DELETED.id, '--db', await scenarioDatabase()]);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(result.stdout).toContain(`id="ev-${DELETED.id}"`);
  });
});

describe('renderHtmlReport', () => {
  const CSP_META = `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY.replace(/'/g, '&#39;')}">`;

  function render(incidents: Incident[]): string {
    return renderHtmlReport({ incidents, records: {}, title: 'case' });
  }

  it('when any report is rendered then the CSP allows no script and no load and comes before any data', () => {
    const page = render([hostileIncident()]);
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('script-src');
    expect(page.indexOf(CSP_META)).toBeGreaterThan(0);
    expect(page.indexOf(CSP_META)).toBeLessThan(page.indexOf('<title>'));
    expect(page).not.toMatch(/<script|<img|<iframe|<link|<object|<embed|@import|url\(/i);
    expect(page).not.toMatch(/\son[a-z]+\s*=/i);
  });

  it('when record values carry markup, quotes and controls then every id and href is [A-Za-z0-9_-] and no raw tag leaks', () => {
    const page = render([hostileIncident()]);
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;');
    expect(page).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    for (const [, value] of page.matchAll(/\sid="([^"]*)"/g)) expect(value).toMatch(/^[A-Za-z0-9_-]+$/);
    for (const [, value] of page.matchAll(/\shref="([^"]*)"/g)) expect(value).toMatch(/^#[A-Za-z0-9_-]+$/);
  });

  it('when an incident has a dependent resource then the impact lists it with its status and failures, escaped', () => {
    const page = render([hostileIncident()]);
    expect(page).toContain('<h4>Resources of other services that keep the profile</h4>');
    expect(page).toContain('alive: its next launch fails');
    const section = page.slice(page.indexOf('Resources of other services that keep the profile'));
    expect(section).toContain('compute-environment/evil');
    expect(section.slice(0, section.indexOf('</table>'))).not.toContain('<script>');
    expect(render([hostileIncident({ dependentResources: [] })])).not.toContain('Resources of other services');
  });

  it('when a timeline has one event, or all events at one instant, then the SVG still has finite coordinates and ticks', () => {
    const base = hostileIncident();
    const entry = { ...base.timeline[0]!, eventId: base.id };
    const single = hostileIncident({ timeline: [entry] });
    const sameTime = hostileIncident({
      timeline: [entry, { ...entry, eventId: 'b', category: 'credential' }, { ...entry, eventId: 'c', category: 'ec2' }],
      credentialChanges: [],
    });
    for (const incident of [single, sameTime]) {
      const page = render([incident]);
      const svg = page.slice(page.indexOf('<svg class="timeline-svg"'), page.indexOf('</svg>', page.indexOf('<svg class="timeline-svg"')));
      expect(svg).not.toMatch(/NaN|Infinity/);
      expect(svg.match(/class="tick"/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
      expect(svg).toContain('mk-main');
    }
  });

  it('when record times span centuries or are not times at all then the axis keeps a handful of ticks and the bad time is left out of the drawing', () => {
    const base = hostileIncident();
    const entry = { ...base.timeline[0]!, eventId: base.id };
    const incident = hostileIncident({
      timeline: [
        { ...entry, eventId: 'old', eventTime: '1970-01-01T00:00:00Z', category: 'ec2' },
        entry,
        { ...entry, eventId: 'far', eventTime: '+275760-09-13T00:00:00Z', category: 'profile' },
        { ...entry, eventId: 'bad', eventTime: 'not a time', category: 'session' },
      ],
    });
    const page = render([incident]);
    const svg = page.slice(page.indexOf('<svg class="timeline-svg"'), page.indexOf('</svg>', page.indexOf('<svg class="timeline-svg"')));
    expect(svg).not.toMatch(/NaN|Infinity/);
    // The deletion is a sliver of centuries: the zoomed inset under the main plot has its own axis.
    expect(svg).toContain('<g class="zoom"');
    const mainPlot = svg.slice(0, svg.indexOf('<g class="zoom"'));
    const ticks = mainPlot.match(/class="tick"/g)?.length ?? 0;
    expect(ticks).toBeGreaterThanOrEqual(1);
    expect(ticks).toBeLessThanOrEqual(10);
    expect(mainPlot.match(/class="mk-link"/g)).toHaveLength(3);
    // The unparseable event is still in the event table.
    expect(page).toContain('id="ev-bad"');
  });

  it('when the new fields carry hostile values then impact, signals, sign-in, Identity Center, labels, creator chain and associations appear, escaped', () => {
    const base = hostileIncident();
    const incident = hostileIncident({
      actor: { ...base.actor, origin: { ...base.actor.origin, instanceId: `i-${HOSTILE}`, label: HOSTILE } },
      affectedInstances: base.affectedInstances.map((instance, index) => (index === 1 ? { ...instance, associationId: 'iip-assoc-0e548ca5d9a8b3a55' } : instance)),
    });
    const page = render([incident]);
    const shown = escapeHtml(HOSTILE);
    expect(shown).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;');
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);

    // Impact: a chip next to classification and severity, and in the verdict sentence.
    expect(page).toContain('<span class="chip sev-critical">critical</span> <span class="chip impact-broken" title="impact of the deletion">impact: broken</span></h2>');
    expect(page).toContain(`<p class="verdict-text">${breakable('SUSPICIOUS (critical, impact: broken): ').value}`);

    // Signals: escaped summary, evidence linked to its event row when the row exists, plain text otherwise.
    const signals = page.slice(page.indexOf('<ul class="signals">'), page.indexOf('</ul>\n<h3', page.indexOf('<ul class="signals">')));
    expect(signals).toContain(`<span class="chip sev-high">high</span> <code class="sig-id">offensive-tool-user-agent</code> <span class="sig-summary">${breakable(HOSTILE).value}</span>`);
    expect(signals).toContain(`<a class="evlink" href="#ev-${fragmentId(HOSTILE)}">${shown}</a>`);
    expect(signals).toContain(`<span class="sig-summary">${breakable(`address ${SHELLY}`).value}</span>`);
    expect(signals).toContain(`<span class="evlink">${escapeHtml(SHELLY)}</span>`);

    // The actor: origin label and instance, console sign-in, Identity Center.
    expect(page).toContain(`<dt>origin</dt><dd><span class="mono wrap">${identifier(`arn:aws:iam::222222222222:user/${SHELLY}`).value}</span> <span class="dim">(${breakable(HOSTILE).value})</span></dd>`);
    expect(page).toContain(`<dt>origin instance</dt><dd><span class="mono">i-${shown}</span></dd>`);
    expect(page).toContain(
      `<dt>console sign-in</dt><dd>ConsoleLogin <span class="mono"><span class="evlink">login-${shown}</span></span> at <span class="mono">2026-03-06 03:14:15Z</span> from <span class="mono">${shown}</span> · MFA used: <span class="mfa-no">no</span></dd>`,
    );
    expect(page).toContain(`<dt>Identity Center</dt><dd>user <span class="mono">${shown}</span> (user ID <span class="mono">${shown}</span>, identity store <span class="mono wrap">${identifier(HOSTILE).value}</span>)`);
    expect(page).toContain(`GetRoleCredentials <span class="mono"><span class="evlink">sso-${shown}</span></span>`);

    // The chain starts at the key creator's origin (the EC2 instance), then the creator, the origin, the acting session.
    const roles = [...page.matchAll(/<div class="node-role">([^<]*)<\/div>/g)].map((match) => match[1]);
    expect(roles).toEqual(['key creator&#39;s origin', 'key creator', 'origin', 'acting session', 'instance profile']);
    expect(page).toContain(`<div class="node-id mono"><span class="nb">ec2.amazonaws.com</span></div>\n<div class="node-label">${breakable(`EC2 instance i-${HOSTILE}`).value}</div>`);
    expect(page).toContain(`<span class="evlink">AssumeRole</span>`);
    expect(page).toContain('issued key AKIAHOSTILE000000002');

    // Affected instances: the association column and the stopped status.
    expect(page).toContain('<th>association</th>');
    expect(page).toContain(`<td class="mono">${shown}</td>`);
    expect(page).toContain('<td class="mono">iip-assoc-0e548ca5d9a8b3a55</td>');
    expect(page).toContain('<span class="chip sev-medium">stopped: starts without its role</span>');
    expect(page).toContain('<tr class="status-stopped-at-deletion">');

    for (const [, value] of page.matchAll(/\sid="([^"]*)"/g)) expect(value).toMatch(/^[A-Za-z0-9_-]+$/);
    for (const [, value] of page.matchAll(/\sclass="([^"]*)"/g)) expect(value).toMatch(/^[A-Za-z0-9_ -]+$/);
    for (const [, value] of page.matchAll(/\shref="([^"]*)"/g)) expect(value).toMatch(/^#[A-Za-z0-9_-]+$/);
  });

  it('when commands hold placeholders and hostile record text then the marks are the only markup inside the code blocks', () => {
    const page = render([hostileIncident()]);
    const blocks = [...page.matchAll(/<pre class="commands"><code>([\s\S]*?)<\/code><\/pre>/g)].map((match) => match[1]!);
    expect(blocks.length).toBeGreaterThan(0);
    const marked = /<mark class="placeholder">(&lt;[A-Za-z][A-Za-z0-9_-]*&gt;)<\/mark>/g;
    const names = blocks.flatMap((block) => [...block.matchAll(marked)].map((match) => match[1]));
    expect(names).toEqual(expect.arrayContaining(['&lt;code-1&gt;', '&lt;sns-topic-arn&gt;', '&lt;management-account-profile&gt;']));
    for (const block of blocks) expect(block.replace(marked, '$1')).not.toMatch(/[<>]/);
    // The record's markup stays text, marked or not: `<script>` looks like a placeholder, as the scripts also treat it.
    expect(page).not.toContain('<script>');
  });

  it('when a chain crosses accounts then the HTML boundary labels name the accounts in the order the text output reads the chain, origin first', async () => {
    const incidents = await scenarioIncidents();
    const crossing = incidents.filter((incident) => new Set([...incident.actor.chain.map((hop) => hop.accountId), incident.actor.accountId]).size > 1);
    expect(crossing.length).toBeGreaterThanOrEqual(2);
    for (const incident of crossing) {
      // The text output: `Chain (origin → acting session):`, one identity a line; accounts as its ARNs name them.
      const text = renderIncidentsTable([incident]);
      const chain = text.slice(text.indexOf('Chain (origin → acting session):'), text.indexOf('Key provenance:'));
      const identities = chain.split('\n').filter((line) => /^ {2}(origin|hop|acting)/.test(line));
      const accounts = identities.flatMap((line) => /arn:aws:[a-z]+::(\d{12}):/.exec(line)?.[1] ?? []).filter((account, index, all) => account !== all[index - 1]);
      expect(accounts.length).toBeGreaterThan(1);
      const page = render([incident]);
      const labels = [...page.matchAll(/<span class="boundary-label">([^<]*)<\/span>/g)].map((match) => match[1]);
      expect(labels, incident.id).toEqual(accounts.slice(1).map((to, index) => `account boundary: ${accounts[index]} → ${to}`));
      // The boxes come in that order too, down the page, ending with the acting session's.
      const boxes = [...page.matchAll(/<div class="account-label">account <span class="mono">(\d{12})<\/span>/g)].map((match) => match[1]);
      expect(boxes.slice(-accounts.length)).toEqual(accounts);
    }
  });

  it('when events spread over six days and the attack took nine minutes then a zoomed inset under the main axis covers those minutes', async () => {
    const [incident] = await investigatedArchive(attackArchive('2026-03-01T08:00:00Z'), 'attack');
    const page = render([incident!]);
    const svg = page.slice(page.indexOf('<svg class="timeline-svg"'), page.indexOf('</svg>'));
    expect(svg).not.toMatch(/NaN|Infinity/);
    const at = svg.indexOf('<g class="zoom"');
    expect(at).toBeGreaterThan(0);
    const [mainPlot, inset] = [svg.slice(0, at), svg.slice(at)];
    const ticks = (part: string): string[] => [...part.matchAll(/<text class="tick"[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]!);
    // Main axis: days. Inset: minutes of 2026-03-07, from before the CreateAccessKey (03:05) to after the deletion (03:14:15).
    expect(ticks(mainPlot).every((label) => /^2026-03-0\d$/.test(label))).toBe(true);
    const insetTicks = ticks(inset);
    expect(insetTicks.length).toBeGreaterThanOrEqual(3);
    for (const label of insetTicks) expect(label).toMatch(/^03-07 03:(0[4-9]|1[0-5])$/);
    expect(inset).toContain('data-start="2026-03-07T03:04:15Z" data-end="2026-03-07T03:15:00Z"');
    // The same events, with the same marks and links: the three of the attack, not the profile's creation days before.
    const links = (part: string): string[] => [...part.matchAll(/<a href="#([^"]+)" class="mk-link"><(\w+) class="(mk [^"]+)"[^>]*fill="([^"]+)"/g)].map((match) => match.slice(1).join(' '));
    const insetLinks = links(inset);
    expect(insetLinks).toHaveLength(3);
    for (const link of insetLinks) expect(links(mainPlot)).toContain(link);
    expect(inset).toContain('mk-main');
    expect(inset).not.toContain('CreateInstanceProfile');
    // The main axis marks the zoomed span.
    expect(mainPlot).toContain('<g class="zoom-mark"');
  });

  it('when all the events of an incident are close together then the timeline has no zoomed inset', async () => {
    const [incident] = await investigatedArchive(attackArchive('2026-03-07T02:50:00Z'), 'attack');
    const page = render([incident!]);
    expect(page).toContain('<svg class="timeline-svg"');
    expect(page).toContain('AddRoleToInstanceProfile');
    expect(page).not.toContain('class="zoom');
  });

  it('when several incidents share a page then the summary table has an impact column', () => {
    const page = render([hostileIncident(), hostileIncident({ assessment: { ...hostileIncident().assessment, impact: 'potential' } })]);
    expect(page).toContain('<th>verdict</th><th>impact</th><th>account</th>');
    expect(page.match(/<td><span class="chip impact-(broken|potential)"/g)).toEqual(['<td><span class="chip impact-broken"', '<td><span class="chip impact-potential"']);
  });

  it('when the incident has no signal then the section says so', () => {
    const base = hostileIncident();
    expect(render([{ ...base, assessment: { ...base.assessment, signals: [] } }])).toContain('<p class="empty">No signal: nothing in the archive matched a known attack pattern.</p>');
  });

  it('when no incident matched then the page says so', () => {
    expect(render([])).toContain('No DeleteInstanceProfile event matched.');
  });
});
