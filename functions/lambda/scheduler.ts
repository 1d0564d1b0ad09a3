// Lambda entry: wiring only. What the scheduler is given is functions/compose/scheduler.ts, shared with the local
// runtime; the idempotency of scheduled events is AWS's own concern (EventBridge delivers at least once).
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { awsFunction } from '#compose/aws.js';
import { FUNCTION_RESOURCES } from '#compose/resources.js';
import { composeScheduler } from '#compose/scheduler.js';
import { createSchedulerHandler } from '#handlers/scheduler.js';
import { traceClient } from '#shared/tracer.js';

// Top-level await: the tracer loads during the init phase, and only in Lambda with tracing on.
const aws = await awsFunction('scheduler', FUNCTION_RESOURCES.scheduler, { sqs: () => new SQSClient({}) });

export const handler = createSchedulerHandler(composeScheduler(aws.platform, aws.observability)).use(
  // EventBridge delivers a scheduled event at least once and the rule retries failed invokes: one run per event id,
  // so a duplicate cannot enqueue every due feed a second time.
  makeHandlerIdempotent({
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName: aws.variable('IDEMPOTENCY_TABLE'),
      awsSdkV3Client: traceClient(aws.observability.tracer, new DynamoDBClient({})),
    }),
    config: new IdempotencyConfig({ eventKeyJmesPath: 'id', expiresAfterSeconds: 3_600 }),
  }),
);
