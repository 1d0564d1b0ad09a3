// Which subscriptions want an article, and why. AND across the dimensions a subscription sets, OR within one.
import type { ClassifiedArticle, MatchReasons, Subscription, TopicCode } from './types.js';

export interface MatchOptions {
  /**
   * The IPTC hierarchy: the parent of a topic code, or undefined for a top-level one. IPTC child codes cannot be
   * derived from their digits, so without it topics match by exact code only.
   */
  parentOf?: (code: TopicCode) => TopicCode | undefined;
}

export interface SubscriptionMatch {
  subscription: Subscription;
  reasons: MatchReasons;
}

// The IPTC tree is at most a handful of levels deep; the bound only protects against a cyclic parentOf.
const MAX_TOPIC_DEPTH = 16;

/** Folds case and diacritics so "Übersee" and "ubersee" compare equal. */
export function foldText(text: string): string {
  // NFKD rather than NFD so compatibility forms (ligatures, full-width letters) fold too.
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

// Scripts written without spaces between words: a word boundary there means nothing, so match as a substring.
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}]/u;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const keywordPatterns = new Map<string, RegExp | null>();

/**
 * A keyword becomes a pattern over folded text: its words in order, separated by any non-word characters, with word
 * boundaries at both ends. So "putin" finds "Putin's", "covid-19" finds "COVID 19", and "art" does not find "party".
 */
function keywordPattern(keyword: string): RegExp | null {
  const cached = keywordPatterns.get(keyword);
  if (cached !== undefined) return cached;
  const words = foldText(keyword).split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
  let pattern: RegExp | null = null;
  const first = words[0];
  const last = words[words.length - 1];
  if (first !== undefined && last !== undefined) {
    const start = UNSPACED_SCRIPT.test(first.charAt(0)) ? '' : '(?<![\\p{L}\\p{N}])';
    const end = UNSPACED_SCRIPT.test(last.charAt(last.length - 1)) ? '' : '(?![\\p{L}\\p{N}])';
    pattern = new RegExp(`${start}${words.map(escapeRegExp).join('[^\\p{L}\\p{N}]+')}${end}`, 'u');
  }
  // Subscriptions repeat across articles; the cache is bounded so a stream of distinct keywords cannot grow it forever.
  if (keywordPatterns.size >= 10_000) keywordPatterns.clear();
  keywordPatterns.set(keyword, pattern);
  return pattern;
}

interface PreparedArticle {
  article: ClassifiedArticle;
  foldedTitle: string;
  foldedSummary: string;
}

function prepareArticle(article: ClassifiedArticle): PreparedArticle {
  return { article, foldedTitle: foldText(article.title), foldedSummary: foldText(article.summary) };
}

function matchTopics(wanted: ReadonlySet<TopicCode>, article: ClassifiedArticle, options: MatchOptions): MatchReasons['topics'] {
  const matched: MatchReasons['topics'] = [];
  for (const topic of article.classification.topics) {
    let code: TopicCode | undefined = topic.code;
    for (let depth = 0; code !== undefined && depth < MAX_TOPIC_DEPTH; depth++) {
      if (wanted.has(code)) {
        matched.push({ code: topic.code, score: topic.score });
        break;
      }
      code = options.parentOf?.(code);
    }
  }
  return matched;
}

function matchCountries(wanted: ReadonlySet<string>, article: ClassifiedArticle): MatchReasons['countries'] {
  return article.classification.countries
    .filter((country) => wanted.has(country.code))
    .map((country) => ({ code: country.code, role: country.role, score: country.score }));
}

function matchKeywords(keywords: readonly string[], prepared: PreparedArticle): string[] {
  return keywords.filter((keyword) => {
    const pattern = keywordPattern(keyword);
    return pattern !== null && (pattern.test(prepared.foldedTitle) || pattern.test(prepared.foldedSummary));
  });
}

function matchPrepared(sub: Subscription, prepared: PreparedArticle, options: MatchOptions): MatchReasons | undefined {
  if (sub.status !== 'active') return undefined;
  // A subscription with no constraint at all would match every article; that is never what anyone meant.
  if (sub.topics.length === 0 && sub.countries.length === 0 && sub.keywords.length === 0) return undefined;

  const reasons: MatchReasons = { topics: [], countries: [], keywords: [] };
  if (sub.topics.length > 0) {
    reasons.topics = matchTopics(new Set(sub.topics), prepared.article, options);
    if (reasons.topics.length === 0) return undefined;
  }
  if (sub.countries.length > 0) {
    reasons.countries = matchCountries(new Set(sub.countries), prepared.article);
    if (reasons.countries.length === 0) return undefined;
  }
  if (sub.keywords.length > 0) {
    reasons.keywords = matchKeywords(sub.keywords, prepared);
    if (reasons.keywords.length === 0) return undefined;
  }
  return reasons;
}

/** Why `sub` wants `article`, or undefined when it does not (or is not active). */
export function matchSubscription(sub: Subscription, article: ClassifiedArticle, options: MatchOptions = {}): MatchReasons | undefined {
  return matchPrepared(sub, prepareArticle(article), options);
}

/** Every subscription that wants `article`, in the order given. */
export function matchSubscriptions(
  subs: readonly Subscription[],
  article: ClassifiedArticle,
  options: MatchOptions = {},
): SubscriptionMatch[] {
  const prepared = prepareArticle(article);
  const matches: SubscriptionMatch[] = [];
  for (const subscription of subs) {
    const reasons = matchPrepared(subscription, prepared, options);
    if (reasons !== undefined) matches.push({ subscription, reasons });
  }
  return matches;
}
