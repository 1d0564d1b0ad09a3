// The learned topic model: one-vs-rest logistic regression over hashed n-grams (topic-features.ts), trained by
// `npm run train` (scripts/train.ts) and committed as data/topic-model.json. Scores pass through a Platt calibration
// fitted on held-out predictions, so 0.8 means "right about four times in five" on the training distribution.
import modelJson from './data/topic-model.json' with { type: 'json' };
import { FEATURE_BUCKETS } from './topic-features.js';
import type { FeatureVector } from './topic-features.js';

/** The committed form: per class, bucket ids (delta-coded varints) and int8 weights, both base64. */
export interface TopicModelData {
  version: string;
  buckets: number;
  classes: string[];
  bias: number[];
  /** Per class: an int8 weight w means w * scale[class]. */
  scale: number[];
  ids: string[];
  weights: string[];
  /** Platt scaling: p = sigmoid(a * margin + b). */
  calibration: { a: number; b: number };
  /** Second-level codes: parent top-level code -> [code, label, phrases...]. */
  children: Record<string, string[][]>;
  training: Record<string, unknown>;
}

export interface TopicModel {
  readonly version: string;
  readonly classes: readonly string[];
  readonly bias: Float64Array;
  /** CSR over buckets: entries offsets[b]..offsets[b+1] hold (class, weight) pairs for bucket b. */
  readonly offsets: Uint32Array;
  readonly entryClass: Uint8Array;
  readonly entryWeight: Float32Array;
  readonly calibration: { a: number; b: number };
  readonly children: Readonly<Record<string, string[][]>>;
}

function decodeVarints(bytes: Uint8Array): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const byte of bytes) {
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) {
      values.push(value);
      value = 0;
      shift = 0;
    } else shift += 7;
  }
  return values;
}

function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** Turns the committed form into the lookup tables scoring uses; exported for tests with a hand-made model. */
export function decodeTopicModel(data: TopicModelData): TopicModel {
  if (data.buckets !== FEATURE_BUCKETS) throw new Error(`topic model has ${data.buckets} buckets, features use ${FEATURE_BUCKETS}`);
  const perClass = data.classes.map((_, index) => {
    const deltas = decodeVarints(fromBase64(data.ids[index] ?? ''));
    const weights = new Int8Array(fromBase64(data.weights[index] ?? '').buffer);
    let bucket = 0;
    const ids = deltas.map((delta) => (bucket += delta));
    return { ids, weights, scale: data.scale[index] ?? 0 };
  });
  const counts = new Uint32Array(FEATURE_BUCKETS + 1);
  for (const { ids } of perClass) for (const id of ids) counts[id + 1] = (counts[id + 1] ?? 0) + 1;
  for (let i = 1; i <= FEATURE_BUCKETS; i++) counts[i] = (counts[i] ?? 0) + (counts[i - 1] ?? 0);
  const total = counts[FEATURE_BUCKETS] ?? 0;
  const entryClass = new Uint8Array(total);
  const entryWeight = new Float32Array(total);
  const cursor = counts.slice(0, FEATURE_BUCKETS);
  perClass.forEach(({ ids, weights, scale }, cls) => {
    ids.forEach((id, i) => {
      const at = cursor[id] ?? 0;
      cursor[id] = at + 1;
      entryClass[at] = cls;
      entryWeight[at] = (weights[i] ?? 0) * scale;
    });
  });
  return {
    version: data.version,
    classes: data.classes,
    bias: Float64Array.from(data.bias),
    offsets: counts,
    entryClass,
    entryWeight,
    calibration: data.calibration,
    children: data.children,
  };
}

let model: TopicModel | undefined;

/** The committed model, decoded on first use and kept for the life of the process. */
export function loadTopicModel(): TopicModel {
  model ??= decodeTopicModel(modelJson as TopicModelData);
  return model;
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

export function calibrate(topicModel: TopicModel, margin: number): number {
  const { a, b } = topicModel.calibration;
  return 1 / (1 + Math.exp(-(a * margin + b)));
}

/** The weight of one bucket for one class (0 when pruned), for evidence. */
export function weightOf(topicModel: TopicModel, bucket: number, cls: number): number {
  const end = topicModel.offsets[bucket + 1] ?? 0;
  for (let at = topicModel.offsets[bucket] ?? 0; at < end; at++) {
    if (topicModel.entryClass[at] === cls) return topicModel.entryWeight[at] ?? 0;
  }
  return 0;
}
