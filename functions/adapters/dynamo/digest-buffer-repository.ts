// Digests table: alerts held for a digest (hourly/daily frequency, quiet hours, a rate cap) and the hourly rate-cap
// counters. Held items are written conditionally, one per (subscription, story, article), so a redelivered message
// holds nothing twice; counters are incremented conditionally, so concurrent deliverers never pass a cap together.
import {
  BatchWriteCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { DigestBuffer, HeldAlert } from '#domain/ports.js';
import { isConditionalCheckFailed } from './dynamo-errors.js';
import { normalizeIsoTime, requireEpochSeconds, requireKey, requireLimit } from './input-checks.js';

export const HELD_SHARD = 'held';
const HELD_PREFIX = 'HELD#';
const RATE_PREFIX = 'RATE#';
const BATCH_DELETE_SIZE = 25;

export function heldSortKey(storyId: string, articleId: string): string {
  return `${HELD_PREFIX}${requireKey('storyId', storyId)}#${requireKey('articleId', articleId)}`;
}

function fromHeldItem(item: Record<string, unknown>): HeldAlert {
  return {
    subscriptionId: item.subscriptionId as string,
    storyId: item.storyId as string,
    articleId: item.articleId as string,
    releaseAt: item.releaseAt as string,
    reason: item.reason as HeldAlert['reason'],
    heldAt: item.heldAt as string,
    alert: item.alert as HeldAlert['alert'],
  };
}

export class DynamoDigestBuffer implements DigestBuffer {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async hold(held: HeldAlert, ttlEpochSeconds: number): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            subscriptionId: requireKey('subscriptionId', held.subscriptionId),
            sk: heldSortKey(held.storyId, held.articleId),
            releaseShard: HELD_SHARD,
            releaseAt: normalizeIsoTime('releaseAt', held.releaseAt),
            heldAt: normalizeIsoTime('heldAt', held.heldAt),
            storyId: held.storyId,
            articleId: held.articleId,
            reason: held.reason,
            alert: held.alert,
            expiresAt: requireEpochSeconds('ttlEpochSeconds', ttlEpochSeconds),
          },
          ConditionExpression: 'attribute_not_exists(sk)',
        }),
      );
    } catch (error) {
      // Already held: the first hold decided when it goes out.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async listDueSubscriptions(now: string, limit: number): Promise<string[]> {
    requireLimit(limit);
    const ids = new Set<string>();
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'byRelease',
          KeyConditionExpression: 'releaseShard = :shard AND releaseAt <= :now',
          ExpressionAttributeValues: { ':shard': HELD_SHARD, ':now': normalizeIsoTime('now', now) },
          ProjectionExpression: 'subscriptionId',
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        ids.add(item.subscriptionId as string);
        if (ids.size >= limit) return [...ids];
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return [...ids];
  }

  async listDue(subscriptionId: string, now: string): Promise<HeldAlert[]> {
    const at = normalizeIsoTime('now', now);
    const held: HeldAlert[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'subscriptionId = :id AND begins_with(sk, :held)',
          FilterExpression: 'releaseAt <= :now',
          ExpressionAttributeValues: { ':id': requireKey('subscriptionId', subscriptionId), ':held': HELD_PREFIX, ':now': at },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) held.push(fromHeldItem(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return held.sort((a, b) => a.heldAt.localeCompare(b.heldAt));
  }

  async release(subscriptionId: string, held: HeldAlert[]): Promise<void> {
    const keys = held.map((item) => ({ subscriptionId, sk: heldSortKey(item.storyId, item.articleId) }));
    for (let offset = 0; offset < keys.length; offset += BATCH_DELETE_SIZE) {
      let requests = keys.slice(offset, offset + BATCH_DELETE_SIZE).map((Key) => ({ DeleteRequest: { Key } }));
      // Unprocessed deletes are retried a few times; what still remains is sent again by the next digest run under
      // another key, never lost.
      for (let round = 0; round < 5 && requests.length > 0; round += 1) {
        const result = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
      }
    }
  }

  async takeRateSlot(subscriptionId: string, windowStart: string, cap: number, ttlEpochSeconds: number): Promise<boolean> {
    if (!Number.isInteger(cap) || cap < 1) return true;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { subscriptionId: requireKey('subscriptionId', subscriptionId), sk: `${RATE_PREFIX}${normalizeIsoTime('windowStart', windowStart)}` },
          UpdateExpression: 'SET expiresAt = :expiresAt ADD #count :one',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :cap',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':one': 1, ':cap': cap, ':expiresAt': requireEpochSeconds('ttlEpochSeconds', ttlEpochSeconds) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
