// deliverer: DeliveryMessage -> exactly one send per (subscription, story) -> webhook / SQS / SNS / Slack.
//
// Retries follow the Standard Webhooks schedule (immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h). SQS delays
// stop at 900 s, so a failed attempt is not left to the queue's visibility timeout: the deliverer enqueues a new
// message for the next attempt, and a wait longer than 900 s travels as `delayRemainingSeconds`, re-delayed hop by
// hop until it is served. After the last attempt (or a permanent failure) the delivery goes to the DLQ, an
// alert.failed record keeps the alert for a replay, and the subscription is marked failing; a 410 disables it.
//
// The sns channel publishes to ONE shared alerts topic, where SNS-native endpoints filter on the story's attributes,
// not on subscriptions: two sns subscriptions matching a story would give such an endpoint the story twice. So an
// instant alert on that channel also takes a shared claim on (ALERTS_TOPIC_DELIVERY_KEY, story): the first
// subscription to win it publishes, and the others find it delivered and are settled without a publish.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { digestEntryOf, planDelivery, rateWindow } from '#domain/digest.js';
import { ConflictError, DeliveryError, NewsalertError, NotFoundError } from '#domain/errors.js';
import { DEFAULT_RETRY_POLICY, nextRetry, splitDelay } from '#domain/retry-schedule.js';
import { truncateUtf8 } from '#domain/text.js';
import type { AlertPayload, DeliveryMessage, OutboundAlert, Subscription } from '#domain/types.js';
import { withObservability, type Observability } from '#shared/middleware.js';
import type { PipelineSettings, Ports } from './deps.js';
import { DEFAULT_DELIVERY_TIMEOUTS, deferralDelaySeconds, type DeliveryGate } from './delivery-gate.js';

/**
 * deliveryQueue: where the next attempt of a failed delivery is enqueued (and a deferred one). deliveryGate: this
 * process's share of sends per receiver host and per subscription (delivery-gate.ts).
 */
export type DelivererDeps = Pick<
  Ports,
  'subscriptions' | 'deliveries' | 'alertSender' | 'clock' | 'random' | 'unsubscribeLinks' | 'deliveryQueue' | 'digestBuffer'
> &
  Observability & {
    deliveryDeadLetters: Pick<Ports['deliveryDeadLetters'], 'send'>;
    settings: Pick<PipelineSettings, 'articleRetentionDays' | 'deliveryLeaseSeconds' | 'retryPolicy' | 'deliveryTimeouts'>;
    deliveryGate: DeliveryGate;
  };

const DeliveryMessageSchema = z
  .object({
    deliveryId: z.string().min(1),
    subscriptionId: z.string().min(1),
    deliveryKey: z.string().min(1).optional(),
    // The previous version's name for deliveryKey. Its messages may still be in flight after a deploy, and dead
    // letters are kept 14 days and can be redriven: drop this once no deployed stage has held one that long.
    articleId: z.string().min(1).optional(),
    alert: z.object({ type: z.enum(['alert.created', 'story.updated', 'digest.created']), version: z.literal('1'), id: z.string() }).passthrough(),
    attempt: z.number().int().min(1).optional(),
    delayRemainingSeconds: z.number().int().min(0).optional(),
    replay: z.object({ failedAt: z.string().min(1) }).optional(),
    deferrals: z.number().int().min(0).optional(),
  })
  .transform(({ articleId, deliveryKey, ...rest }, ctx) => {
    const key = deliveryKey ?? articleId;
    if (key === undefined) {
      ctx.addIssue({ code: 'custom', message: 'deliveryKey is required', path: ['deliveryKey'] });
      return z.NEVER;
    }
    return { ...rest, deliveryKey: key };
  });

/**
 * A failed send is described in logs, the delivery log and the subscription's status reason by at most this many
 * bytes: the text can carry what a receiver answered, and a receiver must not be able to fill either.
 */
export const MAX_FAILURE_DETAIL_BYTES = 512;

function failureDetail(error: unknown): string {
  return truncateUtf8(error instanceof Error ? error.message : String(error), MAX_FAILURE_DETAIL_BYTES);
}

/** Thrown to make SQS redeliver later: another deliverer holds the lease, or recording an outcome failed. */
export class RetryLaterError extends NewsalertError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetryLaterError';
  }
}

export type DeliveryOutcome =
  | 'delivered'
  /** An sns-channel alert whose story another sns subscription already published to the alerts topic. */
  | 'coalesced'
  | 'duplicate'
  | 'skipped'
  | 'held'
  | 'deferred'
  /** Its receiver host's or subscription's share of sends was full: back on the queue shortly, no attempt spent. */
  | 'throttled'
  | 'retry-scheduled'
  | 'dead-lettered'
  | 'disabled';

/**
 * The pseudo subscription id of the alerts topic's own delivery records (one per story, or per story revision for a
 * story.updated). Real ids are "sub_<hex>" (API) or the demo's "demo-…", so none starts with "#"; no subscription
 * has this id, so no API route (all of them look the subscription up first) lists these records.
 */
export const ALERTS_TOPIC_DELIVERY_KEY = '#alerts-topic';

function ttlFor(deps: Pick<DelivererDeps, 'settings'>, now: Date): number {
  return Math.floor(now.getTime() / 1000) + deps.settings.articleRetentionDays * 86_400;
}

function withoutTransit(message: DeliveryMessage): DeliveryMessage {
  const { delayRemainingSeconds: _delay, replay: _replay, attempt: _attempt, deferrals: _deferrals, ...rest } = message;
  return rest;
}

export async function deliverAlert(deps: DelivererDeps, message: DeliveryMessage): Promise<DeliveryOutcome> {
  // A wait longer than one SQS delay: serve the next hop and come back.
  if (message.delayRemainingSeconds !== undefined && message.delayRemainingSeconds > 0) {
    const { nowSeconds, remainingSeconds } = splitDelay(message.delayRemainingSeconds);
    const next: DeliveryMessage = { ...message };
    if (remainingSeconds > 0) next.delayRemainingSeconds = remainingSeconds;
    else delete next.delayRemainingSeconds;
    await deps.deliveryQueue.send([{ id: message.deliveryId, body: next, delaySeconds: nowSeconds }]);
    return 'deferred';
  }

  const subscription = await deps.subscriptions.get(message.subscriptionId);
  if (!subscription) {
    deps.logger.info('delivery skipped: subscription gone', { subscriptionId: message.subscriptionId });
    return 'skipped';
  }
  const now = deps.clock.now();
  const plan = planDelivery(subscription, now);
  if (plan.action === 'drop') {
    deps.logger.info('delivery skipped', { subscriptionId: message.subscriptionId, why: plan.why });
    return 'skipped';
  }

  // Only what may send takes a share (an alert held for a digest is a write, not a send). Before the claim: a
  // delivery put back here holds no lease its next turn would find busy.
  const sends = plan.action !== 'hold' || message.alert.type === 'digest.created';
  const release = sends ? deps.deliveryGate.tryEnter(subscription) : () => undefined;
  if (release === undefined) {
    const deferrals = (message.deferrals ?? 0) + 1;
    await deps.deliveryQueue.send([{ id: message.deliveryId, body: { ...message, deferrals }, delaySeconds: deferralDelaySeconds(deferrals) }]);
    deps.metrics?.count('DeliveriesThrottled', 1, { name: 'channel', value: subscription.channel.type });
    deps.logger.debug('delivery deferred: its receiver or subscription has all its sends in flight', { deliveryId: message.deliveryId });
    return 'throttled';
  }
  try {
    return await claimAndSend(deps, message, subscription, plan, now);
  } finally {
    release();
  }
}

async function claimAndSend(
  deps: DelivererDeps,
  message: DeliveryMessage,
  subscription: Subscription,
  plan: Exclude<ReturnType<typeof planDelivery>, { action: 'drop' }>,
  now: Date,
): Promise<DeliveryOutcome> {
  if (message.replay !== undefined) {
    // Reopens only the very failure this replay names; acquire below decides whether there is anything to send.
    await deps.deliveries.reopen(message.subscriptionId, message.deliveryKey, message.replay.failedAt, now.toISOString());
  }
  const attempt = message.attempt ?? 1;
  const claim = await deps.deliveries.acquire({
    subscriptionId: message.subscriptionId,
    deliveryKey: message.deliveryKey,
    deliveryId: message.deliveryId,
    now: now.toISOString(),
    leaseSeconds: deps.settings.deliveryLeaseSeconds,
    ttlEpochSeconds: ttlFor(deps, now),
    attempt,
  });
  if (claim === 'delivered' || claim === 'superseded') return 'duplicate';
  if (claim === 'busy') throw new RetryLaterError(`delivery ${message.deliveryId} is being sent by another worker`);

  // A digest is what holding produces: it is never held again.
  if (message.alert.type !== 'digest.created') {
    const alert = message.alert;
    let hold = plan.action === 'hold' ? { reason: plan.reason, releaseAt: plan.releaseAt } : undefined;
    // Only a first attempt counts against the cap: a retry is the same alert, not a new one.
    if (hold === undefined && attempt === 1 && subscription.rateCapPerHour !== undefined && subscription.rateCapPerHour > 0) {
      const window = rateWindow(now);
      const ttl = Math.floor(window.end.getTime() / 1000) + 3600;
      if (!(await deps.digestBuffer.takeRateSlot(subscription.subscriptionId, window.start.toISOString(), subscription.rateCapPerHour, ttl))) {
        hold = { reason: 'rate-cap', releaseAt: window.end };
      }
    }
    if (hold !== undefined) {
      await deps.digestBuffer.hold(
        {
          subscriptionId: subscription.subscriptionId,
          storyId: alert.article.storyId,
          articleId: alert.article.articleId,
          releaseAt: hold.releaseAt.toISOString(),
          reason: hold.reason,
          heldAt: now.toISOString(),
          alert: digestEntryOf(alert),
        },
        ttlFor(deps, now),
      );
      // The story is settled for this subscription: its digest carries it, and a duplicate must not hold it again.
      await deps.deliveries.markDelivered(message.subscriptionId, message.deliveryKey, deps.clock.now().toISOString());
      deps.logger.info('alert held for a digest', { deliveryId: message.deliveryId, reason: hold.reason, releaseAt: hold.releaseAt.toISOString() });
      return 'held';
    }
  }

  // Every alert carries its signed unsubscribe link, whoever built it (matcher, digest, test-fire, replay).
  const alert =
    message.alert.unsubscribeUrl === undefined
      ? { ...message.alert, unsubscribeUrl: deps.unsubscribeLinks.urlFor(subscription.subscriptionId) }
      : message.alert;
  // A digest is one subscriber's own summary: it is published whatever other sns subscriptions matched.
  const viaSharedTopic = subscription.channel.type === 'sns' && message.alert.type !== 'digest.created';
  if (viaSharedTopic && (await claimAlertsTopic(deps, message, now)) === 'delivered') {
    return settleCoalesced(deps, subscription, message);
  }
  // A first attempt gets a short deadline: a receiver that hangs costs a consumer little, and the rest of its chances
  // come on the retry schedule, with the full deadline.
  const timeouts = deps.settings.deliveryTimeouts ?? DEFAULT_DELIVERY_TIMEOUTS;
  try {
    await deps.alertSender.send(subscription, alert, { timeoutMs: attempt === 1 ? timeouts.firstAttemptMs : timeouts.retryMs });
  } catch (error) {
    deps.metrics?.count('DeliveryFailures', 1, { name: 'channel', value: subscription.channel.type });
    if (viaSharedTopic) {
      // Never final: the shared record must not make other subscriptions' alerts count as published; whichever
      // subscription tries next (this one's retry, or another's message) publishes.
      const detail = failureDetail(error);
      await deps.deliveries.markFailed(ALERTS_TOPIC_DELIVERY_KEY, message.deliveryKey, deps.clock.now().toISOString(), detail, false);
    }
    return handleSendFailure(deps, subscription, message, attempt, error);
  }
  const sentAt = deps.clock.now();
  // The shared record first: a crash before the subscription's own record is then only an SQS redelivery that finds
  // the story published, while the other order would let the next sns subscription publish it again.
  if (viaSharedTopic) await deps.deliveries.markDelivered(ALERTS_TOPIC_DELIVERY_KEY, message.deliveryKey, sentAt.toISOString());
  await deps.deliveries.markDelivered(message.subscriptionId, message.deliveryKey, sentAt.toISOString());
  deps.metrics?.count('AlertsDelivered', 1, { name: 'channel', value: subscription.channel.type });
  if (message.alert.type !== 'digest.created') {
    // The message schema checks the envelope only, so the article is read defensively for a metric.
    const publishedAt = Date.parse((message.alert as Partial<AlertPayload>).article?.publishedAt ?? '');
    if (Number.isFinite(publishedAt)) deps.metrics?.seconds('PublishToAlertSeconds', Math.max(0, (sentAt.getTime() - publishedAt) / 1000));
  }
  if (subscription.status === 'failing') {
    // It works again; but only a failing subscription becomes active, never one its owner paused meanwhile.
    await deps.subscriptions.setStatus(subscription.subscriptionId, 'active', { onlyIf: ['failing'] });
  }
  deps.logger.info('alert delivered', {
    deliveryId: message.deliveryId,
    subscriptionId: message.subscriptionId,
    channel: subscription.channel.type,
    attempt,
  });
  return 'delivered';
}

/** 'acquired': this subscription publishes the story; 'delivered': an earlier publish carried it already. */
async function claimAlertsTopic(deps: DelivererDeps, message: DeliveryMessage, now: Date): Promise<'acquired' | 'delivered'> {
  const claim = await deps.deliveries.acquire({
    subscriptionId: ALERTS_TOPIC_DELIVERY_KEY,
    deliveryKey: message.deliveryKey,
    deliveryId: message.deliveryId,
    now: now.toISOString(),
    leaseSeconds: deps.settings.deliveryLeaseSeconds,
    ttlEpochSeconds: ttlFor(deps, now),
    // No attempt: attempts here are those of several subscriptions, so 'superseded' could not mean anything.
  });
  if (claim === 'acquired' || claim === 'delivered') return claim;
  // Another worker is publishing the story now. Its outcome decides ours, so SQS brings this message back once it
  // is known; this subscription's own lease expires by then (the lease is shorter than the visibility timeout).
  throw new RetryLaterError(`story ${message.deliveryKey} is being published to the alerts topic by another delivery`);
}

async function settleCoalesced(deps: DelivererDeps, subscription: Subscription, message: DeliveryMessage): Promise<DeliveryOutcome> {
  await deps.deliveries.markDelivered(message.subscriptionId, message.deliveryKey, deps.clock.now().toISOString());
  deps.metrics?.count('AlertsCoalesced', 1, { name: 'channel', value: subscription.channel.type });
  // Which delivery published it is on the shared record (ALERTS_TOPIC_DELIVERY_KEY, deliveryKey): not read here, a
  // round trip per coalesced alert for a log field.
  deps.logger.info('alert carried by an earlier publish to the alerts topic', {
    deliveryId: message.deliveryId,
    subscriptionId: message.subscriptionId,
    deliveryKey: message.deliveryKey,
  });
  return 'coalesced';
}

async function handleSendFailure(
  deps: DelivererDeps,
  subscription: Subscription,
  message: DeliveryMessage,
  attempt: number,
  error: unknown,
): Promise<DeliveryOutcome> {
  const deliveryError = error instanceof DeliveryError ? error : undefined;
  const detail = failureDetail(error);
  const now = deps.clock.now();
  const nowIso = now.toISOString();

  if (deliveryError?.httpStatus === 410) {
    // 410 Gone: the receiver says this endpoint is finished. Stop sending until its owner turns it back on.
    await recordFinalFailure(deps, message, attempt, detail, deliveryError, now);
    await deps.deliveries.markFailed(message.subscriptionId, message.deliveryKey, nowIso, detail, true);
    await deps.subscriptions.setStatus(subscription.subscriptionId, 'disabled', { reason: 'webhook answered 410 Gone' });
    deps.logger.warn('subscription disabled: receiver answered 410', { subscriptionId: subscription.subscriptionId });
    return 'disabled';
  }

  const policy = deps.settings.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const decision =
    deliveryError?.permanent === true
      ? ({ retry: false, attempts: attempt } as const)
      : nextRetry(policy, attempt, deps.random, deliveryError?.retryAfterSeconds);

  if (decision.retry) {
    // The next attempt is enqueued before this one is recorded as failed: a crash in between costs one extra attempt,
    // the other order could lose the delivery.
    const { nowSeconds, remainingSeconds } = splitDelay(decision.delaySeconds);
    const next: DeliveryMessage = { ...withoutTransit(message), attempt: decision.attempt };
    if (remainingSeconds > 0) next.delayRemainingSeconds = remainingSeconds;
    await deps.deliveryQueue.send([{ id: message.deliveryId, body: next, delaySeconds: nowSeconds }]);
    await deps.deliveries.markFailed(message.subscriptionId, message.deliveryKey, nowIso, detail, false);
    deps.logger.info('delivery failed, retry scheduled', {
      deliveryId: message.deliveryId,
      attempt,
      nextAttempt: decision.attempt,
      delaySeconds: decision.delaySeconds,
      detail,
    });
    return 'retry-scheduled';
  }

  await recordFinalFailure(deps, message, attempt, detail, deliveryError, now);
  await deps.deliveryDeadLetters.send({ ...withoutTransit(message), attempt: 1, replay: { failedAt: nowIso } });
  await deps.deliveries.markFailed(message.subscriptionId, message.deliveryKey, nowIso, detail, true);
  await deps.subscriptions.setStatus(subscription.subscriptionId, 'failing', {
    reason: `delivery ${message.deliveryId} failed after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${detail}`.slice(0, 500),
    onlyIf: ['active', 'failing'],
  });
  deps.logger.warn('delivery failed for good', { deliveryId: message.deliveryId, attempts: attempt, detail });
  return 'dead-lettered';
}

async function recordFinalFailure(
  deps: DelivererDeps,
  message: DeliveryMessage,
  attempts: number,
  detail: string,
  error: DeliveryError | undefined,
  now: Date,
): Promise<void> {
  await deps.deliveries.recordFailure(
    {
      type: 'alert.failed',
      subscriptionId: message.subscriptionId,
      articleId: message.deliveryKey,
      deliveryId: message.deliveryId,
      attempts,
      error: detail,
      ...(error?.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
      failedAt: now.toISOString(),
      alert: message.alert,
    },
    ttlFor(deps, now),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Replay

export type ReplayDeps = Pick<Ports, 'subscriptions' | 'deliveries' | 'deliveryQueue'> & Pick<Observability, 'logger'>;

/**
 * Sends one delivery that failed for good again, from its first attempt, with the same webhook-id. Throws
 * NotFoundError when there is no such failure, ConflictError when it was delivered or is being retried already, or
 * when the subscription is disabled (turn it back on first).
 */
export async function replayDelivery(deps: ReplayDeps, subscriptionId: string, deliveryKey: string): Promise<{ deliveryId: string; failedAt: string }> {
  const subscription = await deps.subscriptions.get(subscriptionId);
  if (!subscription) throw new NotFoundError('subscription not found');
  const failure = await deps.deliveries.getFailure(subscriptionId, deliveryKey);
  if (!failure) throw new NotFoundError(`no failed delivery of ${deliveryKey} for this subscription`);
  if (subscription.status === 'disabled') {
    throw new ConflictError(`subscription is disabled (${subscription.statusReason ?? 'no reason given'}); enable it before replaying`);
  }
  const record = await deps.deliveries.get(subscriptionId, deliveryKey);
  if (record?.status === 'delivered') throw new ConflictError('this delivery was delivered since it failed');
  if (record?.failedAt !== failure.failedAt) throw new ConflictError('this delivery is being retried already');
  const message: DeliveryMessage = {
    deliveryId: failure.deliveryId,
    subscriptionId,
    deliveryKey,
    alert: failure.alert,
    attempt: 1,
    replay: { failedAt: failure.failedAt },
  };
  await deps.deliveryQueue.send([{ id: failure.deliveryId, body: message }]);
  deps.logger.info('delivery replayed', { subscriptionId, deliveryKey, deliveryId: failure.deliveryId });
  return { deliveryId: failure.deliveryId, failedAt: failure.failedAt };
}

/**
 * Moves every dead-lettered delivery back to the delivery queue. Each carries the failure it replays, so one that
 * was replayed or delivered meanwhile is not sent again.
 */
export async function redriveDeliveryDlq(deps: { deliveryDeadLetters: Pick<Ports['deliveryDeadLetters'], 'redrive'> } & Pick<Observability, 'logger'>): Promise<{ moved?: number; taskHandle?: string }> {
  const result = await deps.deliveryDeadLetters.redrive();
  deps.logger.info('delivery DLQ redriven', { ...result });
  return result;
}

export function createDelivererHandler(deps: DelivererDeps) {
  const recordHandler = async (record: SQSRecord) => {
    const parsed = DeliveryMessageSchema.parse(JSON.parse(record.body));
    const message: DeliveryMessage = {
      deliveryId: parsed.deliveryId,
      subscriptionId: parsed.subscriptionId,
      deliveryKey: parsed.deliveryKey,
      alert: parsed.alert as unknown as OutboundAlert,
    };
    if (parsed.attempt !== undefined) message.attempt = parsed.attempt;
    if (parsed.delayRemainingSeconds !== undefined) message.delayRemainingSeconds = parsed.delayRemainingSeconds;
    if (parsed.replay !== undefined) message.replay = parsed.replay;
    if (parsed.deferrals !== undefined) message.deferrals = parsed.deferrals;
    return deliverAlert(deps, message);
  };
  return withObservability(deps, async (event: SQSEvent, context: Context) =>
    // A processor per invocation: its records and failures stay the invocation's own where invocations overlap
    // (the local runtime's concurrent consumers, Lambda Managed Instances).
    processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), { context }),
  );
}
