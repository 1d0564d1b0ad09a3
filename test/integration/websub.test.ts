// WebSub end to end on loopback: a publisher advertising a hub, a fake hub that really calls back (verification of
// intent over HTTP to the local runtime's callback route, then signed pushes), and the local runtime taking pushes
// through the poller's code path.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, readBody, waitFor } from '../helpers/http.js';
import { discoverWebSub } from '#adapters/websub-discovery.js';
import { newFeed } from '#domain/feed.js';
import { validateFeedUrl } from '#handlers/api/feed-validation.js';
import { renewDueWebSubLeases, subscribeFeedToHub } from '#handlers/websub-subscriber.js';
import { startLocalRuntime, type LocalRuntime } from '#local/runtime.js';

interface HubRequest {
  form: URLSearchParams;
  verification?: { status: number; body: string };
}

function feedXml(hub: string, self: string, titles: string[]): string {
  const items = titles
    .map((title, i) => `<item><title>${title}</title><link>https://pub.example/${encodeURIComponent(title)}</link><guid>g-${title}</guid><pubDate>Mon, 0${i + 1} Jun 2025 10:00:00 GMT</pubDate><description>${title} in detail.</description></item>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Pub</title><link>https://pub.example/</link>
<atom:link rel="hub" href="${hub}"/><atom:link rel="self" type="application/rss+xml" href="${self}"/>${items}</channel></rss>`;
}


describe('WebSub on the local runtime', () => {
  let runtime: LocalRuntime;
  let publisher: Server;
  let hub: Server;
  let hubUrl: string;
  let feedUrl: string;
  const hubRequests: HubRequest[] = [];
  let feedId: string;

  beforeAll(async () => {
    runtime = await startLocalRuntime({ port: 0, demo: false, catalogue: false, schedulerIntervalMs: 0, timeScale: 0.01, logLevel: 'SILENT', say: () => {} });
    hub = createServer((req, res) => {
      void readBody(req).then(async (text) => {
        const request: HubRequest = { form: new URLSearchParams(text) };
        hubRequests.push(request);
        res.writeHead(202).end();
        // A real hub verifies after accepting: GET the callback with a challenge.
        const callback = new URL(request.form.get('hub.callback')!);
        callback.searchParams.set('hub.mode', 'subscribe');
        callback.searchParams.set('hub.topic', request.form.get('hub.topic')!);
        callback.searchParams.set('hub.challenge', `challenge-${hubRequests.length}`);
        callback.searchParams.set('hub.lease_seconds', request.form.get('hub.lease_seconds') ?? '3600');
        const answer = await fetch(callback);
        request.verification = { status: answer.status, body: await answer.text() };
      });
    });
    hubUrl = `${await listen(hub)}/hub`;
    publisher = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feedXml(hubUrl, feedUrl, ['First story']));
    });
    feedUrl = `${await listen(publisher)}/feed.xml`;
  });
  afterAll(async () => {
    await runtime?.stop();
    for (const server of [hub, publisher]) await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  it('subscribes when the validated feed advertises a hub, and the hub verification echoes the challenge', async () => {
    // Prepare
    const validation = await validateFeedUrl(runtime.functions.api, feedUrl);
    expect(validation.ok && validation.websub).toEqual({ hubs: [hubUrl], self: feedUrl });
    const feed = newFeed({ url: feedUrl }, new Date());
    feedId = feed.feedId;
    await runtime.deps.feeds.create(feed);

    // Act
    const outcome = await subscribeFeedToHub(runtime.functions.api, feed, validation.ok ? validation.websub! : { hubs: [] });

    // Assess
    expect(outcome).toEqual({ status: 'requested', hub: hubUrl, topic: feedUrl });
    const request = await waitFor(() => hubRequests[0]?.verification && hubRequests[0]);
    expect(request.form.get('hub.mode')).toBe('subscribe');
    expect(request.form.get('hub.callback')).toBe(`${runtime.url}/websub/${feedId}`);
    expect(request.form.get('hub.secret')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(request.verification).toEqual({ status: 200, body: 'challenge-1' });
    const stored = await runtime.deps.feeds.get(feedId);
    expect(stored?.websub).toMatchObject({ state: 'verified', hub: hubUrl, topic: feedUrl });
    expect(Date.parse(stored!.websub!.leaseExpiresAt!) - Date.now()).toBeGreaterThan(9 * 86_400_000);
  });

  it('refuses a verification for a topic it never asked about', async () => {
    const callback = `${runtime.url}/websub/${feedId}?hub.mode=subscribe&hub.topic=${encodeURIComponent('https://evil.example/')}&hub.challenge=x`;

    const answer = await fetch(callback);

    expect(answer.status).toBe(404);
    expect(await answer.text()).not.toContain('x');
  });

  it('takes a signed push through the ingest core: the pushed item is stored and polling is deferred', async () => {
    // Prepare
    const secret = hubRequests[0]!.form.get('hub.secret')!;
    const body = feedXml(hubUrl, feedUrl, ['First story', 'Pushed story about Kenya']);
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

    // Act
    const answer = await fetch(`${runtime.url}/websub/${feedId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/rss+xml', 'x-hub-signature': signature },
      body,
    });
    await runtime.settle(10_000);

    // Assess
    expect(answer.status).toBe(200);
    const titles = (await runtime.deps.articles.listRecent({ limit: 50 })).map((a) => a.title);
    expect(titles).toContain('Pushed story about Kenya');
    const feed = await runtime.deps.feeds.get(feedId);
    expect(feed?.websub?.lastPushAt).toBeDefined();
    expect(Date.parse(feed!.nextPollAt) - Date.now()).toBeGreaterThan(feed!.pollIntervalSeconds * 1000 * 1.5);
  });

  it('rejects a push with a wrong signature and stores nothing from it', async () => {
    const body = feedXml(hubUrl, feedUrl, ['Forged story']);
    const forged = `sha256=${createHmac('sha256', 'not-the-secret').update(body).digest('hex')}`;
    const before = await runtime.deps.feeds.get(feedId);

    const answer = await fetch(`${runtime.url}/websub/${feedId}`, { method: 'POST', headers: { 'x-hub-signature': forged }, body });
    const unsigned = await fetch(`${runtime.url}/websub/${feedId}`, { method: 'POST', body });
    await runtime.settle(10_000);

    expect(answer.status).toBe(403);
    expect(unsigned.status).toBe(403);
    expect((await runtime.deps.articles.listRecent({ limit: 50 })).map((a) => a.title)).not.toContain('Forged story');
    expect(await runtime.deps.feeds.get(feedId)).toEqual(before);
  });

  it('renews a lease about to lapse with the same secret, and the hub verifies the renewal', async () => {
    // Prepare: the lease ends in a minute.
    const feed = (await runtime.deps.feeds.get(feedId))!;
    await runtime.deps.feeds.put({ ...feed, websub: { ...feed.websub!, leaseExpiresAt: new Date(Date.now() + 60_000).toISOString() } });

    // Act
    const result = await renewDueWebSubLeases(runtime.functions.websubRenewer);

    // Assess
    expect(result).toEqual({ requested: 1, failed: 0 });
    const renewal = await waitFor(() => hubRequests[1]?.verification && hubRequests[1]);
    expect(renewal.form.get('hub.secret')).toBe(hubRequests[0]!.form.get('hub.secret'));
    expect(renewal.verification).toEqual({ status: 200, body: 'challenge-2' });
    const renewed = await runtime.deps.feeds.get(feedId);
    expect(Date.parse(renewed!.websub!.leaseExpiresAt!) - Date.now()).toBeGreaterThan(9 * 86_400_000);
    expect(await renewDueWebSubLeases(runtime.functions.websubRenewer)).toEqual({ requested: 0, failed: 0 });
  });

  it('answers 404 for a feed it has no subscription for', async () => {
    const answer = await fetch(`${runtime.url}/websub/f_unknown?hub.mode=subscribe&hub.topic=t&hub.challenge=c`);

    expect(answer.status).toBe(404);
  });

  it('finds hub and self links in Atom too, resolving relative hrefs', () => {
    const atom = Buffer.from('<feed xmlns="http://www.w3.org/2005/Atom"><link rel="hub" href="/hub"/><link rel="self" href="https://a.example/atom"/><entry><link rel="hub" href="https://late.example/"/></entry></feed>');

    expect(discoverWebSub(atom, 'https://a.example/atom')).toEqual({ hubs: ['https://a.example/hub'], self: 'https://a.example/atom' });
  });
});
