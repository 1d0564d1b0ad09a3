import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '#domain/errors.js';
import { BusError, InProcessBus } from '#local/bus.js';
import type { BusLogEntry } from '#local/bus.js';

const buses: InProcessBus[] = [];

afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.stopAll()));
});

function createBus(): { bus: InProcessBus; logs: BusLogEntry[] } {
  const logs: BusLogEntry[] = [];
  const bus = new InProcessBus({ timeScale: 0.01, pollIntervalMs: 20, log: (entry) => logs.push(entry) });
  buses.push(bus);
  return { bus, logs };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('InProcessBus', () => {
  it('settles only after a message has gone topic -> queue -> delayed queue -> handler', async () => {
    // Prepare
    const { bus } = createBus();
    const topic = bus.createTopic('articles');
    const matcher = bus.createQueue<unknown>('matcher', { visibilityTimeoutSeconds: 5, maxReceiveCount: 3 });
    const delivery = bus.createQueue<{ article: string }>('delivery', { visibilityTimeoutSeconds: 5, maxReceiveCount: 3 });
    topic.subscribeQueue(matcher, { rawMessageDelivery: true });
    const delivered: string[] = [];
    matcher.consume(async (event: SQSEvent) => {
      await delivery.send(event.Records.map((record) => ({ body: { article: record.body }, delaySeconds: 10 })));
    });
    let failedOnce = false;
    delivery.consume(async (event): Promise<SQSBatchResponse> => {
      const batchItemFailures = [];
      for (const record of event.Records) {
        if (!failedOnce) {
          failedOnce = true;
          batchItemFailures.push({ itemIdentifier: record.messageId });
        } else {
          delivered.push((JSON.parse(record.body) as { article: string }).article);
        }
      }
      return { batchItemFailures };
    });

    // Act
    await topic.publish('a1');
    await bus.drainAll(3000);

    // Assess
    expect(delivered).toEqual(['a1']);
    for (const queue of bus.listQueues()) expect(queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('settles with messages left in a dead-letter queue nobody consumes', async () => {
    // Prepare
    const { bus } = createBus();
    const dlq = bus.createQueue<string>('work-dlq', { visibilityTimeoutSeconds: 5, maxReceiveCount: 3 });
    const work = bus.createQueue<string>('work', { visibilityTimeoutSeconds: 1, maxReceiveCount: 2, deadLetterQueue: dlq });
    work.consume(async () => {
      throw new Error('poison');
    });

    // Act
    await work.send([{ body: 'poison' }]);
    await bus.drainAll(3000);

    // Assess
    expect(dlq.peek().map((message) => message.body)).toEqual(['"poison"']);
    expect(work.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('rejects drainAll() naming the busy queue when a consumed queue cannot empty in time', async () => {
    // Prepare
    const { bus } = createBus();
    const stuck = bus.createQueue<string>('stuck', { visibilityTimeoutSeconds: 100, maxReceiveCount: 10 });
    stuck.consume(async () => {
      throw new Error('always');
    });
    await stuck.send([{ body: 'x' }]);

    // Act
    const draining = bus.drainAll(100);

    // Assess
    await expect(draining).rejects.toThrow(BusError);
    await expect(bus.drainAll(50)).rejects.toThrow(/stuck \(visible=0, inFlight=1, delayed=0\)/);
  });

  it('stops every consumer with stopAll()', async () => {
    // Prepare
    const { bus } = createBus();
    const handled: string[] = [];
    for (const name of ['one', 'two']) {
      bus.createQueue<string>(name, { visibilityTimeoutSeconds: 5, maxReceiveCount: 3 }).consume(async (event) => {
        handled.push(...event.Records.map((record) => record.body));
      });
    }

    // Act
    await bus.stopAll();
    await bus.queue<string>('one').send([{ body: 'late' }]);
    await bus.queue<string>('two').send([{ body: 'late' }]);
    await pause(60);

    // Assess
    expect(handled).toEqual([]);
    expect(bus.listQueues().map((queue) => queue.depth().visible)).toEqual([1, 1]);
  });

  it('passes its defaults to the queues it creates', async () => {
    // Prepare
    const { bus, logs } = createBus();
    const queue = bus.createQueue<string>('defaults', { visibilityTimeoutSeconds: 5, maxReceiveCount: 3 });
    queue.consume(async () => {
      throw new Error('logged through the bus hook');
    });

    // Act
    await queue.send([{ body: 'x' }]);
    const deadline = Date.now() + 1000;
    while (logs.length === 0 && Date.now() < deadline) await pause(5);

    // Assess
    expect(logs[0]).toMatchObject({ event: 'handler-failed', queue: 'defaults' });
  });

  it('refuses duplicate names and unknown lookups with clear errors', () => {
    // Prepare
    const { bus } = createBus();
    bus.createQueue('q', { visibilityTimeoutSeconds: 5, maxReceiveCount: 3 });
    bus.createTopic('t');

    // Act & Assess
    expect(() => bus.createQueue('q', { visibilityTimeoutSeconds: 5, maxReceiveCount: 3 })).toThrow(ValidationError);
    expect(() => bus.createTopic('t')).toThrow(ValidationError);
    expect(() => bus.queue('missing')).toThrow(NotFoundError);
    expect(() => bus.topic('missing')).toThrow(NotFoundError);
  });
});
