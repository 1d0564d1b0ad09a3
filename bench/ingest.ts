// `npm run bench -- ingest [--json] [--rounds N]`: the whole ingest core (decode, parse, normalise, dedupe by id,
// cluster near-duplicate titles into stories) against plain rss-parser `parseString` of the same bytes, over every
// feed file in ${SHARED_DIR}/feeds/real_news, in one process, alternating, after a warm-up. Network and disk are
// excluded: all bytes are read before timing. Goal: the core costs at most 2x rss-parser alone.
//
// Fairness. rss-parser only takes a string, so it is handed `body.toString('utf8')`, timed as part of its pass. That
// is right for the UTF-8 files (most of them); for the others (windows-125x, KOI8-R, UTF-16, gzip) the peer gets
// mojibake or fails, where a real peer would need a charset decoder of its own, and the core does that decoding, the
// gunzip and the entity repair that makes more files readable. So the headline ratio over all files charges the core
// for work the peer skips; the second ratio, over the files both read, compares like with like. Both sides reuse one
// parser instance and take a fresh one after a failed parse. Wall time is the headline; process CPU time (user +
// system, all threads, GC included) is reported beside it because it is less disturbed by other load on the machine.
import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import Parser from 'rss-parser';
import { FeedError } from '#domain/errors.js';
import { createIngestState, ingestFeedBody } from '#local/inspect-command.js';
import { HAS_SHARED, listFiles, SHARED_SKIP_REASON, sharedPath } from '../test/helpers/shared-dir.js';

const FEED_FILE = /\.(?:xml|rss|atom|json)$/i;
const NOT_FEEDS = /(?:\.serde\.json|_expected\.json)$|\/expected_output\/|\/expected_parse_feed-parser\//;

interface Pass {
  ms: number;
  cpuMs: number;
  items: number;
  articles: number;
  /** Per file: whether it gave a feed. */
  read: boolean[];
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

async function runPeer(bodies: Buffer[]): Promise<Pass> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  let parser = new Parser();
  let items = 0;
  const read: boolean[] = [];
  for (const body of bodies) {
    try {
      const feed = await parser.parseString(body.toString('utf8'));
      items += feed.items.length;
      read.push(true);
    } catch {
      parser = new Parser();
      read.push(false);
    }
  }
  return { ms: performance.now() - started, cpuMs: cpuMsSince(cpu), items, articles: items, read };
}

async function runCore(bodies: Buffer[]): Promise<Pass> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const state = createIngestState();
  const fetchedAt = '2030-01-01T00:00:00.000Z';
  let items = 0;
  let articles = 0;
  const read: boolean[] = [];
  for (const [index, body] of bodies.entries()) {
    try {
      const result = await ingestFeedBody(body, { feedId: `feed-${index}`, fetchedAt }, state);
      items += result.feed.items.length;
      articles += result.articles.length;
      read.push(true);
    } catch (error: unknown) {
      if (!(error instanceof FeedError)) throw error;
      read.push(false);
    }
  }
  return { ms: performance.now() - started, cpuMs: cpuMsSince(cpu), items, articles, read };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export async function run(args: string[]): Promise<object> {
  if (!HAS_SHARED) return { bench: 'ingest', skipped: SHARED_SKIP_REASON };
  const roundsArg = args.indexOf('--rounds');
  const rounds = roundsArg === -1 ? 5 : Math.max(1, Number(args[roundsArg + 1]) || 5);
  const files = listFiles(sharedPath('feeds/real_news'), { sorted: true, keep: (path, name) => FEED_FILE.test(name) && !NOT_FEEDS.test(path) });
  const bodies = files.map((file) => readFileSync(file));
  const bytes = bodies.reduce((sum, body) => sum + body.length, 0);

  // Warm-up: JIT both paths and load every lazily imported module before anything is timed. It also finds the files
  // each side reads, for the like-with-like subset.
  const peerWarm = await runPeer(bodies);
  const coreWarm = await runCore(bodies);
  const common = bodies.filter((_, index) => peerWarm.read[index] === true && coreWarm.read[index] === true);
  const commonBytes = common.reduce((sum, body) => sum + body.length, 0);

  const peerRuns: Pass[] = [];
  const coreRuns: Pass[] = [];
  const commonPeerRuns: Pass[] = [];
  const commonCoreRuns: Pass[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate who goes first, so drift in machine load does not favour one side.
    if (round % 2 === 0) {
      peerRuns.push(await runPeer(bodies));
      coreRuns.push(await runCore(bodies));
      commonPeerRuns.push(await runPeer(common));
      commonCoreRuns.push(await runCore(common));
    } else {
      coreRuns.push(await runCore(bodies));
      peerRuns.push(await runPeer(bodies));
      commonCoreRuns.push(await runCore(common));
      commonPeerRuns.push(await runPeer(common));
    }
  }
  const round2 = (value: number) => Math.round(value * 100) / 100;
  const mb = bytes / 1024 / 1024;
  const side = (runs: Pass[], megabytes: number) => {
    const ms = median(runs.map((pass) => pass.ms));
    const first = runs[0];
    const items = first?.items ?? 0;
    return {
      medianMs: round2(ms),
      medianCpuMs: round2(median(runs.map((pass) => pass.cpuMs))),
      items,
      failedFiles: first?.read.filter((read) => !read).length ?? 0,
      itemsPerSecond: Math.round(items / (ms / 1000)),
      megabytesPerSecond: round2(megabytes / (ms / 1000)),
    };
  };
  const peer = side(peerRuns, mb);
  const core = side(coreRuns, mb);
  const commonMb = commonBytes / 1024 / 1024;
  const commonPeer = side(commonPeerRuns, commonMb);
  const commonCore = side(commonCoreRuns, commonMb);
  return {
    bench: 'ingest',
    files: files.length,
    megabytes: round2(mb),
    filesNotUtf8: bodies.filter((body) => !isUtf8(body)).length,
    rounds,
    rssParser: peer,
    ingestCore: {
      ...core,
      newArticles: coreRuns[0]?.articles ?? 0,
      clustering: 'storyFingerprint + chooseStory (functions/domain/story.ts) over an in-memory bottom-k key index',
    },
    ratio: round2(core.medianMs / peer.medianMs),
    ratioCpu: round2(core.medianCpuMs / peer.medianCpuMs),
    filesBothRead: common.length,
    megabytesBothRead: round2(commonMb),
    bothRead: { rssParser: commonPeer, ingestCore: commonCore },
    ratioOnFilesBothRead: round2(commonCore.medianMs / commonPeer.medianMs),
    ratioCpuOnFilesBothRead: round2(commonCore.medianCpuMs / commonPeer.medianCpuMs),
    goal: 'ratio <= 2',
  };
}
