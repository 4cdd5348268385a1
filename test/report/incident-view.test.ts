import { describe, expect, it } from 'vitest';
import { dependentResourceWords } from '../../src/correlate/event-catalog.js';
import type { Actor, Hop } from '../../src/correlate/incident.js';
import { creatorChainSteps, incidentView } from '../../src/report/incident-view.js';
import { hostileIncident } from './hostile-incident.js';

const hop = (overrides: Partial<Hop>): Hop => ({
  arn: null,
  type: 'AssumedRole',
  accessKeyId: null,
  accountId: null,
  via: 'via-event',
  viaEventName: 'AssumeRole',
  sourceIPAddress: null,
  label: 'a label',
  ...overrides,
});

/** The hostile incident's actor with another chain: chain[0] issued the acting key, the last entry is the origin. */
function withChain(chain: Hop[], actor: Partial<Actor> = {}) {
  const base = hostileIncident();
  return hostileIncident({ actor: { ...base.actor, chain, keyProvenance: null, ...actor } });
}

describe('incident view', () => {
  it('when the chain has hops then the steps run origin first, each naming the event that issued the next key', () => {
    const incident = withChain([
      hop({ arn: 'arn:aws:sts::111111111111:assumed-role/Admin/s', via: 'e-2', viaEventName: 'AssumeRole', accessKeyId: 'ASIAHOP' }),
      hop({ arn: 'arn:aws-cn:iam::222222222222:user/alice', type: 'IAMUser', via: 'e-1', viaEventName: 'GetSessionToken', label: 'arn:aws-cn:iam::222222222222:user/alice' }),
    ]);
    const view = incidentView(incident);
    expect(view.chain.map((step) => step.position)).toEqual(['origin', 'hop', 'acting']);
    expect(view.chain.map((step) => step.issued?.eventId ?? null)).toEqual(['e-1', 'e-2', null]);
    expect(view.chain[0]).toMatchObject({ identity: 'arn:aws-cn:iam::222222222222:user/alice', label: null, accountId: '222222222222', type: 'IAMUser' });
    expect(view.chain[1]).toMatchObject({ label: 'a label', accountId: '111111111111', accessKeyId: 'ASIAHOP' });
    expect(view.chain[2]).toMatchObject({ identity: incident.actor.arn, label: null, accessKeyId: incident.actor.accessKeyId });
  });

  it('when a hop has no ARN then the origin goes by its label and a later hop by its type', () => {
    const view = incidentView(withChain([hop({ arn: null, type: null }), hop({ arn: null, type: 'WebIdentityUser' })], { origin: { ...hostileIncident().actor.origin, label: 'web user bob' } }));
    expect(view.chain.map((step) => step.identity).slice(0, 2)).toEqual(['web user bob', '(unknown identity)']);
  });

  it('when there is no hop then the acting session is also the origin and carries the origin label', () => {
    const incident = withChain([], { origin: { ...hostileIncident().actor.origin, label: 'SAML user carol' } });
    const [only, ...rest] = incidentView(incident).chain;
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ position: 'origin+acting', identity: incident.actor.arn, label: 'SAML user carol', issued: null });
  });

  it('when MFA is true, false or unknown then the view says yes, no or unknown', () => {
    const base = hostileIncident().actor;
    expect(incidentView(hostileIncident({ actor: { ...base, mfaAuthenticated: true } })).mfa).toBe('yes');
    expect(incidentView(hostileIncident({ actor: { ...base, mfaAuthenticated: false } })).mfa).toBe('no');
    expect(incidentView(hostileIncident({ actor: { ...base, mfaAuthenticated: null } })).mfa).toBe('unknown');
  });

  it('when the origin key is long-term without a CreateAccessKey then the provenance says so; with no long-term key it is not applicable', () => {
    const base = hostileIncident().actor;
    const noEvent = incidentView(hostileIncident({ actor: { ...base, keyProvenance: null, origin: { ...base.origin, accessKeyId: 'AKIAOLD' } } }));
    expect(noEvent.keyProvenance).toBe('AKIAOLD: no CreateAccessKey for it in the archive (created before the archive starts?)');
    const temporary = incidentView(hostileIncident({ actor: { ...base, keyProvenance: null, origin: { ...base.origin, accessKeyId: 'ASIATEMP' } } }));
    expect(temporary.keyProvenance).toBe('not applicable: the origin has no long-term access key');
  });

  it('when the deletion broke running and stopped instances then the verdict and counts say how many', () => {
    const view = incidentView(hostileIncident());
    expect(view.runningLost).toBe(1);
    expect(view.stoppedAtDeletion).toBe(1);
    expect(view.outcome).toBe('deleted');
    expect(view.verdict).toMatch(/^SUSPICIOUS \(critical, impact: broken\): .* deleted instance profile .*; 1 running instance\(s\) lost their role; 1 stopped instance\(s\) will start without their role; 1 launch\(es\) failed afterwards\. Treat it as a security incident\.$/s);
  });

  it('when the key creator used instance credentials then its chain steps go by the hop label and keep the recorded label', () => {
    const provenance = hostileIncident().actor.keyProvenance!;
    const [origin] = creatorChainSteps(provenance);
    expect(origin).toMatchObject({ position: 'origin', identity: 'ec2.amazonaws.com', recordedLabel: provenance.creatorChain[0]!.label, issued: { eventName: 'AssumeRole', eventId: provenance.creatorChain[0]!.via } });
  });
});

describe('incident view sections', () => {
  it('when launch configurations are known then their section keeps their order, raw values and the event each cites', () => {
    const incident = hostileIncident({
      launchConfigurations: [
        { name: 'web-lc', region: 'us-west-2', eventId: 'e-lc-2' },
        { name: null, region: null, eventId: 'e-lc-1' },
      ],
    });
    const section = incidentView(incident).sections.launchConfigurations;
    expect(section.columns.map((column) => column.id)).toEqual(['name', 'region', 'event']);
    expect(section.rows).toEqual([
      { cells: { name: 'web-lc', region: 'us-west-2', event: 'e-lc-2' }, eventIds: ['e-lc-2'] },
      { cells: { name: null, region: null, event: 'e-lc-1' }, eventIds: ['e-lc-1'] },
    ]);
  });

  it('when no launch configuration is known then the section has no row and says so', () => {
    const section = incidentView(hostileIncident({ launchConfigurations: [] })).sections.launchConfigurations;
    expect(section.rows).toEqual([]);
    expect(section.empty).toBe('No launch configuration referenced this profile.');
  });
});

describe('incident view launch templates', () => {
  it('when launch templates are known then each row holds the template ID, name and region as recorded, citing its event', () => {
    const incident = hostileIncident({
      launchTemplates: [
        { launchTemplateId: 'lt-0abc', name: 'web', region: 'eu-west-1', eventId: 'e-lt-1' },
        { launchTemplateId: null, name: 'batch', region: null, eventId: 'e-lt-2' },
      ],
    });
    const section = incidentView(incident).sections.launchTemplates;
    expect(section.columns.map((column) => column.id)).toEqual(['template', 'name', 'region', 'event']);
    expect(section.rows.map((row) => row.cells)).toEqual([
      { template: 'lt-0abc', name: 'web', region: 'eu-west-1', event: 'e-lt-1' },
      { template: null, name: 'batch', region: null, event: 'e-lt-2' },
    ]);
    expect(section.rows.map((row) => row.eventIds)).toEqual([['e-lt-1'], ['e-lt-2']]);
  });
});

describe('incident view failed launches', () => {
  it('when launches failed after the deletion then each row keeps the full actor ARN and how it was matched, citing the failed call', () => {
    const incident = hostileIncident({
      failedLaunchesAfter: [
        { eventId: 'e-run-1', eventTime: '2026-03-06T04:00:00Z', region: 'us-east-1', errorCode: 'Client.InvalidParameterValue', actorArn: 'arn:aws:iam::111111111111:user/ops', matchedBy: 'request' },
        { eventId: 'e-run-2', eventTime: '2026-03-06T05:00:00Z', region: null, errorCode: null, actorArn: null, matchedBy: 'launch-template' },
      ],
    });
    const section = incidentView(incident).sections.failedLaunchesAfter;
    expect(section.rows).toEqual([
      {
        cells: { time: '2026-03-06T04:00:00Z', event: 'e-run-1', region: 'us-east-1', error: 'Client.InvalidParameterValue', actor: 'arn:aws:iam::111111111111:user/ops', matchedBy: 'request' },
        eventIds: ['e-run-1'],
      },
      { cells: { time: '2026-03-06T05:00:00Z', event: 'e-run-2', region: null, error: null, actor: null, matchedBy: 'launch-template' }, eventIds: ['e-run-2'] },
    ]);
  });
});

describe('incident view affected instances', () => {
  it('when instances held the profile then each row cites its launch event, and its status event when one was recorded', () => {
    const incident = hostileIncident({
      affectedInstances: [
        { instanceId: 'i-run', region: 'us-east-1', accountId: '111111111111', launchEventId: 'e-launch', via: 'RunInstances', status: 'running-at-deletion', statusEventId: null, associationId: null, reboundAfter: null },
        { instanceId: 'i-stop', region: null, accountId: null, launchEventId: 'e-assoc', via: 'AssociateIamInstanceProfile', status: 'stopped-at-deletion', statusEventId: 'e-stop', associationId: 'iip-assoc-1', reboundAfter: null },
      ],
    });
    const section = incidentView(incident).sections.affectedInstances;
    expect(section.rows.map((row) => row.cells.instance)).toEqual(['i-run', 'i-stop']);
    expect(section.rows.map((row) => row.eventIds)).toEqual([['e-launch'], ['e-assoc', 'e-stop']]);
    expect(section.rows[1]!.cells).toEqual({
      instance: 'i-stop',
      region: null,
      account: null,
      association: 'iip-assoc-1',
      status: 'stopped-at-deletion',
      via: 'AssociateIamInstanceProfile',
      launchEvent: 'e-assoc',
      statusEvent: 'e-stop',
    });
  });
});

describe('incident view credential changes', () => {
  it('when credential changes precede the deletion then each row keeps the event name, error and full identities apart, citing its event', () => {
    const incident = hostileIncident({
      credentialChanges: [
        {
          eventId: 'e-key',
          eventTime: '2026-03-05T01:00:00Z',
          eventName: 'CreateAccessKey',
          actorArn: 'arn:aws:iam::222222222222:user/eve',
          actorAccessKeyId: null,
          sourceIPAddress: null,
          target: 'arn:aws:iam::222222222222:user/deploy',
          errorCode: 'AccessDenied',
          succeeded: false,
          resource: null,
          severity: 'high',
          reason: 'a new key for another user',
        },
      ],
    });
    const [row, ...rest] = incidentView(incident).sections.credentialChanges.rows;
    expect(rest).toEqual([]);
    expect(row).toEqual({
      cells: {
        time: '2026-03-05T01:00:00Z',
        event: 'e-key',
        eventName: 'CreateAccessKey',
        severity: 'high',
        actor: 'arn:aws:iam::222222222222:user/eve',
        target: 'arn:aws:iam::222222222222:user/deploy',
        error: 'AccessDenied',
        reason: 'a new key for another user',
      },
      eventIds: ['e-key'],
    });
  });
});

describe('incident view timeline', () => {
  it('when the incident has events then the timeline section keeps their order and each row cites its own event', () => {
    const entry = { actorArn: null, sourceIPAddress: null, region: 'us-east-1', errorCode: null } as const;
    const incident = hostileIncident({
      timeline: [
        { ...entry, eventId: 'e-2', eventTime: '2026-03-06T03:00:00Z', eventName: 'CreateAccessKey', category: 'credential', summary: 'new key' },
        { ...entry, eventId: 'e-1', eventTime: '2026-03-06T03:14:15Z', eventName: 'DeleteInstanceProfile', category: 'deletion', summary: 'deleted', errorCode: 'AccessDenied' },
      ],
    });
    const rows = incidentView(incident).sections.timeline.rows;
    expect(rows.map((row) => row.eventIds)).toEqual([['e-2'], ['e-1']]);
    expect(rows[1]!.cells).toEqual({
      time: '2026-03-06T03:14:15Z',
      category: 'deletion',
      eventName: 'DeleteInstanceProfile',
      summary: 'deleted',
      actor: null,
      sourceIP: null,
      region: 'us-east-1',
      error: 'AccessDenied',
      event: 'e-1',
    });
  });
});

describe('incident view resources of other services', () => {
  it('when a resource of another service keeps the profile then its row names the kind in words and cites its event and every failure after', () => {
    const incident = hostileIncident({
      dependentResources: [
        {
          service: 'batch',
          resourceType: 'compute-environment',
          resourceId: 'arn:aws:batch:us-east-1:111111111111:compute-environment/ce',
          accountId: '111111111111',
          region: 'us-east-1',
          eventId: 'e-ce',
          viaLaunchTemplate: null,
          status: 'alive-at-deletion',
          failuresAfter: [{ eventId: 'e-fail', eventTime: '2026-03-06T06:00:00Z', eventName: 'UpdateComputeEnvironment', errorCode: 'ClientException' }],
        },
      ],
    });
    const [row] = incidentView(incident).sections.dependentResources.rows;
    expect(row!.eventIds).toEqual(['e-ce', 'e-fail']);
    expect(row!.cells.kind).toBe(dependentResourceWords('compute-environment'));
    expect(row!.cells).toMatchObject({ resource: 'arn:aws:batch:us-east-1:111111111111:compute-environment/ce', status: 'alive-at-deletion', viaTemplate: null });
    expect(row!.cells.failures).toEqual([{ time: '2026-03-06T06:00:00Z', eventName: 'UpdateComputeEnvironment', error: 'ClientException', event: 'e-fail' }]);
  });
});

describe('incident view recommendations', () => {
  it('when actions are recommended then their section keeps the ranking and each row cites the evidence that calls for it', () => {
    const first = { id: 'restore-profile', title: 'Restore the profile', why: 'instances lost their role', evidence: ['e-del'], console: ['IAM → Roles'], commands: ['aws iam create-instance-profile'], python: [], actions: [] };
    const second = { ...first, id: 'rotate-key', title: 'Rotate the key', evidence: [], console: [], commands: [] };
    const rows = incidentView(hostileIncident({ recommendations: [first, second] })).sections.recommendations.rows;
    expect(rows.map((row) => row.cells.id)).toEqual(['restore-profile', 'rotate-key']);
    expect(rows.map((row) => row.eventIds)).toEqual([['e-del'], []]);
    expect(rows[0]!.cells).toEqual({ id: 'restore-profile', title: 'Restore the profile', why: 'instances lost their role', console: ['IAM → Roles'], commands: ['aws iam create-instance-profile'], python: [] });
  });
});

describe('incident view signals', () => {
  it('when signals matched then each row keeps severity, id and summary and cites the events it rests on', () => {
    const incident = hostileIncident();
    const assessment = { ...incident.assessment, signals: [{ id: 'offensive-tool-user-agent' as const, severity: 'high' as const, summary: 'Pacu', evidence: ['e-tool', 'e-del'] }] };
    const rows = incidentView(hostileIncident({ assessment })).sections.signals.rows;
    expect(rows).toEqual([{ cells: { severity: 'high', id: 'offensive-tool-user-agent', summary: 'Pacu' }, eventIds: ['e-tool', 'e-del'] }]);
  });
});

describe('incident view instance profile', () => {
  it('when the profile was re-created then its one row holds the re-creation and cites that event', () => {
    const base = hostileIncident().instanceProfile;
    const incident = hostileIncident({ instanceProfile: { ...base, name: 'app', arn: null, roles: ['AppRole'], recreated: { eventId: 'e-create', eventTime: '2026-03-06T05:00:00Z' } } });
    const section = incidentView(incident).sections.instanceProfile;
    expect(section.rows).toEqual([
      { cells: { name: 'app', arn: null, path: base.path, roles: ['AppRole'], recreated: [{ time: '2026-03-06T05:00:00Z', event: 'e-create' }] }, eventIds: ['e-create'] },
    ]);
  });

  it('when the profile was not re-created then its row has no re-creation and cites no event', () => {
    const [row] = incidentView(hostileIncident()).sections.instanceProfile.rows;
    expect(row).toMatchObject({ cells: { recreated: [] }, eventIds: [] });
  });
});

describe('incident view assessment', () => {
  it('when the assessment gives reasons then its section keeps them in order, one row each', () => {
    const incident = hostileIncident();
    const assessment = { ...incident.assessment, reasons: ['first reason', 'second reason'] };
    const rows = incidentView(hostileIncident({ assessment })).sections.assessment.rows;
    expect(rows).toEqual([
      { cells: { reason: 'first reason' }, eventIds: [] },
      { cells: { reason: 'second reason' }, eventIds: [] },
    ]);
  });
});
