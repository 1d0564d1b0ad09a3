// Everything a handler needs from the outside, handed in. The composition modules (functions/compose/) build them,
// for the Lambda entries (functions/lambda/) over AWS clients and for the local runtime (functions/local/) over
// dynalite and the in-process bus.
import type {
  AlertSender,
  ArticleEventPublisher,
  ArticleRepository,
  Clock,
  DeliveryQueue,
  DeliveryDeadLetters,
  DeliveryRepository,
  DigestBuffer,
  FeedFetcher,
  FeedRepository,
  HostLimiter,
  MatchSnapshotStore,
  PollQueue,
  StoryIndex,
  SubscriptionRepository,
  WebSubHubClient,
} from '#domain/ports.js';
import type { Classification, ClassifyInput } from '#domain/types.js';
import type { RetryPolicy } from '#domain/retry-schedule.js';
import type { UnsubscribeLinks } from '#domain/unsubscribe-link.js';
import type { PollingPolicy } from '#domain/feed.js';
import type { DeliveryConcurrency, DeliveryTimeouts } from './delivery-gate.js';

/** WebSub push: the hub client and our public callback URL for a feed. */
export interface WebSubConfig {
  hub: WebSubHubClient;
  callbackUrl: (feedId: string) => string;
}

export interface PipelineSettings {
  articleRetentionDays: number;
  /** How long a deliverer holds the right to send one alert before another may take over. */
  deliveryLeaseSeconds: number;
  /** How many due feeds one scheduler run enqueues at most. */
  schedulerBatchLimit: number;
  /** Adaptive interval bounds, backoff cap, failing threshold, host politeness. @default DEFAULT_POLLING_POLICY */
  polling?: Partial<PollingPolicy>;
  /** A feed with no successful poll for this long counts as stale in the StaleFeeds metric. @default 24 */
  staleFeedHours?: number;
  /** Webhook retry schedule and jitter. @default DEFAULT_RETRY_POLICY (the Standard Webhooks example schedule) */
  retryPolicy?: RetryPolicy;
  /** Deadlines of a send: first attempt and retries. @default DEFAULT_DELIVERY_TIMEOUTS (5 s, 15 s) */
  deliveryTimeouts?: DeliveryTimeouts;
  /** Sends in flight per receiver host and per subscription, per process. @default DEFAULT_DELIVERY_CONCURRENCY */
  deliveryConcurrency?: DeliveryConcurrency;
}

/**
 * Every dependency a handler may take, under the name handlers know it by. Each handler's deps type picks the ones
 * it really needs from here, all of them required, so a composition (functions/compose/) that forgets one does not
 * compile. Logger, metrics and tracer come with Observability (shared/middleware.ts).
 */
export interface Ports {
  feeds: FeedRepository;
  articles: ArticleRepository;
  subscriptions: SubscriptionRepository;
  deliveries: DeliveryRepository;
  pollQueue: PollQueue;
  deliveryQueue: DeliveryQueue;
  articleEvents: ArticleEventPublisher;
  fetcher: FeedFetcher;
  alertSender: AlertSender;
  classify: (input: ClassifyInput) => Classification;
  /** Checks a URL a user hands us (feed or webhook) before it is stored; throws on a blocked address. */
  assertUrlAllowed: (url: string) => Promise<unknown>;
  clock: Clock;
  /** Random ids (event ids, subscription ids). */
  newId: () => string;
  /** Random bytes (webhook and WebSub secrets). */
  randomBytes: (size: number) => Uint8Array;
  /** Near-duplicate lookup for story ids (every ingest: polls and pushes). */
  stories: StoryIndex;
  /** Per-host politeness shared by all pollers. */
  hostLimiter: HostLimiter;
  websub: WebSubConfig;
  /**
   * Signed unsubscribe links (functions/domain/unsubscribe-link.ts): the deliverer puts `urlFor(subscriptionId)` in
   * every alert; the API checks the links that come back.
   */
  unsubscribeLinks: UnsubscribeLinks;
  /** Alerts held for digests, quiet hours and rate caps (deliverer, digest). */
  digestBuffer: DigestBuffer;
  /** Where a delivery goes after its last attempt, and the way back (deliverer, replay). */
  deliveryDeadLetters: DeliveryDeadLetters;
  /** [0, 1) for retry jitter. */
  random: () => number;
  /** Where each matcher shard's index snapshot is kept (the snapshot job writes, new matcher containers read). */
  matchSnapshots: MatchSnapshotStore;
  settings: PipelineSettings;
}

export const DEFAULT_SETTINGS: PipelineSettings = {
  articleRetentionDays: 30,
  deliveryLeaseSeconds: 60,
  schedulerBatchLimit: 500,
  staleFeedHours: 24,
};
