// poller: PollMessage -> host lease -> fetch -> parse -> normalise -> per item: seen and unchanged (nothing), edited
// (update + article.updated), or new (story id from near-duplicates, classify, store + article.created) -> the
// feed's health and next poll time -> a WebSub subscription, if the feed advertises a hub we are not subscribed to.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { toArticle } from '#domain/article.js';
import { FeedError, NotFoundError } from '#domain/errors.js';
import { deferPoll, pollingPolicyOf, recordPollFailure, recordPollSuccess, type PollingPolicy } from '#domain/feed.js';
import type { FetchFeedResult, StoredArticleState } from '#domain/ports.js';
import { feedLanguageOf } from '#domain/feed-item.js';
import { chooseStory, contentHashFor, STORY_WINDOW_HOURS, storyFingerprint, storyKeys } from '#domain/story.js';
import type { Article, ArticleEvent, ClassifiedArticle, Feed, PollMessage, WebSubSubscription } from '#domain/types.js';
import { nextSubscriptionAttemptAt } from '#domain/websub.js';
import { parseFeed } from '#adapters/reader/index.js';
import { discoverWebSub } from '#adapters/websub-discovery.js';
import { withObservability } from '#shared/middleware.js';
import type { PipelineDeps } from './deps.js';
// A cycle (websub.ts takes pushes through pollFeed), harmless: neither module calls the other while loading.
import { subscribeFeedToHub } from './websub.js';

export type PollerDeps = Pick<
  PipelineDeps,
  'feeds' | 'articles' | 'articleEvents' | 'fetcher' | 'classify' | 'clock' | 'logger' | 'metrics' | 'tracer' | 'settings'
> &
  Partial<Pick<PipelineDeps, 'pollQueue' | 'stories' | 'hostLimiter' | 'websub' | 'randomBytes'>>;

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
 * the queue with a delay, so nothing is fetched now and no receive is spent. Past maxDeferrals, or without a queue,
 * the feed's nextPollAt moves instead and the scheduler enqueues it again.
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
  if (deps.pollQueue && deferrals <= policy.maxDeferrals) {
    const body: PollMessage = { feedId: feed.feedId, scheduledAt: message.scheduledAt, deferrals };
    await deps.pollQueue.send([{ id: feed.feedId, body, delaySeconds }]);
    deps.logger.debug('poll deferred: host busy', { feedId: feed.feedId, delaySeconds, deferrals });
    return { status: 'deferred', feedId: feed.feedId, retryAfterSeconds: delaySeconds, requeued: true };
  }
  await deps.feeds.put(deferPoll(feed, deps.clock.now(), delaySeconds));
  deps.logger.info('poll left to the scheduler: host busy', { feedId: feed.feedId, delaySeconds, deferrals });
  return { status: 'deferred', feedId: feed.feedId, retryAfterSeconds: delaySeconds, requeued: false };
}

function articleEvent(type: ArticleEvent['type'], article: ClassifiedArticle, occurredAt: string): ArticleEvent {
  const revision = article.revision ?? 0;
  return {
    type,
    version: '1',
    // One id per article and revision: a re-announcement after a crash carries the same id as the first attempt.
    eventId: type === 'article.created' ? `article.created:${article.articleId}` : `article.updated:${article.articleId}:r${revision}`,
    occurredAt,
    article,
  };
}

/** The story an article joins: the first article of the closest near-duplicate in the window, else its own id. */
async function assignStory(deps: PollerDeps, article: Article, now: Date): Promise<string> {
  if (!deps.stories) return article.articleId;
  const fingerprint = storyFingerprint(article.title, article.summary);
  const keys = storyKeys(fingerprint);
  if (keys.length === 0) return article.articleId;
  const windowMs = STORY_WINDOW_HOURS * 3_600_000;
  const candidates = await deps.stories.findCandidates(keys, new Date(now.getTime() - windowMs).toISOString());
  const chosen = chooseStory({ articleId: article.articleId, feedId: article.feedId, fingerprint }, candidates);
  const storyId = chosen?.storyId ?? article.articleId;
  // Filed before the article is stored: a crash in between leaves an entry the retry rewrites with the same key.
  await deps.stories.record(
    { articleId: article.articleId, storyId, feedId: article.feedId, seenAt: article.fetchedAt, fingerprint },
    keys,
    Math.floor((now.getTime() + windowMs) / 1000) + 86_400,
  );
  return storyId;
}

interface ItemContext {
  deps: PollerDeps;
  feed: Feed;
  now: Date;
  fetchedAt: string;
  expiresAt: number;
}

function classifyArticle(ctx: ItemContext, article: Article): ClassifiedArticle {
  const classification = ctx.deps.classify({
    title: article.title,
    text: article.summary,
    ...(article.language !== 'und' ? { language: article.language } : {}),
    ...(ctx.feed.sourceCountry ? { sourceCountry: ctx.feed.sourceCountry } : {}),
    url: article.url,
    feedUrl: ctx.feed.url,
    ...(ctx.feed.language ? { languageTag: ctx.feed.language } : {}),
    ...(article.categories ? { categories: article.categories } : {}),
  });
  return {
    ...article,
    language: article.language !== 'und' ? article.language : classification.language,
    classification,
  };
}

/** Publishes, then marks: a crash in between re-announces on the next poll (at-least-once) instead of losing it. */
async function announce(ctx: ItemContext, type: ArticleEvent['type'], article: ClassifiedArticle): Promise<void> {
  await ctx.deps.articleEvents.publish(articleEvent(type, article, ctx.fetchedAt));
  await ctx.deps.articles.markAnnounced(article.articleId, type === 'article.updated' ? article.revision : undefined);
}

type ItemResult = 'created' | 'updated' | 'unchanged';

/** The events an earlier, interrupted poll stored but never published; counted as if made now. */
async function announcePending(ctx: ItemContext, state: StoredArticleState): Promise<ItemResult> {
  if (state.announced && state.revision <= state.announcedRevision) return 'unchanged';
  const stored = await ctx.deps.articles.get(state.articleId, { consistent: true });
  if (!stored) return 'unchanged';
  if (!state.announced) await announce(ctx, 'article.created', stored);
  if ((stored.revision ?? 0) > state.announcedRevision) await announce(ctx, 'article.updated', stored);
  return state.announced ? 'updated' : 'created';
}

async function ingestItem(ctx: ItemContext, article: Article): Promise<ItemResult> {
  const { deps } = ctx;
  const contentHash = contentHashFor(article.title, article.summary);
  const state = await deps.articles.getState(article.articleId);

  if (state) {
    const storedHash = state.contentHash ?? contentHashFor(state.title, state.summary);
    if (storedHash === contentHash) return announcePending(ctx, state);
    // Edited: subscribers must have heard of the article before they hear of its edit.
    await announcePending(ctx, state);
    const previous = await deps.articles.get(article.articleId, { consistent: true });
    if (!previous) return 'unchanged';
    const revised = classifyArticle(ctx, article);
    // First-seen facts stay (id, story, first fetch, publication date, feed); what the reader sees is replaced.
    const next: ClassifiedArticle = {
      ...revised,
      storyId: previous.storyId,
      publishedAt: previous.publishedAt,
      fetchedAt: previous.fetchedAt,
      feedId: previous.feedId,
      contentHash,
      revision: (previous.revision ?? 0) + 1,
      updatedAt: ctx.fetchedAt,
    };
    if (!(await deps.articles.update(previous, next, ctx.expiresAt))) return 'unchanged';
    await announce(ctx, 'article.updated', next);
    return 'updated';
  }

  const storyId = await assignStory(deps, article, ctx.now);
  const classified: ClassifiedArticle = { ...classifyArticle(ctx, article), storyId, contentHash };
  // False: a concurrent poll stored it first, and announces it.
  if (!(await deps.articles.create(classified, ctx.expiresAt))) return 'unchanged';
  await announce(ctx, 'article.created', classified);
  return 'created';
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
async function subscribeAdvertisedHub(deps: PollerDeps, feed: Feed, fetched: Extract<FetchFeedResult, { status: 'ok' }>, now: Date): Promise<void> {
  const { websub, randomBytes } = deps;
  if (websub === undefined || randomBytes === undefined) {
    deps.logger.debug('websub discovery skipped: no callback URL', { feedId: feed.feedId });
    return;
  }
  if (!hubRequestDue(feed.websub, now)) return;
  const discovery = discoverWebSub(fetched.body, fetched.finalUrl, fetched.linkHeader);
  if (discovery.hubs.length === 0) return;
  try {
    const outcome = await subscribeFeedToHub({ ...deps, websub, randomBytes }, feed, discovery);
    deps.logger.info('websub hub found on poll', { feedId: feed.feedId, hub: discovery.hubs[0], outcome: outcome.status });
  } catch (error) {
    // Deliberately broad: a store error here must not make SQS retry a poll whose articles went out already.
    if (!(error instanceof Error)) throw error;
    deps.logger.warn('websub subscription on poll not recorded', { feedId: feed.feedId, error: error.message });
  }
}

/** Polls one feed. Feed-level problems (network, HTTP, malformed XML) are recorded in its health, not thrown:
 * retrying the message cannot fix them and the next poll will. Infrastructure errors are thrown, so the message is
 * retried and, if they persist, dead-lettered. */
export async function pollFeed(deps: PollerDeps, feedId: string, message?: PollMessage): Promise<PollOutcome> {
  const feed = await deps.feeds.get(feedId);
  if (!feed) return { status: 'skipped', feedId, why: 'unknown-feed' };
  if (!feed.enabled) return { status: 'skipped', feedId, why: 'disabled' };
  const policy = pollingPolicyOf(deps.settings.polling);

  let lease;
  if (deps.hostLimiter) {
    lease = await deps.hostLimiter.acquire(hostOf(feed.url), deps.clock.now());
    if (!lease.granted) {
      return deferFeed(deps, policy, feed, message ?? { feedId, scheduledAt: deps.clock.now().toISOString() }, lease.retryAfterMs);
    }
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
    if (lease?.granted) await lease.release();
  }
  const movedTo = fetched.permanentRedirect ? fetched.finalUrl : undefined;
  const responseFacts = {
    ...(fetched.etag !== undefined ? { etag: fetched.etag } : {}),
    ...(fetched.lastModified !== undefined ? { lastModified: fetched.lastModified } : {}),
    ...(fetched.maxAgeSeconds !== undefined ? { maxAgeSeconds: fetched.maxAgeSeconds } : {}),
    ...(movedTo ? { url: movedTo } : {}),
  };

  if (fetched.status === 'not-modified') {
    await deps.feeds.put(recordPollSuccess(feed, now, { httpStatus: 304, items: 0, ...responseFacts }, policy));
    deps.metrics?.count('NotModified');
    return { status: 'not-modified', feedId };
  }

  let parsed;
  try {
    parsed = await parseFeed(fetched.body, { contentType: fetched.contentType, baseUrl: fetched.finalUrl });
  } catch (error) {
    if (error instanceof FeedError) return recordFailure(deps, policy, feed, now, error);
    throw error;
  }

  const fetchedAt = now.toISOString();
  const sourceName = feed.sourceName ?? parsed.title?.trim() ?? hostOf(feed.url);
  // Configured, else declared by the feed (<language>, xml:lang), else detected over its items: one guess per feed
  // is steadier than one per short item.
  const detected = feed.language ?? feedLanguageOf(parsed);
  const language = detected === 'und' ? undefined : detected;
  const ctx: ItemContext = {
    deps,
    feed,
    now,
    fetchedAt,
    expiresAt: Math.floor(now.getTime() / 1000) + deps.settings.articleRetentionDays * 86_400,
  };
  const seen = new Set<string>();
  const itemDates: (string | undefined)[] = [];
  let created = 0;
  let updated = 0;
  for (const item of parsed.items) {
    const article = toArticle(item, {
      feedId,
      sourceName,
      fetchedAt,
      ...(parsed.link ? { feedLink: parsed.link } : { feedLink: fetched.finalUrl }),
      ...(language ? { language } : {}),
    });
    if (!article || seen.has(article.articleId)) continue;
    seen.add(article.articleId);
    // toArticle gives an undated item the fetch time, which says nothing about how often the feed publishes.
    itemDates.push(article.publishedAt === fetchedAt ? undefined : article.publishedAt);
    const result = await ingestItem(ctx, article);
    if (result === 'created') created += 1;
    else if (result === 'updated') updated += 1;
  }

  const polled = recordPollSuccess(
    feed,
    now,
    {
      httpStatus: fetched.httpStatus,
      items: parsed.items.length,
      newItems: created,
      itemDates,
      hints: {
        ...(parsed.ttlMinutes !== undefined ? { ttlSeconds: parsed.ttlMinutes * 60 } : {}),
        ...(parsed.updatePeriodSeconds !== undefined ? { updatePeriodSeconds: parsed.updatePeriodSeconds } : {}),
      },
      ...responseFacts,
    },
    policy,
  );
  await deps.feeds.put(polled);
  deps.logger.info('feed polled', { feedId, items: parsed.items.length, created, updated });
  // Over the reader's item cap or parse budget: the newest items were taken, the rest left out for this poll.
  if (parsed.dropped !== undefined) deps.logger.warn('feed items dropped', { feedId, ...parsed.dropped });
  deps.metrics?.count('ArticlesIngested', created);
  // After the health write, from the record it wrote: the subscription is stored over it, not under it.
  await subscribeAdvertisedHub(deps, polled, fetched, now);
  return { status: 'ok', feedId, items: parsed.items.length, created, updated };
}

export function createPollerHandler(deps: PollerDeps) {
  const processor = new BatchProcessor(EventType.SQS);
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
    processPartialResponse(event, recordHandler, processor, { context }),
  );
}
