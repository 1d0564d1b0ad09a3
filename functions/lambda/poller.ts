// Lambda entry: wiring only. Logic lives in functions/handlers/poller.ts.
import { randomBytes } from 'node:crypto';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SnsArticleEventPublisher, SqsQueueSender } from '#adapters/aws-messaging.js';
import { topicParentOf } from '#domain/topic-tree.js';
import { DynamoArticleRepository } from '#adapters/dynamo/articles-repository.js';
import { DynamoFeedRepository } from '#adapters/dynamo/feeds-repository.js';
import { DynamoHostLimiter } from '#adapters/dynamo/host-limiter.js';
import { DynamoStoryIndex } from '#adapters/dynamo/stories-repository.js';
import { createFeedFetcher } from '#adapters/http/feed-fetcher.js';
import { createWebSubConfig } from '#adapters/websub-hub-client.js';
import { classify } from '#adapters/classifier.js';
import { DEFAULT_POLLING_POLICY } from '#domain/feed.js';
import type { PollMessage } from '#domain/types.js';
import { DEFAULT_SETTINGS } from '#handlers/deps.js';
import { createPollerHandler } from '#handlers/poller.js';
import { createDocumentClient, systemClock } from '#shared/clients.js';
import { readEnv } from '#shared/env.js';
import { createLogger } from '#shared/logger.js';
import { createEmfMetrics } from '#shared/metrics.js';
import { loadTracer, traceClient } from '#shared/tracer.js';

const env = readEnv(['FEEDS_TABLE', 'ARTICLES_TABLE', 'ARTICLES_TOPIC_ARN', 'INGEST_TABLE', 'POLL_QUEUE_URL']);
// Top-level await: the tracer loads during the init phase, and only in Lambda with tracing on.
const tracer = await loadTracer('poller');
const doc = createDocumentClient(tracer);

export const handler = createPollerHandler({
  feeds: new DynamoFeedRepository(doc, env.FEEDS_TABLE),
  articles: new DynamoArticleRepository(doc, env.ARTICLES_TABLE),
  articleEvents: new SnsArticleEventPublisher(traceClient(tracer, new SNSClient({})), env.ARTICLES_TOPIC_ARN, { parentOf: topicParentOf }),
  pollQueue: new SqsQueueSender<PollMessage>(traceClient(tracer, new SQSClient({})), env.POLL_QUEUE_URL),
  stories: new DynamoStoryIndex(doc, env.INGEST_TABLE),
  hostLimiter: new DynamoHostLimiter(doc, env.INGEST_TABLE, {
    maxConcurrent: DEFAULT_POLLING_POLICY.hostConcurrency,
    minSpacingMs: DEFAULT_POLLING_POLICY.hostSpacingMs,
  }),
  // Deployed, feeds are the public web: loopback and private networks are never reachable.
  fetcher: createFeedFetcher({ policy: { allowLoopback: false } }),
  // Feeds that advertise a hub are subscribed on a poll as on an add (seed feeds, OPML imports); off without the API.
  randomBytes: (size: number) => randomBytes(size),
  ...(env.API_BASE_URL !== undefined ? { websub: createWebSubConfig(env.API_BASE_URL, { allowLoopback: false }) } : {}),
  classify,
  clock: systemClock,
  logger: createLogger('poller'),
  metrics: createEmfMetrics(),
  tracer,
  settings: { ...DEFAULT_SETTINGS, articleRetentionDays: env.ARTICLE_RETENTION_DAYS },
});
