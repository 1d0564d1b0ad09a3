// The `newsalert` CLI as a user drives it: feeds and subs commands against a running local runtime.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoApiKeyRepository } from '#adapters/dynamo/api-keys-repository.js';
import { verifyApiKey } from '#domain/api-key.js';
import { main } from '#local/cli.js';
import type { LocalRuntime } from '#local/runtime.js';
import { startTestRuntime } from '../helpers/runtime.js';
import { startLocalTables } from './dynamo/local-tables.js';

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await main(args, { stdin: new PassThrough(), stdout, stderr });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

describe('newsalert CLI against a running runtime', () => {
  let runtime: LocalRuntime;

  beforeAll(async () => {
    runtime = await startTestRuntime();
  });
  afterAll(async () => {
    await runtime?.stop();
  });
  const key = () => ['--api-key', runtime.adminKey.key];

  it('adds, lists and removes a feed', async () => {
    const added = await run(['feeds', 'add', 'https://news.example/rss.xml', '--name', 'Example', '--country', 'fr', '--api', runtime.url, ...key()]);
    const feed = JSON.parse(added.stdout) as { feedId: string; sourceCountry: string };
    const listed = await run(['feeds', 'list', '--api', runtime.url, ...key()]);
    const removed = await run(['feeds', 'remove', feed.feedId, '--api', runtime.url, ...key()]);
    const again = await run(['feeds', 'remove', feed.feedId, '--api', runtime.url, ...key()]);

    expect(added.code).toBe(0);
    expect(feed.sourceCountry).toBe('FR');
    expect(listed.stdout).toContain('https://news.example/rss.xml');
    expect(removed.code).toBe(0);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('not found');
  });

  it('adds, lists and removes a subscription', async () => {
    const added = await run(['subs', 'add', '--sns', '--country', 'RU', '--keyword', 'diplomacy', '--name', 'Russia', '--api', runtime.url, ...key()]);
    const sub = JSON.parse(added.stdout) as { subscriptionId: string; countries: string[] };
    const listed = await run(['subs', 'list', '--api', runtime.url, ...key()]);
    const removed = await run(['subs', 'remove', sub.subscriptionId, '--api', runtime.url, ...key()]);

    expect(added.code).toBe(0);
    expect(sub.countries).toEqual(['RU']);
    expect(listed.stdout).toContain(sub.subscriptionId);
    expect(removed.code).toBe(0);
  });

  it('creates an owner key that sees only its own subscriptions, and revokes it', async () => {
    // Prepare
    const created = await run(['keys', 'create', '--scope', 'owner', '--owner', 'alice', '--api', runtime.url, ...key()]);
    const alice = JSON.parse(created.stdout) as { key: string; keyId: string; owner: string };
    const adminSub = JSON.parse((await run(['subs', 'add', '--sns', '--country', 'FR', '--api', runtime.url, ...key()])).stdout) as { subscriptionId: string };

    // Act
    const own = await run(['subs', 'add', '--sns', '--query', 'putin AND "state visit"', '--api', runtime.url, '--api-key', alice.key]);
    const listed = await run(['subs', 'list', '--api', runtime.url, `--api-key=${alice.key}`]);
    const foreign = await run(['subs', 'get', adminSub.subscriptionId, '--api', runtime.url, '--api-key', alice.key]);
    const feeds = await run(['feeds', 'list', '--api', runtime.url, '--api-key', alice.key]);
    const keys = await run(['keys', 'list', '--api', runtime.url, ...key()]);
    const revoked = await run(['keys', 'revoke', alice.keyId, '--api', runtime.url, ...key()]);
    const afterRevoke = await run(['subs', 'list', '--api', runtime.url, '--api-key', alice.key]);

    // Assess
    expect(created.code).toBe(0);
    expect(alice).toMatchObject({ owner: 'alice' });
    expect(own.code).toBe(0);
    expect(JSON.parse(own.stdout)).toMatchObject({ owner: 'alice', query: 'putin AND "state visit"' });
    expect(listed.stdout).not.toContain(adminSub.subscriptionId);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toContain('not found');
    expect(feeds.stderr).toContain('admin key');
    expect(keys.stdout).toContain(alice.keyId);
    expect(keys.stdout).not.toContain(alice.key);
    expect(revoked.code).toBe(0);
    expect(afterRevoke.code).toBe(1);
    expect(afterRevoke.stderr).toContain('invalid API key');
  });

  it('pauses, snoozes, updates and previews a subscription', async () => {
    // Prepare
    const added = await run(['subs', 'add', '--sns', '--country', 'DE', '--api', runtime.url, ...key()]);
    const id = (JSON.parse(added.stdout) as { subscriptionId: string }).subscriptionId;

    // Act
    const paused = JSON.parse((await run(['subs', 'pause', id, '--api', runtime.url, ...key()])).stdout) as { status: string };
    const snoozed = JSON.parse((await run(['subs', 'snooze', id, '--for', '2h', '--api', runtime.url, ...key()])).stdout) as { snoozedUntil: string };
    const updated = JSON.parse((await run(['subs', 'update', id, '--language', 'de', '--min-score', '0.5', '--api', runtime.url, ...key()])).stdout) as Record<string, unknown>;
    const preview = JSON.parse((await run(['subs', 'preview', id, '--api', runtime.url, ...key()])).stdout) as { days: number; matched: number };
    const badQuery = await run(['subs', 'update', id, '--query', 'putin AND', '--api', runtime.url, ...key()]);

    // Assess
    expect(paused.status).toBe('paused');
    expect(Date.parse(snoozed.snoozedUntil) - Date.now()).toBeGreaterThan(3_500_000);
    expect(updated).toMatchObject({ countries: ['DE'], languages: ['de'], minScore: 0.5, status: 'paused' });
    expect(preview).toMatchObject({ days: 7, matched: 0 });
    expect(badQuery.code).toBe(1);
    expect(badQuery.stderr).toContain('query');
  });

  it('lists a failed delivery and replays it once the receiver is fixed', async () => {
    // Prepare: a receiver that refuses (400, a permanent failure) until it is fixed.
    let accept = false;
    const received: string[] = [];
    const receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (accept) received.push(String(req.headers['webhook-id']));
        res.writeHead(accept ? 204 : 400).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      const added = await run(['subs', 'add', '--webhook', hook, '--country', 'JP', '--api', runtime.url, ...key()]);
      const id = (JSON.parse(added.stdout) as { subscriptionId: string }).subscriptionId;
      await run(['subs', 'test', id, '--api', runtime.url, ...key()]);
      await runtime.settle(20_000);

      // Act
      const failures = await run(['deliveries', 'failures', id, '--api', runtime.url, ...key()]);
      const failed = (JSON.parse(failures.stdout) as { failures: { articleId: string; httpStatus?: number }[] }).failures;
      accept = true;
      const replayed = await run(['deliveries', 'replay', id, failed[0]!.articleId, '--api', runtime.url, ...key()]);
      await runtime.settle(20_000);
      const noRoute = await run(['deliveries', 'replay', id, '--api', runtime.url, ...key()]);

      // Assess
      expect(failed).toHaveLength(1);
      expect(failed[0]!.httpStatus).toBe(400);
      expect(replayed.code).toBe(0);
      expect(received).toHaveLength(1);
      expect(noRoute.code).toBe(2);
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });

  it('feeds validate exits 0 on a feed, 1 on a 404 and on a page that is no feed, and follows a page to its feed', async () => {
    // Prepare: a site whose home page announces its feed, and a page with no feed anywhere on its site.
    const rss = '<?xml version="1.0"?><rss version="2.0"><channel><title>Site</title><item><title>One</title><link>https://site.example/1</link></item></channel></rss>';
    const site = createServer((req, res) => {
      if (req.url === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><link rel="alternate" type="application/rss+xml" href="/news.rss"></head><body></body></html>');
      if (req.url === '/news.rss') return void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss);
      if (req.url === '/about.html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>About us</body></html>');
      res.writeHead(404).end('missing');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    try {
      // Act
      const feed = await run(['feeds', 'validate', `${origin}/news.rss`, '--api', runtime.url, ...key()]);
      const page = await run(['feeds', 'validate', `${origin}/`, '--api', runtime.url, ...key()]);
      const missing = await run(['feeds', 'validate', `${origin}/gone.xml`, '--api', runtime.url, ...key()]);
      const notAFeed = await run(['feeds', 'validate', `${origin}/about.html`, '--json', '--api', runtime.url, ...key()]);

      // Assess
      expect(feed.code).toBe(0);
      expect(page.code).toBe(0);
      expect(JSON.parse(page.stdout)).toMatchObject({ validation: { ok: true, discovered: { by: 'link', feedUrl: `${origin}/news.rss` } } });
      expect(missing.code).toBe(1);
      expect(JSON.parse(missing.stdout)).toMatchObject({ validation: { ok: false, reason: 'http-404' } });
      expect(notAFeed.code).toBe(1);
      expect(JSON.parse(notAFeed.stdout)).toMatchObject({ validation: { ok: false, reason: 'not-a-feed' } });
    } finally {
      await new Promise<void>((resolve) => site.close(() => resolve()));
    }
  });

  it('says how to give a key when none is given', async () => {
    // Act: an empty NEWSALERT_DATA_DIR so no key file in the working directory is picked up.
    const previous = process.env.NEWSALERT_DATA_DIR;
    process.env.NEWSALERT_DATA_DIR = '/nonexistent-newsalert-dir';
    try {
      const result = await run(['subs', 'list', '--api', runtime.url]);

      // Assess
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('--api-key');
    } finally {
      if (previous === undefined) delete process.env.NEWSALERT_DATA_DIR;
      else process.env.NEWSALERT_DATA_DIR = previous;
    }
  });

  it('explains bad usage and refused input instead of crashing', async () => {
    const noChannel = await run(['subs', 'add', '--country', 'RU', '--api', runtime.url, ...key()]);
    const privateFeed = await run(['feeds', 'add', 'http://192.168.1.1/feed', '--api', runtime.url, ...key()]);
    const unknown = await run(['frobnicate']);
    const unreachable = await run(['feeds', 'list', '--api', 'http://127.0.0.1:1']);

    expect(noChannel.code).toBe(2);
    expect(noChannel.stderr).toContain('exactly one of');
    expect(privateFeed.code).toBe(1);
    expect(privateFeed.stderr).toContain('blocked-address');
    expect(unknown.code).toBe(2);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('cannot reach');
  });
});

describe('newsalert keys bootstrap', () => {
  it('writes a first admin key straight into a keys table with the caller\'s AWS credentials', async () => {
    // Prepare: dynalite stands in for the deployed table; the SDK finds it through the standard endpoint variable.
    const tables = await startLocalTables('bootstrap');
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: tables.endpoint,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_REGION: 'eu-west-1',
    });
    try {
      // Act
      const result = await run(['keys', 'bootstrap', '--table', tables.names.apiKeys]);

      // Assess
      const { key, keyId } = JSON.parse(result.stdout) as { key: string; keyId: string };
      const stored = await new DynamoApiKeyRepository(tables.doc, tables.names.apiKeys).get(keyId);
      expect(result.code).toBe(0);
      expect(verifyApiKey(key, stored)).toMatchObject({ scope: 'admin' });
      expect(JSON.stringify(stored)).not.toContain(key);
    } finally {
      process.env = saved;
      await tables.close();
    }
  });
});

