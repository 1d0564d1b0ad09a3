// Builders for the domain objects the repository tests store; each test overrides only what it is about.
import type { ClassifiedArticle, Feed, Subscription } from '#domain/types.js';

export function buildFeed(overrides: Partial<Feed> = {}): Feed {
  return {
    feedId: 'feed-1',
    url: 'https://news.example/rss.xml',
    sourceName: 'Example News',
    enabled: true,
    pollIntervalSeconds: 300,
    nextPollAt: '2025-01-01T00:00:00.000Z',
    createdAt: '2024-12-01T00:00:00.000Z',
    health: { consecutiveFailures: 0 },
    ...overrides,
  };
}

export function buildArticle(
  overrides: Partial<ClassifiedArticle> & { topics?: string[]; countries?: string[] } = {},
): ClassifiedArticle {
  const { topics = ['medtop:11000000'], countries = ['FR'], ...rest } = overrides;
  const articleId = rest.articleId ?? 'article-1';
  return {
    articleId,
    storyId: articleId,
    url: `https://news.example/${articleId}`,
    title: `Title of ${articleId}`,
    summary: 'A summary.',
    publishedAt: '2025-01-01T10:00:00.000Z',
    fetchedAt: '2025-01-01T10:05:00.000Z',
    feedId: 'feed-1',
    sourceName: 'Example News',
    language: 'en',
    classification: {
      language: 'en',
      topics: topics.map((code) => ({ code, label: code, score: 0.9, evidence: ['parliament'] })),
      countries: countries.map((code) => ({
        code,
        role: 'primary' as const,
        score: 0.8,
        evidence: [{ text: 'Paris', field: 'title' as const, start: 0 }],
      })),
      classifierVersion: 'test-1',
    },
    ...rest,
  };
}

export function buildSubscription(overrides: Partial<Subscription> = {}): Subscription {
  return {
    subscriptionId: 'sub-1',
    owner: 'owner-1',
    topics: ['medtop:11000000'],
    countries: ['FR'],
    keywords: [],
    channel: { type: 'webhook', url: 'https://hooks.example/alerts', secret: 'whsec_c2VjcmV0' },
    status: 'active',
    createdAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}
