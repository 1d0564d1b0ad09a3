import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { htmlToText, truncateText, truncateUtf8 } from '#domain/text.js';

describe('htmlToText', () => {
  it('removes scripts, styles and comments with their content', () => {
    const html = '<style>p{color:red}</style><p>Hello</p><SCRIPT type="x">alert("no")</SCRIPT><!-- hidden -->world';

    expect(htmlToText(html)).toBe('Hello world');
  });

  it('separates words at block tags and joins them at inline tags', () => {
    expect(htmlToText('<p>One</p><p>two</p>three<br/>four<li>five</li>')).toBe('One two three four five');
    expect(htmlToText('un<b>believ</b>able')).toBe('unbelievable');
  });

  it('decodes named and numeric entities after stripping, so escaped markup stays as text', () => {
    expect(htmlToText('Tom &amp; Jerry&nbsp;&mdash; &#8220;caf&eacute;&#x201D; &lt;b&gt;')).toBe('Tom & Jerry — “café” <b>');
  });

  it('folds all whitespace, including non-breaking spaces and newlines, and drops zero-width characters', () => {
    expect(htmlToText('  a\n\n\tb\u00a0\u00a0c\u200bd  ')).toBe('a b cd');
  });

  it('keeps a lone less-than sign that does not open a tag', () => {
    expect(htmlToText('3 < 5 and 7 > 2')).toBe('3 < 5 and 7 > 2');
  });

  it('unwraps CDATA', () => {
    expect(htmlToText('<![CDATA[<p>Inside</p>]]>')).toBe('Inside');
  });

  it('cuts at a word boundary with an ellipsis when a maximum length is given', () => {
    const text = htmlToText('<p>The quick brown fox jumps over the lazy dog</p>', 20);

    expect(text).toBe('The quick brown fox…');
    expect(text.length).toBeLessThanOrEqual(20);
  });

  it('never exceeds the maximum length and never leaves tags behind (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 0, max: 200 }), (html, max) => {
        const text = htmlToText(`<div>${html}</div>`, max);
        expect(text.length).toBeLessThanOrEqual(max);
        expect(text).not.toMatch(/^\s|\s$|\s{2}/);
      }),
    );
  });
});

describe('truncateText', () => {
  it('leaves short text alone and cuts a single long word mid-word', () => {
    expect(truncateText('short', 10)).toBe('short');
    expect(truncateText('abcdefghijklmnop', 8)).toBe('abcdefg…');
  });

  it('does not split a surrogate pair', () => {
    expect(truncateText('ab😀cd', 4)).toBe('ab…');
  });
});

describe('truncateUtf8', () => {
  const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

  it('leaves text within the limit alone, counted in bytes', () => {
    expect(truncateUtf8('short', 5)).toBe('short');
    expect(truncateUtf8('ééé', 6)).toBe('ééé');
  });

  it('cuts to the limit in bytes, ellipsis included, never inside a character', () => {
    // Prepare
    const samples = ['x'.repeat(600), '中'.repeat(300), '😀'.repeat(200), 'aé中😀'.repeat(100)];

    // Act & Assess
    for (const sample of samples) {
      const cut = truncateUtf8(sample, 512);
      expect(bytes(cut)).toBeLessThanOrEqual(512);
      expect(bytes(cut)).toBeGreaterThan(505);
      expect(cut.endsWith('…')).toBe(true);
      expect(cut).not.toContain('\uFFFD');
      expect(sample.startsWith(cut.slice(0, -1))).toBe(true);
    }
  });
});
