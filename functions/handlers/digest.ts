// digest: on a schedule (every 15 minutes in AWS, a timer locally), sends each subscription the alerts held for it
// whose release time has come (its hourly/daily digest time in its own time zone, the end of its quiet hours, the
// end of a rate-capped hour) as one digest message per period, grouped by story, through the delivery queue, so
// digests get the same idempotency, retries and dead-lettering as alerts.
import type { Context, ScheduledEvent } from 'aws-lambda';
import { deliveryIdFor } from '#domain/alert.js';
import { planDelivery, planDigests } from '#domain/digest.js';
import type { DeliveryMessage } from '#domain/types.js';
import { withObservability, type Observability } from '#shared/middleware.js';
import type { Ports } from './deps.js';

/** No unsubscribe links: the deliverer signs one into every alert it sends, digests included. */
export type DigestDeps = Pick<Ports, 'subscriptions' | 'deliveryQueue' | 'clock' | 'digestBuffer'> & Observability;

export interface DigestRunResult {
  subscriptions: number;
  digests: number;
  alerts: number;
  /** Held alerts dropped because the subscription is gone, paused, disabled or snoozed. */
  dropped: number;
}

/** How many subscriptions one run serves at most; the rest are due still and go out on the next run. */
export const DEFAULT_DIGEST_BATCH = 500;

export async function sendDueDigests(deps: DigestDeps, limit = DEFAULT_DIGEST_BATCH): Promise<DigestRunResult> {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const result: DigestRunResult = { subscriptions: 0, digests: 0, alerts: 0, dropped: 0 };
  for (const subscriptionId of await deps.digestBuffer.listDueSubscriptions(nowIso, limit)) {
    const held = await deps.digestBuffer.listDue(subscriptionId, nowIso);
    if (held.length === 0) continue;
    result.subscriptions += 1;
    const subscription = await deps.subscriptions.get(subscriptionId);
    const plan = subscription === undefined ? undefined : planDelivery(subscription, now);
    if (subscription === undefined || plan?.action === 'drop') {
      // The same rule as for instant alerts: what a paused, disabled or snoozed subscription would have got is dropped.
      await deps.digestBuffer.release(subscriptionId, held);
      result.dropped += held.length;
      deps.logger.info('held alerts dropped', { subscriptionId, count: held.length, why: plan?.action === 'drop' ? plan.why : 'gone' });
      continue;
    }
    const plans = planDigests({
      subscriptionId,
      held,
      now,
      idFor: (key) => deliveryIdFor(subscriptionId, key),
    });
    const messages = plans.map((digest) => {
      const body: DeliveryMessage = { deliveryId: digest.payload.id, subscriptionId, deliveryKey: digest.key, alert: digest.payload };
      return { id: digest.payload.id, body };
    });
    // Enqueued before release: a crash in between sends the same digests again under the same keys, which the
    // deliverer's idempotency record turns away.
    await deps.deliveryQueue.send(messages);
    await deps.digestBuffer.release(subscriptionId, held);
    result.digests += messages.length;
    result.alerts += held.length;
  }
  if (result.digests > 0) deps.logger.info('digests enqueued', { ...result });
  return result;
}

export function createDigestHandler(deps: DigestDeps) {
  return withObservability(deps, async (_event: ScheduledEvent, _context: Context) => sendDueDigests(deps));
}
