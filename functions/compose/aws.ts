// A function's Platform in AWS: the names, URLs and ARNs the stack passes in the environment (read once, at cold
// start, failing with every missing one named), over SDK clients created once and traced when tracing is on.
// Only the clients a function uses are loaded: its entry hands in the ones it needs.
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { SnsTopic, SqsQueueSender } from '#adapters/aws-messaging.js';
import { SqsDeliveryDlqRedrive } from '#adapters/delivery-dead-letters.js';
import type { MatchSnapshotStore } from '#domain/ports.js';
import { DEFAULT_SETTINGS } from '#handlers/deps.js';
import { createDocumentClient } from '#shared/clients.js';
import { readEnv, type Env, type RequiredKey } from '#shared/env.js';
import { createLogger } from '#shared/logger.js';
import { createEmfMetrics } from '#shared/metrics.js';
import type { Observability } from '#shared/middleware.js';
import { loadTracer, traceClient, type Tracer } from '#shared/tracer.js';
import type { Platform, QueueOf, TableOf, TopicOf } from './platform.js';
import { QUEUE_URL_VARIABLES, tableVariable, TOPIC_ARN_VARIABLES, variablesOf, type FunctionResources, type TableName } from './resources.js';

export interface AwsClients {
  sqs?: () => SQSClient;
  sns?: () => SNSClient;
  /** The snapshot store over the named bucket (S3SnapshotStore): its S3 client is the matchers' alone to load. */
  snapshots?: (bucketName: string, tracer: Tracer | undefined) => MatchSnapshotStore;
}

export interface AwsFunction<R extends FunctionResources> {
  platform: Platform<R>;
  observability: Observability & { tracer?: Tracer };
  env: Env;
  /** The traced clients, for the few adapters that take one (alert channels, idempotency). */
  sqs: () => SQSClient;
  sns: () => SNSClient;
  /** A variable the function's resources require (checked at cold start), e.g. IDEMPOTENCY_TABLE. */
  variable(key: RequiredKey): string;
}

function once<T>(make: (() => T) | undefined, what: string, tracer: Tracer | undefined): () => T {
  let made: T | undefined;
  return () => {
    if (make === undefined) throw new Error(`this function's entry gives no ${what} client`);
    made ??= traceClient(tracer, make());
    return made;
  };
}

/**
 * Reads the environment of the function named `name` (its FUNCTION_RESOURCES entry), loads the tracer during the
 * init phase (only in Lambda with tracing on) and returns its Platform, logger, metrics and tracer.
 */
export async function awsFunction<R extends FunctionResources>(name: string, resources: R, clients: AwsClients = {}): Promise<AwsFunction<R>> {
  const env = readEnv(variablesOf(resources) as RequiredKey[]);
  const variable = (key: string): string => {
    const value = (env as Record<string, unknown>)[key];
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
    throw new Error(`${key} is not among the variables of ${name}'s resources`);
  };
  const tracer = await loadTracer(name);
  const sqs = once(clients.sqs, 'SQS', tracer);
  const sns = once(clients.sns, 'SNS', tracer);
  const snapshots = (): MatchSnapshotStore | undefined => {
    if (!resources.snapshotBucket) return undefined;
    if (clients.snapshots === undefined) throw new Error(`${name}'s entry gives no snapshot store for its bucket`);
    return clients.snapshots(variable('MATCH_SNAPSHOT_BUCKET'), tracer);
  };
  const platform = {
    doc: createDocumentClient(tracer),
    matchSnapshots: snapshots(),
    table: (table: TableOf<R>) => variable(tableVariable(table as TableName)),
    queue: <T>(queue: QueueOf<R>) => new SqsQueueSender<T>(sqs(), variable(QUEUE_URL_VARIABLES[queue])),
    topic: (topic: TopicOf<R>) => new SnsTopic(sns(), variable(TOPIC_ARN_VARIABLES[topic])),
    // Deployed, feeds, hubs and webhooks are the public web: loopback and private networks are never reachable.
    addressPolicy: { allowLoopback: false },
    settings: { ...DEFAULT_SETTINGS, articleRetentionDays: env.ARTICLE_RETENTION_DAYS, staleFeedHours: env.STALE_FEED_HOURS },
    publicUrl: () => variable('API_BASE_URL'),
    unsubscribeSecret: resources.unsubscribeSecret ? variable('UNSUBSCRIBE_SECRET') : '',
    redriveDeliveryDlq: () =>
      new SqsDeliveryDlqRedrive(sqs(), { dlqArn: variable('DELIVERY_DLQ_ARN'), deliveryQueueArn: variable('DELIVERY_QUEUE_ARN') }).redrive(),
  } as Platform<R>;
  return {
    platform,
    observability: { logger: createLogger(name), metrics: createEmfMetrics(), ...(tracer === undefined ? {} : { tracer }) },
    env,
    sqs,
    sns,
    variable,
  };
}
