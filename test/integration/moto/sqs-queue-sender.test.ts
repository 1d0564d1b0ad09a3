// SqsQueueSender over the wire: SendMessageBatch against moto's SQS (the JSON protocol of the current SDK), with
// its limits (10 entries, 256 KiB a request), delays, and the messages of a refused batch named in the error.
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  type SendMessageBatchCommandInput,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessagingError, SqsQueueSender } from '#adapters/aws-messaging.js';
import { motoSkipReason, startMoto, type MotoServer } from '../../helpers/moto.js';

const skip = motoSkipReason();

/** Every message of the queue, read until it is empty (moto has no long-poll wait to honour here). */
async function drain(sqs: SQSClient, queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }));
    if (Messages.length === 0) return bodies;
    bodies.push(...Messages.map((m) => m.Body ?? ''));
  }
}

describe.skipIf(skip !== undefined)(`SqsQueueSender against moto${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let moto: MotoServer;
  let sqs: SQSClient;
  /** The SendMessageBatch requests the sender made, as sent. */
  const batches: SendMessageBatchCommandInput[] = [];

  beforeAll(async () => {
    moto = await startMoto();
    sqs = new SQSClient(moto.clientConfig);
    sqs.middlewareStack.add(
      (next) => async (args) => {
        if (args.input && typeof args.input === 'object' && 'Entries' in args.input) batches.push(args.input as SendMessageBatchCommandInput);
        return next(args);
      },
      { step: 'initialize', name: 'recordBatches' },
    );
  });
  afterAll(async () => {
    sqs?.destroy();
    await moto?.stop();
  });

  const createQueue = async (name: string, attributes: Record<string, string> = {}) =>
    (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;

  it('sends 25 messages in requests of at most 10 entries, and every one arrives once, as JSON', async () => {
    // Prepare
    const queueUrl = await createQueue('twenty-five');
    const sender = new SqsQueueSender<{ n: number }>(sqs, queueUrl);
    batches.length = 0;

    // Act
    await sender.send(Array.from({ length: 25 }, (_, n) => ({ id: `m${n}`, body: { n } })));

    // Assess
    expect(batches.map((b) => b.Entries?.length)).toEqual([10, 10, 5]);
    const received = (await drain(sqs, queueUrl)).map((body) => (JSON.parse(body) as { n: number }).n);
    expect(received.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, n) => n));
  });

  it('keeps each request under 256 KiB: twelve 100 KiB messages go two by two and arrive intact', async () => {
    // Prepare
    const queueUrl = await createQueue('big-bodies');
    const sender = new SqsQueueSender<{ n: number; blob: string }>(sqs, queueUrl);
    const blob = 'x'.repeat(100 * 1024);
    batches.length = 0;

    // Act
    await sender.send(Array.from({ length: 12 }, (_, n) => ({ body: { n, blob } })));

    // Assess
    expect(batches).toHaveLength(6);
    for (const batch of batches) {
      const bytes = (batch.Entries ?? []).reduce((sum, entry) => sum + Buffer.byteLength(entry.MessageBody ?? ''), 0);
      expect(bytes).toBeLessThanOrEqual(256 * 1024);
    }
    const received = (await drain(sqs, queueUrl)).map((body) => JSON.parse(body) as { n: number; blob: string });
    expect(received).toHaveLength(12);
    expect(received.every((message) => message.blob === blob)).toBe(true);
  });

  it('names the messages of a batch SQS refused, sends the other batches, and keeps the refusal as the cause', async () => {
    // Prepare: a queue for messages of at most 1 KiB, and one message of 2 KiB in the second batch.
    const queueUrl = await createQueue('small-messages', { MaximumMessageSize: '1024' });
    const sender = new SqsQueueSender<{ n: number; pad?: string }>(sqs, queueUrl);
    const messages = Array.from({ length: 15 }, (_, n) => ({ id: `m${n}`, body: n === 12 ? { n, pad: 'y'.repeat(2_048) } : { n } }));

    // Act
    const error = await sender.send(messages).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(MessagingError);
    expect((error as MessagingError).failedIds).toEqual(['m10', 'm11', 'm12', 'm13', 'm14']);
    expect((error as MessagingError).message).toMatch(/^5 of 15 messages were not sent/);
    expect(((error as MessagingError).cause as Error).name).toBe('InvalidParameterValue');
    const received = (await drain(sqs, queueUrl)).map((body) => (JSON.parse(body) as { n: number }).n);
    expect(received.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('delays a message by its delaySeconds, clamped to the 900 s SQS accepts', async () => {
    // Prepare
    const queueUrl = await createQueue('delayed');
    const sender = new SqsQueueSender<{ n: number }>(sqs, queueUrl);

    // Act
    await sender.send([
      { body: { n: 1 }, delaySeconds: 5_000 },
      { body: { n: 2 } },
    ]);

    // Assess
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessagesDelayed', 'ApproximateNumberOfMessages'] }),
    );
    expect(Attributes.ApproximateNumberOfMessagesDelayed).toBe('1');
    expect((await drain(sqs, queueUrl)).map((body) => (JSON.parse(body) as { n: number }).n)).toEqual([2]);
  });
});
