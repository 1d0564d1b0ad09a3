// Lambda entry: wiring only. Logic lives in functions/handlers/match-snapshot.ts. One function per matcher shard.
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoSubscriptionRepository } from '#adapters/dynamo/subscriptions-repository.js';
import { S3SnapshotStore } from '#adapters/match-snapshots.js';
import { parseShardAssignment } from '#domain/subscription-shards.js';
import { createMatchSnapshotHandler } from '#handlers/match-snapshot.js';
import { createDocumentClient, systemClock } from '#shared/clients.js';
import { readEnv } from '#shared/env.js';
import { createLogger } from '#shared/logger.js';
import { createEmfMetrics } from '#shared/metrics.js';
import { loadTracer, traceClient } from '#shared/tracer.js';

const env = readEnv(['SUBSCRIPTIONS_TABLE', 'MATCH_SNAPSHOT_BUCKET']);
const tracer = await loadTracer('match-snapshot');
const doc = createDocumentClient(tracer);
const shard = parseShardAssignment({
  shard: env.MATCHER_SHARD,
  count: env.MATCHER_SHARD_COUNT,
  ...(env.MATCHER_PREVIOUS_SHARD_COUNT === undefined ? {} : { previousCount: env.MATCHER_PREVIOUS_SHARD_COUNT }),
});

export const handler = createMatchSnapshotHandler(
  {
    subscriptions: new DynamoSubscriptionRepository(doc, env.SUBSCRIPTIONS_TABLE, { scanSegments: env.SUBSCRIPTION_SCAN_SEGMENTS }),
    matchSnapshots: new S3SnapshotStore(traceClient(tracer, new S3Client({})), env.MATCH_SNAPSHOT_BUCKET),
    clock: systemClock,
    logger: createLogger('match-snapshot'),
    metrics: createEmfMetrics(),
    tracer,
  },
  shard,
);
