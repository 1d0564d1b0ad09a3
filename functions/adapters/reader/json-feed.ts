// JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), which rss-parser does not read. Lenient like the XML
// path: a field of the wrong type is dropped, not a reason to lose the feed or the item. Relative item URLs resolve
// against home_page_url, then feed_url, then the URL the feed was fetched from.
import * as z from 'zod';
import { FeedError } from '#domain/errors.js';
import type { FeedItem, ParsedFeed } from '#domain/feed-item.js';
import { FEED_LIMITS, capItemFields, type FeedLimits } from './limits.js';
import { absoluteHttpUrl, baseFor, resolveLink } from './links.js';
import { newestFirst } from './select.js';

/** The spec's URL; some generators write the bare number ("1.0", "1.1"), which names the same format. */
const VERSION = /^(?:https?:\/\/jsonfeed\.org\/version\/1(?:\.\d+)?\/?|1(?:\.\d+)?)$/;

const optionalText = z.string().optional().catch(undefined);
// 1.0 feeds in the wild use numbers for ids; the spec says string, and the value is what matters.
const idText = z
  .union([z.string(), z.number().transform(String)])
  .optional()
  .catch(undefined);
const authorSchema = z.object({ name: optionalText, url: optionalText }).optional().catch(undefined);

const itemSchema = z.object({
  id: idText,
  url: optionalText,
  external_url: optionalText,
  title: optionalText,
  content_html: optionalText,
  content_text: optionalText,
  summary: optionalText,
  image: optionalText,
  banner_image: optionalText,
  date_published: optionalText,
  date_modified: optionalText,
  author: authorSchema,
  authors: z.array(authorSchema).optional().catch(undefined),
  tags: z.array(z.unknown()).optional().catch(undefined),
  attachments: z
    .array(z.object({ url: optionalText, mime_type: optionalText }).catch({ url: undefined, mime_type: undefined }))
    .optional()
    .catch(undefined),
});

const feedSchema = z.object({
  version: z.string().refine((version) => VERSION.test(version.trim())),
  title: optionalText,
  home_page_url: optionalText,
  feed_url: optionalText,
  language: optionalText,
  items: z.array(z.unknown()),
});

type JsonFeedItem = z.infer<typeof itemSchema>;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function nonEmpty(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function imageOf(item: JsonFeedItem): string | undefined {
  const attachment = item.attachments?.find((candidate) => candidate.mime_type?.startsWith('image/') === true);
  return nonEmpty(item.image) ?? nonEmpty(item.banner_image) ?? nonEmpty(attachment?.url);
}

function mapItem(item: JsonFeedItem, base: string | undefined): FeedItem {
  const author = [...(item.authors ?? []), item.author].map((candidate) => nonEmpty(candidate?.name)).find(Boolean);
  const tags = (item.tags ?? []).filter((tag): tag is string => typeof tag === 'string' && tag.trim() !== '');
  // content_text is plain text: escape it so the HTML-to-text step downstream keeps "<" and "&" as written.
  const textAsHtml = item.content_text === undefined ? undefined : escapeHtml(item.content_text);
  const mapped: FeedItem = {
    guid: nonEmpty(item.id),
    link: resolveLink(nonEmpty(item.url) ?? nonEmpty(item.external_url), base),
    title: nonEmpty(item.title),
    summaryHtml: nonEmpty(item.summary === undefined ? undefined : escapeHtml(item.summary)),
    contentHtml: nonEmpty(item.content_html) ?? nonEmpty(textAsHtml),
    published: nonEmpty(item.date_published) ?? nonEmpty(item.date_modified),
    author,
    categories: tags.length > 0 ? [...new Set(tags.map((tag) => tag.trim()))] : undefined,
    imageUrl: resolveLink(imageOf(item), base),
  };
  return Object.fromEntries(Object.entries(mapped).filter(([, value]) => value !== undefined));
}

/** Whether a decoded document looks like a JSON Feed: an object whose version is a jsonfeed.org 1.x URL. */
export function looksLikeJsonFeed(text: string): boolean {
  return /^\s*\{/.test(text) && /"version"\s*:\s*"https?:\/\/jsonfeed\.org\/version\/1/.test(text.slice(0, 4096));
}

/**
 * Parses a JSON Feed 1.0/1.1 document fetched from `documentUrl` (when known). Throws FeedError 'malformed-json' for
 * invalid JSON and 'not-a-feed' for JSON that is not a JSON Feed (no jsonfeed.org version, or no items array).
 */
export function parseJsonFeed(text: string, documentUrl?: string, limits: FeedLimits = FEED_LIMITS): ParsedFeed {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    throw new FeedError('malformed-json', `Malformed JSON: ${message}`, { cause: error });
  }
  const parsed = feedSchema.safeParse(raw);
  if (!parsed.success) {
    const isObject = typeof raw === 'object' && raw !== null && !Array.isArray(raw);
    const version = isObject ? (raw as Record<string, unknown>).version : undefined;
    const what =
      typeof version === 'string' && VERSION.test(version.trim())
        ? 'a JSON Feed without an items array'
        : 'JSON without a jsonfeed.org 1.x version';
    throw new FeedError('not-a-feed', `Not a JSON Feed (${what})`);
  }
  const { title, language } = parsed.data;
  // Neither feed URL is under an xml:base: each resolves against the ones before it in LinkContext's order.
  const feedUrl = resolveLink(nonEmpty(parsed.data.feed_url), documentUrl);
  const selfUrl = absoluteHttpUrl(feedUrl);
  const homePage = resolveLink(nonEmpty(parsed.data.home_page_url), baseFor([], { documentUrl, selfUrl }));
  const base = baseFor([], { documentUrl, selfUrl, feedLink: absoluteHttpUrl(homePage) });
  const valid = parsed.data.items
    .map((item) => itemSchema.safeParse(item))
    .filter((result) => result.success)
    .map((result) => result.data);
  const kept = newestFirst(valid.map((item) => item.date_published ?? item.date_modified)).slice(0, limits.maxItems);
  const keep = new Set(kept);
  const items = valid.filter((_, index) => keep.has(index)).map((item) => capItemFields(mapItem(item, base)));
  const feed: ParsedFeed = { format: 'json', items };
  if (valid.length > items.length) {
    const detail = `Kept the newest ${items.length} of ${valid.length} items; ${valid.length - items.length} over the ${limits.maxItems}-item cap`;
    feed.dropped = { count: valid.length - items.length, reason: 'items-cap', detail };
  }
  if (nonEmpty(title) !== undefined) feed.title = nonEmpty(title);
  if (homePage !== undefined) feed.link = homePage;
  if (nonEmpty(language) !== undefined) feed.language = nonEmpty(language);
  return feed;
}
