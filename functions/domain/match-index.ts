// An inverted index over subscriptions, so that matching one article costs in proportion to the subscriptions that
// could want it, not to all of them.
//
// Each subscription is posted under ONE dimension it requires, chosen as the one the fewest articles carry: its
// include-sources, topics (an article also carries each topic's ancestors), countries by role, keyword terms, or
// languages. For a keyword list and for a boolean query that is a set of words such that no article can match
// without one of them: for OR, a word of every branch; for AND, the rarest branch's words; NOT gives none (the same
// as the rarest required term of each clause of the query's disjunctive normal form, without expanding it). An
// article looks up its own keys, and only the subscriptions found there (plus the few that require nothing
// selective, e.g. only "NOT sport") are evaluated, by the same evaluateSubscription the linear scan uses, except the
// commonest kinds (a keyword list, or a boolean query, of words and two-word phrases, optionally by language): those
// are checked from flat arrays against the terms marked once per article, with the same result (see
// MatchIndex.form).
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
import type { ClassifiedArticle, MatchReasons, Subscription } from './types.js';

/**
 * The dimensions an article is looked up by. "gram" holds 1- and 2-letter pieces of unspaced scripts (Chinese...).
 * The "topic-*" ones are pairs (topic, country by role): a topic x country subscription would otherwise be a
 * candidate for every article of its country, and most of those are about other topics. "bigram" holds two adjacent
 * words of a phrase: posted under one of its words ("williams") it would be a candidate for every article naming
 * anyone of that name. "topic-feed" pairs a topic with an included source: a source's every article would otherwise make
 * its topic subscribers candidates.
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
  | 'topic-source'
  | 'topic-feed';

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

/** How a profile is checked against an article (MatchIndex.form). */
const EVALUATE = 0;
/** Any of a keyword list of simple terms: the terms marked for the article are its reasons. */
const KEYWORDS = 1;
/** A boolean query over simple terms, run as a postfix program; its positive terms marked are its reasons. */
const QUERY = 2;

// Opcodes of a query program; a non-negative code pushes whether that term is marked for the article.
const OP_NOT = -1;
/** Followed by the number of operands. */
const OP_AND = -2;
const OP_OR = -3;

export interface MatchIndex {
  readonly stats: MatchIndexStats;
  /** @internal the rest is read only by matchArticle */
  readonly profiles: readonly CompiledSubscription[];
  /**
   * The commonest profiles (a keyword list or a query over simple terms: single words and two-word phrases, not in an
   * unspaced script) are checked from flat arrays instead of evaluated: evaluating chased several objects per profile,
   * a cache miss apiece over a million-subscription heap. form[p] is EVALUATE, KEYWORDS or QUERY. A simple term has an
   * id in termIds (by its words joined with a space); termSeen[id] === visit when the article has it: a word of its
   * text, or two words side by side in one field, which is exactly what termMatches looks for. Profile p's reason
   * terms are termRef[termStart[p] .. termStart[p + 1]) (ids), reported as termText[same]; a QUERY profile's program
   * is code[codeStart[p] .. codeStart[p + 1]). languageMask[p] is 0 (any language) or the bits of its languages
   * (languageBits).
   */
  readonly form: Uint8Array;
  readonly termIds: ReadonlyMap<string, number>;
  readonly hasPhraseTerms: boolean;
  readonly termSeen: Uint32Array;
  readonly termStart: Int32Array;
  readonly termRef: Int32Array;
  readonly termText: readonly string[];
  readonly codeStart: Int32Array;
  readonly code: Int32Array;
  /** Operand stack of the query programs, as deep as the longest program. */
  readonly stack: Uint8Array;
  readonly languageMask: Uint32Array;
  readonly languageBits: ReadonlyMap<string, number>;
  /** 1 when a subscription of the profile is snoozed (until any time): only then is snoozedUntil read. */
  readonly anySnoozed: Uint8Array;
  /**
   * Reasons naming one term, by the term's text (termReason[slot] is the id of termText[slot]), made on its first
   * match and shared from then on (frozen: reasons are read-only). Most flat profiles that match report one term,
   * and allocating their reasons anew was a third of the garbage of a million-subscription match.
   */
  readonly termReason: Int32Array;
  readonly oneTermReasons: (MatchReasons | undefined)[];
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
  /** Scratch: the candidate profiles of the article being matched (each profile at most once). */
  readonly candidates: Int32Array;
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
type PairDimension = 'topic-country' | 'topic-primary' | 'topic-source' | 'topic-feed';
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
      case 'topic-feed':
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
  const { topics, countries, includeSources } = compiled;
  // Pairs are priced as if their parts were independent: the article needs both.
  const pairs = (dimension: PairDimension, partDimension: IndexDimension, parts: readonly string[]): void => {
    if (!topics || topics.length * parts.length > MAX_PAIR_KEYS) return;
    const keys: IndexKey[] = [];
    let cost = 0;
    for (const topic of topics) {
      for (const part of parts) {
        keys.push({ dimension, value: pairValue(topic, part) });
        cost += share({ dimension: 'topic', value: topic }) * share({ dimension: partDimension, value: part });
      }
    }
    covers.push({ keys, cost });
  };
  if (countries) pairs(PAIR_DIMENSION[compiled.countryRole], countryDimension, countries);
  if (includeSources) pairs('topic-feed', 'feed', includeSources);
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

/** The key of a term in MatchIndex.termIds, or undefined when the term is not simple (see MatchIndex.form). */
function simpleTermKey(term: KeywordTerm): string | undefined {
  if (term.pattern !== undefined || term.words.length === 0 || term.words.length > 2) return undefined;
  return term.words.join(' ');
}

interface FlatForm {
  form: typeof KEYWORDS | typeof QUERY;
  /** The reason terms, in the order evaluateSubscription reports them. */
  terms: KeywordTerm[];
  /** A QUERY's program, with terms where their ids go. */
  program: (number | KeywordTerm)[];
}

/** The postfix program of a query node, or false when a term in it is not simple. */
function compileQueryNode(node: QueryNode, program: (number | KeywordTerm)[]): boolean {
  switch (node.kind) {
    case 'term':
      if (simpleTermKey(node.term) === undefined) return false;
      program.push(node.term);
      return true;
    case 'not':
      if (!compileQueryNode(node.child, program)) return false;
      program.push(OP_NOT);
      return true;
    case 'and':
    case 'or':
      for (const child of node.children) if (!compileQueryNode(child, program)) return false;
      program.push(node.kind === 'and' ? OP_AND : OP_OR, node.children.length);
      return true;
  }
}

/**
 * The flat form of a profile that asks only for a keyword list or only for a query (and perhaps languages), all of
 * simple terms: then evaluateSubscription's answer depends on nothing but which of those terms the article has.
 */
function flatFormOf(compiled: CompiledSubscription): FlatForm | undefined {
  if (!compiled.matchable || compiled.topics || compiled.countries || compiled.includeSources || compiled.excludeSources) return undefined;
  const { keywords, query } = compiled;
  if (keywords && !query) {
    if (!keywords.every((term) => simpleTermKey(term) !== undefined)) return undefined;
    return { form: KEYWORDS, terms: [...keywords], program: [] };
  }
  if (query && !keywords) {
    const program: (number | KeywordTerm)[] = [];
    if (!compileQueryNode(query.root, program)) return undefined;
    // matchedQueryTerms: the positive terms found, each text once, in order.
    const terms: KeywordTerm[] = [];
    for (const term of query.positiveTerms) if (!terms.some((t) => t.text === term.text)) terms.push(term);
    return { form: QUERY, terms, program };
  }
  return undefined;
}

/** At most this many distinct languages are told apart by a profile's bit mask; a profile naming others is evaluated. */
const MAX_LANGUAGE_BITS = 32;

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

  // Profiles are numbered by the key they are posted under (the first, for those under several), so that the
  // profiles of one posting list are neighbours in every per-profile array below: matching an article then reads
  // runs of memory instead of taking a cache miss per candidate per array, which at a million subscriptions was
  // most of its time.
  const compiledOf = representatives.map(compileSubscription);
  const coverOf = compiledOf.map((compiled) => (compiled.matchable ? profileCover(compiled, share) : undefined));
  const groups = new Map<string, number>();
  const groupOf = coverOf.map((cover) => {
    const key = cover?.keys[0];
    const name = key ? `${key.dimension}\u0000${key.value}` : '';
    let group = groups.get(name);
    if (group === undefined) groups.set(name, (group = groups.size));
    return group;
  });
  const order = representatives.map((_, i) => i).sort((a, b) => (groupOf[a] as number) - (groupOf[b] as number) || a - b);
  const renumbered = new Int32Array(order.length);
  order.forEach((old, profile) => (renumbered[old] = profile));
  for (let i = 0; i < profileOfSub.length; i++) profileOfSub[i] = renumbered[profileOfSub[i] as number] as number;

  // Counting sort of subscriptions by profile into one flat array.
  const profileCount = representatives.length;
  const offsets = new Int32Array(profileCount + 1);
  for (const profile of profileOfSub) offsets[profile + 1] = (offsets[profile + 1] ?? 0) + 1;
  for (let p = 0; p < profileCount; p++) offsets[p + 1] = (offsets[p + 1] ?? 0) + (offsets[p] ?? 0);
  const cursor = offsets.slice(0, profileCount);
  const byProfile = new Array<Subscription>(active.length);
  const snoozedByProfile = new Float64Array(active.length);
  const anySnoozed = new Uint8Array(profileCount);
  profileOfSub.forEach((profile, i) => {
    const at = cursor[profile] ?? 0;
    byProfile[at] = active[i] as Subscription;
    snoozedByProfile[at] = snoozedUntil[i] as number;
    if (!Number.isNaN(snoozedUntil[i])) anySnoozed[profile] = 1;
    cursor[profile] = at + 1;
  });

  const lists = new Map<IndexDimension, Map<string, number[]>>();
  const always: number[] = [];
  const profiles: CompiledSubscription[] = [];
  const form = new Uint8Array(profileCount);
  const termStart = new Int32Array(profileCount + 1);
  const termRef: number[] = [];
  const termText: string[] = [];
  const termReason: number[] = [];
  const reasonIds = new Map<string, number>();
  const codeStart = new Int32Array(profileCount + 1);
  const code: number[] = [];
  const termIds = new Map<string, number>();
  const languageMask = new Uint32Array(profileCount);
  const languageBits = new Map<string, number>();
  let hasPhraseTerms = false;
  let deepest = 1;
  const termId = (term: KeywordTerm): number => {
    const key = simpleTermKey(term) as string;
    let id = termIds.get(key);
    if (id === undefined) {
      termIds.set(key, (id = termIds.size));
      if (term.words.length > 1) hasPhraseTerms = true;
    }
    return id;
  };
  const maskOf = (languages: readonly string[] | undefined): number | undefined => {
    let mask = 0;
    for (const language of languages ?? []) {
      let bit = languageBits.get(language);
      if (bit === undefined) {
        if (languageBits.size >= MAX_LANGUAGE_BITS) return undefined;
        languageBits.set(language, (bit = 1 << languageBits.size));
      }
      mask |= bit;
    }
    return mask >>> 0;
  };
  let unmatchable = 0;
  order.forEach((old, profile) => {
    let compiled = compiledOf[old] as CompiledSubscription;
    const flat = flatFormOf(compiled);
    const mask = flat ? maskOf(compiled.languages) : undefined;
    // Those evaluated in full are compiled again, in their new order: objects allocated one after another sit side by
    // side in the heap, so neighbouring candidates share cache lines there too.
    if (!flat || mask === undefined) compiled = compileSubscription(representatives[old] as Subscription);
    profiles.push(compiled);
    if (flat && mask !== undefined) {
      form[profile] = flat.form;
      languageMask[profile] = mask;
      for (const term of flat.terms) {
        termRef.push(termId(term));
        termText.push(term.text);
        let reason = reasonIds.get(term.text);
        if (reason === undefined) reasonIds.set(term.text, (reason = reasonIds.size));
        termReason.push(reason);
      }
      for (const op of flat.program) code.push(typeof op === 'number' ? op : termId(op));
      deepest = Math.max(deepest, flat.program.length);
    }
    termStart[profile + 1] = termRef.length;
    codeStart[profile + 1] = code.length;
    if (!compiled.matchable) {
      unmatchable++;
      return;
    }
    const cover = coverOf[old];
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
    form,
    termIds,
    hasPhraseTerms,
    termSeen: new Uint32Array(termIds.size),
    termStart,
    termRef: Int32Array.from(termRef),
    termText,
    codeStart,
    code: Int32Array.from(code),
    stack: new Uint8Array(deepest),
    languageMask,
    languageBits,
    anySnoozed,
    termReason: Int32Array.from(termReason),
    oneTermReasons: new Array<MatchReasons | undefined>(reasonIds.size).fill(undefined),
    subscriptions: byProfile,
    offsets,
    snoozedUntil: snoozedByProfile,
    postings,
    always: Int32Array.from(always),
    parentOf,
    seen: new Uint32Array(profileCount),
    candidates: new Int32Array(profileCount),
    visit: 0,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Matching

export interface MatchTrace {
  /** Profiles evaluated in full for the article. */
  candidates: number;
}

/** Adds the profiles of a posting list not yet seen for this article; returns the new count. A plain loop: it runs for every key. */
function collectCandidates(list: Int32Array | undefined, seen: Uint32Array, visit: number, candidates: Int32Array, count: number): number {
  if (list === undefined) return count;
  let n = count;
  for (let i = 0; i < list.length; i++) {
    const profile = list[i] as number;
    if (seen[profile] !== visit) {
      seen[profile] = visit;
      candidates[n++] = profile;
    }
  }
  return n;
}

// Reasons are read-only (SubscriptionMatch): the flat forms, which never have topics or countries, share these
// rather than allocate two empty arrays per matching profile. Frozen, so a consumer that broke the rule would fail.
const NO_TOPICS: MatchReasons['topics'] = Object.freeze([]) as unknown as MatchReasons['topics'];
const NO_COUNTRIES: MatchReasons['countries'] = Object.freeze([]) as unknown as MatchReasons['countries'];
const NO_KEYWORDS: string[] = Object.freeze([]) as unknown as string[];

const frozenReasons = (keywords: string[]): MatchReasons =>
  Object.freeze({ topics: NO_TOPICS, countries: NO_COUNTRIES, keywords: Object.freeze(keywords) as string[] });
const NO_REASONS = frozenReasons(NO_KEYWORDS);

/** Runs the postfix program code[from .. to) over the terms marked for this article. */
function runQuery(code: Int32Array, from: number, to: number, termSeen: Uint32Array, visit: number, stack: Uint8Array): boolean {
  let top = 0;
  for (let i = from; i < to; i++) {
    const op = code[i] as number;
    if (op >= 0) stack[top++] = termSeen[op] === visit ? 1 : 0;
    else if (op === OP_NOT) stack[top - 1] = (stack[top - 1] as number) ^ 1;
    else {
      const operands = code[++i] as number;
      top -= operands;
      let value = op === OP_AND ? 1 : 0;
      for (let k = top; k < top + operands; k++) value = op === OP_AND ? value & (stack[k] as number) : value | (stack[k] as number);
      stack[top++] = value;
    }
  }
  return stack[0] === 1;
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
    index.termSeen.fill(0);
  }
  const visit = index.visit;
  const { seen, candidates, postings } = index;
  let count = 0;
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
  const byTopicFeed = postings.get('topic-feed');

  count = collectCandidates(index.always, seen, visit, candidates, count);
  if (byFeed) count = collectCandidates(byFeed.get(article.feedId), seen, visit, candidates, count);
  const source = article.classification.sourceCountry;
  if (bySource && source !== undefined) count = collectCandidates(bySource.get(source), seen, visit, candidates, count);
  if (byLanguage) count = collectCandidates(byLanguage.get(prepared.language), seen, visit, candidates, count);
  // An article's topics share ancestors: each code once.
  const lineageCodes: string[] = [];
  for (const { lineage } of prepared.topics) for (const code of lineage) if (!lineageCodes.includes(code)) lineageCodes.push(code);
  const { countries } = article.classification;
  for (const code of lineageCodes) {
    if (byTopic) count = collectCandidates(byTopic.get(code), seen, visit, candidates, count);
    for (const country of countries) {
      if (byTopicCountry) count = collectCandidates(byTopicCountry.get(pairValue(code, country.code)), seen, visit, candidates, count);
      if (byTopicPrimary && country.role === 'primary') count = collectCandidates(byTopicPrimary.get(pairValue(code, country.code)), seen, visit, candidates, count);
    }
    if (byTopicSource && source !== undefined) count = collectCandidates(byTopicSource.get(pairValue(code, source)), seen, visit, candidates, count);
    if (byTopicFeed) count = collectCandidates(byTopicFeed.get(pairValue(code, article.feedId)), seen, visit, candidates, count);
  }
  for (const country of countries) {
    if (byCountry) count = collectCandidates(byCountry.get(country.code), seen, visit, candidates, count);
    if (byPrimary && country.role === 'primary') count = collectCandidates(byPrimary.get(country.code), seen, visit, candidates, count);
  }
  const { termIds, termSeen } = index;
  for (const word of prepared.text.wordSet) {
    if (byWord) count = collectCandidates(byWord.get(word), seen, visit, candidates, count);
    if (byGram && hasUnspacedScript(word)) {
      // Every 1- and 2-letter piece: a term's piece (gramsOf) is one of them whenever the term is inside this word.
      for (const letter of new Set(word)) count = collectCandidates(byGram.get(letter), seen, visit, candidates, count);
      for (const gram of gramsOf(word)) count = collectCandidates(byGram.get(gram), seen, visit, candidates, count);
    }
    const id = termIds.get(word);
    if (id !== undefined) termSeen[id] = visit;
  }
  if (byBigram || index.hasPhraseTerms) {
    for (const fieldWords of prepared.text.words) {
      for (let i = 1; i < fieldWords.length; i++) {
        const bigram = `${fieldWords[i - 1] ?? ''} ${fieldWords[i] ?? ''}`;
        if (byBigram) count = collectCandidates(byBigram.get(bigram), seen, visit, candidates, count);
        const id = termIds.get(bigram);
        if (id !== undefined) termSeen[id] = visit;
      }
    }
  }
  if (trace) trace.candidates = count;

  const nowMs = now.getTime();
  const matches: SubscriptionMatch[] = [];
  const { offsets, snoozedUntil, anySnoozed, subscriptions, profiles, form, termStart, termRef, termText, codeStart, code, stack, languageMask, termReason, oneTermReasons } = index;
  const languageBit = index.languageBits.get(prepared.language) ?? 0;
  for (let c = 0; c < count; c++) {
    const profile = candidates[c] as number;
    const kind = form[profile] as number;
    let reasons: SubscriptionMatch['reasons'] | undefined;
    if (kind === EVALUATE) reasons = evaluateSubscription(profiles[profile] as CompiledSubscription, prepared);
    else {
      const mask = languageMask[profile] as number;
      if (mask !== 0 && (mask & languageBit) === 0) continue;
      if (kind === QUERY && !runQuery(code, codeStart[profile] as number, codeStart[profile + 1] as number, termSeen, visit, stack)) continue;
      const termsTo = termStart[profile + 1] as number;
      let first = -1;
      let found = 0;
      for (let t = termStart[profile] as number; t < termsTo; t++) {
        if (termSeen[termRef[t] as number] === visit && found++ === 0) first = t;
      }
      if (found === 1) {
        const reason = termReason[first] as number;
        reasons = oneTermReasons[reason] ??= frozenReasons([termText[first] as string]);
      } else if (found > 1) {
        const keywords: string[] = [];
        for (let t = first; t < termsTo; t++) if (termSeen[termRef[t] as number] === visit) keywords.push(termText[t] as string);
        reasons = { topics: NO_TOPICS, countries: NO_COUNTRIES, keywords };
      } else if (kind === QUERY) reasons = NO_REASONS; // it matched on a NOT alone: no term to report
      // A keyword list needs one of its terms.
      else continue;
    }
    if (reasons === undefined) continue;
    const end = offsets[profile + 1] as number;
    if (anySnoozed[profile] === 0) {
      for (let at = offsets[profile] as number; at < end; at++) matches.push({ subscription: subscriptions[at] as Subscription, reasons });
    } else {
      for (let at = offsets[profile] as number; at < end; at++) {
        // NaN (not snoozed) > now is false.
        if ((snoozedUntil[at] as number) > nowMs) continue;
        matches.push({ subscription: subscriptions[at] as Subscription, reasons });
      }
    }
  }
  return matches;
}
