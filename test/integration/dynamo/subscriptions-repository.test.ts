import { PutCommand, type DynamoDBDocumentClient, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoSubscriptionRepository, SUBSCRIPTIONS_VERSION_ID } from '#adapters/dynamo/subscriptions-repository.js';
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

describe('DynamoSubscriptionRepository parallel scan (dynalite)', () => {
  let local: LocalTables;
  let scans: ScanCommandInput[];
  let recordingDoc: DynamoDBDocumentClient;

  beforeAll(async () => {
    local = await startLocalTables('subscriptions-scan-test');
    // Records every Scan request, so a test can see that the list really went through segments and pages.
    recordingDoc = {
      send: (command: { input: unknown }) => {
        if (command.constructor.name === 'ScanCommand') scans.push(command.input as ScanCommandInput);
        return local.doc.send(command as Parameters<DynamoDBDocumentClient['send']>[0]);
      },
    } as unknown as DynamoDBDocumentClient;
  });

  afterAll(async () => {
    await local.close();
  });

  beforeEach(async () => {
    const plain = new DynamoSubscriptionRepository(local.doc, local.names.subscriptions, { scanSegments: 1 });
    for (const sub of await plain.list()) await plain.delete(sub.subscriptionId);
    scans = [];
  });

  it.each([
    { segments: 4, pageLimit: 3, items: 60 },
    { segments: 16, pageLimit: undefined, items: 5 },
    { segments: 1, pageLimit: 7, items: 30 },
  ])(
    'returns each of $items subscriptions exactly once over $segments segments (page limit $pageLimit), never the version item',
    async ({ segments, pageLimit, items }) => {
      // Prepare: the change counter item an earlier release kept in the table is there too.
      const writer = new DynamoSubscriptionRepository(local.doc, local.names.subscriptions);
      await local.doc.send(new PutCommand({ TableName: local.names.subscriptions, Item: { subscriptionId: SUBSCRIPTIONS_VERSION_ID, version: 7 } }));
      const ids = Array.from({ length: items }, (_, i) => `scan-${String(i).padStart(3, '0')}`);
      for (const subscriptionId of ids) await writer.put(buildSubscription({ subscriptionId }));
      const repository = new DynamoSubscriptionRepository(recordingDoc, local.names.subscriptions, {
        scanSegments: segments,
        ...(pageLimit === undefined ? {} : { scanPageLimit: pageLimit }),
      });
      scans = [];

      // Act
      const listed = (await repository.list()).map((s) => s.subscriptionId);

      // Assess
      expect(listed).toHaveLength(items);
      expect([...listed].sort()).toEqual(ids);
      expect(listed).not.toContain(SUBSCRIPTIONS_VERSION_ID);
      expect(scans.every((input) => input.ConsistentRead === true)).toBe(true);
      expect(new Set(scans.map((input) => input.Segment ?? 0))).toEqual(new Set(Array.from({ length: segments }, (_, i) => i)));
      expect(scans.every((input) => input.TotalSegments === (segments > 1 ? segments : undefined))).toBe(true);
      if (pageLimit !== undefined) {
        expect(scans.filter((input) => input.ExclusiveStartKey !== undefined).length).toBeGreaterThan(0);
        expect(scans.every((input) => input.Limit === pageLimit)).toBe(true);
      }
    },
  );

  it("pages one owner's subscriptions with a bounded read per call, each exactly once and nobody else's", async () => {
    // Prepare: 4 of hers among 16 of someone else's, spread over the scan order.
    const writer = new DynamoSubscriptionRepository(local.doc, local.names.subscriptions);
    const hers: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const subscriptionId = `own-${String(i).padStart(2, '0')}`;
      const owner = i % 5 === 2 ? 'owner-her' : 'owner-other';
      if (owner === 'owner-her') hers.push(subscriptionId);
      await writer.put(buildSubscription({ subscriptionId, owner }));
    }
    const repository = new DynamoSubscriptionRepository(recordingDoc, local.names.subscriptions, { maxItemsReadPerPage: 3 });
    scans = [];

    // Act: follow the cursor to the end, two to a page.
    const pages: string[][] = [];
    let after: string | undefined;
    do {
      const page = await repository.listPage({ limit: 2, owner: 'owner-her', ...(after === undefined ? {} : { after }) });
      pages.push(page.items.map((s) => s.subscriptionId));
      after = page.after;
    } while (after !== undefined && pages.length < 50);

    // Assess: every call read at most 3 items, so some pages are short (even empty) and still carry a cursor.
    expect(pages.flat().sort()).toEqual(hers);
    expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(20 / 3));
    expect(pages.some((page) => page.length < 2)).toBe(true);
    expect(scans.every((input) => (input.Limit ?? Infinity) <= 3)).toBe(true);
    expect(scans.every((input) => input.FilterExpression !== undefined)).toBe(true);
  });

  it('refuses a read bound for owner pages that is not a positive integer', () => {
    // Act & Assess
    expect(() => new DynamoSubscriptionRepository(recordingDoc, local.names.subscriptions, { maxItemsReadPerPage: 0 })).toThrow(
      /maxItemsReadPerPage must be a positive integer/,
    );
  });

  it.each([0, 1.5, 1_000_001, Number.NaN])('refuses %s scan segments before any request', (scanSegments) => {
    // Act & Assess
    expect(() => new DynamoSubscriptionRepository(recordingDoc, local.names.subscriptions, { scanSegments })).toThrow(
      /scanSegments must be an integer from 1 to 1000000/,
    );
    expect(scans).toHaveLength(0);
  });

  it('refuses a page limit that is not a positive integer', () => {
    // Act & Assess
    expect(() => new DynamoSubscriptionRepository(recordingDoc, local.names.subscriptions, { scanPageLimit: 0 })).toThrow(
      /scanPageLimit must be a positive integer/,
    );
  });
});
