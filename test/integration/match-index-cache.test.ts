// The matcher keeps a live index fed by the subscriptions' change log (dynalite): no scan, a snapshot for new
// containers, shards that split the subscriptions, and a shard move that the deliverer deduplicates.
import type { Context, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemorySnapshotStore } from '#adapters/match-snapshots.js';
import { DynamoDeliveryRepository } from '#adapters/dynamo/deliveries-repository.js';
import { DynamoDigestBuffer } from '#adapters/dynamo/digest-buffer-repository.js';
import { DynamoSubscriptionRepository } from '#adapters/dynamo/subscriptions-repository.js';
import { liveCount } from '#domain/live-match-index.js';
import { decodeSnapshot, SNAPSHOT_FORMAT_VERSION } from '#domain/match-index-codec.js';
import type { AlertSender, SubscriptionRepository } from '#domain/ports.js';
import { shardOf, snapshotKeyOf, type ShardAssignment } from '#domain/subscription-shards.js';
import type { ArticleEvent, ClassifiedArticle, DeliveryMessage } from '#domain/types.js';
import { createUnsubscribeLinks } from '#domain/unsubscribe-link.js';
import { DEFAULT_SETTINGS } from '#handlers/deps.js';
import { createDeliveryGate } from '#handlers/delivery-gate.js';
import { deliverAlert } from '#handlers/deliverer.js';
import { writeMatchSnapshot } from '#handlers/match-snapshot.js';
import { createMatchIndexCache, createMatcherHandler, matchArticle } from '#handlers/matcher.js';
import { createLogger } from '#shared/logger.js';
import { buildSubscription } from './dynamo/fixtures.js';
import { startLocalTables, type LocalTables } from './dynamo/local-tables.js';

const logger = createLogger('test', 'SILENT');
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
const event = (a: ClassifiedArticle): ArticleEvent => ({ type: 'article.created', version: '1', eventId: `evt-${a.articleId}`, occurredAt: a.fetchedAt, article: a });

function sqsEvent(...articles: ClassifiedArticle[]): SQSEvent {
  return {
    Records: articles.map((a, i) => ({
      messageId: `msg-${i}`,
      receiptHandle: `rh-${i}`,
      body: JSON.stringify(event(a)),
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'x', ApproximateFirstReceiveTimestamp: '0' },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:match',
      awsRegion: 'eu-west-1',
    })),
  };
}

describe('the live match index over the change log (dynalite)', () => {
  let local: LocalTables;
  let repository: DynamoSubscriptionRepository;
  let nowMs: number;
  const clock = { now: () => new Date(nowMs) };
  let reads: number[];
  let counted: SubscriptionRepository;

  beforeAll(async () => {
    local = await startLocalTables('match-index-cache-test');
  });

  afterAll(async () => {
    await local.close();
  });

  beforeEach(async () => {
    nowMs = Date.parse('2025-03-01T12:00:00.000Z');
    repository = new DynamoSubscriptionRepository(local.doc, local.names.subscriptions, { nowMs: () => nowMs });
    for (const sub of await repository.list()) await repository.delete(sub.subscriptionId);
    reads = [];
    // Counts what each read of the change log returned, and fails any scan: the matcher must never list.
    counted = Object.assign(Object.create(repository) as DynamoSubscriptionRepository, {
      list: () => Promise.reject(new Error('the matcher scanned the table')),
      changesSince: async (after: number) => {
        const changes = await repository.changesSince(after);
        reads.push(changes.length);
        return changes;
      },
    });
  });

  it('makes a new, changed, paused or deleted subscription count at the first batch after the poll interval, without a scan', async () => {
    // Prepare
    await repository.put(buildSubscription({ subscriptionId: 'fr', countries: ['FR'], topics: [] }));
    const cache = createMatchIndexCache({ subscriptions: counted, clock, logger }, { pollIntervalMs: 1_000 });
    const ids = async () => {
      const sent: DeliveryMessage[] = [];
      await matchArticle({ subscriptions: counted, clock, logger, deliveryQueue: { send: async (m) => void sent.push(...m.map((x) => x.body)) } }, await cache.get(), event(article));
      return sent.map((m) => m.subscriptionId).sort();
    };

    // Act
    const first = await ids();
    await repository.put(buildSubscription({ subscriptionId: 'ua', countries: [], keywords: ['black sea'], topics: [] }));
    nowMs += 999;
    const insideInterval = await ids();
    nowMs += 1;
    const afterCreate = await ids();
    await repository.setStatus('fr', 'paused');
    await repository.put(buildSubscription({ subscriptionId: 'ua', countries: ['DE'], topics: [] }));
    await repository.put(buildSubscription({ subscriptionId: 'diplomacy', topics: ['medtop:20000621'], countries: [] }));
    await repository.delete('diplomacy');
    nowMs += 1_000;
    const afterChanges = await ids();

    // Assess
    expect(first).toEqual(['fr']);
    expect(insideInterval).toEqual(['fr']);
    expect(afterCreate).toEqual(['fr', 'ua']);
    expect(afterChanges).toEqual([]);
    expect(reads[0]).toBe(1);
  });

  it('starts a new container from the snapshot the job wrote, and reads only the changes since (with the lookback)', async () => {
    // Prepare
    const snapshots = new MemorySnapshotStore();
    for (let i = 0; i < 20; i++) await repository.put(buildSubscription({ subscriptionId: `fr-${i}`, countries: ['FR'], topics: [] }));
    nowMs += 120_000;
    await repository.put(buildSubscription({ subscriptionId: 'marker', countries: ['FR'], topics: [] }));
    const job = await writeMatchSnapshot({ subscriptions: repository, matchSnapshots: snapshots, clock, logger }, { shard: 0, count: 1 });
    nowMs += 60_000;
    await repository.put(buildSubscription({ subscriptionId: 'late', countries: ['FR'], topics: [] }));
    await repository.delete('fr-3');

    // Act
    const cache = createMatchIndexCache({ subscriptions: counted, matchSnapshots: snapshots, clock, logger });
    const index = await cache.get();

    // Assess
    expect(job).toMatchObject({ fromSnapshot: false, subscriptions: 21 });
    // The marker (inside the 30 s lookback before the snapshot's cursor), the late put and the delete.
    expect(reads).toEqual([3]);
    expect(liveCount(index)).toBe(21);
    expect(cache.snapshotAgeSeconds()).toBe(60);
  });

  it('reads the log from the start over a snapshot of an older format, and the job writes it anew in the current one', async () => {
    // Prepare
    const snapshots = new MemorySnapshotStore();
    const key = snapshotKeyOf({ shard: 0, count: 1 });
    await snapshots.write(key, new Uint8Array([...new TextEncoder().encode('NAMIDX1\n'), 2, 0, 0, 0, ...new TextEncoder().encode('{}')]));
    for (let i = 0; i < 5; i++) await repository.put(buildSubscription({ subscriptionId: `fr-${i}`, countries: ['FR'], topics: [] }));

    // Act
    const index = await createMatchIndexCache({ subscriptions: repository, matchSnapshots: snapshots, clock, logger }).get();
    const job = await writeMatchSnapshot({ subscriptions: repository, matchSnapshots: snapshots, clock, logger }, { shard: 0, count: 1 });
    const rewritten = (await snapshots.read(key)) as Uint8Array;

    // Assess
    expect(liveCount(index)).toBe(5);
    expect(job).toMatchObject({ fromSnapshot: false, subscriptions: 5 });
    expect(new TextDecoder().decode(rewritten.subarray(0, 8))).toBe(`NAMIDX${SNAPSHOT_FORMAT_VERSION}\n`);
    expect(liveCount(decodeSnapshot(rewritten).live)).toBe(5);
  });

  it('splits the subscriptions over shards, each matching only its own', async () => {
    // Prepare
    const ids = Array.from({ length: 12 }, (_, i) => `s-${i}`);
    for (const subscriptionId of ids) await repository.put(buildSubscription({ subscriptionId, countries: ['FR'], topics: [] }));
    const caches = [0, 1, 2].map((shard) => createMatchIndexCache({ subscriptions: counted, clock, logger }, { shard: { shard, count: 3 } }));

    // Act
    const owned = await Promise.all(caches.map(async (cache) => liveCount(await cache.get())));

    // Assess
    expect(owned).toEqual([0, 1, 2].map((shard) => ids.filter((id) => shardOf(id, 3) === shard).length));
    expect(owned.reduce((a, b) => a + b, 0)).toBe(12);
  });

  it('during a shard move, both shards match a moving subscription and the deliverer sends its alert once', async () => {
    // Prepare: a subscription that moves from shard 0 (of 1) to shard 1 (of 2).
    const moving = Array.from({ length: 50 }, (_, i) => `move-${i}`).find((id) => shardOf(id, 2) === 1) as string;
    await repository.put(buildSubscription({ subscriptionId: moving, countries: ['FR'], topics: [], channel: { type: 'sns' } }));
    const layouts: ShardAssignment[] = [{ shard: 0, count: 1 }, { shard: 1, count: 2, previousCount: 1 }, { shard: 0, count: 2, previousCount: 1 }];
    const messages: DeliveryMessage[] = [];
    const matcherDeps = { subscriptions: counted, clock, logger, deliveryQueue: { send: async (m: { body: DeliveryMessage }[]) => void messages.push(...m.map((x) => x.body)) } };
    const sends: string[] = [];
    const sender: AlertSender = { send: async (_sub, alert) => void sends.push(alert.id) };
    const delivererDeps = {
      subscriptions: repository,
      deliveries: new DynamoDeliveryRepository(local.doc, local.names.deliveries),
      alertSender: sender,
      deliveryQueue: { send: async () => undefined },
      deliveryDeadLetters: { send: async () => undefined },
      unsubscribeLinks: createUnsubscribeLinks({ secret: 'match-index-cache-unsubscribe-key', baseUrl: 'https://api.example' }),
      digestBuffer: new DynamoDigestBuffer(local.doc, local.names.digests),
      clock,
      random: () => 0.5,
      logger,
      settings: DEFAULT_SETTINGS,
      deliveryGate: createDeliveryGate(),
    };

    // Act: an old container of shard 0, and both shards on the transition layout, match the same story.
    for (const shard of layouts) {
      const handler = createMatcherHandler(matcherDeps, createMatchIndexCache(matcherDeps, { shard }));
      await handler(sqsEvent({ ...article, articleId: 'move-story', storyId: 'move-story' }), context);
    }
    const outcomes = [];
    for (const message of messages) outcomes.push(await deliverAlert(delivererDeps, message));

    // Assess
    expect(messages.map((m) => m.subscriptionId)).toEqual([moving, moving, moving]);
    expect(new Set(messages.map((m) => m.deliveryId)).size).toBe(1);
    expect(outcomes).toEqual(['delivered', 'duplicate', 'duplicate']);
    expect(sends).toHaveLength(1);
  });
});
