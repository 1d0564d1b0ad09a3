// Which items a poll takes when a feed has more than it may: the newest, by date (feeds list newest first by
// convention, but not all do), within the item cap and the parse budget, and the document cut down to them, so the
// XML parser only ever builds what will be used. A feed within the limits is handed on untouched.
import { parseFeedDate } from '#domain/article.js';
import { FeedError } from '#domain/errors.js';
import type { FeedLimits } from './limits.js';
import type { ItemSpan, XmlScan } from './scan.js';

/** What a poll left out of a feed, and why: recorded in the feed's health. */
export interface DroppedItems {
  count: number;
  /** 'items-cap' when only the item cap dropped items, else 'size-budget'. */
  reason: 'items-cap' | 'size-budget';
  detail: string;
}

/**
 * Indexes of `dates` from newest to oldest. Undated items come after the dated ones, in document order (the position
 * feeds give their newest), and so do items whose dates do not parse.
 */
export function newestFirst(dates: readonly (string | undefined)[]): number[] {
  const times = dates.map((date) => (date === undefined ? undefined : parseFeedDate(date)?.getTime()));
  return dates
    .map((_, index) => index)
    .sort((a, b) => {
      const [ta, tb] = [times[a], times[b]];
      if (ta !== undefined && tb !== undefined && ta !== tb) return tb - ta;
      if (ta === undefined && tb !== undefined) return 1;
      if (tb === undefined && ta !== undefined) return -1;
      return a - b;
    });
}

export interface Selection {
  /** The document to parse: the original when nothing is dropped. */
  xml: string;
  dropped?: DroppedItems;
}

function keptIndexes(items: readonly ItemSpan[], limits: FeedLimits, headerChars: number): { kept: Set<number>; overBudget: number } {
  const kept = new Set<number>();
  let chars = headerChars;
  let elements = 0;
  let overBudget = 0;
  for (const index of newestFirst(items.map((item) => item.date))) {
    if (kept.size >= limits.maxItems) break;
    const item = items[index]!;
    const size = item.end - item.start;
    if (chars + size > limits.maxParsedChars || elements + item.elements > limits.maxItemElements) {
      overBudget++;
      continue;
    }
    kept.add(index);
    chars += size;
    elements += item.elements;
  }
  return { kept, overBudget };
}

/** The document with only the items a poll takes; everything between and around the items stays as written. */
export function selectItems(xml: string, scan: XmlScan, limits: FeedLimits): Selection {
  const { items } = scan;
  const itemChars = items.reduce((sum, item) => sum + (item.end - item.start), 0);
  const elements = items.reduce((sum, item) => sum + item.elements, 0);
  if (items.length <= limits.maxItems && xml.length <= limits.maxParsedChars && elements <= limits.maxItemElements) return { xml };
  const headerChars = xml.length - itemChars;
  if (headerChars > limits.maxParsedChars) {
    throw new FeedError('too-large', `${headerChars} characters outside the feed's items, over the ${limits.maxParsedChars}-character parse budget`);
  }

  const { kept, overBudget } = keptIndexes(items, limits, headerChars);
  const parts: string[] = [];
  let from = 0;
  items.forEach((item, index) => {
    parts.push(xml.slice(from, item.start));
    if (kept.has(index)) parts.push(xml.slice(item.start, item.end));
    from = item.end;
  });
  parts.push(xml.slice(from));
  const count = items.length - kept.size;
  const overCap = count - overBudget;
  const reason = overBudget > 0 ? 'size-budget' : 'items-cap';
  const detail =
    `Kept the newest ${kept.size} of ${items.length} items` +
    (overCap > 0 ? `; ${overCap} over the ${limits.maxItems}-item cap` : '') +
    (overBudget > 0 ? `; ${overBudget} beyond the parse budget (${limits.maxParsedChars} characters, ${limits.maxItemElements} elements)` : '');
  return { xml: parts.join(''), dropped: { count, reason, detail } };
}
