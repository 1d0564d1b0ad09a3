// RSS 0.9x/1.0 (RDF)/2.0 and Atom 0.3/1.0 text to ParsedFeed through rss-parser (xml2js underneath): the parser
// instance, its extra fields and leniencies, and the feed-level fields (title, link, language, update hints).
import Parser from 'rss-parser';
import rssParserUtils from 'rss-parser/lib/utils.js';
import { FeedError } from '#domain/errors.js';
import type { ParsedFeed } from '#domain/feed-item.js';
import type { DecodedFeed } from './decode.js';
import { repairEntities } from './repair.js';
import { absoluteHttpUrl, baseFor, resolveLink } from './links.js';
import type { BaseChain, LocatedUrl } from './links.js';
import { capItemFields } from './limits.js';
import { mapItem } from './rss-atom-item.js';
import { XML_BASE, alternateLink, asArray, attributes, clean, isRecord, textOf, xmlBaseOf } from './xml-values.js';
import type { RawFields, XmlValue } from './xml-values.js';

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

/** What a document says about its own links: the xml:base above its items and its link, and its self URL. */
interface DocumentLinks {
  items: BaseChain;
  feedLink: BaseChain;
  /** Atom's `<link rel="self">`, RSS's `<atom:link rel="self">`: the feed's own URL as its publisher states it. */
  self?: LocatedUrl;
}

function selfLink(links: XmlValue, parents: BaseChain): LocatedUrl | undefined {
  const element = asArray(links).find((link) => attributes(link).rel === 'self');
  const url = clean(attributes(element).href);
  return url === undefined ? undefined : { url, bases: [...parents, xmlBaseOf(element)] };
}

/** Where xml:base can sit above the items and the feed's link: the root, RSS's channel, the link element itself. */
function documentLinks(xmlObj: RawFields): DocumentLinks {
  if (isRecord(xmlObj.feed)) {
    const root = xmlBaseOf(xmlObj.feed);
    const self = selfLink(xmlObj.feed.link, [root]);
    return { items: [root], feedLink: [root, xmlBaseOf(alternateLink(xmlObj.feed.link))], ...(self && { self }) };
  }
  // RSS 1.0 puts its items beside the channel, under the root; RSS 0.9x/2.0 inside the channel.
  const rdf = isRecord(xmlObj['rdf:RDF']) ? xmlObj['rdf:RDF'] : undefined;
  const root = rdf ?? xmlObj.rss;
  const channel = asArray(isRecord(root) ? root.channel : undefined)[0];
  const [rootBase, channelBase] = [xmlBaseOf(root), xmlBaseOf(channel)];
  const linkBase = xmlBaseOf(asArray(isRecord(channel) ? channel.link : undefined)[0]);
  const self = selfLink(isRecord(channel) ? channel['atom:link'] : undefined, [rootBase, channelBase]);
  return {
    items: rdf === undefined ? [rootBase, channelBase] : [rootBase],
    feedLink: [rootBase, channelBase, linkBase],
    ...(self && { self }),
  };
}

type Build = (this: Parser, xmlObj: RawFields) => RawFields;
type BuildName = 'buildAtomFeed' | 'buildRSS0_9' | 'buildRSS1' | 'buildRSS2';
// rss-parser's own steps, which its TypeScript declarations do not list.
const upstream = Parser.prototype as unknown as Record<BuildName, Build> & {
  parseItemAtom(this: Parser, entry: RawFields): RawFields;
  parseItemRss(this: Parser, item: RawFields, fields: unknown): RawFields;
};

function withItemBase(item: RawFields, raw: RawFields): RawFields {
  const xmlBase = xmlBaseOf(raw);
  if (xmlBase !== undefined) item[XML_BASE] = xmlBase;
  return item;
}

/**
 * What rss-parser stores for an item's description (`content`) or content:encoded, without the plain-text
 * "snippet" it derives from each: its HTML-stripping regex (/<(?:.|\n)*?>/) is quadratic on a "<" that never
 * closes, 6 s for 16 KB of them, and we derive our own text (htmlToText) anyway.
 */
function withContent(item: RawFields, key: string, element: XmlValue): void {
  const first = asArray(element)[0];
  if (first === undefined) return;
  item[key] = key === 'content:encoded' ? (isRecord(first) && typeof first._ === 'string' ? first._ : first) : rssParserUtils.getContent(first);
}

/**
 * rss-parser with three changes. It derives snippets from item HTML with a quadratic regex: not here (withContent). It turns Atom dates into ISO with `new Date(x).toISOString()`, which throws on a bad
 * date and so fails the whole feed: the raw text is kept instead (toArticle parses it, and falls back to the fetch
 * time when it cannot). And it drops xml:base: each item keeps its own, the feed what documentLinks finds.
 */
class LenientParser extends Parser<RawFields, RawFields> {
  parseItemAtom(entry: RawFields): RawFields {
    // Atom 0.3 names its dates issued, created and modified.
    const { published, updated, issued, created, modified, content, ...rest } = entry;
    const item = upstream.parseItemAtom.call(this, rest);
    const raw = textOf(published) ?? textOf(issued) ?? textOf(created) ?? textOf(updated) ?? textOf(modified);
    if (raw !== undefined) item.pubDate = raw;
    withContent(item, 'content', content);
    return withItemBase(item, entry);
  }

  parseItemRss(item: RawFields, fields: unknown): RawFields {
    const { description, 'content:encoded': encoded, ...rest } = item;
    const parsed = upstream.parseItemRss.call(this, rest, fields);
    withContent(parsed, 'content', description);
    withContent(parsed, 'content:encoded', encoded);
    return withItemBase(parsed, item);
  }

  buildAtomFeed(xmlObj: RawFields): RawFields {
    return { ...upstream.buildAtomFeed.call(this, xmlObj), [XML_BASE]: documentLinks(xmlObj) };
  }

  buildRSS0_9(xmlObj: RawFields): RawFields {
    return { ...upstream.buildRSS0_9.call(this, xmlObj), [XML_BASE]: documentLinks(xmlObj) };
  }

  buildRSS1(xmlObj: RawFields): RawFields {
    return { ...upstream.buildRSS1.call(this, xmlObj), [XML_BASE]: documentLinks(xmlObj) };
  }

  buildRSS2(xmlObj: RawFields): RawFields {
    return { ...upstream.buildRSS2.call(this, xmlObj), [XML_BASE]: documentLinks(xmlObj) };
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
 * Parses the repaired XML of a document whose root names `format`; relative links resolve against the xml:base in
 * scope, the feed's link, its self link, then `document.url` (links.ts); `document.xmlLang` is the language the
 * root or channel declares (scan.ts). Throws FeedError 'malformed-xml' when the XML is not well formed,
 * 'not-a-feed' when rss-parser finds no feed structure under the root.
 */
export async function parseXmlFeed(
  xml: string,
  format: XmlFormat,
  decoded: Omit<DecodedFeed, 'text'>,
  document: { url?: string; xmlLang?: string } = {},
): Promise<ParsedFeed> {
  const { encoding, source: encodingSource } = decoded;
  const { url: documentUrl, xmlLang: declaredLang } = document;
  let output: Parser.Output<RawFields> & RawFields;
  try {
    output = await sharedParser.parseString(repairEntities(xml));
  } catch (error: unknown) {
    sharedParser = createParser();
    // Not about the document's structure (a stack overflow, say): the reader's entry point names it.
    if (error instanceof RangeError) throw error;
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

  const links = output[XML_BASE] as DocumentLinks;
  const selfUrl = absoluteHttpUrl(links.self && resolveLink(links.self.url, baseFor(links.self.bases, { documentUrl })));
  const link = resolveLink(clean(textOf(output.link)), baseFor(links.feedLink, { documentUrl, selfUrl }));
  const context = { documentUrl, selfUrl, feedLink: absoluteHttpUrl(link) };
  const feed: ParsedFeed = {
    format,
    encoding,
    encodingSource,
    items: (output.items as RawFields[]).map((item) => capItemFields(mapItem(item, format, { parents: links.items, context }))),
  };
  const title = clean(textOf(output.title));
  const language = clean(textOf(output.language) ?? textOf(output['dc:language']) ?? declaredLang);
  const ttlMinutes = positiveInteger(textOf(output.ttl));
  const period = updatePeriodSeconds(clean(textOf(output['sy:updatePeriod'])), clean(textOf(output['sy:updateFrequency'])));
  if (title !== undefined) feed.title = title;
  if (link !== undefined) feed.link = link;
  if (language !== undefined) feed.language = language;
  if (ttlMinutes !== undefined) feed.ttlMinutes = ttlMinutes;
  if (period !== undefined) feed.updatePeriodSeconds = period;
  return feed;
}
