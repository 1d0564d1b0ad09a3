// A compact snapshot of a live match index (compacted to one segment), so that a new matcher container loads in
// seconds what took a table scan and a full build: the built arrays themselves, not the subscriptions. Layout:
//   "NAMIDX1\n" | uint32 LE header length | header JSON (utf-8) | zero padding to 8 | typed arrays, each 8-aligned
// The header names every array (type, byte offset, length) and holds the string tables (ids, profile definitions,
// terms, posting keys). Decoding makes views on the bytes, no copies; only profiles evaluated in full are compiled.
import { assembleMatchIndex, definitionFields, type IndexDimension, type MatchIndex, type MatchIndexOptions, type MatchIndexParts } from './match-index.js';
import { compactLiveIndex, createLiveMatchIndex, type LiveMatchIndex } from './live-match-index.js';
import { compileSubscription, type CompiledSubscription } from './matching.js';
import { topicParentOf } from './topic-tree.js';

const MAGIC = 'NAMIDX1\n';

/** What the snapshot's writer says about it; read back as is. */
export interface SnapshotMeta {
  /** When it was written (ISO). */
  createdAt: string;
  /** The change-log version it includes everything up to (the live index's cursor). */
  cursor: number;
  /** The shard layout it was built for (snapshotKeyOf). */
  shardKey: string;
}

type ArrayKind = 'u8' | 'u32' | 'i32' | 'f64';
type AnyArray = Uint8Array | Uint32Array | Int32Array | Float64Array;
interface ArrayRef {
  kind: ArrayKind;
  offset: number;
  length: number;
}

const CONSTRUCTORS = { u8: Uint8Array, u32: Uint32Array, i32: Int32Array, f64: Float64Array } as const;
const kindOf = (array: AnyArray): ArrayKind =>
  array instanceof Uint8Array ? 'u8' : array instanceof Uint32Array ? 'u32' : array instanceof Int32Array ? 'i32' : 'f64';

interface Header {
  meta: SnapshotMeta;
  absent: [string, number][];
  stats: MatchIndex['stats'];
  reasonCount: number;
  deepest: number;
  hasPhraseTerms: boolean;
  ids: readonly string[];
  definitions: readonly string[];
  termText: readonly string[];
  /** Term keys in id order. */
  terms: string[];
  languageBits: [string, number][];
  /** Per dimension: its values, in the order of the lengths array `postings:<dimension>:lengths`. */
  postingKeys: Partial<Record<IndexDimension, string[]>>;
  arrays: Record<string, ArrayRef>;
}

const ARRAY_FIELDS = [
  'form', 'termStart', 'termRef', 'termReason', 'codeStart', 'code', 'languageMask', 'anySnoozed', 'offsets', 'snoozedUntil', 'versions', 'storyUpdates',
  'idOrder', 'always',
] as const satisfies readonly (keyof MatchIndex)[];

/** The snapshot of a live index: compacted to one segment first when it has deltas. */
export function encodeSnapshot(live: LiveMatchIndex, meta: Omit<SnapshotMeta, 'cursor'>): Uint8Array {
  const only = live.segments[0] as MatchIndex;
  // Removed slots are not worth storing: a snapshot is what a new container starts from.
  const compact = live.segments.length === 1 && only.alive === only.ids.length ? live : compactLiveIndex(live);
  const index = compact.segments[0] as MatchIndex;
  const arrays: [string, AnyArray][] = ARRAY_FIELDS.map((field) => [field, index[field]]);
  const postingKeys: Header['postingKeys'] = {};
  for (const [dimension, byValue] of index.postings) {
    const values = [...byValue.keys()];
    postingKeys[dimension] = values;
    const lengths = Int32Array.from(values, (value) => (byValue.get(value) as Int32Array).length);
    const lists = new Int32Array(lengths.reduce((sum, n) => sum + n, 0));
    let at = 0;
    for (const value of values) {
      const list = byValue.get(value) as Int32Array;
      lists.set(list, at);
      at += list.length;
    }
    arrays.push([`postings:${dimension}:lengths`, lengths], [`postings:${dimension}:lists`, lists]);
  }
  let offset = 0;
  const refs: Record<string, ArrayRef> = {};
  for (const [name, array] of arrays) {
    refs[name] = { kind: kindOf(array), offset, length: array.length };
    offset += Math.ceil(array.byteLength / 8) * 8;
  }
  const header: Header = {
    meta: { ...meta, cursor: compact.cursor },
    absent: [...compact.absent],
    stats: index.stats,
    reasonCount: index.oneTermReasons.length,
    deepest: index.stack.length,
    hasPhraseTerms: index.hasPhraseTerms,
    ids: index.ids,
    definitions: index.definitions,
    termText: index.termText,
    terms: [...index.termIds.keys()],
    languageBits: [...index.languageBits],
    postingKeys,
    arrays: refs,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = Math.ceil((MAGIC.length + 4 + headerBytes.length) / 8) * 8;
  const bytes = new Uint8Array(dataStart + offset);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(MAGIC.length, headerBytes.length, true);
  bytes.set(headerBytes, MAGIC.length + 4);
  for (const [name, array] of arrays) {
    const ref = refs[name] as ArrayRef;
    bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), dataStart + ref.offset);
  }
  return bytes;
}

export class SnapshotFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotFormatError';
  }
}

/** Reads only the header: what the snapshot is, without decoding it. */
export function readSnapshotMeta(bytes: Uint8Array): SnapshotMeta {
  return readHeader(bytes).header.meta;
}

function readHeader(bytes: Uint8Array): { header: Header; dataStart: number } {
  if (bytes.length < MAGIC.length + 4 || new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) {
    throw new SnapshotFormatError('not a match index snapshot');
  }
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC.length, true);
  if (MAGIC.length + 4 + headerLength > bytes.length) throw new SnapshotFormatError('truncated match index snapshot');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, MAGIC.length + 4 + headerLength))) as Header;
  return { header, dataStart: Math.ceil((MAGIC.length + 4 + headerLength) / 8) * 8 };
}

/** The live index a snapshot holds (one segment). The bytes are used in place: do not reuse them. */
export function decodeSnapshot(input: Uint8Array, options: MatchIndexOptions = {}): { live: LiveMatchIndex; meta: SnapshotMeta } {
  // Typed-array views need their element alignment; a buffer shared with others (a Node pool) may not give it.
  const bytes = input.byteOffset % 8 === 0 ? input : input.slice();
  const { header, dataStart } = readHeader(bytes);
  const view = (name: string): AnyArray => {
    const ref = header.arrays[name];
    if (ref === undefined) throw new SnapshotFormatError(`snapshot lacks ${name}`);
    const start = bytes.byteOffset + dataStart + ref.offset;
    if (dataStart + ref.offset + ref.length * CONSTRUCTORS[ref.kind].BYTES_PER_ELEMENT > bytes.length) throw new SnapshotFormatError(`truncated at ${name}`);
    return new CONSTRUCTORS[ref.kind](bytes.buffer as ArrayBuffer, start, ref.length);
  };
  const postings = new Map<IndexDimension, Map<string, Int32Array>>();
  for (const [dimension, values] of Object.entries(header.postingKeys) as [IndexDimension, string[]][]) {
    const lengths = view(`postings:${dimension}:lengths`) as Int32Array;
    const lists = view(`postings:${dimension}:lists`) as Int32Array;
    const byValue = new Map<string, Int32Array>();
    let at = 0;
    values.forEach((value, i) => {
      const length = lengths[i] as number;
      byValue.set(value, lists.subarray(at, at + length));
      at += length;
    });
    postings.set(dimension, byValue);
  }
  const form = view('form') as Uint8Array;
  // Only profiles evaluated in full (form 0) need their compiled form; the others are checked from flat arrays.
  const profiles: (CompiledSubscription | undefined)[] = header.definitions.map((definition, p) =>
    form[p] === 0 ? compileSubscription(definitionFields(definition)) : undefined,
  );
  const arrays = Object.fromEntries(ARRAY_FIELDS.map((field) => [field, view(field)])) as Pick<MatchIndex, (typeof ARRAY_FIELDS)[number]>;
  const parts: MatchIndexParts = {
    ...arrays,
    stats: header.stats,
    profiles,
    termIds: new Map(header.terms.map((term, id) => [term, id])),
    hasPhraseTerms: header.hasPhraseTerms,
    termText: header.termText,
    languageBits: new Map(header.languageBits),
    ids: header.ids,
    definitions: header.definitions,
    postings,
    parentOf: options.parentOf ?? topicParentOf,
    reasonCount: header.reasonCount,
    deepest: header.deepest,
  };
  const live = createLiveMatchIndex(assembleMatchIndex(parts), { absent: new Map(header.absent), cursor: header.meta.cursor }, options);
  return { live, meta: header.meta };
}
