// `newsalert`: the local runtime and a client of its API. One more set of "handlers" over the same domain and
// adapters: it never grows a second pipeline.
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { deliveries, feeds, keys, subs, takeApiKey } from './api-commands.js';
import { parse, UsageError, type Io } from './cli-args.js';
import { runClassifyCommand } from './classify-command.js';
import { runInspectCommand } from './inspect-command.js';
import { startLocalRuntime, type LocalRuntime } from './runtime.js';

const USAGE = `newsalert — news alerts by topic, country and keyword

Usage:
  newsalert serve [--port 8787] [--data-dir .newsalert] [--memory] [--no-demo] [--catalogue] [--log-level WARN]
  newsalert demo [--json]
  newsalert classify --title T --text X | --file F | --jsonl   (reads stdin when no --text/--file)
  newsalert inspect <url|file> [--json] [--allow-loopback] [--base URL] [--limit N]   (what the pipeline stores from a feed)
  newsalert feeds add <url> [--name N] [--country CC] [--language xx] [--interval SECONDS] [--strict]
  newsalert feeds list | feeds remove <feedId> | feeds validate <url>
  newsalert feeds import <file.opml> [--country CC]   ·   newsalert feeds export > feeds.opml
  newsalert subs add (--webhook URL | --sqs QUEUE_URL | --slack URL | --sns) [--topic medtop:…]… [--country CC]…
        [--country-role about|primary|source] [--keyword W]… [--query 'putin AND (visit OR "state visit") NOT tour']
        [--language xx]… [--include-source FEED]… [--exclude-source FEED]… [--min-score 0.5] [--name N]
        [--frequency instant|hourly|daily [--tz Europe/Paris] [--at 08:00]] [--quiet 22:00-07:00] [--rate-cap N]
        [--story-updates] [--owner NAME (admin keys)]
  newsalert subs list [--owner NAME] | subs get|remove|pause|resume|test|preview <id>
  newsalert subs update <id> [any add flag]   (changes only what is given)
  newsalert subs snooze <id> (--until ISO_TIME | --for 2h) | subs rotate-secret <id> [--grace SECONDS]
  newsalert subs deliveries <id> [--limit N] [--cursor C]
  newsalert deliveries failures <subscriptionId> | deliveries replay <subscriptionId> <articleId> | deliveries redrive
  newsalert keys create --scope admin|owner [--owner NAME] [--name N] | keys list | keys revoke <keyId>
  newsalert keys bootstrap --table <ApiKeysTableName> [--region R]   (first admin key of a deployment, via AWS credentials)

feeds, subs, deliveries and keys talk to a running 'newsalert serve' (--api URL, default $NEWSALERT_API or http://127.0.0.1:8787)
with an API key: --api-key KEY, else $NEWSALERT_API_KEY, else the admin key 'serve' wrote to .newsalert/admin-key.`;

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
  say(`web console: ${runtime.url}/ (sign in with an API key)`);
  say(runtime.loadedDemo ? 'demo loaded: 3 sample feeds, 5 subscriptions; alerts appear below' : 'store reused: polling its feeds');
  const key = runtime.adminKey;
  if (key.created) {
    // Shown once: the store keeps only its hash. With a data directory the CLI also finds it in the key file.
    say(`admin API key (shown once${key.path ? `; saved, mode 0600, to ${key.path}` : ''}): ${key.key}`);
  } else if (key.path) {
    say(`admin API key: in ${key.path} (the CLI reads it from there)`);
  }
  say(`try: curl -H "authorization: Bearer $(cat ${key.path ?? '<the key above>'})" ${runtime.url}/feeds   ·   Ctrl-C to stop`);
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
    logLevel: 'SILENT',
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
      case 'inspect':
        return await runInspectCommand(rest, io);
      case 'feeds':
      case 'subs':
      case 'deliveries':
      case 'keys': {
        const { args, apiKey } = takeApiKey(rest);
        const client = apiKey === undefined ? io : { ...io, apiKey };
        if (command === 'feeds') return await feeds(args, client);
        if (command === 'deliveries') return await deliveries(args, client);
        return await (command === 'subs' ? subs(args, client) : keys(args, client));
      }
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
