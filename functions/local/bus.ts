// The local runtime's in-process message bus: SQS queues and SNS topics with AWS's event shapes and semantics,
// so the Lambda handlers run unchanged on one Node process.
export { BusError, logToConsole } from './bus/bus-log.js';
export type { BusLog, BusLogEntry, BusLogEvent, BusLogLevel } from './bus/bus-log.js';
export { LocalQueue } from './bus/local-queue.js';
export type { ConsumeOptions, LocalQueueOptions, QueueDepth, SqsHandler } from './bus/local-queue.js';
export type { QueuedMessageSnapshot } from './bus/sqs-message.js';
export { LocalTopic } from './bus/local-topic.js';
export type { LocalSubscription, LocalTopicOptions, QueueSubscriptionOptions, SnsNotification } from './bus/local-topic.js';
export { compileFilterPolicy, matchesFilterPolicy } from './bus/filter-policy.js';
export type { CompiledFilterPolicy, FilterPolicy } from './bus/filter-policy.js';
export type { SnsMessageAttribute, SnsMessageAttributes } from './bus/sns-attributes.js';
export type { LocalMessageAttribute, LocalMessageAttributes } from './bus/sqs-md5.js';
export { createLambdaContext, invokeLocally, LOCAL_ACCOUNT_ID, LOCAL_REGION } from './bus/lambda-context.js';
export type { LambdaContextOptions } from './bus/lambda-context.js';
export { InProcessBus } from './bus/in-process-bus.js';
export type { DrainAllOptions, InProcessBusOptions } from './bus/in-process-bus.js';
export { DynamoQueueStore, LOCAL_QUEUE_TABLE } from './bus/queue-store.js';
export type { QueueStore } from './bus/queue-store.js';
