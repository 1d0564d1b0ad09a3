// Timing matching the way the matcher does it (matchLive into the grouped output), shared by the single-index,
// live and shard parts of bench/match.ts.
import { createLiveMatchIndex, matchLive, type LiveMatchIndex } from '#domain/live-match-index.js';
import type { MatchIndex, MatchTrace } from '#domain/match-index.js';
import type { ClassifiedArticle } from '#domain/types.js';
import { NOW, percentile, round } from './_match-fixtures.js';

export interface MatchTimes {
  medianMs: number;
  p99Ms: number;
  /**
   * The same articles matched REPEATS times, each article's fastest: what matching costs without the other
   * processes of a shared machine taking the core in the middle of an article (the median, p99 of those minima).
   */
  fastestOfRepeats: { repeats: number; medianMs: number; p99Ms: number };
  matchesPerArticle: { median: number; p99: number; mean: number };
  candidateProfilesPerArticle: { median: number; p99: number };
}

const REPEATS = 3;

/** Warm-up on other articles (JIT, shared reasons), then one timed pass, then REPEATS passes for the minima. */
export function timeMatching(index: MatchIndex | LiveMatchIndex, articles: readonly ClassifiedArticle[], warmUp: readonly ClassifiedArticle[]): MatchTimes {
  const live = 'segments' in index ? index : createLiveMatchIndex(index);
  for (const a of warmUp) matchLive(live, a, NOW);
  const single: number[] = [];
  const matches: number[] = [];
  const candidates: number[] = [];
  const fastest = articles.map(() => Number.POSITIVE_INFINITY);
  for (let pass = 0; pass <= REPEATS; pass++) {
    articles.forEach((a, i) => {
      const trace: MatchTrace = { candidates: 0 };
      const start = process.hrtime.bigint();
      const out = matchLive(live, a, NOW, trace);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (pass === 0) {
        single.push(ms);
        matches.push(out.count);
        candidates.push(trace.candidates);
      } else fastest[i] = Math.min(fastest[i] as number, ms);
    });
  }
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const s = sorted(single);
  const f = sorted(fastest);
  const m = sorted(matches);
  const c = sorted(candidates);
  return {
    medianMs: round(percentile(s, 50), 4),
    p99Ms: round(percentile(s, 99), 4),
    fastestOfRepeats: { repeats: REPEATS, medianMs: round(percentile(f, 50), 4), p99Ms: round(percentile(f, 99), 4) },
    matchesPerArticle: { median: percentile(m, 50), p99: percentile(m, 99), mean: round(m.reduce((x, y) => x + y, 0) / Math.max(1, m.length), 1) },
    candidateProfilesPerArticle: { median: percentile(c, 50), p99: percentile(c, 99) },
  };
}
