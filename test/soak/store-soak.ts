// The memory soak of the local store (issue 16), run as its own process with --expose-gc so that "heap after GC" and
// rss mean this workload and nothing else. test/integration/store-soak.test.ts (in npm test) runs it at small sizes;
// `npm run soak` runs it at the sizes (20,000 queries, a 2,000-item feed, 5,000 in-memory items), which
// takes minutes of CPU. Both check the same bounds (soakViolations).
//
//   node --expose-gc --import tsx test/soak/store-soak.ts [queries] [feedItems] [memoryItems] [--check]
//
// Prints one JSON line: per phase, rss and heap-after-GC before and after, in MB, and the phase's wall and CPU time.
// With --check it then exits 1, naming each bound exceeded.
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoClients, ensureTables, localTableNames, startDynalite } from '#adapters/dynamo/local-dynamo.js';
import { newFeed } from '#domain/feed.js';
import { startLocalRuntime } from '#local/runtime.js';
import { closeServer, listen } from '../helpers/http.js';
import { testRuntimeOptions } from '../helpers/runtime.js';
import { soakViolations, type MemoryFigures, type PhaseResult, type SoakResult } from './soak-bounds.js';

const gc = (globalThis as { gc?: () => void }).gc;

function measure(): MemoryFigures {
  if (gc === undefined) throw new Error('run with node --expose-gc');
  // Twice: the first pass can leave what finalizers released for the second.
  gc();
  gc();
  const usage = process.memoryUsage();
  const mb = (bytes: number) => Math.round((bytes / 1e6) * 10) / 10;
  return { rssMb: mb(usage.rss), heapMb: mb(usage.heapUsed), arrayBuffersMb: mb(usage.arrayBuffers) };
}

async function phase(operations: number, run: () => Promise<void>): Promise<PhaseResult> {
  const before = measure();
  const started = Date.now();
  const cpu = process.cpuUsage();
  await run();
  const { user, system } = process.cpuUsage(cpu);
  return { before, after: measure(), operations, ms: Date.now() - started, cpuMs: Math.round((user + system) / 1000) };
}

/** Unbounded Queries and Scans on the persisted store, ten in flight, as the runtime's repositories send them. */
async function soakQueries(dataDir: string, queries: number): Promise<PhaseResult> {
  const store = await startDynalite({ path: join(dataDir, 'queries') });
  const { client, doc } = createDynamoClients({ endpoint: store.endpoint });
  const names = localTableNames();
  await ensureTables(client, names);
  for (let i = 0; i < 20; i++) {
    await doc.send(new PutCommand({ TableName: names.deliveries, Item: { subscriptionId: 'soak', articleId: `a${i}`, note: 'x'.repeat(200) } }));
  }
  const query = (i: number) =>
    i % 10 === 9
      ? doc.send(new ScanCommand({ TableName: names.deliveries }))
      : doc.send(new QueryCommand({ TableName: names.deliveries, KeyConditionExpression: 'subscriptionId = :s', ExpressionAttributeValues: { ':s': 'soak' } }));
  // A first round so that what every process allocates once (SDK, sockets, LevelDB caches) is in the baseline.
  await Promise.all(Array.from({ length: 200 }, (_, i) => query(i)));
  const result = await phase(queries, async () => {
    for (let i = 0; i < queries; i += 10) await Promise.all(Array.from({ length: 10 }, (_, j) => query(i + j)));
  });
  client.destroy();
  await store.close();
  return result;
}

const WARM_ITEMS = 20;
const SYLLABLES = ['ka', 'lo', 'mi', 'nu', 'pa', 'ri', 'so', 'tu', 'vo', 'zi'];

/** A made-up word per number, so that no two soak stories share enough words to be one story. */
function word(n: number): string {
  return 'b' + [...String(n)].map((digit) => SYLLABLES[Number(digit)]).join('') + 'r';
}

/** `items` articles; `first` numbers the first one, so that two feeds share no story. */
function feedBody(name: string, first: number, items: number, origin: string): string {
  const entries = Array.from({ length: items }, (_, i) => {
    const at = new Date(Date.UTC(2026, 10, 1) + i * 60_000).toUTCString();
    const words = (from: number, count: number) => Array.from({ length: count }, (_, k) => word((first + i) * 16 + from + k)).join(' ');
    const link = `${origin}/${name}/story/${i}`;
    return `<item><title>Harbour ${name} ${words(0, 6)}</title><link>${link}</link><guid>${link}</guid><pubDate>${at}</pubDate><description>${words(6, 10)}</description></item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Soak ${name}</title><link>${origin}/</link>${entries.join('')}</channel></rss>`;
}

/**
 * A feed of `items` new articles through the whole runtime on a persisted store (poll, classify, store, match,
 * deliver), each alerted to one loopback webhook. A small feed first loads what a process loads once (classifier
 * data, the match index), so the figures are what the big feed adds.
 */
async function soakFeed(dataDir: string, items: number): Promise<PhaseResult & { alerts: number }> {
  const bodies = new Map<string, string>();
  const feedServer = createServer((req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(bodies.get(req.url ?? '') ?? ''));
  const origin = await listen(feedServer);
  bodies.set('/warm.xml', feedBody('warm', 0, WARM_ITEMS, origin));
  bodies.set('/soak.xml', feedBody('soak', 1_000, items, origin));
  let alerts = 0;
  const receiver = createServer((req, res) => {
    req.resume().on('end', () => {
      alerts++;
      res.writeHead(204).end();
    });
  });
  const receiverUrl = `${await listen(receiver)}/hook`;
  // Real queue times: under load a poll of thousands of items outlasts a scaled-down visibility timeout.
  const runtime = await startLocalRuntime(testRuntimeOptions({ dataDir: join(dataDir, 'runtime'), timeScale: 1 }));
  await runtime.deps.subscriptions.put({
    subscriptionId: 'soak-all',
    owner: 'soak',
    topics: [],
    countries: [],
    keywords: ['harbour'],
    channel: { type: 'webhook', url: receiverUrl, secret: 'whsec_' + Buffer.alloc(24, 7).toString('base64') },
    status: 'active',
    createdAt: new Date().toISOString(),
  });
  const poll = async (path: string) => {
    await runtime.deps.feeds.create(newFeed({ url: origin + path, sourceName: path }, new Date()));
    await runtime.tick();
    await runtime.settle(900_000);
  };
  await poll('/warm.xml');
  const result = await phase(items, () => poll('/soak.xml'));
  await runtime.stop();
  await closeServer(feedServer);
  await closeServer(receiver);
  return { ...result, alerts: alerts - WARM_ITEMS };
}

/** Small items kept by the in-memory store, each write followed by a 3 KB read that uses Node's Buffer pool. */
async function soakMemoryStore(items: number): Promise<PhaseResult> {
  const store = await startDynalite({});
  const { client, doc } = createDynamoClients({ endpoint: store.endpoint });
  const names = localTableNames();
  await ensureTables(client, names);
  const big = { pk: 'big', sk: 'big', body: 'y'.repeat(3_000) };
  await doc.send(new PutCommand({ TableName: names.articles, Item: big }));
  const result = await phase(items, async () => {
    // One at a time: each small key then comes from a pool slab of its own, as when a runtime writes between reads.
    for (let i = 0; i < items; i++) {
      await doc.send(new PutCommand({ TableName: names.deliveries, Item: { subscriptionId: `s${i % 50}`, articleId: `a${i}` } }));
      await doc.send(new GetCommand({ TableName: names.articles, Key: { pk: 'big', sk: 'big' } }));
    }
  });
  client.destroy();
  await store.close();
  return result;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const [queries = 20_000, feedItems = 2_000, memoryItems = 5_000] = args.filter((arg) => arg !== '--check').map(Number);
  const dataDir = await mkdtemp(join(tmpdir(), 'newsalert-soak-'));
  try {
    // A count of 0 skips its phase.
    const result: SoakResult = {};
    // Each phase on stderr as it ends: a long run that fails later still leaves the figures of the earlier phases.
    const done = <T>(name: keyof SoakResult, phaseResult: T): T => {
      process.stderr.write(`soak ${name}: ${JSON.stringify(phaseResult)}\n`);
      return phaseResult;
    };
    if (queries > 0) result.queries = done('queries', await soakQueries(dataDir, queries));
    if (feedItems > 0) result.feed = done('feed', await soakFeed(dataDir, feedItems));
    if (memoryItems > 0) result.memoryStore = done('memoryStore', await soakMemoryStore(memoryItems));
    process.stdout.write(JSON.stringify(result) + '\n');
    const violations = check ? soakViolations(result, feedItems) : [];
    for (const violation of violations) process.stderr.write(`soak bound exceeded: ${violation}\n`);
    if (violations.length > 0) process.exitCode = 1;
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
