// The ingest core (functions/handlers/ingest.ts) over the in-memory adapters: what one feed body turns into, and
// what a second body of the same feed, or another outlet's, changes.
import { describe, expect, it } from 'vitest';
import { MemoryArticleEvents } from '#adapters/memory/article-events.js';
import { MemoryArticleRepository } from '#adapters/memory/article-store.js';
import { MemoryStoryIndex } from '#adapters/memory/story-index.js';
import { classify } from '#domain/classification/index.js';
import type { Classification } from '#domain/types.js';
import { DEFAULT_SETTINGS } from '#handlers/deps.js';
import { ingestFeedBody, type IngestDeps } from '#handlers/ingest.js';
import { SAME_STORY_PAIRS, type StoryText } from '../../fixtures/stories.js';

const AT = new Date('2025-06-03T08:00:00.000Z');
const LATER = new Date('2025-06-03T09:00:00.000Z');

function memoryDeps(classifier: IngestDeps['classify'] = classify): IngestDeps & { events: MemoryArticleEvents } {
  const events = new MemoryArticleEvents();
  return { articles: new MemoryArticleRepository(), stories: new MemoryStoryIndex(), articleEvents: events, events, classify: classifier, settings: DEFAULT_SETTINGS };
}

function rss(channel: string, items: { link: string; text: StoryText }[]): Buffer {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const body = items.map(({ link, text }) => `<item><title>${escape(text.title)}</title><link>${link}</link><description>${escape(text.summary)}</description></item>`);
  return Buffer.from(`<?xml version="1.0"?><rss version="2.0"><channel>${channel}${body.join('')}</channel></rss>`);
}

const feed = (feedId: string, url: string, extra: { sourceName?: string; language?: string } = {}) => ({ feedId, url, ...extra });

describe('ingestFeedBody', () => {
  it('stores and announces each new article once, in feed order, skipping duplicates and items without a link', async () => {
    // Prepare
    const deps = memoryDeps();
    const { a, b } = SAME_STORY_PAIRS[1]!;
    const body = rss('<title>Wire</title><link>https://wire.example/</link>', [
      { link: 'https://wire.example/ecb', text: a },
      { link: 'https://wire.example/ecb?utm_source=rss', text: a },
      { link: '', text: b },
    ]);

    // Act
    const first = await ingestFeedBody(deps, { feed: feed('wire', 'https://wire.example/rss'), body, bodyUrl: 'https://wire.example/rss', at: AT });
    const again = await ingestFeedBody(deps, { feed: feed('wire', 'https://wire.example/rss'), body, bodyUrl: 'https://wire.example/rss', at: LATER });

    // Assess
    expect(first).toMatchObject({ items: 3, created: 1, updated: 0, duplicates: 1, unusable: 1 });
    expect(first.announced.map((article) => article.url)).toEqual(['https://wire.example/ecb']);
    expect(again).toMatchObject({ created: 0, updated: 0, announced: [] });
    expect(deps.events.published.map((event) => event.type)).toEqual(['article.created']);
  });

  it('gives another outlet\'s report of the same event the first one\'s story, and an edit keeps it', async () => {
    // Prepare
    const deps = memoryDeps();
    const { a, b } = SAME_STORY_PAIRS[0]!;
    await ingestFeedBody(deps, { feed: feed('one', 'https://one.example/rss'), body: rss('', [{ link: 'https://one.example/quake', text: a }]), bodyUrl: 'https://one.example/rss', at: AT });
    const [first] = deps.events.published;

    // Act
    const other = await ingestFeedBody(deps, { feed: feed('two', 'https://two.example/rss'), body: rss('', [{ link: 'https://two.example/q', text: b }]), bodyUrl: 'https://two.example/rss', at: LATER });
    const edited = { ...b, title: `${b.title}: no damage reported` };
    const edit = await ingestFeedBody(deps, { feed: feed('two', 'https://two.example/rss'), body: rss('', [{ link: 'https://two.example/q', text: edited }]), bodyUrl: 'https://two.example/rss', at: LATER });

    // Assess
    expect(other.announced[0]?.storyId).toBe(first?.article.articleId);
    expect(edit).toMatchObject({ created: 0, updated: 1 });
    expect(edit.announced[0]).toMatchObject({ storyId: first?.article.articleId, revision: 1, title: edited.title });
    expect(deps.events.published.map((event) => event.type)).toEqual(['article.created', 'article.created', 'article.updated']);
  });

  it('resolves relative links against the feed\'s own link, itself resolved against where the body came from', async () => {
    // Prepare
    const deps = memoryDeps();
    const body = rss('<title>Local</title><link>/news/</link>', [{ link: 'story-1', text: SAME_STORY_PAIRS[2]!.a }]);

    // Act
    const result = await ingestFeedBody(deps, { feed: feed('local', 'http://local.example/feeds/all.xml'), body, bodyUrl: 'https://local.example/feeds/all.xml', at: AT });

    // Assess
    expect(result.source.baseUrl).toBe('https://local.example/news/');
    expect(result.announced[0]?.url).toBe('https://local.example/news/story-1');
  });

  it('names the source by its configuration, else its title, else its host', async () => {
    // Prepare
    const body = (channel: string) => rss(channel, [{ link: 'https://n.example/1', text: SAME_STORY_PAIRS[2]!.b }]);
    const ingest = (channel: string, sourceName?: string) =>
      ingestFeedBody(memoryDeps(), { feed: feed('n', 'https://n.example/rss', sourceName ? { sourceName } : {}), body: body(channel), bodyUrl: 'https://n.example/rss', at: AT });

    // Act
    const named = await ingest('<title>Feed title</title>', 'Configured Name');
    const titled = await ingest('<title>  Feed title </title>');
    const bare = await ingest('<title> </title>');

    // Assess
    expect([named, titled, bare].map((result) => result.announced[0]?.sourceName)).toEqual(['Configured Name', 'Feed title', 'n.example']);
  });

  it('takes each article\'s language from its classification when the feed neither has nor shows one', async () => {
    // Prepare: two lines of no language a detector knows; the classifier answers per article.
    const languages = ['pt', 'es'];
    const seen: (string | undefined)[] = [];
    const deps = memoryDeps((input) => {
      seen.push(input.language);
      return { language: languages[seen.length - 1] ?? 'und', topics: [], countries: [], classifierVersion: 'test' } satisfies Classification;
    });
    const body = rss('', [
      { link: 'https://x.example/1', text: { title: '1234 5678', summary: '' } },
      { link: 'https://x.example/2', text: { title: '9012 3456', summary: '' } },
    ]);

    // Act
    const result = await ingestFeedBody(deps, { feed: feed('x', 'https://x.example/rss'), body, bodyUrl: 'https://x.example/rss', at: AT });

    // Assess
    expect(result.source.language).toBeUndefined();
    expect(seen).toEqual([undefined, undefined]);
    expect(result.announced.map((article) => article.language)).toEqual(['pt', 'es']);
  });

  it('hands the classifier the configured language, and every article keeps it', async () => {
    // Prepare
    const seen: (string | undefined)[] = [];
    const deps = memoryDeps((input) => {
      seen.push(input.language);
      return { language: 'en', topics: [], countries: [], classifierVersion: 'test' };
    });
    const body = rss('<language>en</language>', [{ link: 'https://y.example/1', text: SAME_STORY_PAIRS[2]!.a }]);

    // Act
    const result = await ingestFeedBody(deps, { feed: feed('y', 'https://y.example/rss', { language: 'pt-BR' }), body, bodyUrl: 'https://y.example/rss', at: AT });

    // Assess
    expect(seen).toEqual(['pt']);
    expect(result.announced[0]?.language).toBe('pt');
  });

  it('throws the feed error of a body that is no feed, before writing anything', async () => {
    // Prepare
    const deps = memoryDeps();

    // Act / Assess
    await expect(ingestFeedBody(deps, { feed: feed('h', 'https://h.example/'), body: Buffer.from('<html><body>hi</body></html>'), bodyUrl: 'https://h.example/', at: AT })).rejects.toMatchObject({ reason: 'not-a-feed' });
    expect(deps.events.published).toEqual([]);
  });
});
