// The four-class evaluation on publisher-labelled real feeds (scripts/eval-four-class.ts): the label rules, the
// fold of IPTC codes into four classes, the scores, and one run over ../shared/feeds/real_news when it is there.
import { describe, expect, it } from 'vitest';
import { HAS_SHARED, SHARED_SKIP_REASON, sharedPath } from '../helpers/shared-dir.js';
import {
  classesOfCategory,
  evaluateFourClass,
  labelItem,
  predictFourClass,
  scoreFourClass,
  sectionOf,
  wilsonInterval,
} from '../../scripts/eval-four-class.js';

describe('four-class gold labels from publisher categories', () => {
  it('maps desk names, the Telegraph\'s structure path and the Guardian\'s world subsections', () => {
    // Act
    const found = ['Sport', 'World news', 'Europe', 'structure:news/world-news', 'structure:money', 'Technology', 'Ausland'].map((c) => [
      ...classesOfCategory(c),
    ]);

    // Assess
    expect(found).toEqual([['sport'], ['world'], ['world'], ['world'], ['business'], ['sci/tech'], ['world']]);
  });

  it('ignores categories that only contain a desk word, such as topical descriptors and keyword strings', () => {
    // Act
    const found = ['United States Economy', 'Computer Security', 'Fintech', 'Bahrain', 'DASDING,Interview,Wissenschaft', 'UK news'].map(
      (c) => classesOfCategory(c).size,
    );

    // Assess
    expect(found).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('leaves out an item whose categories or section point to more than one class', () => {
    // Act
    const mixed = labelItem(['World news', 'Business'], undefined);
    const againstSection = labelItem(['Football'], 'sci/tech');
    const agreeing = labelItem(['AI'], 'sci/tech');
    const sectionOnly = labelItem(['Startups'], 'sci/tech');
    const none = labelItem(['UK news', 'Politics'], undefined);

    // Assess
    expect(mixed).toEqual({ cls: 'ambiguous' });
    expect(againstSection).toEqual({ cls: 'ambiguous' });
    expect(agreeing).toEqual({ cls: 'sci/tech', source: 'both' });
    expect(sectionOnly).toEqual({ cls: 'sci/tech', source: 'section' });
    expect(none).toEqual({ cls: 'unlabelled' });
  });

  it('knows a section feed by its title or link, and a general feed as none', () => {
    // Act / Assess
    expect(sectionOf('BBC News - World', 'https://www.bbc.co.uk/news/')).toBe('world');
    expect(sectionOf('Bloomberg Markets', 'https://bloomberg.com/markets/')).toBe('business');
    expect(sectionOf('The Guardian', 'https://www.theguardian.com/uk')).toBeUndefined();
  });
});

describe('four-class predictions and scores', () => {
  it('takes the class of the best top-level topic, folding every other top-level code into world', () => {
    // Prepare
    const topic = (code: string, score: number) => ({ code, label: code, score, evidence: [] });

    // Act / Assess
    expect(predictFourClass({ topics: [topic('medtop:13000000', 0.9), topic('medtop:04000000', 0.5)] })).toBe('sci/tech');
    expect(predictFourClass({ topics: [topic('medtop:04000000', 0.4), topic('medtop:16000000', 0.7)] })).toBe('world');
    expect(predictFourClass({ topics: [topic('medtop:20000822', 0.99), topic('medtop:15000000', 0.6)] })).toBe('sport');
    expect(predictFourClass({ topics: [] })).toBe('none');
  });

  it('counts "none" as wrong and reports coverage, per-class scores and the confusion matrix', () => {
    // Act
    const scores = scoreFourClass([
      { gold: 'world', predicted: 'world' },
      { gold: 'world', predicted: 'none' },
      { gold: 'sport', predicted: 'sport' },
      { gold: 'business', predicted: 'world' },
    ]);

    // Assess
    expect(scores.accuracy).toBe(0.5);
    expect(scores.coverage).toBe(0.75);
    expect(scores.accuracyCovered).toBeCloseTo(2 / 3);
    expect(scores.matrix[0]).toEqual([1, 0, 0, 0, 1]);
    expect(scores.perClass[0]).toMatchObject({ label: 'world', precision: 0.5, recall: 0.5, support: 2 });
  });

  it('gives the Wilson interval of a proportion', () => {
    // Act
    const [low, high] = wilsonInterval(80, 100);

    // Assess: the textbook value for 80/100 at 95%
    expect(low).toBeCloseTo(0.711, 3);
    expect(high).toBeCloseTo(0.867, 3);
  });
});

describe.skipIf(!HAS_SHARED)(`four-class accuracy on publisher-labelled real feeds${HAS_SHARED ? '' : ` (skipped: ${SHARED_SKIP_REASON})`}`, () => {
  it('labels hundreds of distinct items in all four classes and scores them consistently', async () => {
    // Act
    const report = await evaluateFourClass(sharedPath('feeds', 'real_news'));

    // Assess
    const { collection, counts, ours } = report;
    expect(collection.labelled).toBeGreaterThanOrEqual(300);
    expect(Object.values(counts).every((count) => count >= 30)).toBe(true);
    expect(collection.labelled + collection.ambiguous + collection.unlabelled + collection.duplicates).toBe(collection.items);
    expect(ours.n).toBe(collection.labelled);
    expect(ours.interval[0]).toBeLessThanOrEqual(ours.accuracy);
    expect(ours.interval[1]).toBeGreaterThanOrEqual(ours.accuracy);
    // A floor that catches a clearly worse classifier, not the target (≥ 0.88), which is not reached: docs/quality.md.
    expect(ours.accuracy).toBeGreaterThan(0.45);
  }, 120_000);
});
