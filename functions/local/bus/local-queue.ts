// An SQS standard queue inside one Node process, feeding a Lambda-style handler the same SQSEvent an event source
// mapping would: receive up to batchSize, hide for the visibility timeout, delete what succeeded, let the rest
// reappear, and move a message to the dead-letter queue once its receive count would pass maxReceiveCount.
// Given a QueueStore (queue-store.ts), every message is written through to it, so a restart resumes the queue.
import { randomBytes } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ValidationError } from '#domain/errors.js';
import type { QueueMessage, QueueSender } from '#domain/ports.js';
import { BusError, logToConsole, writeLog } from './bus-log.js';
import type { BusLog } from './bus-log.js';
import { createLambdaContext, invokeLocally, LOCAL_ACCOUNT_ID, LOCAL_REGION } from './lambda-context.js';
import type { QueueStore } from './queue-store.js';
import { QueueWriteThrough } from './queue-write-through.js';
import {
  checkOutgoingMessage,
  depthOf,
  newStoredMessage,
  readBatchItemFailures,
  requireNumber,
  serialiseBody,
  stateOf,
  toSqsRecord,
} from './sqs-message.js';
import type { QueueDepth, QueuedMessageSnapshot, StoredMessage } from './sqs-message.js';
import type { LocalMessageAttributes } from './sqs-md5.js';

export type { QueueDepth } from './sqs-message.js';

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
  /**
   * Keeps the messages across restarts (queue-write-through.ts): the queue starts with what the store holds for its
   * name, and a send resolves only once the message is stored. @default - none: in memory only
   */
  store?: QueueStore;
}

export interface ConsumeOptions {
  /** @default `${queueName}-consumer` */
  functionName?: string;
  /** What context.getRemainingTimeInMillis() counts down from; real seconds, not scaled, not enforced. @default visibilityTimeoutSeconds */
  functionTimeoutSeconds?: number;
}

interface Consumer {
  handler: SqsHandler;
  functionName: string;
  functionTimeoutMs: number;
  running: boolean;
  workers: Promise<void>[];
}

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

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
  private readonly stored: QueueWriteThrough;

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
    this.stored = new QueueWriteThrough(name, options.store, this.log);
    for (const message of this.stored.loaded(Date.now())) this.messages.set(message.messageId, message);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Sending

  /** The QueueSender port: each body is JSON-serialised, as the SQS adapter does. All-or-nothing validation. */
  async send(messages: QueueMessage<T>[]): Promise<void> {
    const prepared = messages.map((message, index) => {
      const body = serialiseBody(message.body, message.id ?? String(index));
      const delaySeconds = message.delaySeconds ?? 0;
      checkOutgoingMessage(this.name, body, {}, delaySeconds);
      return { body, delaySeconds };
    });
    await Promise.all(prepared.map(({ body, delaySeconds }) => this.enqueue(body, {}, delaySeconds)));
  }

  /** For bodies already serialised (SNS fan-out, tests, replaying a DLQ message). Returns the new messageId. */
  async sendRaw(body: string, messageAttributes: LocalMessageAttributes = {}, delaySeconds = 0): Promise<string> {
    checkOutgoingMessage(this.name, body, messageAttributes, delaySeconds);
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

  /**
   * Stops receiving and waits for the batches already handed to the handler to finish and be settled, for at most
   * graceMs (real ms). A batch still in the handler's hands then is left as it is: in flight, so with a store the
   * next start receives it again.
   */
  async stop(graceMs = Number.POSITIVE_INFINITY): Promise<void> {
    const consumer = this.consumer;
    if (consumer === undefined) return this.stored.settle();
    consumer.running = false;
    this.wake();
    const finished = Promise.all(consumer.workers).then(() => true);
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = Number.isFinite(graceMs)
      ? new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), graceMs);
        })
      : new Promise<false>(() => {});
    const done = await Promise.race([finished, gaveUp]);
    clearTimeout(timer);
    if (!done) {
      writeLog(this.log, {
        level: 'warn',
        event: 'stopped-in-flight',
        message: `Queue "${this.name}" stopped with ${this.activeBatches} batch(es) still in ${consumer.functionName} after ${graceMs} ms; ${this.stored.durable ? 'the next start receives them again' : 'they are lost (in-memory queue)'}`,
        queue: this.name,
      });
    }
    if (this.consumer === consumer) this.consumer = undefined;
    await this.stored.settle();
  }

  // -------------------------------------------------------------------------------------------------------------
  // Inspection

  depth(): QueueDepth {
    return depthOf(this.messages.values(), Date.now());
  }

  /** Nothing stored in any state, no batch in the handler's hands, no store write on its way. */
  isSettled(): boolean {
    return this.messages.size === 0 && this.activeBatches === 0 && this.stored.pending === 0;
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
    for (const message of moved) {
      to.accept(message, undefined);
      this.stored.forget(message.messageId);
    }
    return moved.length;
  }

  /** Deletes every message (SQS PurgeQueue). Returns how many were removed. */
  purge(): number {
    const ids = [...this.messages.keys()];
    this.messages.clear();
    for (const id of ids) this.stored.forget(id);
    return ids.length;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Internals

  /** Receivable only once stored: a send that resolved survives a crash. */
  private async enqueue(body: string, messageAttributes: LocalMessageAttributes, delaySeconds: number): Promise<string> {
    const message = newStoredMessage(body, messageAttributes, delaySeconds * 1000 * this.timeScale);
    await this.stored.put(message);
    this.messages.set(message.messageId, message);
    this.wake();
    return message.messageId;
  }

  /** Takes a message moved from another queue, keeping its identity, body and attributes. */
  private accept(message: StoredMessage, deadLetterQueueSourceArn: string | undefined): void {
    const moved: StoredMessage = {
      ...message,
      firstReceiveTimestamp: undefined,
      receiveCount: 0,
      receiptHandle: undefined,
      visibleAt: Date.now(),
      deadLetterQueueSourceArn,
    };
    this.messages.set(message.messageId, moved);
    // Stored here before the source forgets it: a crash in between leaves it in both, never in neither.
    this.stored.remember(moved);
    this.wake();
  }

  private async runWorker(consumer: Consumer): Promise<void> {
    while (consumer.running) {
      const batch = this.receiveBatch();
      if (batch.length === 0) {
        await this.waitForWork();
        continue;
      }
      // The receive counts are stored before the handler runs: a message that crashes the process every time
      // still reaches the dead-letter queue after maxReceiveCount starts.
      await this.stored.caughtUp();
      await this.deliverBatch(consumer, batch);
      await this.stored.caughtUp();
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
      this.stored.remember(message);
      records.push(toSqsRecord(message, this.arn));
    }
    return records;
  }

  private deadLetter(message: StoredMessage): void {
    this.messages.delete(message.messageId);
    const dlq = this.deadLetterQueue;
    if (dlq === undefined) {
      this.stored.forget(message.messageId);
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
    this.stored.forget(message.messageId);
    writeLog(this.log, {
      level: 'info',
      event: 'message-dead-lettered',
      message: `Queue "${this.name}" moved message ${message.messageId} to "${dlq.name}" after ${message.receiveCount} receives`,
      queue: this.name,
      messageIds: [message.messageId],
    });
  }

  private async deliverBatch(consumer: Consumer, records: SQSRecord[]): Promise<void> {
    this.activeBatches += 1;
    const messageIds = records.map((record) => record.messageId);
    try {
      const context = createLambdaContext({ functionName: consumer.functionName, timeoutMs: consumer.functionTimeoutMs });
      let response: unknown;
      try {
        // A synchronous throw becomes a rejection, as the Lambda runtime does; each batch is its own invocation.
        response = await invokeLocally(consumer.handler, { Records: records }, context);
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
    if (message?.receiptHandle !== receiptHandle) return;
    this.messages.delete(messageId);
    this.stored.forget(messageId);
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

/** Global setTimeout (not timers/promises) so vi.useFakeTimers() controls the bus like everything else. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
