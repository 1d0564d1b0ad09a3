import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { newFeed } from '#domain/feed.js';
import { feedUrlKey, planOpmlImport, renderOpml, type OpmlDocument } from '#domain/opml.js';
import type { Feed } from '#domain/types.js';
import { parseOpml } from '#adapters/opml-parser.js';
import { HAS_SHARED, SHARED_SKIP_REASON, sharedPath } from '../../helpers/shared-dir.js';

const NOW = new Date('2025-06-01T12:00:00Z');

function feedsFrom(plan: ReturnType<typeof planOpmlImport>): Feed[] {
  return plan.candidates.map(({ input, feedId }) => newFeed({ ...input, feedId }, NOW));
}

describe('planOpmlImport', () => {
  it('adds new feeds with title as source name and the default country, skipping existing and repeated URLs', () => {
    // Prepare
    const existing = [newFeed({ url: 'https://known.example/rss' }, NOW)];
    const document: OpmlDocument = {
      outlines: [
        { xmlUrl: 'https://new.example/rss', title: 'New', categories: ['News'] },
        { xmlUrl: 'HTTPS://Known.Example:443/rss', title: 'Known again', categories: [] },
        { xmlUrl: 'https://new.example/rss', title: 'New twice', categories: [] },
        { xmlUrl: 'https://fr.example/rss', title: 'Le Monde', country: 'fr', language: 'fr-FR', categories: [] },
      ],
    };

    // Act
    const plan = planOpmlImport(document, existing, { defaultCountry: 'GB' });

    // Assess
    expect(plan.candidates.map((c) => c.input)).toEqual([
      { url: 'https://new.example/rss', sourceName: 'New', sourceCountry: 'GB' },
      { url: 'https://fr.example/rss', sourceName: 'Le Monde', sourceCountry: 'FR', language: 'fr' },
    ]);
    expect(plan.skipped).toEqual([
      { url: 'HTTPS://Known.Example:443/rss', feedId: existing[0]!.feedId, reason: 'exists' },
      { url: 'https://new.example/rss', feedId: plan.candidates[0]!.feedId, reason: 'duplicate' },
    ]);
    expect(plan.invalid).toEqual([]);
  });

  it('refuses outlines that cannot become feeds, each with a reason, and keeps going', () => {
    const plan = planOpmlImport(
      {
        outlines: [
          { xmlUrl: 'ftp://files.example/feed', title: 'FTP', categories: [] },
          { xmlUrl: 'javascript:alert(1)', categories: [] },
          { xmlUrl: 'https://ok.example/rss', country: 'Narnia', categories: [] },
          { xmlUrl: 'https://good.example/rss', categories: [] },
        ],
      },
      [],
    );

    expect(plan.invalid.map((i) => [i.url, i.reason])).toEqual([
      ['ftp://files.example/feed', 'invalid-url'],
      ['javascript:alert(1)', 'invalid-url'],
      ['https://ok.example/rss', 'invalid-sourceCountry'],
    ]);
    expect(plan.candidates.map((c) => c.input.url)).toEqual(['https://good.example/rss']);
  });

  it('cuts an overlong title instead of refusing the feed', () => {
    const plan = planOpmlImport({ outlines: [{ xmlUrl: 'https://long.example/rss', title: 'x'.repeat(500), categories: [] }] }, []);

    expect(plan.candidates[0]?.input.sourceName?.length).toBeLessThanOrEqual(200);
  });
});

describe('feedUrlKey', () => {
  it('treats case of scheme and host and a default port as the same feed, but not the path', () => {
    expect(feedUrlKey('HTTP://Example.COM:80/Feed')).toBe(feedUrlKey('http://example.com/Feed'));
    expect(feedUrlKey('http://example.com/Feed')).not.toBe(feedUrlKey('http://example.com/feed'));
  });
});

describe('renderOpml', () => {
  it('writes OPML 2.0 that imports back to the same URLs, titles, countries and languages', () => {
    // Prepare: characters that must be escaped, in both title and URL.
    const feeds = [
      newFeed({ url: 'https://a.example/rss?x=1&y=<2>', sourceName: 'Tom & "Jerry" <News>', sourceCountry: 'US', language: 'en' }, NOW),
      newFeed({ url: 'https://b.example/atom' }, NOW),
    ];

    // Act
    const text = renderOpml(feeds, { title: 'Mine & yours', now: NOW });
    const back = planOpmlImport(parseOpml(text), []);

    // Assess
    expect(text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<opml version="2.0"/);
    expect(parseOpml(text).title).toBe('Mine & yours');
    expect(back.invalid).toEqual([]);
    expect(back.candidates.map((c) => c.input)).toEqual(
      expect.arrayContaining([
        { url: 'https://a.example/rss?x=1&y=<2>', sourceName: 'Tom & "Jerry" <News>', sourceCountry: 'US', language: 'en' },
        { url: 'https://b.example/atom' },
      ]),
    );
    expect(back.candidates.map((c) => c.feedId).sort()).toEqual(feeds.map((f) => f.feedId).sort());
  });

  it('is byte-identical for the same feeds in another order', () => {
    const feeds = [newFeed({ url: 'https://b.example/rss', sourceName: 'B' }, NOW), newFeed({ url: 'https://a.example/rss', sourceName: 'A' }, NOW)];

    expect(renderOpml(feeds, { title: 't', now: NOW })).toBe(renderOpml([...feeds].reverse(), { title: 't', now: NOW }));
  });
});

describe.skipIf(!HAS_SHARED)(`OPML round trip on awesome-rss-feeds (${HAS_SHARED ? 'shared data present' : SHARED_SKIP_REASON})`, () => {
  const base = sharedPath('feedlists', 'awesome-rss-feeds');
  const files = HAS_SHARED
    ? ['countries_with_category', 'recommended_with_category'].flatMap((dir) =>
        readdirSync(`${base}/${dir}`).filter((n) => n.endsWith('.opml')).map((n) => `${dir}/${n}`),
      )
    : [];

  it.each(files)('imports %s, exports it and imports the export with the same URLs and titles', (file) => {
    // Prepare
    const first = planOpmlImport(parseOpml(readFileSync(`${base}/${file}`, 'utf8')), [], { defaultCountry: 'GB' });
    const imported = feedsFrom(first);

    // Act
    const second = planOpmlImport(parseOpml(renderOpml(imported, { title: file, now: NOW })), []);

    // Assess
    expect(imported.length).toBeGreaterThan(0);
    expect(second.invalid).toEqual([]);
    const pairs = (feeds: Feed[]) => feeds.map((f) => [f.url, f.sourceName ?? null, f.sourceCountry ?? null]).sort();
    expect(pairs(feedsFrom(second))).toEqual(pairs(imported));
  });
});
