// Feeds table. Enabled feeds carry pollShard = "due" and so appear in the sparse byNextPoll index the scheduler
// queries; disabled feeds omit it and cost the scheduler nothing.
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '#domain/errors.js';
import type { FeedRepository, Page, PageRequest } from '#domain/ports.js';
import type { Feed } from '#domain/types.js';
import { isConditionalCheckFailed } from './dynamo-errors.js';
import { decodeStartKey, encodeStartKey, normalizeIsoTime, requireKey, requireLimit } from './input-checks.js';

export const FEEDS_DUE_INDEX = 'byNextPoll';
export const DUE_SHARD = 'due';

export type FeedItem = Feed & { pollShard?: typeof DUE_SHARD };

/**
 * The stored form of a feed: the feed itself plus the index attribute that follows `enabled`. nextPollAt is stored
 * in canonical ISO form because the index compares it with `now` as a string.
 */
export function toFeedItem(feed: Feed): FeedItem {
  const { pollShard: _ignored, ...plain } = feed as FeedItem;
  const item: Feed = { ...plain, nextPollAt: normalizeIsoTime('nextPollAt', plain.nextPollAt) };
  return item.enabled ? { ...item, pollShard: DUE_SHARD } : item;
}

export function fromFeedItem(item: Record<string, unknown> | FeedItem): Feed {
  const { pollShard: _internal, ...feed } = item;
  return feed as unknown as Feed;
}

export class DynamoFeedRepository implements FeedRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(feed: Feed): Promise<boolean> {
    requireKey('feedId', feed.feedId);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toFeedItem(feed),
          ConditionExpression: 'attribute_not_exists(feedId)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async get(feedId: string): Promise<Feed | undefined> {
    requireKey('feedId', feedId);
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { feedId }, ConsistentRead: true }),
    );
    return result.Item ? fromFeedItem(result.Item) : undefined;
  }

  async list(): Promise<Feed[]> {
    const feeds: Feed[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({ TableName: this.tableName, ExclusiveStartKey: startKey, ConsistentRead: true }),
      );
      for (const item of page.Items ?? []) feeds.push(fromFeedItem(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return feeds;
  }

  /** Scan order (by the hash of the feed id): stable from page to page, and a page costs only what it reads. */
  async listPage(page: PageRequest): Promise<Page<Feed>> {
    const limit = requireLimit(page.limit);
    const items: Feed[] = [];
    let startKey: Record<string, unknown> | undefined = decodeStartKey(page.after, ['feedId']);
    do {
      const result = await this.doc.send(
        new ScanCommand({ TableName: this.tableName, ExclusiveStartKey: startKey, ConsistentRead: true, Limit: limit - items.length }),
      );
      for (const item of result.Items ?? []) items.push(fromFeedItem(item));
      startKey = result.LastEvaluatedKey;
    } while (startKey && items.length < limit);
    return { items, ...(startKey ? { after: encodeStartKey(startKey) } : {}) };
  }

  /**
   * Reads the index, so a feed put a moment ago may be missed until the next tick (GSIs are eventually
   * consistent); the scheduler runs every minute, which absorbs that.
   */
  async listDue(now: string, limit: number): Promise<Feed[]> {
    requireLimit(limit);
    const dueBy = normalizeIsoTime('now', now);
    const feeds: Feed[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: FEEDS_DUE_INDEX,
          KeyConditionExpression: 'pollShard = :due AND nextPollAt <= :now',
          ExpressionAttributeValues: { ':due': DUE_SHARD, ':now': dueBy },
          ScanIndexForward: true,
          Limit: limit - feeds.length,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) feeds.push(fromFeedItem(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey && feeds.length < limit);
    return feeds;
  }

  /**
   * Replaces the stored feed. Refuses (NotFoundError) when the feed no longer exists, so a poller finishing after
   * the feed was deleted cannot bring it back.
   */
  async put(feed: Feed): Promise<void> {
    requireKey('feedId', feed.feedId);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toFeedItem(feed),
          ConditionExpression: 'attribute_exists(feedId)',
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) {
        throw new NotFoundError(`Feed ${feed.feedId} does not exist`, { cause: error });
      }
      throw error;
    }
  }

  async delete(feedId: string): Promise<boolean> {
    requireKey('feedId', feedId);
    const result = await this.doc.send(
      new DeleteCommand({ TableName: this.tableName, Key: { feedId }, ReturnValues: 'ALL_OLD' }),
    );
    return result.Attributes !== undefined;
  }
}
