// The pipeline's DynamoDB tables: the same keys, indexes and TTLs as functions/adapters/dynamo/tables.ts
// (test/infra checks it), plus the infra-only idempotency table. Every key attribute is a string: ids, "pk"/"sk"
// composites, and nextPollAt as an ISO 8601 timestamp.
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { StageConfig } from '../../config.js';
import { CHANGE_LOG_ATTRIBUTES, CHANGE_LOG_INDEX } from '../../constructs/matcher-shards.js';
import { StackSection } from './section.js';

export interface TablesProps {
  readonly config: StageConfig;
}

const str = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

export class Tables extends StackSection {
  readonly feeds: dynamodb.Table;
  readonly articles: dynamodb.Table;
  readonly subscriptions: dynamodb.Table;
  readonly deliveries: dynamodb.Table;
  /** Alerts held for digests (hourly/daily, quiet hours, rate caps) and the rate-cap counters. */
  readonly digests: dynamodb.Table;
  /** API keys by the id each key carries; only SHA-256 hashes are stored. */
  readonly apiKeys: dynamodb.Table;
  /** The pollers' shared, short-lived state: the story index and per-host politeness leases. */
  readonly ingest: dynamodb.Table;
  /**
   * Powertools idempotency records (infra-only: the local runtime has no scheduler duplicates to absorb, so
   * TABLE_SPECS does not list it). Records expire through the `expiration` attribute Powertools writes.
   */
  readonly idempotency: dynamodb.Table;

  constructor(scope: Construct, id: string, { config }: TablesProps) {
    super(scope, id);
    const defaults = {
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: config.pointInTimeRecovery },
      removalPolicy: config.removalPolicy,
      deletionProtection: config.deletionProtection,
    } satisfies Partial<dynamodb.TableProps>;
    const withTtl = { ...defaults, partitionKey: str('pk'), sortKey: str('sk'), timeToLiveAttribute: 'expiresAt' };

    this.feeds = new dynamodb.Table(this, 'FeedsTable', { ...defaults, partitionKey: str('feedId') });
    this.feeds.addGlobalSecondaryIndex({
      indexName: 'byNextPoll',
      partitionKey: str('pollShard'),
      sortKey: str('nextPollAt'),
      projectionType: dynamodb.ProjectionType.ALL,
    });
    this.articles = new dynamodb.Table(this, 'ArticlesTable', withTtl);
    this.subscriptions = new dynamodb.Table(this, 'SubscriptionsTable', {
      ...defaults,
      partitionKey: str('subscriptionId'),
      // Deleted subscriptions stay as tombstones in the change log until then.
      timeToLiveAttribute: 'expiresAt',
    });
    // The subscriptions' change log (functions/adapters/dynamo/subscriptions-repository.ts): every write stamps a
    // growing changeSeq; matchers query what changed since their last version. Only what matching reads is
    // projected, so the log carries no channel and no webhook secret.
    this.subscriptions.addGlobalSecondaryIndex({
      indexName: CHANGE_LOG_INDEX,
      partitionKey: str('changeBucket'),
      sortKey: str('changeSeq'),
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: [...CHANGE_LOG_ATTRIBUTES],
    });
    this.deliveries = new dynamodb.Table(this, 'DeliveriesTable', {
      ...defaults,
      partitionKey: str('subscriptionId'),
      sortKey: str('articleId'),
      timeToLiveAttribute: 'expiresAt',
    });
    // The delivery log, newest first (GET /subscriptions/{id}/deliveries).
    this.deliveries.addGlobalSecondaryIndex({
      indexName: 'byCreated',
      partitionKey: str('subscriptionId'),
      sortKey: str('createdAt'),
      projectionType: dynamodb.ProjectionType.ALL,
    });
    // The sparse byRelease index finds what is due.
    this.digests = new dynamodb.Table(this, 'DigestsTable', { ...withTtl, partitionKey: str('subscriptionId') });
    this.digests.addGlobalSecondaryIndex({
      indexName: 'byRelease',
      partitionKey: str('releaseShard'),
      sortKey: str('releaseAt'),
      projectionType: dynamodb.ProjectionType.ALL,
    });
    this.apiKeys = new dynamodb.Table(this, 'ApiKeysTable', { ...defaults, partitionKey: str('keyId') });
    this.ingest = new dynamodb.Table(this, 'IngestTable', withTtl);
    this.idempotency = new dynamodb.Table(this, 'IdempotencyTable', {
      ...defaults,
      partitionKey: str('id'),
      timeToLiveAttribute: 'expiration',
    });
  }
}
