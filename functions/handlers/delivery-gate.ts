// Delivery isolation: how many sends may be in flight at once toward one receiver host and for one subscription, in
// one deliverer process. A receiver that hangs or answers slowly fills only its own share; a delivery that finds its
// share full is not held (that would hold a consumer and every delivery behind it) but put back on the delivery queue
// with a short delay, as a deferral that costs no attempt. In AWS this is per Lambda instance; the short first-attempt
// timeout (DeliveryTimeouts) bounds what a hanging receiver costs any instance.
import type { Subscription } from '#domain/types.js';

export interface DeliveryConcurrency {
  /** Sends in flight at once to one receiver host (webhook and Slack URLs). @default 4 */
  perHost: number;
  /** Sends in flight at once for one subscription, whatever its channel: one, so a 410 stops the next send. @default 1 */
  perSubscription: number;
}

export const DEFAULT_DELIVERY_CONCURRENCY: DeliveryConcurrency = { perHost: 4, perSubscription: 1 };

/** Whole-request deadlines of a send: short for the first attempt, the full one for retries. */
export interface DeliveryTimeouts {
  /** @default 5000 */
  firstAttemptMs: number;
  /** @default 15000 */
  retryMs: number;
}

export const DEFAULT_DELIVERY_TIMEOUTS: DeliveryTimeouts = { firstAttemptMs: 5_000, retryMs: 15_000 };

/** The longest a delivery waits when its share is full: a hanging receiver's backlog costs a read every 8 s each. */
export const MAX_DEFERRAL_SECONDS = 8;

/**
 * Seconds a delivery waits the n-th time (1-based) its share is full: 1, 2, 4, 8, 8... on the queue's delay, so
 * nothing holds a consumer meanwhile.
 */
export function deferralDelaySeconds(deferrals: number): number {
  return Math.min(MAX_DEFERRAL_SECONDS, 2 ** Math.max(0, Math.min(deferrals - 1, 3)));
}

export interface DeliveryGate {
  /** A release function when the delivery may go now; undefined when its host's or subscription's share is full. */
  tryEnter(subscription: Subscription): (() => void) | undefined;
  /** Sends in flight under a key ("host:<host>" or "subscription:<id>"): for tests and logs. */
  inFlight(key: string): number;
}

/** The receiver host of an HTTP channel; undefined for the AWS channels (SDK calls with their own timeouts). */
export function receiverHostOf(subscription: Subscription): string | undefined {
  const channel = subscription.channel;
  const url = channel.type === 'webhook' ? channel.url : channel.type === 'slack' ? channel.webhookUrl : undefined;
  if (url === undefined) return undefined;
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

export function createDeliveryGate(limits: DeliveryConcurrency = DEFAULT_DELIVERY_CONCURRENCY): DeliveryGate {
  const counts = new Map<string, number>();
  const count = (key: string) => counts.get(key) ?? 0;
  return {
    tryEnter(subscription) {
      const host = receiverHostOf(subscription);
      const keys: [string, number][] = [[`subscription:${subscription.subscriptionId}`, limits.perSubscription]];
      if (host !== undefined) keys.push([`host:${host}`, limits.perHost]);
      if (keys.some(([key, limit]) => count(key) >= limit)) return undefined;
      for (const [key] of keys) counts.set(key, count(key) + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        for (const [key] of keys) {
          const left = count(key) - 1;
          if (left <= 0) counts.delete(key);
          else counts.set(key, left);
        }
      };
    },
    inFlight: count,
  };
}
