// matcher: article.created (SNS -> SQS, raw delivery) -> matching subscriptions -> one DeliveryMessage each.
//
// article.updated (from the poller, issue 3: a seen item whose title or summary materially changed; eventId
// "article.updated:<articleId>:r<revision>", article.revision = n >= 1, storyId unchanged) never makes a new
// alert.created. Only subscriptions that opted in (receiveStoryUpdates) get one, typed "story.updated", keyed
// "<storyId>#u<revision>" so it neither collides with nor is swallowed by the story's once-per-story key. The
// delivery engineer owns how story.updated is rendered and delivered beyond this.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { buildAlert, deliveryIdFor } from '#domain/alert.js';
import { buildMatchIndex, matchArticle as matchIndexedArticle, type MatchIndex } from '#domain/match-index.js';
import type { ArticleEvent, DeliveryMessage } from '#domain/types.js';
import { withObservability } from '#shared/middleware.js';
import type { PipelineDeps } from './deps.js';

export type MatcherDeps = Pick<PipelineDeps, 'subscriptions' | 'deliveryQueue' | 'clock' | 'logger' | 'metrics' | 'tracer'>;

// The article itself was validated by the poller that wrote it; here we check the envelope and the fields matching
// reads, so a foreign or truncated message fails loudly (and lands in the DLQ) instead of matching nothing.
const ArticleEventSchema = z.object({
  type: z.enum(['article.created', 'article.updated']),
  version: z.literal('1'),
  eventId: z.string(),
  occurredAt: z.string(),
  article: z
    .object({
      articleId: z.string(),
      storyId: z.string(),
      title: z.string(),
      summary: z.string(),
      classification: z.object({ topics: z.array(z.unknown()), countries: z.array(z.unknown()) }).passthrough(),
    })
    .passthrough(),
});

export interface MatchIndexCacheOptions {
  /**
   * Rebuild at least this often even when the version did not move: a writer that died between its write and its
   * version bump must not leave the index stale for the life of the Lambda. @default 300_000 (5 minutes)
   */
  maxAgeMs?: number;
  /**
   * After a rebuild that took B ms (scan + build), a moved version is picked up no sooner than
   * max(minRefreshMs, 2 × B) after it, so a busy API (every write moves the version) cannot keep the matcher
   * rebuilding: at least two thirds of its time goes to matching. @default 5_000
   */
  minRefreshMs?: number;
  /** Monotonic milliseconds, to time the rebuild. Tests hand in a fake instead of sleeping. @default performance.now */
  monotonicMs?: () => number;
}

/**
 * The match index, kept warm in Lambda memory across invocations. Subscriptions change rarely and are read for
 * every article, so each batch asks only for the repository's version (one small read) and rebuilds the index
 * when it moved.
 *
 * A moved version waits for the refresh window (see minRefreshMs). That staleness is safe: the deliverer re-reads
 * each subscription before sending (planDelivery drops paused, disabled and deleted ones), so a stale index can only
 * delay a new or changed subscription's first matches by the window, never send to one that was paused or deleted.
 */
export function createMatchIndexCache(deps: Pick<MatcherDeps, 'subscriptions' | 'clock' | 'logger'>, options: MatchIndexCacheOptions = {}) {
  const maxAgeMs = options.maxAgeMs ?? 300_000;
  const minRefreshMs = options.minRefreshMs ?? 5_000;
  const monotonicMs = options.monotonicMs ?? (() => performance.now());
  // builtAt: when the data was read (maxAge counts from there); refreshFrom: when a moved version may be picked up.
  let cached: { version: number; builtAt: number; refreshFrom: number; index: MatchIndex } | undefined;
  let building: Promise<MatchIndex> | undefined;

  async function rebuild(version: number, now: number): Promise<MatchIndex> {
    // Dropped before the scan, not after: at a million subscriptions the old index and its subscriptions are
    // ~0.9 GB, and holding them through the rebuild would double the memory the matcher needs.
    cached = undefined;
    const started = monotonicMs();
    const subscriptions = await deps.subscriptions.list();
    const listed = monotonicMs();
    const index = buildMatchIndex(subscriptions);
    const tookMs = Math.max(0, monotonicMs() - started);
    const refreshWindowMs = Math.max(minRefreshMs, 2 * tookMs);
    const finished = deps.clock.now().getTime();
    cached = { version, builtAt: now, refreshFrom: finished + refreshWindowMs, index };
    deps.logger.info('match index built', {
      version,
      ...index.stats,
      ms: Math.round(tookMs),
      listMs: Math.round(listed - started),
      refreshWindowMs: Math.round(refreshWindowMs),
    });
    return index;
  }

  return {
    async get(): Promise<MatchIndex> {
      const now = deps.clock.now().getTime();
      // The version is read before the list: a change that lands in between is seen again at the next batch.
      const version = await deps.subscriptions.getVersion();
      if (cached && now - cached.builtAt <= maxAgeMs && (cached.version === version || now < cached.refreshFrom)) {
        return cached.index;
      }
      // Concurrent batches in one process (the local runtime can run several) share one rebuild.
      building ??= rebuild(version, now).finally(() => {
        building = undefined;
      });
      return building;
    },
    invalidate(): void {
      cached = undefined;
    },
  };
}

export async function matchArticle(
  deps: MatcherDeps,
  index: MatchIndex,
  event: ArticleEvent,
): Promise<number> {
  const now = deps.clock.now();
  const isUpdate = event.type === 'article.updated';
  const matches = matchIndexedArticle(index, event.article, now).filter(({ receiveStoryUpdates }) => !isUpdate || receiveStoryUpdates);
  if (matches.length === 0) return 0;
  const deliveryKey = isUpdate ? `${event.article.storyId}#u${event.article.revision ?? 0}` : event.article.storyId;
  const messages = matches.map(({ subscriptionId, reasons }) => {
    const deliveryId = deliveryIdFor(subscriptionId, deliveryKey);
    const alert = buildAlert({ deliveryId, subscription: { subscriptionId }, article: event.article, reasons, now });
    const body: DeliveryMessage = {
      deliveryId,
      subscriptionId,
      articleId: deliveryKey,
      alert: isUpdate ? { ...alert, type: 'story.updated' } : alert,
    };
    return { id: deliveryId, body };
  });
  await deps.deliveryQueue.send(messages);
  deps.logger.info('article matched', { articleId: event.article.articleId, matches: messages.length });
  deps.metrics?.count('AlertsMatched', messages.length);
  return messages.length;
}

export function createMatcherHandler(deps: MatcherDeps, cache = createMatchIndexCache(deps)) {
  const processor = new BatchProcessor(EventType.SQS);
  return withObservability(deps, async (event: SQSEvent, context: Context) => {
    // Once per batch: every record of the batch is matched against the same index.
    const index = await cache.get();
    const recordHandler = async (record: SQSRecord) => {
      const articleEvent = ArticleEventSchema.parse(JSON.parse(record.body)) as unknown as ArticleEvent;
      return matchArticle(deps, index, articleEvent);
    };
    return processPartialResponse(event, recordHandler, processor, { context });
  });
}
