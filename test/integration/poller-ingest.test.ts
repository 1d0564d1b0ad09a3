// The poller end to end on real DynamoDB (dynalite) and real HTTP feeds on loopback: what a re-poll writes, how an
// edit and a cross-outlet duplicate come out, and how the publisher's and the host's limits set the next poll.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoArticleRepository } from '#adapters/dynamo/articles-repository.js';
import { DynamoFeedRepository } from '#adapters/dynamo/feeds-repository.js';
import { DynamoHostLimiter } from '#adapters/dynamo/host-limiter.js';
import { composePoller } from '#compose/poller.js';
import { newFeed } from '#domain/feed.js';
import type { ArticleRepository, QueueMessage, StoryIndex } from '#domain/ports.js';
import type { ArticleEvent, PollMessage } from '#domain/types.js';
import { DEFAULT_SETTINGS } from '#handlers/deps.js';
import { pollFeed, type PollerDeps } from '#handlers/poller.js';
import { createLogger } from '#shared/logger.js';
import { SAME_STORY_PAIRS, type StoryText } from '../fixtures/stories.js';
import { testPlatform } from '../helpers/platform.js';
import { startLocalTables, type LocalTables } from './dynamo/local-tables.js';

const logger = createLogger('test', 'SILENT');

interface Route {
  status?: number;
  headers?: Record<string, string>;
  body: string;
  etag?: string;
}

function rss(items: { id: string; text: StoryText; date?: string }[], channelExtra = ''): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<?xml version="1.0"?><rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel>
<title>Loopback</title><link>https://loopback.example/</link>${channelExtra}
${items
  .map(
    ({ id, text, date }) =>
      `<item><title>${escape(text.title)}</title><link>https://loopback.example/${id}</link><description>${escape(text.summary)}</description>${date ? `<pubDate>${date}</pubDate>` : ''}</item>`,
  )
  .join('\n')}
</channel></rss>`;
}

/** Counts every article and story-index write the poller makes. */
function countingArticles(inner: ArticleRepository, writes: string[]): ArticleRepository {
  return {
    putIfNew: (a, t) => (writes.push('putIfNew'), inner.putIfNew(a, t)),
    markAnnounced: (id, r) => (writes.push('markAnnounced'), inner.markAnnounced(id, r)),
    getState: (id) => inner.getState(id),
    create: (a, t) => (writes.push('create'), inner.create(a, t)),
    update: (p, n, t) => (writes.push('update'), inner.update(p, n, t)),
    get: (id, o) => inner.get(id, o),
    listRecent: (f) => inner.listRecent(f),
    listRecentPage: (f) => inner.listRecentPage(f),
  };
}

function countingStories(inner: StoryIndex, writes: string[]): StoryIndex {
  return {
    findCandidates: (k, s) => inner.findCandidates(k, s),
    record: (e, k, t) => (writes.push('story'), inner.record(e, k, t)),
  };
}

describe('poller ingestion on dynalite and loopback', () => {
  let local: LocalTables;
  let server: Server;
  let origin: string;
  const routes = new Map<string, Route>();
  const requests: { path: string; at: number }[] = [];
  let feeds: DynamoFeedRepository;
  let articles: DynamoArticleRepository;

  beforeAll(async () => {
    local = await startLocalTables('poller-ingest-test');
    feeds = new DynamoFeedRepository(local.doc, local.names.feeds);
    articles = new DynamoArticleRepository(local.doc, local.names.articles);
    server = createServer((req: IncomingMessage, res) => {
      const path = req.url ?? '/';
      requests.push({ path, at: Date.now() });
      const route = routes.get(path);
      if (!route) return void res.writeHead(404).end();
      if (route.etag && req.headers['if-none-match'] === route.etag) return void res.writeHead(304, { etag: route.etag, ...route.headers }).end();
      res
        .writeHead(route.status ?? 200, { 'content-type': 'application/rss+xml', ...(route.etag ? { etag: route.etag } : {}), ...route.headers })
        .end(route.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await local.close();
  });

  /** The poller as its Lambda composes it, over these tables, with its writes and events counted. */
  function deps(overrides: Partial<PollerDeps> & { events?: ArticleEvent[]; writes?: string[] } = {}): PollerDeps {
    const { events = [], writes = [], ...rest } = overrides;
    // Every feed here is on one loopback host: the politeness spacing would defer all polls but the first.
    const composed = composePoller(testPlatform(local, { polling: { hostSpacingMs: 0 } }), { logger });
    return {
      ...composed,
      articles: countingArticles(composed.articles, writes),
      stories: countingStories(composed.stories, writes),
      articleEvents: { publish: async (event) => void events.push(event) },
      ...rest,
    };
  }

  async function addFeed(feedId: string, path: string, route: Route) {
    routes.set(path, route);
    await feeds.create(newFeed({ url: origin + path, feedId }, new Date()));
  }

  const secondsUntil = (iso: string) => (Date.parse(iso) - Date.now()) / 1000;

  it('answers a 304 with zero article writes and no event, and a 200 with unchanged items likewise', async () => {
    // Prepare
    const body = rss([{ id: 'n1', text: SAME_STORY_PAIRS[1]!.a }]);
    await addFeed('etag-feed', '/etag.xml', { body, etag: '"v1"' });
    await pollFeed(deps(), 'etag-feed');
    const events: ArticleEvent[] = [];
    const writes: string[] = [];

    // Act
    const notModified = await pollFeed(deps({ events, writes }), 'etag-feed');
    routes.set('/etag.xml', { body }); // no validators: a full 200 with the same item
    const unchanged = await pollFeed(deps({ events, writes }), 'etag-feed');

    // Assess
    expect(notModified.status).toBe('not-modified');
    expect(unchanged).toMatchObject({ status: 'ok', created: 0, updated: 0 });
    expect(writes).toEqual([]);
    expect(events).toEqual([]);
    const stored = (await feeds.get('etag-feed'))!;
    expect(stored.health.notModifiedRatio).toBeCloseTo(1 / 3, 2);
  });

  it('turns an edited item into exactly one article.updated that keeps the story and the first-seen data', async () => {
    // Prepare
    const original = { title: 'Floods kill 40 in southern Brazil', summary: 'Heavy rain in Rio Grande do Sul left 40 people dead and thousands homeless, officials said.' };
    const edited = { title: 'Floods kill 57 in southern Brazil', summary: 'Heavy rain in Rio Grande do Sul left 57 people dead and 70,000 homeless, officials said on Monday.' };
    await addFeed('edit-feed', '/edit.xml', { body: rss([{ id: 'flood', text: original }]) });
    const events: ArticleEvent[] = [];
    await pollFeed(deps({ events }), 'edit-feed');
    const first = events[0]!.article;

    // Act
    routes.set('/edit.xml', { body: rss([{ id: 'flood', text: edited }]) });
    const editPoll = await pollFeed(deps({ events }), 'edit-feed');
    const repoll = await pollFeed(deps({ events }), 'edit-feed');
    routes.set('/edit.xml', { body: rss([{ id: 'flood', text: { title: `  ${edited.title.toUpperCase()} `, summary: `${edited.summary}.` } }]) });
    const cosmetic = await pollFeed(deps({ events }), 'edit-feed');

    // Assess
    expect(events.map((e) => e.type)).toEqual(['article.created', 'article.updated']);
    expect(editPoll).toMatchObject({ created: 0, updated: 1 });
    expect(repoll).toMatchObject({ created: 0, updated: 0 });
    expect(cosmetic).toMatchObject({ created: 0, updated: 0 });
    const update = events[1]!;
    expect(update.eventId).toBe(`article.updated:${first.articleId}:r1`);
    expect(update.article).toMatchObject({ articleId: first.articleId, storyId: first.storyId, fetchedAt: first.fetchedAt, revision: 1, title: edited.title });
    expect(await articles.get(first.articleId)).toMatchObject({ title: edited.title, revision: 1 });
  });

  it('re-announces an edit whose event was lost, once', async () => {
    // Prepare
    await addFeed('lost-feed', '/lost.xml', { body: rss([{ id: 'lost', text: SAME_STORY_PAIRS[2]!.a }]) });
    await pollFeed(deps(), 'lost-feed');
    routes.set('/lost.xml', { body: rss([{ id: 'lost', text: SAME_STORY_PAIRS[2]!.b }]) });
    let fail = true;
    const events: ArticleEvent[] = [];
    const flaky = deps({
      articleEvents: {
        publish: async (event) => {
          if (fail) throw new Error('SNS down');
          events.push(event);
        },
      },
    });

    // Act
    await expect(pollFeed(flaky, 'lost-feed')).rejects.toThrow('SNS down');
    fail = false;
    await pollFeed(flaky, 'lost-feed');
    await pollFeed(flaky, 'lost-feed');

    // Assess
    expect(events.map((e) => `${e.type}:${e.article.revision ?? 0}`)).toEqual(['article.updated:1']);
  });

  it('gives two outlets’ versions of one story the same storyId, and a different event its own', async () => {
    // Prepare
    const { a, b } = SAME_STORY_PAIRS[0]!;
    const rain = { title: 'Heavy rain warning issued for Kyushu as typhoon approaches Japan', summary: 'The Japan Meteorological Agency issued heavy rain warnings for Miyazaki and Kagoshima prefectures on the island of Kyushu on Friday as Typhoon Shanshan moved north.' };
    await addFeed('outlet-a', '/outlet-a.xml', { body: rss([{ id: 'a-quake', text: a }]) });
    await addFeed('outlet-b', '/outlet-b.xml', { body: rss([{ id: 'b-quake', text: b }, { id: 'b-rain', text: rain }]) });
    const events: ArticleEvent[] = [];

    // Act
    await pollFeed(deps({ events }), 'outlet-a');
    await pollFeed(deps({ events }), 'outlet-b');

    // Assess
    const byTitle = new Map(events.map((e) => [e.article.title, e.article]));
    const first = byTitle.get(a.title)!;
    const second = byTitle.get(b.title)!;
    expect(events.every((e) => e.type === 'article.created')).toBe(true);
    expect(second.articleId).not.toBe(first.articleId);
    expect(second.storyId).toBe(first.articleId);
    expect(byTitle.get(rain.title)!.storyId).toBe(byTitle.get(rain.title)!.articleId);
  });

  it('honours Retry-After of a 429 in nextPollAt', async () => {
    // Prepare
    await addFeed('busy-feed', '/busy.xml', { status: 429, headers: { 'retry-after': '7200' }, body: 'slow down' });

    // Act
    const outcome = await pollFeed(deps(), 'busy-feed');

    // Assess
    const stored = (await feeds.get('busy-feed'))!;
    expect(outcome).toMatchObject({ status: 'failed', reason: 'http-429' });
    expect(secondsUntil(stored.nextPollAt)).toBeGreaterThan(7100);
    expect(stored.health).toMatchObject({ intervalBasis: 'retry-after', state: 'backing-off' });
  });

  it('waits at least Cache-Control max-age, and at least the RSS ttl, before the next poll', async () => {
    // Prepare
    const recent = new Date(Date.now() - 60_000).toUTCString();
    const items = [{ id: 'cache-1', text: SAME_STORY_PAIRS[1]!.b, date: recent }];
    await addFeed('max-age-feed', '/max-age.xml', { headers: { 'cache-control': 'public, max-age=5400' }, body: rss(items) });
    await addFeed('ttl-feed', '/ttl.xml', { body: rss(items, '<ttl>120</ttl>') });

    // Act
    await pollFeed(deps(), 'max-age-feed');
    await pollFeed(deps(), 'ttl-feed');

    // Assess
    const maxAge = (await feeds.get('max-age-feed'))!;
    const ttl = (await feeds.get('ttl-feed'))!;
    expect(maxAge.health.intervalBasis).toBe('max-age');
    expect(secondsUntil(maxAge.nextPollAt)).toBeGreaterThan(5300);
    expect(ttl.health.intervalBasis).toBe('ttl');
    expect(ttl.hints).toEqual({ ttlSeconds: 7200 });
    expect(secondsUntil(ttl.nextPollAt)).toBeGreaterThan(7100);
  });

  it('adapts the interval to the publish rate within the configured bounds', async () => {
    // Prepare: a busy feed (an item a minute) and a dormant one (nothing for a month)
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toUTCString();
    const busy = Array.from({ length: 40 }, (_, i) => ({ id: `busy-${i}`, text: { title: `Market update number ${i}`, summary: `Shares moved ${i} points.` }, date: minutesAgo(i + 1) }));
    const dormant = [{ id: 'dormant-1', text: { title: 'Annual report published', summary: 'The yearly figures are out.' }, date: minutesAgo(60 * 24 * 30) }];
    await addFeed('rate-busy', '/rate-busy.xml', { body: rss(busy) });
    await addFeed('rate-dormant', '/rate-dormant.xml', { body: rss(dormant) });
    const bounded = deps({ settings: { ...DEFAULT_SETTINGS, polling: { minIntervalSeconds: 120, maxIntervalSeconds: 3600 } } });

    // Act
    await pollFeed(bounded, 'rate-busy');
    await pollFeed(bounded, 'rate-dormant');

    // Assess
    const fast = (await feeds.get('rate-busy'))!;
    const slow = (await feeds.get('rate-dormant'))!;
    expect(fast.health).toMatchObject({ intervalBasis: 'publish-rate', nextIntervalSeconds: 120 });
    expect(slow.health).toMatchObject({ intervalBasis: 'publish-rate', nextIntervalSeconds: 3600 });
    expect(secondsUntil(fast.nextPollAt)).toBeLessThanOrEqual(120);
    expect(secondsUntil(slow.nextPollAt)).toBeGreaterThan(3500);
  });

  it('spaces fetches to one host across two concurrent pollers, putting the refused poll back with a delay', async () => {
    // Prepare: two feeds on the same host, two pollers sharing the lease table
    const body = rss([{ id: 'spaced', text: SAME_STORY_PAIRS[2]!.b }]);
    await addFeed('host-1', '/host-1.xml', { body });
    await addFeed('host-2', '/host-2.xml', { body });
    const requeued: QueueMessage<PollMessage>[] = [];
    const pollerFor = () =>
      deps({
        hostLimiter: new DynamoHostLimiter(local.doc, local.names.ingest, { maxConcurrent: 2, minSpacingMs: 1_500 }),
        pollQueue: { send: async (messages) => void requeued.push(...messages) },
      });
    const before = requests.length;
    // The earlier tests' polls (unspaced) started fetches on this host moments ago: wait out a spacing first.
    await new Promise((resolve) => setTimeout(resolve, 1_600));

    // Act
    const [one, two] = await Promise.all([pollFeed(pollerFor(), 'host-1'), pollFeed(pollerFor(), 'host-2')]);
    const fetchedNow = requests.slice(before).map((r) => r.path);
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    const deferred = requeued[0]!;
    const retried = await pollFeed(pollerFor(), deferred.body.feedId, deferred.body);

    // Assess
    const outcomes = [one, two].map((o) => o.status).sort();
    expect(outcomes).toEqual(['deferred', 'ok']);
    expect(fetchedNow).toHaveLength(1);
    expect(requeued).toHaveLength(1);
    expect(deferred.delaySeconds).toBeGreaterThanOrEqual(1);
    expect(deferred.delaySeconds).toBeLessThanOrEqual(2);
    expect(deferred.body.deferrals).toBe(1);
    expect(retried.status).toBe('ok');
    const starts = requests.slice(before).map((r) => r.at);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(1_500);
  });

  it('stores absolute URLs for relative Atom links: xml:base on the entry, else the URL fetched after a redirect', async () => {
    // Prepare: an Atom feed with no link of its own, reached through a redirect
    const body = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Relative</title>
<entry><id>urn:rel:1</id><title>Harbour ferry timetable changes from Monday</title><link href="stories/ferry"/></entry>
<entry xml:base="/archive/2024/"><id>urn:rel:2</id><title>Lighthouse opens its steps to visitors</title><link href="lighthouse"/></entry>
</feed>`;
    routes.set('/relative/feeds/atom.xml', { body, headers: { 'content-type': 'application/atom+xml' } });
    await addFeed('relative-feed', '/relative/old.xml', { status: 302, headers: { location: '/relative/feeds/atom.xml' }, body: '' });
    const events: ArticleEvent[] = [];

    // Act
    const result = await pollFeed(deps({ events }), 'relative-feed');

    // Assess
    expect(result).toMatchObject({ status: 'ok', created: 2 });
    expect(events.map((event) => event.article.url).sort()).toEqual([`${origin}/archive/2024/lighthouse`, `${origin}/relative/feeds/stories/ferry`]);
  });
});
