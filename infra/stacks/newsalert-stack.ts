// The whole pipeline in one stack:
//   EventBridge schedule -> scheduler -> poll queue -> poller -> articles topic -> match queue -> matcher
//   -> delivery queue -> deliverer -> webhook / customer SQS queue / alerts topic,
// with an IAM-authorised HTTP API over the same tables.
import { CfnOutput, Duration, Stack, Tags } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config.js';
import { NodeFunction } from '../constructs/node-function.js';
import type { NodeFunctionProps } from '../constructs/node-function.js';
import { QueueWithDlq } from '../constructs/queue-with-dlq.js';

export interface NewsalertStackProps extends StackProps {
  readonly config: StageConfig;
}

const TIMEOUTS = {
  scheduler: Duration.seconds(30),
  poller: Duration.seconds(60),
  matcher: Duration.seconds(30),
  deliverer: Duration.seconds(30),
  api: Duration.seconds(10),
} as const;

/** AWS guidance for SQS-triggered Lambdas: a message must stay hidden through several consumer retries. */
function visibilityFor(consumerTimeout: Duration): Duration {
  return Duration.seconds(consumerTimeout.toSeconds() * 6);
}

export class NewsalertStack extends Stack {
  constructor(scope: Construct, id: string, props: NewsalertStackProps) {
    super(scope, id, props);
    const { config } = props;
    Tags.of(this).add('app', 'newsalert');
    Tags.of(this).add('stage', config.stage);

    // --- Tables: the same keys, indexes and TTLs as functions/adapters/dynamo/tables.ts (test/infra checks it).
    // Every key attribute is a string: ids, "pk"/"sk" composites, and nextPollAt as an ISO 8601 timestamp.
    const tableDefaults = {
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: config.pointInTimeRecovery },
      removalPolicy: config.removalPolicy,
    } satisfies Partial<dynamodb.TableProps>;
    const str = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

    const feedsTable = new dynamodb.Table(this, 'FeedsTable', { ...tableDefaults, partitionKey: str('feedId') });
    feedsTable.addGlobalSecondaryIndex({
      indexName: 'byNextPoll',
      partitionKey: str('pollShard'),
      sortKey: str('nextPollAt'),
      projectionType: dynamodb.ProjectionType.ALL,
    });
    const articlesTable = new dynamodb.Table(this, 'ArticlesTable', {
      ...tableDefaults,
      partitionKey: str('pk'),
      sortKey: str('sk'),
      timeToLiveAttribute: 'expiresAt',
    });
    const subscriptionsTable = new dynamodb.Table(this, 'SubscriptionsTable', {
      ...tableDefaults,
      partitionKey: str('subscriptionId'),
    });
    const deliveriesTable = new dynamodb.Table(this, 'DeliveriesTable', {
      ...tableDefaults,
      partitionKey: str('subscriptionId'),
      sortKey: str('articleId'),
      timeToLiveAttribute: 'expiresAt',
    });

    // --- Topics. alias/aws/sns is the AWS-managed key: encryption at rest without a key to own or pay for.
    const snsKey = kms.Alias.fromAliasName(this, 'AwsManagedSnsKey', 'alias/aws/sns');
    const articlesTopic = new sns.Topic(this, 'ArticlesTopic', { masterKey: snsKey, enforceSSL: true });
    const alertsTopic = new sns.Topic(this, 'AlertsTopic', { masterKey: snsKey, enforceSSL: true });

    // --- Queues.
    const pollQueue = new QueueWithDlq(this, 'PollQueue', { visibilityTimeout: visibilityFor(TIMEOUTS.poller) });
    const matchQueue = new QueueWithDlq(this, 'MatchQueue', { visibilityTimeout: visibilityFor(TIMEOUTS.matcher) });
    const deliveryQueue = new QueueWithDlq(this, 'DeliveryQueue', {
      visibilityTimeout: visibilityFor(TIMEOUTS.deliverer),
    });
    // Raw delivery: the matcher receives the article JSON itself, not an SNS envelope around it. The subscription
    // also adds the queue policy that admits sns.amazonaws.com only with this topic as aws:SourceArn.
    articlesTopic.addSubscription(new SqsSubscription(matchQueue.queue, { rawMessageDelivery: true }));

    // --- Functions.
    const functionDefaults = {
      logRetention: config.logRetention,
      logRemovalPolicy: config.removalPolicy,
      logLevel: config.logLevel,
    } satisfies Partial<NodeFunctionProps>;
    const retentionDays = String(config.articleRetentionDays);

    const scheduler = new NodeFunction(this, 'Scheduler', {
      ...functionDefaults,
      entry: 'functions/lambda/scheduler.ts',
      timeout: TIMEOUTS.scheduler,
      description: 'Enqueues every feed whose nextPollAt has passed and advances it',
    })
      .useTable('FEEDS_TABLE', feedsTable, 'readWrite')
      .useQueueForSending('POLL_QUEUE_URL', pollQueue.queue);

    const poller = new NodeFunction(this, 'Poller', {
      ...functionDefaults,
      entry: 'functions/lambda/poller.ts',
      timeout: TIMEOUTS.poller,
      reservedConcurrentExecutions: config.pollerReservedConcurrency,
      description: 'Fetches a feed, classifies new articles, stores and publishes them',
    })
      .useTable('FEEDS_TABLE', feedsTable, 'readWrite')
      .useTable('ARTICLES_TABLE', articlesTable, 'readWrite')
      .useTopicForPublishing('ARTICLES_TOPIC_ARN', articlesTopic);
    poller.addEnvironment('ARTICLE_RETENTION_DAYS', retentionDays);

    const matcher = new NodeFunction(this, 'Matcher', {
      ...functionDefaults,
      entry: 'functions/lambda/matcher.ts',
      timeout: TIMEOUTS.matcher,
      description: 'Matches an article against subscriptions and enqueues one delivery per match',
    })
      .useTable('SUBSCRIPTIONS_TABLE', subscriptionsTable, 'read')
      .useQueueForSending('DELIVERY_QUEUE_URL', deliveryQueue.queue);

    const deliverer = new NodeFunction(this, 'Deliverer', {
      ...functionDefaults,
      entry: 'functions/lambda/deliverer.ts',
      timeout: TIMEOUTS.deliverer,
      description: 'Claims a delivery, sends the alert over its channel (webhook, SQS, SNS), records the outcome',
    })
      .useTable('SUBSCRIPTIONS_TABLE', subscriptionsTable, 'readWrite')
      .useTable('DELIVERIES_TABLE', deliveriesTable, 'readWrite')
      .useTopicForPublishing('ALERTS_TOPIC_ARN', alertsTopic);
    // The deliverer claims each delivery record (its idempotency key), which expires with the article.
    deliverer.addEnvironment('ARTICLE_RETENTION_DAYS', retentionDays);
    // Subscribers name their own queues, in any account and region, at runtime: no ARN is knowable at deploy time,
    // so this is the one wildcard resource. Access is still decided by each customer's queue policy, which must
    // grant this function's role; we only allow SendMessage, never receive or delete.
    deliverer.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:*:*:*'] }),
    );

    const api = new NodeFunction(this, 'Api', {
      ...functionDefaults,
      entry: 'functions/lambda/api.ts',
      timeout: TIMEOUTS.api,
      description: 'HTTP API over feeds, subscriptions, articles and deliveries',
    })
      .useTable('FEEDS_TABLE', feedsTable, 'readWrite')
      .useTable('SUBSCRIPTIONS_TABLE', subscriptionsTable, 'readWrite')
      .useTable('ARTICLES_TABLE', articlesTable, 'read')
      .useTable('DELIVERIES_TABLE', deliveriesTable, 'read');

    // --- Event sources: partial batch responses, so one bad message is retried alone, not its whole batch.
    // Small poller batches: each message is a network fetch and the poller has a concurrency cap.
    poller.addEventSource(new SqsEventSource(pollQueue.queue, { batchSize: 5, reportBatchItemFailures: true }));
    matcher.addEventSource(new SqsEventSource(matchQueue.queue, { batchSize: 10, reportBatchItemFailures: true }));
    deliverer.addEventSource(
      new SqsEventSource(deliveryQueue.queue, { batchSize: 10, reportBatchItemFailures: true }),
    );

    // --- Schedule.
    new events.Rule(this, 'ScheduleRule', {
      description: 'Wakes the scheduler to enqueue due feeds',
      schedule: events.Schedule.rate(config.scheduleRate),
      targets: [new targets.LambdaFunction(scheduler, { retryAttempts: 2 })],
    });

    // --- HTTP API. IAM authorisation on every route: a fresh deploy is never an open API.
    const httpApi = new apigw.HttpApi(this, 'HttpApi', {
      description: `newsalert ${config.stage} API`,
      defaultAuthorizer: new HttpIamAuthorizer(),
      createDefaultStage: false,
    });
    const stage = new apigw.HttpStage(this, 'HttpApiDefaultStage', {
      httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { burstLimit: 50, rateLimit: 20 },
    });
    const integration = new HttpLambdaIntegration('ApiIntegration', api);
    const { GET, POST, DELETE } = apigw.HttpMethod;
    const routes: [string, apigw.HttpMethod[]][] = [
      ['/feeds', [GET, POST]],
      ['/feeds/{feedId}', [GET, DELETE]],
      ['/subscriptions', [GET, POST]],
      ['/subscriptions/{subscriptionId}', [GET, DELETE]],
      ['/subscriptions/{subscriptionId}/deliveries', [GET]],
      ['/articles', [GET]],
    ];
    for (const [routePath, methods] of routes) httpApi.addRoutes({ path: routePath, methods, integration });

    // --- Outputs.
    new CfnOutput(this, 'ApiUrl', { value: stage.url });
    new CfnOutput(this, 'FeedsTableName', { value: feedsTable.tableName });
    new CfnOutput(this, 'ArticlesTableName', { value: articlesTable.tableName });
    new CfnOutput(this, 'SubscriptionsTableName', { value: subscriptionsTable.tableName });
    new CfnOutput(this, 'DeliveriesTableName', { value: deliveriesTable.tableName });
    new CfnOutput(this, 'ArticlesTopicArn', { value: articlesTopic.topicArn });
    new CfnOutput(this, 'AlertsTopicArn', { value: alertsTopic.topicArn });
  }
}
