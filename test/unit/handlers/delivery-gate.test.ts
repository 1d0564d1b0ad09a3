import { describe, expect, it } from 'vitest';
import { createDeliveryGate, deferralDelaySeconds, receiverHostOf } from '#handlers/delivery-gate.js';
import type { Subscription } from '#domain/types.js';

const subscription = (subscriptionId: string, url: string): Subscription => ({
  subscriptionId,
  owner: 'o',
  topics: [],
  countries: [],
  keywords: [],
  channel: { type: 'webhook', url, secret: 'whsec_AAAA' },
  status: 'active',
  createdAt: '2026-01-01T00:00:00.000Z',
});

describe('delivery gate', () => {
  it('lets a host have its share of sends and no more, and frees a share on release', () => {
    const gate = createDeliveryGate({ perHost: 2, perSubscription: 1 });
    const a = gate.tryEnter(subscription('a', 'https://Hooks.Example:8443/a'));
    const b = gate.tryEnter(subscription('b', 'https://hooks.example:8443/b'));
    const c = gate.tryEnter(subscription('c', 'https://hooks.example:8443/c'));
    const elsewhere = gate.tryEnter(subscription('d', 'https://other.example/d'));

    expect([a, b, c, elsewhere].map((release) => release !== undefined)).toEqual([true, true, false, true]);
    expect(gate.inFlight('host:hooks.example:8443')).toBe(2);
    a!();
    a!();
    expect(gate.inFlight('host:hooks.example:8443')).toBe(1);
    expect(gate.tryEnter(subscription('c', 'https://hooks.example:8443/c'))).toBeDefined();
  });

  it('holds one subscription to its own share whatever its host', () => {
    const gate = createDeliveryGate({ perHost: 10, perSubscription: 1 });
    expect(gate.tryEnter(subscription('a', 'https://one.example/'))).toBeDefined();
    expect(gate.tryEnter(subscription('a', 'https://one.example/'))).toBeUndefined();
    expect(gate.tryEnter({ ...subscription('a', ''), channel: { type: 'sns' } })).toBeUndefined();
    expect(gate.tryEnter({ ...subscription('s', ''), channel: { type: 'sns' } })).toBeDefined();
  });

  it('gives HTTP channels a host and AWS channels none', () => {
    expect(receiverHostOf({ ...subscription('a', ''), channel: { type: 'slack', webhookUrl: 'https://hooks.slack.com/services/x' } })).toBe('hooks.slack.com');
    expect(receiverHostOf({ ...subscription('a', ''), channel: { type: 'sqs', queueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/q' } })).toBeUndefined();
  });

  it('backs a deferred delivery off 1, 2, 4, then 8 s', () => {
    expect([1, 2, 3, 4, 5, 50].map(deferralDelaySeconds)).toEqual([1, 2, 4, 8, 8, 8]);
  });
});
