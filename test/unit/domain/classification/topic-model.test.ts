import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classify, readClassifierData } from '#adapters/classifier.js';
import { tokenizerProbe } from '../../../../scripts/train.js';
import { describeFeature, extractFeatures, FEATURE_BUCKETS, FEATURE_VERSION } from '#domain/classification/topic-features.js';
import {
  calibrate,
  decodeTopicModel,
  encodeTopicModel,
  readTopicModelHeader,
  scoreMargins,
  TopicModelFormatError,
  weightOf,
} from '#domain/classification/topic-model.js';
import type { TopicModelHeader } from '#domain/classification/topic-model.js';
import { tokenize } from '#domain/classification/tokenize.js';

function header(overrides: Partial<TopicModelHeader> = {}): TopicModelHeader {
  return {
    version: 'test',
    featureVersion: FEATURE_VERSION,
    buckets: FEATURE_BUCKETS,
    classes: ['medtop:15000000', 'medtop:04000000', 'medtop:20000385'],
    parents: [null, null, 'medtop:04000000'],
    labels: {},
    bias: [-1, -1, -2],
    scale: [0.1, 0.05, 0.1],
    calibration: [[1, 0], [2, 0.5], [1, 0]],
    training: {},
    ...overrides,
  };
}

describe('topic features', () => {
  it('gives words, their prefixes and 4-character subwords, and adjacent bigrams, L2-normalised', () => {
    // Act
    const short = extractFeatures(tokenize('Wahl'), tokenize(''));
    const long = extractFeatures(tokenize('Wahlkampf'), tokenize(''));
    const pair = extractFeatures(tokenize('interest rates'), tokenize(''));

    // Assess: "wahl" is one word and one subword-free feature; "wahlkampf" adds prefixes of 4 and 5 and six 4-grams
    expect(short.ids).toHaveLength(1);
    expect(long.ids).toHaveLength(1 + 2 + 6);
    expect(pair.ids.map((_, k) => describeFeature([tokenize('interest rates')], pair.firstSeen[k] ?? 0))).toContain('interest rates');
    const norm = long.values.reduce((sum, value) => sum + value * value, 0);
    expect(norm).toBeCloseTo(1, 10);
  });

  it('reads scripts without spaces as character n-grams, and a Latin word inside them as a word', () => {
    // Prepare
    const title = tokenize('普京访华');

    // Act
    const features = extractFeatures(title, tokenize(''));
    const described = features.ids.map((_, k) => describeFeature([title], features.firstSeen[k] ?? 0));

    // Assess: 4 characters and 3 pairs
    expect(described.sort()).toEqual(['京', '京访', '华', '普', '普京', '访', '访华'].sort());
    expect(extractFeatures(tokenize('新型iphone発売'), tokenize('')).ids.length).toBeGreaterThan(4);
  });

  it('gives an empty vector for stopwords and numbers only', () => {
    // Act
    const features = extractFeatures(tokenize('The 2004'), tokenize('of the and 42'));

    // Assess
    expect(features.ids).toEqual([]);
  });

  it('counts the publisher categories as features of their own field', () => {
    // Act
    const without = extractFeatures(tokenize('Late winner'), tokenize(''));
    const withCategories = extractFeatures(tokenize('Late winner'), tokenize(''), tokenize('Football'));

    // Assess
    expect(withCategories.ids.length).toBeGreaterThan(without.ids.length);
  });
});

describe('topic model file', () => {
  it('round-trips sparse int8 weights and scores a document by its buckets with per-class calibration', () => {
    // Prepare: class 0 likes the bucket of "goal"
    const goal = extractFeatures(tokenize('goal'), tokenize(''));
    const bucket = goal.ids[0] ?? 0;
    const bytes = encodeTopicModel(header(), [
      { bucket, cls: 0, q: 100 },
      { bucket, cls: 1, q: -40 },
    ]);

    // Act
    const model = decodeTopicModel(bytes);
    const margins = scoreMargins(model, goal);

    // Assess
    expect(weightOf(model, bucket, 0)).toBeCloseTo(10, 5);
    expect(weightOf(model, bucket, 1)).toBeCloseTo(-2, 5);
    expect(margins[0]).toBeCloseTo(9, 5);
    expect(margins[1]).toBeCloseTo(-3, 5);
    expect(calibrate(model, 1, -0.25)).toBeCloseTo(0.5, 10);
    expect(model.parentIndex[2]).toBe(1);
    expect(readTopicModelHeader(bytes).version).toBe('test');
  });

  it('refuses a model fit on other features, and bytes that are no model', () => {
    // Act / Assess
    expect(() => decodeTopicModel(encodeTopicModel(header({ featureVersion: 'old' }), []))).toThrow(/npm run train/);
    expect(() => decodeTopicModel(new Uint8Array([1, 2, 3, 4, 0, 0, 0, 0]))).toThrow(TopicModelFormatError);
  });

  it('was trained on the norms the tokenizer gives today (a tokenizer change needs npm run train)', () => {
    // Act
    const header = readTopicModelHeader(readClassifierData('topic-model.bin'));

    // Assess
    expect(header.training['tokenizerProbe']).toBe(tokenizerProbe());
  });

  it('keeps the committed model within 5 MB', () => {
    // Act
    const bytes = statSync(new URL('../../../../functions/domain/classification/data/topic-model.bin', import.meta.url)).size;

    // Assess
    expect(bytes).toBeLessThan(5 * 1024 * 1024);
  });
});

describe('topics', () => {
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

  it('classifies short items in other languages and scripts', () => {
    // Act
    const cases = [
      ['Bayern gewinnt das Derby gegen Dortmund', 'medtop:15000000'],
      ['El Gobierno aprueba la reforma en el Congreso tras la votación', 'medtop:11000000'],
      ['Сборная России проиграла в финале чемпионата мира по хоккею', 'medtop:15000000'],
      ['央行宣布降息 股市大涨', 'medtop:04000000'],
    ] as const;

    // Assess
    for (const [title, code] of cases) expect(classify({ title, text: '' }).topics[0]?.code, title).toBe(code);
  });

  it('gives an item with any content its best topics with scores, and an empty one none', () => {
    // Act
    const vague = classify({ title: 'Food for fungi', text: '' });
    const empty = classify({ title: '', text: '' });

    // Assess
    expect(vague.topics.length).toBeGreaterThan(0);
    expect(vague.topics[0]?.score).toBeGreaterThan(0);
    expect(vague.topics[0]?.score).toBeLessThanOrEqual(1);
    expect(empty.topics).toEqual([]);
  });

  it('takes the item\'s own categories as a signal', () => {
    // Act
    const plain = classify({ title: 'Late drama in Madrid', text: '' });
    const categorised = classify({ title: 'Late drama in Madrid', text: '', categories: ['Football', 'Sport'] });

    // Assess
    const sportOf = (topics: typeof plain.topics): number => topics.find((topic) => topic.code === 'medtop:15000000')?.score ?? 0;
    expect(categorised.topics[0]?.code).toBe('medtop:15000000');
    expect(sportOf(categorised.topics)).toBeGreaterThan(sportOf(plain.topics));
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
    const children = result.topics.filter((topic) => topic.evidence[0] === 'tennis' && topic.code.startsWith('medtop:20'));
    expect(children.length).toBeGreaterThan(0);
    expect(children[0]?.score).toBeLessThanOrEqual(top?.score ?? 0);
  });

  it('reports a finer code learned from corpus labels under its parent', () => {
    // Act
    const result = classify({ title: '沪指收涨 创业板指涨逾2% 两市成交额破万亿', text: '' });

    // Assess
    const codes = result.topics.map((topic) => topic.code);
    expect(codes[0]).toBe('medtop:04000000');
    expect(codes).toContain('medtop:20000385');
  });
});
