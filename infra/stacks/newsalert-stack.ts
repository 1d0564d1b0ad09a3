// The whole pipeline in one stack:
//   EventBridge schedule -> scheduler -> poll queue -> poller -> articles topic -> match queue -> matcher
//   -> delivery queue -> deliverer -> webhook / customer SQS queue / alerts topic,
// with an IAM-authorised HTTP API over the same tables.
import { AspectPriority, Aspects, CfnOutput, Duration, Stack, Tags } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config.js';
import { AlertEndpoints } from '../constructs/alert-endpoints.js';
import { NodeFunction } from '../constructs/node-function.js';
import type { NodeFunctionProps } from '../constructs/node-function.js';
import { DeadLetterQueue, QueueWithDlq } from '../constructs/queue-with-dlq.js';
import { PipelineMonitoring } from '../constructs/alarms.js';
import { StageSafeDefaults } from '../constructs/safe-defaults.js';
import { SeedFeeds } from '../constructs/seed-feeds.js';
import { CHANGE_LOG_ATTRIBUTES, CHANGE_LOG_INDEX, MatcherShards } from '../constructs/matcher-shards.js';
import { applyNagSuppressions } from '../nag-suppressions.js';

export interface NewsalertStackProps extends StackProps {
  readonly config: StageConfig;
}

const TIMEOUTS = {
  scheduler: Duration.seconds(30),
  poller: Duration.seconds(60),
  deliverer: Duration.seconds(30),
  digest: Duration.seconds(60),
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
      deletionProtection: config.deletionProtection,
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
      // Deleted subscriptions stay as tombstones in the change log until then.
      timeToLiveAttribute: 'expiresAt',
    });
    // The subscriptions' change log (functions/adapters/dynamo/subscriptions-repository.ts): every write stamps a
    // growing changeSeq; matchers query what changed since their last version. Only what matching reads is
    // projected, so the log carries no channel and no webhook secret.
    subscriptionsTable.addGlobalSecondaryIndex({
      indexName: CHANGE_LOG_INDEX,
      partitionKey: str('changeBucket'),
      sortKey: str('changeSeq'),
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: [...CHANGE_LOG_ATTRIBUTES],
    });
    const deliveriesTable = new dynamodb.Table(this, 'DeliveriesTable', {
      ...tableDefaults,
      partitionKey: str('subscriptionId'),
      sortKey: str('articleId'),
      timeToLiveAttribute: 'expiresAt',
    });
    // Alerts held for digests (hourly/daily, quiet hours, rate caps) and the rate-cap counters; the sparse byRelease
    // index finds what is due.
    const digestsTable = new dynamodb.Table(this, 'DigestsTable', {
      ...tableDefaults,
      partitionKey: str('subscriptionId'),
      sortKey: str('sk'),
      timeToLiveAttribute: 'expiresAt',
    });
    digestsTable.addGlobalSecondaryIndex({
      indexName: 'byRelease',
      partitionKey: str('releaseShard'),
      sortKey: str('releaseAt'),
      projectionType: dynamodb.ProjectionType.ALL,
    });
    // API keys by the id each key carries; only SHA-256 hashes are stored.
    const apiKeysTable = new dynamodb.Table(this, 'ApiKeysTable', { ...tableDefaults, partitionKey: str('keyId') });
    // The HMAC key of the unsubscribe links alerts carry. Generated by Secrets Manager at deploy (synth stays offline
    // and the template holds only a reference); never rotated, since rotating would break the links in alerts sent.
    const unsubscribeSecret = new secretsmanager.Secret(this, 'UnsubscribeSecret', {
      description: 'newsalert: HMAC key of the unsubscribe links in alerts',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: config.removalPolicy,
    });
    /**
     * Gives a function what it needs to make and check unsubscribe links: the secret as a CloudFormation dynamic
     * reference (resolved at deploy, so it is in no template, log or synth output) and the API's public URL.
     */
    const useUnsubscribeLinks = (fn: NodeFunction, apiBaseUrl: string): void => {
      fn.addEnvironment('UNSUBSCRIBE_SECRET', unsubscribeSecret.secretValue.unsafeUnwrap());
      fn.addEnvironment('API_BASE_URL', apiBaseUrl);
    };

    // The pollers' shared, short-lived state: the story index and per-host politeness leases.
    const ingestTable = new dynamodb.Table(this, 'IngestTable', {
      ...tableDefaults,
      partitionKey: str('pk'),
      sortKey: str('sk'),
      timeToLiveAttribute: 'expiresAt',
    });

    // --- Topics. alias/aws/sns is the AWS-managed key: encryption at rest without a key to own or pay for.
    const snsKey = kms.Alias.fromAliasName(this, 'AwsManagedSnsKey', 'alias/aws/sns');
    const articlesTopic = new sns.Topic(this, 'ArticlesTopic', { masterKey: snsKey, enforceSSL: true });
    const alertsTopic = new sns.Topic(this, 'AlertsTopic', { masterKey: snsKey, enforceSSL: true });

    // --- Queues.
    const pollQueue = new QueueWithDlq(this, 'PollQueue', { visibilityTimeout: visibilityFor(TIMEOUTS.poller) });
    // The matcher's size is per stage: it grows with the number of subscriptions (docs/operations.md).
    const matcherTimeout = Duration.seconds(config.matcher.timeoutSeconds);
    const deliveryQueue = new QueueWithDlq(this, 'DeliveryQueue', {
      visibilityTimeout: visibilityFor(TIMEOUTS.deliverer),
    });

    // --- Functions.
    const functionDefaults = {
      logRetention: config.logRetention,
      logRemovalPolicy: config.removalPolicy,
      logLevel: config.logLevel,
      metricsNamespace: `newsalert-${config.stage}`,
    } satisfies Partial<NodeFunctionProps>;
    const retentionDays = String(config.articleRetentionDays);

    // Powertools idempotency records (infra-only: the local runtime has no scheduler duplicates to absorb, so
    // TABLE_SPECS does not list it). Records expire through the `expiration` attribute Powertools writes.
    const idempotencyTable = new dynamodb.Table(this, 'IdempotencyTable', {
      ...tableDefaults,
      partitionKey: str('id'),
      timeToLiveAttribute: 'expiration',
    });

    const scheduler = new NodeFunction(this, 'Scheduler', {
      ...functionDefaults,
      entry: 'functions/lambda/scheduler.ts',
      timeout: TIMEOUTS.scheduler,
      description: 'Enqueues every feed whose nextPollAt has passed and advances it',
    })
      .useTable('FEEDS_TABLE', feedsTable, 'readWrite')
      .useQueueForSending('POLL_QUEUE_URL', pollQueue.queue)
      .useTable('IDEMPOTENCY_TABLE', idempotencyTable, 'readWrite');
    scheduler.addEnvironment('STALE_FEED_HOURS', String(config.alarms.staleFeedHours));

    const poller = new NodeFunction(this, 'Poller', {
      ...functionDefaults,
      entry: 'functions/lambda/poller.ts',
      classifierData: true,
      timeout: TIMEOUTS.poller,
      reservedConcurrentExecutions: config.pollerReservedConcurrency,
      description: 'Fetches a feed, classifies new articles, stores and publishes them',
    })
      .useTable('FEEDS_TABLE', feedsTable, 'readWrite')
      .useTable('ARTICLES_TABLE', articlesTable, 'readWrite')
      .useTable('INGEST_TABLE', ingestTable, 'readWrite')
      // A poll refused by its host's politeness lease is put back on the queue with a delay.
      .useQueueForSending('POLL_QUEUE_URL', pollQueue.queue)
      .useTopicForPublishing('ARTICLES_TOPIC_ARN', articlesTopic);
    poller.addEnvironment('ARTICLE_RETENTION_DAYS', retentionDays);

    // One queue and matcher per shard, each on the articles topic; shard 0 keeps the names a single matcher had.
    const matching = new MatcherShards(this, 'Matching', {
      sizing: config.matcher,
      functionDefaults,
      articlesTopic,
      subscriptionsTable,
      deliveryQueue: deliveryQueue.queue,
      visibilityTimeout: visibilityFor(matcherTimeout),
      removalPolicy: config.removalPolicy,
    });

    const deliverer = new NodeFunction(this, 'Deliverer', {
      ...functionDefaults,
      entry: 'functions/lambda/deliverer.ts',
      timeout: TIMEOUTS.deliverer,
      description: 'Claims a delivery, sends the alert over its channel (webhook, SQS, SNS), records the outcome',
    })
      .useTable('SUBSCRIPTIONS_TABLE', subscriptionsTable, 'readWrite')
      .useTable('DELIVERIES_TABLE', deliveriesTable, 'readWrite')
      .useTable('DIGESTS_TABLE', digestsTable, 'readWrite')
      // Retries are new, delayed messages on its own queue; the last attempt goes to the DLQ explicitly.
      .useQueueForSending('DELIVERY_QUEUE_URL', deliveryQueue.queue)
      .useQueueForSending('DELIVERY_DLQ_URL', deliveryQueue.deadLetterQueue)
      .useTopicForPublishing('ALERTS_TOPIC_ARN', alertsTopic);
    // The deliverer claims each delivery record (its idempotency key), which expires with the article.
    deliverer.addEnvironment('ARTICLE_RETENTION_DAYS', retentionDays);
    deliverer.addEnvironment('ALERTS_TOPIC_MESSAGES', config.alertsTopicMessages);
    // SNS-native readers of the alerts topic, routed by attribute (a filter policy each, 200 at most per topic).
    new AlertEndpoints(this, 'AlertEndpoints', { topic: alertsTopic, endpoints: config.alertEndpoints });
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
      description: 'HTTP API over feeds, subscriptions, keys, articles and deliveries; checks API keys itself',
    })
      .useTable('FEEDS_TABLE', feedsTable, 'readWrite')
      .useTable('SUBSCRIPTIONS_TABLE', subscriptionsTable, 'readWrite')
      .useTable('ARTICLES_TABLE', articlesTable, 'read')
      .useTable('DELIVERIES_TABLE', deliveriesTable, 'read')
      .useTable('API_KEYS_TABLE', apiKeysTable, 'readWrite')
      // Test-fire: a synthetic alert goes through the delivery queue like a real one.
      .useQueueForSending('DELIVERY_QUEUE_URL', deliveryQueue.queue);

    // Replay of the whole delivery DLQ: an SQS message move task from the DLQ back to the delivery queue, which
    // needs receive/delete/attributes on the source and send on the destination (send is granted above).
    api.addEnvironment('DELIVERY_DLQ_ARN', deliveryQueue.deadLetterQueue.queueArn);
    api.addEnvironment('DELIVERY_QUEUE_ARN', deliveryQueue.queue.queueArn);
    api.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sqs:StartMessageMoveTask', 'sqs:ListMessageMoveTasks', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        resources: [deliveryQueue.deadLetterQueue.queueArn],
      }),
    );

    const digest = new NodeFunction(this, 'Digest', {
      ...functionDefaults,
      entry: 'functions/lambda/digest.ts',
      timeout: TIMEOUTS.digest,
      description: 'Sends the alerts held for digests, quiet hours and rate caps, one digest per subscription and period',
    })
      .useTable('SUBSCRIPTIONS_TABLE', subscriptionsTable, 'read')
      .useTable('DIGESTS_TABLE', digestsTable, 'readWrite')
      .useQueueForSending('DELIVERY_QUEUE_URL', deliveryQueue.queue);
    // Every 15 minutes: digest times are HH:MM in the subscriber's zone, and zones are offset by 15-minute steps at
    // worst (Nepal, Chatham), so a digest is at most one run late.
    new events.Rule(this, 'DigestScheduleRule', {
      description: 'Wakes the digest function to send what is due',
      schedule: events.Schedule.rate(Duration.minutes(15)),
      targets: [new targets.LambdaFunction(digest, { retryAttempts: 2 })],
    });

    // --- Event sources: partial batch responses, so one bad message is retried alone, not its whole batch.
    // Small poller batches: each message is a network fetch and the poller has a concurrency cap.
    // maxConcurrency keeps the event source below the reserved concurrency, so SQS never gets throttled pollers.
    poller.addEventSource(
      new SqsEventSource(pollQueue.queue, {
        batchSize: 5,
        reportBatchItemFailures: true,
        maxConcurrency: Math.max(2, config.pollerReservedConcurrency),
      }),
    );
    deliverer.addEventSource(
      new SqsEventSource(deliveryQueue.queue, { batchSize: 10, reportBatchItemFailures: true }),
    );

    // --- Schedule.
    new events.Rule(this, 'ScheduleRule', {
      description: 'Wakes the scheduler to enqueue due feeds',
      schedule: events.Schedule.rate(config.scheduleRate),
      targets: [
        new targets.LambdaFunction(scheduler, {
          retryAttempts: 2,
          deadLetterQueue: new DeadLetterQueue(this, 'ScheduleDeadLetterQueue', { removalPolicy: config.removalPolicy }),
        }),
      ],
    });

    // --- HTTP API. No API Gateway authorizer: the api function checks an API key (hashed in the keys table) on
    // every route but the public ones (the OpenAPI document, signed unsubscribe links), because owner keys belong to
    // subscribers without AWS credentials and one route cannot carry two authorizers (docs/architecture.md).
    // A fresh deploy is still closed: no key exists until the operator bootstraps one (`newsalert keys bootstrap`).
    const httpApi = new apigw.HttpApi(this, 'HttpApi', {
      description: `newsalert ${config.stage} API`,
      createDefaultStage: false,
    });
    const stage = new apigw.HttpStage(this, 'HttpApiDefaultStage', {
      httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { burstLimit: config.apiThrottle.burstLimit, rateLimit: config.apiThrottle.rateLimit },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(
          new logs.LogGroup(this, 'HttpApiAccessLogs', {
            retention: config.logRetention,
            removalPolicy: config.removalPolicy,
          }),
        ),
        // JSON, one line per request: who (IAM principal), what, how it ended; never bodies or headers.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            caller: '$context.identity.caller',
            userArn: '$context.identity.userArn',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    const integration = new HttpLambdaIntegration('ApiIntegration', api);
    const { GET, POST, PUT, PATCH, DELETE } = apigw.HttpMethod;
    // The api function's route table, written out: infra never imports function code. A test compares the two.
    const routes: [string, apigw.HttpMethod[]][] = [
      ['/health', [GET]],
      ['/openapi.json', [GET]],
      ['/feeds', [GET, POST]],
      ['/feeds/{feedId}', [GET, DELETE]],
      ['/feeds/import', [POST]],
      ['/feeds/export', [GET]],
      ['/feeds/validate', [POST]],
      ['/subscriptions', [GET, POST]],
      ['/subscriptions/{subscriptionId}', [GET, PUT, PATCH, DELETE]],
      ['/subscriptions/{subscriptionId}/pause', [POST]],
      ['/subscriptions/{subscriptionId}/resume', [POST]],
      ['/subscriptions/{subscriptionId}/snooze', [POST]],
      ['/subscriptions/{subscriptionId}/rotate-secret', [POST]],
      ['/subscriptions/{subscriptionId}/test', [POST]],
      ['/subscriptions/{subscriptionId}/deliveries', [GET]],
      ['/subscriptions/{subscriptionId}/deliveries/{articleId}/replay', [POST]],
      ['/subscriptions/{subscriptionId}/failures', [GET]],
      ['/subscriptions/{subscriptionId}/preview', [GET]],
      ['/deliveries/dlq/redrive', [POST]],
      ['/keys', [GET, POST]],
      ['/keys/{keyId}', [DELETE]],
      ['/unsubscribe/{subscriptionId}', [GET, POST]],
      ['/articles', [GET]],
    ];
    for (const [routePath, methods] of routes) httpApi.addRoutes({ path: routePath, methods, integration });

    // --- WebSub. The callback is the one route without IAM: hubs cannot sign SigV4. It authenticates each push by
    // its X-Hub-Signature HMAC (per-subscription secret) and echoes challenges only for subscriptions it requested.
    // Pushes take the poller's code path, so the callback has the poller's grants, not the api function's.
    const websub = new NodeFunction(this, 'WebSubCallback', {
      ...functionDefaults,
      entry: 'functions/lambda/websub.ts',
      classifierData: true,
      timeout: TIMEOUTS.poller,
      description: 'WebSub callback: verification of intent and signed pushes into the poller code path',
    })
      .useTable('FEEDS_TABLE', feedsTable, 'readWrite')
      .useTable('ARTICLES_TABLE', articlesTable, 'readWrite')
      .useTopicForPublishing('ARTICLES_TOPIC_ARN', articlesTopic);
    websub.addEnvironment('ARTICLE_RETENTION_DAYS', retentionDays);
    httpApi.addRoutes({
      path: '/websub/{feedId}',
      methods: [GET, POST],
      integration: new HttpLambdaIntegration('WebSubIntegration', websub),
      authorizer: new apigw.HttpNoneAuthorizer(),
    });
    const websubRenewer = new NodeFunction(this, 'WebSubRenewer', {
      ...functionDefaults,
      entry: 'functions/lambda/websub-renewer.ts',
      timeout: TIMEOUTS.scheduler,
      description: 'Renews WebSub leases before they lapse and retries unverified subscriptions',
    }).useTable('FEEDS_TABLE', feedsTable, 'readWrite');
    // The api subscribes on add, the poller when a polled feed advertises a hub (seed feeds, OPML imports) and the
    // renewer renews; all build callback URLs on the API's endpoint. The endpoint is an attribute of the HttpApi
    // alone (not of its routes or stage), so no dependency cycle. The poller needs no new grant: it writes the feed
    // record it already writes, and a hub is an HTTP POST like a feed fetch.
    for (const fn of [api, poller, websubRenewer]) fn.addEnvironment('API_BASE_URL', httpApi.apiEndpoint);
    useUnsubscribeLinks(api, httpApi.apiEndpoint);
    // The deliverer signs the link into every alert it sends (instant, digest, test-fire, replay).
    useUnsubscribeLinks(deliverer, httpApi.apiEndpoint);
    new events.Rule(this, 'WebSubRenewalRule', {
      description: 'Wakes the WebSub renewer',
      schedule: events.Schedule.rate(Duration.hours(1)),
      targets: [new targets.LambdaFunction(websubRenewer, { retryAttempts: 2 })],
    });

    // --- Outputs.
    // --- Seed feeds, alarms, dashboard, stage-wide defaults and the reviewed cdk-nag exceptions.
    if (config.seedFeeds.length > 0) {
      new SeedFeeds(this, 'SeedFeeds', {
        table: feedsTable,
        feeds: config.seedFeeds,
        logGroup: new logs.LogGroup(this, 'SeedFeedsLogs', {
          retention: config.logRetention,
          removalPolicy: config.removalPolicy,
        }),
      });
    }
    const monitoring = new PipelineMonitoring(this, 'Monitoring', {
      metricsNamespace: `newsalert-${config.stage}`,
      thresholds: config.alarms,
      ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
    });
    Aspects.of(this).add(new StageSafeDefaults(config), { priority: AspectPriority.MUTATING });
    applyNagSuppressions(this);

    new CfnOutput(this, 'ApiUrl', { value: stage.url });
    new CfnOutput(this, 'AlarmTopicArn', { value: monitoring.alarmTopic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: monitoring.dashboard.dashboardName });
    new CfnOutput(this, 'FeedsTableName', { value: feedsTable.tableName });
    new CfnOutput(this, 'ArticlesTableName', { value: articlesTable.tableName });
    new CfnOutput(this, 'SubscriptionsTableName', { value: subscriptionsTable.tableName });
    new CfnOutput(this, 'DeliveriesTableName', { value: deliveriesTable.tableName });
    // Where `newsalert keys bootstrap --table …` writes the first admin key, with the operator's AWS credentials.
    new CfnOutput(this, 'ApiKeysTableName', { value: apiKeysTable.tableName });
    new CfnOutput(this, 'IngestTableName', { value: ingestTable.tableName });
    new CfnOutput(this, 'ArticlesTopicArn', { value: articlesTopic.topicArn });
    new CfnOutput(this, 'AlertsTopicArn', { value: alertsTopic.topicArn });
    new CfnOutput(this, 'MatchSnapshotBucketName', { value: matching.snapshotBucket.bucketName });
  }
}
