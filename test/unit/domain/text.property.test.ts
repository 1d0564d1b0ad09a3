import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFeedDate, publishedAtFor } from '#domain/article.js';
import { htmlToText } from '#domain/text.js';

const TAGS = ['p', 'b', 'a href="x"', 'br', 'div class="c"', 'script', 'style', 'img src="i.png"', 'span', 'h1'];
const fragment = fc.array(
  fc.oneof(
    fc.string({ maxLength: 20 }).map((text) => text.replace(/[<>]/g, ' ')),
    fc.constantFrom(...TAGS).map((tag) => `<${tag}>`),
    fc.constantFrom(...TAGS).map((tag) => `</${tag.split(' ')[0] ?? tag}>`),
    fc.constantFrom('&amp;', '&nbsp;', '&#8217;', '&eacute;', '&bogus;', '&', '<!-- c -->', '<![CDATA[x]]>'),
  ),
  { maxLength: 30 },
).map((parts) => parts.join(''));

describe('htmlToText properties', () => {
  it('never throws and never leaves a tag behind in markup built from real tags', () => {
    fc.assert(
      fc.property(fragment, (html) => {
        const text = htmlToText(html);
        expect(text).not.toMatch(/<\/?(?:p|b|a|br|div|script|style|img|span|h1)\b[^>]*>/i);
        expect(text).toBe(text.trim());
        expect(text).not.toMatch(/\s{2}/);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on arbitrary strings and respects maxLength', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.integer({ min: 0, max: 50 }), (html, maxLength) => {
        expect(htmlToText(html, maxLength).length).toBeLessThanOrEqual(maxLength);
      }),
      { numRuns: 1000 },
    );
  });

  it('folds every whitespace run of plain text to one space, as /\\s+/ -> " " would', () => {
    // Every kind of whitespace \s knows except U+FEFF, which htmlToText removes as an invisible character.
    const piece = fc.constantFrom(' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '\u2028', '\u3000', 'a', 'Zz', '.', '—');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        // Prepare
        const text = pieces.join('');

        // Act / Assess
        expect(htmlToText(text)).toBe(text.replace(/\s+/g, ' ').trim());
      }),
      { numRuns: 2000 },
    );
  });

  it('drops the content of script and style elements', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{8,16}$/), fc.constantFrom('script', 'style'), (secret, tag) => {
        expect(htmlToText(`<p>before</p><${tag}>${secret}</${tag}><p>after</p>`)).toBe('before after');
      }),
    );
  });
});

describe('parseFeedDate properties', () => {
  it('never throws on arbitrary text and yields either undefined or a valid date', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (raw) => {
        const date = parseFeedDate(raw);
        expect(date === undefined || !Number.isNaN(date.getTime())).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back any instant written as RFC 822 with a numeric zone or as ISO 8601', () => {
    const instant = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2090-01-01T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(instant, fc.integer({ min: -12 * 60, max: 14 * 60 }), (date, offset) => {
        const seconds = new Date(Math.floor(date.getTime() / 1000) * 1000);
        const local = new Date(seconds.getTime() + offset * 60_000);
        const sign = offset < 0 ? '-' : '+';
        const zone = `${sign}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}${String(Math.abs(offset) % 60).padStart(2, '0')}`;
        const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
        const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
        const pad = (n: number) => String(n).padStart(2, '0');
        const rfc822 = `${days[local.getUTCDay()]}, ${pad(local.getUTCDate())} ${months[local.getUTCMonth()]} ${local.getUTCFullYear()} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())} ${zone}`;
        expect(parseFeedDate(rfc822)?.getTime()).toBe(seconds.getTime());
        expect(parseFeedDate(seconds.toISOString())?.getTime()).toBe(seconds.getTime());
      }),
      { numRuns: 500 },
    );
  });

  it('publishedAtFor never returns a date later than the fetch time plus the tolerance', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), (raw, fetched) => {
        const fetchedAt = fetched.toISOString();
        const published = Date.parse(publishedAtFor(raw, fetchedAt));
        expect(published).toBeLessThanOrEqual(fetched.getTime() + 10 * 60_000);
      }),
      { numRuns: 1000 },
    );
  });
});
