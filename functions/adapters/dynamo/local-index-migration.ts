// Local data directories made by an older version have tables without the indexes added since (tables.ts). In AWS a
// new index is an online UpdateTable that backfills itself; dynalite only updates throughput, so a local table is
// rebuilt instead: copied to "<name>.rebuild", dropped, recreated with every index, copied back, and the copy
// dropped. Each step is idempotent and the copy is only dropped once the table holds everything, so a process killed
// at any point finishes the rebuild on its next start without losing an item.
import {
  BatchWriteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { isErrorNamed } from './dynamo-errors.js';
import type { TableSpec } from './tables.js';

export const REBUILD_SUFFIX = '.rebuild';

export interface TableOps {
  /** Creates the table with the spec's keys and indexes, and waits until it is ACTIVE. */
  create(tableName: string): Promise<void>;
}

/** The names of the indexes the table has, or undefined when it does not exist. */
async function indexNamesOf(client: DynamoDBClient, tableName: string): Promise<Set<string> | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName ?? ''));
  } catch (error) {
    if (isErrorNamed(error, 'ResourceNotFoundException')) return undefined;
    throw error;
  }
}

async function copyItems(client: DynamoDBClient, from: string, to: string): Promise<number> {
  let copied = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: from, ExclusiveStartKey: startKey, ConsistentRead: true, Limit: 25 }));
    let pending = (page.Items ?? []).map((Item) => ({ PutRequest: { Item } }));
    copied += pending.length;
    while (pending.length > 0) {
      const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [to]: pending } }));
      pending = (result.UnprocessedItems?.[to] ?? []).flatMap((request) => (request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : []));
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return copied;
}

/** Deletes the table and waits until it is gone, so its name can be created again. */
async function dropTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DeleteTableCommand({ TableName: tableName }));
  } catch (error) {
    if (!isErrorNamed(error, 'ResourceNotFoundException')) throw error;
  }
  for (let delayMs = 10; (await indexNamesOf(client, tableName)) !== undefined; delayMs = Math.min(delayMs * 2, 500)) {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

function hasEvery(spec: TableSpec, names: Set<string>): boolean {
  return spec.globalIndexes.every((index) => names.has(index.indexName));
}

/**
 * Brings an existing local table up to its spec's indexes. Returns the number of items carried over, 0 when there
 * was nothing to do.
 */
export async function rebuildForMissingIndexes(client: DynamoDBClient, spec: TableSpec, tableName: string, ops: TableOps): Promise<number> {
  const aside = tableName + REBUILD_SUFFIX;
  const current = await indexNamesOf(client, tableName);
  const copy = await indexNamesOf(client, aside);
  if (copy === undefined && (current === undefined || hasEvery(spec, current))) return 0;
  if (current !== undefined && !hasEvery(spec, current)) {
    // The table is still the old one: (re)fill the copy from it, then drop it.
    if (copy === undefined) await ops.create(aside);
    await copyItems(client, tableName, aside);
    await dropTable(client, tableName);
  }
  if ((await indexNamesOf(client, tableName)) === undefined) await ops.create(tableName);
  const carried = await copyItems(client, aside, tableName);
  await dropTable(client, aside);
  return carried;
}
