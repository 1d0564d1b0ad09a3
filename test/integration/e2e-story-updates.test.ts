// An edited story on the local runtime: subscribers who opted in get one story.updated after their alert.created;
// the others get nothing more. Real feed server and webhook receiver on loopback, signatures verified.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newFeed } from '#domain/feed.js';
import type { AlertPayload, Subscription } from '#domain/types.js';
import type { LocalRuntime } from '#local/runtime.js';
import { ContractValidator } from '../helpers/openapi.js';
import { startTestRuntime } from '../helpers/runtime.js';

const SECRET = 'whsec_' + Buffer.alloc(24, 7).toString('base64');

function rss(title: string, summary: string): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Edits Desk</title><link>https://edits.example/</link><language>en</language>
<item><title>${title}</title><link>https://edits.example/quake</link><description>${summary}</description>
<pubDate>Tue, 03 Jun 2025 09:00:00 GMT</pubDate></item></channel></rss>`;
}

describe('story updates end to end', () => {
  let runtime: LocalRuntime;
  let feedServer: Server;
  let receiver: Server;
  let body = rss('Earthquake strikes central Japan', 'A strong earthquake shook Nagoya on Tuesday, officials in Tokyo said.');
  const received: { subscriptionId: string; payload: AlertPayload }[] = [];

  beforeAll(async () => {
    feedServer = createServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body));
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
        const payload = new Webhook(SECRET).verify(Buffer.concat(chunks).toString('utf8'), headers) as AlertPayload;
        received.push({ subscriptionId: req.url!.slice(1), payload });
        res.writeHead(204).end();
      });
    });
    await Promise.all([feedServer, receiver].map((s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))));
    runtime = await startTestRuntime();
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const subscription = (id: string, receiveStoryUpdates: boolean): Subscription => ({
      subscriptionId: id,
      owner: 'test',
      topics: [],
      countries: ['JP'],
      keywords: [],
      channel: { type: 'webhook', url: `${hook}/${id}`, secret: SECRET },
      receiveStoryUpdates,
      status: 'active',
      createdAt: new Date().toISOString(),
    });
    await runtime.deps.subscriptions.put(subscription('wants-updates', true));
    await runtime.deps.subscriptions.put(subscription('once-only', false));
    await runtime.deps.feeds.create(
      newFeed({ url: `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}/feed.xml`, feedId: 'edits' }, new Date()),
    );
  });
  afterAll(async () => {
    await runtime?.stop();
    await Promise.all([feedServer, receiver].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  });

  async function pollNow(): Promise<void> {
    const feed = (await runtime.deps.feeds.get('edits'))!;
    await runtime.deps.feeds.put({ ...feed, nextPollAt: new Date().toISOString() });
    await runtime.tick();
    await runtime.settle(20_000);
  }

  it('sends story.updated to opted-in subscribers only, once per revision', async () => {
    await pollNow();
    body = rss('Earthquake in central Japan kills 12', 'A strong earthquake near Nagoya killed 12 people, officials in Tokyo said on Wednesday.');
    await pollNow();
    await pollNow(); // unchanged since the edit: nothing more

    const types = (id: string) => received.filter((r) => r.subscriptionId === id).map((r) => r.payload.type);
    expect(types('wants-updates')).toEqual(['alert.created', 'story.updated']);
    expect(types('once-only')).toEqual(['alert.created']);
    const update = received.find((r) => r.payload.type === 'story.updated')!.payload;
    expect(update.article.title).toBe('Earthquake in central Japan kills 12');
    const created = received.find((r) => r.payload.type === 'alert.created')!.payload;
    expect(update.article.storyId).toBe(created.article.storyId);
    expect(update.id).not.toBe(created.id);
  });

  it('sends events that fit the JSON Schema the OpenAPI document publishes for their type', () => {
    const contract = new ContractValidator();

    expect(received.map((r) => r.payload.type).sort()).toEqual(['alert.created', 'alert.created', 'story.updated']);
    expect(received.flatMap((r) => contract.checkEvent(r.payload.type, r.payload))).toEqual([]);
  });
});
