// The API's side of the web console: the page and its files as public routes with their security headers, and the
// draft preview the editor calls while a subscription is being written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHandler } from '#handlers/api/index.js';
import type { LocalRuntime } from '#local/runtime.js';
import { createLambdaContext } from '#local/bus.js';
import { startTestRuntime } from '../helpers/runtime.js';

describe('console routes and the draft preview', () => {
  let runtime: LocalRuntime;
  let ownerKey: string;
  const api = (path: string, init: RequestInit & { key?: string } = {}) =>
    fetch(runtime.url + path, {
      ...init,
      headers: { ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}) },
    });

  beforeAll(async () => {
    runtime = await startTestRuntime({ demo: true });
    await runtime.tick();
    await runtime.settle(30_000);
    const created = await api('/keys', { method: 'POST', key: runtime.adminKey.key, body: JSON.stringify({ scope: 'owner', owner: 'bob' }) });
    ownerKey = ((await created.json()) as { key: string }).key;
  }, 120_000);

  afterAll(async () => runtime?.stop());

  it('serves the console without a key, with CSP, nosniff and no referrer', async () => {
    // Act
    const page = await api('/');

    // Assess
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'.*script-src 'self'/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await page.text()).toContain('<title>newsalert console</title>');
  });

  it('answers 404 for a file the build lacks and 400 for a name that is not a file name', async () => {
    expect((await api('/console/missing.js')).status).toBe(404);
    expect((await api('/console/..%2Fpackage.json')).status).toBe(400);
  });

  it('previews a draft: matches, stories and the messages after the rate cap, with its channel ignored', async () => {
    // Act
    const answer = await api('/subscriptions/preview', {
      method: 'POST',
      key: ownerKey,
      // A half-typed channel must not stop the preview.
      body: JSON.stringify({ topics: ['medtop:11000000'], countries: ['RU'], keywords: [], channel: { type: 'webhook', url: 'htt' } }),
    });

    // Assess
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { matched: number; alerts: { stories: number; messages: number }; samples: { title: string }[] };
    expect(body.samples.map((s) => s.title)).toContain("Russia's Putin plans to visit China in May");
    expect(body.alerts.stories).toBeGreaterThanOrEqual(1);
    expect(body.alerts.messages).toBe(body.alerts.stories);
    expect(body.matched).toBeGreaterThanOrEqual(body.alerts.stories);
    // Nothing was saved.
    const listed = (await (await api('/subscriptions', { key: ownerKey })).json()) as { subscriptions: unknown[] };
    expect(listed.subscriptions).toEqual([]);
  });

  it('refuses a draft with a bad field, naming it, and a caller without a key', async () => {
    // Act
    const bad = await api('/subscriptions/preview', { method: 'POST', key: ownerKey, body: JSON.stringify({ topics: ['medtop:99999999'], countries: [], keywords: [] }) });
    const anonymous = await api('/subscriptions/preview', { method: 'POST', body: JSON.stringify({ topics: [], countries: [], keywords: [] }) });

    // Assess
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('topics');
    expect(anonymous.status).toBe(401);
  });

  it('answers 404 on a deployment built without a console', async () => {
    // Prepare
    const { consoleAssets: _none, ...deps } = runtime.functions.api;
    const handler = createApiHandler(deps);

    // Act
    const result = await handler(
      { rawPath: '/', headers: {}, requestContext: { http: { method: 'GET' }, requestId: 'r1' } } as never,
      createLambdaContext({ functionName: 'api', timeoutMs: 10_000 }),
    );

    // Assess
    expect(result.statusCode).toBe(404);
  });
});
