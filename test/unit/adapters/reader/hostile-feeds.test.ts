// The hostile-feed suite at the reader: every case ends, within its CPU bound, as a bounded parse or a FeedError with
// a precise reason. The bound is the acceptance bar (2 s of CPU per case), not a benchmark: the linear reader takes
// tens of milliseconds, the backtracking one took from seconds to minutes (issue 14).
import { describe, expect, it } from 'vitest';
import { parseFeed } from '#adapters/reader/index.js';
import { toArticle } from '#domain/article.js';
import { FeedError } from '#domain/errors.js';
import { hostileFeedCases, type HostileBody } from '../../../helpers/hostile-feeds.js';

const CPU_BOUND_MS = 2_000;

/** Parses and normalises a case as a poll does; the outcome and the CPU it took. */
async function run(body: HostileBody): Promise<{ outcome: string; items: number; cpuMs: number; error?: FeedError }> {
  const started = process.cpuUsage();
  let outcome = 'ok';
  let items = 0;
  let error: FeedError | undefined;
  try {
    const feed = await parseFeed(body.body, { contentType: body.headers['content-type'], baseUrl: 'https://hostile.example/feed' });
    items = feed.items.filter((item) => toArticle(item, { feedId: 'f', sourceName: 'hostile', fetchedAt: '2026-06-01T00:00:00.000Z' })).length;
  } catch (caught: unknown) {
    expect(caught).toBeInstanceOf(FeedError);
    error = caught as FeedError;
    outcome = error.reason;
  }
  const used = process.cpuUsage(started);
  return { outcome, items, cpuMs: (used.user + used.system) / 1000, ...(error ? { error } : {}) };
}

const EXPECTED: Record<string, string> = {
  '10000 items': 'ok',
  '15 MiB feed': 'ok',
  '50 MB body': 'too-large',
  '5000-deep nested title': 'too-deep',
  '5000-deep XHTML content': 'too-deep',
  'billion laughs': 'entity-declaration',
  XXE: 'entity-declaration',
  'gzip bomb (200 MiB inflated, body)': 'too-large',
};

describe('hostile feeds at the reader', () => {
  for (const body of hostileFeedCases()) {
    it(`${body.name}: ends within ${CPU_BOUND_MS} ms of CPU with a bounded result or a precise reason`, async () => {
      // Act
      const result = await run(body);

      // Assess
      expect(result.cpuMs).toBeLessThan(CPU_BOUND_MS);
      const expected = EXPECTED[body.name];
      if (expected !== undefined) expect(result.outcome).toBe(expected);
      else expect(['ok', 'malformed-xml']).toContain(result.outcome);
      expect(result.items).toBeLessThanOrEqual(300);
    });
  }
});
