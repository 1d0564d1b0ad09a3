// Hashed features of an article for the topic model, shared by classify() and by the training script, so that what
// is learned and what is scored are the same numbers. They work across scripts:
// - words (space-separated scripts): the word, its first 4 and 5 characters when it is longer (a crude stem that
//   joins "выборы"/"выборов", "politique"/"politiques", "Wahlen"/"Wahlkampf"), its character 4-grams (subwords, as
//   in fastText: inflected and compounded forms share them) and the adjacent-word bigram;
// - runs of Han, kana, Thai, Lao, Khmer, Myanmar or Tibetan characters (no spaces between words): character
//   n-grams, 1 and 2 for Han and kana (a Chinese or Japanese word is mostly one or two characters), 2 and 3 for the
//   alphabetic scripts (Thai words are several letters).
// Buckets of the different kinds are salted so that "ab" the word and "ab" the character pair never meet.
import { fnv1aRange as hashRange } from '../hash.js';
import { internWord, tokenIdsOf } from './lexicon.js';
import { hashToken } from './tokenize.js';
import type { TokenStream } from './tokenize.js';

/** Size of the hashed feature space: 2^20 keeps collisions rare over the vocabularies of 40 languages. */
export const FEATURE_BITS = 20;
export const FEATURE_BUCKETS = 1 << FEATURE_BITS;
const BUCKET_MASK = FEATURE_BUCKETS - 1;
/** Bumped whenever a change here changes a bucket or a value: a model is only valid for the features it was fit on. */
export const FEATURE_VERSION = 'mlf-1';
/** A headline word (and a category the publisher gave) counts as much as this many body words. */
const TITLE_REPEAT = 2;
/** What is read of the text: feeds deliver about 1,000 characters of summary, and the opening says the topic. */
export const MAX_TEXT_CHARS = 1_200;
/** Tokens read from any one field. */
export const MAX_TEXT_TOKENS = 400;
/** Words at least this long also give their prefix of PREFIX_CHARS characters, and of SHORT_PREFIX_CHARS. */
const PREFIX_MIN_CHARS = 7;
const PREFIX_CHARS = 5;
const SHORT_PREFIX_MIN_CHARS = 6;
const SHORT_PREFIX_CHARS = 4;
/** Words longer than this give every substring of this length: morphology in any script (fastText's subwords). */
const SUBWORD_CHARS = 4;

const SALT_WORD = 0x2f6b1c3d;
const SALT_PREFIX = 0x5bd1e995;
const SALT_SHORT_PREFIX = 0x5bd1e996;
const SALT_SUBWORD = 0x5bd1e99c;
const SALT_CHAR = 0x68e31da4;

/** Function words carry no topic; dropping them also keeps bigrams meaningful ("interest rates", not "of the"). */
const STOPWORDS = (
  'a an the and or but if of to in on at by for with from as is are was were be been being it its this that these ' +
  'those he she they we you i his her their our your my him them us me s t not no so than then there here which ' +
  'who whom whose what when where why how all any both each few more most other some such only own same too very ' +
  'can will just should would could may might must shall do does did doing have has had having said says say also ' +
  'into about over after before under again further once up down out off while during through between because ' +
  'until against above below mr mrs ms one two new year years last first told per cent'
).split(' ');

/** 1 at the lexicon id of each stopword; ids handed out later belong to other words. */
const STOPWORD_IDS = (() => {
  const ids = STOPWORDS.map((word) => internWord(word));
  const flags = new Uint8Array(Math.max(0, ...ids) + 1);
  for (const id of ids) flags[id] = 1;
  return flags;
})();

export interface FeatureVector {
  /** Bucket ids, unique, in the order first seen. */
  readonly ids: number[];
  /** L2-normalised weights, parallel to ids. */
  readonly values: number[];
  /** For evidence: where each bucket was first seen (see describeFeature). */
  readonly firstSeen: number[];
}

/** The kinds of feature, as packed into firstSeen. */
const KIND_WORD = 0;
const KIND_PREFIX = 1;
const KIND_BIGRAM = 2;
const KIND_CHARS = 3;

/** firstSeen = (((field * 2^16 + token) * 2^16 + offset) * 2^4 + length) * 2^2 + kind, exact in a double. */
function packSeen(field: number, token: number, offset: number, length: number, kind: number): number {
  return (((field * 65536 + token) * 65536 + Math.min(offset, 65535)) * 16 + length) * 4 + kind;
}

/** murmur3's finaliser: spreads FNV's low bits, which the bucket mask keeps. */
function mix(hash: number, salt: number): number {
  let h = (hash ^ salt) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function combine(left: number, right: number): number {
  return (Math.imul(left ^ 0x9e3779b9, 0x85ebca6b) ^ right) >>> 0;
}

/**
 * 0: part of a word; 1: Han or kana (n-grams of 1 and 2); 2: Thai, Lao, Khmer, Myanmar or Tibetan (n-grams of 2
 * and 3). Hangul is written with spaces and stays a word script.
 */
export function unsegmentedScript(code: number): 0 | 1 | 2 {
  if (code < 0x0e00) return 0;
  if (code <= 0x0eff) return 2; // Thai, Lao
  if (code >= 0x0f00 && code <= 0x109f) return 2; // Tibetan, Myanmar
  if (code >= 0x1780 && code <= 0x17ff) return 2; // Khmer
  if (code >= 0x3040 && code <= 0x30ff) return 1; // hiragana, katakana
  if (code >= 0x3400 && code <= 0x4dbf) return 1; // CJK extension A
  if (code >= 0x4e00 && code <= 0x9fff) return 1; // CJK unified ideographs
  if (code >= 0xf900 && code <= 0xfaff) return 1; // CJK compatibility ideographs
  if (code >= 0xff66 && code <= 0xff9f) return 1; // half-width katakana
  return 0;
}

function isUsefulWord(token: string, id: number): boolean {
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

class FeatureBuilder {
  readonly ids: number[] = [];
  readonly counts: number[] = [];
  readonly seen: number[] = [];
  private readonly slot: Int32Array;
  private readonly stamp: Uint32Array;
  private readonly current: number;

  constructor() {
    scratchSlot ??= new Int32Array(FEATURE_BUCKETS);
    scratchStamp ??= new Uint32Array(FEATURE_BUCKETS);
    this.slot = scratchSlot;
    this.stamp = scratchStamp;
    generation = generation >= 0xffffffff ? 1 : generation + 1;
    if (generation === 1) this.stamp.fill(0);
    this.current = generation;
  }

  add(bucket: number, weight: number, where: number): void {
    if (this.stamp[bucket] === this.current) {
      const at = this.slot[bucket] ?? 0;
      this.counts[at] = (this.counts[at] ?? 0) + weight;
      return;
    }
    this.stamp[bucket] = this.current;
    this.slot[bucket] = this.ids.length;
    this.ids.push(bucket);
    this.counts.push(weight);
    this.seen.push(where);
  }
}

/** Character n-grams of one unsegmented run norm[from, to). */
function addCharGrams(out: FeatureBuilder, norm: string, from: number, to: number, kind: 1 | 2, weight: number, field: number, token: number): void {
  const [low, high] = kind === 1 ? [1, 2] : [2, 3];
  for (let i = from; i < to; i++) {
    for (let n = low; n <= high && i + n <= to; n++) {
      // A lone kana is a particle or an inflection: only ideographs count alone.
      if (n === 1 && norm.charCodeAt(i) < 0x3400) continue;
      const bucket = mix(hashRange(norm, i, i + n), SALT_CHAR) & BUCKET_MASK;
      out.add(bucket, weight, packSeen(field, token, i, n, KIND_CHARS));
    }
  }
}

/** The features of one field's tokens, into `out`. */
function addField(out: FeatureBuilder, stream: TokenStream, field: number, weight: number): void {
  const { norms, hashes, starts } = stream;
  const tokenIds = tokenIdsOf(stream);
  const limit = Math.min(norms.length, MAX_TEXT_TOKENS);
  let previous = -1;
  let previousIndex = -1;
  let charsLeft = MAX_TEXT_CHARS;
  for (let i = 0; i < limit; i++) {
    if (field === 1 && (starts[i] ?? 0) >= MAX_TEXT_CHARS) break;
    const token = norms[i] ?? '';
    // One scan says whether the token holds unsegmented script; nearly every token of a European text has none.
    let first = -1;
    for (let k = 0; k < token.length; k++) {
      if (unsegmentedScript(token.charCodeAt(k)) !== 0) {
        first = k;
        break;
      }
    }
    if (first >= 0) {
      charsLeft = addUnsegmented(out, token, first, weight, field, i, charsLeft);
      previous = -1;
      if (charsLeft <= 0) break;
      continue;
    }
    // A skipped word still separates its neighbours: "bank of england" gives no "bank england" (adjacency below).
    if (!isUsefulWord(token, tokenIds[i] ?? -1)) continue;
    const hash = hashes?.[i] ?? hashToken(token);
    out.add(mix(hash, SALT_WORD) & BUCKET_MASK, weight, packSeen(field, i, 0, 0, KIND_WORD));
    if (token.length >= PREFIX_MIN_CHARS) {
      out.add(mix(hashRange(token, 0, PREFIX_CHARS), SALT_PREFIX) & BUCKET_MASK, weight, packSeen(field, i, 0, PREFIX_CHARS, KIND_PREFIX));
    }
    if (token.length >= SHORT_PREFIX_MIN_CHARS) {
      out.add(mix(hashRange(token, 0, SHORT_PREFIX_CHARS), SALT_SHORT_PREFIX) & BUCKET_MASK, weight, packSeen(field, i, 0, SHORT_PREFIX_CHARS, KIND_PREFIX));
    }
    if (token.length > SUBWORD_CHARS) {
      for (let s = 0; s + SUBWORD_CHARS <= token.length; s++) {
        // Evidence names the whole word a subword came from.
        out.add(mix(hashRange(token, s, s + SUBWORD_CHARS), SALT_SUBWORD) & BUCKET_MASK, weight, packSeen(field, i, s, SUBWORD_CHARS, KIND_PREFIX));
      }
    }
    if (previous >= 0 && i - previousIndex === 1) {
      out.add(mix(combine(previous, hash), SALT_WORD) & BUCKET_MASK, weight, packSeen(field, previousIndex, 0, 0, KIND_BIGRAM));
    }
    previous = hash;
    previousIndex = i;
  }
}

/** A token with unsegmented script from `first` on: n-grams of its runs, words for the parts in other scripts. */
function addUnsegmented(out: FeatureBuilder, token: string, first: number, weight: number, field: number, index: number, charsLeft: number): number {
  let i = 0;
  let left = charsLeft;
  while (i < token.length && left > 0) {
    const kind = i >= first ? unsegmentedScript(token.charCodeAt(i)) : 0;
    let end = i + 1;
    while (end < token.length && unsegmentedScript(token.charCodeAt(end)) === kind) end++;
    if (kind === 0) {
      // "iPhone" inside "新型iphone発売": the Latin part is a word of its own.
      if (end - i >= 2 && !(token.charCodeAt(i) >= 48 && token.charCodeAt(i) <= 57)) {
        out.add(mix(hashRange(token, i, end), SALT_WORD) & BUCKET_MASK, weight, packSeen(field, index, i, Math.min(end - i, 15), KIND_CHARS));
      }
    } else {
      const stop = Math.min(end, i + left);
      addCharGrams(out, token, i, stop, kind, weight, field, index);
      left -= stop - i;
    }
    i = end;
  }
  return left;
}

/**
 * Title, text and the publisher's categories of an article (title and categories counted TITLE_REPEAT times), as
 * sublinear term frequencies 1 + ln(tf), L2-normalised so a long article and a short one are comparable.
 */
export function extractFeatures(title: TokenStream, text: TokenStream, categories?: TokenStream): FeatureVector {
  const out = new FeatureBuilder();
  addField(out, title, 0, TITLE_REPEAT);
  addField(out, text, 1, 1);
  if (categories !== undefined) addField(out, categories, 2, TITLE_REPEAT);
  const values: number[] = [];
  let norm = 0;
  for (const count of out.counts) {
    const value = 1 + Math.log(count);
    values.push(value);
    norm += value * value;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < values.length; i++) values[i] = (values[i] ?? 0) * scale;
  return { ids: out.ids, values, firstSeen: out.seen };
}

/** The words (or characters) behind a feature, from where it was first seen. */
export function describeFeature(streams: readonly TokenStream[], seen: number): string {
  const kind = seen % 4;
  let rest = Math.floor(seen / 4);
  const length = rest % 16;
  rest = Math.floor(rest / 16);
  const offset = rest % 65536;
  rest = Math.floor(rest / 65536);
  const token = rest % 65536;
  const field = Math.floor(rest / 65536);
  const norms = streams[field]?.norms ?? [];
  const word = norms[token] ?? '';
  switch (kind) {
    case KIND_WORD:
    case KIND_PREFIX:
      return word;
    case KIND_BIGRAM:
      return `${word} ${norms[token + 1] ?? ''}`.trim();
    default:
      return word.slice(offset, offset + length);
  }
}
