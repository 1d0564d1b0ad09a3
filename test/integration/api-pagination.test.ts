// Cursor pagination on every list, as a client meets it on the local runtime: pages that join up into the whole
// list without a gap or a repeat, limit bounds, cursors that only continue their own listing (with its filters and
// owner), the delivery log newest first, and the CLI's list commands following the pages.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newFeed } from '#domain/feed.js';
import type { ClassifiedArticle } from '#domain/types.js';
import { main } from '#local/cli.js';
import type { LocalRuntime } from '#local/runtime.js';
import { startTestRuntime } from '../helpers/runtime.js';

let runtime: LocalRuntime;

async function get(path: string, key = runtime.adminKey.key) {
  const response = await fetch(runtime.url + path, { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, link: response.headers.get('link'), type: response.headers.get('content-type'), json: (await response.json()) as Record<string, unknown> };
}

/** Every page of a list, following nextCursor; the pages' item counts and the items, in order. */
async function allPages(path: string, items: string, key?: string): Promise<{ sizes: number[]; all: Record<string, unknown>[]; links: (string | null)[] }> {
  const sizes: number[] = [];
  const all: Record<string, unknown>[] = [];
  const links: (string | null)[] = [];
  let cursor: string | undefined;
  do {
    const page = await get(cursor === undefined ? path : `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`, key);
    expect(page.status, JSON.stringify(page.json)).toBe(200);
    const list = page.json[items] as Record<string, unknown>[];
    sizes.push(list.length);
    all.push(...list);
    links.push(page.link);
    cursor = page.json.nextCursor as string | undefined;
  } while (cursor !== undefined);
  return { sizes, all, links };
}

async function ownerKey(owner: string): Promise<string> {
  const response = await fetch(`${runtime.url}/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${runtime.adminKey.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ scope: 'owner', owner }),
  });
  return ((await response.json()) as { key: string }).key;
}

function article(i: number, topic: string): ClassifiedArticle {
  const at = new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString();
  return {
    articleId: `art${String(i).padStart(4, '0')}`,
    storyId: `art${String(i).padStart(4, '0')}`,
    url: `https://news.example/${i}`,
    title: `Story ${i}`,
    summary: 'A summary.',
    publishedAt: at,
    fetchedAt: at,
    feedId: 'f_pages',
    sourceName: 'Pages',
    language: 'en',
    classification: { language: 'en', topics: [{ code: topic, label: 't', score: 0.9, evidence: [] }], countries: [], classifierVersion: 'test' },
  };
}

beforeAll(async () => {
  runtime = await startTestRuntime();
  const now = new Date();
  for (let i = 0; i < 7; i++) await runtime.deps.feeds.create(newFeed({ url: `https://news.example/feed-${i}.xml` }, now));
  for (let i = 0; i < 9; i++) await runtime.deps.articles.create(article(i, i % 3 === 0 ? 'medtop:15000000' : 'medtop:11000000'), 2_000_000_000);
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('pages', () => {
  it('joins the pages of the feed list into the whole list, with a Link to each next page', async () => {
    const { sizes, all, links } = await allPages('/feeds?limit=3', 'feeds');

    expect(sizes).toEqual([3, 3, 1]);
    expect(new Set(all.map((f) => f.feedId)).size).toBe(7);
    expect(links[0]).toMatch(/^<\/feeds\?limit=3&cursor=[^>]+>; rel="next"$/);
    expect(links.at(-1)).toBeNull();
  });

  it('pages the articles newest first, and a topic filter pages within the topic', async () => {
    const recent = await allPages('/articles?limit=4', 'articles');
    const sport = await allPages('/articles?limit=2&topic=medtop:15000000', 'articles');

    expect(recent.all.map((a) => a.title)).toEqual([8, 7, 6, 5, 4, 3, 2, 1, 0].map((i) => `Story ${i}`));
    expect(sport.all.map((a) => a.title)).toEqual(['Story 6', 'Story 3', 'Story 0']);
  });

  it('pages the keys and the subscriptions, and an owner pages through its own only', async () => {
    const alice = await ownerKey('alice');
    await ownerKey('bob');
    for (let i = 0; i < 5; i++) {
      await fetch(`${runtime.url}/subscriptions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${i < 3 ? alice : runtime.adminKey.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ countries: ['FR'], channel: { type: 'sns' }, name: `sub ${i}` }),
      });
    }

    const keys = await allPages('/keys?limit=2', 'keys');
    const everyone = await allPages('/subscriptions?limit=2', 'subscriptions');
    const hers = await allPages('/subscriptions?limit=2', 'subscriptions', alice);
    const hersByAdmin = await allPages('/subscriptions?limit=1&owner=alice', 'subscriptions');

    expect(keys.all).toHaveLength(3);
    expect(keys.sizes).toEqual([2, 1]);
    expect(everyone.all).toHaveLength(5);
    expect(hers.all.map((s) => s.name).sort()).toEqual(['sub 0', 'sub 1', 'sub 2']);
    expect(hersByAdmin.all.map((s) => s.name).sort()).toEqual(['sub 0', 'sub 1', 'sub 2']);
  });

  it("refuses a cursor carried to another listing, other filters or another owner's list, and a forged one", async () => {
    const feedsCursor = (await get('/feeds?limit=1')).json.nextCursor as string;
    const articlesCursor = (await get('/articles?limit=1')).json.nextCursor as string;
    const alice = await ownerKey('alice2');
    const bob = await ownerKey('bob2');
    for (const key of [alice, alice]) {
      await fetch(`${runtime.url}/subscriptions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ countries: ['FR'], channel: { type: 'sns' } }),
      });
    }
    const aliceCursor = (await get('/subscriptions?limit=1', alice)).json.nextCursor as string;
    const [payload, mac] = feedsCursor.split('.') as [string, string];
    const forged = `${Buffer.from('{"feedId":"f_other"}').toString('base64url')}.${mac}`;

    const answers = await Promise.all([
      get(`/keys?cursor=${encodeURIComponent(feedsCursor)}`),
      get(`/articles?topic=medtop:15000000&cursor=${encodeURIComponent(articlesCursor)}`),
      get(`/subscriptions?cursor=${encodeURIComponent(aliceCursor)}`, bob),
      get(`/feeds?cursor=${encodeURIComponent(forged)}`),
      get(`/feeds?cursor=${encodeURIComponent(payload)}`),
    ]);

    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.type).toBe('application/problem+json');
      expect(answer.json).toMatchObject({ status: 400, errors: [{ path: 'cursor' }] });
    }
  });

  it.each(['0', '501', 'abc', '1.5', ''])('answers 400 to limit=%j, naming the field and its bounds', async (limit) => {
    const answer = await get(`/feeds?limit=${limit}`);

    expect(answer.status).toBe(400);
    expect(answer.json.errors).toEqual([{ path: 'limit', message: 'must be an integer from 1 to 500' }]);
  });

  it('lists the delivery log newest first across pages, whatever the story ids', async () => {
    const created = await fetch(`${runtime.url}/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${runtime.adminKey.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ countries: ['FR'], channel: { type: 'sns' } }),
    });
    const { subscriptionId } = (await created.json()) as { subscriptionId: string };
    // Story ids sorted against time: "z…" first, "a…" last.
    for (const [i, story] of ['zeta', 'eta', 'delta', 'beta', 'alpha'].entries()) {
      const now = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
      await runtime.deps.deliveries.acquire({ subscriptionId, deliveryKey: story, deliveryId: `dlv_${story}`, now, leaseSeconds: 60, ttlEpochSeconds: 2_000_000_000 });
    }

    const log = await allPages(`/subscriptions/${subscriptionId}/deliveries?limit=2`, 'deliveries');

    expect(log.all.map((d) => d.articleId)).toEqual(['alpha', 'beta', 'delta', 'eta', 'zeta']);
    expect(log.sizes).toEqual([2, 2, 1]);
  });

  it('the CLI lists every feed, however many pages the API answers in', async () => {
    const now = new Date();
    for (let i = 7; i < 130; i++) await runtime.deps.feeds.create(newFeed({ url: `https://news.example/feed-${i}.xml` }, now));
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (c: Buffer) => chunks.push(c));

    const code = await main(['feeds', 'list', '--api', runtime.url, '--api-key', runtime.adminKey.key], { stdin: new PassThrough(), stdout, stderr: new PassThrough() });
    const listed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { feeds: { feedId: string }[]; nextCursor?: string };

    expect(code).toBe(0);
    expect(new Set(listed.feeds.map((f) => f.feedId)).size).toBe(130);
    expect(listed).not.toHaveProperty('nextCursor');
  });
});
