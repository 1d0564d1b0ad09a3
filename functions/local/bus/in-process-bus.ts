// Owns the named queues and topics of one local runtime, so it can stop them together and tell when the whole
// pipeline has settled.
import { NotFoundError, ValidationError } from '#domain/errors.js';
import { BusError } from './bus-log.js';
import type { BusLog } from './bus-log.js';
import { LocalQueue } from './local-queue.js';
import type { LocalQueueOptions } from './local-queue.js';
import type { QueueStore } from './queue-store.js';
import { LocalTopic } from './local-topic.js';

export interface InProcessBusOptions {
  /** Default for every queue created through this bus. @default 1 */
  timeScale?: number;
  /** Default for every queue created through this bus. @default 250 */
  pollIntervalMs?: number;
  /** Given to every queue and topic that does not bring its own. */
  log?: BusLog;
  /** Where every queue of this bus keeps its messages (queue-store.ts). @default - none: in memory only */
  store?: QueueStore;
}

export interface DrainAllOptions {
  /** Gap between the two consecutive settled checks, real ms. @default 10 */
  settleCheckMs?: number;
}

export class InProcessBus {
  private readonly queues = new Map<string, LocalQueue<unknown>>();
  private readonly topics = new Map<string, LocalTopic>();

  constructor(private readonly defaults: InProcessBusOptions = {}) {}

  createQueue<T>(name: string, options: LocalQueueOptions<T>): LocalQueue<T> {
    if (this.queues.has(name)) throw new ValidationError(`Queue "${name}" already exists on this bus`);
    const queue = new LocalQueue<T>(name, {
      ...(this.defaults.timeScale === undefined ? {} : { timeScale: this.defaults.timeScale }),
      ...(this.defaults.pollIntervalMs === undefined ? {} : { pollIntervalMs: this.defaults.pollIntervalMs }),
      ...(this.defaults.log === undefined ? {} : { log: this.defaults.log }),
      ...(this.defaults.store === undefined ? {} : { store: this.defaults.store }),
      ...options,
    });
    this.queues.set(name, queue);
    return queue;
  }

  /** The caller names the body type; the bus cannot check it. */
  queue<T>(name: string): LocalQueue<T> {
    const queue = this.queues.get(name);
    if (queue === undefined) throw new NotFoundError(`No queue "${name}" on this bus`);
    return queue;
  }

  createTopic(name: string): LocalTopic {
    if (this.topics.has(name)) throw new ValidationError(`Topic "${name}" already exists on this bus`);
    const topic = new LocalTopic(name, this.defaults.log === undefined ? {} : { log: this.defaults.log });
    this.topics.set(name, topic);
    return topic;
  }

  topic(name: string): LocalTopic {
    const topic = this.topics.get(name);
    if (topic === undefined) throw new NotFoundError(`No topic "${name}" on this bus`);
    return topic;
  }

  listQueues(): LocalQueue<unknown>[] {
    return [...this.queues.values()];
  }

  listTopics(): LocalTopic[] {
    return [...this.topics.values()];
  }

  /**
   * Stops every consumer, waiting at most graceMs (real ms) for the batches in handlers' hands; what is left stays in
   * the store for the next start. Then the store takes no more writes.
   */
  async stopAll(graceMs = Number.POSITIVE_INFINITY): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.stop(graceMs)));
    await this.defaults.store?.close();
  }

  /**
   * Resolves when every consumed queue is empty (no visible, in-flight or delayed message, no batch in a handler)
   * at the same moment, twice in a row `settleCheckMs` apart, so a handler that enqueues just after its batch
   * settled is still waited for. Queues without a consumer (DLQs, sink queues) are ignored: nothing would ever
   * empty them. Rejects with every busy queue's depth after timeoutMs (real ms).
   */
  async drainAll(timeoutMs: number, options: DrainAllOptions = {}): Promise<void> {
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) throw new ValidationError(`timeoutMs must be a number >= 0, got ${timeoutMs}`);
    const settleCheckMs = options.settleCheckMs ?? 10;
    const deadline = Date.now() + timeoutMs;
    let settledBefore = false;
    for (;;) {
      const settledNow = this.busyQueues().length === 0;
      if (settledNow && settledBefore) return;
      settledBefore = settledNow;
      if (Date.now() >= deadline) {
        const busy = this.busyQueues().map((queue) => {
          const { visible, inFlight, delayed } = queue.depth();
          return `${queue.name} (visible=${visible}, inFlight=${inFlight}, delayed=${delayed})`;
        });
        throw new BusError(`Bus did not settle within ${timeoutMs} ms; busy: ${busy.join(', ') || 'none at the last check'}`);
      }
      await new Promise((resolve) => setTimeout(resolve, settledNow ? settleCheckMs : Math.min(5, settleCheckMs)));
    }
  }

  private busyQueues(): LocalQueue<unknown>[] {
    return [...this.queues.values()].filter((queue) => queue.consuming && !queue.isSettled());
  }
}
