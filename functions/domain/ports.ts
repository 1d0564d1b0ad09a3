// The ports the handlers depend on. Adapters implement them for AWS (DynamoDB, SQS, SNS, HTTP) and the local
// runtime implements the queue/topic ones in-process; the DynamoDB ones run against dynalite unchanged.
import type {
  AlertPayload,
  Article,
  ArticleEvent,
  ClassifiedArticle,
  DeliveryMessage,
  DeliveryRecord,
  Feed,
  PollMessage,
  Subscription,
} from './types.js';

// ---------------------------------------------------------------------------------------------------------------
// Repositories (DynamoDB)

export interface FeedRepository {
  /** Creates the feed; returns false (and changes nothing) when a feed with that id exists. */
  create(feed: Feed): Promise<boolean>;
  get(feedId: string): Promise<Feed | undefined>;
  list(): Promise<Feed[]>;
  /** Enabled feeds whose nextPollAt <= now, oldest first, at most `limit`. */
  listDue(now: string, limit: number): Promise<Feed[]>;
  /** Replaces the mutable fields (url, etag, lastModified, nextPollAt, health, ...). */
  put(feed: Feed): Promise<void>;
  delete(feedId: string): Promise<boolean>;
}

export interface ArticleRepository {
  /**
   * Conditional write: stores the article only if its id was never stored.
   * Returns true when the caller must announce it (article.created): this call stored it, or an earlier attempt
   * stored it but died before `markAnnounced`. False for a seen, announced article: no event.
   */
  putIfNew(article: ClassifiedArticle, ttlEpochSeconds: number): Promise<boolean>;
  /** Records that article.created went out, so a retried poll does not announce it again. */
  markAnnounced(articleId: string): Promise<void>;
  get(articleId: string): Promise<ClassifiedArticle | undefined>;
  /** Most recent first. */
  listRecent(filter: { topic?: string; country?: string; limit: number }): Promise<ClassifiedArticle[]>;
}

export interface SubscriptionRepository {
  put(subscription: Subscription): Promise<void>;
  get(subscriptionId: string): Promise<Subscription | undefined>;
  list(): Promise<Subscription[]>;
  delete(subscriptionId: string): Promise<boolean>;
  setStatus(subscriptionId: string, status: Subscription['status']): Promise<void>;
}

export interface DeliveryRepository {
  /**
   * Takes the right to send (subscriptionId, articleId). Returns "acquired" when this caller may send now,
   * "delivered" when it was already delivered (a duplicate message: do nothing), or "busy" when another
   * sender holds an unexpired lease (retry later). Conditional write; safe under concurrent duplicates.
   */
  acquire(input: { subscriptionId: string; articleId: string; deliveryId: string; now: string; leaseSeconds: number; ttlEpochSeconds: number }): Promise<'acquired' | 'delivered' | 'busy'>;
  markDelivered(subscriptionId: string, articleId: string, now: string): Promise<void>;
  /** Records a failed attempt and releases the lease so a retry can take it. */
  markFailed(subscriptionId: string, articleId: string, now: string, error: string, final: boolean): Promise<void>;
  get(subscriptionId: string, articleId: string): Promise<DeliveryRecord | undefined>;
  listBySubscription(subscriptionId: string, limit: number): Promise<DeliveryRecord[]>;
}

// ---------------------------------------------------------------------------------------------------------------
// Messaging (SQS queues and the SNS articles topic)

export interface QueueMessage<T> {
  body: T;
  /** Delivery delay, seconds (SQS DelaySeconds, at most 900). */
  delaySeconds?: number;
  /** Used as the SQS batch entry id / for logs; not a dedup key (standard queues). */
  id?: string;
}

export interface QueueSender<T> {
  send(messages: QueueMessage<T>[]): Promise<void>;
}

export interface ArticleEventPublisher {
  /** Publishes to the articles topic with message attributes `topics` and `countries` (String.Array). */
  publish(event: ArticleEvent): Promise<void>;
}

export type PollQueue = QueueSender<PollMessage>;
export type DeliveryQueue = QueueSender<DeliveryMessage>;

// ---------------------------------------------------------------------------------------------------------------
// Outside world

export interface FetchFeedRequest {
  url: string;
  etag?: string;
  lastModified?: string;
}

export type FetchFeedResult =
  | { status: 'ok'; url: string; finalUrl: string; permanentRedirect: boolean; body: Buffer; contentType?: string; etag?: string; lastModified?: string; httpStatus: number }
  | { status: 'not-modified'; url: string; finalUrl: string; permanentRedirect: boolean; etag?: string; lastModified?: string; httpStatus: 304 };

export interface FeedFetcher {
  /** Throws FeedError (#domain/errors.js) with a categorised `reason` on any failure. */
  fetch(request: FetchFeedRequest): Promise<FetchFeedResult>;
}

/** Sends one alert on one channel. Throws DeliveryError with `permanent` set when a retry cannot help. */
export interface AlertSender {
  send(subscription: Subscription, alert: AlertPayload): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export type { Article };
