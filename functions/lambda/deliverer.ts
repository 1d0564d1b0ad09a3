// Lambda entry: wiring only. Logic lives in functions/handlers/deliverer.ts.
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createAlertSender } from '#adapters/alert-senders.js';
import { DynamoDeliveryRepository } from '#adapters/dynamo/deliveries-repository.js';
import { DynamoSubscriptionRepository } from '#adapters/dynamo/subscriptions-repository.js';
import { DEFAULT_SETTINGS } from '#handlers/deps.js';
import { createDelivererHandler } from '#handlers/deliverer.js';
import { createDocumentClient, systemClock } from '#shared/clients.js';
import { readEnv } from '#shared/env.js';
import { createLogger } from '#shared/logger.js';

const env = readEnv(['SUBSCRIPTIONS_TABLE', 'DELIVERIES_TABLE', 'ALERTS_TOPIC_ARN']);
const doc = createDocumentClient();

export const handler = createDelivererHandler({
  subscriptions: new DynamoSubscriptionRepository(doc, env.SUBSCRIPTIONS_TABLE),
  deliveries: new DynamoDeliveryRepository(doc, env.DELIVERIES_TABLE),
  alertSender: createAlertSender({
    // Subscriber webhooks are on the public internet: private and loopback addresses are refused.
    policy: { allowLoopback: false },
    sqs: new SQSClient({}),
    sns: new SNSClient({}),
    alertsTopicArn: env.ALERTS_TOPIC_ARN,
    now: () => new Date(),
  }),
  clock: systemClock,
  logger: createLogger('deliverer'),
  settings: { ...DEFAULT_SETTINGS, articleRetentionDays: env.ARTICLE_RETENTION_DAYS },
});
