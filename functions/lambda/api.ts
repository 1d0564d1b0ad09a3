// Lambda entry: wiring only. Logic lives in functions/handlers/api/.
import { randomBytes, randomUUID } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SqsQueueSender } from '#adapters/aws-messaging.js';
import { DynamoApiKeyRepository } from '#adapters/dynamo/api-keys-repository.js';
import { DynamoArticleRepository } from '#adapters/dynamo/articles-repository.js';
import { DynamoDeliveryRepository } from '#adapters/dynamo/deliveries-repository.js';
import { DynamoFeedRepository } from '#adapters/dynamo/feeds-repository.js';
import { DynamoSubscriptionRepository } from '#adapters/dynamo/subscriptions-repository.js';
import { createFeedFetcher } from '#adapters/http/feed-fetcher.js';
import { assertUrlAllowed } from '#adapters/http/ssrf.js';
import { createWebSubConfig } from '#adapters/websub-hub-client.js';
import { createUnsubscribeLinks } from '#domain/unsubscribe-link.js';
import type { DeliveryMessage } from '#domain/types.js';
import { createApiHandler } from '#handlers/api/index.js';
import { createDocumentClient, systemClock } from '#shared/clients.js';
import { readEnv } from '#shared/env.js';
import { createLogger } from '#shared/logger.js';
import { createEmfMetrics } from '#shared/metrics.js';
import { loadTracer, traceClient } from '#shared/tracer.js';

const env = readEnv([
  'FEEDS_TABLE',
  'ARTICLES_TABLE',
  'SUBSCRIPTIONS_TABLE',
  'DELIVERIES_TABLE',
  'API_KEYS_TABLE',
  'DELIVERY_QUEUE_URL',
  'UNSUBSCRIBE_SECRET',
  'API_BASE_URL',
]);
// Top-level await: the tracer loads during the init phase, and only in Lambda with tracing on.
const tracer = await loadTracer('api');
const doc = createDocumentClient(tracer);

export const handler = createApiHandler({
  feeds: new DynamoFeedRepository(doc, env.FEEDS_TABLE),
  articles: new DynamoArticleRepository(doc, env.ARTICLES_TABLE),
  subscriptions: new DynamoSubscriptionRepository(doc, env.SUBSCRIPTIONS_TABLE),
  deliveries: new DynamoDeliveryRepository(doc, env.DELIVERIES_TABLE),
  apiKeys: new DynamoApiKeyRepository(doc, env.API_KEYS_TABLE),
  // Test-fire sends through the real delivery queue, so a test alert takes the path a real one takes.
  deliveryQueue: new SqsQueueSender<DeliveryMessage>(traceClient(tracer, new SQSClient({})), env.DELIVERY_QUEUE_URL),
  unsubscribeLinks: createUnsubscribeLinks({ secret: env.UNSUBSCRIBE_SECRET, baseUrl: env.API_BASE_URL }),
  assertUrlAllowed: (url) => assertUrlAllowed(url, { allowLoopback: false }),
  // Validation on add fetches once; its total time stays inside the API's 10 s timeout.
  fetcher: createFeedFetcher({ policy: { allowLoopback: false }, totalTimeoutMs: 7_000 }),
  ...(env.API_BASE_URL !== undefined ? { websub: createWebSubConfig(env.API_BASE_URL, { allowLoopback: false }) } : {}),
  clock: systemClock,
  newId: () => randomUUID().replaceAll('-', ''),
  randomBytes: (size) => randomBytes(size),
  logger: createLogger('api'),
  metrics: createEmfMetrics(),
  tracer,
});
