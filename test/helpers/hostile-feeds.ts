// Hostile feed and OPML bodies: the shapes that stalled or crashed the reader (issues 14 and 16). Each builder gives
// a body of about the size asked for, so the same cases run against parseFeed in unit tests and, served from a
// loopback HTTP server, against a running `newsalert serve` (GET /health must keep answering meanwhile).
import { gzipSync } from 'node:zlib';

/** One case: its name, the bytes a server sends, and the headers it sends them with. */
export interface HostileBody {
  name: string;
  body: Buffer;
  headers: Record<string, string>;
}

const RSS_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Hostile</title><link>https://hostile.example/</link>';
const RSS_TAIL = '</channel></rss>';

function repeatTo(unit: string, bytes: number): string {
  return unit.repeat(Math.max(1, Math.ceil(bytes / unit.length)));
}

function rssWithDescription(html: string): string {
  return `${RSS_HEAD}<item><title>Bomb</title><link>https://hostile.example/bomb</link><description><![CDATA[${html}]]></description></item>${RSS_TAIL}`;
}

function rssWithEscapedDescription(html: string): string {
  const escaped = html.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `${RSS_HEAD}<item><title>Bomb</title><link>https://hostile.example/bomb</link><description>${escaped}</description></item>${RSS_TAIL}`;
}

/**
 * Shapes that make a backtracking regex quadratic or worse: openers whose closer never comes (or comes once, at the
 * very end, after runs that almost close them), in the HTML of an item and in the XML itself.
 */
export const REGEX_BOMB_SHAPES: Record<string, (bytes: number) => string> = {
  /** `<style>` openers without a `</style>`: the invisible-element pattern scans to the end from each. */
  'unclosed-style': (bytes) => rssWithDescription(repeatTo('<style>a', bytes)),
  /** `</style` runs that never reach their `>`, and one real closer at the end. */
  'almost-closed-style': (bytes) => rssWithDescription(`<style>${repeatTo('</style \t ', bytes)}</style>`),
  /** Tags that never end (`<div <div <div`): every tag pattern runs to the end from every `<`. */
  'endless-tags': (bytes) => rssWithDescription(repeatTo('<div <br <p x=', bytes)),
  /** The same, entity-escaped, as most feeds carry HTML. */
  'escaped-endless-tags': (bytes) => rssWithEscapedDescription(repeatTo('<style <script <b ', bytes)),
  /** Unclosed comments and CDATA openers in the HTML. */
  'unclosed-comments-html': (bytes) => rssWithEscapedDescription(repeatTo('<!-- <![CDATA[ x', bytes)),
  /** A stray `&` makes the XML repair split around CDATA and comments, which never close here. */
  'unclosed-comments-xml': (bytes) => `${RSS_HEAD}<item><title>a & b</title>${repeatTo('<!--<![CDATA[', bytes)}</item>${RSS_TAIL}`,
  /** Attribute-shaped text on the root and channel, where xml:lang is looked for. */
  'attribute-runs': (bytes) => `<?xml version="1.0"?><rss ${repeatTo(' a="1"', bytes)}><channel ${repeatTo(' xml:lang', bytes)}></channel></rss>`,
  /** Entity-shaped runs that never end with `;`. */
  'entity-runs': (bytes) => rssWithEscapedDescription(repeatTo('&#1111111111&abcdefgh', bytes)),
};

export const REGEX_BOMB_SIZES_KB = [8, 16, 30, 60] as const;

export function regexBombs(): HostileBody[] {
  return Object.entries(REGEX_BOMB_SHAPES).flatMap(([shape, build]) =>
    REGEX_BOMB_SIZES_KB.map((kb) => xmlCase(`regex-bomb ${shape} ${kb} KB`, build(kb * 1024))),
  );
}

function xmlCase(name: string, xml: string, headers: Record<string, string> = {}): HostileBody {
  return { name, body: Buffer.from(xml, 'utf8'), headers: { 'content-type': 'application/rss+xml; charset=utf-8', ...headers } };
}

/** An RSS feed of `count` items, oldest first (so the newest are last in the document), dated a minute apart. */
export function manyItemsFeed(count: number, options: { descriptionBytes?: number } = {}): HostileBody {
  const description = 'x'.repeat(options.descriptionBytes ?? 200);
  const start = Date.UTC(2026, 0, 1);
  const items: string[] = [];
  for (let index = 0; index < count; index++) {
    const date = new Date(start + index * 60_000).toUTCString();
    items.push(
      `<item><title>Item ${index}</title><link>https://hostile.example/items/${index}</link><guid>item-${index}</guid>` +
        `<pubDate>${date}</pubDate><description>${description} ${index}</description></item>`,
    );
  }
  return xmlCase(`${count} items`, `${RSS_HEAD}${items.join('\n')}${RSS_TAIL}`);
}

/** A feed of at most `bytes` bytes: one channel, items of 64 KB descriptions. */
export function hugeFeed(bytes: number): HostileBody {
  const perItem = 64 * 1024;
  // Each item is its description plus about 250 bytes of other fields; the channel adds a few hundred.
  const feed = manyItemsFeed(Math.floor((bytes - 1024) / (perItem + 300)), { descriptionBytes: perItem });
  return { ...feed, name: `${(bytes / 1024 / 1024).toFixed(0)} MiB feed` };
}

/** An item title `depth` elements deep (`<b><b>…x…</b></b>`), well formed. */
export function deepTitleFeed(depth: number): HostileBody {
  const title = `${'<b>'.repeat(depth)}deep${'</b>'.repeat(depth)}`;
  return xmlCase(
    `${depth}-deep nested title`,
    `${RSS_HEAD}<item><title>${title}</title><link>https://hostile.example/deep</link></item>${RSS_TAIL}`,
  );
}

/** The same depth in an Atom XHTML content, which rss-parser rebuilds as HTML. */
export function deepXhtmlFeed(depth: number): HostileBody {
  const content = `${'<div>'.repeat(depth)}deep${'</div>'.repeat(depth)}`;
  const atom =
    '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Deep</title>' +
    '<entry><id>urn:deep</id><title>Deep</title><link href="https://hostile.example/deep"/>' +
    `<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">${content}</div></content></entry></feed>`;
  return { name: `${depth}-deep XHTML content`, body: Buffer.from(atom), headers: { 'content-type': 'application/atom+xml' } };
}

/** Billion laughs: ten levels of ten entity references. */
export function billionLaughs(): HostileBody {
  const levels = ['<!ENTITY lol0 "lol">'];
  for (let level = 1; level < 10; level++) levels.push(`<!ENTITY lol${level} "${`&lol${level - 1};`.repeat(10)}">`);
  return xmlCase(
    'billion laughs',
    `<?xml version="1.0"?><!DOCTYPE rss [${levels.join('')}]><rss version="2.0"><channel><title>&lol9;</title></channel></rss>`,
  );
}

/** An external entity pointing at a local file. */
export function externalEntity(): HostileBody {
  return xmlCase(
    'XXE',
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
      '<rss version="2.0"><channel><title>&xxe;</title><item><title>&xxe;</title><link>https://hostile.example/x</link></item></channel></rss>',
  );
}

/** `inflatedBytes` of zeros, gzipped (about 1000:1), sent with Content-Encoding: gzip or as the body itself. */
export function gzipBomb(inflatedBytes: number, as: 'content-encoding' | 'body' = 'content-encoding'): HostileBody {
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  const parts: Buffer[] = [Buffer.from(RSS_HEAD)];
  for (let written = 0; written < inflatedBytes; written += chunk.length) parts.push(chunk);
  const gzipped = gzipSync(Buffer.concat(parts), { level: 9 });
  return {
    name: `gzip bomb (${(inflatedBytes / 1024 / 1024).toFixed(0)} MiB inflated, ${as})`,
    body: gzipped,
    headers: as === 'content-encoding' ? { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' } : { 'content-type': 'application/gzip' },
  };
}

/** A plain body of `bytes` bytes (a feed that goes on and on). */
export function bigBody(bytes: number): HostileBody {
  return xmlCase(`${(bytes / 1024 / 1024).toFixed(0)} MB body`, `${RSS_HEAD}${repeatTo('<item><title>x</title></item>', bytes)}${RSS_TAIL}`);
}

/** An OPML document of `count` feed outlines, flat. */
export function manyOutlinesOpml(count: number): string {
  const outlines: string[] = [];
  for (let index = 0; index < count; index++) {
    outlines.push(`<outline type="rss" text="Feed ${index}" xmlUrl="https://hostile.example/feeds/${index}.xml"/>`);
  }
  return `<?xml version="1.0"?><opml version="2.0"><head><title>Many</title></head><body>${outlines.join('\n')}</body></opml>`;
}

/** About `bytes` bytes of outlines opened and never closed, each a category holding the next, with feeds among them. */
export function unclosedNestedOpml(bytes: number): string {
  const unit = '<outline text="Category"><outline type="rss" text="Feed" xmlUrl="https://hostile.example/f.xml">';
  return `<?xml version="1.0"?><opml version="2.0"><head><title>Nested</title></head><body>${repeatTo(unit, bytes)}`;
}

/** Every feed case of the acceptance list that a parser sees whole (slowloris and transfer sizes are the fetcher's). */
export function hostileFeedCases(): HostileBody[] {
  return [
    ...regexBombs(),
    manyItemsFeed(10_000),
    hugeFeed(15 * 1024 * 1024),
    bigBody(50 * 1024 * 1024),
    deepTitleFeed(5_000),
    deepXhtmlFeed(5_000),
    billionLaughs(),
    externalEntity(),
    gzipBomb(200 * 1024 * 1024, 'body'),
  ];
}
