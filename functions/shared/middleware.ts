// The one middy wrapper every handler goes through: Lambda context and correlation ids in every log line.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import type { Logger } from './logger.js';

export function withObservability<TEvent, TResult>(
  logger: Logger,
  fn: (event: TEvent, context: Context) => Promise<TResult>,
) {
  return middy<TEvent, TResult>(fn).use(injectLambdaContext(logger, { resetKeys: true }));
}
