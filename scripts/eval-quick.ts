// Dev-split check used while tuning the gazetteer and salience rules: prints country scores on Reuters dev only.
import { sharedPath } from '../test/helpers/shared-dir.js';
import { forReuters, isReutersDev, loadReuters, predictOurs, scoreSets } from './eval-lib.js';

const docs = loadReuters(sharedPath('datasets', 'countries', 'reuters21578-train', 'reuters21578-train.jsonl')).filter((doc) =>
  isReutersDev(doc.newid),
);
const predict = forReuters(predictOurs);
const pairs = docs.map((doc) => ({ gold: doc.gold, predicted: predict(doc), doc }));
console.log(JSON.stringify(scoreSets(pairs)));
const fp = new Map<string, number>();
const fn = new Map<string, number>();
for (const { gold, predicted } of pairs) {
  for (const code of predicted) if (!gold.includes(code)) fp.set(code, (fp.get(code) ?? 0) + 1);
  for (const code of gold) if (!predicted.includes(code)) fn.set(code, (fn.get(code) ?? 0) + 1);
}
console.log('FP', [...fp].sort((a, b) => b[1] - a[1]).slice(0, 15).join(' '));
console.log('FN', [...fn].sort((a, b) => b[1] - a[1]).slice(0, 15).join(' '));
if (process.argv[2] === 'show') {
  for (const { gold, predicted, doc } of pairs.slice(0, 400)) {
    if (gold.join() !== predicted.join() && gold.includes('US') && !predicted.includes('US')) console.log(doc.title, '|', doc.text.slice(0, 160).replace(/\n/g, ' '), gold, predicted);
  }
}
