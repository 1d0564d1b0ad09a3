// match-snapshot: on a schedule, per shard: the shard's last snapshot + the change log since -> one compacted index
// -> a new snapshot, which new matcher containers load instead of reading the whole log. Without a snapshot it
// starts from the log's beginning (and first puts subscriptions written before the log existed into it).
import type { Context, ScheduledEvent } from 'aws-lambda';
import { applyChanges, compactLiveIndex, createLiveMatchIndex, liveCount, TOMBSTONE_DAYS, type LiveMatchIndex } from '#domain/live-match-index.js';
import { decodeSnapshot, encodeSnapshot, SnapshotFormatError } from '#domain/match-index-codec.js';
import type { MatchSnapshotStore, SubscriptionRepository } from '#domain/ports.js';
import { ownsSubscription, snapshotKeyOf, type ShardAssignment } from '#domain/subscription-shards.js';
import { withObservability, type Observability } from '#shared/middleware.js';
import type { Ports } from './deps.js';

export type MatchSnapshotDeps = Pick<Ports, 'clock'> & Observability & {
  subscriptions: SubscriptionRepository & { backfillChangeLog?: () => Promise<number> };
  matchSnapshots: MatchSnapshotStore;
};

export interface MatchSnapshotResult {
  shard: string;
  fromSnapshot: boolean;
  changes: number;
  subscriptions: number;
  bytes: number;
  ms: number;
}

/** Writes a new snapshot of one shard's index. Idempotent: a rerun writes an equal or newer one. */
export async function writeMatchSnapshot(deps: MatchSnapshotDeps, shard: ShardAssignment, monotonicMs: () => number = () => performance.now()): Promise<MatchSnapshotResult> {
  const started = monotonicMs();
  const key = snapshotKeyOf(shard);
  const now = deps.clock.now();
  let live: LiveMatchIndex | undefined;
  const previous = await deps.matchSnapshots.read(key);
  if (previous !== undefined) {
    try {
      const { live: loaded, meta } = decodeSnapshot(previous);
      if (meta.shardKey === key && now.getTime() - Date.parse(meta.createdAt) < (TOMBSTONE_DAYS - 1) * 86_400_000) live = loaded;
    } catch (error) {
      if (!(error instanceof SnapshotFormatError)) throw error;
      deps.logger.warn('match snapshot unreadable: rebuilding it from the change log', { shard: key, error: error.message });
    }
  }
  const fromSnapshot = live !== undefined;
  if (live === undefined) {
    const backfilled = (await deps.subscriptions.backfillChangeLog?.()) ?? 0;
    if (backfilled > 0) deps.logger.info('subscriptions put into the change log', { backfilled });
    live = createLiveMatchIndex(undefined);
  }
  // The same lookback as the matchers (an eventually consistent index): re-reading a change is harmless.
  const from = live.cursor === 0 ? 0 : Math.min(live.cursor, now.getTime() * 1000) - 30_000_000;
  const changes = await deps.subscriptions.changesSince(from);
  const single = shard.count === 1 && shard.previousCount === undefined;
  applyChanges(live, changes, single ? {} : { owns: (id) => ownsSubscription(shard, id) });
  // Absent entries only guard against a change replayed out of order; the log forgets tombstones after TTL.
  const compact = compactLiveIndex(live, live.cursor - TOMBSTONE_DAYS * 86_400_000_000);
  const bytes = encodeSnapshot(compact, { createdAt: now.toISOString(), shardKey: key });
  await deps.matchSnapshots.write(key, bytes);
  const result = { shard: key, fromSnapshot, changes: changes.length, subscriptions: liveCount(compact), bytes: bytes.length, ms: Math.round(monotonicMs() - started) };
  deps.logger.info('match snapshot written', { ...result });
  return result;
}

/** The scheduled Lambda: one shard per function (its environment names it). */
export function createMatchSnapshotHandler(deps: MatchSnapshotDeps, shard: ShardAssignment) {
  return withObservability(deps, async (_event: ScheduledEvent, _context: Context) => writeMatchSnapshot(deps, shard));
}
