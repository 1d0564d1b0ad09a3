// Reads a fastText supervised model (.bin/.ftz, format version 12) from the raw bytes of its file into the arrays
// predictLabels (fasttext.ts) runs on: header, dictionary, pruned n-gram buckets, dense or product-quantized matrices,
// and the hierarchical-softmax tree, laid out as the reference C++ (dictionary.cc, quantmatrix.cc,
// productquantizer.cc, loss.cc of facebookresearch/fastText) writes and rebuilds them. Pure and synchronous: no I/O.

export class FastTextFormatError extends Error {
  constructor(message: string) {
    super(`fastText model: ${message}`);
    this.name = 'FastTextFormatError';
  }
}

const MAGIC = 793712314;
const VERSION = 12;
export const LOSS_HS = 1;
const LOSS_SOFTMAX = 3;
const MODEL_SUPERVISED = 3;
/** Centroids per sub-quantizer. */
export const KSUB = 256;
export const EOS = '</s>';
export const LABEL_PREFIX = '__label__';

/** One product quantizer (productquantizer.cc): nsubq sub-vectors of dsub floats, 256 centroids each. */
export interface ProductQuantizer {
  dim: number;
  nsubq: number;
  dsub: number;
  lastdsub: number;
  centroids: Float32Array;
}

/** A matrix of rows: dense floats, or product-quantized codes with an optional quantized norm per row. */
export interface Matrix {
  rows: number;
  dim: number;
  dense?: Float32Array;
  codes?: Uint8Array;
  pq?: ProductQuantizer;
  normCodes?: Uint8Array;
  normPq?: ProductQuantizer;
}

interface TreeNode {
  left: number;
  right: number;
}

export interface FastTextModel {
  readonly dim: number;
  readonly minn: number;
  readonly maxn: number;
  readonly bucket: number;
  readonly wordNgrams: number;
  readonly nwords: number;
  /** Labels without the "__label__" prefix, in the model's order. */
  readonly labels: readonly string[];
  readonly words: ReadonlyMap<string, number>;
  /** bucket index -> input row, for models pruned by quantisation (pruneidx); undefined when not pruned. */
  readonly prune: PruneTable | undefined;
  readonly input: Matrix;
  readonly output: Matrix;
  readonly loss: number;
  /** Hierarchical softmax tree (loss hs): 2 * labels - 1 nodes, leaves first. */
  readonly tree: readonly TreeNode[];
  /** Input rows dequantized on first use (dim floats each), and which of them are filled. */
  readonly rowCache: Float32Array;
  readonly rowReady: Uint8Array;
  /** Input rows of recently seen tokens: news repeats its words, and hashing their n-grams is most of the work. */
  readonly tokenRows: Map<string, Int32Array>;
}

/**
 * pruneidx as a direct table, bucket -> row + 1 (0: pruned away). lid.176 keeps 42,765 of its 2,000,000 buckets;
 * 16 bits a bucket (4 MB, zero pages until written) is cheaper than building any hash table on a cold start.
 */
type PruneTable = Uint16Array | Int32Array;

class Reader {
  private offset = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(count: number): void {
    if (this.offset + count > this.bytes.byteLength) throw new FastTextFormatError(`truncated at byte ${this.offset}`);
  }

  int32(): number {
    this.need(4);
    const value = this.view.getInt32(this.offset, true);
    this.offset += 4;
    return value;
  }

  /** A non-negative int64 below 2^53 (counts and sizes), read without BigInt: this runs once per word. */
  int64(): number {
    this.need(8);
    const low = this.view.getUint32(this.offset, true);
    const high = this.view.getUint32(this.offset + 4, true);
    this.offset += 8;
    if (high > 0x1fffff) throw new FastTextFormatError('64-bit count out of range');
    return high * 0x100000000 + low;
  }

  get position(): number {
    return this.offset;
  }

  skip(count: number): void {
    this.need(count);
    this.offset += count;
  }

  float64(): number {
    this.need(8);
    const value = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return value;
  }

  bool(): boolean {
    this.need(1);
    return this.bytes[this.offset++] !== 0;
  }

  /** A NUL-terminated byte string, as raw bytes (decoded by the caller). */
  cString(): Uint8Array {
    const start = this.offset;
    const end = this.bytes.indexOf(0, start);
    if (end < 0) throw new FastTextFormatError('unterminated word');
    this.offset = end + 1;
    return this.bytes.subarray(start, end);
  }

  /** A view of the next `count` bytes (no copy). */
  view8(count: number): Uint8Array {
    this.need(count);
    const out = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return out;
  }

  float32s(count: number): Float32Array {
    this.need(count * 4);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = this.view.getFloat32(this.offset + i * 4, true);
    this.offset += count * 4;
    return out;
  }
}

function readPq(reader: Reader): ProductQuantizer {
  const dim = reader.int32();
  const nsubq = reader.int32();
  const dsub = reader.int32();
  const lastdsub = reader.int32();
  if (dim <= 0 || nsubq <= 0 || dsub <= 0 || dim > 4096) throw new FastTextFormatError('bad product quantizer');
  return { dim, nsubq, dsub, lastdsub, centroids: reader.float32s(dim * KSUB) };
}

function readMatrix(reader: Reader, quantized: boolean): Matrix {
  if (!quantized) {
    const rows = reader.int64();
    const dim = reader.int64();
    return { rows, dim, dense: reader.float32s(rows * dim) };
  }
  const qnorm = reader.bool();
  const rows = reader.int64();
  const dim = reader.int64();
  const codeSize = reader.int32();
  const codes = reader.view8(codeSize);
  const pq = readPq(reader);
  if (codeSize !== rows * pq.nsubq) throw new FastTextFormatError('code size does not match the matrix');
  if (!qnorm) return { rows, dim, codes, pq };
  const normCodes = reader.view8(rows);
  return { rows, dim, codes, pq, normCodes, normPq: readPq(reader) };
}

/** The Huffman tree of HierarchicalSoftmaxLoss::buildTree over the label counts (sorted, most frequent first). */
function buildTree(counts: readonly number[]): TreeNode[] {
  const osz = counts.length;
  const size = 2 * osz - 1;
  const tree: TreeNode[] = [];
  const count: number[] = [];
  for (let i = 0; i < size; i++) {
    tree.push({ left: -1, right: -1 });
    count.push(i < osz ? (counts[i] ?? 0) : 1e15);
  }
  let leaf = osz - 1;
  let node = osz;
  for (let i = osz; i < size; i++) {
    const mini = [0, 0];
    for (let j = 0; j < 2; j++) {
      if (leaf >= 0 && (count[leaf] ?? 0) < (count[node] ?? 0)) mini[j] = leaf--;
      else mini[j] = node++;
    }
    const [left = 0, right = 0] = mini;
    tree[i] = { left, right };
    count[i] = (count[left] ?? 0) + (count[right] ?? 0);
  }
  return tree;
}

/**
 * The dictionary: per entry a NUL-terminated word, an int64 count and an int8 type (0 word, 1 label). One tight loop
 * over the bytes, and the words decoded from UTF-8 in one call: this runs before V8 has optimised anything, on the
 * first classify() of a fresh process.
 */
function readDictionary(
  bytes: Uint8Array,
  start: number,
  size: number,
): { words: Map<string, number>; labels: string[]; labelCounts: number[]; end: number } {
  const ends = new Int32Array(size);
  const types = new Uint8Array(size);
  const counts = new Float64Array(size);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = start;
  for (let i = 0; i < size; i++) {
    const nul = bytes.indexOf(0, offset);
    if (nul < 0 || nul + 10 > bytes.byteLength) throw new FastTextFormatError('truncated dictionary');
    ends[i] = nul;
    counts[i] = view.getUint32(nul + 1, true) + view.getUint32(nul + 5, true) * 0x100000000;
    types[i] = bytes[nul + 9] ?? 0;
    offset = nul + 10;
  }
  // Words hold no whitespace, so NUL can become a newline and the whole region decode as one string.
  const text = new Uint8Array(bytes.subarray(start, offset));
  let from = 0;
  for (let i = 0; i < size; i++) {
    const nul = (ends[i] ?? 0) - start;
    text[nul] = 10;
    text.fill(32, nul + 1, nul + 10);
    from = nul + 10;
  }
  const parts = new TextDecoder().decode(text.subarray(0, from)).split('\n');
  const words = new Map<string, number>();
  const labels: string[] = [];
  const labelCounts: number[] = [];
  for (let i = 0; i < size; i++) {
    // Every word but the first follows the nine filler bytes of the previous entry.
    const word = i === 0 ? (parts[0] ?? '') : (parts[i] ?? '').slice(9);
    if (types[i] === 0) words.set(word, i);
    else {
      labels.push(word.startsWith(LABEL_PREFIX) ? word.slice(LABEL_PREFIX.length) : word);
      labelCounts.push(counts[i] ?? 0);
    }
  }
  return { words, labels, labelCounts, end: offset };
}

/** pruneidx: int32 pairs (n-gram bucket, input row) in the file's order. */
function readPruneTable(bytes: Uint8Array, start: number, size: number, bucket: number): PruneTable {
  if (start + size * 8 > bytes.byteLength) throw new FastTextFormatError('truncated prune index');
  // A copy is 4-byte aligned, so it can be read as int32 directly (little-endian, as every Node platform is).
  const pairs = new Int32Array(new Uint8Array(bytes.subarray(start, start + size * 8)).buffer);
  const table = size < 0xffff ? new Uint16Array(bucket) : new Int32Array(bucket);
  for (let i = 0; i < pairs.length; i += 2) {
    const key = pairs[i] ?? -1;
    if (key < 0 || key >= bucket) throw new FastTextFormatError('prune index out of range');
    table[key] = (pairs[i + 1] ?? 0) + 1;
  }
  return table;
}

/** Decodes a fastText supervised model from the bytes of its .bin or .ftz file. */
export function decodeFastTextModel(bytes: Uint8Array): FastTextModel {
  const reader = new Reader(bytes);
  if (reader.int32() !== MAGIC) throw new FastTextFormatError('not a fastText model (bad magic number)');
  const version = reader.int32();
  if (version !== VERSION) throw new FastTextFormatError(`format version ${version} is not supported (need ${VERSION})`);
  const dim = reader.int32();
  reader.int32(); // ws
  reader.int32(); // epoch
  reader.int32(); // minCount
  reader.int32(); // neg
  const wordNgrams = reader.int32();
  const loss = reader.int32();
  const modelKind = reader.int32();
  const bucket = reader.int32();
  const minn = reader.int32();
  const maxn = reader.int32();
  reader.int32(); // lrUpdateRate
  reader.float64(); // t
  if (modelKind !== MODEL_SUPERVISED) throw new FastTextFormatError('only supervised models can predict labels');
  if (loss !== LOSS_HS && loss !== LOSS_SOFTMAX) throw new FastTextFormatError(`loss ${loss} is not supported`);

  const size = reader.int32();
  const nwords = reader.int32();
  const nlabels = reader.int32();
  reader.int64(); // ntokens
  const pruneSize = reader.int64();
  const { words, labels, labelCounts, end } = readDictionary(bytes, reader.position, size);
  if (words.size !== nwords || labels.length !== nlabels) throw new FastTextFormatError('dictionary counts do not match');
  reader.skip(end - reader.position);
  let prune: PruneTable | undefined;
  if (pruneSize >= 0 && bucket > 0) {
    prune = readPruneTable(bytes, reader.position, pruneSize, bucket);
    reader.skip(pruneSize * 8);
  }
  const quantInput = reader.bool();
  const input = readMatrix(reader, quantInput);
  const quantOutput = reader.bool();
  const output = readMatrix(reader, quantInput && quantOutput);
  if (input.dim !== dim || output.dim !== dim) throw new FastTextFormatError('matrix width does not match the model');
  const tree = loss === LOSS_HS ? buildTree(labelCounts) : [];
  return {
    dim, minn, maxn, bucket, wordNgrams, nwords, labels, words, prune, input, output, loss, tree,
    rowCache: new Float32Array(input.rows * dim),
    rowReady: new Uint8Array(input.rows),
    tokenRows: new Map(),
  };
}
