// The DynamoDB tables, described once. The local runtime and the integration tests create exactly these in
// dynalite; infra/ declares the same tables in CDK and test/infra asserts that the two agree.

export interface TableSpec {
  /** Logical name; also the suffix of the local table name. */
  name: 'feeds' | 'articles' | 'subscriptions' | 'deliveries' | 'digests' | 'apiKeys' | 'ingest';
  /** The Lambda environment variable that carries the physical table name. */
  envVar: string;
  partitionKey: string;
  sortKey?: string;
  /** TTL attribute (epoch seconds), where data expires. */
  ttlAttribute?: string;
  /** Projection INCLUDE of these non-key attributes; all attributes when absent. */
  globalIndexes: { indexName: string; partitionKey: string; sortKey?: string; include?: readonly string[] }[];
}

/**
 * What the subscriptions' change log (index byChange) carries: what matching reads, and the tombstone mark. Not the
 * channel: readers of the log (the matchers) never see webhook URLs or secrets.
 */
export const CHANGE_LOG_ATTRIBUTES = [
  'topics', 'countries', 'countryRole', 'keywords', 'query', 'languages', 'includeSources', 'excludeSources', 'minScore',
  'status', 'snoozedUntil', 'receiveStoryUpdates', 'deleted',
] as const;

export const TABLE_SPECS: readonly TableSpec[] = [
  {
    name: 'feeds',
    envVar: 'FEEDS_TABLE',
    partitionKey: 'feedId',
    // Every feed carries pollShard = "due" while enabled, so the scheduler queries "nextPollAt <= now" on one
    // index partition instead of scanning. Disabled feeds drop the attribute and leave the index (sparse).
    globalIndexes: [{ indexName: 'byNextPoll', partitionKey: 'pollShard', sortKey: 'nextPollAt' }],
  },
  {
    name: 'articles',
    envVar: 'ARTICLES_TABLE',
    // Single table: the article itself at pk "ARTICLE#<id>", sk "ARTICLE"; listing entries at
    // pk "TOPIC#<code>" / "COUNTRY#<code>" / "RECENT", sk "<publishedAt>#<id>".
    partitionKey: 'pk',
    sortKey: 'sk',
    ttlAttribute: 'expiresAt',
    globalIndexes: [],
  },
  {
    name: 'subscriptions',
    envVar: 'SUBSCRIPTIONS_TABLE',
    partitionKey: 'subscriptionId',
    // Deleted subscriptions stay as tombstones in the change log until this expires (subscriptions-repository.ts).
    ttlAttribute: 'expiresAt',
    // The change log: every write stamps changeBucket = "all" and a growing changeSeq.
    globalIndexes: [{ indexName: 'byChange', partitionKey: 'changeBucket', sortKey: 'changeSeq', include: CHANGE_LOG_ATTRIBUTES }],
  },
  {
    name: 'deliveries',
    envVar: 'DELIVERIES_TABLE',
    // One record per (subscription, article): the idempotency key of every alert. The byCreated index orders a
    // subscription's delivery log newest first (alert.failed records carry no createdAt and stay out of it).
    partitionKey: 'subscriptionId',
    sortKey: 'articleId',
    ttlAttribute: 'expiresAt',
    globalIndexes: [{ indexName: 'byCreated', partitionKey: 'subscriptionId', sortKey: 'createdAt' }],
  },
  {
    name: 'digests',
    envVar: 'DIGESTS_TABLE',
    // Alerts held for a digest (sk "HELD#<storyId>#<articleId>") and hourly rate-cap counters (sk "RATE#<hour>").
    // Held items carry releaseShard = "held", so the digest run queries "releaseAt <= now" on one index partition;
    // counters stay out of the index (sparse).
    partitionKey: 'subscriptionId',
    sortKey: 'sk',
    ttlAttribute: 'expiresAt',
    globalIndexes: [{ indexName: 'byRelease', partitionKey: 'releaseShard', sortKey: 'releaseAt' }],
  },
  {
    name: 'apiKeys',
    envVar: 'API_KEYS_TABLE',
    // One item per key, by the id the key carries in clear; only the SHA-256 of the key is stored.
    partitionKey: 'keyId',
    globalIndexes: [],
  },
  {
    name: 'ingest',
    envVar: 'INGEST_TABLE',
    // The pollers' shared working state, all of it short-lived: the story index (pk "STORY#<key>",
    // sk "<seenAt>#<articleId>", kept for the story window) and per-host politeness leases (pk "HOST#<host>",
    // sk "LEASE"). See stories-repository.ts and host-limiter.ts.
    partitionKey: 'pk',
    sortKey: 'sk',
    ttlAttribute: 'expiresAt',
    globalIndexes: [],
  },
];

export type TableNames = Record<TableSpec['name'], string>;
