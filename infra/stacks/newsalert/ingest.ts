// Ingest: the schedule wakes the scheduler, which puts due feeds on the poll queue; the poller fetches, classifies,
// stores and announces new and edited articles on the articles topic. WebSub hubs push into the same code path
// through the callback function, and the renewer keeps their leases.
//   EventBridge -> scheduler -> poll queue -> poller -> articles topic
//   hub -> (HTTP API) -> WebSub callback -> articles topic
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { StageConfig } from '../../config.js';
import { NodeFunction } from '../../constructs/node-function.js';
import { DeadLetterQueue, QueueWithDlq } from '../../constructs/queue-with-dlq.js';
import { functionDefaults, StackSection, visibilityFor } from './section.js';
import type { Tables } from './tables.js';

export interface IngestProps {
  readonly config: StageConfig;
  readonly tables: Tables;
}

const SCHEDULER_TIMEOUT = Duration.seconds(30);
const POLLER_TIMEOUT = Duration.seconds(60);

export class Ingest extends StackSection {
  readonly pollQueue: QueueWithDlq;
  /** New and edited articles, with `topics` and `countries` attributes to filter on. */
  readonly articlesTopic: sns.Topic;
  readonly scheduler: NodeFunction;
  readonly poller: NodeFunction;
  /** The hubs' callback: verification of intent and signed pushes. Served by the HTTP API at /websub/{feedId}. */
  readonly websubCallback: NodeFunction;
  readonly websubRenewer: NodeFunction;

  constructor(scope: Construct, id: string, { config, tables }: IngestProps) {
    super(scope, id);
    const defaults = functionDefaults(config);
    const retentionDays = String(config.articleRetentionDays);

    // alias/aws/sns is the AWS-managed key: encryption at rest without a key to own or pay for.
    const snsKey = kms.Alias.fromAliasName(this, 'AwsManagedSnsKey', 'alias/aws/sns');
    this.articlesTopic = new sns.Topic(this, 'ArticlesTopic', { masterKey: snsKey, enforceSSL: true });
    this.pollQueue = new QueueWithDlq(this, 'PollQueue', { visibilityTimeout: visibilityFor(POLLER_TIMEOUT) });

    this.scheduler = new NodeFunction(this, 'Scheduler', {
      ...defaults,
      entry: 'functions/lambda/scheduler.ts',
      timeout: SCHEDULER_TIMEOUT,
      description: 'Enqueues every feed whose nextPollAt has passed and advances it',
    })
      .useTable('FEEDS_TABLE', tables.feeds, 'readWrite')
      .useQueueForSending('POLL_QUEUE_URL', this.pollQueue.queue)
      .useTable('IDEMPOTENCY_TABLE', tables.idempotency, 'readWrite');
    this.scheduler.addEnvironment('STALE_FEED_HOURS', String(config.alarms.staleFeedHours));
    new events.Rule(this, 'ScheduleRule', {
      description: 'Wakes the scheduler to enqueue due feeds',
      schedule: events.Schedule.rate(config.scheduleRate),
      targets: [
        new targets.LambdaFunction(this.scheduler, {
          retryAttempts: 2,
          deadLetterQueue: new DeadLetterQueue(this, 'ScheduleDeadLetterQueue', { removalPolicy: config.removalPolicy }),
        }),
      ],
    });

    this.poller = new NodeFunction(this, 'Poller', {
      ...defaults,
      entry: 'functions/lambda/poller.ts',
      classifierData: true,
      timeout: POLLER_TIMEOUT,
      reservedConcurrentExecutions: config.pollerReservedConcurrency,
      description: 'Fetches a feed, classifies new articles, stores and publishes them',
    })
      .useTable('FEEDS_TABLE', tables.feeds, 'readWrite')
      .useTable('ARTICLES_TABLE', tables.articles, 'readWrite')
      .useTable('INGEST_TABLE', tables.ingest, 'readWrite')
      // A poll refused by its host's politeness lease is put back on the queue with a delay.
      .useQueueForSending('POLL_QUEUE_URL', this.pollQueue.queue)
      .useTopicForPublishing('ARTICLES_TOPIC_ARN', this.articlesTopic);
    this.poller.addEnvironment('ARTICLE_RETENTION_DAYS', retentionDays);
    // Partial batch responses, so one bad message is retried alone. Small batches: each message is a network fetch
    // and the poller has a concurrency cap, which maxConcurrency stays below so SQS never gets throttled pollers.
    this.poller.addEventSource(
      new SqsEventSource(this.pollQueue.queue, {
        batchSize: 5,
        reportBatchItemFailures: true,
        maxConcurrency: Math.max(2, config.pollerReservedConcurrency),
      }),
    );

    // The callback is the one route without IAM: hubs cannot sign SigV4. It authenticates each push by its
    // X-Hub-Signature HMAC (per-subscription secret) and echoes challenges only for subscriptions it requested.
    // Pushes go through the poller's ingest core, so the callback has the poller's ingest grants (the story index
    // in the ingest table too: a pushed article joins the story of a polled one), not the api function's.
    this.websubCallback = new NodeFunction(this, 'WebSubCallback', {
      ...defaults,
      entry: 'functions/lambda/websub.ts',
      classifierData: true,
      timeout: POLLER_TIMEOUT,
      description: 'WebSub callback: verification of intent and signed pushes into the ingest core',
    })
      .useTable('FEEDS_TABLE', tables.feeds, 'readWrite')
      .useTable('ARTICLES_TABLE', tables.articles, 'readWrite')
      .useTable('INGEST_TABLE', tables.ingest, 'readWrite')
      .useTopicForPublishing('ARTICLES_TOPIC_ARN', this.articlesTopic);
    this.websubCallback.addEnvironment('ARTICLE_RETENTION_DAYS', retentionDays);

    this.websubRenewer = new NodeFunction(this, 'WebSubRenewer', {
      ...defaults,
      entry: 'functions/lambda/websub-renewer.ts',
      timeout: SCHEDULER_TIMEOUT,
      description: 'Renews WebSub leases before they lapse and retries unverified subscriptions',
    }).useTable('FEEDS_TABLE', tables.feeds, 'readWrite');
    new events.Rule(this, 'WebSubRenewalRule', {
      description: 'Wakes the WebSub renewer',
      schedule: events.Schedule.rate(Duration.hours(1)),
      targets: [new targets.LambdaFunction(this.websubRenewer, { retryAttempts: 2 })],
    });
  }

  /**
   * The functions that subscribe feeds at WebSub hubs, and so build callback URLs on the API: the poller (when a
   * polled feed advertises a hub: seed feeds, OPML imports) and the renewer. The poller needs no new grant for it:
   * it writes the feed record it already writes, and a hub is an HTTP POST like a feed fetch.
   */
  get hubSubscribers(): NodeFunction[] {
    return [this.poller, this.websubRenewer];
  }
}
