// Relative links come out absolute: xml:base in scope (feed, entry, nested, on the link element itself), then the
// feed's link, then its self URL, then the URL the feed was fetched from. Real cases from ../shared/feeds, with the
// results the suites they come from expect, then our own for the chains and fallbacks those do not cover.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFeed, type ParseFeedOptions } from '#adapters/reader/index.js';
import { toArticle } from '#domain/article.js';
import { HAS_SHARED, SHARED_SKIP_REASON, sharedPath } from '../../../helpers/shared-dir.js';

interface Links {
  feedLink: string | undefined;
  /** Each item's link as the parser gives it. */
  links: (string | undefined)[];
  /** Each item's canonical article URL, as the pipeline stores it. */
  urls: (string | undefined)[];
}

async function linksOf(body: Buffer | string, options: ParseFeedOptions = {}): Promise<Links> {
  const feed = await parseFeed(typeof body === 'string' ? Buffer.from(body) : body, options);
  const context = { feedId: 'f', sourceName: 's', fetchedAt: '2024-06-04T00:00:00.000Z', ...(feed.link === undefined ? {} : { feedLink: feed.link }) };
  return {
    feedLink: feed.link,
    links: feed.items.map((item) => item.link),
    urls: feed.items.map((item) => toArticle(item, context)?.url),
  };
}

const shared = (path: string): Buffer => readFileSync(sharedPath('feeds', path));

/** The Universal Feed Parser suite serves its files from this origin; its "docuri" cases resolve against it. */
const UFP_ORIGIN = 'http://127.0.0.1:8097';
const ufp = (name: string) => ({
  file: `edge_cases/kurtmckee_feedparser_tests/wellformed/base/${name}`,
  baseUrl: `${UFP_ORIGIN}/tests/wellformed/base/${name}`,
});

describe.skipIf(!HAS_SHARED)(`relative links in real feeds (${HAS_SHARED ? 'shared data present' : SHARED_SKIP_REASON})`, () => {
  it.each([
    // Atom 0.3 sample of the feedparser docs: xml:base on the feed, a relative alternate link on the feed and entry.
    ['edge_cases/rowanmanning_sample-feeds_examples/3226e0f37e21861fa341d4326fa864da/feed.xml', 'http://example.org/', 'http://example.org/entry/3'],
    // No xml:base: the relative feed link resolves against the absolute self link, the entry against the feed link.
    ['real_news/feed-rs_fixtures/atom/atom_relative.xml', 'https://example.com/blog/', 'https://example.com/blog/2003/12/13/atom03'],
  ])('Atom with xml:base on the feed or a self link: %s', async (file, feedLink, first) => {
    // Act
    const result = await linksOf(shared(file));

    // Assess
    expect(result.feedLink).toBe(feedLink);
    expect(result.links[0]).toBe(first);
    expect(result.urls[0]).toBe(first);
  });

  it.each([
    ['tpm.atom', 'no xml:base'],
    ['tpm-with-empty-base.atom', 'xml:base=""'],
    ['tpm-with-fragment-base.atom', 'xml:base="#fragment"'],
  ])('node-feedparser %s (%s): relative entry links resolve against the feed link', async (name) => {
    // Act
    const result = await linksOf(shared(`real_news/node-feedparser_feeds/${name}`));

    // Assess: node-feedparser's test/xmlbase.js expectations
    expect(result.urls).toHaveLength(20);
    expect(result.urls.slice(0, 2)).toEqual([
      'http://talkingpointsmemo.com/livewire/hannity-announces-fox-hired-sebastian-gorka-national-security-strategist',
      'http://talkingpointsmemo.com/edblog/were-hiring-senior-editor',
    ]);
    expect(result.urls.every((url) => url?.startsWith('http://talkingpointsmemo.com/'))).toBe(true);
  });

  it.each([
    ['http_entry_link_base_docuri.xml', 'entries[0]', `${UFP_ORIGIN}/relative/link`],
    ['http_item_link_base_docuri.xml', 'entries[0]', `${UFP_ORIGIN}/relative/uri`],
    ['http_feed_link_base_docuri.xml', 'feed', `${UFP_ORIGIN}/relative/link`],
    ['http_channel_link_base_docuri.xml', 'feed', `${UFP_ORIGIN}/relative/uri`],
  ])('Universal Feed Parser %s: the %s link resolves against the fetch URL', async (name, where, expected) => {
    // Prepare
    const { file, baseUrl } = ufp(name);
    const body = shared(file);
    expect(body.toString('utf8')).toContain(`'${expected}'`); // the file's own Expect: line

    // Act
    const result = await linksOf(body, { baseUrl });

    // Assess
    if (where === 'feed') expect(result.feedLink).toBe(expected);
    else expect([result.links[0], result.urls[0]]).toEqual([expected, expected]);
  });

  it('RSS: xml:base on <rss> resolves a relative item <link> (gofeed expects http://example.org/feeds/post/1)', async () => {
    // Act
    const result = await linksOf(shared('edge_cases/gofeed_testdata/parser/rss/rss_channel_item_xml_base.xml'));

    // Assess
    expect(result.urls).toEqual(['http://example.org/feeds/post/1']);
  });

  it('RSS: an item xml:base applies to that item only; its sibling falls back to the channel link', async () => {
    // Act
    const result = await linksOf(shared('real_news/node-feedparser_feeds/rss-with-item-scoped-html-base.xml'));

    // Assess
    expect(result.urls).toEqual(['https://example.com/first/first', 'https://example.com/second']);
  });

  it('RSS: a relative item <link> without xml:base resolves against the channel link', async () => {
    // Act
    const result = await linksOf(shared('real_news/node-feedparser_feeds/rss-with-relative-html-urls-no-base.xml'));

    // Assess
    expect(result.urls).toEqual(['https://example.com/feed/posts/post-1']);
  });

  it.each([
    ['rss-with-relative-urls.xml', { baseUrl: 'http://www.arcgames.com' }],
    ['rss-with-relative-urls-with-absolute-xmlurl.xml', {}],
  ])('RSS %s: a relative channel link resolves against the fetch URL or the absolute self link', async (name, options) => {
    // Act
    const result = await linksOf(shared(`real_news/node-feedparser_feeds/${name}`), options);

    // Assess: node-feedparser's test/xmlbase.js expectations
    expect(result.feedLink).toBe('http://www.arcgames.com/en/games/neverwinter/news');
    expect(result.urls).toEqual([
      'http://www.arcgames.com/en/games/neverwinter/news/detail/10743874-neverwinter-%26-jingle-jam-humble-bundle%21',
      'http://www.arcgames.com/en/games/neverwinter/news/detail/10738994-2x-underdark-currency-%26-15%25-off-bags%21',
    ]);
  });

  it('RSS: root-relative permalink guids are links once the fetch URL is known (feed-extractor expectations)', async () => {
    // Act
    const result = await linksOf(shared('real_news/extractus_feed-extractor_test-data/rss-feed-miss-base-url.xml'), {
      baseUrl: 'https://huggingface.co/blog/feed.xml',
    });

    // Assess
    expect(result.feedLink).toBe('https://huggingface.co/blog');
    expect(result.urls[0]).toBe('https://huggingface.co/blog/intro-graphml');
    expect(result.urls[1]).toBe('https://huggingface.co/blog/ml-for-games-1');
    expect(result.urls.filter((url) => !url?.startsWith('https://'))).toEqual([]);
  });

  it('Atom without any absolute link resolves against the fetch URL (RSS-Parser expectations)', async () => {
    // Act
    const result = await linksOf(shared('real_news/prof18_RSS-Parser_fixtures/atom-relative-url.xml'), { baseUrl: 'https://aurimas.example/feed.xml' });

    // Assess
    expect(result.feedLink).toBe('https://aurimas.example/');
    expect(result.urls).toEqual(['https://aurimas.example/2024/12/18/What-The-Distribution.html']);
  });

  it('JSON Feed with relative home_page_url, feed_url and item urls resolves them against the fetch URL', async () => {
    // Act
    const result = await linksOf(shared('real_news/extractus_feed-extractor_test-data/json-feed-miss-base-url.json'), {
      baseUrl: 'https://www.jsonfeed.org/feed.json',
    });

    // Assess: feed-extractor's expectations for this file
    expect(result.feedLink).toBe('https://www.jsonfeed.org/');
    expect(result.urls).toEqual([
      'https://www.jsonfeed.org/2020/08/07/json-feed-version.html',
      'https://www.jsonfeed.org/2017/05/17/announcing-json-feed.html',
    ]);
  });
});

const atom = (feedAttrs: string, entries: string, feedChildren = '') =>
  `<feed xmlns="http://www.w3.org/2005/Atom"${feedAttrs}><title>T</title>${feedChildren}${entries}</feed>`;
const entry = (attrs: string, link: string, id = 'urn:x') => `<entry${attrs}><id>${id}</id><title>E</title>${link}</entry>`;

describe('xml:base chains on Atom entries and links', () => {
  it('resolves each xml:base against its parent: feed, entry, then the link element (UFP relative_xml_base_2)', async () => {
    // Act
    const result = await linksOf(atom(' xml:base="http://example.com/"', entry(' xml:base="test/entry/"', '<link xml:base="../" href="a.html"/>')));

    // Assess
    expect(result.urls).toEqual(['http://example.com/test/a.html']);
  });

  it('resolves an entry xml:base alone, with no base on the feed', async () => {
    // Act
    const result = await linksOf(atom('', entry(' xml:base="http://example.com/news/"', '<link rel="alternate" href="2024/story?utm_source=rss"/>')));

    // Assess: absolute, and canonical once the domain has it
    expect(result.links).toEqual(['http://example.com/news/2024/story?utm_source=rss']);
    expect(result.urls).toEqual(['http://example.com/news/2024/story']);
  });

  it.each([
    [' xml:base="feed/"', ' xml:base="entry/"', 'link/', 'http://example.com/feed/entry/link/a'], // UFP http_relative_xml_base
    [' xml:base="feed/base/"', ' xml:base="/entry/base/"', '../', 'http://example.com/entry/a'], // UFP http_relative_xml_base_2
  ])('starts a relative chain (%s, %s, %s) from the fetch URL', async (feedBase, entryBase, linkBase, expected) => {
    // Act
    const result = await linksOf(atom(feedBase, entry(entryBase, `<link xml:base="${linkBase}" href="a"/>`)), { baseUrl: 'http://example.com/' });

    // Assess
    expect(result.urls).toEqual([expected]);
  });

  it('ignores an xml:base with a scheme other than http(s), keeping the parent base (UFP unsafe_base)', async () => {
    // Act
    const result = await linksOf(atom('', entry(' xml:base="http://example.com/"', `<link xml:base="javascript:alert('unsafe')" href="a"/>`)));

    // Assess
    expect(result.urls).toEqual(['http://example.com/a']);
  });

  it('reads a base with too many slashes after the scheme as the URL it means (UFP malformed_base)', async () => {
    // Act
    const result = await linksOf(atom('', entry(' xml:base="http://example.com/"', '<link xml:base="http:///example.com/test/" href="a"/>')));

    // Assess
    expect(result.urls).toEqual(['http://example.com/test/a']);
  });

  it('uses the xml:base of the alternate link, not of another link before it', async () => {
    // Act
    const links = '<link rel="replies" xml:base="http://comments.example/" href="c"/><link rel="alternate" xml:base="http://news.example/" href="a"/>';
    const result = await linksOf(atom('', entry('', links)));

    // Assess
    expect(result.urls).toEqual(['http://news.example/a']);
  });

  it('keeps a relative link as written when nothing gives a base (a file with no absolute URL)', async () => {
    // Act
    const result = await linksOf(atom(' xml:base="feed/"', entry('', '<link href="a"/>')));

    // Assess
    expect(result.links).toEqual(['a']);
  });
});

describe('RSS links, images and the order of fallbacks', () => {
  const rss = (channelAttrs: string, channel: string, item: string) =>
    `<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel${channelAttrs}><title>T</title>${channel}<item>${item}</item></channel></rss>`;

  it("prefers the feed's link to the fetch URL, as the poller always did", async () => {
    // Act
    const result = await linksOf(rss('', '<link>https://site.example/news/</link>', '<link>/2024/a</link>'), { baseUrl: 'https://feeds.example/x.xml' });

    // Assess
    expect(result.urls).toEqual(['https://site.example/2024/a']);
  });

  it('falls back to the fetch URL, after redirects, when the feed has no link', async () => {
    // Act
    const result = await linksOf(rss('', '', '<link>story/1</link>'), { baseUrl: 'https://moved.example/feeds/all.xml' });

    // Assess
    expect(result.urls).toEqual(['https://moved.example/feeds/story/1']);
  });

  it('applies the channel xml:base over the channel link, and an xml:base on the <link> element itself', async () => {
    // Act
    const result = await linksOf(rss(' xml:base="http://base.example/dir/"', '<link>http://site.example/</link>', '<link xml:base="sub/">a</link>'));

    // Assess
    expect(result.urls).toEqual(['http://base.example/dir/sub/a']);
  });

  it('resolves an image inside a media:group against the xml:base of the group', async () => {
    // Act
    const item = '<link>https://site.example/a</link><media:group xml:base="https://cdn.example/img/"><media:content url="a.jpg" medium="image"/></media:group>';
    const feed = await parseFeed(Buffer.from(rss('', '<link>https://site.example/</link>', item)));

    // Assess
    expect(feed.items[0]?.imageUrl).toBe('https://cdn.example/img/a.jpg');
  });

  it('leaves absolute links exactly as written: canonicalising them is the domain’s job', async () => {
    // Act
    const result = await linksOf(rss(' xml:base="http://base.example/"', '', '<link>HTTP://Site.Example:80/A?utm_source=x</link>'));

    // Assess
    expect(result.links).toEqual(['HTTP://Site.Example:80/A?utm_source=x']);
    expect(result.urls).toEqual(['http://site.example/A']);
  });

  it('does not take a relative permalink guid for a link unless the feed says isPermaLink="true" and it is a path', async () => {
    // Act
    const guids = ['<guid>/2024/a</guid>', '<guid isPermaLink="true">test-id-1</guid>', '<guid isPermaLink="true">/2024/b</guid>'];
    const results = await Promise.all(guids.map((guid) => linksOf(rss('', '<link>https://site.example/</link>', guid))));

    // Assess
    expect(results.map((result) => result.links[0])).toEqual([undefined, undefined, 'https://site.example/2024/b']);
  });

  it('ignores a base URL that is not http(s)', async () => {
    // Act
    const result = await linksOf(rss('', '', '<link>a</link>'), { baseUrl: 'file:///etc/feed.xml' });

    // Assess
    expect(result.links).toEqual(['a']);
  });
});

describe('JSON Feed relative urls', () => {
  const json = (feed: Record<string, unknown>, item: Record<string, unknown>) =>
    JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'J', ...feed, items: [{ id: '1', ...item }] });

  it.each([
    ['home_page_url', { home_page_url: 'https://site.example/blog/', feed_url: 'https://feeds.example/j.json' }, { url: 'post' }, 'https://site.example/blog/post'],
    ['feed_url when there is no home page', { feed_url: 'https://feeds.example/a/j.json' }, { url: 'post' }, 'https://feeds.example/a/post'],
    ['the fetch URL when neither is given', {}, { external_url: '/elsewhere' }, 'https://fetched.example/elsewhere'],
    ['a relative home_page_url resolved first', { home_page_url: '/blog/' }, { url: 'post' }, 'https://fetched.example/blog/post'],
  ])('resolves item urls against %s', async (_what, feed, item, expected) => {
    // Act
    const result = await linksOf(json(feed, item), { baseUrl: 'https://fetched.example/feeds/j.json' });

    // Assess
    expect(result.urls).toEqual([expected]);
  });
});
