import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, DescribeTableCommand, ListTablesCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoSubscriptionRepository } from '#adapters/dynamo/subscriptions-repository.js';
import { DynamoFeedRepository } from '#adapters/dynamo/feeds-repository.js';
import {
  buildCreateTableInput,
  createDynamoClients,
  ensureTables,
  LOCK_FILE_NAME,
  localTableNames,
  startDynalite,
} from '#adapters/dynamo/local-dynamo.js';
import { NewsalertError } from '#domain/errors.js';
import { TABLE_SPECS } from '#adapters/dynamo/tables.js';
import { buildFeed, buildSubscription } from './fixtures.js';

describe('localTableNames', () => {
  it('names each table after the prefix and its logical name', () => {
    // Act & Assess
    expect(localTableNames()).toEqual({
      feeds: 'newsalert-feeds',
      articles: 'newsalert-articles',
      subscriptions: 'newsalert-subscriptions',
      deliveries: 'newsalert-deliveries',
      digests: 'newsalert-digests',
      apiKeys: 'newsalert-apiKeys',
      ingest: 'newsalert-ingest',
    });
    expect(localTableNames('dev').feeds).toBe('dev-feeds');
  });
});

describe('ensureTables (dynalite)', () => {
  let server: Awaited<ReturnType<typeof startDynalite>>;
  let clients: ReturnType<typeof createDynamoClients>;

  beforeAll(async () => {
    server = await startDynalite({});
    clients = createDynamoClients({ endpoint: server.endpoint });
  });

  afterAll(async () => {
    clients.client.destroy();
    await server.close();
  });

  it('creates every table of the spec, active, with its keys and indexes, and can run again harmlessly', async () => {
    // Prepare
    const names = localTableNames('ensure-test');

    // Act
    await ensureTables(clients.client, names);
    await ensureTables(clients.client, names);

    // Assess
    const { TableNames = [] } = await clients.client.send(new ListTablesCommand({}));
    expect([...TableNames].sort()).toEqual(Object.values(names).sort());
    for (const spec of TABLE_SPECS) {
      const { Table } = await clients.client.send(new DescribeTableCommand({ TableName: names[spec.name] }));
      expect(Table?.TableStatus).toBe('ACTIVE');
      expect(Table?.KeySchema?.map((k) => k.AttributeName)).toEqual(
        spec.sortKey === undefined ? [spec.partitionKey] : [spec.partitionKey, spec.sortKey],
      );
      expect((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName)).toEqual(
        spec.globalIndexes.map((index) => index.indexName),
      );
    }
  });
});

describe('startDynalite with a path', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsalert-dynalite-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps tables and items across a restart on the same directory', async () => {
    // Prepare
    const names = localTableNames('persist-test');
    const feed = buildFeed({ feedId: 'persisted' });
    const first = await startDynalite({ path: dir });
    const firstClients = createDynamoClients({ endpoint: first.endpoint });
    await ensureTables(firstClients.client, names);
    await new DynamoFeedRepository(firstClients.doc, names.feeds).create(feed);
    firstClients.client.destroy();
    await first.close();

    // Act
    const second = await startDynalite({ path: dir });
    const secondClients = createDynamoClients({ endpoint: second.endpoint });
    try {
      await ensureTables(secondClients.client, names);
      const stored = await new DynamoFeedRepository(secondClients.doc, names.feeds).get('persisted');

      // Assess
      expect(stored).toEqual(feed);
    } finally {
      secondClients.client.destroy();
      await second.close();
    }
  });

  it('brings an earlier release\'s subscriptions table up to its spec (the change log index), keeping its items', async () => {
    // Prepare: the table as it was, without the byChange index, holding one subscription.
    const names = localTableNames('upgrade-test');
    const server = await startDynalite({ path: dir });
    const clients = createDynamoClients({ endpoint: server.endpoint });
    try {
      const spec = TABLE_SPECS.find((t) => t.name === 'subscriptions')!;
      await clients.client.send(new CreateTableCommand(buildCreateTableInput({ ...spec, globalIndexes: [] }, names.subscriptions)));
      // dynalite answers CreateTable before the table is ACTIVE; under load a write that comes first is refused.
      await waitUntilTableExists({ client: clients.client, maxWaitTime: 30, minDelay: 1 }, { TableName: names.subscriptions });
      await clients.doc.send(new PutCommand({ TableName: names.subscriptions, Item: buildSubscription({ subscriptionId: 'kept' }) }));

      // Act
      await ensureTables(clients.client, names);
      const repository = new DynamoSubscriptionRepository(clients.doc, names.subscriptions);
      await repository.backfillChangeLog();

      // Assess
      const table = await clients.client.send(new DescribeTableCommand({ TableName: names.subscriptions }));
      expect(table.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['byChange']);
      expect(await repository.get('kept')).toEqual(buildSubscription({ subscriptionId: 'kept' }));
      expect((await repository.changesSince(0)).map((c) => c.subscriptionId)).toEqual(['kept']);
    } finally {
      clients.client.destroy();
      await server.close();
    }
  });

  it('refuses a second server on a directory already in use, with a clear error instead of a crash', async () => {
    // Prepare
    const first = await startDynalite({ path: dir });

    // Act
    const second = startDynalite({ path: dir });

    // Assess
    try {
      await expect(second).rejects.toBeInstanceOf(NewsalertError);
      await expect(second).rejects.toThrow(/in use by process/);
    } finally {
      await first.close();
    }
  });

  it('takes over a directory whose lock was left behind by a process that died', async () => {
    // Prepare
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(join(dir, LOCK_FILE_NAME), String(deadPid));

    // Act
    const server = await startDynalite({ path: dir });

    // Assess
    await server.close();
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
