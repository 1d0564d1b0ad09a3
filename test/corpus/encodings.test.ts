// The real non-UTF-8 feeds of ../shared/feeds decode to the right text. The expected titles were read off the
// decoded output and checked against the other parsers' expected parses and the feeds' declared languages.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeFeed } from '#adapters/reader/decode.js';
import { parseFeed } from '#adapters/reader/index.js';
import { HAS_SHARED, SHARED_SKIP_REASON, sharedPath } from '../helpers/shared-dir.js';

const feedFile = (path: string): Buffer => readFileSync(sharedPath('feeds', path));

describe.skipIf(!HAS_SHARED)(`real feeds in legacy charsets decode to the right titles (${HAS_SHARED ? 'shared data present' : SHARED_SKIP_REASON})`, () => {
  it.each([
    ['real_news/miniflux_parser_testdata/encoding_WINDOWS-1251.xml', 'windows-1251', 'iBash.Org.Ru', 'Цитата #17703'],
    [
      'real_news/node-feedparser_feeds/iconv.xml',
      'windows-1251',
      'Новости Оренбурга и области / Раздел Новости',
      'В Бузулуке главные стройплощадки – детсад и Ледовый дворец',
    ],
    ['edge_cases/miniflux_encoding_testdata/koi8r.xml', 'koi8-r', 'Пример RSS ленты', 'Первая новость'],
    [
      'real_news/prof18_RSS-Parser_fixtures/feed-test-greek.xml',
      'iso-8859-7',
      'Liberal - ΕΠΙΚΑΙΡΟΤΗΤΑ',
      '«Πορτραίτα καραντίνας» για έμπνευση από τη συλλογή Φέλιου',
    ],
    [
      'real_news/rss-parser_fixtures/input/encoding.rss',
      'windows-1252',
      'Jornal de Notícias - Últimas Notícias',
      'Mãe de utente é a nova presidente da Raríssimas',
    ],
    [
      'real_news/feed-rs_fixtures/rss1/rss_1.0_iso8859.xml',
      'windows-1252',
      'Golem.de',
      'Digitalministerium: Neue Glasfaserförderung mit Schnellkasse',
    ],
  ])('%s (%s)', async (path, encoding, feedTitle, firstItemTitle) => {
    const feed = await parseFeed(feedFile(path));

    expect(feed.encoding).toBe(encoding);
    expect(feed.title).toBe(feedTitle);
    expect(feed.items[0]?.title).toBe(firstItemTitle);
  });

  it.each([
    ['edge_cases/simplepie_tests_data/feed-utf16le.xml', 'utf-16le', 'sniffed'],
    ['edge_cases/simplepie_tests_data/feed-utf16be.xml', 'utf-16be', 'sniffed'],
  ])('reads %s, UTF-16 without a BOM or declaration, as %s', async (path, encoding, source) => {
    const feed = await parseFeed(feedFile(path));

    expect(feed).toMatchObject({ encoding, encodingSource: source, title: 'Test feed' });
    expect(feed.items[0]?.title).toBe('Test feed title 1');
  });

  it.each([
    ['utf-16le-bom.xml', 'utf-16le', 'bom'],
    ['utf-16be-bom.xml', 'utf-16be', 'bom'],
    ['utf-16le.xml', 'utf-16le', 'sniffed'],
    ['utf-32le-bom.xml', 'utf-32le', 'bom'],
    ['utf-32be-bom.xml', 'utf-32be', 'bom'],
    ['utf-32be-autodetect.xml', 'utf-32be', 'sniffed'],
  ])('decodes the feedparser suite file %s as %s', (name, encoding, source) => {
    const decoded = decodeFeed(feedFile(`edge_cases/kurtmckee_feedparser_tests/encoding/${name}`));

    expect(decoded).toMatchObject({ encoding, source });
    expect(decoded.text).toMatch(/^<\?xml version="1\.0"/);
    expect(decoded.text).toContain('<rss>');
  });

  it.each([
    ['koi8r.xml', 'koi8-r', 'Как пережить новогоднюю ночь'],
    ['shiftjis.xml', 'shift_jis', 'DrecomRSSに記事投稿が反映されない…'],
    ['euckr.xml', 'euc-kr', 'EUC-KR 에서 TypeKey 한글닉네임 표시하기'],
    ['gb2312.xml', 'gb18030', '不归移民漫画系列：专业工作'],
    ['eucjp.xml', 'euc-jp', 'ゲーム三昧な正月'],
  ])('detects the charset of the unlabelled %s (%s)', async (name, encoding, firstItemTitle) => {
    const feed = await parseFeed(feedFile(`edge_cases/kurtmckee_feedparser_tests/illformed/chardet/${name}`));

    expect(feed).toMatchObject({ encoding, encodingSource: 'detected' });
    expect(feed.items[0]?.title).toBe(firstItemTitle);
  });

  it('keeps the euro sign of a windows-1252 feed and reads a mislabelled UTF-8 one as UTF-8', async () => {
    const labelled = await parseFeed(feedFile('edge_cases/miniflux_encoding_testdata/windows-1252.xml'));
    const mislabelled = await parseFeed(feedFile('edge_cases/miniflux_encoding_testdata/windows-1252-incorrect-prolog.xml'));

    expect(labelled.title).toBe('Euro €');
    expect(mislabelled).toMatchObject({ title: 'Euro €', encoding: 'utf-8' });
  });
});
