// The learned topic model: one-vs-rest logistic regression over hashed multilingual features (topic-features.ts),
// trained by `npm run train` (scripts/train.ts) and shipped as the data file topic-model.bin beside the code. Each
// class's margin passes through its own Platt calibration, fitted on held-out predictions, so 0.8 means "right about
// four times in five" on held-out data. Pure: the bytes are handed in by an adapter.
import { FEATURE_BUCKETS, FEATURE_VERSION } from './topic-features.js';
import type { FeatureVector } from './topic-features.js';

const MAGIC = 'NATM';

/** The JSON header of topic-model.bin. */
export interface TopicModelHeader {
  version: string;
  featureVersion: string;
  buckets: number;
  /** IPTC codes: the top-level ones, then finer codes learned from corpus labels. */
  classes: string[];
  /** Per class: the top-level parent of a finer code, null for a top-level code. */
  parents: (string | null)[];
  labels: Record<string, string>;
  bias: number[];
  /** Per class: an int8 weight w means w * scale[class]. */
  scale: number[];
  /** Per class: Platt scaling [a, b], p = sigmoid(a * margin + b). */
  calibration: [number, number][];
  training: Record<string, unknown>;
}

export interface TopicModel {
  readonly version: string;
  readonly classes: readonly string[];
  /** Per class: index of its top-level parent, -1 for a top-level class. */
  readonly parentIndex: Int32Array;
  readonly labels: Readonly<Record<string, string>>;
  readonly bias: Float64Array;
  /** CSR over buckets: entries offsets[b]..offsets[b+1] hold (class, weight) pairs for bucket b. */
  readonly offsets: Uint32Array;
  readonly entryClass: Uint8Array;
  readonly entryWeight: Float32Array;
  readonly calibrationA: Float64Array;
  readonly calibrationB: Float64Array;
  readonly training: Readonly<Record<string, unknown>>;
}

export class TopicModelFormatError extends Error {
  override readonly name = 'TopicModelFormatError';
}

function writeVarint(out: number[], value: number): void {
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
}

/**
 * The committed form: "NATM", the header's byte length (u32 LE) and the header as JSON, then the row count and the
 * entry count (u32 LE each), the buckets with weights as delta varints (their byte length first), the number of
 * entries of each row (u8), the entries' classes (u8) and their int8 weights.
 */
export function encodeTopicModel(header: TopicModelHeader, entries: readonly { bucket: number; cls: number; q: number }[]): Uint8Array {
  const sorted = [...entries].sort((x, y) => x.bucket - y.bucket || x.cls - y.cls);
  const buckets: number[] = [];
  const counts: number[] = [];
  for (const entry of sorted) {
    if (buckets[buckets.length - 1] === entry.bucket) counts[counts.length - 1] = (counts[counts.length - 1] ?? 0) + 1;
    else {
      buckets.push(entry.bucket);
      counts.push(1);
    }
  }
  const varints: number[] = [];
  let previous = 0;
  for (const bucket of buckets) {
    writeVarint(varints, bucket - previous);
    previous = bucket;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const size = 8 + json.length + 12 + varints.length + counts.length + 2 * sorted.length;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  let at = 0;
  for (const ch of MAGIC) bytes[at++] = ch.charCodeAt(0);
  view.setUint32(at, json.length, true);
  bytes.set(json, (at += 4));
  at += json.length;
  view.setUint32(at, buckets.length, true);
  view.setUint32(at + 4, sorted.length, true);
  view.setUint32(at + 8, varints.length, true);
  bytes.set(varints, (at += 12));
  bytes.set(counts, (at += varints.length));
  at += counts.length;
  sorted.forEach((entry, i) => {
    bytes[at + i] = entry.cls;
    bytes[at + sorted.length + i] = entry.q & 0xff;
  });
  return bytes;
}

/** The header alone, for tools that report what a model file was trained on. */
export function readTopicModelHeader(bytes: Uint8Array): TopicModelHeader {
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== MAGIC) throw new TopicModelFormatError(`not a topic model (magic ${JSON.stringify(magic)})`);
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) as TopicModelHeader;
}

/** Turns the committed bytes into the lookup tables scoring uses. */
export function decodeTopicModel(bytes: Uint8Array): TopicModel {
  const header = readTopicModelHeader(bytes);
  if (header.buckets !== FEATURE_BUCKETS || header.featureVersion !== FEATURE_VERSION) {
    throw new TopicModelFormatError(
      `topic model was fit on features ${header.featureVersion}/${header.buckets}, this code computes ${FEATURE_VERSION}/${FEATURE_BUCKETS}: run npm run train`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8 + view.getUint32(4, true);
  const rows = view.getUint32(at, true);
  const total = view.getUint32(at + 4, true);
  const varintBytes = view.getUint32(at + 8, true);
  at += 12;
  const varints = bytes.subarray(at, at + varintBytes);
  const counts = bytes.subarray(at + varintBytes, at + varintBytes + rows);
  at += varintBytes + rows;
  if (at + 2 * total > bytes.length) throw new TopicModelFormatError('topic model is truncated');
  const entryClass = bytes.subarray(at, at + total);
  const weights = new Int8Array(bytes.buffer, bytes.byteOffset + at + total, total);
  // Plain indexed loops over typed arrays: this runs once per container, inside the first classify().
  const offsets = new Uint32Array(FEATURE_BUCKETS + 1);
  let bucket = 0;
  let value = 0;
  let shift = 0;
  let row = 0;
  for (let k = 0; k < varintBytes; k++) {
    const byte = varints[k] as number;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte >= 0x80) {
      shift += 7;
      continue;
    }
    bucket += value;
    value = 0;
    shift = 0;
    offsets[bucket + 1] = counts[row++] as number;
  }
  let sum = 0;
  for (let b = 1; b <= FEATURE_BUCKETS; b++) {
    sum += offsets[b] as number;
    offsets[b] = sum;
  }
  const scale = Float64Array.from(header.scale);
  const entryWeight = new Float32Array(total);
  for (let i = 0; i < total; i++) entryWeight[i] = (weights[i] as number) * (scale[entryClass[i] as number] as number);
  const index = new Map(header.classes.map((code, i) => [code, i]));
  return {
    version: header.version,
    classes: header.classes,
    parentIndex: Int32Array.from(header.parents, (parent) => (parent === null ? -1 : (index.get(parent) ?? -1))),
    labels: header.labels,
    bias: Float64Array.from(header.bias),
    offsets,
    entryClass,
    entryWeight,
    calibrationA: Float64Array.from(header.calibration, ([a]) => a),
    calibrationB: Float64Array.from(header.calibration, ([, b]) => b),
    training: header.training,
  };
}

/** Raw margins (log-odds before calibration), one per class. */
export function scoreMargins(topicModel: TopicModel, features: FeatureVector): Float64Array {
  const margins = Float64Array.from(topicModel.bias);
  const { offsets, entryClass, entryWeight } = topicModel;
  const { ids, values } = features;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] ?? 0;
    const value = values[i] ?? 0;
    const end = offsets[id + 1] ?? 0;
    for (let at = offsets[id] ?? 0; at < end; at++) {
      const cls = entryClass[at] ?? 0;
      margins[cls] = (margins[cls] ?? 0) + (entryWeight[at] ?? 0) * value;
    }
  }
  return margins;
}

/** The calibrated probability of one class from its margin. */
export function calibrate(topicModel: TopicModel, cls: number, margin: number): number {
  return 1 / (1 + Math.exp(-((topicModel.calibrationA[cls] ?? 1) * margin + (topicModel.calibrationB[cls] ?? 0))));
}

/** The weight of one bucket for one class (0 when pruned), for evidence. */
export function weightOf(topicModel: TopicModel, bucket: number, cls: number): number {
  const end = topicModel.offsets[bucket + 1] ?? 0;
  for (let at = topicModel.offsets[bucket] ?? 0; at < end; at++) {
    if (topicModel.entryClass[at] === cls) return topicModel.entryWeight[at] ?? 0;
  }
  return 0;
}
