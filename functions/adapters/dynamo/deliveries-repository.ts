// Deliveries table: one record per (subscriptionId, articleId), the idempotency key of every alert. A sender takes
// a time-limited lease with one conditional UpdateItem, so concurrent duplicates of a delivery message race on a
// single atomic write and exactly one wins.
//
// States: absent -> sending (leased) -> delivered (terminal) | failed. A failed record is re-acquirable unless it
// was marked final, in which case acquire answers "delivered": the port has no separate answer for "given up", and
// for the caller both mean "do not send". A final failure is replayed by `reopen`, which only reopens the very failure
// it names (its failedAt), so a late duplicate of a replay cannot reopen anything.
//
// Next to each final failure lives its alert.failed record (sort key "alert.failed#<articleId>"), holding the alert
// itself so it can be replayed; the delivery log leaves those out.
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { NotFoundError, ValidationError } from '#domain/errors.js';
import type { DeliveryAcquireInput, DeliveryRepository, Page, PageRequest } from '#domain/ports.js';
import type { AlertFailedRecord, DeliveryRecord } from '#domain/types.js';
import { isConditionalCheckFailed } from './dynamo-errors.js';
import { decodeStartKey, encodeStartKey, normalizeIsoTime, requireEpochSeconds, requireKey, requireLimit } from './input-checks.js';

/** Keeps a chatty error (a whole HTTP body) from bloating the record. */
export const MAX_ERROR_LENGTH = 1024;
export const FAILURE_PREFIX = 'alert.failed#';
/** A subscription's delivery records by createdAt (the first attempt): the delivery log, newest first. */
export const DELIVERIES_BY_CREATED_INDEX = 'byCreated';

export function deliveryKey(subscriptionId: string, articleId: string): { subscriptionId: string; articleId: string } {
  return { subscriptionId: requireKey('subscriptionId', subscriptionId), articleId: requireKey('articleId', articleId) };
}

/**
 * The single conditional write behind acquire. It succeeds when the record is absent, failed (not final), or
 * sending with an expired lease; it keeps the first deliveryId and createdAt, and counts attempts.
 */
export function buildAcquireUpdate(tableName: string, input: DeliveryAcquireInput): UpdateCommandInput {
  const now = normalizeIsoTime('now', input.now);
  if (!Number.isFinite(input.leaseSeconds) || input.leaseSeconds <= 0) {
    throw new ValidationError(`leaseSeconds must be positive, got ${String(input.leaseSeconds)}`, [
      { path: 'leaseSeconds', message: 'must be positive' },
    ]);
  }
  const leaseUntil = new Date(Date.parse(now) + input.leaseSeconds * 1000).toISOString();
  const attempt = input.attempt;
  if (attempt !== undefined && (!Number.isInteger(attempt) || attempt < 1)) {
    throw new ValidationError(`attempt must be an integer >= 1, got ${String(attempt)}`, [{ path: 'attempt', message: 'must be >= 1' }]);
  }
  // With an attempt number, a failed record takes only a later attempt: a duplicate of an attempt already made would
  // otherwise start a second retry chain.
  const failedClause =
    attempt === undefined
      ? '(#status = :failed AND attribute_not_exists(finalFailure))'
      : '(#status = :failed AND attribute_not_exists(finalFailure) AND (attribute_not_exists(attempts) OR attempts < :attempt))';
  return {
    TableName: tableName,
    Key: deliveryKey(input.subscriptionId, input.deliveryKey),
    UpdateExpression:
      'SET #status = :sending, deliveryId = if_not_exists(deliveryId, :deliveryId), leaseUntil = :leaseUntil, ' +
      'attempts = if_not_exists(attempts, :zero) + :one, createdAt = if_not_exists(createdAt, :now), ' +
      'updatedAt = :now, expiresAt = :expiresAt',
    ConditionExpression: `attribute_not_exists(subscriptionId) OR ${failedClause} OR (#status = :sending AND leaseUntil < :now)`,
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':sending': 'sending',
      ':failed': 'failed',
      ':deliveryId': requireKey('deliveryId', input.deliveryId),
      ':leaseUntil': leaseUntil,
      ':zero': 0,
      ':one': 1,
      ':now': now,
      ':expiresAt': requireEpochSeconds('ttlEpochSeconds', input.ttlEpochSeconds),
      ...(attempt === undefined ? {} : { ':attempt': attempt }),
    },
  };
}

function fromDeliveryItem(item: Record<string, unknown>): DeliveryRecord {
  const { expiresAt: _expiresAt, finalFailure: _finalFailure, ...record } = item;
  return record as unknown as DeliveryRecord;
}

function fromFailureItem(item: Record<string, unknown>): AlertFailedRecord {
  const { expiresAt: _expiresAt, failedArticleId, ...record } = item;
  return { ...record, articleId: failedArticleId } as unknown as AlertFailedRecord;
}

export class DynamoDeliveryRepository implements DeliveryRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async acquire(input: DeliveryAcquireInput): Promise<'acquired' | 'delivered' | 'busy' | 'superseded'> {
    try {
      await this.doc.send(new UpdateCommand(buildAcquireUpdate(this.tableName, input)));
      return 'acquired';
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const item = await this.getItem(input.subscriptionId, input.deliveryKey);
    if (item?.status === 'delivered' || item?.finalFailure === true) return 'delivered';
    if (item?.status === 'failed' && input.attempt !== undefined && typeof item.attempts === 'number' && item.attempts >= input.attempt) {
      return 'superseded';
    }
    // Held by another sender, or released/expired just after our write lost: a later retry will sort it out.
    return 'busy';
  }

  async markDelivered(subscriptionId: string, articleId: string, now: string): Promise<void> {
    const at = normalizeIsoTime('now', now);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deliveryKey(subscriptionId, articleId),
          UpdateExpression: 'SET #status = :delivered, deliveredAt = :now, updatedAt = :now REMOVE leaseUntil',
          ConditionExpression: 'attribute_exists(subscriptionId)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':delivered': 'delivered', ':now': at },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) {
        throw new NotFoundError(`No delivery record for ${subscriptionId}/${articleId}`, { cause: error });
      }
      throw error;
    }
  }

  /**
   * Never overwrites "delivered": a sender whose lease expired may report its failure after another sender
   * succeeded, and turning that record back into "failed" would send the alert again.
   */
  async markFailed(subscriptionId: string, articleId: string, now: string, error: string, final: boolean): Promise<void> {
    const at = normalizeIsoTime('now', now);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deliveryKey(subscriptionId, articleId),
          UpdateExpression:
            'SET #status = :failed, lastError = :error, updatedAt = :now' +
            (final ? ', finalFailure = :true, failedAt = :now' : '') +
            ' REMOVE leaseUntil',
          ConditionExpression: 'attribute_exists(subscriptionId) AND #status <> :delivered',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':failed': 'failed',
            ':delivered': 'delivered',
            ':error': error.slice(0, MAX_ERROR_LENGTH),
            ':now': at,
            ...(final ? { ':true': true } : {}),
          },
        }),
      );
    } catch (caught) {
      if (!isConditionalCheckFailed(caught)) throw caught;
      const item = await this.getItem(subscriptionId, articleId);
      if (item === undefined) {
        throw new NotFoundError(`No delivery record for ${subscriptionId}/${articleId}`, { cause: caught });
      }
      // Otherwise it was delivered meanwhile: the failure no longer matters.
    }
  }

  async get(subscriptionId: string, articleId: string): Promise<DeliveryRecord | undefined> {
    const item = await this.getItem(subscriptionId, articleId);
    return item ? fromDeliveryItem(item) : undefined;
  }

  /**
   * Newest first, from the byCreated index. The index is eventually consistent: a delivery made a moment ago may
   * show up a moment later.
   */
  async listBySubscription(subscriptionId: string, page: PageRequest): Promise<Page<DeliveryRecord>> {
    requireKey('subscriptionId', subscriptionId);
    const limit = requireLimit(page.limit);
    const records: DeliveryRecord[] = [];
    // Paging by the last key seen: a cursor that stays valid however many records arrive meanwhile.
    let startKey: Record<string, unknown> | undefined = this.startKeyOf(subscriptionId, page.after, ['subscriptionId', 'articleId', 'createdAt']);
    do {
      const result = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: DELIVERIES_BY_CREATED_INDEX,
          KeyConditionExpression: 'subscriptionId = :subscriptionId',
          // alert.failed records have no createdAt and are not in the index; this keeps it so if one ever gets one.
          FilterExpression: 'attribute_not_exists(failedArticleId)',
          ExpressionAttributeValues: { ':subscriptionId': subscriptionId },
          ScanIndexForward: false,
          Limit: limit - records.length,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of result.Items ?? []) records.push(fromDeliveryItem(item));
      startKey = result.LastEvaluatedKey;
    } while (startKey && records.length < limit);
    return { items: records, ...(startKey ? { after: encodeStartKey(startKey) } : {}) };
  }

  /** A start key of this subscription's listing only: another subscription's position is refused, not followed. */
  private startKeyOf(subscriptionId: string, after: string | undefined, keyNames: string[]): Record<string, string> | undefined {
    const key = decodeStartKey(after, keyNames);
    if (key !== undefined && key.subscriptionId !== subscriptionId) {
      throw new ValidationError('Invalid cursor', [{ path: 'cursor', message: 'belongs to another listing' }]);
    }
    return key;
  }

  async recordFailure(record: AlertFailedRecord, ttlEpochSeconds: number): Promise<void> {
    const { articleId, ...rest } = record;
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...rest,
          subscriptionId: requireKey('subscriptionId', record.subscriptionId),
          articleId: FAILURE_PREFIX + requireKey('articleId', articleId),
          failedArticleId: articleId,
          error: record.error.slice(0, MAX_ERROR_LENGTH),
          failedAt: normalizeIsoTime('failedAt', record.failedAt),
          expiresAt: requireEpochSeconds('ttlEpochSeconds', ttlEpochSeconds),
        },
      }),
    );
  }

  async getFailure(subscriptionId: string, articleId: string): Promise<AlertFailedRecord | undefined> {
    const item = await this.getItem(subscriptionId, FAILURE_PREFIX + requireKey('articleId', articleId));
    return item ? fromFailureItem(item) : undefined;
  }

  async listFailures(subscriptionId: string, page: PageRequest): Promise<Page<AlertFailedRecord>> {
    const limit = requireLimit(page.limit);
    const startKey = this.startKeyOf(requireKey('subscriptionId', subscriptionId), page.after, ['subscriptionId', 'articleId']);
    if (startKey !== undefined && !startKey.articleId!.startsWith(FAILURE_PREFIX)) {
      throw new ValidationError('Invalid cursor', [{ path: 'cursor', message: 'belongs to another listing' }]);
    }
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'subscriptionId = :subscriptionId AND begins_with(articleId, :failure)',
        ExpressionAttributeValues: { ':subscriptionId': subscriptionId, ':failure': FAILURE_PREFIX },
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
    const after = encodeStartKey(result.LastEvaluatedKey);
    return { items: (result.Items ?? []).map(fromFailureItem), ...(after !== undefined ? { after } : {}) };
  }

  async reopen(subscriptionId: string, articleId: string, failedAt: string, now: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deliveryKey(subscriptionId, articleId),
          UpdateExpression: 'SET attempts = :zero, updatedAt = :now REMOVE finalFailure, failedAt, leaseUntil',
          ConditionExpression: 'finalFailure = :true AND failedAt = :failedAt',
          ExpressionAttributeValues: {
            ':zero': 0,
            ':now': normalizeIsoTime('now', now),
            ':true': true,
            ':failedAt': normalizeIsoTime('failedAt', failedAt),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  private async getItem(subscriptionId: string, articleId: string): Promise<Record<string, unknown> | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: deliveryKey(subscriptionId, articleId), ConsistentRead: true }),
    );
    return result.Item;
  }
}
