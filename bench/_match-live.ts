// The live parts of the match benchmark: a new container ready from a snapshot, a change visible to a warm
// matcher (both through the matcher's own cache over dynalite and a snapshot file), and K shards of a large set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDynamoClients, ensureTables, localTableNames, startDynalite } from '#adapters/dynamo/local-dynamo.js';
import { DynamoSubscriptionRepository } from '#adapters/dynamo/subscriptions-repository.js';
import { FileSnapshotStore } from '#adapters/match-snapshots.js';
import { createLiveMatchIndex, liveCount, matchLive } from '#domain/live-match-index.js';
import { encodeSnapshot } from '#domain/match-index-codec.js';
import { buildMatchIndex, type IndexedSubscription } from '#domain/match-index.js';
import { forEachMatch } from '#domain/match-output.js';
import { shardOf, snapshotKeyOf } from '#domain/subscription-shards.js';
import type { ClassifiedArticle, Subscription } from '#domain/types.js';
import { createMatchIndexCache } from '#handlers/matcher.js';
import { createLogger } from '#shared/logger.js';
import { generateSubscriptions, heapAfterGc, mulberry32, percentile, round, type Pools } from './_match-fixtures.js';
import { timeMatching } from './_match-timing.js';

const logger = createLogger('bench', 'SILENT');
const clock = { now: () => new Date() };
const MB = 2 ** 20;

/** What the index reads of a generated subscription: no channel, owner or dates (the matcher never holds them). */
function lite(sub: Subscription, id: string): IndexedSubscription {
  const { topics, countries, countryRole, keywords, query, languages, includeSources, excludeSources, minScore, status, snoozedUntil } = sub;
  return { subscriptionId: id, topics, countries, countryRole, keywords, query, languages, includeSources, excludeSources, minScore, status, snoozedUntil };
}

/** Cold ready from a snapshot, and change-visible latency, at n subscriptions. */
export async function measureLive(n: number, pools: Pools, articles: ClassifiedArticle[], warmUp: ClassifiedArticle[], seed: number): Promise<object> {
  const dir = mkdtempSync(join(tmpdir(), 'newsalert-bench-'));
  const dynalite = await startDynalite();
  const { client, doc } = createDynamoClients({ endpoint: dynalite.endpoint });
  try {
    const names = localTableNames('bench');
    await ensureTables(client, names);
    const repository = new DynamoSubscriptionRepository(doc, names.subscriptions);
    const snapshots = new FileSnapshotStore(dir);
    const key = snapshotKeyOf({ shard: 0, count: 1 });
    // The snapshot the job would write: everything up to now.
    let subs: Subscription[] | undefined = generateSubscriptions(n, pools, mulberry32(seed + 7));
    let started = performance.now();
    let built: ReturnType<typeof createLiveMatchIndex> | undefined = createLiveMatchIndex(buildMatchIndex(subs), { cursor: Date.now() * 1000 });
    const buildMs = performance.now() - started;
    subs = undefined;
    started = performance.now();
    const bytes = encodeSnapshot(built, { createdAt: new Date().toISOString(), shardKey: key });
    const encodeMs = performance.now() - started;
    await snapshots.write(key, bytes);
    built = undefined;
    // Changes after the snapshot, which a new container must catch up on.
    for (let i = 0; i < 100; i++) await repository.put({ ...(generateSubscriptions(1, pools, mulberry32(seed + 100 + i))[0] as Subscription), subscriptionId: `after-${i}` });
    const baseline = heapAfterGc();

    // A new container: snapshot file + decode + changes since, through the matcher's cache.
    started = performance.now();
    const cache = createMatchIndexCache({ subscriptions: repository, matchSnapshots: snapshots, clock, logger }, { pollIntervalMs: 1_000 });
    const live = await cache.get();
    const coldReadyMs = performance.now() - started;
    // The first article then decodes the string tables it reads and compiles the profiles it evaluates.
    started = performance.now();
    matchLive(live, articles[0] as ClassifiedArticle, new Date());
    const firstArticleMs = performance.now() - started;
    const loadedHeap = heapAfterGc();
    const loadedTimes = timeMatching(live, articles, warmUp);

    // A warm matcher (default 1 s poll): a new subscription for an article's word, until matching that article finds it.
    const article = articles.find((a) => a.title.split(/\s+/).some((w) => /^\p{Lu}\p{Ll}{4,}$/u.test(w))) ?? (articles[0] as ClassifiedArticle);
    const word = article.title.split(/\s+/).find((w) => /^\p{Lu}\p{Ll}{4,}$/u.test(w)) ?? 'news';
    const visible: number[] = [];
    for (let trial = 0; trial < 5; trial++) {
      const id = `probe-${trial}`;
      const sub = { ...(generateSubscriptions(1, pools, mulberry32(seed + 500 + trial))[0] as Subscription), subscriptionId: id, topics: [], countries: [], query: undefined, languages: undefined, includeSources: undefined, excludeSources: undefined, keywords: [word], status: 'active' as const, snoozedUntil: undefined };
      const written = performance.now();
      await repository.put(sub);
      for (;;) {
        let found = false;
        forEachMatch(matchLive(await cache.get(), article, new Date()), (subscriptionId) => (found ||= subscriptionId === id));
        if (found) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      visible.push(performance.now() - written);
    }
    visible.sort((a, b) => a - b);
    return {
      subscriptions: n,
      snapshot: { buildMs: Math.round(buildMs), encodeMs: Math.round(encodeMs), megabytes: round(bytes.length / MB, 1) },
      coldReadyFromSnapshotMs: Math.round(coldReadyMs),
      firstArticleAfterReadyMs: Math.round(firstArticleMs),
      coldReadyGoalMs: 5_000,
      loadedIndex: { subscriptions: liveCount(live), heapMb: Math.round((loadedHeap - baseline) / MB), match: loadedTimes },
      changeVisible: { trials: visible.length, pollIntervalMs: 1_000, medianMs: Math.round(percentile(visible, 50)), maxMs: Math.round(visible[visible.length - 1] ?? 0), goalMs: 10_000 },
    };
  } finally {
    client.destroy();
    await dynalite.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `total` subscriptions over `count` shards, each built and timed on its own, one after another. */
export function measureShards(total: number, count: number, pools: Pools, articles: ClassifiedArticle[], warmUp: ClassifiedArticle[], seed: number, lambdaMemoryMb: number): object {
  const perShard: (IndexedSubscription[] | undefined)[] = Array.from({ length: count }, () => []);
  const chunk = 500_000;
  const started = performance.now();
  for (let from = 0, c = 0; from < total; from += chunk, c++) {
    const subs = generateSubscriptions(Math.min(chunk, total - from), pools, mulberry32(seed + 1_000 + c));
    subs.forEach((sub, i) => {
      const id = `sub-${c.toString(36)}-${i.toString(36)}`;
      perShard[shardOf(id, count)]?.push(lite(sub, id));
    });
  }
  const generateMs = performance.now() - started;
  const shards = [];
  for (let shard = 0; shard < count; shard++) {
    let subs: IndexedSubscription[] | undefined = perShard[shard] as IndexedSubscription[];
    const size = subs.length;
    const baseline = heapAfterGc();
    const buildStart = performance.now();
    let index: ReturnType<typeof buildMatchIndex> | undefined = buildMatchIndex(subs);
    const buildMs = performance.now() - buildStart;
    // The index alone (its growth over the generated objects), which is all a matcher holds; then those go.
    const heapMb = Math.round((heapAfterGc() - baseline) / MB);
    perShard[shard] = undefined;
    subs = undefined;
    heapAfterGc();
    const times = timeMatching(index, articles, warmUp);
    shards.push({ shard, subscriptions: size, buildMs: Math.round(buildMs), indexHeapMb: heapMb, ...times });
    index = undefined;
  }
  const heaps = shards.map((s) => s.indexHeapMb);
  return {
    total,
    shards: count,
    generateMs: Math.round(generateMs),
    lambdaMemoryMb,
    note: 'indexHeapMb: heap growth of the built index with the generated subscriptions released (the matcher holds only the index); a shard needs it plus ~150 MB of runtime within lambdaMemoryMb',
    maxIndexHeapMb: Math.max(...heaps),
    perShard: shards,
  };
}
