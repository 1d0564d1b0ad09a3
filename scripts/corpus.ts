// `npm run corpus [-- --json] [--update-baseline] [--only <dir>]… [--budget-ms 2000] [--workers N]`
//
// Runs the ingest core (decode, parse, normalise) over every feed file under ${SHARED_DIR}/feeds, each in a worker
// thread under a watchdog, so a hang is reported as 'timeout' and never waited on. Prints counts by outcome, the
// slowest files, the files whose outcome changed against the committed baseline (test/corpus/baseline.json), and how
// far our titles, links and dates agree with the expected parses that other parsers ship beside their fixtures.
import { readFileSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { parseFeed } from '#adapters/reader/index.js';
import { FEED_LIMITS } from '#adapters/reader/limits.js';
import { toArticle } from '#domain/article.js';
import { parseFeedDate } from '#domain/article.js';
import { FeedError } from '#domain/errors.js';
import { htmlToText } from '#domain/text.js';
import { canonicalizeUrl } from '#domain/url.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..');
export const BASELINE_PATH = join(REPO, 'test/corpus/baseline.json');
const SHARED_DIR = resolve(process.env.NEWSALERT_SHARED_DIR ?? join(REPO, '../shared'));
const FEEDS_DIR = join(SHARED_DIR, 'feeds');
/** A fixed first-seen time keeps the outcomes reproducible (dates are clamped against it). */
const FETCHED_AT = '2030-01-01T00:00:00.000Z';

// ---------------------------------------------------------------------------------------------------------------
// What one file gives

export interface ItemSummary {
  title: string | null;
  link: string | null;
  rawLink: string | null;
  guid: string | null;
  date: number | null;
  rawDate: string | null;
}

export interface FileResult {
  path: string;
  /** 'ok' with items, or the reason: a FeedError category, 'no-items', 'no-usable-items', 'timeout' or 'crash'. */
  outcome: string;
  items: number;
  format?: string;
  encoding?: string;
  ms: number;
  detail?: string;
  /** Only for files with an expected parse beside them. */
  parsed?: { feedLink: string | null; items: ItemSummary[] };
}

interface Task {
  path: string;
  wantItems: boolean;
}

async function processFile(feedsDir: string, task: Task): Promise<FileResult> {
  const bytes = readFileSync(join(feedsDir, task.path));
  const started = performance.now();
  try {
    const feed = await parseFeed(bytes);
    const articles = feed.items
      .map((item) =>
        toArticle(item, {
          feedId: 'corpus',
          sourceName: feed.title ?? 'corpus',
          ...(feed.link === undefined ? {} : { feedLink: feed.link }),
          ...(feed.language === undefined ? {} : { language: feed.language }),
          fetchedAt: FETCHED_AT,
        }),
      )
      .filter((article) => article !== undefined);
    const ms = performance.now() - started;
    const outcome = feed.items.length === 0 ? 'no-items' : articles.length === 0 ? 'no-usable-items' : 'ok';
    const result: FileResult = {
      path: task.path,
      outcome,
      items: articles.length,
      format: feed.format,
      ...(feed.encoding === undefined ? {} : { encoding: feed.encoding }),
      ms,
    };
    if (task.wantItems) {
      result.parsed = {
        feedLink: feed.link ?? null,
        items: feed.items.map((item) => {
          const date = item.published === undefined ? undefined : parseFeedDate(item.published);
          return {
            title: item.title === undefined ? null : htmlToText(item.title),
            link: item.link === undefined ? null : (canonicalizeUrl(item.link, feed.link) ?? null),
            rawLink: item.link ?? null,
            guid: item.guid ?? null,
            date: date === undefined ? null : date.getTime(),
            rawDate: item.published ?? null,
          };
        }),
      };
    }
    return result;
  } catch (error: unknown) {
    const ms = performance.now() - started;
    if (error instanceof FeedError) return { path: task.path, outcome: error.reason, items: 0, ms, detail: error.message };
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { path: task.path, outcome: 'crash', items: 0, ms, detail };
  }
}

if (!isMainThread && parentPort !== null) {
  const port = parentPort;
  port.on('message', (message: { feedsDir: string; task: Task }) => {
    void processFile(message.feedsDir, message.task).then((result) => port.postMessage(result));
  });
  port.postMessage('ready');
}

// ---------------------------------------------------------------------------------------------------------------
// Which files

const FEED_EXTENSIONS = /\.(?:xml|rss|atom|rdf|html?)$/i;
const EXPECTED_DIRS = new Set(['expected_output', 'expected_parse_feed-parser']);

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

/** Feed files: XML/RSS/Atom/HTML, and the JSON files that are feeds rather than another parser's expected output. */
export function listFeedFiles(feedsDir: string): string[] {
  const all = walk(feedsDir, []).map((full) => relative(feedsDir, full).split(sep).join('/'));
  const present = new Set(all);
  return all.filter((path) => {
    if (path.split('/').some((part) => EXPECTED_DIRS.has(part))) return false;
    if (FEED_EXTENSIONS.test(path)) return true;
    if (!path.endsWith('.json') || path.endsWith('.serde.json') || path.endsWith('_expected.json')) return false;
    const stem = path.slice(0, -'.json'.length);
    return !['.xml', '.rss', '.atom'].some((ext) => present.has(stem + ext));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Expected parses shipped by other parsers

type Stated<T> = T | null | undefined; // undefined: the expected parse says nothing about it
interface ExpectedItem {
  title: Stated<string>;
  link: Stated<string>;
  date: Stated<string>;
}
interface ExpectedFeed {
  source: string;
  file: string;
  feedLink: string | undefined;
  items: ExpectedItem[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function stated(record: Record<string, unknown>, key: string): Stated<string> {
  if (!(key in record)) return undefined;
  const value = record[key];
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value._ === 'string') return value._;
  if (isRecord(value) && typeof value.content === 'string') return value.content;
  return null;
}
function recordsOf(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}
function loadJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

/** The expected parse beside a feed file, if its folder ships one (keyed by the feed's path). */
export function findExpected(feedsDir: string, path: string): ExpectedFeed | undefined {
  const full = join(feedsDir, path);
  const stem = full.replace(/\.[^./]+$/, '');
  if (path.includes('rss-parser_fixtures/input/')) {
    const file = join(dirname(dirname(full)), 'expected_output', `${basename(stem)}.json`);
    if (!existsSync(file)) return undefined;
    const root = loadJson(file);
    const feed = isRecord(root) && isRecord(root.feed) ? root.feed : {};
    return {
      source: 'rss-parser expected_output',
      file,
      feedLink: typeof feed.link === 'string' ? feed.link : undefined,
      items: recordsOf(feed.items).map((item) => ({
        title: stated(item, 'title') ?? null,
        link: stated(item, 'link') ?? null,
        date: stated(item, 'isoDate') ?? stated(item, 'pubDate') ?? null,
      })),
    };
  }
  const rowan = /rowanmanning_sample-feeds\/real-world\/([0-9a-f]+)\/feed\.xml$/.exec(path);
  if (rowan) {
    const file = join(feedsDir, 'real_news/rowanmanning_sample-feeds/expected_parse_feed-parser', `${rowan[1]}.json`);
    if (!existsSync(file)) return undefined;
    const root = loadJson(file);
    const feed = isRecord(root) && isRecord(root.feed) ? root.feed : {};
    return {
      source: 'rowanmanning feed-parser snapshot',
      file,
      feedLink: typeof feed.url === 'string' ? feed.url : undefined,
      items: recordsOf(feed.items).map((item) => ({
        title: stated(item, 'title'),
        link: stated(item, 'url'),
        date: stated(item, 'published') ?? stated(item, 'updated'),
      })),
    };
  }
  if (existsSync(`${stem}.serde.json`)) {
    const root = loadJson(`${stem}.serde.json`);
    const feed = isRecord(root) ? root : {};
    const linkOf = (links: unknown): string | null => {
      const all = recordsOf(links);
      const chosen = all.find((link) => link.rel === null || link.rel === 'alternate') ?? all[0];
      return typeof chosen?.href === 'string' ? chosen.href : null;
    };
    return {
      source: 'feed-rs serde.json',
      file: `${stem}.serde.json`,
      feedLink: linkOf(feed.links) ?? undefined,
      items: recordsOf(feed.entries).map((entry) => ({
        title: stated(entry, 'title') ?? null,
        link: linkOf(entry.links),
        date: stated(entry, 'published') ?? stated(entry, 'updated') ?? null,
      })),
    };
  }
  if (path.includes('gofeed_testdata/')) {
    const file = path.endsWith('.json') ? `${stem}_expected.json` : `${stem}.json`;
    if (!existsSync(file)) return undefined;
    const root = loadJson(file);
    if (!isRecord(root)) return undefined;
    const items = [...recordsOf(root.items), ...recordsOf(root.entries)];
    return {
      source: 'gofeed expected json',
      file,
      feedLink: typeof root.link === 'string' ? root.link : typeof root.home_page_url === 'string' ? root.home_page_url : undefined,
      items: items.map((item) => {
        const links = recordsOf(item.links);
        const alternate = links.find((link) => link.rel === undefined || link.rel === 'alternate');
        let link: Stated<string> = stated(item, 'link') ?? stated(item, 'url');
        if (link === undefined && 'links' in item) {
          link = typeof alternate?.href === 'string' ? alternate.href : Array.isArray(item.links) && typeof item.links[0] === 'string' ? item.links[0] : undefined;
        }
        return {
          title: stated(item, 'title'),
          link,
          date: stated(item, 'published') ?? stated(item, 'pubDate') ?? stated(item, 'date_published') ?? stated(item, 'updated'),
        };
      }),
    };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Agreement

interface FieldTally {
  compared: number;
  agree: number;
  /** Agreements only after normalising both sides, by what the normalisation did. */
  agreeAfterNormalising: Record<string, number>;
  differ: Record<string, number>;
  examples: { file: string; category: string; ours: unknown; expected: unknown }[];
}
export interface Agreement {
  files: number;
  bySource: Record<string, number>;
  itemsCompared: number;
  itemCountDiffers: { file: string; ours: number; expected: number; category: string }[];
  title: FieldTally;
  link: FieldTally;
  date: FieldTally;
}

function tally(): FieldTally {
  return { compared: 0, agree: 0, agreeAfterNormalising: {}, differ: {}, examples: [] };
}
function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}
function record(field: FieldTally, file: string, category: string, ours: unknown, expected: unknown): void {
  bump(field.differ, category);
  if (field.examples.filter((example) => example.category === category).length < 3) {
    field.examples.push({ file, category, ours, expected });
  }
}

/** The expected text with each replacement character (and the byte run it stood for) as a wildcard. */
function replacementPattern(text: string): RegExp {
  const parts = text.split(/\ufffd+/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[^]{1,3}?')}$`);
}

function compareTitle(field: FieldTally, file: string, ours: string | null, expected: Stated<string>): void {
  if (expected === undefined) return;
  field.compared++;
  const theirs = expected === null ? '' : expected;
  const mine = ours ?? '';
  if (theirs.trim() === mine) return void field.agree++;
  const normalised = htmlToText(theirs);
  if (normalised === mine) {
    const why = /<[a-z!/]/i.test(theirs) ? 'we strip HTML' : /&[#a-z0-9]+;/i.test(theirs) ? 'we decode entities' : 'we fold whitespace';
    return void bump(field.agreeAfterNormalising, why);
  }
  if (mine === '' && normalised !== '') return record(field, file, 'we found no title', ours, expected);
  if (normalised === '' && mine !== '') return record(field, file, 'expected parser found no title', ours, expected);
  if (normalised.includes('\ufffd') && replacementPattern(normalised).test(mine)) {
    return record(field, file, 'expected parse is mis-decoded (U+FFFD where we decode the declared charset)', ours, expected);
  }
  if (/^[A-Za-z0-9+/]+=*$/.test(mine) && htmlToText(Buffer.from(mine, 'base64').toString('utf8')) === htmlToText(normalised)) {
    return record(field, file, 'we do not decode Atom 0.3 mode="base64" text', ours, expected);
  }
  if (normalised.toLowerCase() === mine.toLowerCase()) return record(field, file, 'case differs', ours, expected);
  if (mine.includes(normalised) || normalised.includes(mine)) {
    return record(field, file, 'one side keeps more of the title (nested markup or CDATA)', ours, expected);
  }
  record(field, file, 'parser disagrees', ours, expected);
}

function compareLink(
  field: FieldTally,
  file: string,
  ours: ItemSummary,
  expected: Stated<string>,
  expectedFeedLink: string | undefined,
): void {
  if (expected === undefined) return;
  field.compared++;
  const theirs = expected === null || expected.trim() === '' ? null : expected.trim();
  if (theirs === ours.rawLink || (theirs === null && ours.link === null)) return void field.agree++;
  const canonical = theirs === null ? null : (canonicalizeUrl(theirs, expectedFeedLink) ?? canonicalizeUrl(theirs) ?? null);
  if (canonical !== null && canonical === ours.link) {
    const why = theirs !== null && !/^https?:\/\//i.test(theirs) ? 'we resolve relative links' : 'we canonicalise links';
    return void bump(field.agreeAfterNormalising, why);
  }
  if (theirs === null) {
    if (ours.link !== null && ours.rawLink === ours.guid) return record(field, file, 'we use the permalink guid as link', ours.link, expected);
    return record(field, file, 'expected parser found no link', ours.link, expected);
  }
  if (ours.link === null) {
    if (ours.rawLink !== null) return record(field, file, 'we refuse a non-http(s) link', ours.rawLink, expected);
    return record(field, file, 'we found no link', ours.link, expected);
  }
  if (canonical === null) {
    // A relative link the expected parse leaves unresolved, which we resolved (xml:base, the feed's URLs).
    if (!/^[a-z][a-z0-9+.-]*:/i.test(theirs)) return record(field, file, 'expected parse leaves the link relative', ours.link, expected);
    return record(field, file, 'expected link is not an http(s) URL', ours.link, expected);
  }
  if (ours.rawLink !== null && !/^https?:\/\//i.test(ours.rawLink)) {
    return record(field, file, 'relative link resolved against a different base', ours.link, expected);
  }
  record(field, file, 'parser disagrees (another link chosen)', ours.link, expected);
}

function compareDate(field: FieldTally, file: string, ours: ItemSummary, expected: Stated<string>): void {
  if (expected === undefined) return;
  field.compared++;
  const theirs = expected === null || expected.trim() === '' ? null : (parseFeedDate(expected) ?? new Date(expected)).getTime();
  const expectedMs = theirs === null || Number.isNaN(theirs) ? null : theirs;
  if (expectedMs === ours.date) return void field.agree++;
  if (ours.date === null) {
    const category = ours.rawDate === null ? 'we found no date' : 'we cannot parse the date (first-seen time used)';
    return record(field, file, category, ours.rawDate, expected);
  }
  if (expectedMs === null) {
    const category = expected === null ? 'expected parser found no date' : 'expected parser cannot parse the date';
    return record(field, file, category, new Date(ours.date).toISOString(), expected);
  }
  const delta = Math.abs(expectedMs - ours.date);
  if (delta % (15 * 60_000) === 0 && delta <= 26 * 3_600_000) {
    return record(field, file, 'time zone read differently (zone-less or named zone)', new Date(ours.date).toISOString(), expected);
  }
  if (delta < 1000) return record(field, file, 'sub-second precision differs', new Date(ours.date).toISOString(), expected);
  record(field, file, 'parser disagrees (another date chosen)', new Date(ours.date).toISOString(), expected);
}

export function compareWithExpected(feedsDir: string, results: FileResult[]): Agreement {
  const agreement: Agreement = {
    files: 0,
    bySource: {},
    itemsCompared: 0,
    itemCountDiffers: [],
    title: tally(),
    link: tally(),
    date: tally(),
  };
  for (const result of results) {
    const expected = findExpected(feedsDir, result.path);
    if (expected === undefined) continue;
    agreement.files++;
    bump(agreement.bySource, expected.source);
    const ours = result.parsed?.items ?? [];
    if (ours.length !== expected.items.length) {
      const category =
        result.outcome !== 'ok' && result.outcome !== 'no-items'
          ? `we reject the feed: ${result.outcome}`
          : ours.length === FEED_LIMITS.maxItems && expected.items.length > ours.length
            ? `we keep the newest ${FEED_LIMITS.maxItems} items (the reader's item cap)`
            : 'parser disagrees on the item count';
      agreement.itemCountDiffers.push({ file: result.path, ours: ours.length, expected: expected.items.length, category });
    }
    const count = Math.min(ours.length, expected.items.length);
    for (let index = 0; index < count; index++) {
      const mine = ours[index];
      const theirs = expected.items[index];
      if (mine === undefined || theirs === undefined) continue;
      agreement.itemsCompared++;
      compareTitle(agreement.title, result.path, mine.title, theirs.title);
      compareLink(agreement.link, result.path, mine, theirs.link, expected.feedLink);
      compareDate(agreement.date, result.path, mine, theirs.date);
    }
  }
  return agreement;
}

// ---------------------------------------------------------------------------------------------------------------
// Running

export interface CorpusOptions {
  feedsDir?: string;
  /** Path prefixes relative to the feeds folder; all files when empty. */
  only?: string[];
  /** Files slower than this are listed as over budget. @default 2000 */
  budgetMs?: number;
  /**
   * A file still running after this long is a hang: its worker is terminated and the file reported as 'timeout'.
   * Larger than the budget so that a loaded machine (other test runs on the same cores) cannot turn a slow parse
   * into a false hang and make the baseline flaky. @default 5 × budgetMs
   */
  watchdogMs?: number;
  workers?: number;
}

/** Runs every file through a pool of workers; a file over budget is reported as 'timeout' and its worker replaced. */
export async function runCorpus(options: CorpusOptions = {}): Promise<FileResult[]> {
  const feedsDir = options.feedsDir ?? FEEDS_DIR;
  const budgetMs = options.budgetMs ?? 2_000;
  const watchdogMs = options.watchdogMs ?? budgetMs * 5;
  const only = options.only ?? [];
  const files = listFeedFiles(feedsDir).filter((path) => only.length === 0 || only.some((prefix) => path.startsWith(prefix)));
  const tasks: Task[] = files.map((path) => ({ path, wantItems: findExpected(feedsDir, path) !== undefined }));
  const results: FileResult[] = [];
  let next = 0;
  const poolSize = Math.max(1, Math.min(options.workers ?? Math.min(2, availableParallelism()), tasks.length));

  const startWorker = (): Promise<Worker> =>
    new Promise((resolveWorker, reject) => {
      // Workers do not inherit tsx's loader hooks: a small bootstrap registers them, then loads this very file.
      const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
      const worker = new Worker(bootstrap, { eval: true });
      worker.once('error', reject);
      worker.once('message', () => {
        worker.off('error', reject);
        resolveWorker(worker);
      });
    });

  const lane = async (): Promise<void> => {
    let worker = await startWorker();
    try {
      for (;;) {
        const task = tasks[next++];
        if (task === undefined) return;
        const started = performance.now();
        const outcome = await new Promise<FileResult | undefined>((resolveTask) => {
          const timer = setTimeout(() => resolveTask(undefined), watchdogMs);
          const onMessage = (result: FileResult) => {
            clearTimeout(timer);
            worker.off('error', onError);
            resolveTask(result);
          };
          const onError = (error: Error) => {
            clearTimeout(timer);
            worker.off('message', onMessage);
            resolveTask({ path: task.path, outcome: 'crash', items: 0, ms: performance.now() - started, detail: error.message });
          };
          worker.once('message', onMessage);
          worker.once('error', onError);
          worker.postMessage({ feedsDir, task });
        });
        if (outcome === undefined || outcome.outcome === 'crash') {
          // The worker is stuck or gone: replace it rather than wait.
          worker.removeAllListeners();
          await worker.terminate();
          worker = await startWorker();
        }
        results.push(
          outcome ?? { path: task.path, outcome: 'timeout', items: 0, ms: performance.now() - started, detail: `still running after ${watchdogMs} ms: terminated` },
        );
      }
    } finally {
      await worker.terminate();
    }
  };
  await Promise.all(Array.from({ length: poolSize }, lane));
  return results.sort((a, b) => a.path.localeCompare(b.path));
}

// ---------------------------------------------------------------------------------------------------------------
// Baseline and report

export type Baseline = Record<string, string>;

export function outcomeKey(result: Pick<FileResult, 'outcome' | 'items'>): string {
  return result.outcome === 'ok' ? `ok:${result.items}` : result.outcome;
}

export function readBaseline(path = BASELINE_PATH): Baseline {
  if (!existsSync(path)) return {};
  const root = loadJson(path);
  const files = isRecord(root) && isRecord(root.files) ? root.files : {};
  return Object.fromEntries(Object.entries(files).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function writeBaseline(results: FileResult[], path = BASELINE_PATH): void {
  const lines = results.map((result) => `    ${JSON.stringify(result.path)}: ${JSON.stringify(outcomeKey(result))}`);
  const header =
    '{\n  "about": "Outcome per feed file of `npm run corpus` (ok:<items> or the reason), keyed by path under ${SHARED_DIR}/feeds. Rewrite with `npm run corpus -- --update-baseline`.",\n  "files": {\n';
  writeFileSync(path, `${header}${lines.join(',\n')}\n  }\n}\n`);
}

export interface Change {
  path: string;
  before: string;
  after: string;
}

export function diffBaseline(results: FileResult[], baseline: Baseline, only: string[] = []): { changed: Change[]; missing: string[] } {
  const seen = new Set<string>();
  const changed: Change[] = [];
  for (const result of results) {
    seen.add(result.path);
    const before = baseline[result.path] ?? '(new file)';
    const after = outcomeKey(result);
    if (before !== after) changed.push({ path: result.path, before, after });
  }
  const missing = Object.keys(baseline).filter(
    (path) => !seen.has(path) && (only.length === 0 || only.some((prefix) => path.startsWith(prefix))),
  );
  return { changed, missing };
}

export interface CorpusSummary {
  files: number;
  withItems: number;
  items: number;
  byOutcome: Record<string, number>;
  totalMs: number;
  wallMs: number;
  maxFileMs: number;
  budgetMs: number;
  overBudget: { path: string; ms: number }[];
  slowest: { path: string; ms: number; outcome: string }[];
  changed: Change[];
  missingFromRun: string[];
  crashes: { path: string; detail?: string }[];
  agreement: Agreement;
}

export function summarise(
  results: FileResult[],
  baseline: Baseline,
  wallMs: number,
  only: string[],
  budgetMs = 2_000,
  feedsDir = FEEDS_DIR,
): CorpusSummary {
  const byOutcome: Record<string, number> = {};
  for (const result of results) bump(byOutcome, result.outcome);
  const { changed, missing } = diffBaseline(results, baseline, only);
  return {
    files: results.length,
    withItems: results.filter((result) => result.outcome === 'ok').length,
    items: results.reduce((sum, result) => sum + result.items, 0),
    byOutcome: Object.fromEntries(Object.entries(byOutcome).sort((a, b) => b[1] - a[1])),
    totalMs: Math.round(results.reduce((sum, result) => sum + result.ms, 0)),
    wallMs: Math.round(wallMs),
    maxFileMs: Math.round(Math.max(0, ...results.map((result) => result.ms)) * 10) / 10,
    budgetMs,
    overBudget: results.filter((result) => result.ms > budgetMs).map((result) => ({ path: result.path, ms: Math.round(result.ms) })),
    slowest: [...results]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 10)
      .map((result) => ({ path: result.path, ms: Math.round(result.ms * 10) / 10, outcome: outcomeKey(result) })),
    changed,
    missingFromRun: missing,
    crashes: results.filter((result) => result.outcome === 'crash').map((result) => ({ path: result.path, detail: result.detail })),
    agreement: compareWithExpected(feedsDir, results),
  };
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`;
}

function printReport(summary: CorpusSummary, write: (line: string) => void): void {
  write(`corpus: ${summary.files} files, ${summary.withItems} with items (${summary.items} articles), wall ${summary.wallMs} ms, slowest file ${summary.maxFileMs} ms`);
  write('outcomes:');
  for (const [outcome, count] of Object.entries(summary.byOutcome)) write(`  ${outcome.padEnd(24)} ${count}`);
  write(`over the ${summary.budgetMs} ms budget: ${summary.overBudget.length}`);
  for (const slow of summary.overBudget) write(`  ${slow.ms} ms  ${slow.path}`);
  write('slowest files:');
  for (const slow of summary.slowest) write(`  ${String(slow.ms).padStart(8)} ms  ${slow.outcome.padEnd(20)} ${slow.path}`);
  write(`changed since baseline: ${summary.changed.length}`);
  for (const change of summary.changed.slice(0, 50)) write(`  ${change.before} -> ${change.after}  ${change.path}`);
  if (summary.changed.length > 50) write(`  … and ${summary.changed.length - 50} more (--json lists all)`);
  if (summary.missingFromRun.length > 0) write(`in the baseline but not found: ${summary.missingFromRun.length}`);
  const { agreement } = summary;
  write(`expected parses: ${agreement.files} files (${Object.entries(agreement.bySource).map(([source, n]) => `${source}: ${n}`).join(', ')}), ${agreement.itemsCompared} items compared`);
  write(`  item count differs in ${agreement.itemCountDiffers.length} files`);
  for (const diff of agreement.itemCountDiffers.slice(0, 15)) write(`    ours ${diff.ours} vs ${diff.expected}: ${diff.category}  ${diff.file}`);
  for (const name of ['title', 'link', 'date'] as const) {
    const field = agreement[name];
    const normalised = Object.values(field.agreeAfterNormalising).reduce((sum, n) => sum + n, 0);
    write(
      `  ${name}: ${field.compared} compared, ${field.agree + normalised} agree (${percent(field.agree + normalised, field.compared)}; ${field.agree} as written, ${normalised} after normalising both sides)`,
    );
    for (const [why, count] of Object.entries(field.agreeAfterNormalising)) write(`    agree after normalising: ${why}: ${count}`);
    for (const [why, count] of Object.entries(field.differ).sort((a, b) => b[1] - a[1])) write(`    differ: ${why}: ${count}`);
  }
  if (summary.crashes.length > 0) {
    write(`CRASHES: ${summary.crashes.length}`);
    for (const crash of summary.crashes) write(`  ${crash.path}: ${crash.detail ?? ''}`);
  }
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const update = argv.includes('--update-baseline');
  const only: string[] = [];
  let budgetMs = 2_000;
  let workers: number | undefined;
  for (let index = 0; index < argv.length; index++) {
    if (argv[index] === '--only') only.push(argv[++index] ?? '');
    if (argv[index] === '--budget-ms') budgetMs = Number(argv[++index]);
    if (argv[index] === '--workers') workers = Number(argv[++index]);
  }
  if (!existsSync(FEEDS_DIR)) {
    process.stderr.write(`corpus: no feeds at ${FEEDS_DIR} (set NEWSALERT_SHARED_DIR)\n`);
    return 2;
  }
  const started = performance.now();
  const results = await runCorpus({ only, budgetMs, ...(workers === undefined ? {} : { workers }) });
  const wallMs = performance.now() - started;
  const baseline = readBaseline();
  const summary = summarise(results, baseline, wallMs, only, budgetMs);
  if (update) {
    if (only.length > 0) throw new Error('--update-baseline needs a full run (no --only)');
    if (summary.byOutcome.timeout !== undefined || summary.crashes.length > 0) {
      throw new Error('--update-baseline refused: a timeout or crash is a bug to fix, not an outcome to record');
    }
    writeBaseline(results);
  }
  if (json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else printReport(summary, (line) => process.stdout.write(`${line}\n`));
  if (update && !json) process.stdout.write(`baseline rewritten: ${relative(REPO, BASELINE_PATH)}\n`);
  return summary.crashes.length > 0 || summary.byOutcome.timeout !== undefined ? 1 : 0;
}

if (isMainThread && process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
