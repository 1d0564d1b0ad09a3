// Subscriptions table: one item per subscription, stored as the Subscription itself, plus its change-log position.
//
// The change log is the table's sparse-free global index `byChange` (changeBucket, changeSeq): every write stamps
// the item with a new changeSeq, so "what changed since version V" is one Query on that index, and the item's write
// and its log entry are one atomic write. A delete leaves a tombstone (deleted, expiring by TTL) so that it, too, is
// in the log. Why not the alternatives:
// - DynamoDB Streams: dynalite (the local runtime) has none; a stream keeps 24 h, and is read per shard by at most
//   two readers at a time, while every warm matcher container of every shard must read every change.
// - A separate changes table: two writes per change with no transaction in dynalite (no TransactWriteItems), so a
//   crash between them would lose a change or log one that never happened.
// An index on the table works the same in dynalite, moto and DynamoDB. It is eventually consistent in DynamoDB
// (usually well under a second), which readers cover by reading back a lookback window (functions/handlers/matcher.ts).
//
// Versions are a hybrid clock in microseconds: max(now, the item's last version + 1). The write is conditional on
// the stored version being older, so one subscription's versions only grow, whatever the writers' clocks.
import { GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NotFoundError, ValidationError } from '#domain/errors.js';
import { TOMBSTONE_DAYS, type SubscriptionChange } from '#domain/live-match-index.js';
import type { Page, PageRequest, SubscriptionRepository } from '#domain/ports.js';
import type { Subscription } from '#domain/types.js';
import type { ChannelSecretCodec } from './channel-secrets.js';
import { isConditionalCheckFailed } from './dynamo-errors.js';
import { decodeStartKey, encodeStartKey, requireKey, requireLimit } from './input-checks.js';

/** The item an earlier release kept its change counter in. Never a subscription: ids never start with "#". */
export const SUBSCRIPTIONS_VERSION_ID = '#subscriptions-version';
/** The change log: a global index of the subscriptions table (tables.ts, and the stack). */
export const CHANGE_INDEX = 'byChange';
/** Every item's partition in the change index: one ordered log (a few changes a second at most: API writes). */
export const CHANGE_BUCKET = 'all';
/** Attributes the store adds to an item; never part of the Subscription it returns. */
const STORE_FIELDS = ['changeBucket', 'changeSeq', 'deleted', 'expiresAt'] as const;

const STATUSES: ReadonlySet<string> = new Set<Subscription['status']>(['active', 'paused', 'disabled', 'failing']);
const MAX_ATTEMPTS = 5;

/** A version as the index's sort key: zero-padded, so that string order is number order. */
export const encodeChangeSeq = (version: number): string => Math.trunc(version).toString().padStart(16, '0');
const decodeChangeSeq = (seq: unknown): number => (typeof seq === 'string' && /^\d+$/.test(seq) ? Number(seq) : 0);

export interface SubscriptionRepositoryOptions {
  /**
   * Segments of the parallel scan behind list(). Every segment holds one page in flight. DynamoDB accepts
   * 1..1,000,000. @default 4
   */
  scanSegments?: number;
  /** Items per scan or query page. Tests set it small to cross page boundaries. @default - DynamoDB's 1 MB pages */
  scanPageLimit?: number;
  /** Wall clock in ms for versions. @default Date.now */
  nowMs?: () => number;
  /**
   * Seals the channel's secrets in every item written and opens them in every item read (see channel-secrets.ts).
   * @default - none: items stored as they are (deployed, the table's KMS key encrypts them at rest)
   */
  secrets?: ChannelSecretCodec;
  /** At most this many items are read for one page of an owner's list (a filtered scan). @default 2000 */
  maxItemsReadPerPage?: number;
}

type Item = Record<string, unknown>;

function toSubscription(item: Item): Subscription {
  const subscription = { ...item };
  for (const field of STORE_FIELDS) delete subscription[field];
  return subscription as unknown as Subscription;
}

const isLive = (item: Item | undefined): item is Item => item !== undefined && item.deleted !== true && item.subscriptionId !== SUBSCRIPTIONS_VERSION_ID;

export class DynamoSubscriptionRepository implements SubscriptionRepository {
  private readonly scanSegments: number;
  private readonly scanPageLimit: number | undefined;
  private readonly nowMs: () => number;
  private readonly maxItemsReadPerPage: number;
  private lastVersion = 0;
  private readonly secrets: ChannelSecretCodec | undefined;

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
    this.secrets = options.secrets;
    if (this.scanPageLimit !== undefined && (!Number.isInteger(this.scanPageLimit) || this.scanPageLimit < 1)) {
      throw new RangeError(`scanPageLimit must be a positive integer, got ${String(this.scanPageLimit)}`);
    }
    this.nowMs = options.nowMs ?? Date.now;
    this.maxItemsReadPerPage = options.maxItemsReadPerPage ?? 2_000;
    if (!Number.isInteger(this.maxItemsReadPerPage) || this.maxItemsReadPerPage < 1) {
      throw new RangeError(`maxItemsReadPerPage must be a positive integer, got ${String(this.maxItemsReadPerPage)}`);
    }
  }

  /** A version above `floor` and above every version this process issued: microseconds of the wall clock. */
  private nextVersion(floor = 0): number {
    this.lastVersion = Math.max(this.nowMs() * 1000, floor + 1, this.lastVersion + 1);
    return this.lastVersion;
  }

  /**
   * Runs a versioned conditional write, retrying with a version above the stored one when the condition fails on
   * the version alone. `onConflict` reads the item and says what the failure meant.
   */
  private async writeVersioned<T>(
    subscriptionId: string,
    write: (version: number) => Promise<T>,
    onConflict: (item: Item | undefined) => { result: T } | { retryAbove: number },
  ): Promise<T> {
    let floor = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        return await write(this.nextVersion(floor));
      } catch (error) {
        if (!isConditionalCheckFailed(error) || attempt >= MAX_ATTEMPTS) throw error;
        const verdict = onConflict(await this.getItem(subscriptionId));
        if ('result' in verdict) return verdict.result;
        floor = verdict.retryAbove;
      }
    }
  }

  private async getItem(subscriptionId: string): Promise<Item | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { subscriptionId }, ConsistentRead: true }));
    return result.Item;
  }

  async put(subscription: Subscription): Promise<void> {
    const subscriptionId = requireKey('subscriptionId', subscription.subscriptionId);
    if (subscriptionId === SUBSCRIPTIONS_VERSION_ID) {
      throw new ValidationError('That subscription id is reserved', [{ path: 'subscriptionId', message: 'is reserved' }]);
    }
    const stored = toSubscription((this.secrets?.seal(subscription) ?? subscription) as unknown as Item);
    await this.writeVersioned(
      subscriptionId,
      (version) =>
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...stored, changeBucket: CHANGE_BUCKET, changeSeq: encodeChangeSeq(version) },
            ConditionExpression: 'attribute_not_exists(changeSeq) OR changeSeq < :seq',
            ExpressionAttributeValues: { ':seq': encodeChangeSeq(version) },
          }),
        ),
      (item) => ({ retryAbove: decodeChangeSeq(item?.changeSeq) }),
    );
  }

  async get(subscriptionId: string): Promise<Subscription | undefined> {
    requireKey('subscriptionId', subscriptionId);
    if (subscriptionId === SUBSCRIPTIONS_VERSION_ID) return undefined;
    const item = await this.getItem(subscriptionId);
    return isLive(item) ? this.fromItem(item) : undefined;
  }

  /** The subscription an item holds, its channel's secrets opened. */
  private fromItem(item: Item): Subscription {
    const subscription = toSubscription(item);
    return this.secrets?.open(subscription) ?? subscription;
  }

  /**
   * A parallel scan: the segments split the key space, so each item comes from exactly one of them. One failing
   * segment fails the whole list (the SDK has already retried it): a partial list would silently drop subscribers.
   */
  async list(): Promise<Subscription[]> {
    const segments = await Promise.all(Array.from({ length: this.scanSegments }, (_, segment) => this.scanSegment(segment)));
    return segments.length === 1 ? (segments[0] ?? []) : segments.flat();
  }

  /**
   * A page in scan order (stable from page to page), live subscriptions only; with `owner`, that owner's. An owner's
   * page is a filtered scan: the table has no owner index yet, because CloudFormation creates one index per table per
   * deploy and byChange is this release's. Each call reads at most maxItemsReadPerPage items, so an owner's page
   * may hold fewer than `limit` items, even none, and still carry `after`.
   */
  async listPage(page: PageRequest & { owner?: string }): Promise<Page<Subscription>> {
    const limit = requireLimit(page.limit);
    const owner = page.owner === undefined ? undefined : requireKey('owner', page.owner);
    const items: Subscription[] = [];
    let startKey: Record<string, unknown> | undefined = decodeStartKey(page.after, ['subscriptionId']);
    let read = 0;
    do {
      const result = await this.doc.send(
        new ScanCommand({
          TableName: this.tableName,
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
          Limit: owner === undefined ? limit - items.length : Math.min(this.maxItemsReadPerPage - read, 500),
          ...(owner === undefined
            ? {}
            : { FilterExpression: '#owner = :owner', ExpressionAttributeNames: { '#owner': 'owner' }, ExpressionAttributeValues: { ':owner': owner } }),
        }),
      );
      read += result.ScannedCount ?? 0;
      startKey = result.LastEvaluatedKey;
      for (const item of (result.Items ?? []).filter(isLive)) {
        if (items.length === limit) {
          // More matched than the page holds: the next page starts after the last one taken.
          startKey = { subscriptionId: items[items.length - 1]!.subscriptionId };
          break;
        }
        items.push(toSubscription(item));
      }
    } while (startKey && items.length < limit && read < this.maxItemsReadPerPage);
    return { items, ...(startKey ? { after: encodeStartKey(startKey) } : {}) };
  }

  private async scanSegment(segment: number, onlyUnversioned = false): Promise<Subscription[]> {
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
          ...(onlyUnversioned ? { FilterExpression: 'attribute_not_exists(changeSeq)' } : {}),
        }),
      );
      for (const item of page.Items ?? []) if (isLive(item)) subscriptions.push(this.fromItem(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return subscriptions;
  }

  /**
   * Every change with a version above `afterVersion`, oldest first: the live state of each subscription changed
   * since, or its tombstone. From 0, every subscription the log holds (a bootstrap). Eventually consistent in
   * DynamoDB: a reader asks again from a little before its last version (see the matcher's lookback).
   */
  async changesSince(afterVersion: number): Promise<SubscriptionChange[]> {
    const changes: SubscriptionChange[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: CHANGE_INDEX,
          KeyConditionExpression: 'changeBucket = :bucket AND changeSeq > :after',
          ExpressionAttributeValues: { ':bucket': CHANGE_BUCKET, ':after': encodeChangeSeq(Math.max(0, afterVersion)) },
          ExclusiveStartKey: startKey,
          ...(this.scanPageLimit === undefined ? {} : { Limit: this.scanPageLimit }),
        }),
      );
      for (const item of page.Items ?? []) {
        const subscriptionId = item.subscriptionId as string;
        if (subscriptionId === SUBSCRIPTIONS_VERSION_ID) continue;
        const version = decodeChangeSeq(item.changeSeq);
        // The index carries no channel (tables.ts), so there is nothing sealed to open.
        changes.push(item.deleted === true ? { subscriptionId, version } : { subscriptionId, version, subscription: toSubscription(item) });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return changes;
  }

  /**
   * Puts every subscription written before the change log existed into it (a version of now), so that a log read
   * from 0 holds them all. Idempotent; the snapshot job runs it when it starts without a snapshot. Returns how many.
   */
  async backfillChangeLog(): Promise<number> {
    const unversioned = (await Promise.all(Array.from({ length: this.scanSegments }, (_, segment) => this.scanSegment(segment, true)))).flat();
    for (const subscription of unversioned) {
      const version = this.nextVersion();
      try {
        await this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { subscriptionId: subscription.subscriptionId },
            UpdateExpression: 'SET changeBucket = :bucket, changeSeq = :seq',
            ConditionExpression: 'attribute_exists(subscriptionId) AND attribute_not_exists(changeSeq)',
            ExpressionAttributeValues: { ':bucket': CHANGE_BUCKET, ':seq': encodeChangeSeq(version) },
          }),
        );
      } catch (error) {
        // Written (so versioned) or deleted since the scan: nothing to do.
        if (!isConditionalCheckFailed(error)) throw error;
      }
    }
    return unversioned.length;
  }

  /** Leaves a tombstone that the change log carries until TTL removes it. */
  async delete(subscriptionId: string): Promise<boolean> {
    requireKey('subscriptionId', subscriptionId);
    if (subscriptionId === SUBSCRIPTIONS_VERSION_ID) return false;
    return this.writeVersioned<boolean>(
      subscriptionId,
      async (version) => {
        await this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              subscriptionId,
              deleted: true,
              changeBucket: CHANGE_BUCKET,
              changeSeq: encodeChangeSeq(version),
              expiresAt: Math.floor(this.nowMs() / 1000) + TOMBSTONE_DAYS * 86_400,
            },
            ConditionExpression: 'attribute_exists(subscriptionId) AND attribute_not_exists(deleted) AND (attribute_not_exists(changeSeq) OR changeSeq < :seq)',
            ExpressionAttributeValues: { ':seq': encodeChangeSeq(version) },
          }),
        );
        return true;
      },
      (item) => (isLive(item) ? { retryAbove: decodeChangeSeq(item.changeSeq) } : { result: false }),
    );
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
    const onlyIf = options.onlyIf;
    return this.writeVersioned<boolean>(
      subscriptionId,
      async (version) => {
        await this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { subscriptionId },
            UpdateExpression:
              'SET #status = :status, changeBucket = :bucket, changeSeq = :seq' + (options.reason === undefined ? ' REMOVE statusReason' : ', statusReason = :reason'),
            ConditionExpression:
              'attribute_exists(subscriptionId) AND attribute_not_exists(deleted) AND (attribute_not_exists(changeSeq) OR changeSeq < :seq)' +
              (onlyIf === undefined ? '' : ` AND #status IN (${onlyIf.map((_, i) => `:only${i}`).join(', ')})`),
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':status': status,
              ':bucket': CHANGE_BUCKET,
              ':seq': encodeChangeSeq(version),
              ...(options.reason === undefined ? {} : { ':reason': options.reason }),
              ...Object.fromEntries((onlyIf ?? []).map((only, i) => [`:only${i}`, only])),
            },
          }),
        );
        return true;
      },
      (item) => {
        if (!isLive(item)) throw new NotFoundError(`Subscription ${subscriptionId} does not exist`);
        if (onlyIf !== undefined && !onlyIf.includes(item.status as Subscription['status'])) return { result: false };
        return { retryAbove: decodeChangeSeq(item.changeSeq) };
      },
    );
  }
}
