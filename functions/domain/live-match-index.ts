// The match index a warm matcher keeps: a base segment (loaded from a snapshot, or built once) plus small delta
// segments of what changed since, fed by the subscriptions' change log. Nothing is ever rebuilt from a table scan.
//
// Every change carries the subscription's change-log version, which grows with every write of that subscription.
// A change is applied only when it is newer than what the index holds for that id (a live slot's version, or the
// version at which it went absent: deleted, paused, disabled): so changes may arrive in any order and any number of
// times, and the index ends as the newest state of every subscription, which is what a scan of the table returns.
//
// A changed subscription's old slot is removed where it is (removeSlot: O(log n)), and the new states of a batch of
// changes become one new delta segment. Deltas merge size-tiered (the newest two while the newer is at least half
// the older), so a subscription is rebuilt O(log n) times however many changes come; the base is left alone, and a
// snapshot job compacts everything into a new base (compactLiveIndex).
import { buildMatchIndex, definitionFields, isRemovedSlot, matchPrepared, removeSlot, slotOf, type IndexedSubscription, type MatchIndex, type MatchIndexOptions, type MatchTrace } from './match-index.js';
import { clearMatchOutput, createMatchOutput, type MatchOutput } from './match-output.js';
import { isReceivingStatus, prepareArticle } from './matching.js';
import { topicParentOf } from './topic-tree.js';
import type { ClassifiedArticle } from './types.js';

/**
 * A deleted subscription's tombstone stays in the change log this long (the table's TTL): a snapshot older than
 * this cannot be caught up from the log, since deletes before then may be gone from it.
 */
export const TOMBSTONE_DAYS = 14;

export interface SubscriptionChange {
  subscriptionId: string;
  /** The change-log version of this write: larger for every later write of the same subscription. */
  version: number;
  /** The subscription as written; undefined when it was deleted. */
  subscription?: IndexedSubscription;
}

export interface LiveMatchIndex {
  /** Oldest first: segments[0] is the base, then the deltas. A subscription is live in at most one of them. */
  segments: MatchIndex[];
  /** The version at which each subscription known to be out of the index (deleted, or not receiving) went out. */
  absent: Map<string, number>;
  /** The highest change version applied (a snapshot's, until changes come). */
  cursor: number;
  readonly options: MatchIndexOptions;
  /** The grouped matches of the last article matched (matchLive). */
  readonly out: MatchOutput;
}

export function createLiveMatchIndex(
  base: MatchIndex | undefined,
  state: { absent?: Map<string, number>; cursor?: number } = {},
  options: MatchIndexOptions = {},
): LiveMatchIndex {
  return {
    segments: [base ?? buildMatchIndex([], options)],
    absent: state.absent ?? new Map<string, number>(),
    cursor: state.cursor ?? 0,
    options,
    out: createMatchOutput(),
  };
}

/** Live subscriptions held, over all segments. */
export function liveCount(live: LiveMatchIndex): number {
  return live.segments.reduce((sum, segment) => sum + segment.alive, 0);
}

interface Held {
  segment: MatchIndex;
  slot: number;
}

function heldSlot(live: LiveMatchIndex, subscriptionId: string): Held | undefined {
  for (let s = live.segments.length - 1; s >= 0; s--) {
    const segment = live.segments[s] as MatchIndex;
    const slot = slotOf(segment, subscriptionId);
    if (slot >= 0 && !isRemovedSlot(segment, slot)) return { segment, slot };
  }
  return undefined;
}

export interface ApplyOptions {
  /** Whether this index owns the subscription (its shard): changes of others are not applied, and drop what is held. */
  owns?: (subscriptionId: string) => boolean;
}

export interface ApplyResult {
  /** Changes that changed the index. */
  applied: number;
  /** Changes no newer than what the index holds (duplicates, out of order), or of another shard. */
  skipped: number;
}

/** Applies changes, in any order and with any duplicates: the newest version of each subscription wins. */
export function applyChanges(live: LiveMatchIndex, changes: readonly SubscriptionChange[], options: ApplyOptions = {}): ApplyResult {
  // The newest change of each subscription in the batch.
  const newest = new Map<string, SubscriptionChange>();
  for (const change of changes) {
    const prior = newest.get(change.subscriptionId);
    if (prior === undefined || change.version > prior.version) newest.set(change.subscriptionId, change);
    if (change.version > live.cursor) live.cursor = change.version;
  }
  const adds: IndexedSubscription[] = [];
  let applied = 0;
  for (const [subscriptionId, change] of newest) {
    const held = heldSlot(live, subscriptionId);
    if (options.owns !== undefined && !options.owns(subscriptionId)) {
      // Another shard's: whatever this index still holds of it (from before a shard move) goes.
      if (held) removeSlot(held.segment, held.slot);
      live.absent.delete(subscriptionId);
      continue;
    }
    const current = Math.max(held ? (held.segment.versions[held.slot] as number) : Number.NEGATIVE_INFINITY, live.absent.get(subscriptionId) ?? Number.NEGATIVE_INFINITY);
    if (change.version <= current) continue;
    applied++;
    if (held) removeSlot(held.segment, held.slot);
    const sub = change.subscription;
    if (sub !== undefined && isReceivingStatus(sub.status)) {
      live.absent.delete(subscriptionId);
      adds.push({ ...sub, subscriptionId, version: change.version });
    } else {
      live.absent.set(subscriptionId, change.version);
    }
  }
  if (adds.length > 0) {
    live.segments.push(buildMatchIndex(adds, live.options));
    mergeDeltas(live);
  }
  return { applied, skipped: changes.length - applied };
}

/** Size-tiered: the newest two deltas merge while the newer holds at least half of the older; empty ones go. */
function mergeDeltas(live: LiveMatchIndex): void {
  const { segments } = live;
  for (;;) {
    if (segments.length < 3) return;
    const newer = segments[segments.length - 1] as MatchIndex;
    const older = segments[segments.length - 2] as MatchIndex;
    if (newer.alive * 2 < older.alive) return;
    segments.splice(segments.length - 2, 2, buildMatchIndex([...segmentSubscriptions(older), ...segmentSubscriptions(newer)], live.options));
  }
}

/** The live subscriptions of a segment, as much of them as the index knows: enough to build it again. */
export function segmentSubscriptions(segment: MatchIndex): IndexedSubscription[] {
  const subs: IndexedSubscription[] = [];
  const { offsets, ids, snoozedUntil, versions, storyUpdates, definitions } = segment;
  for (let profile = 0; profile < definitions.length; profile++) {
    const from = offsets[profile] as number;
    const to = offsets[profile + 1] as number;
    let fields: ReturnType<typeof definitionFields> | undefined;
    for (let slot = from; slot < to; slot++) {
      if (isRemovedSlot(segment, slot)) continue;
      fields ??= definitionFields(definitions.get(profile));
      const until = snoozedUntil[slot] as number;
      subs.push({
        ...fields,
        subscriptionId: ids.get(slot),
        status: 'active',
        ...(Number.isNaN(until) ? {} : { snoozedUntil: new Date(until).toISOString() }),
        ...(storyUpdates[slot] === 1 ? { receiveStoryUpdates: true } : {}),
        version: versions[slot],
      });
    }
  }
  return subs;
}

/** Every live subscription, over all segments. */
export function liveSubscriptions(live: LiveMatchIndex): IndexedSubscription[] {
  return live.segments.flatMap(segmentSubscriptions);
}

/**
 * One segment holding everything live (a full build: what the snapshot job does, not the matcher). Absent entries
 * older than `forgetAbsentBefore` are dropped: the change log no longer holds anything that old to replay.
 */
export function compactLiveIndex(live: LiveMatchIndex, forgetAbsentBefore = Number.NEGATIVE_INFINITY): LiveMatchIndex {
  const absent = new Map([...live.absent].filter(([, version]) => version >= forgetAbsentBefore));
  return createLiveMatchIndex(buildMatchIndex(liveSubscriptions(live), live.options), { absent, cursor: live.cursor }, live.options);
}

/** Matches the article on every segment into live.out (reused: read it before the next call). */
export function matchLive(live: LiveMatchIndex, article: ClassifiedArticle, now: Date, trace?: MatchTrace): MatchOutput {
  const { out } = live;
  clearMatchOutput(out);
  if (trace) trace.candidates = 0;
  const prepared = prepareArticle(article, { parentOf: live.options.parentOf ?? topicParentOf });
  const nowMs = now.getTime();
  for (const segment of live.segments) matchPrepared(segment, prepared, nowMs, out, trace);
  return out;
}
