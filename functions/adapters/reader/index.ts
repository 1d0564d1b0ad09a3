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
}

/**
 * Parses an RSS 0.9x/1.0 (RDF)/2.0, Atom 0.3/1.0 or JSON Feed 1.0/1.1 document. Item links, images and the feed's
 * link come back absolute wherever a base is known (see links.ts), as written otherwise. Throws FeedError: 'empty',
 * 'unsupported-encoding', 'entity-declaration' (DTD entities: billion laughs, XXE), 'not-a-feed' (e.g. an HTML
 * page), 'malformed-xml', 'malformed-json', and for a gzipped body without Content-Encoding, 'decompression' or
 * 'too-large'.
 */
export async function parseFeed(body: Buffer, options: ParseFeedOptions = {}): Promise<ParsedFeed> {
  const { contentType } = options;
  const baseUrl = absoluteHttpUrl(options.baseUrl);
  const { text: decoded, encoding, source: encodingSource } = decodeFeed(gunzipIfCompressed(body), contentType);
  if (!/\S/.test(decoded)) throw new FeedError('empty', 'The feed is empty');
  if (isJsonDocument(decoded, contentType) || looksLikeJsonFeed(decoded)) {
    return { ...parseJsonFeed(decoded, baseUrl), encoding, encodingSource };
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
  return parseXmlFeed(xml, format, { encoding, source: encodingSource }, baseUrl);
}
