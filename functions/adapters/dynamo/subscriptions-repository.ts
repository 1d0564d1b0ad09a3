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

export class DynamoSubscriptionRepository implements SubscriptionRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

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

  async list(): Promise<Subscription[]> {
    const subscriptions: Subscription[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({ TableName: this.tableName, ExclusiveStartKey: startKey, ConsistentRead: true }),
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
