// A store written before channel secrets were sealed still holds them in plain text. The local runtime runs this
// once at start: every subscription is read (which proves the key opens what is sealed, or fails the start with a
// clear error instead of the first delivery) and those holding a plain secret are written back sealed.
import { PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Subscription } from '#domain/types.js';
import type { ChannelSecretCodec } from './channel-secrets.js';
import { isConditionalCheckFailed } from './dynamo-errors.js';
import { SUBSCRIPTIONS_VERSION_ID } from './subscriptions-repository.js';

export interface ResealResult {
  checked: number;
  resealed: number;
}

export async function resealChannelSecrets(doc: DynamoDBDocumentClient, tableName: string, codec: ChannelSecretCodec): Promise<ResealResult> {
  const result: ResealResult = { checked: 0, resealed: 0 };
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey, ConsistentRead: true }));
    for (const item of page.Items ?? []) {
      // Tombstones of deleted subscriptions (the change log's) hold no channel.
      if (item.subscriptionId === SUBSCRIPTIONS_VERSION_ID || item.deleted === true) continue;
      const stored = item as unknown as Subscription;
      codec.open(stored);
      result.checked++;
      if (!codec.holdsPlainSecrets(stored)) continue;
      const changeSeq: unknown = item.changeSeq;
      try {
        // The same item, sealed: its change-log position (changeSeq) stays, as the subscription itself does not change.
        // A subscription written or deleted since the scan has a newer changeSeq and is left as it now is.
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: codec.seal(stored),
            ...(changeSeq === undefined
              ? { ConditionExpression: 'attribute_exists(subscriptionId) AND attribute_not_exists(changeSeq)' }
              : { ConditionExpression: 'changeSeq = :seq', ExpressionAttributeValues: { ':seq': changeSeq } }),
          }),
        );
        result.resealed++;
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return result;
}
