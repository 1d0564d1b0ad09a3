// One message of a local SQS queue: what the queue stores, the checks SQS makes when it is sent, the record a
// Lambda handler receives, and how the handler's batch response is read. The queue itself is local-queue.ts.
import { randomUUID } from 'node:crypto';
import type { SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { ValidationError } from '#domain/errors.js';
import { LOCAL_REGION } from './lambda-context.js';
import { md5OfBody, md5OfMessageAttributes } from './sqs-md5.js';
import type { LocalMessageAttributes } from './sqs-md5.js';

const MAX_DELAY_SECONDS = 900;
const MAX_BODY_BYTES = 262_144;
const MAX_MESSAGE_ATTRIBUTES = 10;
const SENDER_ID = 'AIDALOCALBUS00000000';

export interface QueuedMessageSnapshot {
  messageId: string;
  body: string;
  messageAttributes: LocalMessageAttributes;
  receiveCount: number;
  sentTimestamp: number;
  state: 'visible' | 'in-flight' | 'delayed';
  /** Set on messages a source queue dead-lettered. */
  deadLetterQueueSourceArn?: string;
}

export interface StoredMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  messageAttributes: LocalMessageAttributes;
  md5OfMessageAttributes: string | undefined;
  sentTimestamp: number;
  firstReceiveTimestamp: number | undefined;
  receiveCount: number;
  /** Changes on every receive; only the latest one deletes the message (as in SQS). */
  receiptHandle: string | undefined;
  visibleAt: number;
  deadLetterQueueSourceArn: string | undefined;
  /** Send order within this process, for messages sent in the same millisecond (a durable queue reloads in order). */
  seq?: number;
}

let sent = 0;

/** A message as sent: not yet received, visible after `delayMs` (already scaled). */
export function newStoredMessage(body: string, messageAttributes: LocalMessageAttributes, delayMs: number): StoredMessage {
  const now = Date.now();
  const attributes = structuredClone(messageAttributes);
  return {
    messageId: randomUUID(),
    body,
    md5OfBody: md5OfBody(body),
    messageAttributes: attributes,
    md5OfMessageAttributes: md5OfMessageAttributes(attributes),
    sentTimestamp: now,
    firstReceiveTimestamp: undefined,
    receiveCount: 0,
    receiptHandle: undefined,
    visibleAt: now + delayMs,
    deadLetterQueueSourceArn: undefined,
    seq: (sent += 1),
  };
}

/** What SQS refuses on SendMessage: an empty or oversized body, a bad delay, too many or malformed attributes. */
export function checkOutgoingMessage(queueName: string, body: string, messageAttributes: LocalMessageAttributes, delaySeconds: number): void {
  if (typeof body !== 'string' || body.length === 0) {
    throw new ValidationError(`Queue "${queueName}": message body must be a non-empty string`);
  }
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > MAX_BODY_BYTES) {
    throw new ValidationError(`Queue "${queueName}": message body is ${bytes} bytes, SQS allows ${MAX_BODY_BYTES}`);
  }
  requireNumber('delaySeconds', delaySeconds, { min: 0, max: MAX_DELAY_SECONDS, integer: true });
  const names = Object.keys(messageAttributes);
  if (names.length > MAX_MESSAGE_ATTRIBUTES) {
    throw new ValidationError(`Queue "${queueName}": ${names.length} message attributes, SQS allows ${MAX_MESSAGE_ATTRIBUTES}`);
  }
  for (const name of names) {
    const attribute = messageAttributes[name];
    if (attribute === undefined || typeof attribute.dataType !== 'string' || !/^(String|Number|Binary)(\..+)?$/.test(attribute.dataType)) {
      throw new ValidationError(`Queue "${queueName}": message attribute "${name}" needs a dataType of String, Number or Binary`);
    }
    if (attribute.stringValue === undefined && attribute.binaryValue === undefined) {
      throw new ValidationError(`Queue "${queueName}": message attribute "${name}" has no value`);
    }
  }
}

export function toSqsRecord(message: StoredMessage, queueArn: string): SQSRecord {
  const messageAttributes: SQSMessageAttributes = {};
  for (const [name, attribute] of Object.entries(message.messageAttributes)) {
    // Lambda always includes the (reserved, empty) list fields.
    messageAttributes[name] = { ...attribute, stringListValues: [], binaryListValues: [] };
  }
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle ?? '',
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentTimestamp),
      SenderId: SENDER_ID,
      ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp ?? message.sentTimestamp),
      ...(message.deadLetterQueueSourceArn === undefined ? {} : { DeadLetterQueueSourceArn: message.deadLetterQueueSourceArn }),
    },
    messageAttributes,
    md5OfBody: message.md5OfBody,
    ...(message.md5OfMessageAttributes === undefined ? {} : { md5OfMessageAttributes: message.md5OfMessageAttributes }),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: LOCAL_REGION,
  };
}

/**
 * The set of failed message ids, or undefined when Lambda would treat the response as invalid and fail the whole
 * batch (an identifier that is empty or not in the batch, or batchItemFailures that is not a list).
 */
export function readBatchItemFailures(response: unknown, batchIds: Set<string>): Set<string> | undefined {
  if (response === undefined || response === null || typeof response !== 'object') return new Set();
  if (!('batchItemFailures' in response)) return new Set();
  const failures = response.batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return undefined;
  const failed = new Set<string>();
  for (const failure of failures as unknown[]) {
    const id = typeof failure === 'object' && failure !== null && 'itemIdentifier' in failure ? failure.itemIdentifier : undefined;
    if (typeof id !== 'string' || !batchIds.has(id)) return undefined;
    failed.add(id);
  }
  return failed;
}

export function stateOf(message: StoredMessage, now: number): QueuedMessageSnapshot['state'] {
  if (message.visibleAt <= now) return 'visible';
  return message.receiveCount > 0 ? 'in-flight' : 'delayed';
}

export function serialiseBody(body: unknown, id: string): string {
  let serialised: string | undefined;
  try {
    serialised = JSON.stringify(body);
  } catch (error: unknown) {
    throw new ValidationError(`Message ${id}: body cannot be serialised to JSON`, [], { cause: error });
  }
  if (serialised === undefined) throw new ValidationError(`Message ${id}: body serialises to nothing`);
  return serialised;
}

export function requireNumber(name: string, value: unknown, limits: { min: number; max: number; integer?: boolean }): void {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= limits.min &&
    value <= limits.max &&
    (limits.integer !== true || Number.isInteger(value));
  if (!ok) {
    const kind = limits.integer === true ? 'an integer' : 'a number';
    throw new ValidationError(`${name} must be ${kind} from ${limits.min} to ${limits.max}, got ${String(value)}`);
  }
}

export interface QueueDepth {
  /** Receivable now. */
  visible: number;
  /** Received and not yet deleted: being handled, or waiting out the visibility timeout after a failure. */
  inFlight: number;
  /** Sent with a delay that has not elapsed; never received. */
  delayed: number;
}

export function depthOf(messages: Iterable<StoredMessage>, now: number): QueueDepth {
  const depth: QueueDepth = { visible: 0, inFlight: 0, delayed: 0 };
  for (const message of messages) {
    const state = stateOf(message, now);
    if (state === 'visible') depth.visible += 1;
    else if (state === 'in-flight') depth.inFlight += 1;
    else depth.delayed += 1;
  }
  return depth;
}
