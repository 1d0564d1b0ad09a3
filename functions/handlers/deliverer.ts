// deliverer: DeliveryMessage -> exactly one send per (subscription, article) -> webhook / SQS / SNS.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { DeliveryError, NewsalertError } from '#domain/errors.js';
import type { AlertPayload, DeliveryMessage } from '#domain/types.js';
import { withObservability } from '#shared/middleware.js';
import type { PipelineDeps } from './deps.js';

export type DelivererDeps = Pick<
  PipelineDeps,
  'subscriptions' | 'deliveries' | 'alertSender' | 'clock' | 'logger' | 'settings'
>;

const DeliveryMessageSchema = z.object({
  deliveryId: z.string().min(1),
  subscriptionId: z.string().min(1),
  articleId: z.string().min(1),
  alert: z.object({ type: z.literal('alert.created'), version: z.literal('1'), id: z.string() }).passthrough(),
});

/** Thrown to make SQS redeliver later: another deliverer holds the lease, or a retryable send failed. */
export class RetryLaterError extends NewsalertError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetryLaterError';
  }
}

export type DeliveryOutcome = 'delivered' | 'duplicate' | 'skipped' | 'failed-permanently';

export async function deliverAlert(deps: DelivererDeps, message: DeliveryMessage): Promise<DeliveryOutcome> {
  const subscription = await deps.subscriptions.get(message.subscriptionId);
  if (!subscription || subscription.status !== 'active') {
    deps.logger.info('delivery skipped: subscription gone or inactive', { subscriptionId: message.subscriptionId });
    return 'skipped';
  }
  const now = deps.clock.now();
  const claim = await deps.deliveries.acquire({
    subscriptionId: message.subscriptionId,
    articleId: message.articleId,
    deliveryId: message.deliveryId,
    now: now.toISOString(),
    leaseSeconds: deps.settings.deliveryLeaseSeconds,
    ttlEpochSeconds: Math.floor(now.getTime() / 1000) + deps.settings.articleRetentionDays * 86_400,
  });
  if (claim === 'delivered') return 'duplicate';
  if (claim === 'busy') throw new RetryLaterError(`delivery ${message.deliveryId} is being sent by another worker`);

  try {
    await deps.alertSender.send(subscription, message.alert);
  } catch (error) {
    const permanent = error instanceof DeliveryError && error.permanent;
    const detail = error instanceof Error ? error.message : String(error);
    await deps.deliveries.markFailed(message.subscriptionId, message.articleId, deps.clock.now().toISOString(), detail, permanent);
    if (permanent) {
      deps.logger.warn('delivery failed permanently', { deliveryId: message.deliveryId, detail });
      return 'failed-permanently';
    }
    throw new RetryLaterError(`delivery ${message.deliveryId} failed: ${detail}`, { cause: error });
  }
  await deps.deliveries.markDelivered(message.subscriptionId, message.articleId, deps.clock.now().toISOString());
  deps.logger.info('alert delivered', {
    deliveryId: message.deliveryId,
    subscriptionId: message.subscriptionId,
    channel: subscription.channel.type,
  });
  return 'delivered';
}

export function createDelivererHandler(deps: DelivererDeps) {
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SQSRecord) => {
    const parsed = DeliveryMessageSchema.parse(JSON.parse(record.body));
    return deliverAlert(deps, { ...parsed, alert: parsed.alert as unknown as AlertPayload });
  };
  return withObservability(deps.logger, async (event: SQSEvent, context: Context) =>
    processPartialResponse(event, recordHandler, processor, { context }),
  );
}
