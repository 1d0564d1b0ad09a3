// The ingest core: one feed body (fetched by a poll, pushed by a hub, read from a file by `newsalert inspect`, timed
// by `npm run bench -- ingest`) -> parse -> normalise -> per item, once: seen and unchanged (nothing), edited
// (update + article.updated), or new (story id from near-duplicates, classify, store + article.created).
// The callers own what is theirs alone: the poll its host lease, fetch and health writes; the push its signature
// and subscription; inspect and the bench their in-memory adapters (functions/adapters/memory/).
import { parseFeed } from '#adapters/reader/index.js';
import { toArticle } from '#domain/article.js';
import type { ParsedFeed } from '#domain/feed-item.js';
import { articleContextOf, articleLanguageOf, feedSourceOf, type FeedSource } from '#domain/feed-source.js';
import type { StoredArticleState, StoryIndex } from '#domain/ports.js';
import { chooseStory, contentHashFor, contentHashOf, fingerprintOf, STORY_WINDOW_HOURS, storyKeys, storyTextOf, type StoryText } from '#domain/story.js';
import type { Article, ArticleEvent, ClassifiedArticle, Feed } from '#domain/types.js';
import type { PipelineSettings, Ports } from './deps.js';

export type IngestDeps = Pick<Ports, 'articles' | 'articleEvents' | 'stories' | 'classify'> & {
  settings: Pick<PipelineSettings, 'articleRetentionDays'>;
};

export interface FeedBody {
  feed: Pick<Feed, 'feedId' | 'url' | 'sourceName' | 'language' | 'sourceCountry'>;
  body: Buffer;
  contentType?: string;
  /** Where the body came from: the final URL of a fetch, the feed's URL for a push (see FeedSource.baseUrl). */
  bodyUrl: string;
  /** When it was fetched or pushed: new articles' fetchedAt, the story window, the retention. */
  at: Date;
}

export interface IngestResult {
  parsed: ParsedFeed;
  source: FeedSource;
  /** Items in the feed, usable or not. */
  items: number;
  created: number;
  updated: number;
  /** Items with neither a usable link nor a guid. */
  unusable: number;
  /** Items whose article id came earlier in the same body. */
  duplicates: number;
  /** What this ingest announced (article.created or article.updated), in feed order. */
  announced: ClassifiedArticle[];
  /** publishedAt of each article, undefined where the item had no usable date: the feed's publish rate. */
  itemDates: (string | undefined)[];
}

interface ItemContext {
  deps: IngestDeps;
  feed: FeedBody['feed'];
  source: FeedSource;
  now: Date;
  fetchedAt: string;
  expiresAt: number;
  announced: ClassifiedArticle[];
}

type ItemOutcome = 'created' | 'updated' | 'unchanged';

function articleEvent(type: ArticleEvent['type'], article: ClassifiedArticle, occurredAt: string): ArticleEvent {
  const revision = article.revision ?? 0;
  return {
    type,
    version: '1',
    // One id per article and revision: a re-announcement after a crash carries the same id as the first attempt.
    eventId: type === 'article.created' ? `article.created:${article.articleId}` : `article.updated:${article.articleId}:r${revision}`,
    occurredAt,
    article,
  };
}

/** The story an article joins: the first article of the closest near-duplicate in the window, else its own id. */
async function assignStory(stories: StoryIndex, article: Article, text: StoryText, now: Date): Promise<string> {
  const fingerprint = fingerprintOf(text);
  const keys = storyKeys(fingerprint);
  if (keys.length === 0) return article.articleId;
  const windowMs = STORY_WINDOW_HOURS * 3_600_000;
  const candidates = await stories.findCandidates(keys, new Date(now.getTime() - windowMs).toISOString());
  const chosen = chooseStory({ articleId: article.articleId, feedId: article.feedId, fingerprint }, candidates);
  const storyId = chosen?.storyId ?? article.articleId;
  // Filed before the article is stored: a crash in between leaves an entry the retry rewrites with the same key.
  await stories.record(
    { articleId: article.articleId, storyId, feedId: article.feedId, seenAt: article.fetchedAt, fingerprint },
    keys,
    Math.floor((now.getTime() + windowMs) / 1000) + 86_400,
  );
  return storyId;
}

/** The article as stored: classified, in its feed's language or else the one the classifier read in it. */
function classifyArticle(ctx: ItemContext, article: Article, facts: Pick<ClassifiedArticle, 'storyId' | 'contentHash'>): ClassifiedArticle {
  const classification = ctx.deps.classify({
    title: article.title,
    text: article.summary,
    ...(ctx.source.language === undefined ? {} : { language: ctx.source.language }),
    ...(ctx.feed.sourceCountry ? { sourceCountry: ctx.feed.sourceCountry } : {}),
    // Publisher and country-code domains, and a declared language region, hint at the source country.
    url: article.url,
    feedUrl: ctx.feed.url,
    ...(ctx.feed.language ? { languageTag: ctx.feed.language } : {}),
    ...(article.categories ? { categories: article.categories } : {}),
  });
  return { ...article, ...facts, language: articleLanguageOf(ctx.source, classification), classification };
}

/** Publishes, then marks: a crash in between re-announces on the next ingest (at-least-once) instead of losing it. */
async function announce(ctx: ItemContext, type: ArticleEvent['type'], article: ClassifiedArticle): Promise<void> {
  await ctx.deps.articleEvents.publish(articleEvent(type, article, ctx.fetchedAt));
  await ctx.deps.articles.markAnnounced(article.articleId, type === 'article.updated' ? article.revision : undefined);
  ctx.announced.push(article);
}

/** The events an earlier, interrupted ingest stored but never published; counted as if made now. */
async function announcePending(ctx: ItemContext, state: StoredArticleState): Promise<ItemOutcome> {
  if (state.announced && state.revision <= state.announcedRevision) return 'unchanged';
  const stored = await ctx.deps.articles.get(state.articleId, { consistent: true });
  if (!stored) return 'unchanged';
  if (!state.announced) await announce(ctx, 'article.created', stored);
  if ((stored.revision ?? 0) > state.announcedRevision) await announce(ctx, 'article.updated', stored);
  return state.announced ? 'updated' : 'created';
}

/** A seen article whose text changed: subscribers must have heard of it before they hear of its edit. */
async function reviseArticle(ctx: ItemContext, state: StoredArticleState, article: Article, contentHash: string): Promise<ItemOutcome> {
  await announcePending(ctx, state);
  const previous = await ctx.deps.articles.get(article.articleId, { consistent: true });
  if (!previous) return 'unchanged';
  // First-seen facts stay (id, story, first fetch, publication date, feed); what the reader sees is replaced.
  const next: ClassifiedArticle = {
    ...classifyArticle(ctx, article, { storyId: previous.storyId, contentHash }),
    publishedAt: previous.publishedAt,
    fetchedAt: previous.fetchedAt,
    feedId: previous.feedId,
    revision: (previous.revision ?? 0) + 1,
    updatedAt: ctx.fetchedAt,
  };
  if (!(await ctx.deps.articles.update(previous, next, ctx.expiresAt))) return 'unchanged';
  await announce(ctx, 'article.updated', next);
  return 'updated';
}

async function ingestItem(ctx: ItemContext, article: Article): Promise<ItemOutcome> {
  // Tokenised once: the hash for every item, the fingerprint for new ones.
  const text = storyTextOf(article.title, article.summary);
  const contentHash = contentHashOf(text);
  const state = await ctx.deps.articles.getState(article.articleId);
  if (state) {
    const storedHash = state.contentHash ?? contentHashFor(state.title, state.summary);
    if (storedHash === contentHash) return announcePending(ctx, state);
    return reviseArticle(ctx, state, article, contentHash);
  }
  const storyId = await assignStory(ctx.deps.stories, article, text, ctx.now);
  const classified = classifyArticle(ctx, article, { storyId, contentHash });
  // False: a concurrent ingest stored it first, and announces it.
  if (!(await ctx.deps.articles.create(classified, ctx.expiresAt))) return 'unchanged';
  await announce(ctx, 'article.created', classified);
  return 'created';
}

/**
 * Ingests one feed body. Throws FeedError (with a categorised reason) when the body is not a usable feed, before
 * anything is written; infrastructure errors are thrown as they come, and a retry of the same body is safe.
 */
export async function ingestFeedBody(deps: IngestDeps, input: FeedBody): Promise<IngestResult> {
  // The reader resolves relative links (xml:base, the feed's own URLs, then where the body came from).
  const parsed = await parseFeed(input.body, { contentType: input.contentType, baseUrl: input.bodyUrl });
  const source = feedSourceOf(input.feed, parsed, input.bodyUrl);
  const fetchedAt = input.at.toISOString();
  const ctx: ItemContext = {
    deps,
    feed: input.feed,
    source,
    now: input.at,
    fetchedAt,
    expiresAt: Math.floor(input.at.getTime() / 1000) + deps.settings.articleRetentionDays * 86_400,
    announced: [],
  };
  const result: IngestResult = { parsed, source, items: parsed.items.length, created: 0, updated: 0, unusable: 0, duplicates: 0, announced: ctx.announced, itemDates: [] };
  const seen = new Set<string>();
  const context = articleContextOf(source, input.feed.feedId, fetchedAt);
  for (const item of parsed.items) {
    const article = toArticle(item, context);
    if (!article) {
      result.unusable += 1;
      continue;
    }
    if (seen.has(article.articleId)) {
      result.duplicates += 1;
      continue;
    }
    seen.add(article.articleId);
    // toArticle gives an undated item the fetch time, which says nothing about how often the feed publishes.
    result.itemDates.push(article.publishedAt === fetchedAt ? undefined : article.publishedAt);
    const outcome = await ingestItem(ctx, article);
    if (outcome === 'created') result.created += 1;
    else if (outcome === 'updated') result.updated += 1;
  }
  return result;
}
