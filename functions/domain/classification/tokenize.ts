// One tokeniser for the gazetteer build, the country matcher and the topic vocabulary, so that an alias written
// in the build script is split and folded exactly like the article text it must match.

import { FNV_OFFSET, FNV_PRIME, fnv1aRange } from '../hash.js';

/** Letters that NFD does not decompose but readers treat as their base letter. */
const EXTRA_FOLDS: Readonly<Record<string, string>> = {
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  ı: 'i',
};

const COMBINING_MARKS = /\p{M}+/gu;
const EXTRA_FOLD_CHARS = /[øłđðþæœßı]/g;
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;

/**
 * Scripts whose combining marks are letters of the word, not optional accents: Indic vowel signs ("भारत" is not
 * "भरत"), Thai, Lao, Tibetan, Myanmar and Khmer vowels, Hangul syllables (which NFD would split into jamo) and the
 * kana voicing marks ("ガ" is not "カ"). Their tokens are only NFC-normalised and lower-cased.
 */
function keepsMarks(code: number): boolean {
  return (
    (code >= 0x0900 && code <= 0x109f) || (code >= 0x1100 && code <= 0x11ff) || (code >= 0x1780 && code <= 0x17ff) ||
    (code >= 0x3040 && code <= 0x30ff) || (code >= 0x3130 && code <= 0x318f) || (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xac00 && code <= 0xd7af)
  );
}

/** Lower-cases and folds diacritics: "Élysée" -> "elysee", "Türkiye" -> "turkiye", "Łódź" -> "lodz". */
export function normalizeToken(raw: string): string {
  let ascii = true;
  for (let i = 0; i < raw.length; i++) {
    if (raw.charCodeAt(i) > 127) {
      ascii = false;
      break;
    }
  }
  if (ascii) return raw.toLowerCase();
  if (keepsMarks(raw.charCodeAt(0))) return raw.normalize('NFC').toLowerCase();
  return raw
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(EXTRA_FOLD_CHARS, (ch) => EXTRA_FOLDS[ch] ?? ch);
}

/** ASCII character classes: 0 separator, 1 lower-case letter or digit, 2 upper-case letter. */
const ASCII_CLASS = new Uint8Array(128);
for (let code = 48; code <= 57; code++) ASCII_CLASS[code] = 1;
for (let code = 97; code <= 122; code++) ASCII_CLASS[code] = 1;
for (let code = 65; code <= 90; code++) ASCII_CLASS[code] = 2;

/**
 * Word-character verdicts for the rest of the BMP, filled on first sight (0 unknown, 1 word, 2 separator): the
 * Unicode property regex then runs once per distinct character instead of once per character of every article.
 */
const WIDE_CLASS = new Uint8Array(0x10000);

function isWideWordCode(code: number): boolean {
  let verdict = WIDE_CLASS[code] ?? 2;
  if (verdict === 0) {
    verdict = WORD_CHAR.test(String.fromCharCode(code)) ? 1 : 2;
    WIDE_CLASS[code] = verdict;
  }
  return verdict === 1;
}

function isWordCode(code: number): boolean {
  return code < 128 ? ASCII_CLASS[code] !== 0 : isWideWordCode(code);
}


/** FNV-1a over the UTF-16 code units of a normalised token: the hash the topic features are built on. */
export function hashToken(text: string): number {
  return fnv1aRange(text, 0, text.length);
}

/** The tokens of one field; parallel arrays keep a 5 MB text from becoming a million small objects. */
export interface TokenStream {
  readonly source: string;
  /** Normalised token text. */
  readonly norms: string[];
  readonly starts: number[];
  readonly ends: number[];
  /**
   * hashToken of each norm, computed while scanning so that feature extraction never walks a token twice.
   * Optional so that hand-made streams in tests and callers stay valid; absent means "hash on demand".
   */
  readonly hashes?: number[];
  /** Lexicon ids of the tokens (lexicon.ts), attached once per classification and shared by its stages. */
  readonly ids?: Int32Array;
}

/**
 * Splits on anything that is not a letter, mark or digit: "Russia's" -> russia, s; "U.S." -> u, s;
 * "Guinea-Bissau" -> guinea, bissau. Surrogate pairs (letters outside the BMP) are rare in news and simply
 * act as separators.
 */
export function tokenize(source: string): TokenStream {
  const norms: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const hashes: number[] = [];
  const length = source.length;
  let i = 0;
  while (i < length) {
    let code = source.charCodeAt(i);
    if (!isWordCode(code)) {
      i++;
      continue;
    }
    const start = i;
    // ASCII tokens (nearly all of English news) are folded and hashed in this one pass; only a token with a
    // non-ASCII character goes through NFD folding.
    let ascii = true;
    let upper = false;
    let hash = FNV_OFFSET;
    for (;;) {
      if (code < 128) {
        if (ASCII_CLASS[code] === 2) {
          upper = true;
          code += 32;
        }
        hash = Math.imul(hash ^ code, FNV_PRIME);
      } else ascii = false;
      i++;
      if (i >= length) break;
      code = source.charCodeAt(i);
      if (!isWordCode(code)) break;
    }
    const raw = source.slice(start, i);
    let norm: string;
    if (ascii) norm = upper ? raw.toLowerCase() : raw;
    else {
      norm = normalizeToken(raw);
      hash = hashToken(norm);
    }
    starts.push(start);
    ends.push(i);
    norms.push(norm);
    hashes.push(hash >>> 0);
  }
  return { source, norms, starts, ends, hashes };
}

/** The normalised tokens of a phrase joined by single spaces: the key form used by the gazetteer and vocabulary. */
export function normalizePhrase(phrase: string): string {
  return tokenize(phrase).norms.join(' ');
}

/** True when the character starts with a capital, or belongs to a script without case (Arabic, Hebrew, ...). */
export function isCapitalOrUncased(ch: string): boolean {
  const lower = ch.toLowerCase();
  return ch !== lower || lower === ch.toUpperCase();
}

/** True when every cased letter of the token is upper-case ("US", "U", "DPRK"); digits do not count. */
export function isAllCaps(token: string): boolean {
  let sawLetter = false;
  for (const ch of token) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    if (lower === upper) continue;
    if (ch !== upper) return false;
    sawLetter = true;
  }
  return sawLetter;
}
