// Markup removal for htmlToText in linear time. Feed HTML is untrusted: the regexes this replaces
// (/<style\b[^>]*>[\s\S]*?<\/style\s*>/gi and friends) scanned to the end of the text from every "<" whose tag never
// closed, so 60 KB of crafted markup took minutes. Each pass below does what one of those regexes did, left to right
// as String.replace does, but finds every terminator with indexOf from where the last search stopped, and remembers
// when one is missing for good: no character is looked at more than a few times.

/** `<![CDATA[x]]>` becomes x (what /<!\[CDATA\[([\s\S]*?)\]\]>/g -> "$1" did). */
export function unwrapCdata(text: string): string {
  const parts: string[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf('<![CDATA[', from);
    if (open === -1) break;
    const close = text.indexOf(']]>', open + 9);
    // No terminator after this opener means none after any later one either.
    if (close === -1) break;
    parts.push(text.slice(from, open), text.slice(open + 9, close));
    from = close + 3;
  }
  if (from === 0) return text;
  parts.push(text.slice(from));
  return parts.join('');
}

/** Comments become a space; an unclosed one hides the rest (/<!--[\s\S]*?(?:-->|$)/g -> " "). */
export function removeComments(text: string): string {
  const parts: string[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf('<!--', from);
    if (open === -1) break;
    parts.push(text.slice(from, open), ' ');
    const close = text.indexOf('-->', open + 4);
    if (close === -1) {
      from = text.length;
      break;
    }
    from = close + 3;
  }
  if (from === 0) return text;
  parts.push(text.slice(from));
  return parts.join('');
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** A regex word character ([A-Za-z0-9_]): what \b looks at. */
function isWordChar(code: number): boolean {
  return isAsciiLetter(code) || (code >= 0x30 && code <= 0x39) || code === 0x5f;
}

/** The run of word characters at `start`, lowercased. */
function wordAt(text: string, start: number): string {
  let end = start;
  while (end < text.length && isWordChar(text.charCodeAt(end))) end++;
  return text.slice(start, end).toLowerCase();
}

/** Whether `code` is a character the regex \s matches (ECMAScript WhiteSpace and LineTerminator). */
function isRegexSpace(code: number): boolean {
  if (code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0xa0) return true;
  if (code < 0x1680) return false;
  return (
    code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 ||
    code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff
  );
}

/** Elements whose content is never readable text. */
const INVISIBLE = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'svg', 'math', 'head']);

/**
 * Finds `</name\s*>` (name matched case-insensitively) at or after `from`; returns the index after its `>`, or -1.
 * `lower` is the text lowercased once by the caller, so the search is indexOf, not a regex.
 */
function closingTagEnd(lower: string, name: string, from: number): number {
  const needle = `</${name}`;
  for (let at = lower.indexOf(needle, from); at !== -1; at = lower.indexOf(needle, at + needle.length)) {
    let end = at + needle.length;
    while (end < lower.length && isRegexSpace(lower.charCodeAt(end))) end++;
    if (lower.charCodeAt(end) === 0x3e) return end + 1;
  }
  return -1;
}

/**
 * `<script …>…</script>` and the other invisible elements become a space, content and all
 * (/<(script|style|…)\b[^>]*>[\s\S]*?<\/\1\s*>/gi -> " "). An element never closed is left to the tag passes.
 */
export function removeInvisibleElements(text: string): string {
  // toLowerCase keeps the length for every character that can be part of a tag name or a "</" search, but not for
  // a few others (İ -> i̇): only then is the lowercase copy not usable as an index map, and a slower exact path runs.
  const lower = text.toLowerCase();
  const sameIndexes = lower.length === text.length;
  const parts: string[] = [];
  /** Per element name: searches from this index on found no closing tag, so none will. */
  const noCloseFrom = new Map<string, number>();
  // The next ">" found, reused while it lies ahead: openers without their own ">" all find the same far one.
  let tagEnd = -1;
  let from = 0;
  for (let at = text.indexOf('<', 0); at !== -1; at = text.indexOf('<', at + 1)) {
    const name = wordAt(text, at + 1);
    if (!INVISIBLE.has(name)) continue;
    if (tagEnd < at) tagEnd = text.indexOf('>', at + 1 + name.length);
    if (tagEnd === -1) break;
    const known = noCloseFrom.get(name);
    if (known !== undefined && known <= tagEnd + 1) continue;
    const end = sameIndexes ? closingTagEnd(lower, name, tagEnd + 1) : exactClosingTagEnd(text, name, tagEnd + 1);
    if (end === -1) {
      noCloseFrom.set(name, tagEnd + 1);
      continue;
    }
    parts.push(text.slice(from, at), ' ');
    from = end;
    at = end - 1;
  }
  if (from === 0) return text;
  parts.push(text.slice(from));
  return parts.join('');
}

/** closingTagEnd without the lowercase copy: for the rare text whose lowercasing changes its length. */
function exactClosingTagEnd(text: string, name: string, from: number): number {
  for (let at = text.indexOf('</', from); at !== -1; at = text.indexOf('</', at + 2)) {
    if (text.slice(at + 2, at + 2 + name.length).toLowerCase() !== name) continue;
    let end = at + 2 + name.length;
    while (end < text.length && isRegexSpace(text.charCodeAt(end))) end++;
    if (text.charCodeAt(end) === 0x3e) return end + 1;
  }
  return -1;
}

/** Tags that separate words: replacing them with a space keeps "one</p><p>two" from becoming "onetwo". */
const BLOCK = new Set(
  (
    'address article aside blockquote br caption dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr ' +
    'img li main nav ol p pre section table tbody td tfoot th thead tr ul'
  ).split(' '),
);

/** Block tags become a space (/<\/?(?:p|div|…)\b[^>]*>/gi -> " "). */
function replaceBlockTags(text: string): string {
  const parts: string[] = [];
  let from = 0;
  for (let at = text.indexOf('<', 0); at !== -1; at = text.indexOf('<', at + 1)) {
    const nameStart = text.charCodeAt(at + 1) === 0x2f ? at + 2 : at + 1;
    if (!BLOCK.has(wordAt(text, nameStart))) continue;
    const end = text.indexOf('>', nameStart);
    // No ">" after this tag: none after any later one either.
    if (end === -1) break;
    parts.push(text.slice(from, at), ' ');
    from = end + 1;
    at = end;
  }
  if (from === 0) return text;
  parts.push(text.slice(from));
  return parts.join('');
}

/** Whether the "<" at `at` opens a tag, a declaration or a processing instruction: </x, <x, <! or <?. */
function opensTag(text: string, at: number): boolean {
  const next = text.charCodeAt(at + 1);
  if (next === 0x21 || next === 0x3f || isAsciiLetter(next)) return true;
  return next === 0x2f && isAsciiLetter(text.charCodeAt(at + 2));
}

/** Every other tag disappears (/<\/?[a-zA-Z][^>]*>|<![^>]*>|<\?[^>]*>/g -> ""). */
function removeTags(text: string): string {
  const parts: string[] = [];
  let from = 0;
  for (let at = text.indexOf('<', 0); at !== -1; at = text.indexOf('<', at + 1)) {
    if (!opensTag(text, at)) continue;
    const end = text.indexOf('>', at + 1);
    if (end === -1) break;
    parts.push(text.slice(from, at));
    from = end + 1;
    at = end;
  }
  if (from === 0) return text;
  parts.push(text.slice(from));
  return parts.join('');
}

/**
 * Block tags become a space, then every other tag, declaration or processing instruction disappears. A "<" that
 * opens no tag, or whose tag never ends, stays as text.
 */
export function stripTags(text: string): string {
  return removeTags(replaceBlockTags(text));
}
