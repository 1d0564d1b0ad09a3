// `npm run bench -- match [--json] [--sizes 10000,100000,1000000] [--articles 400] [--scan-articles 40] [--seed 1]
//   [--live 1000000] [--shard-total 10000000] [--shards 4] [--shard-memory-mb 3008]`
// Matching time per article with the inverted index (match-index.ts) against the linear scan (matchSubscriptions)
// in the same process, over the same subscriptions and articles, at each size; then, at --live subscriptions, a new
// matcher ready from a snapshot and a change visible to a warm one (the matcher's own cache, over dynalite and a
// snapshot file); then --shard-total subscriptions over --shards shards, built and timed one after another.
// --live 0 or --shard-total 0 skips a part. The articles and the subscription mix: bench/_match-fixtures.ts.
//
// Index times are the matcher's path (matchLive into the grouped output). Each article is timed once (medianMs,
// p99Ms), and its fastest of 3 more passes is reported beside (fastestOfRepeats): on a shared machine the single
// pass's tail is mostly other processes taking the core. Memory per subscription is the heap growth after a full GC
// divided by N: for the subscriptions themselves and for the index on top. Run through `npm run bench`, which
// restarts Node with --expose-gc (see `nodeArgs`).
import { createLiveMatchIndex, matchLive } from '#domain/live-match-index.js';
import { buildMatchIndex } from '#domain/match-index.js';
import { matchSubscriptions } from '#domain/matching.js';
import type { ClassifiedArticle, Subscription } from '#domain/types.js';
import {
  argValue, buildPools, byFrequency, calibrateAlerts, classifyAll, generateSubscriptions, heapAfterGc, loadBbc, loadRealNews, mulberry32, NOW, percentile, round,
  synthesise, timeEach, type Pools,
} from './_match-fixtures.js';
import { measureLive, measureShards } from './_match-live.js';
import { timeMatching } from './_match-timing.js';
import { HAS_SHARED } from '../test/helpers/shared-dir.js';

/** Restarted with these by bench/run.ts: a GC to call, and room for ten million subscriptions. */
export const nodeArgs = ['--expose-gc', '--max-old-space-size=14336'];

function measureSize(n: number, pools: Pools, random: () => number, articles: ClassifiedArticle[], warmUp: ClassifiedArticle[], all: ClassifiedArticle[], scanArticleCount: number, withCalibration: boolean) {
  const baseline = heapAfterGc();
  let subs: Subscription[] | undefined = generateSubscriptions(n, pools, random);
  const withSubs = heapAfterGc();
  const buildStart = performance.now();
  const index = buildMatchIndex(subs);
  const buildMs = performance.now() - buildStart;
  const withIndex = heapAfterGc();
  const calibration = withCalibration ? calibrateAlerts(index, subs, all) : undefined;

  // The scan on fewer articles at large sizes: it is the slow peer. Its first call compiles every subscription
  // (cached per object, as the index does at build), so it is made before the timed ones.
  const scanArticles = articles.filter((_, i) => i % Math.max(1, Math.floor(articles.length / scanArticleCount)) === 0).slice(0, scanArticleCount);
  matchSubscriptions(subs, articles[0] as ClassifiedArticle, NOW);
  let agree = true;
  const liveIndex = createLiveMatchIndex(index);
  const scanTimes = timeEach(scanArticles, (a) => {
    if (matchSubscriptions(subs as Subscription[], a, NOW).length !== matchLive(liveIndex, a, NOW).count) agree = false;
  });
  // The matcher holds the index only: the subscriptions go before the index is timed.
  subs = undefined;
  heapAfterGc();
  const times = timeMatching(index, articles, warmUp);
  const scanMedian = percentile(scanTimes, 50);
  return {
    result: {
      subscriptions: n,
      articles: articles.length,
      index: { ...times, buildMs: Math.round(buildMs), stats: index.stats },
      scan: { articles: scanArticles.length, medianMs: round(scanMedian), p99Ms: round(percentile(scanTimes, 99)) },
      speedup: Math.round(scanMedian / times.medianMs),
      sameMatchCounts: agree,
      memory: {
        gcAvailable: typeof (globalThis as { gc?: unknown }).gc === 'function',
        subscriptionsBytesPerSub: Math.round((withSubs - baseline) / n),
        indexBytesPerSub: Math.round((withIndex - withSubs) / n),
        indexHeapMb: Math.round((withIndex - withSubs) / 2 ** 20),
      },
    },
    calibration,
  };
}

export async function run(args: string[]): Promise<object> {
  const sizes = (argValue(args, '--sizes') ?? '10000,100000,1000000').split(',').map(Number).filter((n) => n > 0);
  const articleCount = Number(argValue(args, '--articles') ?? 400);
  const scanArticleCount = Number(argValue(args, '--scan-articles') ?? 40);
  const seed = Number(argValue(args, '--seed') ?? 1);
  const liveSize = Number(argValue(args, '--live') ?? 1_000_000);
  const shardTotal = Number(argValue(args, '--shard-total') ?? 10_000_000);
  const shardCount = Number(argValue(args, '--shards') ?? 4);
  const shardMemoryMb = Number(argValue(args, '--shard-memory-mb') ?? 3008);
  const random = mulberry32(seed);

  const raw = HAS_SHARED ? [...(await loadRealNews()), ...loadBbc()] : synthesise(random);
  const all = classifyAll(raw);
  const pools = buildPools(all, random);
  // The timed articles: an even sample of all of them; the warm-up: others of the corpus.
  const step = Math.max(1, Math.floor(all.length / articleCount));
  const articles = all.filter((_, i) => i % step === 0).slice(0, articleCount);
  const timed = new Set(articles);
  const warmUp = all.filter((a) => !timed.has(a)).slice(0, articleCount);

  const results = [];
  let calibration: object | undefined;
  for (const n of sizes) {
    const measured = measureSize(n, pools, random, articles, warmUp, all, scanArticleCount, calibration === undefined);
    calibration ??= measured.calibration;
    results.push(measured.result);
  }
  const live = liveSize > 0 ? await measureLive(liveSize, pools, articles, warmUp, seed) : undefined;
  const shards = shardTotal > 0 ? measureShards(shardTotal, shardCount, pools, articles, warmUp, seed, shardMemoryMb) : undefined;
  return {
    benchmark: 'match',
    articleSource: HAS_SHARED ? `real_news feeds + BBC News (${all.length} articles classified)` : 'synthetic (../shared absent)',
    articleLanguages: byFrequency(articles.map((a) => [a.language])).slice(0, 8),
    calibration,
    goal: 'at 1M: median <= 1 ms, p99 <= 3 ms per article, >= 100x the scan; cold ready from a snapshot <= 5 s; a change visible <= 10 s; shards: median <= 1 ms each, index within the shard Lambda',
    results,
    ...(live ? { live } : {}),
    ...(shards ? { shards } : {}),
  };
}
