import { describe, expect, it } from 'vitest';
import { decodeFeed } from '#adapters/reader/decode.js';
import { parseFeed } from '#adapters/reader/index.js';
import { parseJsonFeed } from '#adapters/reader/json-feed.js';
import { parseError } from '../../../helpers/parse-error.js';
import { feedLanguageOf } from '#domain/feed-item.js';

function utf32(text: string, littleEndian: boolean, bom: boolean): Buffer {
  const codes = [...(bom ? '\ufeff' : '') + text].map((char) => char.codePointAt(0) ?? 0);
  const buffer = Buffer.alloc(codes.length * 4);
  codes.forEach((code, index) => (littleEndian ? buffer.writeUInt32LE(code, index * 4) : buffer.writeUInt32BE(code, index * 4)));
  return buffer;
}

const GREEK_RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>Ειδήσεις 😀</title><item><title>Αθήνα</title><link>https://n.example.gr/1</link></item></channel></rss>';

describe('decodeFeed: charsets beyond the basics', () => {
  it.each([
    ['UTF-32LE with a BOM', utf32(GREEK_RSS, true, true), 'utf-32le', 'bom'],
    ['UTF-32BE with a BOM', utf32(GREEK_RSS, false, true), 'utf-32be', 'bom'],
    ['UTF-32LE without a BOM', utf32(GREEK_RSS, true, false), 'utf-32le', 'sniffed'],
    ['UTF-32BE without a BOM', utf32(GREEK_RSS, false, false), 'utf-32be', 'sniffed'],
  ])('decodes %s, astral characters included', (_name, body, encoding, source) => {
    const decoded = decodeFeed(body);

    expect(decoded).toEqual({ text: GREEK_RSS, encoding, source });
  });

  it('decodes UTF-16LE without a BOM or declaration from the layout of the root element', () => {
    const body = Buffer.from('<rss version="2.0"><channel><title>Ça va</title></channel></rss>', 'utf16le');

    const decoded = decodeFeed(body);

    expect(decoded.encoding).toBe('utf-16le');
    expect(decoded.text).toContain('<title>Ça va</title>');
  });

  it('reads 0x80-0x9F of windows-1252 as the euro sign and curly quotes, not C1 controls', () => {
    const body = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="windows-1252"?><rss><channel><title>'),
      Buffer.from([0x80, 0x20, 0x93, 0x71, 0x94]),
      Buffer.from('</title></channel></rss>'),
    ]);

    expect(decodeFeed(body).text).toContain('<title>€ “q”</title>');
  });

  it('decodes Shift_JIS named by the declaration', () => {
    const body = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="Shift_JIS"?><rss><channel><title>'),
      Buffer.from([0x93, 0xfa, 0x96, 0x7b]),
      Buffer.from('</title></channel></rss>'),
    ]);

    expect(decodeFeed(body)).toMatchObject({ encoding: 'shift_jis', source: 'declaration' });
    expect(decodeFeed(body).text).toContain('<title>日本</title>');
  });

  it('trusts valid non-ASCII UTF-8 over an 8-bit label that a template or server default got wrong', () => {
    const body = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><title>Café €</title></channel></rss>');

    const decoded = decodeFeed(body, 'text/xml; charset=iso-8859-1');

    expect(decoded).toMatchObject({ encoding: 'utf-8', source: 'default' });
    expect(decoded.text).toContain('Café €');
  });

  it('detects the charset of unlabelled bytes that are not UTF-8', () => {
    // KOI8-R, no header, no declaration: "Новости" repeated gives chardet enough to go on.
    const koi8 = Buffer.from([0xee, 0xcf, 0xd7, 0xcf, 0xd3, 0xd4, 0xc9]);
    const words = Array.from({ length: 40 }, () => Buffer.concat([koi8, Buffer.from(' ')]));
    const body = Buffer.concat([Buffer.from('<rss><channel><title>'), ...words, Buffer.from('</title></channel></rss>')]);

    const decoded = decodeFeed(body);

    expect(decoded).toMatchObject({ encoding: 'koi8-r', source: 'detected' });
    expect(decoded.text).toContain('Новости Новости');
  });

  it('refuses a declared charset no decoder knows when the bytes are not UTF-8', () => {
    const body = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="x-mac-klingon"?><rss>'), Buffer.from([0xff, 0xc0]), Buffer.from('</rss>')]);

    expect(() => decodeFeed(body)).toThrow(expect.objectContaining({ reason: 'unsupported-encoding' }));
  });

  it('reads valid UTF-8 even when the declared charset is unknown', () => {
    const body = Buffer.from('<?xml version="1.0" encoding="bogus"?><rss><channel><title>테스트</title></channel></rss>');

    expect(decodeFeed(body)).toMatchObject({ encoding: 'utf-8', source: 'default' });
  });
});

describe('parseFeed: prolog and junk', () => {
  it('finds the root element after a comment that itself contains tags', async () => {
    const body = Buffer.from('<!-- an <encoded> element, <item>s --><rss version="2.0"><channel><title>T</title><item><title>A</title><guid>a</guid></item></channel></rss>');

    const feed = await parseFeed(body);

    expect(feed.format).toBe('rss');
    expect(feed.items).toEqual([{ guid: 'a', title: 'A' }]);
  });

  it('skips PHP notices with markup of their own before the XML declaration', async () => {
    const body = Buffer.from('<br />\n<b>Warning</b>: Cannot modify header information in <b>/feed.php</b><br />\n<?xml version="1.0"?><rss version="2.0"><channel><title>OK</title></channel></rss>');

    const feed = await parseFeed(body);

    expect(feed.title).toBe('OK');
  });

  it('still refuses entity declarations that sit after a comment', async () => {
    const body = Buffer.from('<?xml version="1.0"?><!-- x --><!DOCTYPE rss [<!ENTITY a "aaaa">]><rss><channel><title>&a;</title></channel></rss>');

    expect((await parseError(body)).reason).toBe('entity-declaration');
  });
});

describe('parseFeed: formats and feed-level hints', () => {
  it('surfaces RSS <ttl> and the syndication module schedule for the scheduler', async () => {
    const body = Buffer.from(
      '<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel><title>T</title><ttl>45</ttl>' +
        '<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>4</sy:updateFrequency></channel></rss>',
    );

    const feed = await parseFeed(body);

    expect(feed.ttlMinutes).toBe(45);
    expect(feed.updatePeriodSeconds).toBe(900);
  });

  it('reads sy:updatePeriod on an RDF channel, defaulting the frequency to 1, and ignores a bad ttl', async () => {
    const body = Buffer.from(
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">' +
        '<channel rdf:about="x"><title>T</title><ttl>soon</ttl><sy:updatePeriod>daily</sy:updatePeriod></channel></rdf:RDF>',
    );

    const feed = await parseFeed(body);

    expect(feed.updatePeriodSeconds).toBe(86_400);
    expect(feed.ttlMinutes).toBeUndefined();
  });

  it('maps Atom 0.3: issued dates, escaped content and the alternate link', async () => {
    const body = Buffer.from(
      '<feed version="0.3" xmlns="http://purl.org/atom/ns#" xml:lang="fr"><title>Ancien</title><link rel="alternate" href="https://a.example.fr/"/>' +
        '<entry><title>Un</title><link rel="alternate" href="https://a.example.fr/1"/><id>tag:a,1</id>' +
        '<issued>2004-05-01T10:00:00+02:00</issued><modified>2004-05-02T10:00:00Z</modified>' +
        '<content type="text/html" mode="escaped">&lt;p&gt;Texte&lt;/p&gt;</content></entry></feed>',
    );

    const feed = await parseFeed(body);

    expect(feed).toMatchObject({ format: 'atom', language: 'fr', link: 'https://a.example.fr/' });
    expect(feed.items[0]).toMatchObject({ guid: 'tag:a,1', link: 'https://a.example.fr/1', published: '2004-05-01T10:00:00+02:00', contentHtml: '<p>Texte</p>' });
  });

  it('takes xml:lang from an RSS channel when there is no <language>', async () => {
    const feed = await parseFeed(Buffer.from('<rss version="2.0"><channel xml:lang="de-AT"><title>T</title></channel></rss>'));

    expect(feed.language).toBe('de-AT');
  });

  it('uses an item atom:published when the RSS item has no pubDate', async () => {
    const body = Buffer.from(
      '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><item><guid>g</guid><atom:published>2019-01-02T15:04:05Z</atom:published></item></channel></rss>',
    );

    expect((await parseFeed(body)).items[0]?.published).toBe('2019-01-02T15:04:05Z');
  });

  it('reads a JSON Feed 1.1 served as application/feed+json', async () => {
    const body = Buffer.from(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'Harbour JSON',
        home_page_url: 'https://h.example.org/',
        language: 'en-GB',
        items: [
          {
            id: 'h-1',
            url: 'https://h.example.org/1?utm_source=json',
            title: 'Ferry back',
            content_html: '<p>The <b>ferry</b> is back.</p>',
            date_published: '2024-06-03T07:30:00+01:00',
            authors: [{ name: 'Morgan Quill' }],
            tags: ['Transport', 'Transport'],
            image: 'https://h.example.org/ferry.jpg',
          },
          { id: 42, content_text: 'Tides < 2m & calm', external_url: 'https://other.example.com/tides' },
          'not an item',
        ],
      }),
    );

    const feed = await parseFeed(body, { contentType: 'application/feed+json' });

    expect(feed).toMatchObject({ format: 'json', title: 'Harbour JSON', link: 'https://h.example.org/', language: 'en-GB', encoding: 'utf-8' });
    expect(feed.items).toEqual([
      {
        guid: 'h-1',
        link: 'https://h.example.org/1?utm_source=json',
        title: 'Ferry back',
        contentHtml: '<p>The <b>ferry</b> is back.</p>',
        published: '2024-06-03T07:30:00+01:00',
        author: 'Morgan Quill',
        categories: ['Transport'],
        imageUrl: 'https://h.example.org/ferry.jpg',
      },
      { guid: '42', link: 'https://other.example.com/tides', contentHtml: 'Tides &lt; 2m &amp; calm' },
    ]);
  });

  it('reads a JSON Feed 1.0 with the deprecated author object, detected without a content type', async () => {
    const body = Buffer.from(
      '  {"version": "https://jsonfeed.org/version/1", "title": "Old", "items": [{"id": "1", "url": "https://o.example/1", "title": "One", "author": {"name": "Ada"}, "summary": "S"}]}',
    );

    const feed = await parseFeed(body);

    expect(feed.items).toEqual([{ guid: '1', link: 'https://o.example/1', title: 'One', author: 'Ada', summaryHtml: 'S' }]);
  });

  it.each([
    ['malformed JSON', '{"version": "https://jsonfeed.org/version/1.1", "items": [', 'malformed-json'],
    ['JSON that is not a feed', '{"name": "package", "version": "1.2.3"}', 'not-a-feed'],
    ['a JSON Feed without items', '{"version": "https://jsonfeed.org/version/1.1", "title": "x"}', 'not-a-feed'],
  ])('refuses %s with a precise reason', async (_name, text, reason) => {
    expect((await parseError(Buffer.from(text))).reason).toBe(reason);
  });

  it('parseJsonFeed keeps an item whose fields have the wrong types, dropping only those fields', () => {
    const feed = parseJsonFeed('{"version":"1.1","items":[{"id":"x","title":7,"url":"https://e.example/x","tags":"t"}]}');

    expect(feed.items).toEqual([{ guid: 'x', link: 'https://e.example/x' }]);
  });
});

describe('feedLanguageOf', () => {
  it('uses the declared language when it is a language tag', () => {
    expect(feedLanguageOf({ format: 'rss', language: 'pt-BR', items: [] })).toBe('pt');
  });

  it('detects the language from the items when the feed declares none or something unusable', () => {
    const items = [
      { title: 'Der Bürgermeister hat die neue Brücke eröffnet', summaryHtml: '<p>Die Stadt und die Region feiern mit den Bürgern, auch wenn es regnet.</p>' },
      { title: 'Die Bahn wird im Sommer nicht fahren', summaryHtml: 'Das ist für die Pendler ein Problem, sagt der Verband.' },
    ];

    expect(feedLanguageOf({ format: 'rss', items })).toBe('de');
    expect(feedLanguageOf({ format: 'rss', language: 'x-default', items })).toBe('de');
  });

  it('says "und" when neither the feed nor its items settle it', () => {
    expect(feedLanguageOf({ format: 'rss', items: [{ title: '42' }] })).toBe('und');
  });
});
