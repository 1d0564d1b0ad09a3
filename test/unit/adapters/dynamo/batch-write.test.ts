import { afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { chunkRequests, putAll } from '#adapters/dynamo/batch-write.js';
import { NewsalertError } from '#domain/errors.js';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'local' }));
const docMock = mockClient(DynamoDBDocumentClient);

afterEach(() => {
  docMock.reset();
});

describe('chunkRequests', () => {
  it('splits into batches of at most 25, keeping order', () => {
    // Prepare
    const items = Array.from({ length: 53 }, (_, i) => i);

    // Act
    const chunks = chunkRequests(items);

    // Assess
    expect(chunks.map((chunk) => chunk.length)).toEqual([25, 25, 3]);
    expect(chunks.flat()).toEqual(items);
  });
});

describe('putAll', () => {
  it('sends items that came back unprocessed again until none are left', async () => {
    // Prepare
    const items = [{ pk: 'a' }, { pk: 'b' }, { pk: 'c' }];
    docMock
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { t: [{ PutRequest: { Item: { pk: 'c' } } }] } })
      .resolvesOnce({});

    // Act
    await putAll(doc, 't', items, { baseDelayMs: 1 });

    // Assess
    const calls = docMock.commandCalls(BatchWriteCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input.RequestItems).toEqual({ t: [{ PutRequest: { Item: { pk: 'c' } } }] });
  });

  it('gives up with an error, not silently, when items stay unprocessed', async () => {
    // Prepare
    docMock.on(BatchWriteCommand).resolves({ UnprocessedItems: { t: [{ PutRequest: { Item: { pk: 'a' } } }] } });

    // Act
    const attempt = putAll(doc, 't', [{ pk: 'a' }], { maxAttempts: 3, baseDelayMs: 1 });

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(NewsalertError);
    expect(docMock.commandCalls(BatchWriteCommand)).toHaveLength(3);
  });
});
