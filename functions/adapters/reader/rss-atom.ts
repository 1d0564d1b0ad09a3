// RSS 0.9x/1.0 (RDF)/2.0 and Atom 0.3/1.0 text to ParsedFeed through rss-parser (xml2js underneath): the parser
// instance, its extra fields and leniencies, and the feed-level fields (title, link, language, update hints).
import Parser from 'rss-parser';
import { FeedError } from '#domain/errors.js';
import type { ParsedFeed } from '#domain/feed-item.js';
import type { DecodedFeed } from './decode.js';
import { prologOf, repairEntities } from './repair.js';
import { mapItem } from './rss-atom-item.js';
import { clean, textOf } from './xml-values.js';
import type { RawFields } from './xml-values.js';

const CUSTOM_FIELDS: Parser.CustomFields<RawFields, RawFields> = {
  feed: ['dc:language', 'sy:updatePeriod', 'sy:updateFrequency'],
  item: [
    ['media:content', 'mediaContent', { keepArray: true }],
    ['media:thumbnail', 'mediaThumbnail', { keepArray: true }],
    ['media:group', 'mediaGroup', { keepArray: true }],
    ['guid', 'rawGuid', { keepArray: true }],
    ['link', 'rawLinks', { keepArray: true }],
    ['category', 'rawCategories', { keepArray: true }],
    ['dc:subject', 'dcSubjects', { keepArray: true }],
    ['dc:title', 'dcTitle'],
    // Atom dates inside RSS items, used when pubDate and dc:date are absent.
    ['atom:published', 'atomPublished'],
    ['atom:updated', 'atomUpdated'],
  ],
};

/** `xml:lang` on the root element, or on RSS's `<channel>`: the declared language when no element names one. */
function xmlLang(xml: string): string | undefined {
  const head = xml.slice(prologOf(xml).length, 8192);
  return /^<[^>]*?\sxml:lang\s*=\s*["']([^"']+)["']/i.exec(head)?.[1] ?? /<channel\b[^>]*?\sxml:lang\s*=\s*["']([^"']+)["']/i.exec(head)?.[1];
}

const SECONDS_PER_PERIOD: Record<string, number> = {
  hourly: 3_600,
  daily: 86_400,
  weekly: 604_800,
  monthly: 2_592_000,
  yearly: 31_536_000,
};

function positiveInteger(text: string | undefined): number | undefined {
  if (text === undefined || !/^\s*\d+\s*$/.test(text)) return undefined;
  const value = Number(text);
  return value > 0 && Number.isSafeInteger(value) ? value : undefined;
}

/** The syndication module's schedule: updatePeriod (default daily) divided by updateFrequency (default 1). */
function updatePeriodSeconds(period: string | undefined, frequency: string | undefined): number | undefined {
  if (period === undefined && frequency === undefined) return undefined;
  const seconds = SECONDS_PER_PERIOD[(period ?? 'daily').trim().toLowerCase()];
  if (seconds === undefined) return undefined;
  const times = frequency === undefined ? 1 : positiveInteger(frequency);
  return times === undefined ? undefined : Math.max(1, Math.round(seconds / times));
}

// rss-parser turns Atom dates into ISO with `new Date(x).toISOString()`, which throws on a bad date and so fails the
// whole feed. Keep the raw text instead: toArticle parses it, and falls back to the fetch time when it cannot.
const parseAtomEntry = (Parser.prototype as unknown as { parseItemAtom(this: Parser, entry: RawFields): RawFields })
  .parseItemAtom;

class LenientParser extends Parser<RawFields, RawFields> {
  parseItemAtom(entry: RawFields): RawFields {
    // Atom 0.3 names its dates issued, created and modified.
    const { published, updated, issued, created, modified, ...rest } = entry;
    const item = parseAtomEntry.call(this, rest);
    const raw = textOf(published) ?? textOf(issued) ?? textOf(created) ?? textOf(updated) ?? textOf(modified);
    if (raw !== undefined) item.pubDate = raw;
    return item;
  }
}

function createParser(): LenientParser {
  return new LenientParser({ customFields: CUSTOM_FIELDS, defaultRSS: 2 });
}

/**
 * One parser for every feed: xml2js parses synchronously and resets itself after each document, so sequential and
 * interleaved async callers never share a parse. After an error the old sax parser may still finish its write and
 * touch the instance, so a failed parse gets a fresh one.
 */
let sharedParser = createParser();

export type XmlFormat = Exclude<ParsedFeed['format'], 'json' | 'unknown'>;

/**
 * Parses the repaired XML of a document whose root names `format`. Throws FeedError 'malformed-xml' when the XML is
 * not well formed, 'not-a-feed' when rss-parser finds no feed structure under the root.
 */
export async function parseXmlFeed(xml: string, format: XmlFormat, decoded: Omit<DecodedFeed, 'text'>): Promise<ParsedFeed> {
  const { encoding, source: encodingSource } = decoded;
  let output: Parser.Output<RawFields> & RawFields;
  try {
    output = await sharedParser.parseString(repairEntities(xml));
  } catch (error: unknown) {
    sharedParser = createParser();
    const message = error instanceof Error ? error.message : String(error);
    // sax reports position as "Line: n"; anything else is rss-parser not finding the feed structure it expects.
    if (/\nLine:\s*\d+/.test(message) || message === 'Unable to parse XML.') {
      throw new FeedError('malformed-xml', `Malformed XML: ${message.split('\n')[0] ?? message}`, { cause: error });
    }
    const expected = format === 'atom' ? '<feed> entries' : '<channel>';
    throw new FeedError('not-a-feed', `No ${format.toUpperCase()} feed structure found (expected ${expected})`, {
      cause: error,
    });
  }

  const feed: ParsedFeed = {
    format,
    encoding,
    encodingSource,
    items: (output.items as RawFields[]).map((item) => mapItem(item, format)),
  };
  const title = clean(textOf(output.title));
  const link = clean(textOf(output.link));
  const language = clean(textOf(output.language) ?? textOf(output['dc:language']) ?? xmlLang(xml));
  const ttlMinutes = positiveInteger(textOf(output.ttl));
  const period = updatePeriodSeconds(clean(textOf(output['sy:updatePeriod'])), clean(textOf(output['sy:updateFrequency'])));
  if (title !== undefined) feed.title = title;
  if (link !== undefined) feed.link = link;
  if (language !== undefined) feed.language = language;
  if (ttlMinutes !== undefined) feed.ttlMinutes = ttlMinutes;
  if (period !== undefined) feed.updatePeriodSeconds = period;
  return feed;
}
