// The nouns of newsalert. Pure types: every stage (Lambda or local runtime) speaks these shapes.
// Times are ISO 8601 strings in UTC unless a name says otherwise.

/** ISO 3166-1 alpha-2, upper case, e.g. "RU". */
export type CountryCode = string;
/** IPTC Media Topic code with its scheme prefix, e.g. "medtop:11000000". */
export type TopicCode = string;

// ---------------------------------------------------------------------------------------------------------------
// Classification

export interface Evidence {
  /** The text that matched, as written in the article. */
  text: string;
  /** Where it was found. */
  field: 'title' | 'summary' | 'text';
  /** Character offset in that field. */
  start: number;
}

export interface TopicScore {
  code: TopicCode;
  label: string;
  /** 0..1 */
  score: number;
  /** Terms that produced the score, strongest first. */
  evidence: string[];
}

export interface CountryScore {
  code: CountryCode;
  role: 'primary' | 'mentioned';
  /** 0..1 */
  score: number;
  evidence: Evidence[];
}

/** How the publisher's country was found, strongest first. */
export type SourceCountryBasis = 'feed' | 'publisher' | 'cctld' | 'language-region';

export interface SourceCountry {
  code: CountryCode;
  /** 0..1: 1 configured, 0.9 a listed publisher, 0.7 a country-code domain, 0.3-0.5 a language region. */
  confidence: number;
  basis: SourceCountryBasis;
  /** What it was read from: the host, the domain, the language tag. */
  evidence: string;
}

export interface Classification {
  /** ISO 639-1, or "und" when unknown. */
  language: string;
  topics: TopicScore[];
  countries: CountryScore[];
  /**
   * The publisher's country, not what the article is about: the feed's configured country, else the inferred one
   * when its confidence is at least 0.5 (see `source`).
   */
  sourceCountry?: CountryCode;
  /** The source country with its confidence and evidence, whenever anything points to one. */
  source?: SourceCountry;
  classifierVersion: string;
}

export interface ClassifyInput {
  title: string;
  text: string;
  /** Language hint from the feed: a language tag ("en", "pt-BR"); its region also hints at the source country. */
  language?: string;
  /** The feed's configured country. */
  sourceCountry?: CountryCode;
  /** The article's URL and the feed's URL: their publisher or country-code domain hint at the source country. */
  url?: string;
  feedUrl?: string;
  /** The feed's language tag as declared, when `language` is already reduced to ISO 639-1. */
  languageTag?: string;
  /** The item's own categories (`<category>`, `dc:subject`, JSON Feed tags): one more signal for topics. */
  categories?: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Feeds and articles

export interface FeedHealth {
  lastAttemptAt?: string;
  lastSuccessAt?: string;
  consecutiveFailures: number;
  /** A precise, categorised reason, e.g. "timeout", "http-404", "blocked-address", "malformed-xml". */
  lastError?: string;
  lastErrorDetail?: string;
  lastStatus?: number;
  itemsLastPoll?: number;
  /**
   * ok: the last poll succeeded; backing-off: failing, retried after growing delays; failing: failing for longer
   * than the configured days (PollingPolicy.failingAfterDays), still retried at the maximum backoff. Never disabled.
   */
  state?: FeedState;
  /** When the current run of failures began. */
  failingSince?: string;
  /** New articles a day over the rolling window of `daily`. */
  itemsPerDay?: number;
  /** Share of successful polls in the rolling window answered 304 Not Modified (0..1). */
  notModifiedRatio?: number;
  /** Rolling per-day counters (UTC days, the last 7), the source of the two figures above. */
  daily?: FeedDayStats[];
  /** The delay chosen after the last poll, and what decided it. */
  nextIntervalSeconds?: number;
  intervalBasis?: PollIntervalBasis;
  /** The interval the publish rate suggested at the last full fetch (reused after a 304, which has no items). */
  adaptiveIntervalSeconds?: number;
}

export type FeedState = 'ok' | 'backing-off' | 'failing';

/** configured: the feed's pollIntervalSeconds; publish-rate: adaptive; the others: a publisher's hint or backoff. */
export type PollIntervalBasis = 'configured' | 'publish-rate' | 'max-age' | 'ttl' | 'update-period' | 'backoff' | 'retry-after';

export interface FeedDayStats {
  /** YYYY-MM-DD (UTC). */
  day: string;
  /** Successful polls, 304s included. */
  polls: number;
  notModified: number;
  newItems: number;
  failures: number;
}

/** A publisher's caching hints, kept from the last full fetch because a 304 carries no body to read them from. */
export interface FeedHints {
  /** RSS `<ttl>`, in seconds. */
  ttlSeconds?: number;
  /** `sy:updatePeriod` / `sy:updateFrequency`, seconds between updates. */
  updatePeriodSeconds?: number;
}

export interface Feed {
  /** Stable id: hash of the URL as first added. */
  feedId: string;
  url: string;
  /** Publisher name shown in alerts; defaults to the feed's title. */
  sourceName?: string;
  sourceCountry?: CountryCode;
  language?: string;
  enabled: boolean;
  pollIntervalSeconds: number;
  /** When the scheduler should next enqueue it. */
  nextPollAt: string;
  createdAt: string;
  etag?: string;
  lastModified?: string;
  health: FeedHealth;
  hints?: FeedHints;
  /** WebSub push subscription, when the feed advertises a hub (functions/domain/websub.ts). */
  websub?: WebSubSubscription;
}

/** pending: asked the hub, not yet verified; verified: pushes expected until leaseExpiresAt. */
export type WebSubState = 'pending' | 'verified' | 'denied' | 'failed' | 'unsubscribed';

export interface WebSubSubscription {
  hub: string;
  /** The feed's rel="self" URL (else the URL we fetched): what the hub knows the feed as. */
  topic: string;
  /** HMAC key of X-Hub-Signature. Never returned by the API. */
  secret: string;
  state: WebSubState;
  requestedAt: string;
  requestedLeaseSeconds: number;
  verifiedAt?: string;
  leaseExpiresAt?: string;
  lastPushAt?: string;
  /** The last real poll seen between pushes: bounds how long pushes may defer polling. */
  lastPolledAt?: string;
  /** Subscribe requests that failed in a row (for backoff). */
  failures: number;
  /** Why denied or failed. */
  reason?: string;
}

export interface Article {
  /** Stable id: hash of the canonical URL, else of the guid. */
  articleId: string;
  /** Same-story id across sources: the articleId of the story's first article (functions/domain/story.ts). */
  storyId: string;
  url: string;
  guid?: string;
  title: string;
  /** Plain text, entities decoded, whitespace folded. */
  summary: string;
  publishedAt: string;
  fetchedAt: string;
  feedId: string;
  sourceName: string;
  language: string;
  author?: string;
  categories?: string[];
  imageUrl?: string;
  /** Hash of the normalised title and summary (story.ts contentHashFor): a different hash is an edit. */
  contentHash?: string;
  /** How many times the item was edited since first seen (absent = never). */
  revision?: number;
  /** When the last edit was seen. */
  updatedAt?: string;
}

export interface ClassifiedArticle extends Article {
  classification: Classification;
}

// ---------------------------------------------------------------------------------------------------------------
// Subscriptions and alerts

export type Channel =
  | {
      type: 'webhook';
      url: string;
      /** Standard Webhooks secret, "whsec_" + base64. */
      secret: string;
      /** After a rotation, the old secret also signs until `previousSecretExpiresAt` (grace period). */
      previousSecret?: string;
      previousSecretExpiresAt?: string;
    }
  | { type: 'sqs'; queueUrl: string }
  | { type: 'sns' }
  | { type: 'slack'; webhookUrl: string };

/** How a subscription's countries are compared with an article's. */
export type CountryRole = 'about' | 'primary' | 'source';

export type Frequency =
  | { mode: 'instant' }
  /** One digest per period, sent at `at` (HH:MM, 24 h) local time in `timeZone` (IANA), grouped by story. */
  | { mode: 'hourly' | 'daily'; timeZone: string; at?: string };

export interface QuietHours {
  /** HH:MM local time in `timeZone`; alerts falling inside wait until `end`. */
  start: string;
  end: string;
  timeZone: string;
}

export type SubscriptionStatus = 'active' | 'paused' | 'disabled' | 'failing';

export interface Subscription {
  subscriptionId: string;
  /** The API key owner that created it; one owner never sees another's subscriptions. */
  owner: string;
  name?: string;
  /** Any of these topics (a parent matches its children). Empty = no topic constraint. */
  topics: TopicCode[];
  /** Any of these countries. Empty = no country constraint. */
  countries: CountryCode[];
  /** about (default): any role; primary: only the article's primary countries; source: the publisher's country. */
  countryRole?: CountryRole;
  /** Any of these words or phrases in title or summary, case- and diacritics-insensitive. Empty = none. */
  keywords: string[];
  /** A boolean keyword query (AND, OR, NOT, "quoted phrases", parentheses); ANDed with `keywords` when both. */
  query?: string;
  /** ISO 639-1 codes; empty/absent = any language. */
  languages?: string[];
  /** Feed ids to include (only these) or exclude. */
  includeSources?: string[];
  excludeSources?: string[];
  /** Minimum classification score (0..1) a matching topic or country must have. */
  minScore?: number;
  channel: Channel;
  /** Default instant. */
  frequency?: Frequency;
  quietHours?: QuietHours;
  /** At most this many alert messages an hour; a burst beyond it collapses into one digest message. */
  rateCapPerHour?: number;
  /** No alerts until this time (ISO). */
  snoozedUntil?: string;
  /** Opt-in: receive `story.updated` when a story already alerted changes, instead of nothing. */
  receiveStoryUpdates?: boolean;
  status: SubscriptionStatus;
  /** Why it is disabled or failing, e.g. "webhook answered 410". */
  statusReason?: string;
  createdAt: string;
  updatedAt?: string;
}

export interface MatchReasons {
  topics: { code: TopicCode; score: number }[];
  /** role "source": the subscription asked for the publisher's country (countryRole "source"); its score is 1. */
  countries: { code: CountryCode; role: CountryScore['role'] | 'source'; score: number }[];
  keywords: string[];
}

/** The versioned JSON body every channel carries. */
export interface AlertPayload {
  /** alert.created for a new story; story.updated (opt-in) when an alerted story changed. */
  type: 'alert.created' | 'story.updated';
  version: '1';
  /** Equal to the delivery id and to the `webhook-id` header: consumers deduplicate on it. */
  id: string;
  timestamp: string;
  subscriptionId: string;
  article: Pick<Article, 'articleId' | 'storyId' | 'url' | 'title' | 'summary' | 'publishedAt' | 'sourceName' | 'language'>;
  classification: Pick<Classification, 'topics' | 'countries' | 'sourceCountry' | 'classifierVersion'>;
  reasons: MatchReasons;
  /** Signed link that unsubscribes the receiver (GET). */
  unsubscribeUrl?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Messages between stages (bodies of SQS messages / SNS notifications)

/** scheduler -> poll queue -> poller */
export interface PollMessage {
  feedId: string;
  scheduledAt: string;
  /** How many times the poller put this poll back because the feed's host was busy (politeness). */
  deferrals?: number;
}

/** poller -> SNS articles topic -> matcher queue (raw message delivery) */
export interface ArticleEvent {
  /** article.created for a new article; article.updated when a seen article's title or summary materially changed. */
  type: 'article.created' | 'article.updated';
  version: '1';
  eventId: string;
  occurredAt: string;
  article: ClassifiedArticle;
}

/** One message of a digest: the stories held for a subscription, grouped by story (hourly/daily, quiet hours, rate cap). */
export interface DigestPayload {
  type: 'digest.created';
  version: '1';
  /** Equal to the delivery id and to the `webhook-id` header. */
  id: string;
  timestamp: string;
  subscriptionId: string;
  /** Why these alerts were held: the subscription's frequency, its quiet hours, or its hourly rate cap. */
  reason: 'hourly' | 'daily' | 'quiet-hours' | 'rate-cap';
  /** The period this digest closes (ISO); one digest per subscription and period. */
  period: { start: string; end: string };
  stories: {
    storyId: string;
    /** Every article of the story held in the period, first seen first; each with its match reasons. */
    alerts: Pick<AlertPayload, 'type' | 'article' | 'reasons'>[];
  }[];
  unsubscribeUrl?: string;
}

/** What a channel carries: one alert, or one digest. */
export type OutboundAlert = AlertPayload | DigestPayload;

/** matcher -> delivery queue -> deliverer */
export interface DeliveryMessage {
  deliveryId: string;
  subscriptionId: string;
  /**
   * The idempotency key with subscriptionId: the story id, "<storyId>#u<revision>" for a story.updated, the digest
   * key for a digest, "test_<id>" for a test-fire. Messages of the previous version call it `articleId`: the
   * deliverer still reads that name (functions/handlers/deliverer.ts).
   */
  deliveryKey: string;
  alert: OutboundAlert;
  /** 1-based attempt number on the retry schedule; absent = 1. */
  attempt?: number;
  /** A wait longer than one SQS delay (900 s) still to serve before this attempt may run. */
  delayRemainingSeconds?: number;
  /** A replay of a delivery that failed for good: the deliverer reopens it if it is still that failure. */
  replay?: { failedAt: string };
  /** Times this attempt was put back because its receiver host or subscription had all its sends in flight. */
  deferrals?: number;
}

export type DeliveryStatus = 'sending' | 'delivered' | 'failed';

export interface DeliveryRecord {
  subscriptionId: string;
  /**
   * Sort key: the delivery key (DeliveryMessage.deliveryKey) this record is about, one record per subscription and
   * key. Named `articleId` as the stored attribute and the API's field are.
   */
  articleId: string;
  deliveryId: string;
  status: DeliveryStatus;
  attempts: number;
  /** While status is "sending": another deliverer may take over after this time. */
  leaseUntil?: string;
  lastError?: string;
  createdAt: string;
  updatedAt: string;
  deliveredAt?: string;
  /** Set when the delivery failed for good (schedule exhausted or a permanent error); a replay clears it. */
  failedAt?: string;
}

/** Written once a delivery failed for good: what failed, why, and the alert itself so it can be replayed. */
export interface AlertFailedRecord {
  type: 'alert.failed';
  subscriptionId: string;
  /** The delivery key, named as in DeliveryRecord. */
  articleId: string;
  deliveryId: string;
  attempts: number;
  error: string;
  httpStatus?: number;
  failedAt: string;
  alert: OutboundAlert;
}
