import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoFeedRepository } from '#adapters/dynamo/feeds-repository.js';
import {
  createDynamoClients,
  ensureTables,
  LOCK_FILE_NAME,
  localTableNames,
  startDynalite,
} from '#adapters/dynamo/local-dynamo.js';
import { NewsalertError } from '#domain/errors.js';
import { TABLE_SPECS } from '#adapters/dynamo/tables.js';
import { buildFeed } from './fixtures.js';

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
