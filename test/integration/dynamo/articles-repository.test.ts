import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  articleKeys,
  compactArticle,
  DynamoArticleRepository,
  listingKeys,
} from '#adapters/dynamo/articles-repository.js';
import { buildArticle } from './fixtures.js';
import { startLocalTables, type LocalTables } from './local-tables.js';

const TTL = 1_900_000_000;

describe('DynamoArticleRepository (dynalite)', () => {
  let local: LocalTables;
  let articles: DynamoArticleRepository;

  beforeAll(async () => {
    local = await startLocalTables('articles-test');
    articles = new DynamoArticleRepository(local.doc, local.names.articles);
  });

  afterAll(async () => {
    await local.close();
  });

  it('stores a new article once: true the first time, false for the same id afterwards', async () => {
    // Prepare
    const article = buildArticle({ articleId: 'once', topics: ['medtop:90000001'], countries: ['IS'] });

    // Act
    const first = await articles.putIfNew(article, TTL);
    await articles.markAnnounced('once');
    const second = await articles.putIfNew({ ...article, title: 'A different title' }, TTL);

    // Assess
    expect(first).toBe(true);
    expect(second).toBe(false);
    expect(await articles.get('once')).toEqual(article);
    const listed = await articles.listRecent({ topic: 'medtop:90000001', limit: 10 });
    expect(listed.map((a) => a.title)).toEqual([article.title]);
  });

  it('asks again for the event of an article stored by a poll that died before announcing it', async () => {
    // Prepare: a first poll stored the article, then crashed before publishing article.created.
    const article = buildArticle({ articleId: 'crashed-before-publish', topics: ['medtop:90000009'], countries: ['LT'] });
    await articles.putIfNew(article, TTL);

    // Act
    const retried = await articles.putIfNew(article, TTL);
    await articles.markAnnounced(article.articleId);
    const afterAnnounced = await articles.putIfNew(article, TTL);

    // Assess
    expect(retried).toBe(true);
    expect(afterAnnounced).toBe(false);
    expect(await articles.get(article.articleId)).toEqual(article);
  });

  it('returns undefined for an article never stored', async () => {
    // Act & Assess
    expect(await articles.get('never-stored')).toBeUndefined();
  });

  it('stamps the article and every listing entry with the TTL so they expire together', async () => {
    // Prepare
    const article = buildArticle({ articleId: 'ttl', topics: ['medtop:90000002'], countries: ['NO'] });

    // Act
    await articles.putIfNew(article, TTL);

    // Assess
    const keys = [articleKeys('ttl'), ...listingKeys(article)];
    const items = await Promise.all(
      keys.map((Key) => local.doc.send(new GetCommand({ TableName: local.names.articles, Key }))),
    );
    expect(items.map((result) => result.Item?.expiresAt)).toEqual(keys.map(() => TTL));
  });

  it('lists by topic and by country newest first, each only with the articles classified there', async () => {
    // Prepare
    const older = buildArticle({
      articleId: 'older',
      publishedAt: '2025-02-01T08:00:00.000Z',
      topics: ['medtop:91000000'],
      countries: ['SE'],
    });
    const newer = buildArticle({
      articleId: 'newer',
      publishedAt: '2025-02-01T09:00:00.000Z',
      topics: ['medtop:91000000', 'medtop:92000000'],
      countries: ['FI'],
    });
    const newest = buildArticle({
      articleId: 'newest',
      publishedAt: '2025-02-01T10:00:00.000Z',
      topics: ['medtop:92000000'],
      countries: ['SE', 'FI'],
    });
    for (const article of [newer, older, newest]) await articles.putIfNew(article, TTL);

    // Act
    const byTopic = await articles.listRecent({ topic: 'medtop:91000000', limit: 10 });
    const bySweden = await articles.listRecent({ country: 'SE', limit: 10 });
    const byFinlandLowerCase = await articles.listRecent({ country: 'fi', limit: 10 });
    const byTopicAndCountry = await articles.listRecent({ topic: 'medtop:92000000', country: 'SE', limit: 10 });
    const latestOne = await articles.listRecent({ limit: 1 });

    // Assess
    expect(byTopic.map((a) => a.articleId)).toEqual(['newer', 'older']);
    expect(bySweden.map((a) => a.articleId)).toEqual(['newest', 'older']);
    expect(byFinlandLowerCase.map((a) => a.articleId)).toEqual(['newest', 'newer']);
    expect(byTopicAndCountry.map((a) => a.articleId)).toEqual(['newest']);
    expect(latestOne.map((a) => a.articleId)).toEqual(['newest']);
  });

  it('serves listings from the compact copy, without the classification evidence', async () => {
    // Prepare
    const article = buildArticle({ articleId: 'compact', topics: ['medtop:93000000'] });
    await articles.putIfNew(article, TTL);

    // Act
    const [listed] = await articles.listRecent({ topic: 'medtop:93000000', limit: 1 });

    // Assess
    expect(listed).toEqual(compactArticle(article));
  });

  it('respects the limit across many entries in one partition', async () => {
    // Prepare
    const stored = Array.from({ length: 12 }, (_, i) =>
      buildArticle({
        articleId: `many-${i}`,
        publishedAt: new Date(Date.UTC(2025, 3, 1, i)).toISOString(),
        topics: ['medtop:94000000'],
      }),
    );
    await Promise.all(stored.map((article) => articles.putIfNew(article, TTL)));

    // Act
    const listed = await articles.listRecent({ topic: 'medtop:94000000', limit: 5 });

    // Assess
    expect(listed.map((a) => a.articleId)).toEqual(['many-11', 'many-10', 'many-9', 'many-8', 'many-7']);
  });

  it('writes listing entries beyond one 25-item batch for a broadly classified article', async () => {
    // Prepare
    const topics = Array.from({ length: 30 }, (_, i) => `medtop:95${String(i).padStart(6, '0')}`);
    const article = buildArticle({ articleId: 'broad', topics, countries: ['PT'] });

    // Act
    await articles.putIfNew(article, TTL);

    // Assess
    const lastTopic = await articles.listRecent({ topic: topics[29] ?? '', limit: 10 });
    expect(lastTopic.map((a) => a.articleId)).toEqual(['broad']);
    expect((await articles.listRecent({ country: 'PT', limit: 10 })).map((a) => a.articleId)).toEqual(['broad']);
  });

  it('completes an article whose listings were written before a crash, without duplicating the listings', async () => {
    // Prepare: the state a crash between the two steps leaves behind.
    const article = buildArticle({ articleId: 'crashed', topics: ['medtop:96000000'], countries: [] });
    for (const key of listingKeys(article)) {
      await local.doc.send(
        new PutCommand({ TableName: local.names.articles, Item: { ...compactArticle(article), ...key, expiresAt: TTL } }),
      );
    }

    // Act
    const stored = await articles.putIfNew(article, TTL);

    // Assess
    expect(stored).toBe(true);
    expect(await articles.get('crashed')).toEqual(article);
    const entries = await local.doc.send(
      new QueryCommand({
        TableName: local.names.articles,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'TOPIC#medtop:96000000' },
      }),
    );
    expect(entries.Items).toHaveLength(1);
  });

  it('stores a concurrently submitted article once, and none of the racers sees it as seen before it is announced', async () => {
    // Prepare
    const article = buildArticle({ articleId: 'raced', topics: ['medtop:97000000'] });

    // Act
    const results = await Promise.all(Array.from({ length: 8 }, () => articles.putIfNew(article, TTL)));
    await articles.markAnnounced('raced');
    const later = await Promise.all(Array.from({ length: 4 }, () => articles.putIfNew(article, TTL)));

    // Assess: until announced, a racer may announce too (at-least-once; alerts are deduplicated per story
    // downstream); once announced, nobody does.
    expect(results.filter(Boolean).length).toBeGreaterThanOrEqual(1);
    expect(later.filter(Boolean)).toHaveLength(0);
    const entries = await local.doc.send(
      new QueryCommand({
        TableName: local.names.articles,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'TOPIC#medtop:97000000' },
      }),
    );
    expect(entries.Items).toHaveLength(1);
  });
});
