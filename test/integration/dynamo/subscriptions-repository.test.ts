import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSubscriptionRepository } from '#adapters/dynamo/subscriptions-repository.js';
import { NotFoundError, ValidationError } from '#domain/errors.js';
import { buildSubscription } from './fixtures.js';
import { startLocalTables, type LocalTables } from './local-tables.js';

describe('DynamoSubscriptionRepository (dynalite)', () => {
  let local: LocalTables;
  let subscriptions: DynamoSubscriptionRepository;

  beforeAll(async () => {
    local = await startLocalTables('subscriptions-test');
    subscriptions = new DynamoSubscriptionRepository(local.doc, local.names.subscriptions);
  });

  afterAll(async () => {
    await local.close();
  });

  it('stores a subscription and reads it back unchanged, channel included', async () => {
    // Prepare
    const subscription = buildSubscription({ subscriptionId: 'crud-1', name: 'France politics', keywords: ['élection'] });

    // Act
    await subscriptions.put(subscription);

    // Assess
    expect(await subscriptions.get('crud-1')).toEqual(subscription);
  });

  it('returns undefined for an unknown subscription', async () => {
    // Act & Assess
    expect(await subscriptions.get('never-stored')).toBeUndefined();
  });

  it('lists every stored subscription', async () => {
    // Prepare
    await subscriptions.put(buildSubscription({ subscriptionId: 'list-a', channel: { type: 'sns' } }));
    await subscriptions.put(
      buildSubscription({ subscriptionId: 'list-b', channel: { type: 'sqs', queueUrl: 'https://sqs.example/q' } }),
    );

    // Act
    const listed = await subscriptions.list();

    // Assess
    expect(listed.map((s) => s.subscriptionId)).toEqual(expect.arrayContaining(['list-a', 'list-b']));
    expect(listed.find((s) => s.subscriptionId === 'list-b')?.channel).toEqual({
      type: 'sqs',
      queueUrl: 'https://sqs.example/q',
    });
  });

  it('changes only the status of an existing subscription', async () => {
    // Prepare
    const subscription = buildSubscription({ subscriptionId: 'status-1' });
    await subscriptions.put(subscription);

    // Act
    await subscriptions.setStatus('status-1', 'paused');

    // Assess
    expect(await subscriptions.get('status-1')).toEqual({ ...subscription, status: 'paused' });
  });

  it('refuses to set the status of a missing subscription rather than creating one', async () => {
    // Act & Assess
    await expect(subscriptions.setStatus('missing', 'paused')).rejects.toBeInstanceOf(NotFoundError);
    expect(await subscriptions.get('missing')).toBeUndefined();
  });

  it('rejects an unknown status before writing', async () => {
    // Prepare
    await subscriptions.put(buildSubscription({ subscriptionId: 'status-2' }));

    // Act & Assess
    await expect(
      subscriptions.setStatus('status-2', 'archived' as unknown as 'paused'),
    ).rejects.toBeInstanceOf(ValidationError);
    expect((await subscriptions.get('status-2'))?.status).toBe('active');
  });

  it('deletes a subscription and reports whether it existed', async () => {
    // Prepare
    await subscriptions.put(buildSubscription({ subscriptionId: 'delete-1' }));

    // Act
    const first = await subscriptions.delete('delete-1');
    const second = await subscriptions.delete('delete-1');

    // Assess
    expect(first).toBe(true);
    expect(second).toBe(false);
    expect(await subscriptions.get('delete-1')).toBeUndefined();
  });
});
