// Bytes of a fetched feed to ParsedFeed. We decode the bytes ourselves (rss-parser only sees a JS string), refuse
// entity declarations before any XML parser sees them, and map rss-parser's loose output onto FeedItem.
import { decodeHTML } from 'entities';
import { TextDecoder } from 'node:util';
import { gunzipSync } from 'node:zlib';
import Parser from 'rss-parser';
import { FeedError } from '#domain/errors.js';
import type { FeedItem, ParsedFeed } from '#domain/feed-item.js';

type XmlValue = unknown;
type RawFields = Record<string, XmlValue>;

const CUSTOM_FIELDS: Parser.CustomFields<RawFields, RawFields> = {
  feed: ['dc:language'],
  item: [
    ['media:content', 'mediaContent', { keepArray: true }],
    ['media:thumbnail', 'mediaThumbnail', { keepArray: true }],
    ['media:group', 'mediaGroup', { keepArray: true }],
    ['guid', 'rawGuid', { keepArray: true }],
    ['link', 'rawLinks', { keepArray: true }],
    ['category', 'rawCategories', { keepArray: true }],
    ['dc:subject', 'dcSubjects', { keepArray: true }],
    ['dc:title', 'dcTitle'],
  ],
};

// ---------------------------------------------------------------------------------------------------------------
// Decoding

const BOMS: { bytes: number[]; encoding: string }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

function bomEncoding(body: Buffer): string | undefined {
  return BOMS.find(({ bytes }) => bytes.every((byte, index) => body[index] === byte))?.encoding;
}

/** XML 1.0 appendix F: without a BOM, UTF-16 still shows itself in how `<?` is laid out in the first bytes. */
function sniffUtf16(body: Buffer): string | undefined {
  if (body[0] === 0x00 && body[1] === 0x3c && body[2] === 0x00 && body[3] === 0x3f) return 'utf-16be';
  if (body[0] === 0x3c && body[1] === 0x00 && body[2] === 0x3f && body[3] === 0x00) return 'utf-16le';
  return undefined;
}

function charsetFromContentType(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1]?.toLowerCase();
}

function charsetFromDeclaration(body: Buffer): string | undefined {
  // The declaration is ASCII in every encoding we can read without a BOM, so latin1 shows it faithfully.
  const head = body.subarray(0, 1024).toString('latin1');
  const match = /<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']/i.exec(head);
  return match?.[1]?.toLowerCase();
}

function decoderFor(label: string, fatal: boolean): TextDecoder | undefined {
  try {
    return new TextDecoder(label, { fatal });
  } catch {
    return undefined;
  }
}

/**
 * Decodes the body as its BOM, Content-Type charset or XML declaration says, in that order. A BOM cannot lie, so it
 * wins; a label that claims UTF-8 for bytes that are not UTF-8 (a common server default) is skipped for the next.
 */
export function decodeFeedBytes(body: Buffer, contentType?: string): string {
  const sniffed = bomEncoding(body) ?? sniffUtf16(body);
  const candidates = [sniffed, charsetFromContentType(contentType), charsetFromDeclaration(body), 'utf-8'];
  const unsupported: string[] = [];
  for (const label of candidates) {
    if (label === undefined) continue;
    const probe = decoderFor(label, true);
    if (probe === undefined) {
      unsupported.push(label);
      continue;
    }
    // A UTF-16 label on bytes that do not look like UTF-16 (we could read the declaration as ASCII) is wrong.
    if (probe.encoding.startsWith('utf-16') && sniffed === undefined) continue;
    // And an 8-bit label cannot be right for bytes that are UTF-16.
    if (sniffed?.startsWith('utf-16') === true && !probe.encoding.startsWith('utf-16')) continue;
    if (probe.encoding === 'utf-8') {
      try {
        return probe.decode(body);
      } catch {
        continue;
      }
    }
    return decoderFor(label, false)?.decode(body) ?? '';
  }
  if (unsupported.length > 0) {
    throw new FeedError('unsupported-encoding', `Cannot decode the feed: unsupported charset ${unsupported.join(', ')}`);
  }
  return new TextDecoder('utf-8').decode(body);
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

/** Everything before the root element: declaration, comments, doctype. */
function prologOf(xml: string): string {
  const rootStart = xml.search(/<[A-Za-z_]/);
  return rootStart === -1 ? xml : xml.slice(0, rootStart);
}

function rootElementName(xml: string): string | undefined {
  return /<([A-Za-z_][\w.:-]*)/.exec(xml.slice(prologOf(xml).length))?.[1];
}

/**
 * HTML named entities (&nbsp;, &eacute;) are not XML, yet feeds are full of them and a strict parser stops at the
 * first. Outside CDATA and comments, turn known ones into numeric references and escape stray ampersands.
 */
function repairEntities(xml: string): string {
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
  const mapped: FeedItem = {};
  let link = clean(textOf(item.link));
  let guid: string | undefined;
  if (format === 'atom') {
    guid = clean(textOf(item.id));
    mapped.summaryHtml = clean(textOf(item.summary));
    mapped.contentHtml = clean(textOf(item.content));
  } else {
    const rss = rssGuid(item);
    guid = rss.guid ?? clean(textOf(item['rdf:about']));
    if (link === undefined && rss.isPermaLink && rss.guid !== undefined && /^https?:\/\//i.test(rss.guid)) {
      link = rss.guid;
    }
    // rss-parser stores <description> under `content` and <content:encoded> under its own name.
    mapped.summaryHtml = clean(textOf(item.content));
    mapped.contentHtml = clean(textOf(item['content:encoded']));
  }
  mapped.guid = guid;
  mapped.link = link;
  mapped.title = clean(textOf(item.title) ?? textOf(item.dcTitle));
  mapped.published = clean(textOf(item.pubDate) ?? textOf(item.date));
  mapped.author = authorOf(item);
  mapped.categories = categoriesOf(item, format);
  mapped.imageUrl = imageOf(item);
  return Object.fromEntries(Object.entries(mapped).filter(([, value]) => value !== undefined)) as FeedItem;
}

function atomLanguage(xml: string): string | undefined {
  return /^<feed\b[^>]*?\sxml:lang\s*=\s*["']([^"']+)["']/i.exec(xml.slice(prologOf(xml).length))?.[1];
}

// rss-parser turns Atom dates into ISO with `new Date(x).toISOString()`, which throws on a bad date and so fails the
// whole feed. Keep the raw text instead: toArticle parses it, and falls back to the fetch time when it cannot.
const parseAtomEntry = (Parser.prototype as unknown as { parseItemAtom(this: Parser, entry: RawFields): RawFields })
  .parseItemAtom;

class LenientParser extends Parser<RawFields, RawFields> {
  parseItemAtom(entry: RawFields): RawFields {
    const { published, updated, ...rest } = entry;
    const item = parseAtomEntry.call(this, rest);
    const raw = textOf(published) ?? textOf(updated);
    if (raw !== undefined) item.pubDate = raw;
    return item;
  }
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Parses an RSS 0.9x/2.0, RSS 1.0 (RDF) or Atom 1.0 document. Throws FeedError: 'empty', 'unsupported-encoding',
 * 'entity-declaration' (DTD entities: billion laughs, XXE), 'not-a-feed' (e.g. an HTML page), 'malformed-xml', and
 * for a gzipped body without Content-Encoding, 'decompression' or 'too-large'.
 */
export async function parseFeed(body: Buffer, contentType?: string): Promise<ParsedFeed> {
  const decoded = decodeFeedBytes(gunzipIfCompressed(body), contentType);
  const firstTag = decoded.indexOf('<');
  if (decoded.trim() === '') throw new FeedError('empty', 'The feed is empty');
  if (firstTag === -1) throw new FeedError('not-a-feed', 'The document contains no markup');
  // Servers and CMS plugins prepend whitespace, BOMs or PHP notices; the XML parser rejects anything before `<?xml`.
  const xml = decoded.slice(firstTag);

  const prolog = prologOf(xml);
  if (/<!ENTITY/i.test(prolog)) {
    throw new FeedError('entity-declaration', 'The document declares DTD entities; refused (entity expansion / XXE)');
  }
  const root = rootElementName(xml);
  const format = detectFormat(root);
  if (format === 'unknown') {
    const what = root === undefined ? 'no root element' : `root element <${root}>`;
    throw new FeedError('not-a-feed', `Not an RSS, RDF or Atom feed (${what})`);
  }

  const parser = new LenientParser({ customFields: CUSTOM_FIELDS, defaultRSS: 2 });
  let output: Parser.Output<RawFields> & RawFields;
  try {
    output = await parser.parseString(repairEntities(xml));
  } catch (error: unknown) {
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
    items: (output.items as RawFields[]).map((item) => mapItem(item, format)),
  };
  const title = clean(textOf(output.title));
  const link = clean(textOf(output.link));
  const language = clean(textOf(output.language) ?? textOf(output['dc:language']) ?? atomLanguage(xml));
  if (title !== undefined) feed.title = title;
  if (link !== undefined) feed.link = link;
  if (language !== undefined) feed.language = language;
  return feed;
}
