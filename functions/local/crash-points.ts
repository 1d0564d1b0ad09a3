// Injected crash points for the local runtime: NEWSALERT_CRASH_AT=<point>[:<n>][:SIGKILL|SIGTERM] makes the process
// kill itself the n-th time (default 1st) the pipeline reaches <point>, so a crash test stops it at an exact stage
// instead of guessing with timers (test/integration/crash-*.test.ts). With SIGKILL the process dies on the spot;
// with SIGTERM it asks itself to shut down gracefully and the handler that reached the point never finishes, so
// the grace period runs out on it as on a handler stuck in a slow call. Unset, nothing is wrapped.
//
// The hooks wrap the ports the functions were given (fetcher, topic publisher, queues, alert sender), never the
// handlers' code: the pipeline that crashes is the one that runs.
import type { AlertSender, ArticleEventPublisher, FeedFetcher, QueueSender } from '#domain/ports.js';
import type { DeliveryMessage } from '#domain/types.js';

export const CRASH_POINTS = [
  /** A feed's body is in; nothing of it is stored. */
  'after-fetch',
  /** An article is stored; its article.created is not yet published (the n-th publish is not made). */
  'after-store',
  /** The matcher enqueued the n-th batch of deliveries; its batch is not yet settled. */
  'mid-match',
  /** The deliverer holds the lease and is about to send the n-th alert. */
  'mid-delivery',
  /** The receiver accepted the n-th alert; the deliverer has not recorded it. */
  'after-send',
  /** The deliverer enqueued the n-th retry of a failed alert; the failure is not yet recorded. */
  'mid-retry',
  /** The digest run enqueued the n-th subscription's digests; the held alerts are not yet released. */
  'mid-digest',
] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

export interface CrashPlan {
  point: CrashPoint;
  /** The n-th time the point is reached, from 1. */
  at: number;
  signal: 'SIGKILL' | 'SIGTERM';
}

/** Undefined when unset; throws on a malformed value, so a typo in a test cannot pass as "no crash". */
export function readCrashPlan(value: string | undefined): CrashPlan | undefined {
  if (value === undefined || value === '') return undefined;
  const [point, at = '1', signal = 'SIGKILL', ...rest] = value.split(':');
  if (!CRASH_POINTS.includes(point as CrashPoint) || !/^[1-9]\d{0,5}$/.test(at) || (signal !== 'SIGKILL' && signal !== 'SIGTERM') || rest.length > 0) {
    throw new Error(`NEWSALERT_CRASH_AT must be <point>[:<n>][:SIGKILL|SIGTERM] with point one of ${CRASH_POINTS.join(', ')}; got "${value}"`);
  }
  return { point: point as CrashPoint, at: Number(at), signal };
}

export type CrashHook = (point: CrashPoint) => Promise<void>;

export function createCrashHook(plan: CrashPlan, write: (line: string) => void = (line) => process.stderr.write(line)): CrashHook {
  let reached = 0;
  return async (point) => {
    if (point !== plan.point) return;
    reached += 1;
    if (reached !== plan.at) return;
    write(`newsalert: crash point ${point}:${plan.at} reached, sending ${plan.signal}\n`);
    process.kill(process.pid, plan.signal);
    // SIGKILL ends the process before this settles; SIGTERM starts the shutdown while this handler stays stuck here.
    await new Promise<never>(() => {});
  };
}

/** The ports of the local functions a crash point sits in. */
export interface CrashablePorts {
  poller: { fetcher: FeedFetcher; articleEvents: ArticleEventPublisher };
  matcher: { deliveryQueue: QueueSender<DeliveryMessage> };
  deliverer: { alertSender: AlertSender; deliveryQueue: QueueSender<DeliveryMessage> };
  digest: { deliveryQueue: QueueSender<DeliveryMessage> };
}

/** Replaces each port with one that reaches its crash point; mutates the functions' dependency objects. */
export function installCrashPoints(functions: CrashablePorts, hook: CrashHook): void {
  const { poller, matcher, deliverer, digest } = functions;
  const fetcher = poller.fetcher;
  poller.fetcher = {
    fetch: async (request) => {
      const result = await fetcher.fetch(request);
      await hook('after-fetch');
      return result;
    },
  };
  const articleEvents = poller.articleEvents;
  poller.articleEvents = {
    publish: async (event) => {
      await hook('after-store');
      await articleEvents.publish(event);
    },
  };
  matcher.deliveryQueue = afterSend(matcher.deliveryQueue, () => hook('mid-match'));
  const alertSender = deliverer.alertSender;
  deliverer.alertSender = {
    send: async (subscription, alert) => {
      await hook('mid-delivery');
      await alertSender.send(subscription, alert);
      await hook('after-send');
    },
  };
  deliverer.deliveryQueue = afterSend(deliverer.deliveryQueue, async (messages) => {
    // A retry carries the attempt it will be; a deferred hop of a long wait carries the same attempt again.
    if (messages.some((message) => (message.body.attempt ?? 1) > 1 && message.body.delayRemainingSeconds === undefined)) await hook('mid-retry');
  });
  digest.deliveryQueue = afterSend(digest.deliveryQueue, () => hook('mid-digest'));
}

function afterSend(
  queue: QueueSender<DeliveryMessage>,
  after: (messages: Parameters<QueueSender<DeliveryMessage>['send']>[0]) => Promise<void>,
): QueueSender<DeliveryMessage> {
  return {
    send: async (messages) => {
      await queue.send(messages);
      await after(messages);
    },
  };
}
