import { describe, expect, it } from 'vitest';
import { buildAlert, buildAlertFailedEvent, deliveryIdFor } from '#domain/alert.js';
import type { ClassifiedArticle, MatchReasons } from '#domain/types.js';

const article: ClassifiedArticle = {
  articleId: 'art_1',
  storyId: 'story_1',
  url: 'https://news.example.com/a',
  guid: 'internal-guid',
  title: 'Title',
  summary: 'Summary',
  publishedAt: '2025-03-01T10:00:00.000Z',
  fetchedAt: '2025-03-01T10:05:00.000Z',
  feedId: 'feed_internal',
  sourceName: 'Example News',
  language: 'en',
  author: 'A. Writer',
  classification: {
    language: 'en',
    topics: [{ code: 'medtop:11000000', label: 'politics', score: 0.9, evidence: ['talks'] }],
    countries: [{ code: 'RU', role: 'primary', score: 0.95, evidence: [{ text: 'Russia', field: 'title', start: 0 }] }],
    sourceCountry: 'GB',
    classifierVersion: 'v1',
  },
};

const reasons: MatchReasons = { topics: [], countries: [{ code: 'RU', role: 'primary', score: 0.95 }], keywords: ['talks'] };

describe('deliveryIdFor', () => {
  it('gives the same id for the same subscription and article, so a redelivery reuses the webhook-id', () => {
    expect(deliveryIdFor('sub_1', 'art_1')).toBe(deliveryIdFor('sub_1', 'art_1'));
  });

  it('gives different ids when either part differs, including a shifted boundary', () => {
    // Act
    const ids = [deliveryIdFor('sub_1', 'art_1'), deliveryIdFor('sub_2', 'art_1'), deliveryIdFor('sub_1', 'art_2'), deliveryIdFor('ab', 'c'), deliveryIdFor('a', 'bc')];

    // Assess
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is a short header-safe string with the dlv_ prefix', () => {
    expect(deliveryIdFor('sub_1', 'art_1')).toMatch(/^dlv_[A-Za-z0-9_-]{22}$/);
  });
});

describe('buildAlert', () => {
  it('builds the versioned payload with the delivery id, and leaves internal article fields out', () => {
    // Act
    const alert = buildAlert({
      deliveryId: 'dlv_x',
      subscription: { subscriptionId: 'sub_1' },
      article,
      reasons,
      now: new Date('2025-03-01T10:06:00.000Z'),
    });

    // Assess
    expect(alert).toEqual({
      type: 'alert.created',
      version: '1',
      id: 'dlv_x',
      timestamp: '2025-03-01T10:06:00.000Z',
      subscriptionId: 'sub_1',
      article: {
        articleId: 'art_1',
        storyId: 'story_1',
        url: 'https://news.example.com/a',
        title: 'Title',
        summary: 'Summary',
        publishedAt: '2025-03-01T10:00:00.000Z',
        sourceName: 'Example News',
        language: 'en',
      },
      classification: {
        topics: article.classification.topics,
        countries: article.classification.countries,
        sourceCountry: 'GB',
        classifierVersion: 'v1',
      },
      reasons,
    });
    expect(JSON.stringify(alert)).not.toMatch(/feed_internal|internal-guid|A\. Writer/);
  });

  it('omits sourceCountry when the classification has none', () => {
    // Prepare
    const { sourceCountry: _dropped, ...classification } = article.classification;

    // Act
    const alert = buildAlert({ deliveryId: 'd', subscription: { subscriptionId: 's' }, article: { ...article, classification }, reasons, now: new Date(0) });

    // Assess
    expect('sourceCountry' in alert.classification).toBe(false);
  });
});

describe('buildAlertFailedEvent', () => {
  const record = {
    type: 'alert.failed' as const,
    subscriptionId: 'sub_1',
    articleId: 'story_1',
    deliveryId: 'dlv_abc',
    attempts: 8,
    error: 'http-503',
    failedAt: '2025-03-01T12:00:00.000Z',
    alert: buildAlert({ deliveryId: 'dlv_abc', subscription: { subscriptionId: 'sub_1' }, article, reasons, now: new Date('2025-03-01T10:06:00Z') }),
  };

  it('keeps one id for one failure announced twice, and a new one for a later failure of the same delivery', () => {
    const first = buildAlertFailedEvent(record, new Date('2025-03-01T12:00:01Z'));
    const again = buildAlertFailedEvent(record, new Date('2025-03-01T12:05:00Z'));
    const later = buildAlertFailedEvent({ ...record, failedAt: '2025-03-02T12:00:00.000Z' }, new Date('2025-03-02T12:00:01Z'));

    expect(first).toMatchObject({ ...record, version: '1', timestamp: '2025-03-01T12:00:01.000Z' });
    expect(again.id).toBe(first.id);
    expect(later.id).not.toBe(first.id);
    expect(first.id).toMatch(/^evt_[A-Za-z0-9_-]{22}$/);
  });
});
