// Articles table, single-table layout (see tables.ts): the article at pk "ARTICLE#<id>" / sk "ARTICLE", and one
// listing entry per partition it can be listed under ("RECENT", "TOPIC#<code>", "COUNTRY#<code>") with
// sk "<publishedAt>#<id>", so "newest first" is a Query in reverse sort-key order.
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '#domain/errors.js';
import type { ArticleRepository, Page, PageRequest, StoredArticleState } from '#domain/ports.js';
import type { ClassifiedArticle } from '#domain/types.js';
import { putAll } from './batch-write.js';
import { isConditionalCheckFailed } from './dynamo-errors.js';
import { decodeStartKey, encodeStartKey, normalizeIsoTime, requireEpochSeconds, requireKey, requireLimit } from './input-checks.js';

export interface ItemKey {
  pk: string;
  sk: string;
}

export const ARTICLE_SORT_KEY = 'ARTICLE';
export const RECENT_PARTITION = 'RECENT';

export function articleKeys(articleId: string): ItemKey {
  return { pk: `ARTICLE#${requireKey('articleId', articleId)}`, sk: ARTICLE_SORT_KEY };
}

export function topicPartition(topic: string): string {
  return `TOPIC#${requireKey('topic', topic)}`;
}

/** Country codes are upper case everywhere (ISO 3166-1 alpha-2); normalising here makes "ru" find "RU". */
export function countryPartition(country: string): string {
  return `COUNTRY#${requireKey('country', country).toUpperCase()}`;
}

/** Canonical ISO time first so that string order is time order, the id after it to keep keys unique. */
export function listingSortKey(publishedAt: string, articleId: string): string {
  return `${normalizeIsoTime('publishedAt', publishedAt)}#${requireKey('articleId', articleId)}`;
}

/** Every listing entry of an article: RECENT, each distinct topic and each distinct country. */
export function listingKeys(article: ClassifiedArticle): ItemKey[] {
  const partitions = new Set<string>([RECENT_PARTITION]);
  for (const topic of article.classification.topics) partitions.add(topicPartition(topic.code));
  for (const country of article.classification.countries) partitions.add(countryPartition(country.code));
  const sk = listingSortKey(article.publishedAt, article.articleId);
  return [...partitions].map((pk) => ({ pk, sk }));
}

/** The partition a listing query reads; a topic wins over a country (the other one is filtered in memory). */
export function listingPartitionFor(filter: { topic?: string; country?: string }): string {
  if (filter.topic !== undefined) return topicPartition(filter.topic);
  if (filter.country !== undefined) return countryPartition(filter.country);
  return RECENT_PARTITION;
}

/**
 * The copy carried by listing entries: everything but the classification evidence, which is the bulky part and
 * only useful when inspecting one article (get() returns it).
 */
export function compactArticle(article: ClassifiedArticle): ClassifiedArticle {
  const { classification } = article;
  return {
    ...article,
    classification: {
      ...classification,
      topics: classification.topics.map((topic) => ({ ...topic, evidence: [] })),
      countries: classification.countries.map((country) => ({ ...country, evidence: [] })),
    },
  };
}

function fromArticleItem(item: Record<string, unknown>): ClassifiedArticle {
  const { pk: _pk, sk: _sk, expiresAt: _expiresAt, announced: _announced, announcedRevision: _revision, ...article } = item;
  return article as unknown as ClassifiedArticle;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export class DynamoArticleRepository implements ArticleRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Order matters for crash safety: listing entries first (idempotent, same keys every time), then the conditional
   * article put that decides "new". A crash in between leaves no article, so the retry takes the same path again
   * and completes it; orphaned listings of an article never stored expire by TTL. A consistent read up front keeps
   * the common case (an article seen on every poll) from rewriting its listings each time.
   */
  async putIfNew(article: ClassifiedArticle, ttlEpochSeconds: number): Promise<boolean> {
    const key = articleKeys(article.articleId);
    const expiresAt = requireEpochSeconds('ttlEpochSeconds', ttlEpochSeconds);
    const listings = listingKeys(article);

    const existing = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: key,
        ConsistentRead: true,
        ProjectionExpression: 'pk, announced',
      }),
    );
    // Stored by an earlier attempt that died before its event went out: the caller must announce it now.
    if (existing.Item) return existing.Item.announced === false;
    return this.createUnread(article, expiresAt, listings);
  }

  async create(article: ClassifiedArticle, ttlEpochSeconds: number): Promise<boolean> {
    return this.createUnread(article, requireEpochSeconds('ttlEpochSeconds', ttlEpochSeconds), listingKeys(article));
  }

  /** Listings first, then the conditional put that decides "new" (see putIfNew for why this order). */
  private async createUnread(article: ClassifiedArticle, expiresAt: number, listings: ItemKey[]): Promise<boolean> {
    const key = articleKeys(article.articleId);
    const compact = compactArticle(article);
    await putAll(
      this.doc,
      this.tableName,
      listings.map((listingKey) => ({ ...compact, ...listingKey, expiresAt })),
    );
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...article, ...key, expiresAt, announced: false },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async markAnnounced(articleId: string, revision?: number): Promise<void> {
    if (revision === undefined) {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: articleKeys(articleId),
          UpdateExpression: 'SET announced = :true',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':true': true },
        }),
      );
      return;
    }
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: articleKeys(articleId),
          UpdateExpression: 'SET announced = :true, announcedRevision = :revision',
          // Never move backwards: a slow poll announcing revision 1 must not undo the mark of revision 2.
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(announcedRevision) OR announcedRevision < :revision)',
          ExpressionAttributeValues: { ':true': true, ':revision': revision },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async getState(articleId: string): Promise<StoredArticleState | undefined> {
    const result = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: articleKeys(articleId),
        ConsistentRead: true,
        ProjectionExpression: 'articleId, storyId, title, summary, contentHash, revision, announced, announcedRevision',
      }),
    );
    const item = result.Item;
    if (!item) return undefined;
    return {
      articleId: String(item.articleId ?? articleId),
      storyId: String(item.storyId ?? articleId),
      title: String(item.title ?? ''),
      summary: String(item.summary ?? ''),
      ...(typeof item.contentHash === 'string' ? { contentHash: item.contentHash } : {}),
      revision: numberOr(item.revision, 0),
      // Items written before the flag existed were announced by the code of that time.
      announced: item.announced !== false,
      announcedRevision: numberOr(item.announcedRevision, 0),
    };
  }

  /**
   * Same crash-safety order as a create: the listing entries of the new version first (puts of the new keys,
   * deletes of partitions the new classification left), then the conditional replace, guarded by the previous
   * contentHash and revision. A crash before the replace leaves the old article, so the retry repeats the whole
   * step; the replace itself is all-or-nothing.
   */
  async update(previous: ClassifiedArticle, next: ClassifiedArticle, ttlEpochSeconds: number): Promise<boolean> {
    const key = articleKeys(next.articleId);
    const expiresAt = requireEpochSeconds('ttlEpochSeconds', ttlEpochSeconds);
    const listings = listingKeys(next);
    const kept = new Set(listings.map((listing) => `${listing.pk}\u0000${listing.sk}`));
    const compact = compactArticle(next);
    await putAll(
      this.doc,
      this.tableName,
      listings.map((listingKey) => ({ ...compact, ...listingKey, expiresAt })),
    );
    for (const stale of listingKeys(previous)) {
      if (kept.has(`${stale.pk}\u0000${stale.sk}`)) continue;
      await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: stale }));
    }
    const previousRevision = previous.revision ?? 0;
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...next, ...key, expiresAt, announced: true, announcedRevision: previousRevision },
          ConditionExpression:
            previous.contentHash === undefined
              ? 'attribute_exists(pk) AND attribute_not_exists(contentHash)'
              : 'attribute_exists(pk) AND contentHash = :hash AND (attribute_not_exists(revision) OR revision = :revision)',
          ...(previous.contentHash === undefined
            ? {}
            : { ExpressionAttributeValues: { ':hash': previous.contentHash, ':revision': previousRevision } }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async get(articleId: string, options: { consistent?: boolean } = {}): Promise<ClassifiedArticle | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: articleKeys(articleId), ConsistentRead: options.consistent === true }),
    );
    return result.Item ? fromArticleItem(result.Item) : undefined;
  }

  /**
   * Newest first by publishedAt. Entries carry the compact copy (no classification evidence). With both a topic
   * and a country, the topic partition is read and the country checked in memory.
   */
  async listRecent(filter: { topic?: string; country?: string; limit: number }): Promise<ClassifiedArticle[]> {
    return (await this.listRecentPage(filter)).items;
  }

  /**
   * The next page starts after the last article returned (its listing sort key), not after the last entry read:
   * entries read past it (filtered out, or beyond the limit) are read again by the next page, never skipped.
   */
  async listRecentPage(filter: { topic?: string; country?: string } & PageRequest): Promise<Page<ClassifiedArticle>> {
    const limit = requireLimit(filter.limit);
    const pk = listingPartitionFor(filter);
    const country = filter.topic !== undefined && filter.country !== undefined ? filter.country.toUpperCase() : undefined;
    const matches = (article: ClassifiedArticle): boolean =>
      country === undefined || article.classification.countries.some((c) => c.code.toUpperCase() === country);

    const after = decodeStartKey(filter.after, ['pk', 'sk']);
    if (after !== undefined && after.pk !== pk) throw new ValidationError('Invalid cursor', [{ path: 'cursor', message: 'belongs to another listing' }]);
    const articles: ClassifiedArticle[] = [];
    let lastSortKey: string | undefined;
    let leftOver = false;
    let startKey: Record<string, unknown> | undefined = after;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ScanIndexForward: false,
          // Filtering in memory discards some entries, so read more than the remainder per page.
          Limit: country === undefined ? limit - articles.length : 100,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const article = fromArticleItem(item);
        if (!matches(article)) continue;
        if (articles.length >= limit) {
          leftOver = true;
          continue;
        }
        articles.push(article);
        lastSortKey = String(item.sk);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey && articles.length < limit);
    // More may follow when the store had more to read, or when a match was left over past the limit.
    const more = startKey !== undefined || leftOver;
    return { items: articles, ...(more && lastSortKey !== undefined ? { after: encodeStartKey({ pk, sk: lastSortKey }) } : {}) };
  }
}
