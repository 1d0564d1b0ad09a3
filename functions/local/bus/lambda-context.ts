// A Lambda Context good enough for handlers that read names, the request id or the remaining time, and the way the
// local runtime invokes a handler with it.
import { randomUUID } from 'node:crypto';
import { AsyncLocalStorage } from 'node:async_hooks';
import { InvokeStoreBase } from '@aws/lambda-invoke-store';
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

/** The env var by which Lambda's runtime (and Powertools) know that invocations may overlap in one process. */
const MAX_CONCURRENCY = 'AWS_LAMBDA_MAX_CONCURRENCY';

type StoreContext = Record<string | symbol, unknown>;

/**
 * The InvokeStore of a runtime whose invocations overlap: one context per invocation, kept by AsyncLocalStorage
 * (what @aws/lambda-invoke-store makes on Lambda Managed Instances; its own class is not exported).
 */
class OverlappingInvokeStore extends InvokeStoreBase {
  private readonly als = new AsyncLocalStorage<StoreContext>();
  getContext(): StoreContext | undefined {
    return this.als.getStore();
  }
  hasContext(): boolean {
    return this.als.getStore() !== undefined;
  }
  get<T = unknown>(key: string | symbol): T | undefined {
    return this.als.getStore()?.[key] as T | undefined;
  }
  set<T = unknown>(key: string | symbol, value: T): void {
    if (this.isProtectedKey(key)) throw new BusError(`Cannot modify protected Lambda context field: ${String(key)}`);
    const context = this.als.getStore();
    if (context === undefined) throw new BusError('No invocation context: InvokeStore.set() outside a handler');
    context[key] = value;
  }
  run<T>(context: StoreContext, fn: () => T): T {
    return this.als.run(context, fn);
  }
}

/**
 * The process's InvokeStore, installed where Powertools and the AWS SDK look for it. A single-invocation store made
 * earlier (the SDK makes one on first use) is replaced: it would let overlapping invocations share one context.
 */
function invokeStore(): InvokeStoreBase {
  const global = globalThis as { awslambda?: { InvokeStore?: InvokeStoreBase } };
  global.awslambda ??= {};
  let store = global.awslambda.InvokeStore;
  if (!(store instanceof OverlappingInvokeStore)) {
    store = new OverlappingInvokeStore();
    global.awslambda.InvokeStore = store;
  }
  // Powertools scopes its state per invocation only when this is set; the store exists before it is.
  process.env[MAX_CONCURRENCY] ??= '1000';
  return store;
}

/**
 * Calls a handler as Lambda's runtime does when invocations overlap in one execution environment: inside its own
 * InvokeStore context. The local runtime runs many invocations of one function at once (concurrent queue consumers,
 * parallel API requests) against one module-scope Logger; in that context Powertools keeps each invocation's keys
 * (correlation id, Lambda context) apart, as it does on Lambda Managed Instances.
 */
export async function invokeLocally<TEvent, TResult>(
  handler: (event: TEvent, context: Context) => TResult | Promise<TResult>,
  event: TEvent,
  context: Context,
): Promise<TResult> {
  return invokeStore().run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: context.awsRequestId }, () =>
    Promise.resolve().then(() => handler(event, context)),
  );
}
