import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { MessagingError, SnsTopic, SqsQueueSender, TopicArticleEventPublisher } from '#adapters/aws-messaging.js';
import { createAlertSender } from '#adapters/alert-senders/index.js';
import { DeliveryError } from '#domain/errors.js';
import type { AlertPayload, ArticleEvent, ClassifiedArticle, PollMessage, Subscription } from '#domain/types.js';

const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/poll';
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:articles';
const ALERTS_ARN = 'arn:aws:sns:eu-west-1:123456789012:alerts';

const sqsMock = mockClient(SQSClient);
const snsMock = mockClient(SNSClient);

beforeEach(() => {
  sqsMock.reset();
  snsMock.reset();
});

afterEach(() => {
  sqsMock.reset();
  snsMock.reset();
});

const article: ClassifiedArticle = {
  articleId: 'art_1',
  storyId: 'art_1',
  url: 'https://news.example.com/a',
  title: 'Putin and Xi meet',
  summary: 'Talks in Moscow',
  publishedAt: '2025-03-01T10:00:00.000Z',
  fetchedAt: '2025-03-01T10:05:00.000Z',
  feedId: 'feed_1',
  sourceName: 'Example News',
  language: 'en',
  classification: {
    language: 'en',
    topics: [
      { code: 'medtop:20000621', label: 'diplomacy', score: 0.8, evidence: [] },
      { code: 'medtop:11000000', label: 'politics', score: 0.7, evidence: [] },
    ],
    countries: [
      { code: 'RU', role: 'primary', score: 0.9, evidence: [] },
      { code: 'CN', role: 'mentioned', score: 0.6, evidence: [] },
    ],
    classifierVersion: 'v1',
  },
};

const event: ArticleEvent = { type: 'article.created', version: '1', eventId: 'evt_1', occurredAt: '2025-03-01T10:05:00.000Z', article };

const alert: AlertPayload = {
  type: 'alert.created',
  version: '1',
  id: 'dlv_abc',
  timestamp: '2025-03-01T10:06:00.000Z',
  subscriptionId: 'sub_1',
  article: {
    articleId: 'art_1',
    storyId: 'art_1',
    url: article.url,
    title: article.title,
    summary: article.summary,
    publishedAt: article.publishedAt,
    sourceName: article.sourceName,
    language: 'en',
  },
  classification: { topics: article.classification.topics, countries: article.classification.countries, classifierVersion: 'v1' },
  reasons: { topics: [], countries: [{ code: 'RU', role: 'primary', score: 0.9 }], keywords: [] },
};

function subscription(channel: Subscription['channel']): Subscription {
  return { subscriptionId: 'sub_1', owner: 'alice', topics: [], countries: ['RU'], keywords: [], channel, status: 'active', createdAt: '2025-01-01T00:00:00.000Z' };
}

function pollMessages(count: number): { body: PollMessage; id: string; delaySeconds?: number }[] {
  return Array.from({ length: count }, (_, i) => ({ body: { feedId: `feed_${i}`, scheduledAt: '2025-03-01T10:00:00.000Z' }, id: `feed_${i}` }));
}

function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: {} });
}

describe('SqsQueueSender', () => {
  it('sends 25 messages in 3 batches of 10, 10 and 5 with JSON bodies', async () => {
    // Prepare
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const sender = new SqsQueueSender<PollMessage>(new SQSClient({}), QUEUE_URL);
    const messages = pollMessages(25);

    // Act
    await sender.send(messages);

    // Assess
    const calls = sqsMock.commandCalls(SendMessageBatchCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([10, 10, 5]);
    expect(calls.every((c) => c.args[0].input.QueueUrl === QUEUE_URL)).toBe(true);
    const bodies = calls.flatMap((c) => c.args[0].input.Entries ?? []).map((e) => JSON.parse(e.MessageBody ?? 'null') as PollMessage);
    expect(bodies).toEqual(messages.map((m) => m.body));
    for (const call of calls) {
      const ids = (call.args[0].input.Entries ?? []).map((e) => e.Id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('passes delays through as DelaySeconds, clamped to what SQS accepts', async () => {
    // Prepare
    sqsMock.on(SendMessageBatchCommand).resolves({});
    const sender = new SqsQueueSender<PollMessage>(new SQSClient({}), QUEUE_URL);
    const [a, b, c] = pollMessages(3);

    // Act
    await sender.send([{ ...a!, delaySeconds: 30 }, { ...b!, delaySeconds: 5000 }, c!]);

    // Assess
    const entries = sqsMock.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries ?? [];
    expect(entries.map((e) => e.DelaySeconds)).toEqual([30, 900, undefined]);
  });

  it('makes no call for an empty list', async () => {
    // Prepare
    const sender = new SqsQueueSender<PollMessage>(new SQSClient({}), QUEUE_URL);

    // Act
    await sender.send([]);

    // Assess
    expect(sqsMock.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('throws naming the failed messages after sending every batch', async () => {
    // Prepare
    sqsMock
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: '3', Code: 'InternalError', SenderFault: false, Message: 'try again' }] })
      .resolvesOnce({ Failed: [] })
      .resolvesOnce({ Failed: [{ Id: '24', Code: 'InvalidParameterValue', SenderFault: true }] });
    const sender = new SqsQueueSender<PollMessage>(new SQSClient({}), QUEUE_URL);

    // Act
    const error = await sender.send(pollMessages(25)).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(MessagingError);
    expect((error as MessagingError).failedIds).toEqual(['feed_3', 'feed_24']);
    expect((error as MessagingError).message).toMatch(/2 of 25 .*feed_3 \(InternalError: try again\).*feed_24 \(InvalidParameterValue\)/);
    expect(sqsMock.commandCalls(SendMessageBatchCommand)).toHaveLength(3);
  });

  it('splits a batch that would exceed the 256 KiB request limit', async () => {
    // Prepare
    sqsMock.on(SendMessageBatchCommand).resolves({});
    const sender = new SqsQueueSender<{ blob: string }>(new SQSClient({}), QUEUE_URL);
    const big = { blob: 'x'.repeat(100 * 1024) };

    // Act
    await sender.send([{ body: big }, { body: big }, { body: big }]);

    // Assess
    expect(sqsMock.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries?.length)).toEqual([2, 1]);
  });
});

describe('TopicArticleEventPublisher over SNS', () => {
  /** No hierarchy: every code is its own top level. */
  const flat = () => undefined;
  const publisherOn = (parentOf: (code: string) => string | undefined = flat) => new TopicArticleEventPublisher(new SnsTopic(new SNSClient({}), TOPIC_ARN), parentOf);

  it('publishes the event with type, topics and countries attributes', async () => {
    // Prepare
    snsMock.on(PublishCommand).resolves({ MessageId: 'm1' });
    const publisher = publisherOn();

    // Act
    await publisher.publish(event);

    // Assess
    const input = snsMock.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input).toEqual({
      TopicArn: TOPIC_ARN,
      Message: JSON.stringify(event),
      MessageAttributes: {
        type: { DataType: 'String', StringValue: 'article.created' },
        topics: { DataType: 'String.Array', StringValue: '["medtop:20000621","medtop:11000000"]' },
        countries: { DataType: 'String.Array', StringValue: '["RU","CN"]' },
      },
    });
  });

  it('adds ancestor topic codes once, broadest first, from the hierarchy', async () => {
    // Prepare
    snsMock.on(PublishCommand).resolves({});
    const parents: Record<string, string> = { 'medtop:20000621': 'medtop:20000565', 'medtop:20000565': 'medtop:11000000' };
    const publisher = publisherOn((c) => parents[c]);

    // Act
    await publisher.publish(event);

    // Assess
    const topics = snsMock.commandCalls(PublishCommand)[0]?.args[0].input.MessageAttributes?.topics?.StringValue;
    expect(JSON.parse(topics ?? '[]')).toEqual(['medtop:11000000', 'medtop:20000565', 'medtop:20000621']);
  });

  it('leaves out array attributes that would be empty', async () => {
    // Prepare
    snsMock.on(PublishCommand).resolves({});
    const bare: ArticleEvent = { ...event, article: { ...article, classification: { ...article.classification, topics: [], countries: [] } } };

    // Act
    await publisherOn().publish(bare);

    // Assess
    expect(Object.keys(snsMock.commandCalls(PublishCommand)[0]?.args[0].input.MessageAttributes ?? {})).toEqual(['type']);
  });

  it('refuses an event larger than SNS accepts without calling SNS', async () => {
    // Prepare
    const huge: ArticleEvent = { ...event, article: { ...article, summary: 'x'.repeat(300 * 1024) } };

    // Act / Assess
    await expect(publisherOn().publish(huge)).rejects.toThrow(MessagingError);
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(0);
  });
});

describe('alert sender on the sqs and sns channels', () => {
  const sender = createAlertSender({
    policy: { allowLoopback: false },
    sqs: new SQSClient({}),
    sns: new SNSClient({}),
    alertsTopicArn: ALERTS_ARN,
    now: () => new Date('2025-03-01T10:06:00.000Z'),
  });
  const customerQueue = 'https://sqs.us-east-1.amazonaws.com/210987654321/my-alerts';

  it('sends the alert JSON to the subscriber queue with a type attribute', async () => {
    // Prepare
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm' });

    // Act
    await sender.send(subscription({ type: 'sqs', queueUrl: customerQueue }), alert);

    // Assess
    expect(sqsMock.commandCalls(SendMessageCommand)[0]?.args[0].input).toEqual({
      QueueUrl: customerQueue,
      MessageBody: JSON.stringify(alert),
      MessageAttributes: { type: { DataType: 'String', StringValue: 'alert.created' } },
    });
  });

  it('turns a missing queue into a permanent DeliveryError and throttling into a retryable one', async () => {
    // Prepare
    sqsMock.on(SendMessageCommand).rejectsOnce(awsError('QueueDoesNotExist')).rejectsOnce(awsError('RequestThrottled'));
    const sub = subscription({ type: 'sqs', queueUrl: customerQueue });

    // Act
    const missing = await sender.send(sub, alert).catch((e: unknown) => e);
    const throttled = await sender.send(sub, alert).catch((e: unknown) => e);

    // Assess
    expect(missing).toBeInstanceOf(DeliveryError);
    expect((missing as DeliveryError).permanent).toBe(true);
    expect(throttled).toBeInstanceOf(DeliveryError);
    expect((throttled as DeliveryError).permanent).toBe(false);
  });

  it('publishes to the alerts topic with subscriptionId, topic, country and language attributes', async () => {
    // Prepare
    snsMock.on(PublishCommand).resolves({ MessageId: 'm' });

    // Act
    await sender.send(subscription({ type: 'sns' }), alert);

    // Assess: the alert JSON as a plain message, so its attributes are delivered with it (the per-protocol format is
    // opt-in: test/unit/adapters/sns-alert-messages.test.ts); `topic` broadest first, each code once (diplomacy's
    // parent is politics, also the article's own topic).
    const input = snsMock.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.MessageStructure).toBeUndefined();
    expect(input).toMatchObject({
      TopicArn: ALERTS_ARN,
      MessageAttributes: {
        type: { DataType: 'String', StringValue: 'alert.created' },
        subscriptionId: { DataType: 'String', StringValue: 'sub_1' },
        language: { DataType: 'String', StringValue: 'en' },
        topic: { DataType: 'String.Array', StringValue: '["medtop:11000000","medtop:20000621"]' },
        country: { DataType: 'String.Array', StringValue: '["RU","CN"]' },
      },
    });
    expect(Object.keys(input?.MessageAttributes ?? {})).toHaveLength(5);
    expect(input?.Message).toBe(JSON.stringify(alert));
  });

  it('fails retryably when no alerts topic is configured', async () => {
    // Prepare
    const unconfigured = createAlertSender({ policy: { allowLoopback: false }, sqs: new SQSClient({}), sns: new SNSClient({}), now: () => new Date() });

    // Act
    const error = await unconfigured.send(subscription({ type: 'sns' }), alert).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).permanent).toBe(false);
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(0);
  });
});
