// Finds where an article names a country: gazetteer matches over each field's token stream (longest match wins,
// capitals and datelines respected), the language's own aliases, and no mention inside a byline or photo credit.
// Which of them are people or US states is decided in country-disambiguation.ts; how much each says, in countries.ts.
import type { Evidence } from '../types.js';
import { boilerplateSpans, insideSpans } from './boilerplate.js';
import { languageIndexOf } from './gazetteer.js';
import type { AliasEntry, AliasKind, TrieNode } from './gazetteer.js';
import { findLanguageMentions } from './language-mentions.js';
import { tokenIdsOf } from './lexicon.js';
import { isAllCaps } from './tokenize.js';
import type { TokenStream } from './tokenize.js';

export type Zone = 'title' | 'dateline' | 'lead' | 'body';

/** Characters of text counted as the lead. */
export const LEAD_CHARS = 300;
/** A dateline ("MOSCOW (Reuters) -") must end within this many characters of the start. */
const DATELINE_MAX_CHARS = 80;

export interface FieldTokens {
  field: Evidence['field'];
  tokens: TokenStream;
}

export interface Mention {
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

export function isUpperAscii(code: number): boolean {
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

export function collectMentions(root: TrieNode, fields: readonly FieldTokens[], datelineEnd: number): Mention[] {
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

/**
 * Mentions of the language's own aliases (inflected forms, other scripts) that no universal mention covers: the
 * universal trie already read "Paris" or "Iran" in any language, and its disambiguation rules apply to those.
 */
export function addLanguageMentions(mentions: Mention[], fields: readonly FieldTokens[], language: string, datelineEnd: number): void {
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
export function dropBoilerplate(mentions: Mention[]): Mention[] {
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
