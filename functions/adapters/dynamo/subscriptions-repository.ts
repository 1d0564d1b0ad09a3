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

const STATUSES: ReadonlySet<string> = new Set<Subscription['status']>(['active', 'paused', 'disabled']);

export class DynamoSubscriptionRepository implements SubscriptionRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(subscription: Subscription): Promise<void> {
    requireKey('subscriptionId', subscription.subscriptionId);
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: subscription }));
  }

  async get(subscriptionId: string): Promise<Subscription | undefined> {
    requireKey('subscriptionId', subscriptionId);
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
      subscriptions.push(...((page.Items ?? []) as Subscription[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return subscriptions;
  }

  async delete(subscriptionId: string): Promise<boolean> {
    requireKey('subscriptionId', subscriptionId);
    const result = await this.doc.send(
      new DeleteCommand({ TableName: this.tableName, Key: { subscriptionId }, ReturnValues: 'ALL_OLD' }),
    );
    return result.Attributes !== undefined;
  }

  /** Throws NotFoundError rather than creating a bare item holding only a status. */
  async setStatus(subscriptionId: string, status: Subscription['status']): Promise<void> {
    requireKey('subscriptionId', subscriptionId);
    if (!STATUSES.has(status)) {
      throw new ValidationError(`Unknown subscription status ${JSON.stringify(status)}`, [
        { path: 'status', message: 'must be active, paused or disabled' },
      ]);
    }
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { subscriptionId },
          UpdateExpression: 'SET #status = :status',
          ConditionExpression: 'attribute_exists(subscriptionId)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) {
        throw new NotFoundError(`Subscription ${subscriptionId} does not exist`, { cause: error });
      }
      throw error;
    }
  }
}
