// Which country mentions are not countries: a name that is part of a person's ("Michael Jordan", "Chad Smith"), a
// Georgia that is the US state, a city followed by the region of another country ("Paris, Texas").
import { isUpperAscii } from './country-mentions.js';
import type { FieldTokens, Mention } from './country-mentions.js';
import { isAllCaps } from './tokenize.js';
import type { TokenStream } from './tokenize.js';

/** Single-word country aliases that are just as often given names or surnames ("Michael Jordan", "Chad Smith"). */
const PERSON_LIKE = new Set([
  'jordan', 'chad', 'georgia', 'israel', 'india', 'virginia', 'washington', 'sofia', 'paris', 'santiago', 'sydney',
  'milan', 'houston', 'montana', 'kenya', 'florida', 'dallas', 'lima', 'cuba',
]);

/** Capitalised words that start sentences or headlines and so do not mark the next word as a surname. */
const NOT_A_FIRST_NAME = new Set([
  'the', 'a', 'an', 'in', 'on', 'at', 'to', 'from', 'of', 'for', 'with', 'by', 'and', 'or', 'but', 'as', 'into',
  'across', 'near', 'over', 'after', 'before', 'while', 'when', 'if', 'how', 'why', 'what', 'where', 'who', 'this',
  'that', 'these', 'those', 'neighbouring', 'neighboring', 'visit', 'visits', 'visited', 'visiting', 'says', 'said',
  'tells', 'told', 'urges', 'warns', 'slams', 'backs', 'against', 'between', 'about', 'both', 'all', 'new',
  'north', 'south', 'east', 'west', 'central', 'northern', 'southern', 'eastern', 'western', 'will', 'can',
  'could', 'would', 'should', 'may', 'must', 'does', 'did', 'is', 'are', 'was', 'were', 'has', 'have', 'had',
  'king', 'queen', 'prince', 'president', 'minister', 'leader', 'government', 'state', 'city', 'capital', 'rural',
  'neighbour', 'neighbor', 'via', 'like', 'unlike', 'during', 'under', 'beyond', 'inside', 'outside', 'throughout',
]);

/** Capitalised words that follow a country name without making it a person ("Jordan Valley", "Israel Defense"). */
const NOT_A_SURNAME = new Set([
  'government', 'army', 'armed', 'forces', 'force', 'defense', 'defence', 'military', 'police', 'ministry',
  'minister', 'president', 'prime', 'foreign', 'state', 'city', 'river', 'valley', 'border', 'borders', 'embassy',
  'airport', 'airways', 'airlines', 'national', 'central', 'bank', 'football', 'team', 'league', 'cup', 'north',
  'south', 'east', 'west', 'capital', 'parliament', 'senate', 'house', 'court', 'supreme', 'university', 'news',
  'times', 'post', 'council', 'province', 'region', 'republic', 'kingdom', 'crown', 'king', 'queen', 'prince',
  'coalition', 'party', 'and', 'or', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
  'january', 'february', 'march', 'april', 'june', 'july', 'august', 'september', 'october', 'november',
  'december', 'on', 'in', 'at', 'to', 'is', 'as', 'governor', 'legislature', 'officials', 'authorities', 'talks',
  'election', 'elections', 'media', 'tech', 'stock', 'exchange', 'port', 'sea', 'coast',
]);

/** After these words a person-like name is a place even when the same name is a person elsewhere in the text. */
const LOCATIVE_BEFORE = new Set([
  'in', 'to', 'from', 'into', 'across', 'of', 'visit', 'visits', 'visited', 'visiting', 'toward', 'towards', 'near',
  'neighbouring', 'neighboring', 'throughout',
]);

/** Words that place "Georgia" in the US when no other sign of the country Georgia is present. */
const US_STATE_CONTEXT = new Set([
  'governor', 'gov', 'county', 'counties', 'senate', 'senator', 'senators', 'legislature', 'statehouse', 'sheriff',
  'republican', 'republicans', 'democrat', 'democrats', 'gop', 'peach',
]);
/** Words that place "Georgia" in the Caucasus. */
const CAUCASUS_CONTEXT = new Set(['caucasus', 'soviet', 'lari', 'ossetia', 'abkhazia', 'kobakhidze']);
/** Countries whose presence makes "Georgia" the Caucasus country rather than the US state. */
const GEORGIA_NEIGHBOURS = new Set(['RU', 'AM', 'AZ', 'TR', 'UA', 'GE']);

/** Headline style where most words are capitalised: a capitalised next word says nothing about surnames there. */
function isTitleCase(tokens: TokenStream): boolean {
  let capitalised = 0;
  for (let i = 0; i < tokens.norms.length; i++) {
    if (isUpperAscii(tokens.source.charCodeAt(tokens.starts[i] ?? 0))) capitalised++;
  }
  return tokens.norms.length >= 4 && capitalised / tokens.norms.length > 0.6;
}

function tokenText(tokens: TokenStream, index: number): string {
  return tokens.source.slice(tokens.starts[index], tokens.ends[index]);
}

/** Only whitespace (no punctuation) between two tokens: "Michael Jordan" but not "Michael, Jordan". */
function separatedBySpace(tokens: TokenStream, left: number): boolean {
  const from = tokens.ends[left] ?? 0;
  const to = tokens.starts[left + 1] ?? 0;
  if (to - from < 1 || to - from > 2) return false;
  for (let i = from; i < to; i++) {
    const ch = tokens.source.charCodeAt(i);
    if (ch !== 32 && ch !== 0xa0) return false;
  }
  return true;
}

function looksLikeName(tokens: TokenStream, index: number): boolean {
  const text = tokenText(tokens, index);
  return text.length >= 2 && isUpperAscii(text.charCodeAt(0)) && !isAllCaps(text);
}

/** "Michael Jordan", "Jordan Peterson", "Chad Smith": the alias is part of a person's name. */
function isPartOfPersonName(mention: Mention, titleCase: boolean): boolean {
  const { tokens, tokenIndex, tokenEnd } = mention;
  if (tokenIndex < 0) return false;
  const before = tokenIndex - 1;
  if (before >= 0 && separatedBySpace(tokens, before) && looksLikeName(tokens, before)) {
    const previous = tokens.norms[before] ?? '';
    // "Visiting Jordan, ..." at a sentence start: a participle, not a first name.
    const verbForm = previous.endsWith('ing') || previous.endsWith('ed');
    if (!NOT_A_FIRST_NAME.has(previous) && !verbForm) return true;
  }
  const after = tokenEnd + 1;
  if (!titleCase && after < tokens.norms.length && separatedBySpace(tokens, tokenEnd) && looksLikeName(tokens, after)) {
    if (!NOT_A_SURNAME.has(tokens.norms[after] ?? '')) return true;
  }
  return false;
}

function hasLocativeBefore(mention: Mention): boolean {
  const before = mention.tokenIndex - 1;
  return before >= 0 && LOCATIVE_BEFORE.has(mention.tokens.norms[before] ?? '');
}

function dropPersonNames(mentions: Mention[], titleFieldCase: boolean): Mention[] {
  const personAliases = new Set<string>();
  const keep: boolean[] = mentions.map((mention) => {
    if (!PERSON_LIKE.has(mention.entry.alias)) return true;
    const titleCase = mention.field === 'title' && titleFieldCase;
    if (!isPartOfPersonName(mention, titleCase)) return true;
    personAliases.add(mention.entry.alias);
    return false;
  });
  // Once "Jordan" is a person in this article, a bare "Jordan" elsewhere is most likely the same person.
  return mentions.filter(
    (mention, index) =>
      keep[index] === true && (!personAliases.has(mention.entry.alias) || hasLocativeBefore(mention)),
  );
}

function anyTokenIn(fields: readonly FieldTokens[], words: ReadonlySet<string>): boolean {
  for (const { tokens } of fields) {
    for (const norm of tokens.norms) if (words.has(norm)) return true;
  }
  return false;
}

/** "Georgia" is the US state when the article is otherwise about the US and nothing points to the Caucasus. */
function resolveGeorgia(mentions: Mention[], fields: readonly FieldTokens[]): void {
  const georgia = mentions.filter((mention) => mention.entry.alias === 'georgia');
  if (georgia.length === 0) return;
  const caucasus =
    mentions.some((mention) => mention.entry.alias !== 'georgia' && GEORGIA_NEIGHBOURS.has(mention.code)) ||
    anyTokenIn(fields, CAUCASUS_CONTEXT);
  if (caucasus) return;
  const unitedStates =
    mentions.some((mention) => mention.code === 'US') || anyTokenIn(fields, US_STATE_CONTEXT);
  if (!unitedStates) return;
  for (const mention of georgia) {
    mention.code = 'US';
    mention.kind = 's';
  }
}

/**
 * "Paris, Texas", "Birmingham, Alabama", "London, Ontario": a city followed by a comma and a region of another
 * country is in that region, whatever the city's best-known namesake.
 */
function placeCitiesInTheirRegion(mentions: Mention[]): void {
  for (let i = 0; i + 1 < mentions.length; i++) {
    const city = mentions[i];
    const region = mentions[i + 1];
    if (city === undefined || region === undefined) continue;
    if ((city.kind !== 'p' && city.kind !== 'c') || region.kind !== 's' || city.field !== region.field) continue;
    if (city.code === region.code) continue;
    const between = city.tokens.source.slice(city.end, region.start);
    if (/^,\s{1,2}$/.test(between)) {
      city.code = region.code;
      city.kind = 'p';
    }
  }
}

/**
 * The mentions that stand for countries, with Georgias and cities moved to where the text places them: person names
 * dropped first (a capitalised neighbour says nothing in a title-case headline), then the US state, then "City, Region".
 */
export function disambiguateMentions(mentions: Mention[], fields: readonly FieldTokens[]): Mention[] {
  const title = fields.find((entry) => entry.field === 'title');
  const titleFieldCase = title !== undefined && isTitleCase(title.tokens);
  const kept = dropPersonNames(mentions, titleFieldCase);
  resolveGeorgia(kept, fields);
  placeCitiesInTheirRegion(kept);
  return kept;
}
