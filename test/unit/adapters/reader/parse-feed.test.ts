import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes } from '#adapters/reader/decode.js';
import { parseFeed } from '#adapters/reader/index.js';
import { toArticle } from '#domain/article.js';
import { parseError } from '../../../helpers/parse-error.js';

const fixture = (name: string): Buffer => readFileSync(path.join('test/fixtures/feeds', name));
const sharedDir = path.resolve(process.env.NEWSALERT_SHARED_DIR ?? '../shared');
const sharedWindows1251 = path.join(sharedDir, 'feeds/real_news/miniflux_parser_testdata/encoding_WINDOWS-1251.xml');

/** windows-1251 by hand: ASCII stays, А..я map to 0xC0..0xFF, Ё/ё to 0xA8/0xB8. */
function encodeWindows1251(text: string): Buffer {
  return Buffer.from(
    [...text].map((char) => {
      const code = char.codePointAt(0) ?? 0x3f;
      if (code < 0x80) return code;
      if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
      if (code === 0x401) return 0xa8;
      if (code === 0x451) return 0xb8;
      throw new Error(`no windows-1251 byte for ${char}`);
    }),
  );
}

describe('parseFeed formats', () => {
  it('maps an RSS 2.0 feed with content:encoded, dc:creator, categories and media images', async () => {
    // Act
    const feed = await parseFeed(fixture('rss2.xml'), { contentType: 'application/rss+xml' });

    // Assess
    expect(feed).toMatchObject({
      format: 'rss',
      title: 'Harbour Town Gazette',
      link: 'https://gazette.example.org/',
      language: 'en-GB',
    });
    expect(feed.items).toHaveLength(2);
    expect(feed.items[0]).toEqual({
      guid: 'gazette-42',
      link: 'https://gazette.example.org/news/ferry-timetable?utm_source=rss&utm_medium=feed&id=42',
      title: 'Ferry timetable changes from Monday',
      summaryHtml: '<p>The morning ferry will leave <b>ten minutes</b> earlier.</p><script>track()</script>',
      contentHtml: '<p>Full story: the council voted on Friday&hellip;</p>',
      published: 'Mon, 03 Jun 2024 07:30:00 +0100',
      author: 'Morgan Quill',
      categories: ['Transport', 'Harbour'],
      imageUrl: 'https://cdn.example.org/ferry.jpg',
    });
  });

  it('uses a permalink guid as the link, the name of an RSS author and an image enclosure', async () => {
    const feed = await parseFeed(fixture('rss2.xml'));

    expect(feed.items[1]).toMatchObject({
      guid: 'https://gazette.example.org/news/lighthouse-open-day',
      link: 'https://gazette.example.org/news/lighthouse-open-day',
      title: 'Lighthouse open day & picnic',
      author: 'Rowan Ash',
      imageUrl: 'https://cdn.example.org/lighthouse.png',
    });
    // &nbsp; is HTML, not XML: it must survive as the character, not break the parse.
    expect(feed.items[1]?.summaryHtml).toBe('Visitors can climb the 120 steps\u00a0for free.');
  });

  it('maps an Atom 1.0 feed: xml:lang, alternate links, ids, term/label categories, enclosure links', async () => {
    const feed = await parseFeed(fixture('atom.xml'), { contentType: 'application/atom+xml' });

    expect(feed).toMatchObject({ format: 'atom', title: 'Bergdorf Rundschau', link: 'https://rundschau.example.net/', language: 'de-DE' });
    expect(feed.items[0]).toEqual({
      guid: 'tag:rundschau.example.net,2024:seilbahn',
      link: 'https://rundschau.example.net/2024/06/seilbahn',
      title: 'Neue Seilbahn <em>eröffnet</em>',
      summaryHtml: '<p>Die Gondeln fahren ab heute im Zehn-Minuten-Takt.</p>',
      contentHtml: '<p>Ausführlicher Bericht über die Eröffnung.</p>',
      published: '2024-06-03T08:00:00+02:00',
      author: 'Alex Berger',
      categories: ['Verkehr', 'tourismus'],
      imageUrl: 'https://rundschau.example.net/img/seilbahn.jpg',
    });
    expect(feed.items[1]).toMatchObject({ published: '2024-06-02T17:45:00Z', link: 'https://rundschau.example.net/2024/06/schnee' });
  });

  it('keeps a bad Atom date as text instead of failing the whole feed', async () => {
    const body = Buffer.from(
      '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>' +
        '<entry><id>urn:a</id><title>Bad date</title><published>sometime soon</published></entry>' +
        '<entry><id>urn:b</id><title>Good date</title><updated>2024-01-01T00:00:00Z</updated></entry></feed>',
    );

    const feed = await parseFeed(body);

    expect(feed.items.map((item) => item.published)).toEqual(['sometime soon', '2024-01-01T00:00:00Z']);
  });

  it('maps an RSS 1.0 (RDF) feed with dc:date, dc:language and dc:subject', async () => {
    const feed = await parseFeed(fixture('rdf.xml'));

    expect(feed).toMatchObject({ format: 'rdf', title: 'Valley Science Bulletin', language: 'fr' });
    expect(feed.items).toEqual([
      {
        guid: 'https://bulletin.example.com/notes/comet',
        link: 'https://bulletin.example.com/notes/comet',
        title: "Une comète visible à l'œil nu",
        summaryHtml: 'Elle passera au plus près mardi soir.',
        published: '2024-06-01T21:00:00+02:00',
        author: 'Camille Roux',
        categories: ['Astronomie'],
      },
    ]);
  });

  it('reads RSS without a version attribute as RSS 2.0', async () => {
    const feed = await parseFeed(Buffer.from('<rss><channel><title>Old</title><item><title>One</title></item></channel></rss>'));

    expect(feed.format).toBe('rss');
    expect(feed.items.map((item) => item.title)).toEqual(['One']);
  });
});

describe('parseFeed decoding', () => {
  const cyrillicFeed = (declaration: string): string =>
    `<?xml version="1.0"${declaration}?><rss version="2.0"><channel><title>Новости Ёлкино</title>` +
    `<item><title>Мэр открыл новый мост</title></item></channel></rss>`;

  it('decodes windows-1251 named by the XML declaration', async () => {
    const feed = await parseFeed(encodeWindows1251(cyrillicFeed(' encoding="windows-1251"')));

    expect(feed.title).toBe('Новости Ёлкино');
    expect(feed.items[0]?.title).toBe('Мэр открыл новый мост');
  });

  it('prefers the Content-Type charset over the declaration', async () => {
    const feed = await parseFeed(encodeWindows1251(cyrillicFeed(' encoding="iso-8859-1"')), { contentType: 'text/xml; charset=windows-1251' });

    expect(feed.title).toBe('Новости Ёлкино');
  });

  it('skips a UTF-8 Content-Type that the bytes contradict and uses the declaration', async () => {
    const feed = await parseFeed(encodeWindows1251(cyrillicFeed(' encoding="windows-1251"')), { contentType: 'text/xml; charset=utf-8' });

    expect(feed.title).toBe('Новости Ёлкино');
  });

  it('decodes UTF-16 with a byte order mark whatever the Content-Type says', async () => {
    const text = cyrillicFeed(' encoding="utf-16"');
    const body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

    const feed = await parseFeed(body, { contentType: 'application/xml; charset=iso-8859-1' });

    expect(feed.title).toBe('Новости Ёлкино');
  });

  it('decodes UTF-16BE without a byte order mark from the layout of the declaration', () => {
    const le = Buffer.from('<?xml version="1.0"?><rss/>', 'utf16le');
    const be = Buffer.from(le).swap16();

    expect(decodeFeedBytes(be)).toBe('<?xml version="1.0"?><rss/>');
  });

  it('refuses a charset it cannot decode', async () => {
    const body = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="x-klingon"?><rss version="2.0"><channel><title>'),
      Buffer.from([0xc0, 0xff, 0xfe]),
      Buffer.from('</title></channel></rss>'),
    ]);

    const error = await parseError(body);

    expect(error.reason).toBe('unsupported-encoding');
    expect(error.message).toContain('x-klingon');
  });

  it('strips junk before the XML declaration', async () => {
    const body = Buffer.from('\n\nNotice: Undefined index in feed.php\n<?xml version="1.0"?><rss version="2.0"><channel><title>OK</title></channel></rss>');

    const feed = await parseFeed(body);

    expect(feed.title).toBe('OK');
  });

  it('gunzips a body that is a gzip file served without Content-Encoding', async () => {
    const feed = await parseFeed(gzipSync(fixture('rdf.xml')), { contentType: 'application/x-gzip' });

    expect(feed).toMatchObject({ format: 'rdf', title: 'Valley Science Bulletin' });
  });

  it('refuses a gzipped body that expands beyond the size cap', async () => {
    const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x20));

    expect((await parseError(bomb)).reason).toBe('too-large');
  });

  it.skipIf(!existsSync(sharedWindows1251))(
    `decodes a real windows-1251 feed from the shared data (needs ${sharedWindows1251})`,
    async () => {
      const feed = await parseFeed(readFileSync(sharedWindows1251), { contentType: 'text/xml' });

      expect(feed.language).toBe('ru');
      expect(feed.items.length).toBeGreaterThan(10);
      expect(feed.items[0]?.title).toMatch(/^Цитата #\d+$/);
      expect(feed.items[0]?.summaryHtml).toMatch(/[а-я]{3}/);
    },
  );
});

describe('parseFeed entity handling and parser reuse', () => {
  const rss = (title: string) =>
    Buffer.from(`<rss version="2.0"><channel><title>T</title><item><title>${title}</title><link>https://e.example/a</link></item></channel></rss>`);

  it('reads XML and numeric references as they are, and still repairs an HTML entity or a bare ampersand', async () => {
    // Act
    const xmlOnly = await parseFeed(rss('A &amp; B &lt;C&gt; &#233; &#x263A; &quot;q&quot; &apos;'));
    const html = await parseFeed(rss('Caf&eacute; &AMP; Fish & Chips'));

    // Assess
    expect(xmlOnly.items[0]?.title).toBe('A & B <C> é ☺ "q" \'');
    expect(html.items[0]?.title).toBe('Café & Fish & Chips');
  });

  it('parses a good feed right after a malformed one, and feeds parsed at the same time keep their own items', async () => {
    // Prepare
    const broken = Buffer.from('<rss version="2.0"><channel><title>T</title><item><title>x</item></channel></rss>');

    // Act
    const failure = await parseError(broken);
    const [first, second] = await Promise.all([parseFeed(rss('First')), parseFeed(rss('Second'))]);
    const after = await parseFeed(rss('After'));

    // Assess
    expect(failure.reason).toBe('malformed-xml');
    expect(first.items.map((item) => item.title)).toEqual(['First']);
    expect(second.items.map((item) => item.title)).toEqual(['Second']);
    expect(after.items.map((item) => item.title)).toEqual(['After']);
  });
});

describe('parseFeed refusals', () => {
  it('refuses a billion-laughs document fast, before any entity is expanded', async () => {
    const started = performance.now();

    const error = await parseError(fixture('billion-laughs.xml'));

    expect(error.reason).toBe('entity-declaration');
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('refuses an external entity (XXE) declaration', async () => {
    const body = Buffer.from(
      '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>' +
        '<rss version="2.0"><channel><title>&secret;</title></channel></rss>',
    );

    expect((await parseError(body)).reason).toBe('entity-declaration');
  });

  it('accepts a DOCTYPE without entity declarations, as old RSS 0.91 feeds have', async () => {
    const body = Buffer.from(
      '<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" ' +
        '"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel><title>Caf&eacute;</title>' +
        '<item><title>Tom &amp; Jerry &copy; AT&T</title></item></channel></rss>',
    );

    const feed = await parseFeed(body);

    expect(feed.title).toBe('Café');
    expect(feed.items[0]?.title).toBe('Tom & Jerry © AT&T');
  });

  it('reports an HTML page as not-a-feed', async () => {
    const error = await parseError(fixture('html-page.html'), 'text/html; charset=utf-8');

    expect(error.reason).toBe('not-a-feed');
    expect(error.message).toContain('<html>');
  });

  it('reports an RSS root without a channel as not-a-feed', async () => {
    expect((await parseError(Buffer.from('<rss version="2.0"><nothing/></rss>'))).reason).toBe('not-a-feed');
  });

  it.each([Buffer.alloc(0), Buffer.from('   \n\t ')])('reports an empty body as empty', async (body) => {
    expect((await parseError(body)).reason).toBe('empty');
  });

  it('reports plain text as not-a-feed', async () => {
    expect((await parseError(Buffer.from('Service temporarily unavailable'))).reason).toBe('not-a-feed');
  });

  it('reports broken XML as malformed-xml', async () => {
    const body = Buffer.from('<rss version="2.0"><channel><title>x</title><item><title>a</item></channel></rss>');

    const error = await parseError(body);

    expect(error.reason).toBe('malformed-xml');
    expect(error.message).not.toContain('\n');
  });
});

describe('parseFeed with toArticle', () => {
  it('turns each fixture item into an article with a canonical URL, plain text and a UTC date', async () => {
    // Prepare
    const feed = await parseFeed(fixture('rss2.xml'));

    // Act
    const articles = feed.items.map((item) =>
      toArticle(item, { feedId: 'f', sourceName: feed.title ?? '', feedLink: feed.link, language: feed.language, fetchedAt: '2024-06-04T00:00:00.000Z' }),
    );

    // Assess
    expect(articles.map((article) => [article?.url, article?.title, article?.publishedAt, article?.language])).toEqual([
      ['https://gazette.example.org/news/ferry-timetable?id=42', 'Ferry timetable changes from Monday', '2024-06-03T06:30:00.000Z', 'en'],
      ['https://gazette.example.org/news/lighthouse-open-day', 'Lighthouse open day & picnic', '2024-06-02T23:00:00.000Z', 'en'],
    ]);
    expect(articles[0]?.summary).toBe('The morning ferry will leave ten minutes earlier.');
    expect(articles[1]?.summary).toBe('Visitors can climb the 120 steps for free.');
  });
});
