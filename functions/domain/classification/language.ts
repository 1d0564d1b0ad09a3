// A small stopword vote for the languages the feeds mostly carry. It is a fallback for feeds without a language
// hint, not a general language identifier: anything unclear is "und".
import { internWord, tokenIdsOf } from './lexicon.js';
import type { TokenStream } from './tokenize.js';

const STOPWORDS: Readonly<Record<string, readonly string[]>> = {
  en: ['the', 'and', 'of', 'to', 'in', 'is', 'that', 'for', 'with', 'was', 'on', 'it', 'by', 'are', 'this', 'from', 'has', 'have', 'said', 'will', 'be', 'at', 'which', 'were', 'been', 'their', 'they', 'its'],
  de: ['der', 'die', 'das', 'und', 'ist', 'nicht', 'mit', 'den', 'von', 'zu', 'ein', 'eine', 'auf', 'sich', 'dem', 'des', 'auch', 'es', 'wird', 'wurde', 'im', 'fur', 'bei', 'nach', 'sind', 'hat', 'aus', 'werden'],
  fr: ['le', 'la', 'les', 'et', 'des', 'est', 'une', 'du', 'dans', 'pour', 'qui', 'que', 'pas', 'sur', 'au', 'avec', 'il', 'sont', 'ce', 'par', 'plus', 'aux', 'ont', 'elle', 'mais', 'cette', 'ete', 'leur'],
  es: ['el', 'los', 'las', 'y', 'que', 'del', 'por', 'una', 'con', 'para', 'es', 'se', 'su', 'al', 'lo', 'como', 'pero', 'sus', 'fue', 'este', 'esta', 'han', 'ha', 'entre', 'sobre', 'tambien', 'segun', 'sin'],
  it: ['il', 'di', 'che', 'della', 'per', 'un', 'sono', 'nel', 'gli', 'alla', 'delle', 'con', 'non', 'una', 'del', 'dei', 'anche', 'stato', 'della', 'sul', 'ha', 'questo', 'dopo', 'come', 'piu', 'nella', 'ed', 'essere'],
  pt: ['o', 'os', 'da', 'do', 'das', 'dos', 'que', 'em', 'um', 'uma', 'para', 'com', 'nao', 'por', 'mais', 'foi', 'como', 'ao', 'seu', 'sua', 'pelo', 'pela', 'ser', 'tem', 'entre', 'ja', 'isso', 'sao'],
  nl: ['de', 'het', 'een', 'en', 'van', 'is', 'dat', 'niet', 'op', 'zijn', 'met', 'voor', 'ook', 'aan', 'er', 'maar', 'om', 'door', 'naar', 'bij', 'worden', 'wordt', 'heeft', 'nog', 'werd', 'deze', 'uit', 'als'],
};

const LANGUAGE_OF_WORD = new Map<string, string[]>();
for (const [language, words] of Object.entries(STOPWORDS)) {
  for (const word of words) {
    const languages = LANGUAGE_OF_WORD.get(word) ?? [];
    if (!languages.includes(language)) languages.push(language);
    LANGUAGE_OF_WORD.set(word, languages);
  }
}

/** The same table by lexicon id, for streams whose tokens are already looked up. */
const LANGUAGES_BY_ID: (string[] | undefined)[] = [];
for (const [word, languages] of LANGUAGE_OF_WORD) LANGUAGES_BY_ID[internWord(word)] = languages;

/** Tokens looked at: the opening of an article settles its language. */
const SAMPLE_TOKENS = 400;
const MIN_VOTES = 3;
/** The winner must beat the runner-up by this factor ("de" and "en" share words with their neighbours). */
const MIN_LEAD = 1.5;

function isCyrillic(token: string): boolean {
  const code = token.charCodeAt(0);
  return code >= 0x0400 && code <= 0x04ff;
}

/** ISO 639-1 code from a hint such as "en-GB" or "EN", or undefined when the hint is not a language tag. */
export function normalizeLanguageHint(hint: string | undefined): string | undefined {
  if (hint === undefined) return undefined;
  const match = /^([a-z]{2,3})(?:[-_][a-z0-9]+)*$/i.exec(hint.trim());
  return match?.[1]?.toLowerCase();
}

/** Detects en, de, fr, es, it, pt, nl and (Cyrillic) ru from normalised tokens, else "und". */
export function detectLanguage(tokenLists: readonly (readonly string[])[]): string {
  const votes = new Map<string, number>();
  let seen = 0;
  let cyrillic = 0;
  outer: for (const tokens of tokenLists) {
    for (const token of tokens) {
      if (seen >= SAMPLE_TOKENS) break outer;
      seen++;
      if (isCyrillic(token)) {
        cyrillic++;
        continue;
      }
      const languages = LANGUAGE_OF_WORD.get(token);
      if (languages !== undefined) addVotes(votes, languages);
    }
  }
  return decideLanguage(votes, seen, cyrillic);
}

/** detectLanguage over token streams, by lexicon id: the same votes without hashing a word again. */
export function detectStreamLanguage(streams: readonly TokenStream[]): string {
  const votes = new Map<string, number>();
  let seen = 0;
  let cyrillic = 0;
  outer: for (const stream of streams) {
    const { norms } = stream;
    const ids = tokenIdsOf(stream);
    for (let i = 0; i < norms.length; i++) {
      if (seen >= SAMPLE_TOKENS) break outer;
      seen++;
      if (isCyrillic(norms[i] ?? '')) {
        cyrillic++;
        continue;
      }
      const id = ids[i] ?? -1;
      const languages = id >= 0 ? LANGUAGES_BY_ID[id] : undefined;
      if (languages !== undefined) addVotes(votes, languages);
    }
  }
  return decideLanguage(votes, seen, cyrillic);
}

function addVotes(votes: Map<string, number>, languages: readonly string[]): void {
  // A word shared by several languages is a split vote.
  for (const language of languages) votes.set(language, (votes.get(language) ?? 0) + 1 / languages.length);
}

function decideLanguage(votes: ReadonlyMap<string, number>, seen: number, cyrillic: number): string {
  if (seen > 0 && cyrillic / seen > 0.5) return 'ru';
  const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (best === undefined || best[1] < MIN_VOTES) return 'und';
  if (second !== undefined && best[1] < second[1] * MIN_LEAD) return 'und';
  return best[0];
}
