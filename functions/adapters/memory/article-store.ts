// The articles table in memory, for `newsalert inspect`, `npm run bench -- ingest` and handler tests. It keeps the
// conditions DynamoArticleRepository writes under (create only if absent, update only over the version read,
// announcements that never move backwards), so the ingest core takes the same decisions over either:
// test/integration/memory-adapters.test.ts runs one contract against both.
import { NewsalertError, ValidationError } from '#domain/errors.js';
import type { ArticleRepository, Page, PageRequest, StoredArticleState } from '#domain/ports.js';
import type { ClassifiedArticle } from '#domain/types.js';
import { compactArticle, listingPartitionFor, listingSortKey } from '../dynamo/articles-repository.js';
import { decodeStartKey, encodeStartKey, requireEpochSeconds, requireLimit } from '../dynamo/input-checks.js';

interface Stored {
  article: ClassifiedArticle;
  announced: boolean;
  announcedRevision: number;
  expiresAt: number;
}

export class MemoryArticleRepository implements ArticleRepository {
  private readonly byId = new Map<string, Stored>();

  async putIfNew(article: ClassifiedArticle, ttlEpochSeconds: number): Promise<boolean> {
    const existing = this.byId.get(article.articleId);
    if (existing) return !existing.announced;
    return this.create(article, ttlEpochSeconds);
  }

  async create(article: ClassifiedArticle, ttlEpochSeconds: number): Promise<boolean> {
    const expiresAt = requireEpochSeconds('ttlEpochSeconds', ttlEpochSeconds);
    if (this.byId.has(article.articleId)) return false;
    this.byId.set(article.articleId, { article: { ...article }, announced: false, announcedRevision: 0, expiresAt });
    return true;
  }

  async markAnnounced(articleId: string, revision?: number): Promise<void> {
    const stored = this.byId.get(articleId);
    if (revision === undefined) {
      // DynamoDB refuses the conditional update of a missing item; so does this.
      if (!stored) throw new NewsalertError(`article ${articleId} is not stored`);
      stored.announced = true;
      return;
    }
    if (!stored || stored.announcedRevision >= revision) return;
    stored.announced = true;
    stored.announcedRevision = revision;
  }

  async getState(articleId: string): Promise<StoredArticleState | undefined> {
    const stored = this.byId.get(articleId);
    if (!stored) return undefined;
    const { article } = stored;
    return {
      articleId: article.articleId,
      storyId: article.storyId,
      title: article.title,
      summary: article.summary,
      ...(article.contentHash === undefined ? {} : { contentHash: article.contentHash }),
      revision: article.revision ?? 0,
      announced: stored.announced,
      announcedRevision: stored.announcedRevision,
    };
  }

  async update(previous: ClassifiedArticle, next: ClassifiedArticle, ttlEpochSeconds: number): Promise<boolean> {
    const expiresAt = requireEpochSeconds('ttlEpochSeconds', ttlEpochSeconds);
    const stored = this.byId.get(next.articleId);
    if (!stored) return false;
    const current = stored.article;
    const previousRevision = previous.revision ?? 0;
    const unchanged =
      previous.contentHash === undefined
        ? current.contentHash === undefined
        : current.contentHash === previous.contentHash && (current.revision === undefined || current.revision === previousRevision);
    if (!unchanged) return false;
    this.byId.set(next.articleId, { article: { ...next }, announced: true, announcedRevision: previousRevision, expiresAt });
    return true;
  }

  async get(articleId: string): Promise<ClassifiedArticle | undefined> {
    const stored = this.byId.get(articleId);
    return stored ? { ...stored.article } : undefined;
  }

  /** Newest first by publishedAt, as the table's listings are; the copies carry no classification evidence. */
  async listRecent(filter: { topic?: string; country?: string; limit: number }): Promise<ClassifiedArticle[]> {
    return (await this.listRecentPage(filter)).items;
  }

  /** Pages as DynamoArticleRepository's do: the position is the listing's partition and the last sort key returned. */
  async listRecentPage(filter: { topic?: string; country?: string } & PageRequest): Promise<Page<ClassifiedArticle>> {
    const limit = requireLimit(filter.limit);
    const pk = listingPartitionFor(filter);
    const after = decodeStartKey(filter.after, ['pk', 'sk']);
    if (after !== undefined && after.pk !== pk) throw new ValidationError('Invalid cursor', [{ path: 'cursor', message: 'belongs to another listing' }]);
    const country = filter.country?.toUpperCase();
    const listed = [...this.byId.values()]
      .map((stored) => stored.article)
      .filter((article) => filter.topic === undefined || article.classification.topics.some((topic) => topic.code === filter.topic))
      .filter((article) => country === undefined || article.classification.countries.some((c) => c.code.toUpperCase() === country))
      .map((article) => ({ article, sk: listingSortKey(article.publishedAt, article.articleId) }))
      .filter(({ sk }) => after?.sk === undefined || sk < after.sk)
      .sort((a, b) => (a.sk < b.sk ? 1 : a.sk > b.sk ? -1 : 0));
    const page = listed.slice(0, limit);
    const last = page.at(-1);
    const more = listed.length > limit && last !== undefined;
    return { items: page.map(({ article }) => compactArticle(article)), ...(more ? { after: encodeStartKey({ pk, sk: last.sk }) } : {}) };
  }
}
