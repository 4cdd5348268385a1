/**
 * Spot and Fleet requests read in every spelling CloudTrail may use (no public sample was
 * found): camelCase with `{items}` lists, plain arrays, a list of one as the object itself,
 * and the PascalCase `<Operation>Request` wrapper.
 */
import { describe, expect, it } from 'vitest';
import { fleetSubject, isFleetCall } from '../../src/parse/spot-fleet.js';

const SFR = 'sfr-0a1b2c3d-4e5f-6789-abcd-ef0123456789';

describe('fleetSubject', () => {
  it.each([
    ['an {items} list', { spotFleetRequestConfig: { launchSpecifications: { items: [{ iamInstanceProfile: { name: 'web' } }] } } }],
    ['a plain array', { spotFleetRequestConfig: { launchSpecifications: [{ iamInstanceProfile: { name: 'web' } }] } }],
    ['a list of one as the object', { spotFleetRequestConfig: { launchSpecifications: { iamInstanceProfile: { name: 'web' } } } }],
    ['the PascalCase wrapper', { RequestSpotFleetRequest: { SpotFleetRequestConfig: { LaunchSpecifications: [{ IamInstanceProfile: { Name: 'web' } }] } } }],
  ])('when a Spot Fleet names the profile in %s then it is read', (_label, request) => {
    expect(fleetSubject('RequestSpotFleet', request, { spotFleetRequestId: SFR })).toEqual({
      profile: { name: 'web', arn: null },
      profiles: [{ name: 'web', arn: null }],
      validUntil: null,
      launchTemplates: [],
      ids: [SFR],
      oneShot: false,
    });
  });

  it('when a cancel names several requests under any wrapper then every ID is found, sorted, and nothing else', () => {
    const other = 'sfr-ffffffff-4e5f-6789-abcd-ef0123456789';
    const request = { CancelSpotFleetRequestsRequest: { SpotFleetRequestId: [{ content: other }, { content: SFR }], TerminateInstances: true } };
    expect(fleetSubject('CancelSpotFleetRequests', request, { note: 'sir-12345678 fleet-12345678-90ab' }).ids).toEqual([SFR, other].sort());
  });

  it('when requests are one-time, type request or instant then they are one-shot, and persistent or maintain are not', () => {
    expect(fleetSubject('RequestSpotInstances', { launchSpecification: {} }, null).oneShot).toBe(true);
    expect(fleetSubject('RequestSpotInstances', { type: 'persistent', launchSpecification: {} }, null).oneShot).toBe(false);
    expect(fleetSubject('RequestSpotFleet', { spotFleetRequestConfig: { type: 'request' } }, null).oneShot).toBe(true);
    expect(fleetSubject('CreateFleet', { CreateFleetRequest: { Type: 'instant' } }, null).oneShot).toBe(true);
    expect(fleetSubject('CreateFleet', { CreateFleetRequest: { Type: 'maintain' } }, null).oneShot).toBe(false);
  });

  it('when validUntil is an ISO time, epoch seconds or epoch milliseconds then it is the same UTC second, and a date that is no date is none', () => {
    const until = (validUntil: unknown) => fleetSubject('RequestSpotInstances', { type: 'persistent', validUntil, launchSpecification: {} }, null).validUntil;
    expect(until('2026-03-04T00:00:00.000Z')).toBe('2026-03-04T00:00:00Z');
    expect(until(1772582400)).toBe('2026-03-04T00:00:00Z');
    expect(until(1772582400000)).toBe('2026-03-04T00:00:00Z');
    expect(until('next tuesday')).toBeNull();
  });

  it('when a fleet launches from templates then each is named by ID, else by name', () => {
    const request = {
      CreateFleetRequest: {
        LaunchTemplateConfigs: [{ LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0abc', Version: '1' } }, { LaunchTemplateSpecification: { LaunchTemplateName: 'workers' } }, { Overrides: {} }],
      },
    };
    expect(fleetSubject('CreateFleet', request, null).launchTemplates).toEqual([
      { id: 'lt-0abc', name: null },
      { id: null, name: 'workers' },
    ]);
  });

  it('when the record is not EC2 or not a fleet call then it is not read', () => {
    expect(isFleetCall('gamelift.amazonaws.com', 'CreateFleet')).toBe(false);
    expect(isFleetCall('ec2.amazonaws.com', 'RunInstances')).toBe(false);
    expect(isFleetCall('ec2.amazonaws.com', 'toString')).toBe(false);
    expect(isFleetCall('ec2.amazonaws.com', 'CreateFleet')).toBe(true);
  });
});
