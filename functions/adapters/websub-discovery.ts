// Finds a feed's WebSub hub and self links (WebSub 4: <link rel="hub"> and <link rel="self"> in Atom, and
// <atom:link> inside an RSS <channel>). Only the document head is read: the links precede the first item, and a
// feed body can be megabytes.
import { Parser } from 'htmlparser2';
import type { WebSubDiscovery } from '#domain/websub.js';

const HEAD_BYTES = 64 * 1024;

function headOf(body: Uint8Array): string {
  // Link URLs are ASCII, and so is every byte of the markup around them in the encodings feeds use (UTF-16 aside),
  // so latin1 shows them faithfully without knowing the charset.
  const text = Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, HEAD_BYTES)).toString('latin1');
  const firstItem = text.search(/<(?:[\w-]+:)?(?:item|entry)[\s>]/i);
  return firstItem === -1 ? text : text.slice(0, firstItem);
}

function absolute(href: string, base: string | undefined): string | undefined {
  try {
    return new URL(href.trim(), base).href;
  } catch {
    return undefined;
  }
}

/**
 * The hub and self links of an HTTP `Link` header (RFC 8288): `<url>; rel="hub", <url>; rel="self"`. Values are
 * split at each `<`, not at commas, because a quoted parameter (a title) may hold a comma.
 */
function linksOfHeader(linkHeader: string, baseUrl: string | undefined): { rels: string[]; href: string }[] {
  const links: { rels: string[]; href: string }[] = [];
  // Each value is "<" url ">" params, the params running to the next "<": found with indexOf, not a regex that
  // would scan to the end from every "<" of a header that never closes one.
  for (let at = linkHeader.indexOf('<'); at !== -1; ) {
    const end = linkHeader.indexOf('>', at + 1);
    if (end === -1) break;
    const next = linkHeader.indexOf('<', end + 1);
    const params = linkHeader.slice(end + 1, next === -1 ? undefined : next);
    const rel = /(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params);
    const href = absolute(linkHeader.slice(at + 1, end), baseUrl);
    at = next;
    if (rel === null || href === undefined) continue;
    links.push({ rels: (rel[1] ?? rel[2] ?? '').toLowerCase().split(/\s+/), href });
  }
  return links;
}

/**
 * Hubs in document order, de-duplicated; only http(s) URLs. `baseUrl` resolves relative hrefs. Links of the HTTP
 * `Link` header, when given, come first: WebSub 4 names the header as the publisher's primary way to advertise.
 */
export function discoverWebSub(body: Uint8Array, baseUrl?: string, linkHeader?: string): WebSubDiscovery {
  const hubs: string[] = [];
  let self: string | undefined;
  const take = (rels: string[], href: string | undefined): void => {
    if (href === undefined || !/^https?:/i.test(href)) return;
    if (rels.includes('hub') && !hubs.includes(href)) hubs.push(href);
    if (rels.includes('self') && self === undefined) self = href;
  };
  for (const { rels, href } of linkHeader === undefined ? [] : linksOfHeader(linkHeader, baseUrl)) take(rels, href);
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (!/(?:^|:)link$/i.test(name)) return;
        const rels = (attributes.rel ?? '').toLowerCase().split(/\s+/);
        take(rels, attributes.href === undefined ? undefined : absolute(attributes.href, baseUrl));
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.end(headOf(body));
  return { hubs, ...(self !== undefined ? { self } : {}) };
}
