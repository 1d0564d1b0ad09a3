// `npm run train`: trains the topic model from ../shared (BBC News mapped to IPTC, plus vocabulary documents from the
// IPTC taxonomy and the hand vocabulary) and writes functions/domain/classification/data/topic-model.json.
// Deterministic: run it twice, get the same file.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HAS_SHARED, SHARED_SKIP_REASON, sharedPath } from '../test/helpers/shared-dir.js';
import { decodeTopicModel, scoreMargins } from '../functions/domain/classification/topic-model.js';
import {
  articleExamples,
  childTable,
  CLASSES,
  compactModel,
  DEFAULT_TRAIN,
  fitPlatt,
  loadBbc,
  loadIptc,
  trainOneVsRest,
  vocabularyExamples,
} from './train-model.js';
import type { Example } from './train-model.js';

const OUTPUT = fileURLToPath(new URL('../functions/domain/classification/data/topic-model.json', import.meta.url));
/** Weights kept over all classes: enough for the accuracy, small enough for the poller bundle. */
export const WEIGHT_BUDGET = 40_000;
export const VOCABULARY_DOCS_PER_CLASS = 120;
export const FOLDS = 5;

export const BBC_PATH = ['datasets', 'topics', 'bbc-news', 'bbc_news_2225.derived.jsonl'];
export const IPTC_PATH = ['datasets', 'topics', 'iptc-mediatopic', 'iptc_mapping.json'];

/** Fold of an article: by position after de-duplication, so folds are fixed and balanced by file order. */
export function foldOf(index: number): number {
  return index % FOLDS;
}

function main(): void {
  if (!HAS_SHARED) {
    process.stderr.write(`train: ${SHARED_SKIP_REASON}\n`);
    process.exit(1);
  }
  const started = Date.now();
  const bbc = loadBbc(sharedPath(...BBC_PATH));
  const iptc = loadIptc(sharedPath(...IPTC_PATH));
  const articles = articleExamples(bbc);
  const vocabulary = vocabularyExamples(iptc, VOCABULARY_DOCS_PER_CLASS, DEFAULT_TRAIN.seed);
  const children = childTable(iptc);

  // Calibration from out-of-fold margins: every BBC article scored by a model that did not see it.
  const pairs: { margin: number; positive: boolean }[] = [];
  for (let fold = 0; fold < FOLDS; fold++) {
    const train: Example[] = [...articles.filter((_, i) => foldOf(i) !== fold), ...vocabulary];
    const trained = trainOneVsRest(train);
    const model = decodeTopicModel(compactModel(trained, WEIGHT_BUDGET, { a: 1, b: 0 }, {}, {}));
    articles.forEach((example, i) => {
      if (foldOf(i) !== fold) return;
      const margins = scoreMargins(model, example.features);
      margins.forEach((margin, cls) => pairs.push({ margin, positive: cls === example.label }));
    });
  }
  const calibration = fitPlatt(pairs);

  const trained = trainOneVsRest([...articles, ...vocabulary]);
  const data = compactModel(trained, WEIGHT_BUDGET, calibration, children, {
    data: 'BBC News 2,225 (98 exact duplicates removed: 2,127) mapped to IPTC; IPTC Media Topic labels and definitions; hand vocabulary',
    articles: bbc.length,
    vocabularyDocsPerClass: VOCABULARY_DOCS_PER_CLASS,
    classes: CLASSES.length,
    options: DEFAULT_TRAIN,
    weightBudget: WEIGHT_BUDGET,
  });
  const json = JSON.stringify(data);
  writeFileSync(OUTPUT, `${json}\n`);
  process.stdout.write(
    `wrote ${OUTPUT}: ${json.length} bytes, calibration a=${data.calibration.a} b=${data.calibration.b}, ${Date.now() - started} ms\n`,
  );
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main();
