// What each function is given: its tables (and how it may use them), the queues it sends to, the topics it
// publishes to, and the few other things the stack hands it. Written once, here. The composition modules can reach
// only these (Platform<R> in platform.ts is typed by them), the Lambda entries read exactly their variables
// (aws.ts), and test/infra/function-grants.test.ts checks that the stack grants and passes exactly these.
import { TABLE_SPECS, type TableSpec } from '#adapters/dynamo/tables.js';

export type TableName = TableSpec['name'];
export type TableUse = 'read' | 'readWrite';

/** The queues a function may send to, by the variable that carries each URL. */
export const QUEUE_URL_VARIABLES = {
  poll: 'POLL_QUEUE_URL',
  delivery: 'DELIVERY_QUEUE_URL',
  deliveryDlq: 'DELIVERY_DLQ_URL',
} as const;
export type QueueName = keyof typeof QUEUE_URL_VARIABLES;

/** The topics a function may publish to, by the variable that carries each ARN. */
export const TOPIC_ARN_VARIABLES = {
  articles: 'ARTICLES_TOPIC_ARN',
  alerts: 'ALERTS_TOPIC_ARN',
} as const;
export type TopicName = keyof typeof TOPIC_ARN_VARIABLES;

export interface FunctionResources {
  readonly tables: Partial<Readonly<Record<TableName, TableUse>>>;
  readonly queues: readonly QueueName[];
  readonly topics: readonly TopicName[];
  /** The API's public URL (API_BASE_URL): WebSub callbacks and unsubscribe links are built on it. */
  readonly publicUrl?: true;
  /** The HMAC key of unsubscribe links (UNSUBSCRIBE_SECRET). */
  readonly unsubscribeSecret?: true;
  /** Moves the delivery DLQ back onto the delivery queue (DELIVERY_DLQ_ARN, DELIVERY_QUEUE_ARN, a message move task). */
  readonly deliveryDlqRedrive?: true;
  /** Sends to queues subscribers name at runtime (the sqs channel): the one wildcard grant. */
  readonly subscriberQueues?: true;
  /** Publishes alerts for the sns channel (ALERTS_TOPIC_ARN): through the entry's alert sender, not the platform. */
  readonly alertsTopic?: true;
  /** The match index snapshots (MATCH_SNAPSHOT_BUCKET): read by matchers, written by the snapshot job. */
  readonly snapshotBucket?: 'read' | 'readWrite';
  /** Lambda only, outside the pipeline's tables: Powertools idempotency records (IDEMPOTENCY_TABLE). */
  readonly idempotencyTable?: true;
  /** Settings the stack passes (each has a default in shared/env.ts, so none is required at cold start). */
  readonly settings?: readonly SettingVariable[];
}

export type SettingVariable =
  | 'ARTICLE_RETENTION_DAYS'
  | 'STALE_FEED_HOURS'
  | 'SUBSCRIPTION_SCAN_SEGMENTS'
  | 'ALERTS_TOPIC_MESSAGES'
  | 'MATCHER_SHARD'
  | 'MATCHER_SHARD_COUNT';

/**
 * Which matcher shard a function is, of how many: each matcher and its snapshot job. While shards move, the stack
 * also passes MATCHER_PREVIOUS_SHARD_COUNT (test/infra/matcher-shards.test.ts).
 */
const SHARD_SETTINGS = ['MATCHER_SHARD', 'MATCHER_SHARD_COUNT'] as const;

export const FUNCTION_RESOURCES = {
  scheduler: { tables: { feeds: 'readWrite' }, queues: ['poll'], topics: [], idempotencyTable: true, settings: ['STALE_FEED_HOURS'] },
  // A poll refused by its host's politeness lease goes back on the poll queue with a delay.
  poller: {
    tables: { feeds: 'readWrite', articles: 'readWrite', ingest: 'readWrite' },
    queues: ['poll'],
    topics: ['articles'],
    publicUrl: true,
    settings: ['ARTICLE_RETENTION_DAYS'],
  },
  // One function per shard, told which it is; the subscriptions only through their change log.
  matcher: { tables: { subscriptions: 'read' }, queues: ['delivery'], topics: [], snapshotBucket: 'read', settings: SHARD_SETTINGS },
  // The first run without a snapshot also scans and stamps subscriptions written before the change log.
  'match-snapshot': {
    tables: { subscriptions: 'readWrite' },
    queues: [],
    topics: [],
    snapshotBucket: 'readWrite',
    settings: [...SHARD_SETTINGS, 'SUBSCRIPTION_SCAN_SEGMENTS'],
  },
  // Retries are new, delayed messages on its own queue; the last attempt goes to the DLQ explicitly.
  deliverer: {
    tables: { subscriptions: 'readWrite', deliveries: 'readWrite', digests: 'readWrite' },
    queues: ['delivery', 'deliveryDlq'],
    topics: [],
    publicUrl: true,
    unsubscribeSecret: true,
    subscriberQueues: true,
    alertsTopic: true,
    settings: ['ARTICLE_RETENTION_DAYS', 'ALERTS_TOPIC_MESSAGES'],
  },
  // Test-fire sends through the delivery queue, so a test alert takes the path a real one takes.
  api: {
    // digests: the per-owner counters of test-fires and replays (handlers/api/action-limits.ts).
    tables: { feeds: 'readWrite', subscriptions: 'readWrite', articles: 'read', deliveries: 'read', apiKeys: 'readWrite', digests: 'readWrite' },
    queues: ['delivery'],
    topics: [],
    publicUrl: true,
    unsubscribeSecret: true,
    deliveryDlqRedrive: true,
  },
  digest: { tables: { subscriptions: 'read', digests: 'readWrite' }, queues: ['delivery'], topics: [] },
  // Pushes go through the ingest core as polls do: the same tables (the story index too) and topic. No public
  // URL: the callback builds no callback URLs, it answers them.
  websub: { tables: { feeds: 'readWrite', articles: 'readWrite', ingest: 'readWrite' }, queues: [], topics: ['articles'], settings: ['ARTICLE_RETENTION_DAYS'] },
  'websub-renewer': { tables: { feeds: 'readWrite' }, queues: [], topics: [], publicUrl: true },
} as const satisfies Record<string, FunctionResources>;

export type FunctionName = keyof typeof FUNCTION_RESOURCES;

/** The environment variables that carry a function's resources: what its Lambda entry requires at cold start. */
export function variablesOf(resources: FunctionResources): string[] {
  return [
    ...Object.keys(resources.tables).map((name) => tableVariable(name as TableName)),
    ...resources.queues.map((queue) => QUEUE_URL_VARIABLES[queue]),
    ...resources.topics.map((topic) => TOPIC_ARN_VARIABLES[topic]),
    ...(resources.alertsTopic ? ['ALERTS_TOPIC_ARN'] : []),
    ...(resources.publicUrl ? ['API_BASE_URL'] : []),
    ...(resources.unsubscribeSecret ? ['UNSUBSCRIBE_SECRET'] : []),
    ...(resources.deliveryDlqRedrive ? ['DELIVERY_DLQ_ARN', 'DELIVERY_QUEUE_ARN'] : []),
    ...(resources.idempotencyTable ? ['IDEMPOTENCY_TABLE'] : []),
    ...(resources.snapshotBucket ? ['MATCH_SNAPSHOT_BUCKET'] : []),
  ];
}

export function tableVariable(name: TableName): string {
  const spec = TABLE_SPECS.find((candidate) => candidate.name === name);
  if (spec === undefined) throw new Error(`no table spec named ${name}`);
  return spec.envVar;
}
