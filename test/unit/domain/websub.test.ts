import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newFeed } from '#domain/feed.js';
import type { WebSubSubscription } from '#domain/types.js';
import {
  answerIntentVerification,
  isPushActive,
  nextPollAfterPush,
  nextSubscriptionAttemptAt,
  requestSubscription,
  verifyPushSignature,
  WEBSUB_SAFETY_POLL_SECONDS,
} from '#domain/websub.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const HOUR = 3_600_000;

function pending(overrides: Partial<WebSubSubscription> = {}): WebSubSubscription {
  return requestSubscription(undefined, { hub: 'https://hub.example/', topic: 'https://pub.example/feed', now: NOW, newSecret: () => 's3cret', ...overrides });
}

describe('verification of intent', () => {
  it('echoes the challenge for the topic we asked about and records the granted lease', () => {
    const answer = answerIntentVerification(
      pending(),
      { 'hub.mode': 'subscribe', 'hub.topic': 'https://pub.example/feed', 'hub.challenge': 'abc', 'hub.lease_seconds': '3600' },
      NOW,
    );

    expect(answer.status).toBe(200);
    if (answer.status !== 200) return;
    expect(answer.body).toBe('abc');
    expect(answer.next).toMatchObject({ state: 'verified', leaseExpiresAt: '2025-06-01T13:00:00.000Z', verifiedAt: NOW.toISOString() });
  });

  it.each([
    ['another topic', { 'hub.mode': 'subscribe', 'hub.topic': 'https://evil.example/feed', 'hub.challenge': 'x' }],
    ['no challenge', { 'hub.mode': 'subscribe', 'hub.topic': 'https://pub.example/feed' }],
    ['an unsubscribe we never asked for', { 'hub.mode': 'unsubscribe', 'hub.topic': 'https://pub.example/feed', 'hub.challenge': 'x' }],
  ])('answers 404 to %s', (_name, query) => {
    expect(answerIntentVerification(pending(), query, NOW).status).toBe(404);
  });

  it('answers 404 when there is no subscription at all', () => {
    expect(answerIntentVerification(undefined, { 'hub.mode': 'subscribe', 'hub.topic': 't', 'hub.challenge': 'x' }, NOW).status).toBe(404);
  });

  it('records a denial with the hub reason', () => {
    const answer = answerIntentVerification(pending(), { 'hub.mode': 'denied', 'hub.topic': 'https://pub.example/feed', 'hub.reason': 'not allowed' }, NOW);

    expect(answer.status === 200 && answer.next).toMatchObject({ state: 'denied', reason: 'not allowed' });
  });
});

describe('verifyPushSignature', () => {
  const body = Buffer.from('<feed>é</feed>', 'latin1');

  it.each(['sha1', 'sha256', 'sha384', 'sha512'])('accepts an HMAC-%s of the raw bytes with the secret', (algorithm) => {
    const header = `${algorithm}=${createHmac(algorithm, 'k').update(body).digest('hex')}`;

    expect(verifyPushSignature(header, body, 'k')).toBe(true);
  });

  it('refuses another secret, another body, an unknown method or no header', () => {
    const good = `sha256=${createHmac('sha256', 'k').update(body).digest('hex')}`;

    expect(verifyPushSignature(good, body, 'other')).toBe(false);
    expect(verifyPushSignature(good, Buffer.from('<feed>x</feed>'), 'k')).toBe(false);
    expect(verifyPushSignature(`md5=${createHmac('md5', 'k').update(body).digest('hex')}`, body, 'k')).toBe(false);
    expect(verifyPushSignature(undefined, body, 'k')).toBe(false);
    expect(verifyPushSignature('sha256=zz', body, 'k')).toBe(false);
  });
});

describe('lease renewal', () => {
  it('keeps the secret and the verified state when it renews', () => {
    const verified: WebSubSubscription = { ...pending(), state: 'verified', verifiedAt: NOW.toISOString(), leaseExpiresAt: new Date(NOW.getTime() + 10 * 24 * HOUR).toISOString() };

    const renewed = requestSubscription(verified, { hub: verified.hub, topic: verified.topic, now: NOW, newSecret: () => 'fresh' });

    expect(renewed).toMatchObject({ secret: 's3cret', state: 'verified', leaseExpiresAt: verified.leaseExpiresAt });
  });

  it('renews a ten-day lease one day before it lapses, and retries an unverified request after an hour', () => {
    const expires = new Date(NOW.getTime() + 10 * 24 * HOUR);
    const verified: WebSubSubscription = { ...pending(), state: 'verified', verifiedAt: NOW.toISOString(), leaseExpiresAt: expires.toISOString() };

    expect(nextSubscriptionAttemptAt(verified)?.toISOString()).toBe(new Date(expires.getTime() - 24 * HOUR).toISOString());
    expect(nextSubscriptionAttemptAt(pending())?.toISOString()).toBe(new Date(NOW.getTime() + HOUR).toISOString());
    expect(nextSubscriptionAttemptAt({ ...pending(), state: 'denied' })).toBeUndefined();
  });
});

describe('polling while pushed', () => {
  const feed = { ...newFeed({ url: 'https://pub.example/feed', pollIntervalSeconds: 900 }, NOW), nextPollAt: new Date(NOW.getTime() + 900_000).toISOString() };
  const active: WebSubSubscription = { ...pending(), state: 'verified', verifiedAt: NOW.toISOString(), lastPolledAt: NOW.toISOString(), leaseExpiresAt: new Date(NOW.getTime() + 48 * HOUR).toISOString() };

  it('defers the next poll to two intervals after a push while the lease is active', () => {
    const at = new Date(NOW.getTime() + HOUR);

    expect(nextPollAfterPush(feed, active, at)).toBe(new Date(at.getTime() + 1_800_000).toISOString());
  });

  it('still polls once the safety interval since the last real poll has passed', () => {
    const at = new Date(NOW.getTime() + WEBSUB_SAFETY_POLL_SECONDS * 1000 + 60_000);

    expect(nextPollAfterPush(feed, active, at)).toBe(at.toISOString());
  });

  it('keeps the normal schedule when the lease has lapsed', () => {
    const lapsed = { ...active, leaseExpiresAt: new Date(NOW.getTime() - 1).toISOString() };

    expect(isPushActive(lapsed, NOW)).toBe(false);
    expect(nextPollAfterPush(feed, lapsed, NOW)).toBe(feed.nextPollAt);
  });
});
