// One shared table of every word some vocabulary knows (gazetteer aliases, topic terms, second-level phrases,
// stopwords), so that an article's tokens are looked up once, by the hash the tokenizer already computed, and every
// later stage works on small integer ids instead of hashing and comparing the same strings again.
import { hashToken } from './tokenize.js';
import type { TokenStream } from './tokenize.js';

/** Id of a token that no vocabulary knows. */
export const UNKNOWN_TOKEN = -1;

const INITIAL_SLOTS = 1 << 12;

class Lexicon {
  private readonly words: string[] = [];
  /** Open addressing on the token hash: slotId holds id + 1 (0 = empty), slotHash the full hash. */
  private slotId = new Int32Array(INITIAL_SLOTS);
  private slotHash = new Int32Array(INITIAL_SLOTS);
  private mask = INITIAL_SLOTS - 1;

  get size(): number {
    return this.words.length;
  }

  /** The id of a word, adding it when new; ids never change once given. */
  intern(word: string): number {
    const hash = hashToken(word);
    const known = this.find(word, hash);
    if (known !== UNKNOWN_TOKEN) return known;
    const id = this.words.length;
    this.words.push(word);
    if (this.words.length * 2 > this.mask + 1) this.grow();
    else this.place(id, hash);
    return id;
  }

  /** The id of a normalised token whose hashToken is `hash`, or UNKNOWN_TOKEN. */
  find(norm: string, hash: number): number {
    const key = hash | 0;
    const { slotId, slotHash, mask } = this;
    for (let slot = key & mask; ; slot = (slot + 1) & mask) {
      const stored = slotId[slot] ?? 0;
      if (stored === 0) return UNKNOWN_TOKEN;
      if (slotHash[slot] === key && this.words[stored - 1] === norm) return stored - 1;
    }
  }

  private place(id: number, hash: number): void {
    const key = hash | 0;
    let slot = key & this.mask;
    while ((this.slotId[slot] ?? 0) !== 0) slot = (slot + 1) & this.mask;
    this.slotId[slot] = id + 1;
    this.slotHash[slot] = key;
  }

  private grow(): void {
    const slots = (this.mask + 1) * 2;
    this.slotId = new Int32Array(slots);
    this.slotHash = new Int32Array(slots);
    this.mask = slots - 1;
    this.words.forEach((word, id) => this.place(id, hashToken(word)));
  }
}

const lexicon = new Lexicon();

export function internWord(word: string): number {
  return lexicon.intern(word);
}

/** Words known so far: a per-id table sized now covers every id handed out before. */
export function lexiconSize(): number {
  return lexicon.size;
}

/** The id of one normalised word, UNKNOWN_TOKEN when no vocabulary has it. */
export function findWord(word: string): number {
  return lexicon.find(word, hashToken(word));
}

/** Token ids of a stream; a stream that carries them (see withTokenIds) is not looked up again. */
export function tokenIdsOf(stream: TokenStream): Int32Array {
  if (stream.ids !== undefined) return stream.ids;
  const { norms, hashes } = stream;
  const ids = new Int32Array(norms.length);
  for (let i = 0; i < norms.length; i++) {
    const norm = norms[i] ?? '';
    ids[i] = lexicon.find(norm, hashes?.[i] ?? hashToken(norm));
  }
  return ids;
}

/**
 * The stream with its ids attached, for sharing between the stages of one classification. Call it only after
 * every vocabulary the stages use is loaded: a word interned later would be missing from these ids.
 */
export function withTokenIds(stream: TokenStream): TokenStream {
  const { source, norms, starts, ends, hashes } = stream;
  const ids = tokenIdsOf(stream);
  return hashes === undefined ? { source, norms, starts, ends, ids } : { source, norms, starts, ends, hashes, ids };
}
