// A WebSub push is ingested as a poll's body is, not as a poll: on the local runtime (each function composed as its
// Lambda is), an article pushed by one outlet's hub joins the story of the same event polled from another outlet,
// its event carries the IPTC ancestors of its topics, and the push leaves the feed's poll health alone. The
// callback as its Lambda composes it, on dynalite, adds ancestors the classifier did not name.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { composeWebSubCallback } from '#compose/websub.js';
import { newFeed } from '#domain/feed.js';
import { topicWithAncestors } from '#domain/topic-tree.js';
import { handleApiRequest } from '#handlers/api/router.js';
import type { ArticleEvent, Feed } from '#domain/types.js';
import { pollFeed } from '#handlers/poller.js';
import { websubCallbackRoutes } from '#handlers/websub-callback.js';
import type { LocalQueue } from '#local/bus.js';
import type { LocalRuntime } from '#local/runtime.js';
import { createLogger } from '#shared/logger.js';
import { SAME_STORY_PAIRS, type StoryText } from '../fixtures/stories.js';
import { listen } from '../helpers/http.js';
import { testPlatform } from '../helpers/platform.js';
import { startTestRuntime } from '../helpers/runtime.js';
import { startLocalTables, type LocalTables } from './dynamo/local-tables.js';

const { a: polledText, b: pushedText } = SAME_STORY_PAIRS[0]!;
const SECRET = 'a-hub-secret-for-the-pushing-outlet';

function rss(outlet: string, id: string, text: StoryText): string {
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${outlet}</title><link>https://${outlet}/</link>
<item><title>${text.title}</title><link>https://${outlet}/${id}</link><description>${text.summary.replace(/&/g, '&amp;')}</description>
<pubDate>Thu, 08 Aug 2024 07:00:00 GMT</pubDate></item></channel></rss>`;
}

describe('a WebSub push on the local runtime', () => {
  let runtime: LocalRuntime;
  let publisher: Server;
  let publisherOrigin: string;
  /** Stands for an SNS subscriber of the articles topic: what the pipeline published, with its attributes. */
  let articlesReader: LocalQueue<unknown>;

  beforeAll(async () => {
    runtime = await startTestRuntime();
    publisher = createServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('polled.example', 'quake', polledText)));
    publisherOrigin = await listen(publisher);
    articlesReader = runtime.bus.createQueue('articles-reader', { visibilityTimeoutSeconds: 30, maxReceiveCount: 5 });
    runtime.bus.topic('articles').subscribeQueue(articlesReader, { rawMessageDelivery: true });
  });
  afterAll(async () => {
    articlesReader?.purge();
    await runtime?.stop();
    await new Promise<void>((resolve) => publisher?.close(() => resolve()));
  });

  /** A feed of the pushing outlet with a verified subscription, as the hub's verification of intent leaves it. */
  async function subscribedFeed(): Promise<Feed> {
    const now = Date.now();
    const feed: Feed = {
      ...newFeed({ url: 'https://pushed.example/rss', sourceName: 'Pushed Outlet' }, new Date(now)),
      websub: {
        hub: 'https://hub.example/',
        topic: 'https://pushed.example/rss',
        secret: SECRET,
        state: 'verified',
        requestedAt: new Date(now - 60_000).toISOString(),
        requestedLeaseSeconds: 864_000,
        verifiedAt: new Date(now - 30_000).toISOString(),
        leaseExpiresAt: new Date(now + 864_000_000).toISOString(),
        failures: 0,
      },
    };
    await runtime.deps.feeds.create(feed);
    return feed;
  }

  it('joins the story of the same event polled from another outlet, with the parent topics in its attributes', async () => {
    // Prepare: one outlet's article arrives by a poll.
    const polledFeed = newFeed({ url: `${publisherOrigin}/rss` }, new Date());
    await runtime.deps.feeds.create(polledFeed);
    expect(await pollFeed(runtime.functions.poller, polledFeed.feedId)).toMatchObject({ status: 'ok', created: 1 });
    const [polled] = await runtime.deps.articles.listRecent({ limit: 10 });
    const pushedFeed = await subscribedFeed();
    const body = rss('pushed.example', 'tsunami', pushedText);

    // Act: the other outlet's hub pushes its version.
    const answer = await fetch(`${runtime.url}/websub/${pushedFeed.feedId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/rss+xml', 'x-hub-signature': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` },
      body,
    });

    // Assess
    expect(answer.status).toBe(200);
    const pushed = (await runtime.deps.articles.listRecent({ limit: 10 })).find((article) => article.feedId === pushedFeed.feedId);
    expect(pushed).toMatchObject({ url: 'https://pushed.example/tsunami', sourceName: 'Pushed Outlet', storyId: polled?.articleId });
    expect(pushed?.articleId).not.toBe(polled?.articleId);
    const event = articlesReader.peek().find((message) => (JSON.parse(message.body) as ArticleEvent).article.articleId === pushed?.articleId);
    const codes = (JSON.parse(event?.messageAttributes.topics?.stringValue ?? '[]') as string[]).sort();
    const expected = [...new Set(pushed?.classification.topics.flatMap((topic) => topicWithAncestors(topic.code)))].sort();
    expect(pushed?.classification.topics.length).toBeGreaterThan(0);
    expect(codes).toEqual(expected);
  });

  it('is not taken for a poll: the health stays, the push is stamped and polling is put off', async () => {
    // Prepare
    const feed = await subscribedFeed();
    const body = rss('pushed.example', 'another', { title: 'Harbour reopens after repairs in Northport', summary: 'The harbour of Northport reopened on Monday after three weeks of repairs to its main pier.' });
    const before = (await runtime.deps.feeds.get(feed.feedId))!;

    // Act
    const answer = await fetch(`${runtime.url}/websub/${feed.feedId}`, {
      method: 'POST',
      headers: { 'x-hub-signature': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` },
      body,
    });

    // Assess
    expect(answer.status).toBe(200);
    const after = (await runtime.deps.feeds.get(feed.feedId))!;
    expect(after.health).toEqual(before.health);
    expect(after.websub?.lastPushAt).toBeDefined();
    expect(Date.parse(after.nextPollAt)).toBeGreaterThan(Date.parse(before.nextPollAt));
  });
});

describe('the WebSub callback as its Lambda composes it', () => {
  let local: LocalTables;

  beforeAll(async () => {
    local = await startLocalTables('websub-callback-compose');
  });
  afterAll(async () => {
    await local?.close();
  });

  it('publishes a pushed article with every ancestor of its topics in the topics attribute', async () => {
    // Prepare: a classifier that names one deep topic only, none of its parents.
    const deep = DEEP_TOPIC;
    expect(topicWithAncestors(deep)).toEqual([deep, 'medtop:20000002', 'medtop:01000000']);
    const platform = testPlatform(local);
    const deps = {
      ...composeWebSubCallback(platform, { logger: createLogger('websub-compose-test', 'SILENT') }),
      classify: () => ({ language: 'en', topics: [{ code: deep, label: deep, score: 0.9, evidence: [] }], countries: [], classifierVersion: 'test' }),
    };
    const feed = newFeed({ url: 'https://deep.example/rss' }, new Date());
    await deps.feeds.create({ ...feed, websub: { hub: 'https://hub.example/', topic: feed.url, secret: SECRET, state: 'verified', requestedAt: feed.createdAt, requestedLeaseSeconds: 864_000, failures: 0 } });
    const body = rss('deep.example', 'deep', pushedText);
    const event = {
      version: '2.0',
      rawPath: `/websub/${feed.feedId}`,
      headers: { 'x-hub-signature': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` },
      requestContext: { http: { method: 'POST' } },
      body: Buffer.from(body).toString('base64'),
      isBase64Encoded: true,
    } as unknown as APIGatewayProxyEventV2;

    // Act
    const answer = await handleApiRequest(deps.logger, websubCallbackRoutes(deps), event, async () => undefined);

    // Assess
    expect(answer.statusCode).toBe(200);
    const published = platform.published.articles.map((message) => JSON.parse(message.attributes.topics?.StringValue ?? '[]') as string[]);
    // Every ancestor, broadest first (topicCodesWithAncestors), as the poller publishes them.
    expect(published).toEqual([['medtop:01000000', 'medtop:20000002', deep]]);
  });
});

/** A third-level IPTC topic (its parent, medtop:20000002, is second-level under arts and culture). */
const DEEP_TOPIC = 'medtop:20000003';
