// Local DynamoDB: an in-process dynalite server, clients pointed at it, and the tables of tables.ts. The local
// runtime and the integration tests use these; Lambda code only uses createDynamoClients (without an endpoint).
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NewsalertError } from '#domain/errors.js';
import { createDynaliteServer } from './dynalite-engine.js';
import { isErrorNamed } from './dynamo-errors.js';
import { rebuildForMissingIndexes } from './local-index-migration.js';
import { TABLE_SPECS, type TableNames, type TableSpec } from './tables.js';

export interface LocalDynamo {
  /** e.g. "http://127.0.0.1:54321" */
  endpoint: string;
  /** Drops overwritten and deleted values from the persisted store's files (see DynaliteEngine.compact). */
  compact(): Promise<void>;
  close(): Promise<void>;
}

export async function startDynalite(options: { path?: string } = {}): Promise<LocalDynamo> {
  const unlock = options.path === undefined ? async () => {} : await lockDataDirectory(options.path);
  const { server, compact } = createDynaliteServer({
    ...(options.path === undefined ? {} : { path: options.path }),
    // Real DynamoDB takes seconds to create a table; locally there is nothing to wait for.
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await unlock();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    compact,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        // dynalite's close() also closes LevelDB, which must happen before the same path can be reopened.
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK keeps sockets alive; without this, close() waits for them to time out.
        server.closeIdleConnections();
      });
      await unlock();
    },
  };
}

export const LOCK_FILE_NAME = 'newsalert-dynalite.pid';

/**
 * LevelDB allows one process per directory, and dynalite reports a second opener only by throwing from inside a
 * request handler, which kills the process. A pid file turns that into a clear error at start. LevelDB ignores
 * file names it does not own, so the pid file can live in the data directory.
 */
async function lockDataDirectory(path: string): Promise<() => Promise<void>> {
  await mkdir(path, { recursive: true });
  const lockPath = join(path, LOCK_FILE_NAME);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lockPath, String(process.pid), { flag: 'wx' });
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if (!isErrnoCode(error, 'EEXIST')) throw error;
    }
    const holder = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder > 0 && isProcessAlive(holder)) {
      throw new NewsalertError(
        `Local DynamoDB data in ${path} is in use by process ${holder}` +
          (holder === process.pid ? ' (this one)' : '') +
          `; stop it, or delete ${lockPath} if that process is not newsalert`,
      );
    }
    // Left behind by a process that died without closing: take it over.
    await rm(lockPath, { force: true });
  }
  throw new NewsalertError(`Could not lock local DynamoDB data in ${path}: ${lockPath} keeps reappearing`);
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return isErrnoCode(error, 'EPERM');
  }
}

function isErrnoCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}

export interface DynamoClients {
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
}

export function createDynamoClients(options: { endpoint?: string; region?: string } = {}): DynamoClients {
  const local = options.endpoint !== undefined && isLoopback(options.endpoint);
  const client = new DynamoDBClient({
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(local
      ? { region: options.region ?? 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : options.region === undefined
        ? {}
        : { region: options.region }),
  });
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { client, doc };
}

function isLoopback(endpoint: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(endpoint).hostname;
  } catch (error) {
    throw new NewsalertError(`Invalid DynamoDB endpoint ${JSON.stringify(endpoint)}`, { cause: error });
  }
  return hostname === 'localhost' || hostname === '[::1]' || hostname.startsWith('127.');
}

export function localTableNames(prefix = 'newsalert'): TableNames {
  const names: Partial<TableNames> = {};
  for (const spec of TABLE_SPECS) names[spec.name] = `${prefix}-${spec.name}`;
  return names as TableNames;
}

/** Builds the CreateTable input of one spec: on-demand billing, every key attribute a string. */
export function buildCreateTableInput(spec: TableSpec, tableName: string) {
  const keyAttributes = new Set<string>();
  const keySchema = (partitionKey: string, sortKey?: string): KeySchemaElement[] => {
    keyAttributes.add(partitionKey);
    const schema: KeySchemaElement[] = [{ AttributeName: partitionKey, KeyType: 'HASH' }];
    if (sortKey !== undefined) {
      keyAttributes.add(sortKey);
      schema.push({ AttributeName: sortKey, KeyType: 'RANGE' });
    }
    return schema;
  };
  const tableKeySchema = keySchema(spec.partitionKey, spec.sortKey);
  const globalIndexes = spec.globalIndexes.map((index) => ({
    IndexName: index.indexName,
    KeySchema: keySchema(index.partitionKey, index.sortKey),
    Projection:
      index.include === undefined
        ? { ProjectionType: 'ALL' as const }
        : { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...index.include] },
  }));
  const attributeDefinitions: AttributeDefinition[] = [...keyAttributes].map((name) => ({
    AttributeName: name,
    AttributeType: 'S',
  }));
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    KeySchema: tableKeySchema,
    AttributeDefinitions: attributeDefinitions,
    ...(globalIndexes.length > 0 ? { GlobalSecondaryIndexes: globalIndexes } : {}),
  };
}

/** Creates the tables of TABLE_SPECS that do not exist yet, waits until they are ACTIVE and enables TTL. */
export async function ensureTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  await Promise.all(TABLE_SPECS.map((spec) => ensureTable(client, spec, names[spec.name])));
}

async function ensureTable(client: DynamoDBClient, spec: TableSpec, tableName: string): Promise<void> {
  const create = async (name: string): Promise<void> => {
    if ((await describeTableStatus(client, name)) === undefined) {
      try {
        await client.send(new CreateTableCommand(buildCreateTableInput(spec, name)));
      } catch (error) {
        // Another process (a second local runtime, a parallel test) created it between describe and create.
        if (!isErrorNamed(error, 'ResourceInUseException')) throw error;
      }
    }
    await waitUntilActive(client, name);
  };
  await create(tableName);
  // A data directory from before an index was added: dynalite cannot add one in place.
  await rebuildForMissingIndexes(client, spec, tableName, { create });
  if (spec.ttlAttribute !== undefined) await enableTimeToLive(client, tableName, spec.ttlAttribute);
}

async function describeTableStatus(client: DynamoDBClient, tableName: string): Promise<string | undefined> {
  try {
    const result = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return result.Table?.TableStatus ?? 'UNKNOWN';
  } catch (error) {
    if (isErrorNamed(error, 'ResourceNotFoundException')) return undefined;
    throw error;
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delayMs = 25; ; delayMs = Math.min(delayMs * 2, 2_000)) {
    const status = await describeTableStatus(client, tableName);
    if (status === 'ACTIVE') return;
    if (Date.now() + delayMs > deadline) {
      throw new NewsalertError(`Table ${tableName} not ACTIVE after ${timeoutMs} ms (status ${status ?? 'missing'})`);
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

async function enableTimeToLive(client: DynamoDBClient, tableName: string, attributeName: string): Promise<void> {
  const current = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = current.TimeToLiveDescription?.TimeToLiveStatus;
  // Real DynamoDB rejects enabling TTL again while it is enabled or being enabled.
  if (status === 'ENABLED' || status === 'ENABLING') return;
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: attributeName, Enabled: true },
      }),
    );
  } catch (error) {
    // dynalite does not implement UpdateTimeToLive; local data simply never expires.
    if (!isErrorNamed(error, 'UnknownOperationException')) throw error;
  }
}
