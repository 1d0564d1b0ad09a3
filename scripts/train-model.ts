// Training of the topic model (library; the CLI is scripts/train.ts, the evaluation scripts/eval.ts): one-vs-rest
// logistic regression over the hashed multilingual features of topic-features.ts, by seeded SGD, so the same data
// gives the same committed bytes.
//
// The corpora have different label sets (SIB-200 has no "conflict", THUCNews no "health"), so an example is a
// certain negative only for the classes its corpus can express; for the others it is a weak negative
// (OUT_OF_SPACE_WEIGHT), and for a finer code under its own top-level class that its corpus does not label it says
// nothing at all.
import { extractFeatures, FEATURE_BUCKETS, FEATURE_VERSION } from '../functions/domain/classification/topic-features.js';
import { tokenize } from '../functions/domain/classification/tokenize.js';
import { encodeTopicModel } from '../functions/domain/classification/topic-model.js';
import type { TopicModelHeader } from '../functions/domain/classification/topic-model.js';
import { SUB_TOPICS, TOP_LEVEL, TOPIC_MAPPING } from './topic-datasets.js';
import type { DatasetName, TopicExample } from './topic-datasets.js';

/** The model's classes: the 17 top-level codes, then the finer codes some corpus labels. */
export const CLASSES: readonly string[] = [...TOP_LEVEL, ...Object.keys(SUB_TOPICS)];
export const CLASS_INDEX = new Map(CLASSES.map((code, index) => [code, index]));
/** Per class, the index of its top-level parent (itself for a top-level class). */
export const PARENT_INDEX: readonly number[] = CLASSES.map((code) => CLASS_INDEX.get(SUB_TOPICS[code]?.parent ?? code) ?? -1);

/** mulberry32: tiny, seedable, the same on every platform. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One training row: sparse features, and per class a target (1/0) and how much this row says about it. */
export interface TrainRow {
  ids: Int32Array;
  values: Float32Array;
  /** Class indices this row is a positive of (a top-level class and perhaps a finer code under it). */
  positives: readonly number[];
  /** Per class: 1 in the corpus's label space, OUT_OF_SPACE_WEIGHT outside, 0 where the row says nothing. */
  classWeights: Float32Array;
  weight: number;
}

export interface TrainOptions {
  epochs: number;
  learningRate: number;
  /** L2 shrinkage applied to the weights a step touches. */
  l2: number;
  /** Weight of a row as a negative of a class its corpus has no label for. */
  outOfSpaceWeight: number;
  seed: number;
}

/** A gradient below this (the row is already right with confidence) leaves the weights alone. */
const SKIP_GRADIENT = 1e-3;

export const DEFAULT_TRAIN: TrainOptions = { epochs: 5, learningRate: 4, l2: 2e-6, outOfSpaceWeight: 0.3, seed: 20261201 };

export function featuresOf(title: string, text: string): { ids: Int32Array; values: Float32Array } {
  const features = extractFeatures(tokenize(title), tokenize(text));
  return { ids: Int32Array.from(features.ids), values: Float32Array.from(features.values) };
}

/** The classes a corpus labels (top-level and finer), from TOPIC_MAPPING. */
export function labelSpace(dataset: DatasetName | 'seed'): Set<number> {
  if (dataset === 'seed') return new Set(TOP_LEVEL.map((code) => CLASS_INDEX.get(code) ?? -1));
  const space = new Set<number>();
  for (const mapping of Object.values(TOPIC_MAPPING[dataset] ?? {})) {
    if (!('top' in mapping)) continue;
    space.add(CLASS_INDEX.get(mapping.top) ?? -1);
    if (mapping.sub !== undefined) space.add(CLASS_INDEX.get(mapping.sub) ?? -1);
  }
  return space;
}

/** The per-class weights of a row of `dataset` whose positives are `positives`. */
export function classWeightsFor(space: ReadonlySet<number>, positives: readonly number[], outOfSpaceWeight: number): Float32Array {
  const weights = new Float32Array(CLASSES.length);
  const tops = new Set(positives.map((cls) => PARENT_INDEX[cls] ?? cls));
  for (let cls = 0; cls < CLASSES.length; cls++) {
    if (space.has(cls)) weights[cls] = 1;
    // A finer code under the row's own topic that its corpus never labels: unknown, neither way.
    else if (cls >= TOP_LEVEL.length && tops.has(PARENT_INDEX[cls] ?? -1)) weights[cls] = 0;
    else weights[cls] = outOfSpaceWeight;
  }
  return weights;
}

/** Training rows from corpus examples (rows whose label is left out are dropped; negatives have no positives). */
export function rowsFromExamples(examples: readonly TopicExample[], options: TrainOptions, weightOf: (example: TopicExample) => number = () => 1): TrainRow[] {
  const spaces = new Map<string, Set<number>>();
  const rows: TrainRow[] = [];
  for (const example of examples) {
    const { mapping } = example;
    if ('skip' in mapping) continue;
    const positives: number[] = [];
    if ('top' in mapping) {
      positives.push(CLASS_INDEX.get(mapping.top) ?? -1);
      if (mapping.sub !== undefined) positives.push(CLASS_INDEX.get(mapping.sub) ?? -1);
    }
    let space = spaces.get(example.dataset);
    if (space === undefined) spaces.set(example.dataset, (space = labelSpace(example.dataset)));
    const classWeights = classWeightsFor(space, positives, options.outOfSpaceWeight);
    if ('top' in mapping) for (const code of mapping.silentOn ?? []) classWeights[CLASS_INDEX.get(code) ?? -1] = 0;
    rows.push({ ...featuresOf(example.title, example.text), positives, classWeights, weight: weightOf(example) });
  }
  return rows;
}

export interface TrainedWeights {
  /** Bucket-major: weights[bucket * classes + cls]. */
  weights: Float32Array;
  bias: Float64Array;
}

/** One-vs-rest logistic regression by SGD over shuffled rows (a seeded shuffle, so runs repeat exactly). */
export function trainOneVsRest(rows: readonly TrainRow[], options: TrainOptions = DEFAULT_TRAIN): TrainedWeights {
  const classes = CLASSES.length;
  const weights = new Float32Array(FEATURE_BUCKETS * classes);
  const bias = new Float64Array(classes);
  const margins = new Float64Array(classes);
  const gradients = new Float64Array(classes);
  const activeClasses = new Int32Array(classes);
  const random = createRandom(options.seed);
  const order = rows.map((_, i) => i);
  const { l2 } = options;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
    }
    const rate = options.learningRate / (1 + epoch * 0.5);
    for (const index of order) {
      const row = rows[index];
      if (row === undefined) continue;
      const { ids, values, classWeights, positives } = row;
      const count = ids.length;
      margins.set(bias);
      for (let k = 0; k < count; k++) {
        const base = (ids[k] as number) * classes;
        const value = values[k] as number;
        for (let cls = 0; cls < classes; cls++) margins[cls] = (margins[cls] as number) + (weights[base + cls] as number) * value;
      }
      // Classes the row already gets right with confidence are not updated: most of them after the first epochs.
      let active = 0;
      for (let cls = 0; cls < classes; cls++) {
        const target = positives.includes(cls) ? 1 : 0;
        const g = (1 / (1 + Math.exp(-(margins[cls] as number))) - target) * (classWeights[cls] as number) * row.weight;
        if (Math.abs(g) < SKIP_GRADIENT) continue;
        activeClasses[active] = cls;
        gradients[active++] = g * rate;
        bias[cls] = (bias[cls] as number) - g * rate * 0.1;
      }
      if (active === 0) continue;
      const shrink = rate * l2;
      for (let k = 0; k < count; k++) {
        const base = (ids[k] as number) * classes;
        const value = values[k] as number;
        for (let a = 0; a < active; a++) {
          const at = base + (activeClasses[a] as number);
          const current = weights[at] as number;
          weights[at] = current - (gradients[a] as number) * value - shrink * current;
        }
      }
    }
  }
  return { weights, bias };
}

/** Margins of one row under trained (uncompacted) weights. */
export function marginsOf(trained: TrainedWeights, ids: Int32Array, values: Float32Array): Float64Array {
  const classes = CLASSES.length;
  const margins = Float64Array.from(trained.bias);
  for (let k = 0; k < ids.length; k++) {
    const base = (ids[k] ?? 0) * classes;
    const value = values[k] ?? 0;
    for (let cls = 0; cls < classes; cls++) margins[cls] = (margins[cls] ?? 0) + (trained.weights[base + cls] ?? 0) * value;
  }
  return margins;
}

export interface Calibration {
  a: number;
  b: number;
}

/** Platt scaling: fits p = sigmoid(a * margin + b) to held-out (margin, outcome) pairs by Newton's method. */
export function fitPlatt(pairs: readonly { margin: number; positive: boolean }[]): Calibration {
  let a = 1;
  let b = 0;
  const positives = pairs.filter((pair) => pair.positive).length;
  // Platt's smoothed targets keep a class seen always right (or never) from an infinite slope.
  const high = (positives + 1) / (positives + 2);
  const low = 1 / (pairs.length - positives + 2);
  for (let iteration = 0; iteration < 50; iteration++) {
    let gA = 0;
    let gB = 0;
    let hAA = 0;
    let hAB = 0;
    let hBB = 0;
    for (const { margin, positive } of pairs) {
      const p = 1 / (1 + Math.exp(-(a * margin + b)));
      const error = p - (positive ? high : low);
      const w = Math.max(p * (1 - p), 1e-12);
      gA += error * margin;
      gB += error;
      hAA += w * margin * margin;
      hAB += w * margin;
      hBB += w;
    }
    hAA += 1e-9;
    hBB += 1e-9;
    const det = hAA * hBB - hAB * hAB;
    if (det <= 0) break;
    const dA = (hBB * gA - hAB * gB) / det;
    const dB = (hAA * gB - hAB * gA) / det;
    a -= dA;
    b -= dB;
    if (Math.abs(dA) < 1e-7 && Math.abs(dB) < 1e-7) break;
  }
  return { a, b };
}

/** Keeps the strongest weights (at most `budget` over all classes) as int8 with a per-class scale. */
export function compactModel(trained: TrainedWeights, budget: number, calibration: readonly Calibration[], extra: Omit<TopicModelHeader, 'featureVersion' | 'buckets' | 'classes' | 'parents' | 'bias' | 'scale' | 'calibration'>): Uint8Array {
  const classes = CLASSES.length;
  const { weights } = trained;
  // The threshold is the budget-th largest magnitude, found on a histogram of magnitudes rather than by sorting
  // tens of millions of numbers.
  let max = 0;
  for (const value of weights) if (Math.abs(value) > max) max = Math.abs(value);
  const BINS = 1 << 16;
  const histogram = new Uint32Array(BINS);
  for (const value of weights) {
    if (value === 0) continue;
    const bin = Math.min(BINS - 1, Math.floor((Math.abs(value) / max) * BINS));
    histogram[bin] = (histogram[bin] ?? 0) + 1;
  }
  let kept = 0;
  let thresholdBin = BINS - 1;
  for (; thresholdBin > 0; thresholdBin--) {
    kept += histogram[thresholdBin] ?? 0;
    if (kept >= budget) break;
  }
  const threshold = (thresholdBin / BINS) * max;
  const classMax = new Float64Array(classes);
  for (let at = 0; at < weights.length; at++) {
    const cls = at % classes;
    classMax[cls] = Math.max(classMax[cls] ?? 0, Math.abs(weights[at] ?? 0));
  }
  const scale = Array.from(classMax, (value) => Number((value > 0 ? value / 127 : 1).toPrecision(6)));
  const entries: { bucket: number; cls: number; q: number }[] = [];
  for (let bucket = 0; bucket < FEATURE_BUCKETS; bucket++) {
    for (let cls = 0; cls < classes; cls++) {
      const value = weights[bucket * classes + cls] ?? 0;
      if (value === 0 || Math.abs(value) < threshold) continue;
      const q = Math.round(value / (scale[cls] ?? 1));
      if (q !== 0) entries.push({ bucket, cls, q: Math.max(-127, Math.min(127, q)) });
    }
  }
  return encodeTopicModel(
    {
      ...extra,
      featureVersion: FEATURE_VERSION,
      buckets: FEATURE_BUCKETS,
      classes: [...CLASSES],
      parents: CLASSES.map((code) => SUB_TOPICS[code]?.parent ?? null),
      bias: Array.from(trained.bias, (value) => Number(value.toFixed(5))),
      scale,
      calibration: calibration.map(({ a, b }) => [Number(a.toFixed(5)), Number(b.toFixed(5))]),
    },
    entries,
  );
}
