import { describe, expect, it } from 'vitest';
import { ValidationError } from '#domain/errors.js';
import { LocalQueue, LocalTopic } from '#local/bus.js';
import type { BusLogEntry, SnsMessageAttributes, SnsNotification } from '#local/bus.js';

// Queues here have no consumer: peek() shows exactly what a subscriber's queue received.
function createQueue(name: string): LocalQueue<unknown> {
  return new LocalQueue(name, { visibilityTimeoutSeconds: 30, maxReceiveCount: 3 });
}

const articleAttributes: SnsMessageAttributes = {
  topics: { DataType: 'String.Array', StringValue: '["medtop:11000000","medtop:04000000"]' },
  countries: { DataType: 'String.Array', StringValue: '["RU","UA"]' },
};

describe('LocalTopic delivery', () => {
  it('puts the message itself in the SQS body and the attributes in SQS format under raw delivery', async () => {
    // Prepare
    const topic = new LocalTopic('articles');
    const queue = createQueue('matcher');
    topic.subscribeQueue(queue, { rawMessageDelivery: true });
    const message = JSON.stringify({ type: 'article.created', eventId: 'e1' });

    // Act
    await topic.publish(message, articleAttributes);

    // Assess
    const [received] = queue.peek();
    expect(received?.body).toBe(message);
    expect(received?.messageAttributes).toEqual({
      topics: { dataType: 'String.Array', stringValue: '["medtop:11000000","medtop:04000000"]' },
      countries: { dataType: 'String.Array', stringValue: '["RU","UA"]' },
    });
  });

  it('wraps the message in an SNS notification without raw delivery', async () => {
    // Prepare
    const topic = new LocalTopic('alerts');
    const queue = createQueue('subscriber');
    topic.subscribeQueue(queue, { rawMessageDelivery: false });

    // Act
    const { messageId } = await topic.publish('{"hello":"world"}', { kind: { DataType: 'String', StringValue: 'alert' } });

    // Assess
    const [received] = queue.peek();
    expect(received?.messageAttributes).toEqual({});
    const notification = JSON.parse(received?.body ?? '') as SnsNotification;
    expect(notification).toMatchObject({
      Type: 'Notification',
      MessageId: messageId,
      TopicArn: 'arn:aws:sns:local:000000000000:alerts',
      Message: '{"hello":"world"}',
      MessageAttributes: { kind: { Type: 'String', Value: 'alert' } },
    });
    expect(new Date(notification.Timestamp).toISOString()).toBe(notification.Timestamp);
  });

  it('delivers one publish to every subscribed queue', async () => {
    // Prepare
    const topic = new LocalTopic('fan-out');
    const queues = [createQueue('one'), createQueue('two')];
    for (const queue of queues) topic.subscribeQueue(queue, { rawMessageDelivery: true });

    // Act
    await topic.publish('m');

    // Assess
    expect(queues.map((queue) => queue.peek().map((message) => message.body))).toEqual([['m'], ['m']]);
  });

  it('stops delivering to a queue once unsubscribed', async () => {
    // Prepare
    const topic = new LocalTopic('unsubscribing');
    const queue = createQueue('leaver');
    const subscription = topic.subscribeQueue(queue, { rawMessageDelivery: true });

    // Act
    subscription.unsubscribe();
    await topic.publish('m');

    // Assess
    expect(queue.peek()).toEqual([]);
  });
});

describe('LocalTopic filter policies', () => {
  it('delivers when any element of a String.Array attribute matches, and withholds when none does', async () => {
    // Prepare
    const topic = new LocalTopic('filtered');
    const politics = createQueue('politics');
    const everything = createQueue('everything');
    const logs: BusLogEntry[] = [];
    const quietTopic = new LocalTopic('filtered-logged', { log: (entry) => logs.push(entry) });
    topic.subscribeQueue(politics, { rawMessageDelivery: true, filterPolicy: { topics: ['medtop:11000000'] } });
    topic.subscribeQueue(everything, { rawMessageDelivery: true });
    quietTopic.subscribeQueue(politics, { rawMessageDelivery: true, filterPolicy: { topics: ['medtop:11000000'] } });

    // Act
    await topic.publish('politics and economy', articleAttributes);
    await topic.publish('sport only', { topics: { DataType: 'String.Array', StringValue: '["medtop:15000000"]' } });
    await quietTopic.publish('sport again', { topics: { DataType: 'String.Array', StringValue: '["medtop:15000000"]' } });

    // Assess
    expect(politics.peek().map((message) => message.body)).toEqual(['politics and economy']);
    expect(everything.peek().map((message) => message.body)).toEqual(['politics and economy', 'sport only']);
    expect(logs.map((entry) => entry.event)).toEqual(['notification-filtered']);
  });

  it('withholds a message that lacks an attribute the policy names', async () => {
    // Prepare
    const topic = new LocalTopic('missing-attribute');
    const queue = createQueue('russia');
    topic.subscribeQueue(queue, { rawMessageDelivery: true, filterPolicy: { countries: ['RU'] } });

    // Act
    await topic.publish('no countries', { topics: articleAttributes.topics! });

    // Assess
    expect(queue.peek()).toEqual([]);
  });

  it('refuses a subscription whose filter policy SNS would refuse', () => {
    // Prepare
    const topic = new LocalTopic('strict');
    const queue = createQueue('refused');

    // Act
    const subscribe = () => topic.subscribeQueue(queue, { rawMessageDelivery: true, filterPolicy: { topics: [{ wildcard: 'medtop:*' }] } });

    // Assess
    expect(subscribe).toThrow(ValidationError);
  });
});

describe('LocalTopic publish validation', () => {
  it.each([
    ['a Number that is not a number', { n: { DataType: 'Number', StringValue: 'abc' } }],
    ['a String.Array that is not JSON', { list: { DataType: 'String.Array', StringValue: 'RU,UA' } }],
    ['a String.Array that is not an array', { list: { DataType: 'String.Array', StringValue: '"RU"' } }],
  ] as const)('rejects %s and delivers nothing', async (_case, attributes) => {
    // Prepare
    const topic = new LocalTopic('validating');
    const queue = createQueue('untouched');
    topic.subscribeQueue(queue, { rawMessageDelivery: true });

    // Act
    const publishing = topic.publish('m', attributes as SnsMessageAttributes);

    // Assess
    await expect(publishing).rejects.toBeInstanceOf(ValidationError);
    expect(queue.peek()).toEqual([]);
  });

  it('logs, instead of failing the publish, when the wrapped notification outgrows what SQS accepts', async () => {
    // Prepare
    const logs: BusLogEntry[] = [];
    const topic = new LocalTopic('big-messages', { log: (entry) => logs.push(entry) });
    const raw = createQueue('raw-subscriber');
    const wrapped = createQueue('wrapped-subscriber');
    topic.subscribeQueue(raw, { rawMessageDelivery: true });
    topic.subscribeQueue(wrapped, { rawMessageDelivery: false });
    const nearLimit = 'x'.repeat(262_000);

    // Act
    const { messageId } = await topic.publish(nearLimit);

    // Assess
    expect(raw.peek().map((message) => message.body.length)).toEqual([262_000]);
    expect(wrapped.peek()).toEqual([]);
    const undeliverable = logs.filter((entry) => entry.event === 'notification-undeliverable');
    expect(undeliverable).toMatchObject([{ level: 'error', queue: 'wrapped-subscriber', messageIds: [messageId] }]);
  });
});
