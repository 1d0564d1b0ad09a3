// An inverted index over subscriptions, so that matching one article costs in proportion to the subscriptions that
// could want it, not to all of them.
//
// Each subscription is posted under ONE dimension it requires, chosen as the one the fewest articles carry: its
// include-sources, topics (an article also carries each topic's ancestors), countries by role, keyword terms, or
// languages. For a keyword list and for a boolean query that is a set of words such that no article can match
// without one of them: for OR, a word of every branch; for AND, the rarest branch's words; NOT gives none (the same
// as the rarest required term of each clause of the query's disjunctive normal form, without expanding it). An
// article looks up its own keys, and only the subscriptions found there (plus the few that require nothing
// selective, e.g. only "NOT sport") are evaluated, by the same evaluateSubscription the linear scan uses (except
// lists of single-word keywords, checked from flat arrays with the same result: see MatchIndex.keywordStart).
//
// Subscriptions that ask for exactly the same thing share one profile: it is evaluated once per article and its
// reasons are shared by all of them (many subscribers follow the same country).
import { hasUnspacedScript, type KeywordTerm, type QueryNode } from './keyword-query.js';
import {
  compileSubscription,
  evaluateSubscription,
  prepareArticle,
  isReceivingStatus,
  type CompiledSubscription,
  type MatchOptions,
  type SubscriptionMatch,
} from './matching.js';
import { topicParentOf, topicWithAncestors } from './topic-tree.js';
import type { ClassifiedArticle, Subscription } from './types.js';

/**
 * The dimensions an article is looked up by. "gram" holds 1- and 2-letter pieces of unspaced scripts (Chinese...).
 * The "topic-*" ones are pairs (topic, country by role): a topic x country subscription would otherwise be a
 * candidate for every article of its country, and most of those are about other topics. "bigram" holds two adjacent
 * words of a phrase: posted under one of its words ("williams") it would be a candidate for every article naming
 * anyone of that name.
 */
export type IndexDimension =
  | 'feed'
  | 'source'
  | 'primary'
  | 'country'
  | 'topic'
  | 'word'
  | 'bigram'
  | 'gram'
  | 'language'
  | 'topic-country'
  | 'topic-primary'
  | 'topic-source';

export interface IndexKey {
  dimension: IndexDimension;
  value: string;
}

export interface MatchIndexOptions extends MatchOptions {
  /**
   * The estimated share (0..1) of articles that carry a key: the index posts each subscription under its cheapest
   * required dimension. @default fixed priors per dimension; shorter words count as more common
   */
  estimateShare?: (key: IndexKey) => number;
}

export interface MatchIndexStats {
  /** Subscriptions handed in. */
  subscriptions: number;
  /** Active ones, which the index holds (snoozes are checked per article: they end by themselves). */
  indexed: number;
  /** Distinct things asked for: subscriptions asking for the same share a profile. */
  profiles: number;
  /** Profiles evaluated for every article, having no selective dimension. */
  alwaysCandidates: number;
  /** Profiles that can never match (no constraint, or an unparseable stored query): not indexed at all. */
  unmatchable: number;
  keys: number;
}

export interface MatchIndex {
  readonly stats: MatchIndexStats;
  /** @internal the rest is read only by matchArticle */
  readonly profiles: readonly CompiledSubscription[];
  /**
   * Profiles that ask only for a keyword list of single whole words (the commonest kind) are checked from flat
   * arrays instead of evaluated: evaluating them chased five objects each, a cache miss apiece over a million-
   * subscription heap. Profile p's terms are keywordWord[keywordStart[p] .. keywordStart[p + 1]) (ids in wordIds),
   * reported as keywordText[same]; an empty range means "evaluate". wordSeen[id] === visit when the article has it.
   */
  readonly keywordStart: Int32Array;
  readonly keywordWord: Int32Array;
  readonly keywordText: readonly string[];
  readonly wordIds: ReadonlyMap<string, number>;
  readonly wordSeen: Uint32Array;
  /**
   * CSR layout: the subscriptions of profile p are subscriptions[offsets[p] .. offsets[p + 1]), snoozed until
   * snoozedUntil[same] (epoch ms, NaN when not snoozed). Laid out by profile so that a matching profile reads its
   * subscribers from consecutive memory, not from a cache miss each.
   */
  readonly subscriptions: readonly Subscription[];
  readonly offsets: Int32Array;
  readonly snoozedUntil: Float64Array;
  readonly postings: ReadonlyMap<IndexDimension, ReadonlyMap<string, Int32Array>>;
  readonly always: Int32Array;
  readonly parentOf: NonNullable<MatchOptions['parentOf']>;
  /** Per profile: the article it was last seen for, so one found under two keys is evaluated once. */
  readonly seen: Uint32Array;
  visit: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Choosing where a subscription is posted

const DIMENSION_SHARE: Record<Exclude<IndexDimension, 'topic' | 'word' | 'bigram' | 'gram' | PairDimension>, number> = {
  feed: 0.005,
  source: 0.03,
  primary: 0.02,
  country: 0.04,
  language: 0.5,
};
type PairDimension = 'topic-country' | 'topic-primary' | 'topic-source';
const PAIR_DIMENSION = { about: 'topic-country', primary: 'topic-primary', source: 'topic-source' } as const;
const COUNTRY_DIMENSION = { about: 'country', primary: 'primary', source: 'source' } as const;
// Beyond this many topic x country pairs a subscription is posted by one dimension instead: a pair key per
// combination would cost more memory than the candidates it saves.
const MAX_PAIR_KEYS = 64;
const pairValue = (topic: string, country: string): string => `${topic}\u0000${country}`;
const wordShare = (word: string): number => {
  // Zipf: short words are the common ones ("war" is on more articles than "referendum").
  const length = [...word].length;
  return Math.min(0.5, 0.3 / (length * length));
};

// A top-level IPTC topic is on a large part of the news; each level down narrows it.
const TOPIC_SHARE_BY_DEPTH = [0.15, 0.04, 0.01, 0.005];

function defaultShare(parentOf: NonNullable<MatchOptions['parentOf']>): (key: IndexKey) => number {
  return (key) => {
    switch (key.dimension) {
      case 'topic':
        return TOPIC_SHARE_BY_DEPTH[Math.min(topicWithAncestors(key.value, parentOf).length, TOPIC_SHARE_BY_DEPTH.length) - 1] ?? 0.15;
      case 'word':
        return wordShare(key.value);
      case 'bigram': {
        // Two words side by side are rarer than either, though not independent.
        const [first = '', second = ''] = key.value.split(' ');
        return Math.sqrt(wordShare(first) * wordShare(second)) * 0.1;
      }
      case 'gram':
        return [...key.value].length === 1 ? 0.05 : 0.01;
      case 'topic-country':
      case 'topic-primary':
      case 'topic-source':
        // Only posted by profileCover, which prices pairs from their parts.
        return 0;
      default:
        return DIMENSION_SHARE[key.dimension];
    }
  };
}

interface Cover {
  keys: IndexKey[];
  cost: number;
}

type ShareOf = (key: IndexKey) => number;

function keyCover(keys: IndexKey[], share: ShareOf): Cover {
  return { keys, cost: keys.reduce((sum, key) => sum + share(key), 0) };
}

/** A word's 2-letter pieces, or the word itself when it is one letter. */
function gramsOf(word: string): string[] {
  const letters = [...word];
  if (letters.length <= 1) return letters;
  return letters.slice(1).map((letter, i) => `${letters[i] ?? ''}${letter}`);
}

/**
 * The key an article must carry for the term to be found in it. A word inside the term is a whole word of the
 * article, except at an edge written in an unspaced script, where the term may sit inside a longer run of letters:
 * there a 1- or 2-letter piece of it is used.
 */
function termKey(term: KeywordTerm, share: ShareOf): IndexKey | undefined {
  const { words } = term;
  const last = words.length - 1;
  const wholeWords = words.filter((word, i) => {
    const openStart = i === 0 && hasUnspacedScript(word.charAt(0));
    const openEnd = i === last && hasUnspacedScript(word.slice(-1));
    return !openStart && !openEnd;
  });
  const candidates: IndexKey[] = wholeWords.map((value) => ({ dimension: 'word', value }));
  // A phrase's words are found side by side in one field (termMatches): any two adjacent ones will do.
  if (term.pattern === undefined) for (let i = 1; i < words.length; i++) candidates.push({ dimension: 'bigram', value: `${words[i - 1] ?? ''} ${words[i] ?? ''}` });
  if (candidates.length === 0) {
    for (const word of words) for (const gram of gramsOf(word)) candidates.push({ dimension: 'gram', value: gram });
  }
  let best: IndexKey | undefined;
  for (const key of candidates) {
    if (best === undefined || share(key) < share(best) || (share(key) === share(best) && key.value < best.value)) best = key;
  }
  return best;
}

/** Keys such that no article matching the node lacks all of them; undefined when there are none (NOT). */
function queryCover(node: QueryNode, share: ShareOf): Cover | undefined {
  switch (node.kind) {
    case 'term': {
      const key = termKey(node.term, share);
      // A term without letters never matches: an empty cover, so its branch never makes a candidate.
      return key ? keyCover([key], share) : { keys: [], cost: 0 };
    }
    case 'and': {
      let best: Cover | undefined;
      for (const child of node.children) {
        const cover = queryCover(child, share);
        if (cover && (!best || cover.cost < best.cost)) best = cover;
      }
      return best;
    }
    case 'or': {
      const keys: IndexKey[] = [];
      for (const child of node.children) {
        const cover = queryCover(child, share);
        if (!cover) return undefined;
        keys.push(...cover.keys);
      }
      return keyCover(keys, share);
    }
    case 'not':
      return undefined;
  }
}

function profileCover(compiled: CompiledSubscription, share: ShareOf): Cover | undefined {
  const covers: Cover[] = [];
  const each = (dimension: IndexDimension, values: readonly string[] | undefined): void => {
    if (values) covers.push(keyCover(values.map((value) => ({ dimension, value })), share));
  };
  each('feed', compiled.includeSources);
  each('topic', compiled.topics);
  const countryDimension = COUNTRY_DIMENSION[compiled.countryRole];
  each(countryDimension, compiled.countries);
  const { topics, countries } = compiled;
  if (topics && countries && topics.length * countries.length <= MAX_PAIR_KEYS) {
    // Priced as if topic and country were independent: the article needs both.
    const keys: IndexKey[] = [];
    let cost = 0;
    for (const topic of topics) {
      for (const country of countries) {
        keys.push({ dimension: PAIR_DIMENSION[compiled.countryRole], value: pairValue(topic, country) });
        cost += share({ dimension: 'topic', value: topic }) * share({ dimension: countryDimension, value: country });
      }
    }
    covers.push({ keys, cost });
  }
  each('language', compiled.languages);
  if (compiled.keywords) {
    const keys = compiled.keywords.map((term) => termKey(term, share)).filter((key): key is IndexKey => key !== undefined);
    covers.push(keyCover(keys, share));
  }
  if (compiled.query) {
    const cover = queryCover(compiled.query.root, share);
    if (cover) covers.push(cover);
  }
  let best: Cover | undefined;
  for (const cover of covers) if (!best || cover.cost < best.cost) best = cover;
  return best;
}

// ---------------------------------------------------------------------------------------------------------------
// Building

const sortedUnique = (values: readonly string[] | undefined): string[] | undefined =>
  values && values.length > 0 ? [...new Set(values)].sort() : undefined;

/** Two subscriptions with the same signature match exactly the same articles with the same reasons. */
function profileSignature(sub: Subscription): string {
  return JSON.stringify([
    sortedUnique(sub.topics),
    sortedUnique(sub.countries),
    sub.countryRole ?? 'about',
    // Order kept: it is the order of the match reasons.
    sub.keywords ?? [],
    sub.query ?? '',
    sortedUnique(sub.languages?.map((l) => l.toLowerCase())),
    sortedUnique(sub.includeSources),
    sortedUnique(sub.excludeSources),
    sub.minScore ?? 0,
  ]);
}

/**
 * The words of the keyword list when it is all the profile asks for and each term is one word matched as a whole
 * word: then evaluateSubscription's reasons are exactly the terms whose word the article carries (termMatches).
 */
function keywordOnlyWords(compiled: CompiledSubscription): string[] | undefined {
  const { keywords } = compiled;
  if (!keywords || compiled.topics || compiled.countries || compiled.query || compiled.languages) return undefined;
  if (compiled.includeSources || compiled.excludeSources || !compiled.matchable) return undefined;
  const words: string[] = [];
  for (const term of keywords) {
    if (term.words.length !== 1 || term.pattern !== undefined) return undefined;
    words.push(term.words[0] as string);
  }
  return words;
}

/** Builds the index over the active subscriptions. Rebuild it when subscriptions change (they are values). */
export function buildMatchIndex(subs: readonly Subscription[], options: MatchIndexOptions = {}): MatchIndex {
  const parentOf = options.parentOf ?? topicParentOf;
  const share = options.estimateShare ?? defaultShare(parentOf);

  const active = subs.filter((sub) => isReceivingStatus(sub.status));
  const profileIds = new Map<string, number>();
  const profileOfSub = new Int32Array(active.length);
  const snoozedUntil = new Float64Array(active.length);
  const representatives: Subscription[] = [];
  active.forEach((sub, i) => {
    const signature = profileSignature(sub);
    let profile = profileIds.get(signature);
    if (profile === undefined) {
      profile = representatives.length;
      profileIds.set(signature, profile);
      representatives.push(sub);
    }
    profileOfSub[i] = profile;
    snoozedUntil[i] = sub.snoozedUntil === undefined ? Number.NaN : Date.parse(sub.snoozedUntil);
  });

  // Counting sort of subscriptions by profile into one flat array.
  const offsets = new Int32Array(representatives.length + 1);
  for (const profile of profileOfSub) offsets[profile + 1] = (offsets[profile + 1] ?? 0) + 1;
  for (let p = 0; p < representatives.length; p++) offsets[p + 1] = (offsets[p + 1] ?? 0) + (offsets[p] ?? 0);
  const cursor = offsets.slice(0, representatives.length);
  const byProfile = new Array<Subscription>(active.length);
  const snoozedByProfile = new Float64Array(active.length);
  profileOfSub.forEach((profile, i) => {
    const at = cursor[profile] ?? 0;
    byProfile[at] = active[i] as Subscription;
    snoozedByProfile[at] = snoozedUntil[i] as number;
    cursor[profile] = at + 1;
  });

  const lists = new Map<IndexDimension, Map<string, number[]>>();
  const always: number[] = [];
  const profiles: CompiledSubscription[] = [];
  const keywordStart = new Int32Array(representatives.length + 1);
  const keywordWord: number[] = [];
  const keywordText: string[] = [];
  const wordIds = new Map<string, number>();
  let unmatchable = 0;
  representatives.forEach((sub, profile) => {
    keywordStart[profile + 1] = keywordWord.length;
    const compiled = compileSubscription(sub);
    profiles.push(compiled);
    if (!compiled.matchable) {
      unmatchable++;
      return;
    }
    const words = keywordOnlyWords(compiled);
    if (words) {
      for (const [i, word] of words.entries()) {
        let id = wordIds.get(word);
        if (id === undefined) wordIds.set(word, (id = wordIds.size));
        keywordWord.push(id);
        keywordText.push((compiled.keywords?.[i] as KeywordTerm).text);
      }
    }
    keywordStart[profile + 1] = keywordWord.length;
    const cover = profileCover(compiled, share);
    if (!cover) {
      always.push(profile);
      return;
    }
    for (const key of new Map(cover.keys.map((k) => [`${k.dimension}\u0000${k.value}`, k])).values()) {
      let byValue = lists.get(key.dimension);
      if (!byValue) lists.set(key.dimension, (byValue = new Map()));
      const list = byValue.get(key.value);
      if (list) list.push(profile);
      else byValue.set(key.value, [profile]);
    }
  });

  let keys = 0;
  const postings = new Map<IndexDimension, Map<string, Int32Array>>();
  for (const [dimension, byValue] of lists) {
    const packed = new Map<string, Int32Array>();
    for (const [value, list] of byValue) packed.set(value, Int32Array.from(list));
    keys += packed.size;
    postings.set(dimension, packed);
  }

  return {
    stats: {
      subscriptions: subs.length,
      indexed: active.length,
      profiles: profiles.length,
      alwaysCandidates: always.length,
      unmatchable,
      keys,
    },
    profiles,
    keywordStart,
    keywordWord: Int32Array.from(keywordWord),
    keywordText,
    wordIds,
    wordSeen: new Uint32Array(wordIds.size),
    subscriptions: byProfile,
    offsets,
    snoozedUntil: snoozedByProfile,
    postings,
    always: Int32Array.from(always),
    parentOf,
    seen: new Uint32Array(profiles.length),
    visit: 0,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Matching

export interface MatchTrace {
  /** Profiles evaluated in full for the article. */
  candidates: number;
}

/** Adds the profiles of a posting list not yet seen for this article. A plain loop: it runs for every key. */
function collectCandidates(list: Int32Array | undefined, seen: Uint32Array, visit: number, candidates: number[]): void {
  if (list === undefined) return;
  for (let i = 0; i < list.length; i++) {
    const profile = list[i] as number;
    if (seen[profile] !== visit) {
      seen[profile] = visit;
      candidates.push(profile);
    }
  }
}

/**
 * Every active, unsnoozed subscription that wants `article` at `now`, with its reasons: exactly what
 * matchSubscriptions returns over the same subscriptions, in no particular order.
 */
export function matchArticle(index: MatchIndex, article: ClassifiedArticle, now: Date, trace?: MatchTrace): SubscriptionMatch[] {
  const prepared = prepareArticle(article, { parentOf: index.parentOf });
  const mutable = index as { visit: number };
  // 0 marks "never seen"; wrapping after 2^32 articles only costs one spurious re-evaluation round, never a miss.
  mutable.visit = index.visit >= 0xffff_fffe ? 1 : index.visit + 1;
  if (index.visit === 1) {
    index.seen.fill(0);
    index.wordSeen.fill(0);
  }
  const visit = index.visit;
  const { seen } = index;
  const candidates: number[] = [];
  const { postings } = index;
  const byFeed = postings.get('feed');
  const bySource = postings.get('source');
  const byLanguage = postings.get('language');
  const byTopic = postings.get('topic');
  const byCountry = postings.get('country');
  const byPrimary = postings.get('primary');
  const byWord = postings.get('word');
  const byGram = postings.get('gram');
  const byBigram = postings.get('bigram');
  const byTopicCountry = postings.get('topic-country');
  const byTopicPrimary = postings.get('topic-primary');
  const byTopicSource = postings.get('topic-source');

  collectCandidates(index.always, seen, visit, candidates);
  if (byFeed) collectCandidates(byFeed.get(article.feedId), seen, visit, candidates);
  const source = article.classification.sourceCountry;
  if (bySource && source !== undefined) collectCandidates(bySource.get(source), seen, visit, candidates);
  if (byLanguage) collectCandidates(byLanguage.get(prepared.language), seen, visit, candidates);
  // An article's topics share ancestors: each code once.
  const lineageCodes: string[] = [];
  for (const { lineage } of prepared.topics) for (const code of lineage) if (!lineageCodes.includes(code)) lineageCodes.push(code);
  const { countries } = article.classification;
  for (const code of lineageCodes) {
    if (byTopic) collectCandidates(byTopic.get(code), seen, visit, candidates);
    for (const country of countries) {
      if (byTopicCountry) collectCandidates(byTopicCountry.get(pairValue(code, country.code)), seen, visit, candidates);
      if (byTopicPrimary && country.role === 'primary') collectCandidates(byTopicPrimary.get(pairValue(code, country.code)), seen, visit, candidates);
    }
    if (byTopicSource && source !== undefined) collectCandidates(byTopicSource.get(pairValue(code, source)), seen, visit, candidates);
  }
  for (const country of countries) {
    if (byCountry) collectCandidates(byCountry.get(country.code), seen, visit, candidates);
    if (byPrimary && country.role === 'primary') collectCandidates(byPrimary.get(country.code), seen, visit, candidates);
  }
  if (byWord || byGram) {
    for (const word of prepared.text.wordSet) {
      if (byWord) collectCandidates(byWord.get(word), seen, visit, candidates);
      if (byGram && hasUnspacedScript(word)) {
        // Every 1- and 2-letter piece: a term's piece (gramsOf) is one of them whenever the term is inside this word.
        for (const letter of new Set(word)) collectCandidates(byGram.get(letter), seen, visit, candidates);
        for (const gram of gramsOf(word)) collectCandidates(byGram.get(gram), seen, visit, candidates);
      }
    }
  }
  if (byBigram) {
    for (const fieldWords of prepared.text.words) {
      for (let i = 1; i < fieldWords.length; i++) collectCandidates(byBigram.get(`${fieldWords[i - 1] ?? ''} ${fieldWords[i] ?? ''}`), seen, visit, candidates);
    }
  }
  if (trace) trace.candidates = candidates.length;

  const nowMs = now.getTime();
  const matches: SubscriptionMatch[] = [];
  const { offsets, snoozedUntil, subscriptions, profiles, keywordStart, keywordWord, keywordText, wordIds, wordSeen } = index;
  if (wordIds.size > 0) {
    for (const word of prepared.text.wordSet) {
      const id = wordIds.get(word);
      if (id !== undefined) wordSeen[id] = visit;
    }
  }
  for (let c = 0; c < candidates.length; c++) {
    const profile = candidates[c] as number;
    const termsFrom = keywordStart[profile] as number;
    const termsTo = keywordStart[profile + 1] as number;
    let reasons: SubscriptionMatch['reasons'] | undefined;
    if (termsFrom === termsTo) reasons = evaluateSubscription(profiles[profile] as CompiledSubscription, prepared);
    else {
      let keywords: string[] | undefined;
      for (let t = termsFrom; t < termsTo; t++) if (wordSeen[keywordWord[t] as number] === visit) (keywords ??= []).push(keywordText[t] as string);
      if (keywords !== undefined) reasons = { topics: [], countries: [], keywords };
    }
    if (reasons === undefined) continue;
    const end = offsets[profile + 1] as number;
    for (let at = offsets[profile] as number; at < end; at++) {
      // NaN (not snoozed) > now is false.
      if ((snoozedUntil[at] as number) > nowMs) continue;
      matches.push({ subscription: subscriptions[at] as Subscription, reasons });
    }
  }
  return matches;
}
