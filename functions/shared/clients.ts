// SDK client factories. Each Lambda entry calls the ones it needs once, at module scope, so a function only loads
// the clients it uses and reuses their connections across invocations.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { traceClient } from './tracer.js';
import type { Tracer } from './tracer.js';

/** With a tracer, every DynamoDB call becomes an X-Ray subsegment (the base client is traced, as Powertools asks). */
export function createDocumentClient(tracer?: Tracer): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(traceClient(tracer, new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export const systemClock = { now: () => new Date() };
