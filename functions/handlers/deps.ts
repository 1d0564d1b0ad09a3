// Everything a handler needs from the outside, handed in. The Lambda entries (functions/lambda/) build these from
// AWS clients; the local runtime (functions/local/) builds them over dynalite and the in-process bus.
import type {
  AlertSender,
  ArticleEventPublisher,
  ArticleRepository,
  Clock,
  DeliveryQueue,
  DeliveryRepository,
  FeedFetcher,
  FeedRepository,
  PollQueue,
  SubscriptionRepository,
} from '#domain/ports.js';
import type { Classification, ClassifyInput } from '#domain/types.js';
import type { Logger } from '#shared/logger.js';

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
  settings: {
    articleRetentionDays: number;
    /** How long a deliverer holds the right to send one alert before another may take over. */
    deliveryLeaseSeconds: number;
    /** How many due feeds one scheduler run enqueues at most. */
    schedulerBatchLimit: number;
  };
}

export const DEFAULT_SETTINGS: PipelineDeps['settings'] = {
  articleRetentionDays: 30,
  deliveryLeaseSeconds: 60,
  schedulerBatchLimit: 500,
};
