// End to end on the local runtime: article events -> matcher -> delivery queue -> deliverer -> loopback receivers that
// verify EVERY Standard Webhooks signature with the `standardwebhooks` package. The retry schedule is shortened
// (1 s steps) and the queues run at timeScale 0.01, so the retries of a failing receiver take milliseconds.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleEvent, ClassifiedArticle, OutboundAlert, Subscription } from '#domain/types.js';
import { buildAlertFailedEvent } from '#domain/alert.js';
import { generateWebhookSecret } from '#domain/webhook-signature.js';
import type { LocalRuntime } from '#local/runtime.js';
import { ContractValidator } from '../helpers/openapi.js';
import { startTestRuntime } from '../helpers/runtime.js';

interface Received {
  receiver: string;
  webhookId: string;
  status: number;
  verified: boolean;
  payload?: OutboundAlert;
}

/** Loopback receivers: each answers by its own rule and checks every signature with the reference library. */
class Receivers {
  readonly requests: Received[] = [];
  readonly secrets = new Map<string, string>();
  private readonly rules = new Map<string, (attempt: number) => number>();
  private server: Server | undefined;
  origin = '';

  add(name: string, rule: (attempt: number) => number = () => 204): { url: string; secret: string } {
    const secret = generateWebhookSecret((n) => randomBytes(n));
    this.secrets.set(name, secret);
    this.rules.set(name, rule);
    return { url: `${this.origin}/hook/${name}`, secret };
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const name = (req.url ?? '').replace('/hook/', '');
        const body = Buffer.concat(chunks).toString('utf8');
        const attempt = this.requests.filter((r) => r.receiver === name).length + 1;
        const status = this.rules.get(name)?.(attempt) ?? 404;
        this.requests.push({ receiver: name, status, ...this.verify(name, req.headers, body) });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  private verify(name: string, headers: IncomingHttpHeaders, body: string): Omit<Received, 'receiver' | 'status'> {
    const flat: Record<string, string> = {};
    for (const [key, value] of Object.entries(headers)) if (typeof value === 'string') flat[key] = value;
    try {
      const payload = new Webhook(this.secrets.get(name) ?? 'whsec_AAAA').verify(body, flat) as OutboundAlert;
      return { webhookId: flat['webhook-id'] ?? '', verified: true, payload };
    } catch {
      return { webhookId: flat['webhook-id'] ?? '', verified: false };
    }
  }

  /** Alerts a receiver accepted (2xx), as their story ids. */
  acceptedStories(name: string): string[] {
    return this.requests
      .filter((r) => r.receiver === name && r.status < 300 && r.payload?.type !== 'digest.created')
      .map((r) => (r.payload?.type === 'digest.created' ? '' : (r.payload?.article.storyId ?? '?')));
  }

  of(name: string): Received[] {
    return this.requests.filter((r) => r.receiver === name);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
  }
}

function articleEvent(storyId: string, title: string, countries: string[]): ArticleEvent {
  const now = new Date().toISOString();
  const article: ClassifiedArticle = {
    articleId: storyId,
    storyId,
    url: `https://news.example/${storyId}`,
    title,
    summary: `${title}: the details.`,
    publishedAt: now,
    fetchedAt: now,
    feedId: 'feed-e2e',
    sourceName: 'E2E News',
    language: 'en',
    classification: {
      language: 'en',
      topics: [],
      countries: countries.map((code) => ({ code, role: 'primary' as const, score: 0.95, evidence: [] })),
      classifierVersion: 'e2e',
    },
  };
  return { type: 'article.created', version: '1', eventId: `article.created:${storyId}`, occurredAt: now, article };
}

/** A daily digest time about twelve hours away (UTC), so both stories of the test fall in one period. */
function digestTimeFarFromNow(): string {
  const at = new Date(Date.now() + 12 * 3600_000);
  return `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`;
}

describe('end to end delivery on the local runtime', () => {
  const receivers = new Receivers();
  let runtime: LocalRuntime;
  let snoozeEnds: number;
  const digestAt = digestTimeFarFromNow();

  async function subscribe(id: string, countries: string[], hook: { url: string; secret: string }, extra: Partial<Subscription> = {}) {
    await runtime.deps.subscriptions.put({
      subscriptionId: id,
      owner: 'e2e',
      topics: [],
      countries,
      keywords: [],
      channel: { type: 'webhook', url: hook.url, secret: hook.secret },
      status: 'active',
      createdAt: new Date().toISOString(),
      ...extra,
    });
  }

  beforeAll(async () => {
    await receivers.start();
    runtime = await startTestRuntime({ retryPolicy: { scheduleSeconds: [0, 1, 1, 1, 1, 1, 1, 1], jitterRatio: 0, maxRetryAfterSeconds: 1 } });
    await subscribe('fr-ok', ['FR'], receivers.add('fr-ok'));
    await subscribe('de-none', ['DE'], receivers.add('de-none'));
    await subscribe('fr-flaky', ['FR'], receivers.add('fr-flaky', (attempt) => (attempt <= 3 ? 503 : 204)));
    await subscribe('fr-gone', ['FR'], receivers.add('fr-gone', () => 410));
    await subscribe('fr-daily', ['FR'], receivers.add('fr-daily'), { frequency: { mode: 'daily', timeZone: 'UTC', at: digestAt } });
    snoozeEnds = Date.now() + 1500;
    await subscribe('fr-snoozed', ['FR'], receivers.add('fr-snoozed'), { snoozedUntil: new Date(snoozeEnds).toISOString() });

    // Story 1, announced twice (a duplicated event), while fr-snoozed is snoozed.
    await runtime.deps.articleEvents.publish(articleEvent('story-1', 'Paris hosts the summit', ['FR']));
    await runtime.deps.articleEvents.publish(articleEvent('story-1', 'Paris hosts the summit', ['FR']));
    await runtime.settle(20_000);
    // Story 2, once the snooze is over.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, snoozeEnds - Date.now() + 50)));
    await runtime.deps.articleEvents.publish(articleEvent('story-2', 'Lyon opens a new line', ['FR']));
    await runtime.settle(20_000);
  }, 60_000);

  afterAll(async () => {
    await runtime?.stop();
    await receivers.stop();
  });

  it('signs every request so that the reference library verifies it', () => {
    expect(receivers.requests.length).toBeGreaterThan(0);
    expect(receivers.requests.filter((r) => !r.verified)).toEqual([]);
  });

  it('gives each matching subscription exactly one alert per story, even when the article event is duplicated', () => {
    expect(receivers.acceptedStories('fr-ok')).toEqual(['story-1', 'story-2']);
  });

  it('sends nothing to a subscription that does not match', () => {
    expect(receivers.of('de-none')).toEqual([]);
  });

  it('delivers once, after the retries, to a receiver that fails its first 3 attempts, with one webhook-id throughout', async () => {
    const story1 = receivers.of('fr-flaky').filter((r) => r.payload?.type === 'alert.created' && r.payload.article.storyId === 'story-1');

    expect(story1.map((r) => r.status)).toEqual([503, 503, 503, 204]);
    expect(new Set(story1.map((r) => r.webhookId)).size).toBe(1);
    expect(receivers.acceptedStories('fr-flaky')).toEqual(['story-1', 'story-2']);
    expect(await runtime.deps.deliveries.get('fr-flaky', 'story-1')).toMatchObject({ status: 'delivered', attempts: 4 });
  });

  it('disables the subscription of a receiver that answers 410, and sends it nothing more', async () => {
    const subscription = await runtime.deps.subscriptions.get('fr-gone');

    expect(receivers.of('fr-gone').map((r) => r.status)).toEqual([410]);
    expect(subscription).toMatchObject({ status: 'disabled', statusReason: expect.stringContaining('410') });
    expect(await runtime.deps.deliveries.getFailure('fr-gone', 'story-1')).toMatchObject({ type: 'alert.failed', httpStatus: 410 });
  });

  it('sends a snoozed subscription nothing until its snooze ends, and what matches afterwards', () => {
    expect(receivers.acceptedStories('fr-snoozed')).toEqual(['story-2']);
  });

  it('gives a digest subscription no instant alert and then one digest grouping its stories', async () => {
    // Prepare
    expect(receivers.of('fr-daily')).toEqual([]);

    // Act: run the digest as of just after its time.
    const [hh, mm] = digestAt.split(':').map(Number) as [number, number];
    const due = new Date(Date.now() + 13 * 3600_000);
    due.setUTCHours(hh, mm + 1, 0, 0);
    const first = await runtime.runDigests(due);
    const second = await runtime.runDigests(due);
    await runtime.settle(20_000);

    // Assess
    const digests = receivers.of('fr-daily');
    expect(first).toMatchObject({ digests: 1, alerts: 2 });
    expect(second).toMatchObject({ digests: 0 });
    expect(digests).toHaveLength(1);
    const payload = digests[0]!.payload;
    expect(payload?.type).toBe('digest.created');
    if (payload?.type !== 'digest.created') return;
    expect(payload.reason).toBe('daily');
    expect(payload.stories.map((s) => s.storyId)).toEqual(['story-1', 'story-2']);
  });

  it('sends events that fit the JSON Schema the OpenAPI document publishes for their type, alert.failed included', async () => {
    // Prepare: after the digest test above, alerts and a digest were received; fr-gone failed for good.
    const contract = new ContractValidator();
    const payloads = receivers.requests.flatMap((r) => (r.payload ? [r.payload] : []));
    const failure = await runtime.deps.deliveries.getFailure('fr-gone', 'story-1');

    // Act
    const failed = contract.checkEvent('alert.failed', buildAlertFailedEvent(failure!, new Date()));
    const mismatches = [...payloads.flatMap((payload) => contract.checkEvent(payload.type, payload)), ...failed];

    // Assess
    expect(new Set(payloads.map((p) => p.type))).toEqual(new Set(['alert.created', 'digest.created']));
    expect(mismatches).toEqual([]);
  });
});
