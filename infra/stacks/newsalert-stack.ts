// The whole pipeline in one stack, one section per part of the README diagram:
//   tables
//   ingest:   EventBridge schedule -> scheduler -> poll queue -> poller -> articles topic (and WebSub pushes)
//   matching: articles topic -> match queue -> matcher -> delivery queue
//   delivery: delivery queue -> deliverer -> webhook / customer SQS queue / alerts topic / Slack; digests
//   API:      an HTTP API over the same tables, authenticated by API key in the function
// then what watches and guards all of them: seed feeds, alarms and the dashboard, stage-wide defaults, cdk-nag.
import { AspectPriority, Aspects, CfnOutput, Stack, Tags } from 'aws-cdk-lib';
import type { CfnElement, StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config.js';
import { PipelineMonitoring } from '../constructs/alarms.js';
import { StageSafeDefaults } from '../constructs/safe-defaults.js';
import { SeedFeeds } from '../constructs/seed-feeds.js';
import { applyNagSuppressions } from '../nag-suppressions.js';
import { Api } from './newsalert/api.js';
import { Delivery } from './newsalert/delivery.js';
import { Ingest } from './newsalert/ingest.js';
import { Matching } from './newsalert/matching.js';
import { sectionFreeLogicalIds } from './newsalert/section.js';
import { Tables } from './newsalert/tables.js';

export interface NewsalertStackProps extends StackProps {
  readonly config: StageConfig;
}

export class NewsalertStack extends Stack {
  readonly tables: Tables;
  readonly ingest: Ingest;
  readonly matching: Matching;
  readonly delivery: Delivery;
  readonly api: Api;
  private readonly logicalIds = sectionFreeLogicalIds(this);

  constructor(scope: Construct, id: string, props: NewsalertStackProps) {
    super(scope, id, props);
    const { config } = props;
    Tags.of(this).add('app', 'newsalert');
    Tags.of(this).add('stage', config.stage);

    this.tables = new Tables(this, 'Tables', { config });
    const tables = this.tables;
    this.ingest = new Ingest(this, 'Ingest', { config, tables });
    this.delivery = new Delivery(this, 'Delivery', { config, tables });
    this.matching = new Matching(this, 'Matching', {
      config,
      tables,
      articlesTopic: this.ingest.articlesTopic,
      deliveryQueue: this.delivery.deliveryQueue.queue,
    });
    this.api = new Api(this, 'Api', {
      config,
      tables,
      deliveryQueue: this.delivery.deliveryQueue,
      websubCallback: this.ingest.websubCallback,
    });
    // What builds URLs on the API: WebSub callback URLs (the hub subscribers) and, in every alert it sends (instant,
    // digest, test-fire, replay), the deliverer's signed unsubscribe link.
    for (const fn of this.ingest.hubSubscribers) this.api.useBaseUrl(fn);
    this.api.useUnsubscribeLinks(this.delivery.deliverer);

    // --- Seed feeds, alarms, dashboard, stage-wide defaults and the reviewed cdk-nag exceptions.
    if (config.seedFeeds.length > 0) {
      new SeedFeeds(this, 'SeedFeeds', {
        table: tables.feeds,
        feeds: config.seedFeeds,
        logGroup: new logs.LogGroup(this, 'SeedFeedsLogs', { retention: config.logRetention, removalPolicy: config.removalPolicy }),
      });
    }
    const monitoring = new PipelineMonitoring(this, 'Monitoring', {
      metricsNamespace: `newsalert-${config.stage}`,
      thresholds: config.alarms,
      ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
    });
    Aspects.of(this).add(new StageSafeDefaults(config), { priority: AspectPriority.MUTATING });
    applyNagSuppressions(this);

    // --- Outputs.
    new CfnOutput(this, 'ApiUrl', { value: this.api.stage.url });
    new CfnOutput(this, 'AlarmTopicArn', { value: monitoring.alarmTopic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: monitoring.dashboard.dashboardName });
    new CfnOutput(this, 'FeedsTableName', { value: tables.feeds.tableName });
    new CfnOutput(this, 'ArticlesTableName', { value: tables.articles.tableName });
    new CfnOutput(this, 'SubscriptionsTableName', { value: tables.subscriptions.tableName });
    new CfnOutput(this, 'DeliveriesTableName', { value: tables.deliveries.tableName });
    // Where `newsalert keys bootstrap --table …` writes the first admin key, with the operator's AWS credentials.
    new CfnOutput(this, 'ApiKeysTableName', { value: tables.apiKeys.tableName });
    new CfnOutput(this, 'IngestTableName', { value: tables.ingest.tableName });
    new CfnOutput(this, 'ArticlesTopicArn', { value: this.ingest.articlesTopic.topicArn });
    new CfnOutput(this, 'AlertsTopicArn', { value: this.delivery.alertsTopic.topicArn });
    new CfnOutput(this, 'MatchSnapshotBucketName', { value: this.matching.snapshotBucket.bucketName });
  }

  /**
   * Logical ids as CDK makes them, but from construct paths without the sections (StackSection): resources keep
   * the ids they had before the stack was split into sections, so an update replaces nothing.
   */
  protected override allocateLogicalId(element: CfnElement): string {
    return this.logicalIds(element);
  }
}
