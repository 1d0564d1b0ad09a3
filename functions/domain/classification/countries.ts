// Finds the countries an article is about: its country mentions (country-mentions.ts), less those that are people or
// US states (country-disambiguation.ts), scored by where and how they name each country; the strongest are primary.
import type { CountryScore, Evidence } from '../types.js';
import { disambiguateMentions } from './country-disambiguation.js';
import { addLanguageMentions, collectMentions, dropBoilerplate, findDatelineEnd } from './country-mentions.js';
import type { FieldTokens, Zone } from './country-mentions.js';
import type { AliasKind, TrieNode } from './gazetteer.js';

export { LEAD_CHARS } from './country-mentions.js';
export type { FieldTokens } from './country-mentions.js';

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

/** Salience of each place an article can name a country: a headline mention says most. */
const ZONE_WEIGHT: Readonly<Record<Zone, number>> = { title: 3, dateline: 2.5, lead: 1.2, body: 0.4 };
const ZONE_ORDER: readonly Zone[] = ['title', 'dateline', 'lead', 'body'];

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

/** Country scores, strongest first, with roles and evidence spans; `language` (ISO 639-1) adds its own aliases. */
export function scoreCountries(root: TrieNode, fields: readonly FieldTokens[], text: string, language = 'und'): CountryScore[] {
  const datelineEnd = findDatelineEnd(text);
  const collected = collectMentions(root, fields, datelineEnd);
  addLanguageMentions(collected, fields, language, datelineEnd);
  const mentions = disambiguateMentions(dropBoilerplate(collected), fields);

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
