// Language identification: fastText's lid.176 model (176 languages, Meta, CC BY-SA 3.0) decoded from its own file by
// fasttext.ts. Chosen over franc, cld3-asm, eld, tinyld and lande on the SIB-200 dev sentences (docs/quality.md,
// scripts/eval-language.ts). The feed's declared language is a hint: it decides on short or unclear text and between
// close neighbours the model mixes up (Danish/Norwegian, Malay/Indonesian), while text that clearly reads as another
// language wins.
import { lazyData } from './data-source.js';
import { decodeFastTextModel, predictLabels } from './fasttext.js';
import type { FastTextModel } from './fasttext.js';

/** The data file of the model, beside the code (functions/domain/classification/data/). */
export const LANGUAGE_MODEL_FILE = 'lid.176.ftz';

const loadModel = lazyData(LANGUAGE_MODEL_FILE, decodeFastTextModel);

/** The decoded lid.176 model, read on first use. */
export function languageModel(): FastTextModel {
  return loadModel();
}

/**
 * lid.176 labels and hints without an ISO 639-1 code of their own that belong to a macrolanguage that has one
 * (Egyptian Arabic is Arabic, Cantonese and Wu are written Chinese here, Bokmål is Norwegian), plus the deprecated
 * codes some feeds still declare.
 */
const TO_ISO_639_1: Readonly<Record<string, string>> = {
  arz: 'ar', ary: 'ar', arb: 'ar', apc: 'ar', acm: 'ar', azb: 'az', azj: 'az', yue: 'zh', wuu: 'zh', cmn: 'zh',
  nb: 'no', nob: 'no', pes: 'fa', prs: 'fa', pnb: 'pa', ckb: 'ku', kmr: 'ku', zsm: 'ms', swh: 'sw', ekk: 'et',
  lvs: 'lv', npi: 'ne', khk: 'mn', uzn: 'uz', plt: 'mg', ydd: 'yi', iw: 'he', in: 'id', ji: 'yi', jw: 'jv',
  mo: 'ro', tl: 'tl', fil: 'tl', eng: 'en', deu: 'de', ger: 'de', fra: 'fr', fre: 'fr', spa: 'es', rus: 'ru',
  ukr: 'uk', por: 'pt', ita: 'it', jpn: 'ja', zho: 'zh', chi: 'zh', ara: 'ar', kor: 'ko', pol: 'pl', tur: 'tr',
};

/** Pairs (and triples) of languages so close that the feed's declaration is trusted over the model between them. */
const CLOSE: readonly (readonly string[])[] = [
  ['no', 'da', 'nn', 'sv'],
  ['ms', 'id'],
  ['hr', 'sr', 'bs', 'sh'],
  ['cs', 'sk'],
  ['gl', 'pt', 'es'],
  ['ca', 'es'],
  ['be', 'ru', 'uk'],
  ['fa', 'tg'],
  ['hi', 'mr', 'ne'],
  ['bg', 'mk'],
];

/** ISO 639-1 from a language tag or code ("en-GB", "EN", "pt_BR", "zh-Hant", "nb"); undefined when not a tag. */
export function normalizeLanguageHint(hint: string | undefined): string | undefined {
  if (hint === undefined) return undefined;
  const match = /^([a-z]{2,3})(?:[-_][a-z0-9]+)*$/i.exec(hint.trim());
  const base = match?.[1]?.toLowerCase();
  if (base === undefined) return undefined;
  return TO_ISO_639_1[base] ?? base;
}

/** The region of a language tag ("pt-BR" -> "BR", "en_gb" -> "GB"), for the source country; undefined without one. */
export function regionOfLanguageTag(tag: string | undefined): string | undefined {
  if (tag === undefined) return undefined;
  const match = /^[a-z]{2,3}(?:[-_][a-z]{4})?[-_]([a-z]{2})(?:$|[-_])/i.exec(tag.trim());
  return match?.[1]?.toUpperCase();
}

export interface LanguageGuess {
  /** ISO 639-1 where one exists, else the model's code (ISO 639-3 or similar); "und" when unknown. */
  language: string;
  /** The model's probability for that language (1 when only the hint decided, 0 for "und"). */
  confidence: number;
  /** What decided: the text, the feed's declaration, or both agreeing. */
  basis: 'text' | 'hint' | 'text+hint' | 'none';
}

/** Letters needed before the text can overrule a declared language. */
const MIN_LETTERS_TO_OVERRULE = 24;
/** Probability the model needs to overrule a declared language. */
const OVERRULE_PROBABILITY = 0.85;
/** Below this, with no hint, the text is "und". */
const MIN_PROBABILITY = 0.15;
/** Characters looked at: the opening of an article settles its language, and the model's cost grows with length. */
const SAMPLE_CHARS = 260;
/** With a declared language the text only has to show whether it clearly contradicts it. */
const HINTED_SAMPLE_CHARS = 160;
/** What a caller needs to hand in at most (title and opening). */
export const LANGUAGE_SAMPLE_CHARS = SAMPLE_CHARS;

/** Languages not written in the Latin script: text mostly in Latin letters contradicts them, and the reverse. */
const NON_LATIN = new Set([
  'ru', 'uk', 'be', 'bg', 'mk', 'kk', 'ky', 'tg', 'mn', 'tt', 'ba', 'cv', 'os', 'sah', 'el', 'ar', 'fa', 'ur', 'ps',
  'ku', 'sd', 'ug', 'he', 'yi', 'hi', 'mr', 'ne', 'sa', 'bn', 'as', 'pa', 'gu', 'or', 'ta', 'te', 'kn', 'ml', 'si',
  'th', 'lo', 'my', 'km', 'ka', 'hy', 'am', 'ti', 'zh', 'ja', 'ko', 'bo', 'dv',
]);

/** Letters in the text (up to a limit), and how many of them are Latin. */
function countLetters(text: string, limit: number): { letters: number; latin: number } {
  let letters = 0;
  let latin = 0;
  const end = Math.min(text.length, SAMPLE_CHARS);
  for (let i = 0; i < end && letters < limit; i++) {
    const code = text.charCodeAt(i);
    if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code >= 0xc0 && code <= 0x24f && code !== 0xd7 && code !== 0xf7)) {
      letters++;
      latin++;
    } else if (code >= 0x370 && !isPunctuationOrSpace(code)) letters++;
  }
  return { letters, latin };
}

/** General and CJK punctuation, symbols, full-width forms and surrogates: not letters for the script count. */
function isPunctuationOrSpace(code: number): boolean {
  return (
    (code >= 0x2000 && code <= 0x2bff) || (code >= 0x3000 && code <= 0x303f) || (code >= 0xd800 && code <= 0xdfff) ||
    (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff20)
  );
}

/** The declared language is written in another script than the text: "en" declared over Cyrillic text. */
function scriptContradicts(declared: string, counts: { letters: number; latin: number }): boolean {
  if (counts.letters < 8) return false;
  const mostlyLatin = counts.latin / counts.letters > 0.8;
  const mostlyOther = counts.latin / counts.letters < 0.2;
  return NON_LATIN.has(declared) ? mostlyLatin : mostlyOther;
}

function areClose(a: string, b: string): boolean {
  return CLOSE.some((group) => group.includes(a) && group.includes(b));
}

/** Top predictions of the model as ISO 639-1, probabilities of labels that fold together summed. */
export function predictLanguages(text: string, k = 3, chars = SAMPLE_CHARS): { language: string; probability: number }[] {
  const sample = text.length > chars ? cutAtSpace(text, chars) : text;
  const out = new Map<string, number>();
  for (const { label, probability } of predictLabels(languageModel(), sample, k)) {
    const language = TO_ISO_639_1[label] ?? label;
    out.set(language, (out.get(language) ?? 0) + probability);
  }
  return [...out].map(([language, probability]) => ({ language, probability })).sort((a, b) => b.probability - a.probability);
}

/** The text cut to about `chars` characters, at a space when there is one near the end (no half words). */
function cutAtSpace(text: string, chars: number): string {
  const space = text.lastIndexOf(' ', chars);
  return text.slice(0, space > chars * 0.75 ? space : chars);
}

/**
 * The language of a text, given the feed's declared language (any tag form) as a hint. The hint stands unless the
 * text is long enough and the model is sure of a language that is not a close neighbour of the declared one.
 */
export function identifyLanguage(text: string, hint?: string): LanguageGuess {
  const declared = normalizeLanguageHint(hint);
  const counts = countLetters(text, 200);
  const { letters } = counts;
  if (letters === 0) return declared === undefined ? { language: 'und', confidence: 0, basis: 'none' } : { language: declared, confidence: 1, basis: 'hint' };
  const [best] = predictLanguages(text, 3, declared === undefined ? SAMPLE_CHARS : HINTED_SAMPLE_CHARS);
  if (best === undefined) {
    return declared === undefined ? { language: 'und', confidence: 0, basis: 'none' } : { language: declared, confidence: 1, basis: 'hint' };
  }
  if (declared === undefined) {
    return best.probability >= MIN_PROBABILITY
      ? { language: best.language, confidence: round(best.probability), basis: 'text' }
      : { language: 'und', confidence: round(best.probability), basis: 'none' };
  }
  if (best.language === declared) return { language: declared, confidence: round(best.probability), basis: 'text+hint' };
  const overrules =
    (scriptContradicts(declared, counts) && best.probability >= MIN_PROBABILITY) ||
    (letters >= MIN_LETTERS_TO_OVERRULE && best.probability >= OVERRULE_PROBABILITY && !areClose(best.language, declared));
  return overrules
    ? { language: best.language, confidence: round(best.probability), basis: 'text' }
    : { language: declared, confidence: 1, basis: 'hint' };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
