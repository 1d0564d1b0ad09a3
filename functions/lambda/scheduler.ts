// Lambda entry: wiring only. Logic lives in functions/handlers/scheduler.ts.
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SqsQueueSender } from '#adapters/aws-messaging.js';
import { DynamoFeedRepository } from '#adapters/dynamo/feeds-repository.js';
import { DEFAULT_SETTINGS } from '#handlers/deps.js';
import { createSchedulerHandler } from '#handlers/scheduler.js';
import type { PollMessage } from '#domain/types.js';
import { createDocumentClient, systemClock } from '#shared/clients.js';
import { readEnv } from '#shared/env.js';
import { createLogger } from '#shared/logger.js';
import { createEmfMetrics } from '#shared/metrics.js';
import { loadTracer, traceClient } from '#shared/tracer.js';

const env = readEnv(['FEEDS_TABLE', 'POLL_QUEUE_URL', 'IDEMPOTENCY_TABLE']);
// Top-level await: the tracer loads during the init phase, and only in Lambda with tracing on.
const tracer = await loadTracer('scheduler');
const doc = createDocumentClient(tracer);

export const handler = createSchedulerHandler({
  feeds: new DynamoFeedRepository(doc, env.FEEDS_TABLE),
  pollQueue: new SqsQueueSender<PollMessage>(traceClient(tracer, new SQSClient({})), env.POLL_QUEUE_URL),
  clock: systemClock,
  logger: createLogger('scheduler'),
  metrics: createEmfMetrics(),
  tracer,
  settings: { ...DEFAULT_SETTINGS, staleFeedHours: env.STALE_FEED_HOURS },
}).use(
  // EventBridge delivers a scheduled event at least once and the rule retries failed invokes: one run per event id,
  // so a duplicate cannot enqueue every due feed a second time.
  makeHandlerIdempotent({
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName: env.IDEMPOTENCY_TABLE,
      awsSdkV3Client: traceClient(tracer, new DynamoDBClient({})),
    }),
    config: new IdempotencyConfig({ eventKeyJmesPath: 'id', expiresAfterSeconds: 3_600 }),
  }),
);
