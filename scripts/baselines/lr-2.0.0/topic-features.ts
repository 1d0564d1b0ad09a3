// Hashed word n-gram features of an article, shared by the topic model at run time and by the training script, so
// that what is learned and what is scored are the same numbers.
import { internWord, tokenIdsOf } from './lexicon.js';
import { hashToken } from './tokenize.js';
import type { TokenStream } from './tokenize.js';

/** Size of the hashed feature space: 2^18 keeps collisions rare for news vocabularies and the model small. */
export const FEATURE_BUCKETS = 1 << 18;
const BUCKET_MASK = FEATURE_BUCKETS - 1;
/** A headline word counts as much as this many body words. */
const TITLE_REPEAT = 2;
/** Tokens read from the text: the opening says what an article is about, and a 5 MB text stays cheap. */
export const MAX_TEXT_TOKENS = 1500;

/** Function words carry no topic; dropping them also keeps bigrams meaningful ("interest rates", not "of the"). */
const STOPWORDS = new Set(
  (
    'a an the and or but if of to in on at by for with from as is are was were be been being it its this that these ' +
    'those he she they we you i his her their our your my him them us me s t not no so than then there here which ' +
    'who whom whose what when where why how all any both each few more most other some such only own same too very ' +
    'can will just should would could may might must shall do does did doing have has had having said says say also ' +
    'into about over after before under again further once up down out off while during through between because ' +
    'until against above below mr mrs ms one two new year years last first told per cent'
  ).split(' '),
);

/** FNV-1a over UTF-16 code units: fast, stable across runs and platforms. The tokenizer computes the same hash. */
export const hashString = hashToken;

function combine(left: number, right: number): number {
  return (Math.imul(left ^ 0x9e3779b9, 0x85ebca6b) ^ right) >>> 0;
}

export interface FeatureVector {
  /** Bucket ids, unique. */
  readonly ids: number[];
  /** L2-normalised weights, parallel to ids. */
  readonly values: number[];
  /** For evidence: where each bucket was first seen (field 0 title / 1 text, token index, n-gram length). */
  readonly firstSeen: number[];
}

/** 1 at the lexicon id of each stopword; ids handed out later belong to other words. */
const STOPWORD_IDS = (() => {
  const ids = [...STOPWORDS].map((word) => internWord(word));
  const flags = new Uint8Array(Math.max(0, ...ids) + 1);
  for (const id of ids) flags[id] = 1;
  return flags;
})();

function isUseful(token: string, id: number): boolean {
  if (token.length < 2 || (id >= 0 && STOPWORD_IDS[id] === 1)) return false;
  const first = token.charCodeAt(0);
  // Numbers ("2004", "11bn") say little about the topic and much about the date.
  return !(first >= 48 && first <= 57);
}

/**
 * Per-bucket scratch shared by every call (classification is synchronous, so calls never overlap): slot[b] is the
 * position of bucket b in this call's arrays, valid only while stamp[b] equals the call's generation, so nothing
 * has to be cleared between articles.
 */
let scratchSlot: Int32Array | undefined;
let scratchStamp: Uint32Array | undefined;
let generation = 0;

/**
 * Unigrams and bigrams of the content words of title and text (title counted twice), as sublinear term
 * frequencies 1 + ln(tf), L2-normalised so a long article and a short one are comparable. Buckets come out in
 * the order they were first seen.
 */
export function extractFeatures(title: TokenStream, text: TokenStream): FeatureVector {
  scratchSlot ??= new Int32Array(FEATURE_BUCKETS);
  scratchStamp ??= new Uint32Array(FEATURE_BUCKETS);
  const slot = scratchSlot;
  const stamp = scratchStamp;
  generation = generation >= 0xffffffff ? 1 : generation + 1;
  if (generation === 1) stamp.fill(0);
  const current = generation;
  const ids: number[] = [];
  const counts: number[] = [];
  const seen: number[] = [];
  const add = (bucket: number, weight: number, where: number): void => {
    if (stamp[bucket] === current) {
      const at = slot[bucket] ?? 0;
      counts[at] = (counts[at] ?? 0) + weight;
      return;
    }
    stamp[bucket] = current;
    slot[bucket] = ids.length;
    ids.push(bucket);
    counts.push(weight);
    seen.push(where);
  };
  const streams = [title, text];
  for (let field = 0; field < 2; field++) {
    const stream = streams[field];
    if (stream === undefined) continue;
    const { norms, hashes } = stream;
    const tokenIds = tokenIdsOf(stream);
    const weight = field === 0 ? TITLE_REPEAT : 1;
    const limit = Math.min(norms.length, MAX_TEXT_TOKENS);
    let previous = -1;
    let previousIndex = -1;
    for (let i = 0; i < limit; i++) {
      const token = norms[i] ?? '';
      // A skipped word still separates its neighbours: "bank of england" gives no "bank england" (adjacency below).
      if (!isUseful(token, tokenIds[i] ?? -1)) continue;
      const hash = hashes?.[i] ?? hashToken(token);
      add(hash & BUCKET_MASK, weight, field * 0x4000000 + i * 4 + 1);
      if (previous >= 0 && i - previousIndex === 1) {
        add(combine(previous, hash) & BUCKET_MASK, weight, field * 0x4000000 + previousIndex * 4 + 2);
      }
      previous = hash;
      previousIndex = i;
    }
  }
  const values: number[] = [];
  let norm = 0;
  for (const count of counts) {
    const value = 1 + Math.log(count);
    values.push(value);
    norm += value * value;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < values.length; i++) values[i] = (values[i] ?? 0) * scale;
  return { ids, values, firstSeen: seen };
}

/** The words behind a feature, from where it was first seen. */
export function describeFeature(title: TokenStream, text: TokenStream, seen: number): string {
  const field = seen >= 0x4000000 ? 1 : 0;
  const rest = seen - field * 0x4000000;
  const index = Math.floor(rest / 4);
  const length = rest % 4;
  const norms = (field === 0 ? title : text).norms;
  return norms.slice(index, index + length).join(' ');
}
