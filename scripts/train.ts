// `npm run train`: trains the multilingual topic model from ../shared and writes
// functions/domain/classification/data/topic-model.bin. Deterministic: run it twice, get the same bytes.
//
// Trained on every row the evaluation never scores directly: the train splits (SIB-200, MasakhaNEWS), the sets with
// one split (BBC, HuffPost, THUCNews, VNTC, livedoor, the MasakhaNEWS languages without a train split; scored by
// cross-validation in scripts/eval.ts) and the vocabulary documents (scripts/topic-seeds.ts). The dev splits of
// SIB-200 and MasakhaNEWS are held out: their margins fit each class's Platt calibration, and the evaluation scores
// them with the committed model.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HAS_SHARED, SHARED_SKIP_REASON, sharedPath } from '../test/helpers/shared-dir.js';
import { loadSubjectCodes, loadTopicCorpora, SUB_TOPICS, TOP_LEVEL } from './topic-datasets.js';
import type { TopicExample } from './topic-datasets.js';
import { seedDocuments, seedPools } from './topic-seeds.js';
import type { MediaTopicEntry, SeedDocument } from './topic-seeds.js';
import {
  CLASS_INDEX,
  CLASSES,
  classWeightsFor,
  compactModel,
  DEFAULT_TRAIN,
  featuresOf,
  fitPlatt,
  labelSpace,
  marginsOf,
  rowsFromExamples,
  trainOneVsRest,
} from './train-model.js';
import type { Calibration, TrainOptions, TrainRow } from './train-model.js';
import { TOPIC_LABELS } from '../functions/domain/classification/topic-vocabulary.js';
import { hashToken, normalizePhrase, tokenize } from '../functions/domain/classification/tokenize.js';

export const MODEL_PATH = fileURLToPath(new URL('../functions/domain/classification/data/topic-model.bin', import.meta.url));
/** Weights kept over all classes (int8 each): about 2 MB of model. */
export const WEIGHT_BUDGET = 800_000;
/** Vocabulary documents per (language, top-level topic). */
export const SEED_DOCS_PER_POOL = 60;
export const SEED_RANDOM = 7;

export function loadMediaTopics(path: string): MediaTopicEntry[] {
  const raw = JSON.parse(readFileSync(path, 'utf8').replace(/\bNaN\b/g, 'null')) as Record<string, Record<string, string | null>>;
  return Object.entries(raw).map(([code, entry]) => ({
    code,
    label: entry['Name (en-GB)'] ?? '',
    definition: entry['Definition (en-GB)'] ?? '',
    level1: entry['Level1/NewsCode'] ?? code,
    retired: entry['RetiredDate'] !== null && entry['RetiredDate'] !== undefined,
  }));
}

export const CHILDREN_PATH = fileURLToPath(new URL('../functions/domain/classification/data/topic-children.json', import.meta.url));

/**
 * Second-level codes under each top-level one, with the phrases that name them: the code's own label and the
 * labels of its descendants, so "tennis" (level 3) points to "competition discipline" (level 2) under sport.
 */
export function childTable(path: string): Record<string, string[][]> {
  const raw = JSON.parse(readFileSync(path, 'utf8').replace(/\bNaN\b/g, 'null')) as Record<string, Record<string, string | null>>;
  const entries = Object.entries(raw)
    .filter(([, entry]) => entry['RetiredDate'] === null || entry['RetiredDate'] === undefined)
    .map(([code, entry]) => ({ code, label: entry['Name (en-GB)'] ?? '', level1: entry['Level1/NewsCode'] ?? code, level2: entry['Level2/NewsCode'] ?? null }));
  const byLevel2 = new Map<string, { label: string; phrases: Set<string> }>();
  for (const entry of entries) {
    if (entry.level2 === null) continue;
    let slot = byLevel2.get(entry.level2);
    if (slot === undefined) byLevel2.set(entry.level2, (slot = { label: '', phrases: new Set() }));
    if (entry.code === entry.level2) slot.label = entry.label;
    for (const part of entry.label.split(/,| and | or |\//)) {
      const phrase = normalizePhrase(part);
      if (phrase.length >= 4 && phrase.split(' ').length <= 3) slot.phrases.add(phrase);
    }
  }
  const table: Record<string, string[][]> = {};
  for (const entry of entries) {
    if (entry.level2 !== entry.code) continue;
    const slot = byLevel2.get(entry.code);
    if (slot === undefined || slot.phrases.size === 0) continue;
    (table[entry.level1] ??= []).push([entry.code, slot.label, ...[...slot.phrases].sort()]);
  }
  return table;
}

/**
 * Words in many scripts as the tokenizer folds them, hashed: the model's features are built on these norms, so a
 * tokenizer change (tokenize.ts is shared) needs a retrain; test/unit/domain/classification/topic-model.test.ts
 * compares this with the committed model's.
 */
export function tokenizerProbe(): string {
  const probe = 'Élysée Türkiye Łódź Москва Αθήνα القاهرة नई दिल्ली কলকাতা กรุงเทพ 北京 東京 ソウル 서울 Hà Nội Straße İstanbul';
  return hashToken(tokenize(probe).norms.join(' ')).toString(16);
}

export interface TrainingData {
  examples: TopicExample[];
  seeds: SeedDocument[];
}

export function loadTrainingData(): TrainingData {
  const examples = loadTopicCorpora(sharedPath('datasets', 'topics'));
  const subjects = loadSubjectCodes(sharedPath('datasets', 'topics', 'iptc-subjectcodes', 'IPTC_codes.json'));
  const media = loadMediaTopics(sharedPath('datasets', 'topics', 'iptc-mediatopic', 'iptc_mapping.json'));
  return { examples, seeds: seedDocuments(seedPools(subjects, media), SEED_DOCS_PER_POOL, SEED_RANDOM) };
}

export function seedRows(seeds: readonly SeedDocument[], options: TrainOptions): TrainRow[] {
  const space = labelSpace('seed');
  return seeds.map((doc) => {
    const positives = [CLASS_INDEX.get(doc.top) ?? -1];
    return { ...featuresOf(doc.title, doc.text), positives, classWeights: classWeightsFor(space, positives, options.outOfSpaceWeight), weight: 1 };
  });
}

/** Platt scaling fitted on held-out rows, each scored for the classes its corpus labels. */
export function fitCalibration(trained: ReturnType<typeof trainOneVsRest>, heldOut: readonly TopicExample[]): Calibration[] {
  const perClass: { margin: number; positive: boolean }[][] = CLASSES.map(() => []);
  const spaces = new Map<string, Set<number>>();
  for (const example of heldOut) {
    const { mapping } = example;
    if ('skip' in mapping) continue;
    let space = spaces.get(example.dataset);
    if (space === undefined) spaces.set(example.dataset, (space = labelSpace(example.dataset)));
    const positives = 'top' in mapping ? [mapping.top, mapping.sub].filter((code) => code !== undefined).map((code) => CLASS_INDEX.get(code) ?? -1) : [];
    const { ids, values } = featuresOf(example.title, example.text);
    const margins = marginsOf(trained, ids, values);
    for (const cls of space) perClass[cls]?.push({ margin: margins[cls] ?? 0, positive: positives.includes(cls) });
  }
  // One scaling for all classes: it fixes the model's over-confidence without moving one class against another, so
  // the held-out sets' own class mix (a fifth of SIB-200 is travel) does not become the news's.
  const pooled = fitPlatt(perClass.flat());
  return perClass.map(() => pooled);
}

/**
 * Row weights that flatten the union's class mix: HuffPost's many lifestyle sections and SIB-200's travel would
 * otherwise make "lifestyle" the answer to anything vague. A row of a top-level class with n rows weighs
 * sqrt(median / n).
 */
export function classBalance(examples: readonly TopicExample[]): (example: TopicExample) => number {
  const counts = new Map<string, number>();
  for (const example of examples) if ('top' in example.mapping) counts.set(example.mapping.top, (counts.get(example.mapping.top) ?? 0) + 1);
  const sorted = [...counts.values()].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 1;
  return (example) => ('top' in example.mapping ? Math.sqrt(median / (counts.get(example.mapping.top) ?? median)) : 1);
}

export function isTrainingRow(example: TopicExample): boolean {
  return example.split !== 'dev';
}

export function trainModel(data: TrainingData, options: TrainOptions = DEFAULT_TRAIN): { bytes: Uint8Array; rows: number } {
  const training = data.examples.filter(isTrainingRow);
  const rows = [...rowsFromExamples(training, options, classBalance(training)), ...seedRows(data.seeds, options)];
  const trained = trainOneVsRest(rows, options);
  const calibration = fitCalibration(
    trained,
    data.examples.filter((example) => example.split === 'dev'),
  );
  const counts: Record<string, number> = {};
  for (const example of data.examples) if (isTrainingRow(example) && !('skip' in example.mapping)) counts[example.dataset] = (counts[example.dataset] ?? 0) + 1;
  const labels: Record<string, string> = {};
  for (const code of TOP_LEVEL) labels[code] = TOPIC_LABELS[code] ?? code;
  for (const [code, { label }] of Object.entries(SUB_TOPICS)) labels[code] = label;
  const bytes = compactModel(trained, WEIGHT_BUDGET, calibration, {
    version: 'mlr-3',
    labels,
    training: {
      rows: counts,
      seedDocuments: data.seeds.length,
      options,
      weightBudget: WEIGHT_BUDGET,
      calibration: 'Platt scaling on the SIB-200 and MasakhaNEWS dev splits (held out), one for all classes',
      classBalance: 'sqrt(median / rows of the class)',
      tokenizerProbe: tokenizerProbe(),
    },
  });
  return { bytes, rows: rows.length };
}

function main(): void {
  if (!HAS_SHARED) {
    process.stderr.write(`train: ${SHARED_SKIP_REASON}\n`);
    process.exit(1);
  }
  const started = Date.now();
  const { bytes, rows } = trainModel(loadTrainingData());
  writeFileSync(MODEL_PATH, bytes);
  writeFileSync(CHILDREN_PATH, `${JSON.stringify(childTable(sharedPath('datasets', 'topics', 'iptc-mediatopic', 'iptc_mapping.json')))}\n`);
  process.stdout.write(`wrote ${MODEL_PATH}: ${bytes.length} bytes from ${rows} rows in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main();
