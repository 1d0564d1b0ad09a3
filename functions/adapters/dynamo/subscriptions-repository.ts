// Subscriptions table: one item per subscription, stored as the Subscription itself.
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { NotFoundError, ValidationError } from '#domain/errors.js';
import type { SubscriptionRepository } from '#domain/ports.js';
import type { Subscription } from '#domain/types.js';
import { isConditionalCheckFailed } from './dynamo-errors.js';
import { requireKey } from './input-checks.js';

/**
 * The item holding the table's change counter (see getVersion). It lives in the same table so that no new table is
 * needed; a subscription id never starts with "#" (ids are generated), and list/get never return it.
 */
export const SUBSCRIPTIONS_VERSION_ID = '#subscriptions-version';

const STATUSES: ReadonlySet<string> = new Set<Subscription['status']>(['active', 'paused', 'disabled', 'failing']);

export interface SubscriptionRepositoryOptions {
  /**
   * Segments of the parallel scan behind list(). At a million subscriptions the table is hundreds of 1 MB pages:
   * read one after another, the round trips add up to most of a cold matcher's time; each segment pages on its own,
   * so the waits overlap. Every segment holds one page in flight, so memory grows by ~1 MB (plus its decoded items)
   * per segment. DynamoDB accepts 1..1,000,000. @default 4
   */
  scanSegments?: number;
  /** Items per scan page. Tests set it small to cross page boundaries. @default - DynamoDB's 1 MB pages */
  scanPageLimit?: number;
}

export class DynamoSubscriptionRepository implements SubscriptionRepository {
  private readonly scanSegments: number;
  private readonly scanPageLimit: number | undefined;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: SubscriptionRepositoryOptions = {},
  ) {
    this.scanSegments = options.scanSegments ?? 4;
    if (!Number.isInteger(this.scanSegments) || this.scanSegments < 1 || this.scanSegments > 1_000_000) {
      throw new RangeError(`scanSegments must be an integer from 1 to 1000000, got ${String(options.scanSegments)}`);
    }
    this.scanPageLimit = options.scanPageLimit;
    if (this.scanPageLimit !== undefined && (!Number.isInteger(this.scanPageLimit) || this.scanPageLimit < 1)) {
      throw new RangeError(`scanPageLimit must be a positive integer, got ${String(options.scanPageLimit)}`);
    }
  }

  async put(subscription: Subscription): Promise<void> {
    requireKey('subscriptionId', subscription.subscriptionId);
    if (subscription.subscriptionId === SUBSCRIPTIONS_VERSION_ID) {
      throw new ValidationError('That subscription id is reserved', [{ path: 'subscriptionId', message: 'is reserved' }]);
    }
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: subscription }));
    await this.bumpVersion();
  }

  async getVersion(): Promise<number> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { subscriptionId: SUBSCRIPTIONS_VERSION_ID }, ConsistentRead: true }),
    );
    const version: unknown = result.Item?.version;
    return typeof version === 'number' ? version : 0;
  }

  /**
   * After the change, not before: a reader that sees the new version then lists sees the change. A crash between
   * the two leaves the version behind; the matcher's maximum index age covers that.
   */
  private async bumpVersion(): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { subscriptionId: SUBSCRIPTIONS_VERSION_ID },
        UpdateExpression: 'ADD #version :one',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  }

  async get(subscriptionId: string): Promise<Subscription | undefined> {
    requireKey('subscriptionId', subscriptionId);
    if (subscriptionId === SUBSCRIPTIONS_VERSION_ID) return undefined;
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { subscriptionId }, ConsistentRead: true }),
    );
    return result.Item as Subscription | undefined;
  }

  /**
   * A parallel scan: the segments split the key space, so each item comes from exactly one of them. One failing
   * segment fails the whole list (the SDK has already retried it): a partial list would silently drop subscribers,
   * while a failed matcher batch is retried by SQS.
   */
  async list(): Promise<Subscription[]> {
    const segments = await Promise.all(
      Array.from({ length: this.scanSegments }, (_, segment) => this.scanSegment(segment)),
    );
    return segments.length === 1 ? (segments[0] ?? []) : segments.flat();
  }

  private async scanSegment(segment: number): Promise<Subscription[]> {
    const subscriptions: Subscription[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({
          TableName: this.tableName,
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
          // One segment is a plain scan: no Segment/TotalSegments, exactly the request it always was.
          ...(this.scanSegments > 1 ? { Segment: segment, TotalSegments: this.scanSegments } : {}),
          ...(this.scanPageLimit === undefined ? {} : { Limit: this.scanPageLimit }),
        }),
      );
      for (const item of page.Items ?? []) if (item.subscriptionId !== SUBSCRIPTIONS_VERSION_ID) subscriptions.push(item as Subscription);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return subscriptions;
  }

  async delete(subscriptionId: string): Promise<boolean> {
    requireKey('subscriptionId', subscriptionId);
    if (subscriptionId === SUBSCRIPTIONS_VERSION_ID) return false;
    const result = await this.doc.send(
      new DeleteCommand({ TableName: this.tableName, Key: { subscriptionId }, ReturnValues: 'ALL_OLD' }),
    );
    if (result.Attributes === undefined) return false;
    await this.bumpVersion();
    return true;
  }

  /** Throws NotFoundError rather than creating a bare item holding only a status. */
  async setStatus(
    subscriptionId: string,
    status: Subscription['status'],
    options: { reason?: string; onlyIf?: Subscription['status'][] } = {},
  ): Promise<boolean> {
    requireKey('subscriptionId', subscriptionId);
    if (subscriptionId === SUBSCRIPTIONS_VERSION_ID) throw new NotFoundError(`Subscription ${subscriptionId} does not exist`);
    if (!STATUSES.has(status)) {
      throw new ValidationError(`Unknown subscription status ${JSON.stringify(status)}`, [
        { path: 'status', message: 'must be active, paused, disabled or failing' },
      ]);
    }
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { subscriptionId },
          UpdateExpression:
            options.reason === undefined ? 'SET #status = :status REMOVE statusReason' : 'SET #status = :status, statusReason = :reason',
          ConditionExpression:
            'attribute_exists(subscriptionId)' +
            (options.onlyIf === undefined ? '' : ` AND #status IN (${options.onlyIf.map((_, i) => `:only${i}`).join(', ')})`),
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': status,
            ...(options.reason === undefined ? {} : { ':reason': options.reason }),
            ...Object.fromEntries((options.onlyIf ?? []).map((only, i) => [`:only${i}`, only])),
          },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) {
        if (options.onlyIf !== undefined && (await this.get(subscriptionId)) !== undefined) return false;
        throw new NotFoundError(`Subscription ${subscriptionId} does not exist`, { cause: error });
      }
      throw error;
    }
    await this.bumpVersion();
    return true;
  }
}
