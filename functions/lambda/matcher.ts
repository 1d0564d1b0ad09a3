// Lambda entry: wiring only. Logic lives in functions/handlers/matcher.ts.
import { SQSClient } from '@aws-sdk/client-sqs';
import { SqsQueueSender } from '#adapters/aws-messaging.js';
import { DynamoSubscriptionRepository } from '#adapters/dynamo/subscriptions-repository.js';
import type { DeliveryMessage } from '#domain/types.js';
import { createMatcherHandler } from '#handlers/matcher.js';
import { createDocumentClient, systemClock } from '#shared/clients.js';
import { readEnv } from '#shared/env.js';
import { createLogger } from '#shared/logger.js';
import { createEmfMetrics } from '#shared/metrics.js';
import { loadTracer, traceClient } from '#shared/tracer.js';

const env = readEnv(['SUBSCRIPTIONS_TABLE', 'DELIVERY_QUEUE_URL']);
// Top-level await: the tracer loads during the init phase, and only in Lambda with tracing on.
const tracer = await loadTracer('matcher');
const doc = createDocumentClient(tracer);

export const handler = createMatcherHandler({
  subscriptions: new DynamoSubscriptionRepository(doc, env.SUBSCRIPTIONS_TABLE, { scanSegments: env.SUBSCRIPTION_SCAN_SEGMENTS }),
  deliveryQueue: new SqsQueueSender<DeliveryMessage>(traceClient(tracer, new SQSClient({})), env.DELIVERY_QUEUE_URL),
  clock: systemClock,
  logger: createLogger('matcher'),
  metrics: createEmfMetrics(),
  tracer,
});
