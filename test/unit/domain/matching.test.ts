import { describe, expect, it } from 'vitest';
import { sub } from '../../fixtures/subscriptions.js';
import { DEFAULT_TOPIC_MIN_SCORE, foldText, matchSubscription, matchSubscriptionContent, matchSubscriptions } from '#domain/matching.js';
import type { ClassifiedArticle } from '#domain/types.js';

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

const NOW = new Date('2025-03-01T12:00:00.000Z');


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
    const matches = matchSubscriptions(subs, article(), NOW);

    // Assess
    expect(matches.map((m) => m.subscription.subscriptionId)).toEqual(['of-ru', 'of-cn', 'of-diplomacy', 'of-politics']);
  });

  it('explains each match with what matched and its score', () => {
    // Act
    const byId = new Map(matchSubscriptions(subs, article(), NOW).map((m) => [m.subscription.subscriptionId, m.reasons]));

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
    expect(matchSubscription(ruAndSport, article(), NOW)).toBeUndefined();
    expect(matchSubscription(ruAndPolitics, article(), NOW)).toEqual({
      topics: [{ code: 'medtop:11000000', score: 0.9 }],
      countries: [{ code: 'RU', role: 'primary', score: 0.95 }],
      keywords: ['xi'],
    });
  });

  it('needs only one value within a dimension (OR within one) and reports all that matched', () => {
    // Prepare
    const s = sub('s', { countries: ['FR', 'UA', 'US'], keywords: ['football', 'moscow', 'kremlin'] });

    // Act
    const reasons = matchSubscription(s, article(), NOW);

    // Assess
    expect(reasons?.countries.map((c) => c.code)).toEqual(['UA', 'US']);
    expect(reasons?.keywords).toEqual(['moscow']);
  });

  it('does not match the publisher country when the article is not about it', () => {
    // Prepare
    const base = article();
    const fromFrance = article({ classification: { ...base.classification, sourceCountry: 'FR' } });

    // Act / Assess
    expect(matchSubscription(sub('s', { countries: ['FR'] }), fromFrance, NOW)).toBeUndefined();
  });

  it('never matches a subscription with no constraint', () => {
    expect(matchSubscription(sub('empty', {}), article(), NOW)).toBeUndefined();
  });

  it('matches a child topic to a subscribed parent through the IPTC tree', () => {
    // Prepare: medtop:20000621 (diplomacy) is not derivable from 11000000 (politics): only the tree knows.
    const base = article();
    const child = article({
      classification: { ...base.classification, topics: [{ code: 'medtop:20000621', label: 'diplomacy', score: 0.7, evidence: [] }] },
    });
    const s = sub('s', { topics: ['medtop:11000000'] });

    // Act
    const withTree = matchSubscription(s, child, NOW);
    const withoutHierarchy = matchSubscription(s, child, NOW, { parentOf: () => undefined });

    // Assess
    expect(withTree?.topics).toEqual([{ code: 'medtop:20000621', score: 0.7 }]);
    expect(withoutHierarchy).toBeUndefined();
  });

  it('does not match a parent topic to a subscribed child', () => {
    // Prepare: the article is about politics in general; the subscriber wants diplomacy only.
    const s = sub('s', { topics: ['medtop:20000621'] });

    // Act / Assess
    expect(matchSubscription(s, article(), NOW)).toBeUndefined();
  });

  it('survives a hierarchy with a cycle', () => {
    // Prepare
    const s = sub('s', { topics: ['medtop:99999999'] });

    // Act
    const reasons = matchSubscription(s, article(), NOW, { parentOf: (code) => (code === 'medtop:11000000' ? 'medtop:11000000' : undefined) });

    // Assess
    expect(reasons).toBeUndefined();
  });
});

describe('keyword matching', () => {
  const matches = (keyword: string, text: ClassifiedArticle): boolean =>
    matchSubscription(sub('k', { keywords: [keyword] }), text, NOW) !== undefined;

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

describe('country roles', () => {
  const fromFrance = (): ClassifiedArticle => {
    const base = article();
    return article({ classification: { ...base.classification, sourceCountry: 'FR' } });
  };

  it('about (the default) matches a country in any role', () => {
    expect(matchSubscription(sub('s', { countries: ['CN'] }), article(), NOW)?.countries).toEqual([{ code: 'CN', role: 'mentioned', score: 0.8 }]);
  });

  it('primary matches only the primary countries', () => {
    // Act
    const mentioned = matchSubscription(sub('s', { countries: ['CN'], countryRole: 'primary' }), article(), NOW);
    const primary = matchSubscription(sub('s', { countries: ['CN', 'RU'], countryRole: 'primary' }), article(), NOW);

    // Assess
    expect(mentioned).toBeUndefined();
    expect(primary?.countries).toEqual([{ code: 'RU', role: 'primary', score: 0.95 }]);
  });

  it('source matches the publisher country, and not what the article is about', () => {
    // Act
    const source = matchSubscription(sub('s', { countries: ['FR'], countryRole: 'source' }), fromFrance(), NOW);
    const aboutRussia = matchSubscription(sub('s', { countries: ['RU'], countryRole: 'source' }), fromFrance(), NOW);

    // Assess
    expect(source?.countries).toEqual([{ code: 'FR', role: 'source', score: 1 }]);
    expect(aboutRussia).toBeUndefined();
  });
});

describe('queries, languages, sources and scores', () => {
  it('ANDs the boolean query with the keyword list and reports the matched terms of both', () => {
    // Prepare
    const s = sub('s', { keywords: ['kremlin', 'moscow'], query: 'xi AND (talks OR summit) NOT football' });

    // Act
    const reasons = matchSubscription(s, article(), NOW);
    const queryFails = matchSubscription({ ...s, query: 'xi AND summit' }, article(), NOW);
    const keywordsFail = matchSubscription({ ...s, keywords: ['beijing'] }, article(), NOW);

    // Assess
    expect(reasons?.keywords).toEqual(['moscow', 'xi', 'talks']);
    expect(queryFails).toBeUndefined();
    expect(keywordsFail).toBeUndefined();
  });

  it('matches a query alone, and reports no term that sits under a NOT', () => {
    // Act
    const reasons = matchSubscription(sub('s', { query: 'putin NOT (football OR tennis)' }), article(), NOW);
    const excluded = matchSubscription(sub('s', { query: 'putin NOT "united states"' }), article(), NOW);

    // Assess
    expect(reasons).toEqual({ topics: [], countries: [], keywords: ['putin'] });
    expect(excluded).toBeUndefined();
  });

  it('keeps only the listed languages, whatever their case', () => {
    expect(matchSubscription(sub('s', { countries: ['RU'], languages: ['DE', 'fr'] }), article(), NOW)).toBeUndefined();
    expect(matchSubscription(sub('s', { countries: ['RU'], languages: ['de', 'EN'] }), article(), NOW)).toBeDefined();
  });

  it('matches every article in a language when the language is all it asks for', () => {
    expect(matchSubscription(sub('s', { languages: ['en'] }), article(), NOW)).toEqual({ topics: [], countries: [], keywords: [] });
  });

  it('keeps only included sources and drops excluded ones', () => {
    expect(matchSubscription(sub('s', { countries: ['RU'], includeSources: ['feed_2'] }), article(), NOW)).toBeUndefined();
    expect(matchSubscription(sub('s', { countries: ['RU'], includeSources: ['feed_2', 'feed_1'] }), article(), NOW)).toBeDefined();
    expect(matchSubscription(sub('s', { countries: ['RU'], excludeSources: ['feed_1'] }), article(), NOW)).toBeUndefined();
    expect(matchSubscription(sub('s', { includeSources: ['feed_1'] }), article(), NOW)).toBeDefined();
  });

  it('holds topics and countries to the minimum score, but not keywords', () => {
    // Act
    const countries = matchSubscription(sub('s', { countries: ['CN', 'UA', 'US'], minScore: 0.5 }), article(), NOW);
    const tooWeak = matchSubscription(sub('s', { countries: ['UA'], minScore: 0.5 }), article(), NOW);
    const topic = matchSubscription(sub('s', { topics: ['medtop:11000000'], minScore: 0.95 }), article(), NOW);
    const keyword = matchSubscription(sub('s', { keywords: ['xi'], minScore: 0.99 }), article(), NOW);

    // Assess
    expect(countries?.countries.map((c) => c.code)).toEqual(['CN']);
    expect(tooWeak).toBeUndefined();
    expect(topic).toBeUndefined();
    expect(keyword?.keywords).toEqual(['xi']);
  });

  it('holds topics to DEFAULT_TOPIC_MIN_SCORE when the subscription sets no minimum, and to its own when it does', () => {
    // Prepare: the classifier's best guesses on a vague item
    const guess = article({
      classification: {
        language: 'en',
        topics: [
          { code: 'medtop:15000000', label: 'sport', score: DEFAULT_TOPIC_MIN_SCORE - 0.05, evidence: [] },
          { code: 'medtop:01000000', label: 'arts', score: 0.2, evidence: [] },
        ],
        countries: [{ code: 'ES', role: 'primary', score: 0.2, evidence: [] }],
        classifierVersion: 'test',
      },
    });

    // Act
    const byDefault = matchSubscription(sub('s', { topics: ['medtop:15000000'] }), guess, NOW);
    const lenient = matchSubscription(sub('s', { topics: ['medtop:15000000'], minScore: 0.1 }), guess, NOW);
    const country = matchSubscription(sub('s', { countries: ['ES'] }), guess, NOW);
    const confident = matchSubscription(sub('s', { topics: ['medtop:11000000'] }), article(), NOW);

    // Assess
    expect(byDefault).toBeUndefined();
    expect(lenient?.topics.map((t) => t.code)).toEqual(['medtop:15000000']);
    expect(country).toBeDefined();
    expect(confident).toBeDefined();
  });

  it('matches nothing when only exclusions or a score are set', () => {
    expect(matchSubscription(sub('s', { excludeSources: ['feed_9'], minScore: 0.1 }), article(), NOW)).toBeUndefined();
  });

  it('matches nothing, without throwing, when a stored query does not parse', () => {
    expect(matchSubscription(sub('s', { countries: ['RU'], query: 'putin AND (' }), article(), NOW)).toBeUndefined();
  });
});

describe('status and snooze', () => {
  it('matches active subscriptions and failing ones (their receiver may be back), never paused or disabled ones', () => {
    for (const status of ['paused', 'disabled'] as const) {
      expect(matchSubscription(sub('s', { countries: ['RU'], status }), article(), NOW)).toBeUndefined();
    }
    for (const status of ['active', 'failing'] as const) {
      expect(matchSubscription(sub('s', { countries: ['RU'], status }), article(), NOW)).toBeDefined();
    }
  });

  it('skips a snoozed subscription until the snooze ends', () => {
    // Prepare
    const s = sub('s', { countries: ['RU'], snoozedUntil: '2025-03-01T13:00:00.000Z' });

    // Act / Assess
    expect(matchSubscription(s, article(), NOW)).toBeUndefined();
    expect(matchSubscription(s, article(), new Date('2025-03-01T13:00:00.000Z'))).toBeDefined();
  });

  it('still previews what a paused or snoozed subscription would match', () => {
    // Prepare
    const s = sub('s', { countries: ['RU'], status: 'paused', snoozedUntil: '2099-01-01T00:00:00.000Z' });

    // Act / Assess
    expect(matchSubscriptionContent(s, article())?.countries.map((c) => c.code)).toEqual(['RU']);
  });
});
