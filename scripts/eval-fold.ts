// One fold of the topic cross-validation, as its own process so that `npm run eval` can train the five at once:
// `tsx scripts/eval-fold.ts K OUT.json` trains the committed recipe (scripts/train.ts) on everything but fold K of
// the one-split corpora, then writes the calibrated class scores of that fold's rows: { classes, scores: {id: [...]} }.
import { writeFileSync } from 'node:fs';
import { decodeTopicModel } from '../functions/domain/classification/topic-model.js';
import { classScores } from './eval-topics.js';
import { foldOfId } from './topic-datasets.js';
import { loadTrainingData, trainModel } from './train.js';

export interface FoldScores {
  fold: number;
  classes: string[];
  scores: Record<string, number[]>;
  seconds: number;
}

const fold = Number(process.argv[2]);
const out = process.argv[3];
if (!Number.isInteger(fold) || out === undefined) {
  process.stderr.write('usage: tsx scripts/eval-fold.ts FOLD OUT.json\n');
  process.exit(2);
}
const started = Date.now();
const data = loadTrainingData();
const heldOut = (id: string, split: string): boolean => split === 'cv' && foldOfId(id) === fold;
const model = decodeTopicModel(trainModel({ ...data, examples: data.examples.filter((example) => !heldOut(example.id, example.split)) }).bytes);
const scores: Record<string, number[]> = {};
for (const example of data.examples) {
  if (!heldOut(example.id, example.split) || !('top' in example.mapping)) continue;
  scores[example.id] = Array.from(classScores(model, example.title, example.text), (score) => Number(score.toFixed(4)));
}
const result: FoldScores = { fold, classes: [...model.classes], scores, seconds: Math.round((Date.now() - started) / 1000) };
writeFileSync(out, JSON.stringify(result));
process.stdout.write(`fold ${fold}: ${Object.keys(scores).length} rows scored in ${result.seconds} s\n`);
