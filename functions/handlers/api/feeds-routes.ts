// /feeds: add (SSRF-checked, validated by one fetch), list, read with health, remove; OPML import and export;
// validation without adding.
import * as z from 'zod';
import { ConflictError, FeedError, NotFoundError, ValidationError } from '#domain/errors.js';
import { FeedInputSchema, newFeed, parseFeedInput } from '#domain/feed.js';
import { planOpmlImport, renderOpml } from '#domain/opml.js';
import type { Feed } from '#domain/types.js';
import { publicWebSub } from '#domain/websub.js';
import { parseOpml } from '#adapters/opml-parser.js';
import { subscribeFeedToHub } from '../websub-subscriber.js';
import { checkUrl } from './check-url.js';
import type { ApiDeps } from './deps.js';
import { validateFeedUrl } from './feed-validation.js';
import { createCursors, listing, pageQuery, pageSchema, type Cursors } from './pages.js';
import { HttpProblem, PROBLEM_TYPES } from './problem.js';
import { json, ok, queryOf, requireFound, route, type ApiRequest, type Route } from './router.js';
import { FeedCreatedSchema, FeedSchema, FeedValidationSchema, OpmlImportResultSchema } from './schemas.js';

/** An OPML list of a few thousand feeds; the JSON body cap (64 KiB) would refuse real ones. */
export const MAX_OPML_BYTES = 1024 * 1024;
/** Address checks run in parallel, a few at a time: each may be a DNS lookup. */
const IMPORT_CONCURRENCY = 8;

/** What the feed routes use of the API's dependencies. */
export type FeedRoutesDeps = Pick<ApiDeps, 'feeds' | 'assertUrlAllowed' | 'fetcher' | 'websub' | 'clock' | 'logger' | 'randomBytes'>;

/** A feed as the API shows it: the WebSub secret stays inside. */
export function publicFeed(feed: Feed): unknown {
  if (feed.websub === undefined) return feed;
  return { ...feed, websub: publicWebSub(feed.websub) };
}

const ValidateBodySchema = z.object({ url: z.string().trim().min(1).max(2048) });
const ImportJsonSchema = z.object({
  opml: z.string().min(1).meta({ description: 'The OPML document (or send it as the body, as text/x-opml)' }),
  country: z.string().optional().meta({ description: 'ISO 3166-1 alpha-2 country of feeds whose outline names none' }),
});
const OPML_TYPES = ['text/x-opml', 'application/xml', 'text/xml', 'text/plain', 'application/octet-stream'];
const TAGS = ['feeds'];
const CountrySchema = z
  .string()
  .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 code')
  .transform((value) => value.toUpperCase());

function importBody(req: ApiRequest<{ country?: string }>): { opml: string; country?: string } {
  if (req.rawBytes.length > MAX_OPML_BYTES) throw new HttpProblem(413, `an OPML import may have at most ${MAX_OPML_BYTES} bytes`);
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  let opml = req.rawBody;
  let country = req.query.country;
  if (contentType.includes('json')) {
    let raw: unknown;
    try {
      raw = JSON.parse(req.rawBody);
    } catch {
      throw new ValidationError('Malformed JSON body', [{ path: '(body)', message: 'not valid JSON' }]);
    }
    const parsed = ImportJsonSchema.safeParse(raw);
    if (!parsed.success) throw new ValidationError('Invalid import', [{ path: 'opml', message: 'expected {"opml": "<opml …>", "country"?: "CC"}' }]);
    opml = parsed.data.opml;
    country = parsed.data.country ?? country;
  }
  if (opml.trim() === '') throw new ValidationError('Empty body', [{ path: '(body)', message: 'send the OPML document' }]);
  if (country === undefined) return { opml };
  const checked = CountrySchema.safeParse(country);
  if (!checked.success) throw new ValidationError('Invalid import', [{ path: 'country', message: 'must be an ISO 3166-1 alpha-2 code' }]);
  return { opml, country: checked.data };
}

/** The SSRF verdict on one URL, as an import reason; a name that does not resolve today is not refused. */
async function addressProblem(deps: Pick<ApiDeps, 'assertUrlAllowed'>, url: string): Promise<{ reason: string; detail: string } | undefined> {
  try {
    await deps.assertUrlAllowed(url);
    return undefined;
  } catch (error) {
    if (!(error instanceof FeedError)) throw error;
    return error.reason === 'dns' ? undefined : { reason: error.reason, detail: error.message };
  }
}

async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(workers);
  return results;
}

async function importOpml(deps: FeedRoutesDeps, req: ApiRequest<{ country?: string }>) {
  const { opml, country } = importBody(req);
  const document = parseOpml(opml);
  const plan = planOpmlImport(document, await deps.feeds.list(), country !== undefined ? { defaultCountry: country } : {});
  const now = deps.clock.now();
  const added: { feedId: string; url: string; sourceName?: string }[] = [];
  const skipped: { url: string; feedId: string; reason: string }[] = [...plan.skipped];
  const invalid: { url: string; title?: string; reason: string; detail: string }[] = [...plan.invalid];
  await mapLimited(plan.candidates, IMPORT_CONCURRENCY, async ({ input, feedId }) => {
    const problem = await addressProblem(deps, input.url);
    if (problem !== undefined) {
      invalid.push({ url: input.url, ...(input.sourceName !== undefined ? { title: input.sourceName } : {}), ...problem });
      return;
    }
    // Created with the id the plan derived from the URL, so a re-import (or a concurrent one) is a skip, not a copy.
    const feed = newFeed({ ...input, feedId }, now);
    if (await deps.feeds.create(feed)) {
      added.push({ feedId, url: feed.url, ...(feed.sourceName !== undefined ? { sourceName: feed.sourceName } : {}) });
    } else {
      skipped.push({ url: input.url, feedId, reason: 'exists' });
    }
  });
  deps.logger.info('opml imported', { added: added.length, skipped: skipped.length, invalid: invalid.length });
  return json(200, {
    ...(document.title !== undefined ? { title: document.title } : {}),
    outlines: document.outlines.length,
    added,
    skipped,
    invalid,
  });
}

export function feedRoutes(deps: FeedRoutesDeps, cursors: Cursors = createCursors()): Route[] {
  const feeds = listing(cursors, 'feeds');
  return [
    route('GET', '/feeds', async (req) => feeds.answer(req, 'feeds', await deps.feeds.listPage(feeds.request(req.query)), publicFeed), {
      tags: TAGS,
      summary: 'List feeds with their health, a page at a time',
      query: pageQuery({ defaultLimit: 100, maxLimit: 500 }),
      responses: { 200: ok('A page of feeds', pageSchema('feeds', FeedSchema)) },
    }),
    route('POST', '/feeds', async (req) => addFeed(deps, req), {
      tags: TAGS,
      summary: 'Add a feed (its URL passes the SSRF guard); by default one fetch reports what it is, and a web page is followed to the feed it announces',
      query: queryOf({
        validate: z.enum(['strict', 'report', 'none']).default('report').meta({ description: 'strict: refuse a URL that is not a usable feed (400); report: add it and say what the fetch found; none: no fetch' }),
      }),
      body: FeedInputSchema,
      conflicts: true,
      responses: { 201: ok('Added', FeedCreatedSchema) },
    }),
    route(
      'POST',
      '/feeds/validate',
      async (req) => {
        const parsed = ValidateBodySchema.safeParse(req.body());
        if (!parsed.success || !/^https?:\/\//i.test(parsed.data.url)) {
          throw new ValidationError('Invalid request', [{ path: 'url', message: 'must be an http(s) URL' }]);
        }
        await checkUrl(deps, parsed.data.url, 'url');
        return json(200, { url: parsed.data.url, validation: await validateFeedUrl(deps, parsed.data.url) });
      },
      {
        tags: TAGS,
        summary: 'What a URL is, by one fetch, without adding it',
        body: ValidateBodySchema,
        responses: { 200: ok('What the fetch found', z.object({ url: z.string(), validation: FeedValidationSchema }).meta({ id: 'FeedValidated' })) },
      },
    ),
    route('POST', '/feeds/import', async (req) => importOpml(deps, req), {
      tags: TAGS,
      summary: 'Import an OPML list: each outline added, skipped (exists, duplicate) or invalid with the reason',
      query: queryOf({ country: z.string().optional().meta({ description: 'ISO 3166-1 alpha-2 country of feeds whose outline names none' }) }),
      body: ImportJsonSchema,
      otherBodyTypes: OPML_TYPES,
      responses: { 200: ok('What became of each outline', OpmlImportResultSchema) },
    }),
    route(
      'GET',
      '/feeds/export',
      async () => ({
        statusCode: 200,
        headers: { 'content-type': 'text/x-opml; charset=utf-8', 'content-disposition': 'attachment; filename="newsalert-feeds.opml"' },
        body: renderOpml(await deps.feeds.list(), { title: 'newsalert feeds', now: deps.clock.now() }),
      }),
      { tags: TAGS, summary: 'Every feed as OPML', responses: { 200: { description: 'An OPML 2.0 document', schema: z.string(), contentType: 'text/x-opml' } } },
    ),
    route('GET', '/feeds/{feedId}', async (req) => json(200, publicFeed(requireFound(await deps.feeds.get(req.params.feedId!), 'feed'))), {
      tags: TAGS,
      summary: 'One feed with its health',
      responses: { 200: ok('The feed', FeedSchema) },
    }),
    route(
      'DELETE',
      '/feeds/{feedId}',
      async (req) => {
        if (!(await deps.feeds.delete(req.params.feedId!))) throw new NotFoundError('feed not found');
        return { statusCode: 204 };
      },
      { tags: TAGS, summary: 'Remove a feed', responses: { 204: { description: 'Removed' } } },
    ),
  ];
}

async function addFeed(deps: FeedRoutesDeps, req: ApiRequest<{ validate: 'strict' | 'report' | 'none' }>) {
  const input = parseFeedInput(req.body());
  const mode = req.query.validate;
  await checkUrl(deps, input.url, 'url');
  const validation = mode === 'none' ? undefined : await validateFeedUrl(deps, input.url);
  if (mode === 'strict' && validation?.ok === false) {
    throw new HttpProblem(400, `not a usable feed: ${validation.reason}: ${validation.detail}`.slice(0, 1000), {
      type: PROBLEM_TYPES.notAFeed,
      title: 'Not a usable feed',
      reason: validation.reason,
      errors: [{ path: 'url', message: `${validation.reason}: ${validation.detail}`.slice(0, 1000) }],
    });
  }
  // A web page was followed to its feed: the feed is what gets polled.
  const discovered = validation?.ok === true ? validation.discovered : undefined;
  if (discovered !== undefined) await checkUrl(deps, discovered.feedUrl, 'url');
  const feed = newFeed(discovered === undefined ? input : { ...input, url: discovered.feedUrl }, deps.clock.now());
  if (!(await deps.feeds.create(feed))) throw new ConflictError(`feed ${feed.feedId} exists already`);
  let stored = feed;
  if (validation?.ok === true && validation.websub !== undefined) {
    await subscribeFeedToHub(deps, feed, validation.websub);
    stored = (await deps.feeds.get(feed.feedId)) ?? feed;
  }
  // The feed at the top level (as before validation existed), with what the fetch found beside it.
  return json(201, { ...(publicFeed(stored) as object), ...(validation !== undefined ? { validation } : {}) });
}
