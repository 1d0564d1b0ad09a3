// The `newsalert` CLI as a user drives it: feeds and subs commands against a running local runtime.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '#local/cli.js';
import { startLocalRuntime, type LocalRuntime } from '#local/runtime.js';

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
    runtime = await startLocalRuntime({
      port: 0,
      demo: false,
      catalogue: false,
      schedulerIntervalMs: 0,
      timeScale: 0.01,
      logLevel: 'SILENT',
      say: () => {},
    });
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  it('adds, lists and removes a feed', async () => {
    const added = await run(['feeds', 'add', 'https://news.example/rss.xml', '--name', 'Example', '--country', 'fr', '--api', runtime.url]);
    const feed = JSON.parse(added.stdout) as { feedId: string; sourceCountry: string };
    const listed = await run(['feeds', 'list', '--api', runtime.url]);
    const removed = await run(['feeds', 'remove', feed.feedId, '--api', runtime.url]);
    const again = await run(['feeds', 'remove', feed.feedId, '--api', runtime.url]);

    expect(added.code).toBe(0);
    expect(feed.sourceCountry).toBe('FR');
    expect(listed.stdout).toContain('https://news.example/rss.xml');
    expect(removed.code).toBe(0);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('not found');
  });

  it('adds, lists and removes a subscription', async () => {
    const added = await run(['subs', 'add', '--sns', '--country', 'RU', '--keyword', 'diplomacy', '--name', 'Russia', '--api', runtime.url]);
    const sub = JSON.parse(added.stdout) as { subscriptionId: string; countries: string[] };
    const listed = await run(['subs', 'list', '--api', runtime.url]);
    const removed = await run(['subs', 'remove', sub.subscriptionId, '--api', runtime.url]);

    expect(added.code).toBe(0);
    expect(sub.countries).toEqual(['RU']);
    expect(listed.stdout).toContain(sub.subscriptionId);
    expect(removed.code).toBe(0);
  });

  it('explains bad usage and refused input instead of crashing', async () => {
    const noChannel = await run(['subs', 'add', '--country', 'RU', '--api', runtime.url]);
    const privateFeed = await run(['feeds', 'add', 'http://192.168.1.1/feed', '--api', runtime.url]);
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
