// A Lambda Context good enough for handlers that read names, the request id or the remaining time.
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { BusError } from './bus-log.js';

export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_REGION = 'local';

export interface LambdaContextOptions {
  functionName: string;
  /** Wall-clock budget the handler sees through getRemainingTimeInMillis; not enforced. */
  timeoutMs: number;
  /** @default Date.now() */
  startedAt?: number;
  /** @default a random UUID */
  awsRequestId?: string;
}

export function createLambdaContext(options: LambdaContextOptions): Context {
  const startedAt = options.startedAt ?? Date.now();
  const deadline = startedAt + options.timeoutMs;
  const awsRequestId = options.awsRequestId ?? randomUUID();
  const day = new Date(startedAt).toISOString().slice(0, 10).replaceAll('-', '/');
  // The callback-era methods would let a handler "finish" outside its promise, which the local loop cannot see.
  const unsupported = (name: string) => (): never => {
    throw new BusError(`context.${name}() is not supported locally: return (or throw from) the handler's promise`);
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: options.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${options.functionName}`,
    memoryLimitInMB: '128',
    awsRequestId,
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: `${day}/[$LATEST]${awsRequestId.replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
}
