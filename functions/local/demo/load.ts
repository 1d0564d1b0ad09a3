// The built-in demo and the feed catalogue, loaded into the local runtime's store.
import { createHash } from 'node:crypto';
import { newFeed } from '#domain/feed.js';
import type { Clock, FeedRepository, SubscriptionRepository } from '#domain/ports.js';
import { generateWebhookSecret } from '#domain/webhook-signature.js';
import { DEFAULT_CATALOGUE } from '../catalogue.js';
import { DEMO_FEEDS, DEMO_SUBSCRIPTIONS, renderDemoFeed } from './content.js';

export interface DemoStore {
  feeds: FeedRepository;
  subscriptions: SubscriptionRepository;
  clock: Clock;
  randomBytes: (size: number) => Uint8Array;
}

/** The demo feeds' bodies as served from `origin`, by path, with an ETag each (conditional GETs answer 304). */
export function renderDemoFeeds(origin: string, epoch: Date): Map<string, { body: string; etag: string }> {
  const bodies = new Map<string, { body: string; etag: string }>();
  for (const feed of DEMO_FEEDS) {
    const body = renderDemoFeed(feed, origin, epoch);
    bodies.set(feed.path, { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` });
  }
  return bodies;
}

/**
 * On an empty store, adds the demo feeds and subscriptions. On a store that has them, points them at this run's
 * origin (the port may differ), so a restart continues where the last run stopped and sends nothing twice.
 */
export async function loadDemo(store: DemoStore, origin: string): Promise<boolean> {
  const [feeds, subscriptions] = await Promise.all([store.feeds.list(), store.subscriptions.list()]);
  const now = store.clock.now();
  if (feeds.length === 0 && subscriptions.length === 0) {
    for (const demo of DEMO_FEEDS) {
      await store.feeds.create(
        newFeed(
          { feedId: demo.feedId, url: origin + demo.path, sourceName: demo.title, sourceCountry: demo.sourceCountry, language: demo.language, pollIntervalSeconds: 60 },
          now,
        ),
      );
    }
    for (const demo of DEMO_SUBSCRIPTIONS) {
      await store.subscriptions.put({
        subscriptionId: demo.subscriptionId,
        owner: 'demo',
        name: demo.name,
        topics: demo.topics,
        countries: demo.countries,
        keywords: demo.keywords,
        channel: { type: 'webhook', url: `${origin}/demo/receiver/${demo.subscriptionId}`, secret: generateWebhookSecret(store.randomBytes) },
        status: 'active',
        createdAt: now.toISOString(),
      });
    }
    return true;
  }
  for (const demo of DEMO_FEEDS) {
    const feed = feeds.find((f) => f.feedId === demo.feedId);
    if (feed && feed.url !== origin + demo.path) await store.feeds.put({ ...feed, url: origin + demo.path });
  }
  for (const demo of DEMO_SUBSCRIPTIONS) {
    const subscription = subscriptions.find((s) => s.subscriptionId === demo.subscriptionId);
    const url = `${origin}/demo/receiver/${demo.subscriptionId}`;
    if (subscription?.channel.type === 'webhook' && subscription.channel.url !== url) {
      await store.subscriptions.put({ ...subscription, channel: { ...subscription.channel, url } });
    }
  }
  return false;
}

export async function loadCatalogue(store: DemoStore): Promise<void> {
  const now = store.clock.now();
  for (const entry of DEFAULT_CATALOGUE) {
    await store.feeds.create(newFeed({ url: entry.url, sourceName: entry.name, sourceCountry: entry.country, language: entry.language }, now));
  }
}
