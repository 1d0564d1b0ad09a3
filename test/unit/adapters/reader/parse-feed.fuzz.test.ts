// Fuzzing the reader: real feeds from ../shared, mutated by fast-check with a fixed seed (the same inputs on every
// run, in CI too), and generated markup. Whatever the bytes, parseFeed either returns a bounded feed or throws a
// FeedError, never anything else, and each input ends within the CPU bound.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '#adapters/reader/index.js';
import { FEED_LIMITS } from '#adapters/reader/limits.js';
import { FeedError } from '#domain/errors.js';
import { HAS_SHARED, SHARED_SKIP_REASON, listFiles, sharedPath } from '../../../helpers/shared-dir.js';

const SEED = 20261201;
const CPU_BOUND_MS = 2_000;

/** Every 40th feed file of the shared suites, in sorted order: about 80 documents of every format and fault. */
function seedFeeds(): Buffer[] {
  const files = listFiles(sharedPath('feeds'), { sorted: true, keep: (_, name) => /\.(?:xml|rss|atom|rdf|json|feed)$/i.test(name) });
  return files.filter((_, index) => index % 40 === 0).map((file) => readFileSync(file));
}

/** Markup fragments that have broken parsers: openers never closed, deep nesting, entities, stray closers. */
const FRAGMENTS = [
  '<', '>', '&', '&amp;', '&nbsp;', '&#0;', '&#x110000;', ']]>', '<![CDATA[', '<!--', '-->', '<?xml version="1.0"?>',
  '<!DOCTYPE x>', '<!ENTITY a "b">', '</item>', '<item>', '</channel>', '<entry>', '<title>', '</title>', '<style>',
  '<script>', '"', "'", '\u0000', '\uFFFD', '\uD800', '{', '}', '[', ']', '"version":"https://jsonfeed.org/version/1.1"',
  '<b>'.repeat(400), '<div <div <div', '<p>\n'.repeat(50), 'xml:base="javascript:x"', 'xml:base="//a/"',
];

type Mutation = { at: number; kind: 'insert' | 'delete' | 'duplicate' | 'truncate'; fragment: number; length: number };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }).map((share) => share),
  kind: fc.constantFrom('insert', 'delete', 'duplicate', 'truncate'),
  fragment: fc.nat(FRAGMENTS.length - 1),
  length: fc.integer({ min: 1, max: 4096 }),
}) as fc.Arbitrary<Mutation>;

function mutate(source: Buffer, mutations: readonly Mutation[]): Buffer {
  let text = source.toString('latin1');
  for (const { at, kind, fragment, length } of mutations) {
    const index = Math.floor(at * text.length);
    if (kind === 'insert') text = text.slice(0, index) + FRAGMENTS[fragment]! + text.slice(index);
    else if (kind === 'delete') text = text.slice(0, index) + text.slice(index + length);
    else if (kind === 'duplicate') text = text.slice(0, index) + text.slice(index, index + length).repeat(8) + text.slice(index);
    else text = text.slice(0, index);
  }
  return Buffer.from(text, 'latin1');
}

/** Parses `body`; fails the property on anything but a bounded feed or a FeedError, or on a CPU overrun. */
async function parseWithinBounds(body: Buffer, contentType?: string): Promise<void> {
  const started = process.cpuUsage();
  try {
    const feed = await parseFeed(body, { contentType, baseUrl: 'https://fuzz.example/feed' });
    expect(feed.items.length).toBeLessThanOrEqual(FEED_LIMITS.maxItems);
  } catch (error: unknown) {
    if (!(error instanceof FeedError)) throw new Error(`parseFeed threw ${String(error)}, not a FeedError`, { cause: error });
    expect(error.reason).toMatch(/^[a-z0-9-]+$/);
  }
  const used = process.cpuUsage(started);
  expect((used.user + used.system) / 1000).toBeLessThan(CPU_BOUND_MS);
}

describe('parseFeed under fuzzing', () => {
  it.skipIf(!HAS_SHARED)(`mutated real feeds give a feed or a FeedError, within the bound (${HAS_SHARED ? 'seeded' : SHARED_SKIP_REASON})`, async () => {
    const feeds = seedFeeds();
    expect(feeds.length).toBeGreaterThan(20);
    await fc.assert(
      fc.asyncProperty(fc.nat(feeds.length - 1), fc.array(mutation, { minLength: 1, maxLength: 6 }), async (index, mutations) => {
        await parseWithinBounds(mutate(feeds[index]!, mutations));
      }),
      { seed: SEED, numRuns: 300 },
    );
  }, 120_000);

  it('generated markup and JSON give a feed or a FeedError, within the bound', async () => {
    const markup = fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 30 })), { maxLength: 60 }).map((parts) => parts.join(''));
    const document = fc.oneof(
      markup.map((inner) => `<?xml version="1.0"?><rss version="2.0"><channel><item><title>${inner}</title><description>${inner}</description></item></channel></rss>`),
      markup.map((inner) => `<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id><content type="xhtml">${inner}</content></entry></feed>`),
      markup,
      fc.json({ maxDepth: 6 }).map((json) => `{"version":"https://jsonfeed.org/version/1.1","items":[${json}]}`),
    );
    await fc.assert(
      fc.asyncProperty(document, fc.constantFrom(undefined, 'application/rss+xml', 'application/json; charset=utf-16'), async (text, contentType) => {
        await parseWithinBounds(Buffer.from(text, 'utf8'), contentType);
      }),
      { seed: SEED, numRuns: 500 },
    );
  }, 120_000);
});
