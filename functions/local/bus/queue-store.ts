// Where a durable local queue keeps its messages: one dynalite table (persisted through LevelDB in the data
// directory, beside every other table of the local store), one item per message, keyed by queue name and message
// id. The queue's in-memory map stays the working copy that receives scan; this store is written through, so a
// restart finds what the previous process had not deleted, and is read once, when the bus opens.
//
// Why the store the runtime already has, and not an embedded queue library: the data directory already holds one
// LevelDB (behind dynalite), locked to one process, with its compaction; a second database would mean a second
// lock, a second format and a second thing to back up. Only writes reach the table (BatchWriteItem), and one Scan at
// start: no Query, the call whose cost grew with use before (test/integration/store-soak.test.ts).
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isErrorNamed } from '#adapters/dynamo/dynamo-errors.js';
import type { StoredMessage } from './sqs-message.js';

export const LOCAL_QUEUE_TABLE = 'newsalert-local-queue-messages';

/** What a durable queue needs from its store. Writes are ordered per message: the last one given wins. */
export interface QueueStore {
  /** Stores (or replaces) the message; resolves once it is on disk. */
  put(queue: string, message: StoredMessage): Promise<void>;
  delete(queue: string, messageId: string): Promise<void>;
  /** The messages each queue held when the store was opened, in send order. */
  loaded(queue: string): StoredMessage[];
  /** Resolves when every write given so far has been made. */
  flush(): Promise<void>;
  /** Refuses further writes; what is pending is written first. */
  close(): Promise<void>;
}

type Write = { queue: string; messageId: string; message: StoredMessage | undefined };

/** BatchWriteItem's limit. */
const BATCH = 25;

export class DynamoQueueStore implements QueueStore {
  private readonly pending = new Map<string, Write>();
  /** The flush that will take the writes given from now on (not yet started). */
  private next: Promise<void> | undefined;
  /** The last flush started; the next one waits for it, so writes of one message land in order. */
  private tail: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly byQueue: Map<string, StoredMessage[]>,
  ) {}

  /** Creates the table on first use and reads what it holds. */
  static async open(client: DynamoDBClient, doc: DynamoDBDocumentClient, table = LOCAL_QUEUE_TABLE): Promise<DynamoQueueStore> {
    await ensureQueueTable(client, table);
    const byQueue = new Map<string, StoredMessage[]>();
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName: table, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
      for (const item of page.Items ?? []) {
        const queue = item.queue as string;
        const message = JSON.parse(item.m as string) as StoredMessage;
        const list = byQueue.get(queue) ?? [];
        list.push(message);
        byQueue.set(queue, list);
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    for (const list of byQueue.values()) list.sort((a, b) => a.sentTimestamp - b.sentTimestamp || (a.seq ?? 0) - (b.seq ?? 0));
    return new DynamoQueueStore(doc, table, byQueue);
  }

  loaded(queue: string): StoredMessage[] {
    const list = this.byQueue.get(queue) ?? [];
    // Handed over once: the queue owns them from now on, and this copy is not kept alive.
    this.byQueue.delete(queue);
    return list;
  }

  put(queue: string, message: StoredMessage): Promise<void> {
    return this.write({ queue, messageId: message.messageId, message: { ...message, receiptHandle: undefined } });
  }

  delete(queue: string, messageId: string): Promise<void> {
    return this.write({ queue, messageId, message: undefined });
  }

  flush(): Promise<void> {
    return this.next ?? this.tail;
  }

  async close(): Promise<void> {
    await this.flush().catch(() => undefined);
    this.closed = true;
  }

  private write(write: Write): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the local queue store is closed'));
    this.pending.set(`${write.queue}\u0000${write.messageId}`, write);
    if (this.next === undefined) {
      const flush = this.tail.then(() => {
        this.next = undefined;
        const writes = [...this.pending.values()];
        this.pending.clear();
        return this.writeAll(writes);
      });
      this.next = flush;
      this.tail = flush.catch(() => undefined);
    }
    return this.next;
  }

  private async writeAll(writes: Write[]): Promise<void> {
    for (let i = 0; i < writes.length; i += BATCH) {
      let requests = writes.slice(i, i + BATCH).map((write) =>
        write.message === undefined
          ? { DeleteRequest: { Key: { queue: write.queue, messageId: write.messageId } } }
          : { PutRequest: { Item: { queue: write.queue, messageId: write.messageId, m: JSON.stringify(write.message) } } },
      );
      for (let attempt = 0; requests.length > 0; attempt += 1) {
        if (attempt >= 10) throw new Error(`the local queue store could not write ${requests.length} messages`);
        const result = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.table]: requests } }));
        requests = (result.UnprocessedItems?.[this.table] ?? []) as typeof requests;
      }
    }
  }
}

async function ensureQueueTable(client: DynamoDBClient, table: string): Promise<void> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
    if (Table?.TableStatus === 'ACTIVE') return;
  } catch (error: unknown) {
    if (!isErrorNamed(error, 'ResourceNotFoundException')) throw error;
    await createQueueTable(client, table);
  }
  for (let waited = 0; waited < 30_000; waited += 20) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`table ${table} did not become ACTIVE`);
}

async function createQueueTable(client: DynamoDBClient, table: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'queue', AttributeType: 'S' },
        { AttributeName: 'messageId', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'queue', KeyType: 'HASH' },
        { AttributeName: 'messageId', KeyType: 'RANGE' },
      ],
    }),
  );
}
