// Quality floors on public data in ../shared, small enough for CI (< 60 s). The full tables come from `npm run eval`
// (docs/quality.md); these tests catch a change that makes the classifier clearly worse.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAS_SHARED, SHARED_SKIP_REASON, sharedPath } from '../helpers/shared-dir.js';
import {
  createExactNameBaseline,
  crossValidateBbc,
  forReuters,
  isReutersDev,
  loadReuters,
  predictOurs,
  REUTERS_PLACE_TO_ISO,
  scoreSets,
} from '../../scripts/eval-lib.js';
import { DEFAULT_TRAIN, loadBbc, loadIptc, vocabularyExamples } from '../../scripts/train-model.js';
import modelJson from '../../functions/domain/classification/data/topic-model.json' with { type: 'json' };

const REUTERS = ['datasets', 'countries', 'reuters21578-train'];

describe.skipIf(!HAS_SHARED)(`classification quality on ../shared${HAS_SHARED ? '' : ` (skipped: ${SHARED_SKIP_REASON})`}`, () => {
  it('maps every Reuters-21578 place string to an ISO 3166-1 code', () => {
    // Prepare
    const places = readFileSync(sharedPath(...REUTERS, 'all-places-strings.lc.txt'), 'utf8')
      .split(/\s+/)
      .filter((place) => place !== '');

    // Assess
    expect(places.filter((place) => REUTERS_PLACE_TO_ISO[place] === undefined)).toEqual([]);
    expect(Object.values(REUTERS_PLACE_TO_ISO).every((code) => /^[A-Z]{2}$/.test(code))).toBe(true);
  });

  it('finds Reuters editors\' countries with micro-F1 of at least 0.85 on the dev split, far above exact names', () => {
    // Prepare
    const docs = loadReuters(sharedPath(...REUTERS, 'reuters21578-train.jsonl'))
      .filter((doc) => isReutersDev(doc.newid))
      .slice(0, 1500);
    const ours = forReuters(predictOurs);
    const exact = forReuters(createExactNameBaseline());

    // Act
    const oursScores = scoreSets(docs.map((doc) => ({ gold: doc.gold, predicted: ours(doc) })));
    const exactScores = scoreSets(docs.map((doc) => ({ gold: doc.gold, predicted: exact(doc) })));

    // Assess
    expect(oursScores.f1).toBeGreaterThanOrEqual(0.85);
    expect(oursScores.f1).toBeGreaterThan(exactScores.f1 + 0.2);
  });

  it('reaches at least 0.95 topic accuracy on one held-out BBC fold', () => {
    // Prepare
    const bbc = loadBbc(sharedPath('datasets', 'topics', 'bbc-news', 'bbc_news_2225.derived.jsonl'));
    const iptc = loadIptc(sharedPath('datasets', 'topics', 'iptc-mediatopic', 'iptc_mapping.json'));
    const vocabulary = vocabularyExamples(iptc, 120, DEFAULT_TRAIN.seed);

    // Act
    const report = crossValidateBbc(bbc, vocabulary, {
      folds: 5,
      budget: 40_000,
      calibration: modelJson.calibration,
      onlyFold: 0,
    });

    // Assess
    expect(bbc).toHaveLength(2127);
    expect(report.matrix.flat().reduce((sum, n) => sum + n, 0)).toBe(Math.ceil(2127 / 5));
    expect(report.accuracy).toBeGreaterThanOrEqual(0.95);
  }, 60_000);
});
