// `newsalert inspect FILE --json` shows what the pipeline stores: over a sample of the real captured feeds in
// ../shared/feeds/real_news, each file is inspected and, as a feed of its own, polled by the poller (composed as
// its Lambda is, on dynalite, fetching the same bytes from a loopback server), and the two must agree on every
// article's id, canonical URL and story id, and on which files are no usable feed. A file has no URL of its own,
// so inspect is told the URL the poller fetches it from (--base): relative links resolve against it.
import { createServer, type Server } from 'node:http';
import { PassThrough } from 'node:stream';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTables, localTableNames } from '#adapters/dynamo/local-dynamo.js';
import { composePoller } from '#compose/poller.js';
import { newFeed } from '#domain/feed.js';
import { pollFeed } from '#handlers/poller.js';
import { runInspectCommand } from '#local/inspect-command.js';
import { createLogger } from '#shared/logger.js';
import { listen } from '../helpers/http.js';
import { testPlatform } from '../helpers/platform.js';
import { HAS_SHARED, realNewsFeedFiles, SHARED_SKIP_REASON } from '../helpers/shared-dir.js';
import { startLocalTables, type LocalTables } from './dynamo/local-tables.js';

/** Every sixth file of the sorted list: 52 of 310, from every source folder. */
const SAMPLE_EVERY = 6;

interface Seen {
  ok: boolean;
  /** The failure reason when not ok. */
  reason?: string;
  /** id, url and story id of each article, sorted by id. */
  articles: string[];
}

async function inspect(file: string, base: string): Promise<Seen> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  await runInspectCommand([file, '--json', '--base', base], { stdout, stderr: new PassThrough() });
  const report = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { ok: boolean; reason?: string; items?: { id: string; url: string; storyId: string }[] };
  const articles = (report.items ?? []).map((item) => `${item.id} ${item.url} ${item.storyId}`).sort();
  return { ok: report.ok, ...(report.ok ? {} : { reason: report.reason ?? '' }), articles };
}

describe.skipIf(!HAS_SHARED)(`inspect and the poller agree on real feeds${HAS_SHARED ? '' : ` (skipped: ${SHARED_SKIP_REASON})`}`, () => {
  const files = HAS_SHARED ? realNewsFeedFiles().filter((_, index) => index % SAMPLE_EVERY === 0) : [];
  let local: LocalTables;
  let server: Server;
  let origin: string;
  const bodies = new Map<string, Buffer>();

  beforeAll(async () => {
    local = await startLocalTables('inspect-vs-poller');
    // No Content-Type: a file has none either, so both read the bytes by the same rules.
    server = createServer((req, res) => {
      const body = bodies.get(req.url ?? '');
      if (body === undefined) return void res.writeHead(404).end();
      res.writeHead(200).end(body);
    });
    origin = await listen(server);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await local?.close();
  });

  /** Polls the file as a new feed, on tables of its own: no other file's articles or stories in the way. */
  async function poll(index: number, url: string): Promise<Seen> {
    const names = localTableNames(`file-${index}`);
    await ensureTables(local.client, names);
    try {
      const tables = { ...local, names };
      const deps = composePoller(testPlatform(tables, { polling: { hostSpacingMs: 0 } }), { logger: createLogger('inspect-vs-poller', 'SILENT') });
      const feed = newFeed({ url }, new Date());
      await deps.feeds.create(feed);
      const outcome = await pollFeed(deps, feed.feedId);
      if (outcome.status !== 'ok') return { ok: false, reason: outcome.status === 'failed' ? outcome.reason : outcome.status, articles: [] };
      const stored = await deps.articles.listRecent({ limit: 10_000 });
      return { ok: true, articles: stored.map((article) => `${article.articleId} ${article.url} ${article.storyId}`).sort() };
    } finally {
      for (const table of Object.values(names)) await local.client.send(new DeleteTableCommand({ TableName: table }));
    }
  }

  it(`samples at least 50 feed files`, () => {
    expect(files.length).toBeGreaterThanOrEqual(50);
  });

  it('gives identical article ids, URLs and story ids for every sampled file', async () => {
    // Prepare
    const differences: string[] = [];
    let articles = 0;
    let usable = 0;

    // Act
    for (const [index, file] of files.entries()) {
      const path = `/feeds/${index}/${encodeURIComponent(file.split('/').pop() ?? 'feed')}`;
      bodies.set(path, readFileSync(file));
      const url = `${origin}${path}`;
      const [inspected, polled] = [await inspect(file, url), await poll(index, url)];
      if (JSON.stringify(inspected) !== JSON.stringify(polled)) {
        differences.push(`${file}\n  inspect: ${JSON.stringify(inspected)}\n  poller:  ${JSON.stringify(polled)}`);
      }
      articles += polled.articles.length;
      if (polled.ok) usable += 1;
    }

    // Assess: every file agrees, and the sample is no trivial one (52 files, 430 articles when written).
    expect(differences).toEqual([]);
    expect(usable).toBeGreaterThanOrEqual(45);
    expect(articles).toBeGreaterThanOrEqual(400);
  }, 600_000);
});
