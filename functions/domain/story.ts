// Stories: which articles report the same thing, and when a seen article has materially changed.
//
// Same story. Each article is reduced to a fingerprint: the 32-bit hashes of the content words (stop words dropped,
// plurals folded) of its title and the lead of its summary. Candidates are found with bottom-k MinHash: an article
// is filed under the KEYS smallest hashes of its words (a random but consistent sample of them), and two articles
// sharing any such key are compared; with k = 8 two texts whose word sets overlap by a Jaccard of 0.25 share a key
// with probability > 0.9. The comparison is exact (isSameStory) and deliberately conservative: a missed merge costs
// one extra alert, a false merge swallows a different story's alert.
//
// Material change. A content hash of the title and summary with case, diacritics, punctuation and whitespace
// removed: a feed that re-serialises an item ("U.S." -> "US", a trailing space, an &nbsp;) is not an edit.
import { fnv1aRange, mixBits } from './hash.js';
import { createHash } from 'node:crypto';
import { tokenize } from './classification/tokenize.js';

/** Words of the summary that count as the lead: rewrites differ most in their later paragraphs. */
const LEAD_TOKENS = 60;
/** How many keys (min-hashes) an article is filed under. */
export const STORY_KEYS = 8;
/** Articles of one story are looked for this far back. */
export const STORY_WINDOW_HOURS = 48;

export interface StoryFingerprint {
  /** Sorted, unique hashes of the content words of title and lead. */
  words: Uint32Array;
  /** Sorted, unique hashes of the content words of the title alone. */
  titleWords: Uint32Array;
}

// English and the function words of the main western European languages; news-generic verbs ("says", "report")
// are stop words too, because two unrelated stories share them all the time.
const STOP_WORDS = new Set(
  (
    'a an the and or but nor of to in on at by for from with without into onto over under about after before ' +
    'during since until than then as is are was were be been being am do does did done has have had having ' +
    'will would shall should can could may might must not no yes it its it\'s this that these those there here ' +
    'their them they he him his she her hers we us our you your i me my mine who whom whose which what when where ' +
    'why how all any both each few more most other some such only own same so too very just also again further ' +
    'once up down out off new says said say saying told tells tell report reports reported according amid via ' +
    'per vs latest live update updates breaking news today yesterday tomorrow week weeks year years day days ' +
    'one two three first last s t re ve ll d m ' +
    'der die das den dem des ein eine einer eines und oder aber mit von zu im ist sind war für auf nach bei ' +
    'le la les un une des du et ou mais avec pour par sur dans est sont au aux ce cette ' +
    'el los las y o pero con para por en es son del al lo ' +
    'il lo gli di da per con non che e ' +
    'o os as um uma de do da dos das em no na nos nas com por para que'
  ).split(' '),
);

/** FNV-1a over UTF-16 code units, then murmur3's finaliser so nearby strings spread over all 32 bits. */
function hashWord(word: string): number {
  return mixBits(fnv1aRange(word, 0, word.length));
}

/**
 * A light stemmer for the inflections rewrites swap freely ("issues"/"issued", "talks"/"talk", "ruling"/"rules"):
 * it only has to map them to one key, not to a real word. Short words are left alone.
 */
function foldWord(word: string): string {
  const n = word.length;
  if (n > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (n > 4 && word.endsWith('ies')) return word.slice(0, -3) + 'y';
  if (n > 4 && (word.endsWith('ed') || word.endsWith('es'))) return word.slice(0, -2);
  if (n > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) {
    return word.slice(0, -1);
  }
  if (n > 4 && word.endsWith('e')) return word.slice(0, -1);
  return word;
}

/** Characters that nearly always hold more than LEAD_TOKENS words: tokenising a summary is the costly part. */
const LEAD_PREFIX_CHARS = 640;

function contentWordHashes(text: string, limit: number, into: Set<number>): void {
  let { norms } = tokenize(Number.isFinite(limit) && text.length > LEAD_PREFIX_CHARS ? text.slice(0, LEAD_PREFIX_CHARS) : text);
  // The prefix may cut a word: only trust it when a further token starts after the last one used.
  if (norms.length <= limit && text.length > LEAD_PREFIX_CHARS) norms = tokenize(text).norms;
  addContentWords(norms, limit, into);
}

function addContentWords(norms: readonly string[], limit: number, into: Set<number>): void {
  const end = Math.min(norms.length, limit);
  for (let i = 0; i < end; i++) {
    const norm = norms[i]!;
    // Single characters (initials, the "7" and "1" of "7.1") carry no identity on their own.
    if (norm.length < 2 || STOP_WORDS.has(norm)) continue;
    into.add(hashWord(foldWord(norm)));
  }
}

function sortedUnique(values: Set<number>): Uint32Array {
  const array = Uint32Array.from(values);
  array.sort();
  return array;
}

/** The fingerprint of an article for near-duplicate detection. Pure and fast: one pass over title and lead. */
export function storyFingerprint(title: string, summary: string): StoryFingerprint {
  const titleSet = new Set<number>();
  contentWordHashes(title, Number.POSITIVE_INFINITY, titleSet);
  const all = new Set<number>(titleSet);
  contentWordHashes(summary, LEAD_TOKENS, all);
  return { words: sortedUnique(all), titleWords: sortedUnique(titleSet) };
}

/**
 * An article's title and summary tokenised once, for both what an ingest needs of them: its content hash (is it
 * edited?) and, when it is new, its story fingerprint. Same results as contentHashFor and storyFingerprint.
 */
export interface StoryText {
  titleNorms: readonly string[];
  summaryNorms: readonly string[];
}

export function storyTextOf(title: string, summary: string): StoryText {
  return { titleNorms: tokenize(title).norms, summaryNorms: tokenize(summary).norms };
}

export function fingerprintOf(text: StoryText): StoryFingerprint {
  const titleSet = new Set<number>();
  addContentWords(text.titleNorms, Number.POSITIVE_INFINITY, titleSet);
  const all = new Set<number>(titleSet);
  addContentWords(text.summaryNorms, LEAD_TOKENS, all);
  return { words: sortedUnique(all), titleWords: sortedUnique(titleSet) };
}

/** Size of the intersection of two sorted arrays. */
function overlap(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) {
      i++;
    } else {
      j++;
    }
  }
  return shared;
}

export interface StorySimilarity {
  /** Jaccard of the title + lead words. */
  words: number;
  /** Shared title words over the shorter title's word count. */
  title: number;
  sharedTitleWords: number;
  sharedWords: number;
}

export function storySimilarity(a: StoryFingerprint, b: StoryFingerprint): StorySimilarity {
  const sharedWords = overlap(a.words, b.words);
  const union = a.words.length + b.words.length - sharedWords;
  const sharedTitleWords = overlap(a.titleWords, b.titleWords);
  const shorterTitle = Math.min(a.titleWords.length, b.titleWords.length);
  return {
    words: union === 0 ? 0 : sharedWords / union,
    title: shorterTitle === 0 ? 0 : sharedTitleWords / shorterTitle,
    sharedTitleWords,
    sharedWords,
  };
}

/**
 * Whether two fingerprints report the same story. Either the texts overlap broadly (a syndicated copy, a light
 * rewrite), or the titles share at least half their content words AND the texts still agree well beyond the topic words that
 * every story about one country or subject shares (the "same place, different event" trap). Thresholds were set on
 * real text: `npm run bench -- story` counts the pairs they merge in two samples of distinct stories.
 */
export function isSameStory(a: StoryFingerprint, b: StoryFingerprint): boolean {
  const s = storySimilarity(a, b);
  if (s.sharedWords < 5) return false;
  if (s.words >= 0.45) return true;
  return s.title >= 0.5 && s.sharedTitleWords >= 3 && s.words >= 0.3;
}

/** The keys an article is filed under (and looked up by): its STORY_KEYS smallest word hashes, as hex. */
export function storyKeys(fingerprint: StoryFingerprint): string[] {
  // `words` is sorted ascending, so the smallest hashes are its head: bottom-k MinHash with one hash function.
  return [...fingerprint.words.subarray(0, STORY_KEYS)].map((hash) => hash.toString(16).padStart(8, '0'));
}

/** Compact text form for storage: base64url of the title words, then ".", then the other words. */
export function encodeFingerprint(fingerprint: StoryFingerprint): string {
  const title = new Set(fingerprint.titleWords);
  const rest = fingerprint.words.filter((hash) => !title.has(hash));
  const encode = (values: Uint32Array): string => Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64url');
  return `${encode(fingerprint.titleWords)}.${encode(rest)}`;
}

/** The inverse of encodeFingerprint; undefined for text that is not one (a corrupt or foreign item). */
export function decodeFingerprint(text: string): StoryFingerprint | undefined {
  const parts = text.split('.');
  if (parts.length !== 2) return undefined;
  const decode = (part: string): Uint32Array | undefined => {
    const bytes = Buffer.from(part, 'base64url');
    if (bytes.length % 4 !== 0) return undefined;
    const copy = new Uint8Array(bytes);
    return new Uint32Array(copy.buffer, 0, copy.length / 4);
  };
  const titleWords = decode(parts[0]!);
  const rest = decode(parts[1]!);
  if (!titleWords || !rest) return undefined;
  const words = Uint32Array.from([...titleWords, ...rest]);
  words.sort();
  return { words, titleWords: Uint32Array.from(titleWords).sort() };
}

/**
 * The lowest word Jaccard at which joinsStory can accept two articles: isSameStory needs 0.3 across feeds (0.45, or
 * 0.3 with similar titles), near-identical wording 0.9 within one feed. Both need at least MIN_SHARED_WORDS shared
 * words. A property test checks that mayJoinStory stays a necessary condition of joinsStory.
 */
export const MIN_JOIN_JACCARD = { otherFeed: 0.3, sameFeed: 0.9 } as const;
const MIN_SHARED_WORDS = 5;

/**
 * Whether two sorted word-hash arrays can share enough words for a Jaccard of `minJaccard`: a necessary condition
 * of joinsStory, checked with one merge that stops as soon as the rest of the arrays cannot reach the count. Most
 * candidates met through one common key are unrelated and fail within a few steps, where joinsStory would compute
 * two full similarities for each.
 */
export function mayJoinStory(a: Uint32Array, b: Uint32Array, minJaccard: number): boolean {
  const total = a.length + b.length;
  // s / (total - s) >= j  <=>  s >= j * total / (1 + j); the 0.001 keeps float rounding on the permissive side.
  const needed = Math.max(MIN_SHARED_WORDS, Math.ceil((minJaccard * total) / (1 + minJaccard) - 0.001));
  const aLength = a.length;
  const bLength = b.length;
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < aLength && j < bLength) {
    if (shared + Math.min(aLength - i, bLength - j) < needed) return false;
    // Flipping the top bit maps unsigned order onto signed order, so V8 compares small integers instead of boxing
    // every hash above 2^31 as a double.
    const x = a[i]! ^ 0x80000000;
    const y = b[j]! ^ 0x80000000;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared >= needed;
}

/** The rule chooseStory applies: isSameStory across feeds, near-identical wording within one feed. */
export function joinsStory(a: StoryFingerprint, b: StoryFingerprint, sameFeed: boolean): boolean {
  if (!sameFeed) return isSameStory(a, b);
  const s = storySimilarity(a, b);
  return s.sharedWords >= 5 && s.words >= 0.9;
}

export interface StoryCandidate {
  articleId: string;
  storyId: string;
  feedId: string;
  /** When the candidate was first seen (ISO); earlier wins a tie. */
  seenAt: string;
  fingerprint: StoryFingerprint;
}

/**
 * The story an article joins: the most similar candidate that isSameStory accepts, or undefined (a new story).
 * Articles of the same feed only join when nearly identical: a feed's own similar titles are usually a series
 * ("Morning briefing: ...") whose next issue is news, not a copy.
 */
export function chooseStory(
  article: { articleId: string; feedId: string; fingerprint: StoryFingerprint },
  candidates: readonly StoryCandidate[],
): StoryCandidate | undefined {
  let best: { candidate: StoryCandidate; score: number } | undefined;
  for (const candidate of candidates) {
    if (candidate.articleId === article.articleId) continue;
    const sameFeed = candidate.feedId === article.feedId;
    // The cheap necessary condition first: most candidates met through a common key are unrelated.
    if (!mayJoinStory(article.fingerprint.words, candidate.fingerprint.words, sameFeed ? MIN_JOIN_JACCARD.sameFeed : MIN_JOIN_JACCARD.otherFeed)) continue;
    if (!joinsStory(article.fingerprint, candidate.fingerprint, sameFeed)) continue;
    const similarity = storySimilarity(article.fingerprint, candidate.fingerprint);
    const score = similarity.words + similarity.title;
    if (
      best === undefined ||
      score > best.score ||
      (score === best.score && candidate.seenAt < best.candidate.seenAt)
    ) {
      best = { candidate, score };
    }
  }
  return best?.candidate;
}

/**
 * A hash of what a reader sees of an article, blind to case, diacritics, punctuation and whitespace: equal hashes
 * mean "not materially changed".
 */
export function contentHashFor(title: string, summary: string): string {
  return contentHashOf(storyTextOf(title, summary));
}

export function contentHashOf(text: StoryText): string {
  return createHash('sha256').update(`${text.titleNorms.join('')}\u0000${text.summaryNorms.join('')}`, 'utf8').digest('base64url').slice(0, 22);
}
