// Feed autodiscovery, as feed readers do it (Miniflux, NetNewsWire): a web page names its feeds with
// `<link rel="alternate" type="application/rss+xml|atom+xml|feed+json" href>` in its head; a page that names none is
// tried at the paths sites commonly serve their feed from. Only candidate URLs come from here: fetching them goes
// through the caller's fetcher, with its SSRF guard and limits.
import { Parser } from 'htmlparser2';

/** The start of a page: the links are in its head, and a page can be megabytes. */
const HEAD_BYTES = 256 * 1024;
/** A page naming more feeds than this lists comments feeds per article: the first ones are the site's. */
const MAX_LINKS = 8;

const FEED_TYPES = new Set(['application/rss+xml', 'application/atom+xml', 'application/feed+json', 'application/rdf+xml']);

/** Where sites serve their feed when their pages do not say (tried in this order, on the page's origin). */
export const COMMON_FEED_PATHS = ['/feed', '/rss', '/feed.xml', '/rss.xml', '/atom.xml', '/index.xml', '/feed.json'];

/** Whether a fetched body is a web page rather than a feed: by its content type, else by its first tag. */
export function looksLikeHtml(body: Uint8Array, contentType: string | undefined): boolean {
  if (contentType !== undefined && /^\s*(?:text\/html|application\/xhtml\+xml)/i.test(contentType)) return true;
  const start = Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, 1024)).toString('latin1').trimStart().toLowerCase();
  return start.startsWith('<!doctype html') || start.startsWith('<html');
}

function absolute(href: string, base: string): string | undefined {
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** The feeds a page announces, absolute and in document order (the first is the site's main feed by convention). */
export function feedLinksOfPage(body: Uint8Array, pageUrl: string): string[] {
  // Markup and URLs are ASCII in every encoding pages use (UTF-16 aside), so latin1 shows them without a charset.
  const text = Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, HEAD_BYTES)).toString('latin1');
  const links: string[] = [];
  let base = pageUrl;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'base' && attributes.href !== undefined) base = absolute(attributes.href, pageUrl) ?? base;
        if (name === 'body') parser.pause();
        if (name !== 'link' || links.length >= MAX_LINKS) return;
        const rels = (attributes.rel ?? '').toLowerCase().split(/\s+/);
        const type = (attributes.type ?? '').toLowerCase().split(';')[0]?.trim() ?? '';
        if (!rels.includes('alternate') || !FEED_TYPES.has(type) || attributes.href === undefined) return;
        const url = absolute(attributes.href, base);
        if (url !== undefined && !links.includes(url)) links.push(url);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(text);
  parser.end();
  return links;
}

/** The common feed paths on the page's origin, the page itself excluded. */
export function commonFeedUrls(pageUrl: string): string[] {
  const origin = new URL(pageUrl).origin;
  return COMMON_FEED_PATHS.map((path) => origin + path).filter((url) => url !== pageUrl);
}
