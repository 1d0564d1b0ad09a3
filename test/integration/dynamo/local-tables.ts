// Shared setup for the connected tests: a fresh in-memory dynalite per test file, with the tables of tables.ts.
import type { TableNames } from '#adapters/dynamo/tables.js';
import { createDynamoClients, ensureTables, localTableNames, startDynalite, type DynamoClients } from '#adapters/dynamo/local-dynamo.js';

export interface LocalTables extends DynamoClients {
  names: TableNames;
  /** The dynalite URL, for clients built elsewhere (e.g. by the CLI). */
  endpoint: string;
  close(): Promise<void>;
}

export async function startLocalTables(prefix: string, options: { path?: string } = {}): Promise<LocalTables> {
  const server = await startDynalite(options);
  const clients = createDynamoClients({ endpoint: server.endpoint });
  const names = localTableNames(prefix);
  await ensureTables(clients.client, names);
  return {
    ...clients,
    names,
    endpoint: server.endpoint,
    close: async () => {
      clients.client.destroy();
      await server.close();
    },
  };
}
