// `newsalert`: the local runtime and a client of its API. One more set of "handlers" over the same domain and
// adapters: it never grows a second pipeline.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { runClassifyCommand } from './classify-command.js';
import { startLocalRuntime, type LocalRuntime } from './runtime.js';

const USAGE = `newsalert — news alerts by topic, country and keyword

Usage:
  newsalert serve [--port 8787] [--data-dir .newsalert] [--memory] [--no-demo] [--catalogue] [--log-level WARN]
  newsalert demo [--json]
  newsalert classify --title T --text X | --file F | --jsonl   (reads stdin when no --text/--file)
  newsalert feeds add <url> [--name N] [--country CC] [--language xx] [--interval SECONDS]
  newsalert feeds list | feeds remove <feedId>
  newsalert subs add (--webhook URL | --sqs QUEUE_URL | --sns) [--topic medtop:…]… [--country CC]… [--keyword W]… [--name N]
  newsalert subs list | subs remove <subscriptionId>

feeds and subs talk to a running 'newsalert serve' (--api URL, default $NEWSALERT_API or http://127.0.0.1:8787).`;

class UsageError extends Error {}

type Io = { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

const LOG_LEVELS = new Set(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']);

async function serve(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, {
    port: { type: 'string', default: '8787' },
    'data-dir': { type: 'string', default: '.newsalert' },
    memory: { type: 'boolean', default: false },
    'no-demo': { type: 'boolean', default: false },
    catalogue: { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'WARN' },
    'scheduler-seconds': { type: 'string', default: '5' },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port must be 0..65535, got ${values.port}`);
  const logLevel = values['log-level'].toUpperCase();
  if (!LOG_LEVELS.has(logLevel)) throw new UsageError(`--log-level must be one of ${[...LOG_LEVELS].join(', ')}`);
  const schedulerSeconds = Number(values['scheduler-seconds']);
  if (!(schedulerSeconds > 0)) throw new UsageError('--scheduler-seconds must be a positive number');
  const say = (line: string) => io.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

  let runtime: LocalRuntime;
  try {
    runtime = await startLocalRuntime({
      port,
      ...(values.memory ? {} : { dataDir: values['data-dir'] }),
      demo: !values['no-demo'],
      catalogue: values.catalogue,
      schedulerIntervalMs: schedulerSeconds * 1000,
      timeScale: 1,
      logLevel: logLevel as LogLevel,
      say,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`newsalert serve: could not start: ${message}\n`);
    if (/lock/i.test(message)) io.stderr.write(`Is another 'newsalert serve' using ${values['data-dir']}? Stop it, or use --memory.\n`);
    if (/EADDRINUSE/.test(message)) io.stderr.write(`Port ${port} is taken: pass --port.\n`);
    return 1;
  }
  say(`newsalert local runtime: API on ${runtime.url} (store: ${values.memory ? 'in memory' : values['data-dir']})`);
  say(runtime.loadedDemo ? 'demo loaded: 3 sample feeds, 5 subscriptions; alerts appear below' : 'store reused: polling its feeds');
  say('try: curl ' + runtime.url + '/feeds   ·   Ctrl-C to stop');
  void runtime.tick().catch((error: unknown) => say(`scheduler failed: ${String(error)}`));

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  say('stopping…');
  await runtime.stop();
  say('stopped');
  return 0;
}

async function demo(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean', default: false } });
  const say = values.json ? () => {} : (line: string) => io.stdout.write(`${line}\n`);
  const runtime = await startLocalRuntime({
    port: 0,
    demo: true,
    catalogue: false,
    schedulerIntervalMs: 0,
    timeScale: 0.01,
    logLevel: 'SILENT' as LogLevel,
    say,
  });
  try {
    await runtime.tick();
    await runtime.settle(30_000);
    // A second round over unchanged feeds must create nothing: no article, no alert.
    const now = new Date().toISOString();
    for (const feed of await runtime.deps.feeds.list()) await runtime.deps.feeds.put({ ...feed, nextPollAt: now });
    await runtime.tick();
    await runtime.settle(30_000);

    const stats = runtime.receiver.stats();
    const feeds = await runtime.deps.feeds.list();
    const articles = await runtime.deps.articles.listRecent({ limit: 200 });
    const summary = {
      feeds: feeds.length,
      articles: articles.length,
      subscriptions: (await runtime.deps.subscriptions.list()).length,
      alerts: stats.received,
      verified: stats.verified,
      duplicates: stats.duplicates,
      polls: 2,
      alertsBySubscription: stats.bySubscription,
    };
    if (values.json) io.stdout.write(JSON.stringify(summary) + '\n');
    else io.stdout.write(`\n${JSON.stringify(summary, null, 2)}\n`);
    return stats.received > 0 && stats.verified === stats.received && stats.duplicates === 0 ? 0 : 1;
  } finally {
    await runtime.stop();
  }
}

function apiBase(value: string | undefined): string {
  return (value ?? process.env.NEWSALERT_API ?? 'http://127.0.0.1:8787').replace(/\/$/, '');
}

async function callApi(io: Io, base: string, method: string, path: string, body?: unknown): Promise<number> {
  let response: Response;
  try {
    response = await fetch(base + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    io.stderr.write(`cannot reach the newsalert API at ${base} (${error instanceof Error ? error.message : String(error)}). Is 'newsalert serve' running?\n`);
    return 1;
  }
  const text = await response.text();
  if (text) (response.ok ? io.stdout : io.stderr).write(text.endsWith('\n') ? text : text + '\n');
  else if (response.ok) io.stdout.write(`${response.status}\n`);
  return response.ok ? 0 : 1;
}

async function feeds(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    api: { type: 'string' },
    name: { type: 'string' },
    country: { type: 'string' },
    language: { type: 'string' },
    interval: { type: 'string' },
  });
  const [action, target] = positionals;
  const base = apiBase(values.api);
  if (action === 'list') return callApi(io, base, 'GET', '/feeds');
  if (action === 'add' && target) {
    return callApi(io, base, 'POST', '/feeds', {
      url: target,
      ...(values.name ? { sourceName: values.name } : {}),
      ...(values.country ? { sourceCountry: values.country } : {}),
      ...(values.language ? { language: values.language } : {}),
      ...(values.interval ? { pollIntervalSeconds: Number(values.interval) } : {}),
    });
  }
  if (action === 'remove' && target) return callApi(io, base, 'DELETE', `/feeds/${encodeURIComponent(target)}`);
  throw new UsageError('feeds: expected "add <url>", "list" or "remove <feedId>"');
}

async function subs(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    api: { type: 'string' },
    name: { type: 'string' },
    topic: { type: 'string', multiple: true },
    country: { type: 'string', multiple: true },
    keyword: { type: 'string', multiple: true },
    webhook: { type: 'string' },
    sqs: { type: 'string' },
    sns: { type: 'boolean', default: false },
  });
  const [action, target] = positionals;
  const base = apiBase(values.api);
  if (action === 'list') return callApi(io, base, 'GET', '/subscriptions');
  if (action === 'remove' && target) return callApi(io, base, 'DELETE', `/subscriptions/${encodeURIComponent(target)}`);
  if (action === 'add') {
    const channels = [values.webhook, values.sqs, values.sns ? 'sns' : undefined].filter(Boolean);
    if (channels.length !== 1) throw new UsageError('subs add: give exactly one of --webhook URL, --sqs QUEUE_URL, --sns');
    const channel = values.webhook
      ? { type: 'webhook', url: values.webhook }
      : values.sqs
        ? { type: 'sqs', queueUrl: values.sqs }
        : { type: 'sns' };
    return callApi(io, base, 'POST', '/subscriptions', {
      ...(values.name ? { name: values.name } : {}),
      topics: values.topic ?? [],
      countries: values.country ?? [],
      keywords: values.keyword ?? [],
      channel,
    });
  }
  throw new UsageError('subs: expected "add …", "list" or "remove <subscriptionId>"');
}

export async function main(argv: string[], io: Io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(rest, io);
      case 'demo':
        return await demo(rest, io);
      case 'classify':
        return await runClassifyCommand(rest, io);
      case 'feeds':
        return await feeds(rest, io);
      case 'subs':
        return await subs(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(USAGE + '\n');
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`newsalert: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}
