// Which subscriptions want an article, and why. AND across the dimensions a subscription sets, OR within one.
// This is the reference semantics: the inverted index (match-index.ts) finds candidates faster and then evaluates
// them with exactly these functions, so the two cannot drift apart.
import {
  compileTerm,
  evaluateKeywordQuery,
  matchedQueryTerms,
  parseKeywordQuery,
  prepareText,
  termMatches,
  type KeywordQuery,
  type KeywordTerm,
  type PreparedText,
} from './keyword-query.js';
import { topicParentOf, topicWithAncestors, type TopicParentLookup } from './topic-tree.js';
import type { ClassifiedArticle, CountryCode, CountryRole, MatchReasons, Subscription, TopicCode, TopicScore } from './types.js';

export { foldText } from './keyword-query.js';

export interface MatchOptions {
  /** The topic hierarchy. @default the IPTC Media Topic tree (topic-tree.ts) */
  parentOf?: TopicParentLookup;
}

export interface SubscriptionMatch {
  subscription: Subscription;
  /** May be shared between matches of subscriptions that ask for the same thing: read it, do not change it. */
  reasons: MatchReasons;
}

/**
 * The score a topic needs when a subscription sets no minScore. classify() gives every article with content its best
 * topics, however unsure (a score is a calibrated probability); below this one a topic is a guess, and a subscriber
 * to "sport" should not get every article the classifier thinks might be sport. An explicit minScore (0 included)
 * replaces it.
 */
export const DEFAULT_TOPIC_MIN_SCORE = 0.35;

/** What a subscription asks for, parsed once: the part of matching that does not depend on the article. */
export interface CompiledSubscription {
  /** False when it asks for nothing (it would match every article) or its stored query does not parse. */
  matchable: boolean;
  // Arrays, not Sets: a subscription names a handful of values, and at a million subscriptions a Set per field
  // costs hundreds of megabytes for lookups that are no faster at this size.
  topics?: readonly TopicCode[];
  countries?: readonly CountryCode[];
  countryRole: CountryRole;
  /** Any of these (the `keywords` list). */
  keywords?: readonly KeywordTerm[];
  query?: KeywordQuery;
  languages?: readonly string[];
  includeSources?: readonly string[];
  excludeSources?: readonly string[];
  minScore: number;
  /** minScore when the subscription sets one, else DEFAULT_TOPIC_MIN_SCORE. */
  topicMinScore: number;
}

const nonEmpty = <T>(values: readonly T[] | undefined): T[] | undefined =>
  values !== undefined && values.length > 0 ? [...new Set(values)] : undefined;

/** The fields of a subscription that decide which articles it matches (status and snooze aside). */
export type SubscriptionMatchFields = Pick<
  Subscription,
  'topics' | 'countries' | 'countryRole' | 'keywords' | 'query' | 'languages' | 'includeSources' | 'excludeSources' | 'minScore'
>;

export function compileSubscription(sub: SubscriptionMatchFields): CompiledSubscription {
  const compiled: CompiledSubscription = {
    matchable: true,
    countryRole: sub.countryRole ?? 'about',
    minScore: typeof sub.minScore === 'number' && Number.isFinite(sub.minScore) ? sub.minScore : 0,
    topicMinScore: typeof sub.minScore === 'number' && Number.isFinite(sub.minScore) ? sub.minScore : DEFAULT_TOPIC_MIN_SCORE,
  };
  const topics = nonEmpty(sub.topics);
  if (topics) compiled.topics = topics;
  const countries = nonEmpty(sub.countries);
  if (countries) compiled.countries = countries;
  const keywords = sub.keywords ?? [];
  if (keywords.length > 0) compiled.keywords = keywords.map(compileTerm);
  if (sub.query !== undefined && sub.query.trim() !== '') {
    try {
      compiled.query = parseKeywordQuery(sub.query);
    } catch {
      // The API validates queries before storing them; one that slipped through matches nothing rather than
      // failing the whole batch of articles for every other subscriber.
      compiled.matchable = false;
    }
  }
  const languages = nonEmpty(sub.languages?.map((language) => language.toLowerCase()));
  if (languages) compiled.languages = languages;
  const include = nonEmpty(sub.includeSources);
  if (include) compiled.includeSources = include;
  const exclude = nonEmpty(sub.excludeSources);
  if (exclude) compiled.excludeSources = exclude;
  // A subscription with no positive constraint would match every article; that is never what anyone meant.
  if (!topics && !countries && !compiled.keywords && !compiled.query && !languages && !include) compiled.matchable = false;
  return compiled;
}

/** What matching reads from an article, computed once per article however many subscriptions look at it. */
export interface PreparedArticle {
  article: ClassifiedArticle;
  text: PreparedText;
  /** Lower case; "und" when unknown. */
  language: string;
  /** Each article topic with its ancestors (itself first). */
  topics: { topic: TopicScore; lineage: TopicCode[] }[];
}

export function prepareArticle(article: ClassifiedArticle, options: MatchOptions = {}): PreparedArticle {
  const parentOf = options.parentOf ?? topicParentOf;
  const language = (article.language && article.language !== 'und' ? article.language : article.classification.language) || 'und';
  return {
    article,
    text: prepareText([article.title, article.summary]),
    language: language.toLowerCase(),
    topics: article.classification.topics.map((topic) => ({ topic, lineage: topicWithAncestors(topic.code, parentOf) })),
  };
}

// The reasons' arrays are allocated on the first hit only: most candidates the index hands over fail a check, and
// at a million subscriptions the garbage of their empty arrays was a fifth of the matching time.

function matchTopics(wanted: readonly TopicCode[], prepared: PreparedArticle, minScore: number): MatchReasons['topics'] | undefined {
  let matched: MatchReasons['topics'] | undefined;
  for (const { topic, lineage } of prepared.topics) {
    if (topic.score < minScore) continue;
    for (const code of lineage) {
      if (wanted.includes(code)) {
        (matched ??= []).push({ code: topic.code, score: topic.score });
        break;
      }
    }
  }
  return matched;
}

function matchCountries(compiled: CompiledSubscription, wanted: readonly CountryCode[], article: ClassifiedArticle): MatchReasons['countries'] | undefined {
  if (compiled.countryRole === 'source') {
    const source = article.classification.sourceCountry;
    // The publisher's country is configuration, not a classification: it has no score to hold to minScore.
    return source !== undefined && wanted.includes(source) ? [{ code: source, role: 'source', score: 1 }] : undefined;
  }
  let matched: MatchReasons['countries'] | undefined;
  for (const country of article.classification.countries) {
    if (!wanted.includes(country.code) || country.score < compiled.minScore) continue;
    if (compiled.countryRole === 'primary' && country.role !== 'primary') continue;
    (matched ??= []).push({ code: country.code, role: country.role, score: country.score });
  }
  return matched;
}

function matchKeywords(terms: readonly KeywordTerm[], text: PreparedText): string[] | undefined {
  let matched: string[] | undefined;
  for (const term of terms) if (termMatches(term, text)) (matched ??= []).push(term.text);
  return matched;
}

/** Why a compiled subscription wants the prepared article, or undefined. Status and snooze are not looked at. */
export function evaluateSubscription(compiled: CompiledSubscription, prepared: PreparedArticle): MatchReasons | undefined {
  if (!compiled.matchable) return undefined;
  const { article } = prepared;
  if (compiled.includeSources && !compiled.includeSources.includes(article.feedId)) return undefined;
  if (compiled.excludeSources?.includes(article.feedId)) return undefined;
  if (compiled.languages && !compiled.languages.includes(prepared.language)) return undefined;

  let topics: MatchReasons['topics'] | undefined;
  if (compiled.topics) {
    topics = matchTopics(compiled.topics, prepared, compiled.topicMinScore);
    if (topics === undefined) return undefined;
  }
  let countries: MatchReasons['countries'] | undefined;
  if (compiled.countries) {
    countries = matchCountries(compiled, compiled.countries, article);
    if (countries === undefined) return undefined;
  }
  let keywords: string[] | undefined;
  if (compiled.keywords) {
    keywords = matchKeywords(compiled.keywords, prepared.text);
    if (keywords === undefined) return undefined;
  }
  if (compiled.query) {
    if (!evaluateKeywordQuery(compiled.query, prepared.text)) return undefined;
    for (const term of matchedQueryTerms(compiled.query, prepared.text)) {
      if (keywords === undefined) keywords = [term];
      else if (!keywords.includes(term)) keywords.push(term);
    }
  }
  return { topics: topics ?? [], countries: countries ?? [], keywords: keywords ?? [] };
}

/** Subscriptions that receive alerts. `failing` (its last alert failed after every retry) still does: the
 * receiver may be back, and a success sets it active again; only pause, 410 or unsubscribe stop alerts. */
export function isReceivingStatus(status: Subscription['status']): boolean {
  return status === 'active' || status === 'failing';
}

/** Whether the subscription may receive alerts at `nowMs`: active (or failing) and not snoozed. */
export function isSubscriptionLive(sub: Pick<Subscription, 'status' | 'snoozedUntil'>, nowMs: number): boolean {
  if (!isReceivingStatus(sub.status)) return false;
  // An unparseable snoozedUntil is NaN, and NaN > now is false: the snooze is ignored rather than silencing forever.
  return sub.snoozedUntil === undefined || !(Date.parse(sub.snoozedUntil) > nowMs);
}

// Subscriptions are values: compiling each once per object keeps repeated scans (and the benchmark's peer) honest.
const compiledCache = new WeakMap<Subscription, CompiledSubscription>();

function compiledFor(sub: Subscription): CompiledSubscription {
  let compiled = compiledCache.get(sub);
  if (!compiled) {
    compiled = compileSubscription(sub);
    compiledCache.set(sub, compiled);
  }
  return compiled;
}

/**
 * Why `sub` would want `article` whatever its status or snooze: for previews ("what would this have matched").
 * Subscriptions are treated as immutable values: compile a changed one anew by passing a new object.
 */
export function matchSubscriptionContent(sub: Subscription, article: ClassifiedArticle, options: MatchOptions = {}): MatchReasons | undefined {
  return evaluateSubscription(compiledFor(sub), prepareArticle(article, options));
}

/** Why `sub` wants `article` at `now`, or undefined when it does not, is not active, or is snoozed. */
export function matchSubscription(sub: Subscription, article: ClassifiedArticle, now: Date, options: MatchOptions = {}): MatchReasons | undefined {
  if (!isSubscriptionLive(sub, now.getTime())) return undefined;
  return matchSubscriptionContent(sub, article, options);
}

/** Every subscription that wants `article` at `now`, in the order given: a linear scan. */
export function matchSubscriptions(
  subs: readonly Subscription[],
  article: ClassifiedArticle,
  now: Date,
  options: MatchOptions = {},
): SubscriptionMatch[] {
  const prepared = prepareArticle(article, options);
  const nowMs = now.getTime();
  const matches: SubscriptionMatch[] = [];
  for (const subscription of subs) {
    if (!isSubscriptionLive(subscription, nowMs)) continue;
    const reasons = evaluateSubscription(compiledFor(subscription), prepared);
    if (reasons !== undefined) matches.push({ subscription, reasons });
  }
  return matches;
}
