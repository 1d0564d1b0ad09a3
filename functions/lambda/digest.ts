// Lambda entry: wiring only. What the digest function is given is functions/compose/digest.ts, shared with the
// local runtime.
import { SQSClient } from '@aws-sdk/client-sqs';
import { awsFunction } from '#compose/aws.js';
import { composeDigest } from '#compose/digest.js';
import { FUNCTION_RESOURCES } from '#compose/resources.js';
import { createDigestHandler } from '#handlers/digest.js';

// Top-level await: the tracer loads during the init phase, and only in Lambda with tracing on.
const aws = await awsFunction('digest', FUNCTION_RESOURCES.digest, { sqs: () => new SQSClient({}) });

export const handler = createDigestHandler(composeDigest(aws.platform, aws.observability));
