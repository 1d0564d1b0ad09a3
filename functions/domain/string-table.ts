// Many short strings held as one: a match index at a million subscriptions has a million ids, hundreds of thousands
// of profile definitions and terms, and as separate strings (or one JSON array in a snapshot) each costs a heap
// object, and loading a snapshot cost a parse and an allocation apiece. A StringTable is one string plus the end of
// each entry in it; an entry becomes a string of its own only when read. A snapshot stores a table as its UTF-8
// bytes, decoded in one call on first read (a new container decodes what it reads, when it first needs it: a
// matcher may never read its profile definitions). A StringIndex finds an entry by value (an open-addressing hash over the
// table, stored with it), so lookups need no Map built at load either.
//
// Reading an entry makes a slice of the one string (V8 shares the characters), so a table costs its characters
// and four bytes of end offset per entry.

import { fnv1aRange } from './hash.js';

/** FNV-1a over the UTF-16 code units of text[from .. to). Part of the snapshot format: do not change it. */
export const hashRange = (text: string, from: number, to: number): number => fnv1aRange(text, from, to);

export const hashString = (value: string): number => hashRange(value, 0, value.length);

export class StringTable {
  /** The entries one after another: entry i is text[ends[i - 1] .. ends[i]) (from 0 for the first). */
  private text: string | undefined;
  private encoded: { utf8: Uint8Array; json: boolean } | undefined;
  readonly ends: Int32Array;

  private constructor(text: string | undefined, encoded: StringTable['encoded'], ends: Int32Array) {
    this.text = text;
    this.encoded = encoded;
    this.ends = ends;
    if (text !== undefined) checkEnds(text, ends);
  }

  static of(values: readonly string[]): StringTable {
    const ends = new Int32Array(values.length);
    let at = 0;
    values.forEach((value, i) => (ends[i] = at += value.length));
    return new StringTable(values.join(''), undefined, ends);
  }

  /**
   * A table over the UTF-8 of its text (or of the JSON of its text) and the end of each entry in it (UTF-16 code
   * units, ascending), e.g. from a snapshot: decoded on first read. The bytes are kept until then.
   */
  static fromUtf8(utf8: Uint8Array, ends: Int32Array, json = false): StringTable {
    let previous = 0;
    for (const end of ends) {
      if (end < previous) throw new RangeError('string table ends go backwards');
      previous = end;
    }
    return new StringTable(undefined, { utf8, json }, ends);
  }

  get length(): number {
    return this.ends.length;
  }

  /** All entries as one string (what a snapshot stores, with ends). */
  whole(): string {
    if (this.text === undefined) {
      const { utf8, json } = this.encoded as NonNullable<StringTable['encoded']>;
      const decoded = new TextDecoder().decode(utf8);
      const text = json ? (JSON.parse(decoded) as unknown) : decoded;
      if (typeof text !== 'string') throw new RangeError('string table text is not a string');
      checkEnds(text, this.ends);
      this.text = text;
      this.encoded = undefined;
    }
    return this.text;
  }

  private start(i: number): number {
    return i === 0 ? 0 : (this.ends[i - 1] as number);
  }

  get(i: number): string {
    return this.whole().slice(this.start(i), this.ends[i]);
  }

  /** Whether entry i is `value`, without making a string of it. */
  equals(i: number, value: string): boolean {
    const from = this.start(i);
    return (this.ends[i] as number) - from === value.length && this.whole().startsWith(value, from);
  }

  /** Entry i against `value` in the order of `<` on strings (code units): negative, 0 or positive. */
  compare(i: number, value: string): number {
    const text = this.whole();
    const from = this.start(i);
    const length = (this.ends[i] as number) - from;
    const common = Math.min(length, value.length);
    for (let k = 0; k < common; k++) {
      const diff = text.charCodeAt(from + k) - value.charCodeAt(k);
      if (diff !== 0) return diff;
    }
    return length - value.length;
  }

  hash(i: number): number {
    return hashRange(this.whole(), this.start(i), this.ends[i] as number);
  }

  toArray(): string[] {
    return Array.from({ length: this.length }, (_, i) => this.get(i));
  }
}

function checkEnds(text: string, ends: Int32Array): void {
  const last = ends.length === 0 ? 0 : (ends[ends.length - 1] as number);
  // Damaged, or written by other code: fail on first read rather than hand out wrong strings.
  if (last !== text.length) throw new RangeError(`string table holds ${text.length} code units, its ends say ${last}`);
}

/** Finds the entries of a table of distinct strings by value. */
export class StringIndex {
  readonly table: StringTable;
  /** Open addressing, linear probing, a power of two long: entry + 1, or 0 for an empty slot. */
  readonly slots: Int32Array;

  constructor(table: StringTable, slots: Int32Array) {
    if (slots.length === 0 || (slots.length & (slots.length - 1)) !== 0 || slots.length <= table.length) {
      throw new RangeError('a string index needs a power-of-two slot count above its entry count');
    }
    // Slots from a snapshot: an entry out of range or no empty slot (find would never end) means a damaged one.
    let empty = 0;
    for (const slot of slots) {
      if (slot === 0) empty++;
      else if (slot < 0 || slot > table.length) throw new RangeError('a string index slot names no entry');
    }
    if (empty === 0) throw new RangeError('a string index without an empty slot');
    this.table = table;
    this.slots = slots;
  }

  static of(values: readonly string[]): StringIndex {
    return StringIndex.over(StringTable.of(values));
  }

  /** Indexes a table (its entries must be distinct), at most half full. */
  static over(table: StringTable): StringIndex {
    let size = 2;
    while (size < table.length * 2) size *= 2;
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let i = 0; i < table.length; i++) {
      let at = table.hash(i) & mask;
      while (slots[at] !== 0) at = (at + 1) & mask;
      slots[at] = i + 1;
    }
    return new StringIndex(table, slots);
  }

  get size(): number {
    return this.table.length;
  }

  /** The entry holding `value`, or -1. */
  find(value: string): number {
    const { slots, table } = this;
    const mask = slots.length - 1;
    for (let at = hashString(value) & mask; ; at = (at + 1) & mask) {
      const entry = (slots[at] as number) - 1;
      if (entry < 0) return -1;
      if (table.equals(entry, value)) return entry;
    }
  }
}
