// Lambda entry: wiring only. Logic lives in functions/handlers/poller.ts.
import { SNSClient } from '@aws-sdk/client-sns';
import { SnsArticleEventPublisher } from '#adapters/aws-messaging.js';
import { DynamoArticleRepository } from '#adapters/dynamo/articles-repository.js';
import { DynamoFeedRepository } from '#adapters/dynamo/feeds-repository.js';
import { createFeedFetcher } from '#adapters/http/feed-fetcher.js';
import { classify } from '#domain/classification/index.js';
import { DEFAULT_SETTINGS } from '#handlers/deps.js';
import { createPollerHandler } from '#handlers/poller.js';
import { createDocumentClient, systemClock } from '#shared/clients.js';
import { readEnv } from '#shared/env.js';
import { createLogger } from '#shared/logger.js';

const env = readEnv(['FEEDS_TABLE', 'ARTICLES_TABLE', 'ARTICLES_TOPIC_ARN']);
const doc = createDocumentClient();

export const handler = createPollerHandler({
  feeds: new DynamoFeedRepository(doc, env.FEEDS_TABLE),
  articles: new DynamoArticleRepository(doc, env.ARTICLES_TABLE),
  articleEvents: new SnsArticleEventPublisher(new SNSClient({}), env.ARTICLES_TOPIC_ARN),
  // Deployed, feeds are the public web: loopback and private networks are never reachable.
  fetcher: createFeedFetcher({ policy: { allowLoopback: false } }),
  classify,
  clock: systemClock,
  logger: createLogger('poller'),
  settings: { ...DEFAULT_SETTINGS, articleRetentionDays: env.ARTICLE_RETENTION_DAYS },
});
