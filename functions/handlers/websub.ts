// WebSub as a subscriber: subscribe a feed to its hub, answer the hub's verification of intent, take signed pushes
// into the poller's own code path, and renew leases before they lapse.
//
// The callback is a PUBLIC route (hubs cannot sign SigV4 nor hold an API key): it authenticates pushes by
// X-Hub-Signature with the per-subscription secret, and echoes a challenge only for a subscription we requested.
// In AWS it is its own Lambda (functions/lambda/websub.ts) on the same HTTP API, so the api function does not need
// the articles topic or the classifier.
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { FeedError, NotFoundError } from '#domain/errors.js';
import type { FetchFeedResult } from '#domain/ports.js';
import type { Feed, WebSubSubscription } from '#domain/types.js';
import {
  answerIntentVerification,
  buildSubscriptionRequest,
  generateWebSubSecret,
  lastPolledAt,
  nextPollAfterPush,
  nextSubscriptionAttemptAt,
  recordSubscriptionFailure,
  requestSubscription,
  verifyPushSignature,
  type WebSubDiscovery,
} from '#domain/websub.js';
import { withObservability } from '#shared/middleware.js';
import type { PipelineDeps } from './deps.js';
import { handleApiRequest, publicRoutes, route, type Route } from './api/router.js';
import { pollFeed, type PollerDeps, type PollOutcome } from './poller.js';

export type WebSubDeps = Pick<PipelineDeps, 'feeds' | 'clock' | 'logger' | 'randomBytes' | 'websub'>;
export type WebSubCallbackDeps = PollerDeps;

/** Pushes bigger than the fetcher's default cap are refused like an oversized poll. */
const MAX_PUSH_BYTES = 15 * 1024 * 1024;

export type SubscribeOutcome =
  | { status: 'disabled' }
  | { status: 'no-hub' }
  | { status: 'requested'; hub: string; topic: string }
  | { status: 'failed'; hub: string; reason: string };

/**
 * Stores a pending subscription, then asks the hub. The record is written first because a hub may verify before it
 * answers our POST. Hub problems are recorded on the feed (and retried by renewDueWebSubLeases), never thrown.
 */
export async function subscribeFeedToHub(deps: WebSubDeps, feed: Feed, discovery: WebSubDiscovery): Promise<SubscribeOutcome> {
  if (deps.websub === undefined) return { status: 'disabled' };
  const hub = discovery.hubs[0];
  if (hub === undefined) return { status: 'no-hub' };
  const topic = discovery.self ?? feed.url;
  const now = deps.clock.now();
  const subscription = requestSubscription(feed.websub, { hub, topic, now, newSecret: () => generateWebSubSecret(deps.randomBytes) });
  await deps.feeds.put({ ...feed, websub: subscription });
  return sendSubscriptionRequest(deps, feed.feedId, subscription);
}

async function sendSubscriptionRequest(deps: WebSubDeps, feedId: string, subscription: WebSubSubscription): Promise<SubscribeOutcome> {
  const websub = deps.websub!;
  const form = buildSubscriptionRequest({
    mode: 'subscribe',
    topic: subscription.topic,
    callback: websub.callbackUrl(feedId),
    secret: subscription.secret,
    leaseSeconds: subscription.requestedLeaseSeconds,
  });
  let reason: string;
  try {
    const answer = await websub.hub.request(subscription.hub, form);
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
 * on the scheduler's tick; cheap when nothing is due.
 */
export async function renewDueWebSubLeases(deps: WebSubDeps): Promise<RenewalResult> {
  const result: RenewalResult = { requested: 0, failed: 0 };
  if (deps.websub === undefined) return result;
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

function text(statusCode: number, body: string): { statusCode: number; headers: Record<string, string>; body: string } {
  return { statusCode, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}

/**
 * Takes pushed content through the poller's own code path (pollFeed: parse, normalise, dedupe, classify, store,
 * announce) by handing it a fetcher that returns the pushed body. The clock is frozen at the push time so the
 * health stamp it writes can be told apart from a poll's (see lastPolledAt).
 */
export async function ingestFeedBody(
  deps: PollerDeps,
  feed: Feed,
  body: Buffer,
  contentType: string | undefined,
  at: Date,
): Promise<PollOutcome> {
  const pushed: FetchFeedResult = {
    status: 'ok',
    url: feed.url,
    finalUrl: feed.url,
    permanentRedirect: false,
    body,
    httpStatus: 200,
    ...(contentType !== undefined ? { contentType } : {}),
  };
  return pollFeed({ ...deps, clock: { now: () => at }, fetcher: { fetch: async () => pushed } }, feed.feedId);
}

/** GET and POST /websub/{feedId}: public, each request authenticated by what WebSub gives (challenge, HMAC). */
export function websubCallbackRoutes(deps: WebSubCallbackDeps): Route[] {
  return publicRoutes([
    route('GET', '/websub/{feedId}', async (req) => {
      const feed = await deps.feeds.get(req.params.feedId!);
      const answer = answerIntentVerification(feed?.websub, req.query, deps.clock.now());
      if (answer.status === 404 || feed === undefined) {
        deps.logger.warn('websub verification refused', { feedId: req.params.feedId, why: answer.status === 404 ? answer.why : 'no feed' });
        return text(404, 'not found');
      }
      await deps.feeds.put({ ...feed, websub: answer.next });
      deps.logger.info('websub verified', { feedId: feed.feedId, mode: req.query['hub.mode'], leaseExpiresAt: answer.next.leaseExpiresAt });
      return text(200, answer.body);
    }),
    route('POST', '/websub/{feedId}', async (req) => {
      const feed = await deps.feeds.get(req.params.feedId!);
      const subscription = feed?.websub;
      // Unknown feed or no subscription: 404 tells the hub to stop; nothing is read or written.
      if (feed === undefined || subscription === undefined || subscription.state === 'unsubscribed' || subscription.state === 'denied') {
        return text(404, 'not found');
      }
      if (req.rawBytes.length > MAX_PUSH_BYTES) return text(413, 'too large');
      // WebSub 8: a push with a missing or wrong signature is ignored. We say so (403) rather than feign a 2xx:
      // an HMAC-SHA256 key cannot be brute-forced through the answer, and an operator debugging a hub needs it.
      if (!verifyPushSignature(req.headers['x-hub-signature'], req.rawBytes, subscription.secret)) {
        deps.logger.warn('websub push rejected: bad signature', { feedId: feed.feedId });
        return text(403, 'signature mismatch');
      }
      const at = deps.clock.now();
      const polledAt = lastPolledAt(feed, subscription);
      const outcome = await ingestFeedBody(deps, feed, req.rawBytes, req.headers['content-type'], at);
      const after = await deps.feeds.get(feed.feedId);
      if (after?.websub !== undefined) {
        const websub: WebSubSubscription = { ...after.websub, lastPushAt: at.toISOString(), ...(polledAt !== undefined ? { lastPolledAt: polledAt } : {}) };
        try {
          await deps.feeds.put({ ...after, websub, nextPollAt: nextPollAfterPush(after, websub, at) });
        } catch (error) {
          if (!(error instanceof NotFoundError)) throw error;
        }
      }
      deps.logger.info('websub push', { feedId: feed.feedId, outcome: outcome.status });
      return text(200, outcome.status);
    }),
  ]);
}

/** The WebSub callback as its own API handler: the same router, only public routes, so no authentication layer. */
export function createWebSubHandler(deps: WebSubCallbackDeps) {
  const routes = websubCallbackRoutes(deps);
  return withObservability(deps, async (event: APIGatewayProxyEventV2, _context: Context) =>
    handleApiRequest(deps.logger, routes, event, async () => undefined),
  );
}
