// Lambda entry: wiring only. Logic lives in functions/handlers/websub.ts. The WebSub callback route of the HTTP API
// (public: hubs authenticate pushes with X-Hub-Signature); pushes go through the poller's code path, so it has the
// poller's dependencies and grants.
import { SNSClient } from '@aws-sdk/client-sns';
import { SnsArticleEventPublisher } from '#adapters/aws-messaging.js';
import { DynamoArticleRepository } from '#adapters/dynamo/articles-repository.js';
import { DynamoFeedRepository } from '#adapters/dynamo/feeds-repository.js';
import { createFeedFetcher } from '#adapters/http/feed-fetcher.js';
import { classify } from '#adapters/classifier.js';
import { DEFAULT_SETTINGS } from '#handlers/deps.js';
import { createWebSubHandler } from '#handlers/websub.js';
import { createDocumentClient, systemClock } from '#shared/clients.js';
import { readEnv } from '#shared/env.js';
import { createLogger } from '#shared/logger.js';

const env = readEnv(['FEEDS_TABLE', 'ARTICLES_TABLE', 'ARTICLES_TOPIC_ARN']);
const doc = createDocumentClient();

export const handler = createWebSubHandler({
  feeds: new DynamoFeedRepository(doc, env.FEEDS_TABLE),
  articles: new DynamoArticleRepository(doc, env.ARTICLES_TABLE),
  articleEvents: new SnsArticleEventPublisher(new SNSClient({}), env.ARTICLES_TOPIC_ARN),
  // Never called for a push (the pushed body is handed in); kept so the poller's code path is unchanged.
  fetcher: createFeedFetcher({ policy: { allowLoopback: false } }),
  classify,
  clock: systemClock,
  logger: createLogger('websub'),
  settings: { ...DEFAULT_SETTINGS, articleRetentionDays: env.ARTICLE_RETENTION_DAYS },
});
