// End to end on the local runtime: demo feeds on loopback -> poller -> matcher -> deliverer -> webhook receivers
// that verify Standard Webhooks signatures with the `standardwebhooks` package.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertPayload, DeliveryMessage } from '#domain/types.js';
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '#local/runtime.js';
import { closeServer, startRecordingReceiver, type RecordedRequest } from '../helpers/http.js';
import { testRuntimeOptions } from '../helpers/runtime.js';

const PUTIN = "Russia's Putin plans to visit China in May";
const KENYA = 'Kenyan runner breaks the Berlin marathon record';

const options = (overrides: Partial<LocalRuntimeOptions> = {}): LocalRuntimeOptions => testRuntimeOptions({ demo: true, ...overrides });

async function pollEverythingNow(runtime: LocalRuntime): Promise<void> {
  const now = new Date().toISOString();
  for (const feed of await runtime.deps.feeds.list()) await runtime.deps.feeds.put({ ...feed, nextPollAt: now });
  await runtime.tick();
  await runtime.settle(20_000);
}

describe('local runtime, demo pipeline', () => {
  let runtime: LocalRuntime;

  beforeAll(async () => {
    runtime = await startLocalRuntime(options());
    await runtime.tick();
    await runtime.settle(20_000);
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  it('delivers exactly one verified alert per matching subscription and article, and none to the others', () => {
    const stats = runtime.receiver.stats();

    expect(stats.received).toBeGreaterThan(0);
    expect(stats.verified).toBe(stats.received);
    expect(stats.duplicates).toBe(0);
    expect(stats.bySubscription['demo-russia']).toEqual([PUTIN]);
    expect(stats.bySubscription['demo-china']).toEqual([PUTIN]);
    expect(stats.bySubscription['demo-diplomacy']).toEqual([PUTIN]);
    expect(stats.bySubscription['demo-kenya-sport']).toEqual([KENYA]);
    expect(stats.bySubscription['demo-new-zealand']).toBeUndefined();
  });

  it('says in each alert why it matched', () => {
    const alert = runtime.receiver.alerts.find((a) => a.subscriptionId === 'demo-russia')?.payload;

    expect(alert?.type).toBe('alert.created');
    expect(alert?.version).toBe('1');
    expect(alert?.reasons.countries.map((c) => c.code)).toEqual(['RU']);
    expect(alert?.classification.countries.find((c) => c.code === 'RU')?.role).toBe('primary');
  });

  it('carries in every alert a signed unsubscribe link that works', async () => {
    const alerts = runtime.receiver.alerts.map((a) => a.payload);
    const link = alerts.find((a) => a?.subscriptionId === 'demo-new-zealand' || a?.subscriptionId === 'demo-kenya-sport')?.unsubscribeUrl;

    expect(alerts.every((a) => typeof a?.unsubscribeUrl === 'string' && a.unsubscribeUrl.startsWith(runtime.url))).toBe(true);
    const confirm = await fetch(link!);
    expect(confirm.status).toBe(200);
    const forged = await fetch(link!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), { method: 'POST' });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    const done = await fetch(link!, { method: 'POST' });
    expect(done.status).toBeLessThan(300);
    expect((await runtime.deps.subscriptions.get('demo-kenya-sport'))?.status).toBe('disabled');
  });

  it('creates nothing when the unchanged feeds are polled again', async () => {
    const before = runtime.receiver.stats().received;
    const articlesBefore = (await runtime.deps.articles.listRecent({ limit: 200 })).length;

    await pollEverythingNow(runtime);

    expect(runtime.receiver.stats().received).toBe(before);
    expect((await runtime.deps.articles.listRecent({ limit: 200 })).length).toBe(articlesBefore);
    const feeds = await runtime.deps.feeds.list();
    expect(feeds.every((feed) => feed.health.lastStatus === 304 && feed.health.consecutiveFailures === 0)).toBe(true);
  });

  it('sends no second alert when a delivery message is duplicated', async () => {
    const delivered = runtime.receiver.alerts.find((a) => a.subscriptionId === 'demo-china')!.payload!;
    const duplicate: DeliveryMessage = {
      deliveryId: delivered.id,
      subscriptionId: 'demo-china',
      deliveryKey: delivered.article.storyId,
      alert: delivered,
    };
    const before = runtime.receiver.stats().received;

    await runtime.deps.deliveryQueue.send([{ body: duplicate }, { body: duplicate }]);
    await runtime.settle(20_000);

    expect(runtime.receiver.stats().received).toBe(before);
    expect(runtime.receiver.stats().duplicates).toBe(0);
  });
});

describe('local runtime, subscriptions through the API', () => {
  let runtime: LocalRuntime;
  let receiver: Server;
  let receiverUrl: string;
  let received: RecordedRequest[] = [];

  beforeAll(async () => {
    ({ server: receiver, url: receiverUrl, received } = await startRecordingReceiver());
    runtime = await startLocalRuntime(options());
  });
  afterAll(async () => {
    await runtime?.stop();
    await closeServer(receiver);
  });
  const auth = () => ({ authorization: `Bearer ${runtime.adminKey.key}` });

  it('delivers signed alerts to a webhook created through POST /subscriptions', async () => {
    const created = await fetch(`${runtime.url}/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth() },
      body: JSON.stringify({ name: 'Germany', countries: ['de'], channel: { type: 'webhook', url: receiverUrl } }),
    });
    expect(created.status).toBe(201);
    const subscription = (await created.json()) as { subscriptionId: string; channel: { secret: string } };
    expect(subscription.channel.secret).toMatch(/^whsec_/);

    await runtime.tick();
    await runtime.settle(20_000);

    expect(received.length).toBeGreaterThan(0);
    const verifier = new Webhook(subscription.channel.secret);
    const payloads = received.map((r) => verifier.verify(r.body, r.headers) as AlertPayload);
    expect(payloads.every((p) => p.subscriptionId === subscription.subscriptionId)).toBe(true);
    expect(payloads.every((p) => p.classification.countries.some((c) => c.code === 'DE'))).toBe(true);
    expect(new Set(payloads.map((p) => p.article.storyId)).size).toBe(payloads.length);
  });

  it('never shows a webhook secret after creation', async () => {
    const response = await fetch(`${runtime.url}/subscriptions`, { headers: auth() });
    const body = await response.text();

    expect(response.status).toBe(200);
    expect(body).not.toContain('whsec_');
  });

  it('answers bad input with 400 and the reason, never a crash', async () => {
    const json = { ...auth(), 'content-type': 'application/json' };
    const malformed = await fetch(`${runtime.url}/subscriptions`, { method: 'POST', headers: json, body: '{"countries": [' });
    const privateHook = await fetch(`${runtime.url}/subscriptions`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ countries: ['FR'], channel: { type: 'webhook', url: 'http://10.0.0.7/hook' } }),
    });
    const unknownCountry = await fetch(`${runtime.url}/subscriptions`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ countries: ['XX'], channel: { type: 'sns' } }),
    });
    // fetch sends a string body as text/plain unless told otherwise: not JSON, so 415.
    const plainText = await fetch(`${runtime.url}/subscriptions`, { method: 'POST', headers: auth(), body: JSON.stringify({ countries: ['FR'], channel: { type: 'sns' } }) });

    expect(plainText.status).toBe(415);
    expect(malformed.status).toBe(400);
    expect(privateHook.status).toBe(400);
    expect(await privateHook.text()).toContain('channel.url');
    expect(unknownCountry.status).toBe(400);
  });

  it('lists recent articles by country and by topic', async () => {
    const byCountry = (await (await fetch(`${runtime.url}/articles?country=RU`, { headers: auth() })).json()) as { articles: { title: string }[] };
    const byTopic = (await (await fetch(`${runtime.url}/articles?topic=medtop:15000000`, { headers: auth() })).json()) as { articles: { title: string }[] };

    expect(byCountry.articles.map((a) => a.title)).toContain(PUTIN);
    expect(byTopic.articles.map((a) => a.title)).toContain(KENYA);
    expect(byTopic.articles.map((a) => a.title)).not.toContain(PUTIN);
  });
});

describe('local runtime, persisted store', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'newsalert-store-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('reuses the store on restart and sends no alert twice', async () => {
    const first = await startLocalRuntime(options({ dataDir }));
    await first.tick();
    await first.settle(20_000);
    const firstAlerts = first.receiver.stats().received;
    await first.stop();

    const second = await startLocalRuntime(options({ dataDir }));
    try {
      await pollEverythingNow(second);

      expect(firstAlerts).toBeGreaterThan(0);
      expect(second.loadedDemo).toBe(false);
      expect(second.receiver.stats().received).toBe(0);
      expect((await second.deps.subscriptions.list()).length).toBe(5);
      // The admin key written on first start (mode 0600) still opens the API after the restart.
      expect(first.adminKey.created).toBe(true);
      expect(second.adminKey).toMatchObject({ key: first.adminKey.key, created: false });
      expect(statSync(join(dataDir, 'admin-key')).mode & 0o777).toBe(0o600);
      const listed = await fetch(`${second.url}/subscriptions`, { headers: { 'x-api-key': second.adminKey.key } });
      expect(listed.status).toBe(200);
    } finally {
      await second.stop();
    }
  });
});
