// `npm run bench -- classify [--json] [--quick]`: articles per second on one core for our classifier beside the
// exact-name country baseline (and compromise places), on the same multilingual mix of articles in the same process;
// the sizes of the data files; and the first classify() of a fresh process, data load included (the Lambda cold
// path: the classifier bundled as esbuild bundles it for Lambda, its data files copied beside it as the CDK hook
// does, then `import` + one classify() in a new `node`, median of 5).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { execSync } from 'node:child_process';
import * as path from 'node:path';
import { build } from 'esbuild';
import { classify } from '#adapters/classifier.js';
import { HAS_SHARED, SHARED_SKIP_REASON, sharedPath } from '../test/helpers/shared-dir.js';
import { createCompromiseBaseline, createExactNameBaseline } from '../scripts/eval-lib.js';
import { foldOfId, loadTopicCorpora } from '../scripts/topic-datasets.js';
import { CLASSIFIER_DATA_SOURCE, classifierDataCommands, LAMBDA_BUNDLING, REPO_ROOT } from '../infra/constructs/node-function.js';

interface Doc {
  title: string;
  text: string;
}

/** What a feed item carries: a title and up to 1,000 characters of summary (SUMMARY_MAX_LENGTH). */
const SUMMARY_CHARS = 1_000;

function measure(docs: readonly Doc[], run: (doc: Doc) => unknown, minMs: number): number {
  let done = 0;
  const started = performance.now();
  while (performance.now() - started < minMs) {
    for (const doc of docs) run(doc);
    done += docs.length;
  }
  return done / ((performance.now() - started) / 1000);
}

/** 1,000 articles: every corpus and language of ../shared/datasets/topics in proportion, one fold's rows. */
function multilingualMix(): { docs: Doc[]; languages: number } {
  const rows = loadTopicCorpora(sharedPath('datasets', 'topics')).filter((row) => foldOfId(row.id) === 0);
  const step = Math.max(1, Math.floor(rows.length / 1000));
  const docs = rows.filter((_, i) => i % step === 0).slice(0, 1000);
  return { docs: docs.map((row) => ({ title: row.title, text: row.text.slice(0, SUMMARY_CHARS) })), languages: new Set(docs.map((row) => row.language)).size };
}

/** The first classify() in fresh processes over the Lambda-style bundle; median of `runs`. */
async function firstClassifyMs(runs: number): Promise<{ importMs: number; firstClassifyMs: number; totalMs: number; totalCpuMs: number }> {
  const dir = path.join(REPO_ROOT, 'node_modules', '.cache', 'newsalert-first-classify');
  mkdirSync(dir, { recursive: true });
  await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: ['functions/adapters/classifier.ts'],
    bundle: true,
    platform: LAMBDA_BUNDLING.platform,
    target: LAMBDA_BUNDLING.target,
    format: LAMBDA_BUNDLING.format,
    minify: LAMBDA_BUNDLING.minify,
    banner: { js: LAMBDA_BUNDLING.banner },
    charset: LAMBDA_BUNDLING.charset,
    outfile: path.join(dir, 'index.mjs'),
    logLevel: 'silent',
  });
  for (const command of classifierDataCommands(REPO_ROOT, dir)) execSync(command);
  const script =
    `const c0=process.cpuUsage();const t0=performance.now();const m=await import(${JSON.stringify(path.join(dir, 'index.mjs'))});const t1=performance.now();` +
    "m.classify({title:'Putin plans to visit China in May',text:'The Kremlin said the president will travel to Beijing.'});" +
    'const t2=performance.now();const c=process.cpuUsage(c0);process.stdout.write(JSON.stringify([t1-t0,t2-t1,t2-t0,(c.user+c.system)/1000]))';
  const samples = Array.from({ length: runs }, () => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } })) as number[]);
  const median = (k: number): number => Number(([...samples.map((s) => s[k] ?? 0)].sort((a, b) => a - b)[Math.floor(runs / 2)] ?? 0).toFixed(1));
  // CPU time beside wall time: on a machine shared with other work, wall time mostly measures the wait for a core.
  return { importMs: median(0), firstClassifyMs: median(1), totalMs: median(2), totalCpuMs: median(3) };
}

export async function run(args: string[]): Promise<object> {
  if (!HAS_SHARED) return { skipped: SHARED_SKIP_REASON };
  const quick = args.includes('--quick');
  const { docs, languages } = multilingualMix();
  const exact = createExactNameBaseline();
  const compromise = createCompromiseBaseline();
  const ms = quick ? 300 : 3000;
  // Warm-up: JIT and the lazily decoded data must not count against the first contender.
  measure(docs.slice(0, 50), (doc) => classify(doc), 200);
  const ours = measure(docs, (doc) => classify(doc), ms);
  const exactRate = measure(docs, exact, ms);
  const compromiseRate = measure(docs.slice(0, 200), compromise, ms);
  const dataDir = path.join(REPO_ROOT, CLASSIFIER_DATA_SOURCE);
  const bytes = Object.fromEntries(readdirSync(dataDir).filter((name) => name !== 'README.md').map((name) => [name, statSync(path.join(dataDir, name)).size]));
  return {
    articles: docs.length,
    languages,
    meanChars: Math.round(docs.reduce((sum, doc) => sum + doc.title.length + doc.text.length, 0) / docs.length),
    articlesPerSecond: {
      newsalert: Math.round(ours),
      exactCountryNames: Math.round(exactRate),
      compromisePlaces: Math.round(compromiseRate),
    },
    ratio: { newsalertVsExact: Number((ours / exactRate).toFixed(2)), newsalertVsCompromise: Number((ours / compromiseRate).toFixed(1)) },
    dataBytes: bytes,
    freshProcess: quick ? undefined : await firstClassifyMs(5),
  };
}
