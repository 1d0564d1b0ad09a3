// `newsalert inspect <url|file> [--json]`: what the pipeline sees in a feed. It runs the ingest core the poller and
// WebSub pushes run (functions/handlers/ingest.ts: decode, parse, normalise, dedupe, story clustering, language,
// classification) over in-memory stores, and says why when nothing comes out.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { MemoryArticleEvents } from '#adapters/memory/article-events.js';
import { MemoryArticleRepository } from '#adapters/memory/article-store.js';
import { MemoryStoryIndex } from '#adapters/memory/story-index.js';
import { createFeedFetcher } from '#adapters/http/feed-fetcher.js';
import { classify } from '#adapters/classifier.js';
import { FeedError } from '#domain/errors.js';
import { DEFAULT_SETTINGS } from '#handlers/deps.js';
import { ingestFeedBody, type IngestDeps, type IngestResult } from '#handlers/ingest.js';

export interface InspectIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const USAGE = `Usage:
  newsalert inspect <url|file> [--json] [--allow-loopback] [--base URL] [--limit N]
Shows the detected format and encoding and the articles the pipeline would store (id, canonical URL, title, text,
date, language, storyId, topics, countries). URLs go through the real fetcher and its SSRF guard; --allow-loopback
lets 127.0.0.1 through. --base gives a file the URL it was fetched from, for its relative links and its id.`;

/**
 * The ingest core the poller runs (functions/handlers/ingest.ts), over in-memory stores: the articles, story ids,
 * languages and classifications it shows are those the pipeline would store for the same bytes from the same URL.
 */
export async function inspectFeedBody(body: Buffer, source: { url: string; contentType?: string }, at: Date): Promise<IngestResult> {
  const deps: IngestDeps = {
    articles: new MemoryArticleRepository(),
    stories: new MemoryStoryIndex(),
    articleEvents: new MemoryArticleEvents(),
    classify,
    settings: DEFAULT_SETTINGS,
  };
  const feed = { feedId: 'inspect', url: source.url };
  return ingestFeedBody(deps, { feed, body, bodyUrl: source.url, at, ...(source.contentType === undefined ? {} : { contentType: source.contentType }) });
}

// ---------------------------------------------------------------------------------------------------------------
// The command

class InspectUsageError extends Error {}

interface InspectArgs {
  target: string;
  json: boolean;
  allowLoopback: boolean;
  base?: string;
  limit: number;
}

function reasonOf(error: unknown): { reason: string; detail: string } | undefined {
  if (error instanceof FeedError) return { reason: error.reason, detail: error.message };
  if (error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'EISDIR' || error.code === 'EACCES')) {
    return { reason: 'unreadable-file', detail: error.message };
  }
  return undefined;
}

interface InspectInput {
  body: Buffer;
  contentType?: string;
  source: string;
  /** What the body is read as coming from: the final URL of a fetch; for a file, --base or the file's URL. */
  url: string;
  finalUrl?: string;
}

async function loadInput(args: InspectArgs): Promise<InspectInput> {
  const { target } = args;
  if (/^https?:\/\//i.test(target)) {
    const fetcher = createFeedFetcher({ policy: { allowLoopback: args.allowLoopback } });
    const result = await fetcher.fetch({ url: target });
    if (result.status !== 'ok') throw new FeedError('not-modified', `The server answered ${result.httpStatus} without a body`);
    return {
      body: result.body,
      ...(result.contentType === undefined ? {} : { contentType: result.contentType }),
      source: target,
      url: result.finalUrl,
      finalUrl: result.finalUrl,
    };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    throw new FeedError('unsupported-scheme', `Only http(s) URLs and files can be inspected, not ${target.split(':')[0] ?? ''}:`);
  }
  return { body: await readFile(target), source: target, url: args.base ?? pathToFileURL(resolve(target)).href };
}

/** The parsed arguments, or the exit code when there is nothing to inspect (help, usage error). */
function parseInspectArgs(args: string[], io: InspectIo): InspectArgs | number {
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean', default: false },
        'allow-loopback': { type: 'boolean', default: false },
        base: { type: 'string' },
        limit: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
    if (values.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (positionals.length !== 1) throw new InspectUsageError('inspect: give exactly one URL or file');
    if (values.limit !== undefined && !/^\d+$/.test(values.limit)) throw new InspectUsageError('--limit must be a whole number');
    if (values.base !== undefined && !/^https?:\/\//i.test(values.base)) throw new InspectUsageError('--base must be an http(s) URL');
    return {
      target: positionals[0] ?? '',
      json: values.json,
      allowLoopback: values['allow-loopback'],
      ...(values.base === undefined ? {} : { base: values.base }),
      limit: values.limit === undefined ? Number.POSITIVE_INFINITY : Number(values.limit),
    };
  } catch (error: unknown) {
    io.stderr.write(`newsalert ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
}

function languageSourceOf(result: IngestResult): 'declared' | 'detected' | 'per-article' {
  const language = result.source.language;
  if (language === undefined) return 'per-article';
  const declared = result.parsed.language?.trim().toLowerCase();
  return declared !== undefined && declared.startsWith(language) ? 'declared' : 'detected';
}

function noArticlesReason(result: IngestResult): string | undefined {
  if (result.announced.length > 0) return undefined;
  if (result.items === 0) return 'no-items';
  return result.unusable > 0 ? 'no-usable-items' : 'all-duplicates';
}

function buildReport(input: InspectInput, result: IngestResult, limit: number) {
  const { parsed: feed, announced: articles } = result;
  const reason = noArticlesReason(result);
  return {
    ok: true,
    source: input.source,
    ...(input.finalUrl === undefined || input.finalUrl === input.source ? {} : { finalUrl: input.finalUrl }),
    format: feed.format,
    encoding: feed.encoding,
    encodingSource: feed.encodingSource,
    ...(input.contentType === undefined ? {} : { contentType: input.contentType }),
    title: feed.title,
    link: feed.link,
    sourceName: result.source.sourceName,
    language: result.source.language ?? 'und',
    languageSource: languageSourceOf(result),
    ...(feed.ttlMinutes === undefined ? {} : { ttlMinutes: feed.ttlMinutes }),
    ...(feed.updatePeriodSeconds === undefined ? {} : { updatePeriodSeconds: feed.updatePeriodSeconds }),
    itemCount: result.items,
    articleCount: articles.length,
    unusableItems: result.unusable,
    duplicateItems: result.duplicates,
    ...(reason === undefined ? {} : { reason }),
    items: articles.slice(0, limit).map((article) => ({
      id: article.articleId,
      url: article.url,
      ...(article.guid === undefined ? {} : { guid: article.guid }),
      title: article.title,
      text: article.summary,
      publishedAt: article.publishedAt,
      language: article.language,
      storyId: article.storyId,
      topics: article.classification.topics.map((topic) => topic.code),
      countries: article.classification.countries.map((country) => country.code),
      ...(article.author === undefined ? {} : { author: article.author }),
      ...(article.categories === undefined ? {} : { categories: article.categories }),
      ...(article.imageUrl === undefined ? {} : { imageUrl: article.imageUrl }),
    })),
  };
}

function printReport(report: ReturnType<typeof buildReport>, io: InspectIo): void {
  const line = (text: string) => io.stdout.write(`${text}\n`);
  line(`${report.source}: ${report.format} feed, ${report.encoding ?? '?'} (${report.encodingSource ?? '?'}), language ${report.language} (${report.languageSource})`);
  if (report.title !== undefined) line(`title: ${report.title}`);
  if (report.link !== undefined) line(`link:  ${report.link}`);
  if (report.ttlMinutes !== undefined) line(`ttl:   ${report.ttlMinutes} min`);
  if (report.updatePeriodSeconds !== undefined) line(`sy:updatePeriod: every ${report.updatePeriodSeconds} s`);
  line(`items: ${report.itemCount} in the feed, ${report.articleCount} articles, ${report.unusableItems} unusable, ${report.duplicateItems} duplicates`);
  if (report.reason !== undefined) line(`no articles: ${report.reason}`);
  for (const item of report.items) {
    line('');
    line(`- ${item.title}`);
    line(`  id ${item.id}  story ${item.storyId}  ${item.publishedAt}  ${item.language}`);
    line(`  ${item.url}`);
    if (item.topics.length + item.countries.length > 0) line(`  topics ${item.topics.join(' ') || '-'}  countries ${item.countries.join(' ') || '-'}`);
    if (item.text !== '') line(`  ${item.text.length > 200 ? `${item.text.slice(0, 199)}…` : item.text}`);
  }
}

/** Runs `newsalert inspect`; resolves with the exit code (0 usable feed, 1 unusable input, 2 usage). */
export async function runInspectCommand(args: string[], io: InspectIo): Promise<number> {
  const parsed = parseInspectArgs(args, io);
  if (typeof parsed === 'number') return parsed;
  let input: InspectInput;
  let result: IngestResult;
  try {
    input = await loadInput(parsed);
    result = await inspectFeedBody(input.body, { url: input.url, ...(input.contentType === undefined ? {} : { contentType: input.contentType }) }, new Date());
  } catch (error: unknown) {
    const failure = reasonOf(error);
    if (failure === undefined) throw error;
    if (parsed.json) io.stdout.write(`${JSON.stringify({ ok: false, ...failure })}\n`);
    else io.stderr.write(`newsalert inspect: unusable input: ${failure.reason}: ${failure.detail}\n`);
    return 1;
  }
  const report = buildReport(input, result, parsed.limit);
  if (parsed.json) io.stdout.write(`${JSON.stringify(report)}\n`);
  else printReport(report, io);
  return 0;
}
