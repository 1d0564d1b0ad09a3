import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInspectCommand } from '#local/inspect-command.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function inspect(args: string[]): Promise<Run> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const code = await runInspectCommand(args, { stdout, stderr });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

function json(run: Run): Record<string, unknown> {
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

/** windows-1251 by hand: ASCII stays, А..я map to 0xC0..0xFF. */
function windows1251(text: string): Buffer {
  return Buffer.from([...text].map((char) => {
    const code = char.codePointAt(0) ?? 0x3f;
    return code < 0x80 ? code : code - 0x410 + 0xc0;
  }));
}

const RSS = `<?xml version="1.0" encoding="windows-1251"?>
<rss version="2.0"><channel><title>Вести</title><link>https://vesti.example.ru/</link><ttl>30</ttl>
<item><title>Мост открыт</title><link>/news/1?utm_source=rss#top</link><pubDate>Mon, 03 Jun 2024 07:30:00 +0300</pubDate>
<description>&lt;p&gt;Новый мост открыт для всех&lt;/p&gt;</description></item>
<item><title>Мост открыт</title><link>https://vesti.example.ru/news/1</link></item>
<item><description>нет ссылки</description></item>
</channel></rss>`;

let dir: string;
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'newsalert-inspect-'));
  await writeFile(join(dir, 'vesti.xml'), windows1251(RSS));
  await writeFile(join(dir, 'page.html'), '<!doctype html><html><body>hello</body></html>');
  server = http.createServer((request, response) => {
    if (request.url === '/feed') {
      response.writeHead(200, { 'content-type': 'application/rss+xml; charset=windows-1251' });
      response.end(windows1251(RSS.replace(' encoding="windows-1251"', '')));
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('nope');
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('newsalert inspect on files', () => {
  it('shows format, encoding and the normalised, deduplicated articles of a windows-1251 feed', async () => {
    const run = await inspect([join(dir, 'vesti.xml'), '--json']);

    expect(run.code).toBe(0);
    const report = json(run);
    expect(report).toMatchObject({
      ok: true,
      format: 'rss',
      encoding: 'windows-1251',
      encodingSource: 'declaration',
      title: 'Вести',
      ttlMinutes: 30,
      itemCount: 3,
      articleCount: 1,
      unusableItems: 1,
      duplicateItems: 1,
    });
    const items = report.items as Record<string, unknown>[];
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      url: 'https://vesti.example.ru/news/1',
      title: 'Мост открыт',
      text: 'Новый мост открыт для всех',
      publishedAt: '2024-06-03T04:30:00.000Z',
      language: 'ru',
    });
    expect(items[0]?.storyId).toBe(items[0]?.id);
  });

  it('prints a readable summary without --json', async () => {
    const run = await inspect([join(dir, 'vesti.xml')]);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('rss feed, windows-1251 (declaration), language ru (detected)');
    expect(run.stdout).toContain('- Мост открыт');
  });

  it('says why an HTML page is unusable, as JSON, and exits non-zero', async () => {
    const run = await inspect([join(dir, 'page.html'), '--json']);

    expect(run.code).toBe(1);
    expect(json(run)).toEqual({ ok: false, reason: 'not-a-feed', detail: expect.stringContaining('<html>') });
  });

  it('reads a file as fetched from --base: relative links resolve against it, as the poller resolves them', async () => {
    // Prepare: no channel link, so the URL the body came from is the base.
    const file = join(dir, 'relative.xml');
    await writeFile(file, '<rss version="2.0"><channel><title>Rel</title><item><title>Ferry back in service</title><link>stories/7</link></item></channel></rss>');

    // Act
    const based = json(await inspect([file, '--json', '--base', 'https://rel.example/feeds/rss.xml']));
    const bare = json(await inspect([file, '--json']));
    const wrongBase = await inspect([file, '--base', 'ftp://rel.example/']);

    // Assess
    expect((based.items as Record<string, unknown>[])[0]).toMatchObject({ url: 'https://rel.example/feeds/stories/7', topics: expect.any(Array) });
    expect(bare).toMatchObject({ articleCount: 0, unusableItems: 1, reason: 'no-usable-items' });
    expect(wrongBase.code).toBe(2);
  });

  it('reports a missing file as unreadable-file', async () => {
    const run = await inspect([join(dir, 'missing.xml'), '--json']);

    expect(run.code).toBe(1);
    expect(json(run)).toMatchObject({ ok: false, reason: 'unreadable-file' });
  });

  it('refuses to run without exactly one target', async () => {
    expect((await inspect([])).code).toBe(2);
  });
});

describe('newsalert inspect on URLs, through the real fetcher', () => {
  it('refuses a loopback URL unless --allow-loopback is given (SSRF guard)', async () => {
    const run = await inspect([`${baseUrl}/feed`, '--json']);

    expect(run.code).toBe(1);
    expect(json(run)).toMatchObject({ ok: false, reason: 'blocked-address' });
  });

  it('fetches with --allow-loopback and decodes by the Content-Type charset', async () => {
    const run = await inspect([`${baseUrl}/feed`, '--json', '--allow-loopback']);

    expect(run.code).toBe(0);
    expect(json(run)).toMatchObject({ ok: true, encoding: 'windows-1251', encodingSource: 'header', contentType: expect.stringContaining('rss') });
  });

  it('reports an HTTP error with the fetcher reason', async () => {
    const run = await inspect([`${baseUrl}/gone`, '--json', '--allow-loopback']);

    expect(run.code).toBe(1);
    expect(json(run).ok).toBe(false);
    expect(typeof json(run).reason).toBe('string');
  });
});
