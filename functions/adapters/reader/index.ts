// The feed reader's entry point: bytes of a fetched feed to ParsedFeed. It decodes the bytes (decode.ts), tells
// JSON from XML, checks and repairs the XML (repair.ts), and hands the text to the format's parser (rss-atom.ts,
// json-feed.ts), which resolve relative links (links.ts). The folder follows Miniflux's reader/: one concern per file.
import { FeedError } from '#domain/errors.js';
import type { ParsedFeed } from '#domain/feed-item.js';
import { decodeFeed, gunzipIfCompressed } from './decode.js';
import { looksLikeJsonFeed, parseJsonFeed } from './json-feed.js';
import { absoluteHttpUrl } from './links.js';
import { refuseEntityDeclarations, rootElementName, xmlStart } from './repair.js';
import { parseXmlFeed } from './rss-atom.js';
import { FEED_LIMITS, type FeedLimits } from './limits.js';
import { scanXml } from './scan.js';
import { selectItems } from './select.js';
import type { XmlFormat } from './rss-atom.js';

function detectFormat(root: string | undefined): XmlFormat | 'unknown' {
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

function isJsonDocument(decoded: string, contentType: string | undefined): boolean {
  const first = /\S/.exec(decoded)?.[0];
  if (first === '{' || first === '[') return true;
  return /\bjson\b/i.test(contentType ?? '') && first !== '<';
}

export interface ParseFeedOptions {
  /** The response's Content-Type: its charset is evidence for decoding, its media type tells JSON from XML. */
  contentType?: string;
  /**
   * The final URL the body was fetched from, after redirects: the base of last resort for relative links, after the
   * xml:base in scope and the feed's own link. Without it (a file), links that only it could resolve stay relative.
   */
  baseUrl?: string;
  /** What one parse may cost: FEED_LIMITS unless a caller (a test, `inspect`) says otherwise. */
  limits?: FeedLimits;
}

/** Whatever went wrong inside the reader, as the FeedError a poll records: never a retried infrastructure failure. */
function asFeedError(error: unknown): FeedError {
  if (error instanceof FeedError) return error;
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof RangeError && /call stack/i.test(message)) {
    return new FeedError('too-deep', `The feed nests too deeply to read (${message})`, { cause: error });
  }
  return new FeedError('unreadable', `The feed could not be read: ${name}: ${message}`, { cause: error });
}

/**
 * Parses an RSS 0.9x/1.0 (RDF)/2.0, Atom 0.3/1.0 or JSON Feed 1.0/1.1 document. Item links, images and the feed's
 * link come back absolute wherever a base is known (see links.ts), as written otherwise. Within limits.ts: at most
 * the newest `maxItems` items (the rest counted in `dropped`), fields cut to their caps, and a document that nests too
 * deeply or is too big refused. Throws FeedError, and nothing else: 'empty', 'too-large', 'unsupported-encoding',
 * 'entity-declaration' (DTD entities: billion laughs, XXE), 'not-a-feed' (e.g. an HTML page), 'malformed-xml',
 * 'malformed-json', 'too-deep', 'too-many-elements', 'decompression' (a gzipped body without Content-Encoding), and
 * 'unreadable' for any failure of the parsers themselves.
 */
export async function parseFeed(body: Buffer, options: ParseFeedOptions = {}): Promise<ParsedFeed> {
  try {
    return await readFeed(body, options, options.limits ?? FEED_LIMITS);
  } catch (error: unknown) {
    throw asFeedError(error);
  }
}

async function readFeed(body: Buffer, options: ParseFeedOptions, limits: FeedLimits): Promise<ParsedFeed> {
  const { contentType } = options;
  const baseUrl = absoluteHttpUrl(options.baseUrl);
  if (body.length > limits.maxBodyBytes) {
    throw new FeedError('too-large', `Body of ${body.length} bytes exceeds the ${limits.maxBodyBytes}-byte limit`);
  }
  const { text: decoded, encoding, source: encodingSource } = decodeFeed(gunzipIfCompressed(body, limits.maxBodyBytes), contentType);
  if (!/\S/.test(decoded)) throw new FeedError('empty', 'The feed is empty');
  if (isJsonDocument(decoded, contentType) || looksLikeJsonFeed(decoded)) {
    return { ...parseJsonFeed(decoded, baseUrl, limits), encoding, encodingSource };
  }
  const firstTag = xmlStart(decoded);
  if (firstTag === -1) throw new FeedError('not-a-feed', 'The document contains no markup');
  const xml = decoded.slice(firstTag);

  refuseEntityDeclarations(xml);
  const root = rootElementName(xml);
  const format = detectFormat(root);
  if (format === 'unknown') {
    const what = root === undefined ? 'no root element' : `root element <${root}>`;
    throw new FeedError('not-a-feed', `Not an RSS, RDF, Atom or JSON feed (${what})`);
  }
  const scan = scanXml(xml, limits);
  const selection = selectItems(xml, scan, limits);
  const feed = await parseXmlFeed(selection.xml, format, { encoding, source: encodingSource }, { url: baseUrl, xmlLang: scan.xmlLang });
  return selection.dropped === undefined ? feed : { ...feed, dropped: selection.dropped };
}
