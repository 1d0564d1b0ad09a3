import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classify } from '#domain/classification/index.js';
import { extractFeatures, FEATURE_BUCKETS, hashString } from '#domain/classification/topic-features.js';
import { calibrate, decodeTopicModel, scoreMargins, weightOf } from '#domain/classification/topic-model.js';
import type { TopicModelData } from '#domain/classification/topic-model.js';
import { combineOpinions } from '#domain/classification/topics.js';
import { tokenize } from '#domain/classification/tokenize.js';

function varints(values: number[]): string {
  const bytes: number[] = [];
  for (let value of values) {
    while (value >= 0x80) {
      bytes.push((value & 0x7f) | 0x80);
      value = Math.floor(value / 128);
    }
    bytes.push(value);
  }
  return Buffer.from(bytes).toString('base64');
}

function int8(values: number[]): string {
  return Buffer.from(Int8Array.from(values).buffer).toString('base64');
}

describe('topic features', () => {
  it('hashes unigrams and adjacent bigrams of content words, L2-normalised', () => {
    // Act
    const features = extractFeatures(tokenize('Interest rates'), tokenize('the bank of england'));

    // Assess: interest, rates, "interest rates", bank, england; "bank england" is not adjacent
    expect(features.ids).toHaveLength(5);
    const norm = features.values.reduce((sum, value) => sum + value * value, 0);
    expect(norm).toBeCloseTo(1, 10);
    expect(features.ids).toContain(hashString('bank') & (FEATURE_BUCKETS - 1));
  });

  it('gives an empty vector for stopwords and numbers only', () => {
    // Act
    const features = extractFeatures(tokenize('The 2004'), tokenize('of the and 42'));

    // Assess
    expect(features.ids).toEqual([]);
  });
});

describe('decodeTopicModel', () => {
  it('restores sparse int8 weights and scores a document by its buckets', () => {
    // Prepare: class 0 likes bucket("goal"), class 1 likes bucket("shares")
    const goal = hashString('goal') & (FEATURE_BUCKETS - 1);
    const shares = hashString('shares') & (FEATURE_BUCKETS - 1);
    const data: TopicModelData = {
      version: 'test',
      buckets: FEATURE_BUCKETS,
      classes: ['medtop:15000000', 'medtop:04000000'],
      bias: [-1, -1],
      scale: [0.1, 0.05],
      ids: [varints([goal]), varints([shares])],
      weights: [int8([100]), int8([-40])],
      calibration: { a: 1, b: 0 },
      children: {},
      training: {},
    };

    // Act
    const model = decodeTopicModel(data);
    const margins = scoreMargins(model, extractFeatures(tokenize('goal'), tokenize('')));

    // Assess
    expect(weightOf(model, goal, 0)).toBeCloseTo(10, 5);
    expect(weightOf(model, shares, 1)).toBeCloseTo(-2, 5);
    expect(margins[0]).toBeCloseTo(9, 5);
    expect(margins[1]).toBeCloseTo(-1, 5);
    expect(calibrate(model, 0)).toBeCloseTo(0.5, 10);
  });

  it('refuses a model built for another feature space', () => {
    // Act / Assess
    expect(() =>
      decodeTopicModel({
        version: 'x', buckets: 1024, classes: [], bias: [], scale: [], ids: [], weights: [],
        calibration: { a: 1, b: 0 }, children: {}, training: {},
      }),
    ).toThrow(/buckets/);
  });
});

describe('topics', () => {
  it('joins the two opinions so that either can carry a topic and agreement raises it', () => {
    // Assess
    expect(combineOpinions(0.8, 0)).toBeCloseTo(0.8);
    expect(combineOpinions(0, 0.6)).toBeCloseTo(0.6);
    expect(combineOpinions(0.8, 0.6)).toBeCloseTo(0.92);
  });

  it('classifies business, sport and technology news the training data covers', () => {
    // Act
    const business = classify({
      title: 'Shares slide as profits fall at the bank',
      text: 'The company reported lower quarterly profits and its shares fell on the stock market; analysts cut forecasts.',
    });
    const sport = classify({
      title: 'United win the derby',
      text: 'The striker scored twice in the second half and the manager praised the defence after the match.',
    });
    const tech = classify({
      title: 'New phone software update',
      text: 'The update brings faster broadband downloads, a new web browser and better mobile software for users.',
    });

    // Assess
    expect(business.topics[0]?.code).toBe('medtop:04000000');
    expect(sport.topics[0]?.code).toBe('medtop:15000000');
    expect(tech.topics[0]?.code).toBe('medtop:13000000');
  });

  it('adds a second-level code the article names under a confident top-level code, with the phrase as evidence', () => {
    // Act
    const result = classify({
      title: 'Tennis: champion wins the final in straight sets',
      text: 'The tennis champion won the tennis final at the tournament, the player said after the match.',
    });

    // Assess
    const top = result.topics.find((topic) => topic.code === 'medtop:15000000');
    expect(top).toBeDefined();
    const children = result.topics.filter((topic) => topic.code.startsWith('medtop:20'));
    expect(children.length).toBeGreaterThan(0);
    expect(children[0]?.evidence).toEqual(['tennis']);
    expect(children[0]?.score).toBeLessThanOrEqual(top?.score ?? 0);
  });

  it('keeps the committed model within 5 MB', () => {
    // Act
    const bytes = statSync(new URL('../../../../functions/domain/classification/data/topic-model.json', import.meta.url)).size;

    // Assess
    expect(bytes).toBeLessThan(5 * 1024 * 1024);
  });
});
