import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { articleIdFor, normalizeLanguage, toArticle, type ToArticleContext } from '#domain/article.js';
import type { FeedItem } from '#domain/feed-item.js';

const ctx: ToArticleContext = {
  feedId: 'feed-1',
  sourceName: 'Harbour Town Gazette',
  feedLink: 'https://gazette.example.org/',
  language: 'en-GB',
  fetchedAt: '2024-06-03T12:00:00.000Z',
};

describe('articleIdFor', () => {
  it('is the first 22 base64url characters of the SHA-256', () => {
    const expected = createHash('sha256').update('https://example.com/a').digest('base64url').slice(0, 22);

    expect(articleIdFor('https://example.com/a')).toBe(expected);
  });

  it('is always 22 URL-safe characters and differs for different inputs (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(articleIdFor(a)).toMatch(/^[A-Za-z0-9_-]{22}$/);
        if (a !== b) expect(articleIdFor(a)).not.toBe(articleIdFor(b));
      }),
    );
  });
});

describe('toArticle', () => {
  it('builds an article with a canonical URL, plain text and an ISO date', () => {
    // Prepare
    const item: FeedItem = {
      guid: 'gazette-42',
      link: '/news/ferry?utm_source=rss&id=42#top',
      title: '  Ferry <b>timetable</b> &amp; fares  ',
      summaryHtml: '<p>The morning ferry leaves <b>ten minutes</b> earlier.</p><script>track()</script>',
      contentHtml: '<p>Longer text</p>',
      published: 'Mon, 03 Jun 2024 07:30:00 +0100',
      author: 'Morgan Quill',
      categories: ['Transport', ' Transport ', '<i>Harbour</i>', ''],
      imageUrl: '/img/ferry.jpg?w=640',
    };

    // Act
    const article = toArticle(item, ctx);

    // Assess
    const url = 'https://gazette.example.org/news/ferry?id=42';
    expect(article).toEqual({
      articleId: articleIdFor(url),
      storyId: articleIdFor(url),
      url,
      guid: 'gazette-42',
      title: 'Ferry timetable & fares',
      summary: 'The morning ferry leaves ten minutes earlier.',
      publishedAt: '2024-06-03T06:30:00.000Z',
      fetchedAt: ctx.fetchedAt,
      feedId: 'feed-1',
      sourceName: 'Harbour Town Gazette',
      language: 'en',
      author: 'Morgan Quill',
      categories: ['Transport', 'Harbour'],
      imageUrl: 'https://gazette.example.org/img/ferry.jpg?w=640',
    });
  });

  it('gives the same id to the same story reached through different tracking links', () => {
    const a = toArticle({ link: 'https://Example.com/story?utm_source=twitter' }, ctx);
    const b = toArticle({ link: 'https://example.com/story?fbclid=xyz#comments' }, ctx);

    expect(a?.articleId).toBeDefined();
    expect(a?.articleId).toBe(b?.articleId);
  });

  it('hashes the guid when there is no usable link', () => {
    const article = toArticle({ guid: ' urn:story:7 ', link: 'javascript:void(0)', title: 'No link' }, ctx);

    expect(article?.articleId).toBe(articleIdFor('urn:story:7'));
    expect(article?.guid).toBe('urn:story:7');
    expect(article?.url).toBe('https://gazette.example.org/');
  });

  it('returns undefined for an item with neither link nor guid', () => {
    expect(toArticle({ title: 'Orphan', summaryHtml: 'text' }, ctx)).toBeUndefined();
    expect(toArticle({ guid: '   ', link: 'mailto:x@example.com' }, ctx)).toBeUndefined();
  });

  it('takes the title from the first words of the summary when the item has none', () => {
    const summary = 'Residents of the harbour district woke to find the old lighthouse painted bright pink overnight, and nobody knows who did it.';

    const article = toArticle({ link: 'https://example.com/pink', summaryHtml: `<p>${summary}</p>` }, ctx);

    expect(article?.title.endsWith('…')).toBe(true);
    expect(article?.title.length).toBeLessThanOrEqual(100);
    expect(summary.startsWith(article?.title.slice(0, -1) ?? 'x')).toBe(true);
  });

  it('uses the content when the summary is empty and caps the summary at 1,000 characters', () => {
    const long = 'word '.repeat(400);

    const article = toArticle({ link: 'https://example.com/long', summaryHtml: '<p> </p>', contentHtml: `<div>${long}</div>` }, ctx);

    expect(article?.summary.length).toBeLessThanOrEqual(1_000);
    expect(article?.summary.startsWith('word word')).toBe(true);
    expect(article?.summary.endsWith('…')).toBe(true);
  });

  it('falls back to fetchedAt for missing, unparseable or far-future dates', () => {
    const base = { link: 'https://example.com/d' };

    expect(toArticle(base, ctx)?.publishedAt).toBe(ctx.fetchedAt);
    expect(toArticle({ ...base, published: 'last Tuesday' }, ctx)?.publishedAt).toBe(ctx.fetchedAt);
    expect(toArticle({ ...base, published: '2024-06-03T13:00:00Z' }, ctx)?.publishedAt).toBe(ctx.fetchedAt);
    expect(toArticle({ ...base, published: '2024-06-03T13:00:00Z' }, { ...ctx, futureToleranceMinutes: 90 })?.publishedAt).toBe(
      '2024-06-03T13:00:00.000Z',
    );
  });

  it('omits optional fields that are empty', () => {
    const article = toArticle({ link: 'https://example.com/bare', title: 'Bare', author: ' ', categories: [], imageUrl: 'data:x' }, ctx);

    expect(article).not.toHaveProperty('author');
    expect(article).not.toHaveProperty('categories');
    expect(article).not.toHaveProperty('imageUrl');
    expect(article).not.toHaveProperty('guid');
  });

  it('never throws and always yields plain-text fields for arbitrary items (property)', () => {
    const text = fc.option(fc.string(), { nil: undefined });
    fc.assert(
      fc.property(
        fc.record({ guid: text, link: fc.option(fc.webUrl(), { nil: undefined }), title: text, summaryHtml: text, published: text }),
        (item) => {
          const article = toArticle(item, ctx);
          if (article === undefined) {
            expect(item.link === undefined && (item.guid ?? '').trim() === '').toBe(true);
            return;
          }
          expect(article.summary.length).toBeLessThanOrEqual(1_000);
          expect(Number.isNaN(Date.parse(article.publishedAt))).toBe(false);
          expect(article.storyId).toBe(article.articleId);
        },
      ),
    );
  });
});

describe('normalizeLanguage', () => {
  it.each([
    ['en-GB', 'en'],
    ['pt_BR', 'pt'],
    ['RU', 'ru'],
    [' de ', 'de'],
    ['eng', 'und'],
    ['', 'und'],
    [undefined, 'und'],
    ['x-klingon', 'und'],
  ])('maps %j to %s', (tag, expected) => {
    expect(normalizeLanguage(tag)).toBe(expected);
  });
});
