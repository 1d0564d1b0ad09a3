// What the feed parser hands to the domain: the parts of an RSS/Atom/RDF/JSON item we use, independent of the parser
// library. Values are as found in the feed (HTML kept, dates unparsed), except that relative links are resolved
// where the document gives a base (xml:base, the feed's URLs, the fetch URL); toArticle normalises them.
import { identifyLanguage, normalizeLanguageHint } from './classification/language.js';
import { htmlToText } from './text.js';

export interface FeedItem {
  guid?: string;
  link?: string;
  title?: string;
  summaryHtml?: string;
  contentHtml?: string;
  /** The date as written: RFC 822 for RSS, ISO 8601 for Atom and dc:date. */
  published?: string;
  author?: string;
  categories?: string[];
  imageUrl?: string;
}

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'rdf' | 'json' | 'unknown';
  title?: string;
  link?: string;
  /** As declared: `<language>`, `dc:language`, `xml:lang` or JSON Feed `language`. See feedLanguageOf. */
  language?: string;
  /** The charset the bytes were decoded from (a WHATWG encoding name, or utf-32le/be) and why it was chosen. */
  encoding?: string;
  encodingSource?: 'bom' | 'sniffed' | 'header' | 'declaration' | 'default' | 'detected';
  /** RSS `<ttl>`: minutes the publisher asks readers to cache the feed. */
  ttlMinutes?: number;
  /** `sy:updatePeriod` / `sy:updateFrequency` as seconds between updates (e.g. hourly, 2 -> 1800). */
  updatePeriodSeconds?: number;
  items: FeedItem[];
  /** Items the reader left out (over its item cap or parse budget), and why. Absent when it took them all. */
  dropped?: { count: number; reason: string; detail: string };
}


/** Items looked at when the feed declares no language: a few titles and leads settle it. */
const LANGUAGE_SAMPLE_ITEMS = 20;

/**
 * The feed's language as ISO 639-1: what it declares (`<language>`, then `xml:lang`, as the parser found them),
 * else what its item titles and summaries read as, else "und".
 */
export function feedLanguageOf(feed: ParsedFeed): string {
  const declared = normalizeLanguageHint(feed.language);
  if (declared !== undefined && /^[a-z]{2}$/.test(declared)) return declared;
  const sample = feed.items
    .slice(0, LANGUAGE_SAMPLE_ITEMS)
    .map((item) => htmlToText(`${item.title ?? ''} . ${item.summaryHtml ?? item.contentHtml ?? ''}`, 300))
    .join(' ');
  return identifyLanguage(sample).language;
}
