// The linear markup scans must do exactly what the regexes they replaced did (those regexes are kept here as the
// oracle; on short inputs their backtracking does not matter), and stay linear on the inputs that made them slow.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { removeComments, removeInvisibleElements, stripTags, unwrapCdata } from '#domain/markup.js';

const ORACLE = {
  cdata: (text: string) => text.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1'),
  comments: (text: string) => text.replace(/<!--[\s\S]*?(?:-->|$)/g, ' '),
  invisible: (text: string) =>
    text.replace(/<(script|style|noscript|template|iframe|object|svg|math|head)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' '),
  tags: (text: string) =>
    text
      .replace(
        /<\/?(?:address|article|aside|blockquote|br|caption|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|header|hr|img|li|main|nav|ol|p|pre|section|table|tbody|td|tfoot|th|thead|tr|ul)\b[^>]*>/gi,
        ' ',
      )
      .replace(/<\/?[a-zA-Z][^>]*>|<![^>]*>|<\?[^>]*>/g, ''),
};

/** Pieces that put every branch of the scans to work: openers, closers, almost-closers, odd cases and spaces. */
const piece = fc.constantFrom(
  '<', '>', '/', '!', '?', '-', ']', '[', ' ', '\t', '\n', '\u00a0', '\u3000', 'a', 'x1', '_', 'İ', 'K', 'ſ',
  '<p>', '</p>', '<p', '<pre>', '<P class="x">', '<h1>', '<h7>', '<thead>', '<th>', '<br/>', '</ br>', '</',
  '<b>', '</b>', '<b', '<a href="x>y">', '<1>', '< p>', '<//p>',
  '<script>', '</script>', '</script >', '</SCRIPT\n>', '<script', '<scripts>', '</scriptx>', '<STYLE type=x>',
  '</style', '</style>', '<svg>', '</svg>', '<head>', '</head>', '<object>', '</ object>',
  '<!--', '-->', '--', '<!-->', '<![CDATA[', ']]>', ']]', '<!DOCTYPE x>', '<?xml?>', '<!', '<?',
);
const markup = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));

/** Asserts that `scan` and `oracle` agree on `runs` generated texts. */
function agree(scan: (text: string) => string, oracle: (text: string) => string, texts: fc.Arbitrary<string>, runs: number): void {
  fc.assert(
    fc.property(texts, (text) => {
      expect(scan(text)).toBe(oracle(text));
    }),
    { numRuns: runs },
  );
}

describe('markup scans', () => {
  it('unwrap CDATA exactly as the regex did', () => agree(unwrapCdata, ORACLE.cdata, markup, 3000));

  it('remove comments exactly as the regex did', () => agree(removeComments, ORACLE.comments, markup, 3000));

  it('remove invisible elements exactly as the regex did', () => agree(removeInvisibleElements, ORACLE.invisible, markup, 5000));

  it('strip tags exactly as the regexes did', () => agree(stripTags, ORACLE.tags, markup, 5000));

  it('agree with the regexes on arbitrary strings too', () =>
    agree(
      (text) => stripTags(removeInvisibleElements(removeComments(unwrapCdata(text)))),
      (text) => ORACLE.tags(ORACLE.invisible(ORACLE.comments(ORACLE.cdata(text)))),
      fc.string({ maxLength: 60 }),
      2000,
    ));
});
