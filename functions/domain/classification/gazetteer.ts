// The country gazetteer: compact JSON written by scripts/build-gazetteer.ts, a data file beside the code read through
// data-source.ts on first use. Two parts: the universal (English and Latin-script) aliases, matched in every text
// through a token trie keyed by lexicon ids; and per-language aliases (CLDR names, cities and the supplement in
// each language's own words and script), indexed lazily the first time a text of that language is seen: a trie of
// inflection stems for languages written with spaces (inflection.ts), a character trie searched from every position
// (leftmost-longest dictionary substring search) for Chinese, Japanese, Thai and the other scripts written without
// spaces.
import { lazyData } from './data-source.js';
import { INFLECTION, stemAlias } from './inflection.js';
import type { InflectionProfile } from './inflection.js';
import { findWord, internWord } from './lexicon.js';
import { tokenize } from './tokenize.js';

/**
 * n: country name (any language), m: seat of government or metonym ("the Kremlin"), c: capital, s: sub-national
 * region, p: major city, d: demonym ("Russian"), a: adjective, matched in lower case too ("russische", "российский"),
 * w: weak, ambiguous on its own ("America", "Korea").
 */
export type AliasKind = 'n' | 'm' | 'c' | 's' | 'p' | 'd' | 'a' | 'w';

/** One language's aliases: country code -> kind -> aliases (normalised phrases; as written for unsegmented scripts). */
export type LanguageAliases = Record<string, Partial<Record<AliasKind, string[]>>>;

/** Languages written without spaces between words: their aliases are found as substrings, not as tokens. */
export const UNSEGMENTED_LANGUAGES: ReadonlySet<string> = new Set(['zh', 'ja', 'th', 'lo', 'km', 'my']);

/** The data file of the universal gazetteer, read on the first classification. */
export const GAZETTEER_FILE = 'gazetteer.json';
/** The data file of the per-language aliases, read on the first text in a language other than English. */
export const LANGUAGE_GAZETTEER_FILE = 'gazetteer-languages.json';

export interface GazetteerData {
  source: string;
  license: string;
  /** Country code -> alias kind -> normalised aliases (tokens joined by one space). */
  aliases: Record<string, Partial<Record<AliasKind, string[]>>>;
  /** Country code -> normalised forms that count only when every token is written in capitals ("US", "U.S."). */
  capsOnly: Record<string, string[]>;
  /** Normalised phrases that contain an alias but name no country ("Latin America", "New England"). */
  blocked: string[];
  /** Country code -> forms that count only inside a dateline ("STAMFORD, Conn. -": "conn" is US there alone). */
  datelineOnly?: Record<string, string[]>;
}

/**
 * The per-language file: ISO 639-1 -> that language's aliases as a JSON string of LanguageAliases, so that reading the
 * file costs little and only the languages actually seen are parsed.
 */
export type LanguageAliasFile = Record<string, string>;

export interface AliasEntry {
  /** Country code; undefined for a blocked phrase. */
  readonly code: string | undefined;
  readonly kind: AliasKind;
  readonly capsOnly: boolean;
  /** Counts only in a dateline. */
  readonly datelineOnly: boolean;
  /** Normalised alias, for the disambiguation rules that look at particular names. */
  readonly alias: string;
}

export interface TrieNode {
  /** Keyed by lexicon id (lexicon.ts), so matching never hashes a token string; leaves share one empty map. */
  children: Map<number, TrieNode>;
  entry: AliasEntry | undefined;
}

/** Shared by every leaf until it gets a child: most aliases are one word, and a Map per leaf is most of the build. */
const NO_CHILDREN: Map<number, TrieNode> = new Map();

function createNode(): TrieNode {
  return { children: NO_CHILDREN, entry: undefined };
}

function insertAlias(root: TrieNode, alias: string, entry: AliasEntry): void {
  let node = root;
  for (const token of alias.split(' ')) {
    const id = internWord(token);
    let child = node.children.get(id);
    if (child === undefined) {
      child = createNode();
      if (node.children === NO_CHILDREN) node.children = new Map();
      node.children.set(id, child);
    }
    node = child;
  }
  // A blocked phrase, caps-only or dateline-only form never replaces a real alias at the same node.
  const restricted = (candidate: AliasEntry): boolean => candidate.capsOnly || candidate.datelineOnly;
  if (node.entry === undefined || (restricted(node.entry) && !restricted(entry))) node.entry = entry;
}

/** Builds the token trie from gazetteer data; exported for tests that need a small hand-made gazetteer. */
export function buildTrie(data: GazetteerData): TrieNode {
  const root = createNode();
  for (const [code, byKind] of Object.entries(data.aliases)) {
    for (const [kind, aliases] of Object.entries(byKind) as [AliasKind, string[]][]) {
      for (const alias of aliases) {
        insertAlias(root, alias, { code, kind, capsOnly: false, datelineOnly: false, alias });
      }
    }
  }
  for (const [code, forms] of Object.entries(data.capsOnly)) {
    for (const alias of forms) insertAlias(root, alias, { code, kind: 'n', capsOnly: true, datelineOnly: false, alias });
  }
  for (const [code, forms] of Object.entries(data.datelineOnly ?? {})) {
    for (const alias of forms) insertAlias(root, alias, { code, kind: 's', capsOnly: false, datelineOnly: true, alias });
  }
  for (const alias of data.blocked) {
    insertAlias(root, alias, { code: undefined, kind: 'n', capsOnly: false, datelineOnly: false, alias });
  }
  return root;
}

/** Decodes the gazetteer file (UTF-8 JSON), checking its shape before anything trusts it. */
export function decodeGazetteer(bytes: Uint8Array): GazetteerData {
  const data = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  if (data === null || typeof data !== 'object') throw new Error('gazetteer: not a JSON object');
  const record = data as Partial<GazetteerData>;
  if (typeof record.aliases !== 'object' || !Array.isArray(record.blocked) || typeof record.capsOnly !== 'object') {
    throw new Error('gazetteer: missing aliases, capsOnly or blocked');
  }
  return data as GazetteerData;
}

const loadUniversalTrie = lazyData(GAZETTEER_FILE, (bytes) => buildTrie(decodeGazetteer(bytes)));

/** Decodes the per-language file (UTF-8 JSON of language -> JSON string). */
export function decodeLanguageAliasFile(bytes: Uint8Array): LanguageAliasFile {
  const data = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  if (data === null || typeof data !== 'object' || Object.values(data).some((value) => typeof value !== 'string')) {
    throw new Error('gazetteer languages: not an object of JSON strings');
  }
  return data as LanguageAliasFile;
}

const loadLanguageFile = lazyData(LANGUAGE_GAZETTEER_FILE, decodeLanguageAliasFile);

/** The universal trie of the committed gazetteer, built on first call. */
export function loadGazetteerTrie(): TrieNode {
  return loadUniversalTrie();
}

// ---------------------------------------------------------------------------------------------------------------
// Per-language indexes

/** A trie over inflection stems (inflection.ts): children keyed by the stem of the next token. */
export interface StemNode {
  readonly children: Map<string, StemNode>;
  entry: AliasEntry | undefined;
}

export interface SubstringEntry {
  readonly code: string;
  readonly kind: AliasKind;
}

/** A trie over UTF-16 code units, for substring search in unsegmented scripts. */
export interface CharNode {
  readonly children: Map<number, CharNode>;
  entry: (SubstringEntry & { readonly alias: string }) | undefined;
}

export type LanguageIndex =
  | { readonly type: 'tokens'; readonly root: StemNode; readonly inflection: InflectionProfile | undefined }
  | { readonly type: 'substrings'; readonly root: CharNode };

/** Builds the index of one language's aliases; exported for tests with hand-made data. */
export function buildLanguageIndex(language: string, aliases: LanguageAliases): LanguageIndex {
  if (UNSEGMENTED_LANGUAGES.has(language)) {
    const root: CharNode = { children: new Map(), entry: undefined };
    for (const [code, byKind] of Object.entries(aliases)) {
      for (const [kind, list] of Object.entries(byKind) as [AliasKind, string[]][]) {
        for (const alias of list) {
          let node = root;
          for (let i = 0; i < alias.length; i++) {
            const unit = alias.charCodeAt(i);
            let child = node.children.get(unit);
            if (child === undefined) node.children.set(unit, (child = { children: new Map(), entry: undefined }));
            node = child;
          }
          if (node !== root) node.entry ??= { code, kind, alias };
        }
      }
    }
    return { type: 'substrings', root };
  }
  const inflection = INFLECTION[language];
  const root: StemNode = { children: new Map(), entry: undefined };
  for (const [code, byKind] of Object.entries(aliases)) {
    for (const [kind, list] of Object.entries(byKind) as [AliasKind, string[]][]) {
      for (const alias of list) {
        let node = root;
        for (const token of tokenize(alias).norms) {
          const key = stemAlias(token, inflection);
          let child = node.children.get(key);
          if (child === undefined) node.children.set(key, (child = { children: new Map(), entry: undefined }));
          node = child;
        }
        // The first claim of a stem keeps it: two aliases of one stem are forms of one name.
        if (node !== root) node.entry ??= { code, kind, capsOnly: false, datelineOnly: false, alias };
      }
    }
  }
  return { type: 'tokens', root, inflection };
}

const languageIndexes = new Map<string, LanguageIndex | null>();

/** The index of a language's own aliases, built on first use; undefined when the gazetteer has none for it. */
export function languageIndexOf(language: string): LanguageIndex | undefined {
  let index = languageIndexes.get(language);
  if (index === undefined) {
    const raw = Object.hasOwn(loadLanguageFile(), language) ? loadLanguageFile()[language] : undefined;
    index = raw === undefined ? null : buildLanguageIndex(language, JSON.parse(raw) as LanguageAliases);
    languageIndexes.set(language, index);
  }
  return index ?? undefined;
}

/** The child of a node for one normalised token, for tests and tools that walk the trie by words. */
export function childOf(node: TrieNode, token: string): TrieNode | undefined {
  return node.children.get(findWord(token));
}
