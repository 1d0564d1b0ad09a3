// The story index, in the ingest table (see tables.ts): one item per (story key, article) at pk "STORY#<key>",
// sk "<seenAt>#<articleId>", carrying the article's fingerprint and story id, expiring after the story window.
// Finding candidates is one Query per key over "sk >= since", newest first. Items need no conditional write: their
// key is unique per article and key, so a retry rewrites the same item. Two articles of one story arriving at the
// same instant in two pollers may each start a story; that race costs one extra alert, never a lost one.
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StoryIndex } from '#domain/ports.js';
import { decodeFingerprint, encodeFingerprint, type StoryCandidate } from '#domain/story.js';
import { putAll } from './batch-write.js';
import { normalizeIsoTime, requireEpochSeconds, requireKey } from './input-checks.js';

/** Per key, the most recent entries read: a very common word's bucket must not turn one lookup into a scan. */
export const STORY_CANDIDATES_PER_KEY = 25;

export function storyKeyPartition(key: string): string {
  return `STORY#${requireKey('story key', key)}`;
}

export function storyEntrySortKey(seenAt: string, articleId: string): string {
  return `${normalizeIsoTime('seenAt', seenAt)}#${requireKey('articleId', articleId)}`;
}

function toCandidate(item: Record<string, unknown>): StoryCandidate | undefined {
  const { articleId, storyId, feedId, seenAt, fingerprint } = item;
  if (typeof articleId !== 'string' || typeof storyId !== 'string' || typeof feedId !== 'string') return undefined;
  if (typeof seenAt !== 'string' || typeof fingerprint !== 'string') return undefined;
  const decoded = decodeFingerprint(fingerprint);
  return decoded ? { articleId, storyId, feedId, seenAt, fingerprint: decoded } : undefined;
}

export class DynamoStoryIndex implements StoryIndex {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly perKey = STORY_CANDIDATES_PER_KEY,
  ) {}

  async findCandidates(keys: readonly string[], since: string): Promise<StoryCandidate[]> {
    const from = normalizeIsoTime('since', since);
    const pages = await Promise.all(
      [...new Set(keys)].map((key) =>
        this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk >= :from',
            ExpressionAttributeValues: { ':pk': storyKeyPartition(key), ':from': from },
            ScanIndexForward: false,
            Limit: this.perKey,
          }),
        ),
      ),
    );
    const byArticle = new Map<string, StoryCandidate>();
    for (const page of pages) {
      for (const item of page.Items ?? []) {
        const candidate = toCandidate(item);
        if (candidate && !byArticle.has(candidate.articleId)) byArticle.set(candidate.articleId, candidate);
      }
    }
    return [...byArticle.values()];
  }

  async record(entry: StoryCandidate, keys: readonly string[], ttlEpochSeconds: number): Promise<void> {
    const expiresAt = requireEpochSeconds('ttlEpochSeconds', ttlEpochSeconds);
    const sk = storyEntrySortKey(entry.seenAt, entry.articleId);
    const fingerprint = encodeFingerprint(entry.fingerprint);
    await putAll(
      this.doc,
      this.tableName,
      [...new Set(keys)].map((key) => ({
        pk: storyKeyPartition(key),
        sk,
        articleId: entry.articleId,
        storyId: entry.storyId,
        feedId: entry.feedId,
        seenAt: entry.seenAt,
        fingerprint,
        expiresAt,
      })),
    );
  }
}
