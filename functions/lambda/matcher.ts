// Lambda entry: wiring only. Logic lives in functions/handlers/matcher.ts. One function per shard (MATCHER_SHARD).
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SqsQueueSender } from '#adapters/aws-messaging.js';
import { DynamoSubscriptionRepository } from '#adapters/dynamo/subscriptions-repository.js';
import { S3SnapshotStore } from '#adapters/match-snapshots.js';
import { parseShardAssignment } from '#domain/subscription-shards.js';
import type { DeliveryMessage } from '#domain/types.js';
import { createMatchIndexCache, createMatcherHandler } from '#handlers/matcher.js';
import { createDocumentClient, systemClock } from '#shared/clients.js';
import { readEnv } from '#shared/env.js';
import { createLogger } from '#shared/logger.js';
import { createEmfMetrics } from '#shared/metrics.js';
import { loadTracer, traceClient } from '#shared/tracer.js';

const env = readEnv(['SUBSCRIPTIONS_TABLE', 'DELIVERY_QUEUE_URL', 'MATCH_SNAPSHOT_BUCKET']);
// Top-level await: the tracer loads during the init phase, and only in Lambda with tracing on.
const tracer = await loadTracer('matcher');
const doc = createDocumentClient(tracer);
const shard = parseShardAssignment({
  shard: env.MATCHER_SHARD,
  count: env.MATCHER_SHARD_COUNT,
  ...(env.MATCHER_PREVIOUS_SHARD_COUNT === undefined ? {} : { previousCount: env.MATCHER_PREVIOUS_SHARD_COUNT }),
});

const deps = {
  // Read through the change log only (its index carries no channel): the matcher never scans the table.
  subscriptions: new DynamoSubscriptionRepository(doc, env.SUBSCRIPTIONS_TABLE),
  matchSnapshots: new S3SnapshotStore(traceClient(tracer, new S3Client({})), env.MATCH_SNAPSHOT_BUCKET),
  deliveryQueue: new SqsQueueSender<DeliveryMessage>(traceClient(tracer, new SQSClient({})), env.DELIVERY_QUEUE_URL),
  clock: systemClock,
  logger: createLogger('matcher'),
  metrics: createEmfMetrics(),
  tracer,
};
export const handler = createMatcherHandler(deps, createMatchIndexCache(deps, { shard }));
