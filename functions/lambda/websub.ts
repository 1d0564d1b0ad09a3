// Lambda entry: wiring only. The WebSub callback route of the HTTP API (public: hubs authenticate pushes with
// X-Hub-Signature); pushes go through the ingest core, so it is composed with the poller's ingest parts
// (functions/compose/websub.ts, shared with the local runtime).
import { SNSClient } from '@aws-sdk/client-sns';
import { awsFunction } from '#compose/aws.js';
import { FUNCTION_RESOURCES } from '#compose/resources.js';
import { composeWebSubCallback } from '#compose/websub.js';
import { createWebSubCallbackHandler } from '#handlers/websub-callback.js';

// Top-level await: the tracer loads during the init phase, and only in Lambda with tracing on.
const aws = await awsFunction('websub', FUNCTION_RESOURCES.websub, { sns: () => new SNSClient({}) });

export const handler = createWebSubCallbackHandler(composeWebSubCallback(aws.platform, aws.observability));
