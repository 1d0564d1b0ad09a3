// The matching tier: K matcher shards (a queue on the articles topic and a function each), a snapshot job per
// shard, and the bucket their snapshots live in. Resources are made in the stack's scope under the names a single
// matcher had ("MatchQueue", "Matcher" for shard 0; "MatchQueue1", "Matcher1", ... for the others), so a stack
// that goes from one shard to several keeps its first matcher and queue.
import { Duration, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { MatcherSizing } from '../config.js';
import { NodeFunction, type NodeFunctionProps } from './node-function.js';
import { QueueWithDlq } from './queue-with-dlq.js';

/** The subscriptions table's change log index, as functions/adapters/dynamo/tables.ts declares it (a test compares). */
export const CHANGE_LOG_INDEX = 'byChange';
export const CHANGE_LOG_ATTRIBUTES = [
  'topics', 'countries', 'countryRole', 'keywords', 'query', 'languages', 'includeSources', 'excludeSources', 'minScore',
  'status', 'snoozedUntil', 'receiveStoryUpdates', 'deleted',
] as const;
/** Where snapshots go in the bucket (snapshotKeyOf in functions/domain/subscription-shards.ts). */
const SNAPSHOT_PREFIX = 'match-index/';

export interface MatcherShardsProps {
  readonly sizing: MatcherSizing;
  readonly functionDefaults: Pick<NodeFunctionProps, 'logRetention' | 'logRemovalPolicy' | 'logLevel' | 'metricsNamespace'>;
  readonly articlesTopic: sns.ITopic;
  readonly subscriptionsTable: dynamodb.ITable;
  readonly deliveryQueue: sqs.IQueue;
  readonly visibilityTimeout: Duration;
  readonly removalPolicy: RemovalPolicy;
}

export class MatcherShards {
  readonly matchers: NodeFunction[] = [];
  readonly snapshotJobs: NodeFunction[] = [];
  readonly queues: QueueWithDlq[] = [];
  readonly snapshotBucket: s3.Bucket;

  constructor(scope: Construct, _id: string, props: MatcherShardsProps) {
    const { sizing } = props;
    this.snapshotBucket = new s3.Bucket(scope, 'MatchSnapshotBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // A snapshot is rewritten every snapshotIntervalMinutes; one not rewritten for 14 days is older than the change
      // log's tombstones and is never loaded, so it may go.
      lifecycleRules: [{ expiration: Duration.days(14), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.snapshotBucket.node.defaultChild as Construct).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Snapshots are derived data only our own roles read and write (least-privilege grants below); CloudTrail data events can log access if ever needed.',
    });
    const shardCount = Math.max(sizing.shards, sizing.previousShards ?? 0);
    for (let shard = 0; shard < shardCount; shard++) this.addShard(scope, props, shard);
  }

  private addShard(scope: Construct, props: MatcherShardsProps, shard: number): void {
    const { sizing } = props;
    const suffix = shard === 0 ? '' : String(shard);
    const queue = new QueueWithDlq(scope, `MatchQueue${suffix}`, { visibilityTimeout: props.visibilityTimeout });
    // Raw delivery: the matcher receives the article JSON itself, not an SNS envelope around it. The subscription
    // also adds the queue policy that admits sns.amazonaws.com only with this topic as aws:SourceArn.
    props.articlesTopic.addSubscription(new SqsSubscription(queue.queue, { rawMessageDelivery: true }));
    const shardEnv = {
      MATCHER_SHARD: String(shard),
      MATCHER_SHARD_COUNT: String(sizing.shards),
      ...(sizing.previousShards === undefined ? {} : { MATCHER_PREVIOUS_SHARD_COUNT: String(sizing.previousShards) }),
      MATCH_SNAPSHOT_BUCKET: this.snapshotBucket.bucketName,
      SUBSCRIPTIONS_TABLE: props.subscriptionsTable.tableName,
      // V8 sizes its heap from the machine's memory (a quarter of it by default); the index needs most of the
      // function's memory, so the limit is stated. 15% stays for code, buffers and the runtime.
      NODE_OPTIONS: `--enable-source-maps --max-old-space-size=${Math.floor(sizing.memoryMb * 0.85)}`,
    };
    const matcher = new NodeFunction(scope, `Matcher${suffix}`, {
      ...props.functionDefaults,
      entry: 'functions/lambda/matcher.ts',
      timeout: Duration.seconds(sizing.timeoutSeconds),
      memorySize: sizing.memoryMb,
      description: `Matches an article against shard ${shard}'s subscriptions and enqueues one delivery per match`,
    }).useQueueForSending('DELIVERY_QUEUE_URL', props.deliveryQueue);
    for (const [name, value] of Object.entries(shardEnv)) matcher.addEnvironment(name, value);
    // The change log only (its index carries no channel), never the table itself; snapshots read-only.
    matcher.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: [this.changeLogArn(props)] }));
    this.grantSnapshots(matcher, ['s3:GetObject']);
    matcher.addEventSource(new SqsEventSource(queue.queue, { batchSize: 10, reportBatchItemFailures: true }));

    const job = new NodeFunction(scope, `MatchSnapshot${suffix}`, {
      ...props.functionDefaults,
      entry: 'functions/lambda/match-snapshot.ts',
      // A full build of the shard's index: minutes at millions of subscriptions, with the matcher's memory.
      timeout: Duration.minutes(15),
      memorySize: sizing.memoryMb,
      description: `Writes shard ${shard}'s match index snapshot: the last one plus the change log since`,
    });
    for (const [name, value] of Object.entries(shardEnv)) job.addEnvironment(name, value);
    job.addEnvironment('SUBSCRIPTION_SCAN_SEGMENTS', String(sizing.scanSegments));
    // Reads the log; the first run without a snapshot also scans and stamps subscriptions written before the log.
    props.subscriptionsTable.grantReadWriteData(job);
    this.grantSnapshots(job, ['s3:GetObject', 's3:PutObject']);
    new events.Rule(scope, `MatchSnapshotRule${suffix}`, {
      description: `Writes matcher shard ${shard}'s snapshot`,
      schedule: events.Schedule.rate(Duration.minutes(sizing.snapshotIntervalMinutes)),
      targets: [new targets.LambdaFunction(job, { retryAttempts: 2 })],
    });
    this.matchers.push(matcher);
    this.snapshotJobs.push(job);
    this.queues.push(queue);
  }

  private changeLogArn(props: MatcherShardsProps): string {
    return `${props.subscriptionsTable.tableArn}/index/${CHANGE_LOG_INDEX}`;
  }

  /** Object actions on the snapshot prefix, and listing it, so that a missing snapshot reads as missing, not denied. */
  private grantSnapshots(fn: NodeFunction, actions: string[]): void {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources: [this.snapshotBucket.arnForObjects(`${SNAPSHOT_PREFIX}*`)] }));
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.snapshotBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${SNAPSHOT_PREFIX}*`] } },
      }),
    );
  }
}
