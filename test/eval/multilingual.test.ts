// The hand-written multilingual set (test/fixtures/multilingual/items.jsonl, never tuned on): the countries, language
// and topic figures issue 10 asks of it, as floors that fail when a change (a retrained topic model, a tokenizer or
// gazetteer edit) makes them drop. The figures themselves are in docs/quality.md (`npm run eval`).
import { describe, expect, it } from 'vitest';
import { evaluateMultilingual } from '../../scripts/eval-multilingual.js';

describe('the hand-written multilingual items', () => {
  it('get their countries (micro-F1 and primary accuracy >= 0.90) and their language, and topics far better than before', () => {
    // Act
    const evaluation = evaluateMultilingual();

    // Assess
    expect(evaluation.items).toBeGreaterThanOrEqual(150);
    expect(evaluation.languages).toBeGreaterThanOrEqual(15);
    expect(evaluation.countries.f1).toBeGreaterThanOrEqual(0.9);
    expect(evaluation.primaryAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(evaluation.languageAccuracy).toBeGreaterThanOrEqual(0.97);
    // Topics: a floor well above the 0.230 of the English-only classifier this model replaced (0.416 measured with
    // mlr-3.0.0; docs/quality.md), not the goal.
    expect(evaluation.topicAccuracy).toBeGreaterThan(0.35);
  }, 60_000);
});
