// Matching: every article on the articles topic reaches each matcher shard's queue as the raw event, and each shard's
// matcher sends one DeliveryMessage per matching subscription to the delivery queue; a snapshot job per shard keeps
// its index's snapshot in the snapshot bucket (infra/constructs/matcher-shards.ts).
//   articles topic -> match queue (one per shard) -> matcher -> delivery queue
import { Duration } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { StageConfig } from '../../config.js';
import { MatcherShards } from '../../constructs/matcher-shards.js';
import { functionDefaults, StackSection, visibilityFor } from './section.js';
import type { Tables } from './tables.js';

export interface MatchingProps {
  readonly config: StageConfig;
  readonly tables: Tables;
  /** What is matched: the ingest section's articles topic. */
  readonly articlesTopic: sns.ITopic;
  /** Where matches go: the delivery section's queue. */
  readonly deliveryQueue: sqs.IQueue;
}

export class Matching extends StackSection {
  readonly shards: MatcherShards;
  readonly snapshotBucket: s3.Bucket;

  constructor(scope: Construct, id: string, { config, tables, articlesTopic, deliveryQueue }: MatchingProps) {
    super(scope, id);
    // The matcher's size is per stage: it grows with the number of subscriptions (docs/operations.md).
    const timeout = Duration.seconds(config.matcher.timeoutSeconds);
    // One queue and matcher per shard, each on the articles topic; shard 0 keeps the names a single matcher had.
    this.shards = new MatcherShards(this, 'Shards', {
      sizing: config.matcher,
      functionDefaults: functionDefaults(config),
      articlesTopic,
      subscriptionsTable: tables.subscriptions,
      deliveryQueue,
      visibilityTimeout: visibilityFor(timeout),
      removalPolicy: config.removalPolicy,
    });
    this.snapshotBucket = this.shards.snapshotBucket;
  }
}
