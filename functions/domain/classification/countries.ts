// Finds the countries an article is about: gazetteer matches over the token stream (longest match wins), a few
// disambiguation rules for names that are also people or US states, then salience scoring.
import type { CountryScore, Evidence } from '../types.js';
import { boilerplateSpans, insideSpans } from './boilerplate.js';
import { languageIndexOf } from './gazetteer.js';
import type { AliasEntry, AliasKind, TrieNode } from './gazetteer.js';
import { findLanguageMentions } from './language-mentions.js';
import { tokenIdsOf } from './lexicon.js';
import { isAllCaps } from './tokenize.js';
import type { TokenStream } from './tokenize.js';

/** How much one mention says about a country, by what kind of alias it was. */
const KIND_WEIGHT: Readonly<Record<AliasKind, number>> = {
  n: 1,
  m: 0.85,
  c: 0.85,
  s: 0.7,
  p: 0.7,
  d: 0.75,
  a: 0.75,
  w: 0.3,
};

type Zone = 'title' | 'dateline' | 'lead' | 'body';

/** Salience of each place an article can name a country: a headline mention says most. */
const ZONE_WEIGHT: Readonly<Record<Zone, number>> = { title: 3, dateline: 2.5, lead: 1.2, body: 0.4 };
const ZONE_ORDER: readonly Zone[] = ['title', 'dateline', 'lead', 'body'];

/** Characters of text counted as the lead. */
export const LEAD_CHARS = 300;
/** A dateline ("MOSCOW (Reuters) -") must end within this many characters of the start. */
const DATELINE_MAX_CHARS = 80;
/** raw evidence -> 0..1; with 2.5, a title mention alone scores ~0.7 and one deep body mention ~0.15. */
const SCORE_SCALE = 2.5;
/**
 * Below this a country is dropped. Tuned on the Reuters dev split (docs/quality.md): a name in the title, dateline
 * or lead passes; a passing mention deep in the body does not, as editors do not list such places either.
 */
export const MIN_COUNTRY_SCORE = 0.25;
/** The top country is primary only with more than a single deep mention behind it. */
const PRIMARY_MIN_SCORE = 0.3;
/** Others in the title within this margin of the top score are primary too ("Russia's Putin to visit China"). */
const PRIMARY_MARGIN = 0.15;
const MAX_EVIDENCE = 8;

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

export interface FieldTokens {
  field: Evidence['field'];
  tokens: TokenStream;
}

interface Mention {
  entry: AliasEntry;
  code: string;
  kind: AliasKind;
  field: Evidence['field'];
  start: number;
  end: number;
  zone: Zone;
  /** Index of the first token, for the neighbouring-word rules. */
  tokenIndex: number;
  tokenEnd: number;
  tokens: TokenStream;
}

function isUpperAscii(code: number): boolean {
  return code >= 65 && code <= 90;
}

function startsCapitalOrUncased(source: string, index: number): boolean {
  const code = source.charCodeAt(index);
  if (code < 128) return isUpperAscii(code);
  const ch = source[index] ?? '';
  const lower = ch.toLowerCase();
  return ch !== lower || lower === ch.toUpperCase();
}

/**
 * Tokens of one alias must be adjacent: a space, a hyphen or an apostrophe between them ("Guinea-Bissau",
 * "Côte d'Ivoire"), or a full stop after an abbreviation of one or two letters ("U.S.", "St. Louis").
 */
function canJoin(tokens: TokenStream, left: number): boolean {
  const from = tokens.ends[left] ?? 0;
  const to = tokens.starts[left + 1] ?? 0;
  if (to - from > 2) return false;
  const abbreviation = from - (tokens.starts[left] ?? 0) <= 2;
  for (let i = from; i < to; i++) {
    const ch = tokens.source.charCodeAt(i);
    const ok =
      ch === 32 || ch === 45 || ch === 39 || ch === 0x2019 || ch === 0x2010 || ch === 0xa0 || (ch === 46 && abbreviation);
    if (!ok) return false;
  }
  return true;
}

function allTokensCaps(tokens: TokenStream, first: number, last: number): boolean {
  for (let i = first; i <= last; i++) {
    if (!isAllCaps(tokens.source.slice(tokens.starts[i], tokens.ends[i]))) return false;
  }
  return true;
}

/** "U.S.", "U.K.": dotted abbreviations stay unambiguous even in a headline written in capitals. */
function isDotted(tokens: TokenStream, first: number, last: number): boolean {
  return last > first && tokens.source.charCodeAt(tokens.ends[first] ?? 0) === 46;
}

/** A field mostly in capitals ("TELL US WHY") makes caps-only aliases meaningless there. */
function isMostlyUpperCase(source: string): boolean {
  let upper = 0;
  let letters = 0;
  const limit = Math.min(source.length, 400);
  for (let i = 0; i < limit; i++) {
    const code = source.charCodeAt(i);
    if (isUpperAscii(code)) {
      upper++;
      letters++;
    } else if (code >= 97 && code <= 122) letters++;
  }
  return letters >= 12 && upper / letters > 0.8;
}

/** Headline style where most words are capitalised: a capitalised next word says nothing about surnames there. */
function isTitleCase(tokens: TokenStream): boolean {
  let capitalised = 0;
  for (let i = 0; i < tokens.norms.length; i++) {
    if (isUpperAscii(tokens.source.charCodeAt(tokens.starts[i] ?? 0))) capitalised++;
  }
  return tokens.norms.length >= 4 && capitalised / tokens.norms.length > 0.6;
}

/**
 * A dateline: a place in capitals at the very start, optionally ", Country" or ", May 3", optionally "(Agency)",
 * then a dash or colon: "MOSCOW (Reuters) -", "KYIV, Ukraine (AP) —", "WASHINGTON, May 3 (Reuters) -", "PARIS:".
 */
const DATELINE =
  /^\s*\p{Lu}[\p{Lu}\s.'’-]{0,28}\p{Lu}\.?(?:,[^\n()—–:]{1,40}?)?(?:\s*\([^)\n]{1,40}\))?(?:\s+[-—–]|\s*[—–:]|(?<=\))\s*-)/u;

/** End of the dateline, or 0 when the text has none. */
export function findDatelineEnd(text: string): number {
  const match = DATELINE.exec(text.slice(0, DATELINE_MAX_CHARS));
  return match === null ? 0 : match[0].length;
}

function zoneOf(field: Evidence['field'], start: number, datelineEnd: number): Zone {
  if (field === 'title') return 'title';
  if (start < datelineEnd) return 'dateline';
  return start < LEAD_CHARS ? 'lead' : 'body';
}

/** The root's children by lexicon id in a plain array: every token of an article is looked up there once. */
const rootIndexes = new WeakMap<TrieNode, (TrieNode | undefined)[]>();

function rootIndexOf(root: TrieNode): (TrieNode | undefined)[] {
  let index = rootIndexes.get(root);
  if (index === undefined) {
    index = [];
    for (const [id, child] of root.children) index[id] = child;
    rootIndexes.set(root, index);
  }
  return index;
}

function collectMentions(root: TrieNode, fields: readonly FieldTokens[], datelineEnd: number): Mention[] {
  const mentions: Mention[] = [];
  const firstTokens = rootIndexOf(root);
  for (const { field, tokens } of fields) {
    const { norms, starts, ends, source } = tokens;
    const ids = tokenIdsOf(tokens);
    const shouting = isMostlyUpperCase(source);
    const count = norms.length;
    for (let i = 0; i < count; i++) {
      const id = ids[i] ?? -1;
      if (id < 0) continue;
      let node = firstTokens[id];
      if (node === undefined || !startsCapitalOrUncased(source, starts[i] ?? 0)) continue;
      const inDateline = field === 'text' && (starts[i] ?? 0) < datelineEnd;
      let best: AliasEntry | undefined;
      let bestLast = -1;
      let last = i;
      for (;;) {
        const entry = node.entry;
        if (
          entry !== undefined &&
          (!entry.datelineOnly || inDateline) &&
          (!entry.capsOnly || (allTokensCaps(tokens, i, last) && (!shouting || isDotted(tokens, i, last))))
        ) {
          best = entry;
          bestLast = last;
        }
        if (last + 1 >= count || !canJoin(tokens, last)) break;
        const next: TrieNode | undefined = node.children.get(ids[last + 1] ?? -1);
        if (next === undefined) break;
        node = next;
        last++;
      }
      if (best === undefined) continue;
      if (best.code !== undefined) {
        const start = starts[i] ?? 0;
        mentions.push({
          entry: best,
          code: best.code,
          kind: best.kind,
          field,
          start,
          end: ends[bestLast] ?? start,
          zone: zoneOf(field, start, datelineEnd),
          tokenIndex: i,
          tokenEnd: bestLast,
          tokens,
        });
      }
      i = bestLast;
    }
  }
  return mentions;
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

interface Tally {
  code: string;
  raw: number;
  inTitle: boolean;
  firstZone: number;
  firstStart: number;
  /** Mentions counted per zone, for diminishing returns. */
  seen: Record<Zone, number>;
  evidence: { zone: number; evidence: Evidence }[];
}

/**
 * Mentions of the language's own aliases (inflected forms, other scripts) that no universal mention covers: the
 * universal trie already read "Paris" or "Iran" in any language, and its disambiguation rules apply to those.
 */
function addLanguageMentions(mentions: Mention[], fields: readonly FieldTokens[], language: string, datelineEnd: number): void {
  const index = languageIndexOf(language);
  if (index === undefined) return;
  for (const { field, tokens } of fields) {
    for (const found of findLanguageMentions(index, tokens)) {
      const overlapping = mentions.filter((mention) => mention.field === field && found.start < mention.end && mention.start < found.end);
      // A longer name in the language's own words wins over the universal words inside it ("Vladimir Poutine" is
      // Putin, not the city of Vladimir); otherwise the universal reading stands.
      const longer = overlapping.every((mention) => found.start <= mention.start && found.end >= mention.end && found.end - found.start > mention.end - mention.start);
      if (overlapping.length > 0 && !longer) continue;
      for (const mention of overlapping) mentions.splice(mentions.indexOf(mention), 1);
      mentions.push({
        entry: { code: found.code, kind: found.kind, capsOnly: false, datelineOnly: false, alias: found.alias },
        code: found.code,
        kind: found.kind,
        field,
        start: found.start,
        end: found.end,
        zone: zoneOf(field, found.start, datelineEnd),
        tokenIndex: found.tokenIndex,
        tokenEnd: found.tokenEnd,
        tokens,
      });
    }
  }
  mentions.sort((a, b) => (a.field === b.field ? a.start - b.start : a.field === 'title' ? -1 : 1));
}

/** Characters looked at around a mention for the sentence or line it sits in. */
const BOILERPLATE_WINDOW = 400;

/** The sentence or line around [start, end): from after the previous . ! ? or newline to the next one. */
function windowAround(source: string, start: number, end: number): [number, number] {
  let from = start;
  const floor = Math.max(0, start - BOILERPLATE_WINDOW);
  while (from > floor && !isSentenceEnd(source.charCodeAt(from - 1))) from--;
  let to = end;
  const ceiling = Math.min(source.length, end + BOILERPLATE_WINDOW);
  while (to < ceiling && !isSentenceEnd(source.charCodeAt(to))) to++;
  return [from, Math.min(source.length, to + 1)];
}

/** . ! ? or a newline. */
function isSentenceEnd(code: number): boolean {
  return code === 46 || code === 33 || code === 63 || code === 10;
}

/**
 * Drops mentions inside bylines, photo credits and sign-up prompts. Only the sentence or line around each mention
 * is scanned: a long article has few mentions, and its other sentences cannot make a mention boilerplate.
 */
function dropBoilerplate(mentions: Mention[]): Mention[] {
  const cache = new Map<string, [number, number][]>();
  return mentions.filter((mention) => {
    const source = mention.tokens.source;
    const [from, to] = windowAround(source, mention.start, mention.end);
    const key = `${mention.field}:${from}`;
    let spans = cache.get(key);
    if (spans === undefined) {
      spans = boilerplateSpans(source.slice(from, to)).map(([a, b]) => [a + from, b + from] as [number, number]);
      cache.set(key, spans);
    }
    return !insideSpans(spans, mention.start, mention.end);
  });
}

/** Country scores, strongest first, with roles and evidence spans; `language` (ISO 639-1) adds its own aliases. */
export function scoreCountries(root: TrieNode, fields: readonly FieldTokens[], text: string, language = 'und'): CountryScore[] {
  const datelineEnd = findDatelineEnd(text);
  const title = fields.find((entry) => entry.field === 'title');
  const titleFieldCase = title !== undefined && isTitleCase(title.tokens);
  const collected = collectMentions(root, fields, datelineEnd);
  addLanguageMentions(collected, fields, language, datelineEnd);
  const mentions = dropPersonNames(dropBoilerplate(collected), titleFieldCase);
  resolveGeorgia(mentions, fields);
  placeCitiesInTheirRegion(mentions);

  const tallies = new Map<string, Tally>();
  for (const mention of mentions) {
    let tally = tallies.get(mention.code);
    if (tally === undefined) {
      tally = {
        code: mention.code,
        raw: 0,
        inTitle: false,
        firstZone: Number.POSITIVE_INFINITY,
        firstStart: Number.POSITIVE_INFINITY,
        seen: { title: 0, dateline: 0, lead: 0, body: 0 },
        evidence: [],
      };
      tallies.set(mention.code, tally);
    }
    const zoneRank = ZONE_ORDER.indexOf(mention.zone);
    const seen = ++tally.seen[mention.zone];
    // Harmonic decay: repetition counts, but ten mentions deep in the text do not outweigh one in the title.
    tally.raw += (ZONE_WEIGHT[mention.zone] * KIND_WEIGHT[mention.kind]) / seen;
    if (mention.zone === 'title') tally.inTitle = true;
    if (zoneRank < tally.firstZone || (zoneRank === tally.firstZone && mention.start < tally.firstStart)) {
      tally.firstZone = zoneRank;
      tally.firstStart = mention.start;
    }
    tally.evidence.push({
      zone: zoneRank,
      evidence: { text: mention.tokens.source.slice(mention.start, mention.end), field: mention.field, start: mention.start },
    });
  }

  const ranked = [...tallies.values()]
    .map((tally) => ({ tally, score: 1 - Math.exp(-tally.raw / SCORE_SCALE) }))
    .filter(({ score }) => score >= MIN_COUNTRY_SCORE)
    // Equal evidence: the country named first leads ("Russia's Putin to visit China").
    .sort((a, b) => b.tally.raw - a.tally.raw || a.tally.firstZone - b.tally.firstZone || a.tally.firstStart - b.tally.firstStart);

  const top = ranked[0];
  const scored = ranked.map(({ tally, score }, index) => {
    const primary =
      top !== undefined &&
      top.score >= PRIMARY_MIN_SCORE &&
      (index === 0 || (tally.inTitle && score >= top.score - PRIMARY_MARGIN));
    const evidence = tally.evidence
      .sort((a, b) => a.zone - b.zone || a.evidence.start - b.evidence.start)
      .slice(0, MAX_EVIDENCE)
      .map((entry) => entry.evidence);
    const country: CountryScore = { code: tally.code, role: primary ? 'primary' : 'mentioned', score: roundScore(score), evidence };
    return { country, tally };
  });
  return orderTitlePrimaries(scored).map((entry) => entry.country);
}

/**
 * Primary countries named in the headline lead in the headline's order: news headlines put the actor first
 * ("Putin plans to visit China": Russia, then China), whatever the body repeats more.
 */
function orderTitlePrimaries(scored: { country: CountryScore; tally: Tally }[]): { country: CountryScore; tally: Tally }[] {
  const head = scored.filter((entry) => entry.country.role === 'primary' && entry.tally.firstZone === 0);
  if (head.length < 2 || scored[0]?.tally.firstZone !== 0) return scored;
  head.sort((a, b) => a.tally.firstStart - b.tally.firstStart);
  return [...head, ...scored.filter((entry) => !head.includes(entry))];
}

function roundScore(score: number): number {
  return Math.round(score * 1000) / 1000;
}
