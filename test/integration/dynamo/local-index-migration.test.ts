// A data directory from an older version: its tables lack indexes added since, and dynalite cannot add an index to
// a live table. The local runtime rebuilds such a table on start, keeping every item, and a rebuild cut short by a
// crash is finished by the next start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, DescribeTableCommand, ListTablesCommand, PutItemCommand, ScanCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { buildCreateTableInput, ensureTables, localTableNames } from '#adapters/dynamo/local-dynamo.js';
import { REBUILD_SUFFIX } from '#adapters/dynamo/local-index-migration.js';
import { TABLE_SPECS, type TableSpec } from '#adapters/dynamo/tables.js';
import { startLocalTables, type LocalTables } from './local-tables.js';

const deliveriesSpec = TABLE_SPECS.find((spec) => spec.name === 'deliveries')!;
/** The deliveries table as it was before the byCreated index. */
const oldSpec: TableSpec = { ...deliveriesSpec, globalIndexes: [] };

describe('ensureTables on tables without their newer indexes (dynalite)', () => {
  // The tables of this server's own prefix are up to date; each test makes old ones under another prefix.
  let clients: LocalTables;

  beforeAll(async () => {
    clients = await startLocalTables('current');
  });
  afterAll(async () => {
    await clients?.close();
  });

  const record = (articleId: string) => ({
    subscriptionId: { S: 'sub_1' },
    articleId: { S: articleId },
    createdAt: { S: `2025-01-01T00:00:0${articleId.length}.000Z` },
    status: { S: 'delivered' },
  });

  async function oldTableWith(tableName: string, articleIds: string[]): Promise<void> {
    await clients.client.send(new CreateTableCommand(buildCreateTableInput(oldSpec, tableName)));
    // dynalite answers CreateTable before the table is ACTIVE; a write that comes first is refused.
    await waitUntilTableExists({ client: clients.client, maxWaitTime: 30, minDelay: 1 }, { TableName: tableName });
    for (const id of articleIds) await clients.client.send(new PutItemCommand({ TableName: tableName, Item: record(id) }));
  }

  async function stateOf(tableName: string) {
    const { Table } = await clients.client.send(new DescribeTableCommand({ TableName: tableName }));
    const { Items = [] } = await clients.client.send(new ScanCommand({ TableName: tableName }));
    const { TableNames = [] } = await clients.client.send(new ListTablesCommand({}));
    return {
      indexes: (Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName),
      articleIds: Items.map((item) => item.articleId?.S).sort(),
      leftOver: TableNames.filter((name) => name.endsWith(REBUILD_SUFFIX)),
    };
  }

  it('adds the missing index and keeps every item', async () => {
    // Prepare
    const names = localTableNames('old-dir');
    await oldTableWith(names.deliveries, ['a', 'bb', 'ccc']);

    // Act
    await ensureTables(clients.client, names);

    // Assess
    expect(await stateOf(names.deliveries)).toEqual({ indexes: ['byCreated'], articleIds: ['a', 'bb', 'ccc'], leftOver: [] });
  });

  it('finishes a rebuild that a crash cut short after the old table was dropped', async () => {
    // Prepare: the copy holds everything, the table itself is gone (the crash came right after the drop).
    const names = localTableNames('crashed-dir');
    await clients.client.send(new CreateTableCommand(buildCreateTableInput(deliveriesSpec, names.deliveries + REBUILD_SUFFIX)));
    await waitUntilTableExists({ client: clients.client, maxWaitTime: 30, minDelay: 1 }, { TableName: names.deliveries + REBUILD_SUFFIX });
    for (const id of ['a', 'bb']) {
      await clients.client.send(new PutItemCommand({ TableName: names.deliveries + REBUILD_SUFFIX, Item: record(id) }));
    }

    // Act
    await ensureTables(clients.client, names);

    // Assess
    expect(await stateOf(names.deliveries)).toEqual({ indexes: ['byCreated'], articleIds: ['a', 'bb'], leftOver: [] });
  });
});
