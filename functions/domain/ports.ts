// The ports the handlers depend on. Adapters implement them for AWS (DynamoDB, SQS, SNS, HTTP) and the local
// runtime implements the queue/topic ones in-process; the DynamoDB ones run against dynalite unchanged.
import type {
  Article,
  ArticleEvent,
  ClassifiedArticle,
  DeliveryMessage,
  DeliveryRecord,
  AlertFailedRecord,
  DigestPayload,
  Feed,
  OutboundAlert,
  PollMessage,
  Subscription,
} from './types.js';
import type { ApiKey } from './api-key.js';
import type { StoryCandidate } from './story.js';
import type { SubscriptionChange } from './live-match-index.js';

// ---------------------------------------------------------------------------------------------------------------
// Repositories (DynamoDB)

/** One page of a listing: at most `limit` items, continuing after `after` (a position a previous page returned). */
export interface PageRequest {
  limit: number;
  /** Opaque: only the adapter that returned it knows what it means, and it checks what it is handed. */
  after?: string;
}

/** A page; `after` is present when more may follow, and starts the next page. */
export interface Page<T> {
  items: T[];
  after?: string;
}

export interface FeedRepository {
  /** Creates the feed; returns false (and changes nothing) when a feed with that id exists. */
  create(feed: Feed): Promise<boolean>;
  get(feedId: string): Promise<Feed | undefined>;
  list(): Promise<Feed[]>;
  /** A page of feeds, in the store's order (stable from page to page). */
  listPage(page: PageRequest): Promise<Page<Feed>>;
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
  /**
   * Records that article.created went out, so a retried poll does not announce it again; with `revision`, that
   * the article.updated of that revision went out.
   */
  markAnnounced(articleId: string, revision?: number): Promise<void>;
  /** What the poller compares a fetched item with: a consistent read of the stored article's edit state. */
  getState(articleId: string): Promise<StoredArticleState | undefined>;
  /**
   * Conditional create, without the read putIfNew starts with (the poller has just made it with getState).
   * False when the id exists (a concurrent poll stored it and will announce it).
   */
  create(article: ClassifiedArticle, ttlEpochSeconds: number): Promise<boolean>;
  /**
   * Replaces an edited article (`next`, revision already bumped) only if the stored one is still `previous` (same
   * contentHash and revision); its listing entries follow the new classification. False when it lost that race.
   */
  update(previous: ClassifiedArticle, next: ClassifiedArticle, ttlEpochSeconds: number): Promise<boolean>;
  /** With `consistent`, a strongly consistent read (the poller re-announcing what it just stored). */
  get(articleId: string, options?: { consistent?: boolean }): Promise<ClassifiedArticle | undefined>;
  /** Most recent first. */
  listRecent(filter: { topic?: string; country?: string; limit: number }): Promise<ClassifiedArticle[]>;
  /** The same listing a page at a time: most recent first. */
  listRecentPage(filter: { topic?: string; country?: string } & PageRequest): Promise<Page<ClassifiedArticle>>;
}

export interface StoredArticleState {
  articleId: string;
  storyId: string;
  title: string;
  summary: string;
  /** Absent on articles stored before edits were tracked: compare a hash of title and summary instead. */
  contentHash?: string;
  /** 0 until the first edit. */
  revision: number;
  /** False while article.created has not gone out (the poll died between storing and publishing). */
  announced: boolean;
  /** The last revision whose article.updated went out (0 = none). */
  announcedRevision: number;
}

/**
 * Where near-duplicate articles are found (functions/domain/story.ts): each article is filed under its story keys
 * for a time window, with its fingerprint, so a later article can find and compare the ones it shares a key with.
 */
export interface StoryIndex {
  /** Articles filed under any of `keys` at or after `since` (ISO), the most recent first per key. */
  findCandidates(keys: readonly string[], since: string): Promise<StoryCandidate[]>;
  /** Files the article under its keys until `ttlEpochSeconds`. Idempotent (one item per key and article). */
  record(entry: StoryCandidate, keys: readonly string[], ttlEpochSeconds: number): Promise<void>;
}

/**
 * Politeness shared by every concurrent poller: at most N fetches in flight per host and at least S ms between
 * two fetch starts. A granted lease must be released when the fetch ends; an unreleased one expires.
 */
export interface HostLimiter {
  acquire(host: string, now: Date): Promise<HostLease>;
}

export type HostLease = { granted: true; release(): Promise<void> } | { granted: false; retryAfterMs: number; why: 'concurrency' | 'spacing' };

export interface SubscriptionRepository {
  put(subscription: Subscription): Promise<void>;
  get(subscriptionId: string): Promise<Subscription | undefined>;
  list(): Promise<Subscription[]>;
  /** A page of subscriptions in the store's order, all or one owner's; an owner's page may hold fewer than `limit`. */
  listPage(page: PageRequest & { owner?: string }): Promise<Page<Subscription>>;
  delete(subscriptionId: string): Promise<boolean>;
  /**
   * Throws NotFoundError for an unknown id. With `onlyIf`, changes nothing (and returns false) unless the current
   * status is one of those: the deliverer must not turn a subscription its owner paused back into an active one.
   */
  setStatus(subscriptionId: string, status: Subscription['status'], options?: { reason?: string; onlyIf?: Subscription['status'][] }): Promise<boolean | void>;
  /**
   * The change log: every subscription written (put, delete, setStatus) with a version above `afterVersion`, in its
   * latest state (undefined when deleted), oldest first. Each write of a subscription gets a larger version than the
   * last. From 0: everything the log holds. What warm matchers read instead of scanning.
   */
  changesSince(afterVersion: number): Promise<SubscriptionChange[]>;
}

/** Where match index snapshots are kept (S3 in AWS, files locally), by key (snapshotKeyOf). */
export interface MatchSnapshotStore {
  read(key: string): Promise<Uint8Array | undefined>;
  /** Replaces the snapshot at `key` whole: a reader sees the old one or the new one, never a part. */
  write(key: string, bytes: Uint8Array): Promise<void>;
}

export interface DeliveryAcquireInput {
  subscriptionId: string;
  /** DeliveryMessage.deliveryKey: stored as the record's `articleId` sort key. */
  deliveryKey: string;
  deliveryId: string;
  now: string;
  leaseSeconds: number;
  ttlEpochSeconds: number;
  /**
   * The attempt this message stands for. A failed record that already counts this many attempts answers
   * "superseded": a duplicate of an attempt that was made (its retry is already scheduled) must not start a
   * second retry chain.
   */
  attempt?: number;
}

export interface DeliveryRepository {
  /**
   * Takes the right to send (subscriptionId, deliveryKey). Returns "acquired" when this caller may send now,
   * "delivered" when it was already delivered (a duplicate message: do nothing), or "busy" when another
   * sender holds an unexpired lease (retry later). Conditional write; safe under concurrent duplicates.
   */
  acquire(input: DeliveryAcquireInput): Promise<'acquired' | 'delivered' | 'busy' | 'superseded'>;
  markDelivered(subscriptionId: string, deliveryKey: string, now: string): Promise<void>;
  /** Records a failed attempt and releases the lease so a retry can take it. */
  markFailed(subscriptionId: string, deliveryKey: string, now: string, error: string, final: boolean): Promise<void>;
  get(subscriptionId: string, deliveryKey: string): Promise<DeliveryRecord | undefined>;
  /** The delivery log of a subscription, newest first (by createdAt, the first attempt). */
  listBySubscription(subscriptionId: string, page: PageRequest): Promise<Page<DeliveryRecord>>;
  /** Writes the alert.failed record of a final failure (idempotent: one per failure time). */
  recordFailure(record: AlertFailedRecord, ttlEpochSeconds: number): Promise<void>;
  /** The latest alert.failed record of (subscription, delivery key). */
  getFailure(subscriptionId: string, deliveryKey: string): Promise<AlertFailedRecord | undefined>;
  /** The alert.failed records of a subscription, ordered by delivery key. */
  listFailures(subscriptionId: string, page: PageRequest): Promise<Page<AlertFailedRecord>>;
  /**
   * Reopens a final failure for a replay, only if it is still the failure of `failedAt` (so a late duplicate of a
   * replay cannot reopen a later failure, nor a delivery that succeeded). True when reopened.
   */
  reopen(subscriptionId: string, deliveryKey: string, failedAt: string, now: string): Promise<boolean>;
}

// ---------------------------------------------------------------------------------------------------------------
// Digest buffer (alerts held for a digest, quiet hours or a rate cap)

export interface HeldAlert {
  subscriptionId: string;
  storyId: string;
  /** When the digest that carries it is due (ISO). */
  releaseAt: string;
  reason: DigestPayload['reason'];
  heldAt: string;
  alert: DigestPayload['stories'][number]['alerts'][number];
  articleId: string;
}

export interface DigestBuffer {
  /** Holds an alert; idempotent per (subscription, story, article): a duplicate adds nothing. */
  hold(held: HeldAlert, ttlEpochSeconds: number): Promise<void>;
  /** Subscriptions with held alerts due at or before `now`, at most `limit`. */
  listDueSubscriptions(now: string, limit: number): Promise<string[]>;
  /** Held alerts of one subscription due at or before `now`, oldest first. */
  listDue(subscriptionId: string, now: string): Promise<HeldAlert[]>;
  /** Removes what a digest carried. */
  release(subscriptionId: string, held: HeldAlert[]): Promise<void>;
  /**
   * Counts one alert in the subscription's hourly window; false (and no count) when the cap is reached.
   * Conditional increment: concurrent deliverers never exceed the cap together.
   */
  takeRateSlot(subscriptionId: string, windowStart: string, cap: number, ttlEpochSeconds: number): Promise<boolean>;
}

/** The delivery dead-letter queue: where a delivery goes after its last attempt, and the way back. */
export interface DeliveryDeadLetters {
  send(message: DeliveryMessage): Promise<void>;
  /** Moves every dead letter back to the delivery queue. */
  redrive(): Promise<{ moved?: number; taskHandle?: string }>;
}

/** API keys, stored by key id with the SHA-256 of the key (functions/domain/api-key.ts). */
export interface ApiKeyRepository {
  /** False (and nothing written) when the id exists already. */
  create(key: ApiKey): Promise<boolean>;
  get(keyId: string): Promise<ApiKey | undefined>;
  list(): Promise<ApiKey[]>;
  /** Sets revokedAt; false when there is no such key. Revoking twice keeps the first time. */
  revoke(keyId: string, now: string): Promise<boolean>;
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
  | { status: 'ok'; url: string; finalUrl: string; permanentRedirect: boolean; body: Buffer; contentType?: string; etag?: string; lastModified?: string; httpStatus: number; maxAgeSeconds?: number; linkHeader?: string }
  | { status: 'not-modified'; url: string; finalUrl: string; permanentRedirect: boolean; etag?: string; lastModified?: string; httpStatus: 304; maxAgeSeconds?: number };
// maxAgeSeconds: the response's Cache-Control max-age, when it has one: the publisher asks not to refetch sooner.
// linkHeader: the response's Link header(s), where a publisher may advertise its WebSub hub (WebSub 4).

export interface FeedFetcher {
  /** Throws FeedError (#domain/errors.js) with a categorised `reason` on any failure. */
  fetch(request: FetchFeedRequest): Promise<FetchFeedResult>;
}

/** Sends one alert on one channel. Throws DeliveryError with `permanent` set when a retry cannot help. */
export interface AlertSender {
  send(subscription: Subscription, alert: OutboundAlert, options?: SendOptions): Promise<void>;
}

export interface SendOptions {
  /** Whole-request deadline of an HTTP send (webhook, Slack); the sender's own default when absent. */
  timeoutMs?: number;
}

/** A WebSub hub (functions/domain/websub.ts builds the form body). Throws FeedError when the hub cannot be reached. */
export interface WebSubHubClient {
  /** POSTs the subscription request; resolves with the hub's answer (202 Accepted when it will verify). */
  request(hubUrl: string, formBody: string): Promise<{ status: number; detail: string }>;
}

export interface Clock {
  now(): Date;
}

export type { Article };
