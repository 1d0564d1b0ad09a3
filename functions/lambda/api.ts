// Lambda entry: wiring only. What the api function is given is functions/compose/api.ts, shared with the local
// runtime. Logic lives in functions/handlers/api/.
import { SQSClient } from '@aws-sdk/client-sqs';
import { composeApi } from '#compose/api.js';
import { awsFunction } from '#compose/aws.js';
import { FUNCTION_RESOURCES } from '#compose/resources.js';
import { createApiHandler } from '#handlers/api/index.js';

// Top-level await: the tracer loads during the init phase, and only in Lambda with tracing on.
const aws = await awsFunction('api', FUNCTION_RESOURCES.api, { sqs: () => new SQSClient({}) });

export const handler = createApiHandler(composeApi(aws.platform, aws.observability));
