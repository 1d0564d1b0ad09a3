// The country gazetteer: compact JSON written by scripts/build-gazetteer.ts, turned into a token trie on first use.
// The JSON is imported statically so esbuild bundles it into the Lambda; the trie (the costly part) is built lazily
// and kept for the life of the container.
import gazetteerJson from './data/gazetteer.json' with { type: 'json' };
import { findWord, internWord } from './lexicon.js';

/**
 * n: country name (any language), m: seat of government or metonym ("the Kremlin"), c: capital, s: sub-national
 * region, p: major city, d: demonym ("Russian"), w: weak, ambiguous on its own ("America", "Korea").
 */
export type AliasKind = 'n' | 'm' | 'c' | 's' | 'p' | 'd' | 'w';

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
  /** Keyed by lexicon id (lexicon.ts), so matching never hashes a token string. */
  readonly children: Map<number, TrieNode>;
  entry: AliasEntry | undefined;
}

function createNode(): TrieNode {
  return { children: new Map(), entry: undefined };
}

function insertAlias(root: TrieNode, alias: string, entry: AliasEntry): void {
  let node = root;
  for (const token of alias.split(' ')) {
    const id = internWord(token);
    let child = node.children.get(id);
    if (child === undefined) {
      child = createNode();
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

let trie: TrieNode | undefined;

/** The trie of the committed gazetteer, built on first call. */
export function loadGazetteerTrie(): TrieNode {
  trie ??= buildTrie(gazetteerJson as GazetteerData);
  return trie;
}

/** The child of a node for one normalised token, for tests and tools that walk the trie by words. */
export function childOf(node: TrieNode, token: string): TrieNode | undefined {
  return node.children.get(findWord(token));
}
