// Derives the compact country gazetteer the classifier loads, from the maintained `world-countries` package plus a
// small hand-written supplement for what news needs and the package lacks (seats of government, common short
// forms, major non-capital cities, sub-national regions). Run: npx tsx scripts/build-gazetteer.ts
//
// The Lambda never imports world-countries: its JSON is megabytes; the gazetteer written here is what ships.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Countries } from 'world-countries';
import { isAllCaps, normalizePhrase } from '../functions/domain/classification/tokenize.js';
import type { AliasKind, GazetteerData } from '../functions/domain/classification/gazetteer.js';

// The package's default export is typed for CommonJS interop; reading its JSON directly keeps the types honest.
const require = createRequire(import.meta.url);
const countries = require('world-countries/countries.json') as Countries;
const packageVersion = (require('world-countries/package.json') as { version: string }).version;

const OUTPUT = fileURLToPath(new URL('../functions/domain/classification/data/gazetteer.json', import.meta.url));

/** Lower rank wins when two countries claim the same alias; a tie at the best rank drops the alias. */
const RANK = { supplement: 0, english: 1, demonym: 2, capital: 3, foreign: 4 } as const;
type Source = keyof typeof RANK;

/** Scripts written without spaces between words cannot be matched by a whitespace tokeniser. */
const UNSEGMENTED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;

/**
 * Aliases from the package that are also ordinary words or names in news text (so that a capitalised sentence
 * start or a surname would read as a country), or capitals of territories that share their name with bigger
 * places. Found by reviewing the generated list.
 */
const DROPPED_ALIASES = new Set([
  'man', 'mann', 'mannin', 'douglas', 'victoria', 'hamilton', 'kingston', 'plymouth', 'the valley', 'male',
  'jamestown', 'george town', 'georgetown', 'saint john s', 'road town', 'west island', 'flying fish cove',
  'king edward point', 'adamstown', 'the settlement', 'city of victoria', 'san jose', 'kingstown', 'saint helier',
  'st peter port', 'marigot', 'philipsburg', 'the abode of peace', 'the bottom', 'saint denis', 'saint pierre',
  'stanley', 'cayenne',
  // Translations that are English words, given names or better-known places elsewhere.
  'island', 'maurice', 'mauricio', 'moris', 'dominique', 'guadalupe', 'salvador', 'granada', 'indie', 'reunion',
  'norfolk', 'gana', 'kena', 'sili', 'cadu',
]);

// ---------------------------------------------------------------------------------------------------------------
// Hand-written supplement. City -> country facts; kinds: n name, d demonym, c capital, m seat of government,
// p city, s region, w weak (ambiguous on its own).

type SupplementEntry = readonly [code: string, kind: AliasKind, aliases: readonly string[]];

const SUPPLEMENT: readonly SupplementEntry[] = [
  // Common short forms the package does not list.
  ['GB', 'n', ['Britain', 'Great Britain', 'England', 'Scotland', 'Wales', 'Northern Ireland']],
  ['GB', 'd', ['Scottish', 'Welsh', 'Britons', 'Scots']],
  ['TR', 'n', ['Turkey']],
  ['US', 'n', ['United States', 'United States of America']],
  ['US', 'w', ['America']],
  ['KR', 'w', ['Korea']],
  ['CD', 'n', ['Democratic Republic of Congo', 'DR Congo', 'Congo-Kinshasa']],
  ['CG', 'n', ['Congo', 'Congo-Brazzaville', 'Republic of Congo', 'Republic of the Congo']],
  ['DO', 'n', ['Dominican Republic']],
  ['CN', 'n', ["People's Republic of China", 'Mainland China']],
  ['CZ', 'n', ['Czech Republic']],
  ['VA', 'n', ['Holy See', 'Vatican']],
  ['AE', 'n', ['Emirates']],
  ['SA', 'n', ['Saudi Arabia', 'Saudi']],
  ['TL', 'n', ['East Timor']],
  ['CV', 'n', ['Cabo Verde']],
  ['MK', 'n', ['Macedonia']],
  ['BN', 'n', ['Brunei Darussalam']],
  // Seats of government and their metonyms.
  ['RU', 'm', ['Kremlin', 'the Kremlin', 'State Duma', 'Duma']],
  ['GB', 'm', ['Downing Street', 'Whitehall', 'Westminster']],
  ['FR', 'm', ['Élysée', 'Élysée Palace', "Quai d'Orsay", 'Matignon']],
  ['US', 'm', ['White House', 'Pentagon', 'Capitol Hill', 'State Department', 'Washington', 'Washington DC']],
  ['CN', 'm', ['Zhongnanhai', 'Peking']],
  ['UA', 'm', ['Kyiv', 'Kiev']],
  ['DE', 'm', ['Bundestag', 'Kanzleramt']],
  ['IL', 'm', ['Knesset']],
  ['IN', 'm', ['Lok Sabha', 'Rajya Sabha']],
  ['IT', 'm', ['Palazzo Chigi', 'Quirinale']],
  ['ES', 'm', ['Moncloa']],
  ['NL', 'm', ['The Hague']],
  ['KR', 'm', ['Blue House']],
  ['JP', 'm', ['Kantei']],
  // Sub-national regions news names on their own.
  ['US', 's', [
    'Alabama', 'Alaska', 'Arizona', 'Arkansas', 'California', 'Colorado', 'Connecticut', 'Delaware', 'Florida',
    'Hawaii', 'Idaho', 'Illinois', 'Indiana', 'Iowa', 'Kansas', 'Kentucky', 'Louisiana', 'Maine', 'Maryland',
    'Massachusetts', 'Michigan', 'Minnesota', 'Mississippi', 'Missouri', 'Montana', 'Nebraska', 'Nevada',
    'New Hampshire', 'New Jersey', 'New Mexico', 'New York State', 'North Carolina', 'North Dakota', 'Ohio',
    'Oklahoma', 'Oregon', 'Pennsylvania', 'Rhode Island', 'South Carolina', 'South Dakota', 'Tennessee', 'Texas',
    'Utah', 'Vermont', 'Virginia', 'West Virginia', 'Wisconsin', 'Wyoming', 'Washington State',
  ]],
  ['CA', 's', ['Ontario', 'Quebec', 'British Columbia', 'Alberta', 'Manitoba', 'Saskatchewan', 'Nova Scotia', 'New Brunswick']],
  ['AU', 's', ['New South Wales', 'Queensland', 'Tasmania', 'Western Australia', 'South Australia']],
  ['CN', 's', ['Tibet', 'Xinjiang', 'Guangdong', 'Inner Mongolia']],
  ['RU', 's', ['Siberia', 'Chechnya', 'Dagestan']],
  ['UA', 's', ['Crimea', 'Donbas', 'Donbass']],
  ['PS', 's', ['Gaza Strip', 'West Bank', 'Gaza']],
  ['SD', 's', ['Darfur']],
  ['GE', 's', ['Abkhazia', 'South Ossetia']],
  // Major cities that are not capitals (capitals come from the package).
  ['US', 'p', ['New York', 'New York City', 'Los Angeles', 'Chicago', 'Houston', 'San Francisco', 'Atlanta', 'Miami',
    'Boston', 'Seattle', 'Detroit', 'Philadelphia', 'Dallas', 'Las Vegas', 'Silicon Valley', 'Wall Street',
    'New Orleans', 'San Diego', 'Denver', 'Minneapolis', 'Baltimore', 'Pittsburgh', 'Nashville', 'St. Louis',
    'Honolulu', 'Anchorage']],
  ['CA', 'p', ['Toronto', 'Montreal', 'Vancouver']],
  ['BR', 'p', ['São Paulo', 'Rio de Janeiro']],
  ['MX', 'p', ['Guadalajara', 'Monterrey', 'Tijuana', 'Mexico City']],
  ['CN', 'p', ['Shanghai', 'Shenzhen', 'Guangzhou', 'Wuhan', 'Chongqing', 'Tianjin', 'Chengdu']],
  ['IN', 'p', ['Mumbai', 'Bombay', 'Delhi', 'Kolkata', 'Calcutta', 'Bangalore', 'Bengaluru', 'Chennai', 'Ahmedabad']],
  ['PK', 'p', ['Karachi', 'Lahore', 'Peshawar']],
  ['TR', 'p', ['Istanbul', 'Izmir']],
  ['AE', 'p', ['Dubai']],
  ['SA', 'p', ['Jeddah', 'Mecca']],
  ['IL', 'p', ['Tel Aviv', 'Haifa']],
  ['PS', 'p', ['Rafah', 'Khan Younis']],
  ['SY', 'p', ['Aleppo', 'Homs', 'Idlib']],
  ['IQ', 'p', ['Mosul', 'Basra', 'Erbil']],
  ['AF', 'p', ['Kandahar', 'Herat']],
  ['IR', 'p', ['Isfahan', 'Mashhad']],
  ['JP', 'p', ['Osaka', 'Yokohama', 'Kyoto', 'Hiroshima', 'Fukushima']],
  ['KR', 'p', ['Busan']],
  ['AU', 'p', ['Sydney', 'Melbourne', 'Brisbane']],
  ['NZ', 'p', ['Auckland', 'Christchurch']],
  ['RU', 'p', ['St Petersburg', 'Saint Petersburg', 'Novosibirsk', 'Sochi', 'Kursk', 'Belgorod']],
  ['UA', 'p', ['Kharkiv', 'Odesa', 'Odessa', 'Lviv', 'Mariupol', 'Dnipro', 'Zaporizhzhia', 'Kherson', 'Donetsk', 'Luhansk', 'Bakhmut']],
  ['DE', 'p', ['Munich', 'Frankfurt', 'Hamburg', 'Cologne']],
  ['IT', 'p', ['Milan', 'Naples', 'Turin', 'Venice']],
  ['ES', 'p', ['Barcelona', 'Seville']],
  ['FR', 'p', ['Marseille', 'Lyon', 'Strasbourg', 'Bordeaux', 'Toulouse']],
  ['GB', 'p', ['Manchester', 'Birmingham', 'Liverpool', 'Glasgow', 'Edinburgh', 'Belfast']],
  ['CH', 'p', ['Geneva', 'Zurich', 'Davos']],
  ['NL', 'p', ['Rotterdam']],
  ['BE', 'p', ['Antwerp']],
  ['NG', 'p', ['Lagos', 'Kano']],
  ['ZA', 'p', ['Johannesburg', 'Cape Town', 'Durban', 'Soweto']],
  ['MA', 'p', ['Casablanca', 'Marrakesh']],
  ['KE', 'p', ['Mombasa']],
  ['VN', 'p', ['Ho Chi Minh City', 'Saigon']],
  ['CD', 'p', ['Goma']],
  ['SD', 'p', ['Port Sudan', 'El Fasher']],
  ['LY', 'p', ['Benghazi']],
  ['YE', 'p', ['Aden', 'Hodeidah']],
];

/** Upper-case-only forms: lower-cased they are ordinary words ("us", "uk"), so they match only as written. */
const CAPS_ONLY: Readonly<Record<string, readonly string[]>> = {
  US: ['US', 'USA', 'U.S.', 'U.S.A.'],
  GB: ['UK', 'U.K.'],
  AE: ['UAE', 'U.A.E.'],
  CD: ['DRC'],
  CN: ['PRC'],
  KP: ['DPRK'],
  ZA: ['RSA'],
  SA: ['KSA'],
};

/**
 * Phrases that contain a country alias but name something else (a region, an ocean, a newspaper). Matched like
 * aliases so the longest match swallows them, then produce no country.
 */
const BLOCKED = [
  'Latin America', 'South America', 'North America', 'Central America', 'Americas', 'Middle East', 'New England',
  'New Guinea', 'Gulf of Mexico', 'Indian Ocean', 'English Channel', 'Irish Sea', 'Native American',
  'American Indian', 'West Indies', 'Washington Post', 'New York Times', 'Bank of America', 'Captain America',
  'Jordan River', 'Turkish Delight', 'French Open', 'Australian Open', 'US Open', 'U.S. Open', 'French Quarter',
  'French fries', 'Swiss cheese', 'Indian Wells', 'Georgia Tech',
];

// ---------------------------------------------------------------------------------------------------------------

interface Claim {
  code: string;
  kind: AliasKind;
  rank: number;
  /** Breaks ties between a state and its dependency ("American": US over the Northern Mariana Islands). */
  independent: boolean;
}

const claims = new Map<string, Claim[]>();
const dropped: string[] = [];

function claimAlias(raw: string, code: string, kind: AliasKind, source: Source, independent = true): void {
  if (raw.includes(',') || raw.includes('(') || UNSEGMENTED_SCRIPT.test(raw)) return;
  const alias = normalizePhrase(raw);
  if (alias.length === 0) return;
  // Short single words from other languages are too often words of their own.
  if (source === 'foreign' && !alias.includes(' ') && alias.length < 4) return;
  if (source !== 'supplement' && DROPPED_ALIASES.has(alias)) return;
  // Two-letter codes ("IN", "US") and other all-caps forms are handled by CAPS_ONLY alone.
  if (source !== 'supplement' && isAllCaps(raw.replace(/[\s.]/g, '')) && raw.replace(/[\s.]/g, '').length <= 5) return;
  const list = claims.get(alias) ?? [];
  list.push({ code, kind, rank: RANK[source], independent });
  claims.set(alias, list);
}

for (const country of countries) {
  const code = country.cca2;
  const independent = country.independent;
  claimAlias(country.name.common, code, 'n', 'english', independent);
  claimAlias(country.name.official, code, 'n', 'english', independent);
  for (const alt of country.altSpellings) claimAlias(alt, code, 'n', 'english', independent);
  const english = country.demonyms['eng'];
  if (english) {
    for (const demonym of new Set([english.m, english.f])) {
      claimAlias(demonym, code, 'd', 'demonym', independent);
      // "Russians", "Israelis": plural forms for the demonyms that take a plain -s.
      if (/(an|i|er)$/.test(demonym)) claimAlias(`${demonym}s`, code, 'd', 'demonym', independent);
    }
  }
  for (const capital of country.capital) claimAlias(capital, code, 'c', 'capital', independent);
  for (const native of Object.values(country.name.native)) {
    claimAlias(native.common, code, 'n', 'foreign', independent);
    claimAlias(native.official, code, 'n', 'foreign', independent);
  }
  for (const translation of Object.values(country.translations)) {
    claimAlias(translation.common, code, 'n', 'foreign', independent);
    claimAlias(translation.official, code, 'n', 'foreign', independent);
  }
}
for (const [code, kind, aliases] of SUPPLEMENT) {
  for (const alias of aliases) claimAlias(alias, code, kind, 'supplement');
}

const KIND_ORDER: readonly AliasKind[] = ['n', 'm', 'c', 's', 'p', 'd', 'w'];
const aliases: GazetteerData['aliases'] = {};
for (const [alias, list] of [...claims.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
  const best = Math.min(...list.map((claim) => claim.rank));
  const atBest = list.filter((claim) => claim.rank === best);
  const independents = atBest.filter((claim) => claim.independent);
  const winners = independents.length > 0 ? independents : atBest;
  const codes = new Set(winners.map((claim) => claim.code));
  // Shared demonyms ("Dominican", "Congolese") name neither country for sure: dropped, and logged below.
  const code = codes.size === 1 ? winners[0]?.code : undefined;
  if (code === undefined) {
    dropped.push(`${alias} (${[...codes].join('/')})`);
    continue;
  }
  // The strongest kind the winner claimed this alias with.
  const kinds = winners.filter((claim) => claim.code === code).map((claim) => claim.kind);
  const kind = KIND_ORDER.find((candidate) => kinds.includes(candidate)) ?? 'n';
  const byKind = (aliases[code] ??= {});
  (byKind[kind] ??= []).push(alias);
}

const capsOnly: GazetteerData['capsOnly'] = {};
for (const [code, forms] of Object.entries(CAPS_ONLY)) capsOnly[code] = forms.map(normalizePhrase);

const data: GazetteerData = {
  source: `world-countries@${packageVersion} + scripts/build-gazetteer.ts supplement`,
  // world-countries is ODbL-1.0: this derived database carries its attribution and licence.
  license: 'ODbL-1.0; derived from mledoze/countries (https://github.com/mledoze/countries)',
  aliases,
  capsOnly,
  blocked: BLOCKED.map(normalizePhrase),
};
const json = JSON.stringify(data);
writeFileSync(OUTPUT, `${json}\n`);
console.log(`wrote ${OUTPUT}: ${Object.keys(aliases).length} countries, ${claims.size - dropped.length} aliases, ${json.length} bytes`);
if (dropped.length > 0) console.log(`dropped as ambiguous: ${dropped.join('; ')}`);
