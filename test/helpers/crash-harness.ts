// The crash suite's parts: `newsalert serve` as a child process on a data directory, a loopback feed, a loopback
// receiver that verifies Standard Webhooks signatures and counts what it accepted, and the queue table read back
// from the data directory once the child has stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Webhook } from 'standardwebhooks';
import { createDynamoClients, startDynalite } from '#adapters/dynamo/local-dynamo.js';
import { LOCAL_QUEUE_TABLE } from '#local/bus.js';
import { closeServer, listen, readBody } from './http.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ServeChild {
  process: ChildProcess;
  url: string;
  adminKey: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `newsalert serve` and resolves once its API listens. */
export async function startServe(dataDir: string, env: Record<string, string>, timeoutMs = 120_000): Promise<ServeChild> {
  const child = spawn(
    process.execPath,
    ['bin/newsalert.mjs', 'serve', '--port', '0', '--data-dir', dataDir, '--no-demo', '--scheduler-seconds', '0.25', '--log-level', 'SILENT'],
    { cwd: ROOT, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const url = /API on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    if (url !== undefined) {
      return { process: child, url, adminKey: readFileSync(join(dataDir, 'admin-key'), 'utf8').trim(), output: () => output, exited };
    }
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`serve exited before listening:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`serve did not listen within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Resolves with how the child ended; SIGKILLs it after timeoutMs (and says so in `forced`). */
export async function waitForExit(child: ServeChild, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; forced: boolean }> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const result = await Promise.race([child.exited, timedOut]);
  clearTimeout(timer);
  if (result !== 'timeout') return { ...result, forced: false };
  child.process.kill('SIGKILL');
  return { ...(await child.exited), forced: true };
}

export async function api(child: ServeChild, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${child.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${child.adminKey}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
}

const STORIES = [
  ['harbour opens a new ferry pier for island commuters', 'Ferries to the three islands will leave from the new pier from March, the port authority said.'],
  ['council votes to double the library budget next spring', 'Councillors approved the plan after a petition signed by four thousand readers.'],
  ['football club signs a striker from the northern league', 'The nineteen-year-old forward scored twenty goals last season and joins on a three-year contract.'],
  ['hospital trials a faster test for childhood asthma', 'Doctors expect the breath test to cut waiting times for a diagnosis from weeks to one afternoon.'],
  ['orchestra announces a summer tour of mountain villages', 'Musicians will play open-air concerts in twelve villages reached only by cable car.'],
  ['farmers report a record apricot harvest after a mild winter', 'Growers say prices at the market fell by a third as crates piled up in the square.'],
];

/** An RSS feed of `count` (at most 6) unrelated stories published minutes ago, each naming `keyword`. */
export async function startFeed(keyword: string, count: number): Promise<{ server: Server; url: string; guids: string[] }> {
  const now = Date.now();
  const guids = Array.from({ length: count }, (_, i) => `${keyword}-${i}`);
  const items = guids
    .map((guid, i) => {
      const [title, text] = STORIES[i % STORIES.length] ?? ['', ''];
      return (
        `<item><title>${keyword} ${title}</title><link>http://news.example/${guid}</link><guid>${guid}</guid>` +
        `<pubDate>${new Date(now - (i + 1) * 60_000).toUTCString()}</pubDate><description>${text}</description></item>`
      );
    })
    .join('');
  const body = `<?xml version="1.0"?><rss version="2.0"><channel><title>${keyword} news</title><link>http://news.example/</link><description>d</description>${items}</channel></rss>`;
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body));
  return { server, url: `${await listen(server)}/feed.xml`, guids };
}

export interface Accepted {
  path: string;
  webhookId: string;
  articleId: string;
  verified: boolean;
}

/** Answers 200 to what verifies (503 to the first try of each webhook-id when `failFirst` names its path). */
export async function startReceiver(): Promise<{
  server: Server;
  origin: string;
  secrets: Map<string, string>;
  accepted: Accepted[];
  requests: () => number;
  failFirst: Set<string>;
}> {
  const secrets = new Map<string, string>();
  const accepted: Accepted[] = [];
  const failFirst = new Set<string>();
  const failed = new Set<string>();
  let requests = 0;
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      requests += 1;
      const path = req.url ?? '';
      const headers = Object.fromEntries(Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === 'string'));
      const webhookId = headers['webhook-id'] ?? '';
      if (failFirst.has(path) && !failed.has(webhookId)) {
        failed.add(webhookId);
        return void res.writeHead(503).end();
      }
      const secret = secrets.get(path);
      let verified = false;
      try {
        if (secret !== undefined) new Webhook(secret).verify(body, headers);
        verified = secret !== undefined;
      } catch {
        verified = false;
      }
      // An alert carries one article; a digest each article it holds, by story.
      const payload = JSON.parse(body) as { article?: { articleId?: string }; stories?: { alerts: { article: { articleId: string } }[] }[] };
      const articleIds = payload.stories?.flatMap((story) => story.alerts.map((alert) => alert.article.articleId)) ?? [payload.article?.articleId ?? ''];
      for (const articleId of articleIds) accepted.push({ path, webhookId, articleId, verified });
      res.writeHead(verified ? 200 : 401).end();
    });
  });
  return { server, origin: await listen(server), secrets, accepted, requests: () => requests, failFirst };
}

export { closeServer };

/** What each queue of a stopped runtime's data directory still holds. */
export async function queuedMessages(dataDir: string): Promise<Record<string, number>> {
  const dynalite = await startDynalite({ path: join(dataDir, 'dynamodb') });
  const { client, doc } = createDynamoClients({ endpoint: dynalite.endpoint });
  try {
    const counts: Record<string, number> = {};
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName: LOCAL_QUEUE_TABLE, ...(start ? { ExclusiveStartKey: start } : {}) }));
      for (const item of page.Items ?? []) {
        counts[item.queue as string] = (counts[item.queue as string] ?? 0) + 1;
        if (process.env.CRASH_DEBUG) console.log(item.queue, String(item.m).slice(0, 400));
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return counts;
  } finally {
    client.destroy();
    await dynalite.close();
  }
}
