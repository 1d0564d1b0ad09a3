// The sns channel publishes to ONE shared alerts topic whose endpoints filter on the story's attributes, so a story
// must reach the topic once however many sns subscriptions matched it. The deliverer runs on real DynamoDB (dynalite)
// with the real alert sender; only SNS itself is faked (aws-sdk-client-mock on a real SNSClient). The last block runs
// the whole local runtime and watches its in-process alerts topic.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAlertSender } from '#adapters/alert-senders/index.js';
import { DynamoDeliveryRepository } from '#adapters/dynamo/deliveries-repository.js';
import { DynamoDigestBuffer } from '#adapters/dynamo/digest-buffer-repository.js';
import { DynamoSubscriptionRepository } from '#adapters/dynamo/subscriptions-repository.js';
import { buildAlert, deliveryIdFor } from '#domain/alert.js';
import type { ArticleEvent, ClassifiedArticle, DeliveryMessage, OutboundAlert, Subscription } from '#domain/types.js';
import { generateWebhookSecret } from '#domain/webhook-signature.js';
import { ALERTS_TOPIC_DELIVERY_KEY, deliverAlert, RetryLaterError } from '#handlers/deliverer.js';
import { createUnsubscribeLinks } from '#domain/unsubscribe-link.js';
import { DEFAULT_SETTINGS } from '#handlers/deps.js';
import { createDeliveryGate } from '#handlers/delivery-gate.js';
import { sendDueDigests } from '#handlers/digest.js';
import type { LocalRuntime } from '#local/runtime.js';
import { createLogger } from '#shared/logger.js';
import { startTestRuntime } from '../helpers/runtime.js';
import { startLocalTables, type LocalTables } from './dynamo/local-tables.js';

const ALERTS_TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:newsalert-test-alerts';
const logger = createLogger('test', 'SILENT');
const snsMock = mockClient(SNSClient);

function putinArticle(storyId: string, revision?: number): ClassifiedArticle {
  const now = new Date().toISOString();
  return {
    articleId: storyId,
    storyId,
    url: `https://news.example/${storyId}`,
    title: 'Putin meets Xi in Beijing as diplomacy over trade resumes',
    summary: 'The Russian president arrived for two days of talks.',
    publishedAt: now,
    fetchedAt: now,
    feedId: 'feed-sns',
    sourceName: 'Example Wire',
    language: 'en',
    ...(revision === undefined ? {} : { revision }),
    classification: {
      language: 'en',
      topics: [{ code: 'medtop:11000000', label: 'politics', score: 0.8, evidence: [] }],
      countries: [
        { code: 'RU', role: 'primary', score: 0.95, evidence: [] },
        { code: 'CN', role: 'mentioned', score: 0.7, evidence: [] },
      ],
      classifierVersion: 'sns-test',
    },
  };
}

/** The delivery message the matcher sends for (subscription, story): same ids, same delivery key. */
function deliveryMessage(subscriptionId: string, article: ClassifiedArticle, type: 'alert.created' | 'story.updated' = 'alert.created'): DeliveryMessage {
  const key = type === 'story.updated' ? `${article.storyId}#u${article.revision ?? 0}` : article.storyId;
  const deliveryId = deliveryIdFor(subscriptionId, key);
  const alert = buildAlert({
    deliveryId,
    subscription: { subscriptionId },
    article,
    reasons: { topics: [], countries: [{ code: 'RU', role: 'primary', score: 0.95 }], keywords: [] },
    now: new Date(),
    type,
  });
  return { deliveryId, subscriptionId, deliveryKey: key, alert };
}

function subscriptionOn(subscriptionId: string, channel: Subscription['channel'], extra: Partial<Subscription> = {}): Subscription {
  return { subscriptionId, owner: 'sns-test', topics: [], countries: ['RU'], keywords: [], channel, status: 'active', createdAt: new Date().toISOString(), ...extra };
}

/** The alert of each publish: the `default` of a per-protocol message (MessageStructure json), else the message. */
function publishedAlerts(): OutboundAlert[] {
  return snsMock.commandCalls(PublishCommand).map((call) => {
    const { Message, MessageStructure } = call.args[0].input;
    const body = MessageStructure === 'json' ? (JSON.parse(Message ?? '{}') as { default: string }).default : Message;
    return JSON.parse(body ?? '{}') as OutboundAlert;
  });
}

/** An AWS SDK service error as the SDK throws it: the class name is in `name`. */
function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

describe('the sns channel publishes each story once to the alerts topic', () => {
  let local: LocalTables;
  let subscriptions: DynamoSubscriptionRepository;
  let deliveries: DynamoDeliveryRepository;
  let deps: Parameters<typeof deliverAlert>[0];
  let requeued: DeliveryMessage[];
  let deadLetters: DeliveryMessage[];
  let offsetMs = 0;
  const clock = { now: () => new Date(Date.now() + offsetMs) };

  // A loopback receiver for the webhook subscription, checking each signature with the reference library.
  let server: Server;
  let hookUrl = '';
  const hookSecret = generateWebhookSecret((n) => randomBytes(n));
  const hookRequests: { verified: boolean; payload?: OutboundAlert }[] = [];
  const verify = (headers: IncomingHttpHeaders, body: string) => {
    const flat: Record<string, string> = {};
    for (const [key, value] of Object.entries(headers)) if (typeof value === 'string') flat[key] = value;
    try {
      return { verified: true, payload: new Webhook(hookSecret).verify(body, flat) as OutboundAlert };
    } catch {
      return { verified: false };
    }
  };

  beforeAll(async () => {
    local = await startLocalTables('sns-once');
    subscriptions = new DynamoSubscriptionRepository(local.doc, local.names.subscriptions);
    deliveries = new DynamoDeliveryRepository(local.doc, local.names.deliveries);
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        hookRequests.push(verify(req.headers, Buffer.concat(chunks).toString('utf8')));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;

    for (const id of ['sns-russia', 'sns-diplomacy', 'sns-china']) await subscriptions.put(subscriptionOn(id, { type: 'sns' }));
    await subscriptions.put(subscriptionOn('hook-russia', { type: 'webhook', url: hookUrl, secret: hookSecret }));
    for (const id of ['sns-daily-a', 'sns-daily-b']) {
      await subscriptions.put(subscriptionOn(id, { type: 'sns' }, { frequency: { mode: 'daily', timeZone: 'UTC', at: '08:00' } }));
    }
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await local.close();
  });

  beforeEach(() => {
    snsMock.reset();
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
    requeued = [];
    deadLetters = [];
    hookRequests.length = 0;
    offsetMs = 0;
    deps = {
      subscriptions,
      deliveries,
      alertSender: createAlertSender({
        policy: { allowLoopback: true },
        sqs: new SQSClient({ region: 'eu-west-1' }),
        sns: new SNSClient({ region: 'eu-west-1' }),
        alertsTopicArn: ALERTS_TOPIC_ARN,
        now: () => clock.now(),
      }),
      deliveryQueue: { send: async (messages) => void requeued.push(...messages.map((m) => m.body)) },
      deliveryDeadLetters: { send: async (message) => void deadLetters.push(message) },
      unsubscribeLinks: createUnsubscribeLinks({ secret: 'sns-once-per-story-unsubscribe-key', baseUrl: 'https://api.example' }),
      digestBuffer: new DynamoDigestBuffer(local.doc, local.names.digests),
      clock,
      random: () => 0.5,
      logger,
      settings: DEFAULT_SETTINGS,
      deliveryGate: createDeliveryGate(),
    };
  });

  /** SQS brings a message back after its visibility timeout, which outlasts the delivery lease. */
  const afterVisibilityTimeout = () => {
    offsetMs += (DEFAULT_SETTINGS.deliveryLeaseSeconds + 1) * 1000;
  };

  it('publishes a story matched by two sns subscriptions once, and records it delivered for both', async () => {
    // Prepare
    const article = putinArticle('story-two-subs');

    // Act
    const first = await deliverAlert(deps, deliveryMessage('sns-russia', article));
    const second = await deliverAlert(deps, deliveryMessage('sns-diplomacy', article));

    // Assess
    expect([first, second]).toEqual(['delivered', 'coalesced']);
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(1);
    const [call] = snsMock.commandCalls(PublishCommand);
    expect(call?.args[0].input).toMatchObject({
      TopicArn: ALERTS_TOPIC_ARN,
      MessageAttributes: { subscriptionId: { StringValue: 'sns-russia' }, country: { StringValue: '["RU","CN"]' } },
    });
    expect(await deliveries.get('sns-russia', 'story-two-subs')).toMatchObject({ status: 'delivered' });
    expect(await deliveries.get('sns-diplomacy', 'story-two-subs')).toMatchObject({ status: 'delivered' });
    expect(await deliveries.get(ALERTS_TOPIC_DELIVERY_KEY, 'story-two-subs')).toMatchObject({
      status: 'delivered',
      deliveryId: deliveryIdFor('sns-russia', 'story-two-subs'),
    });
  });

  it('publishes once when three sns subscriptions are delivered side by side, the losers settling on redelivery', async () => {
    // Prepare
    const article = putinArticle('story-three-subs');
    const messages = ['sns-russia', 'sns-diplomacy', 'sns-china'].map((id) => deliveryMessage(id, article));

    // Act: one batch processed in parallel, then SQS redelivers what threw.
    const settled = await Promise.allSettled(messages.map((message) => deliverAlert(deps, message)));
    const retried = messages.filter((_, i) => settled[i]?.status === 'rejected');
    afterVisibilityTimeout();
    const redelivered = await Promise.all(retried.map((message) => deliverAlert(deps, message)));

    // Assess
    for (const result of settled) {
      if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(RetryLaterError);
    }
    const outcomes = [...settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])), ...redelivered].sort();
    expect(outcomes).toEqual(['coalesced', 'coalesced', 'delivered']);
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(1);
    for (const id of ['sns-russia', 'sns-diplomacy', 'sns-china']) {
      expect(await deliveries.get(id, 'story-three-subs'), id).toMatchObject({ status: 'delivered' });
    }
  });

  it('still publishes once when every delivery message arrives twice', async () => {
    // Prepare
    const article = putinArticle('story-duplicated');
    const russia = deliveryMessage('sns-russia', article);
    const diplomacy = deliveryMessage('sns-diplomacy', article);

    // Act
    const outcomes = [];
    for (const message of [russia, diplomacy, russia, diplomacy]) outcomes.push(await deliverAlert(deps, structuredClone(message)));

    // Assess
    expect(outcomes).toEqual(['delivered', 'coalesced', 'duplicate', 'duplicate']);
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('leaves a story whose publish failed to the next subscription, and settles the failed one on its retry', async () => {
    // Prepare
    snsMock.on(PublishCommand).rejectsOnce(awsError('Throttling', 'Rate exceeded')).resolves({ MessageId: 'm-2' });
    const article = putinArticle('story-publish-fails');

    // Act
    const failed = await deliverAlert(deps, deliveryMessage('sns-russia', article));
    const sharedAfterFailure = await deliveries.get(ALERTS_TOPIC_DELIVERY_KEY, 'story-publish-fails');
    const other = await deliverAlert(deps, deliveryMessage('sns-diplomacy', article));
    const retry = requeued.find((m) => m.subscriptionId === 'sns-russia')!;
    const retried = await deliverAlert(deps, retry);

    // Assess
    expect([failed, other, retried]).toEqual(['retry-scheduled', 'delivered', 'coalesced']);
    expect(sharedAfterFailure).toMatchObject({ status: 'failed', lastError: expect.stringContaining('Throttling') });
    expect(sharedAfterFailure?.failedAt).toBeUndefined();
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(2);
    expect(publishedAlerts().map((a) => a.subscriptionId)).toEqual(['sns-russia', 'sns-diplomacy']);
    expect(await deliveries.get('sns-russia', 'story-publish-fails')).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(await deliveries.get('sns-diplomacy', 'story-publish-fails')).toMatchObject({ status: 'delivered' });
  });

  it('publishes on the retry of the subscription whose publish failed, and the later subscription settles on it', async () => {
    // Prepare
    snsMock.on(PublishCommand).rejectsOnce(awsError('InternalErrorException', 'try again')).resolves({ MessageId: 'm-3' });
    const article = putinArticle('story-retry-publishes');

    // Act
    const failed = await deliverAlert(deps, deliveryMessage('sns-russia', article));
    const retried = await deliverAlert(deps, requeued.find((m) => m.subscriptionId === 'sns-russia')!);
    const other = await deliverAlert(deps, deliveryMessage('sns-diplomacy', article));

    // Assess
    expect([failed, retried, other]).toEqual(['retry-scheduled', 'delivered', 'coalesced']);
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(2);
    expect(await deliveries.get('sns-diplomacy', 'story-retry-publishes')).toMatchObject({ status: 'delivered' });
  });

  it('never counts a publish that failed for good as published for the other subscriptions', async () => {
    // Prepare
    snsMock.on(PublishCommand).rejectsOnce(awsError('InvalidParameterException', 'bad attribute')).resolves({ MessageId: 'm-4' });
    const article = putinArticle('story-permanent-failure');

    // Act
    const failed = await deliverAlert(deps, deliveryMessage('sns-russia', article));
    const other = await deliverAlert(deps, deliveryMessage('sns-diplomacy', article));

    // Assess
    expect([failed, other]).toEqual(['dead-lettered', 'delivered']);
    expect(deadLetters.map((m) => m.subscriptionId)).toEqual(['sns-russia']);
    expect(publishedAlerts().map((a) => a.subscriptionId)).toEqual(['sns-russia', 'sns-diplomacy']);
    expect(await deliveries.get(ALERTS_TOPIC_DELIVERY_KEY, 'story-permanent-failure')).toMatchObject({ status: 'delivered' });
  });

  it('coalesces a story update per revision, not per story', async () => {
    // Prepare
    const first = putinArticle('story-updated', 1);
    const second = putinArticle('story-updated', 2);

    // Act
    const outcomes = [];
    for (const article of [first, second]) {
      for (const id of ['sns-russia', 'sns-diplomacy']) outcomes.push(await deliverAlert(deps, deliveryMessage(id, article, 'story.updated')));
    }

    // Assess
    expect(outcomes).toEqual(['delivered', 'coalesced', 'delivered', 'coalesced']);
    expect(publishedAlerts().map((a) => [a.type, a.id])).toEqual([
      ['story.updated', deliveryIdFor('sns-russia', 'story-updated#u1')],
      ['story.updated', deliveryIdFor('sns-russia', 'story-updated#u2')],
    ]);
  });

  it('keeps a webhook subscription and an sns subscription on one story apart', async () => {
    // Prepare
    const article = putinArticle('story-mixed');

    // Act
    const hookFirst = await deliverAlert(deps, deliveryMessage('hook-russia', article));
    const sharedAfterHook = await deliveries.get(ALERTS_TOPIC_DELIVERY_KEY, 'story-mixed');
    const sns = await deliverAlert(deps, deliveryMessage('sns-russia', article));
    const snsAgain = await deliverAlert(deps, deliveryMessage('sns-diplomacy', article));

    // Assess
    expect([hookFirst, sns, snsAgain]).toEqual(['delivered', 'delivered', 'coalesced']);
    expect(sharedAfterHook).toBeUndefined();
    expect(hookRequests).toHaveLength(1);
    expect(hookRequests[0]).toMatchObject({ verified: true, payload: { subscriptionId: 'hook-russia', article: { storyId: 'story-mixed' } } });
    expect(publishedAlerts().map((a) => a.subscriptionId)).toEqual(['sns-russia']);
  });

  it('publishes the digest of every sns subscriber, even of a story already published to the topic', async () => {
    // Prepare: sns-russia publishes the story at once; the daily subscriptions hold it for their digests.
    const article = putinArticle('story-in-digests');
    const instant = [];
    for (const id of ['sns-russia', 'sns-daily-a', 'sns-daily-b']) instant.push(await deliverAlert(deps, deliveryMessage(id, article)));
    offsetMs += 25 * 3600_000;
    const run = await sendDueDigests({ ...deps, clock });
    const digests = requeued.filter((m) => m.alert.type === 'digest.created');

    // Act
    const outcomes = [];
    for (const message of digests) outcomes.push(await deliverAlert(deps, message));

    // Assess
    expect(instant).toEqual(['delivered', 'held', 'held']);
    expect(run).toMatchObject({ digests: 2 });
    expect(outcomes).toEqual(['delivered', 'delivered']);
    const published = publishedAlerts();
    expect(published.map((a) => a.type)).toEqual(['alert.created', 'digest.created', 'digest.created']);
    expect(published.slice(1).map((a) => a.subscriptionId).sort()).toEqual(['sns-daily-a', 'sns-daily-b']);
  });
});

describe('the local runtime publishes a story matched by two sns subscriptions once to its alerts topic', () => {
  let runtime: LocalRuntime;
  /** What the topic carried about one story: the body and the message attributes. */
  let observed: (storyId: string) => { alert: OutboundAlert; attributes: Record<string, string | undefined> }[];

  beforeAll(async () => {
    runtime = await startTestRuntime();
    // An SNS -> SQS subscription on the alerts topic, never consumed: it keeps every message the topic carried.
    const observer = runtime.bus.createQueue<unknown>('alerts-observer', { visibilityTimeoutSeconds: 30, maxReceiveCount: 1_000 });
    runtime.bus.topic('alerts').subscribeQueue(observer, { rawMessageDelivery: true, filterPolicy: { country: ['RU'] } });
    observed = (storyId) =>
      observer
        .peek()
        .map((m) => ({
          alert: JSON.parse(m.body) as OutboundAlert,
          attributes: Object.fromEntries(Object.entries(m.messageAttributes).map(([name, a]) => [name, a.stringValue])),
        }))
        .filter(({ alert }) => alert.type !== 'digest.created' && alert.article.storyId === storyId);
    const subscribe = (subscriptionId: string, extra: Partial<Subscription>) =>
      runtime.deps.subscriptions.put({ ...subscriptionOn(subscriptionId, { type: 'sns' }, extra), countries: [], ...extra });
    await subscribe('sns-russia', { countries: ['RU'] });
    await subscribe('sns-diplomacy', { keywords: ['diplomacy'] });
  }, 30_000);

  afterAll(async () => {
    await runtime?.stop();
  });

  it('carries one message for the story and records it delivered for both subscriptions', async () => {
    // Prepare
    const article = putinArticle('story-local');
    const event: ArticleEvent = { type: 'article.created', version: '1', eventId: 'article.created:story-local', occurredAt: article.fetchedAt, article };

    // Act
    await runtime.deps.articleEvents.publish(event);
    await runtime.settle(20_000);

    // Assess
    const messages = observed('story-local');
    expect(messages).toHaveLength(1);
    expect(messages[0]!.alert.type).toBe('alert.created');
    expect(['sns-russia', 'sns-diplomacy']).toContain(messages[0]!.attributes.subscriptionId);
    expect(await runtime.deps.deliveries.get('sns-russia', 'story-local')).toMatchObject({ status: 'delivered' });
    expect(await runtime.deps.deliveries.get('sns-diplomacy', 'story-local')).toMatchObject({ status: 'delivered' });
    expect(runtime.bus.queue('delivery-dlq').peek()).toEqual([]);
  }, 30_000);

  it('settles every subscription of a batch that raced for the publish, none dead-lettered', async () => {
    // Prepare: a dozen sns subscriptions, delivered in parallel from one batch, so all but one find the publish busy.
    const ids = Array.from({ length: 12 }, (_, i) => `sns-many-${i}`);
    for (const id of ids) await runtime.deps.subscriptions.put(subscriptionOn(id, { type: 'sns' }, { countries: ['CN'] }));
    const article = putinArticle('story-local-many');
    const event: ArticleEvent = { type: 'article.created', version: '1', eventId: 'article.created:story-local-many', occurredAt: article.fetchedAt, article };

    // Act
    await runtime.deps.articleEvents.publish(event);
    await runtime.settle(20_000);

    // Assess
    expect(observed('story-local-many')).toHaveLength(1);
    const records = await Promise.all(ids.map((id) => runtime.deps.deliveries.get(id, 'story-local-many')));
    expect(records.map((r) => r?.status)).toEqual(ids.map(() => 'delivered'));
    expect(runtime.bus.queue('delivery-dlq').peek()).toEqual([]);
  }, 30_000);
});
