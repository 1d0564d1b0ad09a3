// The commands that are clients of a running newsalert API (`feeds`, `subs`, `deliveries`, `keys`): each turns its
// arguments into one API request and prints the answer. `keys bootstrap` alone goes to DynamoDB, with the
// operator's AWS credentials, because the API has no key to check before the first one.
import { readFile } from 'node:fs/promises';
import { collectPages, withCursor } from './api-pages.js';
import { parse, UsageError, type Io } from './cli-args.js';
import { readLocalAdminKey } from './local-secrets.js';

function apiBase(value: string | undefined): string {
  return (value ?? process.env.NEWSALERT_API ?? 'http://127.0.0.1:8787').replace(/\/$/, '');
}

/** --api-key, else $NEWSALERT_API_KEY, else the key file a local `newsalert serve` writes into its data directory. */
function apiKeyFor(io: Io): string | undefined {
  if (io.apiKey !== undefined) return io.apiKey;
  if (process.env.NEWSALERT_API_KEY) return process.env.NEWSALERT_API_KEY;
  return readLocalAdminKey(process.env.NEWSALERT_DATA_DIR ?? DEFAULT_DATA_DIR);
}

async function callApi(
  io: Io,
  base: string,
  method: string,
  path: string,
  body?: unknown,
  options: { allPages?: boolean; failed?: (answer: Record<string, unknown>) => boolean } = {},
): Promise<number> {
  let response: Response;
  const key = apiKeyFor(io);
  const send = (target: string) =>
    fetch(base + target, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
  try {
    response = await send(path);
  } catch (error) {
    io.stderr.write(`cannot reach the newsalert API at ${base} (${error instanceof Error ? error.message : String(error)}). Is 'newsalert serve' running?\n`);
    return 1;
  }
  let text = await response.text();
  if (response.status === 401 && key === undefined) {
    io.stderr.write('no API key: pass --api-key, set NEWSALERT_API_KEY, or run from the directory of .newsalert/admin-key\n');
  }
  if (options.allPages && response.ok) {
    const nextPage = async (cursor: string) => {
      const page = await send(withCursor(path, cursor));
      if (!page.ok) throw new Error(`the next page answered ${page.status}: ${(await page.text()).slice(0, 500)}`);
      return (await page.json()) as Record<string, unknown>;
    };
    text = JSON.stringify(await collectPages(JSON.parse(text) as Record<string, unknown>, nextPage));
  }
  if (text) (response.ok ? io.stdout : io.stderr).write(text.endsWith('\n') ? text : text + '\n');
  else if (response.ok) io.stdout.write(io.json === true ? `${JSON.stringify({ status: response.status })}\n` : `${response.status}\n`);
  if (response.ok && text && options.failed?.(JSON.parse(text) as Record<string, unknown>) === true) return 1;
  return response.ok ? 0 : 1;
}

export async function feeds(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    api: { type: 'string' },
    name: { type: 'string' },
    country: { type: 'string' },
    language: { type: 'string' },
    interval: { type: 'string' },
    strict: { type: 'boolean', default: false },
  });
  const [action, target] = positionals;
  const base = apiBase(values.api);
  if (action === 'list') return callApi(io, base, 'GET', '/feeds', undefined, { allPages: true });
  if (action === 'export') return callApi(io, base, 'GET', '/feeds/export');
  // The API answers 200 with what the URL is; the command fails (exit 1) when it is not a usable feed.
  const notAFeed = (answer: Record<string, unknown>) => (answer.validation as { ok?: unknown } | undefined)?.ok !== true;
  if (action === 'validate' && target) return callApi(io, base, 'POST', '/feeds/validate', { url: target }, { failed: notAFeed });
  if (action === 'import' && target) {
    let opml: string;
    try {
      opml = await readFile(target, 'utf8');
    } catch (error) {
      io.stderr.write(`newsalert feeds import: cannot read ${target}: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
    return callApi(io, base, 'POST', '/feeds/import', { opml, ...(values.country ? { country: values.country } : {}) });
  }
  if (action === 'add' && target) {
    return callApi(io, base, 'POST', values.strict ? '/feeds?validate=strict' : '/feeds', {
      url: target,
      ...(values.name ? { sourceName: values.name } : {}),
      ...(values.country ? { sourceCountry: values.country } : {}),
      ...(values.language ? { language: values.language } : {}),
      ...(values.interval ? { pollIntervalSeconds: Number(values.interval) } : {}),
    });
  }
  if (action === 'remove' && target) return callApi(io, base, 'DELETE', `/feeds/${encodeURIComponent(target)}`);
  throw new UsageError('feeds: expected "add <url>", "list", "remove <feedId>", "validate <url>", "import <file>" or "export"');
}

const DEFAULT_DATA_DIR = '.newsalert';

/** Takes `--api-key K` / `--api-key=K` off the arguments: one option for every API command, parsed once. */
export function takeApiKey(args: string[]): { args: string[]; apiKey?: string } {
  const rest: string[] = [];
  let apiKey: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--api-key') {
      apiKey = args[++i];
      if (apiKey === undefined) throw new UsageError('--api-key needs a value');
    } else if (arg.startsWith('--api-key=')) {
      apiKey = arg.slice('--api-key='.length);
    } else {
      rest.push(arg);
    }
  }
  return apiKey === undefined ? { args: rest } : { args: rest, apiKey };
}

const SUBS_USAGE =
  'subs: expected add, list, get, update, remove, pause, resume, snooze, rotate-secret, test, deliveries or preview';

/** "2h", "30m", "1d" -> milliseconds. */
function durationMs(text: string): number {
  const match = /^(\d+)\s*([mhd])$/.exec(text.trim());
  if (!match) throw new UsageError(`--for expects a duration like 30m, 2h or 1d, got "${text}"`);
  return Number(match[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'm' | 'h' | 'd'];
}

function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) throw new UsageError(`--${name} expects a number, got "${value}"`);
  return parsed;
}

/** The subscription fields the flags set; only those given, so `subs update` patches just them. */
function subscriptionFields(values: Record<string, string | boolean | string[] | undefined>): Record<string, unknown> {
  const text = (name: string) => values[name] as string | undefined;
  const list = (name: string) => values[name] as string[] | undefined;
  const fields: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined) fields[key] = value;
  };
  set('name', text('name'));
  set('owner', text('owner'));
  set('topics', list('topic'));
  set('countries', list('country'));
  set('countryRole', text('country-role'));
  set('keywords', list('keyword'));
  set('query', text('query'));
  set('languages', list('language'));
  set('includeSources', list('include-source'));
  set('excludeSources', list('exclude-source'));
  set('minScore', numberOption('min-score', text('min-score')));
  set('rateCapPerHour', numberOption('rate-cap', text('rate-cap')));
  if (values['story-updates'] === true) fields.receiveStoryUpdates = true;
  const frequency = text('frequency');
  if (frequency === 'instant') fields.frequency = { mode: 'instant' };
  else if (frequency !== undefined) {
    fields.frequency = { mode: frequency, timeZone: text('tz') ?? 'UTC', ...(text('at') ? { at: text('at') } : {}) };
  }
  const quiet = text('quiet');
  if (quiet !== undefined) {
    const [start, end] = quiet.split('-');
    fields.quietHours = { start, end, timeZone: text('tz') ?? 'UTC' };
  }
  const channels = [text('webhook'), text('sqs'), text('slack'), values.sns === true ? 'sns' : undefined].filter((c) => c !== undefined);
  if (channels.length > 1) throw new UsageError('subs: give at most one of --webhook URL, --sqs QUEUE_URL, --slack URL, --sns');
  if (text('webhook')) fields.channel = { type: 'webhook', url: text('webhook') };
  else if (text('sqs')) fields.channel = { type: 'sqs', queueUrl: text('sqs') };
  else if (text('slack')) fields.channel = { type: 'slack', webhookUrl: text('slack') };
  else if (values.sns === true) fields.channel = { type: 'sns' };
  return fields;
}

export async function subs(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    api: { type: 'string' },
    name: { type: 'string' },
    owner: { type: 'string' },
    topic: { type: 'string', multiple: true },
    country: { type: 'string', multiple: true },
    'country-role': { type: 'string' },
    keyword: { type: 'string', multiple: true },
    query: { type: 'string' },
    language: { type: 'string', multiple: true },
    'include-source': { type: 'string', multiple: true },
    'exclude-source': { type: 'string', multiple: true },
    'min-score': { type: 'string' },
    frequency: { type: 'string' },
    tz: { type: 'string' },
    at: { type: 'string' },
    quiet: { type: 'string' },
    'rate-cap': { type: 'string' },
    'story-updates': { type: 'boolean' },
    webhook: { type: 'string' },
    sqs: { type: 'string' },
    slack: { type: 'string' },
    sns: { type: 'boolean', default: false },
    until: { type: 'string' },
    for: { type: 'string' },
    grace: { type: 'string' },
    limit: { type: 'string' },
    cursor: { type: 'string' },
  });
  const [action, target] = positionals;
  const base = apiBase(values.api);
  const one = (suffix = '') => {
    if (!target) throw new UsageError(`subs ${action}: expected a subscription id`);
    return `/subscriptions/${encodeURIComponent(target)}${suffix}`;
  };
  switch (action) {
    case 'list':
      return callApi(io, base, 'GET', '/subscriptions' + (values.owner ? `?owner=${encodeURIComponent(values.owner)}` : ''), undefined, { allPages: true });
    case 'add': {
      const fields = subscriptionFields(values);
      if (fields.channel === undefined) throw new UsageError('subs add: give exactly one of --webhook URL, --sqs QUEUE_URL, --slack URL, --sns');
      return callApi(io, base, 'POST', '/subscriptions', { topics: [], countries: [], keywords: [], ...fields });
    }
    case 'get':
      return callApi(io, base, 'GET', one());
    case 'update': {
      const fields = subscriptionFields(values);
      if (Object.keys(fields).length === 0) throw new UsageError('subs update: nothing to change: give the flags of the fields to set');
      return callApi(io, base, 'PATCH', one(), fields);
    }
    case 'remove':
      return callApi(io, base, 'DELETE', one());
    case 'pause':
    case 'resume':
      return callApi(io, base, 'POST', one(`/${action}`));
    case 'snooze': {
      if ((values.until === undefined) === (values.for === undefined)) throw new UsageError('subs snooze: give one of --until ISO_TIME or --for 2h');
      const until = values.until ?? new Date(Date.now() + durationMs(values.for as string)).toISOString();
      return callApi(io, base, 'POST', one('/snooze'), { until });
    }
    case 'rotate-secret': {
      const grace = numberOption('grace', values.grace);
      return callApi(io, base, 'POST', one('/rotate-secret'), grace === undefined ? {} : { graceSeconds: grace });
    }
    case 'test':
      return callApi(io, base, 'POST', one('/test'));
    case 'deliveries': {
      const query = new URLSearchParams();
      if (values.limit) query.set('limit', values.limit);
      if (values.cursor) query.set('cursor', values.cursor);
      const qs = query.toString();
      return callApi(io, base, 'GET', one('/deliveries') + (qs ? `?${qs}` : ''));
    }
    case 'preview':
      return callApi(io, base, 'GET', one('/preview'));
    default:
      throw new UsageError(SUBS_USAGE);
  }
}

export async function deliveries(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { api: { type: 'string' } });
  const [action, subscriptionId, articleId] = positionals;
  const base = apiBase(values.api);
  const sub = (id: string) => `/subscriptions/${encodeURIComponent(id)}`;
  if (action === 'failures' && subscriptionId) return callApi(io, base, 'GET', `${sub(subscriptionId)}/failures`, undefined, { allPages: true });
  if (action === 'replay' && subscriptionId && articleId) {
    return callApi(io, base, 'POST', `${sub(subscriptionId)}/deliveries/${encodeURIComponent(articleId)}/replay`);
  }
  if (action === 'redrive') return callApi(io, base, 'POST', '/deliveries/dlq/redrive');
  throw new UsageError('deliveries: expected "failures <subscriptionId>", "replay <subscriptionId> <articleId>" or "redrive"');
}

export async function keys(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    api: { type: 'string' },
    scope: { type: 'string' },
    owner: { type: 'string' },
    name: { type: 'string' },
    table: { type: 'string' },
    region: { type: 'string' },
  });
  const [action, target] = positionals;
  if (action === 'bootstrap') return bootstrapAdminKey(io, values.table, values.region);
  const base = apiBase(values.api);
  if (action === 'list') return callApi(io, base, 'GET', '/keys', undefined, { allPages: true });
  if (action === 'create') {
    if (values.scope !== 'admin' && values.scope !== 'owner') throw new UsageError('keys create: --scope admin or --scope owner --owner NAME');
    return callApi(io, base, 'POST', '/keys', {
      scope: values.scope,
      ...(values.owner ? { owner: values.owner } : {}),
      ...(values.name ? { name: values.name } : {}),
    });
  }
  if (action === 'revoke' && target) return callApi(io, base, 'DELETE', `/keys/${encodeURIComponent(target)}`);
  throw new UsageError('keys: expected "create --scope admin|owner [--owner NAME] [--name N]", "list", "revoke <keyId>" or "bootstrap --table T"');
}

/**
 * The first admin key of a deployment, written straight into its keys table with the operator's own AWS credentials
 * (the stack output ApiKeysTableName): IAM is the root of trust, the API has no key to check before this one.
 */
async function bootstrapAdminKey(io: Io, table: string | undefined, region: string | undefined): Promise<number> {
  if (!table) throw new UsageError('keys bootstrap: --table <ApiKeysTableName output of the stack> is required');
  const [{ DynamoDBClient }, { DynamoDBDocumentClient }, { DynamoApiKeyRepository }, { generateApiKey }, { randomBytes }] = await Promise.all([
    import('@aws-sdk/client-dynamodb'),
    import('@aws-sdk/lib-dynamodb'),
    import('#adapters/dynamo/api-keys-repository.js'),
    import('#domain/api-key.js'),
    import('node:crypto'),
  ]);
  const client = new DynamoDBClient(region ? { region } : {});
  try {
    const repository = new DynamoApiKeyRepository(DynamoDBDocumentClient.from(client), table);
    const { key, record } = generateApiKey({ scope: 'admin', name: 'bootstrap' }, { now: new Date(), randomBytes: (n) => randomBytes(n) });
    if (!(await repository.create(record))) throw new Error('key id collision: run it again');
    io.stdout.write(JSON.stringify({ key, keyId: record.keyId, scope: record.scope }) + '\n');
    io.stderr.write('This admin key is shown once; only its hash is stored. Keep it in a secret store.\n');
    return 0;
  } catch (error) {
    io.stderr.write(`keys bootstrap: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    client.destroy();
  }
}
