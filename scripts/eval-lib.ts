// Evaluation of the classifier against public labelled data in ../shared (library of scripts/eval.ts and of the
// tests in test/eval). Nothing here is tuned on the report splits: see docs/quality.md.
import { createRequire } from 'node:module';
import nlp from 'compromise';
import type { Countries } from 'world-countries';
import { classify } from '../functions/adapters/classifier.js';
import { readJsonLines } from './topic-datasets.js';

// ---------------------------------------------------------------------------------------------------------------
// Reuters-21578 places (1987) -> ISO 3166-1 alpha-2. States that no longer exist map to their successor (the
// USSR to Russia, West and East Germany to Germany, Czechoslovakia to Czechia, Yugoslavia to Serbia, Zaire to the
// DR Congo, both Yemens to Yemen, the Netherlands Antilles to Curaçao).
export const REUTERS_PLACE_TO_ISO: Readonly<Record<string, string>> = {
  afghanistan: 'AF', albania: 'AL', algeria: 'DZ', 'american-samoa': 'AS', andorra: 'AD', angola: 'AO',
  anguilla: 'AI', antigua: 'AG', argentina: 'AR', aruba: 'AW', australia: 'AU', austria: 'AT', bahamas: 'BS',
  bahrain: 'BH', bangladesh: 'BD', barbados: 'BB', belgium: 'BE', belize: 'BZ', benin: 'BJ', bermuda: 'BM',
  bhutan: 'BT', bolivia: 'BO', botswana: 'BW', brazil: 'BR', 'british-virgin-islands': 'VG', brunei: 'BN',
  bulgaria: 'BG', 'burkina-faso': 'BF', burma: 'MM', burundi: 'BI', cameroon: 'CM', canada: 'CA',
  'cape-verde': 'CV', 'cayman-islands': 'KY', 'central-african-republic': 'CF', chad: 'TD', chile: 'CL',
  china: 'CN', colombia: 'CO', congo: 'CG', 'costa-rica': 'CR', cuba: 'CU', cyprus: 'CY', czechoslovakia: 'CZ',
  denmark: 'DK', djibouti: 'DJ', dominica: 'DM', 'dominican-republic': 'DO', 'east-germany': 'DE', ecuador: 'EC',
  egypt: 'EG', 'el-salvador': 'SV', 'equatorial-guinea': 'GQ', ethiopia: 'ET', fiji: 'FJ', finland: 'FI',
  france: 'FR', 'french-guiana': 'GF', gabon: 'GA', gambia: 'GM', ghana: 'GH', gibraltar: 'GI', greece: 'GR',
  grenada: 'GD', guadeloupe: 'GP', guam: 'GU', guatemala: 'GT', guinea: 'GN', 'guinea-bissau': 'GW', guyana: 'GY',
  haiti: 'HT', honduras: 'HN', 'hong-kong': 'HK', hungary: 'HU', iceland: 'IS', india: 'IN', indonesia: 'ID',
  iran: 'IR', iraq: 'IQ', ireland: 'IE', israel: 'IL', italy: 'IT', 'ivory-coast': 'CI', jamaica: 'JM',
  japan: 'JP', jordan: 'JO', kampuchea: 'KH', kenya: 'KE', kuwait: 'KW', laos: 'LA', lebanon: 'LB', lesotho: 'LS',
  liberia: 'LR', libya: 'LY', liechtenstein: 'LI', luxembourg: 'LU', macao: 'MO', madagascar: 'MG', malawi: 'MW',
  malaysia: 'MY', mali: 'ML', malta: 'MT', martinique: 'MQ', mauritania: 'MR', mauritius: 'MU', mexico: 'MX',
  monaco: 'MC', morocco: 'MA', mozambique: 'MZ', namibia: 'NA', nepal: 'NP', netherlands: 'NL',
  'netherlands-antilles': 'CW', 'new-caledonia': 'NC', 'new-zealand': 'NZ', nicaragua: 'NI', niger: 'NE',
  nigeria: 'NG', 'north-korea': 'KP', norway: 'NO', oman: 'OM', pakistan: 'PK', panama: 'PA',
  'papua-new-guinea': 'PG', paraguay: 'PY', peru: 'PE', philippines: 'PH', poland: 'PL', portugal: 'PT',
  qatar: 'QA', romania: 'RO', rwanda: 'RW', 'saudi-arabia': 'SA', senegal: 'SN', seychelles: 'SC',
  'sierra-leone': 'SL', singapore: 'SG', somalia: 'SO', 'south-africa': 'ZA', 'south-korea': 'KR', spain: 'ES',
  'sri-lanka': 'LK', sudan: 'SD', suriname: 'SR', swaziland: 'SZ', sweden: 'SE', switzerland: 'CH', syria: 'SY',
  taiwan: 'TW', tanzania: 'TZ', thailand: 'TH', togo: 'TG', tonga: 'TO', 'trinidad-tobago': 'TT', tunisia: 'TN',
  turkey: 'TR', uae: 'AE', uganda: 'UG', uk: 'GB', uruguay: 'UY', 'us-virgin-islands': 'VI', usa: 'US', ussr: 'RU',
  vanuatu: 'VU', vatican: 'VA', venezuela: 'VE', vietnam: 'VN', 'west-germany': 'DE', 'western-samoa': 'WS',
  'yemen-arab-republic': 'YE', 'yemen-demo-republic': 'YE', yugoslavia: 'RS', zaire: 'CD', zambia: 'ZM',
  zimbabwe: 'ZW',
};

/** The Soviet republics' successors were all "ussr" in 1987: predictions of them count as RU for Reuters. */
const REUTERS_SUCCESSOR_OF: Readonly<Record<string, string>> = {
  UA: 'RU', BY: 'RU', KZ: 'RU', GE: 'RU', AM: 'RU', AZ: 'RU', LT: 'RU', LV: 'RU', EE: 'RU', UZ: 'RU', TM: 'RU',
  KG: 'RU', TJ: 'RU', MD: 'RU', SK: 'CZ', HR: 'RS', SI: 'RS', BA: 'RS', MK: 'RS', ME: 'RS', XK: 'RS',
};

export interface CountryDoc {
  id: string;
  title: string;
  text: string;
  gold: string[];
}

interface ReutersRow {
  newid: number;
  places: string[];
  title: string;
  dateline: string;
  body: string;
}

/** Reuters TRAIN articles; the dateline goes back in front of the body, where the wire had it. */
export function loadReuters(path: string): (CountryDoc & { newid: number })[] {
  return readJsonLines<ReutersRow>(path).map((row) => ({
    id: String(row.newid),
    newid: row.newid,
    title: row.title,
    text: row.dateline ? `${row.dateline} ${row.body}` : row.body,
    gold: [...new Set(row.places.map((place) => REUTERS_PLACE_TO_ISO[place]).filter((code) => code !== undefined))],
  }));
}

/** The dev split (every fifth article by NEWID) is the only part looked at while tuning; the rest is reported. */
export function isReutersDev(newid: number): boolean {
  return newid % 5 === 0;
}

export interface SetScores {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export function scoreSets(pairs: readonly { gold: readonly string[]; predicted: readonly string[] }[]): SetScores {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const { gold, predicted } of pairs) {
    const goldSet = new Set(gold);
    const predictedSet = new Set(predicted);
    for (const code of predictedSet) if (goldSet.has(code)) tp++;
    else fp++;
    for (const code of goldSet) if (!predictedSet.has(code)) fn++;
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, precision, recall, f1 };
}

export type CountryPredictor = (doc: { title: string; text: string }) => string[];

export const predictOurs: CountryPredictor = ({ title, text }) =>
  classify({ title, text }).countries.map((country) => country.code);

export function forReuters(predictor: CountryPredictor): CountryPredictor {
  return (doc) => [...new Set(predictor(doc).map((code) => REUTERS_SUCCESSOR_OF[code] ?? code))];
}

// ---------------------------------------------------------------------------------------------------------------
// Baselines

const require = createRequire(import.meta.url);
const countries = require('world-countries/countries.json') as Countries;

/** Baseline 1: exact, case-sensitive country names (common and official English names) with word boundaries. */
export function createExactNameBaseline(): CountryPredictor {
  const names = new Map<string, string>();
  for (const country of countries) {
    names.set(country.name.common, country.cca2);
    names.set(country.name.official, country.cca2);
  }
  const byFirstWord = new Map<string, [string, string][]>();
  for (const [name, code] of names) {
    const first = name.split(' ')[0] ?? name;
    const list = byFirstWord.get(first) ?? [];
    list.push([name, code]);
    byFirstWord.set(first, list);
  }
  for (const list of byFirstWord.values()) list.sort((a, b) => b[0].length - a[0].length);
  return ({ title, text }) => {
    const found = new Set<string>();
    for (const source of [title, text]) {
      const words = /[\p{L}][\p{L}'-]*/gu;
      for (const match of source.matchAll(words)) {
        const candidates = byFirstWord.get(match[0]);
        if (candidates === undefined) continue;
        const rest = source.slice(match.index);
        for (const [name, code] of candidates) {
          if (rest.startsWith(name) && !/[\p{L}\p{N}]/u.test(rest.charAt(name.length))) {
            found.add(code);
            break;
          }
        }
      }
    }
    return [...found];
  };
}

/** Baseline 2: compromise's place extraction, each place looked up in country names, demonyms and capitals. */
export function createCompromiseBaseline(): CountryPredictor {
  const lookup = new Map<string, string>();
  for (const country of countries) {
    const keys = [country.name.common, country.name.official, ...country.altSpellings, ...country.capital];
    const demonym = country.demonyms['eng'];
    if (demonym) keys.push(demonym.m, demonym.f);
    for (const key of keys) if (key.length > 2 && !lookup.has(key.toLowerCase())) lookup.set(key.toLowerCase(), country.cca2);
  }
  return ({ title, text }) => {
    const found = new Set<string>();
    const places = nlp(`${title}. ${text}`).places().out('array') as string[];
    for (const place of places) {
      const key = place.toLowerCase().replace(/[^\p{L}\s-]/gu, '').trim();
      const code = lookup.get(key) ?? lookup.get(key.replace(/^the /, ''));
      if (code !== undefined) found.add(code);
    }
    return [...found];
  };
}
