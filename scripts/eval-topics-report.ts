// The topic part of `npm run eval` (docs/quality.md): per corpus and per language, dev splits by the committed
// model, one-split corpora by 5-fold cross-validation (five fold trainings, run as parallel processes), baselines
// on the same rows, calibration, finer codes, the languages of the real feeds and the multilingual test set.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classify } from '../functions/adapters/classifier.js';
import { readClassifierData } from '../functions/adapters/classifier.js';
import { decodeTopicModel, readTopicModelHeader } from '../functions/domain/classification/topic-model.js';
import { sharedPath } from '../test/helpers/shared-dir.js';
import type { FoldScores } from './eval-fold.js';
import { feedLanguageCoverage } from './eval-feed-languages.js';
import {
  accuracy,
  createExactNamePredictor,
  labelSpaces,
  meanAccuracy,
  modelPredictor,
  pooled,
  previousPredictor,
  tallyRows,
} from './eval-topics.js';
import type { Tally, TopicPredictor } from './eval-topics.js';
import { CV_FOLDS, loadSubjectCodes, loadTopicCorpora, SUB_TOPICS, TOP_LEVEL, TOPIC_MAPPING } from './topic-datasets.js';
import type { TopicExample } from './topic-datasets.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FOLD_DIR = join(ROOT, 'node_modules', '.cache', 'newsalert-eval');

function pct(value: number): string {
  return value.toFixed(3);
}

/**
 * Trains the five fold models at once, each in its own process. With `reuse`, a fold whose scores a previous run
 * (or `tsx scripts/eval-fold.ts K node_modules/.cache/newsalert-eval/fold-K.json`) left is read back instead of
 * retrained: only valid while the training code and data are unchanged since.
 */
async function runFolds(reuse: boolean): Promise<FoldScores[]> {
  mkdirSync(FOLD_DIR, { recursive: true });
  const runs = Array.from({ length: CV_FOLDS }, (_, fold) => {
    const out = join(FOLD_DIR, `fold-${fold}.json`);
    if (reuse && existsSync(out)) return Promise.resolve(JSON.parse(readFileSync(out, 'utf8')) as FoldScores);
    return new Promise<FoldScores>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'eval-fold.ts'), String(fold), out], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(readFileSync(out, 'utf8')) as FoldScores) : reject(new Error(`fold ${fold} exited with ${code}`))));
    });
  });
  return Promise.all(runs);
}

function foldPredictor(folds: readonly FoldScores[]): TopicPredictor {
  const byId = new Map<string, Map<string, number>>();
  for (const fold of folds) {
    for (const [id, scores] of Object.entries(fold.scores)) byId.set(id, new Map(fold.classes.map((code, cls) => [code, scores[cls] ?? 0])));
  }
  return (example) => byId.get(example.id) ?? new Map();
}

interface SystemRow {
  name: string;
  tallies: Map<string, Tally>;
}

function languageTable(title: string, note: string, keys: readonly string[], systems: readonly SystemRow[], allOf: Map<string, Tally>): string[] {
  const lines = [`### ${title}`, '', note, '', `| language | rows | newsalert | newsalert, best of all 17 | ${systems.slice(1).map((s) => s.name).join(' | ')} |`, `|---|---|---|---|${systems.slice(1).map(() => '---').join('|')}|`];
  for (const key of keys) {
    const ours = systems[0]?.tallies.get(key);
    lines.push(`| ${key} | ${ours?.n ?? 0} | **${pct(accuracy(ours))}** | ${pct(accuracy(allOf.get(key), true))} | ${systems.slice(1).map((s) => pct(accuracy(s.tallies.get(key)))).join(' | ')} |`);
  }
  lines.push(`| **mean of ${keys.length}** | ${keys.reduce((sum, key) => sum + (systems[0]?.tallies.get(key)?.n ?? 0), 0)} | **${pct(meanOf(systems[0]?.tallies, keys))}** | ${pct(meanOf(allOf, keys, true))} | ${systems.slice(1).map((s) => pct(meanOf(s.tallies, keys))).join(' | ')} |`, '');
  return lines;
}

function meanOf(tallies: ReadonlyMap<string, Tally> | undefined, keys: readonly string[], all = false): number {
  if (tallies === undefined || keys.length === 0) return 0;
  return keys.reduce((sum, key) => sum + accuracy(tallies.get(key), all), 0) / keys.length;
}

/** Expected calibration error over 10 bins and Brier score of the reported scores, each row scored for its space's codes. */
function calibration(examples: readonly TopicExample[], predict: TopicPredictor, spaces: ReadonlyMap<string, string[]>): { ece: number; brier: number; pairs: number } {
  const bins = Array.from({ length: 10 }, () => ({ count: 0, confidence: 0, positives: 0 }));
  let brier = 0;
  let pairs = 0;
  for (const example of examples) {
    if (!('top' in example.mapping)) continue;
    const scores = predict(example);
    const gold = example.mapping.top;
    for (const code of spaces.get(example.dataset === 'masakhanews' ? `masakhanews/${example.language}` : example.dataset) ?? []) {
      const p = scores.get(code) ?? 0;
      const positive = code === gold ? 1 : 0;
      const bin = bins[Math.min(9, Math.floor(p * 10))];
      if (bin !== undefined) {
        bin.count++;
        bin.confidence += p;
        bin.positives += positive;
      }
      brier += (p - positive) ** 2;
      pairs++;
    }
  }
  const ece = bins.reduce((sum, bin) => sum + Math.abs(bin.confidence - bin.positives), 0) / Math.max(1, pairs);
  return { ece, brier: brier / Math.max(1, pairs), pairs };
}

function mappingTable(): string[] {
  const lines = ['### Corpus classes → IPTC Media Topics', '', 'The one table (scripts/topic-datasets.ts, TOPIC_MAPPING) that training and evaluation use. "left out": too mixed to map, not used; "negative": a negative of the corpus\'s other classes only.', '', '| corpus | class | IPTC top level | finer code | note |', '|---|---|---|---|---|'];
  for (const [dataset, classes] of Object.entries(TOPIC_MAPPING)) {
    for (const [label, mapping] of Object.entries(classes)) {
      if ('top' in mapping) {
        const finer = mapping.sub === undefined ? '' : `${mapping.sub} ${SUB_TOPICS[mapping.sub]?.label ?? ''}`;
        lines.push(`| ${dataset} | ${label} | ${mapping.top} | ${finer} | ${mapping.why ?? ''} |`);
      } else lines.push(`| ${dataset} | ${label} | ${'negative' in mapping ? 'negative' : 'left out'} | | ${mapping.why} |`);
    }
  }
  return [...lines, ''];
}

interface MultilingualItem {
  file?: string;
  language?: string;
  title?: string;
  text?: string;
  topic?: string;
}

/** wt-geo's hand-written multilingual set (test/fixtures/multilingual/*.jsonl), when it is there. */
function multilingualSection(): { lines: string[]; seeded: string[] } {
  const dir = join(ROOT, 'test', 'fixtures', 'multilingual');
  if (!existsSync(dir)) return { lines: ['### Multilingual test set', '', 'test/fixtures/multilingual/ is not in this checkout yet: no figure.', ''], seeded: [] };
  const items: MultilingualItem[] = readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => ({ ...(JSON.parse(line) as MultilingualItem), file: name })));
  const byLanguage = new Map<string, { n: number; ok: number }>();
  const byTopic = new Map<string, { n: number; ok: number }>();
  const byFile = new Map<string, { n: number; ok: number }>();
  for (const item of items) {
    if (item.topic === undefined) continue;
    const gold = item.topic.startsWith('medtop:') ? item.topic : `medtop:${item.topic}`;
    const best = classify({ title: item.title ?? '', text: item.text ?? '' }).topics[0]?.code;
    for (const [map, key] of [[byLanguage, item.language ?? 'und'], [byTopic, gold], [byFile, item.file ?? '']] as const) {
      const slot = map.get(key) ?? { n: 0, ok: 0 };
      slot.n++;
      if (best === gold) slot.ok++;
      map.set(key, slot);
    }
  }
  const total = [...byLanguage.values()].reduce((sum, s) => ({ n: sum.n + s.n, ok: sum.ok + s.ok }), { n: 0, ok: 0 });
  const lines = [
    `### Multilingual test set (test/fixtures/multilingual, ${total.n} items with a topic)`,
    '',
    `Top-level topic accuracy (best topic = the item's topic): **${pct(total.n === 0 ? 0 : total.ok / total.n)}** (${[...byFile].map(([file, s]) => `${file} ${pct(s.ok / s.n)} of ${s.n}`).join(', ')}).`,
    '',
    '| language | items | accuracy |',
    '|---|---|---|',
    ...[...byLanguage].sort().map(([language, s]) => `| ${language} | ${s.n} | ${pct(s.ok / s.n)} |`),
    '',
    '| topic | items | recall |',
    '|---|---|---|',
    ...[...byTopic].sort().map(([topic, s]) => `| ${topic} | ${s.n} | ${pct(s.ok / s.n)} |`),
    '',
  ];
  const seeded = ['medtop:09000000', 'medtop:16000000', 'medtop:03000000', 'medtop:17000000'].map((code) => {
    const s = byTopic.get(code);
    return s === undefined ? `${code}: none in the set` : `${code}: ${s.ok}/${s.n}`;
  });
  return { lines, seeded };
}

export async function evaluateTopics(skipCv: boolean, reuseFolds = false): Promise<{ lines: string[]; headline: string[] }> {
  const examples = loadTopicCorpora(sharedPath('datasets', 'topics'));
  const spaces = labelSpaces(examples);
  const modelBytes = readClassifierData('topic-model.bin');
  const model = decodeTopicModel(modelBytes);
  const header = readTopicModelHeader(modelBytes);
  const ours = modelPredictor(model);
  const exact = createExactNamePredictor(loadSubjectCodes(sharedPath('datasets', 'topics', 'iptc-subjectcodes', 'IPTC_codes.json')));
  const lines: string[] = ['## Topics', ''];
  const headline: string[] = [];
  lines.push(
    `Model \`${header.version}\` (${Math.round(modelBytes.length / 1024)} KB, ${model.entryWeight.length} int8 weights, ${model.classes.length} classes: 17 top-level IPTC codes and ${model.classes.length - 17} finer ones). "newsalert" scores a row among the classes its corpus (or MasakhaNEWS language) has, as the corpus's own classes are scored; "best of all 17" requires the best of all 17 top-level codes to be right. Baselines on the same rows: **exact names** (IPTC Subject Code labels in 8 languages found in the text) and **previous** (lr-2.0.0, the English classifier before this model). Rows whose class is left out (table below) are not scored.`,
    '',
    ...mappingTable(),
  );

  const dev = examples.filter((example) => example.split === 'dev');
  const sib = dev.filter((example) => example.dataset === 'sib200');
  const sibKeys = [...new Set(sib.map((example) => example.language))];
  const systemsFor = (rows: TopicExample[], keyOf: (e: TopicExample) => string, predictor: TopicPredictor): { systems: SystemRow[]; all: Map<string, Tally> } => {
    const main = tallyRows(rows, predictor, spaces, keyOf);
    return {
      systems: [
        { name: 'newsalert', tallies: main },
        { name: 'exact names', tallies: tallyRows(rows, exact, spaces, keyOf) },
        { name: 'previous (lr-2.0.0)', tallies: tallyRows(rows, previousPredictor, spaces, keyOf) },
      ],
      all: main,
    };
  };
  const sibResult = systemsFor(sib, (e) => e.language, ours);
  lines.push(...languageTable('SIB-200 dev (33 languages, 6 mappable classes; geography is not scored)', 'Single sentences of Wikinews, Wikivoyage and Wikibooks (FLORES-200), parallel across languages. The dev split is never trained on.', sibKeys, sibResult.systems, sibResult.all));
  const sibMean = meanOf(sibResult.systems[0]?.tallies, sibKeys);
  headline.push(`SIB-200 dev mean over ${sibKeys.length} languages ${pct(sibMean)} (target ≥ 0.75)`);

  let folds: FoldScores[] = [];
  if (!skipCv) folds = await runFolds(reuseFolds);
  const cvPredictor = foldPredictor(folds);
  const masakhaDev = dev.filter((example) => example.dataset === 'masakhanews');
  const masakhaCv = examples.filter((example) => example.dataset === 'masakhanews' && example.split === 'cv');
  const masakhaDevResult = systemsFor(masakhaDev, (e) => e.language, ours);
  const masakhaCvResult = systemsFor(masakhaCv, (e) => `${e.language} (5-fold CV)`, cvPredictor);
  const merge = (a: SystemRow[], b: SystemRow[]): SystemRow[] => a.map((row, k) => ({ name: row.name, tallies: new Map([...row.tallies, ...(b[k]?.tallies ?? [])]) }));
  const masakhaSystems = merge(masakhaDevResult.systems, masakhaCvResult.systems);
  const masakhaKeys = [...masakhaDevResult.all.keys(), ...(skipCv ? [] : [...masakhaCvResult.all.keys()])];
  lines.push(
    ...languageTable(
      `MasakhaNEWS (${masakhaKeys.length} languages)`,
      'Headline + text. The dev split of the 12 languages with a train split here is never trained on; amh, hau, swa and tir have only their dev split in ../shared, so they are scored by 5-fold cross-validation (the committed model trains on all of it).',
      masakhaKeys,
      masakhaSystems,
      new Map([...masakhaDevResult.all, ...masakhaCvResult.all]),
    ),
  );
  headline.push(`MasakhaNEWS mean over ${masakhaKeys.length} languages ${pct(meanOf(masakhaSystems[0]?.tallies, masakhaKeys))} (target ≥ 0.80)`);

  const devCalibration = calibration(dev, ours, spaces);
  if (!skipCv) {
    lines.push('### One-split corpora, 5-fold cross-validation', '', 'Each fold is scored by a model trained with the committed recipe (scripts/train.ts) on everything but that fold (folds by a hash of the row id). Baselines need no training and score every row.', '', '| corpus | language | rows | newsalert | best of all 17 | exact names | previous (lr-2.0.0) |', '|---|---|---|---|---|---|---|');
    for (const dataset of ['bbc', 'huffpost', 'thucnews', 'vntc', 'livedoor'] as const) {
      const rows = examples.filter((example) => example.dataset === dataset);
      const cv = pooled(tallyRows(rows, cvPredictor, spaces, () => dataset));
      const ex = pooled(tallyRows(rows, exact, spaces, () => dataset));
      const prev = pooled(tallyRows(rows, previousPredictor, spaces, () => dataset));
      lines.push(`| ${dataset} | ${rows[0]?.language ?? ''} | ${cv.n} | **${pct(accuracy(cv))}** | ${pct(accuracy(cv, true))} | ${pct(accuracy(ex))} | ${pct(accuracy(prev))} |`);
      const target = dataset === 'bbc' ? ' (target ≥ 0.95)' : dataset === 'huffpost' ? '' : ' (target ≥ 0.85)';
      if (dataset !== 'huffpost') headline.push(`${dataset} 5-fold ${pct(accuracy(cv))}${target}`);
    }
    lines.push('');
    lines.push(...finerCodes(examples, cvPredictor));
    const cvRows = examples.filter((example) => example.split === 'cv');
    const cvCalibration = calibration(cvRows, cvPredictor, spaces);
    lines.push('### Calibration', '', `One Platt scaling for all classes, fitted on the dev splits. Expected calibration error (10 bins) and Brier score over every (row, class of its corpus) pair: dev splits ECE ${pct(devCalibration.ece)}, Brier ${pct(devCalibration.brier)} (${devCalibration.pairs} pairs; the fit's own data); cross-validated rows ECE ${pct(cvCalibration.ece)}, Brier ${pct(cvCalibration.brier)} (${cvCalibration.pairs} pairs, never seen by the fit).`, '');
  } else lines.push('(cross-validation skipped: --no-cv)', '');

  const multilingual = multilingualSection();
  lines.push(...multilingual.lines);
  lines.push(
    '### Seeded topics (labour, conflict, disaster, weather)',
    '',
    'No corpus labels them; the model learns them from vocabulary documents only (IPTC labels and definitions in 8 languages, scripts/seed-vocabulary.ts in 31). Their figures, from the multilingual test set: ' + (multilingual.seeded.length > 0 ? multilingual.seeded.join('; ') : 'none yet') + '.',
    '',
  );
  const coverage = await feedLanguageCoverage(sharedPath());
  lines.push('### Every language of the real feeds', '', 'Feeds of ../shared/feeds with a declared language (FEED_INDEX.derived.csv), their items classified as the poller does. No gold: it shows that every language gets topics (the four-class table below says how right they are).', '', '| language | feeds | items | with a topic | mean best score | most frequent best topics |', '|---|---|---|---|---|---|');
  for (const row of coverage) lines.push(`| ${row.language} | ${row.feeds} | ${row.items} | ${row.withTopic} | ${pct(row.meanBestScore)} | ${row.topTopics} |`);
  lines.push('');
  void TOP_LEVEL;
  return { lines, headline };
}

/** The finer codes learned from corpus labels: precision and recall at the reporting threshold (0.5) on CV rows. */
function finerCodes(examples: readonly TopicExample[], predict: TopicPredictor): string[] {
  const lines = ['### Finer codes (learned from corpus labels, cross-validated)', '', 'A finer code is reported at score ≥ 0.5 under a reported parent. Precision and recall over the cross-validated rows of the corpora that label the code.', '', '| code | label | corpora | support | precision | recall |', '|---|---|---|---|---|---|'];
  for (const [code, { label }] of Object.entries(SUB_TOPICS)) {
    const corpora = Object.entries(TOPIC_MAPPING)
      .filter(([, classes]) => Object.values(classes).some((mapping) => 'top' in mapping && mapping.sub === code))
      .map(([name]) => name);
    let tp = 0;
    let fp = 0;
    let support = 0;
    for (const example of examples) {
      if (example.split !== 'cv' || !corpora.includes(example.dataset) || !('top' in example.mapping)) continue;
      const positive = example.mapping.sub === code;
      if (positive) support++;
      const reported = (predict(example).get(code) ?? 0) >= 0.5;
      if (reported && positive) tp++;
      else if (reported) fp++;
    }
    lines.push(`| ${code} | ${label} | ${corpora.join(', ')} | ${support} | ${pct(tp + fp === 0 ? 0 : tp / (tp + fp))} | ${pct(support === 0 ? 0 : tp / support)} |`);
  }
  return [...lines, ''];
}

void meanAccuracy;
