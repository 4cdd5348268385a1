/**
 * The HTML report's actor chain: a diagram from the key creator's chain (when traced) and
 * the origin to the acting session and the profile, one box per account, each arrow the
 * event that issued the next key. The hops are the incident view's chain steps.
 */
import { accountOfArn, isLongTermKey } from '../parse/arn.js';
import type { IdentityRef, Incident } from '../correlate/incident.js';
import { breakable, html, identifier, joinHtml, type SafeHtml } from './html-escape.js';
import { displayTime, type Scope } from './html-format.js';
import { type ChainStep, creatorChainSteps, type IncidentView } from './incident-view.js';

interface ChainNode {
  role: string;
  kind: 'creator-origin' | 'creator-hop' | 'creator' | 'origin' | 'hop' | 'acting' | 'profile';
  identity: string;
  /** A readable name (SAML/web-identity user, EC2 instance) when it differs from `identity`. */
  label?: string | null;
  type: string | null;
  accessKeyId: string | null;
  accountId: string | null;
  sourceIPAddress: string | null;
  extra?: string;
}

interface ChainEdge {
  eventName: string;
  eventId: string;
  time: string | null;
  note: string;
}

interface HopSide {
  /** The key creator's chain, shown before the acting identity's own. */
  creator: boolean;
  /** The chain's origin: its EC2 instance is named on the first hop. */
  origin: IdentityRef | null;
  /** The key the last hop was issued, when no later hop holds it. */
  lastIssuedKey: string | null;
}

/** One node per hop, origin first, and the edge to the next: the STS event that issued its key. */
function pushHops(nodes: ChainNode[], edges: ChainEdge[], timeOf: Map<string, string>, hops: readonly ChainStep[], side: HopSide): void {
  const prefix = side.creator ? "key creator's " : '';
  hops.forEach((hop, index) => {
    const instanceId = index === 0 ? side.origin?.instanceId : null;
    nodes.push({
      role: index === 0 ? `${prefix}origin` : `${prefix}hop ${index}`,
      kind: side.creator ? (index === 0 ? 'creator-origin' : 'creator-hop') : index === 0 ? 'origin' : 'hop',
      identity: hop.identity,
      label: hop.label,
      type: hop.type,
      accessKeyId: hop.accessKeyId,
      accountId: hop.accountId,
      sourceIPAddress: hop.sourceIPAddress,
      ...(instanceId && !hop.recordedLabel?.includes(instanceId) ? { extra: `instance ${instanceId}` } : {}),
    });
    const issuedKey = (hops[index + 1] ?? null)?.accessKeyId ?? side.lastIssuedKey;
    edges.push({
      eventName: hop.issued!.eventName,
      eventId: hop.issued!.eventId,
      time: timeOf.get(hop.issued!.eventId) ?? null,
      note: issuedKey ? `issued key ${issuedKey}` : 'issued the next key',
    });
  });
}

function chainModel(incident: Incident, view: IncidentView): { nodes: ChainNode[]; edges: ChainEdge[] } {
  const { actor } = incident;
  const timeOf = new Map(incident.timeline.map((entry) => [entry.eventId, entry.eventTime]));
  const nodes: ChainNode[] = [];
  const edges: ChainEdge[] = [];
  const provenance = actor.keyProvenance;
  if (provenance) {
    // The chain behind the creator's own credentials, from its origin (an instance, a user) to the creator.
    pushHops(nodes, edges, timeOf, creatorChainSteps(provenance), {
      creator: true,
      origin: provenance.creatorOrigin,
      lastIssuedKey: provenance.createdByAccessKeyId,
    });
    nodes.push({
      role: 'key creator',
      kind: 'creator',
      identity: provenance.createdBy ?? '(unknown identity)',
      type: null,
      accessKeyId: provenance.createdByAccessKeyId,
      accountId: accountOfArn(provenance.createdBy),
      sourceIPAddress: provenance.sourceIPAddress,
    });
    edges.push({
      eventName: 'CreateAccessKey',
      eventId: provenance.eventId,
      time: provenance.eventTime,
      note: `created key ${provenance.accessKeyId}${provenance.userName ? ` for ${provenance.userName}` : ''}`,
    });
  }
  const hops = view.chain.slice(0, -1);
  const acting = view.chain[view.chain.length - 1]!;
  pushHops(nodes, edges, timeOf, hops, { creator: false, origin: actor.origin, lastIssuedKey: actor.accessKeyId });
  const originInstance = hops.length === 0 && actor.origin.instanceId ? ` · instance ${actor.origin.instanceId}` : '';
  nodes.push({
    role: hops.length === 0 ? 'origin = acting identity' : 'acting session',
    kind: 'acting',
    identity: acting.identity,
    label: acting.label,
    type: acting.type,
    accessKeyId: acting.accessKeyId,
    accountId: acting.accountId,
    sourceIPAddress: acting.sourceIPAddress,
    extra: `MFA: ${view.mfa}${actor.invokedBy ? ` · invoked by ${actor.invokedBy}` : ''}${originInstance}`,
  });
  if (hops.length === 0 && !provenance && isLongTermKey(actor.origin.accessKeyId)) {
    nodes[nodes.length - 1]!.extra += ' · no CreateAccessKey for its key in the archive';
  }
  edges.push({
    eventName: 'DeleteInstanceProfile',
    eventId: incident.id,
    time: incident.eventTime,
    note: incident.outcome === 'deleted' ? 'deleted' : `failed: ${incident.errorCode ?? 'unknown error'}`,
  });
  nodes.push({
    role: 'instance profile',
    kind: 'profile',
    identity: incident.instanceProfile.arn ?? incident.instanceProfile.name,
    type: null,
    accessKeyId: null,
    accountId: incident.accountId ?? accountOfArn(incident.instanceProfile.arn),
    sourceIPAddress: null,
    extra: incident.instanceProfile.roles.length > 0 ? `roles: ${incident.instanceProfile.roles.join(', ')}` : 'no role known',
  });
  return { nodes, edges };
}

function chainNode(node: ChainNode): SafeHtml {
  const details = [
    node.type ? html`${node.type}` : null,
    node.accessKeyId ? html`key <span class="mono">${node.accessKeyId}</span>` : null,
    node.sourceIPAddress ? html`from <span class="mono">${node.sourceIPAddress}</span>` : null,
    node.extra ? html`${node.extra}` : null,
  ].filter((part): part is SafeHtml => part !== null);
  return html`<div class="node node-${node.kind}">
<div class="node-role">${node.role}</div>
<div class="node-id mono">${identifier(node.identity)}</div>
${node.label ? html`<div class="node-label">${breakable(node.label)}</div>` : ''}
${details.length > 0 ? html`<div class="node-meta">${joinHtml(details, ' · ')}</div>` : ''}
</div>`;
}

function chainEdge(edge: ChainEdge, scope: Scope, crossing: { from: string; to: string } | null): SafeHtml {
  return html`<div class="edge${crossing ? ' edge-cross' : ''}">
<span class="edge-arrow" aria-hidden="true">▼</span>
<span class="edge-event">${scope.eventLink(edge.eventId, edge.eventName)}</span>
${edge.time ? html`<span class="edge-time mono">${displayTime(edge.time)}</span>` : ''}
<span class="edge-note">${edge.note}</span>
${crossing ? html`<span class="boundary-label">account boundary: ${crossing.from} → ${crossing.to}</span>` : ''}
</div>`;
}

export function actorChain(incident: Incident, view: IncidentView, scope: Scope): SafeHtml {
  const { nodes, edges } = chainModel(incident, view);
  // Consecutive identities of one account share a box; an arrow between boxes crosses an account boundary.
  const groups: Array<{ accountId: string | null; indexes: number[] }> = [];
  nodes.forEach((node, index) => {
    const last = groups[groups.length - 1];
    if (last && last.accountId === node.accountId) last.indexes.push(index);
    else groups.push({ accountId: node.accountId, indexes: [index] });
  });
  const accounts = new Set(nodes.map((node) => node.accountId ?? '?'));
  const parts: SafeHtml[] = [];
  groups.forEach((group, groupIndex) => {
    const inner: SafeHtml[] = [];
    group.indexes.forEach((nodeIndex, position) => {
      inner.push(chainNode(nodes[nodeIndex]!));
      const edge = edges[nodeIndex];
      if (edge && position < group.indexes.length - 1) inner.push(chainEdge(edge, scope, null));
    });
    parts.push(html`<div class="account">
<div class="account-label">account <span class="mono">${group.accountId ?? 'unknown'}</span></div>
${inner}
</div>`);
    const next = groups[groupIndex + 1];
    const lastIndex = group.indexes[group.indexes.length - 1]!;
    const edge = edges[lastIndex];
    if (next && edge) parts.push(chainEdge(edge, scope, { from: group.accountId ?? 'unknown', to: next.accountId ?? 'unknown' }));
  });
  const provenanceNote = incident.actor.keyProvenance
    ? ''
    : isLongTermKey(incident.actor.origin.accessKeyId)
      ? html`<p class="note">The origin's key ${incident.actor.origin.accessKeyId} has no CreateAccessKey in the archive (created before it starts?).</p>`
      : '';
  return html`<div class="chain" data-accounts="${String(accounts.size)}">${parts}</div>${provenanceNote}`;
}
