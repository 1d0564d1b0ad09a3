// Which matcher shard owns a subscription: rendezvous (highest random weight) hashing over the shard numbers.
// Each subscription goes to the shard with the highest hash of (id, shard). Going from K to K + 1 shards moves only
// the subscriptions whose new shard K now scores highest, about 1 / (K + 1) of them, and all of them to the new
// shard; nothing moves between the old shards. The hash is stable across processes and releases (FNV-1a then a
// 32-bit avalanche), so every matcher, the snapshot job and the tests agree on the owner without coordination.
//
// While the count changes, a shard can own by both counts (previousCount): between the deploy that changes K and
// the one that forgets the old count, a moving subscription is matched by its old and its new shard. Both send the
// same delivery (the delivery id is derived from subscription x story), and the deliverer's conditional claim on
// that pair lets only one through; without the overlap, an article matched by an old shard that already forgot
// the subscription, before the new shard had it, would be lost.

import { FNV_OFFSET, fnv1aRange, mixBits } from './hash.js';

/** FNV-1a over the UTF-16 code units, then a murmur3 finaliser so that nearby inputs spread. */
function hash32(text: string, seed: number): number {
  return mixBits(fnv1aRange(text, 0, text.length, (FNV_OFFSET ^ Math.imul(seed + 1, 0x9e3779b1)) >>> 0));
}

/** The shard (0 .. count - 1) that owns the subscription. */
export function shardOf(subscriptionId: string, count: number): number {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`shard count must be a positive integer, got ${String(count)}`);
  let best = 0;
  let bestScore = -1;
  for (let shard = 0; shard < count; shard++) {
    const score = hash32(subscriptionId, shard);
    // Ties (1 in 2^32) go to the lower shard, the same way everywhere.
    if (score > bestScore) {
      best = shard;
      bestScore = score;
    }
  }
  return best;
}

export interface ShardAssignment {
  /** This shard's number, 0 .. count - 1. */
  shard: number;
  count: number;
  /** The count before a change still being rolled out: the shard also owns what it owned then. */
  previousCount?: number;
}

export function parseShardAssignment(input: { shard: number; count: number; previousCount?: number }): ShardAssignment {
  const { shard, count, previousCount } = input;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`shard count must be a positive integer, got ${String(count)}`);
  if (previousCount !== undefined && (!Number.isInteger(previousCount) || previousCount < 1)) {
    throw new RangeError(`previous shard count must be a positive integer, got ${String(previousCount)}`);
  }
  const highest = Math.max(count, previousCount ?? 0);
  if (!Number.isInteger(shard) || shard < 0 || shard >= highest) throw new RangeError(`shard must be an integer from 0 to ${highest - 1}, got ${String(shard)}`);
  return previousCount === undefined || previousCount === count ? { shard, count } : { shard, count, previousCount };
}

/** Whether the shard matches the subscription: it owns it by the count, or by the previous count during a change. */
export function ownsSubscription(assignment: ShardAssignment, subscriptionId: string): boolean {
  if (assignment.shard < assignment.count && shardOf(subscriptionId, assignment.count) === assignment.shard) return true;
  return assignment.previousCount !== undefined && shardOf(subscriptionId, assignment.previousCount) === assignment.shard;
}

/** The name a shard's snapshot goes by: one per shard and shard layout, so a new layout never reads an old one. */
export function snapshotKeyOf(assignment: ShardAssignment): string {
  const previous = assignment.previousCount === undefined ? '' : `-from-${assignment.previousCount}`;
  return `match-index/shard-${assignment.shard}-of-${assignment.count}${previous}.snapshot`;
}
