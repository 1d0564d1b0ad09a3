import { describe, expect, it } from 'vitest';
import {
  articleKeys,
  compactArticle,
  listingKeys,
  listingPartitionFor,
  listingSortKey,
} from '#adapters/dynamo/articles-repository.js';
import { ValidationError } from '#domain/errors.js';
import { buildArticle } from '../../../integration/dynamo/fixtures.js';

describe('article keys', () => {
  it('places the article itself under its own partition with a fixed sort key', () => {
    // Act
    const key = articleKeys('abc123');

    // Assess
    expect(key).toEqual({ pk: 'ARTICLE#abc123', sk: 'ARTICLE' });
  });

  it('refuses an empty article id instead of sending it to DynamoDB', () => {
    // Act & Assess
    expect(() => articleKeys('')).toThrow(ValidationError);
  });
});

describe('listing keys', () => {
  it('lists an article under RECENT, each topic and each country, all with the same time-ordered sort key', () => {
    // Prepare
    const article = buildArticle({
      articleId: 'a1',
      publishedAt: '2025-03-04T05:06:07.000Z',
      topics: ['medtop:11000000', 'medtop:04000000'],
      countries: ['FR', 'DE'],
    });

    // Act
    const keys = listingKeys(article);

    // Assess
    const sk = '2025-03-04T05:06:07.000Z#a1';
    expect(keys).toEqual([
      { pk: 'RECENT', sk },
      { pk: 'TOPIC#medtop:11000000', sk },
      { pk: 'TOPIC#medtop:04000000', sk },
      { pk: 'COUNTRY#FR', sk },
      { pk: 'COUNTRY#DE', sk },
    ]);
  });

  it('writes one entry per distinct partition, since a batch may not hold the same key twice', () => {
    // Prepare
    const article = buildArticle({ topics: ['medtop:1', 'medtop:1'], countries: ['fr', 'FR'] });

    // Act
    const partitions = listingKeys(article).map((key) => key.pk);

    // Assess
    expect(partitions).toEqual(['RECENT', 'TOPIC#medtop:1', 'COUNTRY#FR']);
  });

  it('normalises publishedAt so that string order of sort keys is time order', () => {
    // Act
    const withOffset = listingSortKey('2025-03-04T07:06:07+02:00', 'a1');
    const withoutMillis = listingSortKey('2025-03-04T05:06:07Z', 'a1');
    const later = listingSortKey('2025-03-04T05:06:07.500Z', 'a1');

    // Assess
    expect(withOffset).toBe('2025-03-04T05:06:07.000Z#a1');
    expect(withoutMillis).toBe(withOffset);
    expect([later, withoutMillis].sort()).toEqual([withoutMillis, later]);
  });

  it('rejects an unparseable publishedAt with a validation error', () => {
    // Act & Assess
    expect(() => listingSortKey('yesterday', 'a1')).toThrow(ValidationError);
  });
});

describe('listing partition of a query', () => {
  it('reads RECENT without a filter, the topic when given (even with a country), else the upper-cased country', () => {
    // Act & Assess
    expect(listingPartitionFor({})).toBe('RECENT');
    expect(listingPartitionFor({ topic: 'medtop:1', country: 'FR' })).toBe('TOPIC#medtop:1');
    expect(listingPartitionFor({ country: 'fr' })).toBe('COUNTRY#FR');
  });
});

describe('compact article', () => {
  it('drops classification evidence but keeps scores and every article field', () => {
    // Prepare
    const article = buildArticle();

    // Act
    const compact = compactArticle(article);

    // Assess
    expect(compact.classification.topics.map((t) => t.evidence)).toEqual([[]]);
    expect(compact.classification.countries.map((c) => c.evidence)).toEqual([[]]);
    expect(compact.classification.topics[0]?.score).toBe(0.9);
    expect({ ...compact, classification: undefined }).toEqual({ ...article, classification: undefined });
    expect(article.classification.topics[0]?.evidence).toEqual(['parliament']);
  });
});
