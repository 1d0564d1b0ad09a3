// Bytes of a fetched feed to ParsedFeed. We decode the bytes ourselves (rss-parser only sees a JS string), refuse
// entity declarations before any XML parser sees them, and map rss-parser's loose output onto FeedItem.
import chardet from 'chardet';
import { decodeHTML } from 'entities';
import { TextDecoder } from 'node:util';
import { gunzipSync } from 'node:zlib';
import Parser from 'rss-parser';
import { FeedError } from '#domain/errors.js';
import type { FeedItem, ParsedFeed } from '#domain/feed-item.js';
import { looksLikeJsonFeed, parseJsonFeed } from './json-feed.js';

type XmlValue = unknown;
type RawFields = Record<string, XmlValue>;

const CUSTOM_FIELDS: Parser.CustomFields<RawFields, RawFields> = {
  feed: ['dc:language', 'sy:updatePeriod', 'sy:updateFrequency'],
  item: [
    ['media:content', 'mediaContent', { keepArray: true }],
    ['media:thumbnail', 'mediaThumbnail', { keepArray: true }],
    ['media:group', 'mediaGroup', { keepArray: true }],
    ['guid', 'rawGuid', { keepArray: true }],
    ['link', 'rawLinks', { keepArray: true }],
    ['category', 'rawCategories', { keepArray: true }],
    ['dc:subject', 'dcSubjects', { keepArray: true }],
    ['dc:title', 'dcTitle'],
    // Atom dates inside RSS items, used when pubDate and dc:date are absent.
    ['atom:published', 'atomPublished'],
    ['atom:updated', 'atomUpdated'],
  ],
};

// ---------------------------------------------------------------------------------------------------------------
// Decoding

const BOMS: { bytes: number[]; encoding: string }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  // UTF-32 before UTF-16: FF FE 00 00 also starts with the UTF-16LE mark.
  { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: 'utf-32le' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: 'utf-32be' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

function bomEncoding(body: Uint8Array): string | undefined {
  return BOMS.find(({ bytes }) => bytes.every((byte, index) => body[index] === byte))?.encoding;
}

function isNameStart(byte: number): boolean {
  return (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte === 0x21 || byte === 0x5f;
}

/** XML 1.0 appendix F: without a BOM, UTF-16/32 still show themselves in how `<` is laid out in the first bytes. */
function sniffWideEncoding(body: Uint8Array): string | undefined {
  const [b0, b1, b2, b3] = body;
  if (b0 === 0x00 && b1 === 0x00 && b2 === 0x00 && b3 === 0x3c) return 'utf-32be';
  if (b0 === 0x3c && b1 === 0x00 && b2 === 0x00 && b3 === 0x00) return 'utf-32le';
  if (b0 === 0x00 && b1 === 0x3c && b2 === 0x00 && b3 === 0x3f) return 'utf-16be';
  if (b0 === 0x3c && b1 === 0x00 && b2 === 0x3f && b3 === 0x00) return 'utf-16le';
  // No declaration at all: the root element's "<r" still shows the layout.
  if (b0 === 0x00 && b1 === 0x3c && b2 === 0x00 && b3 !== undefined && isNameStart(b3)) return 'utf-16be';
  if (b0 === 0x3c && b1 === 0x00 && b2 !== undefined && isNameStart(b2) && b3 === 0x00) return 'utf-16le';
  return undefined;
}

function charsetFromContentType(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*["']?([^"';\s]+)["']?/i.exec(contentType ?? '');
  return match?.[1]?.toLowerCase();
}

function charsetFromDeclaration(body: Uint8Array): string | undefined {
  // The declaration is ASCII in every encoding we can read without a BOM, so latin1 shows it faithfully.
  const head = Buffer.from(body.buffer, body.byteOffset, Math.min(body.length, 1024)).toString('latin1');
  const match = /<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']/i.exec(head);
  return match?.[1]?.trim().toLowerCase();
}

/** Node's TextDecoder (full ICU) reads every WHATWG encoding; UTF-32 is not one, so it is decoded here. */
interface Decoder {
  encoding: string;
  decode(bytes: Uint8Array, fatal: boolean): string;
}

function utf32Decoder(encoding: 'utf-32le' | 'utf-32be'): Decoder {
  const littleEndian = encoding === 'utf-32le';
  return {
    encoding,
    decode(bytes, fatal) {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const parts: string[] = [];
      let chunk: number[] = [];
      const whole = bytes.length - (bytes.length % 4);
      if (fatal && whole !== bytes.length) throw new TypeError('truncated UTF-32');
      for (let offset = 0; offset < whole; offset += 4) {
        let code = view.getUint32(offset, littleEndian);
        if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
          if (fatal) throw new TypeError(`invalid UTF-32 code point ${code}`);
          code = 0xfffd;
        }
        if (offset === 0 && code === 0xfeff) continue;
        chunk.push(code);
        // fromCodePoint takes its arguments on the stack: keep each call small.
        if (chunk.length === 8192) {
          parts.push(String.fromCodePoint(...chunk));
          chunk = [];
        }
      }
      parts.push(String.fromCodePoint(...chunk));
      if (whole !== bytes.length) parts.push('\ufffd');
      return parts.join('');
    },
  };
}

/** Names chardet and real feeds use that WHATWG spells differently or not at all. */
const LABEL_ALIASES: Record<string, string> = {
  'utf-32': 'utf-32be',
  ucs4: 'utf-32be',
  'ucs-4': 'utf-32be',
  'iso-10646-ucs-4': 'utf-32be',
  'utf-32le': 'utf-32le',
  'utf-32be': 'utf-32be',
  'utf-16': 'utf-16le',
  gb2312: 'gbk',
  'x-euc-kr': 'euc-kr',
  cp1251: 'windows-1251',
  cp1252: 'windows-1252',
};

/** windows-1252's 0x80-0x9F (WHATWG index); the five undefined bytes stay the C1 controls they map to. */
const WINDOWS_1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Node 20's TextDecoder takes a latin1 shortcut for windows-1252 and leaves 0x80-0x9F as C1 controls (so "€" comes
 * out as U+0080). Mapping them afterwards is right on every Node: a correct decoder leaves none to map.
 */
function fixWindows1252(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (char) => WINDOWS_1252_HIGH.charAt(char.charCodeAt(0) - 0x80));
}

function decoderFor(label: string): Decoder | undefined {
  const name = LABEL_ALIASES[label] ?? label;
  if (name === 'utf-32le' || name === 'utf-32be') return utf32Decoder(name);
  let encoding: string;
  try {
    encoding = new TextDecoder(name).encoding;
  } catch {
    return undefined;
  }
  // "replacement" is WHATWG's sink for dangerous labels (iso-2022-kr, hz-gb-2312): it decodes nothing useful.
  if (encoding === 'replacement') return undefined;
  if (encoding === 'windows-1252') {
    return { encoding, decode: (bytes, fatal) => fixWindows1252(new TextDecoder(name, { fatal }).decode(bytes)) };
  }
  return { encoding, decode: (bytes, fatal) => new TextDecoder(name, { fatal }).decode(bytes) };
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as UTF-8, or undefined when they are not valid UTF-8. Decoded once and reused: feeds are big. */
function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

function isAscii(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte > 0x7f) return false;
  return true;
}

const WIDE = /^utf-(?:16|32)/;
const UTF8_OR_WIDE = /^utf-(?:8|16|32)/;

export type EncodingSource = NonNullable<ParsedFeed['encodingSource']>;

export interface DecodedFeed {
  text: string;
  /** The encoding used: a WHATWG name ("utf-8", "windows-1251", "gbk", "utf-16le") or "utf-32le"/"utf-32be". */
  encoding: string;
  source: EncodingSource;
}

/**
 * Decodes feed bytes. Order: a BOM (or UTF-16/32 layout of `<?`), which cannot lie; then the Content-Type charset;
 * then the XML declaration; then UTF-8 when the bytes are valid UTF-8; then statistical detection (chardet).
 * Two kinds of lying labels are common and are overruled: an 8-bit label (iso-8859-1, windows-1252) on bytes that
 * are valid non-ASCII UTF-8 (a server default or a copied template: real 8-bit text is almost never valid UTF-8),
 * and a UTF-8 label on bytes that are not UTF-8. Throws FeedError 'unsupported-encoding' when the label names a
 * charset we cannot decode and the bytes are not UTF-8, or detection finds nothing we can decode.
 */
export function decodeFeed(body: Uint8Array, contentType?: string): DecodedFeed {
  const bom = bomEncoding(body);
  const sniffed = bom ?? sniffWideEncoding(body);
  if (sniffed !== undefined) {
    const decoder = decoderFor(sniffed);
    if (decoder !== undefined) {
      // A BOM wins even over bad bytes in the body: a replacement character beats a wrong charset everywhere.
      return { text: decoder.decode(body, false), encoding: decoder.encoding, source: bom === undefined ? 'sniffed' : 'bom' };
    }
  }

  const utf8Text = strictUtf8(body);
  const utf8 = utf8Text !== undefined;
  const labels: { label: string | undefined; source: EncodingSource }[] = [
    { label: charsetFromContentType(contentType), source: 'header' },
    { label: charsetFromDeclaration(body), source: 'declaration' },
  ];
  const unsupported: string[] = [];
  for (const { label, source } of labels) {
    if (label === undefined) continue;
    const decoder = decoderFor(label);
    if (decoder === undefined) {
      unsupported.push(label);
      continue;
    }
    // A UTF-16/32 label on bytes without a wide layout (we read the declaration as ASCII) is wrong.
    if (WIDE.test(decoder.encoding)) continue;
    if (decoder.encoding === 'utf-8') {
      if (utf8) return { text: utf8Text, encoding: 'utf-8', source };
      continue;
    }
    if (utf8 && !isAscii(body)) break;
    return { text: decoder.decode(body, false), encoding: decoder.encoding, source };
  }
  if (utf8) return { text: utf8Text, encoding: 'utf-8', source: 'default' };
  if (unsupported.length > 0) {
    throw new FeedError(
      'unsupported-encoding',
      `Cannot decode the feed: unsupported charset ${unsupported.join(', ')} and the bytes are not UTF-8`,
    );
  }
  const detected = detectEncoding(body);
  if (detected === undefined) {
    throw new FeedError('unsupported-encoding', 'The bytes are not UTF-8, carry no charset, and detection found none we can decode');
  }
  return { text: detected.decode(body, false), encoding: detected.encoding, source: 'detected' };
}

function detectEncoding(body: Uint8Array): Decoder | undefined {
  // chardet ranks by confidence; the first candidate we can decode and that is not itself UTF-8/16/32 (which we
  // would have recognised above) is taken.
  for (const match of chardet.analyse(body.subarray(0, 64 * 1024))) {
    const decoder = decoderFor(match.name.toLowerCase());
    if (decoder !== undefined && !UTF8_OR_WIDE.test(decoder.encoding)) return decoder;
  }
  return undefined;
}

/** The body as text; see decodeFeed for the order of evidence. */
export function decodeFeedBytes(body: Buffer, contentType?: string): string {
  return decodeFeed(body, contentType).text;
}

/** Same cap as the fetcher's default: a feed is never legitimately bigger once decompressed. */
const MAX_GUNZIPPED_BYTES = 15 * 1024 * 1024;

/** Some servers send a .xml.gz as the body itself (no Content-Encoding); the gzip magic number gives it away. */
function gunzipIfCompressed(body: Buffer): Buffer {
  if (body[0] !== 0x1f || body[1] !== 0x8b || body[2] !== 0x08) return body;
  try {
    return gunzipSync(body, { maxOutputLength: MAX_GUNZIPPED_BYTES });
  } catch (error: unknown) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new FeedError('too-large', `Gzipped feed expands beyond ${MAX_GUNZIPPED_BYTES} bytes`, { cause: error });
    }
    throw new FeedError('decompression', 'The body looks gzipped but does not decompress', { cause: error });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Pre-parse checks and repairs

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
/**
 * An ampersand that is not one of the references repairEntities leaves alone (XML's five, numeric ones). Most feeds
 * have none, and then the split-and-replace pass over the whole document is skipped.
 */
const NEEDS_ENTITY_REPAIR = /&(?!(?:amp|lt|gt|quot|apos);|#\d+;|#[xX][0-9a-fA-F]+;)/;

/** Everything before the root element: declaration, comments, doctype. */
function prologOf(xml: string): string {
  // Walk the prolog's parts rather than search for the first tag: a comment may well contain "<item>".
  let index = 0;
  for (;;) {
    while (index < xml.length && /\s/.test(xml.charAt(index))) index++;
    let end: number;
    if (xml.startsWith('<?', index)) end = xml.indexOf('?>', index + 2) + 2;
    else if (xml.startsWith('<!--', index)) end = xml.indexOf('-->', index + 4) + 3;
    else if (/^<!doctype/i.test(xml.slice(index, index + 9))) end = doctypeEnd(xml, index);
    else break;
    if (end < index + 2) return xml;
    index = end;
  }
  return xml.slice(0, index);
}

/** End of a DOCTYPE, past its internal subset (`[...]`) where entity declarations live. */
function doctypeEnd(xml: string, start: number): number {
  let inSubset = false;
  let quote: string | undefined;
  for (let index = start + 9; index < xml.length; index++) {
    const char = xml.charAt(index);
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '[') inSubset = true;
    else if (char === ']') inSubset = false;
    else if (char === '>' && !inSubset) return index + 1;
  }
  return -1;
}

function rootElementName(xml: string): string | undefined {
  return /<([A-Za-z_][\w.:-]*)/.exec(xml.slice(prologOf(xml).length))?.[1];
}

/**
 * HTML named entities (&nbsp;, &eacute;) are not XML, yet feeds are full of them and a strict parser stops at the
 * first. Outside CDATA and comments, turn known ones into numeric references and escape stray ampersands.
 */
function repairEntities(xml: string): string {
  if (!NEEDS_ENTITY_REPAIR.test(xml)) return xml;
  return xml
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->)/)
    .map((part, index) => {
      if (index % 2 === 1) return part;
      return part.replace(/&(?!#\d+;|#x[0-9a-f]+;)([A-Za-z][A-Za-z0-9]*;)?/gi, (match: string, named?: string) => {
        if (named === undefined) return '&amp;';
        const name = named.slice(0, -1);
        if (XML_ENTITIES.has(name)) return match;
        const decoded = decodeHTML(match);
        if (decoded === match) return `&amp;${named}`;
        return [...decoded].map((char) => `&#${char.codePointAt(0) ?? 0xfffd};`).join('');
      });
    })
    .join('');
}

function detectFormat(root: string | undefined): ParsedFeed['format'] {
  switch (root?.toLowerCase()) {
    case 'rss':
      return 'rss';
    case 'feed':
      return 'atom';
    case 'rdf:rdf':
      return 'rdf';
    default:
      return 'unknown';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Mapping rss-parser output

function isRecord(value: XmlValue): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text of an xml2js value: a string, an element with text (`_`), or the text leaves of mixed content. */
function textOf(value: XmlValue): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return textOf(value[0]);
  if (!isRecord(value)) return undefined;
  if (typeof value._ === 'string') return value._;
  const parts = Object.entries(value)
    .filter(([key]) => key !== '$')
    .map(([, child]) => (Array.isArray(child) ? child.map(textOf).join(' ') : textOf(child)))
    .filter((part): part is string => part !== undefined && part !== '');
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function attributes(value: XmlValue): Record<string, string> {
  if (!isRecord(value) || !isRecord(value.$)) return {};
  const result: Record<string, string> = {};
  for (const [key, attr] of Object.entries(value.$)) if (typeof attr === 'string') result[key] = attr;
  return result;
}

function asArray(value: XmlValue): XmlValue[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function clean(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

const IMAGE_EXTENSION = /\.(?:jpe?g|png|gif|webp|avif)(?:[?#]|$)/i;

function imageFromMedia(candidates: XmlValue[]): string | undefined {
  for (const candidate of candidates) {
    const { url, medium, type } = attributes(candidate);
    if (url === undefined) continue;
    if (medium === 'image' || type?.startsWith('image/') === true) return url;
    if (medium === undefined && type === undefined && IMAGE_EXTENSION.test(url)) return url;
  }
  return undefined;
}

function imageOf(item: RawFields): string | undefined {
  const groups = asArray(item.mediaGroup).filter(isRecord);
  const contents = [...asArray(item.mediaContent), ...groups.flatMap((group) => asArray(group['media:content']))];
  const thumbnails = [...asArray(item.mediaThumbnail), ...groups.flatMap((group) => asArray(group['media:thumbnail']))];
  const fromContent = imageFromMedia(contents);
  if (fromContent !== undefined) return fromContent;
  const thumbnail = thumbnails.map((thumb) => attributes(thumb).url).find((url) => url !== undefined);
  if (thumbnail !== undefined) return thumbnail;
  const enclosure = isRecord(item.enclosure) ? item.enclosure : undefined;
  if (typeof enclosure?.url === 'string' && (typeof enclosure.type !== 'string' || enclosure.type.startsWith('image/'))) {
    if (typeof enclosure.type === 'string' || IMAGE_EXTENSION.test(enclosure.url)) return enclosure.url;
  }
  // Atom: <link rel="enclosure" type="image/jpeg" href="...">
  for (const link of asArray(item.rawLinks)) {
    const { rel, type, href } = attributes(link);
    if (rel === 'enclosure' && type?.startsWith('image/') === true && href !== undefined) return href;
  }
  return undefined;
}

function categoriesOf(item: RawFields, format: ParsedFeed['format']): string[] | undefined {
  const raw = [...asArray(item.rawCategories), ...asArray(item.dcSubjects)];
  const names = raw
    .map((category) => {
      // Atom keeps the name in attributes; RSS in the text.
      const attrs = attributes(category);
      return clean(format === 'atom' ? (attrs.label ?? attrs.term) : textOf(category));
    })
    .filter((name): name is string => name !== undefined);
  return names.length > 0 ? [...new Set(names)] : undefined;
}

/** "jane@example.com (Jane Doe)" is how RSS spells an author; the name is the useful part. */
function authorOf(item: RawFields): string | undefined {
  const raw = clean(textOf(item.creator) ?? textOf(item.author));
  if (raw === undefined) return undefined;
  const named = /^\S+@\S+\s*\((.+)\)$/.exec(raw);
  return clean(named?.[1]) ?? raw;
}

function rssGuid(item: RawFields): { guid?: string; isPermaLink: boolean } {
  const [first] = asArray(item.rawGuid);
  const guid = clean(textOf(first));
  return { guid, isPermaLink: attributes(first).isPermaLink?.toLowerCase() !== 'false' };
}

function mapItem(item: RawFields, format: ParsedFeed['format']): FeedItem {
  let link = clean(textOf(item.link));
  let guid: string | undefined;
  let summaryHtml: string | undefined;
  let contentHtml: string | undefined;
  if (format === 'atom') {
    guid = clean(textOf(item.id));
    summaryHtml = clean(textOf(item.summary));
    contentHtml = clean(textOf(item.content));
  } else {
    const rss = rssGuid(item);
    guid = rss.guid ?? clean(textOf(item['rdf:about']));
    if (link === undefined && rss.isPermaLink && rss.guid !== undefined && /^https?:\/\//i.test(rss.guid)) {
      link = rss.guid;
    }
    // rss-parser stores <description> under `content` and <content:encoded> under its own name.
    summaryHtml = clean(textOf(item.content));
    contentHtml = clean(textOf(item['content:encoded']));
  }
  const title = clean(textOf(item.title) ?? textOf(item.dcTitle));
  const published = clean(textOf(item.pubDate) ?? textOf(item.date) ?? textOf(item.atomPublished) ?? textOf(item.atomUpdated));
  const author = authorOf(item);
  const categories = categoriesOf(item, format);
  const imageUrl = imageOf(item);
  // Only the defined values, always in this order: the item is serialised as it is (inspect --json, the corpus).
  const mapped: FeedItem = {};
  if (summaryHtml !== undefined) mapped.summaryHtml = summaryHtml;
  if (contentHtml !== undefined) mapped.contentHtml = contentHtml;
  if (guid !== undefined) mapped.guid = guid;
  if (link !== undefined) mapped.link = link;
  if (title !== undefined) mapped.title = title;
  if (published !== undefined) mapped.published = published;
  if (author !== undefined) mapped.author = author;
  if (categories !== undefined) mapped.categories = categories;
  if (imageUrl !== undefined) mapped.imageUrl = imageUrl;
  return mapped;
}

/** `xml:lang` on the root element, or on RSS's `<channel>`: the declared language when no element names one. */
function xmlLang(xml: string): string | undefined {
  const head = xml.slice(prologOf(xml).length, 8192);
  return /^<[^>]*?\sxml:lang\s*=\s*["']([^"']+)["']/i.exec(head)?.[1] ?? /<channel\b[^>]*?\sxml:lang\s*=\s*["']([^"']+)["']/i.exec(head)?.[1];
}

const SECONDS_PER_PERIOD: Record<string, number> = {
  hourly: 3_600,
  daily: 86_400,
  weekly: 604_800,
  monthly: 2_592_000,
  yearly: 31_536_000,
};

function positiveInteger(text: string | undefined): number | undefined {
  if (text === undefined || !/^\s*\d+\s*$/.test(text)) return undefined;
  const value = Number(text);
  return value > 0 && Number.isSafeInteger(value) ? value : undefined;
}

/** The syndication module's schedule: updatePeriod (default daily) divided by updateFrequency (default 1). */
function updatePeriodSeconds(period: string | undefined, frequency: string | undefined): number | undefined {
  if (period === undefined && frequency === undefined) return undefined;
  const seconds = SECONDS_PER_PERIOD[(period ?? 'daily').trim().toLowerCase()];
  if (seconds === undefined) return undefined;
  const times = frequency === undefined ? 1 : positiveInteger(frequency);
  return times === undefined ? undefined : Math.max(1, Math.round(seconds / times));
}

// rss-parser turns Atom dates into ISO with `new Date(x).toISOString()`, which throws on a bad date and so fails the
// whole feed. Keep the raw text instead: toArticle parses it, and falls back to the fetch time when it cannot.
const parseAtomEntry = (Parser.prototype as unknown as { parseItemAtom(this: Parser, entry: RawFields): RawFields })
  .parseItemAtom;

class LenientParser extends Parser<RawFields, RawFields> {
  parseItemAtom(entry: RawFields): RawFields {
    // Atom 0.3 names its dates issued, created and modified.
    const { published, updated, issued, created, modified, ...rest } = entry;
    const item = parseAtomEntry.call(this, rest);
    const raw = textOf(published) ?? textOf(issued) ?? textOf(created) ?? textOf(updated) ?? textOf(modified);
    if (raw !== undefined) item.pubDate = raw;
    return item;
  }
}

function createParser(): LenientParser {
  return new LenientParser({ customFields: CUSTOM_FIELDS, defaultRSS: 2 });
}

/**
 * One parser for every feed: xml2js parses synchronously and resets itself after each document, so sequential and
 * interleaved async callers never share a parse. After an error the old sax parser may still finish its write and
 * touch the instance, so a failed parse gets a fresh one.
 */
let sharedParser = createParser();

// ---------------------------------------------------------------------------------------------------------------

/** Looked for in the first bytes only: junk before the declaration is a notice or a stray line, not a page. */
const JUNK_SCAN_CHARS = 4096;

/** Where the XML starts: at `<?xml` when junk (PHP notices, blank lines, stray text) precedes it, else the first `<`. */
function xmlStart(decoded: string): number {
  const declaration = decoded.slice(0, JUNK_SCAN_CHARS).indexOf('<?xml');
  return declaration !== -1 ? declaration : decoded.indexOf('<');
}

function isJsonDocument(decoded: string, contentType: string | undefined): boolean {
  const first = /\S/.exec(decoded)?.[0];
  if (first === '{' || first === '[') return true;
  return /\bjson\b/i.test(contentType ?? '') && first !== '<';
}

/**
 * Parses an RSS 0.9x/1.0 (RDF)/2.0, Atom 0.3/1.0 or JSON Feed 1.0/1.1 document. Throws FeedError: 'empty',
 * 'unsupported-encoding', 'entity-declaration' (DTD entities: billion laughs, XXE), 'not-a-feed' (e.g. an HTML
 * page), 'malformed-xml', 'malformed-json', and for a gzipped body without Content-Encoding, 'decompression' or
 * 'too-large'.
 */
export async function parseFeed(body: Buffer, contentType?: string): Promise<ParsedFeed> {
  const { text: decoded, encoding, source: encodingSource } = decodeFeed(gunzipIfCompressed(body), contentType);
  if (!/\S/.test(decoded)) throw new FeedError('empty', 'The feed is empty');
  if (isJsonDocument(decoded, contentType) || looksLikeJsonFeed(decoded)) {
    return { ...parseJsonFeed(decoded), encoding, encodingSource };
  }
  const firstTag = xmlStart(decoded);
  if (firstTag === -1) throw new FeedError('not-a-feed', 'The document contains no markup');
  const xml = decoded.slice(firstTag);

  const prolog = prologOf(xml);
  if (/<!ENTITY/i.test(prolog)) {
    throw new FeedError('entity-declaration', 'The document declares DTD entities; refused (entity expansion / XXE)');
  }
  const root = rootElementName(xml);
  const format = detectFormat(root);
  if (format === 'unknown') {
    const what = root === undefined ? 'no root element' : `root element <${root}>`;
    throw new FeedError('not-a-feed', `Not an RSS, RDF, Atom or JSON feed (${what})`);
  }

  let output: Parser.Output<RawFields> & RawFields;
  try {
    output = await sharedParser.parseString(repairEntities(xml));
  } catch (error: unknown) {
    sharedParser = createParser();
    const message = error instanceof Error ? error.message : String(error);
    // sax reports position as "Line: n"; anything else is rss-parser not finding the feed structure it expects.
    if (/\nLine:\s*\d+/.test(message) || message === 'Unable to parse XML.') {
      throw new FeedError('malformed-xml', `Malformed XML: ${message.split('\n')[0] ?? message}`, { cause: error });
    }
    const expected = format === 'atom' ? '<feed> entries' : '<channel>';
    throw new FeedError('not-a-feed', `No ${format.toUpperCase()} feed structure found (expected ${expected})`, {
      cause: error,
    });
  }

  const feed: ParsedFeed = {
    format,
    encoding,
    encodingSource,
    items: (output.items as RawFields[]).map((item) => mapItem(item, format)),
  };
  const title = clean(textOf(output.title));
  const link = clean(textOf(output.link));
  const language = clean(textOf(output.language) ?? textOf(output['dc:language']) ?? xmlLang(xml));
  const ttlMinutes = positiveInteger(textOf(output.ttl));
  const period = updatePeriodSeconds(clean(textOf(output['sy:updatePeriod'])), clean(textOf(output['sy:updateFrequency'])));
  if (title !== undefined) feed.title = title;
  if (link !== undefined) feed.link = link;
  if (language !== undefined) feed.language = language;
  if (ttlMinutes !== undefined) feed.ttlMinutes = ttlMinutes;
  if (period !== undefined) feed.updatePeriodSeconds = period;
  return feed;
}
