// One tokeniser for the gazetteer build, the country matcher and the topic vocabulary, so that an alias written
// in the build script is split and folded exactly like the article text it must match.

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
  return raw
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(EXTRA_FOLD_CHARS, (ch) => EXTRA_FOLDS[ch] ?? ch);
}

function isWordCode(code: number, text: string, index: number): boolean {
  if (code < 128) {
    return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
  }
  return WORD_CHAR.test(text[index] ?? '');
}

/** The tokens of one field; parallel arrays keep a 5 MB text from becoming a million small objects. */
export interface TokenStream {
  readonly source: string;
  /** Normalised token text. */
  readonly norms: string[];
  readonly starts: number[];
  readonly ends: number[];
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
  const length = source.length;
  let i = 0;
  while (i < length) {
    if (!isWordCode(source.charCodeAt(i), source, i)) {
      i++;
      continue;
    }
    const start = i;
    i++;
    while (i < length && isWordCode(source.charCodeAt(i), source, i)) i++;
    starts.push(start);
    ends.push(i);
    norms.push(normalizeToken(source.slice(start, i)));
  }
  return { source, norms, starts, ends };
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
