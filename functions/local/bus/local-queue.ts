// An SQS standard queue inside one Node process, feeding a Lambda-style handler the same SQSEvent an event source
// mapping would: receive up to batchSize, hide for the visibility timeout, delete what succeeded, let the rest
// reappear, and move a message to the dead-letter queue once its receive count would pass maxReceiveCount.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { ValidationError } from '#domain/errors.js';
import type { QueueMessage, QueueSender } from '#domain/ports.js';
import { BusError, logToConsole, writeLog } from './bus-log.js';
import type { BusLog } from './bus-log.js';
import { createLambdaContext, LOCAL_ACCOUNT_ID, LOCAL_REGION } from './lambda-context.js';
import { md5OfBody, md5OfMessageAttributes } from './sqs-md5.js';
import type { LocalMessageAttributes } from './sqs-md5.js';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface LocalQueueOptions<T> {
  /** Seconds a received message stays hidden before it can be received again (SQS VisibilityTimeout). */
  visibilityTimeoutSeconds: number;
  /** Deliveries before the next receive moves the message to the DLQ (SQS redrive policy). */
  maxReceiveCount: number;
  /** Without one, a message past maxReceiveCount is dropped with a warning. */
  deadLetterQueue?: LocalQueue<T>;
  /** @default 10 */
  batchSize?: number;
  /** Longest idle wait between receive attempts; sends and due messages wake the consumer sooner. @default 250 */
  pollIntervalMs?: number;
  /** Multiplies every duration given in seconds (visibility, delay): 0.01 makes a 30 s timeout 300 ms. @default 1 */
  timeScale?: number;
  /** Batches handled at the same time (the function's reserved concurrency). @default 1 */
  concurrency?: number;
  /** @default one line on stderr for warnings and errors */
  log?: BusLog;
}

export interface ConsumeOptions {
  /** @default `${queueName}-consumer` */
  functionName?: string;
  /** What context.getRemainingTimeInMillis() counts down from; real seconds, not scaled, not enforced. @default visibilityTimeoutSeconds */
  functionTimeoutSeconds?: number;
}

export interface QueueDepth {
  /** Receivable now. */
  visible: number;
  /** Received and not yet deleted: being handled, or waiting out the visibility timeout after a failure. */
  inFlight: number;
  /** Sent with a delay that has not elapsed; never received. */
  delayed: number;
}

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

interface StoredMessage {
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
}

interface Consumer {
  handler: SqsHandler;
  functionName: string;
  functionTimeoutMs: number;
  running: boolean;
  workers: Promise<void>[];
}

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_DELAY_SECONDS = 900;
const MAX_BODY_BYTES = 262_144;
const MAX_MESSAGE_ATTRIBUTES = 10;
const SENDER_ID = 'AIDALOCALBUS00000000';

export class LocalQueue<T> implements QueueSender<T> {
  readonly name: string;
  readonly arn: string;
  readonly deadLetterQueue: LocalQueue<T> | undefined;

  private readonly visibilityMs: number;
  private readonly maxReceiveCount: number;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly timeScale: number;
  private readonly concurrency: number;
  private readonly log: BusLog;
  private readonly visibilityTimeoutSeconds: number;

  /** Insertion order is send order, which is the order receives scan in. */
  private readonly messages = new Map<string, StoredMessage>();
  private readonly wakers = new Set<() => void>();
  private consumer: Consumer | undefined;
  private activeBatches = 0;

  constructor(name: string, options: LocalQueueOptions<T>) {
    if (!QUEUE_NAME.test(name)) {
      throw new ValidationError(`Queue name "${name}" must be 1-80 letters, digits, hyphens or underscores`);
    }
    requireNumber('visibilityTimeoutSeconds', options.visibilityTimeoutSeconds, { min: 0, max: 43_200 });
    requireNumber('maxReceiveCount', options.maxReceiveCount, { min: 1, max: 1000, integer: true });
    const batchSize = options.batchSize ?? 10;
    requireNumber('batchSize', batchSize, { min: 1, max: 10_000, integer: true });
    const pollIntervalMs = options.pollIntervalMs ?? 250;
    requireNumber('pollIntervalMs', pollIntervalMs, { min: 1, max: 60_000 });
    const timeScale = options.timeScale ?? 1;
    requireNumber('timeScale', timeScale, { min: 0, max: 1000 });
    const concurrency = options.concurrency ?? 1;
    requireNumber('concurrency', concurrency, { min: 1, max: 1000, integer: true });
    if (options.deadLetterQueue === undefined) {
      this.deadLetterQueue = undefined;
    } else if (options.deadLetterQueue.name === name) {
      throw new ValidationError(`Queue "${name}" cannot be its own dead-letter queue`);
    } else {
      this.deadLetterQueue = options.deadLetterQueue;
    }

    this.name = name;
    this.arn = `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${name}`;
    this.visibilityTimeoutSeconds = options.visibilityTimeoutSeconds;
    this.visibilityMs = options.visibilityTimeoutSeconds * 1000 * timeScale;
    this.maxReceiveCount = options.maxReceiveCount;
    this.batchSize = batchSize;
    this.pollIntervalMs = pollIntervalMs;
    this.timeScale = timeScale;
    this.concurrency = concurrency;
    this.log = options.log ?? logToConsole;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Sending

  /** The QueueSender port: each body is JSON-serialised, as the SQS adapter does. All-or-nothing validation. */
  async send(messages: QueueMessage<T>[]): Promise<void> {
    const prepared = messages.map((message, index) => {
      const body = serialiseBody(message.body, message.id ?? String(index));
      const delaySeconds = message.delaySeconds ?? 0;
      this.validateOutgoing(body, {}, delaySeconds);
      return { body, delaySeconds };
    });
    for (const { body, delaySeconds } of prepared) this.enqueue(body, {}, delaySeconds);
  }

  /** For bodies already serialised (SNS fan-out, tests, replaying a DLQ message). Returns the new messageId. */
  async sendRaw(body: string, messageAttributes: LocalMessageAttributes = {}, delaySeconds = 0): Promise<string> {
    this.validateOutgoing(body, messageAttributes, delaySeconds);
    return this.enqueue(body, messageAttributes, delaySeconds);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Consuming

  /** Starts the event source mapping: `concurrency` loops, each handing one batch at a time to the handler. */
  consume(handler: SqsHandler, options: ConsumeOptions = {}): void {
    if (this.consumer !== undefined) {
      throw new BusError(`Queue "${this.name}" already has a consumer; stop() it before consuming again`);
    }
    const functionTimeoutSeconds = options.functionTimeoutSeconds ?? this.visibilityTimeoutSeconds;
    requireNumber('functionTimeoutSeconds', functionTimeoutSeconds, { min: 0, max: 900 });
    const consumer: Consumer = {
      handler,
      functionName: options.functionName ?? `${this.name}-consumer`,
      functionTimeoutMs: functionTimeoutSeconds * 1000,
      running: true,
      workers: [],
    };
    this.consumer = consumer;
    for (let worker = 0; worker < this.concurrency; worker += 1) {
      consumer.workers.push(this.runWorker(consumer));
    }
  }

  get consuming(): boolean {
    return this.consumer?.running === true;
  }

  /** Stops receiving and waits for the batches already handed to the handler to finish and be settled. */
  async stop(): Promise<void> {
    const consumer = this.consumer;
    if (consumer === undefined) return;
    consumer.running = false;
    this.wake();
    await Promise.all(consumer.workers);
    if (this.consumer === consumer) this.consumer = undefined;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Inspection

  depth(): QueueDepth {
    const now = Date.now();
    const depth: QueueDepth = { visible: 0, inFlight: 0, delayed: 0 };
    for (const message of this.messages.values()) {
      const state = stateOf(message, now);
      if (state === 'visible') depth.visible += 1;
      else if (state === 'in-flight') depth.inFlight += 1;
      else depth.delayed += 1;
    }
    return depth;
  }

  /** Nothing stored in any state and no batch in the handler's hands. */
  isSettled(): boolean {
    return this.messages.size === 0 && this.activeBatches === 0;
  }

  /** Resolves once the queue holds no message in any state; rejects with the depth after timeoutMs (real ms). */
  async drain(timeoutMs: number): Promise<void> {
    requireNumber('timeoutMs', timeoutMs, { min: 0, max: Number.MAX_SAFE_INTEGER });
    const deadline = Date.now() + timeoutMs;
    while (!this.isSettled()) {
      const left = deadline - Date.now();
      if (left <= 0) {
        const { visible, inFlight, delayed } = this.depth();
        throw new BusError(
          `Queue "${this.name}" did not drain within ${timeoutMs} ms (visible=${visible}, inFlight=${inFlight}, delayed=${delayed})`,
        );
      }
      await sleep(Math.min(5, left));
    }
  }

  /** A snapshot that changes nothing: no receive count, no visibility change. For DLQ inspection. */
  peek(): QueuedMessageSnapshot[] {
    const now = Date.now();
    return [...this.messages.values()].map((message) => ({
      messageId: message.messageId,
      body: message.body,
      messageAttributes: structuredClone(message.messageAttributes),
      receiveCount: message.receiveCount,
      sentTimestamp: message.sentTimestamp,
      state: stateOf(message, now),
      ...(message.deadLetterQueueSourceArn === undefined ? {} : { deadLetterQueueSourceArn: message.deadLetterQueueSourceArn }),
    }));
  }

  /** Moves every message to `to`, visible at once with a fresh receive count (as an SQS redrive does). */
  redrive(to: LocalQueue<T>): number {
    if (to === this) throw new ValidationError(`Cannot redrive queue "${this.name}" into itself`);
    const moved = [...this.messages.values()];
    this.messages.clear();
    for (const message of moved) to.accept(message, undefined);
    return moved.length;
  }

  /** Deletes every message (SQS PurgeQueue). Returns how many were removed. */
  purge(): number {
    const count = this.messages.size;
    this.messages.clear();
    return count;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Internals

  private validateOutgoing(body: string, messageAttributes: LocalMessageAttributes, delaySeconds: number): void {
    if (typeof body !== 'string' || body.length === 0) {
      throw new ValidationError(`Queue "${this.name}": message body must be a non-empty string`);
    }
    const bytes = Buffer.byteLength(body, 'utf8');
    if (bytes > MAX_BODY_BYTES) {
      throw new ValidationError(`Queue "${this.name}": message body is ${bytes} bytes, SQS allows ${MAX_BODY_BYTES}`);
    }
    requireNumber('delaySeconds', delaySeconds, { min: 0, max: MAX_DELAY_SECONDS, integer: true });
    const names = Object.keys(messageAttributes);
    if (names.length > MAX_MESSAGE_ATTRIBUTES) {
      throw new ValidationError(`Queue "${this.name}": ${names.length} message attributes, SQS allows ${MAX_MESSAGE_ATTRIBUTES}`);
    }
    for (const name of names) {
      const attribute = messageAttributes[name];
      if (attribute === undefined || typeof attribute.dataType !== 'string' || !/^(String|Number|Binary)(\..+)?$/.test(attribute.dataType)) {
        throw new ValidationError(`Queue "${this.name}": message attribute "${name}" needs a dataType of String, Number or Binary`);
      }
      if (attribute.stringValue === undefined && attribute.binaryValue === undefined) {
        throw new ValidationError(`Queue "${this.name}": message attribute "${name}" has no value`);
      }
    }
  }

  private enqueue(body: string, messageAttributes: LocalMessageAttributes, delaySeconds: number): string {
    const now = Date.now();
    const attributes = structuredClone(messageAttributes);
    const message: StoredMessage = {
      messageId: randomUUID(),
      body,
      md5OfBody: md5OfBody(body),
      messageAttributes: attributes,
      md5OfMessageAttributes: md5OfMessageAttributes(attributes),
      sentTimestamp: now,
      firstReceiveTimestamp: undefined,
      receiveCount: 0,
      receiptHandle: undefined,
      visibleAt: now + delaySeconds * 1000 * this.timeScale,
      deadLetterQueueSourceArn: undefined,
    };
    this.messages.set(message.messageId, message);
    this.wake();
    return message.messageId;
  }

  /** Takes a message moved from another queue, keeping its identity, body and attributes. */
  private accept(message: StoredMessage, deadLetterQueueSourceArn: string | undefined): void {
    this.messages.set(message.messageId, {
      ...message,
      firstReceiveTimestamp: undefined,
      receiveCount: 0,
      receiptHandle: undefined,
      visibleAt: Date.now(),
      deadLetterQueueSourceArn,
    });
    this.wake();
  }

  private async runWorker(consumer: Consumer): Promise<void> {
    while (consumer.running) {
      const batch = this.receiveBatch();
      if (batch.length === 0) {
        await this.waitForWork();
        continue;
      }
      await this.deliverBatch(consumer, batch);
      // Lets timers, I/O and other queues run between batches even when the handler never really awaits.
      await sleep(0);
    }
  }

  private receiveBatch(): SQSRecord[] {
    const now = Date.now();
    const records: SQSRecord[] = [];
    for (const message of this.messages.values()) {
      if (records.length >= this.batchSize) break;
      if (message.visibleAt > now) continue;
      if (message.receiveCount >= this.maxReceiveCount) {
        this.deadLetter(message);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceiveTimestamp ??= now;
      message.receiptHandle = randomBytes(24).toString('base64url');
      message.visibleAt = now + this.visibilityMs;
      records.push(this.toRecord(message));
    }
    return records;
  }

  private deadLetter(message: StoredMessage): void {
    this.messages.delete(message.messageId);
    const dlq = this.deadLetterQueue;
    if (dlq === undefined) {
      writeLog(this.log, {
        level: 'warn',
        event: 'message-dropped',
        message: `Queue "${this.name}" dropped message ${message.messageId} after ${message.receiveCount} receives (no dead-letter queue)`,
        queue: this.name,
        messageIds: [message.messageId],
      });
      return;
    }
    dlq.accept(message, this.arn);
    writeLog(this.log, {
      level: 'info',
      event: 'message-dead-lettered',
      message: `Queue "${this.name}" moved message ${message.messageId} to "${dlq.name}" after ${message.receiveCount} receives`,
      queue: this.name,
      messageIds: [message.messageId],
    });
  }

  private toRecord(message: StoredMessage): SQSRecord {
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
      eventSourceARN: this.arn,
      awsRegion: LOCAL_REGION,
    };
  }

  private async deliverBatch(consumer: Consumer, records: SQSRecord[]): Promise<void> {
    this.activeBatches += 1;
    const messageIds = records.map((record) => record.messageId);
    try {
      const context = createLambdaContext({ functionName: consumer.functionName, timeoutMs: consumer.functionTimeoutMs });
      let response: unknown;
      try {
        // Promise.resolve().then turns a synchronous throw into a rejection, as the Lambda runtime does.
        response = await Promise.resolve().then(() => consumer.handler({ Records: records }, context));
      } catch (error: unknown) {
        writeLog(this.log, {
          level: 'error',
          event: 'handler-failed',
          message: `Handler ${consumer.functionName} failed on a batch of ${records.length} from "${this.name}"; the whole batch will be retried`,
          queue: this.name,
          messageIds,
          error,
        });
        return;
      }
      const failed = readBatchItemFailures(response, new Set(messageIds));
      if (failed === undefined) {
        writeLog(this.log, {
          level: 'error',
          event: 'batch-response-invalid',
          message: `Handler ${consumer.functionName} returned an invalid batchItemFailures response; the whole batch will be retried`,
          queue: this.name,
          messageIds,
        });
        return;
      }
      for (const record of records) {
        if (!failed.has(record.messageId)) this.deleteMessage(record.messageId, record.receiptHandle);
      }
      if (failed.size > 0) {
        writeLog(this.log, {
          level: 'info',
          event: 'batch-partially-failed',
          message: `Handler ${consumer.functionName} reported ${failed.size} of ${records.length} messages from "${this.name}" as failed`,
          queue: this.name,
          messageIds: [...failed],
        });
      }
    } finally {
      this.activeBatches -= 1;
    }
  }

  private deleteMessage(messageId: string, receiptHandle: string): void {
    const message = this.messages.get(messageId);
    if (message?.receiptHandle === receiptHandle) this.messages.delete(messageId);
  }

  /** Sleeps until a send/redrive/stop wakes us, the next hidden message is due, or the poll interval passes. */
  private waitForWork(): Promise<void> {
    const now = Date.now();
    let nextVisibleAt = Number.POSITIVE_INFINITY;
    for (const message of this.messages.values()) {
      if (message.visibleAt > now && message.visibleAt < nextVisibleAt) nextVisibleAt = message.visibleAt;
    }
    const delay = Math.max(1, Math.min(this.pollIntervalMs, nextVisibleAt - now));
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, delay);
      this.wakers.add(done);
    });
  }

  private wake(): void {
    for (const done of [...this.wakers]) done();
  }
}

/**
 * The set of failed message ids, or undefined when Lambda would treat the response as invalid and fail the whole
 * batch (an identifier that is empty or not in the batch, or batchItemFailures that is not a list).
 */
function readBatchItemFailures(response: unknown, batchIds: Set<string>): Set<string> | undefined {
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

function stateOf(message: StoredMessage, now: number): QueuedMessageSnapshot['state'] {
  if (message.visibleAt <= now) return 'visible';
  return message.receiveCount > 0 ? 'in-flight' : 'delayed';
}

function serialiseBody(body: unknown, id: string): string {
  let serialised: string | undefined;
  try {
    serialised = JSON.stringify(body);
  } catch (error: unknown) {
    throw new ValidationError(`Message ${id}: body cannot be serialised to JSON`, [], { cause: error });
  }
  if (serialised === undefined) throw new ValidationError(`Message ${id}: body serialises to nothing`);
  return serialised;
}

function requireNumber(name: string, value: unknown, limits: { min: number; max: number; integer?: boolean }): void {
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

/** Global setTimeout (not timers/promises) so vi.useFakeTimers() controls the bus like everything else. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
