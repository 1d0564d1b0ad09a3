// `npm run bench -- ingest [--json] [--rounds N]`: the whole ingest core (decode, parse, normalise, dedupe by id,
// cluster near-duplicate titles into stories) against plain rss-parser `parseString` of the same bytes read as
// UTF-8, over every feed file in ${SHARED_DIR}/feeds/real_news, in one process, alternating, after a warm-up.
// Network and disk are excluded: all bytes are read before timing. Goal: the core costs at most 2x rss-parser alone.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import Parser from 'rss-parser';
import { FeedError } from '#domain/errors.js';
import { createIngestState, ingestFeedBody } from '#local/inspect-command.js';

const SHARED_DIR = resolve(process.env.NEWSALERT_SHARED_DIR ?? '../shared');
const FEED_FILE = /\.(?:xml|rss|atom|json)$/i;
const NOT_FEEDS = /(?:\.serde\.json|_expected\.json)$|\/expected_output\/|\/expected_parse_feed-parser\//;

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) return listFiles(full);
      return FEED_FILE.test(name) && !NOT_FEEDS.test(full) ? [full] : [];
    });
}

interface Pass {
  ms: number;
  items: number;
  articles: number;
  failures: number;
}

async function runPeer(bodies: Buffer[]): Promise<Pass> {
  const started = performance.now();
  let items = 0;
  let failures = 0;
  for (const body of bodies) {
    try {
      const feed = await new Parser().parseString(body.toString('utf8'));
      items += feed.items.length;
    } catch {
      failures++;
    }
  }
  return { ms: performance.now() - started, items, articles: items, failures };
}

async function runCore(bodies: Buffer[]): Promise<Pass> {
  const started = performance.now();
  const state = createIngestState();
  const fetchedAt = '2030-01-01T00:00:00.000Z';
  let items = 0;
  let articles = 0;
  let failures = 0;
  for (const [index, body] of bodies.entries()) {
    try {
      const result = await ingestFeedBody(body, { feedId: `feed-${index}`, fetchedAt }, state);
      items += result.feed.items.length;
      articles += result.articles.length;
    } catch (error: unknown) {
      if (!(error instanceof FeedError)) throw error;
      failures++;
    }
  }
  return { ms: performance.now() - started, items, articles, failures };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export async function run(args: string[]): Promise<object> {
  const roundsArg = args.indexOf('--rounds');
  const rounds = roundsArg === -1 ? 5 : Math.max(1, Number(args[roundsArg + 1]) || 5);
  const dir = join(SHARED_DIR, 'feeds/real_news');
  const files = listFiles(dir);
  const bodies = files.map((file) => readFileSync(file));
  const bytes = bodies.reduce((sum, body) => sum + body.length, 0);

  // Warm-up: JIT both paths and load every lazily imported module before anything is timed. The warm-up also
  // finds the files rss-parser reads at all: the core reads more (other charsets, HTML entities, gzip, JSON Feed),
  // so a second ratio over the files both read compares like with like.
  const peerReads = await Promise.all(
    bodies.map((body) =>
      new Parser().parseString(body.toString('utf8')).then(
        () => true,
        () => false,
      ),
    ),
  );
  await runCore(bodies);
  const common = bodies.filter((_, index) => peerReads[index] === true);

  const peerRuns: Pass[] = [];
  const coreRuns: Pass[] = [];
  const commonPeerMs: number[] = [];
  const commonCoreMs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate who goes first, so drift in machine load does not favour one side.
    if (round % 2 === 0) {
      peerRuns.push(await runPeer(bodies));
      coreRuns.push(await runCore(bodies));
      commonPeerMs.push((await runPeer(common)).ms);
      commonCoreMs.push((await runCore(common)).ms);
    } else {
      coreRuns.push(await runCore(bodies));
      peerRuns.push(await runPeer(bodies));
      commonCoreMs.push((await runCore(common)).ms);
      commonPeerMs.push((await runPeer(common)).ms);
    }
  }
  const peerMs = median(peerRuns.map((pass) => pass.ms));
  const coreMs = median(coreRuns.map((pass) => pass.ms));
  const peer = peerRuns[0] ?? { items: 0, articles: 0, failures: 0 };
  const core = coreRuns[0] ?? { items: 0, articles: 0, failures: 0 };
  const mb = bytes / 1024 / 1024;
  const round2 = (value: number) => Math.round(value * 100) / 100;
  return {
    bench: 'ingest',
    files: files.length,
    megabytes: round2(mb),
    rounds,
    rssParser: {
      medianMs: round2(peerMs),
      items: peer.items,
      failedFiles: peer.failures,
      itemsPerSecond: Math.round(peer.items / (peerMs / 1000)),
      megabytesPerSecond: round2(mb / (peerMs / 1000)),
    },
    ingestCore: {
      medianMs: round2(coreMs),
      items: core.items,
      newArticles: core.articles,
      failedFiles: core.failures,
      itemsPerSecond: Math.round(core.items / (coreMs / 1000)),
      megabytesPerSecond: round2(mb / (coreMs / 1000)),
      clustering: 'storyFingerprint + chooseStory (functions/domain/story.ts) over an in-memory bottom-k key index',
    },
    ratio: round2(coreMs / peerMs),
    filesRssParserReads: common.length,
    ratioOnFilesRssParserReads: round2(median(commonCoreMs) / median(commonPeerMs)),
    goal: 'ratio <= 2',
  };
}
