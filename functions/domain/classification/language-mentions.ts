// Country mentions in a language's own words: inflected tokens through the stem trie, or substrings of scripts written
// without spaces through the Aho-Corasick automaton (gazetteer.ts builds both). Offsets are UTF-16 offsets into the
// original field text, like every other evidence span.
import type { AliasKind, CharNode, LanguageIndex, StemNode } from './gazetteer.js';
import { lookupKeys } from './inflection.js';
import type { InflectionProfile } from './inflection.js';
import type { TokenStream } from './tokenize.js';

export interface LanguageMention {
  code: string;
  kind: AliasKind;
  alias: string;
  start: number;
  end: number;
  /** First and last token of the match (-1 for substring matches). */
  tokenIndex: number;
  tokenEnd: number;
}

/** First two characters of every first-token key: most words of a text are dismissed on them alone. */
const firstPairs = new WeakMap<StemNode, Set<string>>();

function pairsOf(root: StemNode): Set<string> {
  let pairs = firstPairs.get(root);
  if (pairs === undefined) {
    pairs = new Set([...root.children.keys()].map((key) => key.slice(0, 2)));
    firstPairs.set(root, pairs);
  }
  return pairs;
}

function startsCapitalOrUncased(source: string, index: number): boolean {
  const ch = source[index] ?? '';
  const lower = ch.toLowerCase();
  return ch !== lower || lower === ch.toUpperCase();
}

/** Only a space, hyphen or apostrophe between two tokens of one alias ("Южная Корея", "Saudi-Arabia"). */
function adjacent(tokens: TokenStream, left: number): boolean {
  const gap = tokens.source.slice(tokens.ends[left] ?? 0, tokens.starts[left + 1] ?? 0);
  return gap.length > 0 && gap.length <= 2 && /^[\s\u00a0'’-]+$/.test(gap);
}

function childFor(node: StemNode, token: string, inflection: InflectionProfile | undefined): StemNode | undefined {
  for (const key of lookupKeys(token, inflection)) {
    const child = node.children.get(key);
    if (child !== undefined) return child;
  }
  return undefined;
}

function tokenMentions(root: StemNode, inflection: InflectionProfile | undefined, tokens: TokenStream): LanguageMention[] {
  const mentions: LanguageMention[] = [];
  const pairs = pairsOf(root);
  const prefixed = inflection !== undefined && inflection.prefixes.length > 0;
  const { norms, starts, ends, source } = tokens;
  for (let i = 0; i < norms.length; i++) {
    const norm = norms[i] ?? '';
    // Words that cannot start any alias are dismissed on their first letters (not for prefixing scripts, whose
    // first letters may be a conjunction or preposition).
    if (!prefixed && !pairs.has(norm.slice(0, 2))) continue;
    // Each reading of the word may start a different alias ("venäjä" the name, "venäjän" of "Venäjän federaatio"):
    // the longest complete match over all readings wins, the least stripped reading on a tie.
    let best: { entry: NonNullable<StemNode['entry']>; last: number } | undefined;
    for (const key of lookupKeys(norm, inflection)) {
      let node = root.children.get(key);
      let last = i;
      while (node !== undefined) {
        if (node.entry !== undefined && (best === undefined || last > best.last)) best = { entry: node.entry, last };
        if (last + 1 >= norms.length || !adjacent(tokens, last)) break;
        node = childFor(node, norms[last + 1] ?? '', inflection);
        last++;
      }
    }
    if (best === undefined) continue;
    const start = starts[i] ?? 0;
    // Names are capitalised where the script has case; adjectives need not be ("russische", "российский").
    if (best.entry.kind !== 'a' && !startsCapitalOrUncased(source, start)) continue;
    if (best.entry.code === undefined) continue;
    mentions.push({
      code: best.entry.code,
      kind: best.entry.kind,
      alias: best.entry.alias,
      start,
      end: ends[best.last] ?? start,
      tokenIndex: i,
      tokenEnd: best.last,
    });
    i = best.last;
  }
  return mentions;
}

/**
 * Katakana and the prolonged sound mark (U+30A1-U+30FF), half-width katakana (U+FF66-U+FF9F); not the middle dot
 * (U+30FB), which separates katakana words ("ロサンゼルス・ドジャース").
 */
function isKatakanaCode(code: number): boolean {
  return (code >= 0x30a1 && code <= 0x30ff && code !== 0x30fb) || (code >= 0xff66 && code <= 0xff9f);
}

function isKatakana(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isKatakanaCode(text.charCodeAt(i))) return false;
  return text.length > 0;
}

/** The mentions of a language's aliases in one field. */
export function findLanguageMentions(index: LanguageIndex, tokens: TokenStream): LanguageMention[] {
  if (index.type === 'tokens') return tokenMentions(index.root, index.inflection, tokens);
  return substringMentions(index.root, tokens.source);
}

/**
 * Leftmost-longest dictionary search over UTF-16 code units: from each position, the character trie is walked as
 * far as the text allows and the longest alias ending on the way wins; the search resumes after it. Aliases are at
 * most a few dozen units, so this is linear in the text for all practical purposes. (Two Aho-Corasick packages were
 * measured: modern-ahocorasick needs ~700 µs and ahocorasick ~250 µs per 100-character search, this ~10 µs.)
 */
function substringMentions(root: CharNode, source: string): LanguageMention[] {
  const mentions: LanguageMention[] = [];
  for (let i = 0; i < source.length; i++) {
    let node = root.children.get(source.charCodeAt(i));
    if (node === undefined) continue;
    let best: { entry: NonNullable<CharNode['entry']>; end: number } | undefined;
    let j = i + 1;
    while (node !== undefined) {
      if (node.entry !== undefined) best = { entry: node.entry, end: j };
      if (j >= source.length) break;
      node = node.children.get(source.charCodeAt(j));
      j++;
    }
    if (best === undefined) continue;
    const { entry, end } = best;
    // A katakana word runs until the script changes: "タイ" (Thailand) inside "タイトル" (title) is no name.
    if (isKatakana(entry.alias) && (isKatakanaCode(source.charCodeAt(i - 1)) || isKatakanaCode(source.charCodeAt(end)))) continue;
    mentions.push({ code: entry.code, kind: entry.kind, alias: entry.alias, start: i, end, tokenIndex: -1, tokenEnd: -1 });
    i = end - 1;
  }
  return mentions;
}
