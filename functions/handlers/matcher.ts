// matcher: article.created (SNS -> SQS, raw delivery) -> matching subscriptions -> one DeliveryMessage each.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { buildAlert, deliveryIdFor } from '#domain/alert.js';
import { matchSubscriptions } from '#domain/matching.js';
import type { ArticleEvent, DeliveryMessage, Subscription } from '#domain/types.js';
import { withObservability } from '#shared/middleware.js';
import type { PipelineDeps } from './deps.js';

export type MatcherDeps = Pick<PipelineDeps, 'subscriptions' | 'deliveryQueue' | 'clock' | 'logger'>;

// The article itself was validated by the poller that wrote it; here we check the envelope and the fields matching
// reads, so a foreign or truncated message fails loudly (and lands in the DLQ) instead of matching nothing.
const ArticleEventSchema = z.object({
  type: z.literal('article.created'),
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

/** Subscriptions change rarely and are read on every article: keep them warm for a short while. */
export function createSubscriptionCache(deps: Pick<MatcherDeps, 'subscriptions' | 'clock'>, ttlMs = 30_000) {
  let cached: { at: number; subscriptions: Subscription[] } | undefined;
  return {
    async get(): Promise<Subscription[]> {
      const now = deps.clock.now().getTime();
      if (!cached || now - cached.at > ttlMs) cached = { at: now, subscriptions: await deps.subscriptions.list() };
      return cached.subscriptions;
    },
    invalidate(): void {
      cached = undefined;
    },
  };
}

export async function matchArticle(
  deps: MatcherDeps,
  subscriptions: Subscription[],
  event: ArticleEvent,
): Promise<number> {
  const now = deps.clock.now();
  const matches = matchSubscriptions(subscriptions, event.article);
  if (matches.length === 0) return 0;
  const messages = matches.map(({ subscription, reasons }) => {
    const deliveryId = deliveryIdFor(subscription.subscriptionId, event.article.storyId);
    const body: DeliveryMessage = {
      deliveryId,
      subscriptionId: subscription.subscriptionId,
      articleId: event.article.storyId,
      alert: buildAlert({ deliveryId, subscription, article: event.article, reasons, now }),
    };
    return { id: deliveryId, body };
  });
  await deps.deliveryQueue.send(messages);
  deps.logger.info('article matched', { articleId: event.article.articleId, matches: messages.length });
  return messages.length;
}

export function createMatcherHandler(deps: MatcherDeps, cache = createSubscriptionCache(deps)) {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord) => {
    const event = ArticleEventSchema.parse(JSON.parse(record.body)) as unknown as ArticleEvent;
    return matchArticle(deps, await cache.get(), event);
  };
  return withObservability(deps.logger, async (event: SQSEvent, context: Context) =>
    processPartialResponse(event, recordHandler, processor, { context }),
  );
}
