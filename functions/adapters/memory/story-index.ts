// The story index in memory, for `newsalert inspect`, `npm run bench -- ingest` and handler tests. It answers as
// DynamoStoryIndex does (same sort key, same order, same per-key limit, one candidate per article), so the ingest
// core assigns the same story ids over either: test/integration/memory-adapters.test.ts runs one contract on both.
import type { StoryIndex } from '#domain/ports.js';
import type { StoryCandidate } from '#domain/story.js';
import { normalizeIsoTime } from '../dynamo/input-checks.js';
import { STORY_CANDIDATES_PER_KEY, storyEntrySortKey } from '../dynamo/stories-repository.js';

/** One article's mark, shared by its entries under every key: the last look-up that met it (cheaper than a Set). */
interface ArticleMark {
  metBy: number;
}

interface Entry {
  sk: string;
  candidate: StoryCandidate;
  mark: ArticleMark;
}

/** The index of the first entry whose sort key is <= sk, in a list sorted newest (largest) first. */
function firstAtOrBelow(entries: readonly Entry[], sk: string): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (entries[middle]!.sk > sk) low = middle + 1;
    else high = middle;
  }
  return low;
}

export class MemoryStoryIndex implements StoryIndex {
  /** Per story key, the entries newest first: what a Query with ScanIndexForward false reads. */
  private readonly byKey = new Map<string, Entry[]>();
  private readonly marks = new Map<string, ArticleMark>();
  private lookups = 0;
  /** The last time normalised: an ingest asks with one window start and files with one fetch time. */
  private lastTime = { raw: '', normalized: '' };

  constructor(private readonly perKey = STORY_CANDIDATES_PER_KEY) {}

  async findCandidates(keys: readonly string[], since: string): Promise<StoryCandidate[]> {
    const from = this.normalized('since', since);
    const lookup = ++this.lookups;
    const candidates: StoryCandidate[] = [];
    for (const key of new Set(keys)) {
      const entries = this.byKey.get(key);
      if (entries === undefined) continue;
      const end = Math.min(entries.length, this.perKey);
      for (let i = 0; i < end; i++) {
        const entry = entries[i]!;
        if (entry.sk < from) break;
        // The first entry met of each article, in key order then newest first: DynamoStoryIndex's order.
        if (entry.mark.metBy === lookup) continue;
        entry.mark.metBy = lookup;
        candidates.push(entry.candidate);
      }
    }
    return candidates;
  }

  private normalized(name: string, time: string): string {
    if (time !== this.lastTime.raw) this.lastTime = { raw: time, normalized: normalizeIsoTime(name, time) };
    return this.lastTime.normalized;
  }

  async record(candidate: StoryCandidate, keys: readonly string[], _ttlEpochSeconds: number): Promise<void> {
    const sk = storyEntrySortKey(this.normalized('seenAt', candidate.seenAt), candidate.articleId);
    let mark = this.marks.get(candidate.articleId);
    if (mark === undefined) {
      mark = { metBy: 0 };
      this.marks.set(candidate.articleId, mark);
    }
    for (const key of new Set(keys)) {
      let entries = this.byKey.get(key);
      if (entries === undefined) {
        entries = [];
        this.byKey.set(key, entries);
      }
      const at = firstAtOrBelow(entries, sk);
      const entry: Entry = { sk, candidate, mark };
      // One item per (key, article, seenAt): a retry rewrites it, as a DynamoDB put of the same key does.
      if (entries[at]?.sk === sk) entries[at] = entry;
      else entries.splice(at, 0, entry);
    }
  }
}
