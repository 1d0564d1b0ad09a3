// Feed HTML to plain text for titles, summaries and the classifier. A scan, not a DOM: feed snippets are often
// broken HTML, and we only need readable words. Every step is linear in the length of the text (markup.ts), since
// the text comes from feeds anyone can write.
import { decodeHTML } from 'entities';
import { removeComments, removeInvisibleElements, stripTags, unwrapCdata } from './markup.js';

// C0/C1 controls other than whitespace, and zero-width characters that only disturb matching.
// eslint-disable-next-line no-control-regex
const INVISIBLE_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200D\u2060\uFEFF]/g;

/**
 * Every whitespace run except a lone " ", which folding would leave as it is: the same result as /\s+/g -> " ",
 * without a match (and a copied piece of output) between every two words. A run starting with a space matches the
 * second branch, any other run the first; both take the whole run.
 */
const WHITESPACE_TO_FOLD = /[^\S ]\s*| \s+/g;

/**
 * Readable plain text from an HTML fragment: scripts and styles removed, tags stripped (block tags become a space),
 * entities decoded, whitespace folded. With `maxLength`, cut at a word boundary and marked with "…".
 */
export function htmlToText(html: string, maxLength?: number): string {
  let text = html;
  // Most titles, and many summaries, are plain text: every markup pattern needs a "<" and every entity a "&".
  if (text.includes('<')) {
    text = stripTags(removeInvisibleElements(removeComments(unwrapCdata(text))));
  }
  if (text.includes('&')) text = decodeHTML(text);
  text = text.replace(INVISIBLE_CHARS, '').replace(WHITESPACE_TO_FOLD, ' ').trim();
  return maxLength === undefined ? text : truncateText(text, maxLength);
}

/** Cuts `text` to at most `maxLength` characters, preferring a word boundary, ending with "…" when cut. */
export function truncateText(text: string, maxLength: number): string {
  const limit = Math.max(0, Math.floor(maxLength));
  if (text.length <= limit) return text;
  if (limit === 0) return '';
  let cut = text.slice(0, limit - 1);
  const endsOnBoundary = /\s/.test(text.charAt(limit - 1));
  const lastSpace = cut.lastIndexOf(' ');
  // Only back off to a space if that keeps most of the text; a single huge word is cut mid-word instead.
  if (!endsOnBoundary && lastSpace >= limit * 0.6) cut = cut.slice(0, lastSpace);
  // Never leave half of a surrogate pair behind.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/**
 * Cuts `text` to at most `maxBytes` bytes of UTF-8, never inside a character, ending with "…" (3 bytes) when cut.
 * For text that goes where space is counted in bytes: log lines, stored records.
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  const limit = Math.max(0, Math.floor(maxBytes));
  // At most 3 bytes per UTF-16 unit: shorter text cannot be over the limit, and is not encoded at all.
  if (text.length * 3 <= limit) return text;
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= limit) return text;
  if (limit < 3) return '';
  let end = limit - 3;
  // Back off continuation bytes (10xxxxxx) to the start of the character they belong to.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end)) + '…';
}
