// What one poll of one feed may cost. Every limit refuses with a precise reason, or keeps the newest part and says
// what it dropped: a feed is untrusted input, and one feed must not be able to stall or exhaust the process that
// polls the others. The figures are well above what real feeds need: of the 3,000-odd feed files in ../shared, the
// largest has 730 items (a podcast archive, cut to its newest 300), none has 5,000 elements outside its items, and none
// nests 30 levels deep.
import type { FeedItem } from '#domain/feed-item.js';

export interface FeedLimits {
  /** A decoded body longer than this is refused ('too-large'), whoever hands it in (poll, push, file). */
  maxBodyBytes: number;
  /** Items one poll takes: the newest, by date, the rest dropped with reason 'items-cap'. */
  maxItems: number;
  /** Characters of XML handed to the XML parser: items that do not fit are dropped ('size-budget'). */
  maxParsedChars: number;
  /** Elements in the items handed to the XML parser (each costs an object): the rest dropped ('size-budget'). */
  maxItemElements: number;
  /** Elements outside the items (channel fields, junk): beyond it the feed is refused ('too-many-elements'). */
  maxOtherElements: number;
  /** Element nesting: deeper is refused ('too-deep') before any recursive walk could overflow the stack. */
  maxDepth: number;
}

export const FEED_LIMITS: FeedLimits = {
  maxBodyBytes: 15 * 1024 * 1024,
  maxItems: 300,
  maxParsedChars: 4 * 1024 * 1024,
  maxItemElements: 200_000,
  maxOtherElements: 20_000,
  maxDepth: 256,
};

/** Longest field values kept, in UTF-16 units; longer text is cut, longer URLs and ids are dropped. */
export const FIELD_LIMITS = {
  title: 2_000,
  html: 100_000,
  author: 500,
  date: 200,
  category: 200,
  categories: 50,
  /** Links, image URLs and guids: a longer one is no usable reference. */
  reference: 8_192,
} as const;

function cut(text: string | undefined, max: number): string | undefined {
  if (text === undefined || text.length <= max) return text;
  // Never leave half of a surrogate pair.
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

function reference(text: string | undefined): string | undefined {
  return text === undefined || text.length <= FIELD_LIMITS.reference ? text : undefined;
}

/** The item with every field within FIELD_LIMITS; the key order stays as it was (items are serialised as they are). */
export function capItemFields(item: FeedItem): FeedItem {
  const capped: FeedItem = {};
  for (const key of Object.keys(item) as (keyof FeedItem)[]) {
    switch (key) {
      case 'title':
        capped.title = cut(item.title, FIELD_LIMITS.title);
        break;
      case 'summaryHtml':
      case 'contentHtml':
        capped[key] = cut(item[key], FIELD_LIMITS.html);
        break;
      case 'author':
        capped.author = cut(item.author, FIELD_LIMITS.author);
        break;
      case 'published':
        capped.published = cut(item.published, FIELD_LIMITS.date);
        break;
      case 'categories':
        capped.categories = item.categories?.slice(0, FIELD_LIMITS.categories).map((name) => cut(name, FIELD_LIMITS.category) ?? name);
        break;
      default:
        capped[key] = reference(item[key]);
    }
    if (capped[key] === undefined) delete capped[key];
  }
  return capped;
}
