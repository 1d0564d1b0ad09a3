// Lambda entry: wiring only. Logic lives in functions/handlers/deliverer.ts.
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createAlertSender } from '#adapters/alert-senders/index.js';
import { SqsQueueSender } from '#adapters/aws-messaging.js';
import { SqsDeliveryDeadLetters } from '#adapters/delivery-dead-letters.js';
import { DynamoDeliveryRepository } from '#adapters/dynamo/deliveries-repository.js';
import { DynamoDigestBuffer } from '#adapters/dynamo/digest-buffer-repository.js';
import { DynamoSubscriptionRepository } from '#adapters/dynamo/subscriptions-repository.js';
import type { DeliveryMessage } from '#domain/types.js';
import { createUnsubscribeLinks } from '#domain/unsubscribe-link.js';
import { DEFAULT_SETTINGS } from '#handlers/deps.js';
import { createDelivererHandler } from '#handlers/deliverer.js';
import { createDocumentClient, systemClock } from '#shared/clients.js';
import { readEnv } from '#shared/env.js';
import { createLogger } from '#shared/logger.js';
import { createEmfMetrics } from '#shared/metrics.js';
import { loadTracer, traceClient } from '#shared/tracer.js';

const env = readEnv([
  'SUBSCRIPTIONS_TABLE',
  'DELIVERIES_TABLE',
  'DIGESTS_TABLE',
  'ALERTS_TOPIC_ARN',
  'DELIVERY_QUEUE_URL',
  'DELIVERY_DLQ_URL',
  'UNSUBSCRIBE_SECRET',
  'API_BASE_URL',
]);
// Top-level await: the tracer loads during the init phase, and only in Lambda with tracing on.
const tracer = await loadTracer('deliverer');
const doc = createDocumentClient(tracer);
const sqs = traceClient(tracer, new SQSClient({}));

export const handler = createDelivererHandler({
  subscriptions: new DynamoSubscriptionRepository(doc, env.SUBSCRIPTIONS_TABLE),
  deliveries: new DynamoDeliveryRepository(doc, env.DELIVERIES_TABLE),
  digestBuffer: new DynamoDigestBuffer(doc, env.DIGESTS_TABLE),
  // Retries are new messages on the delivery queue itself, so SQS delays (chained past 900 s) carry the schedule.
  deliveryQueue: new SqsQueueSender<DeliveryMessage>(sqs, env.DELIVERY_QUEUE_URL),
  deliveryDeadLetters: new SqsDeliveryDeadLetters(sqs, { dlqUrl: env.DELIVERY_DLQ_URL }),
  alertSender: createAlertSender({
    // Subscriber webhooks are on the public internet: private and loopback addresses are refused.
    policy: { allowLoopback: false },
    sqs,
    sns: traceClient(tracer, new SNSClient({})),
    alertsTopicArn: env.ALERTS_TOPIC_ARN,
    ...(env.ALERTS_TOPIC_MESSAGES ? { alertsTopicMessages: env.ALERTS_TOPIC_MESSAGES } : {}),
    now: () => new Date(),
  }),
  unsubscribeLinks: createUnsubscribeLinks({ secret: env.UNSUBSCRIBE_SECRET, baseUrl: env.API_BASE_URL }),
  clock: systemClock,
  random: Math.random,
  logger: createLogger('deliverer'),
  metrics: createEmfMetrics(),
  tracer,
  settings: { ...DEFAULT_SETTINGS, articleRetentionDays: env.ARTICLE_RETENTION_DAYS },
});
