// `newsalert`: the local runtime and a client of its API. One more set of "handlers" over the same domain and
// adapters: it never grows a second pipeline.
// Each command's module is imported when it runs, so `newsalert feeds list` or `--help` never loads the runtime,
// the classifier or the SDK.
import { readFileSync } from 'node:fs';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { parse, UsageError, type Io } from './cli-args.js';
import { bashCompletion, CLI, helpText, resolveCommand, zshCompletion } from './cli-spec.js';
import type { LocalRuntime } from './runtime.js';

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
    const { startLocalRuntime } = await import('./runtime.js');
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
  const { startLocalRuntime } = await import('./runtime.js');
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

/** The version in package.json: found beside the sources (functions/local) or the built CLI (dist). */
export function cliVersion(): string {
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'newsalert' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not this one
    }
  }
  return 'unknown';
}

/** Takes `--json` off an API command's arguments: its answer is JSON either way, and an empty one becomes JSON too. */
function takeJson(args: string[]): { args: string[]; json: boolean } {
  const rest = args.filter((arg) => arg !== '--json');
  return { args: rest, json: rest.length !== args.length };
}

function completion(args: string[], io: Io): number {
  const { positionals } = parse(args, {});
  const [shell] = positionals;
  if (positionals.length !== 1 || (shell !== 'bash' && shell !== 'zsh')) throw new UsageError('completion: expected "bash" or "zsh"');
  io.stdout.write(shell === 'bash' ? bashCompletion() : zshCompletion());
  return 0;
}

async function dispatch(command: string, rest: string[], io: Io): Promise<number> {
  switch (command) {
    case 'serve':
      return serve(rest, io);
    case 'demo':
      return demo(rest, io);
    case 'classify': {
      const { runClassifyCommand } = await import('./classify-command.js');
      return runClassifyCommand(rest.filter((arg) => arg !== '--json'), io);
    }
    case 'inspect': {
      const { runInspectCommand } = await import('./inspect-command.js');
      return runInspectCommand(rest, io);
    }
    case 'completion':
      return completion(rest, io);
    case 'feeds':
    case 'subs':
    case 'deliveries':
    case 'keys': {
      const { deliveries, feeds, keys, subs, takeApiKey } = await import('./api-commands.js');
      const { args: withoutJson, json } = takeJson(rest);
      const { args, apiKey } = takeApiKey(withoutJson);
      const client: Io = { ...io, ...(apiKey === undefined ? {} : { apiKey }), ...(json ? { json } : {}) };
      if (command === 'feeds') return feeds(args, client);
      if (command === 'deliveries') return deliveries(args, client);
      return command === 'subs' ? subs(args, client) : keys(args, client);
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/**
 * Runs one command line; resolves with the exit code: 0 done, 1 failed, 2 usage (a wrong command line, or no
 * command). `--help`/`-h` anywhere before `--` prints the help of the deepest command named and exits 0.
 */
export async function main(argv: string[], io: Io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const beforeDashes = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  const [command, ...rest] = argv;
  if (beforeDashes.includes('--help') || beforeDashes.includes('-h') || command === 'help') {
    const { spec, path } = resolveCommand(command === 'help' ? rest : beforeDashes);
    io.stdout.write(`${helpText(spec, path)}\n`);
    return 0;
  }
  if (command === '--version' || command === '-V' || command === 'version') {
    io.stdout.write(`${cliVersion()}\n`);
    return 0;
  }
  if (command === undefined) {
    io.stderr.write(`${helpText(CLI, [])}\n`);
    return 2;
  }
  try {
    return await dispatch(command, rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      const { spec, path } = resolveCommand(argv);
      const usage = spec.usage.map((line) => `  newsalert ${line}`).join('\n');
      io.stderr.write(`newsalert: ${error.message}\n\nUsage:\n${usage}\nRun 'newsalert ${[...path, '--help'].join(' ')}' for more.\n`);
      return 2;
    }
    throw error;
  }
}
