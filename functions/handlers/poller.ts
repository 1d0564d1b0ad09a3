// poller: PollMessage -> host lease -> fetch -> the ingest core (ingest.ts: parse, normalise, per item new, edited
// or unchanged) -> the feed's health and next poll time -> a WebSub subscription, if the feed advertises a hub we
// are not subscribed to.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { FeedError, NotFoundError } from '#domain/errors.js';
import { deferPoll, pollingPolicyOf, recordPollFailure, recordPollSuccess, type PollingPolicy } from '#domain/feed.js';
import type { FetchFeedResult } from '#domain/ports.js';
import type { Feed, PollMessage, WebSubSubscription } from '#domain/types.js';
import { nextSubscriptionAttemptAt } from '#domain/websub.js';
import { discoverWebSub } from '#adapters/websub-discovery.js';
import { withObservability, type Observability } from '#shared/middleware.js';
import type { PipelineSettings, Ports } from './deps.js';
import { ingestFeedBody, type IngestDeps, type IngestResult } from './ingest.js';
import { subscribeFeedToHub } from './websub-subscriber.js';

export type PollerDeps = IngestDeps &
  Pick<Ports, 'feeds' | 'fetcher' | 'clock' | 'pollQueue' | 'hostLimiter' | 'randomBytes'> &
  Observability & {
    settings: Pick<PipelineSettings, 'articleRetentionDays' | 'polling'>;
    /** Subscribes feeds whose polls advertise a hub. @default - none: WebSub is off, feeds are only polled */
    websub?: Ports['websub'];
  };

const PollMessageSchema = z.object({
  feedId: z.string().min(1),
  scheduledAt: z.string(),
  deferrals: z.number().int().min(0).optional(),
});

export type PollOutcome =
  | { status: 'skipped'; feedId: string; why: 'unknown-feed' | 'disabled' }
  | { status: 'deferred'; feedId: string; retryAfterSeconds: number; requeued: boolean }
  | { status: 'not-modified'; feedId: string }
  | { status: 'failed'; feedId: string; reason: string }
  | { status: 'ok'; feedId: string; items: number; created: number; updated: number };

type FetchedFeed = Extract<FetchFeedResult, { status: 'ok' }>;

/** SQS DelaySeconds is whole seconds, at most 900. */
const MAX_DELAY_SECONDS = 900;

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

async function recordFailure(deps: PollerDeps, policy: PollingPolicy, feed: Feed, now: Date, error: FeedError): Promise<PollOutcome> {
  await deps.feeds.put(
    recordPollFailure(
      feed,
      now,
      {
        reason: error.reason,
        detail: error.message,
        ...(error.httpStatus !== undefined ? { httpStatus: error.httpStatus } : {}),
        ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
      },
      policy,
    ),
  );
  deps.logger.warn('feed poll failed', { feedId: feed.feedId, reason: error.reason, detail: error.message });
  deps.metrics?.count('FeedFetchErrors', 1, { name: 'reason', value: error.reason });
  return { status: 'failed', feedId: feed.feedId, reason: error.reason };
}

/**
 * The host is busy (another poller is fetching from it, or did so less than the spacing ago): put this poll back on
 * the queue with a delay, so nothing is fetched now and no receive is spent. Past maxDeferrals the feed's nextPollAt
 * moves instead and the scheduler enqueues it again.
 */
async function deferFeed(
  deps: PollerDeps,
  policy: PollingPolicy,
  feed: Feed,
  message: PollMessage,
  retryAfterMs: number,
): Promise<PollOutcome> {
  const delaySeconds = Math.min(Math.max(Math.ceil(retryAfterMs / 1000), 1), MAX_DELAY_SECONDS);
  const deferrals = (message.deferrals ?? 0) + 1;
  if (deferrals <= policy.maxDeferrals) {
    const body: PollMessage = { feedId: feed.feedId, scheduledAt: message.scheduledAt, deferrals };
    await deps.pollQueue.send([{ id: feed.feedId, body, delaySeconds }]);
    deps.logger.debug('poll deferred: host busy', { feedId: feed.feedId, delaySeconds, deferrals });
    return { status: 'deferred', feedId: feed.feedId, retryAfterSeconds: delaySeconds, requeued: true };
  }
  await deps.feeds.put(deferPoll(feed, deps.clock.now(), delaySeconds));
  deps.logger.info('poll left to the scheduler: host busy', { feedId: feed.feedId, delaySeconds, deferrals });
  return { status: 'deferred', feedId: feed.feedId, retryAfterSeconds: delaySeconds, requeued: false };
}

/** Only a feed without a subscription, or whose last request failed and has waited out its backoff, asks a hub: a
 * pending or verified subscription is the renewer's to keep, and a denied or unsubscribed one stays so. */
function hubRequestDue(subscription: WebSubSubscription | undefined, now: Date): boolean {
  if (subscription === undefined) return true;
  if (subscription.state !== 'failed') return false;
  const due = nextSubscriptionAttemptAt(subscription);
  return due !== undefined && due.getTime() <= now.getTime();
}

/**
 * Feeds that never went through the API's validation fetch (seed feeds, OPML imports) or that began advertising a
 * hub later get push delivery too: a full fetch is looked at for hub links, in its Link header and its head. Never
 * fails the poll, whose articles are stored and announced already; hub answers are recorded on the feed by
 * subscribeFeedToHub, and anything else is logged.
 */
async function subscribeAdvertisedHub(deps: PollerDeps, feed: Feed, fetched: FetchedFeed, now: Date): Promise<void> {
  const { websub } = deps;
  if (websub === undefined) {
    deps.logger.debug('websub discovery skipped: no callback URL', { feedId: feed.feedId });
    return;
  }
  if (!hubRequestDue(feed.websub, now)) return;
  const discovery = discoverWebSub(fetched.body, fetched.finalUrl, fetched.linkHeader);
  if (discovery.hubs.length === 0) return;
  try {
    const outcome = await subscribeFeedToHub({ ...deps, websub }, feed, discovery);
    deps.logger.info('websub hub found on poll', { feedId: feed.feedId, hub: discovery.hubs[0], outcome: outcome.status });
  } catch (error) {
    // Deliberately broad: a store error here must not make SQS retry a poll whose articles went out already.
    if (!(error instanceof Error)) throw error;
    deps.logger.warn('websub subscription on poll not recorded', { feedId: feed.feedId, error: error.message });
  }
}

/** What a response says about the feed itself, whatever its body: validators, caching, a permanent move. */
function responseFactsOf(fetched: FetchFeedResult) {
  return {
    ...(fetched.etag !== undefined ? { etag: fetched.etag } : {}),
    ...(fetched.lastModified !== undefined ? { lastModified: fetched.lastModified } : {}),
    ...(fetched.maxAgeSeconds !== undefined ? { maxAgeSeconds: fetched.maxAgeSeconds } : {}),
    ...(fetched.permanentRedirect ? { url: fetched.finalUrl } : {}),
  };
}

/** The health a full fetch leaves: what it held, what was new, the publisher's hints, the next poll time. */
function polledFeed(feed: Feed, now: Date, fetched: FetchedFeed, result: IngestResult, policy: PollingPolicy): Feed {
  const { parsed } = result;
  return recordPollSuccess(
    feed,
    now,
    {
      httpStatus: fetched.httpStatus,
      items: result.items,
      newItems: result.created,
      itemDates: result.itemDates,
      hints: {
        ...(parsed.ttlMinutes !== undefined ? { ttlSeconds: parsed.ttlMinutes * 60 } : {}),
        ...(parsed.updatePeriodSeconds !== undefined ? { updatePeriodSeconds: parsed.updatePeriodSeconds } : {}),
      },
      ...responseFactsOf(fetched),
    },
    policy,
  );
}

/** A full fetch: its body through the ingest core, then the feed's health, then a hub it may advertise. */
async function ingestFetched(deps: PollerDeps, policy: PollingPolicy, feed: Feed, fetched: FetchedFeed, now: Date): Promise<PollOutcome> {
  let result: IngestResult;
  try {
    result = await ingestFeedBody(deps, {
      feed,
      body: fetched.body,
      ...(fetched.contentType === undefined ? {} : { contentType: fetched.contentType }),
      bodyUrl: fetched.finalUrl,
      at: now,
    });
  } catch (error) {
    if (error instanceof FeedError) return recordFailure(deps, policy, feed, now, error);
    throw error;
  }
  const polled = polledFeed(feed, now, fetched, result, policy);
  await deps.feeds.put(polled);
  const { items, created, updated } = result;
  deps.logger.info('feed polled', { feedId: feed.feedId, items, created, updated });
  // Over the reader's item cap or parse budget: the newest items were taken, the rest left out for this poll.
  if (result.parsed.dropped !== undefined) deps.logger.warn('feed items dropped', { feedId: feed.feedId, ...result.parsed.dropped });
  deps.metrics?.count('ArticlesIngested', created);
  // After the health write, from the record it wrote: the subscription is stored over it, not under it.
  await subscribeAdvertisedHub(deps, polled, fetched, now);
  return { status: 'ok', feedId: feed.feedId, items, created, updated };
}

/** Polls one feed. Feed-level problems (network, HTTP, malformed XML) are recorded in its health, not thrown:
 * retrying the message cannot fix them and the next poll will. Infrastructure errors are thrown, so the message is
 * retried and, if they persist, dead-lettered. */
export async function pollFeed(deps: PollerDeps, feedId: string, message?: PollMessage): Promise<PollOutcome> {
  const feed = await deps.feeds.get(feedId);
  if (!feed) return { status: 'skipped', feedId, why: 'unknown-feed' };
  if (!feed.enabled) return { status: 'skipped', feedId, why: 'disabled' };
  const policy = pollingPolicyOf(deps.settings.polling);

  const lease = await deps.hostLimiter.acquire(hostOf(feed.url), deps.clock.now());
  if (!lease.granted) {
    return deferFeed(deps, policy, feed, message ?? { feedId, scheduledAt: deps.clock.now().toISOString() }, lease.retryAfterMs);
  }
  const now = deps.clock.now();
  deps.metrics?.count('FeedsPolled');

  let fetched;
  try {
    fetched = await deps.fetcher.fetch({
      url: feed.url,
      ...(feed.etag ? { etag: feed.etag } : {}),
      ...(feed.lastModified ? { lastModified: feed.lastModified } : {}),
    });
  } catch (error) {
    if (error instanceof FeedError) return recordFailure(deps, policy, feed, now, error);
    throw error;
  } finally {
    // The host is free once its bytes are in; parsing and storing do not touch it.
    await lease.release();
  }
  if (fetched.status === 'not-modified') {
    await deps.feeds.put(recordPollSuccess(feed, now, { httpStatus: 304, items: 0, ...responseFactsOf(fetched) }, policy));
    deps.metrics?.count('NotModified');
    return { status: 'not-modified', feedId };
  }
  return ingestFetched(deps, policy, feed, fetched, now);
}

export function createPollerHandler(deps: PollerDeps) {
  const recordHandler = async (record: SQSRecord) => {
    const message = PollMessageSchema.parse(JSON.parse(record.body));
    try {
      return await pollFeed(deps, message.feedId, message);
    } catch (error) {
      // The feed was deleted while it was being polled: its last health write has nowhere to go.
      if (error instanceof NotFoundError) return { status: 'skipped', feedId: message.feedId, why: 'unknown-feed' } satisfies PollOutcome;
      throw error;
    }
  };
  return withObservability(deps, async (event: SQSEvent, context: Context) =>
    processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), { context }),
  );
}
