import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalizeUrl, isTrackingParam, resolveHttpUrl } from '#domain/url.js';

describe('canonicalizeUrl', () => {
  it.each([
    ['HTTPS://News.Example.COM:443/a/b?x=1#comments', 'https://news.example.com/a/b?x=1'],
    ['http://example.com:80/', 'http://example.com/'],
    ['http://example.com:8080/', 'http://example.com:8080/'],
    ['https://example.com', 'https://example.com/'],
    ['https://example.com/a/./b/../c', 'https://example.com/a/c'],
    ['https://user:pw@example.com/story', 'https://example.com/story'],
    ['  https://example.com/story  ', 'https://example.com/story'],
  ])('normalises %s to %s', (raw, expected) => {
    expect(canonicalizeUrl(raw)).toBe(expected);
  });

  it('drops tracking parameters and keeps meaningful ones in their original order and spelling', () => {
    const raw =
      'https://example.com/story?utm_source=rss&id=42&UTM_Campaign=x&fbclid=abc&page=2&gclid=1&q=a%20b&mc_cid=9&mc_eid=8&_ga=1&igshid=2&ref_src=twsrc&xtor=RSS-1';

    expect(canonicalizeUrl(raw)).toBe('https://example.com/story?id=42&page=2&q=a%20b');
  });

  it("strips the BBC's AT Internet campaign parameters", () => {
    expect(canonicalizeUrl('https://www.bbc.co.uk/news/world-123?at_medium=RSS&at_campaign=rss')).toBe(
      'https://www.bbc.co.uk/news/world-123',
    );
  });

  it('removes the question mark when nothing meaningful is left, and empty pieces', () => {
    expect(canonicalizeUrl('https://example.com/a?utm_medium=feed')).toBe('https://example.com/a');
    expect(canonicalizeUrl('https://example.com/a?&&b=1&&')).toBe('https://example.com/a?b=1');
    expect(canonicalizeUrl('https://example.com/a?')).toBe('https://example.com/a');
  });

  it('drops an empty fragment marker, and credentials a relative link inherits from its base', () => {
    expect(canonicalizeUrl('https://example.com/a#')).toBe('https://example.com/a');
    expect(canonicalizeUrl('https://example.com/a?#')).toBe('https://example.com/a');
    expect(canonicalizeUrl('story/1', 'https://user:pw@example.com/news/')).toBe('https://example.com/news/story/1');
  });

  it('resolves relative links against the base', () => {
    expect(canonicalizeUrl('/news/1?utm_source=x', 'https://example.com/feed.xml')).toBe('https://example.com/news/1');
    expect(canonicalizeUrl('2.html', 'https://example.com/news/1.html')).toBe('https://example.com/news/2.html');
    expect(canonicalizeUrl('https://other.example/x', 'not a url')).toBe('https://other.example/x');
  });

  it.each(['', 'not a url', '/relative/without/base', 'mailto:desk@example.com', 'javascript:alert(1)', 'ftp://example.com/f', 'data:text/html,hi'])(
    'returns undefined for %j',
    (raw) => {
      expect(canonicalizeUrl(raw)).toBeUndefined();
    },
  );

  it('lower-cases internationalised hosts into punycode', () => {
    expect(canonicalizeUrl('https://BÜCHER.example/a')).toBe('https://xn--bcher-kva.example/a');
  });

  it('is idempotent and never leaves a utm_ parameter (property)', () => {
    const trackingKey = fc.constantFrom('utm_source', 'utm_medium', 'UTM_CAMPAIGN', 'utm_term', 'utm_content', 'utm_x', 'fbclid', 'gclid');
    fc.assert(
      fc.property(
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
        fc.array(fc.tuple(trackingKey, fc.string()), { maxLength: 3 }),
        (url, tracking) => {
          const extra = tracking.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&');
          const raw = extra === '' ? url : `${url.replace(/#.*$/, '')}${url.includes('?') ? '&' : '?'}${extra}`;
          const once = canonicalizeUrl(raw);
          if (once === undefined) return;
          expect(canonicalizeUrl(once)).toBe(once);
          const keys = [...new URL(once).searchParams.keys()].map((key) => key.toLowerCase());
          expect(keys.some((key) => key.startsWith('utm_') || key === 'fbclid' || key === 'gclid')).toBe(false);
          expect(once).not.toContain('#');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.string(), { nil: undefined }), (raw, base) => {
        const result = canonicalizeUrl(raw, base);
        expect(result === undefined || /^https?:\/\//.test(result)).toBe(true);
      }),
    );
  });
});

describe('isTrackingParam', () => {
  it('recognises campaign and click ids but not ordinary parameters', () => {
    expect(['utm_source', 'Utm_Term', 'fbclid', 'gclid', 'mc_eid', '_ga', 'igshid', 'ref_src'].every(isTrackingParam)).toBe(true);
    expect(['id', 'p', 'page', 'q', 'ref', 'article', 'story_id'].some(isTrackingParam)).toBe(false);
  });
});

describe('resolveHttpUrl', () => {
  it('keeps every query parameter of an image URL and only checks the scheme', () => {
    expect(resolveHttpUrl('/img/a.jpg?w=640&utm_source=x', 'https://cdn.example/')?.href).toBe('https://cdn.example/img/a.jpg?w=640&utm_source=x');
    expect(resolveHttpUrl('data:image/png;base64,AAAA')).toBeUndefined();
    expect(resolveHttpUrl(undefined)).toBeUndefined();
  });
});
