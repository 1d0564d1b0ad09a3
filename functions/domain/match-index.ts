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
//
// One file over the 450-line limit on purpose, and the one file exempt from the 450-line and 120-line limits
// (test/architecture/source-sizes.test.ts, docs/architecture.md): choosing a profile's keys, laying out its flat
// arrays and the match loop that reads them are one data layout (profile ids in posting-key order, term and language
// bits, flat typed arrays), and splitting them would spread every change to it over three files.
// What is not that layout lives beside it: match-output.ts (the grouped result), live-match-index.ts (changes),
// match-index-codec.ts (snapshots).
import { hasUnspacedScript, type KeywordTerm, type QueryNode } from './keyword-query.js';
import {
  compileSubscription,
  evaluateSubscription,
  prepareArticle,
  isReceivingStatus,
  type CompiledSubscription,
  type MatchOptions,
  type PreparedArticle,
  type SubscriptionMatchFields,
} from './matching.js';
import { createMatchOutput, listMatches, pushRange, pushSlot, type IndexMatch, type MatchOutput } from './match-output.js';
import { StringIndex, StringTable } from './string-table.js';
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

/**
 * The posting lists of one dimension: the profiles posted under keys.table entry k are
 * profiles[starts[k] .. starts[k + 1]).
 */
export interface PostingLists {
  readonly keys: StringIndex;
  readonly starts: Int32Array;
  readonly profiles: Int32Array;
}

export interface MatchIndex {
  readonly stats: MatchIndexStats;
  /**
   * @internal the rest is read only by matchArticle. The compiled form of each profile evaluated in full (form
   * EVALUATE), compiled from its definition on first need (compiledProfile): a snapshot loads without compiling any.
   * Profiles checked from flat arrays never need one.
   */
  readonly profiles: (CompiledSubscription | undefined)[];
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
  readonly termIds: StringIndex;
  readonly hasPhraseTerms: boolean;
  readonly termSeen: Uint32Array;
  readonly termStart: Int32Array;
  readonly termRef: Int32Array;
  readonly termText: StringTable;
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
   * CSR layout: the subscriptions of profile p are the slots offsets[p] .. offsets[p + 1]: ids[slot], snoozed until
   * snoozedUntil[slot] (epoch ms, NaN when not snoozed, +Infinity once the slot was removed: see removeSlot), at
   * change-log version versions[slot], storyUpdates[slot] = 1 when it opted in to story.updated. Laid out by profile
   * so that a matching profile reads its subscribers from consecutive memory. The index holds no Subscription
   * objects: matching needs only these, and the deliverer re-reads each subscription before it sends.
   */
  readonly ids: StringTable;
  readonly offsets: Int32Array;
  readonly snoozedUntil: Float64Array;
  readonly versions: Float64Array;
  readonly storyUpdates: Uint8Array;
  /** The slots in the order of their ids (binary search: slotOf). */
  readonly idOrder: Int32Array;
  /** Per profile: what it asks for (profileSignature), from which it can be compiled again (snapshots, merges). */
  readonly definitions: StringTable;
  /** Slots not removed. */
  alive: number;
  readonly postings: ReadonlyMap<IndexDimension, PostingLists>;
  readonly always: Int32Array;
  readonly parentOf: NonNullable<MatchOptions['parentOf']>;
  /** Per profile: the article it was last seen for, so one found under two keys is evaluated once. */
  readonly seen: Uint32Array;
  /**
   * What the match loop reads of each profile, side by side (derived at assembly, not stored): record p is
   * hot[4p .. 4p + 4) = form | (anySnoozed << 2), languageMask, termStart, offsets, and record p + 1 holds where
   * p's terms and slots end (one more record at the end). Read from seven arrays, a candidate cost a cache miss
   * apiece at a million subscriptions; read from here it costs one.
   */
  readonly hot: Int32Array;
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

/** What the index reads of a subscription: what it asks for, whether and until when it receives, its version. */
export type IndexedSubscription = SubscriptionMatchFields &
  Pick<Subscription, 'subscriptionId' | 'status' | 'snoozedUntil' | 'receiveStoryUpdates'> & {
    /** Its change-log version (see live-match-index.ts). @default 0 */
    version?: number;
  };

const sortedUnique = (values: readonly string[] | undefined): string[] | undefined =>
  values && values.length > 0 ? [...new Set(values)].sort() : undefined;

/** Two subscriptions with the same signature match exactly the same articles with the same reasons. */
export function profileSignature(sub: SubscriptionMatchFields): string {
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

type SignatureTuple = [string[] | null, string[] | null, SubscriptionMatchFields['countryRole'], string[], string, string[] | null, string[] | null, string[] | null, number | null];

/** The match fields a signature stands for: they compile to what any of its subscriptions compiles to. */
export function definitionFields(signature: string): SubscriptionMatchFields {
  const [topics, countries, countryRole, keywords, query, languages, includeSources, excludeSources, minScore] = JSON.parse(signature) as SignatureTuple;
  const fields: SubscriptionMatchFields = { topics: topics ?? [], countries: countries ?? [], keywords, countryRole };
  if (query !== '') fields.query = query;
  if (languages) fields.languages = languages;
  if (includeSources) fields.includeSources = includeSources;
  if (excludeSources) fields.excludeSources = excludeSources;
  // null: a minScore JSON cannot write (NaN), which compiles to 0 as the original did.
  if (minScore !== null && minScore !== 0) fields.minScore = minScore;
  return fields;
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

interface Profiles {
  /** The receiving subscriptions, and the profile of each (numbered in order of first appearance). */
  active: IndexedSubscription[];
  profileOfSub: Int32Array;
  signatures: string[];
  compiledOf: CompiledSubscription[];
  coverOf: (Cover | undefined)[];
}

function groupProfiles(subs: readonly IndexedSubscription[], share: ShareOf): Profiles {
  const active = subs.filter((sub) => isReceivingStatus(sub.status));
  const profileIds = new Map<string, number>();
  const profileOfSub = new Int32Array(active.length);
  const signatures: string[] = [];
  const compiledOf: CompiledSubscription[] = [];
  active.forEach((sub, i) => {
    const signature = profileSignature(sub);
    let profile = profileIds.get(signature);
    if (profile === undefined) {
      profile = signatures.length;
      profileIds.set(signature, profile);
      signatures.push(signature);
      compiledOf.push(compileSubscription(sub));
    }
    profileOfSub[i] = profile;
  });
  const coverOf = compiledOf.map((compiled) => (compiled.matchable ? profileCover(compiled, share) : undefined));
  return { active, profileOfSub, signatures, compiledOf, coverOf };
}

/**
 * Profiles are numbered by the key they are posted under (the first, for those under several), so that the profiles
 * of one posting list are neighbours in every per-profile array: matching an article then reads runs of memory
 * instead of taking a cache miss per candidate per array, which at a million subscriptions was most of its time.
 * Returns the old profile number of each new one, and renumbers profileOfSub in place.
 */
function orderProfiles(profiles: Profiles): number[] {
  const groups = new Map<string, number>();
  const groupOf = profiles.coverOf.map((cover) => {
    const key = cover?.keys[0];
    const name = key ? `${key.dimension}\u0000${key.value}` : '';
    let group = groups.get(name);
    if (group === undefined) groups.set(name, (group = groups.size));
    return group;
  });
  const order = profiles.signatures.map((_, i) => i).sort((a, b) => (groupOf[a] as number) - (groupOf[b] as number) || a - b);
  const renumbered = new Int32Array(order.length);
  order.forEach((old, profile) => (renumbered[old] = profile));
  const { profileOfSub } = profiles;
  for (let i = 0; i < profileOfSub.length; i++) profileOfSub[i] = renumbered[profileOfSub[i] as number] as number;
  return order;
}

type Slots = Pick<MatchIndex, 'ids' | 'offsets' | 'snoozedUntil' | 'versions' | 'storyUpdates' | 'anySnoozed' | 'idOrder'>;

/** Counting sort of the subscriptions by profile into flat per-slot arrays. */
function layoutSlots(active: readonly IndexedSubscription[], profileOfSub: Int32Array, profileCount: number): Slots {
  const offsets = new Int32Array(profileCount + 1);
  for (const profile of profileOfSub) offsets[profile + 1] = (offsets[profile + 1] ?? 0) + 1;
  for (let p = 0; p < profileCount; p++) offsets[p + 1] = (offsets[p + 1] ?? 0) + (offsets[p] ?? 0);
  const cursor = offsets.slice(0, profileCount);
  const ids = new Array<string>(active.length);
  const snoozedUntil = new Float64Array(active.length);
  const versions = new Float64Array(active.length);
  const storyUpdates = new Uint8Array(active.length);
  const anySnoozed = new Uint8Array(profileCount);
  profileOfSub.forEach((profile, i) => {
    const sub = active[i] as IndexedSubscription;
    const at = cursor[profile] ?? 0;
    ids[at] = sub.subscriptionId;
    // An unparseable snoozedUntil is NaN, and NaN > now is false: ignored, as isSubscriptionLive ignores it.
    snoozedUntil[at] = sub.snoozedUntil === undefined ? Number.NaN : Date.parse(sub.snoozedUntil);
    if (!Number.isNaN(snoozedUntil[at])) anySnoozed[profile] = 1;
    versions[at] = sub.version ?? 0;
    storyUpdates[at] = sub.receiveStoryUpdates === true ? 1 : 0;
    cursor[profile] = at + 1;
  });
  return { ids: StringTable.of(ids), offsets, snoozedUntil, versions, storyUpdates, anySnoozed, idOrder: sortSlotsById(ids) };
}

function sortSlotsById(ids: readonly string[]): Int32Array {
  return Int32Array.from(ids.keys()).sort((a, b) => {
    const x = ids[a] as string;
    const y = ids[b] as string;
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

type FlatParts = Pick<MatchIndex, 'profiles' | 'form' | 'hasPhraseTerms' | 'termStart' | 'termRef' | 'termReason' | 'codeStart' | 'code' | 'languageMask' | 'languageBits'> & {
  termIds: Map<string, number>;
  termText: string[];
  reasonCount: number;
  deepest: number;
  unmatchable: number;
  always: number[];
  lists: Map<IndexDimension, Map<string, number[]>>;
};

/** Per profile, in the new order: its flat form (or compiled form) and the posting lists it goes into. */
function flattenProfiles(profiles: Profiles, order: readonly number[]): FlatParts {
  const profileCount = order.length;
  const lists = new Map<IndexDimension, Map<string, number[]>>();
  const parts: FlatParts = {
    profiles: [], form: new Uint8Array(profileCount), termIds: new Map(), hasPhraseTerms: false,
    termStart: new Int32Array(profileCount + 1), termRef: new Int32Array(0), termText: [], termReason: new Int32Array(0),
    codeStart: new Int32Array(profileCount + 1), code: new Int32Array(0), languageMask: new Uint32Array(profileCount),
    languageBits: new Map(), reasonCount: 0, deepest: 1, unmatchable: 0, always: [], lists,
  };
  const { termIds, termText } = parts;
  const languageBits = parts.languageBits as Map<string, number>;
  const compiledProfiles = parts.profiles;
  const termRef: number[] = [];
  const termReason: number[] = [];
  const code: number[] = [];
  const reasonIds = new Map<string, number>();
  let hasPhraseTerms = false;
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
  order.forEach((old, profile) => {
    const compiled = profiles.compiledOf[old] as CompiledSubscription;
    const flat = flatFormOf(compiled);
    const mask = flat ? maskOf(compiled.languages) : undefined;
    if (flat && mask !== undefined) {
      compiledProfiles.push(undefined);
      parts.form[profile] = flat.form;
      parts.languageMask[profile] = mask;
      for (const term of flat.terms) {
        termRef.push(termId(term));
        termText.push(term.text);
        let reason = reasonIds.get(term.text);
        if (reason === undefined) reasonIds.set(term.text, (reason = reasonIds.size));
        termReason.push(reason);
      }
      for (const op of flat.program) code.push(typeof op === 'number' ? op : termId(op));
      parts.deepest = Math.max(parts.deepest, flat.program.length);
    } else {
      // Those evaluated in full are compiled again, in their new order: objects allocated one after another sit side
      // by side in the heap, so neighbouring candidates share cache lines there too.
      compiledProfiles.push(compiled.matchable ? compileSubscription(definitionFields(profiles.signatures[old] as string)) : compiled);
    }
    parts.termStart[profile + 1] = termRef.length;
    parts.codeStart[profile + 1] = code.length;
    if (!compiled.matchable) {
      parts.unmatchable++;
      return;
    }
    const cover = profiles.coverOf[old];
    if (!cover) {
      parts.always.push(profile);
      return;
    }
    for (const key of new Map(cover.keys.map((k) => [`${k.dimension}\u0000${k.value}`, k])).values()) {
      let byValue = lists.get(key.dimension);
      if (!byValue) lists.set(key.dimension, (byValue = new Map<string, number[]>()));
      const list = byValue.get(key.value);
      if (list) list.push(profile);
      else byValue.set(key.value, [profile]);
    }
  });
  return { ...parts, hasPhraseTerms, termRef: Int32Array.from(termRef), termReason: Int32Array.from(termReason), code: Int32Array.from(code), reasonCount: reasonIds.size };
}

function packPostings(byValue: ReadonlyMap<string, readonly number[]>): PostingLists {
  const starts = new Int32Array(byValue.size + 1);
  let total = 0;
  let k = 0;
  for (const list of byValue.values()) starts[++k] = total += list.length;
  const profiles = new Int32Array(total);
  k = 0;
  for (const list of byValue.values()) profiles.set(list, starts[k++]);
  return { keys: StringIndex.of([...byValue.keys()]), starts, profiles };
}

/** Builds the index over the receiving subscriptions. Subscriptions are values: a changed one is a new one. */
export function buildMatchIndex(subs: readonly IndexedSubscription[], options: MatchIndexOptions = {}): MatchIndex {
  const parentOf = options.parentOf ?? topicParentOf;
  const share = options.estimateShare ?? defaultShare(parentOf);
  const profiles = groupProfiles(subs, share);
  const order = orderProfiles(profiles);
  const slots = layoutSlots(profiles.active, profiles.profileOfSub, order.length);
  const flat = flattenProfiles(profiles, order);
  const postings = new Map<IndexDimension, PostingLists>();
  for (const [dimension, byValue] of flat.lists) postings.set(dimension, packPostings(byValue));
  const { lists: _lists, reasonCount, deepest, unmatchable, always, termIds, termText, ...arrays } = flat;
  return assembleMatchIndex({
    ...arrays,
    ...slots,
    termIds: StringIndex.of([...termIds.keys()]),
    termText: StringTable.of(termText),
    definitions: StringTable.of(order.map((old) => profiles.signatures[old] as string)),
    postings,
    always: Int32Array.from(always),
    reasonCount,
    deepest,
    parentOf,
    stats: { subscriptions: subs.length, indexed: profiles.active.length, profiles: order.length, alwaysCandidates: always.length, unmatchable, keys: 0 },
  });
}

/** What an index is made of, without its scratch space: what a snapshot stores (match-index-codec.ts). */
export type MatchIndexParts = Omit<MatchIndex, 'termSeen' | 'stack' | 'oneTermReasons' | 'seen' | 'hot' | 'candidates' | 'visit' | 'alive'> & {
  reasonCount: number;
  deepest: number;
};

const HOT = 4;
const SNOOZED_BIT = 4;
const FORM_BITS = 3;

function hotRecords(parts: MatchIndexParts): Int32Array {
  const { form, anySnoozed, languageMask, termStart, offsets } = parts;
  const profileCount = form.length;
  const hot = new Int32Array((profileCount + 1) * HOT);
  for (let p = 0, r = 0; p <= profileCount; p++, r += HOT) {
    if (p < profileCount) {
      hot[r] = (form[p] as number) | ((anySnoozed[p] as number) << 2);
      hot[r + 1] = languageMask[p] as number;
    }
    hot[r + 2] = termStart[p] as number;
    hot[r + 3] = offsets[p] as number;
  }
  return hot;
}

/** Adds the scratch space matching needs to an index's parts. */
export function assembleMatchIndex(parts: MatchIndexParts): MatchIndex {
  const { reasonCount, deepest, ...index } = parts;
  let keys = 0;
  for (const lists of parts.postings.values()) keys += lists.keys.size;
  const profileCount = parts.form.length;
  let alive = 0;
  for (const until of parts.snoozedUntil) if (until !== Number.POSITIVE_INFINITY) alive++;
  return {
    ...index,
    stats: { ...parts.stats, keys },
    termSeen: new Uint32Array(parts.termIds.size),
    stack: new Uint8Array(deepest),
    oneTermReasons: new Array<MatchReasons | undefined>(reasonCount).fill(undefined),
    seen: new Uint32Array(profileCount),
    hot: hotRecords(parts),
    candidates: new Int32Array(profileCount),
    visit: 0,
    alive,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Finding and removing a subscription's slot (live-match-index.ts applies changes with these)

/** The slot of a subscription id (removed or not), or -1. */
export function slotOf(index: MatchIndex, subscriptionId: string): number {
  const { idOrder, ids } = index;
  let lo = 0;
  let hi = idOrder.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const slot = idOrder[mid] as number;
    const order = ids.compare(slot, subscriptionId);
    if (order === 0) return slot;
    if (order < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The profile whose slots hold `slot`. */
export function profileOfSlot(index: MatchIndex, slot: number): number {
  const { offsets } = index;
  let lo = 0;
  let hi = offsets.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((offsets[mid] as number) <= slot) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Whether the slot was removed. */
export const isRemovedSlot = (index: MatchIndex, slot: number): boolean => index.snoozedUntil[slot] === Number.POSITIVE_INFINITY;

/**
 * Takes a slot out of matching for good, in O(log n): a snooze that never ends, which the match loop already skips
 * (its profile is marked as having snoozed subscriptions).
 */
export function removeSlot(index: MatchIndex, slot: number): void {
  if (isRemovedSlot(index, slot)) return;
  index.snoozedUntil[slot] = Number.POSITIVE_INFINITY;
  const profile = profileOfSlot(index, slot);
  index.anySnoozed[profile] = 1;
  index.hot[profile * HOT] = (index.hot[profile * HOT] as number) | SNOOZED_BIT;
  index.alive--;
}

// ---------------------------------------------------------------------------------------------------------------
// Matching

export interface MatchTrace {
  /** Profiles evaluated for the article. */
  candidates: number;
}

/** Adds profiles[from .. to) not yet seen for this article; returns the new count. A plain loop: it runs for every key. */
function collectRange(profiles: Int32Array, from: number, to: number, seen: Uint32Array, visit: number, candidates: Int32Array, count: number): number {
  let n = count;
  for (let i = from; i < to; i++) {
    const profile = profiles[i] as number;
    if (seen[profile] !== visit) {
      seen[profile] = visit;
      candidates[n++] = profile;
    }
  }
  return n;
}

/** Adds the profiles posted under `key`, if any. */
function collectCandidates(lists: PostingLists | undefined, key: string, seen: Uint32Array, visit: number, candidates: Int32Array, count: number): number {
  if (lists === undefined) return count;
  const k = lists.keys.find(key);
  return k < 0 ? count : collectRange(lists.profiles, lists.starts[k] as number, lists.starts[k + 1] as number, seen, visit, candidates, count);
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

/** The compiled form of a profile evaluated in full, compiled from its definition the first time it is needed. */
function compiledProfile(index: MatchIndex, profile: number): CompiledSubscription {
  return (index.profiles[profile] = compileSubscription(definitionFields(index.definitions.get(profile))));
}

/** Starts a new article on the index's scratch space; returns its visit mark. */
function nextVisit(index: MatchIndex): number {
  const mutable = index as { visit: number };
  // 0 marks "never seen"; wrapping after 2^32 articles only costs one spurious re-evaluation round, never a miss.
  mutable.visit = index.visit >= 0xffff_fffe ? 1 : index.visit + 1;
  if (index.visit === 1) {
    index.seen.fill(0);
    index.termSeen.fill(0);
  }
  return index.visit;
}

/** The candidate profiles of the article (into index.candidates), with its simple terms marked; returns their count. */
function collectArticleCandidates(index: MatchIndex, prepared: PreparedArticle, visit: number): number {
  const { article } = prepared;
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

  count = collectRange(index.always, 0, index.always.length, seen, visit, candidates, count);
  count = collectCandidates(byFeed, article.feedId, seen, visit, candidates, count);
  const source = article.classification.sourceCountry;
  if (source !== undefined) count = collectCandidates(bySource, source, seen, visit, candidates, count);
  count = collectCandidates(byLanguage, prepared.language, seen, visit, candidates, count);
  // An article's topics share ancestors: each code once.
  const lineageCodes: string[] = [];
  for (const { lineage } of prepared.topics) for (const code of lineage) if (!lineageCodes.includes(code)) lineageCodes.push(code);
  const { countries } = article.classification;
  for (const code of lineageCodes) {
    count = collectCandidates(byTopic, code, seen, visit, candidates, count);
    for (const country of countries) {
      if (byTopicCountry) count = collectCandidates(byTopicCountry, pairValue(code, country.code), seen, visit, candidates, count);
      if (byTopicPrimary && country.role === 'primary') count = collectCandidates(byTopicPrimary, pairValue(code, country.code), seen, visit, candidates, count);
    }
    if (byTopicSource && source !== undefined) count = collectCandidates(byTopicSource, pairValue(code, source), seen, visit, candidates, count);
    if (byTopicFeed) count = collectCandidates(byTopicFeed, pairValue(code, article.feedId), seen, visit, candidates, count);
  }
  for (const country of countries) {
    count = collectCandidates(byCountry, country.code, seen, visit, candidates, count);
    if (country.role === 'primary') count = collectCandidates(byPrimary, country.code, seen, visit, candidates, count);
  }
  const { termIds, termSeen } = index;
  for (const word of prepared.text.wordSet) {
    count = collectCandidates(byWord, word, seen, visit, candidates, count);
    if (byGram && hasUnspacedScript(word)) {
      // Every 1- and 2-letter piece: a term's piece (gramsOf) is one of them whenever the term is inside this word.
      for (const letter of new Set(word)) count = collectCandidates(byGram, letter, seen, visit, candidates, count);
      for (const gram of gramsOf(word)) count = collectCandidates(byGram, gram, seen, visit, candidates, count);
    }
    const id = termIds.find(word);
    if (id >= 0) termSeen[id] = visit;
  }
  if (byBigram || index.hasPhraseTerms) {
    for (const fieldWords of prepared.text.words) {
      for (let i = 1; i < fieldWords.length; i++) {
        const bigram = `${fieldWords[i - 1] ?? ''} ${fieldWords[i] ?? ''}`;
        if (byBigram) count = collectCandidates(byBigram, bigram, seen, visit, candidates, count);
        const id = termIds.find(bigram);
        if (id >= 0) termSeen[id] = visit;
      }
    }
  }
  return count;
}

/** The reasons a flat profile (KEYWORDS or QUERY) has for the article, or undefined when it does not match. */
function flatReasons(index: MatchIndex, profile: number, kind: number, visit: number, languageBit: number): MatchReasons | undefined {
  const { termSeen, hot, termRef, termText, codeStart, code, stack, termReason, oneTermReasons } = index;
  const r = profile * HOT;
  const mask = hot[r + 1] as number;
  if (mask !== 0 && (mask & languageBit) === 0) return undefined;
  if (kind === QUERY && !runQuery(code, codeStart[profile] as number, codeStart[profile + 1] as number, termSeen, visit, stack)) return undefined;
  const termsTo = hot[r + HOT + 2] as number;
  let first = -1;
  let found = 0;
  for (let t = hot[r + 2] as number; t < termsTo; t++) {
    if (termSeen[termRef[t] as number] === visit && found++ === 0) first = t;
  }
  if (found === 1) {
    const reason = termReason[first] as number;
    return (oneTermReasons[reason] ??= frozenReasons([termText.get(first)]));
  }
  if (found > 1) {
    const keywords: string[] = [];
    for (let t = first; t < termsTo; t++) if (termSeen[termRef[t] as number] === visit) keywords.push(termText.get(t));
    return { topics: NO_TOPICS, countries: NO_COUNTRIES, keywords };
  }
  // A query that matched on a NOT alone has no term to report; a keyword list needs one of its terms.
  return kind === QUERY ? NO_REASONS : undefined;
}

/**
 * Writes every live, unsnoozed subscription of the index that wants the prepared article at `nowMs` into `out`,
 * grouped by profile: exactly what matchSubscriptions returns over the same subscriptions, with the same reasons.
 * `prepared` must come from prepareArticle with the index's parentOf.
 */
export function matchPrepared(index: MatchIndex, prepared: PreparedArticle, nowMs: number, out: MatchOutput, trace?: MatchTrace): void {
  const visit = nextVisit(index);
  const count = collectArticleCandidates(index, prepared, visit);
  if (trace) trace.candidates += count;
  const { candidates, snoozedUntil, profiles, hot } = index;
  // languageMask holds the bits as uint32; hot as int32, as does this (bit 31 alike).
  const languageBit = (index.languageBits.get(prepared.language) ?? 0) | 0;
  for (let c = 0; c < count; c++) {
    const profile = candidates[c] as number;
    const r = profile * HOT;
    const head = hot[r] as number;
    const kind = head & FORM_BITS;
    const reasons =
      kind === EVALUATE ? evaluateSubscription(profiles[profile] ?? compiledProfile(index, profile), prepared) : flatReasons(index, profile, kind, visit, languageBit);
    if (reasons === undefined) continue;
    const from = hot[r + 3] as number;
    const end = hot[r + HOT + 3] as number;
    if ((head & SNOOZED_BIT) === 0) {
      pushRange(out, index, reasons, from, end);
      continue;
    }
    const start = out.slotCount;
    // NaN (not snoozed) > now is false; a removed slot is snoozed until +Infinity.
    for (let at = from; at < end; at++) if (!((snoozedUntil[at] as number) > nowMs)) pushSlot(out, at);
    pushRange(out, index, reasons, start, out.slotCount, 1);
  }
}

/**
 * Every receiving, unsnoozed subscription that wants `article` at `now`, with its reasons: exactly what
 * matchSubscriptions returns over the same subscriptions, in no particular order. One object per match: the
 * matcher reads matchPrepared's grouped output instead.
 */
export function matchArticle(index: MatchIndex, article: ClassifiedArticle, now: Date, trace?: MatchTrace): IndexMatch[] {
  const out = createMatchOutput();
  if (trace) trace.candidates = 0;
  matchPrepared(index, prepareArticle(article, { parentOf: index.parentOf }), now.getTime(), out, trace);
  return listMatches(out);
}
