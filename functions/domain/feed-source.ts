// What every article of one fetched or pushed feed body shares: who published it, what its relative links resolve
// against, and its language. Decided here once, so the poller, a WebSub push, `newsalert inspect` and the ingest
// benchmark cannot disagree on an article's source name, canonical URL (hence its id) or language.
import { feedLanguageOf, type ParsedFeed } from './feed-item.js';
import { normalizeLanguage, type ToArticleContext } from './article.js';
import type { Classification, Feed } from './types.js';
import { resolveHttpUrl } from './url.js';

export interface FeedSource {
  /** The name alerts show: configured on the feed, else the feed's own title, else the host it was fetched from. */
  sourceName: string;
  /**
   * What relative item links resolve against: the feed's own link (itself resolved against the fetch URL), else the
   * URL the body came from (the final URL after redirects, or the feed's URL for a push).
   */
  baseUrl: string;
  /**
   * ISO 639-1 for every item: configured on the feed, else declared by it, else detected over its items (one guess
   * per feed is steadier than one per short item). Undefined when none of them knows: then each article takes the
   * language its classification detects.
   */
  language?: string;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function nonEmpty(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/** The shared facts of a body's articles; `bodyUrl` is where the body came from (see FeedSource.baseUrl). */
export function feedSourceOf(feed: Pick<Feed, 'url' | 'sourceName' | 'language'>, parsed: ParsedFeed, bodyUrl: string): FeedSource {
  const configured = feed.language === undefined ? 'und' : normalizeLanguage(feed.language);
  const language = configured !== 'und' ? configured : feedLanguageOf(parsed);
  return {
    sourceName: nonEmpty(feed.sourceName) ?? nonEmpty(parsed.title) ?? hostOf(bodyUrl),
    baseUrl: resolveHttpUrl(parsed.link, bodyUrl)?.href ?? bodyUrl,
    ...(language === 'und' ? {} : { language }),
  };
}

/** toArticle's context for one item of the body. */
export function articleContextOf(source: FeedSource, feedId: string, fetchedAt: string): ToArticleContext {
  return {
    feedId,
    sourceName: source.sourceName,
    feedLink: source.baseUrl,
    fetchedAt,
    ...(source.language === undefined ? {} : { language: source.language }),
  };
}

/** An article's language: the feed's when it has one, else what the classifier read in the article itself. */
export function articleLanguageOf(source: FeedSource, classification: Classification): string {
  return source.language ?? classification.language;
}
