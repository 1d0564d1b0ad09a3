// The /feeds routes on dynalite, fetching real feeds from a loopback server: validation on add, validation alone,
// OPML import and export. Routes are driven through the API router with an admin caller.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoFeedRepository } from '#adapters/dynamo/feeds-repository.js';
import { createFeedFetcher } from '#adapters/http/feed-fetcher.js';
import { assertUrlAllowed } from '#adapters/http/ssrf.js';
import { createWebSubConfig } from '#adapters/websub-hub-client.js';
import { feedRoutes, type FeedRoutesDeps } from '#handlers/api/feeds-routes.js';
import { handleApiRequest } from '#handlers/api/router.js';
import { createLogger } from '#shared/logger.js';
import { HAS_SHARED, SHARED_SKIP_REASON, sharedPath } from '../helpers/shared-dir.js';
import { startLocalTables, type LocalTables } from './dynamo/local-tables.js';

const RSS = readFileSync('test/fixtures/feeds/rss2.xml');
const HTML = readFileSync('test/fixtures/feeds/html-page.html');
/** A site's page announcing its feed (and a comments feed, second) in its head, relative to a <base>. */
const SITE_PAGE = `<!DOCTYPE html><html><head><title>Site</title><base href="/">
  <link rel="stylesheet" href="/style.css">
  <link rel="alternate" type="application/rss+xml" title="News" href="rss.xml">
  <link rel="alternate" type="application/atom+xml" title="Comments" href="/comments.atom">
</head><body><link rel="alternate" type="application/rss+xml" href="/not-this.xml"></body></html>`;

interface Answer {
  status: number;
  body: string;
  json: () => Record<string, unknown>;
}

describe('feeds API', () => {
  let local: LocalTables;
  let server: Server;
  let origin: string;
  let bare: Server;
  let bareOrigin: string;
  let deps: FeedRoutesDeps;

  beforeAll(async () => {
    local = await startLocalTables('feeds-api-test');
    server = createServer((req, res) => {
      if (req.url === '/rss.xml') return void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS);
      if (req.url === '/page.html') return void res.writeHead(200, { 'content-type': 'text/html' }).end(HTML);
      if (req.url === '/site/') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(SITE_PAGE);
      res.writeHead(404).end('missing');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // A site with a page and no feed anywhere: nothing to discover.
    bare = createServer((req, res) => {
      if (req.url === '/page.html') return void res.writeHead(200, { 'content-type': 'text/html' }).end(HTML);
      res.writeHead(404).end('missing');
    });
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    bareOrigin = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await new Promise<void>((resolve) => bare.close(() => resolve()));
    await local?.close();
  });
  beforeEach(async () => {
    deps = {
      feeds: new DynamoFeedRepository(local.doc, local.names.feeds),
      assertUrlAllowed: (url) => assertUrlAllowed(url, { allowLoopback: true }),
      fetcher: createFeedFetcher({ policy: { allowLoopback: true }, totalTimeoutMs: 5_000 }),
      clock: { now: () => new Date('2025-06-01T12:00:00Z') },
      logger: createLogger('feeds-api-test', 'SILENT'),
      randomBytes: (size) => new Uint8Array(size).fill(7),
      websub: createWebSubConfig('http://127.0.0.1:9', { allowLoopback: true }),
    };
    for (const feed of await deps.feeds.list()) await deps.feeds.delete(feed.feedId);
  });

  async function call(method: string, path: string, body?: string, contentType = 'application/json'): Promise<Answer> {
    const [rawPath, query] = path.split('?');
    const event = {
      version: '2.0',
      rawPath,
      rawQueryString: query ?? '',
      headers: { 'content-type': contentType },
      ...(query ? { queryStringParameters: Object.fromEntries(new URLSearchParams(query)) } : {}),
      requestContext: { http: { method } },
      ...(body !== undefined ? { body } : {}),
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    const result = await handleApiRequest(deps.logger, feedRoutes(deps), event, async () => ({ keyId: 'k', scope: 'admin', owner: 'admin' }));
    const text = result.body ?? '';
    return { status: result.statusCode ?? 0, body: text, json: () => JSON.parse(text) as Record<string, unknown> };
  }

  describe('validation on add', () => {
    it('adds a feed and says what it is: format, title, item count and a sample title', async () => {
      const added = await call('POST', '/feeds', JSON.stringify({ url: `${origin}/rss.xml` }));

      expect(added.status).toBe(201);
      const body = added.json();
      expect(body.url).toBe(`${origin}/rss.xml`);
      expect(body.validation).toMatchObject({ ok: true, format: 'rss', httpStatus: 200 });
      const validation = body.validation as { itemCount: number; title?: string; sampleTitle?: string };
      expect(validation.itemCount).toBeGreaterThan(0);
      expect(validation.title).toBeTruthy();
      expect(validation.sampleTitle).toBeTruthy();
    });

    it('adds a page that is not a feed by default, reporting the categorised problem', async () => {
      const added = await call('POST', '/feeds', JSON.stringify({ url: `${bareOrigin}/page.html` }));

      expect(added.status).toBe(201);
      expect(added.json().validation).toMatchObject({ ok: false, reason: 'not-a-feed' });
      expect(await deps.feeds.list()).toHaveLength(1);
    });

    it('refuses a page that is not a feed with ?validate=strict, with the reason, and stores nothing', async () => {
      const refused = await call('POST', '/feeds?validate=strict', JSON.stringify({ url: `${bareOrigin}/page.html` }));

      expect(refused.status).toBe(400);
      expect(refused.json().detail).toContain('the page names no feed');
      expect(refused.json()).toMatchObject({ type: 'urn:newsalert:problem:not-a-feed', title: 'Not a usable feed', status: 400, reason: 'not-a-feed' });
      expect(await deps.feeds.list()).toEqual([]);
    });

    it('refuses an HTTP 404 under strict validation with the status as reason', async () => {
      const refused = await call('POST', '/feeds?validate=strict', JSON.stringify({ url: `${origin}/gone.xml` }));

      expect(refused.status).toBe(400);
      expect(refused.json().reason).toBe('http-404');
    });

    it('adds a feed whose host does not resolve (no network must not block adding)', async () => {
      const added = await call('POST', '/feeds', JSON.stringify({ url: 'https://no-such-host.invalid/rss' }));

      expect(added.status).toBe(201);
      expect(added.json().validation).toMatchObject({ ok: false, reason: 'dns' });
    });

    it('refuses a private address before fetching anything', async () => {
      deps = { ...deps, assertUrlAllowed: (url) => assertUrlAllowed(url, { allowLoopback: false }) };

      const refused = await call('POST', '/feeds', JSON.stringify({ url: 'http://10.0.0.1/rss' }));

      expect(refused.status).toBe(400);
      expect(refused.body).toContain('blocked-address');
    });
  });

  it('follows a web page to the feed its <link rel="alternate"> announces, and adds that feed', async () => {
    // Act
    const validated = await call('POST', '/feeds/validate', JSON.stringify({ url: `${origin}/site/` }));
    const added = await call('POST', '/feeds?validate=strict', JSON.stringify({ url: `${origin}/site/` }));

    // Assess
    expect(validated.json().validation).toMatchObject({ ok: true, format: 'rss', discovered: { from: `${origin}/site/`, by: 'link', feedUrl: `${origin}/rss.xml` } });
    expect(added.status).toBe(201);
    expect(added.json().url).toBe(`${origin}/rss.xml`);
    expect((await deps.feeds.list()).map((feed) => feed.url)).toEqual([`${origin}/rss.xml`]);
  });

  it('falls back to the common feed paths of a site whose page names no feed', async () => {
    const validated = await call('POST', '/feeds/validate', JSON.stringify({ url: `${origin}/page.html` }));

    expect(validated.json().validation).toMatchObject({ ok: true, discovered: { by: 'common-path', feedUrl: `${origin}/rss.xml` } });
  });

  it('validates a URL without adding it', async () => {
    const answer = await call('POST', '/feeds/validate', JSON.stringify({ url: `${origin}/rss.xml` }));

    expect(answer.status).toBe(200);
    expect(answer.json().validation).toMatchObject({ ok: true, format: 'rss' });
    expect(await deps.feeds.list()).toEqual([]);
  });

  describe('OPML', () => {
    const OPML = `<opml><head><title>List</title></head><body><outline text="News & more">
      <outline text="One" xmlUrl="https://one.example/rss?a=1&b=2"/>
      <outline text="Two" xmlUrl="https://two.example/rss"/>
      <outline text="One again" xmlUrl="https://one.example/rss?a=1&amp;b=2"/>
      <outline text="Bad" xmlUrl="ftp://three.example/rss"/>
      <outline text="Private" xmlUrl="http://192.168.1.1/rss"/>
    </outline></body></opml>`;

    it('imports raw OPML: adds, skips repeats and existing feeds, refuses bad and private URLs with reasons', async () => {
      // Prepare
      deps = { ...deps, assertUrlAllowed: (url) => assertUrlAllowed(url, { allowLoopback: false }) };
      await call('POST', '/feeds?validate=none', JSON.stringify({ url: 'https://two.example/rss' }));

      // Act
      const answer = await call('POST', '/feeds/import?country=de', OPML, 'text/x-opml');

      // Assess
      expect(answer.status).toBe(200);
      const body = answer.json() as {
        added: { url: string; sourceName?: string }[];
        skipped: { url: string; reason: string }[];
        invalid: { url: string; reason: string }[];
      };
      expect(body.added).toEqual([expect.objectContaining({ url: 'https://one.example/rss?a=1&b=2', sourceName: 'One' })]);
      expect(body.skipped.map((s) => s.reason).sort()).toEqual(['duplicate', 'exists']);
      expect(body.invalid.map((i) => [i.url, i.reason])).toEqual([
        ['ftp://three.example/rss', 'invalid-url'],
        ['http://192.168.1.1/rss', 'blocked-address'],
      ]);
      const stored = await deps.feeds.list();
      expect(stored.find((f) => f.url === 'https://one.example/rss?a=1&b=2')?.sourceCountry).toBe('DE');
    });

    it('imports OPML sent as JSON, and a second import adds nothing', async () => {
      const first = await call('POST', '/feeds/import', JSON.stringify({ opml: OPML.replace(/<outline text="Private"[^>]*>/, '') }));
      const second = await call('POST', '/feeds/import', JSON.stringify({ opml: OPML.replace(/<outline text="Private"[^>]*>/, '') }));

      expect((first.json().added as unknown[]).length).toBe(2);
      expect(second.json().added).toEqual([]);
      expect((await deps.feeds.list()).length).toBe(2);
    });

    it('refuses a body that is not OPML: 400 when it claims to be XML, 415 when it says it is HTML', async () => {
      const claimsXml = await call('POST', '/feeds/import', '<html><body>no</body></html>', 'text/xml');
      const saysHtml = await call('POST', '/feeds/import', '<html><body>no</body></html>', 'text/html');

      expect(claimsXml.status).toBe(400);
      expect(saysHtml.status).toBe(415);
      expect(saysHtml.json()).toMatchObject({ status: 415, title: 'Unsupported Media Type' });
    });

    it('exports OPML 2.0 that imports back into an empty store without loss of URL or title', async () => {
      // Prepare
      await call('POST', '/feeds/import', OPML.replace(/<outline text="Private"[^>]*>/, ''), 'application/xml');
      const before = (await deps.feeds.list()).map((f) => [f.url, f.sourceName]).sort();

      // Act
      const exported = await call('GET', '/feeds/export');
      for (const feed of await deps.feeds.list()) await deps.feeds.delete(feed.feedId);
      const reimported = await call('POST', '/feeds/import', exported.body, 'text/x-opml');

      // Assess
      expect(exported.status).toBe(200);
      expect(exported.body).toContain('<opml version="2.0"');
      expect(reimported.json().invalid).toEqual([]);
      expect((await deps.feeds.list()).map((f) => [f.url, f.sourceName]).sort()).toEqual(before);
    });

    it.skipIf(!HAS_SHARED)(`imports a real list through the route (${HAS_SHARED ? 'shared data present' : SHARED_SKIP_REASON})`, async () => {
      const opml = HAS_SHARED ? readFileSync(sharedPath('feedlists/awesome-rss-feeds/recommended_with_category/Business & Economy.opml'), 'utf8') : '';

      const answer = await call('POST', '/feeds/import', opml, 'text/x-opml');

      expect(answer.status).toBe(200);
      expect((answer.json().added as unknown[]).length).toBeGreaterThan(0);
    });
  });
});
