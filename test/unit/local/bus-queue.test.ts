import { createHash } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError } from '#domain/errors.js';
import { BusError, LocalQueue } from '#local/bus.js';
import { withObservability } from '#shared/middleware.js';
import type { BusLogEntry, LocalQueueOptions } from '#local/bus.js';

// 0.01: a 5 s visibility timeout lasts 50 ms, a 10 s delay 100 ms.
const TIME_SCALE = 0.01;

const started: LocalQueue<unknown>[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((queue) => queue.stop()));
});

interface Delivery {
  at: number;
  event: SQSEvent;
  context: Context;
}

function createQueue<T>(name: string, options: Partial<LocalQueueOptions<T>> = {}): { queue: LocalQueue<T>; logs: BusLogEntry[] } {
  const logs: BusLogEntry[] = [];
  const queue = new LocalQueue<T>(name, {
    visibilityTimeoutSeconds: 5,
    maxReceiveCount: 5,
    timeScale: TIME_SCALE,
    pollIntervalMs: 20,
    log: (entry) => logs.push(entry),
    ...options,
  });
  started.push(queue as LocalQueue<unknown>);
  return { queue, logs };
}

/** Consumes with `respond` deciding each batch's outcome; returns the deliveries seen so far (live array). */
function consumeWith<T>(queue: LocalQueue<T>, respond: (event: SQSEvent, call: number) => Promise<SQSBatchResponse | void> = async () => undefined): Delivery[] {
  const deliveries: Delivery[] = [];
  queue.consume(async (event, context) => {
    deliveries.push({ at: Date.now(), event, context });
    return respond(event, deliveries.length);
  });
  return deliveries;
}

function records(deliveries: Delivery[]): SQSRecord[] {
  return deliveries.flatMap((delivery) => delivery.event.Records);
}

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('LocalQueue event shape', () => {
  it('hands the handler an SQSEvent with every field Lambda sets, and a usable Context', async () => {
    // Prepare
    const { queue } = createQueue<{ feedId: string }>('poll-queue');
    await queue.send([{ body: { feedId: 'f1' } }]);
    await queue.sendRaw('plain text', { topics: { dataType: 'String.Array', stringValue: '["medtop:1"]' } });
    const beforeReceive = Date.now();

    // Act
    const deliveries = consumeWith(queue);
    await waitFor(() => records(deliveries).length === 2);

    // Assess
    const [json, raw] = records(deliveries);
    expect(json).toMatchObject({
      body: '{"feedId":"f1"}',
      messageAttributes: {},
      md5OfBody: createHash('md5').update('{"feedId":"f1"}').digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:local:000000000000:poll-queue',
      awsRegion: 'local',
      attributes: { ApproximateReceiveCount: '1', SenderId: expect.any(String) },
    });
    expect(json?.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(json?.receiptHandle).toEqual(expect.any(String));
    expect(json?.receiptHandle.length).toBeGreaterThan(0);
    expect(json?.attributes).not.toHaveProperty('MessageGroupId');
    expect(json).not.toHaveProperty('md5OfMessageAttributes');
    expect(Number(json?.attributes.SentTimestamp)).toBeLessThanOrEqual(beforeReceive);
    expect(Number(json?.attributes.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(beforeReceive);
    expect(raw?.body).toBe('plain text');
    expect(raw?.messageAttributes).toEqual({
      topics: { dataType: 'String.Array', stringValue: '["medtop:1"]', stringListValues: [], binaryListValues: [] },
    });
    expect(raw?.md5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
    const context = deliveries[0]?.context;
    expect(context?.functionName).toBe('poll-queue-consumer');
    expect(context?.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context?.getRemainingTimeInMillis()).toBeGreaterThan(0);
    expect(context?.invokedFunctionArn).toBe('arn:aws:lambda:local:000000000000:function:poll-queue-consumer');
  });

  it('gives each receive of the same message a new receipt handle', async () => {
    // Prepare
    const { queue } = createQueue<string>('receipts');
    await queue.send([{ body: 'x' }]);

    // Act
    const deliveries = consumeWith(queue, async (event, call) =>
      call === 1 ? { batchItemFailures: event.Records.map((record) => ({ itemIdentifier: record.messageId })) } : undefined,
    );
    await waitFor(() => deliveries.length === 2);

    // Assess
    const [first, second] = records(deliveries);
    expect(second?.messageId).toBe(first?.messageId);
    expect(second?.receiptHandle).not.toBe(first?.receiptHandle);
  });

  it('delivers at most batchSize messages per invocation', async () => {
    // Prepare
    const { queue } = createQueue<number>('batches', { batchSize: 4 });
    await queue.send(Array.from({ length: 9 }, (_, index) => ({ body: index })));

    // Act
    const deliveries = consumeWith(queue);
    await waitFor(() => records(deliveries).length === 9);

    // Assess
    expect(deliveries.map((delivery) => delivery.event.Records.length)).toEqual([4, 4, 1]);
    expect(records(deliveries).map((record) => JSON.parse(record.body) as number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });
  it('runs a Powertools BatchProcessor handler unchanged, retrying only the record it failed', async () => {
    // Prepare
    const { queue } = createQueue<{ n: number }>('powertools');
    const seen: string[] = [];
    // A processor per invocation, as the pipeline's handlers make it: the queue invokes inside an InvokeStore
    // context, where Powertools keeps a processor's state per invocation.
    const handler = async (event: SQSEvent, context: Context) =>
      processPartialResponse(event, async (record: SQSRecord) => {
        const { n } = JSON.parse(record.body) as { n: number };
        seen.push(`${n}#${record.attributes.ApproximateReceiveCount}`);
        if (n === 2 && record.attributes.ApproximateReceiveCount === '1') throw new Error('transient');
      }, new BatchProcessor(EventType.SQS), { context });
    await queue.send([{ body: { n: 1 } }, { body: { n: 2 } }]);

    // Act
    queue.consume(handler);
    await queue.drain(2000);

    // Assess
    expect(seen).toEqual(['1#1', '2#1', '2#2']);
  });
});

describe('LocalQueue delays', () => {
  it('holds a message sent with delaySeconds until the scaled delay has passed', async () => {
    // Prepare
    const { queue } = createQueue<string>('delays');
    const sentAt = Date.now();
    await queue.send([{ body: 'later', delaySeconds: 10 }, { body: 'now' }]);
    expect(queue.depth()).toEqual({ visible: 1, inFlight: 0, delayed: 1 });

    // Act
    const deliveries = consumeWith(queue);
    await waitFor(() => records(deliveries).length === 2);

    // Assess
    const [now, later] = deliveries;
    expect(now?.event.Records.map((record) => record.body)).toEqual(['"now"']);
    expect(later?.event.Records.map((record) => record.body)).toEqual(['"later"']);
    expect(later!.at - sentAt).toBeGreaterThanOrEqual(100);
  });

  it('rejects a delay SQS would reject, and sends nothing of that call', async () => {
    // Prepare
    const { queue } = createQueue<string>('bad-delay');

    // Act
    const sending = queue.send([{ body: 'ok' }, { body: 'too late', delaySeconds: 901 }]);

    // Assess
    await expect(sending).rejects.toBeInstanceOf(ValidationError);
    expect(queue.peek()).toEqual([]);
  });

  it('rejects a body that cannot be serialised', async () => {
    // Prepare
    const { queue } = createQueue<unknown>('bad-body');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;

    // Act
    const sending = queue.send([{ body: cyclic }]);

    // Assess
    await expect(sending).rejects.toThrow(/cannot be serialised/);
  });
});

describe('LocalQueue failures', () => {
  it('redelivers only the items a batch response names, after the visibility timeout, with a higher receive count', async () => {
    // Prepare
    const { queue } = createQueue<string>('partial');
    await queue.send([{ body: 'good' }, { body: 'bad' }]);

    // Act
    const deliveries = consumeWith(queue, async (event, call) => {
      if (call > 1) return undefined;
      const bad = event.Records.filter((record) => record.body === '"bad"');
      return { batchItemFailures: bad.map((record) => ({ itemIdentifier: record.messageId })) };
    });
    await waitFor(() => deliveries.length === 2);
    await queue.drain(1000);

    // Assess
    const retried = deliveries[1]?.event.Records ?? [];
    expect(retried.map((record) => record.body)).toEqual(['"bad"']);
    expect(retried[0]?.attributes.ApproximateReceiveCount).toBe('2');
    const firstReceivedAt = Number(retried[0]?.attributes.ApproximateFirstReceiveTimestamp);
    expect(deliveries[1]!.at - firstReceivedAt).toBeGreaterThanOrEqual(50);
    expect(records(deliveries).filter((record) => record.body === '"good"')).toHaveLength(1);
  });

  it('redelivers the whole batch when the handler throws, and reports the error through the log hook', async () => {
    // Prepare
    const { queue, logs } = createQueue<number>('throws');
    await queue.send([{ body: 1 }, { body: 2 }, { body: 3 }]);

    // Act
    const deliveries = consumeWith(queue, async (_event, call) => {
      if (call === 1) throw new Error('database down');
    });
    await waitFor(() => deliveries.length === 2);
    await queue.drain(1000);

    // Assess
    const [first, second] = deliveries;
    expect(second?.event.Records.map((record) => record.messageId)).toEqual(first?.event.Records.map((record) => record.messageId));
    expect(second?.event.Records.map((record) => record.attributes.ApproximateReceiveCount)).toEqual(['2', '2', '2']);
    const failure = logs.find((entry) => entry.event === 'handler-failed');
    expect(failure?.level).toBe('error');
    expect((failure?.error as Error).message).toBe('database down');
    expect(failure?.messageIds).toHaveLength(3);
  });

  it('treats a batch response naming an unknown message as a failure of the whole batch', async () => {
    // Prepare
    const { queue, logs } = createQueue<string>('invalid-response');
    await queue.send([{ body: 'a' }, { body: 'b' }]);

    // Act
    const deliveries = consumeWith(queue, async (_event, call) => (call === 1 ? { batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] } : undefined));
    await waitFor(() => deliveries.length === 2);

    // Assess
    expect(deliveries[1]?.event.Records).toHaveLength(2);
    expect(logs.map((entry) => entry.event)).toContain('batch-response-invalid');
  });

  it('moves a message past maxReceiveCount to the dead-letter queue exactly once and never delivers it again', async () => {
    // Prepare
    const { queue: dlq } = createQueue<string>('poison-dlq');
    const { queue, logs } = createQueue<string>('poison', { maxReceiveCount: 3, deadLetterQueue: dlq });
    await queue.send([{ body: 'poison' }]);

    // Act
    const deliveries = consumeWith(queue, async () => {
      throw new Error('always fails');
    });
    await waitFor(() => dlq.peek().length > 0);
    await pause(200); // four more visibility timeouts: time enough for a wrong extra delivery or a second move

    // Assess
    expect(deliveries).toHaveLength(3);
    expect(deliveries.map((delivery) => delivery.event.Records[0]?.attributes.ApproximateReceiveCount)).toEqual(['1', '2', '3']);
    const dead = dlq.peek();
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({
      messageId: deliveries[0]?.event.Records[0]?.messageId,
      body: '"poison"',
      deadLetterQueueSourceArn: queue.arn,
    });
    expect(queue.peek()).toEqual([]);
    expect(logs.filter((entry) => entry.event === 'message-dead-lettered')).toHaveLength(1);
  });

  it('drops a message past maxReceiveCount with a warning when there is no dead-letter queue', async () => {
    // Prepare
    const { queue, logs } = createQueue<string>('no-dlq', { maxReceiveCount: 1 });
    await queue.send([{ body: 'poison' }]);

    // Act
    const deliveries = consumeWith(queue, async () => {
      throw new Error('always fails');
    });
    await queue.drain(1000);

    // Assess
    expect(deliveries).toHaveLength(1);
    const dropped = logs.filter((entry) => entry.event === 'message-dropped');
    expect(dropped).toHaveLength(1);
    expect(dropped[0]?.level).toBe('warn');
  });

  it('redrives dead-lettered messages back with a fresh receive count', async () => {
    // Prepare
    const { queue: dlq } = createQueue<string>('redrive-dlq');
    const { queue } = createQueue<string>('redrive', { maxReceiveCount: 1, deadLetterQueue: dlq });
    await queue.send([{ body: 'once broken' }]);
    let broken = true;
    const deliveries = consumeWith(queue, async () => {
      if (broken) throw new Error('bug');
    });
    await waitFor(() => dlq.peek().length === 1);

    // Act
    broken = false;
    const moved = dlq.redrive(queue);
    await waitFor(() => deliveries.length === 2);
    await queue.drain(1000);

    // Assess
    expect(moved).toBe(1);
    expect(dlq.peek()).toEqual([]);
    expect(deliveries[1]?.event.Records[0]?.body).toBe('"once broken"');
    expect(deliveries[1]?.event.Records[0]?.attributes.ApproximateReceiveCount).toBe('1');
  });
});

describe('LocalQueue lifecycle', () => {
  it('waits in stop() for the batch in the handler, settles it, and delivers nothing afterwards', async () => {
    // Prepare
    const { queue } = createQueue<string>('stopping');
    let release: () => void = () => undefined;
    const handlerBlocked = new Promise<void>((resolve) => {
      release = resolve;
    });
    const deliveries = consumeWith(queue, () => handlerBlocked);
    await queue.send([{ body: 'in flight' }]);
    await waitFor(() => deliveries.length === 1);

    // Act
    let stopped = false;
    const stopping = queue.stop().then(() => {
      stopped = true;
    });
    await pause(30);
    const stoppedBeforeRelease = stopped;
    release();
    await stopping;
    await queue.send([{ body: 'after stop' }]);
    await pause(50);

    // Assess
    expect(stoppedBeforeRelease).toBe(false);
    expect(deliveries).toHaveLength(1);
    expect(queue.peek().map((message) => message.body)).toEqual(['"after stop"']);
  });

  it('resolves drain() only once every message, including retries, is gone', async () => {
    // Prepare
    const { queue } = createQueue<string>('draining');
    await queue.send([{ body: 'retry me' }, { body: 'delayed', delaySeconds: 5 }]);
    const deliveries = consumeWith(queue, async (event, call) =>
      call === 1 ? { batchItemFailures: event.Records.map((record) => ({ itemIdentifier: record.messageId })) } : undefined,
    );

    // Act
    await queue.drain(2000);

    // Assess
    expect(records(deliveries).map((record) => record.body).sort()).toEqual(['"delayed"', '"retry me"', '"retry me"']);
    expect(queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('rejects drain() with the depth when nothing empties the queue in time', async () => {
    // Prepare
    const { queue } = createQueue<string>('stuck');
    await queue.send([{ body: 'nobody reads me' }]);

    // Act
    const draining = queue.drain(30);

    // Assess
    await expect(draining).rejects.toThrow(BusError);
    await expect(queue.drain(30)).rejects.toThrow(/visible=1, inFlight=0, delayed=0/);
  });

  it('refuses a second consumer on the same queue', () => {
    // Prepare
    const { queue } = createQueue<string>('single-consumer');
    consumeWith(queue);

    // Act
    const consumeAgain = () => consumeWith(queue);

    // Assess
    expect(consumeAgain).toThrow(BusError);
  });

  it('runs up to `concurrency` batches at the same time', async () => {
    // Prepare
    const { queue } = createQueue<number>('parallel', { batchSize: 1, concurrency: 2 });
    let running = 0;
    let mostAtOnce = 0;
    queue.consume(async () => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      await pause(20);
      running -= 1;
    });

    // Act
    await queue.send([{ body: 1 }, { body: 2 }, { body: 3 }, { body: 4 }]);
    await queue.drain(2000);

    // Assess
    expect(mostAtOnce).toBe(2);
  });

  it('rejects options SQS would not accept', () => {
    // Act
    const badName = () => new LocalQueue('bad name!', { visibilityTimeoutSeconds: 30, maxReceiveCount: 3 });
    const badReceiveCount = () => new LocalQueue('q', { visibilityTimeoutSeconds: 30, maxReceiveCount: 0 });

    // Assess
    expect(badName).toThrow(ValidationError);
    expect(badReceiveCount).toThrow(/maxReceiveCount/);
  });
});

describe('LocalQueue overlapping invocations', () => {
  it("keeps each invocation's correlation id and batch failures its own when batches run at the same time", async () => {
    // Prepare: one module-scope logger and handler, as an entry has; four batches in the handler at once.
    const lines: Record<string, unknown>[] = [];
    const logger = new Logger({ serviceName: 'overlap', logLevel: 'INFO' });
    (logger as unknown as { printLog: (level: number, log: { getAttributes(): Record<string, unknown> }) => void }).printLog = (_level, log) => {
      lines.push(log.getAttributes());
    };
    const { queue } = createQueue<{ n: number }>('overlap', { batchSize: 1, concurrency: 4 });
    const seen: string[] = [];
    const handler = withObservability(logger, async (event: SQSEvent, context: Context) =>
      processPartialResponse(event, async (record: SQSRecord) => {
        const { n } = JSON.parse(record.body) as { n: number };
        // Each record waits long enough for the other three batches to start and log meanwhile.
        await new Promise((resolve) => setTimeout(resolve, 30 - n * 5));
        logger.info('handled', { n, messageId: record.messageId });
        seen.push(`${n}#${record.attributes.ApproximateReceiveCount}`);
        if (n === 2 && record.attributes.ApproximateReceiveCount === '1') throw new Error('transient');
      }, new BatchProcessor(EventType.SQS), { context }),
    );
    await queue.send([0, 1, 2, 3].map((n) => ({ body: { n } })));

    // Act
    queue.consume(handler);
    await queue.drain(3000);

    // Assess: every line names its own message, and only record 2 was retried.
    const handled = lines.filter((line) => line.message === 'handled');
    expect(handled).toHaveLength(5);
    for (const line of handled) expect(line.correlation_id).toBe(line.messageId);
    expect(seen.sort()).toEqual(['0#1', '1#1', '2#1', '2#2', '3#1']);
  });
});
