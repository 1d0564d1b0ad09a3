// Durable local queues (issue 14): a queue given a DynamoQueueStore resumes after a "restart" (a new store and
// new queues opened on the same dynalite data) with what the previous one had not deleted, with SQS semantics:
// in-flight messages come back at once, receive counts are kept (a poison message still reaches the DLQ), delays
// are kept, deleted messages stay deleted. A graceful stop waits a bounded time and leaves the rest queued.
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClients, startDynalite, type LocalDynamo } from '#adapters/dynamo/local-dynamo.js';
import type { LocalQueue} from '#local/bus.js';
import { DynamoQueueStore, InProcessBus, type BusLogEntry } from '#local/bus.js';

let dynalite: LocalDynamo;
let clients: ReturnType<typeof createDynamoClients>;
let table = 0;

beforeAll(async () => {
  dynalite = await startDynalite();
  clients = createDynamoClients({ endpoint: dynalite.endpoint });
});
afterAll(async () => {
  clients.client.destroy();
  await dynalite.close();
});

/** One process's bus on table `name`: a queue "work" with a DLQ, as the local runtime wires them. */
async function openBus(name: string, logs: BusLogEntry[] = []) {
  const store = await DynamoQueueStore.open(clients.client, clients.doc, name);
  const bus = new InProcessBus({ timeScale: 0.01, pollIntervalMs: 10, store, log: (entry) => logs.push(entry) });
  const dlq = bus.createQueue<string>('work-dlq', { visibilityTimeoutSeconds: 30, maxReceiveCount: 1000 });
  const work = bus.createQueue<string>('work', { visibilityTimeoutSeconds: 300, maxReceiveCount: 2, deadLetterQueue: dlq });
  return { bus, store, work, dlq };
}

const bodies = (queue: LocalQueue<string>) => queue.peek().map((m) => JSON.parse(m.body) as string);

function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const probe = () => (check() ? resolve() : Date.now() > deadline ? reject(new Error('timed out')) : setTimeout(probe, 10));
    probe();
  });
}

describe('durable local queue', () => {
  it('gives a restarted queue what was sent and not deleted, in send order, with delays kept', async () => {
    // Arrange
    const name = `queue-test-${(table += 1)}`;
    const first = await openBus(name);
    await first.work.send([{ body: 'one' }, { body: 'two' }, { body: 'three' }, { body: 'later', delaySeconds: 900 }]);
    const handled: string[] = [];
    first.work.consume(async (event: SQSEvent) => {
      handled.push(...event.Records.map((r) => JSON.parse(r.body) as string));
      // Only "one" succeeds; the others are reported failed and stay (in flight for 300 s x 0.01).
      return { batchItemFailures: event.Records.filter((r) => r.body !== '"one"').map((r) => ({ itemIdentifier: r.messageId })) };
    });
    await until(() => handled.length >= 3);
    await first.bus.stopAll(1_000);

    // Act
    const second = await openBus(name);

    // Assess
    expect(bodies(second.work)).toEqual(['two', 'three', 'later']);
    expect(second.work.depth()).toEqual({ visible: 2, inFlight: 0, delayed: 1 });
    expect(second.work.peek().map((m) => m.receiveCount)).toEqual([1, 1, 0]);
    await second.bus.stopAll();
  });

  it('moves a message that kills its consumer at every start to the DLQ after maxReceiveCount starts', async () => {
    // Arrange: each "process" receives the message and dies before settling it (the store is simply dropped).
    const name = `queue-test-${(table += 1)}`;
    const seed = await openBus(name);
    await seed.work.send([{ body: 'poison' }]);
    await seed.bus.stopAll();
    let receives = 0;
    for (let start = 0; start < 2; start += 1) {
      const crashed = await openBus(name);
      crashed.work.consume(() => {
        receives += 1;
        return new Promise(() => {});
      });
      await until(() => receives > start);
      await crashed.store.flush();
    }

    // Act
    const last = await openBus(name);
    last.work.consume(async () => {
      receives += 1;
    });
    await until(() => last.dlq.peek().length === 1);

    // Assess
    expect(receives).toBe(2);
    expect(bodies(last.dlq)).toEqual(['poison']);
    expect(last.work.peek()).toEqual([]);
    await last.bus.stopAll();
    expect(bodies((await openBus(name)).dlq)).toEqual(['poison']);
  });

  it('stops within the grace period and leaves a batch still being handled for the next start', async () => {
    // Arrange
    const name = `queue-test-${(table += 1)}`;
    const logs: BusLogEntry[] = [];
    const first = await openBus(name, logs);
    await first.work.send([{ body: 'slow' }, { body: 'quick' }]);
    let calls = 0;
    first.work.consume(async (event: SQSEvent) => {
      calls += 1;
      if (event.Records.some((r) => r.body === '"slow"')) await new Promise(() => {});
    });
    await until(() => calls === 1);

    // Act
    // Without the grace, this would wait for the stuck handler forever.
    await first.bus.stopAll(200);
    const second = await openBus(name);

    // Assess
    expect(logs.map((l) => l.event)).toContain('stopped-in-flight');
    expect(bodies(second.work).sort()).toEqual(['quick', 'slow']);
    expect(second.work.depth().visible).toBe(2);
    await second.bus.stopAll();
  });

  it('keeps a redriven DLQ message in its new queue only', async () => {
    // Arrange
    const name = `queue-test-${(table += 1)}`;
    const first = await openBus(name);
    await first.dlq.sendRaw('"failed"');
    first.dlq.redrive(first.work);
    await first.bus.stopAll();

    // Act
    const second = await openBus(name);

    // Assess
    expect(bodies(second.work)).toEqual(['failed']);
    expect(bodies(second.dlq)).toEqual([]);
    await second.bus.stopAll();
  });
});
