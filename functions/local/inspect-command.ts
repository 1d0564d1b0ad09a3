// `newsalert inspect <url|file> [--json]`: what the pipeline sees in a feed. It runs the same ingest core the poller
// runs (decode, parse, normalise, dedupe, story clustering), minus storage, and says why when nothing comes out.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseFeed } from '#adapters/reader/index.js';
import { createFeedFetcher } from '#adapters/http/feed-fetcher.js';
import { toArticle } from '#domain/article.js';
import { FeedError } from '#domain/errors.js';
import { feedLanguageOf, type ParsedFeed } from '#domain/feed-item.js';
import { chooseStory, storyFingerprint, storyKeys, type StoryCandidate } from '#domain/story.js';
import type { Article } from '#domain/types.js';
// Feeds that declare no language are identified by the classifier's language model, read through its data reader.
import '#adapters/classifier.js';

export interface InspectIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const USAGE = `Usage:
  newsalert inspect <url|file> [--json] [--allow-loopback] [--limit N]
Shows the detected format and encoding and the normalised items (id, canonical URL, title, text, date, language,
storyId). URLs go through the real fetcher and its SSRF guard; --allow-loopback lets 127.0.0.1 through.`;

// ---------------------------------------------------------------------------------------------------------------
// The ingest core, shared with `npm run bench -- ingest`

/** Articles seen so far and the story index: what the poller keeps in DynamoDB, kept in memory here. */
export interface IngestState {
  seenIds: Set<string>;
  storiesByKey: Map<string, IndexedStory[]>;
  /** Counts story look-ups; an entry stamped with the current one was already met through another key. */
  lookups: number;
}

/**
 * A story index entry, stamped by the last look-up that met it (cheaper than a Set of met entries). The words and
 * feed are copied up from the candidate: the prefilter reads them for every entry met, and each pointer followed
 * through a large index is a likely cache miss.
 */
export interface IndexedStory {
  words: Uint32Array;
  feedId: string;
  candidate: StoryCandidate;
  metBy: number;
}

export function createIngestState(): IngestState {
  return { seenIds: new Set(), storiesByKey: new Map(), lookups: 0 };
}

export interface IngestResult {
  feed: ParsedFeed;
  /** The language used for the items: declared by the feed, else detected from its items. */
  language: string;
  /** New articles, in feed order, each with its storyId. */
  articles: Article[];
  /** Items without a usable link or guid. */
  unusable: number;
  /** Items whose id was already seen (in this feed or an earlier one). */
  duplicates: number;
}

/**
 * Decode, parse, normalise, dedupe by article id and cluster near-duplicate titles into stories, for one feed body.
 * Throws FeedError with a categorised reason when the body is not a usable feed.
 */
export async function ingestFeedBody(
  body: Buffer,
  context: { feedId: string; sourceName?: string; contentType?: string; fetchedAt: string },
  state: IngestState,
): Promise<IngestResult> {
  const feed = await parseFeed(body, { contentType: context.contentType });
  const language = feedLanguageOf(feed);
  const articles: Article[] = [];
  let unusable = 0;
  let duplicates = 0;
  for (const item of feed.items) {
    const article = toArticle(item, {
      feedId: context.feedId,
      sourceName: context.sourceName ?? feed.title ?? context.feedId,
      ...(feed.link === undefined ? {} : { feedLink: feed.link }),
      language,
      fetchedAt: context.fetchedAt,
    });
    if (article === undefined) {
      unusable++;
      continue;
    }
    if (state.seenIds.has(article.articleId)) {
      duplicates++;
      continue;
    }
    state.seenIds.add(article.articleId);
    // toArticle's object is ours alone: set the story on it rather than copy every field.
    article.storyId = assignStory(article, state);
    articles.push(article);
  }
  return { feed, language, articles, unusable, duplicates };
}

/**
 * Entries kept per story key: the most recent ones. A key shared by hundreds of articles (a frequent word that
 * happens to hash low) would otherwise make clustering quadratic; the stored index is bounded by its time window.
 */
const MAX_CANDIDATES_PER_KEY = 32;

/**
 * The lowest word Jaccard at which chooseStory can join two articles: isSameStory needs 0.3 across feeds (0.45, or
 * 0.3 with similar titles), joinsStory 0.9 within one feed. Both need at least MIN_SHARED_WORDS shared words.
 * A test checks these stay necessary conditions of joinsStory, so a change to story.ts cannot slip past them.
 */
export const MIN_JOIN_JACCARD = { otherFeed: 0.3, sameFeed: 0.9 } as const;
const MIN_SHARED_WORDS = 5;

/**
 * Whether two sorted word-hash arrays can share enough words for a Jaccard of `minJaccard`: a necessary condition
 * of joinsStory, checked with one merge that stops as soon as the rest of the arrays cannot reach the count. Most
 * candidates met through one common key are unrelated and fail within a few steps, where chooseStory would compute
 * two full similarities for each.
 */
export function mayJoinStory(a: Uint32Array, b: Uint32Array, minJaccard: number): boolean {
  const total = a.length + b.length;
  // s / (total - s) >= j  <=>  s >= j * total / (1 + j); the 0.001 keeps float rounding on the permissive side.
  const needed = Math.max(MIN_SHARED_WORDS, Math.ceil((minJaccard * total) / (1 + minJaccard) - 0.001));
  const aLength = a.length;
  const bLength = b.length;
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < aLength && j < bLength) {
    if (shared + Math.min(aLength - i, bLength - j) < needed) return false;
    // Flipping the top bit maps unsigned order onto signed order, so V8 compares small integers instead of boxing
    // every hash above 2^31 as a double.
    const x = a[i]! ^ 0x80000000;
    const y = b[j]! ^ 0x80000000;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared >= needed;
}

function assignStory(article: Article, state: IngestState): string {
  const fingerprint = storyFingerprint(article.title, article.summary);
  const keys = storyKeys(fingerprint);
  // Candidates in first-met order (chooseStory breaks exact ties by order), each looked at once, and only those
  // that can pass chooseStory's rules handed to it.
  const lookup = ++state.lookups;
  const candidates: StoryCandidate[] = [];
  for (const key of keys) {
    for (const entry of state.storiesByKey.get(key) ?? []) {
      if (entry.metBy === lookup) continue;
      entry.metBy = lookup;
      const minJaccard = entry.feedId === article.feedId ? MIN_JOIN_JACCARD.sameFeed : MIN_JOIN_JACCARD.otherFeed;
      if (mayJoinStory(fingerprint.words, entry.words, minJaccard)) candidates.push(entry.candidate);
    }
  }
  const joined = chooseStory({ articleId: article.articleId, feedId: article.feedId, fingerprint }, candidates);
  const storyId = joined?.storyId ?? article.articleId;
  const entry: IndexedStory = {
    words: fingerprint.words,
    feedId: article.feedId,
    candidate: { articleId: article.articleId, storyId, feedId: article.feedId, seenAt: article.fetchedAt, fingerprint },
    metBy: lookup,
  };
  for (const key of keys) {
    const list = state.storiesByKey.get(key);
    if (list === undefined) state.storiesByKey.set(key, [entry]);
    else {
      list.push(entry);
      if (list.length > MAX_CANDIDATES_PER_KEY) list.shift();
    }
  }
  return storyId;
}

// ---------------------------------------------------------------------------------------------------------------
// The command

class InspectUsageError extends Error {}

function reasonOf(error: unknown): { reason: string; detail: string } | undefined {
  if (error instanceof FeedError) return { reason: error.reason, detail: error.message };
  if (error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'EISDIR' || error.code === 'EACCES')) {
    return { reason: 'unreadable-file', detail: error.message };
  }
  return undefined;
}

async function loadInput(
  target: string,
  allowLoopback: boolean,
): Promise<{ body: Buffer; contentType?: string; source: string; finalUrl?: string; httpStatus?: number }> {
  if (/^https?:\/\//i.test(target)) {
    const fetcher = createFeedFetcher({ policy: { allowLoopback } });
    const result = await fetcher.fetch({ url: target });
    if (result.status !== 'ok') throw new FeedError('not-modified', `The server answered ${result.httpStatus} without a body`);
    return {
      body: result.body,
      ...(result.contentType === undefined ? {} : { contentType: result.contentType }),
      source: target,
      finalUrl: result.finalUrl,
      httpStatus: result.httpStatus,
    };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    throw new FeedError('unsupported-scheme', `Only http(s) URLs and files can be inspected, not ${target.split(':')[0] ?? ''}:`);
  }
  return { body: await readFile(target), source: target };
}

/** Runs `newsalert inspect`; resolves with the exit code (0 usable feed, 1 unusable input, 2 usage). */
export async function runInspectCommand(args: string[], io: InspectIo): Promise<number> {
  let values: { json: boolean; 'allow-loopback': boolean; limit?: string; help: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean', default: false },
        'allow-loopback': { type: 'boolean', default: false },
        limit: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
    if (values.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (positionals.length !== 1) throw new InspectUsageError('inspect: give exactly one URL or file');
    if (values.limit !== undefined && !/^\d+$/.test(values.limit)) throw new InspectUsageError('--limit must be a whole number');
  } catch (error: unknown) {
    io.stderr.write(`newsalert ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  const target = positionals[0] ?? '';
  const limit = values.limit === undefined ? Number.POSITIVE_INFINITY : Number(values.limit);

  let result: IngestResult;
  let input: Awaited<ReturnType<typeof loadInput>>;
  try {
    input = await loadInput(target, values['allow-loopback']);
    result = await ingestFeedBody(input.body, { feedId: 'inspect', contentType: input.contentType, fetchedAt: new Date().toISOString() }, createIngestState());
  } catch (error: unknown) {
    const failure = reasonOf(error);
    if (failure === undefined) throw error;
    if (values.json) io.stdout.write(`${JSON.stringify({ ok: false, ...failure })}\n`);
    else io.stderr.write(`newsalert inspect: unusable input: ${failure.reason}: ${failure.detail}\n`);
    return 1;
  }

  const { feed, articles } = result;
  const noItemsReason =
    articles.length > 0 ? undefined : feed.items.length === 0 ? 'no-items' : result.unusable > 0 ? 'no-usable-items' : 'all-duplicates';
  const report = {
    ok: true,
    source: input.source,
    ...(input.finalUrl === undefined || input.finalUrl === input.source ? {} : { finalUrl: input.finalUrl }),
    format: feed.format,
    encoding: feed.encoding,
    encodingSource: feed.encodingSource,
    ...(input.contentType === undefined ? {} : { contentType: input.contentType }),
    title: feed.title,
    link: feed.link,
    language: result.language,
    languageSource:
      feed.language !== undefined && result.language !== 'und' && feed.language.trim().toLowerCase().startsWith(result.language)
        ? 'declared'
        : 'detected',
    ...(feed.ttlMinutes === undefined ? {} : { ttlMinutes: feed.ttlMinutes }),
    ...(feed.updatePeriodSeconds === undefined ? {} : { updatePeriodSeconds: feed.updatePeriodSeconds }),
    itemCount: feed.items.length,
    articleCount: articles.length,
    unusableItems: result.unusable,
    duplicateItems: result.duplicates,
    ...(noItemsReason === undefined ? {} : { reason: noItemsReason }),
    items: articles.slice(0, limit).map((article) => ({
      id: article.articleId,
      url: article.url,
      ...(article.guid === undefined ? {} : { guid: article.guid }),
      title: article.title,
      text: article.summary,
      publishedAt: article.publishedAt,
      language: article.language,
      storyId: article.storyId,
      ...(article.author === undefined ? {} : { author: article.author }),
      ...(article.categories === undefined ? {} : { categories: article.categories }),
      ...(article.imageUrl === undefined ? {} : { imageUrl: article.imageUrl }),
    })),
  };
  if (values.json) {
    io.stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  }
  const line = (text: string) => io.stdout.write(`${text}\n`);
  line(`${report.source}: ${report.format} feed, ${report.encoding ?? '?'} (${report.encodingSource ?? '?'}), language ${report.language} (${report.languageSource})`);
  if (report.title !== undefined) line(`title: ${report.title}`);
  if (report.link !== undefined) line(`link:  ${report.link}`);
  if (report.ttlMinutes !== undefined) line(`ttl:   ${report.ttlMinutes} min`);
  if (report.updatePeriodSeconds !== undefined) line(`sy:updatePeriod: every ${report.updatePeriodSeconds} s`);
  line(`items: ${report.itemCount} in the feed, ${report.articleCount} articles, ${report.unusableItems} unusable, ${report.duplicateItems} duplicates`);
  if (noItemsReason !== undefined) line(`no articles: ${noItemsReason}`);
  for (const item of report.items) {
    line('');
    line(`- ${item.title}`);
    line(`  id ${item.id}  story ${item.storyId}  ${item.publishedAt}  ${item.language}`);
    line(`  ${item.url}`);
    if (item.text !== '') line(`  ${item.text.length > 200 ? `${item.text.slice(0, 199)}…` : item.text}`);
  }
  return 0;
}
