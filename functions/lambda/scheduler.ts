// Lambda entry: wiring only. Logic lives in functions/handlers/scheduler.ts.
import { SQSClient } from '@aws-sdk/client-sqs';
import { SqsQueueSender } from '#adapters/aws-messaging.js';
import { DynamoFeedRepository } from '#adapters/dynamo/feeds-repository.js';
import { DEFAULT_SETTINGS } from '#handlers/deps.js';
import { createSchedulerHandler } from '#handlers/scheduler.js';
import type { PollMessage } from '#domain/types.js';
import { createDocumentClient, systemClock } from '#shared/clients.js';
import { readEnv } from '#shared/env.js';
import { createLogger } from '#shared/logger.js';

const env = readEnv(['FEEDS_TABLE', 'POLL_QUEUE_URL']);
const doc = createDocumentClient();

export const handler = createSchedulerHandler({
  feeds: new DynamoFeedRepository(doc, env.FEEDS_TABLE),
  pollQueue: new SqsQueueSender<PollMessage>(new SQSClient({}), env.POLL_QUEUE_URL),
  clock: systemClock,
  logger: createLogger('scheduler'),
  settings: DEFAULT_SETTINGS,
});
