// Delivery: the deliverer claims each delivery, holds it for a digest or sends it on its subscription's channel, and
// retries on its own queue; the digest function sends what was held, through the same queue.
//   delivery queue -> deliverer -> webhook / subscriber SQS queue / alerts topic / Slack
//   EventBridge (15 min) -> digest -> delivery queue
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { StageConfig } from '../../config.js';
import { AlertEndpoints } from '../../constructs/alert-endpoints.js';
import { NodeFunction } from '../../constructs/node-function.js';
import { QueueWithDlq } from '../../constructs/queue-with-dlq.js';
import { functionDefaults, StackSection, visibilityFor } from './section.js';
import type { Tables } from './tables.js';

export interface DeliveryProps {
  readonly config: StageConfig;
  readonly tables: Tables;
}

const DELIVERER_TIMEOUT = Duration.seconds(30);
const DIGEST_TIMEOUT = Duration.seconds(60);

export class Delivery extends StackSection {
  /** One DeliveryMessage per (subscription, story), from the matcher, the digest run, test-fires and replays. */
  readonly deliveryQueue: QueueWithDlq;
  /** The sns channel: SNS-native endpoints read alerts here, routed by attribute. */
  readonly alertsTopic: sns.Topic;
  readonly deliverer: NodeFunction;
  readonly digest: NodeFunction;

  constructor(scope: Construct, id: string, { config, tables }: DeliveryProps) {
    super(scope, id);
    const defaults = functionDefaults(config);
    this.deliveryQueue = new QueueWithDlq(this, 'DeliveryQueue', { visibilityTimeout: visibilityFor(DELIVERER_TIMEOUT) });
    // alias/aws/sns is the AWS-managed key: encryption at rest without a key to own or pay for.
    const snsKey = kms.Alias.fromAliasName(this, 'AwsManagedSnsKey', 'alias/aws/sns');
    this.alertsTopic = new sns.Topic(this, 'AlertsTopic', { masterKey: snsKey, enforceSSL: true });

    this.deliverer = new NodeFunction(this, 'Deliverer', {
      ...defaults,
      entry: 'functions/lambda/deliverer.ts',
      timeout: DELIVERER_TIMEOUT,
      description: 'Claims a delivery, sends the alert over its channel (webhook, SQS, SNS), records the outcome',
    })
      .useTable('SUBSCRIPTIONS_TABLE', tables.subscriptions, 'readWrite')
      .useTable('DELIVERIES_TABLE', tables.deliveries, 'readWrite')
      .useTable('DIGESTS_TABLE', tables.digests, 'readWrite')
      // Retries are new, delayed messages on its own queue; the last attempt goes to the DLQ explicitly.
      .useQueueForSending('DELIVERY_QUEUE_URL', this.deliveryQueue.queue)
      .useQueueForSending('DELIVERY_DLQ_URL', this.deliveryQueue.deadLetterQueue)
      .useTopicForPublishing('ALERTS_TOPIC_ARN', this.alertsTopic);
    // The deliverer claims each delivery record (its idempotency key), which expires with the article.
    this.deliverer.addEnvironment('ARTICLE_RETENTION_DAYS', String(config.articleRetentionDays));
    this.deliverer.addEnvironment('ALERTS_TOPIC_MESSAGES', config.alertsTopicMessages);
    // Subscribers name their own queues, in any account and region, at runtime: no ARN is knowable at deploy time,
    // so this is the one wildcard resource. Access is still decided by each customer's queue policy, which must
    // grant this function's role; we only allow SendMessage, never receive or delete.
    this.deliverer.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:*:*:*'] }));
    // Partial batch responses, so one bad message is retried alone, not its whole batch.
    this.deliverer.addEventSource(new SqsEventSource(this.deliveryQueue.queue, { batchSize: 10, reportBatchItemFailures: true }));
    // SNS-native readers of the alerts topic, routed by attribute (a filter policy each, 200 at most per topic).
    new AlertEndpoints(this, 'AlertEndpoints', { topic: this.alertsTopic, endpoints: config.alertEndpoints });

    this.digest = new NodeFunction(this, 'Digest', {
      ...defaults,
      entry: 'functions/lambda/digest.ts',
      timeout: DIGEST_TIMEOUT,
      description: 'Sends the alerts held for digests, quiet hours and rate caps, one digest per subscription and period',
    })
      .useTable('SUBSCRIPTIONS_TABLE', tables.subscriptions, 'read')
      .useTable('DIGESTS_TABLE', tables.digests, 'readWrite')
      .useQueueForSending('DELIVERY_QUEUE_URL', this.deliveryQueue.queue);
    // Every 15 minutes: digest times are HH:MM in the subscriber's zone, and zones are offset by 15-minute steps at
    // worst (Nepal, Chatham), so a digest is at most one run late.
    new events.Rule(this, 'DigestScheduleRule', {
      description: 'Wakes the digest function to send what is due',
      schedule: events.Schedule.rate(Duration.minutes(15)),
      targets: [new targets.LambdaFunction(this.digest, { retryAttempts: 2 })],
    });
  }
}
