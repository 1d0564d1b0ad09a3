// The HTTP API as callers meet it, on the local runtime (the same handler API Gateway invokes): API keys and their
// scopes, one owner never seeing another's subscriptions, and bad input answered with 400 and the reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '#local/runtime.js';

let runtime: LocalRuntime;

async function call(method: string, path: string, key: string | undefined, body?: unknown, raw?: string) {
  const response = await fetch(runtime.url + path, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, text, json: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
}

async function createOwnerKey(owner: string): Promise<{ key: string; keyId: string }> {
  const created = await call('POST', '/keys', runtime.adminKey.key, { scope: 'owner', owner });
  expect(created.status).toBe(201);
  return created.json as { key: string; keyId: string };
}

const snsSub = (overrides: Record<string, unknown> = {}) => ({ countries: ['FR'], channel: { type: 'sns' }, ...overrides });

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, demo: false, catalogue: false, schedulerIntervalMs: 0, timeScale: 0.01, logLevel: 'SILENT', say: () => {} });
});
afterAll(async () => {
  await runtime?.stop();
});

describe('API keys', () => {
  it('answers 401 without a key, with a malformed key and with an unknown key', async () => {
    // Act
    const missing = await call('GET', '/subscriptions', undefined);
    const malformed = await call('GET', '/subscriptions', 'not-a-key');
    const forged = await call('GET', '/subscriptions', `na_${'0'.repeat(16)}_${'A'.repeat(43)}`);
    const tampered = await call('GET', '/subscriptions', runtime.adminKey.key.slice(0, -1) + (runtime.adminKey.key.endsWith('A') ? 'B' : 'A'));

    // Assess
    for (const answer of [missing, malformed, forged, tampered]) {
      expect(answer.status).toBe(401);
      expect(answer.json).toMatchObject({ type: 'about:blank', title: 'Unauthorized', status: 401 });
      expect(answer.json.detail).toContain('API key');
    }
  });

  it('accepts the key in "authorization: Bearer" and in "x-api-key"', async () => {
    // Act
    const bearer = await call('GET', '/subscriptions', runtime.adminKey.key);
    const header = await fetch(`${runtime.url}/subscriptions`, { headers: { 'x-api-key': runtime.adminKey.key } });

    // Assess
    expect(bearer.status).toBe(200);
    expect(header.status).toBe(200);
  });

  it('answers 403 to an owner key on admin routes', async () => {
    // Prepare
    const { key } = await createOwnerKey('olga');

    // Act
    const answers = await Promise.all([
      call('GET', '/feeds', key),
      call('POST', '/feeds', key, { url: 'https://news.example/rss.xml' }),
      call('GET', '/keys', key),
      call('POST', '/keys', key, { scope: 'admin' }),
      call('GET', '/articles', key),
    ]);

    // Assess
    expect(answers.map((a) => a.status)).toEqual([403, 403, 403, 403, 403]);
  });

  it('shows a key once: listings carry neither the key nor its hash', async () => {
    // Prepare
    const { key, keyId } = await createOwnerKey('listing-check');

    // Act
    const listed = await call('GET', '/keys', runtime.adminKey.key);
    const mine = (listed.json.keys as Record<string, unknown>[]).find((k) => k.keyId === keyId);

    // Assess
    expect(mine).toMatchObject({ keyId, scope: 'owner', owner: 'listing-check' });
    expect(mine).not.toHaveProperty('hash');
    expect(listed.text).not.toContain(key);
  });

  it('stops a revoked key at once and refuses to let a key revoke itself', async () => {
    // Prepare
    const { key, keyId } = await createOwnerKey('temp');
    const before = await call('GET', '/subscriptions', key);

    // Act
    const self = await call('DELETE', `/keys/${runtime.adminKey.key.slice(3, 19)}`, runtime.adminKey.key);
    const revoked = await call('DELETE', `/keys/${keyId}`, runtime.adminKey.key);
    const after = await call('GET', '/subscriptions', key);
    const unknown = await call('DELETE', '/keys/0000000000000000', runtime.adminKey.key);

    // Assess
    expect(before.status).toBe(200);
    expect(self.status).toBe(409);
    expect(revoked.status).toBe(204);
    expect(after.status).toBe(401);
    expect(unknown.status).toBe(404);
  });

  it('refuses an owner key without an owner', async () => {
    const answer = await call('POST', '/keys', runtime.adminKey.key, { scope: 'owner' });

    expect(answer.status).toBe(400);
    expect(answer.json.errors).toEqual([{ path: 'owner', message: 'an owner key needs an owner' }]);
  });
});

describe('owners', () => {
  let alice: string;
  let bob: string;
  let aliceSub: string;

  beforeAll(async () => {
    alice = (await createOwnerKey('alice')).key;
    bob = (await createOwnerKey('bob')).key;
    const created = await call('POST', '/subscriptions', alice, snsSub({ name: 'Alice: France' }));
    aliceSub = created.json.subscriptionId as string;
  });

  it("creates subscriptions for the key's own owner", async () => {
    const mine = await call('GET', `/subscriptions/${aliceSub}`, alice);
    const spoofed = await call('POST', '/subscriptions', alice, snsSub({ owner: 'bob' }));

    expect(mine.json.owner).toBe('alice');
    expect(spoofed.status).toBe(400);
    expect(spoofed.text).toContain('owner');
  });

  it("answers 404, never 403, to every operation on another owner's subscription", async () => {
    // Act
    const answers = await Promise.all([
      call('GET', `/subscriptions/${aliceSub}`, bob),
      call('PUT', `/subscriptions/${aliceSub}`, bob, snsSub()),
      call('PATCH', `/subscriptions/${aliceSub}`, bob, { name: 'mine now' }),
      call('POST', `/subscriptions/${aliceSub}/pause`, bob),
      call('POST', `/subscriptions/${aliceSub}/resume`, bob),
      call('POST', `/subscriptions/${aliceSub}/snooze`, bob, { until: new Date(Date.now() + 3_600_000).toISOString() }),
      call('POST', `/subscriptions/${aliceSub}/rotate-secret`, bob),
      call('POST', `/subscriptions/${aliceSub}/test`, bob),
      call('GET', `/subscriptions/${aliceSub}/deliveries`, bob),
      call('GET', `/subscriptions/${aliceSub}/preview`, bob),
      call('DELETE', `/subscriptions/${aliceSub}`, bob),
    ]);
    const missing = await call('GET', '/subscriptions/sub_doesnotexist', bob);
    const stillThere = await runtime.deps.subscriptions.get(aliceSub);

    // Assess: indistinguishable from a subscription that does not exist, and nothing changed.
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 404));
    // Every field but `instance` (which names the request) is the same.
    const withoutInstance = (answer: { json: Record<string, unknown> }) => ({ ...answer.json, instance: undefined });
    expect(answers.map(withoutInstance)).toEqual(answers.map(() => withoutInstance(missing)));
    expect(stillThere).toMatchObject({ owner: 'alice', status: 'active', name: 'Alice: France' });
  });

  it('lists only the subscriptions of the calling owner; an admin sees all, or filters by owner', async () => {
    // Prepare
    await call('POST', '/subscriptions', bob, snsSub({ name: 'Bob: Germany', countries: ['DE'] }));

    // Act
    const bobs = (await call('GET', '/subscriptions', bob)).json.subscriptions as { owner: string }[];
    const all = (await call('GET', '/subscriptions', runtime.adminKey.key)).json.subscriptions as { owner: string }[];
    const filtered = (await call('GET', '/subscriptions?owner=alice', runtime.adminKey.key)).json.subscriptions as { owner: string }[];
    const bobFiltering = (await call('GET', '/subscriptions?owner=alice', bob)).json.subscriptions as { owner: string }[];

    // Assess
    expect(bobs.map((s) => s.owner)).toEqual(['bob']);
    expect(new Set(all.map((s) => s.owner))).toEqual(new Set(['alice', 'bob']));
    expect(filtered.every((s) => s.owner === 'alice')).toBe(true);
    expect(bobFiltering.map((s) => s.owner)).toEqual(['bob']);
  });
});

describe('bad input', () => {
  const key = () => runtime.adminKey.key;

  it.each<[string, unknown, string, string]>([
    ['an unknown topic code', snsSub({ topics: ['medtop:99999999'] }), 'topics.0', 'unknown or retired IPTC Media Topic'],
    ['a malformed topic code', snsSub({ topics: ['politics'] }), 'topics.0', 'IPTC Media Topic code'],
    ['an unknown country code', snsSub({ countries: ['XX'] }), 'countries.0', 'unknown ISO 3166-1'],
    ['an invalid boolean query', snsSub({ query: 'putin AND (visit' }), 'query', 'never closed'],
    ['a boolean query ending in an operator', snsSub({ query: 'putin AND' }), 'query', 'needs a term after it'],
    ['an unknown time zone', snsSub({ frequency: { mode: 'daily', timeZone: 'Mars/Olympus', at: '08:00' } }), 'frequency.timeZone', 'unknown IANA time zone'],
    ['a minimum score above 1', snsSub({ minScore: 1.5 }), 'minScore', 'from 0 to 1'],
    ['a Slack URL that is not https', snsSub({ channel: { type: 'slack', webhookUrl: 'http://hooks.slack.com/services/x' } }), 'channel.webhookUrl', 'https://'],
  ])('answers 400 to %s, naming the field', async (_label, body, path, message) => {
    const answer = await call('POST', '/subscriptions', key(), body);

    expect(answer.status).toBe(400);
    const issues = answer.json.errors as { path: string; message: string }[];
    expect(issues.find((i) => i.path === path)?.message).toContain(message);
  });

  it.each([
    ['a private (RFC 1918) address', 'http://10.0.0.7/hook'],
    ['the instance metadata address', 'http://169.254.169.254/latest/meta-data/'],
    ['an IPv6 unique-local address', 'http://[fd00::1]/hook'],
  ])('answers 400 to a webhook URL on %s', async (_label, url) => {
    const answer = await call('POST', '/subscriptions', key(), snsSub({ channel: { type: 'webhook', url } }));

    expect(answer.status).toBe(400);
    expect((answer.json.errors as { path: string }[]).map((i) => i.path)).toContain('channel.url');
  });

  it('answers 400 to malformed JSON and to a body that is not an object', async () => {
    const malformed = await call('POST', '/subscriptions', key(), undefined, '{"countries": [');
    const list = await call('POST', '/subscriptions', key(), [1, 2]);

    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({ type: 'urn:newsalert:problem:validation', status: 400, detail: 'Malformed JSON body' });
    expect(list.status).toBe(400);
  });

  it('answers 400 to a patch that would leave the subscription matching nothing', async () => {
    const created = await call('POST', '/subscriptions', key(), snsSub());

    const emptied = await call('PATCH', `/subscriptions/${created.json.subscriptionId as string}`, key(), { countries: null });

    expect(emptied.status).toBe(400);
    expect(emptied.text).toContain('at least one of topics, countries, keywords or query');
  });
});
