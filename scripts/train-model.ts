// Training of the topic model (library; the CLI is scripts/train.ts, the cross-validation scripts/eval.ts).
// Deterministic: a seeded generator orders the examples and samples the vocabulary documents, so the same data
// gives the same committed bytes.
import { readFileSync } from 'node:fs';
import { extractFeatures, FEATURE_BUCKETS } from '../functions/domain/classification/topic-features.js';
import type { FeatureVector } from '../functions/domain/classification/topic-features.js';
import type { TopicModelData } from '../functions/domain/classification/topic-model.js';
import { TOPIC_LABELS, TOPIC_TERMS } from '../functions/domain/classification/topic-vocabulary.js';
import { normalizePhrase, tokenize } from '../functions/domain/classification/tokenize.js';

export const BBC_TO_IPTC: Readonly<Record<string, string>> = {
  business: 'medtop:04000000',
  entertainment: 'medtop:01000000',
  politics: 'medtop:11000000',
  sport: 'medtop:15000000',
  tech: 'medtop:13000000',
};
export const CLASSES = Object.keys(TOPIC_LABELS);

export interface Article {
  id: string;
  category: string;
  title: string;
  text: string;
}

export interface Example {
  features: FeatureVector;
  /** Class index, or -1 for none. */
  label: number;
}

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

export function readJsonLines<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** BBC News without its 98 exact duplicates (same title and text), in file order. */
export function loadBbc(path: string): Article[] {
  const seen = new Set<string>();
  return readJsonLines<Article>(path).filter((article) => {
    const key = `${article.title}\u0000${article.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface IptcEntry {
  code: string;
  label: string;
  definition: string;
  level1: string;
  level2: string | null;
  retired: boolean;
}

/** The IPTC Media Topic NewsCodes; the file has bare NaN tokens, which are not JSON. */
export function loadIptc(path: string): IptcEntry[] {
  const raw = JSON.parse(readFileSync(path, 'utf8').replace(/\bNaN\b/g, 'null')) as Record<string, Record<string, string | null>>;
  return Object.entries(raw).map(([code, entry]) => ({
    code,
    label: entry['Name (en-GB)'] ?? '',
    definition: entry['Definition (en-GB)'] ?? '',
    level1: entry['Level1/NewsCode'] ?? code,
    level2: entry['Level2/NewsCode'] ?? null,
    retired: entry['RetiredDate'] !== null && entry['RetiredDate'] !== undefined,
  }));
}

export function featuresOf(title: string, text: string): FeatureVector {
  return extractFeatures(tokenize(title), tokenize(text));
}

/**
 * Pseudo-articles from vocabulary: for every top-level topic, documents sampled from the hand vocabulary and from
 * the IPTC labels and definitions of all its descendants. They are all the 12 topics without labelled data have.
 */
export function vocabularyExamples(iptc: readonly IptcEntry[], perClass: number, seed: number): Example[] {
  const random = createRandom(seed);
  const examples: Example[] = [];
  CLASSES.forEach((code, label) => {
    const pool: string[] = [];
    const terms = TOPIC_TERMS[code];
    if (terms !== undefined) {
      for (const term of terms.strong) pool.push(term, term, term);
      for (const term of terms.medium) pool.push(term, term);
      pool.push(...terms.weak);
    }
    for (const entry of iptc) {
      if (entry.level1 !== code || entry.retired) continue;
      pool.push(entry.label, entry.label, entry.definition);
    }
    for (let doc = 0; doc < perClass; doc++) {
      const parts: string[] = [];
      for (let i = 0; i < 24; i++) parts.push(pool[Math.floor(random() * pool.length)] ?? '');
      examples.push({ features: featuresOf(parts.slice(0, 3).join(' '), parts.slice(3).join('. ')), label });
    }
  });
  return examples;
}

export function articleExamples(articles: readonly Article[]): Example[] {
  return articles.map((article) => ({
    features: featuresOf(article.title, article.text),
    label: CLASSES.indexOf(BBC_TO_IPTC[article.category] ?? ''),
  }));
}

export interface TrainedWeights {
  weights: Float32Array[];
  bias: Float64Array;
}

export interface TrainOptions {
  epochs: number;
  learningRate: number;
  /** L2 shrinkage applied to the weights a step touches. */
  l2: number;
  seed: number;
}

export const DEFAULT_TRAIN: TrainOptions = { epochs: 12, learningRate: 0.8, l2: 1e-4, seed: 20240501 };

/** One-vs-rest logistic regression by SGD over shuffled examples (a seeded shuffle, so runs repeat exactly). */
export function trainOneVsRest(examples: readonly Example[], options: TrainOptions = DEFAULT_TRAIN): TrainedWeights {
  const classes = CLASSES.length;
  const weights = CLASSES.map(() => new Float32Array(FEATURE_BUCKETS));
  const bias = new Float64Array(classes);
  const random = createRandom(options.seed);
  const order = examples.map((_, i) => i);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
    }
    const rate = options.learningRate / (1 + epoch * 0.5);
    for (const index of order) {
      const example = examples[index];
      if (example === undefined) continue;
      const { ids, values } = example.features;
      for (let cls = 0; cls < classes; cls++) {
        const w = weights[cls] ?? new Float32Array(0);
        let margin = bias[cls] ?? 0;
        for (let k = 0; k < ids.length; k++) margin += (w[ids[k] ?? 0] ?? 0) * (values[k] ?? 0);
        const target = example.label === cls ? 1 : 0;
        const gradient = 1 / (1 + Math.exp(-margin)) - target;
        if (Math.abs(gradient) < 1e-4) continue;
        for (let k = 0; k < ids.length; k++) {
          const id = ids[k] ?? 0;
          const current = w[id] ?? 0;
          w[id] = current - rate * (gradient * (values[k] ?? 0) + options.l2 * current);
        }
        bias[cls] = (bias[cls] ?? 0) - rate * gradient * 0.1;
      }
    }
  }
  return { weights, bias };
}

function encodeVarints(values: readonly number[]): Uint8Array {
  const bytes: number[] = [];
  for (let value of values) {
    while (value >= 0x80) {
      bytes.push((value & 0x7f) | 0x80);
      value = Math.floor(value / 128);
    }
    bytes.push(value);
  }
  return Uint8Array.from(bytes);
}

/** Keeps the strongest weights (at most `budget` over all classes) as int8 with a per-class scale. */
export function compactModel(
  trained: TrainedWeights,
  budget: number,
  calibration: { a: number; b: number },
  children: Record<string, string[][]>,
  training: Record<string, unknown>,
): TopicModelData {
  const magnitudes: number[] = [];
  for (const w of trained.weights) for (const value of w) if (value !== 0) magnitudes.push(Math.abs(value));
  magnitudes.sort((a, b) => b - a);
  const threshold = magnitudes[Math.min(budget, magnitudes.length) - 1] ?? 0;
  const ids: string[] = [];
  const weights: string[] = [];
  const scale: number[] = [];
  for (const w of trained.weights) {
    let max = 0;
    for (const value of w) max = Math.max(max, Math.abs(value));
    const step = max > 0 ? max / 127 : 1;
    const kept: number[] = [];
    const quantised: number[] = [];
    let previous = 0;
    for (let id = 0; id < w.length; id++) {
      const value = w[id] ?? 0;
      if (value === 0 || Math.abs(value) < threshold) continue;
      const q = Math.round(value / step);
      if (q === 0) continue;
      kept.push(id - previous);
      previous = id;
      quantised.push(q);
    }
    ids.push(Buffer.from(encodeVarints(kept)).toString('base64'));
    weights.push(Buffer.from(Int8Array.from(quantised).buffer).toString('base64'));
    scale.push(Number(step.toPrecision(6)));
  }
  return {
    version: 'lr-1',
    buckets: FEATURE_BUCKETS,
    classes: CLASSES,
    bias: Array.from(trained.bias, (value) => Number(value.toFixed(5))),
    scale,
    ids,
    weights,
    calibration: { a: Number(calibration.a.toFixed(5)), b: Number(calibration.b.toFixed(5)) },
    children,
    training,
  };
}

/** Platt scaling: fits p = sigmoid(a * margin + b) to held-out (margin, outcome) pairs by gradient descent. */
export function fitPlatt(pairs: readonly { margin: number; positive: boolean }[]): { a: number; b: number } {
  let a = 1;
  let b = 0;
  for (let iteration = 0; iteration < 2000; iteration++) {
    let ga = 0;
    let gb = 0;
    for (const { margin, positive } of pairs) {
      const p = 1 / (1 + Math.exp(-(a * margin + b)));
      const error = p - (positive ? 1 : 0);
      ga += error * margin;
      gb += error;
    }
    a -= (0.5 * ga) / pairs.length;
    b -= (0.5 * gb) / pairs.length;
  }
  return { a, b };
}

/**
 * Second-level codes under each top-level one, with the phrases that name them: the code's own label and the
 * labels of its descendants, so "tennis" (level 3) points to "competition discipline" (level 2) under sport.
 */
export function childTable(iptc: readonly IptcEntry[]): Record<string, string[][]> {
  const byLevel2 = new Map<string, { label: string; phrases: Set<string> }>();
  for (const entry of iptc) {
    if (entry.retired || entry.level2 === null) continue;
    let slot = byLevel2.get(entry.level2);
    if (slot === undefined) byLevel2.set(entry.level2, (slot = { label: '', phrases: new Set() }));
    if (entry.code === entry.level2) slot.label = entry.label;
    for (const part of entry.label.split(/,| and | or |\//)) {
      const phrase = normalizePhrase(part);
      if (phrase.length >= 4 && phrase.split(' ').length <= 3) slot.phrases.add(phrase);
    }
  }
  const table: Record<string, string[][]> = {};
  for (const entry of iptc) {
    if (entry.retired || entry.level2 !== entry.code) continue;
    const slot = byLevel2.get(entry.code);
    if (slot === undefined || slot.phrases.size === 0) continue;
    (table[entry.level1] ??= []).push([entry.code, slot.label, ...[...slot.phrases].sort()]);
  }
  return table;
}
