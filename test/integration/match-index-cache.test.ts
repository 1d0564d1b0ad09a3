// The matcher keeps its match index warm and rebuilds it only when the subscriptions' version moves (dynalite).
import type { Context, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoSubscriptionRepository, SUBSCRIPTIONS_VERSION_ID } from '#adapters/dynamo/subscriptions-repository.js';
import type { SubscriptionRepository } from '#domain/ports.js';
import type { ArticleEvent, ClassifiedArticle, DeliveryMessage, Subscription } from '#domain/types.js';
import { createMatchIndexCache, createMatcherHandler } from '#handlers/matcher.js';
import { createLogger } from '#shared/logger.js';
import { buildSubscription } from './dynamo/fixtures.js';
import { startLocalTables, type LocalTables } from './dynamo/local-tables.js';

const logger = createLogger('test', 'SILENT');
const clock = { now: () => new Date('2025-03-01T12:00:00.000Z') };
const context = { functionName: 'matcher', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

const article: ClassifiedArticle = {
  articleId: 'art-1',
  storyId: 'art-1',
  url: 'https://news.example.com/a',
  title: 'Élysée talks on the Black Sea',
  summary: 'France and Ukraine met in Paris.',
  publishedAt: '2025-03-01T10:00:00.000Z',
  fetchedAt: '2025-03-01T10:05:00.000Z',
  feedId: 'feed-1',
  sourceName: 'Example',
  language: 'en',
  classification: {
    language: 'en',
    topics: [{ code: 'medtop:20000621', label: 'diplomacy', score: 0.8, evidence: [] }],
    countries: [{ code: 'FR', role: 'primary', score: 0.9, evidence: [] }],
    classifierVersion: 'test-1',
  },
};

/**
 * A wall clock the test moves by hand, and a monotonic clock that a timed repository's list() moves by `buildMs`:
 * a "slow build" without sleeping.
 */
function fakeTime({ buildMs }: { buildMs: number }) {
  let wallMs = Date.parse('2025-03-01T12:00:00.000Z');
  let monotonic = 0;
  return {
    clock: { now: () => new Date(wallMs) },
    monotonicMs: () => monotonic,
    advance(ms: number): void {
      wallMs += ms;
      monotonic += ms;
    },
    timed(repository: SubscriptionRepository): SubscriptionRepository {
      return Object.assign(Object.create(repository) as SubscriptionRepository, {
        list: async () => {
          const listed = await repository.list();
          monotonic += buildMs;
          wallMs += buildMs;
          return listed;
        },
      });
    },
  };
}

function sqsEvent(...articles: ClassifiedArticle[]): SQSEvent {
  return {
    Records: articles.map((a, i) => {
      const body: ArticleEvent = { type: 'article.created', version: '1', eventId: `evt-${i}`, occurredAt: a.fetchedAt, article: a };
      return {
        messageId: `msg-${i}`,
        receiptHandle: `rh-${i}`,
        body: JSON.stringify(body),
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'x', ApproximateFirstReceiveTimestamp: '0' },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:match',
        awsRegion: 'eu-west-1',
      };
    }),
  };
}

describe('subscriptions version and the warm match index (dynalite)', () => {
  let local: LocalTables;
  let repository: DynamoSubscriptionRepository;
  let lists: number;
  let counted: SubscriptionRepository;

  beforeAll(async () => {
    local = await startLocalTables('match-index-cache-test');
  });

  afterAll(async () => {
    await local.close();
  });

  beforeEach(async () => {
    // A fresh table per test: a new prefix would need new tables, so clear the items instead.
    repository = new DynamoSubscriptionRepository(local.doc, local.names.subscriptions);
    for (const sub of await repository.list()) await repository.delete(sub.subscriptionId);
    lists = 0;
    counted = Object.assign(Object.create(repository) as DynamoSubscriptionRepository, {
      list: async () => {
        lists++;
        return repository.list();
      },
    });
  });

  it('moves the version on every put, delete and status change, and never lists the version item', async () => {
    // Prepare
    const before = await repository.getVersion();

    // Act
    await repository.put(buildSubscription({ subscriptionId: 'v-1' }));
    const afterPut = await repository.getVersion();
    await repository.setStatus('v-1', 'paused');
    const afterStatus = await repository.getVersion();
    await repository.delete('v-1');
    const afterDelete = await repository.getVersion();
    const unchangedByMissingDelete = (await repository.delete('v-1'), await repository.getVersion());

    // Assess
    expect([afterPut, afterStatus, afterDelete]).toEqual([before + 1, before + 2, before + 3]);
    expect(unchangedByMissingDelete).toBe(afterDelete);
    expect((await repository.list()).map((s) => s.subscriptionId)).not.toContain(SUBSCRIPTIONS_VERSION_ID);
    expect(await repository.get(SUBSCRIPTIONS_VERSION_ID)).toBeUndefined();
    expect(await repository.delete(SUBSCRIPTIONS_VERSION_ID)).toBe(false);
    expect(await repository.getVersion()).toBe(afterDelete);
  });

  it('reuses the index while the version stands and rebuilds it at once when the version moves and builds are fast', async () => {
    // Prepare: builds that take no time and no minimum window, so nothing holds the change back.
    await repository.put(buildSubscription({ subscriptionId: 'fr', countries: ['FR'], topics: [] }));
    const cache = createMatchIndexCache({ subscriptions: counted, clock, logger }, { minRefreshMs: 0, monotonicMs: () => 0 });

    // Act
    const first = await cache.get();
    const second = await cache.get();
    await repository.put(buildSubscription({ subscriptionId: 'ua', countries: ['UA'], topics: [] }));
    const third = await cache.get();

    // Assess
    expect(second).toBe(first);
    expect(third).not.toBe(first);
    expect(lists).toBe(2);
    expect(third.stats.indexed).toBe(2);
  });

  it('picks up a moved version at the first batch after the minimum window when builds are fast', async () => {
    // Prepare: a 50 ms build, so the window is the 5 s minimum.
    const time = fakeTime({ buildMs: 50 });
    await repository.put(buildSubscription({ subscriptionId: 'fr', countries: ['FR'], topics: [] }));
    const cache = createMatchIndexCache({ subscriptions: time.timed(counted), clock: time.clock, logger }, { monotonicMs: time.monotonicMs });
    const first = await cache.get();
    await repository.put(buildSubscription({ subscriptionId: 'ua', countries: ['UA'], topics: [] }));

    // Act
    time.advance(4_999);
    const insideWindow = await cache.get();
    time.advance(1);
    const atWindow = await cache.get();

    // Assess
    expect(insideWindow).toBe(first);
    expect(atWindow).not.toBe(first);
    expect(atWindow.stats.indexed).toBe(2);
    expect(lists).toBe(2);
  });

  it('after a slow build, waits twice the build time before picking up a moved version, and logs that window', async () => {
    // Prepare: the scan and build take 20 s of (fake) monotonic time, so the window is 40 s after the build.
    const time = fakeTime({ buildMs: 20_000 });
    const info = vi.spyOn(logger, 'info');
    await repository.put(buildSubscription({ subscriptionId: 'fr', countries: ['FR'], topics: [] }));
    const cache = createMatchIndexCache({ subscriptions: time.timed(counted), clock: time.clock, logger }, { monotonicMs: time.monotonicMs });
    const first = await cache.get();
    await repository.put(buildSubscription({ subscriptionId: 'ua', countries: ['UA'], topics: [] }));

    // Act
    time.advance(39_999);
    const insideWindow = await cache.get();
    time.advance(1);
    const afterWindow = await cache.get();

    // Assess
    expect(insideWindow).toBe(first);
    expect(afterWindow).not.toBe(first);
    expect(afterWindow.stats.indexed).toBe(2);
    expect(lists).toBe(2);
    expect(info).toHaveBeenCalledWith('match index built', expect.objectContaining({ ms: 20_000, refreshWindowMs: 40_000 }));
    info.mockRestore();
  });

  it('rebuilds at the maximum age even inside a longer refresh window', async () => {
    // Prepare: a 200 s build makes a 400 s window, longer than the 300 s maximum age.
    const time = fakeTime({ buildMs: 200_000 });
    await repository.put(buildSubscription({ subscriptionId: 'fr', countries: ['FR'], topics: [] }));
    const cache = createMatchIndexCache({ subscriptions: time.timed(counted), clock: time.clock, logger }, { monotonicMs: time.monotonicMs });
    const first = await cache.get();
    await repository.put(buildSubscription({ subscriptionId: 'ua', countries: ['UA'], topics: [] }));

    // Act: the age counts from when the data was read, the start of the 200 s build; the window runs to 600 s.
    time.advance(100_000);
    const atMaxAge = await cache.get();
    time.advance(1);
    const pastMaxAge = await cache.get();

    // Assess
    expect(atMaxAge).toBe(first);
    expect(pastMaxAge).not.toBe(first);
    expect(pastMaxAge.stats.indexed).toBe(2);
  });

  it('shares one rebuild between batches that ask at the same time', async () => {
    // Prepare
    await repository.put(buildSubscription({ subscriptionId: 'fr', countries: ['FR'], topics: [] }));
    const cache = createMatchIndexCache({ subscriptions: counted, clock, logger });

    // Act
    const [a, b] = await Promise.all([cache.get(), cache.get()]);

    // Assess
    expect(a).toBe(b);
    expect(lists).toBe(1);
  });

  it('rebuilds after the maximum age even when the version did not move', async () => {
    // Prepare
    let nowMs = Date.parse('2025-03-01T12:00:00.000Z');
    const cache = createMatchIndexCache({ subscriptions: counted, clock: { now: () => new Date(nowMs) }, logger }, { maxAgeMs: 60_000 });

    // Act
    await cache.get();
    nowMs += 30_000;
    await cache.get();
    nowMs += 31_000;
    await cache.get();

    // Assess
    expect(lists).toBe(2);
  });

  it('matches through the handler, and a subscription paused between batches stops receiving once the window passed', async () => {
    // Prepare
    const sent: DeliveryMessage[] = [];
    const time = fakeTime({ buildMs: 10 });
    const deps = {
      subscriptions: counted,
      deliveryQueue: { send: async (messages: { body: DeliveryMessage }[]) => void sent.push(...messages.map((m) => m.body)) },
      clock: time.clock,
      logger,
    };
    const handler = createMatcherHandler(deps, createMatchIndexCache(deps, { monotonicMs: time.monotonicMs }));
    const subs: Subscription[] = [
      buildSubscription({ subscriptionId: 'politics', topics: ['medtop:11000000'], countries: [] }),
      buildSubscription({ subscriptionId: 'elysee', topics: [], countries: [], keywords: [], query: 'elysee AND "black sea"' }),
      buildSubscription({ subscriptionId: 'germany', topics: [], countries: ['DE'] }),
    ];
    for (const sub of subs) await repository.put(sub);

    // Act
    const firstBatch = await handler(sqsEvent(article), context);
    const firstIds = sent.splice(0).map((m) => m.subscriptionId).sort();
    await repository.setStatus('elysee', 'paused');
    // Inside the window the index is stale: the deliverer's re-read is what keeps the alert from being sent.
    await handler(sqsEvent({ ...article, articleId: 'art-2', storyId: 'art-2' }), context);
    const insideWindowIds = sent.splice(0).map((m) => m.subscriptionId).sort();
    time.advance(5_000);
    await handler(sqsEvent({ ...article, articleId: 'art-3', storyId: 'art-3' }), context);
    const afterWindowIds = sent.map((m) => m.subscriptionId).sort();

    // Assess
    expect(firstBatch).toEqual({ batchItemFailures: [] });
    expect(firstIds).toEqual(['elysee', 'politics']);
    expect(insideWindowIds).toEqual(['elysee', 'politics']);
    expect(afterWindowIds).toEqual(['politics']);
    expect(lists).toBe(2);
  });
});
