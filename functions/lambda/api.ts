// Lambda entry: wiring only. Logic lives in functions/handlers/api/.
import { randomBytes, randomUUID } from 'node:crypto';
import { DynamoArticleRepository } from '#adapters/dynamo/articles-repository.js';
import { DynamoDeliveryRepository } from '#adapters/dynamo/deliveries-repository.js';
import { DynamoFeedRepository } from '#adapters/dynamo/feeds-repository.js';
import { DynamoSubscriptionRepository } from '#adapters/dynamo/subscriptions-repository.js';
import { assertUrlAllowed } from '#adapters/http/ssrf.js';
import { createApiHandler } from '#handlers/api/index.js';
import { createDocumentClient, systemClock } from '#shared/clients.js';
import { readEnv } from '#shared/env.js';
import { createLogger } from '#shared/logger.js';

const env = readEnv(['FEEDS_TABLE', 'ARTICLES_TABLE', 'SUBSCRIPTIONS_TABLE', 'DELIVERIES_TABLE']);
const doc = createDocumentClient();

export const handler = createApiHandler({
  feeds: new DynamoFeedRepository(doc, env.FEEDS_TABLE),
  articles: new DynamoArticleRepository(doc, env.ARTICLES_TABLE),
  subscriptions: new DynamoSubscriptionRepository(doc, env.SUBSCRIPTIONS_TABLE),
  deliveries: new DynamoDeliveryRepository(doc, env.DELIVERIES_TABLE),
  assertUrlAllowed: (url) => assertUrlAllowed(url, { allowLoopback: false }),
  clock: systemClock,
  newId: () => randomUUID().replaceAll('-', ''),
  randomBytes: (size) => randomBytes(size),
  logger: createLogger('api'),
});
