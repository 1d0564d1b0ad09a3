// The in-memory story index and article store (functions/adapters/memory/) that `newsalert inspect`, the ingest
// benchmark and handler tests run the ingest core over must answer as the DynamoDB adapters do on dynalite: the
// same scripted calls go to both, and every answer must be the same, besides what each answer must be.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoArticleRepository } from '#adapters/dynamo/articles-repository.js';
import { DynamoStoryIndex } from '#adapters/dynamo/stories-repository.js';
import { MemoryArticleRepository } from '#adapters/memory/article-store.js';
import { MemoryStoryIndex } from '#adapters/memory/story-index.js';
import { ValidationError } from '#domain/errors.js';
import type { ArticleRepository, StoryIndex } from '#domain/ports.js';
import { storyFingerprint, type StoryCandidate } from '#domain/story.js';
import { buildArticle } from './dynamo/fixtures.js';
import { startLocalTables, type LocalTables } from './dynamo/local-tables.js';

const TTL = 1_900_000_000;

function candidate(articleId: string, seenAt: string, feedId = 'feed-a', storyId = articleId): StoryCandidate {
  return { articleId, storyId, feedId, seenAt, fingerprint: storyFingerprint(`Title of ${articleId}`, `Words about ${articleId} and more`) };
}

/** Runs the same steps on both implementations and returns both answers of each step. */
async function both<T, R>(pair: readonly [T, T], step: (impl: T) => Promise<R>): Promise<[R, R]> {
  return [await step(pair[0]), await step(pair[1])];
}

describe('the in-memory adapters answer as the DynamoDB ones', () => {
  let local: LocalTables;

  beforeAll(async () => {
    local = await startLocalTables('memory-adapters-test');
  });
  afterAll(async () => {
    await local.close();
  });

  describe('story index', () => {
    let indexes: readonly [StoryIndex, StoryIndex];

    beforeAll(async () => {
      // A per-key limit of 3, so the scripted entries run past it.
      indexes = [new DynamoStoryIndex(local.doc, local.names.ingest, 3), new MemoryStoryIndex(3)];
      const script: [StoryCandidate, string[]][] = [
        [candidate('a1', '2025-06-01T10:00:00.000Z'), ['k1', 'k2']],
        [candidate('a2', '2025-06-01T11:00:00.000Z'), ['k1']],
        [candidate('a3', '2025-06-01T11:00:00.000Z', 'feed-b', 'a1'), ['k1', 'k3']],
        [candidate('a4', '2025-06-01T12:00:00.000Z'), ['k1', 'k2']],
        [candidate('a5', '2025-06-01T09:00:00.000Z'), ['k2']],
        // A retry files the same entry again; an entry at a later time is a second item, as in the table.
        [candidate('a2', '2025-06-01T11:00:00.000Z'), ['k1']],
        [candidate('a5', '2025-06-02T09:00:00+02:00'), ['k3']],
      ];
      for (const [entry, keys] of script) await both(indexes, (index) => index.record(entry, keys, TTL));
    });

    it.each([
      ['one key past its limit: the newest three', ['k1'], '2025-06-01T00:00:00.000Z', ['a4', 'a3', 'a2']],
      ['keys in order, one candidate per article', ['k2', 'k1', 'k3'], '2025-06-01T00:00:00.000Z', ['a4', 'a1', 'a5', 'a3', 'a2']],
      ['only what was filed at or after the window start', ['k1', 'k2'], '2025-06-01T11:00:00.000Z', ['a4', 'a3', 'a2']],
      ['a window start in another offset', ['k3'], '2025-06-02T08:00:00+01:00', ['a5']],
      ['a key never filed', ['k9'], '2025-06-01T00:00:00.000Z', []],
    ])('finds the same candidates: %s', async (_case, keys, since, expected) => {
      // Act
      const [dynamo, memory] = await both(indexes, (index) => index.findCandidates(keys, since));

      // Assess
      expect(dynamo.map((c) => c.articleId)).toEqual(expected);
      expect(memory).toEqual(dynamo);
    });
  });

  describe('article store', () => {
    let stores: readonly [ArticleRepository, ArticleRepository];

    beforeAll(() => {
      stores = [new DynamoArticleRepository(local.doc, local.names.articles), new MemoryArticleRepository()];
    });

    it('creates once, reports the announcement state, and never moves an announced revision back', async () => {
      // Prepare
      const article = buildArticle({ articleId: 'm-1', contentHash: 'h1', topics: ['medtop:04000000'], countries: ['DE'] });

      // Act
      const created = await both(stores, (store) => store.create(article, TTL));
      const again = await both(stores, (store) => store.create({ ...article, title: 'Other' }, TTL));
      const pending = await both(stores, (store) => store.getState('m-1'));
      const retried = await both(stores, (store) => store.putIfNew(article, TTL));
      await both(stores, (store) => store.markAnnounced('m-1'));
      const announced = await both(stores, (store) => store.getState('m-1'));
      const revised = { ...article, title: 'Edited', contentHash: 'h2', revision: 1 };
      const stale = await both(stores, (store) => store.update({ ...article, contentHash: 'not-stored' }, revised, TTL));
      const updated = await both(stores, (store) => store.update(article, revised, TTL));
      await both(stores, (store) => store.markAnnounced('m-1', 1));
      await both(stores, (store) => store.markAnnounced('m-1', 0));
      const after = await both(stores, (store) => store.getState('m-1'));
      const read = await both(stores, (store) => store.get('m-1', { consistent: true }));

      // Assess
      expect(created).toEqual([true, true]);
      expect(again).toEqual([false, false]);
      expect(pending[0]).toMatchObject({ announced: false, announcedRevision: 0, revision: 0, contentHash: 'h1' });
      expect(retried).toEqual([true, true]);
      expect(announced[0]).toMatchObject({ announced: true });
      expect(stale).toEqual([false, false]);
      expect(updated).toEqual([true, true]);
      expect(after[0]).toMatchObject({ revision: 1, announcedRevision: 1, contentHash: 'h2' });
      expect(read[0]).toMatchObject({ title: 'Edited', revision: 1 });
      for (const answers of [pending, announced, after, read]) expect(answers[1]).toEqual(answers[0]);
    });

    it('lists newest first, by topic or country, without the classification evidence', async () => {
      // Prepare
      const older = buildArticle({ articleId: 'm-old', publishedAt: '2025-06-01T08:00:00.000Z', topics: ['medtop:15000000'], countries: ['KE'] });
      const newer = buildArticle({ articleId: 'm-new', publishedAt: '2025-06-01T09:00:00+00:00', topics: ['medtop:15000000'], countries: ['UG'] });
      for (const article of [older, newer]) await both(stores, (store) => store.create(article, TTL));

      // Act
      const byTopic = await both(stores, (store) => store.listRecent({ topic: 'medtop:15000000', limit: 10 }));
      const byBoth = await both(stores, (store) => store.listRecent({ topic: 'medtop:15000000', country: 'ke', limit: 10 }));
      const byCountry = await both(stores, (store) => store.listRecent({ country: 'UG', limit: 1 }));

      // Assess
      expect(byTopic[0].map((a) => a.articleId)).toEqual(['m-new', 'm-old']);
      expect(byTopic[0][0]?.classification.topics[0]?.evidence).toEqual([]);
      expect(byBoth[0].map((a) => a.articleId)).toEqual(['m-old']);
      expect(byCountry[0].map((a) => a.articleId)).toEqual(['m-new']);
      for (const answers of [byTopic, byBoth, byCountry]) expect(answers[1]).toEqual(answers[0]);
    });

    it('pages a listing one article at a time without gaps, and refuses a position from another listing', async () => {
      // Prepare
      const articles = ['p-1', 'p-2', 'p-3'].map((articleId, i) =>
        buildArticle({ articleId, publishedAt: `2025-06-02T0${i}:00:00.000Z`, topics: ['medtop:01000000'], countries: ['KE'] }),
      );
      for (const article of articles) await both(stores, (store) => store.create(article, TTL));
      const pageThrough = async (store: ArticleRepository): Promise<string[]> => {
        const ids: string[] = [];
        let after: string | undefined;
        do {
          const page = await store.listRecentPage({ topic: 'medtop:01000000', limit: 1, ...(after === undefined ? {} : { after }) });
          ids.push(...page.items.map((a) => a.articleId));
          after = page.after;
        } while (after !== undefined && ids.length < 10);
        return ids;
      };

      // Act
      const paged = await both(stores, pageThrough);
      const first = await both(stores, (store) => store.listRecentPage({ topic: 'medtop:01000000', limit: 1 }));
      const foreign = await both(stores, (store) =>
        store.listRecentPage({ country: 'KE', limit: 1, after: first[0].after! }).then(
          () => 'accepted',
          (error: unknown) => (error instanceof ValidationError ? 'refused' : String(error)),
        ),
      );

      // Assess
      expect(paged[0]).toEqual(['p-3', 'p-2', 'p-1']);
      expect(paged[1]).toEqual(paged[0]);
      expect(first[1].after).toBe(first[0].after);
      expect(foreign).toEqual(['refused', 'refused']);
    });
  });
});
