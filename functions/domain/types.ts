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

export interface Classification {
  /** ISO 639-1, or "und" when unknown. */
  language: string;
  topics: TopicScore[];
  countries: CountryScore[];
  /** The publisher's country (from the feed's configuration), not what the article is about. */
  sourceCountry?: CountryCode;
  classifierVersion: string;
}

export interface ClassifyInput {
  title: string;
  text: string;
  /** Language hint from the feed, ISO 639-1. */
  language?: string;
  sourceCountry?: CountryCode;
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
}

export interface Article {
  /** Stable id: hash of the canonical URL, else of the guid. */
  articleId: string;
  /** Same-story id across sources; in this version equal to articleId (clustering arrives later). */
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
  countries: { code: CountryCode; role: CountryScore['role']; score: number }[];
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

/** matcher -> delivery queue -> deliverer */
export interface DeliveryMessage {
  deliveryId: string;
  subscriptionId: string;
  articleId: string;
  alert: AlertPayload;
}

export type DeliveryStatus = 'sending' | 'delivered' | 'failed';

export interface DeliveryRecord {
  subscriptionId: string;
  /** Sort key: the article (story) this delivery is about. One record per subscription and article. */
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
}
