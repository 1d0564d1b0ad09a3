// WebSub (W3C Recommendation, 2018) as a subscriber: the subscription's life (request, verification of intent,
// lease, renewal), push authentication (X-Hub-Signature), and how pushes stretch polling without replacing it.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Feed, WebSubSubscription } from './types.js';

/** What we ask hubs for. Hubs choose; most grant between one and ten days. */
export const WEBSUB_LEASE_SECONDS = 10 * 24 * 60 * 60;
/** While pushes arrive, a poll still runs at least this often: a hub can drop items or die quietly. */
export const WEBSUB_SAFETY_POLL_SECONDS = 6 * 60 * 60;
/** A pending request the hub never verified is asked again after this long. */
const PENDING_RETRY_SECONDS = 60 * 60;
const MAX_RETRY_SECONDS = 24 * 60 * 60;
/** Renew at least this long before a lease lapses: the renewer runs hourly, so one missed run must not lose it. */
const MIN_RENEW_AHEAD_SECONDS = 2 * 60 * 60;

export interface WebSubDiscovery {
  hubs: string[];
  /** rel="self": the topic URL the publisher pings the hub with. */
  self?: string;
}

/** The form body of a subscription request (WebSub 5.1). */
export function buildSubscriptionRequest(input: {
  mode: 'subscribe' | 'unsubscribe';
  topic: string;
  callback: string;
  secret: string;
  leaseSeconds: number;
}): string {
  return new URLSearchParams({
    'hub.mode': input.mode,
    'hub.topic': input.topic,
    'hub.callback': input.callback,
    'hub.secret': input.secret,
    'hub.lease_seconds': String(input.leaseSeconds),
  }).toString();
}

/** A secret for one subscription; base64url so it survives form encoding unchanged. WebSub caps it at 200 bytes. */
export function generateWebSubSecret(randomBytes: (size: number) => Uint8Array): string {
  return Buffer.from(randomBytes(32)).toString('base64url');
}

/**
 * A new request to the hub. A renewal keeps the secret and the verified state: pushes signed with the secret the
 * hub already holds stay valid while the renewal is verified.
 */
export function requestSubscription(
  previous: WebSubSubscription | undefined,
  input: { hub: string; topic: string; now: Date; newSecret: () => string; leaseSeconds?: number },
): WebSubSubscription {
  const sameSubscription = previous !== undefined && previous.hub === input.hub && previous.topic === input.topic;
  const renewing = sameSubscription && previous.state === 'verified';
  const base: WebSubSubscription = {
    hub: input.hub,
    topic: input.topic,
    secret: sameSubscription ? previous.secret : input.newSecret(),
    state: renewing ? 'verified' : 'pending',
    requestedAt: input.now.toISOString(),
    requestedLeaseSeconds: input.leaseSeconds ?? WEBSUB_LEASE_SECONDS,
    failures: sameSubscription ? previous.failures : 0,
  };
  if (renewing) {
    for (const key of ['verifiedAt', 'leaseExpiresAt', 'lastPushAt', 'lastPolledAt'] as const) {
      if (previous[key] !== undefined) base[key] = previous[key];
    }
  }
  return base;
}

/** The hub refused or could not be reached: counted, so the next attempt backs off. */
export function recordSubscriptionFailure(subscription: WebSubSubscription, reason: string): WebSubSubscription {
  // A verified lease stays usable until it lapses even if its renewal failed.
  return { ...subscription, state: subscription.state === 'verified' ? 'verified' : 'failed', failures: subscription.failures + 1, reason };
}

export type IntentAnswer =
  | { status: 200; body: string; next: WebSubSubscription }
  | { status: 404; why: string };

/**
 * Verification of intent (WebSub 5.3): the hub proves the request came from us by having us echo its challenge.
 * We echo only for a topic we asked about and a mode we asked for; anything else is answered 404.
 */
export function answerIntentVerification(
  subscription: WebSubSubscription | undefined,
  query: Record<string, string | undefined>,
  now: Date,
): IntentAnswer {
  const mode = query['hub.mode'];
  const topic = query['hub.topic'];
  if (subscription === undefined) return { status: 404, why: 'no subscription for this callback' };
  if (topic !== subscription.topic) return { status: 404, why: 'topic does not match' };
  if (mode === 'denied') {
    // Nothing to echo: the hub tells us it refused (WebSub 5.2).
    return { status: 200, body: '', next: { ...subscription, state: 'denied', reason: query['hub.reason'] ?? 'denied by hub' } };
  }
  const challenge = query['hub.challenge'];
  if (challenge === undefined || challenge === '') return { status: 404, why: 'no challenge' };
  if (mode === 'subscribe') {
    if (subscription.state !== 'pending' && subscription.state !== 'verified') {
      return { status: 404, why: `not subscribing (state ${subscription.state})` };
    }
    const granted = Number(query['hub.lease_seconds']);
    const lease = Number.isInteger(granted) && granted > 0 ? granted : subscription.requestedLeaseSeconds;
    const { reason: _reason, ...rest } = subscription;
    return {
      status: 200,
      body: challenge,
      next: {
        ...rest,
        state: 'verified',
        verifiedAt: now.toISOString(),
        leaseExpiresAt: new Date(now.getTime() + lease * 1000).toISOString(),
        failures: 0,
      },
    };
  }
  if (mode === 'unsubscribe' && subscription.state === 'unsubscribed') {
    return { status: 200, body: challenge, next: subscription };
  }
  return { status: 404, why: `unexpected mode ${String(mode)}` };
}

const SIGNATURE_ALGORITHMS: Record<string, string> = { sha1: 'sha1', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' };

/**
 * Checks `X-Hub-Signature: <method>=<hex HMAC of the raw body>` (WebSub 8). Constant-time; an unknown method, a
 * malformed value or a missing header all fail.
 */
export function verifyPushSignature(header: string | undefined, body: Uint8Array, secret: string): boolean {
  const match = /^\s*(sha1|sha256|sha384|sha512)=([0-9a-f]+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  const algorithm = SIGNATURE_ALGORITHMS[match[1]!.toLowerCase()]!;
  const expected = createHmac(algorithm, secret).update(body).digest();
  const given = Buffer.from(match[2]!, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function epoch(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Pushes are expected: the hub verified us and the lease has not lapsed. */
export function isPushActive(subscription: WebSubSubscription | undefined, now: Date): boolean {
  const expires = epoch(subscription?.leaseExpiresAt);
  return subscription?.state === 'verified' && expires !== undefined && expires > now.getTime();
}

/**
 * When to renew or retry, or undefined for never (denied, unsubscribed). A verified lease is renewed when a fifth
 * of it remains (at least two hours ahead, at most a day); a request the hub never verified is retried; failures back off to a day.
 */
export function nextSubscriptionAttemptAt(subscription: WebSubSubscription): Date | undefined {
  const requested = epoch(subscription.requestedAt) ?? 0;
  switch (subscription.state) {
    case 'verified': {
      const expires = epoch(subscription.leaseExpiresAt);
      const verified = epoch(subscription.verifiedAt) ?? requested;
      if (expires === undefined) return new Date(requested);
      const lease = expires - verified;
      const margin = Math.min(Math.max(lease / 5, MIN_RENEW_AHEAD_SECONDS * 1000), MAX_RETRY_SECONDS * 1000, lease);
      const renewAt = expires - margin;
      // A renewal was sent after the lease began and is still waiting for verification: give the hub time.
      if (requested > verified) return new Date(Math.max(renewAt, requested + PENDING_RETRY_SECONDS * 1000));
      return new Date(renewAt);
    }
    case 'pending':
      return new Date(requested + PENDING_RETRY_SECONDS * 1000);
    case 'failed': {
      const wait = Math.min(PENDING_RETRY_SECONDS * 2 ** Math.min(subscription.failures - 1, 10), MAX_RETRY_SECONDS);
      return new Date(requested + wait * 1000);
    }
    default:
      return undefined;
  }
}

/**
 * After a push, when to poll next. While pushes are active, polling waits until two poll intervals pass without a
 * push (then it resumes at the normal interval), but never beyond WEBSUB_SAFETY_POLL_SECONDS since the last real
 * poll. Without an active lease the feed keeps its normal schedule.
 */
export function nextPollAfterPush(feed: Feed, subscription: WebSubSubscription, now: Date): string {
  if (!isPushActive(subscription, now)) return feed.nextPollAt;
  const quietUntil = now.getTime() + 2 * feed.pollIntervalSeconds * 1000;
  const lastPoll = epoch(subscription.lastPolledAt) ?? epoch(subscription.verifiedAt) ?? now.getTime();
  const safetyAt = lastPoll + WEBSUB_SAFETY_POLL_SECONDS * 1000;
  return new Date(Math.max(now.getTime(), Math.min(quietUntil, safetyAt))).toISOString();
}

/**
 * The last real poll, as seen at a push: `health.lastAttemptAt`, which only polls write. Feeds stored by earlier
 * versions, whose pushes went through the poller and stamped it with the push time, still read right: a value
 * equal to the last push is not taken for a poll.
 */
export function lastPolledAt(feed: Feed, subscription: WebSubSubscription): string | undefined {
  const attempt = feed.health.lastAttemptAt;
  if (attempt !== undefined && attempt !== subscription.lastPushAt) return attempt;
  return subscription.lastPolledAt;
}

/** The subscription as the API shows it: everything but the secret. */
export function publicWebSub(subscription: WebSubSubscription): Omit<WebSubSubscription, 'secret'> {
  const { secret: _secret, ...visible } = subscription;
  return visible;
}
