// An article's matches as the index finds them: grouped by the profile that matched, each group a run of slots of
// one index segment sharing the group's reasons. Matching writes no object per matching subscription: at a million
// subscriptions an article can match tens of thousands of them, and allocating one each was most of the p99 (and of
// the garbage collector's work after it). The buffer is reused from article to article; a consumer reads every match
// from it (forEachMatch), with its exact reasons, or materialises them (listMatches).
import type { StringTable } from './string-table.js';
import type { MatchReasons } from './types.js';

/** The per-slot data a match is read from (a MatchIndex is one). */
export interface MatchSlotSource {
  readonly ids: StringTable;
  readonly storyUpdates: Uint8Array;
}

export interface MatchOutput {
  /** Groups written. */
  groups: number;
  /** Matching subscriptions written (over all groups). */
  count: number;
  /** Per group: the segment its slots are in, and its reasons (shared: read them, do not change them). */
  readonly segment: MatchSlotSource[];
  readonly reasons: MatchReasons[];
  /**
   * Per group: slots from[g] .. to[g] (end excluded) of its segment when picked[g] is 0; else the slots listed in
   * slots[from[g] .. to[g]) (a profile with snoozed or removed subscriptions: only its live slots were picked).
   */
  from: Int32Array;
  to: Int32Array;
  picked: Uint8Array;
  slots: Int32Array;
  slotCount: number;
}

export function createMatchOutput(): MatchOutput {
  return { groups: 0, count: 0, segment: [], reasons: [], from: new Int32Array(64), to: new Int32Array(64), picked: new Uint8Array(64), slots: new Int32Array(256), slotCount: 0 };
}

/**
 * Empties the buffer for the next article. Its arrays are kept, segment and reasons too: emptying those (length 0)
 * gave back their storage, to be grown again for every article.
 */
export function clearMatchOutput(out: MatchOutput): void {
  out.groups = 0;
  out.count = 0;
  out.slotCount = 0;
}

function growGroups(out: MatchOutput): void {
  const size = out.from.length * 2;
  const from = new Int32Array(size);
  from.set(out.from);
  const to = new Int32Array(size);
  to.set(out.to);
  const picked = new Uint8Array(size);
  picked.set(out.picked);
  out.from = from;
  out.to = to;
  out.picked = picked;
}

/** Records that slots from .. to (end excluded) of `segment` all match with `reasons`. */
export function pushRange(out: MatchOutput, segment: MatchSlotSource, reasons: MatchReasons, from: number, to: number, picked = 0): void {
  if (to <= from) return;
  const last = out.groups - 1;
  // Neighbouring profiles that match with the same (shared) reasons, e.g. keyword lists found by the same single
  // term, extend one group: profiles of one posting list are numbered, and their slots laid out, side by side.
  if (last >= 0 && out.to[last] === from && out.reasons[last] === reasons && out.segment[last] === segment && out.picked[last] === picked) {
    out.to[last] = to;
    out.count += to - from;
    return;
  }
  if (out.groups === out.from.length) growGroups(out);
  const g = out.groups++;
  out.segment[g] = segment;
  out.reasons[g] = reasons;
  out.from[g] = from;
  out.to[g] = to;
  out.picked[g] = picked;
  out.count += to - from;
}

/** Adds one slot to the picked list; close the run with pushRange(..., start, out.slotCount, 1). */
export function pushSlot(out: MatchOutput, slot: number): void {
  if (out.slotCount === out.slots.length) {
    const slots = new Int32Array(out.slots.length * 2);
    slots.set(out.slots);
    out.slots = slots;
  }
  out.slots[out.slotCount++] = slot;
}

/** Calls `visit` once per matching subscription, with its reasons. */
export function forEachMatch(out: MatchOutput, visit: (subscriptionId: string, reasons: MatchReasons, receiveStoryUpdates: boolean) => void): void {
  for (let g = 0; g < out.groups; g++) {
    const segment = out.segment[g] as MatchSlotSource;
    const reasons = out.reasons[g] as MatchReasons;
    const from = out.from[g] as number;
    const to = out.to[g] as number;
    if (out.picked[g] === 0) {
      for (let slot = from; slot < to; slot++) visit(segment.ids.get(slot), reasons, segment.storyUpdates[slot] === 1);
    } else {
      for (let i = from; i < to; i++) {
        const slot = out.slots[i] as number;
        visit(segment.ids.get(slot), reasons, segment.storyUpdates[slot] === 1);
      }
    }
  }
}

export interface IndexMatch {
  subscriptionId: string;
  /** May be shared between matches: read it, do not change it. */
  reasons: MatchReasons;
  receiveStoryUpdates: boolean;
}

/** Every match as an object (tests, tools, small indexes). */
export function listMatches(out: MatchOutput): IndexMatch[] {
  const matches: IndexMatch[] = [];
  forEachMatch(out, (subscriptionId, reasons, receiveStoryUpdates) => matches.push({ subscriptionId, reasons, receiveStoryUpdates }));
  return matches;
}
