import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { article, articleArb, byId, LANGUAGES, queryArb, sometimes, subscriptionsArb, WORDS } from '../../fixtures/match-arbitraries.js';
import { sub } from '../../fixtures/subscriptions.js';
import { buildMatchIndex, matchArticle, type MatchTrace } from '#domain/match-index.js';
import { matchSubscriptions } from '#domain/matching.js';
import type { ClassifiedArticle, Subscription } from '#domain/types.js';

const NOW = new Date('2025-03-01T12:00:00.000Z');

describe('matchArticle on the index', () => {
  it('finds subscriptions by every dimension, with the same reasons as the scan', () => {
    // Prepare
    const subs = [
      sub('politics', { topics: ['medtop:11000000'] }),
      sub('ru-primary', { countries: ['RU'], countryRole: 'primary' }),
      sub('cn-primary', { countries: ['CN'], countryRole: 'primary' }),
      sub('gb-source', { countries: ['GB'], countryRole: 'source' }),
      sub('query', { query: '"black sea" AND (putin OR biden)' }),
      sub('keywords', { keywords: ['kremlin', 'moscow'] }),
      sub('english', { languages: ['en'] }),
      sub('feed-1', { includeSources: ['feed_1'] }),
      sub('not-sport', { query: 'NOT football' }),
      sub('sport', { topics: ['medtop:15000000'] }),
    ];

    // Act
    const index = buildMatchIndex(subs);
    const found = byId(matchArticle(index, article(), NOW));

    // Assess
    expect(found.map((m) => m.id)).toEqual(['english', 'feed-1', 'keywords', 'not-sport', 'politics', 'query', 'ru-primary', 'gb-source'].sort());
    expect(found).toEqual(byId(matchSubscriptions(subs, article(), NOW)));
    expect(found.find((m) => m.id === 'query')?.reasons.keywords).toEqual(['black sea', 'putin']);
  });

  it('evaluates only the candidates: subscriptions about other countries cost nothing', () => {
    // Prepare
    const wanted = [sub('ru', { countries: ['RU'] }), sub('putin', { keywords: ['putin'] })];
    const others = Array.from({ length: 2000 }, (_, i) => sub(`other-${i}`, { countries: ['FR'], keywords: [`word${i}`] }));
    const small: MatchTrace = { candidates: -1 };
    const large: MatchTrace = { candidates: -1 };

    // Act
    matchArticle(buildMatchIndex(wanted), article(), NOW, small);
    const matches = matchArticle(buildMatchIndex([...others, ...wanted]), article(), NOW, large);

    // Assess
    expect(small.candidates).toBe(2);
    expect(large.candidates).toBe(2);
    expect(matches.map((m) => m.subscriptionId).sort()).toEqual(['putin', 'ru']);
  });

  it('posts a subscription under its rarest required dimension', () => {
    // Prepare: the language is on most articles, the source on few: only an article from feed_9 makes a candidate.
    const index = buildMatchIndex([sub('s', { languages: ['en'], includeSources: ['feed_9'] })]);
    const trace: MatchTrace = { candidates: -1 };

    // Act
    matchArticle(index, article(), NOW, trace);

    // Assess
    expect(trace.candidates).toBe(0);
    expect(index.stats.alwaysCandidates).toBe(0);
  });

  it('makes a topic x country subscription a candidate only for articles with both, by role', () => {
    // Prepare: other topics about Russia, and diplomacy about a country only mentioned, must cost nothing.
    const index = buildMatchIndex([
      sub('ru-sport', { topics: ['medtop:15000000'], countries: ['RU'], countryRole: 'primary' }),
      sub('cn-diplomacy-primary', { topics: ['medtop:20000621'], countries: ['CN'], countryRole: 'primary' }),
      sub('ru-diplomacy', { topics: ['medtop:20000621'], countries: ['RU'], countryRole: 'primary' }),
    ]);
    const trace: MatchTrace = { candidates: -1 };

    // Act
    const matches = matchArticle(index, article(), NOW, trace);

    // Assess
    expect(trace.candidates).toBe(1);
    expect(matches.map((m) => m.subscriptionId)).toEqual(['ru-diplomacy']);
  });

  it('makes a phrase a candidate only for articles with two of its words side by side', () => {
    // Prepare: "Black Sea" is in the article; "Black Moscow" only word by word.
    const index = buildMatchIndex([sub('sea', { keywords: ['Black Sea'] }), sub('apart', { query: '"black moscow"' })]);
    const trace: MatchTrace = { candidates: -1 };

    // Act
    const matches = matchArticle(index, article(), NOW, trace);

    // Assess
    expect(trace.candidates).toBe(1);
    expect(matches.map((m) => [m.subscriptionId, m.reasons.keywords])).toEqual([['sea', ['Black Sea']]]);
  });

  it('makes an included-source x topic subscription a candidate only for that source\'s articles on the topic', () => {
    // Prepare: a busy source whose every article would otherwise make both subscriptions candidates.
    const index = buildMatchIndex([
      sub('feed-sport', { includeSources: ['feed_1'], topics: ['medtop:15000000'] }),
      sub('feed-diplomacy', { includeSources: ['feed_1'], topics: ['medtop:20000621'] }),
    ]);
    const trace: MatchTrace = { candidates: -1 };

    // Act
    const matches = matchArticle(index, article(), NOW, trace);

    // Assess
    expect(trace.candidates).toBe(1);
    expect(matches.map((m) => m.subscriptionId)).toEqual(['feed-diplomacy']);
    expect(index.postings.get('topic-feed')?.keys.size).toBe(2);
  });

  it('tells apart more languages than a profile\'s bit mask holds, with the scan\'s answer for each', () => {
    // Prepare: 40 languages, each with a keyword subscription; the article is in the last one.
    const languages = Array.from({ length: 40 }, (_, i) => `l${String(i).padStart(2, '0')}`);
    const subs = languages.map((language) => sub(`kw-${language}`, { keywords: ['moscow'], languages: [language] }));
    const index = buildMatchIndex(subs);
    const inLast = article({ language: 'l39' });
    const inFirst = article({ language: 'l00' });

    // Act
    const last = matchArticle(index, inLast, NOW).map((m) => m.subscriptionId);
    const first = matchArticle(index, inFirst, NOW).map((m) => m.subscriptionId);

    // Assess
    expect(last).toEqual(['kw-l39']);
    expect(first).toEqual(['kw-l00']);
    expect(byId(matchArticle(index, inLast, NOW))).toEqual(byId(matchSubscriptions(subs, inLast, NOW)));
  });

  it('keeps subscriptions without a selective dimension in a short always-candidates list', () => {
    // Prepare
    const index = buildMatchIndex([sub('a', { query: 'NOT football' }), sub('b', { countries: ['RU'] })]);

    // Act / Assess
    expect(index.stats.alwaysCandidates).toBe(1);
    expect(matchArticle(index, article({ title: 'Football tonight' }), NOW).map((m) => m.subscriptionId)).toEqual(['b']);
  });

  it('evaluates identical subscriptions once and still honours each one\'s snooze and status', () => {
    // Prepare
    const subs = [
      sub('a', { countries: ['RU'] }),
      sub('b', { countries: ['RU'], snoozedUntil: '2025-03-02T00:00:00.000Z' }),
      sub('c', { countries: ['RU'], status: 'paused' }),
      sub('d', { countries: ['RU'], snoozedUntil: '2025-02-01T00:00:00.000Z' }),
    ];
    const trace: MatchTrace = { candidates: -1 };

    // Act
    const index = buildMatchIndex(subs);
    const matches = matchArticle(index, article(), NOW, trace);

    // Assess
    expect(index.stats).toMatchObject({ subscriptions: 4, indexed: 3, profiles: 1 });
    expect(trace.candidates).toBe(1);
    expect(matches.map((m) => m.subscriptionId)).toEqual(['a', 'd']);
  });

  it('does not index subscriptions that can never match', () => {
    // Prepare
    const index = buildMatchIndex([sub('empty', {}), sub('broken', { countries: ['RU'], query: '(putin' }), sub('only-exclude', { excludeSources: ['x'] })]);

    // Act / Assess
    expect(index.stats).toMatchObject({ profiles: 3, unmatchable: 3, keys: 0, alwaysCandidates: 0 });
    expect(matchArticle(index, article(), NOW)).toEqual([]);
  });

  it('finds terms written without spaces through their letter pairs', () => {
    // Prepare
    const subs = [sub('beijing', { keywords: ['北京'] }), sub('shanghai', { query: '上海' }), sub('one-letter', { keywords: ['京'] })];
    const chinese = article({ title: '北京时间今天发布', summary: '' });

    // Act
    const found = matchArticle(buildMatchIndex(subs), chinese, NOW).map((m) => m.subscriptionId).sort();

    // Assess
    expect(found).toEqual(['beijing', 'one-letter']);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The index must return exactly what the linear scan returns, whatever the subscriptions and articles.

/** Matches every article on an index of `subs` and by the scan, expecting the same; returns how many matched. */
function expectIndexToAgreeWithScan(subs: Subscription[], articles: ClassifiedArticle[]): number {
  // Prepare
  const index = buildMatchIndex(subs);
  let matched = 0;
  for (const a of articles) {
    // Act
    const indexed = byId(matchArticle(index, a, NOW));
    const scanned = byId(matchSubscriptions(subs, a, NOW));

    // Assess
    expect(indexed).toEqual(scanned);
    matched += scanned.length;
  }
  return matched;
}

describe('the index against the linear scan', () => {
  it('returns exactly the matches and reasons of matchSubscriptions for any subscriptions and articles', () => {
    fc.assert(
      fc.property(subscriptionsArb, fc.array(articleArb, { minLength: 1, maxLength: 4 }), (subs, articles) => {
        expectIndexToAgreeWithScan(subs, articles);
      }),
      { numRuns: 400 },
    );
  });

  it('agrees with the scan on subscriptions of keywords or a query alone, the kinds checked from flat arrays', () => {
    // Most generated subscriptions above combine dimensions; these ask only for words, phrases and queries (perhaps
    // by language), which the index checks against the terms it marks per article instead of evaluating them.
    const textOnlyArb = (id: number): fc.Arbitrary<Subscription> =>
      fc
        .record({
          keywords: fc.oneof(fc.subarray(WORDS, { minLength: 1, maxLength: 3 }), fc.constant(undefined)),
          query: fc.oneof(queryArb, fc.constant(undefined)),
          languages: sometimes(fc.subarray(LANGUAGES, { minLength: 1, maxLength: 2 })),
          snoozedUntil: sometimes(fc.constantFrom('2025-03-01T11:00:00.000Z', '2025-03-01T13:00:00.000Z')),
        })
        .map((fields) => sub(`t${String(id).padStart(3, '0')}`, Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined))));
    const subsArb = fc.integer({ min: 1, max: 30 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => textOnlyArb(i))));
    let matched = 0;
    fc.assert(
      fc.property(subsArb, fc.array(articleArb, { minLength: 1, maxLength: 4 }), (subs, articles) => {
        matched += expectIndexToAgreeWithScan(subs, articles);
      }),
      { numRuns: 400 },
    );
    expect(matched).toBeGreaterThan(400);
  });

  it('finds matches at all in the generated cases, so the comparison is not between two empty lists', () => {
    // Prepare
    const samples = fc.sample(fc.tuple(subscriptionsArb, articleArb), { numRuns: 200, seed: 42 });

    // Act
    const withMatches = samples.filter(([subs, a]) => matchSubscriptions(subs, a, NOW).length > 0).length;

    // Assess
    expect(withMatches).toBeGreaterThan(50);
  });
});
