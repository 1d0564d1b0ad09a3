// The reader's limits (limits.ts): what a poll takes of a feed that is too big, and what it refuses, with which reason.
import { describe, expect, it } from 'vitest';
import { parseFeed } from '#adapters/reader/index.js';
import { FEED_LIMITS, FIELD_LIMITS } from '#adapters/reader/limits.js';
import { deepTitleFeed, deepXhtmlFeed, manyItemsFeed } from '../../../helpers/hostile-feeds.js';
import { parseError } from '../../../helpers/parse-error.js';

function rss(items: string): Buffer {
  return Buffer.from(`<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>${items}</channel></rss>`);
}

describe('reader limits', () => {
  it('takes the newest items of a feed over the item cap, whatever their order, and says what it dropped', async () => {
    // Prepare: oldest first, so the newest are at the end of the document.
    const { body } = manyItemsFeed(1_000);

    // Act
    const feed = await parseFeed(body);

    // Assess
    expect(feed.items).toHaveLength(FEED_LIMITS.maxItems);
    const indexes = feed.items.map((item) => Number(item.guid?.slice('item-'.length)));
    expect(Math.min(...indexes)).toBe(1_000 - FEED_LIMITS.maxItems);
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    expect(feed.dropped).toEqual({
      count: 1_000 - FEED_LIMITS.maxItems,
      reason: 'items-cap',
      detail: `Kept the newest ${FEED_LIMITS.maxItems} of 1000 items; 700 over the ${FEED_LIMITS.maxItems}-item cap`,
    });
  });

  it('keeps undated items in document order after the dated ones', async () => {
    const items = ['<item><guid>undated-1</guid></item>', '<item><guid>dated</guid><pubDate>Mon, 01 Jun 2026 10:00:00 GMT</pubDate></item>', '<item><guid>undated-2</guid></item>'];

    const feed = await parseFeed(rss(items.join('')), { limits: { ...FEED_LIMITS, maxItems: 2 } });

    expect(feed.items.map((item) => item.guid)).toEqual(['undated-1', 'dated']);
    expect(feed.dropped?.count).toBe(1);
  });

  it('drops the items beyond the parse budget, newest kept, and names the budget', async () => {
    const { body } = manyItemsFeed(50, { descriptionBytes: 10_000 });

    const feed = await parseFeed(body, { limits: { ...FEED_LIMITS, maxParsedChars: 100_000 } });

    expect(feed.items.length).toBeGreaterThan(0);
    expect(feed.items.length).toBeLessThan(10);
    expect(feed.items.at(-1)?.guid).toBe('item-49');
    expect(feed.dropped?.reason).toBe('size-budget');
    expect(feed.dropped?.detail).toContain('beyond the parse budget (100000 characters');
  });

  it('leaves a feed within the limits untouched', async () => {
    expect((await parseFeed(manyItemsFeed(FEED_LIMITS.maxItems).body)).dropped).toBeUndefined();
  });

  it('cuts long fields and drops references no URL is that long', async () => {
    const longLink = `https://a.example/${'x'.repeat(FIELD_LIMITS.reference)}`;
    const body = rss(
      `<item><title>${'t'.repeat(5_000)}</title><link>${longLink}</link><guid>g</guid>` +
        `<description>${'d'.repeat(200_000)}</description>${'<category>c</category>'.repeat(80)}</item>`,
    );

    const [item] = (await parseFeed(body)).items;

    expect(item?.title).toHaveLength(FIELD_LIMITS.title);
    expect(item?.summaryHtml).toHaveLength(FIELD_LIMITS.html);
    expect(item?.link).toBeUndefined();
    expect(item?.guid).toBe('g');
  });

  it('refuses elements nested deeper than the limit, naming the line', async () => {
    const error = await parseError(deepTitleFeed(5_000).body);

    expect(error.reason).toBe('too-deep');
    expect(error.message).toBe(`Elements nested deeper than ${FEED_LIMITS.maxDepth} levels (line 2)`);
  });

  it('turns a stack overflow in any walk into a FeedError, were the depth limit ever lifted', async () => {
    // XHTML content is rebuilt by xml2js's builder, recursively: lifted limits let it overflow the stack.
    const error = await parseFeed(deepXhtmlFeed(50_000).body, { limits: { ...FEED_LIMITS, maxDepth: 1_000_000 } }).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ name: 'FeedError', reason: 'too-deep' });
  });

  it('refuses a body over the size limit whoever hands it in', async () => {
    const error = await parseError(Buffer.alloc(FEED_LIMITS.maxBodyBytes + 1, 0x20));

    expect(error.reason).toBe('too-large');
  });

  it('refuses a feed with more elements outside its items than the limit', async () => {
    const error = await parseError(rss('<x/>'.repeat(FEED_LIMITS.maxOtherElements + 1)));

    expect(error).toMatchObject({ reason: 'too-many-elements' });
  });

  it('takes the newest items of a JSON Feed over the cap', async () => {
    const items = Array.from({ length: 400 }, (_, index) => ({ id: `j${index}`, url: `https://j.example/${index}`, date_published: new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString() }));
    const body = Buffer.from(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'J', items }));

    const feed = await parseFeed(body);

    expect(feed.items).toHaveLength(FEED_LIMITS.maxItems);
    expect(feed.items[0]?.guid).toBe('j100');
    expect(feed.dropped).toMatchObject({ count: 100, reason: 'items-cap' });
  });
});
