// WebSub, the callback side: answer a hub's verification of intent, and take signed pushes into the ingest core.
// The callback is a PUBLIC route (hubs cannot sign SigV4 nor hold an API key): it authenticates pushes by
// X-Hub-Signature with the per-subscription secret, and echoes a challenge only for a subscription we requested.
// In AWS it is its own Lambda (functions/lambda/websub.ts) on the same HTTP API, so the api function needs neither
// the articles topic nor the classifier. A push is not a poll: it fetches nothing and leaves the feed's poll health
// alone; it stores and announces what it carries, and stretches polling while pushes keep coming.
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod';
import { FeedError, NotFoundError } from '#domain/errors.js';
import { recordPushedItems } from '#domain/feed.js';
import type { Feed, WebSubSubscription } from '#domain/types.js';
import { answerIntentVerification, lastPolledAt, nextPollAfterPush, verifyPushSignature } from '#domain/websub.js';
import { withObservability, type Observability } from '#shared/middleware.js';
import { handleApiRequest, publicRoutes, route, type ApiRequest, type Route } from './api/router.js';
import type { Ports } from './deps.js';
import { ingestFeedBody, type IngestDeps } from './ingest.js';

export type WebSubCallbackDeps = IngestDeps & Pick<Ports, 'feeds' | 'clock'> & Observability;

/** Pushes bigger than the fetcher's default cap are refused like an oversized poll. */
const MAX_PUSH_BYTES = 15 * 1024 * 1024;

function text(statusCode: number, body: string): { statusCode: number; headers: Record<string, string>; body: string } {
  return { statusCode, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}

/**
 * The pushed body through the ingest core, as fetched from the feed's URL (relative links resolve as a poll's do).
 * A body that is no usable feed is logged and acknowledged: a hub retrying it would only send it again.
 */
async function ingestPush(deps: WebSubCallbackDeps, feed: Feed, req: ApiRequest, at: Date): Promise<{ status: string; created: number }> {
  try {
    const result = await ingestFeedBody(deps, {
      feed,
      body: req.rawBytes,
      ...(req.headers['content-type'] === undefined ? {} : { contentType: req.headers['content-type'] }),
      bodyUrl: feed.url,
      at,
    });
    deps.metrics?.count('ArticlesIngested', result.created);
    // Over the reader's item cap or parse budget: the newest items were taken, the rest left out of this push.
    if (result.parsed.dropped !== undefined) deps.logger.warn('feed items dropped', { feedId: feed.feedId, ...result.parsed.dropped });
    return { status: 'ok', created: result.created };
  } catch (error) {
    if (!(error instanceof FeedError)) throw error;
    deps.logger.warn('websub push unusable', { feedId: feed.feedId, reason: error.reason, detail: error.message });
    return { status: `unusable: ${error.reason}`, created: 0 };
  }
}

/** After a push: when it came, the new articles in the publish rate, and polling put off while pushes flow. */
async function recordPush(deps: WebSubCallbackDeps, feedId: string, at: Date, created: number): Promise<void> {
  const current = await deps.feeds.get(feedId);
  if (current?.websub === undefined) return;
  const polledAt = lastPolledAt(current, current.websub);
  const websub: WebSubSubscription = { ...current.websub, lastPushAt: at.toISOString(), ...(polledAt !== undefined ? { lastPolledAt: polledAt } : {}) };
  const counted = recordPushedItems(current, at, created);
  try {
    await deps.feeds.put({ ...counted, websub, nextPollAt: nextPollAfterPush(counted, websub, at) });
  } catch (error) {
    // Deleted while the push was being stored: nothing to schedule.
    if (!(error instanceof NotFoundError)) throw error;
  }
}

/** A hub's verification request: hub.mode, hub.topic, hub.challenge, hub.lease_seconds, hub.reason, and whatever else it adds. */
const HubQuery = z.object({}).catchall(z.string().max(4096));

/** GET and POST /websub/{feedId}: public, each request authenticated by what WebSub gives (challenge, HMAC). */
export function websubCallbackRoutes(deps: WebSubCallbackDeps): Route[] {
  return publicRoutes([
    route('GET', '/websub/{feedId}', async (req) => {
      const feedId = req.params.feedId ?? '';
      const feed = await deps.feeds.get(feedId);
      const answer = answerIntentVerification(feed?.websub, req.query, deps.clock.now());
      if (answer.status === 404 || feed === undefined) {
        deps.logger.warn('websub verification refused', { feedId, why: answer.status === 404 ? answer.why : 'no feed' });
        return text(404, 'not found');
      }
      await deps.feeds.put({ ...feed, websub: answer.next });
      deps.logger.info('websub verified', { feedId: feed.feedId, mode: req.query['hub.mode'], leaseExpiresAt: answer.next.leaseExpiresAt });
      return text(200, answer.body);
    }, { query: HubQuery }),
    route('POST', '/websub/{feedId}', async (req) => {
      const feed = await deps.feeds.get(req.params.feedId ?? '');
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
      const outcome = await ingestPush(deps, feed, req, at);
      await recordPush(deps, feed.feedId, at, outcome.created);
      deps.logger.info('websub push', { feedId: feed.feedId, outcome: outcome.status, created: outcome.created });
      return text(200, outcome.status);
    }),
  ]);
}

/** The WebSub callback as its own API handler: the same router, only public routes, so no authentication layer. */
export function createWebSubCallbackHandler(deps: WebSubCallbackDeps) {
  const routes = websubCallbackRoutes(deps);
  return withObservability(deps, async (event: APIGatewayProxyEventV2, _context: Context) =>
    handleApiRequest(deps.logger, routes, event, async () => undefined),
  );
}
