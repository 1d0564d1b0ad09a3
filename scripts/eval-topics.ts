// Topic evaluation on the labelled corpora (library of scripts/eval.ts and of test/eval): accuracy per corpus and per
// language, the dev splits scored by the committed model (never trained on them), the one-split corpora by 5-fold
// cross-validation (fold models trained by scripts/eval-fold.ts with the committed recipe minus the fold), and two
// baselines on the same rows: exact IPTC topic names, and the previous classifier (lr-2.0.0).
import { extractFeatures } from '../functions/domain/classification/topic-features.js';
import { calibrate, scoreMargins } from '../functions/domain/classification/topic-model.js';
import type { TopicModel } from '../functions/domain/classification/topic-model.js';
import { normalizePhrase, tokenize } from '../functions/domain/classification/tokenize.js';
import { previousTopics } from './baselines/lr-2.0.0/index.js';
import { TOP_LEVEL } from './topic-datasets.js';
import type { SubjectConcept, TopicExample } from './topic-datasets.js';

/** The calibrated score of every class of `model` for one row, as classify() computes them. */
export function classScores(model: TopicModel, title: string, text: string, categories?: string): Float64Array {
  const features = extractFeatures(tokenize(title), tokenize(text), categories === undefined ? undefined : tokenize(categories));
  const margins = scoreMargins(model, features);
  return Float64Array.from(margins, (margin, cls) => calibrate(model, cls, margin));
}

/** The key of a label space: a MasakhaNEWS language has its own classes; every other corpus has one set. */
export function spaceKey(example: TopicExample): string {
  return example.dataset === 'masakhanews' ? `masakhanews/${example.language}` : example.dataset;
}

/** The top-level codes each label space can be right about (its mapped labels; negatives and skips excluded). */
export function labelSpaces(examples: readonly TopicExample[]): Map<string, string[]> {
  const spaces = new Map<string, Set<string>>();
  for (const example of examples) {
    if (!('top' in example.mapping)) continue;
    const key = spaceKey(example);
    const set = spaces.get(key) ?? new Set<string>();
    set.add(example.mapping.top);
    spaces.set(key, set);
  }
  return new Map([...spaces].map(([key, set]) => [key, [...set].sort()]));
}

/** One system's answer for a row: a score per top-level code it knows (absent = no opinion). */
export type TopicPredictor = (example: TopicExample) => ReadonlyMap<string, number>;

export interface Tally {
  n: number;
  /** Right among the codes of the row's label space (as the corpus's own classes are scored). */
  correct: number;
  /** Right as the best of all 17 top-level codes. */
  correctAll: number;
}

/** The best code of `codes` by score; undefined when the system has no opinion on any of them. */
function bestOf(scores: ReadonlyMap<string, number>, codes: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const code of codes) {
    const score = scores.get(code);
    if (score === undefined || score <= 0) continue;
    if (best === undefined || score > (scores.get(best) ?? 0)) best = code;
  }
  return best;
}

export function tallyRows(examples: readonly TopicExample[], predict: TopicPredictor, spaces: ReadonlyMap<string, string[]>, keyOf: (example: TopicExample) => string): Map<string, Tally> {
  const tallies = new Map<string, Tally>();
  for (const example of examples) {
    if (!('top' in example.mapping)) continue;
    const scores = predict(example);
    const tally = tallies.get(keyOf(example)) ?? { n: 0, correct: 0, correctAll: 0 };
    tally.n++;
    if (bestOf(scores, spaces.get(spaceKey(example)) ?? []) === example.mapping.top) tally.correct++;
    if (bestOf(scores, TOP_LEVEL) === example.mapping.top) tally.correctAll++;
    tallies.set(keyOf(example), tally);
  }
  return tallies;
}

export function modelPredictor(model: TopicModel): TopicPredictor {
  return (example) => {
    const scores = classScores(model, example.title, example.text);
    return new Map(model.classes.map((code, cls) => [code, scores[cls] ?? 0]));
  };
}

/** Baseline: the previous classifier (English BBC model + English vocabulary). */
export const previousPredictor: TopicPredictor = (example) =>
  new Map(previousTopics(example.title, example.text).map((topic) => [topic.code, topic.score]));

/**
 * Baseline: exact topic names. Every label of every IPTC Subject Code concept (8 languages) names its top-level
 * code; a row's score for a code is the number of its names found in the row (whole normalised tokens; for
 * scripts without spaces, as a substring).
 */
export function createExactNamePredictor(subjects: readonly SubjectConcept[]): TopicPredictor {
  const names = new Map<string, Set<string>>();
  for (const concept of subjects) {
    if (concept.retired) continue;
    for (const label of Object.values(concept.labels)) {
      for (const part of label.split(/[,、;]/)) {
        const phrase = normalizePhrase(part);
        if (phrase.length < 3) continue;
        const tops = names.get(phrase) ?? new Set<string>();
        tops.add(concept.top);
        names.set(phrase, tops);
      }
    }
  }
  const unambiguous = [...names].filter(([, tops]) => tops.size === 1).map(([phrase, tops]) => [phrase, [...tops][0] ?? ''] as const);
  return (example) => {
    const haystack = ` ${normalizePhrase(`${example.title} ${example.text}`)} `;
    const scores = new Map<string, number>();
    for (const [phrase, top] of unambiguous) {
      const spaced = /[\u3040-\u30ff\u3400-\u9fff\u0e00-\u0eff]/.test(phrase);
      if (spaced ? haystack.includes(phrase) : haystack.includes(` ${phrase} `)) scores.set(top, (scores.get(top) ?? 0) + 1);
    }
    return scores;
  };
}

export function accuracy(tally: Tally | undefined, all = false): number {
  if (tally === undefined || tally.n === 0) return 0;
  return (all ? tally.correctAll : tally.correct) / tally.n;
}

export function meanAccuracy(tallies: ReadonlyMap<string, Tally>, all = false): number {
  const values = [...tallies.values()];
  return values.length === 0 ? 0 : values.reduce((sum, tally) => sum + accuracy(tally, all), 0) / values.length;
}

export function pooled(tallies: ReadonlyMap<string, Tally>): Tally {
  const total: Tally = { n: 0, correct: 0, correctAll: 0 };
  for (const tally of tallies.values()) {
    total.n += tally.n;
    total.correct += tally.correct;
    total.correctAll += tally.correctAll;
  }
  return total;
}
