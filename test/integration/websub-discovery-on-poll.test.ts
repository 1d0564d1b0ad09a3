// WebSub hubs found by the poller, for feeds that never went through the API's validation fetch (seed feeds written
// at deploy, OPML imports): a publisher on loopback advertising a hub in its body or its Link header, a fake hub that
// records every subscription request (and verifies some, over HTTP, against the local runtime's callback route), and
// polls run through pollFeed over the local runtime's dynalite store.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listen, readBody, waitFor } from '../helpers/http.js';
import { newFeed } from '#domain/feed.js';
import type { ArticleEvent, Feed, WebSubSubscription } from '#domain/types.js';
import { pollFeed, type PollerDeps } from '#handlers/poller.js';
import { startLocalRuntime, type LocalRuntime } from '#local/runtime.js';

interface HubRequest {
  path: string;
  form: URLSearchParams;
}

/** What the publisher serves at one path: hub and self links in the body and/or the Link header. */
interface Publication {
  bodyHub?: string;
  bodySelf?: string;
  linkHeader?: string;
  etag?: string;
  titles: string[];
}

function feedXml(publication: Publication): string {
  const links = [
    publication.bodyHub !== undefined ? `<atom:link rel="hub" href="${publication.bodyHub}"/>` : '',
    publication.bodySelf !== undefined ? `<atom:link rel="self" type="application/rss+xml" href="${publication.bodySelf}"/>` : '',
  ].join('');
  const items = publication.titles
    .map(
      (title, i) =>
        `<item><title>${title}</title><link>https://pub.example/${encodeURIComponent(title)}</link><guid>g-${encodeURIComponent(title)}</guid><pubDate>Mon, 0${i + 1} Jun 2025 10:00:00 GMT</pubDate><description>${title} in detail.</description></item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Pub</title><link>https://pub.example/</link>${links}${items}</channel></rss>`;
}


describe('WebSub hub discovery on polls', () => {
  let runtime: LocalRuntime;
  let deps: PollerDeps;
  let hub: Server;
  let hubOrigin: string;
  let publisher: Server;
  let publisherOrigin: string;
  const hubRequests: HubRequest[] = [];
  const publications = new Map<string, Publication>();

  /** A feed as the seed-feeds custom resource or an OPML import leaves it: in the table, never validated. */
  async function seedFeed(path: string, publication: Publication, extra: Partial<Feed> = {}): Promise<Feed> {
    publications.set(path, publication);
    const feed = { ...newFeed({ url: `${publisherOrigin}${path}` }, new Date()), ...extra };
    expect(await runtime.deps.feeds.create(feed)).toBe(true);
    return feed;
  }

  function requestsFor(feedId: string): HubRequest[] {
    return hubRequests.filter((r) => r.form.get('hub.callback') === `${runtime.url}/websub/${feedId}`);
  }

  beforeAll(async () => {
    runtime = await startLocalRuntime({ port: 0, demo: false, catalogue: false, schedulerIntervalMs: 0, timeScale: 0.01, logLevel: 'SILENT', say: () => {} });
    // The poller as the runtime wired it; its host spacing shrinks with the time scale (10 ms), so these sequential
    // polls of one loopback host are not deferred.
    deps = runtime.functions.poller;
    hub = createServer((req, res) => {
      void readBody(req).then(async (text) => {
        const request: HubRequest = { path: req.url ?? '', form: new URLSearchParams(text) };
        hubRequests.push(request);
        if (request.path === '/broken-hub') {
          res.writeHead(500, { 'content-type': 'text/plain' }).end('hub is down');
          return;
        }
        res.writeHead(202).end();
        if (request.path !== '/verifying-hub') return;
        // As a real hub does once it has accepted: GET the callback with a challenge.
        const callback = new URL(request.form.get('hub.callback')!);
        callback.searchParams.set('hub.mode', 'subscribe');
        callback.searchParams.set('hub.topic', request.form.get('hub.topic')!);
        callback.searchParams.set('hub.challenge', 'challenge');
        callback.searchParams.set('hub.lease_seconds', '86400');
        await fetch(callback);
      });
    });
    hubOrigin = await listen(hub);
    publisher = createServer((req, res) => {
      const publication = publications.get(req.url ?? '');
      if (publication === undefined) {
        res.writeHead(404).end();
        return;
      }
      if (publication.etag !== undefined && req.headers['if-none-match'] === publication.etag) {
        res.writeHead(304, { etag: publication.etag }).end();
        return;
      }
      res
        .writeHead(200, {
          'content-type': 'application/rss+xml',
          ...(publication.etag !== undefined ? { etag: publication.etag } : {}),
          ...(publication.linkHeader !== undefined ? { link: publication.linkHeader } : {}),
        })
        .end(feedXml(publication));
    });
    publisherOrigin = await listen(publisher);
  });

  beforeEach(() => {
    hubRequests.length = 0;
  });

  afterAll(async () => {
    await runtime?.stop();
    for (const server of [hub, publisher]) await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  it('subscribes a seed feed to the hub its body advertises on its first poll, with the declared topic and our callback', async () => {
    // Prepare
    const topic = 'https://pub.example/canonical-feed.xml';
    const feed = await seedFeed('/seed.xml', { bodyHub: `${hubOrigin}/verifying-hub`, bodySelf: topic, titles: ['Seed story one', 'Seed story two'] });

    // Act
    const outcome = await pollFeed(deps, feed.feedId);

    // Assess
    expect(outcome).toMatchObject({ status: 'ok', created: 2 });
    const [request, ...others] = requestsFor(feed.feedId);
    expect(others).toEqual([]);
    expect(request?.path).toBe('/verifying-hub');
    expect(request?.form.get('hub.mode')).toBe('subscribe');
    expect(request?.form.get('hub.topic')).toBe(topic);
    expect(request?.form.get('hub.callback')).toBe(`${runtime.url}/websub/${feed.feedId}`);
    const verified = await waitFor(async () => {
      const stored = await runtime.deps.feeds.get(feed.feedId);
      return stored?.websub?.state === 'verified' ? stored : undefined;
    });
    expect(verified.websub).toMatchObject({ hub: `${hubOrigin}/verifying-hub`, topic, secret: request?.form.get('hub.secret') });
    expect(verified.health.lastSuccessAt).toBeDefined();
  });

  it('sends no second request on the next poll while the subscription is active', async () => {
    // Prepare
    const feedId = newFeed({ url: `${publisherOrigin}/seed.xml` }, new Date()).feedId;
    const before = (await runtime.deps.feeds.get(feedId))!.websub;
    expect(before?.state).toBe('verified');

    // Act
    const outcome = await pollFeed(deps, feedId);

    // Assess
    expect(outcome).toMatchObject({ status: 'ok' });
    expect(requestsFor(feedId)).toEqual([]);
    expect((await runtime.deps.feeds.get(feedId))?.websub).toEqual(before);
  });

  it('sends no second request while the hub has not verified the first', async () => {
    // Prepare
    const feed = await seedFeed('/pending.xml', { bodyHub: `${hubOrigin}/silent-hub`, titles: ['Pending story'] });
    await pollFeed(deps, feed.feedId);
    expect(requestsFor(feed.feedId)).toHaveLength(1);

    // Act
    const outcome = await pollFeed(deps, feed.feedId);

    // Assess
    expect(outcome).toMatchObject({ status: 'ok' });
    expect(requestsFor(feed.feedId)).toHaveLength(1);
    const stored = await runtime.deps.feeds.get(feed.feedId);
    // Without rel="self", the topic is the URL we fetch.
    expect(stored?.websub).toMatchObject({ state: 'pending', hub: `${hubOrigin}/silent-hub`, topic: feed.url });
  });

  it('keeps the poll successful when the hub answers 500: articles stored and announced, the error recorded', async () => {
    // Prepare
    const feed = await seedFeed('/broken.xml', { bodyHub: `${hubOrigin}/broken-hub`, titles: ['Story despite the hub', 'Second story despite the hub'] });
    const published: ArticleEvent[] = [];
    const recording: PollerDeps = { ...deps, articleEvents: { publish: async (event) => void published.push(event) } };

    // Act
    const outcome = await pollFeed(recording, feed.feedId);

    // Assess
    expect(outcome).toEqual({ status: 'ok', feedId: feed.feedId, items: 2, created: 2, updated: 0 });
    expect(requestsFor(feed.feedId)).toHaveLength(1);
    expect(published.map((e) => [e.type, e.article.title]).sort()).toEqual([
      ['article.created', 'Second story despite the hub'],
      ['article.created', 'Story despite the hub'],
    ]);
    const titles = (await runtime.deps.articles.listRecent({ limit: 100 })).map((a) => a.title);
    expect(titles).toEqual(expect.arrayContaining(['Story despite the hub', 'Second story despite the hub']));
    const stored = await runtime.deps.feeds.get(feed.feedId);
    expect(stored?.websub).toMatchObject({ state: 'failed', failures: 1, hub: `${hubOrigin}/broken-hub` });
    expect(stored?.websub?.reason).toMatch(/^http-500: hub is down/);
    expect(stored?.health).toMatchObject({ consecutiveFailures: 0 });
  });

  it('does not ask a hub that failed again before its backoff has passed, and asks once it has', async () => {
    // Prepare: the failure of the previous test is fresh; then it is made two hours old (the first backoff is one).
    const feedId = newFeed({ url: `${publisherOrigin}/broken.xml` }, new Date()).feedId;
    await pollFeed(deps, feedId);
    const noRetry = requestsFor(feedId).length;
    const failed = (await runtime.deps.feeds.get(feedId))!;
    const old: WebSubSubscription = { ...failed.websub!, requestedAt: new Date(Date.now() - 2 * 3_600_000).toISOString() };
    await runtime.deps.feeds.put({ ...failed, websub: old });

    // Act
    await pollFeed(deps, feedId);

    // Assess
    expect(noRetry).toBe(0);
    expect(requestsFor(feedId)).toHaveLength(1);
    expect((await runtime.deps.feeds.get(feedId))?.websub).toMatchObject({ state: 'failed', failures: 2 });
  });

  it('never looks for a hub on a 304', async () => {
    // Prepare: polled before (its ETag is stored), and the body it would serve advertises a hub.
    const feed = await seedFeed('/unchanged.xml', { bodyHub: `${hubOrigin}/silent-hub`, etag: '"v1"', titles: ['Old story'] }, { etag: '"v1"' });

    // Act
    const outcome = await pollFeed(deps, feed.feedId);

    // Assess
    expect(outcome).toEqual({ status: 'not-modified', feedId: feed.feedId });
    expect(hubRequests).toEqual([]);
    expect((await runtime.deps.feeds.get(feed.feedId))?.websub).toBeUndefined();
  });

  it('finds the hub and topic in the Link header when the body advertises none', async () => {
    // Prepare: a relative hub URL and a self link, as a header (WebSub 4).
    const topic = 'https://pub.example/topic-from-header';
    const feed = await seedFeed('/header.xml', {
      linkHeader: `<${hubOrigin}/silent-hub>; rel="hub", <${topic}>; rel="self"; title="a, b"`,
      titles: ['Header story'],
    });

    // Act
    const outcome = await pollFeed(deps, feed.feedId);

    // Assess
    expect(outcome).toMatchObject({ status: 'ok', created: 1 });
    const requests = requestsFor(feed.feedId);
    expect(requests.map((r) => [r.path, r.form.get('hub.topic')])).toEqual([['/silent-hub', topic]]);
    expect((await runtime.deps.feeds.get(feed.feedId))?.websub).toMatchObject({ state: 'pending', topic });
  });

  it('leaves a feed the hub denied alone', async () => {
    // Prepare
    const denied: WebSubSubscription = {
      hub: `${hubOrigin}/silent-hub`,
      topic: 'https://pub.example/denied',
      secret: 's',
      state: 'denied',
      requestedAt: new Date(Date.now() - 30 * 86_400_000).toISOString(),
      requestedLeaseSeconds: 86_400,
      failures: 0,
      reason: 'not allowed',
    };
    const feed = await seedFeed('/denied.xml', { bodyHub: `${hubOrigin}/silent-hub`, titles: ['Denied story'] }, { websub: denied });

    // Act
    await pollFeed(deps, feed.feedId);

    // Assess
    expect(hubRequests).toEqual([]);
    expect((await runtime.deps.feeds.get(feed.feedId))?.websub).toEqual(denied);
  });

  it('skips discovery when the poller has no callback URL (WebSub off)', async () => {
    // Prepare
    const feed = await seedFeed('/no-callback.xml', { bodyHub: `${hubOrigin}/silent-hub`, titles: ['Story without push'] });
    const { websub: _websub, ...withoutWebSub } = deps;

    // Act
    const outcome = await pollFeed(withoutWebSub, feed.feedId);

    // Assess
    expect(outcome).toMatchObject({ status: 'ok', created: 1 });
    expect(hubRequests).toEqual([]);
    expect((await runtime.deps.feeds.get(feed.feedId))?.websub).toBeUndefined();
  });
});
