// The articles and subscriptions of the match benchmark (bench/match.ts), shared with bench/subscription-scan.ts.
// Matching time per article with the inverted index (match-index.ts) against the linear scan (matchSubscriptions)
// in the same process, over the same subscriptions and articles, at each size.
//
// Articles are real: the items of ../shared/feeds/real_news and the BBC News dataset, classified by our classifier
// (synthetic ones only when ../shared is absent).
//
// Subscriptions are a mix calibrated to believable alert volumes, shaped like Google-Alerts-style products:
//   62% keyword: one name (45%), a list of 2-3 (20%), a quoted phrase (10%), A AND B (10%), (A OR B) AND C (5%),
//       A NOT B (10%), over a long-tail vocabulary of the corpus's proper nouns (words capitalised in >= 90% of
//       their uses, and two-name phrases like "Keir Starmer"), drawn with Zipf popularity (s = NAME_ZIPF) over their
//       article frequency;
//   24% topic x country (80% primary role), topics with Zipf over their frequency, subtopics for the specialists;
//    6% country-only (85% primary), every country, Zipf (s = COUNTRY_ZIPF, flat) over its frequency in the news;
//    8% mixed: languages, included/excluded sources, keywords with a country.
// 3% are paused, 2% snoozed. The calibration matches every classified article against the smallest size and scales
// each subscription's share of matched articles to ARTICLES_PER_DAY (33k a day, about 1M a month). The exponents were
// tuned so that the median subscription gets about 5-11 alerts a day (0.02-0.03% of articles); the mean is higher
// (popular names and countries): the output reports median, p90, p99 and mean per kind. The generator the previous
// version used (half broad country-only subscriptions, Zipf on GB/US) sent the median article to 1.9% of all
// subscriptions, ~600 alerts per subscriber a day: no product works like that.
//
// Memory per subscription is the heap growth after a full GC divided by N: for the subscriptions themselves (as
// the repository returns them) and for the index on top. Run through `npm run bench`, which restarts Node with
// --expose-gc (see `nodeArgs`).
import { readFileSync } from 'node:fs';
import { parseFeed } from '#adapters/reader/index.js';
import { classify } from '#adapters/classifier.js';
import { matchArticle, type MatchIndex } from '#domain/match-index.js';
import { COUNTRY_CODES } from '#domain/subscription-input.js';
import { htmlToText } from '#domain/text.js';
import { topicParentOf } from '#domain/topic-tree.js';
import type { ClassifiedArticle, Subscription } from '#domain/types.js';
import treeJson from '#domain/data/topic-tree.json' with { type: 'json' };
import { HAS_SHARED, listFiles, sharedPath } from '../test/helpers/shared-dir.js';

export const NOW = new Date('2025-03-01T12:00:00.000Z');

// ---------------------------------------------------------------------------------------------------------------
// Deterministic randomness

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws items by rank with probability proportional to 1 / rank^s. */
function zipf<T>(items: readonly T[], random: () => number, s = 1): () => T {
  const cdf: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= items.length; rank++) cdf.push((total += 1 / rank ** s));
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cdf[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return items[lo] as T;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Articles

export interface RawArticle {
  title: string;
  summary: string;
  language?: string;
  feed: string;
}

export async function loadRealNews(): Promise<RawArticle[]> {
  const root = sharedPath('feeds/real_news');
  const articles: RawArticle[] = [];
  for (const file of listFiles(root)) {
    if (/\.(json|txt|md)$/i.test(file) || file.includes('expected_output')) continue;
    let parsed;
    try {
      parsed = await parseFeed(readFileSync(file));
    } catch {
      continue;
    }
    for (const item of parsed.items) {
      const title = htmlToText(item.title ?? '');
      const summary = htmlToText(item.summaryHtml ?? item.contentHtml ?? '', 600);
      if (title !== '') articles.push({ title, summary, language: parsed.language, feed: file.slice(root.length + 1) });
    }
  }
  return articles;
}

export function loadBbc(): RawArticle[] {
  const seen = new Set<string>();
  const articles: RawArticle[] = [];
  for (const line of readFileSync(sharedPath('datasets/topics/bbc-news/bbc_news_2225.derived.jsonl'), 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as { category: string; title: string; text: string };
    if (seen.has(row.title + row.text)) continue;
    seen.add(row.title + row.text);
    articles.push({ title: row.title, summary: row.text.replace(/\s+/g, ' ').slice(0, 600), language: 'en', feed: `bbc/${row.category}` });
  }
  return articles;
}

export function synthesise(random: () => number): RawArticle[] {
  const words = ['minister', 'election', 'market', 'storm', 'football', 'court', 'bank', 'strike', 'vaccine', 'summit'];
  const places = ['France', 'Germany', 'Ukraine', 'Russia', 'China', 'Brazil', 'India', 'Kenya', 'Japan', 'Canada'];
  return Array.from({ length: 500 }, (_, i) => {
    const pick = (list: string[]) => list[Math.floor(random() * list.length)] ?? '';
    return { title: `${pick(places)} ${pick(words)} ${pick(words)}`, summary: `${pick(places)} and ${pick(places)}: ${pick(words)}.`, language: 'en', feed: `feed-${i % 40}` };
  });
}

export function classifyAll(raw: RawArticle[]): ClassifiedArticle[] {
  return raw.map((r, i) => {
    const classification = classify({ title: r.title, text: r.summary, ...(r.language ? { language: r.language } : {}) });
    // Feeds carry no publisher country here: the article's first country stands in for it.
    classification.sourceCountry = classification.countries[0]?.code ?? 'GB';
    const articleId = `a${i}`;
    return {
      articleId,
      storyId: articleId,
      url: `https://news.example/${articleId}`,
      title: r.title,
      summary: r.summary,
      publishedAt: NOW.toISOString(),
      fetchedAt: NOW.toISOString(),
      feedId: r.feed,
      sourceName: r.feed,
      language: classification.language,
      classification,
    };
  });
}

/** Items ordered by how many articles carry them, most first, then `rest` in its order. */
export function byFrequency(lists: string[][], rest: readonly string[] = []): string[] {
  const counts = new Map<string, number>();
  for (const list of lists) for (const item of new Set(list)) counts.set(item, (counts.get(item) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([item]) => item);
  const seen = new Set(ranked);
  return [...ranked, ...rest.filter((item) => !seen.has(item))];
}

// ---------------------------------------------------------------------------------------------------------------
// Subscriptions

export interface Pools {
  /** Countries as subscribers pick them: by how often the news carries them, flattened (s < 1). */
  country: () => string;
  topic: () => string;
  /** A proper noun (person, company, place, product) of the news, long tail. */
  name: () => string;
  /** A two-word name ("Keir Starmer", "Manchester United"). */
  phrase: () => string;
  feed: () => string;
  language: () => string;
}

/** Of the words written with a capital, those nearly always capitalised: names, not sentence starts. */
function properNouns(articles: readonly ClassifiedArticle[]): { names: string[][]; phrases: string[][] } {
  const capitalised = new Map<string, number>();
  const lower = new Map<string, number>();
  const tokenised = articles.map((a) => `${a.title}. ${a.summary}`.split(/[^\p{L}\p{N}]+/u).filter((t) => t !== ''));
  for (const tokens of tokenised) {
    for (const token of tokens) {
      const folded = token.toLowerCase();
      const counts = /^\p{Lu}/u.test(token) ? capitalised : lower;
      counts.set(folded, (counts.get(folded) ?? 0) + 1);
    }
  }
  const isName = (token: string): boolean => {
    if (!/^\p{Lu}\p{Ll}/u.test(token) || [...token].length < 3) return false;
    const folded = token.toLowerCase();
    const upper = capitalised.get(folded) ?? 0;
    return upper >= 0.9 * (upper + (lower.get(folded) ?? 0));
  };
  const names = tokenised.map((tokens) => tokens.filter(isName));
  const phrases = tokenised.map((tokens) =>
    tokens.slice(1).flatMap((token, i) => {
      const previous = tokens[i] ?? '';
      return isName(previous) && isName(token) ? [`${previous} ${token}`] : [];
    }),
  );
  return { names, phrases };
}

export function buildPools(articles: ClassifiedArticle[], random: () => number): Pools {
  const countries = byFrequency(articles.map((a) => a.classification.countries.map((c) => c.code)), COUNTRY_CODES);
  const topLevel = treeJson.roots.map((code) => `medtop:${code}`);
  const children = Object.values(treeJson.children as Record<string, string[]>).flat().map((code) => `medtop:${code}`);
  // Top-level topics as often as the articles carry them, then their children (followed by specialists).
  const topics = [...byFrequency(articles.map((a) => a.classification.topics.map((t) => t.code)), topLevel), ...children.filter((c) => topicParentOf(c) !== undefined)];
  const { names, phrases } = properNouns(articles);
  const feeds = byFrequency(articles.map((a) => [a.feedId]));
  const languages = byFrequency(articles.map((a) => [a.language]));
  const nameRanking = byFrequency(names);
  const phraseRanking = byFrequency(phrases);
  return {
    country: zipf(countries, random, COUNTRY_ZIPF),
    topic: zipf(topics, random),
    name: zipf(nameRanking, random, NAME_ZIPF),
    phrase: zipf(phraseRanking.length > 0 ? phraseRanking : nameRanking, random, NAME_ZIPF),
    feed: zipf(feeds, random),
    language: zipf(languages, random),
  };
}

// The calibration (see the header): these exponents and the shares in generateSubscriptions were tuned so that the
// median subscription gets a believable number of alerts a day at ARTICLES_PER_DAY.
const NAME_ZIPF = 0.7;
const COUNTRY_ZIPF = 0.5;
export const ARTICLES_PER_DAY = 33_000;

/** The kinds of the mix, recorded in `name` so the calibration can report alerts per kind. */
export type SubscriptionKind = 'keyword' | 'topic-country' | 'country' | 'mixed';

export function generateSubscriptions(n: number, pools: Pools, random: () => number): Subscription[] {
  const several = (draw: () => string, weights: number[]): string[] => {
    const x = random();
    let count = 1;
    for (let acc = 0, i = 0; i < weights.length; i++) if (x < (acc += weights[i] ?? 0)) { count = i + 1; break; }
    return [...new Set(Array.from({ length: count }, draw))];
  };
  const name = (): string => (random() < 0.35 ? pools.phrase() : pools.name());
  // In a query a two-word name is a quoted phrase, as people write it.
  const term = (): string => (random() < 0.35 ? `"${pools.phrase()}"` : pools.name());
  const subs: Subscription[] = [];
  for (let i = 0; i < n; i++) {
    const sub: Subscription = {
      subscriptionId: `sub-${i.toString(36).padStart(6, '0')}`,
      owner: `owner-${Math.floor(random() * (n / 5 + 1))}`,
      topics: [],
      countries: [],
      keywords: [],
      channel: { type: 'webhook', url: `https://hooks.example/${i}`, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
      status: 'active',
      createdAt: '2025-01-01T00:00:00.000Z',
    };
    const kind = random();
    let label: SubscriptionKind;
    if (kind < 0.62) {
      label = 'keyword';
      const form = random();
      if (form < 0.45) sub.keywords = [name()];
      else if (form < 0.65) sub.keywords = several(name, [0, 0.6, 0.4]);
      else if (form < 0.75) sub.query = `"${pools.phrase()}"`;
      else if (form < 0.85) sub.query = `${term()} AND ${term()}`;
      else if (form < 0.9) sub.query = `(${term()} OR ${term()}) AND ${term()}`;
      else sub.query = `${term()} NOT ${term()}`;
    } else if (kind < 0.86) {
      label = 'topic-country';
      sub.topics = several(pools.topic, [0.8, 0.2]);
      sub.countries = several(pools.country, [0.85, 0.15]);
      sub.countryRole = random() < 0.8 ? 'primary' : 'about';
    } else if (kind < 0.92) {
      label = 'country';
      sub.countries = several(pools.country, [0.9, 0.1]);
      const role = random();
      sub.countryRole = role < 0.85 ? 'primary' : role < 0.95 ? 'about' : 'source';
      if (random() < 0.2) sub.minScore = 0.5;
    } else {
      label = 'mixed';
      const form = random();
      if (form < 0.3) {
        sub.topics = [pools.topic()];
        sub.countries = [pools.country()];
        sub.languages = several(pools.language, [0.8, 0.2]);
      } else if (form < 0.55) {
        sub.includeSources = several(pools.feed, [0.6, 0.4]);
        sub.topics = [pools.topic()];
      } else if (form < 0.8) {
        sub.keywords = [name()];
        sub.countries = [pools.country()];
        sub.excludeSources = [pools.feed()];
      } else {
        sub.languages = [pools.language()];
        sub.query = `${term()} OR ${term()}`;
      }
    }
    sub.name = label;
    const state = random();
    if (state < 0.03) sub.status = 'paused';
    else if (state < 0.05) sub.snoozedUntil = '2025-03-02T00:00:00.000Z';
    subs.push(sub);
  }
  return subs;
}

// ---------------------------------------------------------------------------------------------------------------
// Measuring

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

export const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

export function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

export function timeEach<T>(items: readonly T[], fn: (item: T) => void): number[] {
  const times: number[] = [];
  for (const item of items) {
    const start = process.hrtime.bigint();
    fn(item);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b);
}

export function argValue(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

/** The articles and N subscriptions the benchmark uses, for profiling outside it. */
export async function fixtures(n: number, seed = 1): Promise<{ articles: ClassifiedArticle[]; subs: Subscription[] }> {
  const random = mulberry32(seed);
  const all = classifyAll(HAS_SHARED ? [...(await loadRealNews()), ...loadBbc()] : synthesise(random));
  const pools = buildPools(all, random);
  const step = Math.max(1, Math.floor(all.length / 400));
  return { articles: all.filter((_, i) => i % step === 0).slice(0, 400), subs: generateSubscriptions(n, pools, random) };
}

/**
 * Alerts a subscription would get a day: every classified article is matched on the index, each live
 * subscription's share of articles matched is scaled to ARTICLES_PER_DAY. Per kind of the mix and overall.
 */
export function calibrateAlerts(index: MatchIndex, subs: readonly Subscription[], all: readonly ClassifiedArticle[]): object {
  const counts = new Map<string, number>();
  const live = subs.filter((sub) => sub.status === 'active' && sub.snoozedUntil === undefined);
  for (const sub of live) counts.set(sub.subscriptionId, 0);
  for (const article of all) {
    for (const { subscriptionId } of matchArticle(index, article, NOW)) {
      const count = counts.get(subscriptionId);
      if (count !== undefined) counts.set(subscriptionId, count + 1);
    }
  }
  const perDay = (count: number): number => (count / all.length) * ARTICLES_PER_DAY;
  const summarise = (group: Subscription[]): object => {
    const daily = group.map((sub) => perDay(counts.get(sub.subscriptionId) ?? 0)).sort((a, b) => a - b);
    return {
      subscriptions: group.length,
      median: round(percentile(daily, 50), 1),
      p90: round(percentile(daily, 90), 1),
      p99: round(percentile(daily, 99), 1),
      mean: round(daily.reduce((sum, x) => sum + x, 0) / Math.max(1, daily.length), 1),
      none: round(daily.filter((x) => x === 0).length / Math.max(1, daily.length), 3),
    };
  };
  const kinds: SubscriptionKind[] = ['keyword', 'topic-country', 'country', 'mixed'];
  return {
    articlesPerDay: ARTICLES_PER_DAY,
    articlesMatched: all.length,
    note: 'alerts per live subscription per day = share of all classified articles it matches x articlesPerDay; "none" = share matching none of them',
    all: summarise(live),
    byKind: Object.fromEntries(kinds.map((kind) => [kind, summarise(live.filter((sub) => sub.name === kind))])),
  };
}
