import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '#domain/errors.js';
import { MAX_OPML_DEPTH, MAX_OPML_OUTLINES, parseOpml } from '#adapters/opml-parser.js';
import { manyOutlinesOpml, unclosedNestedOpml } from '../../helpers/hostile-feeds.js';
import { HAS_SHARED, SHARED_SKIP_REASON, sharedPath } from '../../helpers/shared-dir.js';

describe('parseOpml', () => {
  it('flattens nested categories and keeps each feed with the titles around it', () => {
    // Prepare
    const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>My list</title></head><body>
      <outline text="News"><outline text="World">
        <outline type="rss" text="Text name" title="Example World" xmlUrl="https://example.com/world.xml" htmlUrl="https://example.com/"/>
      </outline></outline>
      <outline type="rss" text="Top level" xmlUrl="https://example.org/rss"/>
    </body></opml>`;

    // Act
    const document = parseOpml(opml);

    // Assess
    expect(document.title).toBe('My list');
    expect(document.outlines).toEqual([
      { xmlUrl: 'https://example.com/world.xml', title: 'Example World', htmlUrl: 'https://example.com/', categories: ['News', 'World'] },
      { xmlUrl: 'https://example.org/rss', title: 'Top level', categories: [] },
    ]);
  });

  it('reads a file with bare ampersands, no version, no prolog and an outline left open', () => {
    // Prepare: three common faults of hand-edited OPML at once.
    const opml = `<opml><body><outline text="Business & Economy">
      <outline text="A & B" xmlUrl="https://example.com/feed?a=1&region=2&copy=3&amp;d=4">
      <outline text="Second" xmlUrl="https://example.com/second"/>
    </body></opml>`;

    // Act
    const { outlines } = parseOpml(opml);

    // Assess: `&region` and `&copy` stay as written (HTML attribute rules), `&amp;` decodes.
    expect(outlines.map((o) => [o.title, o.xmlUrl])).toEqual([
      ['A & B', 'https://example.com/feed?a=1&region=2&copy=3&d=4'],
      ['Second', 'https://example.com/second'],
    ]);
    expect(outlines[0]?.categories).toEqual(['Business & Economy']);
  });

  it('accepts attribute names in any case and `url` on an outline typed as a feed', () => {
    const { outlines } = parseOpml(
      '<opml><body><outline TEXT="Upper" XMLURL="https://a.example/rss"/><outline type="rss" text="Url" url="https://b.example/rss"/>' +
        '<outline type="link" text="A page" url="https://c.example/"/></body></opml>',
    );

    expect(outlines.map((o) => o.xmlUrl)).toEqual(['https://a.example/rss', 'https://b.example/rss']);
  });

  it('never expands a DTD entity', () => {
    const opml = `<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x "EXPANDED">]><opml><body><outline text="&x;" xmlUrl="https://a.example/rss"/></body></opml>`;

    const { outlines } = parseOpml(opml);

    expect(outlines[0]?.title).toBe('&x;');
  });

  it('refuses text that is not OPML', () => {
    expect(() => parseOpml('<html><body><p>hello</p></body></html>')).toThrow(ValidationError);
    expect(() => parseOpml('just words')).toThrow(/Not an OPML document/);
  });

  it('refuses a document with more feed outlines than the cap instead of importing part of it', () => {
    const outlines = Array.from({ length: MAX_OPML_OUTLINES + 1 }, (_, i) => `<outline xmlUrl="https://e.example/${i}"/>`).join('');

    expect(() => parseOpml(`<opml><body>${outlines}</body></opml>`)).toThrow(/too large/);
  });
});

describe.skipIf(!HAS_SHARED)(`parseOpml on awesome-rss-feeds (${HAS_SHARED ? 'shared data present' : SHARED_SKIP_REASON})`, () => {
  const base = sharedPath('feedlists', 'awesome-rss-feeds');
  const files = HAS_SHARED
    ? ['countries_with_category', 'recommended_with_category'].flatMap((dir) =>
        readdirSync(`${base}/${dir}`)
          .filter((name) => name.endsWith('.opml'))
          .map((name) => `${dir}/${name}`),
      )
    : [];

  it('finds all 59 files', () => {
    expect(files).toHaveLength(59);
  });

  it.each(files)('reads feeds from %s, each with an http(s) URL and no blank title', (file) => {
    const { outlines } = parseOpml(readFileSync(`${base}/${file}`, 'utf8'));

    expect(outlines.length).toBeGreaterThan(0);
    for (const outline of outlines) {
      expect(outline.xmlUrl).toMatch(/^https?:\/\//);
      // Some outlines carry title="" (Canada, Mexico): absent, never blank.
      if (outline.title !== undefined) expect(outline.title.trim()).not.toBe('');
    }
  });

  it('keeps the category of a file with a bare ampersand in its name', () => {
    const { outlines } = parseOpml(readFileSync(`${base}/recommended_with_category/Business & Economy.opml`, 'utf8'));

    expect(outlines.every((outline) => outline.categories[0] === 'Business & Economy')).toBe(true);
  });
});

describe('parseOpml limits', () => {
  /** The ValidationError `text` is refused with, and the CPU the refusal took. */
  function refusal(text: string): { issue: string; cpuMs: number } {
    const started = process.cpuUsage();
    let issue = 'accepted';
    try {
      parseOpml(text);
    } catch (error: unknown) {
      expect(error).toBeInstanceOf(ValidationError);
      issue = (error as ValidationError).issues[0]?.message ?? '';
    }
    const used = process.cpuUsage(started);
    return { issue, cpuMs: (used.user + used.system) / 1000 };
  }

  it('refuses 100,000 outlines at the first one over the limit, within 2 s of CPU', () => {
    const { issue, cpuMs } = refusal(manyOutlinesOpml(100_000));

    expect(issue).toBe(`more than ${MAX_OPML_OUTLINES} feed outlines`);
    expect(cpuMs).toBeLessThan(2_000);
  });

  it('refuses 900 KB of outlines never closed by their depth, within 2 s of CPU (it was quadratic: 12-55 s, 2.8 GB)', () => {
    const { issue, cpuMs } = refusal(unclosedNestedOpml(900 * 1024));

    expect(issue).toBe(`outlines nested deeper than ${MAX_OPML_DEPTH} levels`);
    expect(cpuMs).toBeLessThan(2_000);
  });

  it('still reads outlines left open when they stay within the depth limit', () => {
    const { outlines } = parseOpml(`<opml><body>${'<outline text="C"><outline type="rss" text="F" xmlUrl="https://a.example/f.xml">'.repeat(20)}</body></opml>`);

    expect(outlines).toHaveLength(20);
    expect(outlines[19]?.categories).toHaveLength(20);
  });
});
