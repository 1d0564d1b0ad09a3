import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDeliveryRepository } from '#adapters/dynamo/deliveries-repository.js';
import { NotFoundError, ValidationError } from '#domain/errors.js';
import { startLocalTables, type LocalTables } from './local-tables.js';

const T0 = '2025-01-01T00:00:00.000Z';
const T0_PLUS_30S = '2025-01-01T00:00:30.000Z';
const T0_PLUS_2M = '2025-01-01T00:02:00.000Z';

describe('DynamoDeliveryRepository (dynalite)', () => {
  let local: LocalTables;
  let deliveries: DynamoDeliveryRepository;

  const acquire = (articleId: string, now: string, deliveryId = `del-${articleId}`) =>
    deliveries.acquire({
      subscriptionId: 'sub-1',
      deliveryKey: articleId,
      deliveryId,
      now,
      leaseSeconds: 60,
      ttlEpochSeconds: 1_900_000_000,
    });

  beforeAll(async () => {
    local = await startLocalTables('deliveries-test');
    deliveries = new DynamoDeliveryRepository(local.doc, local.names.deliveries);
  });

  afterAll(async () => {
    await local.close();
  });

  it('grants the first sender a lease and records the attempt', async () => {
    // Act
    const result = await acquire('first', T0);

    // Assess
    expect(result).toBe('acquired');
    expect(await deliveries.get('sub-1', 'first')).toEqual({
      subscriptionId: 'sub-1',
      articleId: 'first',
      deliveryId: 'del-first',
      status: 'sending',
      attempts: 1,
      leaseUntil: '2025-01-01T00:01:00.000Z',
      createdAt: T0,
      updatedAt: T0,
    });
  });

  it('answers busy to a second sender while the lease runs', async () => {
    // Prepare
    await acquire('leased', T0);

    // Act
    const result = await acquire('leased', T0_PLUS_30S);

    // Assess
    expect(result).toBe('busy');
  });

  it('lets another sender take over once the lease expired, keeping the first delivery id', async () => {
    // Prepare
    await acquire('expired', T0);

    // Act
    const result = await acquire('expired', T0_PLUS_2M, 'del-other');

    // Assess
    expect(result).toBe('acquired');
    const record = await deliveries.get('sub-1', 'expired');
    expect(record).toMatchObject({ deliveryId: 'del-expired', attempts: 2, createdAt: T0, updatedAt: T0_PLUS_2M });
  });

  it('answers delivered to every sender after the alert was delivered, even after the lease would have expired', async () => {
    // Prepare
    await acquire('done', T0);
    await deliveries.markDelivered('sub-1', 'done', T0_PLUS_30S);

    // Act
    const duringLease = await acquire('done', T0_PLUS_30S);
    const afterLease = await acquire('done', T0_PLUS_2M);

    // Assess
    expect(duringLease).toBe('delivered');
    expect(afterLease).toBe('delivered');
    const record = await deliveries.get('sub-1', 'done');
    expect(record).toMatchObject({ status: 'delivered', deliveredAt: T0_PLUS_30S, attempts: 1 });
    expect(record).not.toHaveProperty('leaseUntil');
  });

  it('grants exactly one of ten concurrent senders', async () => {
    // Act
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => acquire('contended', T0, `del-${i}`)));

    // Assess
    expect(results.filter((r) => r === 'acquired')).toHaveLength(1);
    expect(results.filter((r) => r === 'busy')).toHaveLength(9);
  });

  it('releases the lease on a retryable failure so the next attempt can send at once', async () => {
    // Prepare
    await acquire('retry', T0);

    // Act
    await deliveries.markFailed('sub-1', 'retry', T0_PLUS_30S, 'http-503', false);
    const retried = await acquire('retry', T0_PLUS_30S);

    // Assess
    expect(retried).toBe('acquired');
    expect(await deliveries.get('sub-1', 'retry')).toMatchObject({ status: 'sending', attempts: 2, lastError: 'http-503' });
  });

  it('treats a final failure as settled: no sender is granted it again', async () => {
    // Prepare
    await acquire('given-up', T0);

    // Act
    await deliveries.markFailed('sub-1', 'given-up', T0_PLUS_30S, 'http-410', true);
    const later = await acquire('given-up', T0_PLUS_2M);

    // Assess
    expect(later).toBe('delivered');
    const record = await deliveries.get('sub-1', 'given-up');
    expect(record).toMatchObject({ status: 'failed', lastError: 'http-410', attempts: 1 });
    expect(record).not.toHaveProperty('leaseUntil');
  });

  it('ignores a late failure report for an alert another sender already delivered', async () => {
    // Prepare
    await acquire('late', T0);
    await acquire('late', T0_PLUS_2M);
    await deliveries.markDelivered('sub-1', 'late', T0_PLUS_2M);

    // Act
    await deliveries.markFailed('sub-1', 'late', T0_PLUS_2M, 'timeout', false);

    // Assess
    expect((await deliveries.get('sub-1', 'late'))?.status).toBe('delivered');
    expect(await acquire('late', '2025-01-01T01:00:00.000Z')).toBe('delivered');
  });

  it('refuses to mark a delivery that was never acquired', async () => {
    // Act & Assess
    await expect(deliveries.markDelivered('sub-1', 'unknown', T0)).rejects.toBeInstanceOf(NotFoundError);
    await expect(deliveries.markFailed('sub-1', 'unknown', T0, 'x', false)).rejects.toBeInstanceOf(NotFoundError);
    expect(await deliveries.get('sub-1', 'unknown')).toBeUndefined();
  });

  it('lists the delivery log of one subscription newest first, a page at a time, whatever the article ids', async () => {
    // Prepare: article ids in the opposite order of time, so id order and time order disagree.
    const times = ['2025-01-01T00:00:01.000Z', '2025-01-01T00:00:02.000Z', '2025-01-01T00:00:03.000Z'];
    for (const [i, articleId] of ['l-c', 'l-b', 'l-a'].entries()) {
      await deliveries.acquire({ subscriptionId: 'sub-list', deliveryKey: articleId, deliveryId: `d-${articleId}`, now: times[i]!, leaseSeconds: 60, ttlEpochSeconds: 1_900_000_000 });
    }
    await acquire('not-in-list', T0);
    await deliveries.recordFailure(
      { type: 'alert.failed', subscriptionId: 'sub-list', articleId: 'l-b', deliveryId: 'd-l-b', attempts: 8, error: 'gone', failedAt: T0, alert: { type: 'alert.created' } as never },
      1_900_000_000,
    );

    // Act
    const all = await deliveries.listBySubscription('sub-list', { limit: 10 });
    const first = await deliveries.listBySubscription('sub-list', { limit: 2 });
    const second = await deliveries.listBySubscription('sub-list', { limit: 2, after: first.after! });

    // Assess: newest first; the alert.failed record is not a delivery; the pages join up without overlap.
    expect(all.items.map((r) => r.articleId)).toEqual(['l-a', 'l-b', 'l-c']);
    expect(all.after).toBeUndefined();
    expect(first.items.map((r) => r.articleId)).toEqual(['l-a', 'l-b']);
    expect(second.items.map((r) => r.articleId)).toEqual(['l-c']);
  });

  it('refuses a page position of another subscription or a made-up one as a ValidationError, not a store error', async () => {
    // Prepare
    const other = await deliveries.listBySubscription('sub-list', { limit: 1 });

    // Act + Assess
    await expect(deliveries.listBySubscription('someone-else', { limit: 1, after: other.after! })).rejects.toThrow(ValidationError);
    await expect(deliveries.listBySubscription('sub-list', { limit: 1, after: '{"subscriptionId":"sub-list"}' })).rejects.toThrow(ValidationError);
    await expect(deliveries.listBySubscription('sub-list', { limit: 1, after: 'not json' })).rejects.toThrow(ValidationError);
  });

  it('lists the alert.failed records a page at a time', async () => {
    // Prepare
    for (const articleId of ['f-a', 'f-b', 'f-c']) {
      await deliveries.recordFailure(
        { type: 'alert.failed', subscriptionId: 'sub-failures', articleId, deliveryId: `d-${articleId}`, attempts: 8, error: 'gone', failedAt: T0, alert: { type: 'alert.created' } as never },
        1_900_000_000,
      );
    }

    // Act
    const first = await deliveries.listFailures('sub-failures', { limit: 2 });
    const second = await deliveries.listFailures('sub-failures', { limit: 2, after: first.after! });

    // Assess
    expect([...first.items, ...second.items].map((r) => r.articleId)).toEqual(['f-a', 'f-b', 'f-c']);
    expect(second.after).toBeUndefined();
  });
});
