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

/** Hubs in document order, de-duplicated; only http(s) URLs. `baseUrl` resolves relative hrefs. */
export function discoverWebSub(body: Uint8Array, baseUrl?: string): WebSubDiscovery {
  const hubs: string[] = [];
  let self: string | undefined;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (!/(?:^|:)link$/i.test(name)) return;
        const rels = (attributes.rel ?? '').toLowerCase().split(/\s+/);
        const href = attributes.href === undefined ? undefined : absolute(attributes.href, baseUrl);
        if (href === undefined || !/^https?:/i.test(href)) return;
        if (rels.includes('hub') && !hubs.includes(href)) hubs.push(href);
        if (rels.includes('self') && self === undefined) self = href;
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.end(headOf(body));
  return { hubs, ...(self !== undefined ? { self } : {}) };
}
