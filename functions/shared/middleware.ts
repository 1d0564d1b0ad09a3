// The one middy wrapper every handler goes through: Lambda context and a correlation id in every log line, metrics
// flushed once per invocation (also when it fails), and an X-Ray subsegment when a tracer is handed in.
import middy from '@middy/core';
import type { MiddlewareObj } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context } from 'aws-lambda';
import type { Logger } from './logger.js';
import type { PipelineMetrics } from './metrics.js';
import type { Tracer } from './tracer.js';

export interface Observability {
  logger: Logger;
  /** @default - no metrics (local runtime, tests) */
  metrics?: PipelineMetrics;
  /** @default - no tracing (outside Lambda, or tracing disabled) */
  tracer?: Tracer;
}

export interface Correlation {
  /** The id a reader searches the logs for: the API request, the scheduled event, the single message. */
  correlationId?: string;
  /** Every message id of an SQS or SNS batch of more than one record. */
  messageIds?: string[];
}

/** A caller-chosen correlation id is kept only when it cannot smuggle anything odd into the logs. */
const SAFE_ID = /^[A-Za-z0-9._:@/-]{1,128}$/;

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function stringField(value: unknown, key: string): string | undefined {
  const found = field(value, key);
  return typeof found === 'string' && found.length > 0 ? found : undefined;
}

/** Reads the correlation id of an API Gateway (v1 or v2), SQS, SNS or EventBridge event; nothing for others. */
export function correlationOf(event: unknown): Correlation {
  const records = field(event, 'Records');
  if (Array.isArray(records) && records.length > 0) {
    const ids = records
      .map((record) => stringField(record, 'messageId') ?? stringField(field(record, 'Sns'), 'MessageId'))
      .filter((id): id is string => id !== undefined);
    if (ids.length === 1) return { correlationId: ids[0] };
    return ids.length > 1 ? { messageIds: ids } : {};
  }
  const requestContext = field(event, 'requestContext');
  if (requestContext !== undefined) {
    const headers = field(event, 'headers');
    const given = stringField(headers, 'x-correlation-id') ?? stringField(headers, 'X-Correlation-Id');
    if (given && SAFE_ID.test(given)) return { correlationId: given };
    const requestId = stringField(requestContext, 'requestId');
    return requestId ? { correlationId: requestId } : {};
  }
  const eventBridgeId = stringField(event, 'detail-type') ? stringField(event, 'id') : undefined;
  return eventBridgeId ? { correlationId: eventBridgeId } : {};
}

function correlate(logger: Logger, tracer: Tracer | undefined): MiddlewareObj {
  return {
    before: (request) => {
      const { correlationId, messageIds } = correlationOf(request.event);
      if (correlationId) {
        logger.setCorrelationId(correlationId);
        tracer?.putAnnotation('correlation_id', correlationId);
      }
      if (messageIds) logger.appendKeys({ messageIds });
    },
  };
}

function flushMetrics(metrics: PipelineMetrics): MiddlewareObj {
  return { after: () => metrics.flush(), onError: () => metrics.flush() };
}

function isObservability(source: Logger | Observability): source is Observability {
  return 'logger' in source && typeof source.logger === 'object';
}

/**
 * Wraps a handler. Pass the handler's deps (anything with `logger`, and optionally `metrics` and `tracer`); a bare
 * Logger is accepted too, for handlers that neither count nor trace.
 */
export function withObservability<TEvent, TResult>(
  source: Logger | Observability,
  fn: (event: TEvent, context: Context) => Promise<TResult>,
) {
  const { logger, metrics, tracer } = isObservability(source) ? source : { logger: source };
  const handler = middy<TEvent, TResult>(fn);
  // Tracer first: its subsegment then spans the other middlewares too.
  if (tracer) handler.use(captureLambdaHandler(tracer, { captureResponse: false }));
  handler.use(injectLambdaContext(logger, { resetKeys: true })).use(correlate(logger, tracer));
  if (metrics) handler.use(flushMetrics(metrics));
  return handler;
}
