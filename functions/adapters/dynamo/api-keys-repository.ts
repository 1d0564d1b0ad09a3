// API keys table: one item per key id, holding the SHA-256 of the key, never the key.
import { GetCommand, PutCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApiKey } from '#domain/api-key.js';
import type { ApiKeyRepository } from '#domain/ports.js';
import { isConditionalCheckFailed } from './dynamo-errors.js';
import { normalizeIsoTime, requireKey } from './input-checks.js';

export class DynamoApiKeyRepository implements ApiKeyRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(key: ApiKey): Promise<boolean> {
    requireKey('keyId', key.keyId);
    try {
      await this.doc.send(
        new PutCommand({ TableName: this.tableName, Item: key, ConditionExpression: 'attribute_not_exists(keyId)' }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async get(keyId: string): Promise<ApiKey | undefined> {
    requireKey('keyId', keyId);
    // Consistent: a key revoked a moment ago must not keep working on a lagging replica.
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { keyId }, ConsistentRead: true }));
    return result.Item as ApiKey | undefined;
  }

  async list(): Promise<ApiKey[]> {
    const keys: ApiKey[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(new ScanCommand({ TableName: this.tableName, ExclusiveStartKey: startKey, ConsistentRead: true }));
      keys.push(...((page.Items ?? []) as ApiKey[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return keys.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.keyId.localeCompare(b.keyId));
  }

  async revoke(keyId: string, now: string): Promise<boolean> {
    requireKey('keyId', keyId);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { keyId },
          // if_not_exists keeps the first revocation time when a revoke is repeated.
          UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :now)',
          ConditionExpression: 'attribute_exists(keyId)',
          ExpressionAttributeValues: { ':now': normalizeIsoTime('now', now) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
