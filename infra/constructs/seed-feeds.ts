// Seed feeds, registered at deploy with one conditional PutItem each (an AwsCustomResource, no code of ours): a feed
// that already exists keeps its health and validators, and removing a seed from the config never deletes a feed.
import { createHash } from 'node:crypto';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { SeedFeed } from '../config.js';

/** The domain's default poll interval (functions/domain/feed.ts); test/infra checks the item equals newFeed's. */
const POLL_INTERVAL_SECONDS = 15 * 60;
/** Due at once. A fixed instant keeps the template stable across synths (CloudFormation has no "now"). */
const EPOCH = '1970-01-01T00:00:00.000Z';

/** The feed id the domain derives from a URL (feedIdFor in functions/domain/feed.ts). */
export function seedFeedId(url: string): string {
  return 'f_' + createHash('sha256').update(url.trim()).digest('base64url').slice(0, 16);
}

/** The stored feed item, as DynamoFeedRepository.create would write it, in plain JSON. */
export function seedFeedItem(feed: SeedFeed): Record<string, unknown> {
  return {
    feedId: seedFeedId(feed.url),
    url: feed.url.trim(),
    ...(feed.sourceName ? { sourceName: feed.sourceName } : {}),
    ...(feed.sourceCountry ? { sourceCountry: feed.sourceCountry } : {}),
    ...(feed.language ? { language: feed.language } : {}),
    enabled: true,
    pollIntervalSeconds: POLL_INTERVAL_SECONDS,
    nextPollAt: EPOCH,
    createdAt: EPOCH,
    health: { consecutiveFailures: 0 },
    pollShard: 'due',
  };
}

type AttributeValue = { S: string } | { N: string } | { BOOL: boolean } | { M: Record<string, AttributeValue> };

function marshal(value: unknown): AttributeValue {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return { M: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, marshal(v)])) };
  }
  throw new Error(`seed feed: cannot store ${JSON.stringify(value)}`);
}

export interface SeedFeedsProps {
  readonly table: dynamodb.ITable;
  readonly feeds: readonly SeedFeed[];
  /** Where the custom-resource provider logs (with the stage's retention). */
  readonly logGroup: logs.ILogGroup;
}

export class SeedFeeds extends Construct {
  constructor(scope: Construct, id: string, props: SeedFeedsProps) {
    super(scope, id);
    for (const feed of props.feeds) {
      const item = seedFeedItem(feed);
      const put = {
        service: 'DynamoDB',
        action: 'putItem',
        parameters: {
          TableName: props.table.tableName,
          Item: (marshal(item) as { M: Record<string, AttributeValue> }).M,
          ConditionExpression: 'attribute_not_exists(feedId)',
        },
        physicalResourceId: PhysicalResourceId.of(String(item.feedId)),
        ignoreErrorCodesMatching: 'ConditionalCheckFailedException',
      };
      new AwsCustomResource(this, String(item.feedId), {
        onCreate: put,
        onUpdate: put,
        installLatestAwsSdk: false,
        logGroup: props.logGroup,
        policy: AwsCustomResourcePolicy.fromStatements([
          new iam.PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [props.table.tableArn] }),
        ]),
      });
    }
  }
}
