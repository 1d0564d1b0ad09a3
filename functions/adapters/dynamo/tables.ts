// The DynamoDB tables, described once. The local runtime and the integration tests create exactly these in
// dynalite; infra/ declares the same tables in CDK and test/infra asserts that the two agree.

export interface TableSpec {
  /** Logical name; also the suffix of the local table name. */
  name: 'feeds' | 'articles' | 'subscriptions' | 'deliveries';
  /** The Lambda environment variable that carries the physical table name. */
  envVar: string;
  partitionKey: string;
  sortKey?: string;
  /** TTL attribute (epoch seconds), where data expires. */
  ttlAttribute?: string;
  globalIndexes: { indexName: string; partitionKey: string; sortKey?: string }[];
}

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
    globalIndexes: [],
  },
  {
    name: 'deliveries',
    envVar: 'DELIVERIES_TABLE',
    // One record per (subscription, article): the idempotency key of every alert.
    partitionKey: 'subscriptionId',
    sortKey: 'articleId',
    ttlAttribute: 'expiresAt',
    globalIndexes: [],
  },
];

export type TableNames = Record<TableSpec['name'], string>;
