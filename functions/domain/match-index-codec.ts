// A compact snapshot of a live match index (compacted to one segment), so that a new matcher container loads in
// seconds what took a table scan and a full build: the built arrays themselves, not the subscriptions. Layout:
//   "NAMIDX" | format version, decimal | "\n" | uint32 LE header length | header JSON (utf-8) | zero padding to 8 |
//   sections, each 8-aligned
// The header is small: the snapshot's meta, the index's scalars and where each section is (type, byte offset,
// length). Every array of the index is a section, read as a typed-array view on the bytes (no copy), and so is
// every string table (ids, profile definitions, terms, posting keys, absent ids): its UTF-8 bytes, decoded in one
// call on first read, plus its entries' ends, and, for the tables looked up by value, the slots of their hash (string-table.ts).
// Loading creates no object per subscription or per profile: profiles evaluated in full are compiled on first need.
//
// Version 1 held the string tables in the JSON header (a parse and a string per id: 45 s at a million
// subscriptions under load). A reader refuses any version but its own with a SnapshotFormatError; the matcher then
// reads the change log from the start and the snapshot job writes the snapshot anew in this version.
import { assembleMatchIndex, type IndexDimension, type MatchIndex, type MatchIndexOptions, type MatchIndexParts, type PostingLists } from './match-index.js';
import { compactLiveIndex, createLiveMatchIndex, type LiveMatchIndex } from './live-match-index.js';
import { StringIndex, StringTable } from './string-table.js';
import { topicParentOf } from './topic-tree.js';

const MAGIC = 'NAMIDX';
export const SNAPSHOT_FORMAT_VERSION = 2;

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
  stats: MatchIndex['stats'];
  reasonCount: number;
  deepest: number;
  hasPhraseTerms: boolean;
  languageBits: [string, number][];
  dimensions: IndexDimension[];
  /**
   * How each string table's text section is written: UTF-8, or (a table holding a lone surrogate, which UTF-8
   * cannot carry) the UTF-8 of its JSON.
   */
  strings: Record<string, 'utf8' | 'json'>;
  sections: Record<string, ArrayRef>;
}

const ARRAY_FIELDS = [
  'form', 'termStart', 'termRef', 'termReason', 'codeStart', 'code', 'languageMask', 'anySnoozed', 'offsets', 'snoozedUntil', 'versions', 'storyUpdates',
  'idOrder', 'always',
] as const satisfies readonly (keyof MatchIndex)[];

// Lone surrogates: a code point that is a surrogate only matches unpaired ones under the u flag.
const LONE_SURROGATE = /\p{Cs}/u;

class SnapshotWriter {
  readonly sections: [string, AnyArray][] = [];
  readonly strings: Header['strings'] = {};

  array(name: string, array: AnyArray): void {
    this.sections.push([name, array]);
  }

  table(name: string, table: StringTable): void {
    const text = table.whole();
    const json = LONE_SURROGATE.test(text);
    this.strings[name] = json ? 'json' : 'utf8';
    this.array(`${name}:text`, new TextEncoder().encode(json ? JSON.stringify(text) : text));
    this.array(`${name}:ends`, table.ends);
  }

  index(name: string, index: StringIndex): void {
    this.table(name, index.table);
    this.array(`${name}:slots`, index.slots);
  }
}

/** The snapshot of a live index: compacted to one segment first when it has deltas. */
export function encodeSnapshot(live: LiveMatchIndex, meta: Omit<SnapshotMeta, 'cursor'>): Uint8Array {
  const only = live.segments[0] as MatchIndex;
  // Removed slots are not worth storing: a snapshot is what a new container starts from.
  const compact = live.segments.length === 1 && only.alive === only.ids.length ? live : compactLiveIndex(live);
  const index = compact.segments[0] as MatchIndex;
  const writer = new SnapshotWriter();
  for (const field of ARRAY_FIELDS) writer.array(field, index[field]);
  writer.table('ids', index.ids);
  writer.table('definitions', index.definitions);
  writer.table('termText', index.termText);
  writer.index('terms', index.termIds);
  const dimensions = [...index.postings.keys()];
  for (const dimension of dimensions) {
    const lists = index.postings.get(dimension) as PostingLists;
    writer.index(`postings:${dimension}:keys`, lists.keys);
    writer.array(`postings:${dimension}:starts`, lists.starts);
    writer.array(`postings:${dimension}:profiles`, lists.profiles);
  }
  writer.table('absent:ids', StringTable.of([...compact.absent.keys()]));
  writer.array('absent:versions', Float64Array.from(compact.absent.values()));

  let offset = 0;
  const sections: Record<string, ArrayRef> = {};
  for (const [name, array] of writer.sections) {
    sections[name] = { kind: kindOf(array), offset, length: array.length };
    offset += Math.ceil(array.byteLength / 8) * 8;
  }
  const header: Header = {
    meta: { ...meta, cursor: compact.cursor },
    stats: index.stats,
    reasonCount: index.oneTermReasons.length,
    deepest: index.stack.length,
    hasPhraseTerms: index.hasPhraseTerms,
    languageBits: [...index.languageBits],
    dimensions,
    strings: writer.strings,
    sections,
  };
  const prefix = new TextEncoder().encode(`${MAGIC}${SNAPSHOT_FORMAT_VERSION}\n`);
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = Math.ceil((prefix.length + 4 + headerBytes.length) / 8) * 8;
  const bytes = new Uint8Array(dataStart + offset);
  bytes.set(prefix, 0);
  new DataView(bytes.buffer).setUint32(prefix.length, headerBytes.length, true);
  bytes.set(headerBytes, prefix.length + 4);
  for (const [name, array] of writer.sections) {
    const ref = sections[name] as ArrayRef;
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

/** The format version a snapshot says it is in ("NAMIDX<version>\n"), and where its header length is. */
function readVersion(bytes: Uint8Array): { version: number; at: number } {
  const head = new TextDecoder().decode(bytes.subarray(0, 16));
  const found = /^NAMIDX(\d{1,6})\n/.exec(head);
  if (found === null) throw new SnapshotFormatError('not a match index snapshot');
  return { version: Number(found[1]), at: found[0].length };
}

function readHeader(bytes: Uint8Array): { header: Header; dataStart: number } {
  const { version, at } = readVersion(bytes);
  if (version !== SNAPSHOT_FORMAT_VERSION) {
    throw new SnapshotFormatError(
      `match index snapshot in format version ${version}; this reader reads version ${SNAPSHOT_FORMAT_VERSION} only (the snapshot job writes it anew)`,
    );
  }
  if (bytes.length < at + 4) throw new SnapshotFormatError('truncated match index snapshot');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(at, true);
  if (at + 4 + headerLength > bytes.length) throw new SnapshotFormatError('truncated match index snapshot');
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(at + 4, at + 4 + headerLength))) as Header;
  } catch {
    throw new SnapshotFormatError('match index snapshot header is not JSON');
  }
  return { header, dataStart: Math.ceil((at + 4 + headerLength) / 8) * 8 };
}

class SnapshotReader {
  constructor(
    private readonly bytes: Uint8Array,
    private readonly header: Header,
    private readonly dataStart: number,
  ) {}

  array(name: string): AnyArray {
    const ref = this.header.sections[name];
    if (ref === undefined) throw new SnapshotFormatError(`snapshot lacks ${name}`);
    const start = this.dataStart + ref.offset;
    if (start + ref.length * CONSTRUCTORS[ref.kind].BYTES_PER_ELEMENT > this.bytes.length) throw new SnapshotFormatError(`truncated at ${name}`);
    return new CONSTRUCTORS[ref.kind](this.bytes.buffer as ArrayBuffer, this.bytes.byteOffset + start, ref.length);
  }

  typed<T extends AnyArray>(name: string, type: { prototype: T; name: string }): T {
    const array = this.array(name);
    if (!(array instanceof (type as unknown as new () => T))) throw new SnapshotFormatError(`${name} is not a ${type.name}`);
    return array;
  }

  table(name: string): StringTable {
    const utf8 = this.typed(`${name}:text`, Uint8Array);
    try {
      return StringTable.fromUtf8(utf8, this.typed(`${name}:ends`, Int32Array), this.header.strings[name] === 'json');
    } catch (error) {
      throw new SnapshotFormatError(`damaged string table ${name}: ${(error as Error).message}`);
    }
  }

  index(name: string): StringIndex {
    const table = this.table(name);
    try {
      return new StringIndex(table, this.typed(`${name}:slots`, Int32Array));
    } catch (error) {
      throw new SnapshotFormatError(`damaged string index ${name}: ${(error as Error).message}`);
    }
  }
}

/** The live index a snapshot holds (one segment). The bytes are used in place: do not reuse them. */
export function decodeSnapshot(input: Uint8Array, options: MatchIndexOptions = {}): { live: LiveMatchIndex; meta: SnapshotMeta } {
  // Typed-array views need their element alignment; a buffer shared with others (a Node pool) may not give it.
  const bytes = input.byteOffset % 8 === 0 ? input : input.slice();
  const { header, dataStart } = readHeader(bytes);
  const read = new SnapshotReader(bytes, header, dataStart);
  const postings = new Map<IndexDimension, PostingLists>();
  for (const dimension of header.dimensions) {
    postings.set(dimension, {
      keys: read.index(`postings:${dimension}:keys`),
      starts: read.typed(`postings:${dimension}:starts`, Int32Array),
      profiles: read.typed(`postings:${dimension}:profiles`, Int32Array),
    });
  }
  const arrays = Object.fromEntries(ARRAY_FIELDS.map((field) => [field, read.array(field)])) as Pick<MatchIndex, (typeof ARRAY_FIELDS)[number]>;
  const profileCount = arrays.form.length;
  // Compiled on first need (compiledProfile): a packed array, not a sparse one, which V8 would keep as a dictionary.
  const profiles: MatchIndex['profiles'] = [];
  for (let p = 0; p < profileCount; p++) profiles.push(undefined);
  const parts: MatchIndexParts = {
    ...arrays,
    stats: header.stats,
    profiles,
    termIds: read.index('terms'),
    hasPhraseTerms: header.hasPhraseTerms,
    termText: read.table('termText'),
    languageBits: new Map(header.languageBits),
    ids: read.table('ids'),
    definitions: read.table('definitions'),
    postings,
    parentOf: options.parentOf ?? topicParentOf,
    reasonCount: header.reasonCount,
    deepest: header.deepest,
  };
  if (parts.definitions.length !== profileCount || parts.ids.length !== arrays.snoozedUntil.length) throw new SnapshotFormatError('snapshot tables disagree in length');
  const absentIds = read.table('absent:ids');
  const absentVersions = read.typed('absent:versions', Float64Array);
  const absent = new Map<string, number>();
  for (let i = 0; i < absentIds.length; i++) absent.set(absentIds.get(i), absentVersions[i] as number);
  const live = createLiveMatchIndex(assembleMatchIndex(parts), { absent, cursor: header.meta.cursor }, options);
  return { live, meta: header.meta };
}
