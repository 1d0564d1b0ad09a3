// Everything a handler needs from the outside, handed in. The Lambda entries (functions/lambda/) build these from
// AWS clients; the local runtime (functions/local/) builds them over dynalite and the in-process bus.
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
  PollQueue,
  StoryIndex,
  SubscriptionRepository,
  WebSubHubClient,
} from '#domain/ports.js';
import type { Classification, ClassifyInput } from '#domain/types.js';
import type { RetryPolicy } from '#domain/retry-schedule.js';
import type { UnsubscribeLinks } from '#domain/unsubscribe-link.js';
import type { PollingPolicy } from '#domain/feed.js';
import type { Logger } from '#shared/logger.js';
import type { PipelineMetrics } from '#shared/metrics.js';
import type { Tracer } from '#shared/tracer.js';

export interface PipelineDeps {
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
  /** Random bytes (webhook secrets). */
  randomBytes: (size: number) => Uint8Array;
  logger: Logger;
  /** Near-duplicate lookup for story ids (poller). @default - none: every article is its own story. */
  stories?: StoryIndex;
  /** Per-host politeness shared by all pollers. @default - none: fetches are not coordinated across pollers. */
  hostLimiter?: HostLimiter;
  /**
   * WebSub push: the hub client and our public callback URL for a feed. @default - none: WebSub is off and feeds
   * are only polled (in AWS when API_BASE_URL is unset).
   */
  websub?: { hub: WebSubHubClient; callbackUrl: (feedId: string) => string };
  /**
   * Signed unsubscribe links (functions/domain/unsubscribe-link.ts): the deliverer puts `urlFor(subscriptionId)` in
   * every alert; the API checks the links that come back. @default - none: alerts carry no unsubscribe link.
   */
  unsubscribeLinks?: UnsubscribeLinks;
  /** Alerts held for digests, quiet hours and rate caps (deliverer, digest). */
  digestBuffer?: DigestBuffer;
  /** Where a delivery goes after its last attempt, and the way back (deliverer, replay). */
  deliveryDeadLetters?: DeliveryDeadLetters;
  /** [0, 1) for retry jitter. @default Math.random */
  random?: () => number;
  /** EMF metrics in Lambda. @default - none: the local runtime and tests count nothing. */
  metrics?: PipelineMetrics;
  /** X-Ray, in Lambda only (see shared/tracer.ts). @default - none */
  tracer?: Tracer;
  settings: {
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
  };
}

export const DEFAULT_SETTINGS: PipelineDeps['settings'] = {
  articleRetentionDays: 30,
  deliveryLeaseSeconds: 60,
  schedulerBatchLimit: 500,
  staleFeedHours: 24,
};
