// BatchWriteItem with the two chores the API leaves to the caller: at most 25 requests per call, and retrying
// UnprocessedItems (returned under throttling) with backoff instead of silently dropping them.
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NewsalertError } from '#domain/errors.js';

export const MAX_BATCH_WRITE = 25;

type WriteRequest = NonNullable<NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string]>[number];

export interface BatchWriteOptions {
  /** Calls for one chunk before giving up. @default 8 */
  maxAttempts?: number;
  /** First backoff; doubles per attempt, with full jitter. @default 50 */
  baseDelayMs?: number;
}

export function chunkRequests<T>(items: readonly T[], size = MAX_BATCH_WRITE): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

export async function putAll(
  doc: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
  options: BatchWriteOptions = {},
): Promise<void> {
  const maxAttempts = options.maxAttempts ?? 8;
  const baseDelayMs = options.baseDelayMs ?? 50;
  for (const chunk of chunkRequests(items)) {
    let pending: WriteRequest[] = chunk.map((item) => ({ PutRequest: { Item: item } }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > maxAttempts) {
        throw new NewsalertError(
          `BatchWrite to ${tableName} left ${pending.length} unprocessed item(s) after ${maxAttempts} attempts`,
        );
      }
      if (attempt > 1) await sleep(Math.random() * baseDelayMs * 2 ** (attempt - 2));
      const result = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = result.UnprocessedItems?.[tableName] ?? [];
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
