// Lambda entry: wiring only. What the poller is given is functions/compose/poller.ts, shared with the local runtime.
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { awsFunction } from '#compose/aws.js';
import { composePoller } from '#compose/poller.js';
import { FUNCTION_RESOURCES } from '#compose/resources.js';
import { createPollerHandler } from '#handlers/poller.js';

// Top-level await: the tracer loads during the init phase, and only in Lambda with tracing on.
const aws = await awsFunction('poller', FUNCTION_RESOURCES.poller, { sqs: () => new SQSClient({}), sns: () => new SNSClient({}) });

export const handler = createPollerHandler(composePoller(aws.platform, aws.observability));
