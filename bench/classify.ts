// `npm run bench -- classify --json`: articles per second on one core for our classifier beside the two country
// baselines (exact names, compromise places), on the same articles in the same process; sizes of the committed data;
// and the import time of the classification module in a fresh process.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { classify } from '#adapters/classifier.js';
import { HAS_SHARED, SHARED_SKIP_REASON, sharedPath } from '../test/helpers/shared-dir.js';
import { createCompromiseBaseline, createExactNameBaseline, loadReuters } from '../scripts/eval-lib.js';
import { loadBbc } from '../scripts/train-model.js';

const DATA = new URL('../functions/domain/classification/data/', import.meta.url);

interface Doc {
  title: string;
  text: string;
}

function measure(docs: readonly Doc[], run: (doc: Doc) => unknown, minMs: number): number {
  let done = 0;
  const started = performance.now();
  while (performance.now() - started < minMs) {
    for (const doc of docs) run(doc);
    done += docs.length;
  }
  return done / ((performance.now() - started) / 1000);
}

/** Median of three fresh `node` processes importing the module (tsx loader time excluded by measuring inside). */
function importTimeMs(): number {
  const script =
    "const t=performance.now();await import('#domain/classification/index.js').then(m=>m.classify({title:'Warm-up',text:'Paris'}));" +
    "process.stdout.write(String(performance.now()-t))";
  const root = fileURLToPath(new URL('..', import.meta.url));
  const runs = [0, 1, 2].map(() =>
    Number(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' })),
  );
  return runs.sort((a, b) => a - b)[1] ?? 0;
}

export async function run(args: string[]): Promise<object> {
  if (!HAS_SHARED) return { skipped: SHARED_SKIP_REASON };
  const quick = args.includes('--quick');
  const bbc = loadBbc(sharedPath('datasets', 'topics', 'bbc-news', 'bbc_news_2225.derived.jsonl')).slice(0, 500);
  const reuters = loadReuters(sharedPath('datasets', 'countries', 'reuters21578-train', 'reuters21578-train.jsonl')).slice(0, 500);
  const docs: Doc[] = [...bbc, ...reuters].map(({ title, text }) => ({ title, text }));
  const exact = createExactNameBaseline();
  const compromise = createCompromiseBaseline();
  const ms = quick ? 300 : 3000;
  // Warm-up: JIT and the lazily built trie/model must not count against the first contender.
  measure(docs.slice(0, 50), (doc) => classify(doc), 200);
  const ours = measure(docs, (doc) => classify(doc), ms);
  const exactRate = measure(docs, exact, ms);
  const compromiseRate = measure(docs.slice(0, 200), compromise, ms);
  const size = (name: string): number => statSync(new URL(name, DATA)).size;
  return {
    articles: docs.length,
    meanChars: Math.round(docs.reduce((sum, doc) => sum + doc.title.length + doc.text.length, 0) / docs.length),
    articlesPerSecond: {
      newsalert: Math.round(ours),
      exactCountryNames: Math.round(exactRate),
      compromisePlaces: Math.round(compromiseRate),
    },
    ratio: { newsalertVsExact: Number((ours / exactRate).toFixed(2)), newsalertVsCompromise: Number((ours / compromiseRate).toFixed(1)) },
    bytes: { gazetteer: size('gazetteer.json'), topicModel: size('topic-model.json'), languageModel: size('lid.176.ftz') },
    importMsFreshProcess: quick ? undefined : Number(importTimeMs().toFixed(1)),
  };
}
