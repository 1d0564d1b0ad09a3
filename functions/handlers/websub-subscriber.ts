// WebSub, the subscriber side: ask a feed's hub for pushes, and renew leases before they lapse. Used by the API
// (a feed added with a hub), the poller (a hub found on a poll) and the renewer Lambda. It parses no feed: the push
// receipt is the callback side's (websub-callback.ts), so the renewer's bundle carries no feed parser.
import type { Context, ScheduledEvent } from 'aws-lambda';
import { FeedError, NotFoundError } from '#domain/errors.js';
import type { Feed, WebSubSubscription } from '#domain/types.js';
import {
  buildSubscriptionRequest,
  generateWebSubSecret,
  nextSubscriptionAttemptAt,
  recordSubscriptionFailure,
  requestSubscription,
  type WebSubDiscovery,
} from '#domain/websub.js';
import type { Logger } from '#shared/logger.js';
import { withObservability, type Observability } from '#shared/middleware.js';
import type { Ports } from './deps.js';

export type WebSubSubscriberDeps = Pick<Ports, 'feeds' | 'clock' | 'randomBytes' | 'websub'> & { logger: Logger };

export type SubscribeOutcome =
  | { status: 'no-hub' }
  | { status: 'requested'; hub: string; topic: string }
  | { status: 'failed'; hub: string; reason: string };

/**
 * Stores a pending subscription, then asks the hub. The record is written first because a hub may verify before it
 * answers our POST. Hub problems are recorded on the feed (and retried by renewDueWebSubLeases), never thrown.
 */
export async function subscribeFeedToHub(deps: WebSubSubscriberDeps, feed: Feed, discovery: WebSubDiscovery): Promise<SubscribeOutcome> {
  const hub = discovery.hubs[0];
  if (hub === undefined) return { status: 'no-hub' };
  const topic = discovery.self ?? feed.url;
  const now = deps.clock.now();
  const subscription = requestSubscription(feed.websub, { hub, topic, now, newSecret: () => generateWebSubSecret(deps.randomBytes) });
  await deps.feeds.put({ ...feed, websub: subscription });
  return sendSubscriptionRequest(deps, feed.feedId, subscription);
}

async function sendSubscriptionRequest(deps: WebSubSubscriberDeps, feedId: string, subscription: WebSubSubscription): Promise<SubscribeOutcome> {
  const form = buildSubscriptionRequest({
    mode: 'subscribe',
    topic: subscription.topic,
    callback: deps.websub.callbackUrl(feedId),
    secret: subscription.secret,
    leaseSeconds: subscription.requestedLeaseSeconds,
  });
  let reason: string;
  try {
    const answer = await deps.websub.hub.request(subscription.hub, form);
    if (answer.status >= 200 && answer.status < 300) {
      deps.logger.info('websub subscription requested', { feedId, hub: subscription.hub, status: answer.status });
      return { status: 'requested', hub: subscription.hub, topic: subscription.topic };
    }
    reason = `http-${answer.status}${answer.detail ? `: ${answer.detail}` : ''}`;
  } catch (error) {
    if (!(error instanceof FeedError)) throw error;
    reason = `${error.reason}: ${error.message}`;
  }
  // Re-read: the hub may have verified (or denied) while we waited for its answer.
  const current = await deps.feeds.get(feedId);
  if (current?.websub !== undefined && current.websub.state !== 'denied') {
    await deps.feeds.put({ ...current, websub: recordSubscriptionFailure(current.websub, reason) });
  }
  deps.logger.warn('websub subscription failed', { feedId, hub: subscription.hub, reason });
  return { status: 'failed', hub: subscription.hub, reason };
}

export interface RenewalResult {
  requested: number;
  failed: number;
}

/**
 * Renews leases that are about to lapse and retries requests a hub never verified or refused to take. Meant to run
 * on a schedule (the renewer Lambda hourly, the local runtime on its scheduler's tick); cheap when nothing is due.
 */
export async function renewDueWebSubLeases(deps: WebSubSubscriberDeps): Promise<RenewalResult> {
  const result: RenewalResult = { requested: 0, failed: 0 };
  const now = deps.clock.now();
  for (const feed of await deps.feeds.list()) {
    if (!feed.enabled || feed.websub === undefined) continue;
    const due = nextSubscriptionAttemptAt(feed.websub);
    if (due === undefined || due.getTime() > now.getTime()) continue;
    const subscription = requestSubscription(feed.websub, {
      hub: feed.websub.hub,
      topic: feed.websub.topic,
      now,
      newSecret: () => generateWebSubSecret(deps.randomBytes),
    });
    try {
      await deps.feeds.put({ ...feed, websub: subscription });
    } catch (error) {
      if (error instanceof NotFoundError) continue;
      throw error;
    }
    const outcome = await sendSubscriptionRequest(deps, feed.feedId, subscription);
    if (outcome.status === 'requested') result.requested += 1;
    else result.failed += 1;
  }
  return result;
}

/** The renewer Lambda: renewDueWebSubLeases on its schedule. */
export function createWebSubRenewerHandler(deps: WebSubSubscriberDeps & Observability) {
  return withObservability(deps, async (_event: ScheduledEvent, _context: Context) => renewDueWebSubLeases(deps));
}
