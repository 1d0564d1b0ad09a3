// Every route of the API called on the local runtime (the handler API Gateway invokes, over dynalite and real
// loopback feeds and receivers), and every answer (status, media type, body) validated against the OpenAPI document
// the API serves. The last test checks that each operation was called and each documented success status seen.
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlertFailedEvent } from '#domain/alert.js';
import { keyIdOf } from '#domain/api-key.js';
import type { LocalRuntime } from '#local/runtime.js';
import { closeServer, listen, startRecordingReceiver, waitFor, type RecordedRequest } from '../helpers/http.js';
import { ContractValidator } from '../helpers/openapi.js';
import { startTestRuntime } from '../helpers/runtime.js';

const contract = new ContractValidator();
const problems: string[] = [];
const seen = new Map<string, Set<string>>();

let runtime: LocalRuntime;
let feedServer: Server;
/** A site of web pages only: a page there is not a feed, and discovery finds none (feedServer's /rss.xml it would). */
let pageServer: Server;
let pageOrigin: string;
let feedOrigin: string;
let ok: { server: Server; url: string; received: RecordedRequest[] };
let refusing: { server: Server; url: string; received: RecordedRequest[] };

interface Answer {
  status: number;
  text: string;
  headers: Headers;
  json: Record<string, unknown>;
}

async function call(method: string, path: string, options: { key?: string | null; body?: unknown; raw?: string; contentType?: string } = {}): Promise<Answer> {
  const key = options.key === undefined ? runtime.adminKey.key : options.key;
  const raw = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await fetch(runtime.url + path, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(raw !== undefined ? { 'content-type': options.contentType ?? 'application/json' } : {}),
    },
    ...(raw !== undefined ? { body: raw } : {}),
  });
  const text = await response.text();
  const pathOnly = path.split('?')[0]!;
  problems.push(...contract.checkResponse(method, pathOnly, response.status, response.headers.get('content-type') ?? undefined, text));
  const template = contract.templateOf(pathOnly, method);
  if (template !== undefined) {
    const operation = `${method} ${template}`;
    if (!seen.has(operation)) seen.set(operation, new Set());
    seen.get(operation)!.add(String(response.status));
  }
  const isJson = (response.headers.get('content-type') ?? '').includes('json');
  return { status: response.status, text, headers: response.headers, json: (isJson && text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

function rss(origin: string): string {
  const now = Date.now();
  const items = ['Paris hosts the climate summit', 'Berlin opens a new rail line', 'Madrid wins the final']
    .map((title, i) => `<item><title>${title}</title><link>${origin}/story/${i}</link><description>${title}, with details.</description><pubDate>${new Date(now - i * 60_000).toUTCString()}</pubDate></item>`)
    .join('');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Contract News</title><link>${origin}/</link>${items}</channel></rss>`;
}

beforeAll(async () => {
  feedServer = createServer((req, res) => {
    if (req.url === '/rss.xml') res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(feedOrigin));
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Not a feed</body></html>');
  });
  feedOrigin = await listen(feedServer);
  pageServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Not a feed</body></html>'));
  pageOrigin = await listen(pageServer);
  ok = await startRecordingReceiver(204);
  refusing = await startRecordingReceiver(400);
  runtime = await startTestRuntime();
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  for (const server of [feedServer, pageServer, ok?.server, refusing?.server]) if (server) await closeServer(server);
});

let feedId: string;
let subscriptionId: string;

describe('API contract on the local runtime: meta, feeds, router, articles, keys', () => {
  it('meta: health and the document', async () => {
    expect((await call('GET', '/health', { key: null })).status).toBe(200);
    expect((await call('GET', '/openapi.json', { key: null })).json.openapi).toBe('3.1.0');
  });

  it('feeds: add, conflicts, refusals, list, read, validate, import, export, remove', async () => {
    const added = await call('POST', '/feeds', { body: { url: `${feedOrigin}/rss.xml`, sourceName: 'Contract News', sourceCountry: 'FR' } });
    expect(added.status).toBe(201);
    feedId = String(added.json.feedId);

    expect((await call('POST', '/feeds', { body: { url: `${feedOrigin}/rss.xml` } })).status).toBe(409);
    expect((await call('POST', '/feeds?validate=strict', { body: { url: `${pageOrigin}/page.html` } })).json).toMatchObject({ status: 400, reason: 'not-a-feed' });
    expect((await call('POST', '/feeds', { raw: 'url=x', contentType: 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await call('POST', '/feeds', { raw: JSON.stringify({ url: 'x'.repeat(70_000) }) })).status).toBe(413);
    expect((await call('POST', '/feeds?validate=maybe', { body: { url: `${feedOrigin}/rss.xml` } })).status).toBe(400);
    expect((await call('GET', '/feeds')).json.feeds).toHaveLength(1);
    expect((await call('GET', `/feeds/${feedId}`)).json.feedId).toBe(feedId);
    expect((await call('GET', '/feeds/f_doesNotExist')).status).toBe(404);
    expect((await call('GET', '/feeds/not%20an%20id')).status).toBe(400);
    expect((await call('POST', '/feeds/validate', { body: { url: `${feedOrigin}/rss.xml` } })).json.validation).toMatchObject({ ok: true, itemCount: 3 });
    const opml = `<?xml version="1.0"?><opml version="2.0"><body><outline type="rss" text="Second" xmlUrl="${feedOrigin}/second.xml"/></body></opml>`;
    const imported = await call('POST', '/feeds/import', { raw: opml, contentType: 'text/x-opml' });
    expect(imported.json.added).toHaveLength(1);
    expect((await call('GET', '/feeds/export')).text).toContain('xmlUrl');
    const second = (imported.json.added as { feedId: string }[])[0]!.feedId;
    expect((await call('DELETE', `/feeds/${second}`)).status).toBe(204);
    expect((await call('DELETE', `/feeds/${second}`)).status).toBe(404);
  });

  it('router: unknown route 404, wrong method 405, unknown parameter 400, no key 401', async () => {
    expect((await call('GET', '/nowhere')).status).toBe(404);
    const wrongMethod = await call('PUT', '/feeds', { body: {} });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, POST');
    expect((await call('GET', '/feeds?q=putin')).json).toMatchObject({ status: 400, errors: [{ path: 'q', message: 'unknown query parameter' }] });
    expect((await call('GET', '/feeds', { key: null })).status).toBe(401);
  });

  it('articles: what the feed brought, newest first', async () => {
    await runtime.tick();
    await runtime.settle(20_000);
    const articles = await waitFor(async () => {
      const answer = await call('GET', '/articles?limit=10');
      return (answer.json.articles as unknown[] | undefined)?.length === 3 ? (answer.json.articles as { title: string }[]) : undefined;
    }, 20_000);
    expect(articles[0]!.title).toBe('Paris hosts the climate summit');
    expect((await call('GET', '/articles?topic=politics')).status).toBe(400);
  });

  it('keys: list, create, refuse an owner key, refuse self-revocation, revoke', async () => {
    expect((await call('GET', '/keys')).status).toBe(200);
    const created = await call('POST', '/keys', { body: { scope: 'owner', owner: 'carol' } });
    expect(created.status).toBe(201);
    expect((await call('GET', '/keys', { key: String(created.json.key) })).status).toBe(403);
    expect((await call('DELETE', `/keys/${keyIdOf(runtime.adminKey.key)!}`)).status).toBe(409);
    expect((await call('DELETE', `/keys/${String(created.json.keyId)}`)).status).toBe(204);
    expect((await call('DELETE', '/keys/0123456789abcdef')).status).toBe(404);
  });

});

describe('API contract on the local runtime: subscriptions, deliveries, events, unsubscribe', () => {
  it('subscriptions: create, read, change, pause, resume, snooze, rotate, test, deliveries, preview', async () => {
    const created = await call('POST', '/subscriptions', { body: { countries: ['FR'], channel: { type: 'webhook', url: ok.url } } });
    expect(created.status).toBe(201);
    subscriptionId = String(created.json.subscriptionId);
    const one = `/subscriptions/${subscriptionId}`;

    expect((await call('GET', '/subscriptions')).json.subscriptions).toHaveLength(1);
    expect((await call('GET', one)).json.channel).not.toHaveProperty('secret');
    expect((await call('PUT', one, { body: { countries: ['FR', 'DE'], channel: { type: 'webhook', url: ok.url } } })).status).toBe(200);
    expect((await call('PATCH', one, { body: { name: 'France and Germany' } })).json.name).toBe('France and Germany');
    expect((await call('POST', `${one}/pause`)).json.status).toBe('paused');
    expect((await call('POST', `${one}/test`)).status).toBe(409);
    expect((await call('POST', `${one}/resume`)).json.status).toBe('active');
    expect((await call('POST', `${one}/snooze`, { body: { until: new Date(Date.now() + 3_600_000).toISOString() } })).status).toBe(200);
    await call('POST', `${one}/resume`);
    expect((await call('POST', `${one}/rotate-secret`, { body: { graceSeconds: 60 } })).json.graceSeconds).toBe(60);
    expect((await call('POST', `${one}/test`)).status).toBe(202);
    await runtime.settle(20_000);
    const deliveries = await waitFor(async () => {
      const answer = await call('GET', `${one}/deliveries`);
      return (answer.json.deliveries as unknown[]).length > 0 ? answer.json.deliveries : undefined;
    });
    expect(deliveries).toMatchObject([{ status: 'delivered' }]);
    expect((await call('GET', `${one}/preview`)).json.matched).toBeGreaterThan(0);
    expect((await call('GET', `${one}/failures`)).json.failures).toEqual([]);
    expect((await call('GET', '/subscriptions/sub_nobody')).status).toBe(404);
  });

  it('the test alert a receiver got is the documented test event, and an alert.created', async () => {
    const payload = JSON.parse(await waitFor(() => ok.received.at(-1)?.body)) as unknown;

    expect(contract.checkEvent('test', payload)).toEqual([]);
    expect(contract.checkEvent('alert.created', payload)).toEqual([]);
  });

  it('failures: a refused delivery is listed, replayed, and its alert.failed event fits the document', async () => {
    const created = await call('POST', '/subscriptions', { body: { countries: ['FR'], channel: { type: 'webhook', url: refusing.url } } });
    const one = `/subscriptions/${String(created.json.subscriptionId)}`;
    await call('POST', `${one}/test`);
    await runtime.settle(20_000);
    const failure = await waitFor(async () => {
      const failures = (await call('GET', `${one}/failures`)).json.failures as { articleId: string }[];
      return failures[0];
    });
    const record = await runtime.deps.deliveries.getFailure(String(created.json.subscriptionId), failure.articleId);

    expect(contract.checkEvent('alert.failed', buildAlertFailedEvent(record!, new Date()))).toEqual([]);
    expect((await call('POST', `${one}/deliveries/${failure.articleId}/replay`)).status).toBe(202);
    expect((await call('POST', `${one}/deliveries/test_unknown/replay`)).status).toBe(404);
    expect((await call('POST', '/deliveries/dlq/redrive')).status).toBe(202);
  });

  it('unsubscribe: the link shows a form, unsubscribes, and a wrong token is a 404', async () => {
    const link = new URL(runtime.deps.unsubscribeLinks!.urlFor(subscriptionId));
    const path = link.pathname + link.search;

    expect((await call('GET', path, { key: null })).text).toContain('<form');
    expect((await call('POST', path, { key: null })).text).toContain('Unsubscribed');
    expect((await call('GET', `${link.pathname}?token=wrong`, { key: null })).status).toBe(404);
    expect((await call('DELETE', `/subscriptions/${subscriptionId}`)).status).toBe(204);
  });

  it('console: the page and its script without a key, and the preview of a draft', async () => {
    expect((await call('GET', '/', { key: null })).text).toContain('<title>newsalert console</title>');
    expect((await call('GET', '/console/console.js', { key: null })).status).toBe(200);
    const draft = await call('POST', '/subscriptions/preview', { body: { countries: ['FR'], topics: [], keywords: [] } });
    expect(draft.json).toMatchObject({ days: 7, alerts: { held: { rateCap: 0 } } });
  });

});

describe('API contract on the local runtime: coverage', () => {
  it('every answer fits the document, every operation was called, every documented success seen', () => {
    const missing: string[] = [];
    for (const [template, item] of Object.entries(contract.document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const statuses = seen.get(`${method.toUpperCase()} ${template}`);
        if (statuses === undefined) missing.push(`${method.toUpperCase()} ${template} never called`);
        for (const status of Object.keys(operation.responses).filter((s) => s.startsWith('2'))) {
          if (!statuses?.has(status)) missing.push(`${method.toUpperCase()} ${template} never answered ${status}`);
        }
      }
    }

    expect(problems).toEqual([]);
    expect(missing).toEqual([]);
  });
});
