// matcher: article.created (SNS -> SQS, raw delivery) -> matching subscriptions -> one DeliveryMessage each.
//
// article.updated (from the poller, issue 3: a seen item whose title or summary materially changed; eventId
// "article.updated:<articleId>:r<revision>", article.revision = n >= 1, storyId unchanged) never makes a new
// alert.created. Only subscriptions that opted in (receiveStoryUpdates) get one, typed "story.updated", keyed
// "<storyId>#u<revision>" so it neither collides with nor is swallowed by the story's once-per-story key. The
// delivery engineer owns how story.updated is rendered and delivered beyond this.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { buildAlert, deliveryIdFor } from '#domain/alert.js';
import { applyChanges, createLiveMatchIndex, liveCount, matchLive, TOMBSTONE_DAYS, type LiveMatchIndex } from '#domain/live-match-index.js';
import { decodeSnapshot, SnapshotFormatError } from '#domain/match-index-codec.js';
import { forEachMatch } from '#domain/match-output.js';
import type { MatchSnapshotStore } from '#domain/ports.js';
import { ownsSubscription, snapshotKeyOf, type ShardAssignment } from '#domain/subscription-shards.js';
import type { ArticleEvent, DeliveryMessage } from '#domain/types.js';
import { withObservability, type Observability } from '#shared/middleware.js';
import type { Ports } from './deps.js';

export type MatcherDeps = Pick<Ports, 'subscriptions' | 'deliveryQueue' | 'clock'> & Observability & {
  /** Where the snapshot job leaves each shard's index. @default - none: a new container reads the change log from the start */
  matchSnapshots?: MatchSnapshotStore;
};

// The article itself was validated by the poller that wrote it; here we check the envelope and the fields matching
// reads, so a foreign or truncated message fails loudly (and lands in the DLQ) instead of matching nothing.
const ArticleEventSchema = z.object({
  type: z.enum(['article.created', 'article.updated']),
  version: z.literal('1'),
  eventId: z.string(),
  occurredAt: z.string(),
  article: z
    .object({
      articleId: z.string(),
      storyId: z.string(),
      title: z.string(),
      summary: z.string(),
      classification: z.object({ topics: z.array(z.unknown()), countries: z.array(z.unknown()) }).passthrough(),
    })
    .passthrough(),
});

export interface MatchIndexCacheOptions {
  /** Which shard this matcher is, of how many. @default shard 0 of 1 */
  shard?: ShardAssignment;
  /**
   * A warm index reads the change log at most this often (per container; a batch in between matches on what it has).
   * A change is live for matching within this plus the log's own delay. @default 1_000
   */
  pollIntervalMs?: number;
  /**
   * Each read asks from this far before the newest version seen: the log is an eventually consistent index, and two
   * writers' clocks differ a little, so a change can show up after a newer one. Applying is idempotent, so reading
   * a change twice costs only the read. @default 30_000
   */
  lookbackMs?: number;
  /** Monotonic milliseconds, to time loading. @default performance.now */
  monotonicMs?: () => number;
}

export type MatchIndexCacheDeps = Pick<MatcherDeps, 'subscriptions' | 'clock' | 'logger' | 'metrics' | 'matchSnapshots'>;

/**
 * The live match index, kept warm in Lambda memory across invocations. A new container loads its shard's snapshot
 * (written by the snapshot job) and reads the changes since; a warm one reads the changes since its last read, at
 * most every pollIntervalMs. Nothing is rebuilt from a table scan. Without a snapshot (first deploy, new shard
 * layout, or one too old for the log's tombstones) the change log is read from the start, which holds every
 * subscription.
 *
 * Staleness is safe: the deliverer re-reads each subscription before sending (planDelivery drops paused, disabled and
 * deleted ones), so a change not yet read can only delay a new or changed subscription's first match.
 */
export function createMatchIndexCache(deps: MatchIndexCacheDeps, options: MatchIndexCacheOptions = {}) {
  const shard = options.shard ?? { shard: 0, count: 1 };
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const lookbackMicros = (options.lookbackMs ?? 30_000) * 1000;
  const monotonicMs = options.monotonicMs ?? (() => performance.now());
  const key = snapshotKeyOf(shard);
  const owns = shard.count === 1 && shard.previousCount === undefined ? undefined : (id: string) => ownsSubscription(shard, id);
  let live: LiveMatchIndex | undefined;
  let snapshotCreatedAt: number | undefined;
  let lastReadAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<LiveMatchIndex> | undefined;

  async function readChanges(index: LiveMatchIndex): Promise<{ changes: number; applied: number }> {
    const nowMs = deps.clock.now().getTime();
    // Never from beyond this reader's own clock: a writer whose clock ran ahead must not push changes out of reach.
    const from = index.cursor === 0 ? 0 : Math.min(index.cursor, nowMs * 1000) - lookbackMicros;
    const changes = await deps.subscriptions.changesSince(from);
    const { applied } = applyChanges(index, changes, owns ? { owns } : {});
    lastReadAt = nowMs;
    return { changes: changes.length, applied };
  }

  async function load(): Promise<LiveMatchIndex> {
    const started = monotonicMs();
    const index = await loadSnapshot();
    const loadedMs = monotonicMs();
    const read = await readChanges(index);
    deps.logger.info('match index ready', {
      shard: key,
      fromSnapshot: snapshotCreatedAt !== undefined,
      subscriptions: liveCount(index),
      segments: index.segments.length,
      ...read,
      loadMs: Math.round(loadedMs - started),
      catchUpMs: Math.round(monotonicMs() - loadedMs),
    });
    return index;
  }

  async function loadSnapshot(): Promise<LiveMatchIndex> {
    const bytes = await deps.matchSnapshots?.read(key);
    if (bytes !== undefined) {
      try {
        const { live: loaded, meta } = decodeSnapshot(bytes);
        const createdAt = Date.parse(meta.createdAt);
        // Older than the log's tombstones: deletes since then may be gone from the log, so it cannot be caught up.
        if (meta.shardKey === key && deps.clock.now().getTime() - createdAt < (TOMBSTONE_DAYS - 1) * 86_400_000) {
          snapshotCreatedAt = createdAt;
          return loaded;
        }
        deps.logger.warn('match snapshot not used: another layout or too old', { shard: key, snapshotShard: meta.shardKey, createdAt: meta.createdAt });
      } catch (error) {
        if (!(error instanceof SnapshotFormatError)) throw error;
        deps.logger.warn('match snapshot unreadable: reading the change log from the start', { shard: key, error: error.message });
      }
    }
    return createLiveMatchIndex(undefined);
  }

  return {
    async get(): Promise<LiveMatchIndex> {
      // Concurrent batches in one process (the local runtime runs several) share one load or read.
      if (live === undefined) {
        pending ??= load().then((index) => (live = index)).finally(() => (pending = undefined));
        return pending;
      }
      if (deps.clock.now().getTime() - lastReadAt >= pollIntervalMs) {
        const index = live;
        pending ??= readChanges(index).then(() => index).finally(() => (pending = undefined));
        await pending;
      }
      return live;
    },
    /** Seconds since the snapshot the index started from was written (undefined: it started from the log). */
    snapshotAgeSeconds(): number | undefined {
      return snapshotCreatedAt === undefined ? undefined : (deps.clock.now().getTime() - snapshotCreatedAt) / 1000;
    },
    /** Seconds since the change log was last read. */
    changeLagSeconds(): number {
      return (deps.clock.now().getTime() - lastReadAt) / 1000;
    },
  };
}

export type MatchIndexCache = ReturnType<typeof createMatchIndexCache>;

export async function matchArticle(deps: MatcherDeps, index: LiveMatchIndex, event: ArticleEvent): Promise<number> {
  const now = deps.clock.now();
  const isUpdate = event.type === 'article.updated';
  const deliveryKey = isUpdate ? `${event.article.storyId}#u${event.article.revision ?? 0}` : event.article.storyId;
  const messages: { id: string; body: DeliveryMessage }[] = [];
  // Read before anything awaits: the grouped output is reused by the next article matched on this index.
  forEachMatch(matchLive(index, event.article, now), (subscriptionId, reasons, receiveStoryUpdates) => {
    if (isUpdate && !receiveStoryUpdates) return;
    const deliveryId = deliveryIdFor(subscriptionId, deliveryKey);
    const alert = buildAlert({ deliveryId, subscription: { subscriptionId }, article: event.article, reasons, now });
    messages.push({
      id: deliveryId,
      body: { deliveryId, subscriptionId, deliveryKey, alert: isUpdate ? { ...alert, type: 'story.updated' } : alert },
    });
  });
  if (messages.length === 0) return 0;
  await deps.deliveryQueue.send(messages);
  deps.logger.info('article matched', { articleId: event.article.articleId, matches: messages.length });
  deps.metrics?.count('AlertsMatched', messages.length);
  return messages.length;
}

export function createMatcherHandler(deps: MatcherDeps, cache: MatchIndexCache = createMatchIndexCache(deps)) {
  return withObservability(deps, async (event: SQSEvent, context: Context) => {
    // Once per batch: every record of the batch is matched against the same index.
    const index = await cache.get();
    const snapshotAge = cache.snapshotAgeSeconds();
    if (snapshotAge !== undefined) deps.metrics?.seconds('MatchSnapshotAgeSeconds', snapshotAge);
    deps.metrics?.seconds('MatchChangeLagSeconds', cache.changeLagSeconds());
    const recordHandler = async (record: SQSRecord) => {
      const articleEvent = ArticleEventSchema.parse(JSON.parse(record.body)) as unknown as ArticleEvent;
      return matchArticle(deps, index, articleEvent);
    };
    return processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), { context });
  });
}
