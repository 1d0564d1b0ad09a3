// One rss-parser item (RSS 0.9x/1.0/2.0 or Atom entry) to a FeedItem: the link, guid, texts, date, author,
// categories and image, each from the element that names it best in that format.
import type { FeedItem, ParsedFeed } from '#domain/feed-item.js';
import { asArray, attributes, clean, isRecord, textOf } from './xml-values.js';
import type { RawFields, XmlValue } from './xml-values.js';

const IMAGE_EXTENSION = /\.(?:jpe?g|png|gif|webp|avif)(?:[?#]|$)/i;

function imageFromMedia(candidates: XmlValue[]): string | undefined {
  for (const candidate of candidates) {
    const { url, medium, type } = attributes(candidate);
    if (url === undefined) continue;
    if (medium === 'image' || type?.startsWith('image/') === true) return url;
    if (medium === undefined && type === undefined && IMAGE_EXTENSION.test(url)) return url;
  }
  return undefined;
}

function imageOf(item: RawFields): string | undefined {
  const groups = asArray(item.mediaGroup).filter(isRecord);
  const contents = [...asArray(item.mediaContent), ...groups.flatMap((group) => asArray(group['media:content']))];
  const thumbnails = [...asArray(item.mediaThumbnail), ...groups.flatMap((group) => asArray(group['media:thumbnail']))];
  const fromContent = imageFromMedia(contents);
  if (fromContent !== undefined) return fromContent;
  const thumbnail = thumbnails.map((thumb) => attributes(thumb).url).find((url) => url !== undefined);
  if (thumbnail !== undefined) return thumbnail;
  const enclosure = isRecord(item.enclosure) ? item.enclosure : undefined;
  if (typeof enclosure?.url === 'string' && (typeof enclosure.type !== 'string' || enclosure.type.startsWith('image/'))) {
    if (typeof enclosure.type === 'string' || IMAGE_EXTENSION.test(enclosure.url)) return enclosure.url;
  }
  // Atom: <link rel="enclosure" type="image/jpeg" href="...">
  for (const link of asArray(item.rawLinks)) {
    const { rel, type, href } = attributes(link);
    if (rel === 'enclosure' && type?.startsWith('image/') === true && href !== undefined) return href;
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

/** "jane@example.com (Jane Doe)" is how RSS spells an author; the name is the useful part. */
function authorOf(item: RawFields): string | undefined {
  const raw = clean(textOf(item.creator) ?? textOf(item.author));
  if (raw === undefined) return undefined;
  const named = /^\S+@\S+\s*\((.+)\)$/.exec(raw);
  return clean(named?.[1]) ?? raw;
}

function rssGuid(item: RawFields): { guid?: string; isPermaLink: boolean } {
  const [first] = asArray(item.rawGuid);
  const guid = clean(textOf(first));
  return { guid, isPermaLink: attributes(first).isPermaLink?.toLowerCase() !== 'false' };
}

export function mapItem(item: RawFields, format: ParsedFeed['format']): FeedItem {
  let link = clean(textOf(item.link));
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
    if (link === undefined && rss.isPermaLink && rss.guid !== undefined && /^https?:\/\//i.test(rss.guid)) {
      link = rss.guid;
    }
    // rss-parser stores <description> under `content` and <content:encoded> under its own name.
    summaryHtml = clean(textOf(item.content));
    contentHtml = clean(textOf(item['content:encoded']));
  }
  const title = clean(textOf(item.title) ?? textOf(item.dcTitle));
  const published = clean(textOf(item.pubDate) ?? textOf(item.date) ?? textOf(item.atomPublished) ?? textOf(item.atomUpdated));
  const author = authorOf(item);
  const categories = categoriesOf(item, format);
  const imageUrl = imageOf(item);
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
