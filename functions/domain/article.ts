// From a parsed feed item to the Article every later stage works with: stable id, plain text, a trustworthy date.
import { createHash } from 'node:crypto';
import type { FeedItem } from './feed-item.js';
import { htmlToText, truncateText } from './text.js';
import type { Article } from './types.js';
import { canonicalizeUrl, resolveHttpUrl } from './url.js';

export const SUMMARY_MAX_LENGTH = 1_000;
const TITLE_MAX_LENGTH = 300;
const TITLE_FROM_SUMMARY_LENGTH = 100;
const DEFAULT_FUTURE_TOLERANCE_MINUTES = 10;

/** A stable, URL-safe id: the first 22 base64url characters (132 bits) of the SHA-256 of the canonical URL or guid. */
export function articleIdFor(canonicalUrlOrGuid: string): string {
  return createHash('sha256').update(canonicalUrlOrGuid, 'utf8').digest('base64url').slice(0, 22);
}

export interface ToArticleContext {
  feedId: string;
  sourceName: string;
  /** The feed's site link, used to resolve relative item links. */
  feedLink?: string;
  /** The feed's language (BCP 47 or ISO 639-1); anything else becomes "und". */
  language?: string;
  fetchedAt: string;
  /** Dates further than this in the future are publisher mistakes; they become fetchedAt. @default 10 */
  futureToleranceMinutes?: number;
}

/** The Article for a feed item, or undefined when the item has neither a usable link nor a guid. */
export function toArticle(item: FeedItem, ctx: ToArticleContext): Article | undefined {
  const canonicalUrl = item.link === undefined ? undefined : canonicalizeUrl(item.link, ctx.feedLink);
  const guid = nonEmpty(item.guid?.trim());
  const identity = canonicalUrl ?? guid;
  if (identity === undefined) return undefined;
  const articleId = articleIdFor(identity);
  const url = canonicalUrl ?? (ctx.feedLink === undefined ? undefined : canonicalizeUrl(ctx.feedLink)) ?? '';

  const summaryText = nonEmpty(htmlToText(item.summaryHtml ?? '')) ?? htmlToText(item.contentHtml ?? '');
  const title =
    nonEmpty(htmlToText(item.title ?? '', TITLE_MAX_LENGTH)) ??
    nonEmpty(truncateText(summaryText, TITLE_FROM_SUMMARY_LENGTH)) ??
    url;

  const categories = uniqueTexts(item.categories ?? []);
  const author = nonEmpty(htmlToText(item.author ?? '', 200));
  const imageUrl = resolveHttpUrl(item.imageUrl, canonicalUrl ?? ctx.feedLink)?.href;

  return {
    articleId,
    storyId: articleId,
    url,
    ...(guid === undefined ? {} : { guid }),
    title,
    summary: truncateText(summaryText, SUMMARY_MAX_LENGTH),
    publishedAt: publishedAtFor(item.published, ctx.fetchedAt, ctx.futureToleranceMinutes),
    fetchedAt: ctx.fetchedAt,
    feedId: ctx.feedId,
    sourceName: ctx.sourceName,
    language: normalizeLanguage(ctx.language),
    ...(author === undefined ? {} : { author }),
    ...(categories.length === 0 ? {} : { categories }),
    ...(imageUrl === undefined ? {} : { imageUrl }),
  };
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text;
}

function uniqueTexts(values: string[]): string[] {
  const seen = new Set<string>();
  for (const value of values) {
    const text = htmlToText(value, 100);
    if (text !== '') seen.add(text);
  }
  return [...seen];
}

/** ISO 639-1 from a feed's language tag ("en-GB", "pt_BR", "RU"), else "und". */
export function normalizeLanguage(tag: string | undefined): string {
  const primary = (tag ?? '').trim().toLowerCase().split(/[-_]/, 1)[0] ?? '';
  return /^[a-z]{2}$/.test(primary) ? primary : 'und';
}

/** publishedAt as ISO 8601: the item's date when it parses and is not in the future, else fetchedAt. */
export function publishedAtFor(raw: string | undefined, fetchedAt: string, futureToleranceMinutes?: number): string {
  const fetched = Date.parse(fetchedAt);
  const published = raw === undefined ? undefined : parseFeedDate(raw);
  if (published === undefined || Number.isNaN(fetched)) return fetchedAt;
  const toleranceMs = (futureToleranceMinutes ?? DEFAULT_FUTURE_TOLERANCE_MINUTES) * 60_000;
  return published.getTime() > fetched + toleranceMs ? fetchedAt : published.toISOString();
}

// ---------------------------------------------------------------------------------------------------------------
// Dates. Date.parse is not used on zone-less strings because it reads them in the machine's local time zone.

const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, sept: 8, oct: 9, nov: 10, dec: 11,
  january: 0, february: 1, march: 2, april: 3, june: 5, july: 6, august: 7, september: 8, october: 9,
  november: 10, december: 11,
};

/** Offsets in minutes of the zone names feeds actually use (RFC 822's own plus common civil abbreviations). */
const ZONES: Record<string, number> = {
  z: 0, ut: 0, utc: 0, gmt: 0, wet: 0,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
  akst: -540, akdt: -480, hst: -600, ast: -240, adt: -180, nst: -210, ndt: -150,
  bst: 60, ist: 330, cet: 60, cest: 120, met: 60, mest: 120, west: 60, eet: 120, eest: 180, msk: 180,
  sast: 120, pkt: 300, wib: 420, sgt: 480, hkt: 480, awst: 480, jst: 540, kst: 540,
  acst: 570, acdt: 630, aest: 600, aedt: 660, nzst: 720, nzdt: 780,
};

/** Offset in minutes east of UTC, or undefined when the zone is not recognised. An empty zone means UTC. */
function zoneOffsetMinutes(zone: string): number | undefined {
  const text = zone.trim().toLowerCase().replace(/^\((.*)\)$/, '$1');
  if (text === '') return 0;
  const named = ZONES[text];
  if (named !== undefined) return named;
  // "+0300", "-05:00", "+3", "GMT+2", "UTC-05:30", "GMT+0200 (CEST)"
  const numeric = /^(?:gmt|utc|ut)?\s*([+-])(\d{1,2})(?::?(\d{2}))?(?:\s*\(.*\))?$/.exec(text);
  if (numeric) {
    const hours = Number(numeric[2]);
    const minutes = Number(numeric[3] ?? 0);
    if (hours > 14 || minutes > 59) return undefined;
    return (numeric[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  // A recognised zone followed by its name in words, e.g. "GMT (Greenwich Mean Time)".
  const [first] = text.split(/\s+/);
  return first !== undefined && first !== text ? zoneOffsetMinutes(first) : undefined;
}

function buildDate(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millisecond: number,
  offsetMinutes: number,
): Date | undefined {
  if (year < 1900 || year > 9999 || month < 0 || month > 11 || day < 1 || day > 31) return undefined;
  if (hour > 24 || minute > 59 || second > 60 || (hour === 24 && (minute > 0 || second > 0))) return undefined;
  const clampedSecond = Math.min(second, 59);
  const utc = Date.UTC(year, month, day, hour, minute, clampedSecond, millisecond);
  // Date.UTC rolls Feb 30 over into March: such a date is a typo, not a real one.
  const check = new Date(Date.UTC(year, month, day));
  if (check.getUTCMonth() !== month) return undefined;
  const date = new Date(utc - offsetMinutes * 60_000);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function fullYear(text: string): number {
  const year = Number(text);
  if (text.length > 2) return year;
  return year < 50 ? 2000 + year : 1900 + year;
}

// Dates come from feeds: each pattern is unambiguous (no two quantifiers can trade characters), so none backtracks
// super-linearly, and the text is folded and capped at 100 characters before any of them runs. The zone is whatever
// follows the time, starting with a non-digit (zoneOffsetMinutes decides what it is worth).
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T\s]+(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?$/i;
const RFC822_DATE =
  /^(?:[a-z]+\.?,?\s*)?(\d{1,2})[\s-]+([a-z]+)\.?,?[\s-]+(\d{2}|\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.(\d+))?(?:\s*([^\s\d].*))?$/i;
// "Tue Jan 02 2024 10:00:00 GMT+0100" and "January 2, 2024 10:00 AM EST"
const MONTH_FIRST_DATE =
  /^(?:[a-z]+\.?(?:,\s*|\s+))?([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*(am|pm)(?![a-z]))?(?:\s*([^\s\d].*))?$/i;
/** Whitespace runs other than a lone space: folding them gives what /\s+/g -> " " gives, with far fewer matches. */
const WHITESPACE_TO_FOLD = /[^\S ]\s*| \s+/g;
const DATE_ONLY = /^(?:[a-z]+\.?,?\s*)?(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})$/i;

/**
 * Parses the dates found in feeds: ISO 8601 / RFC 3339 (zone-less means UTC) and RFC 822 / 2822 with its real-world
 * variants (missing weekday, 2-digit years, zone names like EST or CEST, "GMT+2", no zone = UTC). Never throws.
 */
export function parseFeedDate(raw: string): Date | undefined {
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim().replace(WHITESPACE_TO_FOLD, ' ');
  if (text === '' || text.length > 100) return undefined;

  const iso = ISO_DATE.exec(text);
  if (iso) {
    const offset = zoneOffsetMinutes(iso[8] ?? '');
    if (offset === undefined) return undefined;
    const fraction = iso[7] === undefined ? 0 : Math.floor(Number(`0.${iso[7]}`) * 1000);
    return buildDate(
      Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]),
      Number(iso[4] ?? 0), Number(iso[5] ?? 0), Number(iso[6] ?? 0), fraction, offset,
    );
  }

  const rfc = RFC822_DATE.exec(text);
  if (rfc) {
    const month = MONTHS[(rfc[2] ?? '').toLowerCase()];
    const offset = zoneOffsetMinutes(rfc[8] ?? '');
    if (month === undefined || offset === undefined) return undefined;
    const fraction = rfc[7] === undefined ? 0 : Math.floor(Number(`0.${rfc[7]}`) * 1000);
    return buildDate(
      fullYear(rfc[3] ?? ''), month, Number(rfc[1]),
      Number(rfc[4]), Number(rfc[5]), Number(rfc[6] ?? 0), fraction, offset,
    );
  }

  const monthFirst = MONTH_FIRST_DATE.exec(text);
  if (monthFirst) {
    const month = MONTHS[(monthFirst[1] ?? '').toLowerCase()];
    const offset = zoneOffsetMinutes(monthFirst[8] ?? '');
    if (month === undefined || offset === undefined) return undefined;
    let hour = Number(monthFirst[4]);
    const meridiem = monthFirst[7]?.toLowerCase();
    if (meridiem !== undefined && (hour < 1 || hour > 12)) return undefined;
    if (meridiem === 'pm' && hour < 12) hour += 12;
    if (meridiem === 'am' && hour === 12) hour = 0;
    return buildDate(
      Number(monthFirst[3]), month, Number(monthFirst[2]),
      hour, Number(monthFirst[5]), Number(monthFirst[6] ?? 0), 0, offset,
    );
  }

  const dateOnly = DATE_ONLY.exec(text);
  if (dateOnly) {
    const month = MONTHS[(dateOnly[2] ?? '').toLowerCase()];
    if (month === undefined) return undefined;
    return buildDate(Number(dateOnly[3]), month, Number(dateOnly[1]), 0, 0, 0, 0, 0);
  }
  return undefined;
}
