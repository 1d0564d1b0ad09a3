// Subscription operations end to end on the local runtime: test-fire through the delivery queue, secret rotation
// with a grace period, the signed unsubscribe link, the paged delivery log, preview, and updates.
import type { Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertPayload } from '#domain/types.js';
import type { LocalRuntime } from '#local/runtime.js';
import { closeServer, startRecordingReceiver, type RecordedRequest } from '../helpers/http.js';
import { startTestRuntime } from '../helpers/runtime.js';

const PUTIN = "Russia's Putin plans to visit China in May";

let runtime: LocalRuntime;
let receiver: Server;
let receiverUrl: string;
let received: RecordedRequest[] = [];

async function call(method: string, path: string, body?: unknown, key = runtime.adminKey.key) {
  const response = await fetch(runtime.url + path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text, json: (text && text.startsWith('{') ? JSON.parse(text) : {}) as Record<string, unknown> };
}

async function createWebhookSubscription(): Promise<{ id: string; secret: string }> {
  const created = await call('POST', '/subscriptions', { countries: ['NZ'], channel: { type: 'webhook', url: receiverUrl } });
  expect(created.status).toBe(201);
  return { id: created.json.subscriptionId as string, secret: (created.json.channel as { secret: string }).secret };
}

async function testFire(id: string): Promise<{ headers: Record<string, string>; body: string }> {
  const before = received.length;
  const fired = await call('POST', `/subscriptions/${id}/test`);
  expect(fired.status).toBe(202);
  await runtime.settle(20_000);
  expect(received.length).toBe(before + 1);
  return received[received.length - 1]!;
}

beforeAll(async () => {
  ({ server: receiver, url: receiverUrl, received } = await startRecordingReceiver(204));
  runtime = await startTestRuntime({ demo: true });
  await runtime.tick();
  await runtime.settle(20_000);
});
afterAll(async () => {
  await runtime?.stop();
  await closeServer(receiver);
});

describe('test-fire', () => {
  it('sends one signed synthetic alert, with an unsubscribe link, through the delivery queue', async () => {
    // Prepare
    const { id, secret } = await createWebhookSubscription();

    // Act
    const delivered = await testFire(id);

    // Assess
    const alert = new Webhook(secret).verify(delivered.body, delivered.headers) as AlertPayload;
    expect(alert).toMatchObject({ type: 'alert.created', subscriptionId: id, article: { title: 'newsalert test alert' } });
    expect(alert.unsubscribeUrl).toMatch(new RegExp(`^${runtime.url}/unsubscribe/${id}\\?token=`));
  });

  it('refuses to test a paused subscription', async () => {
    const { id } = await createWebhookSubscription();
    await call('POST', `/subscriptions/${id}/pause`);

    const fired = await call('POST', `/subscriptions/${id}/test`);

    expect(fired.status).toBe(409);
    expect(fired.json.detail).toContain('paused');
  });
});

describe('secret rotation', () => {
  it('returns the new secret once, and signs with both secrets during the grace period', async () => {
    // Prepare
    const { id, secret: oldSecret } = await createWebhookSubscription();

    // Act
    const rotated = await call('POST', `/subscriptions/${id}/rotate-secret`, { graceSeconds: 3600 });
    const delivered = await testFire(id);
    const read = await call('GET', `/subscriptions/${id}`);

    // Assess
    const newSecret = rotated.json.secret as string;
    expect(rotated.status).toBe(200);
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    expect(Date.parse(rotated.json.previousSecretExpiresAt as string) - Date.now()).toBeGreaterThan(3_500_000);
    expect(delivered.headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(() => new Webhook(oldSecret).verify(delivered.body, delivered.headers)).not.toThrow();
    expect(() => new Webhook(newSecret).verify(delivered.body, delivered.headers)).not.toThrow();
    expect(read.text).not.toContain('whsec_');
  });

  it('retires the old secret at once with a grace of 0', async () => {
    const { id, secret: oldSecret } = await createWebhookSubscription();

    await call('POST', `/subscriptions/${id}/rotate-secret`, { graceSeconds: 0 });
    const delivered = await testFire(id);

    expect(delivered.headers['webhook-signature']?.split(' ')).toHaveLength(1);
    expect(() => new Webhook(oldSecret).verify(delivered.body, delivered.headers)).toThrow();
  });

  it('refuses to rotate a channel without a secret', async () => {
    const created = await call('POST', '/subscriptions', { countries: ['FR'], channel: { type: 'sns' } });

    const rotated = await call('POST', `/subscriptions/${created.json.subscriptionId as string}/rotate-secret`);

    expect(rotated.status).toBe(400);
    expect(rotated.text).toContain('channel.type');
  });
});

describe('unsubscribe link', () => {
  it('shows a confirmation on GET and unsubscribes on POST, without any API key', async () => {
    // Prepare
    const { id, secret } = await createWebhookSubscription();
    const delivered = await testFire(id);
    const alert = new Webhook(secret).verify(delivered.body, delivered.headers) as AlertPayload;
    const link = alert.unsubscribeUrl!;

    // Act
    const page = await fetch(link);
    const stillActive = (await runtime.deps.subscriptions.get(id))?.status;
    const done = await fetch(link, { method: 'POST' });
    const again = await fetch(link, { method: 'POST' });

    // Assess
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    expect(stillActive).toBe('active');
    expect(done.status).toBe(200);
    expect(again.status).toBe(200);
    expect(await runtime.deps.subscriptions.get(id)).toMatchObject({ status: 'disabled', statusReason: expect.stringContaining('unsubscribed') as unknown });
  });

  it('answers 404 to a token of another subscription or a forged one', async () => {
    const first = await createWebhookSubscription();
    const second = await createWebhookSubscription();
    const firstLink = runtime.deps.unsubscribeLinks!.urlFor(first.id);
    const token = new URL(firstLink).searchParams.get('token')!;

    const swapped = await fetch(`${runtime.url}/unsubscribe/${second.id}?token=${token}`, { method: 'POST' });
    const forged = await fetch(`${runtime.url}/unsubscribe/${first.id}?token=${'A'.repeat(43)}`, { method: 'POST' });

    expect(swapped.status).toBe(404);
    expect(forged.status).toBe(404);
    expect((await runtime.deps.subscriptions.get(second.id))?.status).toBe('active');
  });
});

describe('updates and state', () => {
  it('replaces settings with PUT but keeps the secret, the owner and the state', async () => {
    // Prepare
    const { id, secret } = await createWebhookSubscription();
    await call('POST', `/subscriptions/${id}/pause`);

    // Act
    const put = await call('PUT', `/subscriptions/${id}`, {
      topics: ['medtop:11000000'],
      countries: [],
      query: '"state visit" OR summit',
      languages: ['EN'],
      frequency: { mode: 'daily', timeZone: 'Europe/Paris', at: '08:00' },
      quietHours: { start: '22:00', end: '07:00', timeZone: 'Europe/Paris' },
      rateCapPerHour: 10,
      receiveStoryUpdates: true,
      channel: { type: 'webhook', url: receiverUrl },
    });
    const stored = await runtime.deps.subscriptions.get(id);

    // Assess
    expect(put.status).toBe(200);
    expect(put.text).not.toContain('whsec_');
    expect(stored).toMatchObject({
      status: 'paused',
      countries: [],
      languages: ['en'],
      query: '"state visit" OR summit',
      frequency: { mode: 'daily', timeZone: 'Europe/Paris', at: '08:00' },
      rateCapPerHour: 10,
      channel: { type: 'webhook', url: receiverUrl, secret },
    });
  });

  it('snoozes until a future time, refuses a past one, and resume clears the snooze', async () => {
    const { id } = await createWebhookSubscription();
    const until = new Date(Date.now() + 2 * 3_600_000).toISOString();

    const snoozed = await call('POST', `/subscriptions/${id}/snooze`, { until });
    const past = await call('POST', `/subscriptions/${id}/snooze`, { until: '2000-01-01T00:00:00Z' });
    const resumed = await call('POST', `/subscriptions/${id}/resume`);

    expect(snoozed.json.snoozedUntil).toBe(until);
    expect(past.status).toBe(400);
    expect(resumed.json).toMatchObject({ status: 'active' });
    expect(resumed.json).not.toHaveProperty('snoozedUntil');
  });
});

describe('delivery log and preview', () => {
  it('pages through the delivery log with a cursor', async () => {
    // Prepare: three test alerts make three log records.
    const { id } = await createWebhookSubscription();
    for (let i = 0; i < 3; i++) await testFire(id);

    // Act
    const first = await call('GET', `/subscriptions/${id}/deliveries?limit=2`);
    const second = await call('GET', `/subscriptions/${id}/deliveries?limit=2&cursor=${first.json.nextCursor as string}`);
    const bad = await call('GET', `/subscriptions/${id}/deliveries?cursor=nonsense`);

    // Assess
    const ids = [...(first.json.deliveries as { articleId: string }[]), ...(second.json.deliveries as { articleId: string }[])].map((d) => d.articleId);
    expect(first.json.deliveries).toHaveLength(2);
    expect(second.json.deliveries).toHaveLength(1);
    expect(second.json).not.toHaveProperty('nextCursor');
    expect(new Set(ids).size).toBe(3);
    expect(bad.status).toBe(400);
  });

  it('counts the stored articles of the last 7 days a subscription would have matched, with samples', async () => {
    // Prepare: a paused subscription previews what it asks for, not what it would receive now.
    const created = await call('POST', '/subscriptions', { countries: ['RU'], channel: { type: 'sns' } });
    const id = created.json.subscriptionId as string;
    await call('POST', `/subscriptions/${id}/pause`);
    const none = await call('POST', '/subscriptions', { keywords: ['zzzz-no-such-word'], channel: { type: 'sns' } });

    // Act
    const preview = await call('GET', `/subscriptions/${id}/preview`);
    const empty = await call('GET', `/subscriptions/${none.json.subscriptionId as string}/preview`);

    // Assess
    const samples = preview.json.samples as { title: string; reasons: { countries: { code: string }[] } }[];
    expect(preview.json).toMatchObject({ days: 7, truncated: false });
    expect(preview.json.matched).toBe(samples.length);
    expect(samples.map((s) => s.title)).toContain(PUTIN);
    expect(samples.every((s) => s.reasons.countries.some((c) => c.code === 'RU'))).toBe(true);
    expect(preview.json.scanned as number).toBeGreaterThan(samples.length);
    expect(empty.json).toMatchObject({ matched: 0, samples: [] });
  });
});
