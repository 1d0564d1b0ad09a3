// One rss-parser item (RSS 0.9x/1.0/2.0 or Atom entry) to a FeedItem: the link, guid, texts, date, author,
// categories and image, each from the element that names it best in that format. The link and image are resolved
// against the xml:base in scope, else the feed's link, else the fetch URL (links.ts).
import type { FeedItem, ParsedFeed } from '#domain/feed-item.js';
import { absoluteHttpUrl, baseFor, resolveLink } from './links.js';
import type { BaseChain, LinkContext, LocatedUrl } from './links.js';
import { XML_BASE, alternateLink, asArray, attributes, clean, isRecord, textOf, xmlBaseOf } from './xml-values.js';
import type { RawFields, XmlValue } from './xml-values.js';

const IMAGE_EXTENSION = /\.(?:jpe?g|png|gif|webp|avif)(?:[?#]|$)/i;

/** The item's `name` elements, then those inside its media:group elements, each with the xml:base above it. */
function mediaElements(item: RawFields, direct: XmlValue, name: 'media:content' | 'media:thumbnail'): { element: XmlValue; bases: BaseChain }[] {
  const groups = asArray(item.mediaGroup).filter(isRecord);
  return [
    ...asArray(direct).map((element) => ({ element, bases: [xmlBaseOf(element)] })),
    ...groups.flatMap((group) => asArray(group[name]).map((element) => ({ element, bases: [xmlBaseOf(group), xmlBaseOf(element)] }))),
  ];
}

function imageFromMedia(candidates: { element: XmlValue; bases: BaseChain }[]): LocatedUrl | undefined {
  for (const { element, bases } of candidates) {
    const { url, medium, type } = attributes(element);
    if (url === undefined) continue;
    if (medium === 'image' || type?.startsWith('image/') === true) return { url, bases };
    if (medium === undefined && type === undefined && IMAGE_EXTENSION.test(url)) return { url, bases };
  }
  return undefined;
}

function imageOf(item: RawFields): LocatedUrl | undefined {
  const fromContent = imageFromMedia(mediaElements(item, item.mediaContent, 'media:content'));
  if (fromContent !== undefined) return fromContent;
  for (const { element, bases } of mediaElements(item, item.mediaThumbnail, 'media:thumbnail')) {
    const { url } = attributes(element);
    if (url !== undefined) return { url, bases };
  }
  // rss-parser keeps only the attributes of an RSS <enclosure>, its xml:base among them.
  const enclosure = isRecord(item.enclosure) ? item.enclosure : undefined;
  if (typeof enclosure?.url === 'string' && (typeof enclosure.type !== 'string' || enclosure.type.startsWith('image/'))) {
    const bases = [typeof enclosure[XML_BASE] === 'string' ? enclosure[XML_BASE] : undefined];
    if (typeof enclosure.type === 'string' || IMAGE_EXTENSION.test(enclosure.url)) return { url: enclosure.url, bases };
  }
  // Atom: <link rel="enclosure" type="image/jpeg" href="...">
  for (const link of asArray(item.rawLinks)) {
    const { rel, type, href } = attributes(link);
    if (rel === 'enclosure' && type?.startsWith('image/') === true && href !== undefined) return { url: href, bases: [xmlBaseOf(link)] };
  }
  return undefined;
}

function categoriesOf(item: RawFields, format: ParsedFeed['format']): string[] | undefined {
  const raw = [...asArray(item.rawCategories), ...asArray(item.dcSubjects)];
  const names = raw
    .map((category) => {
      // Atom keeps the name in attributes; RSS in the text.
      const attrs = attributes(category);
      return clean(format === 'atom' ? (attrs.label ?? attrs.term) : textOf(category));
    })
    .filter((name): name is string => name !== undefined);
  return names.length > 0 ? [...new Set(names)] : undefined;
}

const isSpace = (char: string | undefined): boolean => char !== undefined && /\s/.test(char);

/**
 * Where the parenthesised name of "jane@example.com (Jane Doe)" opens, exactly where /^\S+@\S+\s*\((.+)\)$/ would
 * put it (the oracle of a property test), or -1. A scan of the first word, not that regex, which backtracks
 * polynomially on long runs of "@" or "(".
 */
export function authorNameStart(raw: string): number {
  if (!raw.endsWith(')')) return -1;
  let wordEnd = 0;
  while (wordEnd < raw.length && !isSpace(raw[wordEnd])) wordEnd++;
  const at = raw.indexOf('@', 1);
  if (at === -1 || at >= wordEnd) return -1;
  let next = wordEnd;
  while (next < raw.length && isSpace(raw[next])) next++;
  // The greedy address takes the whole first word when a "(" follows it, else it ends at the last "(" inside it.
  if (next > wordEnd && raw[next] === '(' && at < wordEnd - 1 && next <= raw.length - 3) return next;
  for (let open = Math.min(wordEnd - 1, raw.length - 3); open > at + 1; open--) if (raw[open] === '(') return open;
  return -1;
}

/** "jane@example.com (Jane Doe)" is how RSS spells an author; the name is the useful part. */
function authorOf(item: RawFields): string | undefined {
  const raw = clean(textOf(item.creator) ?? textOf(item.author));
  if (raw === undefined) return undefined;
  const open = authorNameStart(raw);
  return open === -1 ? raw : (clean(raw.slice(open + 1, -1)) ?? raw);
}

interface RssGuid {
  guid?: string;
  /** isPermaLink is true unless the feed says "false"; `declared` when it says "true" outright. */
  isPermaLink: boolean;
  declared: boolean;
  /** The xml:base of the `<guid>` element. */
  base?: string;
}

function rssGuid(item: RawFields): RssGuid {
  const [first] = asArray(item.rawGuid);
  const guid = clean(textOf(first));
  const flag = attributes(first).isPermaLink?.toLowerCase();
  return { guid, isPermaLink: flag !== 'false', declared: flag === 'true', base: xmlBaseOf(first) };
}

/**
 * The link a permalink guid stands for: an absolute http(s) guid as written; a relative one only when it is a path
 * from the root ("/blog/post") and the feed declares isPermaLink="true" outright. The flag is true by default and
 * often left on ids ("12345", "test-id-1") that are no URLs at all.
 */
function permalinkOf(rss: RssGuid, resolve: (located: LocatedUrl) => string | undefined): string | undefined {
  if (!rss.isPermaLink || rss.guid === undefined) return undefined;
  if (/^https?:\/\//i.test(rss.guid)) return rss.guid;
  if (!rss.declared || !/^\/(?!\/)/.test(rss.guid)) return undefined;
  return absoluteHttpUrl(resolve({ url: rss.guid, bases: [rss.base] }));
}

/** The item's link as written, with the xml:base of the `<link>` element it came from. */
function linkOf(item: RawFields, format: ParsedFeed['format']): LocatedUrl | undefined {
  const url = clean(textOf(item.link));
  if (url === undefined) return undefined;
  // rss-parser reads an RSS item's first <link> and an Atom entry's alternate one; rawLinks holds them all.
  const element = format === 'atom' ? alternateLink(item.rawLinks) : asArray(item.rawLinks)[0];
  return { url, bases: [xmlBaseOf(element)] };
}

/** Where an item's relative references resolve: the xml:base values above it (root, channel) and the fallbacks. */
export interface ItemScope {
  parents: BaseChain;
  context: LinkContext;
}

export function mapItem(item: RawFields, format: ParsedFeed['format'], scope: ItemScope): FeedItem {
  const chain = [...scope.parents, typeof item[XML_BASE] === 'string' ? item[XML_BASE] : undefined];
  const resolve = (located: LocatedUrl): string | undefined =>
    resolveLink(located.url, baseFor([...chain, ...located.bases], scope.context));
  const foundLink = linkOf(item, format);
  let link = foundLink && resolve(foundLink);
  let guid: string | undefined;
  let summaryHtml: string | undefined;
  let contentHtml: string | undefined;
  if (format === 'atom') {
    guid = clean(textOf(item.id));
    summaryHtml = clean(textOf(item.summary));
    contentHtml = clean(textOf(item.content));
  } else {
    const rss = rssGuid(item);
    guid = rss.guid ?? clean(textOf(item['rdf:about']));
    link ??= permalinkOf(rss, resolve);
    // rss-parser stores <description> under `content` and <content:encoded> under its own name.
    summaryHtml = clean(textOf(item.content));
    contentHtml = clean(textOf(item['content:encoded']));
  }
  const title = clean(textOf(item.title) ?? textOf(item.dcTitle));
  const published = clean(textOf(item.pubDate) ?? textOf(item.date) ?? textOf(item.atomPublished) ?? textOf(item.atomUpdated));
  const author = authorOf(item);
  const categories = categoriesOf(item, format);
  const image = imageOf(item);
  const imageUrl = image && resolve(image);
  // Only the defined values, always in this order: the item is serialised as it is (inspect --json, the corpus).
  const mapped: FeedItem = {};
  if (summaryHtml !== undefined) mapped.summaryHtml = summaryHtml;
  if (contentHtml !== undefined) mapped.contentHtml = contentHtml;
  if (guid !== undefined) mapped.guid = guid;
  if (link !== undefined) mapped.link = link;
  if (title !== undefined) mapped.title = title;
  if (published !== undefined) mapped.published = published;
  if (author !== undefined) mapped.author = author;
  if (categories !== undefined) mapped.categories = categories;
  if (imageUrl !== undefined) mapped.imageUrl = imageUrl;
  return mapped;
}
