// SDK client factories. Each Lambda entry calls the ones it needs once, at module scope, so a function only loads
// the clients it uses and reuses their connections across invocations.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export function createDocumentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export const systemClock = { now: () => new Date() };
