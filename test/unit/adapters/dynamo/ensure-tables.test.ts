import { afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { buildCreateTableInput, ensureTables, localTableNames } from '#adapters/dynamo/local-dynamo.js';
import { REBUILD_SUFFIX } from '#adapters/dynamo/local-index-migration.js';
import { TABLE_SPECS, type TableSpec } from '#adapters/dynamo/tables.js';

const client = new DynamoDBClient({ region: 'local' });
const clientMock = mockClient(DynamoDBClient);

afterEach(() => {
  clientMock.reset();
});

function namedError(name: string): Error {
  const error = new Error(name);
  error.name = name;
  return error;
}

describe('buildCreateTableInput', () => {
  it('declares every table and index key as a string attribute, once, with on-demand billing', () => {
    // Prepare
    const spec: TableSpec = {
      name: 'feeds',
      envVar: 'FEEDS_TABLE',
      partitionKey: 'feedId',
      globalIndexes: [{ indexName: 'byNextPoll', partitionKey: 'pollShard', sortKey: 'nextPollAt' }],
    };

    // Act
    const input = buildCreateTableInput(spec, 'x-feeds');

    // Assess
    expect(input).toEqual({
      TableName: 'x-feeds',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'feedId', KeyType: 'HASH' }],
      AttributeDefinitions: [
        { AttributeName: 'feedId', AttributeType: 'S' },
        { AttributeName: 'pollShard', AttributeType: 'S' },
        { AttributeName: 'nextPollAt', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byNextPoll',
          KeySchema: [
            { AttributeName: 'pollShard', KeyType: 'HASH' },
            { AttributeName: 'nextPollAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });
});

/** Every table of the spec exists, ACTIVE, with the indexes of its spec, and no rebuild copy is left over. */
function describeTablesAsUpToDate(): void {
  clientMock.on(DescribeTableCommand).callsFake((input: { TableName: string }) => {
    if (input.TableName.endsWith(REBUILD_SUFFIX)) throw namedError('ResourceNotFoundException');
    const spec = TABLE_SPECS.find((candidate) => input.TableName.endsWith(`-${candidate.name}`));
    return { Table: { TableStatus: 'ACTIVE', GlobalSecondaryIndexes: spec?.globalIndexes.map((index) => ({ IndexName: index.indexName })) ?? [] } };
  });
}

describe('ensureTables TTL handling', () => {
  const ttlTables = TABLE_SPECS.filter((spec) => spec.ttlAttribute !== undefined).length;

  it('leaves TTL alone where it is already enabled, since DynamoDB rejects enabling it twice', async () => {
    // Prepare
    describeTablesAsUpToDate();
    clientMock.on(DescribeTimeToLiveCommand).resolves({ TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED' } });

    // Act
    await ensureTables(client, localTableNames('mock'));

    // Assess
    expect(clientMock.commandCalls(CreateTableCommand)).toHaveLength(0);
    expect(clientMock.commandCalls(UpdateTimeToLiveCommand)).toHaveLength(0);
    expect(clientMock.commandCalls(DescribeTimeToLiveCommand)).toHaveLength(ttlTables);
  });

  it('enables TTL on the spec attribute where it is disabled', async () => {
    // Prepare
    describeTablesAsUpToDate();
    clientMock.on(DescribeTimeToLiveCommand).resolves({ TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } });
    clientMock.on(UpdateTimeToLiveCommand).resolves({});

    // Act
    await ensureTables(client, localTableNames('mock'));

    // Assess
    const calls = clientMock.commandCalls(UpdateTimeToLiveCommand).map((call) => call.args[0].input);
    expect(calls).toContainEqual({
      TableName: 'mock-deliveries',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    expect(calls).toHaveLength(ttlTables);
  });

  it('passes on a TTL failure other than the emulator not knowing the operation', async () => {
    // Prepare
    describeTablesAsUpToDate();
    clientMock.on(DescribeTimeToLiveCommand).resolves({ TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } });
    clientMock.on(UpdateTimeToLiveCommand).rejects(namedError('AccessDeniedException'));

    // Act & Assess
    await expect(ensureTables(client, localTableNames('mock'))).rejects.toThrow('AccessDeniedException');
  });

  it('tolerates an emulator without UpdateTimeToLive', async () => {
    // Prepare
    describeTablesAsUpToDate();
    clientMock.on(DescribeTimeToLiveCommand).resolves({ TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } });
    clientMock.on(UpdateTimeToLiveCommand).rejects(namedError('UnknownOperationException'));

    // Act & Assess
    await expect(ensureTables(client, localTableNames('mock'))).resolves.toBeUndefined();
  });
});
