/**
 * `trailsift report`: one self-contained HTML case file per run, readable offline,
 * printable, and safe to open although every record value in it is attacker-controlled.
 *
 * - Nothing is fetched: inline <style>, inline SVG, no script, no font, no image; a
 *   Content-Security-Policy forbids everything else, so even an escaping bug could
 *   neither run script nor load anything.
 * - Every value goes through the `html` tag of html-escape.ts (escaped text/attribute),
 *   anchors are made by `fragmentId` ([A-Za-z0-9_-] only).
 * - Pure: takes the incidents and the raw record texts, never opens the database.
 *
 * This module is the page: its head, CSP, stylesheet (html-report.css), summary and each
 * incident's verdict header and signals; the timeline, chain and tables are drawn by
 * html-timeline.ts, html-chain.ts and html-tables.ts.
 */
import { readFileSync } from 'node:fs';
import { evidenceLine } from './evidence-line.js';
import type { Incident } from '../correlate/incident.js';
import { actorChain } from './html-chain.js';
import { breakable, fragmentId, html, identifier, joinHtml, type SafeHtml, trusted } from './html-escape.js';
import { displayTime, orNone, Scope } from './html-format.js';
import { credentialChanges, eventTable, impact, recommendations } from './html-tables.js';
import { timelineSvg } from './html-timeline.js';
import { actingLabel, distinctLabel, incidentView, type IncidentView, mfaText, outcomeText, runningLost, shortIdentity } from './incident-view.js';

/** Light, printable, no external resource; the page opens it on a line of its own. */
const STYLE = `\n${readFileSync(new URL('./html-report.css', import.meta.url), 'utf8')}`;

export interface CaseFile {
  incidents: Incident[];
  /** eventID → the original record as text (shown pretty-printed in the event table). */
  records: Record<string, string>;
  title: string;
}

export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** A title for the file: the profile and time of one incident, or the count of several. */
export function caseTitle(incidents: readonly Incident[]): string {
  const [first] = incidents;
  if (incidents.length === 1 && first) {
    return `trailsift case: ${first.instanceProfile.name} ${outcomeText(first)} at ${displayTime(first.eventTime)}`;
  }
  return `trailsift cases: ${incidents.length} DeleteInstanceProfile incident(s)`;
}

export function renderHtmlReport(caseFile: CaseFile): string {
  const { incidents } = caseFile;
  const scoped = incidents.length > 1;
  const sections = incidents.map((incident, index) => incidentSection(incident, new Scope(index + 1, scoped, caseFile.records)));
  const body =
    incidents.length === 0
      ? html`<p class="empty">No DeleteInstanceProfile event matched.</p>`
      : html`${scoped ? summaryTable(incidents) : ''}${sections}`;
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="trailsift">
<title>${caseFile.title}</title>
<style>${trusted(STYLE)}</style>
</head>
<body>
<header class="doc">
<h1>${caseFile.title}</h1>
<p class="note">Offline case file written by trailsift from CloudTrail records. Times are UTC. Every value taken from a record is shown as text; the page runs no script and loads nothing.</p>
</header>
<main>
${body}
</main>
</body>
</html>
`;
  return page.value;
}


// ---------------------------------------------------------------------------------------
// Summary of several incidents

function summaryTable(incidents: readonly Incident[]): SafeHtml {
  const rows = incidents.map((incident, index) => {
    const scope = `incident-${index + 1}`;
    return html`<tr>
<td><a href="#${scope}">${index + 1}</a></td>
<td class="nowrap">${displayTime(incident.eventTime)}</td>
<td><a href="#${scope}">${incident.instanceProfile.name}</a></td>
<td>${outcomeChip(incident)}</td>
<td>${verdictChips(incident)}</td>
<td>${impactChip(incident)}</td>
<td class="mono">${orNone(incident.accountId)}</td>
<td class="mono wrap">${identifier(shortIdentity(actingLabel(incident.actor)))}</td>
<td class="mono wrap">${identifier(shortIdentity(incident.actor.origin.arn ?? incident.actor.origin.label))}</td>
<td class="num">${incident.outcome === 'deleted' ? String(runningLost(incident)) : '—'}</td>
<td class="num">${String(incident.failedLaunchesAfter.length)}</td>
</tr>`;
  });
  return html`<section class="summary" id="summary">
<h2>${incidents.length} incidents</h2>
<table class="grid">
<thead><tr><th>#</th><th>time</th><th>instance profile</th><th>outcome</th><th>verdict</th><th>impact</th><th>account</th><th>acting identity</th><th>origin</th><th>running lost</th><th>failed launches</th></tr></thead>
<tbody>${rows}</tbody>
</table>
</section>`;
}

function outcomeChip(incident: Incident): SafeHtml {
  return incident.outcome === 'deleted'
    ? html`<span class="chip outcome-deleted">deleted</span>`
    : html`<span class="chip outcome-failed">failed: ${orNone(incident.errorCode, 'unknown error')}</span>`;
}

/** What the deletion broke: nothing, something that could launch with it (templates, configurations), or instances. */
function impactChip(incident: Incident): SafeHtml {
  const { impact } = incident.assessment;
  return html`<span class="chip impact-${fragmentId(impact)}" title="impact of the deletion">impact: ${impact}</span>`;
}

function verdictChips(incident: Incident): SafeHtml {
  const { classification, severity } = incident.assessment;
  return html`<span class="chip cls-${fragmentId(classification)}">${classification}</span> <span class="chip sev-${fragmentId(severity)}">${severity}</span>`;
}

// ---------------------------------------------------------------------------------------
// One incident

function incidentSection(incident: Incident, baseScope: Scope): SafeHtml {
  const scope = baseScope.withTimeline(incident.timeline);
  const view = incidentView(incident);
  const nav = (
    [
      ['signals', 'Signals'],
      ['timeline', 'Timeline'],
      ['chain', 'Actor chain'],
      ['changes', 'Credential changes'],
      ['impact', 'Impact'],
      ['recommendations', 'Recommendations'],
      ['events', 'Events'],
    ] as const
  ).map(([part, label]) => html`<a href="#${scope.part(part)}">${label}</a>`);
  return html`<section class="incident" id="${scope.section}">
${header(incident, view, scope)}
<nav class="parts">${joinHtml(nav, ' · ')}</nav>
<h3 id="${scope.part('signals')}">Signals</h3>
${signals(view, scope)}
<h3 id="${scope.part('timeline')}">Timeline</h3>
${timelineSvg(incident, scope)}
<h3 id="${scope.part('chain')}">Actor chain</h3>
${actorChain(incident, view, scope)}
<h3 id="${scope.part('changes')}">Credential changes before the deletion</h3>
${credentialChanges(view, scope)}
<h3 id="${scope.part('impact')}">Impact</h3>
${impact(incident, view, scope)}
<h3 id="${scope.part('recommendations')}">Recommendations</h3>
${recommendations(view, scope)}
<h3 id="${scope.part('events')}">Events</h3>
${eventTable(incident, view, scope)}
</section>`;
}

function header(incident: Incident, view: IncidentView, scope: Scope): SafeHtml {
  const { actor, instanceProfile: profile } = incident;
  const originName = actor.origin.arn ?? actor.origin.label;
  const originLabel = distinctLabel(actor.origin.label, originName);
  const facts: Array<[string, SafeHtml | string]> = [
    ['instance profile', html`<span class="mono">${profile.name}</span>${profile.arn ? html` <span class="mono wrap dim">${identifier(profile.arn)}</span>` : ''}`],
    ['outcome', html`${outcomeChip(incident)}${incident.errorMessage ? html` <span class="dim">${incident.errorMessage}</span>` : ''}`],
    ['time', html`<span class="mono">${displayTime(incident.eventTime)}</span>`],
    ['account', html`<span class="mono">${orNone(incident.accountId)}</span>${incident.region ? html` · ${incident.region}` : ''}`],
    ['acting identity', html`<span class="mono wrap">${identifier(view.acting)}</span>`],
    ['origin', html`<span class="mono wrap">${identifier(originName)}</span>${originLabel ? html` <span class="dim">(${breakable(originLabel)})</span>` : ''}`],
    ...originFacts(incident, scope),
    ['source IP', html`<span class="mono">${orNone(actor.sourceIPAddress)}</span>`],
    ['MFA', view.mfa],
    ['user agent', html`<span class="mono wrap dim">${orNone(actor.userAgent)}</span>`],
    ['event ID', html`<span class="mono">${scope.eventLink(incident.id)}</span>`],
  ];
  const reasons = view.sections.assessment.rows.map(({ cells }) => html`<li>${breakable(cells.reason)}</li>`);
  return html`<header class="verdict cls-${fragmentId(incident.assessment.classification)}">
<h2><span class="mono">${profile.name}</span> ${incident.outcome === 'deleted' ? 'deleted' : 'delete attempt failed'} ${verdictChips(incident)} ${impactChip(incident)}</h2>
<p class="verdict-text">${breakable(view.verdict)}</p>
<p class="evidence-line">Evidence: ${breakable(evidenceLine(incident.evidence))}</p>
<dl class="facts">${facts.map(([name, value]) => html`<dt>${name}</dt><dd>${value}</dd>`)}</dl>
${reasons.length > 0 ? html`<details class="reasons" open><summary>Why: ${String(reasons.length)} reason(s)</summary><ul>${reasons}</ul></details>` : ''}
</header>`;
}

/** Where the origin's session came from, as verdict facts: only those the archive showed. */
function originFacts(incident: Incident, scope: Scope): Array<[string, SafeHtml]> {
  const { origin, consoleLogin, identityCenter } = incident.actor;
  const facts: Array<[string, SafeHtml]> = [];
  if (origin.instanceId) facts.push(['origin instance', html`<span class="mono">${origin.instanceId}</span>`]);
  if (consoleLogin) {
    const mfa = mfaText(consoleLogin.mfaUsed);
    const from = consoleLogin.sourceIPAddress ? html` from <span class="mono">${consoleLogin.sourceIPAddress}</span>` : '';
    facts.push([
      'console sign-in',
      html`ConsoleLogin <span class="mono">${scope.eventLink(consoleLogin.eventId)}</span> at <span class="mono">${displayTime(consoleLogin.eventTime)}</span>${from} · MFA used: <span class="mfa-${fragmentId(mfa)}">${mfa}</span>`,
    ]);
  }
  if (identityCenter) {
    const { userName, userId, identityStoreArn, roleName, accountId } = identityCenter;
    const ids = [
      userName && userId ? html`user ID <span class="mono">${userId}</span>` : null,
      identityStoreArn ? html`identity store <span class="mono wrap">${identifier(identityStoreArn)}</span>` : null,
    ].filter((part): part is SafeHtml => part !== null);
    const user = html`user <span class="mono">${userName ?? userId ?? 'unknown'}</span>${ids.length > 0 ? html` (${joinHtml(ids, ', ')})` : ''}`;
    const role = roleName ? html` · role <span class="mono wrap">${identifier(roleName)}</span>` : '';
    const account = accountId ? html` in account <span class="mono">${accountId}</span>` : '';
    const event = html`GetRoleCredentials <span class="mono">${scope.eventLink(identityCenter.eventId)}</span> at <span class="mono">${displayTime(identityCenter.eventTime)}</span>`;
    facts.push(['Identity Center', html`${user}${role}${account} · ${event}`]);
  }
  const onBehalfOf = incident.actor.onBehalfOf;
  if (onBehalfOf) {
    const store = onBehalfOf.identityStoreArn ? html` in identity store <span class="mono wrap">${identifier(onBehalfOf.identityStoreArn)}</span>` : '';
    facts.push(['on behalf of', html`Identity Center user ID <span class="mono">${onBehalfOf.userId}</span>${store} (named by the deleting call itself)`]);
  }
  return facts;
}

// ---------------------------------------------------------------------------------------
// Signals

function signals(view: IncidentView, scope: Scope): SafeHtml {
  const section = view.sections.signals;
  const items = section.rows.map(({ cells: signal, eventIds }) => {
    const evidence = eventIds.map((eventId) => html`<li class="mono">${scope.eventLink(eventId)}</li>`);
    return html`<li class="signal sig-${fragmentId(signal.severity)}">
<span class="chip sev-${fragmentId(signal.severity)}">${signal.severity}</span> <code class="sig-id">${signal.id}</code> <span class="sig-summary">${breakable(signal.summary)}</span>
${evidence.length > 0 ? html`<div class="evidence">Evidence: <ul class="inline">${evidence}</ul></div>` : ''}
</li>`;
  });
  if (items.length === 0) return html`<p class="empty">${section.empty}</p>`;
  return html`<ul class="signals">${items}</ul>`;
}

