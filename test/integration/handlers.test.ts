// The handlers' failure paths, on real DynamoDB (dynalite) and a real feed server on loopback: what happens when
// a publish fails, a feed breaks, or a receiver fails, under at-least-once delivery.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoFeedRepository } from '#adapters/dynamo/feeds-repository.js';
import { composeDeliverer } from '#compose/deliverer.js';
import { composePoller } from '#compose/poller.js';
import { DeliveryError } from '#domain/errors.js';
import { newFeed } from '#domain/feed.js';
import type { AlertSender } from '#domain/ports.js';
import type { AlertPayload, ArticleEvent, DeliveryMessage, Subscription } from '#domain/types.js';
import { createDelivererHandler, deliverAlert } from '#handlers/deliverer.js';
import { DEFAULT_SETTINGS } from '#handlers/deps.js';
import { pollFeed, type PollerDeps } from '#handlers/poller.js';
import { scheduleDueFeeds } from '#handlers/scheduler.js';
import { createLogger } from '#shared/logger.js';
import { testPlatform, type TestPlatform } from '../helpers/platform.js';
import { startLocalTables, type LocalTables } from './dynamo/local-tables.js';

const logger = createLogger('test', 'SILENT');
const clock = { now: () => new Date() };

const RSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback News</title><link>https://loopback.example/</link>
<item><title>Parliament in Ottawa debates Canada's budget</title><link>https://loopback.example/a?utm_source=rss</link>
<description>Canadian lawmakers argued over taxes and spending.</description><pubDate>Tue, 03 Jun 2025 09:00:00 GMT</pubDate></item>
<item><title>Kenya wins the relay</title><link>https://loopback.example/b</link>
<description>The athletes from Nairobi won the final race.</description><pubDate>Tue, 03 Jun 2025 10:00:00 GMT</pubDate></item>
</channel></rss>`;

// No <language> anywhere: the language must come from the text.
const RSS_DE = `<?xml version="1.0"?><rss version="2.0"><channel><title>Nachrichten</title><link>https://de.example/</link>
<item><title>Bundestag beschließt neues Gesetz</title><link>https://de.example/1</link>
<description>Die Abgeordneten haben am Donnerstag in Berlin über das Gesetz abgestimmt, das nach langer Debatte mit einer knappen Mehrheit angenommen wurde.</description></item>
<item><title>Wetter</title><link>https://de.example/2</link></item>
</channel></rss>`;

describe('handlers on dynalite and loopback', () => {
  let local: LocalTables;
  let server: Server;
  let feedUrl: string;
  let status = 200;
  let feeds: DynamoFeedRepository;

  beforeAll(async () => {
    local = await startLocalTables('handlers-test');
    feeds = new DynamoFeedRepository(local.doc, local.names.feeds);
    server = createServer((req, res) => {
      if (req.url === '/moved.xml') return void res.writeHead(301, { location: '/feed.xml' }).end();
      if (req.url === '/temporary.xml') return void res.writeHead(302, { location: '/feed.xml' }).end();
      if (status !== 200) return void res.writeHead(status).end('unavailable');
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(req.url === '/de.xml' ? RSS_DE : RSS);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await local.close();
  });
  beforeEach(() => {
    status = 200;
  });

  /** The poller as composed for its Lambda, over these tables; every poll here fetches from one loopback host. */
  function pollerDeps(publish: (event: ArticleEvent) => Promise<void>): PollerDeps {
    return { ...composePoller(testPlatform(local, { polling: { hostSpacingMs: 0 } }), { logger }), articleEvents: { publish } };
  }

  it('announces an article on the retry when the first publish failed, and only then stops announcing it', async () => {
    // Prepare
    const feed = newFeed({ url: feedUrl, feedId: 'publish-fails' }, clock.now());
    await feeds.create(feed);
    const published: ArticleEvent[] = [];
    let failNext = true;
    const deps = pollerDeps(async (event) => {
      if (failNext) {
        failNext = false;
        throw new Error('SNS unavailable');
      }
      published.push(event);
    });

    // Act
    await expect(pollFeed(deps, feed.feedId)).rejects.toThrow('SNS unavailable');
    const retry = await pollFeed(deps, feed.feedId);
    const third = await pollFeed(deps, feed.feedId);

    // Assess
    expect(retry).toMatchObject({ status: 'ok', created: 2 });
    expect(third).toMatchObject({ status: 'ok', created: 0 });
    expect(published.map((e) => e.article.title).sort()).toEqual(["Kenya wins the relay", "Parliament in Ottawa debates Canada's budget"]);
    const canada = published.find((e) => e.article.title.startsWith('Parliament'))!;
    expect(canada.article.url).toBe('https://loopback.example/a');
    expect(canada.article.classification.countries[0]?.code).toBe('CA');
  });

  it('detects the language of a feed that declares none, for every item, even a one-word title', async () => {
    const feed = newFeed({ url: feedUrl.replace('/feed.xml', '/de.xml'), feedId: 'german-undeclared' }, clock.now());
    await feeds.create(feed);
    const published: ArticleEvent[] = [];

    await pollFeed(pollerDeps(async (event) => void published.push(event)), feed.feedId);

    expect(published).toHaveLength(2);
    expect(published.map((e) => e.article.language)).toEqual(['de', 'de']);
  });

  it('follows a permanent redirect and stores the new URL, but keeps the URL after a temporary one', async () => {
    const moved = newFeed({ url: feedUrl.replace('/feed.xml', '/moved.xml'), feedId: 'moved-permanently' }, clock.now());
    const temporary = newFeed({ url: feedUrl.replace('/feed.xml', '/temporary.xml'), feedId: 'moved-temporarily' }, clock.now());
    await feeds.create(moved);
    await feeds.create(temporary);

    const first = await pollFeed(pollerDeps(async () => {}), moved.feedId);
    const second = await pollFeed(pollerDeps(async () => {}), temporary.feedId);

    expect(first).toMatchObject({ status: 'ok' });
    expect(second).toMatchObject({ status: 'ok' });
    expect((await feeds.get(moved.feedId))?.url).toBe(feedUrl);
    expect((await feeds.get(temporary.feedId))?.url).toBe(temporary.url);
  });

  it('records a failing feed in its health with the reason and backs off, without throwing', async () => {
    // Prepare
    const feed = newFeed({ url: feedUrl.replace('/feed.xml', '/broken.xml'), feedId: 'http-503' }, clock.now());
    await feeds.create(feed);
    status = 503;

    // Act
    const first = await pollFeed(pollerDeps(async () => {}), feed.feedId);
    const second = await pollFeed(pollerDeps(async () => {}), feed.feedId);

    // Assess
    expect(first).toMatchObject({ status: 'failed', reason: 'http-503' });
    expect(second).toMatchObject({ status: 'failed', reason: 'http-503' });
    const stored = (await feeds.get(feed.feedId))!;
    expect(stored.health.consecutiveFailures).toBe(2);
    expect(stored.health.lastError).toBe('http-503');
    const waitSeconds = (Date.parse(stored.nextPollAt) - Date.now()) / 1000;
    expect(waitSeconds).toBeGreaterThan(feed.pollIntervalSeconds * 1.5);
  });

  it('enqueues each due feed once and not again on the next tick', async () => {
    // Prepare
    const due = newFeed({ url: 'https://sched.example/feed', feedId: 'sched-due' }, new Date(Date.now() - 1000));
    await feeds.create(due);
    const sent: string[] = [];
    const deps = {
      feeds,
      pollQueue: { send: async (messages: { body: { feedId: string } }[]) => void sent.push(...messages.map((m) => m.body.feedId)) },
      clock,
      logger,
      settings: DEFAULT_SETTINGS,
    };

    // Act
    await scheduleDueFeeds(deps);
    await scheduleDueFeeds(deps);

    // Assess
    expect(sent.filter((id) => id === 'sched-due')).toHaveLength(1);
  });

  describe('deliverer', () => {
    const subscription: Subscription = {
      subscriptionId: 'sub-deliverer',
      owner: 'test',
      topics: [],
      countries: ['CA'],
      keywords: [],
      channel: { type: 'sqs', queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/alerts' },
      status: 'active',
      createdAt: new Date().toISOString(),
    };
    const message = (deliveryKey: string): DeliveryMessage => ({
      deliveryId: `dlv-${deliveryKey}`,
      subscriptionId: subscription.subscriptionId,
      deliveryKey,
      alert: { id: `dlv-${deliveryKey}`, type: 'alert.created', version: '1' } as AlertPayload,
    });
    let deps: Parameters<typeof deliverAlert>[0];
    const sends: string[] = [];
    let platform: TestPlatform;
    // The retry queue and the DLQ are what the platform's queues received.
    const requeued = () => platform.sent.delivery.map((m) => m.body as DeliveryMessage);
    const deadLetters = () => platform.sent.deliveryDlq.map((m) => m.body as DeliveryMessage);
    let behaviour: 'ok' | 'retryable' | 'permanent' = 'ok';
    const sender: AlertSender = {
      async send(_sub, alert) {
        sends.push(alert.id);
        if (behaviour === 'retryable') throw new DeliveryError('503 from receiver', false, { httpStatus: 503 });
        if (behaviour === 'permanent') throw new DeliveryError('404 from receiver', true, { httpStatus: 404 });
      },
    };

    beforeAll(async () => {
      platform = testPlatform(local);
      deps = { ...composeDeliverer(platform, { logger }, { alertSender: sender }), random: () => 0.5 };
      await deps.subscriptions.put(subscription);
    });

    it('retries a retryable failure through the queue, then delivers once', async () => {
      behaviour = 'retryable';
      const first = await deliverAlert(deps, message('retry-me'));
      behaviour = 'ok';
      const retry = requeued().find((m) => m.deliveryKey === 'retry-me')!;

      const second = await deliverAlert(deps, retry);
      const third = await deliverAlert(deps, retry);

      expect(first).toBe('retry-scheduled');
      expect(retry.attempt).toBe(2);
      expect(second).toBe('delivered');
      expect(third).toBe('duplicate');
      expect(sends.filter((id) => id === 'dlv-retry-me')).toHaveLength(2);
      const record = await deps.deliveries.get(subscription.subscriptionId, 'retry-me');
      expect(record).toMatchObject({ status: 'delivered', attempts: 2 });
    });

    it('records a permanent failure and never sends it again', async () => {
      behaviour = 'permanent';

      const first = await deliverAlert(deps, message('gone'));
      behaviour = 'ok';
      const again = await deliverAlert(deps, message('gone'));

      expect(first).toBe('dead-lettered');
      expect(again).toBe('duplicate');
      expect(deadLetters().map((m) => m.deliveryKey)).toContain('gone');
      expect(sends.filter((id) => id === 'dlv-gone')).toHaveLength(1);
      expect((await deps.deliveries.get(subscription.subscriptionId, 'gone'))?.lastError).toContain('404');
    });

    it('delivers a message the previous version enqueued, which named the delivery key articleId', async () => {
      // Prepare: such messages stay in flight across a deploy, and in the DLQ for up to 14 days.
      behaviour = 'ok';
      const { deliveryKey, ...rest } = message('queued-before-the-rename');
      const record = (body: unknown, messageId: string) => ({ messageId, body: JSON.stringify(body) }) as SQSRecord;
      const event = { Records: [record({ ...rest, articleId: deliveryKey }, 'old'), record(rest, 'keyless')] } as SQSEvent;

      // Act
      const result = await createDelivererHandler(deps)(event, { awsRequestId: 'req-1' } as Context);

      // Assess
      expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'keyless' }]);
      expect(await deps.deliveries.get(subscription.subscriptionId, deliveryKey)).toMatchObject({ status: 'delivered' });
    });
  });
});
