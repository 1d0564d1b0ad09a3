// How one local queue keeps its QueueStore in step with its in-memory map. Sends wait for their write (a send that
// resolved survives a crash); state changes no caller waits for (receive counts, moves, deletes) are tracked, so a
// consumer can wait for them before handing a batch over, and stop() can wait for them all.
import type { BusLog } from './bus-log.js';
import { writeLog } from './bus-log.js';
import type { QueueStore } from './queue-store.js';
import type { StoredMessage } from './sqs-message.js';

export class QueueWriteThrough {
  private readonly unsettled = new Set<Promise<void>>();

  constructor(
    private readonly queueName: string,
    private readonly store: QueueStore | undefined,
    private readonly log: BusLog,
  ) {}

  get durable(): boolean {
    return this.store !== undefined;
  }

  /** Writes still on their way. */
  get pending(): number {
    return this.unsettled.size;
  }

  /**
   * What the store held for this queue when it was opened. Messages that were in flight in the previous process
   * are visible at once (their consumer is gone) with their receive count kept, so one that kills the process
   * every time still reaches the dead-letter queue.
   */
  loaded(now: number): StoredMessage[] {
    if (this.store === undefined) return [];
    return this.store.loaded(this.queueName).map((message) => {
      const inFlight = message.receiveCount > 0 && message.visibleAt > now;
      return { ...message, receiptHandle: undefined, visibleAt: inFlight ? now : message.visibleAt };
    });
  }

  /** Resolves once the message is stored (at once without a store). */
  async put(message: StoredMessage): Promise<void> {
    if (this.store !== undefined) await this.store.put(this.queueName, message);
  }

  /** Writes the message's new state, without making the caller wait. */
  remember(message: StoredMessage): void {
    if (this.store !== undefined) this.track(this.store.put(this.queueName, message));
  }

  forget(messageId: string): void {
    if (this.store !== undefined) this.track(this.store.delete(this.queueName, messageId));
  }

  /** Resolves when every write tracked so far, and any started meanwhile, has been made. */
  async settle(): Promise<void> {
    while (this.unsettled.size > 0) await Promise.all([...this.unsettled]);
  }

  /** Resolves when the writes tracked so far have been made. */
  async caughtUp(): Promise<void> {
    await Promise.all([...this.unsettled]);
  }

  private track(write: Promise<void>): void {
    const tracked = write.catch((error: unknown) => {
      writeLog(this.log, {
        level: 'error',
        event: 'store-write-failed',
        message: `Queue "${this.queueName}" could not write to its store; a restart may receive a message again`,
        queue: this.queueName,
        error,
      });
    });
    this.unsettled.add(tracked);
    void tracked.finally(() => this.unsettled.delete(tracked));
  }
}
