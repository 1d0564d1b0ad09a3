// How a place name is found when the language inflects it ("Россия" -> "России", "Polska" -> "Polsce", "Venäjä" ->
// "Venäjällä", "الصين" -> "بالصين"). One documented strategy per language family, measured by the unit tests in
// test/unit/domain/classification/inflection.test.ts and by the multilingual test set:
//
// - Suffixing languages (Slavic, Baltic, Finnic, Hungarian, Greek, Germanic genitives, Romance plurals, Romanian
//   articles, Turkish without an apostrophe): longest-prefix matching with per-language suffix rules. An alias is
//   indexed under its stem (its longest ending from the language's list removed, at least MIN_STEM letters left);
//   a word of the text is looked up as itself and as itself minus each ending of the list that it ends with. A
//   declension table per language, not a general stemmer: Snowball stems proper nouns inconsistently
//   ("Китай" -> "кита" but "Китая" -> "кит") and costs ~90 µs a word in JavaScript.
// - Prefixing scripts (Arabic: و ف ب ل ك and the article ال, ل+ال written لل; Hebrew: ו ה ב ל מ ש כ): the word is
//   tried as written first, then with one or two prefixes removed, so that a name beginning with one of those
//   letters ("ليبيا", "מצרים") still matches as itself.
// - Korean: particles are written onto the word ("러시아의", "중국을"); the word is tried as written, then without
//   its particle. Chinese, Japanese and Thai are not split into words at all (see unsegmented matching in
//   countries.ts).
//
// Every ending and prefix is written as the tokenizer normalises it (lower case, marks removed: "й" is "и").
import { normalizeToken } from './tokenize.js';

/** Letters a stem keeps at least. */
export const MIN_STEM = 3;

export interface InflectionProfile {
  /** Endings, longest first, in normalised form. */
  readonly suffixes: readonly string[];
  /** Letters the word may start with as prefixes (tried as written first). */
  readonly prefixes: readonly string[];
  /** Whole prefixes (multi-letter) tried after the single letters ("ال", "لل" -> "ال"). */
  readonly articles: readonly (readonly [from: string, to: string])[];
  /** Particles written onto the end of a word, removed without stemming the alias (Korean). */
  readonly particles: readonly string[];
}

function normalizedList(words: string): string[] {
  const list = [...new Set(words.split(/\s+/).filter((word) => word.length > 0).map(normalizeToken))];
  return list.sort((a, b) => b.length - a.length);
}

function profile(spec: { suffixes?: string; prefixes?: string; articles?: [string, string][]; particles?: string }): InflectionProfile {
  return {
    suffixes: normalizedList(spec.suffixes ?? ''),
    prefixes: normalizedList(spec.prefixes ?? ''),
    articles: (spec.articles ?? []).map(([from, to]) => [normalizeToken(from), normalizeToken(to)] as const),
    particles: normalizedList(spec.particles ?? ''),
  };
}

const RUSSIAN =
  'иями ями ами ией ого его ому ему ыми ими ием иях ах ях ам ям ом ем ой ей ий ый ая яя ое ее ые ие ых их ым им ую юю ия ии ию ея ею еи ое а я о е ы и у ю ь й';
const UKRAINIAN =
  'ами ями ого ому ими іями ією ією ої ою ею ий ій ої ою ах ях ам ям ом ем ей ая ій ія ії ію ів их ім им ому ого а я о е и і у ю ь й ї є';
const POLISH =
  'ami ach ami owie owi iem ego emu ej ach om ów ami ie ia ii ią ię ą ę a e i o u y ów em ce dze sce scy cy ska ski skie skiego skim skiej sku';
const CZECH =
  'ami ách ích ého ému ou ům ím ých ými ími ie ii ia iu ě é í á ý a e i o u y ů ska sko ské ský ského ském sku';
const GREEK = 'ες ας ος ου ων ης ις α η ο ι ε υ';
const FINNISH =
  'issa issä ista istä illa illä ilta iltä ille iksi ineen ine in ssa ssä sta stä lla llä lta ltä lle ksi na nä ta tä aan ään een iin oon uun yyn han hin hen hon hun n a ä t seen';
const HUNGARIAN =
  'ban ben ba be ból ből ról ről tól től ra re nak nek val vel hoz hez höz on en ön n ot et öt at t ért ig ként ul ül ba be nál nél ból i ai ei';
const GERMAN = 'ens es en er em e s n';
const DUTCH = 'se sche s e';
const SCANDINAVIAN = 's';
const ROMANCE = 'es s';
const ROMANIAN = 'ului ul lui ei a ei';
const BALTIC = 'ijos ijoje iją ija os oje ą a ai ų us je s';
const SOUTH_SLAVIC = 'ama ima om em u a e i ske ski sku skom';

const KOREAN_PARTICLES =
  '에서는 에서 으로는 으로 에게 까지 부터 와의 과의 이라는 라는 의 은 는 이 가 을 를 에 로 와 과 도 만 측 정부';

/** The profile of a language (ISO 639-1), or undefined for languages matched word for word (English, French, ...). */
export const INFLECTION: Readonly<Record<string, InflectionProfile>> = {
  ru: profile({ suffixes: RUSSIAN }),
  be: profile({ suffixes: RUSSIAN }),
  uk: profile({ suffixes: UKRAINIAN }),
  bg: profile({ suffixes: 'ът та то те ия ия а я и' }),
  mk: profile({ suffixes: 'от та то те ија а и' }),
  pl: profile({ suffixes: POLISH }),
  cs: profile({ suffixes: CZECH }),
  sk: profile({ suffixes: CZECH }),
  sl: profile({ suffixes: SOUTH_SLAVIC }),
  hr: profile({ suffixes: SOUTH_SLAVIC }),
  sr: profile({ suffixes: SOUTH_SLAVIC }),
  bs: profile({ suffixes: SOUTH_SLAVIC }),
  lt: profile({ suffixes: BALTIC }),
  lv: profile({ suffixes: BALTIC }),
  fi: profile({ suffixes: FINNISH }),
  et: profile({ suffixes: 'ist is ile il iga ga st s sse l le lt i d t' }),
  hu: profile({ suffixes: HUNGARIAN }),
  el: profile({ suffixes: GREEK }),
  de: profile({ suffixes: GERMAN }),
  nl: profile({ suffixes: DUTCH }),
  sv: profile({ suffixes: SCANDINAVIAN }),
  da: profile({ suffixes: SCANDINAVIAN }),
  no: profile({ suffixes: SCANDINAVIAN }),
  fr: profile({ suffixes: ROMANCE }),
  es: profile({ suffixes: ROMANCE }),
  pt: profile({ suffixes: ROMANCE }),
  it: profile({ suffixes: 'i e' }),
  ca: profile({ suffixes: ROMANCE }),
  ro: profile({ suffixes: ROMANIAN }),
  tr: profile({ suffixes: 'nin nın nun nün in ın un ün da de ta te ya ye a e dan den tan ten la le lı li lu lü' }),
  ar: profile({ prefixes: 'و ف ب ل ك', articles: [['ال', ''], ['لل', 'ال']], suffixes: 'ية يين يون ي' }),
  fa: profile({ suffixes: 'های ها ای ی' }),
  ur: profile({ suffixes: 'ی ے' }),
  he: profile({ prefixes: 'ו ה ב ל מ ש כ' }),
  ko: profile({ particles: KOREAN_PARTICLES }),
  id: profile({ suffixes: 'nya' }),
  ms: profile({ suffixes: 'nya' }),
};

/** The key an alias token is indexed under: its longest ending removed, at least MIN_STEM letters left. */
export function stemAlias(token: string, inflection: InflectionProfile | undefined): string {
  if (inflection === undefined) return token;
  for (const suffix of inflection.suffixes) {
    if (token.length - suffix.length >= MIN_STEM && token.endsWith(suffix)) return token.slice(0, -suffix.length);
  }
  return token;
}

/**
 * The keys a word of the text is looked up under, best first: as written, minus each prefix, article or particle
 * that it starts or ends with, and each of those minus every ending of the language it ends with.
 */
export function lookupKeys(token: string, inflection: InflectionProfile | undefined): string[] {
  if (inflection === undefined) return [token];
  const bases = [token];
  for (const prefix of inflection.prefixes) {
    if (token.startsWith(prefix) && token.length - prefix.length >= MIN_STEM - 1) {
      const rest = token.slice(prefix.length);
      bases.push(rest);
      for (const second of inflection.prefixes) {
        if (rest.startsWith(second) && rest.length - second.length >= MIN_STEM - 1) bases.push(rest.slice(second.length));
      }
    }
  }
  for (const base of [...bases]) {
    for (const [from, to] of inflection.articles) {
      if (base.startsWith(from) && base.length - from.length >= MIN_STEM - 1) bases.push(to + base.slice(from.length));
    }
  }
  for (const particle of inflection.particles) {
    if (token.endsWith(particle) && token.length - particle.length >= 1) bases.push(token.slice(0, -particle.length));
  }
  const keys: string[] = [];
  for (const base of bases) {
    if (!keys.includes(base)) keys.push(base);
    for (const suffix of inflection.suffixes) {
      if (base.length - suffix.length >= MIN_STEM && base.endsWith(suffix)) {
        const stem = base.slice(0, -suffix.length);
        if (!keys.includes(stem)) keys.push(stem);
        // A case ending after the nominative's own ending (Finnish "venäjä-llä"): the alias lost that one too.
        const nominative = stemAlias(stem, inflection);
        if (!keys.includes(nominative)) keys.push(nominative);
      }
    }
  }
  return keys;
}
