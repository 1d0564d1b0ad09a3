import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDeliveryRepository } from '#adapters/dynamo/deliveries-repository.js';
import { NotFoundError } from '#domain/errors.js';
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

  it('lists the deliveries of one subscription only, up to the limit', async () => {
    // Prepare
    for (const articleId of ['l-a', 'l-b', 'l-c']) {
      await deliveries.acquire({
        subscriptionId: 'sub-list',
        deliveryKey: articleId,
        deliveryId: `d-${articleId}`,
        now: T0,
        leaseSeconds: 60,
        ttlEpochSeconds: 1_900_000_000,
      });
    }
    await acquire('not-in-list', T0);

    // Act
    const all = await deliveries.listBySubscription('sub-list', 10);
    const two = await deliveries.listBySubscription('sub-list', 2);

    // Assess
    expect(all.map((r) => r.articleId)).toEqual(['l-a', 'l-b', 'l-c']);
    expect(two).toHaveLength(2);
  });
});
