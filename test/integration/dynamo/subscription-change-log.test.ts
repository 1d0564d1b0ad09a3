// The subscriptions' change log (index byChange, dynalite): every write path records the change with a version that
// only grows per subscription, deletes leave tombstones, and the log carries no delivery secrets.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSubscriptionRepository } from '#adapters/dynamo/subscriptions-repository.js';
import { NotFoundError } from '#domain/errors.js';
import { buildSubscription } from './fixtures.js';
import { startLocalTables, type LocalTables } from './local-tables.js';

describe('the subscriptions change log (dynalite)', () => {
  let local: LocalTables;
  let repository: DynamoSubscriptionRepository;

  beforeAll(async () => {
    local = await startLocalTables('change-log-test');
    repository = new DynamoSubscriptionRepository(local.doc, local.names.subscriptions);
  });

  afterAll(async () => {
    await local.close();
  });

  it('records a put, a status change and a delete, each as the latest state with a larger version', async () => {
    // Prepare
    const start = (await repository.changesSince(0)).reduce((max, c) => Math.max(max, c.version), 0);
    const subscription = buildSubscription({ subscriptionId: 'log-1', countries: ['FR'] });

    // Act
    await repository.put(subscription);
    const afterPut = await repository.changesSince(start);
    await repository.setStatus('log-1', 'paused');
    const afterPause = await repository.changesSince(start);
    await repository.delete('log-1');
    const afterDelete = await repository.changesSince(start);

    // Assess
    expect(afterPut).toHaveLength(1);
    expect(afterPut[0]?.subscription).toMatchObject({ subscriptionId: 'log-1', countries: ['FR'], status: 'active' });
    expect(afterPause[0]?.subscription?.status).toBe('paused');
    expect(afterPause[0]?.version).toBeGreaterThan(afterPut[0]?.version ?? Infinity);
    expect(afterDelete).toEqual([{ subscriptionId: 'log-1', version: expect.any(Number) }]);
    expect(afterDelete[0]?.version).toBeGreaterThan(afterPause[0]?.version ?? Infinity);
    expect(await repository.get('log-1')).toBeUndefined();
    expect((await repository.list()).map((s) => s.subscriptionId)).not.toContain('log-1');
    expect(await repository.delete('log-1')).toBe(false);
    await expect(repository.setStatus('log-1', 'active')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keeps versions growing for a writer whose clock is behind, and brings a deleted id back with a newer one', async () => {
    // Prepare: a second writer whose clock reads the epoch.
    const behind = new DynamoSubscriptionRepository(local.doc, local.names.subscriptions, { nowMs: () => 0 });
    await repository.put(buildSubscription({ subscriptionId: 'log-2' }));
    await repository.delete('log-2');
    const deleted = (await repository.changesSince(0)).find((c) => c.subscriptionId === 'log-2');

    // Act
    await behind.put(buildSubscription({ subscriptionId: 'log-2', keywords: ['again'] }));
    const back = (await repository.changesSince(0)).find((c) => c.subscriptionId === 'log-2');

    // Assess
    expect(back?.version).toBeGreaterThan(deleted?.version ?? Infinity);
    expect(back?.subscription?.keywords).toEqual(['again']);
    expect(await repository.get('log-2')).toMatchObject({ keywords: ['again'] });
  });

  it('skips a deliverer status change its condition refuses, and records one it makes', async () => {
    // Prepare
    await repository.put(buildSubscription({ subscriptionId: 'log-3', status: 'paused' }));
    const before = (await repository.changesSince(0)).find((c) => c.subscriptionId === 'log-3');

    // Act
    const refused = await repository.setStatus('log-3', 'active', { onlyIf: ['failing'] });
    const unchanged = (await repository.changesSince(0)).find((c) => c.subscriptionId === 'log-3');
    const made = await repository.setStatus('log-3', 'failing', { reason: 'webhook answered 500' });
    const after = (await repository.changesSince(0)).find((c) => c.subscriptionId === 'log-3');

    // Assess
    expect(refused).toBe(false);
    expect(unchanged?.version).toBe(before?.version);
    expect(made).toBe(true);
    expect(after?.subscription?.status).toBe('failing');
  });

  it('carries what matching reads and not the channel or its secret', async () => {
    // Prepare
    await repository.put(buildSubscription({ subscriptionId: 'log-4', channel: { type: 'webhook', url: 'https://hooks.example/x', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' } }));

    // Act
    const change = (await repository.changesSince(0)).find((c) => c.subscriptionId === 'log-4');

    // Assess
    expect(change?.subscription).toMatchObject({ subscriptionId: 'log-4', status: 'active', topics: expect.any(Array) });
    expect(change?.subscription).not.toHaveProperty('channel');
    expect(await repository.get('log-4')).toHaveProperty('channel.secret');
  });

  it('puts subscriptions written before the log existed into it, once', async () => {
    // Prepare: an item as an earlier release wrote it, without a change version.
    await local.doc.send(new PutCommand({ TableName: local.names.subscriptions, Item: buildSubscription({ subscriptionId: 'log-old' }) }));

    // Act
    const first = await repository.backfillChangeLog();
    const second = await repository.backfillChangeLog();

    // Assess
    expect(first).toBe(1);
    expect(second).toBe(0);
    expect((await repository.changesSince(0)).map((c) => c.subscriptionId)).toContain('log-old');
    const item = await local.doc.send(new GetCommand({ TableName: local.names.subscriptions, Key: { subscriptionId: 'log-old' } }));
    expect(item.Item?.changeSeq).toMatch(/^\d{16}$/);
  });
});
