import { describe, expect, it } from 'vitest';
import { foldText, matchSubscription, matchSubscriptions } from '#domain/matching.js';
import type { ClassifiedArticle, Subscription } from '#domain/types.js';

function article(overrides: Partial<ClassifiedArticle> = {}): ClassifiedArticle {
  return {
    articleId: 'art_1',
    storyId: 'art_1',
    url: 'https://news.example.com/putin-xi',
    title: "Putin's talks with Xi signal new diplomacy",
    summary: 'The Russian and Chinese leaders met in Moscow; Ukraine and the United States were discussed.',
    publishedAt: '2025-03-01T10:00:00.000Z',
    fetchedAt: '2025-03-01T10:05:00.000Z',
    feedId: 'feed_1',
    sourceName: 'Example News',
    language: 'en',
    classification: {
      language: 'en',
      topics: [{ code: 'medtop:11000000', label: 'politics', score: 0.9, evidence: ['diplomacy', 'talks'] }],
      countries: [
        { code: 'RU', role: 'primary', score: 0.95, evidence: [] },
        { code: 'CN', role: 'mentioned', score: 0.8, evidence: [] },
        { code: 'UA', role: 'mentioned', score: 0.4, evidence: [] },
        { code: 'US', role: 'mentioned', score: 0.3, evidence: [] },
      ],
      classifierVersion: 'test-1',
    },
    ...overrides,
  };
}

function sub(id: string, constraints: Partial<Pick<Subscription, 'topics' | 'countries' | 'keywords' | 'status'>>): Subscription {
  return {
    subscriptionId: id,
    owner: 'alice',
    topics: [],
    countries: [],
    keywords: [],
    channel: { type: 'sns' },
    status: 'active',
    createdAt: '2025-01-01T00:00:00.000Z',
    ...constraints,
  };
}

function withText(title: string, summary = ''): ClassifiedArticle {
  return article({ title, summary });
}

describe('matchSubscriptions on a Russia/China diplomacy article', () => {
  const subs = [
    sub('of-ru', { countries: ['RU'] }),
    sub('of-cn', { countries: ['CN'] }),
    sub('of-diplomacy', { keywords: ['diplomacy'] }),
    sub('of-politics', { topics: ['medtop:11000000'] }),
    sub('of-fr', { countries: ['FR'] }),
    sub('of-sport', { topics: ['medtop:15000000'] }),
    sub('paused-ru', { countries: ['RU'], status: 'paused' }),
    sub('disabled-ru', { countries: ['RU'], status: 'disabled' }),
  ];

  it('matches the RU, CN, keyword and topic subscribers and no one else', () => {
    // Act
    const matches = matchSubscriptions(subs, article());

    // Assess
    expect(matches.map((m) => m.subscription.subscriptionId)).toEqual(['of-ru', 'of-cn', 'of-diplomacy', 'of-politics']);
  });

  it('explains each match with what matched and its score', () => {
    // Act
    const byId = new Map(matchSubscriptions(subs, article()).map((m) => [m.subscription.subscriptionId, m.reasons]));

    // Assess
    expect(byId.get('of-ru')).toEqual({ topics: [], countries: [{ code: 'RU', role: 'primary', score: 0.95 }], keywords: [] });
    expect(byId.get('of-cn')).toEqual({ topics: [], countries: [{ code: 'CN', role: 'mentioned', score: 0.8 }], keywords: [] });
    expect(byId.get('of-diplomacy')).toEqual({ topics: [], countries: [], keywords: ['diplomacy'] });
    expect(byId.get('of-politics')).toEqual({ topics: [{ code: 'medtop:11000000', score: 0.9 }], countries: [], keywords: [] });
  });
});

describe('matchSubscription', () => {
  it('requires every given dimension (AND across dimensions)', () => {
    // Prepare
    const ruAndSport = sub('s', { countries: ['RU'], topics: ['medtop:15000000'] });
    const ruAndPolitics = sub('s', { countries: ['RU'], topics: ['medtop:11000000'], keywords: ['xi'] });

    // Act / Assess
    expect(matchSubscription(ruAndSport, article())).toBeUndefined();
    expect(matchSubscription(ruAndPolitics, article())).toEqual({
      topics: [{ code: 'medtop:11000000', score: 0.9 }],
      countries: [{ code: 'RU', role: 'primary', score: 0.95 }],
      keywords: ['xi'],
    });
  });

  it('needs only one value within a dimension (OR within one) and reports all that matched', () => {
    // Prepare
    const s = sub('s', { countries: ['FR', 'UA', 'US'], keywords: ['football', 'moscow', 'kremlin'] });

    // Act
    const reasons = matchSubscription(s, article());

    // Assess
    expect(reasons?.countries.map((c) => c.code)).toEqual(['UA', 'US']);
    expect(reasons?.keywords).toEqual(['moscow']);
  });

  it('does not match the publisher country when the article is not about it', () => {
    // Prepare
    const base = article();
    const fromFrance = article({ classification: { ...base.classification, sourceCountry: 'FR' } });

    // Act / Assess
    expect(matchSubscription(sub('s', { countries: ['FR'] }), fromFrance)).toBeUndefined();
  });

  it('never matches a subscription with no constraint', () => {
    expect(matchSubscription(sub('empty', {}), article())).toBeUndefined();
  });

  it('matches a child topic to a subscribed parent when the hierarchy is given', () => {
    // Prepare: medtop:20000621 is not derivable from 11000000, so the hierarchy is the only way to know.
    const base = article();
    const child = article({
      classification: { ...base.classification, topics: [{ code: 'medtop:20000621', label: 'diplomacy', score: 0.7, evidence: [] }] },
    });
    const parents: Record<string, string> = { 'medtop:20000621': 'medtop:20000565', 'medtop:20000565': 'medtop:11000000' };
    const s = sub('s', { topics: ['medtop:11000000'] });

    // Act
    const without = matchSubscription(s, child);
    const withHierarchy = matchSubscription(s, child, { parentOf: (code) => parents[code] });

    // Assess
    expect(without).toBeUndefined();
    expect(withHierarchy?.topics).toEqual([{ code: 'medtop:20000621', score: 0.7 }]);
  });

  it('survives a hierarchy with a cycle', () => {
    // Prepare
    const s = sub('s', { topics: ['medtop:99999999'] });

    // Act
    const reasons = matchSubscription(s, article(), { parentOf: (code) => (code === 'medtop:11000000' ? 'medtop:11000000' : undefined) });

    // Assess
    expect(reasons).toBeUndefined();
  });
});

describe('keyword matching', () => {
  const matches = (keyword: string, text: ClassifiedArticle): boolean =>
    matchSubscription(sub('k', { keywords: [keyword] }), text) !== undefined;

  it.each([
    ['Putin', "Putin's visit"],
    ['putin', 'PUTIN SPEAKS'],
    ['Zelensky', 'Zelenský meets allies'],
    ['zelenský', 'Zelensky meets allies'],
    ['Élysée', 'talks at the elysee palace'],
    ['sao paulo', 'Flooding in São Paulo'],
    ['new york', 'rally in New\u00a0York today'],
    ['covid-19', 'COVID 19 cases rise'],
    ['U.S.', 'the U.S. response'],
    ['art', 'Modern art, old masters'],
    ['北京', '北京时间今天'],
  ])('"%s" is found in "%s"', (keyword, title) => {
    expect(matches(keyword, withText(title))).toBe(true);
  });

  it.each([
    ['art', 'The party was large'],
    ['art', 'a smart move'],
    ['putin', 'putinism rises'],
    ['new york', 'new yorker magazine'],
    ['ukraine', 'the Ukrainian army'],
    ['!!!', 'wow!!! news'],
  ])('"%s" is not found in "%s"', (keyword, title) => {
    expect(matches(keyword, withText(title))).toBe(false);
  });

  it('looks in the summary as well as the title, but a phrase does not span the two', () => {
    // Prepare
    const text = withText('Talks in New', 'York were long');

    // Act / Assess
    expect(matches('york', text)).toBe(true);
    expect(matches('new york', text)).toBe(false);
  });
});

describe('foldText', () => {
  it('removes case and diacritics', () => {
    expect(foldText('Ça Élève ZELENSKÝ')).toBe('ca eleve zelensky');
  });
});
