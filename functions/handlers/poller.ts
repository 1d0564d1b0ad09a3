// poller: PollMessage -> fetch -> parse -> normalise -> drop seen articles (conditional write) -> classify -> store
// -> article.created on the articles topic.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { toArticle } from '#domain/article.js';
import { FeedError, NotFoundError } from '#domain/errors.js';
import { recordPollFailure, recordPollSuccess } from '#domain/feed.js';
import type { ArticleEvent, ClassifiedArticle, Feed } from '#domain/types.js';
import { parseFeed } from '#adapters/feed-parser.js';
import { withObservability } from '#shared/middleware.js';
import type { PipelineDeps } from './deps.js';

export type PollerDeps = Pick<
  PipelineDeps,
  'feeds' | 'articles' | 'articleEvents' | 'fetcher' | 'classify' | 'clock' | 'logger' | 'settings'
>;

const PollMessageSchema = z.object({ feedId: z.string().min(1), scheduledAt: z.string() });

export type PollOutcome =
  | { status: 'skipped'; feedId: string; why: 'unknown-feed' | 'disabled' }
  | { status: 'not-modified'; feedId: string }
  | { status: 'failed'; feedId: string; reason: string }
  | { status: 'ok'; feedId: string; items: number; created: number };

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

async function recordFailure(deps: PollerDeps, feed: Feed, now: Date, error: FeedError): Promise<PollOutcome> {
  await deps.feeds.put(
    recordPollFailure(feed, now, {
      reason: error.reason,
      detail: error.message,
      ...(error.httpStatus !== undefined ? { httpStatus: error.httpStatus } : {}),
      ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    }),
  );
  deps.logger.warn('feed poll failed', { feedId: feed.feedId, reason: error.reason, detail: error.message });
  return { status: 'failed', feedId: feed.feedId, reason: error.reason };
}

/** Polls one feed. Feed-level problems (network, HTTP, malformed XML) are recorded in its health, not thrown:
 * retrying the message cannot fix them and the next poll will. Infrastructure errors are thrown, so the message is
 * retried and, if they persist, dead-lettered. */
export async function pollFeed(deps: PollerDeps, feedId: string): Promise<PollOutcome> {
  const feed = await deps.feeds.get(feedId);
  if (!feed) return { status: 'skipped', feedId, why: 'unknown-feed' };
  if (!feed.enabled) return { status: 'skipped', feedId, why: 'disabled' };
  const now = deps.clock.now();

  let fetched;
  try {
    fetched = await deps.fetcher.fetch({
      url: feed.url,
      ...(feed.etag ? { etag: feed.etag } : {}),
      ...(feed.lastModified ? { lastModified: feed.lastModified } : {}),
    });
  } catch (error) {
    if (error instanceof FeedError) return recordFailure(deps, feed, now, error);
    throw error;
  }
  const movedTo = fetched.permanentRedirect ? fetched.finalUrl : undefined;
  const validators = {
    ...(fetched.etag !== undefined ? { etag: fetched.etag } : {}),
    ...(fetched.lastModified !== undefined ? { lastModified: fetched.lastModified } : {}),
  };

  if (fetched.status === 'not-modified') {
    await deps.feeds.put(recordPollSuccess(feed, now, { httpStatus: 304, items: 0, ...validators, ...(movedTo ? { url: movedTo } : {}) }));
    return { status: 'not-modified', feedId };
  }

  let parsed;
  try {
    parsed = await parseFeed(fetched.body, fetched.contentType);
  } catch (error) {
    if (error instanceof FeedError) return recordFailure(deps, feed, now, error);
    throw error;
  }

  const fetchedAt = now.toISOString();
  const sourceName = feed.sourceName ?? parsed.title?.trim() ?? hostOf(feed.url);
  const language = feed.language ?? parsed.language;
  const seen = new Set<string>();
  const expiresAt = Math.floor(now.getTime() / 1000) + deps.settings.articleRetentionDays * 86_400;
  let created = 0;
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
    const classification = deps.classify({
      title: article.title,
      text: article.summary,
      ...(article.language !== 'und' ? { language: article.language } : {}),
      ...(feed.sourceCountry ? { sourceCountry: feed.sourceCountry } : {}),
    });
    const classified: ClassifiedArticle = {
      ...article,
      language: article.language !== 'und' ? article.language : classification.language,
      classification,
    };
    const isNew = await deps.articles.putIfNew(classified, expiresAt);
    if (!isNew) continue;
    const event: ArticleEvent = {
      type: 'article.created',
      version: '1',
      eventId: `article.created:${classified.articleId}`,
      occurredAt: fetchedAt,
      article: classified,
    };
    // Publish, then mark: a crash in between re-announces on the next poll (at-least-once; the deliverer's
    // per-story lease turns that into exactly one alert), whereas the other order could lose the alert.
    await deps.articleEvents.publish(event);
    await deps.articles.markAnnounced(classified.articleId);
    created += 1;
  }

  await deps.feeds.put(
    recordPollSuccess(feed, now, { httpStatus: fetched.httpStatus, items: parsed.items.length, ...validators, ...(movedTo ? { url: movedTo } : {}) }),
  );
  deps.logger.info('feed polled', { feedId, items: parsed.items.length, created });
  return { status: 'ok', feedId, items: parsed.items.length, created };
}

export function createPollerHandler(deps: PollerDeps) {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord) => {
    const message = PollMessageSchema.parse(JSON.parse(record.body));
    try {
      return await pollFeed(deps, message.feedId);
    } catch (error) {
      // The feed was deleted while it was being polled: its last health write has nowhere to go.
      if (error instanceof NotFoundError) return { status: 'skipped', feedId: message.feedId, why: 'unknown-feed' } satisfies PollOutcome;
      throw error;
    }
  };
  return withObservability(deps.logger, async (event: SQSEvent, context: Context) =>
    processPartialResponse(event, recordHandler, processor, { context }),
  );
}
